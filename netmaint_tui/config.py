"""netmaint's preferences: a small YAML file (theme, week start, cadences, goal, keys, data file).

Loading never raises for bad content: every problem becomes one line naming the file and line,
and the default is used for that setting, so a typo can't keep the app from starting.

YAML is read with PyYAML's SafeLoader only. Values are built node by node from the composed
tree so each problem can name its line. Two guards keep a hostile or broken file cheap:
files over a size cap are refused before parsing, and aliases (``*name``) are refused while
composing -- an alias is what lets a tiny "billion laughs" file expand into billions of nodes,
and a settings file has no use for one. Nesting depth is capped so a file of ``[[[[...`` can't
exhaust the recursive composer.

This module is imported by the CLI on every start: only yaml, the standard library and paths.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from netmaint_tui import paths
from netmaint_tui.rules.schema import DEFAULT_CADENCE, MAX_CADENCE_DAYS, MAX_GOAL_MINUTES, MAX_GOAL_TOUCHES
from netmaint_tui.rules.vocabulary import TIERS

DEFAULT_THEME = "netmaint-dark"
KNOWN_KEYS = ("theme", "week_start", "cadence_days", "goal", "keys", "data_file")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

CONFIG_SIZE_LIMIT = 256 * 1024
MAX_NESTING = 32


@dataclass(frozen=True)
class Settings:
    theme: str = DEFAULT_THEME
    week_start: int = 0  # 0 = Monday .. 6 = Sunday
    cadence_days: Mapping[str, int] = field(default_factory=lambda: MappingProxyType(dict(DEFAULT_CADENCE)))
    goal_touches: int | None = None
    goal_minutes: int | None = None
    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    data_file: str | None = None


class ConfigError(Exception):
    """Raised by save_setting for an unknown key, an invalid value or a file it must not rewrite."""


# ---------------------------------------------------------------------------------------------
# Safe YAML reading shared with the theme loader


class YamlProblem(Exception):
    """One problem in a YAML file: a 1-based line (or None) and a message without the file name."""

    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message

    def render(self, label: str) -> str:
        where = f"{label} line {self.line}" if self.line else label
        return f"{where}: {self.message}"


class _StrictComposer(yaml.SafeLoader):
    """SafeLoader that refuses aliases and deep nesting while composing (see module docstring)."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlProblem(
                event.start_mark.line + 1,
                "aliases (*name) are not allowed here; write the value out in full",
            )
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                event = self.peek_event()
                raise YamlProblem(event.start_mark.line + 1, f"nested more than {MAX_NESTING} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def node_line(node: Node) -> int:
    return node.start_mark.line + 1


def shown(value: object, limit: int = 40) -> str:
    """User text quoted for a problem line: control characters escaped, long text cut short."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    escaped = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return '"' + escaped.replace('"', '\\"') + '"'


def read_capped(path: Path, limit: int) -> str:
    """The file's text, or YamlProblem(None, ...) if it is missing the point: too big, unreadable, not UTF-8."""
    try:
        if not path.is_file():
            raise YamlProblem(None, "not a regular file")
        size = path.stat().st_size
        if size > limit:
            raise YamlProblem(None, f"file is {_kib(size)}, over the {_kib(limit)} limit; refused")
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise YamlProblem(None, f"cannot read it ({exc.strerror or exc})") from None
    if len(data) > limit:  # grew after stat()
        raise YamlProblem(None, f"file is over the {_kib(limit)} limit; refused")
    return decode_text(data)


def decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlProblem(line, "not UTF-8 text") from None


def _kib(size: int) -> str:
    return f"{size / 1024:.0f} KiB" if size >= 1024 else f"{size} bytes"


def compose_yaml(text: str) -> Node | None:
    """Compose one YAML document safely; None for an empty file. Raises YamlProblem."""
    loader = None
    try:
        loader = _StrictComposer(text)  # the reader checks for unprintable characters up front
        root = loader.get_single_node()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        if exc.context and exc.context_mark and ("end of stream" in problem or "<stream end>" in problem):
            # An unclosed quote or bracket: the line to fix is where it opened, not the end of the file.
            mark = exc.context_mark
            opened = re.sub(r"^while (scanning|parsing) ", "", exc.context)
            opened = {"a flow mapping": "a {...} mapping", "a flow sequence": "a [...] list"}.get(opened, opened)
            opened = opened.replace("quoted scalar", "quoted value")
            problem = f"{opened} starting here is never closed"
        elif problem.startswith("expected <block end>"):
            problem = "the indentation here doesn't line up with the lines above"
        elif "another document" in problem:
            problem = "a second YAML document (---) starts here; keep only one"
        raise YamlProblem(mark.line + 1 if mark else None, f"YAML syntax error: {problem}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        char = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "?")
        raise YamlProblem(line, f"YAML cannot contain the control character U+{char:04X}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(None, f"YAML error: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()
    if isinstance(root, ScalarNode) and root.tag == "tag:yaml.org,2002:null" and root.value in ("", "~", "null"):
        return None  # "---" alone, or an explicit null document: nothing set
    return root


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def check_tag(node: Node) -> None:
    """Only plain YAML types are allowed; anything tagged otherwise (!!python/..., !!binary, !custom) is refused."""
    if isinstance(node, ScalarNode):
        allowed = node.tag in _SCALAR_TAGS
    elif isinstance(node, MappingNode):
        allowed = node.tag == _MAP_TAG
    else:
        allowed = node.tag == _SEQ_TAG
    if not allowed:
        raise YamlProblem(node_line(node), f"tag {shown(_short_tag(node.tag), 60)} is not allowed")


def check_tags_deep(node: Node) -> None:
    check_tag(node)
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            check_tags_deep(key_node)
            check_tags_deep(value_node)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            check_tags_deep(item)


def scalar(node: Node) -> Any:
    """The Python value of a plain scalar node (SafeLoader's own construction), after check_tag."""
    check_tag(node)
    if not isinstance(node, ScalarNode):
        raise TypeError("not a scalar")
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)


def mapping_entries(node: MappingNode) -> list[tuple[str, Node, Node]]:
    """(key text, key node, value node) for each entry; keys must be plain scalars."""
    check_tag(node)
    entries = []
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise YamlProblem(node_line(key_node), "a key must be a plain word, not a list or mapping")
        check_tag(key_node)
        entries.append((str(key_node.value), key_node, value_node))
    return entries


def kind_of(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    try:
        value = scalar(node)
    except YamlProblem:
        return "a tagged value"
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return "text"


# ---------------------------------------------------------------------------------------------
# Settings


class _Reader:
    """Turns a composed document into Settings, collecting one problem line per mistake."""

    def __init__(self, label: str, base_dir: Path):
        self.label = label
        self.base_dir = base_dir
        self.problems: list[str] = []
        self.values: dict[str, Any] = {}

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(YamlProblem(line, message).render(self.label))

    def read(self, root: Node) -> None:
        try:
            check_tag(root)
        except YamlProblem as exc:
            self.problems.append(exc.render(self.label) + "; using defaults")
            return
        if not isinstance(root, MappingNode):
            self.problem(node_line(root), 'expected settings as "key: value" lines; using defaults')
            return
        try:
            entries = mapping_entries(root)
        except YamlProblem as exc:
            self.problems.append(exc.render(self.label) + "; using defaults")
            return
        seen: dict[str, int] = {}
        for key, key_node, value_node in entries:
            line = node_line(key_node)
            if key not in KNOWN_KEYS:
                self.problem(line, f"unknown key {shown(key)}; known keys: {', '.join(KNOWN_KEYS)}")
                continue
            if key in seen:
                self.problem(line, f'"{key}" is also set on line {seen[key]}; using this later one')
                for name in _fields_for(key):
                    self.values.pop(name, None)
            seen[key] = line
            try:
                check_tags_deep(value_node)
                getattr(self, "_read_" + key)(value_node)
            except YamlProblem as exc:
                self.problems.append(exc.render(self.label) + f"; using the default {key}")

    # Each reader stores a valid value in self.values or reports and leaves the default.

    def _read_theme(self, node: Node) -> None:
        value = self._text(node, "theme", allow_empty=False)
        if value is not None:
            if len(value) > 64 or not value.isprintable():
                self.problem(node_line(node), f"theme {shown(value)} is not a theme name; using {DEFAULT_THEME}")
                return
            self.values["theme"] = value

    def _read_week_start(self, node: Node) -> None:
        value = parse_weekday(scalar(node) if isinstance(node, ScalarNode) else None)
        if value is None:
            self.problem(node_line(node), "week_start must be a weekday name or 0-6; using monday")
        else:
            self.values["week_start"] = value

    def _read_cadence_days(self, node: Node) -> None:
        if not isinstance(node, MappingNode):
            self.problem(
                node_line(node),
                f"cadence_days must be a mapping like {{A: 30, B: 90, C: 180}}, not {kind_of(node)}; "
                "using the defaults",
            )
            return
        cadence = dict(DEFAULT_CADENCE)
        for key, key_node, value_node in mapping_entries(node):
            tier = key.strip().upper()
            if tier not in TIERS:
                self.problem(node_line(key_node), f"cadence_days: unknown tier {shown(key)}; tiers are A, B, C")
                continue
            days = self._whole(value_node, 1, MAX_CADENCE_DAYS)
            if days is None:
                self.problem(
                    node_line(value_node),
                    f"cadence_days.{tier} must be a whole number of days from 1 to {MAX_CADENCE_DAYS}; "
                    f"using {DEFAULT_CADENCE[tier]}",
                )
                continue
            cadence[tier] = days
        self.values["cadence_days"] = MappingProxyType(cadence)

    def _read_goal(self, node: Node) -> None:
        if isinstance(node, ScalarNode) and scalar(node) is None:
            return  # "goal:" with nothing after it: no default goal
        if not isinstance(node, MappingNode):
            self.problem(
                node_line(node),
                f"goal must be a mapping like {{touches: 5, minutes: 60}}, not {kind_of(node)}; using no goal",
            )
            return
        limits = {"touches": MAX_GOAL_TOUCHES, "minutes": MAX_GOAL_MINUTES}
        for key, key_node, value_node in mapping_entries(node):
            if key not in limits:
                self.problem(node_line(key_node), f"goal: unknown key {shown(key)}; known keys: touches, minutes")
                continue
            if isinstance(value_node, ScalarNode) and scalar(value_node) is None:
                self.values["goal_" + key] = None
                continue
            number = self._whole(value_node, 1, limits[key])
            if number is None:
                self.problem(
                    node_line(value_node),
                    f"goal.{key} must be a whole number from 1 to {limits[key]} (or null for none); "
                    f"using no {key} goal",
                )
                continue
            self.values["goal_" + key] = number

    def _read_keys(self, node: Node) -> None:
        if isinstance(node, ScalarNode) and scalar(node) is None:
            return
        if not isinstance(node, MappingNode):
            self.problem(
                node_line(node),
                f'keys must be a mapping of binding id to keys, like {{log_touch: "ctrl+l"}}, not {kind_of(node)}; '
                "using the default keys",
            )
            return
        keys: dict[str, str] = {}
        for binding_id, key_node, value_node in mapping_entries(node):
            if not _BINDING_ID.match(binding_id):
                self.problem(node_line(key_node), f"keys: {shown(binding_id)} is not a binding id")
                continue
            combo = parse_key_list(value_node)
            if combo is None:
                self.problem(
                    node_line(value_node),
                    f'keys.{binding_id} must be keys like "ctrl+l" or "l,ctrl+l"; keeping its default keys',
                )
                continue
            keys[binding_id] = combo
        self.values["keys"] = MappingProxyType(keys)

    def _read_data_file(self, node: Node) -> None:
        if isinstance(node, ScalarNode) and scalar(node) is None:
            return
        value = self._text(node, "data_file", allow_empty=False)
        if value is not None:
            if "\0" in value:
                self.problem(node_line(node), "data_file is not a usable path; using the default")
                return
            path = Path(value).expanduser()
            if not path.is_absolute():
                # Relative to the config file, not to wherever netmaint happens to be started.
                path = self.base_dir / path
            self.values["data_file"] = str(path)

    def _text(self, node: Node, key: str, allow_empty: bool) -> str | None:
        value = scalar(node) if isinstance(node, ScalarNode) else node
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            self.problem(node_line(node), f"{key} must be text, not {kind_of(node)}; using the default")
            return None
        return value.strip()

    @staticmethod
    def _whole(node: Node, low: int, high: int) -> int | None:
        if not isinstance(node, ScalarNode):
            return None
        value = scalar(node)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return None
        return value


_BINDING_ID = re.compile(r"^[A-Za-z_][\w.\-]{0,63}$")
_KEY_NAME = re.compile(r"^[^\s,]{1,40}$")


def parse_key_list(node: Node) -> str | None:
    """Textual key list ("l,ctrl+l") from a scalar or a list of scalars; None if malformed.

    The scalar's text is used as written: unquoted YAML turns `on`, `no` or `1` into booleans and
    numbers, but as a key they mean the key.
    """
    check_tag(node)
    if isinstance(node, ScalarNode):
        if node.tag == "tag:yaml.org,2002:null":
            return None
        parts = str(node.value).split(",")
    elif isinstance(node, SequenceNode):
        parts = []
        for item in node.value:
            if not isinstance(item, ScalarNode):
                return None
            check_tag(item)
            parts.append(str(item.value))
    else:
        return None
    parts = [part.strip() for part in parts]
    if not parts or not all(_KEY_NAME.match(part) for part in parts):
        return None
    return ",".join(parts)


def parse_weekday(value: object) -> int | None:
    """0-6 (Monday = 0) from an int or a weekday name or abbreviation ("mon", "thurs", "Sunday")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= 6 else None
    if isinstance(value, str):
        word = value.strip().lower()
        if len(word) >= 2:
            matches = [index for index, name in enumerate(WEEKDAYS) if name.startswith(word)]
            if len(matches) == 1:
                return matches[0]
    return None


def settings_from_text(text: str, label: str = "config.yaml", base_dir: Path | None = None) -> tuple[Settings, list[str]]:
    """Settings from YAML text (the pure part of load_settings)."""
    reader = _Reader(label, base_dir or Path.cwd())
    try:
        root = compose_yaml(text)
    except YamlProblem as exc:
        return Settings(), [exc.render(label) + "; using defaults"]
    if root is None:
        return Settings(), []
    reader.read(root)
    return Settings(**reader.values), reader.problems


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


# ---------------------------------------------------------------------------------------------
# Showing and saving


def _plain(settings: Settings) -> dict[str, Any]:
    return {
        "theme": settings.theme,
        "week_start": WEEKDAYS[settings.week_start],
        "cadence_days": dict(settings.cadence_days),
        "goal": {"touches": settings.goal_touches, "minutes": settings.goal_minutes},
        "keys": dict(settings.keys),
        "data_file": settings.data_file,
    }


def effective_settings_text(settings: Settings) -> str:
    """The settings in force, as YAML that load_settings reads back to the same values."""
    return yaml.safe_dump(_plain(settings), sort_keys=False, default_flow_style=False, allow_unicode=True)


def _flow(value: Any) -> str:
    """A value as one line of YAML flow text (dumped inside a list, whose brackets are then cut)."""
    if isinstance(value, Mapping):
        value = dict(value)
    text = yaml.safe_dump([value], default_flow_style=True, width=10**9, allow_unicode=True, sort_keys=False)
    if "\n" in text.rstrip("\n"):
        text = yaml.safe_dump(
            [value], default_flow_style=True, width=10**9, allow_unicode=True, sort_keys=False, default_style='"'
        )
    return text.strip()[1:-1]


def _fields_for(key: str) -> tuple[str, ...]:
    return ("goal_touches", "goal_minutes") if key == "goal" else (key,)


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
    # Only saving writes a file: the guard stays off the start-up path of every command.
    from netmaint_tui.store.guard import WouldOverwrite, known_databases, refuse_overwrite, write_private

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
    if any(getattr(got, name) != getattr(wanted, name) for name in _fields_for(key)):
        # The key lives somewhere a line edit can't reach (say, a flow mapping): rewrite the whole file.
        current, _ = settings_from_text(old_text, label, path.parent)
        data = _plain(current)
        data.update(yaml.safe_load(new_line + "\n"))
        new_text = yaml.safe_dump(data, sort_keys=False, default_flow_style=None, allow_unicode=True)

    folder = path.parent
    if not folder.exists() or own_folder:
        paths.ensure_private_dir(folder)
    write_private(path, new_text, protect=protected)
