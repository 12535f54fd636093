"""Errors a user can read: each message is one line saying what is wrong and what to do."""

from __future__ import annotations


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

