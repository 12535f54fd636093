"""The morning's one screen (`netmaint today`): follow-ups overdue and due today, birthdays and
anniversaries coming up, the top of the list, and this week's progress; and the follow-ups a
reminder outside the app is owed for (`today --notify due`), each once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from netmaint_tui.rules.dates import local_midnight_utc
from netmaint_tui.rules.occasions import SOON_DAYS
from netmaint_tui.services.common import Context, to_db
from netmaint_tui.services.contacts import FollowUpView, follow_up_views
from netmaint_tui.services.due import DueRow, due_list
from netmaint_tui.services.habit import WeekSummary, week_summary
from netmaint_tui.services.occasions import UpcomingDate, upcoming_dates
from netmaint_tui.store.models import FollowUp, database

TOP = 5  # the top of the list shown when the weekly goal asks for no more (or there is none)
REMIND_WITHIN = dt.timedelta(days=1)  # a follow-up that fell due longer ago is the digest's to show


@dataclass
class Digest:
    day: dt.date
    days: int  # how far ahead `dates` looks
    follow_ups: list[FollowUpView]  # open, overdue or due today, soonest first
    dates: list[UpcomingDate]
    due: list[DueRow]  # the top of the list
    need: int  # touches this week's goal still needs (0: met, or no goal)
    week: WeekSummary

    @property
    def empty(self) -> bool:
        return not (self.follow_ups or self.dates or self.due)


def digest(ctx: Context, days: int = SOON_DAYS) -> Digest:
    """Everything `netmaint today` shows, read at one moment."""
    today = ctx.today()
    tomorrow = to_db(local_midnight_utc(today + dt.timedelta(days=1), ctx.clock.tz))
    with database.atomic("DEFERRED"):  # one read: a touch logged meanwhile is counted everywhere or nowhere
        follow_ups = follow_up_views(ctx, FollowUp.select().where(
            (FollowUp.status == "open") & (FollowUp.due < tomorrow)).order_by(FollowUp.due, FollowUp.id))
        dates = upcoming_dates(ctx, days)
        week = week_summary(ctx, with_suggestions=False, with_dates=False)
        # As `week` names them: the goal's touches still to do, when it has a touch goal not met yet.
        need = max(0, week.goal_touches - week.touches) if week.goal_touches and week.status != "met" else 0
        due = due_list(ctx, limit=need or TOP)
    week.suggestions = [r.name for r in due[:need]]
    return Digest(today, days, follow_ups, dates, due, need, week)


def reminders_owed(ctx: Context) -> list[FollowUpView]:
    """Open follow-ups that fell due within the last day and that no reminder was sent for at
    that due time: one moved to a later time is owed one again."""
    now = ctx.now()
    query = FollowUp.select().where(
        (FollowUp.status == "open") & (FollowUp.due <= to_db(now)) & (FollowUp.due > to_db(now - REMIND_WITHIN))
        & (FollowUp.notified_due.is_null() | (FollowUp.notified_due != FollowUp.due))
    ).order_by(FollowUp.due, FollowUp.id)
    return follow_up_views(ctx, query)


def mark_reminded(ctx: Context, follow_up_ids: list[int]) -> None:
    """Say, in one transaction, that a reminder was sent for these follow-ups at their due time."""
    if not follow_up_ids:
        return
    with database.atomic():
        FollowUp.update(notified_due=FollowUp.due).where(FollowUp.id.in_(follow_up_ids)).execute()
