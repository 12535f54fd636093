"""What every use case shares: the context it runs in, its errors, and time conversions."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pendulum

from netmaint_tui.clock import Clock
from netmaint_tui.rules.dates import day_problem, in_zone, instant_problem
from netmaint_tui.store.errors import StoreError
from netmaint_tui.store.files import translate_error
from netmaint_tui.store.models import database


class InputError(ValueError):
    """Bad input from the user: one line saying what is wrong and what to do (exit status 2)."""

    exit_code = 2


class UnknownContact(InputError):
    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else "; add them first with: netmaint add NAME"
        super().__init__(f"no contact named {name!r}{hint}")


class ArchivedContact(InputError):
    """The name is an archived contact's: archived, not gone, so "add them first" would make a second."""

    def __init__(self, name: str, contact_id: int):
        self.name = name
        self.contact_id = contact_id
        super().__init__(f"{name!r} is archived; bring them back first: netmaint archive '#{contact_id}' --undo "
                         "(in the app: Z shows archived contacts, A restores one)")


class AmbiguousContact(InputError):
    def __init__(self, name: str, matches: list[str], advice: str = "type more of the name"):
        self.name = name
        self.matches = matches
        shown = ", ".join(repr(m) for m in matches[:6])
        more = f" and {len(matches) - 6} more" if len(matches) > 6 else ""
        super().__init__(f"{name!r} matches several contacts: {shown}{more}; {advice}")


@dataclass
class Context:
    """The clock and settings a use case runs with; the database is bound by store.open_database."""

    clock: Clock
    settings: Any  # netmaint_tui.config.Settings

    def now(self) -> pendulum.DateTime:
        return self.clock.now()

    def today(self) -> dt.date:
        return plain_date(self.clock.now().date())

    def cadence_for(self, tier: str) -> int:
        return int(self.settings.cadence_days.get(tier, 90))


def plain_date(value: dt.date | None) -> dt.date | None:
    """pendulum's Date subclasses date, but sqlite3 only adapts the exact type. (A date column
    holding something else is read back as it is: said in one line, not a crash.)"""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            raise UnreadableValue(value, "a date") from None
    if not isinstance(value, dt.date):
        raise UnreadableValue(value, "a date")
    return dt.date(value.year, value.month, value.day)


class UnreadableValue(StoreError):
    """A value in the database that is not what its column holds (written there by hand, or by
    another program): the command stops with one line instead of a traceback."""

    def __init__(self, value, what: str):
        shown = repr(value if not isinstance(value, str) or len(value) <= 30 else value[:29] + "…")
        super().__init__(f"the database holds {shown} where {what} belongs, and cannot read it; "
                         "restore a backup (netmaint backup list) or correct that row")


def to_db(moment: dt.datetime) -> dt.datetime:
    """Aware datetime -> naive UTC, second precision (the stored form)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given where an aware one is required")
    utc = moment.astimezone(dt.timezone.utc)
    return dt.datetime(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)


def from_db(value: dt.datetime | str | None) -> pendulum.DateTime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise UnreadableValue(value, "a time") from None
    if not isinstance(value, dt.datetime):
        raise UnreadableValue(value, "a time")
    return pendulum.instance(value.replace(tzinfo=dt.timezone.utc))


def local_time(value: dt.datetime | str | None, tz) -> pendulum.DateTime | None:
    """A stored UTC time in the user's zone. A moment an older version let in (year 1 or 9999)
    stays in UTC where the zone would carry it off the calendar: shown, never a crash."""
    moment = from_db(value)
    return None if moment is None else in_zone(moment, tz)


def local_day(value: dt.datetime | str | None, tz) -> dt.date | None:
    """The local calendar day of a stored UTC time (see local_time)."""
    moment = local_time(value, tz)
    return None if moment is None else plain_date(moment.date())


def check_moment(label: str, moment: dt.datetime) -> None:
    """InputError unless `moment` lies in the years netmaint keeps, judged as the instant it is
    (rules.dates.instant_problem), so what one zone accepts another reads back."""
    problem = instant_problem(moment.astimezone(dt.timezone.utc) if moment.tzinfo else moment)
    if problem:
        raise InputError(f"{label}: {problem}")


def check_day(label: str, day: dt.date) -> None:
    """InputError unless `day` lies in the years netmaint keeps (rules.dates.day_problem)."""
    problem = day_problem(day)
    if problem:
        raise InputError(f"{label}: {problem}")


def days_between(earlier: dt.datetime, later: dt.datetime) -> float:
    return (later - earlier).total_seconds() / 86400.0


@contextmanager
def bulk_work():
    """The cyclic garbage collector off meanwhile: bulk work makes thousands of small objects and
    no reference cycles, so it would only rescan them over and over."""
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def write_transaction(work, dry_run: bool = False) -> None:
    """Run `work` as one write transaction (or as it is, for a dry run that writes nothing), as
    bulk work; SQLite's errors become the user's one line."""
    import sqlite3

    try:
        with bulk_work():
            if dry_run:
                work()
                return
            with database.atomic("IMMEDIATE"):
                work()
    except sqlite3.Error as exc:
        raise translate_error(exc, getattr(database.obj, "path", "the database")) from exc


def worker_connection():
    """A connection of its own for a worker thread, closed when the block ends."""
    return database.connection_context()

