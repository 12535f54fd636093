"""What a sync does with one item that netmaint and a synced folder both know, and how a run is
summed up. Pure: the service (services.sync) reads both sides and applies what this decides.

An item changed on one side only takes that side. Changed on both, the fields are merged as an
edit made underneath a form is (rules.merge): a field changed on one side takes that side's
value; the same field changed on both keeps netmaint's value, and the other is noted in the
history of the contact it concerns ("the card said phones: …"), so nothing typed anywhere is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from netmaint_tui.rules.merge import Conflict, merge_fields
from netmaint_tui.rules.schema import LIST_FIELDS, label, merge_lists
from netmaint_tui.rules.vocabulary import plural

FOLDERS = ("contacts", "follow_ups", "journal")  # as the config and the command line name them
FOLDER_WORDS = {"contacts": "contacts", "follow_ups": "follow-ups", "journal": "journal"}


def folder_changes(file_values: dict[str, Any], base_as_file: dict[str, Any]) -> dict[str, Any]:
    """The fields the folder changed: those whose value in the file differs from what the file
    said at the last sync. A field the file does not carry is no change."""
    return {key: value for key, value in file_values.items() if base_as_file.get(key) != value}


@dataclass
class Settled:
    values: dict[str, Any]  # what both sides hold after the run
    conflicts: dict[str, Conflict] = field(default_factory=dict)


def settle(base: dict[str, Any], ours: dict[str, Any], theirs_changes: dict[str, Any]) -> Settled:
    """Both sides changed since `base`: netmaint's values `ours`, the folder's changed fields
    `theirs_changes`. A conflicting field keeps ours."""
    merged = merge_fields(base, ours, {**base, **theirs_changes})
    return Settled(merged.taking("ours"), dict(merged.conflicts))


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def first_meeting(ours: dict[str, Any], theirs: dict[str, Any]) -> Settled:
    """The same person on both sides with no sync between (a card matched to a contact netmaint
    already had): what one side lacks is taken from the other, emails, phones and tags are
    joined, and where both hold a different value netmaint's is kept (a conflict), but for
    archived: active on either side is active."""
    values = dict(ours)
    conflicts: dict[str, Conflict] = {}
    for key, value in theirs.items():
        mine = ours.get(key)
        if value == mine or _empty(value):
            continue
        if key == "archived":
            # Kept active on one side (brought back after its card was removed, or never archived
            # there): a contact someone keeps is not hidden; archiving is taken back, never lost.
            values[key] = False
            continue
        if _empty(mine):
            values[key] = value
        elif key in LIST_FIELDS and isinstance(mine, list):
            joined = merge_lists(mine, value, key)
            values[key] = sorted(joined) if key == "tags" else joined
        else:
            conflicts[key] = Conflict(None, mine, value)
    return Settled(values, conflicts)


def shown_value(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "(nothing)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def conflict_lines(conflicts: dict[str, Conflict], where: str, shown=None) -> list[str]:
    """What the folder said where netmaint's value was kept, a line per field, for the history
    of the contact it concerns: `the card said phones: +1 555 0100 (kept: +1 555 0199)`.
    `shown(key, value)` gives a value as the user knows it, where the stored form is not."""
    show = shown or (lambda key, value: shown_value(value))
    return [f"{where} said {label(key)}: {show(key, c.theirs)} (kept: {show(key, c.ours)})"
            for key, c in conflicts.items()]


@dataclass
class FolderCount:
    came_in: int = 0  # netmaint records made or changed from the folder
    went_out: int = 0  # files written or removed
    conflicts: int = 0
    unreadable: int = 0
    matched: int = 0  # items new to the folder found to be ones netmaint had (a contact imported before)

    def as_json(self) -> dict:
        return {"in": self.came_in, "out": self.went_out, "conflicts": self.conflicts, "unreadable": self.unreadable,
                "matched": self.matched}


def summary_line(counts: dict[str, FolderCount], dry_run: bool = False) -> str:
    """`synced: contacts 3 in, 5 out, 2 matched; follow-ups 1 in, 2 out; journal 40 out; 1 conflict kept`."""
    parts = []
    for name, count in counts.items():
        moves = [f"{n} {word}" for n, word in ((count.came_in, "in"), (count.went_out, "out"),
                                                (count.matched, "matched")) if n]
        parts.append(f"{FOLDER_WORDS[name]} {', '.join(moves) if moves else 'unchanged'}")
    conflicts = sum(c.conflicts for c in counts.values())
    if conflicts:
        parts.append(f"{plural(conflicts, 'conflict')} kept")
    unreadable = sum(c.unreadable for c in counts.values())
    if unreadable:
        parts.append(f"{plural(unreadable, 'file')} left unread")
    head = "dry run, nothing written: would sync:" if dry_run else "synced:"
    return f"{head} {'; '.join(parts)}"
