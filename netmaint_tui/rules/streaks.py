"""The weekly habit: which weeks met the goal, the streaks, and the strength score.

The rules are those of docs/STREAKS.md. Weeks are calendar weeks keyed by their start *date*
and stepped by seven calendar days, never by 604800 seconds: a week holding a DST change has
167 or 169 hours. Everything is recomputed from the inputs each time; nothing is stored.

A goal row that sets neither touches nor minutes means "no goal in force" (the user cleared it):
weeks under it are not judged. They are never met and never missed; their status is 'paused'
when a pause covers them and 'open' otherwise, and like open weeks they neither add to nor break a
streak and leave the strength unchanged. A goal of 0 touches (or 0 minutes) is met by any week.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo

import pendulum

from netmaint_tui.rules.dates import day_problem, in_zone, week_start

__all__ = [
    "MET",
    "PAUSED",
    "OPEN",
    "MISSED",
    "STRENGTH_DECAY",
    "GoalRow",
    "PauseRange",
    "Tally",
    "WeekResult",
    "HabitResult",
    "judged_weeks",
    "goal_for_week",
    "paused_weeks",
    "evaluate",
    "tally_touches",
    "habit_date_problem",
    "habit_span",
]

# The habit is counted week by week from the first goal. A goal or a pause centuries away would
# make every count walk all those weeks, or run off the calendar, so their dates stay within a
# span a person's habit can have.
HABIT_YEARS_BACK = 30
HABIT_YEARS_AHEAD = 5


def habit_span(today: date) -> tuple[date, date]:
    """The first and last day a goal or a pause may have, seen from `today`."""
    return date(today.year - HABIT_YEARS_BACK, 1, 1), date(today.year + HABIT_YEARS_AHEAD, 12, 31)


def habit_date_problem(day: date, today: date) -> str | None:
    """Why `day` cannot begin or end a goal or a pause (one line, with what to give), or None.
    Never looser than the range every date keeps (rules.dates.day_problem)."""
    problem = day_problem(day)
    if problem:
        return problem
    earliest, latest = habit_span(today)
    if earliest <= day <= latest:
        return None
    return f"{day} is too far {'back' if day < earliest else 'ahead'}; give a date from {earliest} to {latest}"

MET = "met"
PAUSED = "paused"
OPEN = "open"
MISSED = "missed"

# Half-life of sqrt(7)/13 … i.e. the daily habit-tracker score taken in weekly steps (≈ 0.868430).
STRENGTH_DECAY = 0.5 ** (math.sqrt(7) / 13)

_WEEK = timedelta(days=7)


@dataclass(frozen=True)
class GoalRow:
    from_date: date
    touches: int | None
    minutes: int | None

    @property
    def is_empty(self) -> bool:
        return self.touches is None and self.minutes is None


@dataclass(frozen=True)
class PauseRange:
    """Inclusive dates as the user typed them; every week from week_start(start) to week_start(end) is paused."""

    start: date
    end: date


@dataclass(frozen=True)
class Tally:
    touches: int = 0
    minutes: int = 0


@dataclass(frozen=True)
class WeekResult:
    week_start: date
    touches: int
    minutes: int
    goal_touches: int | None
    goal_minutes: int | None
    status: str  # 'met' | 'paused' | 'open' | 'missed'
    paused: bool  # the week lies in a pause range (even when met)


@dataclass(frozen=True)
class HabitResult:
    weeks: tuple[WeekResult, ...]  # first goal week .. current week, in order; empty when not started
    current: WeekResult | None  # None when there is no goal yet or today precedes the first goal week
    current_streak: int
    best_streak: int
    strength: float  # 0..1


def _sorted_goals(goals: Sequence[GoalRow]) -> list[GoalRow]:
    # sorted() is stable, so among rows with the same from_date the later one in the list stays later.
    return sorted(goals, key=lambda g: g.from_date)


def judged_weeks(goals: Sequence[GoalRow], today: date, start_day: int = 0) -> list[date]:
    """Week starts from the week of the first goal row through the week of `today`, in order."""
    if not goals:
        return []
    first = week_start(min(g.from_date for g in goals), start_day)
    current = week_start(today, start_day)
    weeks: list[date] = []
    w = first
    while w <= current:
        weeks.append(w)
        w = w + _WEEK
    return weeks


def goal_for_week(goals: Sequence[GoalRow], w: date, start_day: int = 0) -> GoalRow | None:
    """The newest row (by from_date; on ties the later in the list) whose week_start(from_date) <= w."""
    found: GoalRow | None = None
    for g in _sorted_goals(goals):
        if week_start(g.from_date, start_day) <= w:
            found = g
        else:
            break
    return found


def paused_weeks(pauses: Sequence[PauseRange], start_day: int = 0) -> set[date]:
    """Every week start covered by a pause. A range whose end precedes its start pauses nothing."""
    weeks: set[date] = set()
    for p in pauses:
        w = week_start(p.start, start_day)
        last = week_start(p.end, start_day)
        while w <= last:
            weeks.add(w)
            w = w + _WEEK
    return weeks


def _is_met(tally: Tally, goal: GoalRow) -> bool:
    if goal.is_empty:
        return False
    if goal.touches is not None and tally.touches < goal.touches:
        return False
    if goal.minutes is not None and tally.minutes < goal.minutes:
        return False
    return True


def _ratio(done: int, target: int) -> float:
    if target <= 0:
        return 1.0
    return min(1.0, max(0.0, done / target))


def _completion(week: WeekResult) -> float:
    """How much of the week's goal was done: the smaller ratio when both a touch and a minutes goal are set."""
    ratios = []
    if week.goal_touches is not None:
        ratios.append(_ratio(week.touches, week.goal_touches))
    if week.goal_minutes is not None:
        ratios.append(_ratio(week.minutes, week.goal_minutes))
    return min(ratios) if ratios else 0.0


def evaluate(
    goals: Sequence[GoalRow],
    pauses: Sequence[PauseRange],
    tallies: Mapping[date, Tally],
    today: date,
    start_day: int = 0,
) -> HabitResult:
    """Judge every week from the first goal week to the current one and derive streaks and strength.

    `tallies` is keyed by week start (as `tally_touches` returns it, with the same `start_day`);
    a missing week counts as no touches. Tallies outside the judged weeks are ignored.
    """
    weeks = judged_weeks(goals, today, start_day)
    if not weeks:
        return HabitResult(weeks=(), current=None, current_streak=0, best_streak=0, strength=0.0)

    current_start = weeks[-1]
    paused_set = paused_weeks(pauses, start_day)
    results: list[WeekResult] = []
    for w in weeks:
        tally = tallies.get(w, Tally())
        goal = goal_for_week(goals, w, start_day)
        assert goal is not None  # every judged week lies at or after the first goal week
        paused = w in paused_set
        if _is_met(tally, goal):
            status = MET
        elif paused:
            status = PAUSED
        elif w == current_start or goal.is_empty:
            status = OPEN
        else:
            status = MISSED
        results.append(
            WeekResult(
                week_start=w,
                touches=tally.touches,
                minutes=tally.minutes,
                goal_touches=goal.touches,
                goal_minutes=goal.minutes,
                status=status,
                paused=paused,
            )
        )

    # Runs are separated only by missed weeks; paused and open weeks are transparent.
    run = best = 0
    for r in results:
        if r.status == MET:
            run += 1
            best = max(best, run)
        elif r.status == MISSED:
            run = 0
    current_streak = run

    strength = 0.0
    m = STRENGTH_DECAY
    for r in results:
        if r.status in (MET, MISSED):
            strength = strength * m + _completion(r) * (1 - m)
    strength = min(1.0, max(0.0, strength))

    return HabitResult(
        weeks=tuple(results),
        current=results[-1],
        current_streak=current_streak,
        best_streak=max(best, current_streak),
        strength=strength,
    )


def _to_zone(moment: datetime, zone: tzinfo) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)  # touches are stored as UTC
    return in_zone(moment, zone)


def tally_touches(
    touches: Iterable[tuple[datetime, int | None]],
    tz: str | tzinfo,
    start_day: int = 0,
) -> dict[date, Tally]:
    """Count touches and minutes per week: each instant's local date in `tz` decides its week.

    Instants should be aware; a naive one is read as UTC (how touches are stored). Minutes of
    None count as 0.
    """
    zone = pendulum.timezone(tz) if isinstance(tz, str) else tz
    counts: dict[date, list[int]] = {}
    for moment, minutes in touches:
        w = week_start(_to_zone(moment, zone).date(), start_day)
        entry = counts.setdefault(w, [0, 0])
        entry[0] += 1
        entry[1] += minutes or 0
    return {w: Tally(touches=n, minutes=mins) for w, (n, mins) in counts.items()}
