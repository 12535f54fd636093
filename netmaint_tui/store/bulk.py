"""Touches and their links written into an empty touch table (an import's restore), with the data
derived from them built once for the whole table instead of once per row.

Each touch and each link inserted runs triggers (store.migrations.TOUCH_INSERT_TRIGGERS): the
link's touch note goes into the search index, its contact's last touch moves, and the change is
noted for sync. For 300,000 touches they are most of an import's time. Inside
`touches_indexed_at_end` those triggers are dropped; at the end of the block the index is built
with the statement migration 5 builds it with, each contact's last touch moves as the trigger
would have moved it, the changes are noted as the triggers note them, and the triggers are made
again from the very text they were stored with. SQLite's DDL is part of the transaction: other
connections never see the triggers gone, and a fault in the block rolls the drop back with the
rest. The UID trigger still runs for each touch: a UID is made as it always is.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from netmaint_tui.store.migrations import TOUCH_FTS_ROWS, TOUCH_INSERT_TRIGGERS

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
def touches_indexed_at_end(db) -> Iterator[None]:
    """Within a transaction the caller holds, on a touch table that is empty: the touches and links
    inserted in the block are indexed for search, move their contacts' last touch and are noted
    for sync once, at its end. Only inserts: a touch changed or deleted in the block would meet an
    index that does not hold it yet."""
    if not db.in_transaction():
        raise RuntimeError("touches_indexed_at_end needs a transaction")
    if db.execute_sql("SELECT EXISTS (SELECT 1 FROM touch)").fetchone()[0]:
        raise RuntimeError("touches_indexed_at_end needs an empty touch table")
    marks = ", ".join("?" * len(TOUCH_INSERT_TRIGGERS))
    saved = db.execute_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})", TOUCH_INSERT_TRIGGERS
    ).fetchall()
    for name, _ in saved:
        db.execute_sql(f'DROP TRIGGER "{name}"')
    yield  # a fault here leaves the transaction to be rolled back, the triggers with it
    db.execute_sql(TOUCH_FTS_ROWS)
    db.execute_sql(_LAST_TOUCH)
    db.execute_sql(_NOTE_CHANGES)
    for _, sql in saved:
        db.execute_sql(sql)
