"""What a sync does with one item that netmaint and a synced folder both know, and how a run is
summed up. Pure: the service (services.sync) reads both sides and applies what this decides.

An item changed on one side only takes that side. Changed on both, the fields are merged as an
edit made underneath a form is (rules.merge): a field changed on one side takes that side's
value; the same field changed on both keeps netmaint's value, and the other is noted in the
history of the contact it concerns ("the card said phones: …"), so nothing typed anywhere is lost.
A contact's anniversaries changed on both sides are merged as a list: each side's additions and
removals are taken.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from netmaint_tui.rules.contact_merge import shown_date
from netmaint_tui.rules.merge import Conflict, merge_fields
from netmaint_tui.rules.occasions import shown_stored
from netmaint_tui.rules.schema import LIST_FIELDS, label, list_key, merge_dates, merge_lists
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
    values, conflicts = merged.taking("ours"), dict(merged.conflicts)
    if "dates" in conflicts:
        c = conflicts.pop("dates")
        values["dates"] = merge_changed_dates(c.base or [], c.ours or [], c.theirs or [])
    for key in [k for k in conflicts if k in SET_FIELDS]:
        c = conflicts.pop(key)
        values[key] = merge_changed_set(key, c.base or [], c.ours or [], c.theirs or [])
    return Settled(values, conflicts)


# Memberships: a tag (or a person of a touch) added on one side and another on the other side are
# both kept, as anniversaries are; never a conflict that drops one side's addition. A phone or an
# email changed on both sides stays a conflict: one of the two numbers is likely wrong, and the
# other is noted, not mixed in.
SET_FIELDS = ("tags", "contacts")


def merge_changed_set(key: str, base: list[str], ours: list[str], theirs: list[str]) -> list[str]:
    """netmaint's entries, less those the folder took out, with those the folder added."""
    same = list_key(key)
    before, there = {same(v) for v in base}, {same(v) for v in theirs}
    kept = [v for v in ours if same(v) in there or same(v) not in before]
    joined = merge_lists(kept, [v for v in theirs if same(v) not in before], key)
    return sorted(joined)


def settle_changed(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any],
                   base_as_file: dict[str, Any]) -> Settled:
    """An item the folder changed since the last sync (`base`, which reads as `base_as_file` in
    the file): the folder's changed fields taken, or merged with netmaint's (settle). A field
    the last sync did not carry (one that travels since a newer netmaint, as anniversaries) is
    met for the first time: both sides' values joined (first_meeting)."""
    fresh = {key for key in theirs if key in ours and key not in base}
    changes = folder_changes({k: v for k, v in theirs.items() if k not in fresh}, base_as_file)
    settled = settle(base, ours, changes) if ours != base else Settled({**ours, **changes})
    if fresh:
        met = first_meeting({k: ours[k] for k in fresh}, {k: theirs[k] for k in fresh})
        settled.values.update(met.values)
        settled.conflicts.update(met.conflicts)
    return settled


def _date_key(date: dict) -> tuple[str, str]:
    return date["label"].casefold(), date["date"][-5:]  # one date, as schema.merge_dates has it


def merge_changed_dates(base: list[dict], ours: list[dict], theirs: list[dict]) -> list[dict]:
    """Anniversaries changed on both sides since `base`: netmaint's, less those the folder took
    out, with those the folder added or changed (a year given to one, say) united in."""
    before = {_date_key(d): d for d in base}
    theirs_keys = {_date_key(d) for d in theirs}
    kept = [d for d in ours if _date_key(d) in theirs_keys or _date_key(d) not in before]
    return merge_dates(kept, [d for d in theirs if before.get(_date_key(d)) != d])


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
        elif key == "dates" and isinstance(mine, list):
            values[key] = merge_dates(mine, value)  # a label on the same day is one date
        else:
            conflicts[key] = Conflict(None, mine, value)
    return Settled(values, conflicts)


def shown_value(value: Any, key: str = "") -> str:
    """A value as a conflict's line says it; a contact's dates as people read them."""
    if value is None or value == "" or value == []:
        return "(nothing)"
    if key == "dates" and isinstance(value, list):
        return ", ".join(shown_date(d) for d in value)
    if key == "birthday" and isinstance(value, str):
        return shown_stored(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def conflict_lines(conflicts: dict[str, Conflict], where: str, shown=None) -> list[str]:
    """What the folder said where netmaint's value was kept, a line per field, for the history
    of the contact it concerns: `the card said phones: +1 555 0100 (kept: +1 555 0199)`.
    `shown(key, value)` gives a value as the user knows it, where the stored form is not."""
    show = shown or (lambda key, value: shown_value(value, key))
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
