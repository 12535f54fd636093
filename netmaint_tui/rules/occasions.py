"""Birthdays and anniversaries: the day each falls on next, how old someone turns, and the words
people read them in ("29 Feb", "9 Jul 1985 · turns 41 in 12 days", "birthday in 3 days").

Pure: today comes in as a date. A date is kept as 'YYYY-MM-DD', or '--MM-DD' without a year
(rules.schema). 29 February falls on 28 February in a year without it: the day before 1 March,
which is when most people born on it celebrate, and when a yearly calendar event lands too.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

BIRTHDAY = "birthday"
SOON_DAYS = 7  # a date this close is named in the reason line and listed in the week pane
DUE_BEFORE = 3  # a contact is due from this many days before their date, unless touched since
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Occasion:
    """A date worth a touch: `what` is "birthday" or an anniversary's label ("work anniversary")."""

    what: str
    month: int
    day: int
    year: int | None = None

    @property
    def is_birthday(self) -> bool:
        return self.what == BIRTHDAY

    @property
    def month_day(self) -> str:
        """'MM-DD': the part of the stored form that repeats every year."""
        return f"{self.month:02d}-{self.day:02d}"


def parse(what: str, stored: str | None) -> Occasion | None:
    """The occasion of a stored date ('YYYY-MM-DD' or '--MM-DD'); None for none or one that is
    not a real day (written by hand into the file, say)."""
    text = (stored or "").strip()
    try:
        if text.startswith("--") and len(text) == 7:
            year, month, day = None, int(text[2:4]), int(text[5:7])
        elif len(text) == 10 and text[4] == "-" and text[7] == "-":
            year, month, day = int(text[:4]), int(text[5:7]), int(text[8:10])
        else:
            return None
        date(year or 2000, month, day)  # 2000 is a leap year: --02-29 is a real day
    except ValueError:
        return None
    return Occasion(what, month, day, year)


def falls_on(month: int, day: int, year: int) -> date:
    """The day a yearly date falls on in `year`: 29 February is 28 February in other years."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def next_on(occasion: Occasion, today: date) -> date:
    """The first day on or after `today` that the occasion falls on."""
    this_year = falls_on(occasion.month, occasion.day, today.year)
    if this_year >= today:
        return this_year
    return falls_on(occasion.month, occasion.day, today.year + 1)


def years_on(occasion: Occasion, day: date) -> int | None:
    """How old someone turns (a birthday) or how many years it marks (an anniversary) on `day`,
    a day it falls on; None without a year, or before the first one has come round."""
    if occasion.year is None or day.year <= occasion.year:
        return None
    return day.year - occasion.year


def shown(occasion: Occasion) -> str:
    """As people write it: '9 Jul 1985', '29 Feb'."""
    text = f"{occasion.day} {MONTHS[occasion.month - 1]}"
    return f"{text} {occasion.year}" if occasion.year else text


def shown_stored(stored: str | None) -> str:
    """A stored date as people write it; the stored text itself if it is no date (never lost)."""
    occasion = parse("", stored)
    return shown(occasion) if occasion else (stored or "")


def in_days_words(days: int) -> str:
    """'today', 'tomorrow', 'in 3 days'."""
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def years_words(occasion: Occasion, years: int) -> str:
    """'turns 41' for a birthday, '6 years' for an anniversary."""
    if occasion.is_birthday:
        return f"turns {years}"
    return "1 year" if years == 1 else f"{years} years"


def describe(occasion: Occasion, today: date) -> str:
    """The date and when it comes next: '9 Jul 1985 · turns 41 in 12 days', '29 Feb · today',
    '29 Feb · on 28 Feb this year, in 3 days' (in a year without 29 February)."""
    on = next_on(occasion, today)
    days = (on - today).days
    when = in_days_words(days)
    moved = (occasion.month, occasion.day) == (2, 29) and on.day == 28
    if moved:
        when = f"on 28 Feb this year, {when}" if on.year == today.year else f"on 28 Feb, {when}"
    years = years_on(occasion, on)
    if years is not None:
        when = f"{years_words(occasion, years)} {when}"
    return f"{shown(occasion)} · {when}"


def soon_words(occasion: Occasion, today: date) -> str:
    """For the reason line: 'birthday in 3 days', 'work anniversary today'."""
    return f"{occasion.what} {in_days_words((next_on(occasion, today) - today).days)}"


def month_days_ahead(today: date, days: int) -> list[tuple[str, int]]:
    """('MM-DD', days from today) for every stored month-day that falls on one of the next `days`
    days (today is 0): what a query matches dates against. In a year without 29 February,
    '02-29' falls on the day '02-28' does."""
    out = []
    for offset in range(max(0, days) + 1):
        day = today + timedelta(days=offset)
        out.append((f"{day.month:02d}-{day.day:02d}", offset))
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            out.append(("02-29", offset))
    return out


def upcoming(occasions, today: date, days: int = SOON_DAYS) -> list[tuple[Occasion, date, int]]:
    """(occasion, the day it falls on, days from today) for those falling in the next `days` days,
    soonest first (birthdays before anniversaries on the same day)."""
    out = []
    for occasion in occasions:
        on = next_on(occasion, today)
        ahead = (on - today).days
        if ahead <= days:
            out.append((occasion, on, ahead))
    out.sort(key=lambda item: (item[2], not item[0].is_birthday, item[0].what.casefold()))
    return out


def due_for_date(occasions, today: date, last_touch_day: date | None) -> date | None:
    """The day a date makes a contact due: DUE_BEFORE days before the nearest one in the next
    SOON_DAYS days that they were not touched for (a touch on or after that day counts for it);
    None when no date does. A day before today means they are due now."""
    for _, on, _ in upcoming(occasions, today, SOON_DAYS):
        start = on - timedelta(days=DUE_BEFORE)
        if last_touch_day is None or last_touch_day < start:
            return start
    return None
