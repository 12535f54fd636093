"""Importing contacts (and whole netmaint exports) without ever duplicating anyone.

Matching, in this order: the source's own id (`source`, `source_id`), any email address, the
LinkedIn profile URL, then name + company (case and spacing ignored), and for a LinkedIn row with
neither URL nor email (exports before 2020) the name alone when one LinkedIn contact has it. Two
records whose LinkedIn URLs differ are never taken for the same person, even with the same name
and company.

Merging never loses what the user typed:
- lists (emails, phones, tags) are merged, never replaced;
- a field the file leaves empty never blanks the contact's value;
- the fields a source is the authority on are overwritten when the file has a different value
  (LinkedIn: company, position, connected on; address books: company and role; a netmaint
  export: everything), every other field is only filled in when the contact has none.
So importing the same file twice changes nothing, and "updated" is counted only when a value
really changed.

Everything runs in one transaction: a record that cannot be used is reported with its line and
skipped, but an unexpected failure (disk full, a crash) leaves the database as it was.
The work is a handful of queries whatever the file's size: the existing contacts are read once
into dicts, and rows go in through one prepared statement each.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from netmaint_tui.io.records import ImportIssue, ImportRecord
from netmaint_tui.rules import schema
from netmaint_tui.rules.dates import day_problem, instant_problem, moment_problem
from netmaint_tui.rules.links import normalize_linkedin_url
from netmaint_tui.rules.vocabulary import byte_size
from netmaint_tui.services.common import Context, InputError, from_db, loads_list, to_db
from netmaint_tui.services.touches import validate_touch
from netmaint_tui.store.models import database

Progress = Callable[[int, int], None]

DEFAULT_IMPORT_TIER = "C"  # a bulk import is mostly weak ties: they must not bury hand-picked contacts
# The largest file an import reads. LinkedIn stops at 30,000 connections (about 3 MB), Google
# Contacts at 25,000 contacts, and a 30,000-person network with three years of touches exports
# to under 100 MB; address books with photos are the largest, and fit many thousands of them.
MAX_FILE_BYTES = 256 * 1024 * 1024

SCALARS = (
    "name", "company", "role", "linkedin_url", "location", "how_met", "tier", "cadence_days",
    "birthday", "notes", "source", "source_id", "connected_on", "snoozed_until", "archived",
)
LISTS = ("emails", "phones", "tags")
COLUMNS = SCALARS + ("emails", "phones", "created_at", "updated_at")

# What each source is trusted to change on an existing contact (beyond filling blanks).
AUTHORITATIVE = {
    "linkedin": {"company", "role", "connected_on"},
    "vcard": {"company", "role"},
    "google": {"company", "role"},
    "json": set(SCALARS) - {"source", "source_id"},
}


@dataclass
class Change:
    """One record's fate, for a dry run's listing and the app's import screen."""

    action: str  # 'add' | 'update' | 'skip'
    line: int
    name: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # update: field -> (old, new)
    message: str = ""


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    issues: list[ImportIssue] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    dry_run: bool = False
    # A netmaint export also brings touches, follow-ups, goals and pauses.
    others: dict[str, Counts] = field(default_factory=dict)
    # Rows the file itself marks as not people (LinkedIn's removed members): not errors.
    left_out: dict[str, int] = field(default_factory=dict)
    backup: Any = None  # the automatic copy made before writing (a Path), if any

    def issue(self, line: int, message: str) -> None:
        self.issues.append(ImportIssue(line, message))

    def skip(self, line: int, name: str, message: str) -> None:
        self.skipped += 1
        self.issue(line, message)
        self.changes.append(Change("skip", line, name, message=message))


class _Ticker:
    """Reports progress about a hundred times, whatever the number of records."""

    def __init__(self, progress: Progress | None, total: int):
        self.progress, self.total = progress, total
        self.step = max(1, total // 100)

    def __call__(self, done: int) -> None:
        if self.progress is not None and (done % self.step == 0 or done == self.total):
            self.progress(done, self.total)


# --- normalizing ------------------------------------------------------------------------------

_email_key = schema.list_key("emails")


def _empty(value: Any) -> bool:
    return value is None or value == "" or value is False or value == []


def _name_key(name: str, company: str) -> str:
    # The same folding as records.identity_key (whitespace runs squeezed, case ignored),
    # written with str.split because it runs twice per record on 30,000-row files.
    return " ".join(name.split()).casefold() + "|" + " ".join(company.split()).casefold()


def _url_key(url: str) -> str:
    return normalize_linkedin_url(url).casefold() if url else ""


def _stored_time(value: Any) -> str | None:
    """An ISO 8601 moment as stored: naive UTC, 'YYYY-MM-DD HH:MM:SS[.ffffff]'. ValueError (the
    message says why) when it is not one, or lies outside the years netmaint keeps."""
    if value in (None, ""):
        return None
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{str(value)[:30]!r} is not an ISO 8601 date-time") from None
    problem = None
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
        except OverflowError:  # off the calendar in UTC: say it by the date as written
            problem = moment_problem(moment) or f"{str(value)[:30]!r} is out of range"
    problem = problem or instant_problem(moment)
    if problem:
        raise ValueError(problem)
    return moment.isoformat(sep=" ")


def _as_stored(value: Any) -> str | None:
    """A time read back from the database in the one text form the file's times are compared in
    (sqlite hands back text or datetimes): never refused, whatever an older version stored."""
    if value in (None, ""):
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=None).isoformat(sep=" ")


def _now_stored(ctx: Context) -> str:
    return to_db(ctx.now()).isoformat(sep=" ")


# --- the contacts already there ---------------------------------------------------------------


class ContactIndex:
    """Every contact's current values, and the maps records are matched through.

    Read once per import (two queries), then kept up to date as records are added or merged,
    so a file that names the same person twice adds them once.
    """

    def __init__(self) -> None:
        self.rows: dict[int, dict] = {}
        self.by_source: dict[tuple[str, str], list[int]] = {}
        self.by_email: dict[str, list[int]] = {}
        self.by_url: dict[str, list[int]] = {}
        self.by_name: dict[str, list[int]] = {}
        # LinkedIn contacts from before this import, by name alone, and the names that this
        # file's rows without URL or email carry more than once (see find).
        self.linkedin_by_name: dict[str, list[int]] = {}
        self.names_repeated: set[str] = set()
        self.url_of: dict[int, str] = {}
        self.tag_ids: dict[str, int] = {}

    @classmethod
    def load(cls) -> "ContactIndex":
        index = cls()
        cursor = database.execute_sql(f"SELECT id, {', '.join(COLUMNS)} FROM contact ORDER BY id")
        names = [d[0] for d in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(names, values))
            row["emails"] = loads_list(row["emails"]) if row["emails"] != "[]" else []
            row["phones"] = loads_list(row["phones"]) if row["phones"] != "[]" else []
            row["archived"] = bool(row["archived"])
            for key in ("connected_on", "snoozed_until"):
                row[key] = str(row[key]) if row[key] is not None else None
            row["tags"] = []
            index.rows[row["id"]] = row
        for cid, tag in database.execute_sql(
            "SELECT ct.contact_id, t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id ORDER BY t.name"
        ).fetchall():
            if cid in index.rows:
                index.rows[cid]["tags"].append(tag)
        index.tag_ids = dict(database.execute_sql("SELECT name, id FROM tag").fetchall())
        for cid, row in index.rows.items():
            index._index(cid, row)
            if row.get("source") == "linkedin":
                index.linkedin_by_name.setdefault(_name_key(row["name"], ""), []).append(cid)
        return index

    def _index(self, cid: int, row: dict) -> None:
        def put(mapping, key):
            if key:
                ids = mapping.setdefault(key, [])
                if cid not in ids:
                    ids.append(cid)

        if row.get("source_id"):
            put(self.by_source, (row.get("source") or "", row["source_id"]))
        for email in row.get("emails") or ():
            put(self.by_email, _email_key(email))
        url = _url_key(row.get("linkedin_url") or "")
        self.url_of[cid] = url
        put(self.by_url, url)
        put(self.by_name, _name_key(row["name"], row.get("company") or ""))

    def add(self, cid: int, row: dict) -> None:
        self.rows[cid] = row
        self._index(cid, row)

    def replace(self, cid: int, row: dict) -> None:
        # Old keys stay in the maps on purpose: last month's company still finds the person.
        self.rows[cid] = row
        self._index(cid, row)

    def find(self, item: dict, claimed: set[int] | None = None) -> tuple[int | None, str]:
        """(contact id, how it matched) or (None, '')."""
        url = _url_key(item.get("linkedin_url") or "")

        def pick(ids: list[int] | None, strong: bool) -> int | None:
            for cid in ids or ():
                if claimed is not None and cid in claimed:
                    continue
                other = self.url_of.get(cid)
                if not strong and url and other and url != other:
                    continue  # two LinkedIn profiles: two people
                return cid
            return None

        if item.get("source_id"):
            cid = pick(self.by_source.get((item.get("source") or "", item["source_id"])), True)
            if cid is not None:
                return cid, "source id"
        for email in item.get("emails") or ():
            cid = pick(self.by_email.get(_email_key(email)), False)
            if cid is not None:
                return cid, "email"
        if url:
            cid = pick(self.by_url.get(url), True)
            if cid is not None:
                return cid, "LinkedIn URL"
        cid = pick(self.by_name.get(_name_key(item["name"], item.get("company") or "")), False)
        if cid is not None:
            return cid, "name and company"
        if _name_only(item):
            # LinkedIn's exports before 2020 have no URL column, and most rows no email: someone
            # who changed jobs would come back as a second contact. The name alone is enough when
            # one LinkedIn contact had it before this import and the file names it once.
            key = _name_key(item["name"], "")
            ids = self.linkedin_by_name.get(key, [])
            if len(ids) == 1 and key not in self.names_repeated and (claimed is None or ids[0] not in claimed):
                return ids[0], "name (the one LinkedIn contact of that name)"
        return None, ""


# --- checking one incoming contact ------------------------------------------------------------


def _name_only(item: dict) -> bool:
    """A LinkedIn row with neither profile URL nor email: its name is all there is to match on."""
    return item.get("source") == "linkedin" and not item.get("linkedin_url") and not item.get("emails")


def _from_record(record: ImportRecord, source: str) -> dict:
    return {
        "name": record.name, "company": record.company, "role": record.role,
        "emails": list(record.emails), "phones": list(record.phones), "tags": list(record.tags),
        "linkedin_url": record.linkedin_url, "location": record.location, "birthday": record.birthday,
        "notes": record.notes, "source": record.source or source, "source_id": record.source_id or None,
        "connected_on": record.connected_on,
    }


def check_contact(item: dict, where: Callable[[str], tuple[int, str]], report: ImportReport,
                  typed: bool = False) -> dict | None:
    """The item with every value in its stored form (rules.schema: the limits the forms and
    `add` share), or None (reported) if it cannot be used.

    `where(message)` gives the (line, message) to report. A netmaint export (`typed`) is our own
    format: a value of the wrong type or beyond a limit leaves the whole contact out, named by
    its path (`contacts[3].archived: expected true or false; skipped`), as the form would refuse
    to save it. A contacts file from elsewhere loses only the value that cannot be used, while
    the rest of the contact still imports.
    """
    out: dict[str, Any] = {}
    lists = {}
    for key in schema.LIST_FIELDS:
        values = item.get(key)
        if not typed and values:
            values = _fit_list(key, [values] if isinstance(values, str) else list(values), where, report)
        lists[key] = values
    for field in schema.CONTACT_FIELDS:
        key = field.key
        value = lists[key] if key in lists else item.get(key)
        try:
            out[key] = schema.clean_value(key, value, typed=typed)
        except schema.FieldError as exc:
            if typed or key == "name":
                message = f".{key}: {exc.message}; skipped" if typed else f"{schema.label(key)} {exc.message}; skipped"
                line, message = where(message)
                report.skip(line, str(item.get("name") or "")[:40] if key != "name" else "", message)
                return None
            out[key] = schema.empty_value(key)
            report.issue(*where(f"{exc}; imported without it"))
    for key in ("created_at", "updated_at"):
        try:
            out[key] = _stored_time(item.get(key)) if item.get(key) else None
        except ValueError as exc:
            message = str(exc)
            if typed:
                line, message = where(f".{key}: {message}; skipped")
                report.skip(line, str(item.get("name") or "")[:40], message)
                return None
            report.issue(*where(f"{key.replace('_', ' ')} {message}; imported without it"))
            out[key] = None
    return out


def _fit_list(key: str, values: list, where, report: ImportReport) -> list[str]:
    """A contacts file's list cut to what a contact may hold, saying what was left out."""
    clean = [str(v).strip() for v in values if v is not None and str(v).strip()]
    too_long = [v for v in clean if len(v) > schema.MAX_LIST_ITEM]
    if too_long:
        report.issue(*where(f"{len(too_long)} of the {key} over {schema.MAX_LIST_ITEM} characters left out"))
        clean = [v for v in clean if len(v) <= schema.MAX_LIST_ITEM]
    clean = schema.merge_lists([], clean, key)
    if len(clean) > schema.MAX_LIST_ITEMS:
        report.issue(*where(f"only the first {schema.MAX_LIST_ITEMS} {key} kept"))
        clean = clean[:schema.MAX_LIST_ITEMS]
    return clean


# --- merging ----------------------------------------------------------------------------------


def merge(existing: dict, incoming: dict, source: str) -> dict[str, tuple[Any, Any]]:
    """The fields that change when `incoming` is merged into `existing`: field -> (old, new)."""
    trusted = AUTHORITATIVE.get(source, {"company", "role"})
    changes: dict[str, tuple[Any, Any]] = {}
    for key in SCALARS:
        if key in ("source", "source_id"):
            continue
        new = incoming.get(key)
        old = existing.get(key)
        if _empty(new) or new == old:
            continue
        if key in trusted or _empty(old):
            changes[key] = (old, new)
    if not existing.get("source_id") and incoming.get("source_id"):
        changes["source_id"] = (existing.get("source_id"), incoming["source_id"])
        if incoming.get("source") and incoming["source"] != existing.get("source"):
            changes["source"] = (existing.get("source"), incoming["source"])
    for key in LISTS:
        if not incoming.get(key):
            continue
        old_list = list(existing.get(key) or [])
        new_list = schema.merge_lists(old_list, incoming[key], key)
        if new_list != old_list:
            changes[key] = (old_list, new_list)
    return changes


# --- writing ----------------------------------------------------------------------------------


class _Writer:
    """Raw statements on the transaction's own connection: no per-row ORM objects.

    New contacts get their ids here (one more than the largest, as SQLite would) so they can go
    in a few thousand at a time through executemany; we hold the write lock, so nobody else
    can take those ids meanwhile.
    """

    BATCH = 5000
    INSERT = f"INSERT INTO contact (id, {', '.join(COLUMNS)}) VALUES ({', '.join('?' * (len(COLUMNS) + 1))})"

    def __init__(self, index: ContactIndex, dry_run: bool):
        self.index = index
        self.dry_run = dry_run
        self.fake_id = 0
        self.touch_ids: dict[int, int] = {}  # export's touch id -> stored id, for follow-ups
        self.cursor = None if dry_run else database.connection().cursor()
        self.next_id = max(index.rows, default=0) + 1
        if self.cursor is not None:
            self.next_id = max(self.next_id, self.cursor.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM contact").fetchone()[0])
        self.pending: list[list] = []
        self.pending_ids: set[int] = set()
        self.pending_tags: list[tuple[int, int]] = []

    def _fake(self) -> int:
        self.fake_id -= 1
        return self.fake_id

    def reserve(self, highest_id: int) -> None:
        """Ids up to `highest_id` are spoken for (a restore keeps the export's ids)."""
        self.next_id = max(self.next_id, highest_id + 1)

    def insert_contact(self, values: dict, contact_id: int | None = None) -> int:
        if self.dry_run:
            return contact_id if contact_id is not None else self._fake()
        if contact_id is None:
            contact_id = self.next_id
        self.next_id = max(self.next_id, contact_id + 1)
        row = [contact_id]
        for column in COLUMNS:
            value = values.get(column)
            if column in ("emails", "phones"):
                value = json.dumps(value, ensure_ascii=False) if value else "[]"
            elif column == "archived":
                value = 1 if value else 0
            row.append(value)
        self.pending.append(row)
        self.pending_ids.add(contact_id)
        for name in values.get("tags") or ():
            self.pending_tags.append((contact_id, self._tag_id(name)))
        if len(self.pending) >= self.BATCH:
            self.flush()
        return contact_id

    def flush(self) -> None:
        if self.pending:
            self.cursor.executemany(self.INSERT, self.pending)
            self.pending.clear()
            self.pending_ids.clear()
        if self.pending_tags:
            self.cursor.executemany(
                "INSERT OR IGNORE INTO contact_tag (contact_id, tag_id) VALUES (?, ?)", self.pending_tags
            )
            self.pending_tags.clear()

    def update_contact(self, cid: int, changes: dict[str, tuple[Any, Any]], now: str) -> None:
        if self.dry_run or cid < 0:
            return
        if cid in self.pending_ids:
            self.flush()
        sets, params = [], []
        for key, (_, new) in changes.items():
            if key == "tags":
                continue
            if key in ("emails", "phones"):
                new = json.dumps(new, ensure_ascii=False)
            elif key == "archived":
                new = 1 if new else 0
            sets.append(f"{key} = ?")
            params.append(new)
        sets.append("updated_at = ?")
        params.append(now)
        self.cursor.execute(f"UPDATE contact SET {', '.join(sets)} WHERE id = ?", params + [cid])
        if "tags" in changes:
            old, new = changes["tags"]
            for name in new:
                if name not in old:
                    self.cursor.execute(
                        "INSERT OR IGNORE INTO contact_tag (contact_id, tag_id) VALUES (?, ?)", (cid, self._tag_id(name))
                    )

    def _tag_id(self, name: str) -> int:
        tag_id = self.index.tag_ids.get(name)
        if tag_id is None:
            self.cursor.execute("INSERT INTO tag (name) VALUES (?)", (name,))
            tag_id = self.index.tag_ids[name] = self.cursor.lastrowid
        return tag_id


def _new_contact(item: dict, source: str, tier: str, now: str) -> dict:
    values = {k: item.get(k) for k in SCALARS + LISTS}
    values["tier"] = item.get("tier") or tier
    values["source"] = item.get("source") or source
    values["created_at"] = item.get("created_at") or now
    values["updated_at"] = item.get("updated_at") or values["created_at"]
    values["archived"] = bool(item.get("archived"))
    return values


def _upsert_contacts(
    ctx: Context,
    items: list[tuple[int, dict]],
    *,
    source: str,
    tier: str,
    writer: _Writer,
    report: ImportReport,
    where_of: Callable[[int], Callable[[str], tuple[int, str]]],
    tick: _Ticker,
    claim: bool = False,
    keep_ids: bool = False,
    typed: bool = False,
) -> dict[int, int]:
    """Match and write each item; returns item position -> contact id (for a netmaint export)."""
    index = writer.index
    now = _now_stored(ctx)
    seen: set[str] = set()
    for _, raw in items:
        if _name_only({"source": source, **raw}):
            key = _name_key(str(raw.get("name") or ""), "")
            (index.names_repeated if key in seen else seen).add(key)
    claimed: set[int] | None = set() if claim else None
    placed: dict[int, int] = {}
    for done, (position, raw) in enumerate(items, 1):
        where = where_of(position)
        item = check_contact(raw, where, report, typed=typed)
        line = where("")[0]
        if item is None:
            tick(done)
            continue
        item.setdefault("source", source)
        if not item.get("source"):
            item["source"] = source
        cid, _how = index.find(item, claimed)
        if cid is None:
            values = _new_contact(item, source, tier, now)
            wanted_id = raw.get("id") if keep_ids and isinstance(raw.get("id"), int) and raw.get("id") > 0 else None
            cid = writer.insert_contact(values, wanted_id)
            index.add(cid, dict(values))
            report.added += 1
            report.changes.append(Change("add", line, item["name"]))
        else:
            existing = index.rows[cid]
            changes = merge(existing, item, source)
            if changes:
                writer.update_contact(cid, changes, now)
                updated = dict(existing)
                updated.update({k: new for k, (_, new) in changes.items()})
                updated["updated_at"] = now
                index.replace(cid, updated)
                report.updated += 1
                report.changes.append(Change("update", line, existing["name"], changes))
            else:
                report.unchanged += 1
        if claimed is not None:
            claimed.add(cid)
        placed[position] = cid
        tick(done)
    if not writer.dry_run:
        writer.flush()
    return placed


def _run(work: Callable[[], None], dry_run: bool) -> None:
    # Tens of thousands of small dicts and no reference cycles: the cyclic garbage collector
    # would only rescan them over and over (a third of the time on a 30,000-row file).
    collecting = gc.isenabled()
    gc.disable()
    try:
        if dry_run:
            work()
            return
        with database.atomic("IMMEDIATE"):
            work()
    except sqlite3.Error as exc:
        from netmaint_tui.store.db import translate_error

        raise translate_error(exc, getattr(database.obj, "path", "the database")) from exc
    finally:
        if collecting:
            gc.enable()


def import_records(
    ctx: Context,
    records: list[ImportRecord],
    *,
    source: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    tier: str = DEFAULT_IMPORT_TIER,
) -> ImportReport:
    """Add or merge parsed records (LinkedIn, vCard, Google), all in one transaction.

    `progress(done, total)` is called about a hundred times; the app's import screen uses it.
    With dry_run nothing is written and the report says what would have happened.
    """
    report = ImportReport(dry_run=dry_run)
    tick = _Ticker(progress, len(records))

    def where_of(position: int):
        line = records[position].line
        return lambda message: (line, message)

    def work() -> None:
        writer = _Writer(ContactIndex.load(), dry_run)
        items = [(i, _from_record(r, source)) for i, r in enumerate(records)]
        _upsert_contacts(ctx, items, source=source, tier=tier, writer=writer, report=report,
                         where_of=where_of, tick=tick)

    _run(work, dry_run)
    if progress is not None and not records:
        progress(0, 0)
    return report


# --- a netmaint export ------------------------------------------------------------------------

SECTIONS = ("touches", "follow_ups", "goals", "pauses")


def _table_empty(table: str) -> bool:
    return database.execute_sql(f"SELECT NOT EXISTS (SELECT 1 FROM {table})").fetchone()[0] == 1


def import_snapshot(
    ctx: Context,
    doc: dict,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Merge a netmaint export (already checked to be one) into the database, in one transaction.

    Into an empty database it is an exact restore, ids included, so exporting again gives the
    same document. Into one with data it merges: contacts as any import does; touches match on
    (time, contacts, channel), follow-ups on (what, due, suggested by), goals on all their
    values, pauses on their dates, so importing the same export twice changes nothing.
    """
    report = ImportReport(dry_run=dry_run)
    contacts = doc.get("contacts") or []
    total = len(contacts) + sum(len(doc.get(s) or []) for s in SECTIONS)
    tick = _Ticker(progress, total)
    for name in SECTIONS:
        report.others[name] = Counts()

    def where_of_section(section: str):
        def where_of(position: int):
            # A contact's own value is named by its path: contacts[3].archived.
            return lambda message: (0, f"{section}[{position}]" + (message if message.startswith(".") else f": {message}"))
        return where_of

    def work() -> None:
        index = ContactIndex.load()
        writer = _Writer(index, dry_run)
        keep = {t: _table_empty(t) for t in ("contact", "touch", "follow_up", "goal", "pause")}
        items = [(i, c if isinstance(c, dict) else {}) for i, c in enumerate(contacts)]
        if keep["contact"]:
            writer.reserve(max((c["id"] for _, c in items if isinstance(c.get("id"), int)), default=0))
        placed = _upsert_contacts(
            ctx, items, source="json", tier="B", writer=writer, report=report,
            where_of=where_of_section("contacts"), tick=tick, claim=True, keep_ids=keep["contact"], typed=True,
        )
        contact_ids: dict[int, int] = {}
        for position, cid in placed.items():
            doc_id = items[position][1].get("id")
            if isinstance(doc_id, int):
                contact_ids[doc_id] = cid
        done = len(contacts)
        done = _import_touches(ctx, doc.get("touches") or [], contact_ids, writer, report, keep["touch"], tick, done)
        done = _import_follow_ups(ctx, doc.get("follow_ups") or [], contact_ids, writer, report,
                                  keep["follow_up"], tick, done)
        done = _import_goals(ctx, doc.get("goals") or [], writer, report, keep["goal"], tick, done)
        _import_pauses(ctx, doc.get("pauses") or [], writer, report, keep["pause"], tick, done)

    _run(work, dry_run)
    return report


def _section_issue(report: ImportReport, section: str, position: int, message: str, key: str | None = None) -> None:
    report.others[section].skipped += 1
    where = f"{section}[{position}]" + (f".{key}" if key else "")
    report.issue(0, f"{where}: {message}; skipped")


def _insert(writer: _Writer, table: str, values: dict, wanted_id: Any, keep_ids: bool) -> int:
    if writer.dry_run:
        return writer._fake()
    cols = list(values)
    params = [values[c] for c in cols]
    if keep_ids and isinstance(wanted_id, int) and not isinstance(wanted_id, bool) and wanted_id > 0:
        cols, params = ["id"] + cols, [wanted_id] + params
    quoted = ", ".join(f'"{c}"' for c in cols)  # pause has a column called "end"
    writer.cursor.execute(f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(cols))})", params)
    return writer.cursor.lastrowid


def _missing_refs(report: ImportReport, where: str, ids: list[int], what: str = "a contact") -> None:
    """Ids an item names that the file does not hold (or that were left out): said, not dropped silently."""
    if ids:
        shown = ", ".join(str(i) for i in ids[:5]) + (" …" if len(ids) > 5 else "")
        report.issue(0, f"{where}: {shown} is not {what} in the file (or it was left out); imported without it")


class _Bad(Exception):
    """One value of an item that cannot be used: `key` is its name in the document."""

    def __init__(self, key: str | None, message: str):
        super().__init__(message)
        self.key, self.message = key, message


class _Item:
    """An item of a netmaint export, read value by value with the types the export writes: a
    value of another type is refused by name rather than turned into a default."""

    def __init__(self, raw: Any):
        if not isinstance(raw, dict):
            raise _Bad(None, "not an object")
        self.raw = raw

    def text(self, key: str, default: str = "") -> str:
        value = self.raw.get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise _Bad(key, "expected text")
        if problem := schema.text_problem(value):
            raise _Bad(key, problem)
        return value

    def whole(self, key: str) -> int | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Bad(key, "expected a whole number")
        return value

    def moment(self, key: str, required: bool = False) -> str | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                raise _Bad(key, "missing; expected an ISO 8601 date-time")
            return None
        try:
            if not isinstance(value, str):
                raise ValueError("expected an ISO 8601 date-time")
            return _stored_time(value)
        except ValueError as exc:
            raise _Bad(key, str(exc)) from None

    def day(self, key: str) -> str:
        value = self.raw.get(key)
        if value is None:
            raise _Bad(key, "missing; expected a date (YYYY-MM-DD)")
        try:
            if not isinstance(value, str):
                raise ValueError
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise _Bad(key, "expected a date (YYYY-MM-DD)") from None
        problem = day_problem(day)
        if problem:
            raise _Bad(key, problem)
        return day.isoformat()

    def refs(self, key: str) -> list[int]:
        value = self.raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
            raise _Bad(key, "expected a list of contact ids")
        return value


def _checked(check: Callable[[], Any]) -> Any:
    """A rules.schema check as an item's problem."""
    try:
        return check()
    except schema.FieldError as exc:
        raise _Bad(exc.key, exc.message) from None
    except InputError as exc:
        raise _Bad(None, str(exc)) from None


def _claim(candidates: list[tuple], same: Callable[[tuple], bool]) -> tuple | None:
    """Take one stored row for an item of the file: an identical one first. Each stored row
    answers for one item only, so two alike in the file are two, and importing the file
    again finds each of them once."""
    for position, row in enumerate(candidates):
        if same(row):
            return candidates.pop(position)
    return candidates.pop(0) if candidates else None


def _import_touches(ctx, touches, contact_ids, writer, report, keep_ids, tick, done) -> int:
    counts = report.others["touches"]
    existing: dict[tuple, list[tuple]] = {}
    for tid, at, channel, kind, minutes, note, members in database.execute_sql(
        "SELECT t.id, t.at, t.channel, t.kind, t.minutes, t.note, "
        "(SELECT group_concat(contact_id) FROM touch_contact WHERE touch_id = t.id) FROM touch t ORDER BY t.id"
    ).fetchall():
        ids = frozenset(int(x) for x in (members or "").split(",") if x)
        existing.setdefault((_as_stored(at), ids, channel), []).append((tid, kind, minutes, note))
    touch_ids: dict[int, int] = {}
    now = _now_stored(ctx)
    for position, raw in enumerate(touches):
        done += 1
        tick(done)
        try:
            t = _Item(raw)
            at = t.moment("at", required=True)
            created = t.moment("created_at") or now
            channel, kind = t.text("channel", "meeting"), t.text("kind", "catch-up")
            minutes, note, refs = t.whole("minutes"), t.text("note"), t.refs("contacts")
            # What `log` refuses (a touch in the future, a day of minutes), a file cannot bring in.
            _checked(lambda: validate_touch(ctx, from_db(at), channel, kind, minutes, note))
        except _Bad as bad:
            _section_issue(report, "touches", position, bad.message, bad.key)
            continue
        members = list(dict.fromkeys(contact_ids[r] for r in refs if r in contact_ids))
        if not members:
            _section_issue(report, "touches", position, "none of its contacts are in the file")
            continue
        _missing_refs(report, f"touches[{position}].contacts", [r for r in refs if r not in contact_ids])
        found = _claim(existing.get((at, frozenset(members), channel), []),
                       lambda row: row[1:] == (kind, minutes, note))
        if found is not None:
            tid, old_kind, old_minutes, old_note = found
            sets = {}
            if kind != old_kind:
                sets["kind"] = kind
            if minutes is not None and minutes != old_minutes:
                sets["minutes"] = minutes
            if note and note != old_note:
                sets["note"] = note
            if sets:
                counts.updated += 1
                if not writer.dry_run and tid > 0:
                    writer.cursor.execute(
                        f"UPDATE touch SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?", [*sets.values(), tid]
                    )
            else:
                counts.unchanged += 1
        else:
            tid = _insert(writer, "touch", {"at": at, "channel": channel, "kind": kind, "minutes": minutes,
                                            "note": note, "created_at": created}, raw.get("id"), keep_ids)
            if not writer.dry_run:
                writer.cursor.executemany(
                    "INSERT INTO touch_contact (touch_id, contact_id) VALUES (?, ?)", [(tid, c) for c in members]
                )
            counts.added += 1
        if isinstance(raw.get("id"), int):
            touch_ids[raw["id"]] = tid
    writer.touch_ids = touch_ids
    return done


_FOLLOW_UP_COLUMNS = ("what", "due", "status", "suggested_by_id", "about_id", "about_text", "touch_id",
                      "created_at", "closed_at")


def _import_follow_ups(ctx, follow_ups, contact_ids, writer, report, keep_ids, tick, done) -> int:
    counts = report.others["follow_ups"]
    touch_ids = writer.touch_ids
    existing: dict[tuple, list[dict]] = {}
    cursor = database.execute_sql(f"SELECT id, {', '.join(_FOLLOW_UP_COLUMNS)} FROM follow_up ORDER BY id")
    names = [d[0] for d in cursor.description]
    for values in cursor.fetchall():
        row = dict(zip(names, values))
        row["due"], row["closed_at"] = _as_stored(row["due"]), _as_stored(row["closed_at"])
        existing.setdefault((row["what"], row["due"], row["suggested_by_id"]), []).append(row)
    now = _now_stored(ctx)
    for position, raw in enumerate(follow_ups):
        done += 1
        tick(done)
        try:
            f = _Item(raw)
            what = _checked(lambda: schema.clean_follow_up_text(f.text("what"), typed=True))
            due = f.moment("due", required=True)
            status = _checked(lambda: schema.clean_status(f.text("status", "open")))
            refs = {key: f.whole(key) for key in ("suggested_by", "about", "touch")}
            about_text = _checked(lambda: schema.clean_line("about_text", f.text("about_text"), typed=True))
            created, closed = f.moment("created_at") or now, f.moment("closed_at")
        except _Bad as bad:
            _section_issue(report, "follow_ups", position, bad.message, bad.key)
            continue
        for key, known in (("suggested_by", contact_ids), ("about", contact_ids), ("touch", touch_ids)):
            if refs[key] is not None and refs[key] not in known:
                _missing_refs(report, f"follow_ups[{position}].{key}", [refs[key]], "a contact" if known is contact_ids
                              else "a touch")
        values = {
            "what": what, "due": due, "status": status,
            "suggested_by_id": contact_ids.get(refs["suggested_by"]), "about_id": contact_ids.get(refs["about"]),
            "about_text": about_text, "touch_id": touch_ids.get(refs["touch"]),
            "created_at": created, "closed_at": closed,
        }
        row = _claim(existing.get((what, due, values["suggested_by_id"]), []),
                     lambda row: all(row[k] == values[k] for k in ("status", "about_id", "about_text", "closed_at")))
        if row is None:
            _insert(writer, "follow_up", values, raw.get("id"), keep_ids)
            counts.added += 1
            continue
        sets = {k: v for k, v in values.items()
                if k in ("status", "closed_at", "about_id", "about_text", "touch_id") and not _empty(v) and v != row.get(k)}
        if sets.get("status") == "open" and row.get("status") != "open":
            sets.pop("status")  # an export made before it was done must not reopen it
        if sets:
            counts.updated += 1
            if not writer.dry_run and row["id"] > 0:
                writer.cursor.execute(
                    f"UPDATE follow_up SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?", [*sets.values(), row["id"]]
                )
        else:
            counts.unchanged += 1
    return done


def _import_goals(ctx, goals, writer, report, keep_ids, tick, done) -> int:
    counts = report.others["goals"]
    existing = {(str(d), t, m) for d, t, m in database.execute_sql("SELECT from_date, touches, minutes FROM goal").fetchall()}
    now = _now_stored(ctx)
    for position, raw in enumerate(goals):
        done += 1
        tick(done)
        try:
            g = _Item(raw)
            start, touches, minutes = g.day("from_date"), g.whole("touches"), g.whole("minutes")
            created = g.moment("created_at") or now
            problem = schema.goal_problem(touches, minutes)
            if problem:
                raise _Bad(None, problem)
        except _Bad as bad:
            _section_issue(report, "goals", position, bad.message, bad.key)
            continue
        key = (start, touches, minutes)
        if key in existing:
            counts.unchanged += 1
            continue
        _insert(writer, "goal", {"from_date": start, "touches": touches, "minutes": minutes, "created_at": created},
                raw.get("id"), keep_ids)
        existing.add(key)
        counts.added += 1
    return done


def _import_pauses(ctx, pauses, writer, report, keep_ids, tick, done) -> int:
    counts = report.others["pauses"]
    existing = {(str(s), str(e)): (pid, reason) for pid, s, e, reason in
                database.execute_sql("SELECT id, start, \"end\", reason FROM pause").fetchall()}
    now = _now_stored(ctx)
    for position, raw in enumerate(pauses):
        done += 1
        tick(done)
        try:
            p = _Item(raw)
            start, end = p.day("start"), p.day("end")
            reason = _checked(lambda: schema.clean_line("reason", p.text("reason"), typed=True))
            created = p.moment("created_at") or now
            if end < start:
                raise _Bad("end", f"{end} is before the start, {start}")
        except _Bad as bad:
            _section_issue(report, "pauses", position, bad.message, bad.key)
            continue
        found = existing.get((start, end))
        if found is None:
            pid = _insert(writer, "pause", {"start": start, "end": end, "reason": reason, "created_at": created},
                          raw.get("id"), keep_ids)
            existing[(start, end)] = (pid, reason)
            counts.added += 1
        elif reason and reason != found[1]:
            counts.updated += 1
            if not writer.dry_run and found[0] > 0:
                writer.cursor.execute("UPDATE pause SET reason = ? WHERE id = ?", (reason, found[0]))
            existing[(start, end)] = (found[0], reason)
        else:
            counts.unchanged += 1
    return done


# --- a whole file, for the command line and the app's import screen ---------------------------

FORMATS = ("linkedin", "vcard", "google", "json")
_PARSERS = {
    "linkedin": ("netmaint_tui.io.linkedin", "parse_linkedin"),
    "vcard": ("netmaint_tui.io.vcard", "parse_vcard"),
    "google": ("netmaint_tui.io.google", "parse_google"),
}
PhasedProgress = Callable[[str, int, int], None]


def _is_skip(message: str) -> bool:
    # The parsers end a message with "skipped" when the whole row or card was left out, and
    # with "ignored" / "imported without it" when only one value was.
    return message.rstrip(" .").endswith("skipped")


def _has_data() -> bool:
    return bool(database.execute_sql(
        "SELECT EXISTS (SELECT 1 FROM contact) OR EXISTS (SELECT 1 FROM touch)"
    ).fetchone()[0])


def read_import_file(path) -> bytes:
    """The bytes of a file to import, or InputError (one line) before it is read: a file over
    MAX_FILE_BYTES is judged by its size, and from a pipe or a device no more than that is read."""
    path = Path(path)
    limit = f"an import reads files up to {byte_size(MAX_FILE_BYTES)}; nothing was imported"
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > MAX_FILE_BYTES:
                raise InputError(f"{path} is {byte_size(info.st_size)}: {limit}")
            data = handle.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        raise InputError(f"cannot read {path}: it is a folder") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:  # no size to go by, or it grew meanwhile
        raise InputError(f"{path} is larger than {byte_size(MAX_FILE_BYTES)}: {limit}")
    return data


def import_file(
    ctx: Context,
    fmt: str,
    data: bytes,
    *,
    dry_run: bool = False,
    progress: PhasedProgress | None = None,
    backup: bool = True,
) -> ImportReport:
    """Parse and import one export file's bytes (`fmt`: linkedin, vcard, google or json).

    `progress(phase, done, total)` runs with phase "reading" (bytes) and then "saving" (records).
    Unless it is a dry run, the database is copied first (store.backup.auto_backup), once it
    holds anything worth keeping. The report's issues are the parser's and the import's,
    in file order; `skipped` counts every record left out because of a problem.
    Raises io.formats.WrongFormat (a DocumentError) when the file is clearly another format than
    `fmt`, before anything else, and io.json_io.DocumentError when a json file is not a netmaint
    export at all, or a file is not of the format given (no vCard in it, no header line).
    """
    import importlib

    if fmt not in FORMATS:
        raise InputError(f"unknown import format {fmt!r}; use one of: {', '.join(FORMATS)}")
    from netmaint_tui.io.formats import check_format

    check_format(fmt, data)

    def phase(name: str):
        return None if progress is None else (lambda done, total: progress(name, done, total))

    doc = parsed = None
    if fmt == "json":
        from netmaint_tui.io.json_io import loads_document

        doc = loads_document(data)
    else:
        module, name = _PARSERS[fmt]
        parsed = getattr(importlib.import_module(module), name)(data, progress=phase("reading"))
        if parsed.wrong_format and not parsed.records:
            from netmaint_tui.io.json_io import DocumentError

            # Not this kind of file at all (random bytes, another format): one clear line,
            # no backup made and no import of nothing reported.
            raise DocumentError(1, parsed.wrong_format)
    made = None
    if backup and not dry_run and not getattr(database.obj, "readonly", False) and _has_data():
        from netmaint_tui.store.backup import auto_backup

        made = auto_backup(getattr(database.obj, "path"), reason="before-import")
    if doc is not None:
        report = import_snapshot(ctx, doc, dry_run=dry_run, progress=phase("saving"))
    else:
        report = import_records(ctx, parsed.records, source=fmt, dry_run=dry_run, progress=phase("saving"))
        report.skipped += sum(1 for i in parsed.issues if _is_skip(i.message))
        report.issues = sorted(list(parsed.issues) + report.issues, key=lambda i: i.line)
        report.left_out = dict(parsed.skipped_reasons)
    report.backup = made
    return report
