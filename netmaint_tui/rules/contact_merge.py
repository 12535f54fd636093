"""Two contacts made one: what the kept contact holds afterwards.

Emails, phones, tags and anniversaries are united. A field the kept contact leaves empty takes the other's
value; a field both fill differently keeps the kept contact's, and the other value is written
into the notes, under a line naming whom it came from, so nothing either held is lost. The notes
of both are kept. Being snoozed or archived is the kept contact's state, not data to take over.

Contacts are dicts of the fields of rules.schema (lists as lists).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from netmaint_tui.rules import schema
from netmaint_tui.rules.occasions import shown_stored

LISTS = ("emails", "phones", "tags")
# The other's value fills these in when the kept contact has none, else goes into the notes.
FILLED = ("company", "role", "linkedin_url", "location", "how_met", "tier", "cadence_days", "birthday",
          "connected_on")
STATE = ("snoozed_until", "archived")  # the kept contact's, whatever the other's


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def shown_date(date: dict) -> str:
    """An anniversary as a preview lists it: 'met 12 Jun 2015'."""
    return f"{date['label']} {shown_stored(date['date'])}"


def _shown(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


@dataclass
class MergePlan:
    values: dict[str, Any]  # the kept contact's fields afterwards (only those that change)
    taken: list[str] = field(default_factory=list)  # fields filled in from the other
    noted: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, kept value, other value)
    united: dict[str, list[str]] = field(default_factory=dict)  # list field -> values the other adds
    keep_source_id: bool = True  # False: the kept contact takes the other's source and source id


def plan_merge(keep: dict, other: dict, day: str) -> MergePlan:
    """What merging `other` into `keep` changes in `keep`; `day` (ISO date) heads the note."""
    values: dict[str, Any] = {}
    plan = MergePlan(values)
    for key in LISTS:
        merged = schema.merge_lists(list(keep.get(key) or []), list(other.get(key) or []), key)
        if merged != list(keep.get(key) or []):
            values[key] = merged
            plan.united[key] = merged[len(keep.get(key) or []):]
    # Anniversaries as an import unites them: a label on the same day is one date.
    dates = schema.merge_dates(list(keep.get("dates") or []), list(other.get("dates") or []))
    if dates != list(keep.get("dates") or []):
        values["dates"] = dates
        plan.united["dates"] = [shown_date(d) for d in dates[len(keep.get("dates") or []):]]
    for key in FILLED:
        mine, theirs = keep.get(key), other.get(key)
        if _empty(theirs) or theirs == mine:
            continue
        if _empty(mine):
            values[key] = theirs
            plan.taken.append(key)
        else:
            plan.noted.append((key, mine, theirs))
    if other.get("name") and other["name"] != keep.get("name"):
        plan.noted.insert(0, ("name", keep.get("name"), other["name"]))
    if not keep.get("source_id") and other.get("source_id"):
        values["source"], values["source_id"] = other.get("source"), other["source_id"]
        plan.keep_source_id = False
    lines = [f"{schema.label(key)}: {_shown(theirs)}" for key, _, theirs in plan.noted]
    their_notes = (other.get("notes") or "").strip()
    if lines or their_notes:
        head = f"Merged with {other.get('name') or 'another contact'} on {day}"
        block = head + (": " + "; ".join(lines) if lines else "")
        if their_notes:
            block += "\n" + their_notes
        mine = (keep.get("notes") or "").rstrip()
        values["notes"] = f"{mine}\n\n{block}" if mine else block
    return plan
