"""The priority rules of PRODUCT.md: overdue ratio, tier-weighted score, and the reason in words."""

from __future__ import annotations

import pytest

from netmaint_tui.rules.priority import (
    TIER_WEIGHT,
    ReasonFacts,
    balance,
    due_on,
    overdue_ratio,
    reason,
    score,
    times,
    weeks_ago,
)
from netmaint_tui.rules.schema import DEFAULT_CADENCE


def test_tier_weights_and_default_cadences_are_the_documented_ones():
    assert TIER_WEIGHT == {"A": 3, "B": 2, "C": 1}
    assert DEFAULT_CADENCE == {"A": 30, "B": 90, "C": 180}


@pytest.mark.parametrize(
    "days, cadence, expected",
    [(0, 30, 0.0), (15, 30, 0.5), (30, 30, 1.0), (69, 30, 2.3), (180, 90, 2.0), (90, 180, 0.5)],
)
def test_overdue_is_days_since_last_touch_over_cadence(days, cadence, expected):
    assert overdue_ratio(days, 999, cadence) == pytest.approx(expected)


def test_overdue_ignores_when_the_contact_was_added_once_touched():
    assert overdue_ratio(10, 0, 30) == overdue_ratio(10, 500, 30)


def test_a_touch_in_the_future_is_not_negative_overdue():
    assert overdue_ratio(-2, 10, 30) == 0.0


def test_never_touched_is_due_at_once_on_the_day_added_and_grows():
    assert overdue_ratio(None, 0, 30) == pytest.approx(1.0)
    assert overdue_ratio(None, 15, 30) == pytest.approx(1.5)
    assert overdue_ratio(None, 30, 30) == pytest.approx(2.0)
    assert overdue_ratio(None, 90, 90) == pytest.approx(2.0)
    growing = [overdue_ratio(None, d, 30) for d in range(0, 100, 7)]
    assert growing == sorted(growing) and len(set(growing)) == len(growing)


def test_a_zero_or_missing_cadence_does_not_divide_by_zero():
    assert overdue_ratio(3, 0, 0) == 3.0
    assert overdue_ratio(3, 0, None) == 3.0


@pytest.mark.parametrize("tier, weight", [("A", 3), ("B", 2), ("C", 1)])
def test_score_is_tier_weight_times_overdue(tier, weight):
    assert score(tier, 45, 100, 30) == pytest.approx(weight * 1.5)
    assert score(tier, None, 0, 30) == pytest.approx(weight * 1.0)


def test_a_key_contact_outranks_a_lesser_one_equally_overdue():
    assert score("A", 60, 0, 30) > score("B", 60, 0, 30) > score("C", 60, 0, 30)


def test_due_on_is_the_local_day_of_the_last_touch_plus_the_cadence():
    import datetime as dt

    day = dt.date(2025, 3, 11)
    assert due_on(day, dt.date(2020, 1, 1), 30) == dt.date(2025, 4, 10)
    assert due_on(dt.date(2024, 2, 28), dt.date(2020, 1, 1), 1) == dt.date(2024, 2, 29)
    assert due_on(day, dt.date(2020, 1, 1), 0) == dt.date(2025, 3, 12)  # as the ratio: at least a day


def test_due_on_never_touched_is_the_day_added():
    import datetime as dt

    assert due_on(None, dt.date(2025, 3, 2), 90) == dt.date(2025, 3, 2)


def test_due_on_past_the_calendars_end_is_its_last_day():
    import datetime as dt

    assert due_on(dt.date(9999, 12, 1), dt.date(2020, 1, 1), 90) == dt.date.max


def test_times_words():
    assert [times(n) for n in (1, 2, 3, 11)] == ["once", "twice", "3 times", "11 times"]


@pytest.mark.parametrize(
    "days, words",
    [
        (0, "today"), (1, "yesterday"), (2, "2 days ago"),
        (13, "13 days ago"), (14, "2 weeks ago"), (63, "9 weeks ago"), (119, "17 weeks ago"),
        (120, "3 months ago"), (400, "13 months ago"), (730, "2 years ago"),
    ],
)
def test_weeks_ago(days, words):
    import datetime as dt

    from netmaint_tui.rules.dates import calendar_months

    today = dt.date(2026, 11, 22)
    months = calendar_months(today - dt.timedelta(days=days), today)
    assert weeks_ago(days, months) == words  # 120 days back is 3 months and 28 days: not yet 4


def test_the_reason_and_the_list_count_alike():
    """The list's "17w ago" / "12mo ago" / "2y ago" and the reason's words for the same touch:
    every day of two years back from three todays (month ends, a leap year, summer time), at the
    same hour and at a later hour of the day than now (elapsed days one fewer than calendar days)."""
    import pendulum

    from netmaint_tui.rules.dates import calendar_months, humanize_ago

    short = {"w": "weeks", "mo": "months", "y": "years", "d": "days"}
    for now in (pendulum.datetime(2026, 11, 22, 10, tz="Europe/Berlin"), pendulum.datetime(2028, 3, 1, 10, tz="Europe/Berlin"),
                pendulum.datetime(2026, 7, 31, 10, tz="Europe/Berlin")):
        for days in range(14, 760):
            for later_hour in (0, 5):
                then = now.subtract(days=days).add(hours=later_hour)
                number, unit = humanize_ago(then, now).removesuffix(" ago").rstrip("dwmoy"), humanize_ago(then, now)
                unit = short[unit.removesuffix(" ago")[len(number):]]
                said = weeks_ago((now.date() - then.date()).days, calendar_months(then.date(), now.date()))
                assert said == f"{number} {unit} ago", (now, days, later_hour, humanize_ago(then, now), said)


def test_balance_is_gives_minus_asks():
    assert balance(1, 2) == -1
    assert balance(3, 0) == 3


def test_reason_reads_like_the_product_example():
    facts = ReasonFacts(tier="A", overdue=2.3, days_since_touch=63, last_channel="meeting", gives=1, asks=2)
    assert reason(facts).startswith("2.3× overdue · A · last: meeting 9 weeks ago · asked twice, gave once")


def test_negative_balance_suggests_a_give_and_only_then():
    taker = ReasonFacts(tier="A", overdue=2.3, days_since_touch=63, last_channel="meeting", gives=1, asks=2)
    assert reason(taker) == (
        "2.3× overdue · A · last: meeting 9 weeks ago · asked twice, gave once · suggest a give, not an ask"
    )
    even = ReasonFacts(tier="B", overdue=0.5, days_since_touch=45, last_channel="call", gives=2, asks=2)
    assert "suggest a give" not in reason(even)
    giver = ReasonFacts(tier="B", overdue=0.5, days_since_touch=45, last_channel="call", gives=3, asks=0)
    assert reason(giver) == "0.5× overdue · B · last: call 6 weeks ago · gave 3 times"


def test_reason_for_a_never_touched_contact():
    facts = ReasonFacts(tier="C", overdue=1.0, days_since_touch=None, last_channel=None, gives=0, asks=0)
    assert reason(facts) == "1.0× overdue · C · never touched"


def test_urgent_follow_up_comes_first_and_snooze_last():
    facts = ReasonFacts(
        tier="B", overdue=0.2, days_since_touch=3, last_channel="email", gives=0, asks=1,
        urgent_follow_up="follow-up due Thu 10:00: send the deck", snoozed_until="2025-04-01",
    )
    parts = reason(facts).split(" · ")
    assert parts[0] == "follow-up due Thu 10:00: send the deck"
    assert parts[1:4] == ["0.2× overdue", "B", "last: email 3 days ago"]
    assert parts[-1] == "snoozed until 2025-04-01"
    assert "suggest a give, not an ask" in parts


def test_reason_says_when_they_last_wrote_if_after_the_last_touch():
    wrote = ReasonFacts(tier="A", overdue=2.3, days_since_touch=63, last_channel="meeting", gives=0, asks=0,
                        days_since_heard=3)
    assert reason(wrote) == "2.3× overdue · A · last: meeting 9 weeks ago · last heard 3 days ago"
    never = ReasonFacts(tier="C", overdue=1.0, days_since_touch=None, last_channel=None, gives=0, asks=0,
                        days_since_heard=1)
    assert reason(never) == "1.0× overdue · C · never touched · last heard yesterday"
    long_ago = ReasonFacts(tier="B", overdue=1.0, days_since_touch=400, last_channel="email", gives=0, asks=0,
                           days_since_heard=200, months_since_touch=13, months_since_heard=6)
    assert reason(long_ago).endswith("last: email 13 months ago · last heard 6 months ago")
    for before in (63, 70):  # the same day as the touch, or earlier: nothing new to say
        quiet = ReasonFacts(tier="A", overdue=2.3, days_since_touch=63, last_channel="meeting", gives=0, asks=0,
                            days_since_heard=before)
        assert "heard" not in reason(quiet)


def test_reason_rounds_overdue_to_one_place():
    facts = ReasonFacts(tier="A", overdue=1.26, days_since_touch=38, last_channel="email", gives=0, asks=0)
    assert reason(facts).startswith("1.3× overdue")


def test_a_contact_not_yet_due_says_when_it_falls_due_not_a_ratio_below_one():
    from netmaint_tui.rules.priority import standing

    touched_today = ReasonFacts(tier="A", overdue=0.0, days_since_touch=0, last_channel="call", gives=0, asks=0,
                                days_until_due=30)
    assert reason(touched_today) == "due in 30d · A · last: call today"
    assert standing(0.9, 14) == "due in 14d" and standing(0.99, 0) == "due today"
    # Beside a follow-up's own "due", it says what falls due, so the two do not read as one.
    assert standing(0.5, 11, beside_other_due=True) == "next touch in 11d"
    assert standing(1.4, -3) == "1.4× overdue" and standing(1.0, 3) == "1.0× overdue"  # a birthday made them due


def test_the_due_column_says_follow_up_wherever_a_follow_up_lifts_the_contact():
    from netmaint_tui.rules.priority import due_label

    assert due_label(-11, follow_up=True) == "follow-up"
    assert [due_label(d) for d in (-11, 0, 5)] == ["11d overdue", "today", "in 5d"]


def test_the_reasons_weeks_are_rounded_as_the_lists():
    from netmaint_tui.rules.dates import day_amount

    assert weeks_ago(66, 2) == "9 weeks ago" and weeks_ago(67, 2) == "10 weeks ago"
    assert day_amount(67, 2) == (10, "w")
