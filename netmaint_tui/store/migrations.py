"""Forward-only schema migrations, versioned by PRAGMA user_version.

Each migration runs in one transaction together with the version bump, after an automatic
copy of the file, so a migration killed halfway leaves the old version intact and a retry works.
"""

from __future__ import annotations

from typing import Callable

from netmaint_tui.store.models import ALL_MODELS


def _migration_1(db) -> None:
    db.create_tables(ALL_MODELS, safe=False)
    statements = [
        # Name lookups (exact, then by prefix) ignore case.
        "CREATE INDEX contact_name_nocase ON contact (name COLLATE NOCASE)",
        "CREATE INDEX contact_source ON contact (source, source_id)",
        "CREATE INDEX follow_up_open_due ON follow_up (status, due)",
        "CREATE INDEX touch_contact_touch ON touch_contact (touch_id)",
        # Covering index: counting touches and minutes per week reads only the index.
        "CREATE INDEX touch_at_minutes ON touch (at, minutes)",
        # contact.last_touch_at is derived data kept by the database itself.
        """CREATE TRIGGER touch_contact_ai AFTER INSERT ON touch_contact BEGIN
             UPDATE contact SET last_touch_at = (SELECT at FROM touch WHERE id = NEW.touch_id)
             WHERE id = NEW.contact_id
               AND (last_touch_at IS NULL OR last_touch_at < (SELECT at FROM touch WHERE id = NEW.touch_id));
           END""",
        """CREATE TRIGGER touch_contact_ad AFTER DELETE ON touch_contact BEGIN
             UPDATE contact SET last_touch_at = (
               SELECT MAX(t.at) FROM touch_contact tc JOIN touch t ON t.id = tc.touch_id
               WHERE tc.contact_id = OLD.contact_id)
             WHERE id = OLD.contact_id;
           END""",
        """CREATE TRIGGER touch_au AFTER UPDATE OF at ON touch BEGIN
             UPDATE contact SET last_touch_at = (
               SELECT MAX(t.at) FROM touch_contact tc JOIN touch t ON t.id = tc.touch_id
               WHERE tc.contact_id = contact.id)
             WHERE id IN (SELECT contact_id FROM touch_contact WHERE touch_id = NEW.id);
           END""",
    ]
    for sql in statements:
        db.execute_sql(sql)


MIGRATIONS: list[Callable] = [_migration_1]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db, current: int) -> None:
    from netmaint_tui.store.backup import auto_backup

    if current > 0:
        auto_backup(db, reason=f"before-migration-{current}-to-{SCHEMA_VERSION}")
    for number in range(current + 1, SCHEMA_VERSION + 1):
        # BEGIN IMMEDIATE: take the write lock first, so two processes opening a fresh
        # file at once cannot both run the same migration.
        with db.atomic("IMMEDIATE"):
            version = db.execute_sql("PRAGMA user_version").fetchone()[0]
            if version >= number:
                continue
            MIGRATIONS[number - 1](db)
            db.execute_sql(f"PRAGMA user_version = {number}")
