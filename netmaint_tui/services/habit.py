"""The weekly habit: goal history, pauses, and this week's progress and streaks.

Touches are counted per local week in SQL (one indexed range per week); the judging itself is
rules.streaks, recomputed from the start on every call so nothing can drift.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from netmaint_tui.rules import schema
from netmaint_tui.rules.dates import local_midnight_utc, week_start
from netmaint_tui.rules.occasions import SOON_DAYS
from netmaint_tui.rules.streaks import (
    GoalRow,
    HabitResult,
    PauseRange,
    Tally,
    evaluate,
    habit_date_problem,
    habit_span,
    judged_weeks,
)
from netmaint_tui.rules.vocabulary import plural
from netmaint_tui.services.common import Context, InputError, local_day, plain_date, to_db
from netmaint_tui.services.due import due_list, rows_for_ids
from netmaint_tui.services.occasions import upcoming_dates
from netmaint_tui.services.undo import delete_on_undo, record, restore_on_undo
from netmaint_tui.store.models import Goal, Pause, database

HEAT_WEEKS = 26


@dataclass
class WeekSummary:
    week_start: dt.date
    touches: int
    minutes: int
    goal_touches: int | None
    goal_minutes: int | None
    status: str  # met | open | paused | (no goal: open)
    paused: bool
    current_streak: int
    best_streak: int
    strength: float
    heat: list[tuple[dt.date, str]] = field(default_factory=list)  # oldest first; status or 'none'
    suggestions: list[str] = field(default_factory=list)
    has_goal: bool = False
    # Birthdays and anniversaries in the next week (services.occasions.UpcomingDate), soonest first.
    coming: list = field(default_factory=list)

    def progress_text(self) -> str:
        """`3/5 touches · 40/60 min`: counts against the goal in force (plain counts without one)."""
        parts = [f"{self.touches}/{self.goal_touches} touches" if self.goal_touches is not None
                 else plural(self.touches, "touch")]
        if self.goal_minutes is not None:
            parts.append(f"{self.minutes}/{self.goal_minutes} min")
        elif self.minutes:
            parts.append(f"{self.minutes} min")
        return " · ".join(parts)

    def as_json(self) -> dict:
        return {
            "week_start": self.week_start.isoformat(),
            "touches": self.touches,
            "minutes": self.minutes,
            "goal": {"touches": self.goal_touches, "minutes": self.goal_minutes},
            "status": self.status,
            "current_streak": self.current_streak,
            "best_streak": self.best_streak,
            "strength": round(self.strength, 4),
            "paused": self.paused,
            "heat": [{"week_start": w.isoformat(), "status": s} for w, s in self.heat],
            "suggestions": self.suggestions,
        }


def goal_rows(ctx: Context) -> list[GoalRow]:
    # A row outside the habit's span (written before it was checked) is left out, not counted
    # through: it would make every week's count fail or crawl. Of two goals from the same day
    # (set on two computers before they synced) the one with the greater UID counts: the same
    # one on both.
    rows = [GoalRow(g.from_date, g.touches, g.minutes) for g in Goal.select().order_by(Goal.from_date, Goal.uid)
            if habit_date_problem(plain_date(g.from_date), ctx.today()) is None]
    s = ctx.settings
    if not rows and (getattr(s, "goal_touches", None) or getattr(s, "goal_minutes", None)):
        # A goal only in the config file has no first day of its own: it is the goal of the whole
        # habit, in force from the first week with a touch (this week before there is one), so
        # the weeks already kept count towards the streak.
        rows = [GoalRow(_first_touch_day(ctx) or ctx.today(), s.goal_touches, s.goal_minutes)]
    return rows


def _first_touch_day(ctx: Context) -> dt.date | None:
    """The local day of the earliest touch the habit can count (within its span, not after today)."""
    tz = ctx.clock.tz
    earliest, _ = habit_span(ctx.today())
    (first,) = database.execute_sql(
        "SELECT MIN(at) FROM touch WHERE at >= ?", [to_db(local_midnight_utc(earliest, tz))]
    ).fetchone()
    if first is None:
        return None
    return min(local_day(first, tz), ctx.today())


def pause_ranges(ctx: Context) -> list[PauseRange]:
    today = ctx.today()
    return [PauseRange(p.start, p.end) for p in Pause.select().order_by(Pause.start)
            if habit_date_problem(plain_date(p.start), today) is None and habit_date_problem(plain_date(p.end), today) is None]


def weekly_tallies(ctx: Context, weeks: list[dt.date]) -> dict[dt.date, Tally]:
    """Touches and minutes per local week, each week one range on the (at, minutes) index."""
    if not weeks:
        return {}
    tz = ctx.clock.tz
    edges: dict[dt.date, dt.datetime] = {}  # consecutive weeks share an edge: work each out once

    def edge(day: dt.date) -> dt.datetime:
        if day not in edges:
            edges[day] = to_db(local_midnight_utc(day, tz))
        return edges[day]

    values, params = [], []
    for w in weeks:
        values.append("(?, ?, ?)")
        params += [w.isoformat(), edge(w), edge(w + dt.timedelta(days=7))]
    out: dict[dt.date, Tally] = {}
    # Chunked: SQLite limits the number of bound parameters.
    chunk = 300
    for i in range(0, len(values), chunk):
        # A subquery per week reads its range of the index once; a join grouped by week would
        # first sort every touch in the span (three years of a busy network: 300,000 rows).
        # SQLite has no LATERAL join, so the subquery returns both sums as one text.
        sql = (
            f"WITH w(ws, lo, hi) AS (VALUES {', '.join(values[i:i + chunk])}) "
            "SELECT w.ws, (SELECT printf('%d %d', COUNT(*), COALESCE(SUM(t.minutes), 0)) "
            "FROM touch t WHERE t.at >= w.lo AND t.at < w.hi) FROM w"
        )
        for ws, both in database.execute_sql(sql, params[i * 3:(i + chunk) * 3]).fetchall():
            n, minutes = (int(x) for x in both.split())
            if n:  # weeks without a touch are left out, as before
                out[dt.date.fromisoformat(ws)] = Tally(n, minutes)
    return out


def habit(ctx: Context) -> tuple[HabitResult, dict[dt.date, Tally], list[dt.date]]:
    start_day = ctx.settings.week_start
    today = ctx.today()
    goals = goal_rows(ctx)
    this_week = week_start(today, start_day)
    heat_weeks = [this_week - dt.timedelta(days=7 * i) for i in range(HEAT_WEEKS - 1, -1, -1)]
    judged = judged_weeks(goals, today, start_day)
    weeks = sorted(set(judged) | set(heat_weeks))
    tallies = weekly_tallies(ctx, weeks)
    return evaluate(goals, pause_ranges(ctx), tallies, today, start_day), tallies, heat_weeks


def week_summary(ctx: Context, with_suggestions: bool = True, ranked_ids: list[int] | None = None,
                 with_dates: bool = True) -> WeekSummary:
    """This week at a glance. `ranked_ids` (the prioritized list, most urgent first) lets a caller
    that has just ranked name the suggestions without ranking again."""
    result, tallies, heat_weeks = habit(ctx)
    this_week = heat_weeks[-1]
    tally = tallies.get(this_week, Tally())
    statuses = {w.week_start: w.status for w in result.weeks}
    heat = [(w, statuses.get(w, "none")) for w in heat_weeks]
    current = result.current
    paused = bool(current and current.paused) or _in_pause(this_week, ctx)
    summary = WeekSummary(
        week_start=this_week,
        touches=tally.touches,
        minutes=tally.minutes,
        goal_touches=current.goal_touches if current else None,
        goal_minutes=current.goal_minutes if current else None,
        status=current.status if current else "open",
        paused=paused,
        current_streak=result.current_streak,
        best_streak=result.best_streak,
        strength=result.strength,
        heat=heat,
        has_goal=current is not None,
        coming=upcoming_dates(ctx, SOON_DAYS) if with_dates else [],
    )
    if with_suggestions and summary.goal_touches and summary.status != "met":
        need = max(0, summary.goal_touches - summary.touches)
        if need:
            if ranked_ids is not None:
                summary.suggestions = [r.name for r in rows_for_ids(ctx, ranked_ids[:need])]
            else:
                summary.suggestions = [r.name for r in due_list(ctx, limit=need)]
    return summary


def _in_pause(week: dt.date, ctx: Context) -> bool:
    start_day = ctx.settings.week_start
    return any(week_start(p.start, start_day) <= week <= week_start(p.end, start_day) for p in pause_ranges(ctx))


def set_goal(ctx: Context, touches: int | None, minutes: int | None, from_date: dt.date | None = None) -> int:
    if touches is None and minutes is None:
        raise InputError("give --touches N and/or --minutes M")
    problem = schema.goal_problem(touches, minutes)
    if problem:
        raise InputError(problem)
    start = plain_date(from_date) or ctx.today()
    _check_habit_date(ctx, "the goal's first day", start)
    with database.atomic():
        # A goal from the same day replaces it: "the goal from that day is now this".
        same = Goal.select().where(Goal.from_date == start).order_by(Goal.uid.desc()).first()
        if same is not None:
            Goal.update(touches=touches, minutes=minutes).where(Goal.id == same.id).execute()
            restore_on_undo(Goal, same.id, {"touches": same.touches, "minutes": same.minutes}, "the goal's")
            return same.id
        goal = Goal.create(from_date=start, touches=touches, minutes=minutes, created_at=to_db(ctx.now()))
        delete_on_undo(Goal, goal.id)
    return goal.id


def add_pause(ctx: Context, start: dt.date, end: dt.date, reason: str = "") -> int:
    if end < start:
        raise InputError(f"the pause ends ({end}) before it starts ({start}); give FROM then TO")
    try:
        reason = schema.clean_line("reason", reason)
    except schema.FieldError as exc:
        raise InputError(str(exc)) from None
    _check_habit_date(ctx, "the pause's first day", plain_date(start))
    _check_habit_date(ctx, "the pause's last day", plain_date(end))
    with database.atomic():
        if Pause.select().where((Pause.start == plain_date(start)) & (Pause.end == plain_date(end))).exists():
            raise InputError(f"a pause from {start} to {end} is already there; nothing was added")
        pause = Pause.create(start=plain_date(start), end=plain_date(end), reason=reason, created_at=to_db(ctx.now()))
        delete_on_undo(Pause, pause.id)
    return pause.id


def _check_habit_date(ctx: Context, label: str, day: dt.date) -> None:
    problem = habit_date_problem(day, ctx.today())
    if problem:
        raise InputError(f"{label}, {problem}")


def list_goals() -> list[Goal]:
    return list(Goal.select().order_by(Goal.from_date, Goal.uid))


def remove_pause(ctx: Context, pause_id: int) -> Pause:
    """Take a pause back (entered by mistake): its weeks are judged again. Returns what it was."""
    with database.atomic():
        pause = Pause.get_or_none(Pause.id == pause_id)
        if pause is None:
            raise InputError(f"no pause #{pause_id}; see: netmaint pause list")
        row = {f: getattr(pause, f) for f in ("id", "start", "end", "reason", "created_at", "uid")}
        def put_back() -> list[str]:
            if Pause.get_or_none(Pause.id == row["id"]) is not None:
                return ["the pause (its number is taken again)"]
            Pause.insert(**row).execute()
            return []

        record(put_back)
        pause.delete_instance()
    return pause


def list_pauses() -> list[Pause]:
    return list(Pause.select().order_by(Pause.start, Pause.id))
