"""Two changes to one record since a common start: which values to keep, and which collide.

The same rule decides a form saved over a contact that another netmaint changed meanwhile, and a
record changed both here and in a synced folder: a field changed on one side only takes that
side's value; changed on both sides to the same value, it is that value; changed on both sides to
different values, it is a conflict, and nothing decides it silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Conflict:
    base: Any  # the value both sides started from
    ours: Any
    theirs: Any


@dataclass
class Merge:
    # Every field either side holds, as the merge leaves it; a conflicting field keeps ours here
    # until the conflict is settled.
    values: dict[str, Any] = field(default_factory=dict)
    conflicts: dict[str, Conflict] = field(default_factory=dict)

    def taking(self, side: str) -> dict[str, Any]:
        """The values with every conflict settled for one side: "ours" or "theirs"."""
        out = dict(self.values)
        for key, conflict in self.conflicts.items():
            out[key] = conflict.ours if side == "ours" else conflict.theirs
        return out


def merge_fields(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]) -> Merge:
    """Three-way merge, field by field. A key missing from one side counts as unchanged there."""
    result = Merge()
    for key in dict.fromkeys([*base, *ours, *theirs]):
        start = base.get(key)
        mine = ours.get(key, start)
        other = theirs.get(key, start)
        if mine == other or other == start:
            result.values[key] = mine
        elif mine == start:
            result.values[key] = other
        else:
            result.values[key] = mine
            result.conflicts[key] = Conflict(start, mine, other)
    return result
