"""Themes: the shipped YAML files in netmaint_tui.themes, plus the user's in the config folder's themes/.

A theme file gives Textual's colours and netmaint's own (`netmaint:` block). The netmaint colours
travel as Textual theme *variables*, so the .tcss files can say `color: $tier-a;`. Textual merges,
for every CSS refresh: App.get_theme_variable_defaults() <- the theme's generated colours <- the
theme's `variables` (App.get_css_variables). A variable referenced in CSS but defined nowhere stops
the stylesheet from parsing, so the app must return `theme_variable_defaults(self.current_theme)`
from get_theme_variable_defaults(); that covers Textual's built-in themes (nord, gruvbox, ...).

A bad file is reported as one line (file name and line number) and skipped; it never stops the app.
The format, with every key, is documented in themes/README.md.
"""

from __future__ import annotations

import difflib
import importlib.resources
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from textual.color import Color, ColorParseError
from textual.design import ColorSystem
from textual.theme import BUILTIN_THEMES, Theme
from yaml.nodes import MappingNode, Node, ScalarNode

from netmaint_tui import paths
from netmaint_tui.config import DEFAULT_THEME
from netmaint_tui.safe_yaml import (
    YamlProblem,
    check_tags_deep,
    compose_yaml,
    decode_text,
    kind_of,
    mapping_entries,
    node_line,
    read_capped,
    scalar,
    shown,
)

THEME_SIZE_LIMIT = 64 * 1024
MAX_USER_THEMES = 100

NETMAINT_VARIABLES: tuple[str, ...] = (
    "tier-a",
    "tier-b",
    "tier-c",
    "overdue",
    "due-soon",
    "give",
    "ask",
    "week-met",
    "week-missed",
    "week-paused",
    "week-open",
)

TEXTUAL_COLOURS: tuple[str, ...] = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "warning",
    "error",
    "success",
    "boost",
)

THEME_KEYS: tuple[str, ...] = ("name", "dark", "ansi", *TEXTUAL_COLOURS, "netmaint", "variables")

# Kept equal to the netmaint blocks of netmaint-dark.yaml / netmaint-light.yaml (a test checks):
# Textual's built-in dark themes sit on dark greys and its light ones on light greys, like ours.
_DEFAULTS_DARK = {
    "tier-a": "#f2a65a",
    "tier-b": "#5aa9e6",
    "tier-c": "#9aa3ad",
    "overdue": "#ef6b73",
    "due-soon": "#e8c547",
    "give": "#7cd17f",
    "ask": "#c49bf2",
    "week-met": "#7cd17f",
    "week-missed": "#ef6b73",
    "week-paused": "#8aa0c8",
    "week-open": "#7b8594",
}
_DEFAULTS_LIGHT = {
    "tier-a": "#a65300",
    "tier-b": "#0b62b5",
    "tier-c": "#5f6670",
    "overdue": "#b8232a",
    "due-soon": "#805600",
    "give": "#2a7532",
    "ask": "#7a3db0",
    "week-met": "#2a7532",
    "week-missed": "#b8232a",
    "week-paused": "#4f6d94",
    "week-open": "#636b75",
}
# Under Textual's ansi-dark / ansi-light the terminal's own palette is used, so defaults are ANSI names.
_DEFAULTS_ANSI_DARK = {
    "tier-a": "ansi_bright_yellow",
    "tier-b": "ansi_bright_cyan",
    "tier-c": "ansi_white",
    "overdue": "ansi_bright_red",
    "due-soon": "ansi_yellow",
    "give": "ansi_bright_green",
    "ask": "ansi_bright_magenta",
    "week-met": "ansi_bright_green",
    "week-missed": "ansi_bright_red",
    "week-paused": "ansi_cyan",
    "week-open": "ansi_white",
}
_DEFAULTS_ANSI_LIGHT = {
    "tier-a": "ansi_magenta",
    "tier-b": "ansi_blue",
    "tier-c": "ansi_bright_black",
    "overdue": "ansi_red",
    "due-soon": "ansi_yellow",
    "give": "ansi_green",
    "ask": "ansi_magenta",
    "week-met": "ansi_green",
    "week-missed": "ansi_red",
    "week-paused": "ansi_cyan",
    "week-open": "ansi_bright_black",
}


class ThemeError(Exception):
    """One line: '<file> line N: what is wrong'."""


class _Readable(Protocol):  # a Path, or an importlib.resources Traversable inside a wheel
    name: str

    def read_bytes(self) -> bytes: ...


def default_variables(dark: bool, ansi: bool = False) -> dict[str, str]:
    """netmaint's colours for a theme that doesn't set them (Textual's built-ins, partial user themes)."""
    if ansi:
        return dict(_DEFAULTS_ANSI_DARK if dark else _DEFAULTS_ANSI_LIGHT)
    return dict(_DEFAULTS_DARK if dark else _DEFAULTS_LIGHT)


def theme_variable_defaults(theme: Theme) -> dict[str, str]:
    """What App.get_theme_variable_defaults() should return for the current theme."""
    return default_variables(theme.dark, theme.ansi)


def _textual_variable_names() -> frozenset[str]:
    """Textual's own theme variables that take a colour (not the *-style ones)."""
    names = set(ColorSystem(primary="#000000", dark=True).generate())
    names |= set(ColorSystem(primary="#000000", dark=True, ansi=True).generate())
    names |= {"ansi-background", "ansi-foreground"}
    return frozenset(name for name in names if not name.endswith("style") and name not in NETMAINT_VARIABLES)


_VARIABLE_NAMES: frozenset[str] | None = None
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
_ALPHA = re.compile(r"^(\d{1,3})%$")


def _colour(node: Node, key: str, allow_alpha_suffix: bool = False) -> str:
    """A colour in the one spelling TCSS always accepts: #RRGGBB[AA] or an ansi_* name."""
    if isinstance(node, ScalarNode) and scalar(node) is None:
        raise YamlProblem(
            node_line(node),
            f'"{key}" has no value; a colour starting with # must be quoted, like {key}: "#ff8800"',
        )
    value = scalar(node) if isinstance(node, ScalarNode) else None
    if not isinstance(value, str):
        raise YamlProblem(node_line(node), f'"{key}" must be a colour, not {kind_of(node)}')
    parts = value.split()
    alpha = ""
    if allow_alpha_suffix and len(parts) == 2 and _ALPHA.match(parts[1]) and int(parts[1][:-1]) <= 100:
        alpha = " " + parts[1]
    elif len(parts) != 1:
        parts = [value]
    try:
        colour = Color.parse(parts[0])
    except ColorParseError as exc:
        hint = f' (did you mean "{exc.suggested_color}"?)' if exc.suggested_color else ""
        raise YamlProblem(
            node_line(node),
            f'"{key}" is not a colour: {shown(value)}{hint}; use "#rrggbb", rgb(r, g, b), a colour name or ansi_*',
        ) from None
    return colour.hex + alpha


def _flag(node: Node, key: str) -> bool:
    value = scalar(node) if isinstance(node, ScalarNode) else None
    if not isinstance(value, bool):
        raise YamlProblem(node_line(node), f'"{key}" must be true or false, not {kind_of(node)}')
    return value


def _unknown(key: str, known: Iterable[str], where: str = "key") -> str:
    known = list(known)
    close = difflib.get_close_matches(key, known, n=1)
    hint = f' (did you mean "{close[0]}"?)' if close else ""
    return f"unknown {where} {shown(key)}{hint}; known: {', '.join(known)}"


def _colour_block(node: Node, block: str, allowed: Iterable[str], alpha: bool) -> dict[str, str]:
    if not isinstance(node, MappingNode):
        raise YamlProblem(node_line(node), f'"{block}" must be a mapping of name: colour, not {kind_of(node)}')
    allowed = set(allowed)
    colours: dict[str, str] = {}
    for key, key_node, value_node in mapping_entries(node):
        if key not in allowed:
            if block == "netmaint":
                raise YamlProblem(node_line(key_node), _unknown(key, NETMAINT_VARIABLES, "netmaint colour"))
            raise YamlProblem(
                node_line(key_node),
                f"{shown(key)} is not one of Textual's colour variables; see themes/README.md",
            )
        if key in colours:
            raise YamlProblem(node_line(key_node), f'"{block}.{key}" is set twice')
        colours[key] = _colour(value_node, key, allow_alpha_suffix=alpha)
    return colours


def _theme_from_node(root: Node, name_hint: str | None) -> Theme:
    global _VARIABLE_NAMES
    check_tags_deep(root)
    if not isinstance(root, MappingNode):
        raise YamlProblem(node_line(root), 'expected a theme as "key: value" lines')
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key, key_node, value_node in mapping_entries(root):
        line = node_line(key_node)
        if key not in THEME_KEYS:
            raise YamlProblem(line, _unknown(key, THEME_KEYS))
        if key in lines:
            raise YamlProblem(line, f'"{key}" is set twice (also on line {lines[key]})')
        lines[key] = line
        if key == "name":
            name = scalar(value_node) if isinstance(value_node, ScalarNode) else None
            if not isinstance(name, str) or not _NAME.match(name):
                raise YamlProblem(
                    node_line(value_node), "name must be letters, digits, - or _ (up to 64), like my-theme"
                )
            values["name"] = name
        elif key in ("dark", "ansi"):
            values[key] = _flag(value_node, key)
        elif key == "netmaint":
            values["netmaint"] = _colour_block(value_node, "netmaint", NETMAINT_VARIABLES, alpha=False)
        elif key == "variables":
            if _VARIABLE_NAMES is None:
                _VARIABLE_NAMES = _textual_variable_names()
            values["variables"] = _colour_block(value_node, "variables", _VARIABLE_NAMES, alpha=True)
        else:
            values[key] = _colour(value_node, key)

    if "primary" not in values:
        raise YamlProblem(node_line(root), 'no "primary" colour; every theme needs one')
    if "name" not in values:
        if not name_hint or not _NAME.match(name_hint):
            raise YamlProblem(node_line(root), 'no "name"; add a line like name: my-theme')
        values["name"] = name_hint
    if "dark" not in values:
        background = values.get("background")
        values["dark"] = Color.parse(background).brightness < 0.5 if background else True
    dark, ansi = values["dark"], values.get("ansi", False)

    variables: dict[str, str] = {}
    if ansi:
        # Textual's CSS needs $ansi-background etc. under an ANSI theme; its own ansi themes define them.
        variables.update(BUILTIN_THEMES["ansi-dark" if dark else "ansi-light"].variables)
    variables.update(values.get("variables", {}))
    variables.update({key: Color.parse(value).hex for key, value in default_variables(dark, ansi).items()})
    variables.update(values.get("netmaint", {}))

    theme = Theme(
        name=values["name"],
        dark=dark,
        ansi=ansi,
        variables=variables,
        **{key: values[key] for key in TEXTUAL_COLOURS if key in values},
    )
    try:
        theme.to_color_system().generate()
    except Exception as exc:  # Textual's colour maths on an odd combination; report, don't crash
        raise YamlProblem(node_line(root), f"Textual cannot build this theme: {exc}") from None
    return theme


def load_theme_file(path_or_text: Path | _Readable | str, name_hint: str | None = None) -> Theme:
    """A Theme from a file (a Path or a packaged resource) or from YAML text; raises ThemeError.

    name_hint names the theme when the file has no `name:` (default: the file's stem), and labels
    problems when given text.
    """
    if isinstance(path_or_text, str):
        label = f"{name_hint}.yaml" if name_hint else "theme"
        if len(path_or_text.encode("utf-8", "surrogatepass")) > THEME_SIZE_LIMIT:
            raise ThemeError(f"{label}: over the {THEME_SIZE_LIMIT // 1024} KiB limit for a theme; refused")
        text = path_or_text
    else:
        label = path_or_text.name
        if name_hint is None:
            name_hint = label.rsplit(".", 1)[0]
        try:
            text = _read(path_or_text)
        except YamlProblem as exc:
            raise ThemeError(exc.render(label)) from None
    try:
        root = compose_yaml(text)
        if root is None:
            raise YamlProblem(None, "empty file")
        return _theme_from_node(root, name_hint)
    except YamlProblem as exc:
        raise ThemeError(exc.render(label)) from None


def _read(source: Path | _Readable) -> str:
    if isinstance(source, Path):
        return read_capped(source, THEME_SIZE_LIMIT)
    data = source.read_bytes()  # packaged themes: small, and ours
    if len(data) > THEME_SIZE_LIMIT:
        raise YamlProblem(None, f"over the {THEME_SIZE_LIMIT // 1024} KiB limit for a theme; refused")
    return decode_text(data)


def shipped_theme_files() -> list[_Readable]:
    folder = importlib.resources.files("netmaint_tui.themes")
    files = [item for item in folder.iterdir() if item.name.endswith(".yaml") and item.is_file()]
    # The default first, then by name: the order the theme picker shows.
    return sorted(files, key=lambda item: (item.name != f"{DEFAULT_THEME}.yaml", item.name))


def quick_theme(name: str, user_dir: Path | None = None) -> Theme | None:
    """The shipped theme `name` alone, or None when that is not enough: the name is not a shipped
    theme, or the user has theme files (one of them could replace it, or report a problem)."""
    source = next((item for item in shipped_theme_files() if item.name == f"{name}.yaml"), None)
    if source is None or _user_theme_files(paths.user_themes_dir() if user_dir is None else Path(user_dir), []):
        return None
    try:
        theme = load_theme_file(source)
    except ThemeError:
        return None  # the full load reports it
    return theme if theme.name == name else None


def load_all_themes(user_dir: Path | None = None) -> tuple[list[Theme], list[str]]:
    """(themes, problems): the shipped themes, then the user's; a user theme with a shipped name replaces it.

    user_dir None means the config folder's themes/ (NETMAINT_CONFIG moves it). A missing folder is fine.
    """
    problems: list[str] = []
    themes: dict[str, Theme] = {}
    for source in shipped_theme_files():
        try:
            theme = load_theme_file(source)
        except ThemeError as exc:
            problems.append(str(exc))
            continue
        themes[theme.name] = theme

    user_dir = paths.user_themes_dir() if user_dir is None else Path(user_dir)
    from_user: dict[str, str] = {}
    for path in _user_theme_files(user_dir, problems):
        try:
            theme = load_theme_file(path)
        except ThemeError as exc:
            problems.append(str(exc))
            continue
        if theme.name in from_user:
            problems.append(
                f"{path.name}: theme {shown(theme.name)} is also defined by {from_user[theme.name]}; using {path.name}"
            )
        from_user[theme.name] = path.name
        themes[theme.name] = theme  # same key keeps the shipped one's place in the order
    return list(themes.values()), problems


def _user_theme_files(folder: Path, problems: list[str]) -> list[Path]:
    try:
        if not folder.exists():
            return []
        if not folder.is_dir():
            problems.append(f"{folder.name}: not a folder; no user themes loaded")
            return []
        files = sorted(
            entry
            for entry in folder.iterdir()
            if entry.suffix.lower() in (".yaml", ".yml") and not entry.name.startswith(".")
        )
    except OSError as exc:
        problems.append(f"{folder.name}: cannot read it ({exc.strerror or exc}); no user themes loaded")
        return []
    if len(files) > MAX_USER_THEMES:
        problems.append(
            f"{folder.name}: {len(files)} theme files; only the first {MAX_USER_THEMES} by name are loaded"
        )
        files = files[:MAX_USER_THEMES]
    return files
