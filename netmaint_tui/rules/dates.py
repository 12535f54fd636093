"""Reading dates and times the way people type them, and the calendar helpers around them.

Everything here is pure: the current moment comes in as `now` (aware, in the user's zone), so any
day can be replayed. Calendar arithmetic goes through pendulum so that "3d ago" means three calendar
days (same wall-clock time) even when a daylight-saving change lies in between, while "2h ago" means
two real hours.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

import pendulum

__all__ = [
    "DateInputError",
    "MIN_YEAR",
    "MAX_YEAR",
    "day_problem",
    "moment_problem",
    "in_zone",
    "parse_when",
    "parse_date",
    "week_start",
    "local_midnight_utc",
    "humanize_ago",
    "humanize_in",
]

WHEN_FORMS = (
    '2025-03-04, "2025-03-04 15:30", 2025-03-04T15:30+01:00, now, today, yesterday 3pm, '
    "fri, 2h ago, 3d ago or in 2d"
)
DATE_FORMS_STRICT = "2025-03-04 (year-month-day)"
DATE_FORMS = "2025-03-04, today, yesterday, tomorrow, fri, 3d ago or in 2d"

_SHOWN_MAX = 40
END_OF_DAY = time(23, 59)  # what "due today" means once the usual hour has gone


def _shown(text: str) -> str:
    """User text made safe for a one-line message: no line breaks or control codes, bounded length."""
    text = text.strip()
    out = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    if len(out) > _SHOWN_MAX:
        out = out[: _SHOWN_MAX - 1] + "…"
    return out


class DateInputError(ValueError):
    """A date or time the user typed that cannot be read, or that lies outside the range netmaint
    keeps. The message is one line naming the accepted forms, or the range (`problem`)."""

    def __init__(self, text: str, forms: str = WHEN_FORMS, what: str = "a date or time", problem: str | None = None) -> None:
        self.text = text
        if problem:
            message = problem
        elif text.strip():
            message = f'can\'t read "{_shown(text)}" as {what}; use {forms}'
        else:
            message = f"no {what.removeprefix('a ')} given; use {forms}"
        super().__init__(message)


# ---------------------------------------------------------------------------------------------
# the range of dates kept

# Every date a person or a file gives (a touch, a follow-up's due time, a snooze, a birthday's
# year, a connection date, the replayed clock) lies in these years. Far inside what Python's
# dates can hold, so no time zone can carry a stored moment off the calendar; wide enough for
# any real network. Goals and pauses keep their tighter span (rules.streaks.habit_date_problem).
MIN_YEAR = 1900
MAX_YEAR = 2200


def day_problem(day: date) -> str | None:
    """Why `day` is not a date netmaint keeps (one line saying what to give), or None."""
    if isinstance(day, datetime):
        day = day.date()
    if MIN_YEAR <= day.year <= MAX_YEAR:
        return None
    return f"{day.isoformat()} is out of range; give a date from {MIN_YEAR}-01-01 to {MAX_YEAR}-12-31"


def moment_problem(moment: datetime) -> str | None:
    """Why `moment` (judged by its own wall-clock date) is not one netmaint keeps, or None."""
    return day_problem(moment.date())


def instant_problem(moment: datetime) -> str | None:
    """Why a stored UTC instant (a file's `…Z` time) cannot be one netmaint keeps, or None. Its
    UTC date may lie a day beyond the years kept: 2200-12-31 23:00 at UTC-12 is already 2201 in
    UTC, and what was typed there must come back from an export."""
    day = moment.date()
    if (day.year, day.month, day.day) in ((MIN_YEAR - 1, 12, 31), (MAX_YEAR + 1, 1, 1)):
        return None
    return day_problem(day)


def in_zone(moment: datetime, tz: str | tzinfo) -> pendulum.DateTime:
    """`moment` in zone `tz`; where that zone's wall clock would leave the calendar (0001-01-01
    02:00 UTC is still year 0 in New York), the moment as it is, so a date stored by an older
    version is shown rather than failing the command that shows it."""
    moment = _as_pendulum(moment)
    try:
        return moment.in_timezone(tz)
    except (OverflowError, ValueError):
        return moment


def _in_range(result, text: str, forms: str, what: str):
    problem = day_problem(result)
    if problem:
        raise DateInputError(text, forms, what, problem)
    return result


# ---------------------------------------------------------------------------------------------
# pieces of the grammar

_WEEKDAYS: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("mon", "monday"),
        ("tue", "tues", "tuesday"),
        ("wed", "weds", "wednesday"),
        ("thu", "thur", "thurs", "thursday"),
        ("fri", "friday"),
        ("sat", "saturday"),
        ("sun", "sunday"),
    )
):
    for _name in _names:
        _WEEKDAYS[_name] = _index

_DAY_WORDS = {"yesterday": -1, "today": 0, "tomorrow": 1}

_UNITS: dict[str, str] = {}
for _unit, _names in (
    ("minutes", ("m", "min", "mins", "minute", "minutes")),
    ("hours", ("h", "hr", "hrs", "hour", "hours")),
    ("days", ("d", "day", "days")),
    ("weeks", ("w", "wk", "wks", "week", "weeks")),
):
    for _name in _names:
        _UNITS[_name] = _unit

_UNIT_ALT = "|".join(sorted(_UNITS, key=len, reverse=True))
_DAY_ALT = "|".join(sorted([*_WEEKDAYS, *_DAY_WORDS], key=len, reverse=True))

# The number is bounded so that absurd input is a reading error, not an overflow deep in pendulum.
_AGO_RE = re.compile(rf"(\d{{1,5}}) ?({_UNIT_ALT}) ago")
_IN_RE = re.compile(rf"in (\d{{1,5}}) ?({_UNIT_ALT})")
_DAY_RE = re.compile(rf"({_DAY_ALT})(?: (?:at )?(.+))?")
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATE_THEN_REST_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ t](?:at )?(.+))?")
_ISO_TIME_WITH_ZONE_RE = re.compile(r"\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:z|[+-]\d{2}(?::?\d{2})?)?")
_CLOCK_12_RE = re.compile(r"(\d{1,2})(?::(\d{2}))? ?(am|pm)")
_CLOCK_24_RE = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def _normalize(text: str) -> str:
    return " ".join(text.strip().lower().split())


def _parse_clock(text: str) -> time | None:
    """`3pm`, `3:30pm`, `3 pm`, `15:30`, `15:30:10`, `9am`, `noon`, `midnight`; None when it is none of these."""
    if text == "noon":
        return time(12, 0)
    if text == "midnight":
        return time(0, 0)
    m = _CLOCK_12_RE.fullmatch(text)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        hour = hour % 12 + (12 if m.group(3) == "pm" else 0)
        return time(hour, minute)
    m = _CLOCK_24_RE.fullmatch(text)
    if m:
        hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if hour > 23 or minute > 59 or second > 59:
            return None
        return time(hour, minute, second)
    return None


def _zone_of(now: pendulum.DateTime) -> tzinfo:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.tzinfo


def _at(day: date, clock: time, tz: tzinfo) -> pendulum.DateTime:
    # A wall time that does not exist (skipped by a DST change) moves forward by the gap; an
    # ambiguous one takes the later of its two instants. Both are what a person means often enough.
    return pendulum.datetime(
        day.year, day.month, day.day, clock.hour, clock.minute, clock.second, clock.microsecond, tz=tz
    )


def _on_day(day: date, default_time: time, now: pendulum.DateTime, tz: tzinfo, prefer: str) -> pendulum.DateTime:
    """A day typed without a time: at `default_time`, unless that puts today on the wrong side of
    now. What happened "today" happened by now (a morning's `--at today` is not in the future),
    and what is due "today" is due by its end (a follow-up is not overdue the moment it is made)."""
    moment = _at(day, default_time, tz)
    if day == now.date():
        if prefer == "past" and is_after(moment, now):
            return now
        if prefer == "future" and is_after(now, moment):
            return _at(day, END_OF_DAY, tz)
    return moment


def _weekday_date(today: date, weekday: int, prefer: str) -> date:
    if prefer == "future":
        return today + timedelta(days=(weekday - today.weekday()) % 7)
    return today - timedelta(days=(today.weekday() - weekday) % 7)


def is_after(a: datetime, b: datetime) -> bool:
    """`a` is a later instant than `b`. Python compares two times of the same zone by their wall
    clocks, so in the hour that repeats when summer time ends 02:30 (the second time) would count
    as before 02:45 (the first time): instants are compared in UTC instead."""
    return a.timestamp() > b.timestamp()


def _check_prefer(prefer: str) -> None:
    if prefer not in ("past", "future"):
        raise ValueError(f"prefer must be 'past' or 'future', not {prefer!r}")


# ---------------------------------------------------------------------------------------------
# public API


def parse_when(
    text: str,
    now: pendulum.DateTime,
    *,
    prefer: str = "past",
    default_time: time = time(12, 0),
) -> pendulum.DateTime:
    """Read a moment typed by a person, relative to `now` (aware, in the user's zone).

    Accepted (case-insensitive, surrounding spaces ignored):
    `2025-03-04` (at `default_time`), `2025-03-04 15:30`, `2025-03-04T15:30`, `2025-03-04 3pm`,
    ISO 8601 with an offset or `Z` (converted to now's zone); `now`; `today`, `tomorrow`,
    `yesterday` and weekday names (`fri`, `friday`, `tues`, `thurs`, …), each optionally followed by
    a time (`3pm`, `3:30pm`, `15:30`, `9am`, `noon`, optionally after `at`), else `default_time`;
    `2h ago`, `3d ago`, `30m ago`, `1w ago`, `2 hours ago`, `45 min ago`, `in 2h`, `in 3d`, `in 1w`.
    Today without a time is never on the wrong side of now: `now` itself with prefer="past" when
    `default_time` is still to come, 23:59 with prefer="future" when it has gone.

    A weekday means the most recent such day with prefer="past" and the next one with
    prefer="future"; in both cases today when today is that day. Days and weeks are calendar steps
    (the wall-clock time is kept across a DST change); minutes and hours are elapsed time.
    The result is aware and in now's zone. Anything else raises DateInputError, and so does a
    moment outside the years kept (MIN_YEAR..MAX_YEAR), however it was typed.
    """
    return _in_range(_read_when(text, now, prefer, default_time), text, WHEN_FORMS, "a date or time")


def _read_when(text: str, now: pendulum.DateTime, prefer: str, default_time: time) -> pendulum.DateTime:
    _check_prefer(prefer)
    if not isinstance(now, pendulum.DateTime):
        now = pendulum.instance(now)
    tz = _zone_of(now)
    s = _normalize(text)
    if not s:
        raise DateInputError(text)

    if s == "now":
        return now

    m = _DATE_THEN_REST_RE.fullmatch(s)
    if m:
        try:
            day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise DateInputError(text) from None
        rest = m.group(4)
        if rest is None:
            return _on_day(day, default_time, now, tz, prefer)
        clock = _parse_clock(rest)
        if clock is not None:
            return _at(day, clock, tz)
        if _ISO_TIME_WITH_ZONE_RE.fullmatch(rest):
            try:
                moment = datetime.fromisoformat(f"{m.group(1)}-{m.group(2)}-{m.group(3)}T{rest.upper()}")
            except ValueError:
                raise DateInputError(text) from None
            if moment.tzinfo is None:
                return _at(day, moment.time(), tz)
            problem = moment_problem(moment)  # before converting: the zone could carry it off the calendar
            if problem:
                raise DateInputError(text, problem=problem)
            return pendulum.instance(moment).in_timezone(tz)
        raise DateInputError(text)

    m = _DAY_RE.fullmatch(s)
    if m:
        word, rest = m.group(1), m.group(2)
        today = now.date()
        if word in _DAY_WORDS:
            day = today + timedelta(days=_DAY_WORDS[word])
        else:
            day = _weekday_date(today, _WEEKDAYS[word], prefer)
        if rest is None:
            return _on_day(day, default_time, now, tz, prefer)
        clock = _parse_clock(rest)
        if clock is None:
            raise DateInputError(text)
        return _at(day, clock, tz)

    m = _AGO_RE.fullmatch(s)
    sign = -1
    if not m:
        m = _IN_RE.fullmatch(s)
        sign = 1
    if m:
        amount, unit = int(m.group(1)), _UNITS[m.group(2)]
        try:
            moved = now.add(**{unit: sign * amount})
        except (OverflowError, ValueError):
            raise DateInputError(text) from None
        return moved.in_timezone(tz)

    raise DateInputError(text)


def parse_date(text: str, today: date | None = None, *, prefer: str = "past") -> date:
    """Read a calendar date: strictly `YYYY-MM-DD`.

    Given `today`, also `today`, `yesterday`, `tomorrow`, a weekday name (the most recent one with
    prefer="past", the next one with prefer="future"; today if today is that day), `3d ago`, `2w ago`,
    `in 2d` and `in 1w`. Anything else raises DateInputError, and so does a date outside the
    years kept (MIN_YEAR..MAX_YEAR).
    """
    forms = DATE_FORMS if today is not None else DATE_FORMS_STRICT
    return _in_range(_read_date(text, today, prefer, forms), text, forms, "a date")


def _read_date(text: str, today: date | None, prefer: str, forms: str) -> date:
    _check_prefer(prefer)
    s = _normalize(text)
    if not s:
        raise DateInputError(text, forms, "a date")
    m = _ISO_DATE_RE.fullmatch(s)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise DateInputError(text, forms, "a date") from None
    if today is None:
        raise DateInputError(text, forms, "a date")
    if s in _DAY_WORDS:
        return today + timedelta(days=_DAY_WORDS[s])
    if s in _WEEKDAYS:
        return _weekday_date(today, _WEEKDAYS[s], prefer)
    m = _AGO_RE.fullmatch(s)
    sign = -1
    if not m:
        m = _IN_RE.fullmatch(s)
        sign = 1
    if m and _UNITS[m.group(2)] in ("days", "weeks"):
        days = int(m.group(1)) * (7 if _UNITS[m.group(2)] == "weeks" else 1)
        try:
            return today + timedelta(days=sign * days)
        except OverflowError:
            raise DateInputError(text, forms, "a date") from None
    raise DateInputError(text, forms, "a date")


def week_start(d: date, start_day: int = 0) -> date:
    """The first day of d's calendar week when weeks start on `start_day` (Monday = 0 … Sunday = 6)."""
    if not 0 <= start_day <= 6:
        raise ValueError(f"start_day must be 0 (Monday) … 6 (Sunday), not {start_day!r}")
    if isinstance(d, datetime):
        d = d.date()
    return d - timedelta(days=(d.weekday() - start_day) % 7)


def local_midnight_utc(d: date, tz: str | tzinfo) -> pendulum.DateTime:
    """The UTC instant at which local date `d` begins in zone `tz`.

    Normally 00:00 local. Where a DST change skips midnight the day begins at the first wall time
    that exists (e.g. 01:00); where midnight happens twice it begins at the first of them.
    """
    zone = pendulum.timezone(tz) if isinstance(tz, str) else tz
    candidates = [pendulum.datetime(d.year, d.month, d.day, tz=zone, fold=fold) for fold in (0, 1)]
    starts = [c for c in candidates if c.date() == d]
    return min(starts, key=lambda c: c.in_timezone("UTC")).in_timezone("UTC")


def _as_pendulum(moment: datetime) -> pendulum.DateTime:
    if isinstance(moment, pendulum.DateTime):
        return moment
    return pendulum.instance(moment)  # a naive value is read as UTC, which is how touches are stored


def calendar_months(earlier: date, later: date) -> int:
    """Whole calendar months from one day to a later one (Jan 31 to Feb 28 is none yet): the one
    count of months behind every "14mo ago" and "14 months ago"."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


def nearest(amount: float) -> int:
    """The one rounding rule of every "in 5h", "3w ago", "2 weeks ago" the app and the command line
    show: to the nearest whole unit, halves up (4 h 56 min is "5h", as 3 d 14 h is "4d")."""
    return int(amount + 0.5)


def day_amount(days: int, months: int) -> tuple[int, str]:
    """`days` calendar days (and `months` calendar months) as one amount and its unit: "d" below
    14 days, "w" below 120, "mo" below 730, then "y". Days and months are calendar counts, whole
    already; weeks and years are rounded with `nearest`."""
    if days < 14:
        return days, "d"
    if days < 120:
        return nearest(days / 7), "w"
    if days < 730:
        return months, "mo"
    return nearest(days / 365.25), "y"


def humanize_ago(then: datetime, now: datetime) -> str:
    """A short age for list columns: `just now`, `5m ago`, `3h ago`, `2d ago`, `9w ago`, `14mo ago`, `3y ago`.

    Below a day the elapsed time is used; from a day on, calendar days/months in now's zone (so a
    DST change does not turn three days into "2d"), see day_amount. Every amount is rounded as
    `nearest` says. A moment after `now` reads `in 5m`, `in 3d`, … with the same steps.
    """
    a, b = _as_pendulum(then), _as_pendulum(now)
    if a.tzinfo is not None and b.tzinfo is not None:
        a = in_zone(a, b.tzinfo)
    future = a > b
    early, late = (b, a) if future else (a, b)
    seconds = (late - early).total_seconds()
    if seconds < 30:
        return "just now"
    amount = ""
    if nearest(seconds / 60) < 60:
        amount = f"{nearest(seconds / 60)}m"
    elif nearest(seconds / 3600) < 24:
        amount = f"{nearest(seconds / 3600)}h"
    if not amount:
        days = max(1, (late.date() - early.date()).days)  # calendar days, as the reason line counts them
        count, unit = day_amount(days, calendar_months(early.date(), late.date()))
        amount = f"{count}{unit}"
    return f"in {amount}" if future else f"{amount} ago"


def due_words(due: datetime, now: datetime) -> str:
    """How far off a due time is, as the follow-ups say it: `in 3h`, `2d overdue`."""
    words = humanize_ago(due, now)
    return words.replace(" ago", " overdue") if words.endswith(" ago") else words


def humanize_in(days: int) -> str:
    """Days remaining until something is due: `12d overdue`, `today`, `in 5d`."""
    if days < 0:
        return f"{-days}d overdue"
    if days == 0:
        return "today"
    return f"in {days}d"
