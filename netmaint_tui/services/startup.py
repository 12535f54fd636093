"""The first screenful, computed while the interface is still loading.

SQLite releases the interpreter lock while it works, so ranking 30,000 contacts on a thread of
its own overlaps with importing and composing the interface instead of waiting behind it. Only
the list is ranked ahead: the thread's Python work competes with the main thread for the
interpreter, so the week's summary is left to the screen, after the list's first frame.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from netmaint_tui.services.common import Context, worker_connection
from netmaint_tui.services.due import rank_ids, rows_for_ids

FIRST_PAGE = 40  # rows fetched ahead: a tall terminal's list


@dataclass
class FirstScreen:
    ranking: list[int]
    rows: list  # DueRow for the first page of the ranking


class Preload:
    def __init__(self, ctx: Context) -> None:
        # Imported here, before the thread starts: imports take a process-wide lock, and the
        # point is for the thread to be inside SQLite while the main thread imports Textual.
        import netmaint_tui.services.due  # noqa: F401

        self.ctx = ctx
        self._first: FirstScreen | None = None
        self._first_done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="netmaint-preload", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with worker_connection():
                ranking = rank_ids(self.ctx)
                self._first = FirstScreen(ranking, rows_for_ids(self.ctx, ranking[:FIRST_PAGE]))
        except BaseException:  # the screen falls back to loading in a worker
            pass
        finally:
            self._first_done.set()

    def take(self, timeout: float = 5.0) -> FirstScreen | None:
        """The list, or None if it failed or is not ready in time (the caller loads normally)."""
        self._first_done.wait(timeout)
        return self._first
