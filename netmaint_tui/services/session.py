"""The weekly session's plan, as the app's session screen walks it."""

from __future__ import annotations

import datetime as dt

from netmaint_tui.rules.dates import local_midnight_utc, week_start
from netmaint_tui.rules.session import DEFAULT_SIZE, SessionPlan, plan_session
from netmaint_tui.services.common import Context, to_db
from netmaint_tui.services.due import due_list
from netmaint_tui.services.habit import week_summary
from netmaint_tui.store.models import database


def session_plan(ctx: Context, ranked_ids: list[int] | None = None, goal: int | None = None) -> SessionPlan:
    """The top of the list (as many as the weekly goal, else 10), then the people with an open
    follow-up due before this week ends, most overdue first, at most as many again
    (rules.session.plan_session); the rest are counted as waiting.

    A caller that holds the default ranking (rank_ids, no snoozed or archived, priority order) and
    this week's goal passes both (goal 0: no goal set) and nothing is ranked or counted again: at
    30,000 contacts those two are most of the plan's cost."""
    if goal is None:
        goal = week_summary(ctx, with_suggestions=False, with_dates=False).goal_touches or 0
    size = goal or DEFAULT_SIZE
    top = ranked_ids[:size] if ranked_ids is not None else [row.id for row in due_list(ctx, limit=size)]
    week_end = local_midnight_utc(week_start(ctx.today(), ctx.settings.week_start) + dt.timedelta(days=7),
                                  ctx.clock.tz)
    people = [cid for (cid,) in database.execute_sql(
        """SELECT COALESCE(about_id, suggested_by_id) FROM follow_up
           WHERE status = 'open' AND due < ? AND COALESCE(about_id, suggested_by_id) IS NOT NULL
           ORDER BY due, id""",
        (str(to_db(week_end)),),
    )]
    return plan_session(top, people, size)
