"""Reading everything out for export: the stable netmaint document, and what a calendar needs.

The document's shape is public (PRODUCT.md, "Stable JSON"): keys may be added, never renamed.
Times are UTC ISO 8601 with a `Z`; dates are `YYYY-MM-DD`; ids are the database's own, so
touches and follow-ups name their contacts by `id`, and a restore keeps them. A contact, touch,
follow-up, goal and pause also has its `uid`: who it is in a synced folder (its card's, task's or
journal entry's UID), so a restored database syncs with the same folders without adding it twice.
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from netmaint_tui.io.json_io import FORMAT, VERSION
from netmaint_tui.rules.schema import CONTACT_FIELDS
from netmaint_tui.services.common import Context, UnreadableValue, from_db, local_time
from netmaint_tui.services.due import contact_due_day
from netmaint_tui.services.occasions import all_dates, occasions
from netmaint_tui.store.models import database
from netmaint_tui.store.rows import from_row


_STORED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{6})?")


def utc_text(value) -> str | None:
    """Stored naive UTC ('YYYY-MM-DD HH:MM:SS[.ffffff]') -> 'YYYY-MM-DDTHH:MM:SS[.ffffff]Z'."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat() + "Z"
    if isinstance(value, str) and _STORED.fullmatch(value) and not value.endswith(".000000"):
        # As stored (nearly every value): checked to be a real time, spelled without parsing it back.
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            raise UnreadableValue(value, "a time") from None
        return f"{value[:10]}T{value[11:]}Z"
    try:
        return dt.datetime.fromisoformat(str(value)).replace(tzinfo=None).isoformat() + "Z"
    except ValueError:
        raise UnreadableValue(value, "a time") from None


def day_text(value) -> str | None:
    if value is None or value == "":
        return None
    return str(value)[:10]


def _rows(sql: str, params=()) -> list[dict]:
    return list(_iter_rows(sql, params))


def _iter_rows(sql: str, params=()) -> Iterator[dict]:
    """Rows as they are read: an export holds one at a time, whatever the network's size."""
    cursor = database.execute_sql(sql, params)
    names = [d[0] for d in cursor.description]
    for values in cursor:
        yield dict(zip(names, values))


def export_contacts() -> list[dict]:
    return list(iter_contacts())


def iter_contacts() -> Iterator[dict]:
    """Every contact in the stable shape: its id, each field of rules.schema in order, the
    stamps, and the time of its last touch (derived from the touches; ignored on import)."""
    tags: dict[int, list[str]] = {}
    for cid, name in database.execute_sql(
        "SELECT ct.contact_id, t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id ORDER BY t.name, t.id"
    ).fetchall():
        tags.setdefault(cid, []).append(name)
    dates = all_dates()
    for r in _iter_rows("SELECT * FROM contact ORDER BY id"):
        values = from_row(r)
        values["tags"] = tags.get(r["id"], [])
        values["dates"] = dates.get(r["id"], [])
        yield {
            "id": r["id"],
            "uid": r["uid"],
            **{f.key: values[f.key] for f in CONTACT_FIELDS},
            "created_at": utc_text(r["created_at"]),
            "updated_at": utc_text(r["updated_at"]),
            "last_touch_at": utc_text(r["last_touch_at"]),
            "last_heard_at": utc_text(r["last_heard_at"]),  # when they last wrote (a captured mail)
        }


def iter_touches() -> Iterator[dict]:
    # The touches and their links, both read in touch order and walked side by side: no map of
    # 300,000 touches' members is held.
    links = database.execute_sql("SELECT touch_id, contact_id FROM touch_contact ORDER BY touch_id, contact_id")
    link = next(links, None)
    for tid, uid, at, channel, kind, minutes, note, created_at, source, source_id in database.execute_sql(
        "SELECT id, uid, at, channel, kind, minutes, note, created_at, source, source_id FROM touch ORDER BY id"
    ):
        members = []
        while link is not None and link[0] <= tid:
            if link[0] == tid:
                members.append(link[1])
            link = next(links, None)
        yield {
            "id": tid,
            "uid": uid,
            "at": utc_text(at),
            "channel": channel,
            "kind": kind,
            "minutes": minutes,
            "contacts": members,
            "note": note,
            "created_at": utc_text(created_at),
            "source": source,  # 'calendar' or 'mail' for a captured touch, None for one typed
            "source_id": source_id,
        }


def iter_follow_ups() -> Iterator[dict]:
    for r in _iter_rows("SELECT * FROM follow_up ORDER BY id"):
        yield {
            "id": r["id"],
            "uid": r["uid"],
            "what": r["what"],
            "due": utc_text(r["due"]),
            "status": r["status"],
            "suggested_by": r["suggested_by_id"],
            "about": r["about_id"],
            "about_text": r["about_text"],
            "touch": r["touch_id"],
            "created_at": utc_text(r["created_at"]),
            "closed_at": utc_text(r["closed_at"]),
        }


def iter_goals() -> Iterator[dict]:
    for r in _iter_rows("SELECT * FROM goal ORDER BY id"):
        yield {"id": r["id"], "uid": r["uid"], "from_date": day_text(r["from_date"]), "touches": r["touches"],
               "minutes": r["minutes"], "created_at": utc_text(r["created_at"])}


def iter_pauses() -> Iterator[dict]:
    for r in _iter_rows("SELECT * FROM pause ORDER BY id"):
        yield {"id": r["id"], "uid": r["uid"], "start": day_text(r["start"]), "end": day_text(r["end"]), "reason": r["reason"],
               "created_at": utc_text(r["created_at"])}


def iter_captured_items() -> Iterator[dict]:
    """What captures have read, so that a restored database captures nothing twice, nor a deleted
    touch again."""
    for r in _iter_rows("SELECT * FROM captured_item ORDER BY id"):
        yield {"id": r["id"], "source": r["source"], "source_id": r["source_id"], "touch": r["touch_id"],
               "outcome": r["outcome"], "group_key": r["group_key"], "at": utc_text(r["at"]),
               "captured_at": utc_text(r["captured_at"])}


def iter_correspondents() -> Iterator[dict]:
    """The addresses captures met that are nobody's yet: the people worth adding."""
    for r in _iter_rows("SELECT * FROM correspondent ORDER BY id"):
        yield {"id": r["id"], "email": r["email"], "name": r["name"], "times": r["times"],
               "first_at": utc_text(r["first_at"]), "last_at": utc_text(r["last_at"])}


def iter_contact_aliases() -> Iterator[dict]:
    """The source ids of contacts merged into another: without them the next import of that
    source would add the merged-away person again."""
    for r in _iter_rows("SELECT * FROM contact_alias ORDER BY id"):
        yield {"id": r["id"], "contact": r["contact_id"], "source": r["source"], "source_id": r["source_id"]}


def iter_not_duplicates() -> Iterator[dict]:
    """The pairs the user said are two people (`first` the smaller id), kept out of the duplicates."""
    for r in _iter_rows("SELECT * FROM not_duplicate ORDER BY id"):
        yield {"id": r["id"], "first": r["first_id"], "second": r["second_id"],
               "created_at": utc_text(r["created_at"])}


def iter_history_notes() -> Iterator[dict]:
    """The lines of a contact's or a follow-up's history that a sync kept: what was typed elsewhere."""
    for r in _iter_rows("SELECT * FROM history_note ORDER BY id"):
        yield {"id": r["id"], "contact": r["contact_id"], "follow_up": r["follow_up_id"], "at": utc_text(r["at"]),
               "source": r["source"], "text": r["text"]}


# Every table of the user's data has its section (tests/io/test_export.py compares a restore
# with its source table by table). Left out on purpose: deleted_touch, the 30-day trash of deleted
# touches: an undo kept for a while, not data: its payload names rows by their numbers in this
# database, which an import into a database with data renumbers, and a touch the user deleted is
# not brought into another database. `netmaint backup` (a copy of the file) keeps it.
_SECTIONS = (("contacts", iter_contacts), ("touches", iter_touches), ("follow_ups", iter_follow_ups),
             ("goals", iter_goals), ("pauses", iter_pauses), ("captured_items", iter_captured_items),
             ("correspondents", iter_correspondents), ("contact_aliases", iter_contact_aliases),
             ("not_duplicates", iter_not_duplicates), ("history_notes", iter_history_notes))


class Counted:
    """A section's items passed on as they are read, counted on the way."""

    def __init__(self, items: Iterator[dict]):
        self.items = items
        self.count = 0

    def __iter__(self) -> Iterator[dict]:
        for item in self.items:
            self.count += 1
            yield item


@contextmanager
def streamed_snapshot(ctx: Context | None = None) -> Iterator[dict]:
    """The export's document with each section a Counted stream of its items, read while the
    block runs, in one transaction: a touch logged meanwhile in the app is either wholly in the
    export or not at all. DEFERRED: a read needs no write lock, so an export never waits for (or
    holds up) a writer."""
    with database.atomic("DEFERRED"):
        yield {"format": FORMAT, "version": VERSION,
               **{name: Counted(read()) for name, read in _SECTIONS}}


def snapshot(ctx: Context | None = None) -> dict:
    """Everything the user owns, in the stable export shape, read whole (streamed_snapshot
    reads it as it is written)."""
    with database.atomic("DEFERRED"):
        return {"format": FORMAT, "version": VERSION, **{name: list(read()) for name, read in _SECTIONS}}


# --- for a calendar ---------------------------------------------------------------------------


@dataclass
class CalendarFollowUp:
    id: int
    what: str
    due: dt.datetime  # aware UTC
    suggested_by: str | None
    about: str | None
    about_text: str


@dataclass
class CalendarContact:
    id: int
    name: str
    company: str
    tier: str
    source: str
    source_id: str | None
    due: dt.date
    last_touch: dt.datetime | None  # aware, local


@dataclass
class CalendarDate:
    contact_id: int
    name: str
    what: str  # "birthday" or the anniversary's label
    date: str  # as stored: 'YYYY-MM-DD' or '--MM-DD'
    key: str  # which of the contact's dates it is, the same from one export to the next


def open_follow_ups() -> list[CalendarFollowUp]:
    rows = _rows(
        """SELECT f.id, f.what, f.due, f.about_text, s.name AS suggested_by, a.name AS about
           FROM follow_up f LEFT JOIN contact s ON s.id = f.suggested_by_id
           LEFT JOIN contact a ON a.id = f.about_id
           WHERE f.status = 'open' ORDER BY f.due, f.id"""
    )
    return [
        CalendarFollowUp(r["id"], r["what"], from_db(r["due"]), r["suggested_by"], r["about"], r["about_text"] or "")
        for r in rows
    ]


def contacts_due_within(ctx: Context, days: int = 30) -> list[CalendarContact]:
    """Active contacts whose due day falls from today to `days` ahead: the due list's day
    (services.due.contact_due_day), so the calendar and `due` never disagree."""
    today = ctx.today()
    rows = _rows(
        """SELECT id, name, company, tier, source, source_id, cadence_days, last_touch_at, created_at, birthday
           FROM contact WHERE archived = 0 AND (snoozed_until IS NULL OR snoozed_until <= ?) ORDER BY id""",
        (today.isoformat(),),
    )
    dates = all_dates()
    out = []
    for r in rows:
        cadence = r["cadence_days"] if r["cadence_days"] is not None else ctx.cadence_for(r["tier"])
        due = contact_due_day(ctx, r["last_touch_at"], r["created_at"], cadence,
                              occasions(r["birthday"], dates.get(r["id"], [])))
        if 0 <= (due - today).days <= days:
            out.append(CalendarContact(r["id"], r["name"], r["company"], r["tier"], r["source"], r["source_id"],
                                       due, local_time(r["last_touch_at"], ctx.clock.tz)))
    out.sort(key=lambda c: (c.due, c.name.casefold(), c.id))
    return out


def yearly_dates() -> list[CalendarDate]:
    """Every birthday and anniversary of a contact who is not archived (a snooze is for a while,
    a yearly event is for good), by contact. Each has a key of its own: 'birthday', or 'date-'
    and a digest of its label, so an anniversary moved to another day keeps its calendar event
    (a second date of the same label gets '-2')."""
    import hashlib

    anniversaries = all_dates()
    out = []
    for r in _rows("SELECT id, name, birthday FROM contact WHERE archived = 0 ORDER BY id"):
        if r["birthday"]:
            out.append(CalendarDate(r["id"], r["name"], "birthday", r["birthday"], "birthday"))
        seen: dict[str, int] = {}
        for d in anniversaries.get(r["id"], []):
            digest = hashlib.sha1(d["label"].casefold().encode("utf-8")).hexdigest()[:10]
            seen[digest] = seen.get(digest, 0) + 1
            key = f"date-{digest}" + (f"-{seen[digest]}" if seen[digest] > 1 else "")
            out.append(CalendarDate(r["id"], r["name"], d["label"], d["date"], key))
    return out
