"""Errors a user can read: each message is one line saying what is wrong and what to do."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    exit_code = 1


class DatabaseLocked(StoreError):
    pass


class DatabaseUnavailable(StoreError):
    pass


class DatabaseNewer(StoreError):
    pass


class DatabaseDamaged(StoreError):
    pass


class NotNetmaintDatabase(StoreError):
    """An SQLite file that holds another program's tables: never add ours to it."""


class WrongFileGiven(StoreError):
    """A backup or a companion file named as the database: bad input, refused before it is opened."""

    exit_code = 2


class MigrationFailed(StoreError):
    pass


DAMAGE_MARK = ".damaged"  # beside the database: damage was seen, and no write goes in until it is gone


def damage_found(path: Path) -> "DatabaseDamaged":
    """The error for a damaged file, remembered beside it: a later command that would write first
    checks the file again (store.db.open_database), instead of writing into the damage."""
    try:
        Path(f"{path}{DAMAGE_MARK}").touch()
    except OSError:
        pass  # a read-only folder: nothing can be written into the file either
    return DatabaseDamaged(damaged_message(path))


def damaged_message(path: Path) -> str:
    from netmaint_tui.store.backup import latest_backup

    latest = latest_backup(path)
    if latest is None:
        return f"{path} is damaged and there is no automatic backup; the file was left as it is"
    return (
        f"{path} is damaged (left as it is); restore the latest backup with: "
        f"netmaint restore {latest}"
    )
