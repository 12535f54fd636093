"""Opening the database: pragmas, permissions, schema version and migrations.

Every connection runs in WAL mode with synchronous=FULL (a committed touch survives a power cut),
foreign keys on, and a busy timeout so a second netmaint waits instead of failing at once.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from peewee import DatabaseError, OperationalError, SqliteDatabase

from netmaint_tui.store import migrations
from netmaint_tui.store.backup_names import latest_backup
from netmaint_tui.store.errors import (
    DAMAGE_MARK,
    DatabaseDamaged,
    DatabaseNewer,
    DatabaseUnavailable,
    NotNetmaintDatabase,
    StoreError,
    WrongFileGiven,
)
from netmaint_tui.store.files import (
    BUSY_TIMEOUT_MS,
    busy_timeout_ms,
    can_write,
    create_private_file,
    damaged_message,
    misuse_message,
    read_only_uri,
    translate_error,
    unusable_message,
    writable_sidecars,
)
from netmaint_tui.store.models import database

PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
}


class NetmaintDatabase(SqliteDatabase):
    """Turns SQLite's terse errors into messages a user can act on."""

    def __init__(self, path: Path, readonly: bool = False, sidecars: bool = True):
        self.path = Path(path)
        self.readonly = readonly
        timeout = busy_timeout_ms()
        if readonly:
            target = read_only_uri(self.path, sidecars)
            pragmas = {"foreign_keys": 1, "busy_timeout": timeout, "query_only": 1}
            super().__init__(target, uri=True, pragmas=pragmas, check_same_thread=False)
        else:
            pragmas = {**PRAGMAS, "busy_timeout": timeout}
            super().__init__(str(self.path), pragmas=pragmas, check_same_thread=False)

    def begin(self, lock_type=None):
        # A transaction that reads before it writes must take the write lock up front: in WAL mode
        # a deferred one that finds another writer has committed since its read cannot wait for
        # the lock and fails at once ("database is locked"), so a second netmaint writing at the
        # same time would lose the save instead of waiting a moment for its turn.
        if lock_type is None and not self.readonly:
            lock_type = "IMMEDIATE"
        try:
            return super().begin(lock_type)
        except (OperationalError, DatabaseError) as exc:
            raise translate_error(exc, self.path) from exc

    def commit(self):
        # COMMIT is where a WAL write can first find the disk full: translated like any statement.
        try:
            return super().commit()
        except (OperationalError, DatabaseError) as exc:
            raise translate_error(exc, self.path) from exc

    def rollback(self):
        # After some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM) SQLite has already rolled the
        # whole transaction back; a second ROLLBACK would fail ("no transaction is active") and that
        # failure would replace the error the user needs to see.
        if not self.is_closed() and not self.connection().in_transaction:
            return None
        try:
            return super().rollback()
        except (OperationalError, DatabaseError) as exc:
            raise translate_error(exc, self.path) from exc

    def _connect(self):
        conn = super()._connect()
        _register_functions(conn)
        return conn

    def connect(self, reuse_if_open=False):
        # Pragmas run while connecting, outside execute_sql: their errors need translating too.
        try:
            return super().connect(reuse_if_open)
        except (OperationalError, DatabaseError) as exc:
            raise translate_error(exc, self.path) from exc

    def execute_sql(self, sql, params=None, *args, **kwargs):
        if sql.startswith("ROLLBACK TO SAVEPOINT") and not self.is_closed() and not self.connection().in_transaction:
            return None  # already rolled back whole by SQLite (see rollback)
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

    # Four arguments, or five with the flag saying a birthday or anniversary makes them due.
    for arity in (4, 5):
        conn.create_function("nm_score", arity, score, deterministic=True)
        conn.create_function("nm_overdue", arity - 1, overdue_ratio, deterministic=True)
    # SQLite's lower() and LIKE fold ASCII only: 'Ölaf' would never match 'ölaf'.
    conn.create_function("nm_fold", 1, fold, deterministic=True)


def fold(text):
    """Case-insensitive form of a name for matching (Unicode-aware, unlike SQLite's lower())."""
    return None if text is None else str(text).casefold()


def open_database(path: str | os.PathLike, *, readonly: bool | None = None, migrate: bool = True) -> NetmaintDatabase:
    """Open (creating if needed) and bring the schema up to date; bind the models to it.

    readonly=None means "read-only if the file cannot be written" (the file, or the folder SQLite
    writes its -wal and -shm in), so a database on a read-only medium or in a read-only folder
    still opens for reading.
    """
    path = Path(path).expanduser()
    misuse = misuse_message(path)
    if misuse:
        raise WrongFileGiven(misuse)
    problem = unusable_message(path)
    if problem:
        raise DatabaseUnavailable(problem)
    if readonly is None:
        readonly = path.exists() and not can_write(path)
    if not readonly:
        try:
            create_private_file(path)
            writable_sidecars(path)
        except OSError as exc:
            raise DatabaseUnavailable(
                f"cannot create {path}: {exc.strerror or exc}; check that its folder is writable"
            ) from exc
    elif not path.exists():
        raise DatabaseUnavailable(f"{path} does not exist")
    # Judge the file before the first write-capable connection: switching to WAL mode rewrites
    # the header, and a file from a newer version, or not ours at all, must stay byte-for-byte as it was.
    _judge(path)
    if not readonly:
        _recheck_damage(path)
    db = NetmaintDatabase(path, readonly=readonly)
    version = _connect(db)
    database.initialize(db)
    if version < migrations.SCHEMA_VERSION:
        if readonly:
            db.close()
            raise DatabaseUnavailable(f"{path} needs an upgrade but is read-only; make it writable and retry")
        if migrate:
            migrations.migrate(db, version)
    return db


def open_snapshot(path: str | os.PathLike) -> NetmaintDatabase:
    """The database as it stands, for a look that must leave no trace (a dry run); bind the models.

    Read-only, and nothing is created: no database, folder, -wal or -shm. A missing or empty
    file is the empty database it would become, in memory; a file of an older schema is copied
    into memory and upgraded there.
    """
    path = Path(path).expanduser()
    misuse = misuse_message(path)
    if misuse:
        raise WrongFileGiven(misuse)
    problem = unusable_message(path)
    if problem:
        raise DatabaseUnavailable(problem)
    if not path.exists() or path.stat().st_size == 0:
        version, db = 0, NetmaintDatabase(Path(":memory:"))
        _connect(db)
    else:
        _judge(path)
        db = NetmaintDatabase(path, readonly=True, sidecars=False)
        version = _connect(db)
        if version < migrations.SCHEMA_VERSION:
            old, db = db, NetmaintDatabase(Path(":memory:"))
            _connect(db)
            try:
                old.connection().backup(db.connection())
            except sqlite3.Error as exc:
                raise _as_store_error(exc, path) from exc
            finally:
                old.close()
    database.initialize(db)
    if version < migrations.SCHEMA_VERSION:
        migrations.migrate(db, version, backup_first=False)  # in memory: the file is not touched
    return db


def _recheck_damage(path: Path) -> None:
    """A file an earlier command found damaged takes no write until a full check finds it whole
    again (it was repaired, or a backup restored over it, which also removes the mark)."""
    mark = Path(f"{path}{DAMAGE_MARK}")
    if not mark.exists():
        return
    try:
        conn = sqlite3.connect(read_only_uri(path, sidecars=True), uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        result = "unreadable"
    if result != "ok":
        raise DatabaseDamaged(damaged_message(path))
    mark.unlink(missing_ok=True)


def _judge(path: Path) -> None:
    """Refuse a file of a newer version or of another program, reading it without changing it."""
    version, tables = inspect_file(path)
    if version > migrations.SCHEMA_VERSION:
        raise DatabaseNewer(
            f"{path} was written by a newer netmaint (schema {version}, this one reads up to "
            f"{migrations.SCHEMA_VERSION}); upgrade netmaint — the file was not changed"
        )
    foreign = migrations.foreign_tables(tables) if version == 0 else []
    if foreign:
        raise NotNetmaintDatabase(
            f"{path} is a database of another program (it has tables such as {foreign[0]!r}); "
            "the file was not changed — choose another file with --db"
        )


def _connect(db: NetmaintDatabase) -> int:
    """Connect; the schema version the file says it has."""
    try:
        db.connect(reuse_if_open=True)
        return db.execute_sql("PRAGMA user_version").fetchone()[0]
    except StoreError:
        db.close()
        raise


def inspect_file(path: Path) -> tuple[int, list[str]]:
    """(user_version, table names) of a database file, read without changing it."""
    _refuse_other_files(path)
    # Creating no -wal and -shm beside a file that may be about to be refused.
    uri = read_only_uri(path, sidecars=False)
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout_ms() / 1000)
    except sqlite3.Error as exc:
        raise _as_store_error(exc, path) from exc
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'")
        ]
    except sqlite3.Error as exc:
        raise _as_store_error(exc, path) from exc
    finally:
        conn.close()
    return version, tables


def _refuse_other_files(path: Path) -> None:
    """A file that is not a database at all (a text file, a picture) is another file given by
    mistake, not a damaged database: said so, and left as it is."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        return
    if head and head != b"SQLite format 3\x00"[: len(head)]:
        latest = latest_backup(path)
        way_back = f"; if it was your network, restore the latest backup: netmaint restore {latest}" if latest else ""
        raise NotNetmaintDatabase(f"{path} is not a database file (it holds something else) and was not changed; "
                                  f"choose another file with --db{way_back}")


def _as_store_error(exc: Exception, path: Path) -> StoreError:
    translated = translate_error(exc, path)
    if isinstance(translated, StoreError):
        return translated
    return DatabaseUnavailable(f"cannot read {path}: {exc}")


def current_database(path: str | os.PathLike) -> NetmaintDatabase:
    """The database already bound for `path` (as the command line opened it before the app
    started), else open it. Re-binding while another thread uses the first one would pull it
    from under that thread."""
    obj = database.obj
    # Only one still open: a closed one was judged (writable or not, its version) for an earlier
    # command, and the file may have changed since.
    if isinstance(obj, NetmaintDatabase) and not obj.is_closed() and obj.path == Path(path).expanduser():
        return obj
    return open_database(path)


def data_version() -> int:
    """SQLite's count of commits by other connections to this file, as this thread's connection
    sees it: when it changes, someone else wrote (PRAGMA data_version)."""
    return database.execute_sql("PRAGMA data_version").fetchone()[0]


def close_database() -> None:
    obj = database.obj
    if obj is not None and not obj.is_closed():
        obj.close()
