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


def damaged_message(path: Path) -> str:
    from netmaint_tui.store.backup import latest_backup

    latest = latest_backup(path)
    if latest is None:
        return f"{path} is damaged and there is no automatic backup; the file was left as it is"
    return (
        f"{path} is damaged (left as it is); restore the latest backup with: "
        f"netmaint restore {latest}"
    )
