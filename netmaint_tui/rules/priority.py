"""Who to reach out to next, and why — in words a user can check.

overdue = days since last touch / cadence; a never-touched contact counts as if last touched one
cadence before it was added (ratio 1 on the day it was added, growing from there).
score = tier weight × overdue. An open follow-up due within a day lifts its contact above all.
A birthday or anniversary makes a contact due from three days before it (rules.occasions):
meanwhile their overdue is at least 1, until a touch counts for it.
A contact is due on a calendar day (due_on): the one every list, export and calendar shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from netmaint_tui.rules.dates import day_amount, humanize_in


TIER_WEIGHT = {"A": 3, "B": 2, "C": 1}

CHANNEL_WORDS = {
    "email": "email",
    "call": "call",
    "meeting": "meeting",
    "card": "card",
    "social": "social",
    "message": "message",
    "event": "event",
}


def _cadence(cadence) -> int:
    return max(1, int(cadence or 1))


def overdue_ratio(days_since_touch: float | None, days_since_added: float, cadence: int, date_due: bool = False) -> float:
    """`date_due`: a birthday or anniversary makes them due now (rules.occasions.due_for_date)."""
    cadence = _cadence(cadence)
    if days_since_touch is None:
        ratio = 1.0 + max(0.0, days_since_added) / cadence
    else:
        ratio = max(0.0, days_since_touch) / cadence
    return max(ratio, 1.0) if date_due else ratio


def score(tier: str, days_since_touch: float | None, days_since_added: float, cadence: int,
          date_due: bool = False) -> float:
    return TIER_WEIGHT.get(tier, 1) * overdue_ratio(days_since_touch, days_since_added, cadence, date_due)


def due_on(last_touch_day: date | None, added_day: date, cadence: int) -> date:
    """The calendar day a contact falls due: the local day of the last touch plus the cadence in
    days; never touched, the local day the contact was added (due at once).

    Calendar days, not elapsed time: a touch at 23:30 is due a cadence after that day, however
    few hours of it were left. A day past the end of the calendar is the calendar's last day.
    """
    if last_touch_day is None:
        return added_day
    try:
        return last_touch_day + timedelta(days=_cadence(cadence))
    except OverflowError:
        return date.max


def times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def weeks_ago(days: float, months: int) -> str:
    """`days` and `months`: calendar days and months (rules.dates.calendar_months) since the touch,
    in the list's steps and rounding (rules.dates.day_amount): its "9w ago" is "9 weeks ago" here."""
    d = int(round(days))  # whole days, as the list's "9w ago" counts them
    if d <= 0:
        return "today"
    if d == 1:
        return "yesterday"
    count, unit = day_amount(d, months)
    word = {"d": "day", "w": "week", "mo": "month", "y": "year"}[unit]
    return f"{count} {word}{'' if count == 1 else 's'} ago"


def due_label(days_until_due: int, follow_up: bool = False) -> str:
    """The Due column of the app's list and of `netmaint due`, in one vocabulary: `follow-up` when an
    open follow-up lifts the contact (see the reason for which), else `12d overdue`, `today`, `in 5d`."""
    return "follow-up" if follow_up else humanize_in(days_until_due)


def standing(overdue: float, days_until_due: int | None, beside_other_due: bool = False) -> str:
    """How far along the cadence: `2.3× overdue` once due, else when it falls due (`due in 14d`,
    `due today`), never "0.0× overdue" for someone touched today. Beside a follow-up's or a date's
    own due words, it names what falls due (`next touch in 11d`), so that two "due" do not read as
    one contradicting the other."""
    if overdue >= 1 or days_until_due is None:
        return f"{overdue:.1f}× overdue"
    if beside_other_due:
        return "next touch today" if days_until_due <= 0 else f"next touch in {days_until_due}d"
    return "due today" if days_until_due <= 0 else f"due in {days_until_due}d"


@dataclass(frozen=True)
class ReasonFacts:
    tier: str
    overdue: float
    days_since_touch: float | None
    last_channel: str | None
    gives: int
    asks: int
    urgent_follow_up: str | None = None  # e.g. "follow-up due today 15:00: send the deck"
    snoozed_until: str | None = None
    months_since_touch: int = 0  # calendar months, as the list's "12mo ago" counts them (read from 120 days on)
    # When they last wrote (a captured mail), in the same calendar days and months; None: not known.
    days_since_heard: float | None = None
    months_since_heard: int = 0
    # Birthdays and anniversaries in the next week, soonest first: "birthday in 3 days".
    dates: tuple[str, ...] = ()
    # Calendar days until the cadence makes them due (rules.priority.due_on); None: say the ratio.
    days_until_due: int | None = None


def balance(gives: int, asks: int) -> int:
    """Goodwill: deposits minus withdrawals (article 003)."""
    return gives - asks


def heard_since_touch(f: ReasonFacts) -> bool:
    """They wrote on a later day than the user last reached them (or they never were): worth saying,
    since the ball may be in the user's court. Heard before the last touch, it says nothing new."""
    if f.days_since_heard is None:
        return False
    return f.days_since_touch is None or round(f.days_since_heard) < round(f.days_since_touch)


def reason(f: ReasonFacts) -> str:
    parts: list[str] = []
    if f.urgent_follow_up:
        parts.append(f.urgent_follow_up)
    parts.extend(f.dates)
    parts.append(standing(f.overdue, f.days_until_due, beside_other_due=bool(f.urgent_follow_up or f.dates)))
    parts.append(f.tier)
    if f.days_since_touch is None:
        parts.append("never touched")
    else:
        word = CHANNEL_WORDS.get(f.last_channel or "", f.last_channel or "touch")
        parts.append(f"last: {word} {weeks_ago(f.days_since_touch, f.months_since_touch)}")
    if heard_since_touch(f):
        parts.append(f"last heard {weeks_ago(f.days_since_heard, f.months_since_heard)}")
    history = []
    if f.asks:
        history.append(f"asked {times(f.asks)}")
    if f.gives:
        history.append(f"gave {times(f.gives)}")
    if history:
        parts.append(", ".join(history))
    if balance(f.gives, f.asks) < 0:
        parts.append("suggest a give, not an ask")
    if f.snoozed_until:
        parts.append(f"snoozed until {f.snoozed_until}")
    return " · ".join(parts)
