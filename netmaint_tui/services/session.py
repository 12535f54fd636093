"""The weekly session's plan, as the app's session screen walks it."""

from __future__ import annotations

import datetime as dt

from netmaint_tui.rules.dates import local_midnight_utc, week_start
from netmaint_tui.rules.session import DEFAULT_SIZE, SessionPlan, plan_session
from netmaint_tui.services.common import Context, to_db
from netmaint_tui.services.due import due_list
from netmaint_tui.services.habit import week_summary
from netmaint_tui.store.models import database


def session_plan(ctx: Context) -> SessionPlan:
    """The top of the list (as many as the weekly goal, else 10), then the people with an open
    follow-up due before this week ends, most overdue first, at most as many again
    (rules.session.plan_session); the rest are counted as waiting."""
    size = week_summary(ctx, with_suggestions=False).goal_touches or DEFAULT_SIZE
    top = [row.id for row in due_list(ctx, limit=size)]
    week_end = local_midnight_utc(week_start(ctx.today(), ctx.settings.week_start) + dt.timedelta(days=7),
                                  ctx.clock.tz)
    people = [cid for (cid,) in database.execute_sql(
        """SELECT COALESCE(about_id, suggested_by_id) FROM follow_up
           WHERE status = 'open' AND due < ? AND COALESCE(about_id, suggested_by_id) IS NOT NULL
           ORDER BY due, id""",
        (str(to_db(week_end)),),
    )]
    return plan_session(top, people, size)
