"""Importing contacts without ever duplicating anyone: matching and merging.

Matching, in this order: the source's own id (`source`, `source_id`), any email address, the
LinkedIn profile URL, then name + company (case and spacing ignored), and for a LinkedIn row with
neither URL nor email (exports before 2020) the name alone when one LinkedIn contact has it. Two
records whose LinkedIn URLs differ are never taken for the same person, even with the same name
and company.

Merging never loses what the user typed:
- lists (emails, phones, tags, anniversaries) are merged, never replaced;
- a field the file leaves empty never blanks the contact's value;
- the fields a source is the authority on (its entry's `trusted` in io.formats: LinkedIn's
  company, position and connected on; an address book's company and role; everything of a
  netmaint export) are overwritten when the file has a different value, every other field is
  only filled in when the contact has none.
So importing the same file twice changes nothing, and "updated" is counted only when a value
really changed.

Everything runs in one transaction: a record that cannot be used is reported with its line and
skipped, but an unexpected failure (disk full, a crash) leaves the database as it was.
The work is a handful of queries whatever the file's size: the existing contacts are read once
into dicts, and rows go in through one prepared statement each.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, Sequence

from netmaint_tui.io.formats import file_format
from netmaint_tui.io.records import ImportRecord
from netmaint_tui.rules import schema
from netmaint_tui.rules.duplicates import name_reason
from netmaint_tui.rules.links import normalize_linkedin_url
from netmaint_tui.services.common import Context
from netmaint_tui.services.occasions import all_dates, insert_dates
from netmaint_tui.services.import_common import (
    Change,
    ImportReport,
    Progress,
    Ticker,
    is_empty,
    now_stored,
    run_import,
    stored_time,
)
from netmaint_tui.store.models import database
from netmaint_tui.store.rows import CONTACT_COLUMNS, INSERT_CONTACT, column_value, from_row, to_row
from netmaint_tui.store.spill import SpilledRows

DEFAULT_IMPORT_TIER = "C"  # a bulk import is mostly weak ties: they must not bury hand-picked contacts

# The contact's fields (rules.schema): the lists and the dates are merged, the rest are single values.
LISTS = schema.LIST_FIELDS
SCALARS = tuple(f.key for f in schema.CONTACT_FIELDS if f.key not in LISTS and f.key != "dates")


# --- normalizing ------------------------------------------------------------------------------

_email_key = schema.list_key("emails")


def _name_key(name: str, company: str) -> str:
    # The same folding as records.identity_key (whitespace runs squeezed, case ignored),
    # written with str.split because it runs twice per record on 30,000-row files.
    return " ".join(name.split()).casefold() + "|" + " ".join(company.split()).casefold()


def _url_key(url: str) -> str:
    return normalize_linkedin_url(url).casefold() if url else ""


# --- the contacts already there ---------------------------------------------------------------


# How a record matched a contact that another one, with this record's id, was merged into.
MERGED_AWAY = "the id of a contact merged into it"


class ContactIndex:
    """Every contact's current values, and the maps records are matched through.

    Read once per import (two queries), then kept up to date as records are added or merged,
    so a file that names the same person twice adds them once. Past IN_MEMORY added contacts,
    the rest of them and every key given from then on go to a temporary file (store.spill): a
    file of millions of rows is matched in bounded memory, and each key's contacts keep the
    order they were found in.
    """

    IN_MEMORY = 50_000

    def __init__(self) -> None:
        self.rows: dict[int, dict] = {}
        self.by_source: dict[tuple[str, str], list[int]] = {}
        # The source ids of contacts merged into another one (contact_alias): that one is who they are now.
        self.by_alias: dict[tuple[str, str], int] = {}
        self.by_email: dict[str, list[int]] = {}
        self.by_url: dict[str, list[int]] = {}
        self.by_name: dict[str, list[int]] = {}
        # LinkedIn contacts from before this import, by name alone, and the names that this
        # file's rows without URL or email carry more than once (see find).
        self.linkedin_by_name: dict[str, list[int]] = {}
        self.names_repeated: set[str] = set()
        # Given, names_repeated is found by it the first time it is needed (a stream's second reading).
        self.names_repeated_later: Callable[[], set[str]] | None = None
        self.url_of: dict[int, str] = {}
        self.tag_ids: dict[str, int] = {}
        self._maps = {"s": self.by_source, "e": self.by_email, "u": self.by_url, "n": self.by_name}
        self.added = 0
        self.spill: SpilledRows | None = None
        self._found_urls: dict[int, str] = {}

    @classmethod
    def load(cls) -> "ContactIndex":
        index = cls()
        cursor = database.execute_sql(f"SELECT id, {', '.join(CONTACT_COLUMNS)} FROM contact ORDER BY id")
        names = [d[0] for d in cursor.description]
        for values in cursor.fetchall():
            row = from_row(dict(zip(names, values)))
            row["tags"] = []
            row["dates"] = []
            index.rows[row["id"]] = row
        for cid, tag in database.execute_sql(
            "SELECT ct.contact_id, t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id ORDER BY t.name"
        ).fetchall():
            if cid in index.rows:
                index.rows[cid]["tags"].append(tag)
        index.tag_ids = dict(database.execute_sql("SELECT name, id FROM tag").fetchall())
        for cid, dates in all_dates().items():
            if cid in index.rows:
                index.rows[cid]["dates"] = dates
        for cid, row in index.rows.items():
            index._index(cid, row, _url_key(row.get("linkedin_url") or ""))
            if row.get("source") == "linkedin":
                index.linkedin_by_name.setdefault(_name_key(row["name"], ""), []).append(cid)
        for cid, source, source_id in database.execute_sql(
            "SELECT contact_id, source, source_id FROM contact_alias ORDER BY id"
        ).fetchall():
            if cid in index.rows:
                index.by_alias.setdefault((source or "", source_id), cid)
        return index

    def _index(self, cid: int, row: dict, url: str) -> None:
        keys = []
        if row.get("source_id"):
            keys.append(("s", (row.get("source") or "", row["source_id"])))
        keys += [("e", _email_key(email)) for email in row.get("emails") or ()]
        keys += [("u", url), ("n", _name_key(row["name"], row.get("company") or ""))]
        if cid in self.rows:
            self.url_of[cid] = url
        if self.spill is not None:
            self.spill.add_keys(cid, [_spilled_key(kind, key) for kind, key in keys if key])
            return
        for kind, key in keys:
            if key:
                ids = self._maps[kind].setdefault(key, [])
                if cid not in ids:
                    ids.append(cid)

    def _ids(self, kind: str, key, url: str = "") -> list[int] | None:
        """The contacts found by `key`; given `url`, those kept in the temporary file are only
        the ones `find` may take for a record with that LinkedIn URL (no other URL)."""
        ids = self._maps[kind].get(key)
        if self.spill is None or not key:
            return ids
        found = self.spill.ids(_spilled_key(kind, key), url)
        if not found:
            return ids
        # Their URLs come with them: a common name and company can have many candidates.
        self._found_urls.update((cid, url) for cid, url in found if url is not None)
        return (ids or []) + [cid for cid, _ in found]

    def _names_repeated(self) -> set[str]:
        if self.names_repeated_later is not None:
            self.names_repeated |= self.names_repeated_later()
            self.names_repeated_later = None
        return self.names_repeated

    def get(self, cid: int) -> dict:
        return self.rows[cid] if cid in self.rows else self.spill.get(cid)

    def _url_of(self, cid: int) -> str | None:
        if cid in self.url_of or self.spill is None:
            return self.url_of.get(cid)
        return self._found_urls[cid] if cid in self._found_urls else self.spill.url(cid)

    def add(self, cid: int, row: dict) -> None:
        if self.spill is None and self.added >= self.IN_MEMORY:
            self.spill = SpilledRows()
        self.added += 1
        self._keep(cid, row)

    def replace(self, cid: int, row: dict) -> None:
        # Old keys stay in the maps on purpose: last month's company still finds the person.
        self._keep(cid, row)

    def _keep(self, cid: int, row: dict) -> None:
        url = _url_key(row.get("linkedin_url") or "")
        if self.spill is None or cid in self.rows:
            self.rows[cid] = row
        else:
            self.spill.put(cid, row, url)
        self._index(cid, row, url)

    def find(self, item: dict, claimed: set[int] | None = None) -> tuple[int | None, str]:
        """(contact id, how it matched) or (None, '')."""
        url = _url_key(item.get("linkedin_url") or "")
        self._found_urls.clear()

        def pick(ids: list[int] | None, strong: bool) -> int | None:
            for cid in ids or ():
                if claimed is not None and cid in claimed:
                    continue
                other = self._url_of(cid)
                if not strong and url and other and url != other:
                    continue  # two LinkedIn profiles: two people
                return cid
            return None

        if item.get("source_id"):
            cid = pick(self._ids("s", (item.get("source") or "", item["source_id"])), True)
            if cid is not None:
                return cid, "source id"
            cid = pick([self.by_alias[key]] if (key := (item.get("source") or "", item["source_id"])) in self.by_alias
                       else None, True)
            if cid is not None:
                return cid, MERGED_AWAY
        for email in item.get("emails") or ():
            cid = pick(self._ids("e", _email_key(email), url), False)
            if cid is not None:
                return cid, "email"
        if url:
            cid = pick(self._ids("u", url), True)
            if cid is not None:
                return cid, "LinkedIn URL"
        cid = pick(self._ids("n", _name_key(item["name"], item.get("company") or ""), url), False)
        if cid is not None:
            return cid, "name and company"
        if _name_only(item):
            # LinkedIn's exports before 2020 have no URL column, and most rows no email: someone
            # who changed jobs would come back as a second contact. The name alone is enough when
            # one LinkedIn contact had it before this import and the file names it once.
            key = _name_key(item["name"], "")
            ids = self.linkedin_by_name.get(key, [])
            if len(ids) == 1 and key not in self._names_repeated() and (claimed is None or ids[0] not in claimed):
                return ids[0], "name (the one LinkedIn contact of that name)"
        return None, ""


def _spilled_key(kind: str, key) -> str:
    return kind + "\x1f" + ("\x1f".join(key) if isinstance(key, tuple) else key)


def _another_name(record: str, stored: str) -> bool:
    """The record's name is not the contact's in any spelling (case, accents, order, titles,
    middle names): a match by email or id that is worth saying."""
    return record != stored and name_reason(record, stored) is None


# --- checking one incoming contact ------------------------------------------------------------


def _name_only(item: dict) -> bool:
    """A LinkedIn row with neither profile URL nor email: its name is all there is to match on."""
    return item.get("source") == "linkedin" and not item.get("linkedin_url") and not item.get("emails")


def _from_record(record: ImportRecord, source: str) -> dict:
    return {
        "name": record.name, "company": record.company, "role": record.role,
        "emails": list(record.emails), "phones": list(record.phones), "tags": list(record.tags),
        "linkedin_url": record.linkedin_url, "location": record.location, "birthday": record.birthday,
        "dates": [dict(d) for d in record.dates], "notes": record.notes, "source": record.source or source, "source_id": record.source_id or None,
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
            out[key] = stored_time(item.get(key)) if item.get(key) else None
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
    trusted = file_format(source).trusts
    changes: dict[str, tuple[Any, Any]] = {}
    for key in SCALARS:
        if key in ("source", "source_id"):
            continue
        new = incoming.get(key)
        old = existing.get(key)
        if is_empty(new) or new == old:
            continue
        if trusted(key) or is_empty(old):
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
    if incoming.get("dates"):
        old_dates = list(existing.get("dates") or [])
        new_dates = schema.merge_dates(old_dates, incoming["dates"])
        if new_dates != old_dates:
            changes["dates"] = (old_dates, new_dates)
    return changes


# --- writing ----------------------------------------------------------------------------------


class Writer:
    """Raw statements on the transaction's own connection: no per-row ORM objects.

    New contacts get their ids here (one more than the largest, as SQLite would) so they can go
    in a few thousand at a time through executemany; we hold the write lock, so nobody else
    can take those ids meanwhile.
    """

    BATCH = 5000

    def __init__(self, index: ContactIndex, dry_run: bool):
        self.index = index
        self.dry_run = dry_run
        self.fake_id = 0
        self.touch_ids: dict[int, int] = {}  # export's touch id -> stored id, for follow-ups
        self.follow_up_ids: dict[int, int] = {}  # export's follow-up id -> stored id, for history notes
        self.cursor = None if dry_run else database.connection().cursor()
        self.next_id = max(index.rows, default=0) + 1
        if self.cursor is not None:
            self.next_id = max(self.next_id, self.cursor.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM contact").fetchone()[0])
        self.pending: list[list] = []
        self.pending_ids: set[int] = set()
        self.pending_tags: list[tuple[int, int]] = []
        self.pending_dates: list[tuple[int, dict]] = []

    def next_fake_id(self) -> int:
        self.fake_id -= 1
        return self.fake_id

    def reserve(self, highest_id: int) -> None:
        """Ids up to `highest_id` are spoken for (a restore keeps the export's ids)."""
        self.next_id = max(self.next_id, highest_id + 1)

    def insert_contact(self, values: dict, contact_id: int | None = None) -> int:
        if self.dry_run:
            return contact_id if contact_id is not None else self.next_fake_id()
        if contact_id is None:
            contact_id = self.next_id
        self.next_id = max(self.next_id, contact_id + 1)
        self.pending.append(to_row(contact_id, values))
        self.pending_ids.add(contact_id)
        for name in values.get("tags") or ():
            self.pending_tags.append((contact_id, self._tag_id(name)))
        self.pending_dates += [(contact_id, d) for d in values.get("dates") or ()]
        if len(self.pending) >= self.BATCH:
            self.flush()
        return contact_id

    def flush(self) -> None:
        if self.pending:
            self.cursor.executemany(INSERT_CONTACT, self.pending)
            self.pending.clear()
            self.pending_ids.clear()
        if self.pending_tags:
            self.cursor.executemany(
                "INSERT OR IGNORE INTO contact_tag (contact_id, tag_id) VALUES (?, ?)", self.pending_tags
            )
            self.pending_tags.clear()
        if self.pending_dates:
            insert_dates(self.pending_dates, self.cursor)
            self.pending_dates.clear()

    def update_contact(self, cid: int, changes: dict[str, tuple[Any, Any]], now: str) -> None:
        if self.dry_run or cid < 0:
            return
        if cid in self.pending_ids:
            self.flush()
        sets, params = [], []
        for key, (_, new) in changes.items():
            if key in schema.OWN_TABLE_FIELDS:
                continue
            sets.append(f"{key} = ?")
            params.append(column_value(key, new))
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
        if "dates" in changes:
            # Merged, the list may also have given a year to a date kept without one: written again whole.
            self.cursor.execute("DELETE FROM contact_date WHERE contact_id = ?", (cid,))
            insert_dates([(cid, d) for d in changes["dates"][1]], self.cursor)

    def _tag_id(self, name: str) -> int:
        tag_id = self.index.tag_ids.get(name)
        if tag_id is None:
            self.cursor.execute("INSERT INTO tag (name) VALUES (?)", (name,))
            tag_id = self.index.tag_ids[name] = self.cursor.lastrowid
        return tag_id


def _new_contact(item: dict, source: str, tier: str, now: str) -> dict:
    values = {k: item.get(k) for k in SCALARS + LISTS + ("dates",)}
    values["tier"] = item.get("tier") or tier
    values["source"] = item.get("source") or source
    values["created_at"] = item.get("created_at") or now
    values["updated_at"] = item.get("updated_at") or values["created_at"]
    values["archived"] = bool(item.get("archived"))
    return values


def upsert_contacts(
    ctx: Context,
    items: Iterable[tuple[int, dict]],
    *,
    source: str,
    tier: str,
    writer: Writer,
    report: ImportReport,
    where_of: Callable[[int], Callable[[str], tuple[int, str]]],
    tick: Ticker,
    claim: bool = False,
    keep_ids: bool = False,
    typed: bool = False,
    repeated_names: Callable[[], set[str]] | None = None,
    placing: bool = True,
    uid_of: Callable[[dict, int], str | None] | None = None,
) -> dict[int, int]:
    """Match and write each item; returns item position -> contact id (for a netmaint export),
    unless not `placing`.

    `items` is read once when `repeated_names()` (see ContactIndex.find) is given, so it may be
    a stream; without it, it is a list, read first to find them. `uid_of(item, position)` is the
    sync identity a new contact keeps (None: a new one)."""
    index = writer.index
    now = now_stored(ctx)
    if repeated_names is None:
        seen: set[str] = set()
        for _, raw in items:
            if _name_only({"source": source, **raw}):
                key = _name_key(str(raw.get("name") or ""), "")
                (index.names_repeated if key in seen else seen).add(key)
    else:
        index.names_repeated_later = repeated_names
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
        cid, how = index.find(item, claimed)
        if cid is None:
            values = _new_contact(item, source, tier, now)
            wanted_id = raw.get("id") if keep_ids and isinstance(raw.get("id"), int) and raw.get("id") > 0 else None
            uid = uid_of(raw, position) if uid_of is not None else None
            cid = writer.insert_contact({**values, "uid": uid} if uid else values, wanted_id)
            index.add(cid, dict(values))
            report.added += 1
            report.change(Change("add", line, item["name"]))
        else:
            existing = index.get(cid)
            # The record of someone merged into a contact that has its own record from this source:
            # that one speaks for the contact, and the merge already chose between the two; taking
            # the other's values again would undo that choice on every import of the file.
            stale = how == MERGED_AWAY and (existing.get("source") or "") == source
            changes = {} if stale else merge(existing, item, source)
            # Whom the record was taken for, and why: an email shared by two people would
            # otherwise merge one into the other without a word.
            change = Change("update" if changes else "same", line, item["name"], changes, matched=existing["name"],
                            how=how, other_name=None if how == MERGED_AWAY else _another_name(item["name"], existing["name"]))
            report.change(change)
            if change.other_name:
                verb = "would be merged into" if writer.dry_run else "merged into"
                report.issue(line, f"{change.match_words()}; {verb} it")
            if changes:
                writer.update_contact(cid, changes, now)
                updated = dict(existing)
                updated.update({k: new for k, (_, new) in changes.items()})
                updated["updated_at"] = now
                index.replace(cid, updated)
                report.updated += 1
            else:
                report.unchanged += 1
        if claimed is not None:
            claimed.add(cid)
        if placing:
            placed[position] = cid
        tick(done)
    if not writer.dry_run:
        writer.flush()
    return placed


def _repeated_names(records: Iterable[ImportRecord], source: str, known: dict[str, list[int]]) -> set[str]:
    """The names that rows with neither URL nor email carry more than once (ContactIndex.find),
    of those that `known` (the LinkedIn contacts by name) holds: no others are ever asked about."""
    seen: set[str] = set()
    repeated: set[str] = set()
    for r in records:
        if (r.source or source) == "linkedin" and not r.linkedin_url and not r.emails:
            key = _name_key(r.name, "")
            if key in known:
                (repeated if key in seen else seen).add(key)
    return repeated


def import_records(
    ctx: Context,
    records: Iterable[ImportRecord],
    *,
    source: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    tier: str = DEFAULT_IMPORT_TIER,
    again: Callable[[], Iterable[ImportRecord]] | None = None,
    on_change: Callable[[Change], None] | None = None,
) -> ImportReport:
    """Add or merge parsed records (LinkedIn, vCard, Google), all in one transaction.

    `progress(done, total)` is called about a hundred times; the app's import screen uses it.
    With dry_run nothing is written and the report says what would have happened.
    `records` may be a stream, read once as the records are matched and written (in batches,
    Writer.BATCH): then the caller reports progress, and `again()` gives the records afresh for
    the one case that must see the whole file first (earlier LinkedIn contacts matched by name
    alone). `on_change` is given each record's Change as it is found (ImportReport.on_change).
    """
    report = ImportReport(dry_run=dry_run, on_change=on_change)
    if not isinstance(records, Sequence) and again is None:
        records = list(records)
    sized = isinstance(records, Sequence)
    tick = Ticker(progress if sized else None, len(records) if sized else 0)
    line_of_current = [0]

    def items() -> Iterator[tuple[int, dict]]:
        for position, record in enumerate(records):
            line_of_current[0] = record.line
            yield position, _from_record(record, source)

    def where_of(position: int):
        line = line_of_current[0]
        return lambda message: (line, message)

    def work() -> None:
        writer = Writer(ContactIndex.load(), dry_run)

        def repeated() -> set[str]:
            # Only once a row without URL or email has the name of one earlier LinkedIn contact.
            return _repeated_names(records if sized else again(), source, writer.index.linkedin_by_name)

        upsert_contacts(ctx, items(), source=source, tier=tier, writer=writer, report=report,
                        where_of=where_of, tick=tick, repeated_names=repeated, placing=False)

    run_import(work, dry_run)
    if progress is not None and sized and not records:
        progress(0, 0)
    return report
