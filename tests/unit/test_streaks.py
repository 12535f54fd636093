from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netmaint_tui.rules.streaks import (
    STRENGTH_DECAY,
    GoalRow,
    PauseRange,
    Tally,
    evaluate,
    goal_for_week,
    judged_weeks,
    paused_weeks,
    tally_touches,
)

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
M = STRENGTH_DECAY


def local(y, mo, d, h=10, mi=0, s=0, tz=BERLIN) -> datetime:
    """An aware UTC instant for a local wall time, as storage would hold it."""
    return pendulum.datetime(y, mo, d, h, mi, s, tz=tz).in_timezone("UTC")


def n_on(n: int, y, mo, d, tz=BERLIN, minutes=None) -> list[tuple[datetime, int | None]]:
    return [(local(y, mo, d, 10, i, tz=tz), minutes) for i in range(n)]


def goal5(y, mo, d) -> list[GoalRow]:
    return [GoalRow(date(y, mo, d), 5, None)]


def run(goals, touches, today, *, pauses=(), tz=BERLIN, start_day=0):
    tallies = tally_touches(touches, tz, start_day)
    return evaluate(goals, list(pauses), tallies, today, start_day)


def summary(result):
    return (
        result.current_streak,
        result.best_streak,
        result.current.touches if result.current else 0,
        round(result.strength, 3),
    )


# ---------------------------------------------------------------------------------------------
# The worked cases of STREAKS.md


def case_1():
    return dict(goals=goal5(2025, 3, 3), touches=[], today=date(2025, 3, 12))


def case_2_touches():
    return n_on(5, 2025, 2, 17) + n_on(5, 2025, 2, 24) + n_on(5, 2025, 3, 3) + n_on(2, 2025, 3, 10)


def case_2():
    return dict(goals=goal5(2025, 2, 17), touches=case_2_touches(), today=date(2025, 3, 12))


def case_3():
    return dict(goals=goal5(2025, 2, 17), touches=case_2_touches() + n_on(3, 2025, 3, 11), today=date(2025, 3, 12))


def case_4():
    return dict(
        goals=goal5(2025, 2, 17),
        touches=n_on(5, 2025, 2, 17) + n_on(1, 2025, 2, 24) + n_on(5, 2025, 3, 3),
        pauses=[PauseRange(date(2025, 2, 24), date(2025, 3, 2))],
        today=date(2025, 3, 12),
    )


def case_5():
    touches = n_on(4, 2025, 3, 3, tz=NEW_YORK) + [(datetime(2025, 3, 10, 3, 59, 59, tzinfo=timezone.utc), None)]
    now = pendulum.datetime(2025, 3, 10, 12, 0, tz=NEW_YORK)
    return dict(goals=goal5(2025, 3, 3), touches=touches, today=now.date(), tz=NEW_YORK)


def case_6():
    touches = (
        n_on(5, 2026, 12, 21)
        + n_on(1, 2026, 12, 28)
        + n_on(1, 2026, 12, 31)
        + n_on(1, 2027, 1, 1)
        + n_on(1, 2027, 1, 2)
        + n_on(1, 2027, 1, 3)
        + n_on(5, 2027, 1, 4)
    )
    return dict(goals=goal5(2026, 12, 21), touches=touches, today=date(2027, 1, 6))


def case_7():
    goals = [GoalRow(date(2025, 2, 24), 5, None), GoalRow(date(2025, 3, 12), 3, None)]
    touches = n_on(3, 2025, 2, 24) + n_on(5, 2025, 3, 3) + n_on(3, 2025, 3, 10) + n_on(3, 2025, 3, 17)
    return dict(goals=goals, touches=touches, today=date(2025, 3, 19))


def case_8():
    goals = [GoalRow(date(2025, 3, 3), None, 60)]
    touches = [
        (local(2025, 3, 4, 9), 25),
        (local(2025, 3, 4, 11), 20),
        (local(2025, 3, 4, 15), 15),
    ]
    return dict(goals=goals, touches=touches, today=date(2025, 3, 10))


@pytest.mark.parametrize(
    "case, expected",
    [
        (case_1, (0, 0, 0, 0.000)),
        (case_2, (3, 3, 2, 0.345)),
        (case_3, (4, 4, 5, 0.431)),
        (case_4, (2, 2, 0, 0.246)),
        (case_5, (1, 1, 0, 0.132)),
        (case_6, (3, 3, 5, 0.345)),
        (case_7, (3, 3, 3, 0.397)),
        (case_8, (1, 1, 0, 0.132)),
    ],
    ids=lambda v: v.__name__ if callable(v) else None,
)
def test_worked_cases(case, expected):
    assert summary(run(**case())) == expected


def test_case_4_statuses():
    result = run(**case_4())
    assert [(w.week_start, w.status, w.paused) for w in result.weeks] == [
        (date(2025, 2, 17), "met", False),
        (date(2025, 2, 24), "paused", True),
        (date(2025, 3, 3), "met", False),
        (date(2025, 3, 10), "open", False),
    ]


def test_case_5_touch_at_sunday_midnight_belongs_to_the_earlier_week():
    result = run(**case_5())
    assert [(w.week_start, w.touches, w.status) for w in result.weeks] == [
        (date(2025, 3, 3), 5, "met"),
        (date(2025, 3, 10), 0, "open"),
    ]
    # one second later it is Monday in New York and the week is missed
    c = case_5()
    c["touches"][-1] = (datetime(2025, 3, 10, 4, 0, 0, tzinfo=timezone.utc), None)
    assert summary(run(**c)) == (0, 0, 1, 0.105)


def test_case_6_week_53_is_one_week():
    result = run(**case_6())
    assert [(w.week_start, w.touches) for w in result.weeks] == [
        (date(2026, 12, 21), 5),
        (date(2026, 12, 28), 5),
        (date(2027, 1, 4), 5),
    ]
    assert date(2026, 12, 28).isocalendar()[:2] == (2026, 53)


def test_case_7_goal_change_applies_to_the_whole_week():
    result = run(**case_7())
    assert [(w.week_start, w.goal_touches, w.status) for w in result.weeks] == [
        (date(2025, 2, 24), 5, "missed"),
        (date(2025, 3, 3), 5, "met"),
        (date(2025, 3, 10), 3, "met"),
        (date(2025, 3, 17), 3, "met"),
    ]


def test_case_8_minutes_only_goal():
    result = run(**case_8())
    first = result.weeks[0]
    assert (first.touches, first.minutes, first.goal_touches, first.goal_minutes, first.status) == (3, 60, None, 60, "met")
    c = case_8()
    c["touches"] = c["touches"][:2]  # 45 minutes: missed, strength from the 0.75 ratio
    assert summary(run(**c)) == (0, 0, 0, round(0.75 * (1 - M), 3))


# ---------------------------------------------------------------------------------------------
# More cases the rules decide


def test_sunday_week_start():
    goals = [GoalRow(date(2025, 3, 2), 5, None)]  # a Sunday
    touches = n_on(3, 2025, 3, 2) + n_on(2, 2025, 3, 8) + n_on(1, 2025, 3, 9)  # Sun, Sat, Sun
    sunday = run(goals, touches, date(2025, 3, 12), start_day=6)
    assert [(w.week_start, w.touches, w.status) for w in sunday.weeks] == [
        (date(2025, 3, 2), 5, "met"),
        (date(2025, 3, 9), 1, "open"),
    ]
    assert summary(sunday) == (1, 1, 1, round(1 - M, 3))
    # the same touches with Monday weeks split differently and meet nothing
    monday = run(goals, touches, date(2025, 3, 12), start_day=0)
    assert [(w.week_start, w.touches) for w in monday.weeks] == [
        (date(2025, 2, 24), 3),
        (date(2025, 3, 3), 3),
        (date(2025, 3, 10), 0),
    ]
    assert monday.current_streak == 0


@pytest.mark.parametrize(
    "tz, week, last_local_minute, next_monday",
    [
        # 23-hour Sunday (spring forward) and 25-hour Sunday (fall back), in both zones
        (BERLIN, date(2025, 3, 24), (2025, 3, 30, 23, 30), (2025, 3, 31, 0, 30)),
        (BERLIN, date(2025, 10, 20), (2025, 10, 26, 23, 30), (2025, 10, 27, 0, 30)),
        (NEW_YORK, date(2025, 3, 3), (2025, 3, 9, 23, 30), (2025, 3, 10, 0, 30)),
        (NEW_YORK, date(2025, 10, 27), (2025, 11, 2, 23, 30), (2025, 11, 3, 0, 30)),
    ],
)
def test_dst_weeks_are_calendar_weeks(tz, week, last_local_minute, next_monday):
    goals = [GoalRow(week, 5, None)]
    touches = n_on(4, week.year, week.month, week.day, tz=tz)
    touches.append((local(*last_local_minute, tz=tz), None))  # late Sunday: still this week
    touches.append((local(*next_monday, tz=tz), None))  # just after midnight: next week
    result = run(goals, touches, week + timedelta(days=9), tz=tz)
    assert [(w.week_start, w.touches, w.status) for w in result.weeks] == [
        (week, 5, "met"),
        (week + timedelta(days=7), 1, "open"),
    ]
    assert summary(result) == (1, 1, 1, round(1 - M, 3))


def test_retroactive_touch_turns_a_missed_week_into_met():
    goals = goal5(2025, 2, 17)
    touches = n_on(5, 2025, 2, 17) + n_on(4, 2025, 2, 24) + n_on(5, 2025, 3, 3)
    before = run(goals, touches, date(2025, 3, 12))
    assert [w.status for w in before.weeks] == ["met", "missed", "met", "open"]
    assert summary(before)[:2] == (1, 1)
    after = run(goals, touches + [(local(2025, 3, 1, 18), None)], date(2025, 3, 12))
    assert [w.status for w in after.weeks] == ["met", "met", "met", "open"]
    assert summary(after) == (3, 3, 0, round(1 - M**3, 3))


def test_goal_raised_mid_week_applies_to_the_whole_week():
    goals = [GoalRow(date(2025, 3, 3), 3, None), GoalRow(date(2025, 3, 13), 5, None)]  # raised on Thursday
    touches = n_on(3, 2025, 3, 3) + n_on(4, 2025, 3, 10)  # 4 touches, all before the raise
    result = run(goals, touches, date(2025, 3, 19))
    assert [(w.week_start, w.goal_touches, w.status) for w in result.weeks] == [
        (date(2025, 3, 3), 3, "met"),
        (date(2025, 3, 10), 5, "missed"),
        (date(2025, 3, 17), 5, "open"),
    ]
    assert summary(result)[:2] == (0, 1)


def test_pause_covering_the_current_week():
    goals = goal5(2025, 2, 24)
    touches = n_on(5, 2025, 2, 24) + n_on(5, 2025, 3, 3) + n_on(1, 2025, 3, 10)
    pauses = [PauseRange(date(2025, 3, 12), date(2025, 3, 14))]
    result = run(goals, touches, date(2025, 3, 12), pauses=pauses)
    assert (result.current.status, result.current.paused, result.current.touches) == ("paused", True, 1)
    assert summary(result) == (2, 2, 1, round(1 - M**2, 3))


def test_pause_in_the_past_keeps_the_streak_across_it():
    goals = goal5(2025, 2, 3)
    touches = n_on(5, 2025, 2, 3) + n_on(5, 2025, 3, 3)
    no_pause = run(goals, touches, date(2025, 3, 5))
    assert [w.status for w in no_pause.weeks] == ["met", "missed", "missed", "missed", "met"]
    assert summary(no_pause)[:2] == (1, 1)
    # the pause ends on a Wednesday; its whole week is paused
    paused = run(goals, touches, date(2025, 3, 5), pauses=[PauseRange(date(2025, 2, 14), date(2025, 2, 26))])
    assert [w.status for w in paused.weeks] == ["met", "paused", "paused", "paused", "met"]
    assert summary(paused) == (2, 2, 5, round(1 - M**2, 3))


def test_a_met_paused_week_counts_as_met():
    goals = goal5(2025, 2, 17)
    touches = n_on(5, 2025, 2, 17) + n_on(6, 2025, 2, 24) + n_on(5, 2025, 3, 3)
    result = run(goals, touches, date(2025, 3, 12), pauses=[PauseRange(date(2025, 2, 24), date(2025, 3, 2))])
    week = result.weeks[1]
    assert (week.status, week.paused) == ("met", True)
    assert summary(result) == (3, 3, 0, round(1 - M**3, 3))


@pytest.mark.parametrize("k", [1, 2, 5, 10, 26])
def test_k_perfect_weeks(k):
    first = date(2024, 1, 1)
    today = first + timedelta(weeks=k)  # the open week k+1 is not counted
    tallies = {first + timedelta(weeks=i): Tally(5, 0) for i in range(k)}
    result = evaluate([GoalRow(first, 5, None)], [], tallies, today)
    assert result.current_streak == k == result.best_streak
    assert result.strength == pytest.approx(1 - M**k, abs=1e-12)
    # once the current week is met it counts too
    tallies[today] = Tally(5, 0)
    assert evaluate([GoalRow(first, 5, None)], [], tallies, today).strength == pytest.approx(1 - M ** (k + 1))


def test_strength_constant():
    assert M == pytest.approx(0.868430, abs=1e-6)


def test_partial_weeks_use_the_smaller_ratio_of_both_goals():
    goals = [GoalRow(date(2025, 3, 3), 4, 100)]
    tallies = {date(2025, 3, 3): Tally(touches=3, minutes=20)}  # 0.75 of touches, 0.2 of minutes
    result = evaluate(goals, [], tallies, date(2025, 3, 12))
    assert result.weeks[0].status == "missed"
    assert result.strength == pytest.approx(0.2 * (1 - M))
    tallies = {date(2025, 3, 3): Tally(touches=4, minutes=99)}
    assert evaluate(goals, [], tallies, date(2025, 3, 12)).weeks[0].status == "missed"
    tallies = {date(2025, 3, 3): Tally(touches=4, minutes=100)}
    assert evaluate(goals, [], tallies, date(2025, 3, 12)).weeks[0].status == "met"


def test_missed_week_breaks_streak_but_best_remembers():
    goals = goal5(2025, 1, 6)
    touches = n_on(5, 2025, 1, 6) + n_on(5, 2025, 1, 13) + n_on(5, 2025, 1, 20) + n_on(5, 2025, 2, 3)
    result = run(goals, touches, date(2025, 2, 12))
    assert [w.status for w in result.weeks] == ["met", "met", "met", "missed", "met", "open"]
    assert (result.current_streak, result.best_streak) == (1, 3)
    expected = 0.0
    for c in (1, 1, 1, 0, 1):
        expected = expected * M + c * (1 - M)
    assert result.strength == pytest.approx(expected)


def test_an_empty_goal_row_suspends_judging():
    goals = [
        GoalRow(date(2025, 2, 17), 5, None),
        GoalRow(date(2025, 2, 24), None, None),
        GoalRow(date(2025, 3, 10), 5, None),
    ]
    touches = n_on(5, 2025, 2, 17) + n_on(9, 2025, 2, 24) + n_on(5, 2025, 3, 10)
    result = run(goals, touches, date(2025, 3, 12))
    assert [(w.status, w.goal_touches) for w in result.weeks] == [
        ("met", 5),
        ("open", None),
        ("open", None),
        ("met", 5),
    ]
    assert summary(result) == (2, 2, 5, round(1 - M**2, 3))


def test_a_zero_goal_is_met_by_any_week():
    result = evaluate([GoalRow(date(2025, 3, 3), 0, None)], [], {}, date(2025, 3, 12))
    assert [w.status for w in result.weeks] == ["met", "met"]
    assert result.strength == pytest.approx(1 - M**2)


def test_no_goal_or_today_before_first_goal():
    empty = evaluate([], [], {date(2025, 3, 10): Tally(9, 9)}, date(2025, 3, 12))
    assert (empty.weeks, empty.current, empty.current_streak, empty.best_streak, empty.strength) == ((), None, 0, 0, 0.0)
    early = evaluate(goal5(2025, 3, 17), [], {}, date(2025, 3, 12))
    assert early.current is None and early.weeks == ()
    # a goal set later in the current week already judges the whole week
    same_week = evaluate(goal5(2025, 3, 14), [], {date(2025, 3, 10): Tally(5, 0)}, date(2025, 3, 12))
    assert same_week.current.status == "met"


def test_future_touches_and_touches_before_the_habit_are_ignored():
    goals = goal5(2025, 3, 3)
    touches = n_on(7, 2025, 2, 24) + n_on(5, 2025, 3, 17)
    result = run(goals, touches, date(2025, 3, 12))
    assert [w.touches for w in result.weeks] == [0, 0]


def test_judged_weeks_step_by_calendar_days():
    weeks = judged_weeks([GoalRow(date(2025, 3, 19), 5, None)], date(2025, 4, 2))
    assert weeks == [date(2025, 3, 17), date(2025, 3, 24), date(2025, 3, 31)]
    assert judged_weeks([], date(2025, 4, 2)) == []
    assert judged_weeks([GoalRow(date(2025, 4, 9), 5, None)], date(2025, 4, 2)) == []
    assert judged_weeks([GoalRow(date(2025, 3, 29), 5, None)], date(2025, 3, 31), start_day=6) == [
        date(2025, 3, 23),
        date(2025, 3, 30),
    ]


def test_goal_for_week():
    a = GoalRow(date(2025, 3, 3), 5, None)
    b = GoalRow(date(2025, 3, 12), 3, None)
    c = GoalRow(date(2025, 3, 12), 4, None)
    d = GoalRow(date(2025, 3, 11), 7, None)
    assert goal_for_week([b, a], date(2025, 3, 3), 0) is a
    assert goal_for_week([a, b], date(2025, 3, 10), 0) is b  # mid-week change covers its whole week
    assert goal_for_week([a, b, c], date(2025, 3, 10), 0) is c  # same day: later in the list wins
    assert goal_for_week([a, c, b], date(2025, 3, 10), 0) is b
    assert goal_for_week([b, d], date(2025, 3, 10), 0) is b  # newest from_date wins
    assert goal_for_week([a], date(2025, 2, 24), 0) is None
    assert goal_for_week([b], date(2025, 3, 9), 6) is b  # Sunday weeks: 03-12 lies in the week of 03-09
    assert goal_for_week([b], date(2025, 3, 2), 6) is None
    assert goal_for_week([b], date(2025, 3, 9), 2) is None
    assert goal_for_week([b], date(2025, 3, 12), 2) is b


def test_paused_weeks():
    assert paused_weeks([PauseRange(date(2025, 3, 2), date(2025, 3, 3))]) == {date(2025, 2, 24), date(2025, 3, 3)}
    assert paused_weeks([PauseRange(date(2025, 3, 5), date(2025, 3, 1))]) == set()
    assert paused_weeks([PauseRange(date(2025, 3, 2), date(2025, 3, 3))], start_day=6) == {date(2025, 3, 2)}


def test_tally_touches():
    touches = [
        (local(2025, 3, 10, 0, 0), 30),
        (local(2025, 3, 16, 23, 59), None),
        (local(2025, 3, 17, 0, 0), 15),
        (datetime(2025, 3, 9, 23, 30), 5),  # naive means UTC: Monday 00:30 in Berlin
    ]
    assert tally_touches(touches, BERLIN) == {
        date(2025, 3, 10): Tally(3, 35),
        date(2025, 3, 17): Tally(1, 15),
    }
    # the same instants seen from New York fall on other local dates
    ny = tally_touches(touches, pendulum.timezone(NEW_YORK))
    assert ny == {date(2025, 3, 3): Tally(2, 35), date(2025, 3, 10): Tally(2, 15)}


def test_evaluate_is_pure_in_its_inputs():
    goals = goal5(2025, 2, 17)
    tallies = tally_touches(case_2_touches(), BERLIN)
    snapshot = dict(tallies)
    first = evaluate(goals, [], tallies, date(2025, 3, 12))
    second = evaluate(goals, [], tallies, date(2025, 3, 12))
    assert first == second and tallies == snapshot


# ---------------------------------------------------------------------------------------------
# Properties

BASE = datetime(2025, 1, 6, tzinfo=timezone.utc)
ZONES = st.sampled_from([BERLIN, NEW_YORK, "UTC", "Asia/Kolkata", "Australia/Lord_Howe"])
goal_rows = st.builds(
    lambda offset, touches, minutes: GoalRow(BASE.date() + timedelta(days=offset), touches, minutes),
    st.integers(0, 60),
    st.one_of(st.none(), st.integers(0, 6)),
    st.one_of(st.none(), st.integers(0, 120)),
)
a_touch = st.tuples(
    st.integers(0, 110 * 24 * 60).map(lambda minutes: BASE + timedelta(minutes=minutes)),
    st.one_of(st.none(), st.integers(0, 90)),
)
a_pause = st.builds(
    lambda offset, length: PauseRange(BASE.date() + timedelta(days=offset), BASE.date() + timedelta(days=offset + length)),
    st.integers(-7, 100),
    st.integers(0, 20),
)
scenarios = st.fixed_dictionaries(
    {
        "goals": st.lists(goal_rows, min_size=1, max_size=3),
        "touches": st.lists(a_touch, max_size=30),
        "pauses": st.lists(a_pause, max_size=2),
        "today": st.integers(0, 100).map(lambda d: BASE.date() + timedelta(days=d)),
        "tz": ZONES,
        "start_day": st.integers(0, 6),
    }
)
PROPERTY_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _ok(result):
    assert 0.0 <= result.strength <= 1.0
    assert result.best_streak >= result.current_streak >= 0


@PROPERTY_SETTINGS
@given(scenarios, a_touch)
def test_adding_a_touch_never_lowers_anything(s, extra):
    before = run(**s)
    after = run(**{**s, "touches": s["touches"] + [extra]})
    _ok(before)
    _ok(after)
    assert after.current_streak >= before.current_streak
    assert after.best_streak >= before.best_streak
    assert after.strength >= before.strength - 1e-12


@PROPERTY_SETTINGS
@given(scenarios, st.data())
def test_pausing_a_missed_week_never_lowers_the_streaks(s, data):
    before = run(**s)
    missed = [w.week_start for w in before.weeks if w.status == "missed"]
    if not missed:
        return
    w = data.draw(st.sampled_from(missed))
    day = w + timedelta(days=data.draw(st.integers(0, 6)))
    after = run(**{**s, "pauses": s["pauses"] + [PauseRange(day, day)]})
    assert [x.status for x in after.weeks if x.week_start == w] == ["paused"]
    assert after.current_streak >= before.current_streak
    assert after.best_streak >= before.best_streak


@PROPERTY_SETTINGS
@given(scenarios, st.randoms(use_true_random=False))
def test_touch_order_does_not_matter(s, rnd):
    shuffled = list(s["touches"])
    rnd.shuffle(shuffled)
    assert run(**s) == run(**{**s, "touches": shuffled})


@PROPERTY_SETTINGS
@given(scenarios)
def test_invariants(s):
    result = run(**s)
    _ok(result)
    weeks = [w.week_start for w in result.weeks]
    assert all(b - a == timedelta(days=7) for a, b in zip(weeks, weeks[1:]))
    if result.weeks:
        assert result.current == result.weeks[-1]
        assert result.current.status != "missed"
        assert all(w.week_start.weekday() == s["start_day"] for w in result.weeks)
        assert sum(w.touches for w in result.weeks) <= len(s["touches"])
        for w in result.weeks:
            met = w.status == "met"
            assert met == (
                (w.goal_touches is not None or w.goal_minutes is not None)
                and (w.goal_touches is None or w.touches >= w.goal_touches)
                and (w.goal_minutes is None or w.minutes >= w.goal_minutes)
            )
            if w.status == "paused":
                assert w.paused


def test_results_are_frozen():
    result = run(**case_2())
    with pytest.raises(AttributeError):
        result.current_streak = 99  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.weeks[0].status = "met"  # type: ignore[misc]
