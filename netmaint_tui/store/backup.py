"""Consistent copies of the database.

A copy is made with SQLite's online backup API (safe while the app is writing), into a
temporary file in the target folder, checked with PRAGMA integrity_check, then renamed into
place, so a backup file that exists is always whole.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from netmaint_tui.paths import backups_dir
from netmaint_tui.store.db import file_uri, make_private_dirs


class BackupError(Exception):
    pass


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
        src = sqlite3.connect(file_uri(source, "ro"), uri=True, timeout=5)
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
            raise BackupError(f"the copy of {source} failed its integrity check ({result}); nothing was replaced")
        os.chmod(tmp, 0o600)
        os.replace(tmp, dest)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"cannot copy {source}: {exc}") from exc
    finally:
        if tmp.exists():
            tmp.unlink()
    return dest


def check_database_file(path: Path) -> str:
    """'ok' or SQLite's description of what is wrong with the file."""
    try:
        conn = sqlite3.connect(file_uri(path, "ro"), uri=True)
        try:
            return conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)


def _stamp(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")


def auto_backup(db, reason: str, now: dt.datetime | None = None) -> Path | None:
    """An automatic copy beside the database, then thinning. Returns None for an empty new file."""
    path = _db_path(db)
    if not path.exists() or path.stat().st_size == 0:
        return None
    folder = make_private_dirs(backups_dir(path))
    dest = folder / f"{path.stem}-{_stamp(now)}-{reason}.db"
    copy_database(path, dest)
    thin_backups(folder, path.stem, now=now)
    return dest


def list_backups(db_path: Path) -> list[Path]:
    db_path = Path(db_path)
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    # Only names with a time stamp right after the stem: backups of 'work-2.db' are not those of 'work.db'.
    found = [p for p in folder.glob(f"{db_path.stem}-*.db") if _backup_time(p, db_path.stem)]
    return sorted(found, key=lambda p: p.name)


def latest_backup(db_path: Path) -> Path | None:
    found = list_backups(db_path)
    return found[-1] if found else None


def _backup_time(p: Path, stem: str) -> dt.datetime | None:
    rest = p.name[len(stem) + 1 :]
    try:
        return dt.datetime.strptime(rest[:15], "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def thin_backups(folder: Path, stem: str, now: dt.datetime | None = None) -> list[Path]:
    """Keep the newest backup of each of the last 7 days, 4 weeks and 12 months; remove the rest."""
    now = now or dt.datetime.now()
    dated = [(t, p) for p in folder.glob(f"{stem}-*.db") if (t := _backup_time(p, stem))]
    dated.sort(reverse=True)
    keep: set[Path] = set()
    for span, key in ((7, lambda t: t.date()), (4, lambda t: t.isocalendar()[:2]), (12, lambda t: (t.year, t.month))):
        seen: list = []
        for t, p in dated:
            k = key(t)
            if k in seen:
                continue
            if len(seen) >= span:
                break
            seen.append(k)
            keep.add(p)
    removed = []
    for _, p in dated:
        if p not in keep:
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed
