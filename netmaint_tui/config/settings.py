"""Every setting, declared once: its key in config.yaml, how its value is read (and its limits),
its default, and a line of help with an example.

From this table come the Settings object, the reading of config.yaml (config.reading), what
`netmaint config show` prints and how one setting is saved (config.saving), the commented
template `netmaint config edit` starts from, and the README's example (a test keeps it equal).
"""

from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass
from types import MappingProxyType
from typing import Any, Callable

from yaml.nodes import MappingNode, Node, ScalarNode

from netmaint_tui.config.values import (
    Place,
    Reader,
    Unusable,
    days_per_tier,
    email_addresses,
    file_path,
    key_bindings,
    one_of,
    plain,
    theme_name,
    weekday,
    weekday_name,
    whole_number,
)
from netmaint_tui.rules.schema import DEFAULT_CADENCE, MAX_CADENCE_DAYS, MAX_GOAL_MINUTES, MAX_GOAL_TOUCHES
from netmaint_tui.safe_yaml import kind_of, mapping_entries, node_line, scalar, shown

DEFAULT_THEME = "netmaint-dark"


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and scalar(node) is None


@dataclass(frozen=True)
class Setting:
    """One value: `key: value` in config.yaml, the field `key` of Settings (`<group>_<key>` in a group)."""

    key: str
    read: Reader
    default: Any
    help: str = ""  # one line, after the example in the docs and the template
    example: str = ""  # the value as YAML, for the docs (a group's part is shown in its group's)
    show: Callable[[Any], Any] = plain  # the value as `config show` writes it
    optional: bool = False  # `key:` with nothing after it keeps the default without a word

    def fields(self, prefix: str = "") -> list[tuple[str, Any]]:
        return [(prefix + self.key, self.default)]

    def read_node(self, node: Node, place: Place, prefix: str = "") -> dict[str, Any]:
        if self.optional and _is_null(node):
            return {prefix + self.key: self.default}
        return {prefix + self.key: self.read(node, place)}

    def shown(self, settings: Any, prefix: str = "") -> Any:
        return self.show(getattr(settings, prefix + self.key))


@dataclass(frozen=True)
class Group:
    """A mapping of settings (`goal: {touches: 5, minutes: 60}`): each part is a field of Settings
    named `<key>_<part>`. Left empty (`goal:`), every part keeps its default; a part left out or
    wrong keeps its own."""

    key: str
    parts: tuple[Setting, ...]
    help: str = ""
    example: str = ""
    fallback: str = "the defaults"  # what stands in when the value is not a mapping at all
    names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", tuple(part.key for part in self.parts))

    @property
    def default(self) -> dict[str, Any]:
        return {part.key: part.default for part in self.parts}

    def fields(self) -> list[tuple[str, Any]]:
        return [pair for part in self.parts for pair in part.fields(f"{self.key}_")]

    def read_node(self, node: Node, place: Place) -> dict[str, Any]:
        if _is_null(node):
            return {}
        if not isinstance(node, MappingNode):
            raise Unusable(node_line(node), f"{self.key} must be a mapping like {self.example}, "
                                            f"not {kind_of(node)}; using {self.fallback}")
        values: dict[str, Any] = {}
        parts = dict(zip(self.names, self.parts))
        for name, key_node, value_node in mapping_entries(node):
            part = parts.get(name)
            if part is None:
                place.problem(node_line(key_node), f"{self.key}: unknown key {shown(name)}; "
                                                   f"known keys: {', '.join(self.names)}")
                continue
            where = Place(f"{self.key}.{name}", part.default, place.base_dir, place.report)
            try:
                values.update(part.read_node(value_node, where, f"{self.key}_"))
            except Unusable as exc:
                place.problem(exc.line, exc.message)
        return values

    def shown(self, settings: Any) -> dict[str, Any]:
        return {part.key: part.shown(settings, f"{self.key}_") for part in self.parts}


Entry = Setting | Group

# In the order `config show`, the template and the README list them.
SETTINGS: tuple[Entry, ...] = (
    Setting(
        "theme", theme_name, DEFAULT_THEME, example=DEFAULT_THEME,
        help="or netmaint-light, netmaint-contrast, netmaint-amber, netmaint-forest, any Textual theme, or your own",
    ),
    Setting(
        "week_start", weekday, 0, show=weekday_name, example="monday",
        help="a day name (mon, sunday, ...) or 0-6 with 0 = Monday",
    ),
    Setting(
        "cadence_days", days_per_tier(MAX_CADENCE_DAYS), MappingProxyType(dict(DEFAULT_CADENCE)),
        example="{A: 30, B: 90, C: 180}", help="default days between touches, per tier",
    ),
    Group(
        "goal",
        (
            Setting("touches", whole_number(1, MAX_GOAL_TOUCHES, "no touches goal"), None, optional=True),
            Setting("minutes", whole_number(1, MAX_GOAL_MINUTES, "no minutes goal"), None, optional=True),
        ),
        example="{touches: 5, minutes: 60}", fallback="no goal",
        help="the weekly goal while the database has no goal history, in force from the week of your first touch",
    ),
    Setting(
        "keys", key_bindings, MappingProxyType({}), optional=True, example='{main.log: "L"}',
        help='rebind any action by its binding id (shown after each key in the help screen); "l,ctrl+l" for several keys',
    ),
    Setting(
        "data_file", file_path, None, optional=True, example="~/netmaint.db",
        help="the database; a relative path is beside config.yaml",
    ),
    Group(
        "sync",
        (
            Setting("contacts", file_path, None, optional=True),
            Setting("follow_ups", file_path, None, optional=True),
            Setting("journal", file_path, None, optional=True),
            Setting("archived", one_of("keep", "remove"), "keep", optional=True),
        ),
        example="{contacts: ~/contacts, follow_ups: ~/tasks, journal: ~/journal, archived: keep}",
        fallback="no syncing",
        help="folders netmaint sync keeps in step with the network (vdirs; any may be left out); an archived "
             "contact's card stays, marked (keep), or leaves the folder (remove)",
    ),
    Group(
        "me",
        (Setting("emails", email_addresses, (), optional=True),),
        example="{emails: [you@example.com, you@work.example]}", fallback="no addresses",
        help="every address you use: how a capture tells the meetings you had and the mail you sent",
    ),
)

KNOWN_KEYS: tuple[str, ...] = tuple(entry.key for entry in SETTINGS)
_BY_KEY = {entry.key: entry for entry in SETTINGS}


def entry(key: str) -> Entry:
    return _BY_KEY[key]


def settings_class(table: tuple[Entry, ...]) -> type:
    """A frozen dataclass with one field per value of `table`, each defaulting to its default."""
    fields = [(name, Any, field(default_factory=lambda value=default: value))
              for item in table for name, default in item.fields()]
    return make_dataclass("Settings", fields, frozen=True)


Settings = settings_class(SETTINGS)
Settings.__module__ = __name__
Settings.__doc__ = "netmaint's preferences, one field per value of the SETTINGS table."


def plain_settings(settings: Any, table: tuple[Entry, ...] = SETTINGS) -> dict[str, Any]:
    """The settings as config.yaml writes them, key by key (what `config show` prints)."""
    return {item.key: item.shown(settings) for item in table}


def example_text(table: tuple[Entry, ...] = SETTINGS) -> str:
    """Every setting with an example value and its help, one line each: the README's example and
    the template's lines. It is valid YAML, read back without a problem (a test checks it)."""
    lines = [(f"{item.key}: {item.example}", item.help) for item in table]
    width = max(len(line) for line, _ in lines) + 3
    return "".join(f"{line:<{width}}# {help}\n" for line, help in lines)
