"""Reading config.yaml into Settings, by the table of settings.

Loading never raises for bad content: every problem becomes one line naming the file and line,
and the default is used for that setting, so a typo can't keep the app from starting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node

from netmaint_tui import paths
from netmaint_tui.config.settings import SETTINGS, Entry, Settings
from netmaint_tui.config.values import Place, Unusable
from netmaint_tui.safe_yaml import (
    YamlProblem,
    check_tag,
    check_tags_deep,
    compose_yaml,
    mapping_entries,
    node_line,
    read_capped,
    shown,
)

CONFIG_SIZE_LIMIT = 256 * 1024


def read_values(root: Node, label: str, base_dir: Path,
                table: tuple[Entry, ...] = SETTINGS) -> tuple[dict[str, Any], list[str]]:
    """The Settings fields a composed document sets, and one problem line per mistake in it."""
    problems: list[str] = []
    values: dict[str, Any] = {}

    def report(line: int | None, message: str) -> None:
        problems.append(YamlProblem(line, message).render(label))

    try:
        check_tag(root)
        if not isinstance(root, MappingNode):
            raise YamlProblem(node_line(root), 'expected settings as "key: value" lines')
        entries = mapping_entries(root)
    except YamlProblem as exc:
        return {}, [exc.render(label) + "; using defaults"]
    known = {item.key: item for item in table}
    seen: dict[str, int] = {}
    for key, key_node, value_node in entries:
        line = node_line(key_node)
        item = known.get(key)
        if item is None:
            report(line, f"unknown key {shown(key)}; known keys: {', '.join(known)}")
            continue
        if key in seen:
            report(line, f'"{key}" is also set on line {seen[key]}; using this later one')
            for name, _ in item.fields():
                values.pop(name, None)
        seen[key] = line
        try:
            check_tags_deep(value_node)
            values.update(item.read_node(value_node, Place(key, item.default, base_dir, report)))
        except Unusable as exc:
            report(exc.line, exc.message)
        except YamlProblem as exc:
            problems.append(exc.render(label) + f"; using the default {key}")
    return values, problems


def settings_from_text(text: str, label: str = "config.yaml", base_dir: Path | None = None) -> tuple[Settings, list[str]]:
    """Settings from YAML text (the pure part of load_settings)."""
    try:
        root = compose_yaml(text)
    except YamlProblem as exc:
        return Settings(), [exc.render(label) + "; using defaults"]
    if root is None:
        return Settings(), []
    values, problems = read_values(root, label, base_dir or Path.cwd())
    return Settings(**values), problems


def load_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """(settings, problems). A missing file means defaults and no problem; nothing here raises for bad content."""
    path = paths.config_file() if path is None else Path(path)
    label = path.name
    if not path.exists() and not path.is_symlink():
        return Settings(), []
    try:
        text = read_capped(path, CONFIG_SIZE_LIMIT)
    except YamlProblem as exc:
        return Settings(), [exc.render(label) + "; using defaults"]
    return settings_from_text(text, label, path.parent)
