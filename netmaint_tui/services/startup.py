"""The first screenful, computed while the interface is still loading.

SQLite releases the interpreter lock while it works, so ranking 30,000 contacts on a thread of
its own overlaps with importing and composing the interface instead of waiting behind it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from netmaint_tui.services.common import Context, worker_connection

FIRST_PAGE = 60


@dataclass
class FirstScreen:
    ranking: list[int]
    rows: list  # DueRow for the first page of the ranking
    week: object  # WeekSummary
    detail: object | None  # ContactDetail of the top contact


class Preload:
    def __init__(self, ctx: Context) -> None:
        # Imported here, before the thread starts: imports take a process-wide lock, and the
        # point is for the thread to be inside SQLite while the main thread imports Textual.
        import netmaint_tui.services.contacts  # noqa: F401
        import netmaint_tui.services.due  # noqa: F401
        import netmaint_tui.services.habit  # noqa: F401

        self.ctx = ctx
        self._result: FirstScreen | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="netmaint-preload", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from netmaint_tui.services.contacts import contact_detail
        from netmaint_tui.services.due import rank_ids, rows_for_ids
        from netmaint_tui.services.habit import week_summary

        try:
            with worker_connection():
                ranking = rank_ids(self.ctx)
                rows = rows_for_ids(self.ctx, ranking[:FIRST_PAGE])
                week = week_summary(self.ctx, ranked_ids=ranking)
                detail = contact_detail(self.ctx, ranking[0]) if ranking else None
            self._result = FirstScreen(ranking, rows, week, detail)
        except BaseException as exc:  # the screen falls back to loading in a worker
            self._error = exc

    def take(self, timeout: float = 5.0) -> FirstScreen | None:
        """The result, or None if it failed or is not ready in time (the caller loads normally)."""
        self._thread.join(timeout)
        return self._result
