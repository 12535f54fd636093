"""Importing a netmaint export: its contacts as any import brings them (services.importing),
then its touches, follow-ups, goals and pauses, what captures keep (services.import_captured),
and what merges and syncs keep (services.import_kept), all in one transaction.

Into an empty database it is an exact restore, ids and uids included (an item's uid, who it is in
a synced folder, is kept wherever no row has it yet: services.document_items.Uids). Each item is
read with the types the export writes: a value of another type, or one `log`, `follow-up` or `goal`
would refuse, leaves that item out with its place in the file (`touches[3].at: ...; skipped`) while
the rest import.
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext

from netmaint_tui.io.json_io import SECTIONS, StreamedDocument, check_document
from netmaint_tui.rules import schema
from netmaint_tui.rules.capture import SOURCES
from netmaint_tui.services.common import Context
from netmaint_tui.services.document_items import (
    Bad,
    Item,
    Uids,
    checked,
    claim,
    insert_row,
    missing_refs,
    section_issue,
    table_empty,
)
from netmaint_tui.services.import_captured import import_captured_items, import_correspondents, import_last_heard
from netmaint_tui.services.import_kept import import_contact_aliases, import_history_notes, import_not_duplicates
from netmaint_tui.services.import_common import (
    Counts,
    ImportReport,
    Progress,
    Ticker,
    as_stored,
    is_empty,
    now_stored,
    run_import,
)
from netmaint_tui.services.importing import ContactIndex, Writer, upsert_contacts
from netmaint_tui.services.touches import validate_touch
from netmaint_tui.store.bulk import contacts_indexed_at_end, touches_indexed_at_end
from netmaint_tui.store.models import database

# What a document brings besides its contacts, in the order they are imported: a follow-up
# names the touch it came from.
OTHERS = tuple(section for section in SECTIONS if section != "contacts")


def import_document(
    ctx: Context,
    doc: dict | StreamedDocument,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Merge a netmaint export into the database, in one transaction; io.formats.DocumentError
    (nothing written) when `doc` does not have the export's outer shape. A StreamedDocument is
    read as it is imported, in the same transaction: a fault met in the file part way rolls back
    what was written before it.

    Into an empty database it is an exact restore, ids included, so exporting again gives the
    same document. Into one with data it merges: contacts as any import does; touches match on
    (time, contacts, channel), follow-ups on (what, due, suggested by), goals on all their
    values, pauses on their dates, what captures read on where it was read from, the people worth
    adding on their address, aliases, pairs that are two people and history notes on all their
    values, so importing the same export twice changes nothing.
    """
    streamed = isinstance(doc, StreamedDocument)
    if not streamed:
        check_document(doc)
    report = ImportReport(dry_run=dry_run)
    contacts = list(doc.get("contacts") or [])
    if streamed:
        # Read as it is imported: progress is how far into the file reading has got.
        ticker = Ticker(progress, doc.size)
        tick = lambda done: ticker(doc.position)  # noqa: E731
    else:
        tick = Ticker(progress, len(contacts) + sum(len(doc.get(s) or []) for s in OTHERS))
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
        keep = {t: table_empty(t) for t in ("contact", "touch", "follow_up", "goal", "pause", "captured_item",
                                            "correspondent", "contact_alias", "not_duplicate", "history_note")}
        items = [(i, c) for i, c in enumerate(contacts) if isinstance(c, dict)]
        for position, c in enumerate(contacts):
            if not isinstance(c, dict):
                report.skip(0, "", f"contacts[{position}]: not an object; skipped")
        if keep["contact"]:
            writer.reserve(max((c["id"] for _, c in items if isinstance(c.get("id"), int)), default=0))
        # Into empty tables, the search index is built once when all are in, not row by row (store.bulk).
        with contacts_indexed_at_end(database) if keep["contact"] and not dry_run else nullcontext():
            placed = upsert_contacts(
                ctx, items, source="json", tier="B", writer=writer, report=report,
                where_of=where_of_section("contacts"), tick=tick, claim=True, keep_ids=keep["contact"], typed=True,
                uid_of=Uids(report, "contacts", "contact").take,
            )
        contact_ids: dict[int, int] = {}
        by_position = dict(items)
        for position, cid in placed.items():
            doc_id = by_position[position].get("id")
            if isinstance(doc_id, int):
                contact_ids[doc_id] = cid
        import_last_heard(items, placed, writer, report)
        done = len(contacts)
        # Read whole (a contact is matched against all the others); let go before the touches.
        contacts.clear()
        del items, by_position, placed
        # The touches are indexed, move their contacts' last touch and are noted for sync at the end.
        with touches_indexed_at_end(database) if keep["touch"] and not dry_run else nullcontext():
            done = _import_touches(ctx, doc.get("touches") or [], contact_ids, writer, report, keep["touch"], tick,
                                   done)
        done = _import_follow_ups(ctx, doc.get("follow_ups") or [], contact_ids, writer, report,
                                  keep["follow_up"], tick, done)
        done = _import_goals(ctx, doc.get("goals") or [], writer, report, keep["goal"], tick, done)
        done = _import_pauses(ctx, doc.get("pauses") or [], writer, report, keep["pause"], tick, done)
        done = import_captured_items(ctx, doc.get("captured_items") or [], writer, report, keep["captured_item"],
                                     tick, done)
        done = import_correspondents(ctx, doc.get("correspondents") or [], writer, report, keep["correspondent"],
                                     tick, done)
        done = import_contact_aliases(doc.get("contact_aliases") or [], contact_ids, writer, report,
                                      keep["contact_alias"], tick, done)
        done = import_not_duplicates(ctx, doc.get("not_duplicates") or [], contact_ids, writer, report,
                                     keep["not_duplicate"], tick, done)
        import_history_notes(doc.get("history_notes") or [], contact_ids, writer, report, keep["history_note"],
                             tick, done)
        if streamed:
            doc.finish()  # a fault after the last section still leaves the database as it was

    run_import(work, dry_run)
    return report


def _import_touches(ctx, touches, contact_ids, writer, report, keep_ids, tick, done) -> int:
    counts = report.others["touches"]
    existing: dict[tuple, list[tuple]] = {}
    for tid, at, channel, kind, minutes, note, source, members in database.execute_sql(
        "SELECT t.id, t.at, t.channel, t.kind, t.minutes, t.note, t.source, "
        "(SELECT group_concat(contact_id) FROM touch_contact WHERE touch_id = t.id) FROM touch t ORDER BY t.id"
    ).fetchall():
        ids = frozenset(int(x) for x in (members or "").split(",") if x)
        existing.setdefault((as_stored(at), ids, channel), []).append((tid, kind, minutes, note, source))
    touch_ids: dict[int, int] = {}
    uids = Uids(report, "touches", "touch")
    now = now_stored(ctx)
    moment = dt.datetime.fromtimestamp(ctx.now().timestamp(), dt.timezone.utc)  # plain: cheap to compare
    # Into an empty table each touch keeps its id, so rows and links go in a few thousand at a
    # time (the links after their touches: their triggers read the touch).
    batch = Batch(writer, uids) if keep_ids and not writer.dry_run else None
    for position, raw in enumerate(touches):
        done += 1
        tick(done)
        try:
            t = Item(raw)
            at = t.moment("at", required=True)
            created = t.moment("created_at") or now
            channel, kind = t.text("channel", "meeting"), t.text("kind", "catch-up")
            minutes, note, refs = t.whole("minutes"), t.text("note"), t.refs("contacts")
            source, source_id = t.choice("source", SOURCES), t.text("source_id") or None
            # What `log` refuses (a touch in the future, a day of minutes), a file cannot bring in.
            checked(lambda: validate_touch(ctx, _utc(at), channel, kind, minutes, note, now=moment))
        except Bad as bad:
            section_issue(report, "touches", position, bad.message, bad.key)
            continue
        members = list(dict.fromkeys(contact_ids[r] for r in refs if r in contact_ids))
        if not members:
            section_issue(report, "touches", position, "none of its contacts are in the file")
            continue
        missing_refs(report, f"touches[{position}].contacts", [r for r in refs if r not in contact_ids])
        found = claim(existing.get((at, frozenset(members), channel), []),
                      lambda row: row[1:4] == (kind, minutes, note))
        if found is not None:
            tid, old_kind, old_minutes, old_note, old_source = found
            sets = {}
            if source and not old_source:  # typed here, captured there: where it came from is kept
                sets.update(source=source, source_id=source_id)
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
        elif batch is not None and _usable_id(raw.get("id")):  # ids are unique (checked as read)
            tid = raw["id"]
            batch.add(tid, (tid, uids.take(raw, position), at, channel, kind, minutes, note, created, source,
                            source_id), members)
            counts.added += 1
        else:
            if batch is not None:
                batch.flush()
            tid = insert_row(writer, "touch", {"uid": uids.take(raw, position), "at": at, "channel": channel,
                                               "kind": kind, "minutes": minutes, "note": note, "created_at": created,
                                               "source": source, "source_id": source_id}, raw.get("id"), keep_ids)
            if not writer.dry_run:
                uids.written()
                writer.cursor.executemany(
                    "INSERT INTO touch_contact (touch_id, contact_id) VALUES (?, ?)", [(tid, c) for c in members]
                )
            counts.added += 1
        if isinstance(raw.get("id"), int):
            touch_ids[raw["id"]] = tid
    if batch is not None:
        batch.flush()
    writer.touch_ids = touch_ids
    return done


def _usable_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _utc(stored: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stored).replace(tzinfo=dt.timezone.utc)


class Batch:
    """Touches with the ids they bring, and their links, written a few thousand at a time."""

    SIZE = 5000

    def __init__(self, writer, uids: Uids):
        self.writer, self.uids = writer, uids
        self.rows: list[tuple] = []
        self.links: list[tuple[int, int]] = []

    def add(self, tid: int, row: tuple, members: list[int]) -> None:
        self.rows.append(row)
        self.links.extend((tid, c) for c in members)
        if len(self.rows) >= self.SIZE:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        cursor = self.writer.cursor
        cursor.executemany(
            "INSERT INTO touch (id, uid, at, channel, kind, minutes, note, created_at, source, source_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self.rows)
        cursor.executemany("INSERT INTO touch_contact (touch_id, contact_id) VALUES (?, ?)", self.links)
        self.rows, self.links = [], []
        self.uids.written()


_FOLLOW_UP_COLUMNS = ("what", "due", "status", "suggested_by_id", "about_id", "about_text", "touch_id",
                      "created_at", "closed_at")


def _import_follow_ups(ctx, follow_ups, contact_ids, writer, report, keep_ids, tick, done) -> int:
    counts = report.others["follow_ups"]
    touch_ids, follow_up_ids = writer.touch_ids, writer.follow_up_ids
    existing: dict[tuple, list[dict]] = {}
    cursor = database.execute_sql(f"SELECT id, {', '.join(_FOLLOW_UP_COLUMNS)} FROM follow_up ORDER BY id")
    names = [d[0] for d in cursor.description]
    for values in cursor.fetchall():
        row = dict(zip(names, values))
        row["due"], row["closed_at"] = as_stored(row["due"]), as_stored(row["closed_at"])
        existing.setdefault((row["what"], row["due"], row["suggested_by_id"]), []).append(row)
    uids = Uids(report, "follow_ups", "follow_up")
    now = now_stored(ctx)
    for position, raw in enumerate(follow_ups):
        done += 1
        tick(done)
        try:
            f = Item(raw)
            what = checked(lambda: schema.clean_follow_up_text(f.text("what"), typed=True))
            due = f.moment("due", required=True)
            status = checked(lambda: schema.clean_status(f.text("status", "open")))
            refs = {key: f.whole(key) for key in ("suggested_by", "about", "touch")}
            about_text = checked(lambda: schema.clean_line("about_text", f.text("about_text"), typed=True))
            created, closed = f.moment("created_at") or now, f.moment("closed_at")
        except Bad as bad:
            section_issue(report, "follow_ups", position, bad.message, bad.key)
            continue
        for key, known in (("suggested_by", contact_ids), ("about", contact_ids), ("touch", touch_ids)):
            if refs[key] is not None and refs[key] not in known:
                missing_refs(report, f"follow_ups[{position}].{key}", [refs[key]], "a contact" if known is contact_ids
                              else "a touch")
        values = {
            "what": what, "due": due, "status": status,
            "suggested_by_id": contact_ids.get(refs["suggested_by"]), "about_id": contact_ids.get(refs["about"]),
            "about_text": about_text, "touch_id": touch_ids.get(refs["touch"]),
            "created_at": created, "closed_at": closed,
        }
        row = claim(existing.get((what, due, values["suggested_by_id"]), []),
                    lambda row: all(row[k] == values[k] for k in ("status", "about_id", "about_text", "closed_at")))
        if row is None:
            fid = insert_row(writer, "follow_up", {**values, "uid": uids.take(raw, position)}, raw.get("id"), keep_ids)
            if isinstance(raw.get("id"), int):
                follow_up_ids[raw["id"]] = fid
            counts.added += 1
            continue
        if isinstance(raw.get("id"), int):
            follow_up_ids[raw["id"]] = row["id"]
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
    uids = Uids(report, "goals", "goal")
    now = now_stored(ctx)
    for position, raw in enumerate(goals):
        done += 1
        tick(done)
        try:
            g = Item(raw)
            start, touches, minutes = g.day("from_date"), g.whole("touches"), g.whole("minutes")
            created = g.moment("created_at") or now
            problem = schema.goal_problem(touches, minutes)
            if problem:
                raise Bad(None, problem)
        except Bad as bad:
            section_issue(report, "goals", position, bad.message, bad.key)
            continue
        key = (start, touches, minutes)
        if key in existing:
            counts.unchanged += 1
            continue
        insert_row(writer, "goal", {"from_date": start, "touches": touches, "minutes": minutes,
                                    "created_at": created, "uid": uids.take(raw, position)}, raw.get("id"), keep_ids)
        existing.add(key)
        counts.added += 1
    return done


def _import_pauses(ctx, pauses, writer, report, keep_ids, tick, done) -> int:
    counts = report.others["pauses"]
    existing = {(str(s), str(e)): (pid, reason) for pid, s, e, reason in
                database.execute_sql("SELECT id, start, \"end\", reason FROM pause").fetchall()}
    uids = Uids(report, "pauses", "pause")
    now = now_stored(ctx)
    for position, raw in enumerate(pauses):
        done += 1
        tick(done)
        try:
            p = Item(raw)
            start, end = p.day("start"), p.day("end")
            reason = checked(lambda: schema.clean_line("reason", p.text("reason"), typed=True))
            created = p.moment("created_at") or now
            if end < start:
                raise Bad("end", f"{end} is before the start, {start}")
        except Bad as bad:
            section_issue(report, "pauses", position, bad.message, bad.key)
            continue
        found = existing.get((start, end))
        if found is None:
            pid = insert_row(writer, "pause", {"start": start, "end": end, "reason": reason, "created_at": created,
                                               "uid": uids.take(raw, position)}, raw.get("id"), keep_ids)
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


