"""Forward-only schema migrations, versioned by PRAGMA user_version.

Each migration runs in one transaction together with the version bump, after an automatic
copy of the file, so a migration killed halfway leaves the old version intact and a retry works.
"""

from __future__ import annotations

from typing import Callable

from netmaint_tui.store.backup import auto_backup
from netmaint_tui.store.errors import MigrationFailed, StoreError
from netmaint_tui.store.models import (
    ALL_MODELS, CapturedItem, ContactAlias, ContactDate, Correspondent, DeletedTouch, HistoryNote, SyncChange,
    NotDuplicate, SyncFolder, SyncItem,
)


def _migration_1(db) -> None:
    # IF NOT EXISTS throughout: a netmaint file whose user_version was lost (version 0 with our
    # tables) is completed and stamped instead of failing on the first CREATE.
    db.create_tables(ALL_MODELS, safe=True)
    statements = [
        # Name lookups (exact, then by prefix) ignore case.
        "CREATE INDEX IF NOT EXISTS contact_name_nocase ON contact (name COLLATE NOCASE)",
        "CREATE INDEX IF NOT EXISTS contact_source ON contact (source, source_id)",
        "CREATE INDEX IF NOT EXISTS follow_up_open_due ON follow_up (status, due)",
        "CREATE INDEX IF NOT EXISTS touch_contact_touch ON touch_contact (touch_id)",
        # Covering index: counting touches and minutes per week reads only the index.
        "CREATE INDEX IF NOT EXISTS touch_at_minutes ON touch (at, minutes)",
        # contact.last_touch_at is derived data kept by the database itself.
        """CREATE TRIGGER IF NOT EXISTS touch_contact_ai AFTER INSERT ON touch_contact BEGIN
             UPDATE contact SET last_touch_at = (SELECT at FROM touch WHERE id = NEW.touch_id)
             WHERE id = NEW.contact_id
               AND (last_touch_at IS NULL OR last_touch_at < (SELECT at FROM touch WHERE id = NEW.touch_id));
           END""",
        """CREATE TRIGGER IF NOT EXISTS touch_contact_ad AFTER DELETE ON touch_contact BEGIN
             UPDATE contact SET last_touch_at = (
               SELECT MAX(t.at) FROM touch_contact tc JOIN touch t ON t.id = tc.touch_id
               WHERE tc.contact_id = OLD.contact_id)
             WHERE id = OLD.contact_id;
           END""",
        """CREATE TRIGGER IF NOT EXISTS touch_au AFTER UPDATE OF at ON touch BEGIN
             UPDATE contact SET last_touch_at = (
               SELECT MAX(t.at) FROM touch_contact tc JOIN touch t ON t.id = tc.touch_id
               WHERE tc.contact_id = contact.id)
             WHERE id IN (SELECT contact_id FROM touch_contact WHERE touch_id = NEW.id);
           END""",
    ]
    for sql in statements:
        db.execute_sql(sql)


def _columns(db, table: str) -> set[str]:
    return {row[1] for row in db.execute_sql(f'PRAGMA table_info("{table}")').fetchall()}


def _add_column(db, table: str, column: str, declaration: str) -> None:
    # A file created by this version has the column from migration 1 already (it creates the
    # tables as the models are now), and so does one whose user_version was lost.
    if column not in _columns(db, table):
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {declaration}')


def _migration_2(db) -> None:
    """Touches captured from calendars and mail: what was read (once), where a touch came from,
    when a contact last wrote, and the addresses met or written to that are nobody's yet."""
    _add_column(db, "contact", "last_heard_at", "DATETIME")
    _add_column(db, "touch", "source", "TEXT")
    _add_column(db, "touch", "source_id", "TEXT")
    db.create_tables([CapturedItem, Correspondent], safe=True)


# A random UID in the form of a version 4 UUID, made by SQLite itself so that every way a row is
# inserted (a form, an import's bulk INSERT, a restore) gets one.
NEW_UID = ("lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' "
           "|| substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))")
SYNCED_TABLES = ("contact", "follow_up", "touch", "goal", "pause")
# The columns whose change a synced folder must hear of (contact.last_touch_at, kept by a trigger
# on every touch, is not one).
_SYNCED_COLUMNS = {
    "contact": ("name", "company", "role", "emails", "phones", "linkedin_url", "location", "how_met", "tier",
                "cadence_days", "birthday", "notes", "source", "source_id", "connected_on", "snoozed_until",
                "archived"),
    "follow_up": ("what", "due", "status", "suggested_by_id", "about_id", "about_text", "touch_id", "closed_at"),
    "touch": ("at", "channel", "kind", "minutes", "note", "source", "source_id"),
    "goal": ("from_date", "touches", "minutes"),
    "pause": ("start", "end", "reason"),
}


def _note_change(kind: str, row: str) -> str:
    # Only while some folder is synced: a network that never syncs keeps no list of changes.
    return (f"INSERT OR IGNORE INTO sync_change (kind, local_id) SELECT '{kind}', {row} "
            "WHERE EXISTS (SELECT 1 FROM sync_folder);")


def _migration_3(db) -> None:
    """Sync with vCard and iCalendar folders: a UID for every contact, follow-up, touch, goal and
    pause, made once and never changed; what each synced item was at its last sync; and the rows
    changed since, noted by triggers, so a run reads only those."""
    db.create_tables([SyncFolder, SyncItem, SyncChange], safe=True)
    for table in SYNCED_TABLES:
        _add_column(db, table, "uid", "TEXT")
        db.execute_sql(f'UPDATE "{table}" SET uid = {NEW_UID} WHERE uid IS NULL')
        db.execute_sql(f'CREATE UNIQUE INDEX IF NOT EXISTS "{table}_uid" ON "{table}" (uid)')
        db.execute_sql(f"""CREATE TRIGGER IF NOT EXISTS "{table}_uid_ai" AFTER INSERT ON "{table}"
                           WHEN NEW.uid IS NULL BEGIN
                             UPDATE "{table}" SET uid = {NEW_UID} WHERE id = NEW.id;
                           END""")
        columns = ", ".join(f'"{c}"' for c in _SYNCED_COLUMNS[table])
        db.execute_sql(f"""CREATE TRIGGER IF NOT EXISTS "{table}_sync_ai" AFTER INSERT ON "{table}" BEGIN
                             {_note_change(table, "NEW.id")} END""")
        db.execute_sql(f"""CREATE TRIGGER IF NOT EXISTS "{table}_sync_au" AFTER UPDATE OF {columns} ON "{table}" BEGIN
                             {_note_change(table, "NEW.id")} END""")
        db.execute_sql(f"""CREATE TRIGGER IF NOT EXISTS "{table}_sync_ad" AFTER DELETE ON "{table}" BEGIN
                             {_note_change(table, "OLD.id")} END""")
    # A contact's tags and a touch's people live in tables of their own.
    for table, kind, column in (("contact_tag", "contact", "contact_id"), ("touch_contact", "touch", "touch_id")):
        db.execute_sql(f"""CREATE TRIGGER IF NOT EXISTS "{table}_sync_ai" AFTER INSERT ON "{table}" BEGIN
                             {_note_change(kind, "NEW." + column)} END""")
        db.execute_sql(f"""CREATE TRIGGER IF NOT EXISTS "{table}_sync_ad" AFTER DELETE ON "{table}" BEGIN
                             {_note_change(kind, "OLD." + column)} END""")


def _migration_4(db) -> None:
    """Dates worth a touch: anniversaries with their labels (the birthday stays on the contact),
    and the due time each follow-up was last reminded of outside the app."""
    db.create_tables([ContactDate], safe=True)
    _add_column(db, "follow_up", "notified_due", "DATETIME")
    # The dates of the coming days, found by their month-day ('MM-DD', the end of every stored
    # date) without reading every contact: the ranking and `today` ask for them each time.
    db.execute_sql("CREATE INDEX IF NOT EXISTS contact_birthday_month_day ON contact (substr(birthday, -5))")
    db.execute_sql("CREATE INDEX IF NOT EXISTS contact_date_month_day ON contact_date (substr(date, -5))")


# The search index (migration 5): what the filter and `due --filter` look words up in.
# contact_fts holds a copy of each contact's searchable fields and its tags, one row per contact
# (rowid = the contact's id): small, and a copy can be rewritten from the contact at any time.
# touch_fts holds each touch's note once per person in it, and nothing else (contentless): its
# rowid is (contact id << 32) | touch id, so a word's matches give their contacts without a join
# over hundreds of thousands of links; a contentless row is removed by giving its old text
# back, which the triggers below do. follow_up_fts indexes the follow-up table in place.
SEARCH_TABLES = ("contact_fts", "touch_fts", "follow_up_fts")
_FTS_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")
CONTACT_FTS_COLUMNS = ("name", "company", "role", "location", "emails", "tags", "how_met", "notes")
_TOKENS = "tokenize = 'unicode61 remove_diacritics 2', prefix = '1'"
CONTACT_FTS_ROWS = (
    "INSERT INTO contact_fts (rowid, name, company, role, location, emails, tags, how_met, notes) "
    "SELECT c.id, c.name, c.company, c.role, c.location, c.emails, "
    "IFNULL((SELECT group_concat(t.name, char(10)) FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id "
    "WHERE ct.contact_id = c.id), ''), c.how_met, c.notes FROM contact c"
)


def _refresh_contact(which: str) -> str:
    """SQL rewriting contact_fts rows for the contacts `which` selects (their ids)."""
    return f"DELETE FROM contact_fts WHERE rowid IN ({which}); {CONTACT_FTS_ROWS} WHERE c.id IN ({which});"


# Every touch_fts row for the links between touches and contacts, as migration 5 builds the
# index; store.bulk adds a WHERE on the links it indexes.
TOUCH_FTS_ROWS = ("INSERT INTO touch_fts (rowid, note) SELECT (tc.contact_id << 32) | tc.touch_id, t.note "
                  "FROM touch_contact tc JOIN touch t ON t.id = tc.touch_id WHERE t.note != ''")
# The triggers that index each contact inserted, and again for each of its tags (migration 5):
# store.bulk builds the index once for a whole table of contacts.
CONTACT_INSERT_TRIGGERS = ("contact_fts_ai", "contact_tag_fts_ai")
# The triggers that run for each touch and each link inserted, besides the touch's UID: its note
# indexed (migration 5), its contact's last touch moved (migration 1), the change noted for sync
# (migration 3). store.bulk does their work once for a whole table of touches.
TOUCH_INSERT_TRIGGERS = ("touch_contact_ai", "touch_contact_fts_ai", "touch_contact_sync_ai", "touch_sync_ai")


def _touch_rows(verb: str, rowid: str, note: str, source: str) -> str:
    """SQL adding (verb 'insert') or removing ('delete') touch_fts rows; an empty note has none."""
    if verb == "delete":
        return (f"INSERT INTO touch_fts (touch_fts, rowid, note) SELECT 'delete', {rowid}, {note} "
                f"FROM {source} AND {note} != '';")
    return f"INSERT INTO touch_fts (rowid, note) SELECT {rowid}, {note} FROM {source} AND {note} != '';"


def _migration_5(db) -> None:
    """Search: every field, tag, note, touch and follow-up, kept in step by triggers, and built
    for what the file holds already. IF NOT EXISTS and a rebuild from scratch: run again on a
    file that has it (its version lost, or numbered differently), it leaves one whole index."""
    new_link, old_link = "(NEW.contact_id << 32) | NEW.touch_id", "(OLD.contact_id << 32) | OLD.touch_id"
    statements = [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS contact_fts USING fts5({', '.join(CONTACT_FTS_COLUMNS)}, {_TOKENS})",
        f"CREATE VIRTUAL TABLE IF NOT EXISTS touch_fts USING fts5(note, content = '', {_TOKENS})",
        "CREATE VIRTUAL TABLE IF NOT EXISTS follow_up_fts USING fts5(what, about_text, content = 'follow_up', "
        f"content_rowid = 'id', {_TOKENS})",
        # A contact's own fields; last_touch_at and the like change far more often and are not searched.
        f"""CREATE TRIGGER IF NOT EXISTS contact_fts_ai AFTER INSERT ON contact BEGIN
              {_refresh_contact("NEW.id")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS contact_fts_au
              AFTER UPDATE OF name, company, role, location, emails, how_met, notes ON contact BEGIN
              {_refresh_contact("NEW.id")} END""",
        """CREATE TRIGGER IF NOT EXISTS contact_fts_ad AFTER DELETE ON contact BEGIN
             DELETE FROM contact_fts WHERE rowid = OLD.id; END""",
        f"""CREATE TRIGGER IF NOT EXISTS contact_tag_fts_ai AFTER INSERT ON contact_tag BEGIN
              {_refresh_contact("NEW.contact_id")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS contact_tag_fts_ad AFTER DELETE ON contact_tag BEGIN
              {_refresh_contact("OLD.contact_id")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS tag_fts_au AFTER UPDATE OF name ON tag BEGIN
              {_refresh_contact("SELECT contact_id FROM contact_tag WHERE tag_id = NEW.id")} END""",
        # A link's row holds its touch's note. Deleting a touch removes its links' rows first
        # (BEFORE: they are still there); the links then go by cascade, finding no touch.
        f"""CREATE TRIGGER IF NOT EXISTS touch_contact_fts_ai AFTER INSERT ON touch_contact BEGIN
              {_touch_rows("insert", new_link, "t.note", "touch t WHERE t.id = NEW.touch_id")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS touch_contact_fts_ad AFTER DELETE ON touch_contact BEGIN
              {_touch_rows("delete", old_link, "t.note", "touch t WHERE t.id = OLD.touch_id")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS touch_contact_fts_au AFTER UPDATE ON touch_contact BEGIN
              {_touch_rows("delete", old_link, "t.note", "touch t WHERE t.id = OLD.touch_id")}
              {_touch_rows("insert", new_link, "t.note", "touch t WHERE t.id = NEW.touch_id")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS touch_fts_bd BEFORE DELETE ON touch BEGIN
              {_touch_rows("delete", "(tc.contact_id << 32) | OLD.id", "OLD.note",
                           "touch_contact tc WHERE tc.touch_id = OLD.id")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS touch_fts_au AFTER UPDATE OF note ON touch BEGIN
              {_touch_rows("delete", "(tc.contact_id << 32) | OLD.id", "OLD.note",
                           "touch_contact tc WHERE tc.touch_id = OLD.id")}
              {_touch_rows("insert", "(tc.contact_id << 32) | NEW.id", "NEW.note",
                           "touch_contact tc WHERE tc.touch_id = NEW.id")} END""",
        """CREATE TRIGGER IF NOT EXISTS follow_up_fts_ai AFTER INSERT ON follow_up BEGIN
             INSERT INTO follow_up_fts (rowid, what, about_text) VALUES (NEW.id, NEW.what, NEW.about_text); END""",
        """CREATE TRIGGER IF NOT EXISTS follow_up_fts_ad AFTER DELETE ON follow_up BEGIN
             INSERT INTO follow_up_fts (follow_up_fts, rowid, what, about_text)
             VALUES ('delete', OLD.id, OLD.what, OLD.about_text); END""",
        """CREATE TRIGGER IF NOT EXISTS follow_up_fts_au AFTER UPDATE OF what, about_text ON follow_up BEGIN
             INSERT INTO follow_up_fts (follow_up_fts, rowid, what, about_text)
             VALUES ('delete', OLD.id, OLD.what, OLD.about_text);
             INSERT INTO follow_up_fts (rowid, what, about_text) VALUES (NEW.id, NEW.what, NEW.about_text); END""",
        # Built afresh for what the file holds.
        "DELETE FROM contact_fts",
        CONTACT_FTS_ROWS,
        "INSERT INTO touch_fts (touch_fts) VALUES ('delete-all')",
        TOUCH_FTS_ROWS,
        "INSERT INTO follow_up_fts (follow_up_fts) VALUES ('rebuild')",
    ]
    for sql in statements:
        db.execute_sql(sql)


def _migration_6(db) -> None:
    """Deleted touches kept for 30 days (`touch list --deleted`, `touch restore`)."""
    db.create_tables([DeletedTouch], safe=True)


def _migration_7(db) -> None:
    """The source ids of contacts merged into another, for the next import to match."""
    db.create_tables([ContactAlias], safe=True)


def _migration_8(db) -> None:
    """Sync: the folder's time that the last run trusted, so a run leaves a folder nobody changed
    unlisted, when every file was last looked at, and the settings the folder was written with;
    and notes in a contact's history of what a synced folder said where netmaint kept its own value."""
    _add_column(db, "sync_folder", "stamp", "INTEGER")
    _add_column(db, "sync_folder", "full_at", "DATETIME")
    _add_column(db, "sync_folder", "options", "TEXT")
    # A full pass reads the etag of every file synced: from an index holding it, not from rows that
    # also hold each item's values.
    db.execute_sql("DROP INDEX IF EXISTS sync_item_folder_href")
    db.execute_sql("CREATE INDEX IF NOT EXISTS sync_item_folder_href_etag ON sync_item (folder, href, etag)")
    db.create_tables([HistoryNote], safe=True)


def _migration_9(db) -> None:
    """Pairs of contacts the user said are two people, left out of the likely duplicates."""
    db.create_tables([NotDuplicate], safe=True)


def _migration_10(db) -> None:
    """Anniversaries travel with their contact's card: a change to a contact's dates is a change
    of the contact for the next sync. Every card synced before is read again at the next run,
    once, so that the dates a phone put in a card and those netmaint holds are joined, not
    taken for a change of one side."""
    db.execute_sql(f"""CREATE TRIGGER IF NOT EXISTS contact_date_sync_ai AFTER INSERT ON contact_date BEGIN
                         {_note_change("contact", "NEW.contact_id")} END""")
    db.execute_sql(f"""CREATE TRIGGER IF NOT EXISTS contact_date_sync_ad AFTER DELETE ON contact_date BEGIN
                         {_note_change("contact", "OLD.contact_id")} END""")
    db.execute_sql(f"""CREATE TRIGGER IF NOT EXISTS contact_date_sync_au AFTER UPDATE ON contact_date BEGIN
                         {_note_change("contact", "OLD.contact_id")} {_note_change("contact", "NEW.contact_id")} END""")
    # An etag and a hash no file has: the next run reads each card; the folder's time is not trusted.
    db.execute_sql("UPDATE sync_item SET etag = '', hash = '' WHERE kind = 'contact'")
    db.execute_sql("UPDATE sync_folder SET stamp = NULL WHERE name = 'contacts'")


MIGRATIONS: list[Callable] = [
    _migration_1, _migration_2, _migration_3, _migration_4, _migration_5, _migration_6, _migration_7, _migration_8,
    _migration_9, _migration_10,
]
SCHEMA_VERSION = len(MIGRATIONS)

OWN_TABLES = frozenset(
    [model._meta.table_name for model in ALL_MODELS]
    + [f"{name}{shadow}" for name in SEARCH_TABLES for shadow in ("", *_FTS_SHADOWS)]
)


def foreign_tables(tables) -> list[str]:
    """Tables that no netmaint version creates, sorted (empty for a netmaint or a new file)."""
    return sorted(t for t in tables if t not in OWN_TABLES and not t.startswith("sqlite"))


def _has_tables(db) -> bool:
    row = db.execute_sql("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()
    return bool(row and row[0])


def migrate(db, current: int, *, backup_first: bool = True) -> None:
    backup = None
    # Any file that already holds data is copied first, whatever its version says.
    if backup_first and (current > 0 or _has_tables(db)):
        backup = auto_backup(db, reason=f"before-migration-{current}-to-{SCHEMA_VERSION}")
    for number in range(current + 1, SCHEMA_VERSION + 1):
        # BEGIN IMMEDIATE: take the write lock first, so two processes opening a fresh
        # file at once cannot both run the same migration.
        try:
            with db.atomic("IMMEDIATE"):
                version = db.execute_sql("PRAGMA user_version").fetchone()[0]
                if version >= number:
                    continue
                MIGRATIONS[number - 1](db)
                db.execute_sql(f"PRAGMA user_version = {number}")
        except StoreError:
            raise
        except Exception as exc:
            where = f"; a copy from before is at {backup}" if backup else ""
            raise MigrationFailed(
                f"cannot upgrade {getattr(db, 'path', 'the database')} to schema {number} ({exc}); "
                f"the file was left at schema {number - 1}{where}"
            ) from exc
