"""What merges and syncs keep, read back from a netmaint export (services.import_document runs
these in its transaction, after the contacts and follow-ups they name): the source ids of contacts
merged into another (contact_aliases), the pairs the user said are two people (not_duplicates),
and the lines of a history that a sync kept (history_notes).

Without them a restored database would add a merged-away person again at the next import of
their source, list again as duplicates the pairs the user set apart, and lose what was typed on
another device where netmaint kept its own value. Each names its contacts and follow-ups by the
file's ids, mapped to the rows they became; an item is already there when a row with all its
values is, so importing the same export twice, or into a database that has them, adds nothing.
"""

from __future__ import annotations

from collections import Counter

from netmaint_tui.services.document_items import Bad, Item, insert_row, missing_refs, section_issue
from netmaint_tui.services.import_common import ImportReport, as_stored, now_stored
from netmaint_tui.services.importing import Writer
from netmaint_tui.store.models import database


def _contact(item: Item, key: str, contact_ids: dict[int, int], required: bool = True) -> int | None:
    """The stored contact an item's `key` names; Bad when it names none the file brought."""
    ref = item.whole(key)
    if ref is None:
        if required:
            raise Bad(key, "missing; expected a contact's id")
        return None
    if ref not in contact_ids:
        raise Bad(key, f"{ref} is not a contact in the file (or it was left out)")
    return contact_ids[ref]


def import_contact_aliases(items, contact_ids: dict[int, int], writer: Writer, report: ImportReport,
                           keep_ids: bool, tick, done: int) -> int:
    counts = report.others["contact_aliases"]
    existing = set(database.execute_sql("SELECT contact_id, source, source_id FROM contact_alias").fetchall())
    for position, raw in enumerate(items):
        done += 1
        tick(done)
        try:
            a = Item(raw)
            contact = _contact(a, "contact", contact_ids)
            source, source_id = a.text("source"), a.text("source_id")
            if not source_id:
                raise Bad("source_id", "missing; expected the id the contact had in its source")
        except Bad as bad:
            section_issue(report, "contact_aliases", position, bad.message, bad.key)
            continue
        key = (contact, source, source_id)
        if key in existing:
            counts.unchanged += 1
            continue
        insert_row(writer, "contact_alias", {"contact_id": contact, "source": source, "source_id": source_id},
                   raw.get("id"), keep_ids)
        existing.add(key)
        counts.added += 1
    return done


def import_not_duplicates(ctx, items, contact_ids: dict[int, int], writer: Writer, report: ImportReport,
                          keep_ids: bool, tick, done: int) -> int:
    counts = report.others["not_duplicates"]
    existing = set(database.execute_sql("SELECT first_id, second_id FROM not_duplicate").fetchall())
    now = now_stored(ctx)
    for position, raw in enumerate(items):
        done += 1
        tick(done)
        try:
            p = Item(raw)
            first, second = _contact(p, "first", contact_ids), _contact(p, "second", contact_ids)
            created = p.moment("created_at") or now
            if first == second:
                raise Bad(None, "both are one contact in this database")
        except Bad as bad:
            section_issue(report, "not_duplicates", position, bad.message, bad.key)
            continue
        pair = (min(first, second), max(first, second))  # the smaller id first, as not_duplicates() keeps it
        if pair in existing:
            counts.unchanged += 1
            continue
        insert_row(writer, "not_duplicate", {"first_id": pair[0], "second_id": pair[1], "created_at": created},
                   raw.get("id"), keep_ids)
        existing.add(pair)
        counts.added += 1
    return done


def import_history_notes(items, contact_ids: dict[int, int], writer: Writer, report: ImportReport,
                         keep_ids: bool, tick, done: int) -> int:
    counts = report.others["history_notes"]
    # Two notes alike are two: each stored one answers for one item of the file.
    existing = Counter((contact, follow_up, as_stored(at), source, text) for contact, follow_up, at, source, text in
                       database.execute_sql("SELECT contact_id, follow_up_id, at, source, text FROM history_note"))
    follow_up_ids = writer.follow_up_ids
    for position, raw in enumerate(items):
        done += 1
        tick(done)
        try:
            n = Item(raw)
            refs = {"contact": n.whole("contact"), "follow_up": n.whole("follow_up")}
            at, source, text = n.moment("at", required=True), n.text("source", "sync"), n.text("text")
            if refs["contact"] is None and refs["follow_up"] is None:
                raise Bad(None, "names neither a contact nor a follow-up")
        except Bad as bad:
            section_issue(report, "history_notes", position, bad.message, bad.key)
            continue
        contact, follow_up = contact_ids.get(refs["contact"]), follow_up_ids.get(refs["follow_up"])
        for key, known, what in (("contact", contact, "a contact"), ("follow_up", follow_up, "a follow-up")):
            if refs[key] is not None and known is None:
                missing_refs(report, f"history_notes[{position}].{key}", [refs[key]], what)
        if contact is None and follow_up is None:
            section_issue(report, "history_notes", position, "neither its contact nor its follow-up is in the file")
            continue
        key = (contact, follow_up, at, source, text)
        if existing[key] > 0:
            existing[key] -= 1
            counts.unchanged += 1
            continue
        insert_row(writer, "history_note", {"contact_id": contact, "follow_up_id": follow_up, "at": at,
                                            "source": source, "text": text}, raw.get("id"), keep_ids)
        counts.added += 1
    return done
