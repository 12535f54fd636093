"""Work done off the screen's thread."""

from __future__ import annotations

from typing import Callable, TypeVar

from netmaint_tui.services.common import worker_connection
from netmaint_tui.store.errors import StoreError

T = TypeVar("T")


def on_own_connection(work: Callable[[], T]) -> T:
    """Run `work` (service calls) on this worker thread with a database connection of its own,
    closed when it returns: a thread never uses the connection of the screen's thread."""
    with worker_connection():
        return work()


def reading(app, read: Callable[[], T], fallback: T) -> T:
    """A read on the screen's thread: a database found unusable (damaged, locked too long) is
    said on screen by the app and `fallback` shown, instead of ending the app with a traceback."""
    import sqlite3

    try:
        return read()
    except (StoreError, sqlite3.DatabaseError) as exc:
        app.store_failed(exc)
        return fallback
