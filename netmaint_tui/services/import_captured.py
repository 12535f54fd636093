"""What captures keep, read back from a netmaint export (services.import_document runs these in
its transaction): each contact's last heard, the items captures have read (captured_items), and
the addresses met that are nobody's yet (correspondents).

Without them a restored database would capture every meeting and mail again, bring back the
captured touches the user deleted, and forget who is worth adding. Merged into a database that
has its own: last heard only moves later; an item already read stays as it is, unless it had
nobody who was a contact and the file's made a touch; an address keeps the most times counted
and the widest span of dates, so importing the same export twice changes nothing.
"""

from __future__ import annotations

from netmaint_tui.rules.capture import OUTCOMES, SOURCES, fold_email
from netmaint_tui.services.document_items import Bad, Item, insert_row, missing_refs, section_issue
from netmaint_tui.services.import_common import ImportReport, as_stored, now_stored
from netmaint_tui.services.importing import Writer
from netmaint_tui.store.models import database

MAX_TIMES = 10**9  # more meetings and mails than anyone has; a larger number is no count


def import_last_heard(items: list[tuple[int, dict]], placed: dict[int, int], writer: Writer,
                      report: ImportReport) -> None:
    """Each placed contact's `last_heard_at` from the file, where it is later than the one kept."""
    by_position = dict(items)
    for position, cid in placed.items():
        raw = by_position[position]
        if raw.get("last_heard_at") is None:
            continue
        try:
            at = Item(raw).moment("last_heard_at")
        except Bad as bad:
            report.issue(0, f"contacts[{position}].last_heard_at: {bad.message}; left out")
            continue
        if not writer.dry_run and cid > 0:
            writer.cursor.execute(
                "UPDATE contact SET last_heard_at = ? WHERE id = ? AND (last_heard_at IS NULL OR last_heard_at < ?)",
                (at, cid, at))


def import_captured_items(ctx, items, writer: Writer, report: ImportReport, keep_ids: bool, tick, done: int) -> int:
    counts = report.others["captured_items"]
    existing = {(source, key): (iid, outcome) for iid, source, key, outcome in database.execute_sql(
        "SELECT id, source, source_id, outcome FROM captured_item").fetchall()}
    touch_ids = writer.touch_ids
    now = now_stored(ctx)
    for position, raw in enumerate(items):
        done += 1
        tick(done)
        try:
            c = Item(raw)
            source, key = c.choice("source", SOURCES, required=True), c.text("source_id")
            if not key:
                raise Bad("source_id", "missing; expected the id it has in its calendar or mailbox")
            outcome, touch = c.choice("outcome", OUTCOMES, required=True), c.whole("touch")
            group_key = c.text("group_key") or None
            at, captured_at = c.moment("at", required=True), c.moment("captured_at") or now
        except Bad as bad:
            section_issue(report, "captured_items", position, bad.message, bad.key)
            continue
        if touch is not None and touch not in touch_ids:
            missing_refs(report, f"captured_items[{position}].touch", [touch], "a touch")
        values = {"source": source, "source_id": key, "touch_id": touch_ids.get(touch), "outcome": outcome,
                  "group_key": group_key, "at": at, "captured_at": captured_at}
        found = existing.get((source, key))
        if found is None:
            existing[(source, key)] = (insert_row(writer, "captured_item", values, raw.get("id"), keep_ids), outcome)
            counts.added += 1
        elif found[1] == "no-contact" and outcome != "no-contact":
            # Read here before anyone in it was a contact; the file's capture made its touch since.
            counts.updated += 1
            if not writer.dry_run and found[0] > 0:
                writer.cursor.execute(
                    "UPDATE captured_item SET touch_id = ?, outcome = ?, group_key = ?, captured_at = ? WHERE id = ?",
                    (values["touch_id"], outcome, group_key, captured_at, found[0]))
            existing[(source, key)] = (found[0], outcome)
        else:
            counts.unchanged += 1
    return done


def import_correspondents(ctx, items, writer: Writer, report: ImportReport, keep_ids: bool, tick, done: int) -> int:
    counts = report.others["correspondents"]
    existing = {email: {"id": cid, "name": name, "times": times, "first_at": as_stored(first),
                        "last_at": as_stored(last)}
                for cid, email, name, times, first, last in database.execute_sql(
                    "SELECT id, email, name, times, first_at, last_at FROM correspondent").fetchall()}
    for position, raw in enumerate(items):
        done += 1
        tick(done)
        try:
            c = Item(raw)
            email = fold_email(c.text("email"))
            if not email:
                raise Bad("email", "expected an email address")
            name, times = c.text("name"), c.whole("times")
            if times is None or not 1 <= times <= MAX_TIMES:
                raise Bad("times", f"expected a whole number from 1 to {MAX_TIMES:,}")
            first, last = c.moment("first_at", required=True), c.moment("last_at", required=True)
        except Bad as bad:
            section_issue(report, "correspondents", position, bad.message, bad.key)
            continue
        found = existing.get(email)
        if found is None:
            row = {"email": email, "name": name, "times": times, "first_at": first, "last_at": last}
            row["id"] = insert_row(writer, "correspondent", row, raw.get("id"), keep_ids)
            existing[email] = row
            counts.added += 1
            continue
        merged = {"name": found["name"] or name, "times": max(found["times"], times),
                  "first_at": min(found["first_at"], first), "last_at": max(found["last_at"], last)}
        if all(found[k] == v for k, v in merged.items()):
            counts.unchanged += 1
            continue
        counts.updated += 1
        if not writer.dry_run and found["id"] > 0:
            writer.cursor.execute("UPDATE correspondent SET name = ?, times = ?, first_at = ?, last_at = ? WHERE id = ?",
                                  (*merged.values(), found["id"]))
        found.update(merged)
    return done
