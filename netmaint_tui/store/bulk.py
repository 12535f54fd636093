"""Contacts, or touches and their links, written into an empty table (an import's restore), with
the data derived from them built once for the whole table instead of once per row.

Each row inserted runs triggers (store.migrations.CONTACT_INSERT_TRIGGERS, TOUCH_INSERT_TRIGGERS):
a contact is indexed for search, again for each of its tags; a link's touch note is indexed, its
contact's last touch moves, and the change is noted for sync. For 30,000 contacts and 300,000
touches they are most of an import's time. Inside `contacts_indexed_at_end` and
`touches_indexed_at_end` those triggers are dropped; at the end of the block the index is built
with the statements migration 5 builds it with, each contact's last touch moves as the trigger
would have moved it, the changes are noted as the triggers note them, and the triggers are made
again from the very text they were stored with. SQLite's DDL is part of the transaction: other
connections never see the triggers gone, and a fault in the block rolls the drop back with the
rest. The UID triggers still run for each row: a UID is made as it always is.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from netmaint_tui.store.migrations import (
    CONTACT_FTS_ROWS, CONTACT_INSERT_TRIGGERS, TOUCH_FTS_ROWS, TOUCH_INSERT_TRIGGERS,
)

# The trigger's rule (migration 1) for all links at once: a contact's last touch only ever moves
# later, to the latest of its touches.
_LAST_TOUCH = (
    "UPDATE contact SET last_touch_at = latest.at FROM ("
    "SELECT tc.contact_id AS id, MAX(t.at) AS at FROM touch_contact tc JOIN touch t ON t.id = tc.touch_id "
    "GROUP BY tc.contact_id) AS latest "
    "WHERE contact.id = latest.id AND (contact.last_touch_at IS NULL OR contact.last_touch_at < latest.at)"
)
# The sync triggers' note (migration 3) for every touch: only while some folder is synced.
_NOTE_CHANGES = ("INSERT OR IGNORE INTO sync_change (kind, local_id) SELECT 'touch', id FROM touch "
                 "WHERE EXISTS (SELECT 1 FROM sync_folder) ORDER BY id")


@contextmanager
def _without(db, table: str, triggers: tuple[str, ...]) -> Iterator[None]:
    """The block run without `triggers`, in the caller's transaction, on `table` empty; they are
    made again after it (the caller's work first), or rolled back with the rest on a fault."""
    if not db.in_transaction():
        raise RuntimeError(f"{table} rows are written in bulk only inside a transaction")
    if db.execute_sql(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]:
        raise RuntimeError(f"{table} rows are written in bulk only into an empty table")
    marks = ", ".join("?" * len(triggers))
    saved = db.execute_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})", triggers
    ).fetchall()
    for name, _ in saved:
        db.execute_sql(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in saved:
        db.execute_sql(sql)


@contextmanager
def contacts_indexed_at_end(db) -> Iterator[None]:
    """Within a transaction the caller holds, on an empty contact table: the contacts and tags
    written in the block are indexed for search once, at its end."""
    with _without(db, "contact", CONTACT_INSERT_TRIGGERS):
        yield
        db.execute_sql("DELETE FROM contact_fts")
        db.execute_sql(CONTACT_FTS_ROWS)


@contextmanager
def touches_indexed_at_end(db) -> Iterator[None]:
    """Within a transaction the caller holds, on an empty touch table: the touches and links
    inserted in the block are indexed for search, move their contacts' last touch and are noted
    for sync once, at its end. Only inserts: a touch changed or deleted in the block would meet
    an index that does not hold it yet."""
    with _without(db, "touch", TOUCH_INSERT_TRIGGERS):
        yield
        # In rowid order (contact, then touch: read from the links' unique index, nothing sorted):
        # FTS5 writes out what it holds whenever a rowid is lower than the last one, and in the
        # links' own order that is nearly every row (5.8 s against 1.7 s for 330,000 links).
        db.execute_sql(f"{TOUCH_FTS_ROWS} ORDER BY tc.contact_id, tc.touch_id")
        db.execute_sql(_LAST_TOUCH)
        db.execute_sql(_NOTE_CHANGES)
