"""Opening the database: pragmas, permissions, schema version and migrations.

Every connection runs in WAL mode with synchronous=FULL (a committed touch survives a power cut),
foreign keys on, and a busy timeout so a second netmaint waits instead of failing at once.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from urllib.parse import quote

from peewee import DatabaseError, OperationalError, SqliteDatabase

from netmaint_tui.store import migrations
from netmaint_tui.store.errors import (
    DAMAGE_MARK,
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseNewer,
    DatabaseUnavailable,
    NotNetmaintDatabase,
    WrongFileGiven,
    StoreError,
    damage_found,
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


def _sidecars(path: Path) -> tuple[Path, Path]:
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def _folder_writable(path: Path) -> bool:
    return os.access(Path(path).absolute().parent, os.W_OK | os.X_OK)


def read_only_uri(path: Path, sidecars: bool = True) -> str:
    """A read-only URI that works without creating a file wherever one cannot or must not be.

    Reading a WAL-mode file takes SQLite's -wal and -shm beside it, which it creates when missing
    (and leaves behind), and cannot where the folder is read-only. When both are there, another
    netmaint may be writing: read through them. When the WAL holds nothing, the file alone is the
    whole truth, and SQLite can read it as it stands (immutable=1) without either: so it is read
    in a read-only folder, and wherever `sidecars` is False (a dry run leaves no trace). Elsewhere
    SQLite makes them, so that a writer that starts meanwhile is seen.
    """
    uri = file_uri(path, "ro")
    wal, shm = _sidecars(path)
    if wal.exists() and shm.exists():
        return uri
    try:
        wal_empty = wal.stat().st_size == 0
    except OSError:
        wal_empty = True
    if wal_empty and (not sidecars or not _folder_writable(path)):
        uri += "&immutable=1"
    return uri


def can_write(path: Path) -> bool:
    """Whether netmaint may write the file (create it, if it is missing): the file and its folder
    both writable. SQLite creates its -wal and -shm in the folder, and netmaint its backups and
    a restore's copies; a folder made read-only makes the database read-only, whatever is in it."""
    if os.path.lexists(path):
        return os.access(path, os.W_OK) and _folder_writable(path)
    # Missing folders are made (make_private_dirs): the nearest one that exists must be writable.
    folder = Path(path).absolute().parent
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


def read_only_message(path: Path) -> str:
    """Why a write to `path` was refused, with what to do."""
    if not os.access(path, os.W_OK):
        return f"{path} is read-only; nothing was saved — make it writable (chmod u+w) to change it"
    folder = Path(path).absolute().parent
    return (f"{path} is read-only here: its folder {folder} is not writable, and SQLite writes its "
            "-wal and -shm files beside the database; nothing was saved — make the folder writable to change it")


# What netmaint names a backup (store.backup), and SQLite a database's companion files: opening
# one of them as a database would write into it (switching to WAL mode alone rewrites the header).
_BACKUP_NAME = re.compile(r".+-(?:manual-)?\d{8}-\d{6}(?:-[a-z0-9]+(?:-[a-z0-9]+)*)?(?:\.\d+)?\.db")
_COMPANIONS = {"-wal": "write-ahead log", "-shm": "shared-memory file", "-journal": "journal"}


def misuse_message(path: Path) -> str | None:
    """Why `path` must not be opened as a database although it is one of netmaint's files: a
    backup, or another database's companion file. None otherwise."""
    for suffix, what in _COMPANIONS.items():
        if path.name.endswith(suffix) and Path(str(path)[: -len(suffix)]).is_file():
            return f"{path} is the {what} of the database {str(path)[: -len(suffix)]}, not a database; give that one"
    if path.parent.name == "backups" and _BACKUP_NAME.fullmatch(path.name):
        return (f"{path} is one of netmaint's backups, kept as it is; to use it, restore it "
                f"(netmaint restore {path}) or copy it elsewhere first")
    return None


def unusable_message(path: Path) -> str | None:
    """What makes `path` no database file at all, from the file system, or None."""
    if path.is_dir():
        return f"{path} is a folder; give a file in it, e.g. {path / 'netmaint.db'}"
    if path.exists() and not path.is_file():
        return f"{path} is not a regular file (a device or a pipe), so it cannot hold a database; give a database file with --db"
    if path.exists() and not os.access(path, os.R_OK):
        return (f"cannot read {path}: permission denied; give yourself access (chmod u+rw {path}) "
                "or run netmaint as the user who owns it")
    return None


def cannot_open_message(path: Path) -> str:
    """Why SQLite could not open `path` ("unable to open database file"), from the file system."""
    path = Path(path)
    folder = path.absolute().parent
    if not folder.is_dir():
        return f"cannot open {path}: the folder {folder} does not exist"
    found = unusable_message(path)
    if found:
        return found
    wal, shm = _sidecars(path)
    if wal.exists() and not shm.exists() and not _folder_writable(path):
        return (f"cannot open {path}: changes not yet in the file are in {wal.name}, and reading them takes "
                f"{shm.name}, which cannot be created in the read-only folder {folder}; make the folder writable once")
    if not path.exists() and not _folder_writable(path):
        return f"cannot create {path}: the folder {folder} is not writable"
    return f"cannot open {path}: check that the folder exists and is writable"


def translate_error(exc: Exception, path: Path) -> Exception:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseLocked(
            f"{path} is busy: another netmaint has held it for over {busy_timeout_ms() / 1000:g} s; "
            "close the other one and try again"
        )
    if "readonly" in text or "read-only" in text:
        return DatabaseUnavailable(read_only_message(path))
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return damage_found(path)
    if "unable to open" in text:
        return DatabaseUnavailable(cannot_open_message(path))
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
        from netmaint_tui.store.backup import latest_backup  # backup imports this module

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
