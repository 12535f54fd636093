"""The first screenful, computed while the interface is still loading.

SQLite releases the interpreter lock while it works, so ranking 30,000 contacts on a thread of
its own overlaps with importing and composing the interface instead of waiting behind it. The
list (and the top contact's details) come first; the week's summary, which counts touches week
by week, follows and may arrive a moment after the first frame.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from netmaint_tui.services.common import Context, worker_connection

FIRST_PAGE = 40  # rows fetched ahead: a tall terminal's list


@dataclass
class FirstScreen:
    ranking: list[int]
    rows: list  # DueRow for the first page of the ranking
    detail: object | None  # ContactDetail of the top contact


class Preload:
    def __init__(self, ctx: Context) -> None:
        # Imported here, before the thread starts: imports take a process-wide lock, and the
        # point is for the thread to be inside SQLite while the main thread imports Textual.
        import netmaint_tui.services.contacts  # noqa: F401
        import netmaint_tui.services.due  # noqa: F401
        import netmaint_tui.services.habit  # noqa: F401

        self.ctx = ctx
        self._first: FirstScreen | None = None
        self._week = None  # WeekSummary
        self._first_done = threading.Event()
        self._week_done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="netmaint-preload", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from netmaint_tui.services.contacts import contact_detail
        from netmaint_tui.services.due import rank_ids, rows_for_ids
        from netmaint_tui.services.habit import week_summary

        try:
            with worker_connection():
                try:
                    ranking = rank_ids(self.ctx)
                    rows = rows_for_ids(self.ctx, ranking[:FIRST_PAGE])
                    detail = contact_detail(self.ctx, ranking[0]) if ranking else None
                    self._first = FirstScreen(ranking, rows, detail)
                finally:
                    self._first_done.set()
                self._week = week_summary(self.ctx, ranked_ids=self._first.ranking)
        except BaseException:  # the screen falls back to loading in a worker
            pass
        finally:
            self._first_done.set()
            self._week_done.set()

    def take(self, timeout: float = 5.0) -> FirstScreen | None:
        """The list, or None if it failed or is not ready in time (the caller loads normally)."""
        self._first_done.wait(timeout)
        return self._first

    def take_week(self, timeout: float = 10.0):
        """The week's summary (WeekSummary), or None as for take(). Blocks: call it off the UI thread."""
        self._week_done.wait(timeout)
        return self._week
