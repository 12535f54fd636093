from __future__ import annotations

from datetime import date, datetime, time, timezone

import pendulum
import pytest

from netmaint_tui.rules.dates import (
    DateInputError,
    humanize_ago,
    humanize_in,
    local_midnight_utc,
    parse_date,
    parse_when,
    week_start,
)

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
# Wednesday 2025-03-12, 10:00 in Berlin (CET, +01:00)
NOW = pendulum.datetime(2025, 3, 12, 10, 0, tz=BERLIN)


def berlin(*args) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=BERLIN)


# ---------------------------------------------------------------------------------------------
# parse_when: every accepted form

@pytest.mark.parametrize(
    "text, expected",
    [
        ("now", NOW),
        ("  NOW ", NOW),
        ("2025-03-04", berlin(2025, 3, 4, 12, 0)),
        ("2025-03-04 15:30", berlin(2025, 3, 4, 15, 30)),
        ("2025-03-04T15:30", berlin(2025, 3, 4, 15, 30)),
        ("2025-03-04t15:30", berlin(2025, 3, 4, 15, 30)),
        ("2025-03-04 3pm", berlin(2025, 3, 4, 15, 0)),
        ("2025-03-04T15:30:45", berlin(2025, 3, 4, 15, 30, 45)),
        ("today", berlin(2025, 3, 12, 10, 0)),  # noon is still to come: now
        ("Today 9am", berlin(2025, 3, 12, 9, 0)),
        ("tomorrow", berlin(2025, 3, 13, 12, 0)),
        ("tomorrow 3:30pm", berlin(2025, 3, 13, 15, 30)),
        ("yesterday", berlin(2025, 3, 11, 12, 0)),
        ("yesterday 3pm", berlin(2025, 3, 11, 15, 0)),
        ("yesterday 3 pm", berlin(2025, 3, 11, 15, 0)),
        ("yesterday 15:30", berlin(2025, 3, 11, 15, 30)),
        ("yesterday at 12am", berlin(2025, 3, 11, 0, 0)),
        ("yesterday 12pm", berlin(2025, 3, 11, 12, 0)),
        ("yesterday noon", berlin(2025, 3, 11, 12, 0)),
        ("2h ago", berlin(2025, 3, 12, 8, 0)),
        ("2 hours ago", berlin(2025, 3, 12, 8, 0)),
        ("30m ago", berlin(2025, 3, 12, 9, 30)),
        ("45 min ago", berlin(2025, 3, 12, 9, 15)),
        ("3d ago", berlin(2025, 3, 9, 10, 0)),
        ("3 days ago", berlin(2025, 3, 9, 10, 0)),
        ("1w ago", berlin(2025, 3, 5, 10, 0)),
        ("in 2h", berlin(2025, 3, 12, 12, 0)),
        ("in 3d", berlin(2025, 3, 15, 10, 0)),
        ("in 1w", berlin(2025, 3, 19, 10, 0)),
        ("IN 2 Hours", berlin(2025, 3, 12, 12, 0)),
    ],
)
def test_parse_when_forms(text, expected):
    got = parse_when(text, NOW)
    assert got == expected
    assert got.utcoffset() == expected.utcoffset()


def test_default_time_applies_to_date_only_forms():
    nine = time(9, 0)
    assert parse_when("2025-03-04", NOW, default_time=nine) == berlin(2025, 3, 4, 9, 0)
    assert parse_when("tomorrow", NOW, default_time=nine) == berlin(2025, 3, 13, 9, 0)
    assert parse_when("fri", NOW, default_time=nine) == berlin(2025, 3, 7, 9, 0)
    # an explicit time wins over the default
    assert parse_when("tomorrow 3pm", NOW, default_time=nine) == berlin(2025, 3, 13, 15, 0)


@pytest.mark.parametrize(
    "text, expected_utc",
    [
        ("2025-03-04T15:30+01:00", datetime(2025, 3, 4, 14, 30, tzinfo=timezone.utc)),
        ("2025-03-04T15:30Z", datetime(2025, 3, 4, 15, 30, tzinfo=timezone.utc)),
        ("2025-03-04t15:30z", datetime(2025, 3, 4, 15, 30, tzinfo=timezone.utc)),
        ("2025-03-04T15:30:00-05:00", datetime(2025, 3, 4, 20, 30, tzinfo=timezone.utc)),
        ("2025-03-04 15:30+0530", datetime(2025, 3, 4, 10, 0, tzinfo=timezone.utc)),
    ],
)
def test_iso_with_offset_is_converted_to_nows_zone(text, expected_utc):
    got = parse_when(text, NOW)
    assert got == expected_utc
    assert got.timezone_name == BERLIN


@pytest.mark.parametrize(
    "text, past, future",
    [
        # NOW is a Wednesday
        ("wed", date(2025, 3, 12), date(2025, 3, 12)),
        ("wednesday", date(2025, 3, 12), date(2025, 3, 12)),
        ("mon", date(2025, 3, 10), date(2025, 3, 17)),
        ("Monday", date(2025, 3, 10), date(2025, 3, 17)),
        ("tue", date(2025, 3, 11), date(2025, 3, 18)),
        ("tues", date(2025, 3, 11), date(2025, 3, 18)),
        ("thu", date(2025, 3, 6), date(2025, 3, 13)),
        ("thur", date(2025, 3, 6), date(2025, 3, 13)),
        ("thurs", date(2025, 3, 6), date(2025, 3, 13)),
        ("thursday", date(2025, 3, 6), date(2025, 3, 13)),
        ("fri", date(2025, 3, 7), date(2025, 3, 14)),
        ("sat", date(2025, 3, 8), date(2025, 3, 15)),
        ("sun", date(2025, 3, 9), date(2025, 3, 16)),
        ("SUNDAY", date(2025, 3, 9), date(2025, 3, 16)),
    ],
)
def test_weekday_prefer_past_and_future(text, past, future):
    assert parse_when(text, NOW).date() == past
    assert parse_when(text, NOW, prefer="future").date() == future
    # Today (a Wednesday, 10:00) at noon would be in the future: what happened today happened by now.
    assert parse_when(text, NOW).time() == (NOW.time() if past == NOW.date() else time(12, 0))


def test_today_without_a_time_is_never_on_the_wrong_side_of_now():
    """A morning's `log --at today` is not a touch in the future, and a follow-up due "today"
    after its usual hour is due by the end of the day, not overdue the moment it is made."""
    morning, evening = berlin(2025, 3, 12, 8, 0), berlin(2025, 3, 12, 20, 0)
    for text in ("today", "2025-03-12", "wed"):
        assert parse_when(text, morning) == morning
        assert parse_when(text, evening) == berlin(2025, 3, 12, 12, 0)
        assert parse_when(text, morning, prefer="future", default_time=time(9, 0)) == berlin(2025, 3, 12, 9, 0)
        assert parse_when(text, evening, prefer="future", default_time=time(9, 0)) == berlin(2025, 3, 12, 23, 59)
    assert parse_when("yesterday", morning) == berlin(2025, 3, 11, 12, 0)  # other days keep the usual hour
    assert parse_when("tomorrow", evening, prefer="future", default_time=time(9, 0)) == berlin(2025, 3, 13, 9, 0)
    assert parse_when("today 9pm", morning) == berlin(2025, 3, 12, 21, 0)  # a time given is taken as given


def test_weekday_with_time():
    assert parse_when("fri 3pm", NOW) == berlin(2025, 3, 7, 15, 0)
    assert parse_when("fri at 9:15am", NOW, prefer="future") == berlin(2025, 3, 14, 9, 15)
    assert parse_when("thurs 17:45", NOW) == berlin(2025, 3, 6, 17, 45)


def test_days_ago_across_spring_forward_keeps_wall_time():
    # Berlin moves from +01:00 to +02:00 on Sunday 2025-03-30: 3 calendar days back is only 71 hours.
    now = berlin(2025, 3, 31, 10, 0)
    got = parse_when("3d ago", now)
    assert got == berlin(2025, 3, 28, 10, 0)
    assert (now - got).in_hours() == 71
    assert parse_when("in 1w", berlin(2025, 3, 24, 10, 0)) == berlin(2025, 3, 31, 10, 0)


def test_days_ago_across_fall_back_in_new_york():
    # New York moves from -04:00 to -05:00 on Sunday 2025-11-02: 3 calendar days back is 73 hours.
    now = pendulum.datetime(2025, 11, 3, 9, 0, tz=NEW_YORK)
    got = parse_when("3d ago", now)
    assert got == pendulum.datetime(2025, 10, 31, 9, 0, tz=NEW_YORK)
    assert (now - got).in_hours() == 73


def test_hours_ago_is_elapsed_time_across_dst():
    now = berlin(2025, 3, 30, 4, 0)  # one hour after the clocks jumped from 02:00 to 03:00
    got = parse_when("2h ago", now)
    assert got == berlin(2025, 3, 30, 1, 0)
    assert (now - got).in_seconds() == 7200


def test_wall_time_skipped_by_dst_moves_forward():
    now = berlin(2025, 3, 31, 10, 0)
    assert parse_when("2025-03-30 02:30", now) == berlin(2025, 3, 30, 3, 30)


def test_result_is_in_nows_zone_for_every_form():
    now = pendulum.datetime(2025, 3, 12, 10, 0, tz=NEW_YORK)
    for text in ("now", "2025-03-04", "2025-03-04T15:30Z", "yesterday 3pm", "fri", "2h ago", "in 3d"):
        assert parse_when(text, now).timezone_name == NEW_YORK, text


@pytest.mark.parametrize(
    "text",
    [
        "32 Jan",
        "fri fri",
        "",
        "   ",
        "2025-13-01",
        "2025-02-30",
        "2025-3-4",
        "xyz",
        "3pm",
        "yesterday 13pm",
        "yesterday 25:00",
        "yesterday 10:61",
        "today tomorrow",
        "2h",
        "ago 2h",
        "in 2 fortnights",
        "-3d ago",
        "in",
        "2025-03-04 banana",
        "2025-03-04T15:30+25:00",
        "99999999d ago",
        "next friday",
    ],
)
def test_junk_is_refused_with_one_line_naming_the_forms(text):
    with pytest.raises(DateInputError) as info:
        parse_when(text, NOW)
    message = str(info.value)
    assert "\n" not in message
    for form in ("2025-03-04", "now", "today", "yesterday 3pm", "fri", "2h ago", "3d ago", "in 2d"):
        assert form in message
    assert isinstance(info.value, ValueError)


def test_error_message_quotes_the_input_safely():
    with pytest.raises(DateInputError) as info:
        parse_when("xyz", NOW)
    assert str(info.value).startswith('can\'t read "xyz" as a date or time; use ')
    with pytest.raises(DateInputError) as info:
        parse_when("bad\nline\x1b[31m", NOW)
    message = str(info.value)
    assert "\n" not in message and "\x1b" not in message
    assert "bad\\nline\\x1b[31m" in message


def test_unknown_prefer_is_a_programming_error():
    with pytest.raises(ValueError):
        parse_when("fri", NOW, prefer="soon")


# ---------------------------------------------------------------------------------------------
# parse_date

def test_parse_date_strict():
    assert parse_date("2025-03-04") == date(2025, 3, 4)
    assert parse_date(" 2024-02-29 ") == date(2024, 2, 29)


@pytest.mark.parametrize("text", ["2025-13-01", "2025-02-29", "20250304", "2025-W10-1", "2025-3-4", "", "today", "fri"])
def test_parse_date_without_today_accepts_only_iso(text):
    with pytest.raises(DateInputError) as info:
        parse_date(text)
    assert "2025-03-04" in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("today", date(2025, 3, 12)),
        ("yesterday", date(2025, 3, 11)),
        ("tomorrow", date(2025, 3, 13)),
        ("fri", date(2025, 3, 7)),
        ("wed", date(2025, 3, 12)),
        ("3d ago", date(2025, 3, 9)),
        ("2w ago", date(2025, 2, 26)),
        ("in 2d", date(2025, 3, 14)),
        ("2025-01-01", date(2025, 1, 1)),
    ],
)
def test_parse_date_with_today(text, expected):
    assert parse_date(text, today=date(2025, 3, 12)) == expected


def test_parse_date_weekday_future():
    assert parse_date("fri", today=date(2025, 3, 12), prefer="future") == date(2025, 3, 14)


@pytest.mark.parametrize("text", ["2h ago", "in 30m", "fri 3pm", "xyz", "2025-03-04 15:30"])
def test_parse_date_refuses_times(text):
    with pytest.raises(DateInputError) as info:
        parse_date(text, today=date(2025, 3, 12))
    assert "today" in str(info.value)


# ---------------------------------------------------------------------------------------------
# week_start and local midnight

@pytest.mark.parametrize(
    "d, start_day, expected",
    [
        (date(2025, 3, 12), 0, date(2025, 3, 10)),  # Wed -> Mon
        (date(2025, 3, 10), 0, date(2025, 3, 10)),  # Mon is its own start
        (date(2025, 3, 16), 0, date(2025, 3, 10)),  # Sun -> previous Mon
        (date(2025, 3, 16), 6, date(2025, 3, 16)),  # Sunday start
        (date(2025, 3, 15), 6, date(2025, 3, 9)),   # Sat -> previous Sun
        (date(2025, 3, 12), 2, date(2025, 3, 12)),
        (date(2025, 3, 11), 2, date(2025, 3, 5)),
        (date(2027, 1, 3), 0, date(2026, 12, 28)),  # 2026-W53 crosses the year
    ],
)
def test_week_start(d, start_day, expected):
    assert week_start(d, start_day) == expected


def test_week_start_rejects_bad_start_day():
    with pytest.raises(ValueError):
        week_start(date(2025, 3, 12), 7)


@pytest.mark.parametrize(
    "d, tz, expected_utc",
    [
        (date(2025, 3, 10), BERLIN, datetime(2025, 3, 9, 23, 0, tzinfo=timezone.utc)),
        (date(2025, 3, 31), BERLIN, datetime(2025, 3, 30, 22, 0, tzinfo=timezone.utc)),  # after spring forward
        (date(2025, 3, 30), BERLIN, datetime(2025, 3, 29, 23, 0, tzinfo=timezone.utc)),  # the 23-hour day
        (date(2025, 10, 27), BERLIN, datetime(2025, 10, 26, 23, 0, tzinfo=timezone.utc)),  # after the 25-hour day
        (date(2025, 3, 10), NEW_YORK, datetime(2025, 3, 10, 4, 0, tzinfo=timezone.utc)),
        (date(2025, 3, 9), NEW_YORK, datetime(2025, 3, 9, 5, 0, tzinfo=timezone.utc)),
        # midnight itself skipped: the day begins at 01:00 local
        (date(2018, 11, 4), "America/Sao_Paulo", datetime(2018, 11, 4, 3, 0, tzinfo=timezone.utc)),
        # midnight happens twice: the day begins at the first one
        (date(2024, 11, 3), "America/Havana", datetime(2024, 11, 3, 4, 0, tzinfo=timezone.utc)),
    ],
)
def test_local_midnight_utc(d, tz, expected_utc):
    got = local_midnight_utc(d, tz)
    assert got == expected_utc
    assert got.utcoffset().total_seconds() == 0


def test_local_midnight_utc_accepts_a_timezone_object_and_week_lengths_follow_dst():
    zone = pendulum.timezone(BERLIN)
    start = local_midnight_utc(date(2025, 3, 24), zone)
    end = local_midnight_utc(date(2025, 3, 31), zone)
    assert (end - start).in_hours() == 167
    start = local_midnight_utc(date(2025, 10, 20), zone)
    end = local_midnight_utc(date(2025, 10, 27), zone)
    assert (end - start).in_hours() == 169


# ---------------------------------------------------------------------------------------------
# humanize

@pytest.mark.parametrize(
    "then, expected",
    [
        (berlin(2025, 3, 12, 9, 59, 45), "just now"),
        (berlin(2025, 3, 12, 9, 59, 30), "1m ago"),  # every amount to the nearest unit, halves up
        (berlin(2025, 3, 12, 9, 55), "5m ago"),
        (berlin(2025, 3, 12, 9, 0, 31), "59m ago"),
        (berlin(2025, 3, 12, 9, 0, 1), "1h ago"),
        (berlin(2025, 3, 12, 7, 0), "3h ago"),
        (berlin(2025, 3, 12, 5, 4), "5h ago"),  # 4 h 56 min
        (berlin(2025, 3, 11, 11, 1), "23h ago"),
        (berlin(2025, 3, 10, 10, 0), "2d ago"),
        (berlin(2025, 2, 27, 10, 0), "13d ago"),
        (berlin(2025, 2, 26, 10, 0), "2w ago"),
        (berlin(2025, 1, 8, 10, 0), "9w ago"),
        (berlin(2025, 1, 4, 10, 0), "10w ago"),     # 67 days: 9.6 weeks
        (berlin(2024, 11, 13, 10, 0), "17w ago"),   # 119 days
        (berlin(2024, 11, 12, 10, 0), "4mo ago"),   # 120 days
        (berlin(2024, 1, 12, 10, 0), "14mo ago"),
        (berlin(2023, 3, 14, 10, 0), "23mo ago"),   # 729 days
        (berlin(2023, 3, 13, 10, 0), "2y ago"),     # 730 days
        (berlin(2022, 3, 12, 10, 0), "3y ago"),
    ],
)
def test_humanize_ago(then, expected):
    assert humanize_ago(then, NOW) == expected


def test_the_future_is_rounded_as_the_past():
    assert humanize_ago(NOW.add(hours=4, minutes=56), NOW) == "in 5h"
    assert humanize_ago(NOW.add(hours=4, minutes=29), NOW) == "in 4h"
    assert humanize_ago(NOW.add(days=3, hours=14), NOW) == "in 4d"  # Sunday 00:00 from Wednesday 10:00


def test_humanize_ago_counts_calendar_days_across_dst():
    now = berlin(2025, 3, 31, 10, 0)
    assert humanize_ago(berlin(2025, 3, 28, 10, 0), now) == "3d ago"  # 71 hours
    # a UTC instant from storage is compared in now's zone
    then = datetime(2025, 3, 28, 9, 0, tzinfo=timezone.utc)
    assert humanize_ago(then, now) == "3d ago"


def test_humanize_ago_future():
    assert humanize_ago(berlin(2025, 3, 15, 10, 0), NOW) == "in 3d"
    assert humanize_ago(berlin(2025, 3, 12, 10, 0, 20), NOW) == "just now"


@pytest.mark.parametrize("days, expected", [(-12, "12d overdue"), (-1, "1d overdue"), (0, "today"), (1, "in 1d"), (5, "in 5d")])
def test_humanize_in(days, expected):
    assert humanize_in(days) == expected


# ---------------------------------------------------------------------------------------------
# the range of dates kept


def test_the_range_is_one_plausible_span_of_years():
    from netmaint_tui.rules.dates import MAX_YEAR, MIN_YEAR, day_problem, moment_problem

    assert (MIN_YEAR, MAX_YEAR) == (1900, 2200)
    for day in (date(1900, 1, 1), date(2025, 3, 12), date(2200, 12, 31)):
        assert day_problem(day) is None and moment_problem(datetime(day.year, day.month, day.day, 23, 59)) is None
    for day in (date(1, 1, 1), date(1899, 12, 31), date(2201, 1, 1), date(9999, 12, 31)):
        assert day_problem(day) == f"{day.isoformat()} is out of range; give a date from 1900-01-01 to 2200-12-31"
        assert moment_problem(datetime(day.year, day.month, day.day, tzinfo=timezone.utc)) == day_problem(day)


@pytest.mark.parametrize("zone", [NEW_YORK, "Asia/Tokyo", "Pacific/Kiritimati", "Etc/GMT+12"])
@pytest.mark.parametrize("text", [
    "0001-01-01", "0001-01-01 02:00", "0001-01-01T00:00Z", "0001-01-01T00:00+14:00", "9999-12-31 23:59",
    "9999-12-31T23:59-12:00", "1899-12-31", "2201-01-01 00:00", "in 99999w", "99999w ago", "in 99999d",
])
def test_a_moment_out_of_range_is_a_reading_error_however_typed(zone, text):
    now = pendulum.datetime(2025, 3, 12, 10, tz=zone)
    for prefer in ("past", "future"):
        with pytest.raises(DateInputError, match=r"is out of range; give a date from 1900-01-01 to 2200-12-31"):
            parse_when(text, now, prefer=prefer)


@pytest.mark.parametrize("text", ["0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31", "in 99999w", "99999d ago"])
def test_a_date_out_of_range_is_a_reading_error(text):
    with pytest.raises(DateInputError, match=r"is out of range; give a date from 1900-01-01 to 2200-12-31"):
        parse_date(text, today=date(2025, 3, 12))


def test_in_zone_keeps_a_moment_the_zone_would_carry_off_the_calendar():
    from netmaint_tui.rules.dates import in_zone

    first = pendulum.datetime(1, 1, 1, 2, tz="UTC")
    last = pendulum.datetime(9999, 12, 31, 23, tz="UTC")
    assert in_zone(first, NEW_YORK) == first and in_zone(first, NEW_YORK).tzinfo == first.tzinfo
    assert in_zone(last, "Asia/Tokyo") == last
    assert in_zone(first, "Asia/Tokyo").date() == date(1, 1, 1)  # east of UTC it still fits
    assert in_zone(NOW, NEW_YORK) == NOW and in_zone(NOW, NEW_YORK).utcoffset().total_seconds() == -4 * 3600
    assert humanize_ago(first, NOW.in_timezone(NEW_YORK)) == "2024y ago"  # 2024.2 years of 365.25 days
    assert humanize_ago(last, NOW.in_timezone("Asia/Tokyo")) == "in 7975y"


def test_now_in_the_hour_that_repeats_when_summer_time_ends_is_not_in_the_future(tmp_db, make_ctx):
    """Europe/Berlin repeats 02:00-03:00 on 2025-10-26; a touch logged 'now' in the second pass
    must not be compared by its wall clock with one from the first."""
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.touches import log_touch

    for utc in ("2025-10-26T00:59:00+00:00", "2025-10-26T01:30:00+00:00", "2025-10-26T01:59:30+00:00"):
        ctx = make_ctx(now=utc, tz="Europe/Berlin")
        cid = add_contact(ctx, f"Dana {utc}")
        log_touch(ctx, [cid])  # now
        log_touch(ctx, [cid], at=ctx.now().subtract(minutes=45))  # back across the change
    from netmaint_tui.rules.dates import is_after
    import pendulum

    first = pendulum.parse("2025-10-26T00:45:00+00:00").in_timezone("Europe/Berlin")  # 02:45, summer time
    second = pendulum.parse("2025-10-26T01:30:00+00:00").in_timezone("Europe/Berlin")  # 02:30, winter time
    assert is_after(second, first) and not is_after(first, second)
