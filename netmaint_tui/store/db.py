"""Opening the database: pragmas, permissions, schema version and migrations.

Every connection runs in WAL mode with synchronous=FULL (a committed touch survives a power cut),
foreign keys on, and a busy timeout so a second netmaint waits instead of failing at once.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from peewee import DatabaseError, OperationalError, SqliteDatabase

from netmaint_tui.store import migrations
from netmaint_tui.store.errors import (
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseNewer,
    DatabaseUnavailable,
    NotNetmaintDatabase,
    StoreError,
    damaged_message,
)
from netmaint_tui.store.models import database

BUSY_TIMEOUT_MS = 5000
# How long to wait for another netmaint's write to finish; an override lets scripts (and tests)
# give up sooner or wait longer.
BUSY_TIMEOUT_ENV = "NETMAINT_BUSY_TIMEOUT_MS"

PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
}


def busy_timeout_ms() -> int:
    """The busy timeout in force: NETMAINT_BUSY_TIMEOUT_MS if set to a whole number, else the default."""
    raw = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if raw:
        try:
            return max(0, int(raw))
        except ValueError:
            pass
    return int(PRAGMAS.get("busy_timeout", BUSY_TIMEOUT_MS))


class NetmaintDatabase(SqliteDatabase):
    """Turns SQLite's terse errors into messages a user can act on."""

    def __init__(self, path: Path, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        timeout = busy_timeout_ms()
        if readonly:
            target = file_uri(self.path, "ro")
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

    conn.create_function("nm_score", 4, score, deterministic=True)
    conn.create_function("nm_overdue", 3, overdue_ratio, deterministic=True)
    # SQLite's lower() and LIKE fold ASCII only: 'Ölaf' would never match 'ölaf'.
    conn.create_function("nm_fold", 1, fold, deterministic=True)


def fold(text):
    """Case-insensitive form of a name for matching (Unicode-aware, unlike SQLite's lower())."""
    return None if text is None else str(text).casefold()


def file_uri(path: Path, mode: str = "ro") -> str:
    """An SQLite URI for a path that may hold '?', '#' or '%'."""
    return f"file:{quote(str(Path(path).absolute()))}?mode={mode}"


def translate_error(exc: Exception, path: Path) -> Exception:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseLocked(
            f"{path} is busy: another netmaint has held it for over {busy_timeout_ms() / 1000:g} s; "
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


def make_private_dirs(folder: Path) -> Path:
    """Create `folder` and any missing parents as owner-only (0700).

    Folders that already exist keep their permissions: `--db ~/net.db` must not lock the user
    out of sharing their own home folder.
    """
    folder = Path(folder)
    missing = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(created, 0o700)
    return folder


def _create_private_file(path: Path) -> None:
    make_private_dirs(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)


def _writable_sidecars(path: Path) -> None:
    """Give our own -wal and -shm files back their write permission.

    SQLite creates them with the database's mode, so a session while the file was read-only
    (chmod 0400) leaves them read-only; once the file is writable again every write would still
    fail as "read-only" until they are fixed.
    """
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        try:
            st = side.stat()
        except FileNotFoundError:
            continue
        if not st.st_mode & 0o200 and st.st_uid == os.geteuid():
            os.chmod(side, 0o600)


def open_database(path: str | os.PathLike, *, readonly: bool | None = None, migrate: bool = True) -> NetmaintDatabase:
    """Open (creating if needed) and bring the schema up to date; bind the models to it.

    readonly=None means "read-only if the file cannot be written", so a database on a
    read-only medium still opens for reading.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise DatabaseUnavailable(f"{path} is a folder; give a file in it, e.g. {path / 'netmaint.db'}")
    if readonly is None:
        readonly = path.exists() and not os.access(path, os.W_OK)
    if not readonly:
        try:
            _create_private_file(path)
            _writable_sidecars(path)
        except OSError as exc:
            raise DatabaseUnavailable(
                f"cannot create {path}: {exc.strerror or exc}; check that its folder is writable"
            ) from exc
    elif not path.exists():
        raise DatabaseUnavailable(f"{path} does not exist")
    # Judge the file before the first write-capable connection: switching to WAL mode rewrites
    # the header, and a file from a newer version, or not ours at all, must stay byte-for-byte as it was.
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
    db = NetmaintDatabase(path, readonly=readonly)
    try:
        db.connect(reuse_if_open=True)
        version = db.execute_sql("PRAGMA user_version").fetchone()[0]
    except StoreError:
        db.close()
        raise
    database.initialize(db)
    if version < migrations.SCHEMA_VERSION:
        if readonly:
            db.close()
            raise DatabaseUnavailable(f"{path} needs an upgrade but is read-only; make it writable and retry")
        if migrate:
            migrations.migrate(db, version)
    return db


def inspect_file(path: Path) -> tuple[int, list[str]]:
    """(user_version, table names) of a database file, read without changing it."""
    uri = file_uri(path, "ro")
    if not Path(f"{path}-wal").exists():
        # Nothing is in a WAL, so the file alone is the truth; reading it as immutable also keeps
        # SQLite from creating -wal and -shm beside a file that is about to be refused.
        uri += "&immutable=1"
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
