"""How one setting's value is read from its YAML node: the readers the settings table names.

A reader returns the value, or raises Unusable (one line saying what is wrong and what stands
in) and the setting keeps its default. A reader of a mapping reports each entry it leaves out
with `place.problem` and keeps the rest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from netmaint_tui.rules.capture import fold_email
from netmaint_tui.rules.vocabulary import TIERS
from netmaint_tui.safe_yaml import YamlProblem, check_tag, kind_of, mapping_entries, node_line, scalar, shown

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Unusable(YamlProblem):
    """The whole value cannot be used; the message says what stands in for it."""


@dataclass(frozen=True)
class Place:
    """Where a value is read: its name in a problem ("goal.touches"), its default, the folder of
    the file (a relative path is taken from there) and where a left-out entry is reported."""

    name: str
    default: Any
    base_dir: Path
    report: Callable[[int | None, str], None]

    def problem(self, line: int | None, message: str) -> None:
        self.report(line, message)


Reader = Callable[[Node, Place], Any]


def _whole(node: Node, low: int, high: int) -> int | None:
    if not isinstance(node, ScalarNode):
        return None
    value = scalar(node)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def text(node: Node, place: Place) -> str:
    value = scalar(node) if isinstance(node, ScalarNode) else node
    if isinstance(value, str) and not value.strip():
        raise Unusable(node_line(node), f"{place.name} is empty; using the default")
    if not isinstance(value, str):
        raise Unusable(node_line(node), f"{place.name} must be text, not {kind_of(node)}; using the default")
    return value.strip()


def theme_name(node: Node, place: Place) -> str:
    value = text(node, place)
    if len(value) > 64 or not value.isprintable():
        raise Unusable(node_line(node), f"{place.name} {shown(value)} is not a theme name; using {place.default}")
    return value


def file_path(node: Node, place: Place) -> str:
    """A path; a relative one is taken from the config file's folder, not from wherever netmaint
    happens to be started."""
    value = text(node, place)
    if "\0" in value:
        raise Unusable(node_line(node), f"{place.name} is not a usable path; using the default")
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else place.base_dir / path)


def weekday(node: Node, place: Place) -> int:
    value = parse_weekday(scalar(node) if isinstance(node, ScalarNode) else None)
    if value is None:
        raise Unusable(node_line(node), f"{place.name} must be a weekday name or 0-6; using {WEEKDAYS[place.default]}")
    return value


def weekday_name(value: int) -> str:
    return WEEKDAYS[value]


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


def whole_number(low: int, high: int, fallback: str) -> Reader:
    """A whole number from `low` to `high`; `fallback` says what stands in for a wrong one."""

    def read(node: Node, place: Place) -> int:
        number = _whole(node, low, high)
        if number is None:
            raise Unusable(node_line(node), f"{place.name} must be a whole number from {low} to {high} "
                                            f"(or null for none); using {fallback}")
        return number

    return read


def one_of(*choices: str) -> Reader:
    """One of a few words (any case)."""

    def read(node: Node, place: Place) -> str:
        value = scalar(node) if isinstance(node, ScalarNode) else None
        word = value.strip().lower() if isinstance(value, str) else None
        if word not in choices:
            raise Unusable(node_line(node), f"{place.name} must be {' or '.join(choices)}, not {shown(value)}; "
                                            f"using {place.default}")
        return word

    return read


def days_per_tier(high: int) -> Reader:
    """{A: 30, B: 90, C: 180}: each tier given is from 1 to `high` days; the others keep their default."""

    def read(node: Node, place: Place) -> Mapping[str, int]:
        if not isinstance(node, MappingNode):
            raise Unusable(node_line(node), f"{place.name} must be a mapping like {{A: 30, B: 90, C: 180}}, "
                                            f"not {kind_of(node)}; using the defaults")
        days_of = dict(place.default)
        for key, key_node, value_node in mapping_entries(node):
            tier = key.strip().upper()
            if tier not in TIERS:
                place.problem(node_line(key_node), f"{place.name}: unknown tier {shown(key)}; tiers are A, B, C")
                continue
            days = _whole(value_node, 1, high)
            if days is None:
                place.problem(node_line(value_node), f"{place.name}.{tier} must be a whole number of days from 1 to "
                                                     f"{high}; using {place.default[tier]}")
                continue
            days_of[tier] = days
        return MappingProxyType(days_of)

    return read


def email_addresses(node: Node, place: Place) -> tuple[str, ...]:
    """A list of email addresses (one alone may be written without brackets), as typed; an entry
    that is no address is left out with its line."""
    items = node.value if isinstance(node, SequenceNode) else [node]
    if not all(isinstance(item, ScalarNode) for item in items):
        raise Unusable(node_line(node), f"{place.name} must be a list of addresses like [you@example.com], "
                                        f"not {kind_of(node)}; using none")
    found: list[str] = []
    for item in items:
        value = scalar(item)
        if isinstance(value, str) and fold_email(value) and "@" in value:
            if value.strip() not in found:
                found.append(value.strip())
            continue
        place.problem(node_line(item), f"{place.name}: {shown(value)} is not an email address; left out")
    return tuple(found)


_BINDING_ID = re.compile(r"^[A-Za-z_][\w.\-]{0,63}$")
_KEY_NAME = re.compile(r"^[^\s,]{1,40}$")


def key_bindings(node: Node, place: Place) -> Mapping[str, str]:
    """{binding id: keys}; an entry that is not one is left out and keeps its default keys."""
    if not isinstance(node, MappingNode):
        raise Unusable(node_line(node), f'{place.name} must be a mapping of binding id to keys, like '
                                        f'{{log_touch: "ctrl+l"}}, not {kind_of(node)}; using the default keys')
    keys: dict[str, str] = {}
    for binding_id, key_node, value_node in mapping_entries(node):
        if not _BINDING_ID.match(binding_id):
            place.problem(node_line(key_node), f"{place.name}: {shown(binding_id)} is not a binding id")
            continue
        combo = parse_key_list(value_node)
        if combo is None:
            place.problem(node_line(value_node), f'{place.name}.{binding_id} must be keys like "ctrl+l" or '
                                                 '"l,ctrl+l"; keeping its default keys')
            continue
        keys[binding_id] = combo
    return MappingProxyType(keys)


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


def plain(value: Any) -> Any:
    """A value as plain YAML writes it: mappings as dicts, sequences as lists."""
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value
