"""The database's file as the file system sees it: read-only URIs, permissions, private folders,
and the one-line messages for what SQLite reports about a file (busy, read-only, damaged, missing).

Shared by the opener (store.db) and the copier (store.backup), which must not import each other.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

from netmaint_tui.store.backup_names import latest_backup
from netmaint_tui.store.errors import DAMAGE_MARK, DatabaseDamaged, DatabaseLocked, DatabaseUnavailable

BUSY_TIMEOUT_MS = 5000
# How long to wait for another netmaint's write to finish; an override lets scripts (and tests)
# give up sooner or wait longer.
BUSY_TIMEOUT_ENV = "NETMAINT_BUSY_TIMEOUT_MS"



def busy_timeout_ms() -> int:
    """The busy timeout in force: NETMAINT_BUSY_TIMEOUT_MS if set to a whole number, else the default."""
    raw = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if raw:
        try:
            return max(0, int(raw))
        except ValueError:
            pass
    return BUSY_TIMEOUT_MS


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


def create_private_file(path: Path) -> None:
    make_private_dirs(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)


def writable_sidecars(path: Path) -> None:
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


def damage_found(path: Path) -> "DatabaseDamaged":
    """The error for a damaged file, remembered beside it: a later command that would write first
    checks the file again (store.db.open_database), instead of writing into the damage."""
    try:
        Path(f"{path}{DAMAGE_MARK}").touch()
    except OSError:
        pass  # a read-only folder: nothing can be written into the file either
    return DatabaseDamaged(damaged_message(path))


def damaged_message(path: Path) -> str:
    latest = latest_backup(path)
    if latest is None:
        return f"{path} is damaged and there is no automatic backup; the file was left as it is"
    return (
        f"{path} is damaged (left as it is); restore the latest backup with: "
        f"netmaint restore {latest}"
    )
