"""The names of the database's backups: what netmaint writes, and how it finds its own again.

Apart from the copying (store.backup) so that a message about a damaged file can name the latest
copy without loading the copier, and the copier's module can load everything else.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from netmaint_tui.paths import backups_dir


def backup_stamp(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")


DAILY = "daily"
MANUAL = "manual"
BEFORE_RESTORE = "before-restore"
BEFORE = "before-"  # the start of every reason that names a risky step
KEEP_BEFORE_DAYS = 14

REASON = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# What follows `<stem>-` in a backup's name.
# Only names netmaint writes: a copy of the user's own in the folder ("-mycopy", "(copy)") is never
# listed as ours, and never thinned away.
AUTO_NAME = re.compile(r"(?P<stamp>\d{8}-\d{6})-(?P<reason>daily|before(?:-[a-z0-9]+)+)(?:\.(?P<n>\d+))?\.db")
MANUAL_NAME = re.compile(r"manual-(?P<stamp>\d{8}-\d{6})(?:\.(?P<n>\d+))?\.db")


def is_before_step(reason: str) -> bool:
    """A copy taken before a risky step: kept KEEP_BEFORE_DAYS days, never thinned away sooner."""
    return reason.startswith(BEFORE)


def reason_label(reason: str) -> str:
    """The reason in words: `before-migration-1-to-2` → `before migration (schema 1 to 2)`."""
    migration = re.fullmatch(r"before-migration-(\d+)-to-(\d+)", reason)
    if migration:
        return f"before migration (schema {migration[1]} to {migration[2]})"
    return reason.replace("-", " ")


def parse_auto_name(p: Path, stem: str) -> tuple[dt.datetime, str, int] | None:
    """(time, reason, n) of an automatic copy of `stem`, or None for any other file."""
    if not p.name.startswith(f"{stem}-"):
        return None
    found = AUTO_NAME.fullmatch(p.name[len(stem) + 1 :])
    when = stamp_time(found["stamp"]) if found else None
    return None if when is None else (when, found["reason"], int(found["n"] or 1))


def list_backups(db_path: Path) -> list[Path]:
    """The automatic copies of this database, oldest first."""
    db_path = Path(db_path)
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    # Only names with a time stamp right after the stem: backups of 'work-2.db' are not those of 'work.db'.
    found = [(parsed, p) for p in folder.glob(f"{db_path.stem}-*.db") if (parsed := parse_auto_name(p, db_path.stem))]
    return [p for (when, _, n), p in sorted(found, key=lambda item: (item[0][0], item[0][2], item[1].name))]


def latest_backup(db_path: Path) -> Path | None:
    found = list_backups(db_path)
    return found[-1] if found else None


def stamp_time(stamp: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S")
    except ValueError:
        return None
