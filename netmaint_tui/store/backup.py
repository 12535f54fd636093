"""Consistent copies of the database.

A copy is made with SQLite's online backup API (safe while the app is writing), into a
temporary file in the target folder, checked with PRAGMA integrity_check, then renamed into
place, so a backup file that exists is always whole.

Automatic copies are named `<stem>-<YYYYmmdd-HHMMSS>-<reason>.db` in the backups folder beside the
database (`.2.db`, `.3.db`… when one of that name exists already: a copy never replaces another).
The reason is "daily", or "before-<step>" for a copy taken before a step that can lose data
(before-import, before-restore, before-migration-1-to-2, and whatever step comes next): those are
kept whole for KEEP_BEFORE_DAYS days, whatever is copied after them; only the rest is thinned.
Copies made with `netmaint backup` are `<stem>-manual-<stamp>.db` and never thinned.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from netmaint_tui.paths import RESTORE_ASIDE, backups_dir
from netmaint_tui.store.backup_names import (
    BEFORE_RESTORE,
    DAILY,
    KEEP_BEFORE_DAYS,
    MANUAL,
    MANUAL_NAME,
    REASON,
    backup_stamp,
    is_before_step,
    parse_auto_name,
    reason_label,
    stamp_time,
)
from netmaint_tui.store.errors import DAMAGE_MARK, DatabaseDamaged, StoreError
from netmaint_tui.store.files import (
    can_write,
    cannot_open_message,
    damage_found,
    make_private_dirs,
    read_only_message,
    read_only_uri,
    translate_error,
)


class BackupError(Exception):
    pass


class SourceDamaged(BackupError, DatabaseDamaged):
    """The database being copied is damaged. Still a BackupError for whoever copies, and the
    same one line (damaged_message: the way back from the latest backup) as any damaged file."""


class NotRestorable(BackupError):
    """The file given to restore is not a netmaint database at all: bad input (exit 2). A damaged
    one, or one from a newer version, stays a BackupError like any database in that state (exit 1)."""


def _db_path(db) -> Path:
    return Path(getattr(db, "path", db))


def copy_database(source: Path, dest: Path) -> Path:
    """Write a checked copy of `source` to `dest` (mode 0600) and return dest."""
    source, dest = Path(source), Path(dest)
    make_private_dirs(dest.parent)
    tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        try:
            src = sqlite3.connect(read_only_uri(source), uri=True, timeout=5)
        except sqlite3.Error as exc:
            # Nothing is written yet: whatever is wrong is the source's (permissions, not a file…).
            translated = translate_error(exc, source)
            raise BackupError(str(translated) if isinstance(translated, StoreError) else f"cannot open {source}: {exc}") from exc
        try:
            out = sqlite3.connect(tmp)
            try:
                src.backup(out)
                out.execute("PRAGMA journal_mode=DELETE")
                result = out.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                out.close()
        finally:
            src.close()
        if result != "ok":
            # The backup API copies pages as they are: a copy that fails the check is a damaged source.
            raise SourceDamaged(str(damage_found(source)))
        os.chmod(tmp, 0o600)
        os.replace(tmp, dest)
    except sqlite3.DatabaseError as exc:
        # The copy being written is new: a page SQLite cannot make sense of is the source's.
        translated = translate_error(exc, source)
        if isinstance(translated, DatabaseDamaged):
            raise SourceDamaged(str(translated)) from exc
        raise BackupError(f"cannot copy {source}: {exc}") from exc
    finally:
        if tmp.exists():
            tmp.unlink()
    return dest


def check_database_file(path: Path) -> str:
    """'ok' or SQLite's description of what is wrong with the file."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            return conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)


def _first_unused(candidate, companions: tuple[str, ...] = ("",)) -> Path:
    """candidate(1), candidate(2)…: the first path that is not taken, with none of its companions
    taken either. A copy never replaces another."""
    n = 1
    while any(os.path.lexists(f"{candidate(n)}{suffix}") for suffix in companions):
        n += 1
    return candidate(n)


def _unused(folder: Path, name: str) -> Path:
    """`folder/name.db`, else `name.2.db`, `name.3.db`…"""
    return _first_unused(lambda n: folder / (f"{name}.db" if n == 1 else f"{name}.{n}.db"))


def auto_backup(db, reason: str, now: dt.datetime | None = None, keep: tuple[Path, ...] = ()) -> Path | None:
    """An automatic copy beside the database, then thinning. Returns None for an empty new file.

    `keep`: files thinning must leave alone this time (the backup a restore is reading from).
    """
    if not REASON.fullmatch(reason) or reason == MANUAL:
        raise ValueError(f"not a backup reason: {reason!r}")
    path = _db_path(db)
    if not path.exists() or path.stat().st_size == 0:
        return None
    folder = make_private_dirs(backups_dir(path))
    _remove_abandoned_copies(folder)
    dest = _unused(folder, f"{path.stem}-{backup_stamp(now)}-{reason}")
    copy_database(path, dest)
    thin_backups(folder, path.stem, now=now, newest=dest, keep=keep)
    return dest


def _remove_abandoned_copies(folder: Path, older_than_s: float = 3600.0) -> None:
    """A copy cut off mid-way (the process was killed) leaves a hidden temporary file; a copy
    older than an hour is nobody's work in progress, and each is as large as the database."""
    import time

    limit = time.time() - older_than_s
    for stale in folder.glob(".*.tmp-*"):
        try:
            if stale.stat().st_mtime < limit:
                stale.unlink()
        except OSError:
            pass


def _mtime(p: Path) -> int:
    try:
        return p.stat().st_mtime_ns
    except OSError:
        return 0


def thin_backups(folder: Path, stem: str, now: dt.datetime | None = None, newest: Path | None = None,
                 keep: tuple[Path, ...] = ()) -> list[Path]:
    """Keep the newest daily copy of each of the last 7 days, 4 weeks and 12 months; remove the rest.

    A copy taken before a risky step is not thinned while it is younger than KEEP_BEFORE_DAYS
    days, and does not count as its day's copy meanwhile (so it never pushes a daily one out);
    after that it is thinned like a daily one.
    """
    now = now or dt.datetime.now()
    young = now - dt.timedelta(days=KEEP_BEFORE_DAYS)
    # Names only have whole seconds: of two copies made in the same second, the one just made
    # (`newest`), else the later-written one, is the newer.
    spared = {os.path.realpath(p) for p in keep}
    dated = []
    for p in folder.glob(f"{stem}-*.db"):
        parsed = parse_auto_name(p, stem)
        if parsed is None or os.path.realpath(p) in spared:
            continue
        t, reason, n = parsed
        if is_before_step(reason) and t >= young:
            continue
        dated.append(((t, p == newest, _mtime(p), n), p))
    dated.sort(reverse=True)
    kept: set[Path] = set()
    for span, key in ((7, lambda t: t.date()), (4, lambda t: t.isocalendar()[:2]), (12, lambda t: (t.year, t.month))):
        seen: list = []
        for (t, *_), p in dated:
            k = key(t)
            if k in seen:
                continue
            if len(seen) >= span:
                break
            seen.append(k)
            kept.add(p)
    removed = []
    for _, p in dated:
        if p not in kept:
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    when: dt.datetime  # local time, as in the name
    reason: str  # daily, manual, before-import, before-restore, before-migration-1-to-2…
    size: int

    @property
    def label(self) -> str:
        return reason_label(self.reason)

    def as_json(self) -> dict:
        return {"path": str(self.path), "when": self.when.isoformat(), "reason": self.reason, "size": self.size}


def all_backups(db_path: Path) -> list[BackupInfo]:
    """Every copy of this database netmaint knows of, newest first: the automatic and manual ones
    in the backups folder, and the files restore set aside beside the database."""
    db_path = Path(db_path)
    found: list[tuple[tuple, Path, dt.datetime, str]] = []
    folder = backups_dir(db_path)
    stem = db_path.stem
    if folder.is_dir():
        for p in folder.glob(f"{stem}-*.db"):
            if parsed := parse_auto_name(p, stem):
                when, reason, n = parsed
            elif manual := MANUAL_NAME.fullmatch(p.name[len(stem) + 1 :]):
                when, reason, n = stamp_time(manual["stamp"]), MANUAL, int(manual["n"] or 1)
            else:
                continue
            if when is not None:
                found.append(((when, n), p, when, reason))
    prefix = f"{db_path.name}{RESTORE_ASIDE}"
    for p in db_path.parent.glob(f"{glob.escape(prefix)}*"):
        aside = re.fullmatch(r"(\d{8}-\d{6})(?:-(\d+))?", p.name[len(prefix) :])
        if aside and (when := stamp_time(aside[1])) is not None:
            found.append(((when, int(aside[2] or 1)), p, when, BEFORE_RESTORE))
    result = []
    # Names have whole seconds only: within one, the later-written copy is the newer.
    for _, p, when, reason in sorted(found, key=lambda item: (item[0][0], _mtime(item[1]), item[0][1]),
                                         reverse=True):
        try:
            size = p.stat().st_size
        except OSError:
            continue
        result.append(BackupInfo(p, when, reason, size))
    return result


def has_backup_on(db_path: Path, day: dt.date) -> bool:
    """True if any backup of this database (automatic or not) was taken on `day`.

    Only names are read (one directory listing), so asking costs next to nothing.
    """
    db_path = Path(db_path)
    folder = backups_dir(db_path)
    prefix = f"{db_path.stem}-{day.strftime('%Y%m%d')}-"
    try:
        with os.scandir(folder) as entries:
            return any(e.name.startswith(prefix) and e.name.endswith(".db") for e in entries)
    except OSError:
        return False


def daily_backup(db, now: dt.datetime | None = None) -> Path | None:
    """Make today's automatic copy unless one exists already; None when nothing was copied.

    Called at the start of every command that writes and when the app opens: after the first
    call of the day it is a single directory listing.
    """
    path = _db_path(db)
    now = now or dt.datetime.now()
    if has_backup_on(path, now.date()):
        return None
    return auto_backup(path, reason=DAILY, now=now)


def manual_backup_path(db_path: Path, now: dt.datetime | None = None, folder: Path | None = None) -> Path:
    """Where `netmaint backup` puts a copy by default: beside the automatic ones, but named
    `<stem>-manual-<stamp>.db` so thinning (which reads the stamp right after the stem) never
    deletes a copy the user asked for; a name not taken yet, so it never replaces another copy."""
    db_path = Path(db_path)
    return _unused(folder or backups_dir(db_path), f"{db_path.stem}-manual-{backup_stamp(now)}")


# --- restore -------------------------------------------------------------------------------

_REQUIRED_TABLES = {"contact", "touch", "touch_contact", "follow_up", "goal", "pause"}


def check_restorable(path: Path, newest_schema: int) -> int:
    """Raise BackupError unless `path` is a whole netmaint database this version can read.

    Returns its schema version. The file is opened read-only and never changed.
    """
    path = Path(path)
    if not path.is_file():
        raise NotRestorable(f"{path} is not a file; nothing was changed")
    with open(path, "rb") as handle:
        header = handle.read(16)
    if header != b"SQLite format 3\x00":
        raise NotRestorable(f"{path} is not a SQLite database; nothing was changed")
    result = check_database_file(path)
    if result != "ok":
        raise BackupError(f"{path} is damaged ({result.splitlines()[0]}); nothing was changed")
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"cannot read {path}: {exc}; nothing was changed") from exc
    if version > newest_schema:
        raise BackupError(
            f"{path} was written by a newer netmaint (schema {version}, this one reads up to "
            f"{newest_schema}); upgrade netmaint first — nothing was changed"
        )
    if version < 1 or not _REQUIRED_TABLES <= tables:
        raise NotRestorable(f"{path} is not a netmaint database; nothing was changed")
    return version


def _release_current(path: Path) -> bool:
    """Fold the WAL into the main file and leave rollback mode, proving nobody else has it open.

    Returns False if the file is too damaged to open; raises BackupError if it is in use.
    Leaving WAL mode needs the only connection, so success also means no other netmaint
    (or anything else) is reading or writing the file right now.
    """
    try:
        conn = sqlite3.connect(str(path), timeout=1)
    except sqlite3.DatabaseError:
        return False
    try:
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode == "wal":
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if busy:
                raise BackupError(f"{path} is in use by another netmaint; close it and try again")
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            if mode != "delete":
                raise BackupError(f"{path} is in use by another netmaint; close it and try again")
        return True
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise BackupError(f"{path} is in use by another netmaint; close it and try again") from exc
        return False
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def _link_or_copy(source: Path, dest: Path) -> None:
    try:
        os.link(source, dest)
    except FileExistsError:
        raise  # never copied over: it is another copy
    except OSError:
        import shutil

        shutil.copy2(source, dest)


def restore_database(db_path: Path, source: Path, newest_schema: int, now: dt.datetime | None = None) -> Path | None:
    """Put a checked copy of `source` in place of `db_path`; returns where the old file went.

    Order matters so that no step can lose data: the source is verified and copied beside the
    database first; the current file is then folded out of WAL mode (which fails if anyone has it
    open), copied into the backups folder (reason before-restore) when it is healthy, and
    hard-linked (or copied) aside as `<db>.before-restore-<stamp>` (`-2`, `-3`… if that name is
    taken), and only then is the copy renamed over the database in one atomic step. A -wal file
    that could not be folded in (the old file is damaged) is kept beside the aside copy as
    `<aside>-wal`, never left where SQLite would replay it onto the restored file.
    """
    db_path, source = Path(db_path), Path(source)
    if db_path.is_symlink():
        # The database is where the link points: replacing the link would leave it unrestored.
        db_path = Path(os.path.realpath(db_path))
    check_restorable(source, newest_schema)
    if not can_write(db_path):
        # Refused like any write to a file that cannot be written, before anything is copied.
        raise BackupError(read_only_message(db_path) if db_path.exists() else cannot_open_message(db_path))
    if db_path.exists() and os.path.samefile(db_path, source):
        raise NotRestorable(f"{source} is the database itself; choose a backup file")
    stamp = backup_stamp(now)
    staged = copy_database(source, db_path.with_name(f".{db_path.name}.restore-{stamp}"))
    aside: Path | None = None
    try:
        if db_path.exists():
            aside = _aside_name(db_path, stamp)
            wal, kept_wal = Path(f"{db_path}-wal"), Path(f"{aside}-wal")
            # SQLite deletes a WAL it cannot use when the connection closes: keep a link first.
            if wal.exists() and wal.stat().st_size:
                _link_or_copy(wal, kept_wal)
            try:
                # Only a healthy file is folded: folding and leaving WAL mode write to it, and a
                # damaged one is set aside exactly as it is, for whatever can be rescued from it.
                folded = check_database_file(db_path) == "ok" and _release_current(db_path)
            except BaseException:
                kept_wal.unlink(missing_ok=True)
                raise
            if folded:
                kept_wal.unlink(missing_ok=True)  # its frames are in the main file now
                # Beside the other copies, where `backup list` shows it and thinning keeps it;
                # a damaged file stays out of there, where it would be offered as the latest backup.
                auto_backup(db_path, reason=BEFORE_RESTORE, now=now, keep=(source,))
            _link_or_copy(db_path, aside)
            if Path(f"{db_path}-journal").exists():
                os.replace(Path(f"{db_path}-journal"), Path(f"{aside}-journal"))
            for suffix in ("-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        os.replace(staged, db_path)
        Path(f"{db_path}{DAMAGE_MARK}").unlink(missing_ok=True)  # a checked, whole copy is in place now
    finally:
        if staged.exists():
            staged.unlink()
    return aside


def _aside_name(db_path: Path, stamp: str) -> Path:
    """`<db>.before-restore-<stamp>`, or `-2`, `-3`…: a second restore in the same second must not
    replace the file the first one set aside."""
    base = f"{db_path.name}{RESTORE_ASIDE}{stamp}"
    return _first_unused(lambda n: db_path.with_name(base if n == 1 else f"{base}-{n}"), ("", "-wal", "-journal"))
