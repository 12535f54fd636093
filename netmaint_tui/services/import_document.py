"""Importing a netmaint export: its contacts as any import brings them (services.importing),
then its touches, follow-ups, goals and pauses, all in one transaction.

Into an empty database it is an exact restore, ids included. Each item is read with the types
the export writes: a value of another type, or one `log`, `follow-up` or `goal` would refuse, leaves
that item out with its place in the file (`touches[3].at: ...; skipped`) while the rest import.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from netmaint_tui.io.json_io import SECTIONS, check_document
from netmaint_tui.rules import schema
from netmaint_tui.rules.dates import day_problem
from netmaint_tui.services.common import Context, InputError, from_db
from netmaint_tui.services.import_common import (
    Counts,
    ImportReport,
    Progress,
    Ticker,
    as_stored,
    is_empty,
    now_stored,
    run_import,
    stored_time,
)
from netmaint_tui.services.importing import ContactIndex, Writer, upsert_contacts
from netmaint_tui.services.touches import validate_touch
from netmaint_tui.store.models import database

# What a document brings besides its contacts, in the order they are imported: a follow-up
# names the touch it came from.
OTHERS = tuple(section for section in SECTIONS if section != "contacts")



def _table_empty(table: str) -> bool:
    return database.execute_sql(f"SELECT NOT EXISTS (SELECT 1 FROM {table})").fetchone()[0] == 1


def import_document(
    ctx: Context,
    doc: dict,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Merge a netmaint export into the database, in one transaction; io.formats.DocumentError
    (nothing written) when `doc` does not have the export's outer shape.

    Into an empty database it is an exact restore, ids included, so exporting again gives the
    same document. Into one with data it merges: contacts as any import does; touches match on
    (time, contacts, channel), follow-ups on (what, due, suggested by), goals on all their
    values, pauses on their dates, so importing the same export twice changes nothing.
    """
    check_document(doc)
    report = ImportReport(dry_run=dry_run)
    contacts = doc.get("contacts") or []
    total = len(contacts) + sum(len(doc.get(s) or []) for s in OTHERS)
    tick = Ticker(progress, total)
    for name in OTHERS:
        report.others[name] = Counts()

    def where_of_section(section: str):
        def where_of(position: int):
            # A contact's own value is named by its path: contacts[3].archived.
            return lambda message: (0, f"{section}[{position}]" + (message if message.startswith(".") else f": {message}"))
        return where_of

    def work() -> None:
        index = ContactIndex.load()
        writer = Writer(index, dry_run)
        keep = {t: _table_empty(t) for t in ("contact", "touch", "follow_up", "goal", "pause")}
        items = [(i, c) for i, c in enumerate(contacts) if isinstance(c, dict)]
        for position, c in enumerate(contacts):
            if not isinstance(c, dict):
                report.skip(0, "", f"contacts[{position}]: not an object; skipped")
        if keep["contact"]:
            writer.reserve(max((c["id"] for _, c in items if isinstance(c.get("id"), int)), default=0))
        placed = upsert_contacts(
            ctx, items, source="json", tier="B", writer=writer, report=report,
            where_of=where_of_section("contacts"), tick=tick, claim=True, keep_ids=keep["contact"], typed=True,
        )
        contact_ids: dict[int, int] = {}
        by_position = dict(items)
        for position, cid in placed.items():
            doc_id = by_position[position].get("id")
            if isinstance(doc_id, int):
                contact_ids[doc_id] = cid
        done = len(contacts)
        done = _import_touches(ctx, doc.get("touches") or [], contact_ids, writer, report, keep["touch"], tick, done)
        done = _import_follow_ups(ctx, doc.get("follow_ups") or [], contact_ids, writer, report,
                                  keep["follow_up"], tick, done)
        done = _import_goals(ctx, doc.get("goals") or [], writer, report, keep["goal"], tick, done)
        _import_pauses(ctx, doc.get("pauses") or [], writer, report, keep["pause"], tick, done)

    run_import(work, dry_run)
    return report


def _section_issue(report: ImportReport, section: str, position: int, message: str, key: str | None = None) -> None:
    report.others[section].skipped += 1
    where = f"{section}[{position}]" + (f".{key}" if key else "")
    report.issue(0, f"{where}: {message}; skipped")


def _insert(writer: Writer, table: str, values: dict, wanted_id: Any, keep_ids: bool) -> int:
    if writer.dry_run:
        return writer.next_fake_id()
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
            return stored_time(value)
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
        existing.setdefault((as_stored(at), ids, channel), []).append((tid, kind, minutes, note))
    touch_ids: dict[int, int] = {}
    now = now_stored(ctx)
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
        row["due"], row["closed_at"] = as_stored(row["due"]), as_stored(row["closed_at"])
        existing.setdefault((row["what"], row["due"], row["suggested_by_id"]), []).append(row)
    now = now_stored(ctx)
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
                if k in ("status", "closed_at", "about_id", "about_text", "touch_id") and not is_empty(v) and v != row.get(k)}
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
    now = now_stored(ctx)
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
    now = now_stored(ctx)
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


