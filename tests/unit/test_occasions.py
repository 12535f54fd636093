"""Birthdays and anniversaries as rules: when each falls next (29 February too), how old someone
turns, the words shown, the window a query matches against, and when a date makes a contact due."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netmaint_tui.rules import schema
from netmaint_tui.rules.occasions import (
    DUE_BEFORE,
    SOON_DAYS,
    Occasion,
    describe,
    due_for_date,
    falls_on,
    month_days_ahead,
    next_on,
    parse,
    shown,
    shown_stored,
    soon_words,
    upcoming,
    years_on,
)

D = dt.date
DAYS = st.dates(min_value=D(1900, 1, 1), max_value=D(2199, 12, 31))


@st.composite
def occasions(draw):
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, calendar.monthrange(2000, month)[1]))  # 2000: 29 February too
    year = draw(st.one_of(st.none(), st.integers(1900, 2100)))
    if year is not None and (month, day) == (2, 29) and not calendar.isleap(year):
        year = 2000
    return Occasion(draw(st.sampled_from(["birthday", "work anniversary"])), month, day, year)


# --- when it falls ------------------------------------------------------------------------------


@settings(max_examples=400)
@given(occasion=occasions(), today=DAYS)
def test_the_next_day_is_the_first_on_or_after_today_that_the_date_falls_on(occasion, today):
    on = next_on(occasion, today)
    assert today <= on < today + dt.timedelta(days=366)
    assert on == falls_on(occasion.month, occasion.day, on.year)
    # No earlier day from today on is one it falls on.
    assert all(falls_on(occasion.month, occasion.day, y) < today or falls_on(occasion.month, occasion.day, y) >= on
               for y in (today.year, today.year + 1))


@settings(max_examples=400)
@given(occasion=occasions(), today=DAYS, days=st.integers(0, 40))
def test_the_window_a_query_matches_holds_exactly_the_dates_that_fall_in_it(occasion, today, days):
    """services.occasions and services.due match stored 'MM-DD' against this window: a date is in
    it, at its distance, exactly when next_on says it falls within `days` days."""
    window = month_days_ahead(today, days)
    offsets = {k for md, k in window if md == occasion.month_day}
    ahead = (next_on(occasion, today) - today).days
    assert offsets == ({ahead} if ahead <= days else set())


@pytest.mark.parametrize("today, expected", [
    (D(2025, 2, 1), D(2025, 2, 28)),  # a year without 29 February: the 28th
    (D(2025, 2, 28), D(2025, 2, 28)),
    (D(2025, 3, 1), D(2026, 2, 28)),
    (D(2027, 3, 1), D(2028, 2, 29)),  # a leap year: the day itself
    (D(2028, 2, 29), D(2028, 2, 29)),
    (D(2028, 3, 1), D(2029, 2, 28)),
])
def test_29_february_falls_on_28_february_in_other_years(today, expected):
    assert next_on(Occasion("birthday", 2, 29), today) == expected


def test_across_the_year_end():
    born = Occasion("birthday", 1, 2, 1985)
    on = next_on(born, D(2025, 12, 30))
    assert on == D(2026, 1, 2) and years_on(born, on) == 41
    assert describe(born, D(2025, 12, 30)) == "2 Jan 1985 · turns 41 in 3 days"
    assert [(o.what, day, n) for o, day, n in upcoming([born], D(2025, 12, 30))] == [("birthday", D(2026, 1, 2), 3)]


def test_a_birthday_today():
    born = Occasion("birthday", 7, 9, 1985)
    assert next_on(born, D(2026, 7, 9)) == D(2026, 7, 9)
    assert describe(born, D(2026, 7, 9)) == "9 Jul 1985 · turns 41 today"
    assert soon_words(born, D(2026, 7, 9)) == "birthday today"


# --- words --------------------------------------------------------------------------------------


def test_dates_are_shown_as_people_write_them():
    assert shown(Occasion("birthday", 2, 29)) == "29 Feb"
    assert shown(Occasion("birthday", 7, 9, 1985)) == "9 Jul 1985"
    assert shown_stored("--02-29") == "29 Feb" and shown_stored("1985-07-09") == "9 Jul 1985"
    assert shown_stored("not a date") == "not a date"  # never lost, even when it is no date


@pytest.mark.parametrize("occasion, today, words", [
    (Occasion("birthday", 7, 9, 1985), D(2026, 6, 27), "9 Jul 1985 · turns 41 in 12 days"),
    (Occasion("birthday", 7, 9), D(2026, 7, 8), "9 Jul · tomorrow"),
    (Occasion("birthday", 2, 29), D(2028, 2, 29), "29 Feb · today"),
    (Occasion("birthday", 2, 29), D(2025, 2, 25), "29 Feb · on 28 Feb this year, in 3 days"),
    (Occasion("birthday", 2, 29, 1996), D(2025, 12, 1), "29 Feb 1996 · turns 30 on 28 Feb, in 89 days"),
    (Occasion("work anniversary", 4, 1, 2019), D(2026, 3, 20), "1 Apr 2019 · 7 years in 12 days"),
    (Occasion("met", 4, 1, 2025), D(2025, 3, 20), "1 Apr 2025 · in 12 days"),  # the first is still to come
])
def test_describe(occasion, today, words):
    assert describe(occasion, today) == words


def test_soon_words_are_the_reason_lines():
    assert soon_words(Occasion("birthday", 3, 15), D(2025, 3, 12)) == "birthday in 3 days"
    assert soon_words(Occasion("work anniversary", 3, 13), D(2025, 3, 12)) == "work anniversary tomorrow"


@pytest.mark.parametrize("stored, expected", [
    ("1985-07-09", Occasion("x", 7, 9, 1985)), ("--02-29", Occasion("x", 2, 29)),
    ("--02-30", None), ("1985-13-01", None), ("", None), (None, None), ("07-09", None),
])
def test_parse_reads_the_stored_form_only(stored, expected):
    assert parse("x", stored) == expected


# --- due for a date -----------------------------------------------------------------------------


TODAY = D(2025, 3, 12)


def test_a_date_makes_them_due_three_days_before_unless_touched_for_it():
    birthday = [Occasion("birthday", 3, 15)]  # in 3 days: due from today
    assert due_for_date(birthday, TODAY, None) == TODAY
    assert due_for_date(birthday, TODAY, D(2025, 3, 11)) == TODAY  # touched the day before it began
    assert due_for_date(birthday, TODAY, D(2025, 3, 12)) is None  # touched today: that counts for it
    later = [Occasion("birthday", 3, 19)]  # in 7 days: due in 4
    assert due_for_date(later, TODAY, D(2025, 3, 12)) == D(2025, 3, 16)
    assert due_for_date([Occasion("birthday", 3, 20)], TODAY, None) is None  # 8 days: not yet
    assert due_for_date([Occasion("birthday", 3, 13)], TODAY, None) == D(2025, 3, 10)  # due since Monday


def test_a_touch_for_the_nearest_date_leaves_the_next_one_due():
    dates = [Occasion("birthday", 3, 12), Occasion("work anniversary", 3, 17)]
    assert due_for_date(dates, TODAY, D(2025, 3, 10)) == D(2025, 3, 14)  # the birthday was touched for


@settings(max_examples=300)
@given(dates=st.lists(occasions(), max_size=3), today=DAYS, touched=st.one_of(st.none(), st.integers(0, 30)))
def test_due_for_a_date_only_within_the_week_and_never_after_a_touch_for_it(dates, today, touched):
    last = None if touched is None else today - dt.timedelta(days=touched)
    start = due_for_date(dates, today, last)
    if start is None:
        return
    assert today - dt.timedelta(days=DUE_BEFORE) <= start <= today + dt.timedelta(days=SOON_DAYS - DUE_BEFORE)
    assert last is None or last < start
    assert any(next_on(o, today) == start + dt.timedelta(days=DUE_BEFORE) for o in dates)


# --- what a contact may hold ----------------------------------------------------------------------


def test_dates_typed_as_label_equals_date():
    assert schema.clean_dates("work anniversary=2019-04-01; met=--06-12\n2020-05-01") == [
        {"label": "work anniversary", "date": "2019-04-01"},
        {"label": "met", "date": "--06-12"},
        {"label": "anniversary", "date": "2020-05-01"},  # a date alone is an anniversary
    ]
    assert schema.clean_dates(["  first   day =1604-06-12"]) == [{"label": "first day", "date": "--06-12"}]


def test_the_same_date_twice_is_one_and_keeps_its_year():
    assert schema.clean_dates([{"label": "Met", "date": "--06-12"}, {"label": "met", "date": "2001-06-12"}]) == [
        {"label": "Met", "date": "2001-06-12"}]
    assert schema.merge_dates([{"label": "met", "date": "2001-06-12"}], [{"label": "MET", "date": "--06-12"}]) == [
        {"label": "met", "date": "2001-06-12"}]


def test_one_label_on_the_same_day_of_two_years_is_two_dates():
    assert schema.clean_dates(["met=2020-01-01", "met=2021-01-01", "met=2020-01-01"]) == [
        {"label": "met", "date": "2020-01-01"}, {"label": "met", "date": "2021-01-01"}]


def test_the_standard_labels_are_one_label_however_written():
    # As a card carries them (Apple's `_$!<Anniversary>!$_`), so that a synced date reads back the same.
    assert schema.clean_dates("Anniversary=2019-04-01; OTHER=--06-12; _$!<Anniversary>!$_=--07-01") == [
        {"label": "anniversary", "date": "2019-04-01"}, {"label": "other", "date": "--06-12"},
        {"label": "anniversary", "date": "--07-01"}]
    assert schema.clean_dates("Work Anniversary=2019-04-01") == [{"label": "Work Anniversary", "date": "2019-04-01"}]


@pytest.mark.parametrize("value, why", [
    ("birthday=1985-07-09", "has its own field"),
    ("met=", "has no date"),
    ("met=2019-02-29", "not a real date"),
    ("met=1776-07-04", "out of range"),
    ("x" * 101 + "=2019-01-01", "at most 100"),
])
def test_dates_that_cannot_be_say_why(value, why):
    with pytest.raises(schema.FieldError) as err:
        schema.clean_dates(value)
    assert why in str(err.value)


def test_an_export_gives_dates_as_a_list_of_label_and_date():
    assert schema.clean_dates([{"label": "met", "date": "2019-04-01"}], typed=True) == [
        {"label": "met", "date": "2019-04-01"}]
    for bad in ("met=2019-04-01", [["met", "2019-04-01"]], [{"label": "met", "date": "2019-04-01", "x": 1}]):
        with pytest.raises(schema.FieldError):
            schema.clean_dates(bad, typed=True)
