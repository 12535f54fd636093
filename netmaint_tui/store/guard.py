"""Files no command writes over: a database, its SQLite companions and its backups folder.

Every command that writes a file the user named (an export, a backup, the config file, the
database a restore replaces) asks `refuse_overwrite` first. A path can name the same file in many
ways (a symlink, `..`, `./`, a hard link, `/dev/stdout` redirected onto it), so a target is compared
both by where it resolves to and, when it exists, by its inode.

`write_private` is how such a file is written: asked again just before, then created 0600 (notes
about people are private) and put in place whole or not at all.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from netmaint_tui.paths import RESTORE_ASIDE, backups_dir, default_db_file
from netmaint_tui.store.errors import StoreError

# SQLite keeps committed data in these until a checkpoint: replacing one loses it like replacing the file.
COMPANIONS = (("-wal", "the database's write-ahead log"), ("-shm", "the database's shared-memory file"),
              ("-journal", "the database's journal"))
DATABASE = "the database"
BACKUPS = "in netmaint's backups folder"
BACKUPS_FOLDER = "netmaint's backups folder"
ASIDE = "the copy a restore kept of the database it replaced"


class WouldOverwrite(StoreError):
    """A write aimed at a file netmaint keeps the user's data in: bad input, refused before any work."""

    exit_code = 2


def known_databases(*chosen, data_file: str | os.PathLike | None = None) -> list[Path]:
    """The database in use and every other one this user's netmaint opens by default
    (NETMAINT_DB, the config's data_file, the platform's default): none may be written over."""
    found: list[Path] = []
    for candidate in (*chosen, os.environ.get("NETMAINT_DB"), data_file, default_db_file()):
        if candidate:
            path = Path(candidate).expanduser()
            if path not in found:
                found.append(path)
    return found


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _protected(databases: Iterable[Path], allow_database: bool):
    """(files, folders, asides): each a list of (resolved path, what it is); an aside is a folder and
    the start of the names in it that a restore sets aside."""
    files: list[tuple[Path, str]] = []
    folders: list[tuple[Path, str]] = []
    asides: list[tuple[Path, str]] = []
    for db in databases:
        db = Path(db).expanduser().absolute()
        # The path as given and as resolved: SQLite puts the companions beside the real file,
        # netmaint puts the backups beside the name it was given.
        for spelling in dict.fromkeys((db, _real(db))):
            if not allow_database:
                files.append((_real(spelling), DATABASE))
            for suffix, what in COMPANIONS:
                files.append((_real(Path(f"{spelling}{suffix}")), what))
            folders.append((_real(backups_dir(spelling)), BACKUPS))
            asides.append((_real(spelling.parent) / f"{spelling.name}{RESTORE_ASIDE}", ASIDE))
    return files, folders, asides


def _identities(files, folders, asides) -> dict[tuple[int, int], str]:
    """The inode of every existing protected file, each file in a backups folder included."""
    found: dict[tuple[int, int], str] = {}
    for path, what in files:
        if (ident := _identity(path)) is not None:
            found.setdefault(ident, what)
    for start, what in asides:
        try:
            with os.scandir(start.parent) as entries:
                for entry in entries:
                    if entry.name.startswith(start.name) and (ident := _identity(Path(entry.path))):
                        found.setdefault(ident, what)
        except OSError:
            continue
    for folder, what in folders:
        if (ident := _identity(folder)) is not None:
            found.setdefault(ident, what)
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        st = entry.stat()
                    except OSError:
                        continue
                    found.setdefault((st.st_dev, st.st_ino), what)
        except OSError:
            continue
    return found


def protected_as(target: str | os.PathLike, databases: Iterable[Path], *, allow_database: bool = False) -> str | None:
    """What `target` is among the protected files ("the database", "in netmaint's backups folder"…), or None.

    allow_database: the databases themselves may be written (a restore replaces one), their
    companions and backups still may not.
    """
    target = Path(target).expanduser()
    files, folders, asides = _protected(list(databases), allow_database)
    real = _real(target)
    for path, what in files:
        if real == path:
            return what
    for folder, what in folders:
        if real == folder:
            return BACKUPS_FOLDER
        if real.is_relative_to(folder):
            return what
    for start, what in asides:
        if real.parent == start.parent and real.name.startswith(start.name):
            return what
    ident = _identity(target)
    if ident is not None:
        return _identities(files, folders, asides).get(ident)
    return None


def refuse_overwrite(target: str | os.PathLike, databases: Iterable[Path], *, allow_database: bool = False) -> None:
    """Raise WouldOverwrite if writing `target` would write over a database, its companions or backups."""
    what = protected_as(target, databases, allow_database=allow_database)
    if what is not None:
        raise WouldOverwrite(_message(Path(target), what))


def refuse_overwrite_stream(fd: int, databases: Iterable[Path]) -> None:
    """The same for an open file descriptor: `export csv >> netmaint.db` appends to the database."""
    try:
        st = os.fstat(fd)
    except OSError:
        return
    what = _identities(*_protected(list(databases), False)).get((st.st_dev, st.st_ino))
    if what is not None:
        raise WouldOverwrite(f"standard output is {what}; nothing was written — send it to another file")


def _message(target: Path, what: str) -> str:
    return f"{target} is {what}; netmaint never writes over it and nothing was written — choose another file"


def write_private(path: str | os.PathLike, data: bytes | str | Iterable[bytes], *, protect: Iterable[Path]) -> None:
    """Write `data` (text as UTF-8, or chunks of bytes written as they come) to `path` as a 0600
    file: a temporary file beside it, then a rename, so a crash leaves the old file or the new one,
    never half of one. `protect`: the databases (known_databases) it must not be."""
    path = Path(path)
    refuse_overwrite(path, protect)
    if isinstance(data, str):
        data = data.encode("utf-8")
    chunks = [data] if isinstance(data, (bytes, bytearray)) else data
    if path.exists() and not path.is_file():
        # A pipe or a device (/dev/stdout): there is nothing to replace atomically.
        with open(path, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        return
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, 0o600)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
