"""Showing the settings in force (`netmaint config show`) and saving one of them, keeping the
rest of the file, its comments included."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode

from netmaint_tui import paths
from netmaint_tui.config.reading import CONFIG_SIZE_LIMIT, settings_from_text
from netmaint_tui.config.settings import KNOWN_KEYS, Settings, entry, plain_settings
from netmaint_tui.config.values import plain
from netmaint_tui.safe_yaml import YamlProblem, compose_yaml, node_line, read_capped, shown
from netmaint_tui.store.guard import WouldOverwrite, known_databases, refuse_overwrite, write_private


class ConfigError(Exception):
    """Raised by save_setting for an unknown key, an invalid value or a file it must not rewrite."""


def effective_settings_text(settings: Settings) -> str:
    """The settings in force, as YAML that load_settings reads back to the same values."""
    return yaml.safe_dump(plain_settings(settings), sort_keys=False, default_flow_style=False, allow_unicode=True)


def _flow(value: Any) -> str:
    """A value as one line of YAML flow text (dumped inside a list, whose brackets are then cut)."""
    value = plain(value)
    text = yaml.safe_dump([value], default_flow_style=True, width=10**9, allow_unicode=True, sort_keys=False)
    if "\n" in text.rstrip("\n"):
        text = yaml.safe_dump(
            [value], default_flow_style=True, width=10**9, allow_unicode=True, sort_keys=False, default_style='"'
        )
    return text.strip()[1:-1]


def _replace_top_level(text: str, key: str, new_line: str) -> str:
    """Replace every top-level `key:` entry (with its indented continuation) by new_line, or append it."""
    pattern = re.compile(rf"""^(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')[ \t]*:(?:[ \t]|$)""")
    lines = text.splitlines()
    out: list[str] = []
    replaced = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if pattern.match(line):
            comment = _trailing_comment(line)
            index += 1
            # The old value's continuation: indented lines, top-level "- " items, and blank lines between them.
            while index < len(lines):
                following = lines[index]
                if following[:1] in (" ", "\t") and following.strip():
                    index += 1
                elif following.startswith("- ") or following == "-":
                    index += 1
                elif not following.strip():
                    rest = index
                    while rest < len(lines) and not lines[rest].strip():
                        rest += 1
                    if rest < len(lines) and lines[rest][:1] in (" ", "\t") and lines[rest].strip():
                        index = rest
                    else:
                        break
                else:
                    break
            if not replaced:
                out.append(new_line + comment)
                replaced = True
            continue
        out.append(line)
        index += 1
    if not replaced:
        if out and out[-1].strip() == "...":
            out.pop()
        out.append(new_line)
    return "\n".join(out) + "\n"


def _trailing_comment(line: str) -> str:
    """The line's ` # comment` (with the spacing before it), or ''; a # inside quotes is not one."""
    quote = ""
    for position, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and position > 0 and line[position - 1] in " \t":
            start = position
            while start > 0 and line[start - 1] in " \t":
                start -= 1
            return line[start:]
    return ""


def save_setting(key: str, value: Any, path: Path | None = None, databases=()) -> None:
    """Set one top-level setting in the config file, keeping the other keys and comments.

    Raises ConfigError for an unknown key, an invalid value, a file that can't be read as
    settings (it is left alone rather than overwritten), or a config path that names a database
    (`databases`, the one in use, besides those netmaint opens by default), its companions or backups.
    """
    if key not in KNOWN_KEYS:
        raise ConfigError(f"unknown setting {shown(key)}; known keys: {', '.join(KNOWN_KEYS)}")
    own_folder = path is None and not os.environ.get("NETMAINT_CONFIG")
    path = paths.config_file() if path is None else Path(path)
    if path.is_symlink():
        path = path.resolve()  # keep a dotfiles link in place: write where it points
    label = path.name
    protected = known_databases(*databases)
    try:
        refuse_overwrite(path, protected)
    except WouldOverwrite as exc:
        raise ConfigError(str(exc)) from None

    new_line = f"{key}: {_flow(value)}"
    wanted, problems = settings_from_text(new_line + "\n", label, path.parent)
    if problems:
        raise ConfigError(f"cannot save {key}: " + problems[0].split(": ", 1)[1])

    if path.exists():
        try:
            old_text = read_capped(path, CONFIG_SIZE_LIMIT)
            root = compose_yaml(old_text)
            if root is not None and not isinstance(root, MappingNode):
                raise YamlProblem(node_line(root), 'expected settings as "key: value" lines')
        except YamlProblem as exc:
            raise ConfigError(f"cannot save {key}: {exc.render(label)}; fix the file first") from None
    else:
        old_text = ""

    new_text = _replace_top_level(old_text, key, new_line)
    got, _ = settings_from_text(new_text, label, path.parent)
    if any(getattr(got, name) != getattr(wanted, name) for name, _ in entry(key).fields()):
        # The key lives somewhere a line edit can't reach (say, a flow mapping): rewrite the whole file.
        current, _ = settings_from_text(old_text, label, path.parent)
        data = plain_settings(current)
        data.update(yaml.safe_load(new_line + "\n"))
        new_text = yaml.safe_dump(data, sort_keys=False, default_flow_style=None, allow_unicode=True)

    folder = path.parent
    if not folder.exists() or own_folder:
        paths.ensure_private_dir(folder)
    write_private(path, new_text, protect=protected)

