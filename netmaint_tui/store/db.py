"""Opening the database: pragmas, permissions, schema version and migrations.

Every connection runs in WAL mode with synchronous=FULL (a committed touch survives a power cut),
foreign keys on, and a busy timeout so a second netmaint waits instead of failing at once.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from peewee import DatabaseError, OperationalError, SqliteDatabase

from netmaint_tui.paths import ensure_private_dir
from netmaint_tui.store import migrations
from netmaint_tui.store.errors import (
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseNewer,
    DatabaseUnavailable,
    damaged_message,
)
from netmaint_tui.store.models import database

BUSY_TIMEOUT_MS = 5000

PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
}


class NetmaintDatabase(SqliteDatabase):
    """Turns SQLite's terse errors into messages a user can act on."""

    def __init__(self, path: Path, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        if readonly:
            target = f"file:{self.path}?mode=ro"
            pragmas = {"foreign_keys": 1, "busy_timeout": BUSY_TIMEOUT_MS, "query_only": 1}
            super().__init__(target, uri=True, pragmas=pragmas, check_same_thread=False)
        else:
            super().__init__(str(self.path), pragmas=PRAGMAS, check_same_thread=False)

    def _connect(self):
        conn = super()._connect()
        _register_functions(conn)
        return conn

    def execute_sql(self, sql, params=None, *args, **kwargs):
        try:
            return super().execute_sql(sql, params, *args, **kwargs)
        except OperationalError as exc:
            raise translate_error(exc, self.path) from exc
        except DatabaseError as exc:
            raise translate_error(exc, self.path) from exc


def _register_functions(conn: sqlite3.Connection) -> None:
    # The ranking formula lives in rules.priority; SQLite calls it so ranking stays in SQL
    # (ORDER BY … LIMIT) while the formula stays in one place.
    from netmaint_tui.rules.priority import overdue_ratio, score

    conn.create_function("nm_score", 4, score, deterministic=True)
    conn.create_function("nm_overdue", 3, overdue_ratio, deterministic=True)


def translate_error(exc: Exception, path: Path) -> Exception:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseLocked(
            f"{path} is busy: another netmaint has held it for over {BUSY_TIMEOUT_MS // 1000} s; "
            "close the other one and try again"
        )
    if "readonly" in text or "read-only" in text:
        return DatabaseUnavailable(f"{path} is read-only; check its permissions (and its folder's)")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return DatabaseDamaged(damaged_message(path))
    if "unable to open" in text:
        return DatabaseUnavailable(f"cannot open {path}: check that the folder exists and is writable")
    if "disk is full" in text or "disk i/o" in text:
        return DatabaseUnavailable(f"cannot write {path}: the disk is full or failing; nothing was saved")
    return exc


def _create_private_file(path: Path) -> None:
    ensure_private_dir(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)


def open_database(path: str | os.PathLike, *, readonly: bool | None = None, migrate: bool = True) -> NetmaintDatabase:
    """Open (creating if needed) and bring the schema up to date; bind the models to it.

    readonly=None means "read-only if the file cannot be written", so a database on a
    read-only medium still opens for reading.
    """
    path = Path(path).expanduser()
    if readonly is None:
        readonly = path.exists() and not os.access(path, os.W_OK)
    if not readonly:
        _create_private_file(path)
    elif not path.exists():
        raise DatabaseUnavailable(f"{path} does not exist")
    db = NetmaintDatabase(path, readonly=readonly)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        version = db.execute_sql("PRAGMA user_version").fetchone()[0]
    except (DatabaseDamaged, DatabaseLocked, DatabaseUnavailable):
        db.close()
        raise
    if version > migrations.SCHEMA_VERSION:
        db.close()
        raise DatabaseNewer(
            f"{path} was written by a newer netmaint (schema {version}, this one reads up to "
            f"{migrations.SCHEMA_VERSION}); upgrade netmaint — the file was not changed"
        )
    if version < migrations.SCHEMA_VERSION:
        if readonly:
            db.close()
            raise DatabaseUnavailable(f"{path} needs an upgrade but is read-only; make it writable and retry")
        if migrate:
            migrations.migrate(db, version)
    return db


def close_database() -> None:
    obj = database.obj
    if obj is not None and not obj.is_closed():
        obj.close()
