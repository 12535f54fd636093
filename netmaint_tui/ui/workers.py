"""Work done off the screen's thread."""

from __future__ import annotations

from typing import Callable, TypeVar

T = TypeVar("T")


def on_own_connection(work: Callable[[], T]) -> T:
    """Run `work` (service calls) on this worker thread with a database connection of its own,
    closed when it returns: a thread never uses the connection of the screen's thread."""
    from netmaint_tui.services.common import worker_connection

    with worker_connection():
        return work()
