"""The one place that reads the wall clock and the time zone.

`NETMAINT_NOW` (ISO 8601) replays any moment and `TZ` any zone, so every command and the
app can be run "as of" a given day. Everything else receives `now` as a value.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

import pendulum

from netmaint_tui.rules.dates import moment_problem


class ClockError(ValueError):
    pass


def local_timezone() -> pendulum.Timezone:
    name = os.environ.get("TZ")
    if name:
        try:
            return pendulum.timezone(name.lstrip(":"))
        except Exception as exc:  # pendulum raises several kinds for unknown zones
            raise ClockError(f"unknown time zone TZ={name!r}; use a name like Europe/Berlin") from exc
    return pendulum.local_timezone()


@dataclass(frozen=True)
class Clock:
    """A callable source of 'now' in the user's zone; tests pass a fixed one."""

    tz: pendulum.Timezone
    source: Callable[[], pendulum.DateTime]

    def now(self) -> pendulum.DateTime:
        return self.source().in_timezone(self.tz)

    def today(self):
        return self.now().date()


def fixed_clock(moment: str | pendulum.DateTime, tz: str | pendulum.Timezone | None = None) -> Clock:
    zone = pendulum.timezone(tz) if isinstance(tz, str) else (tz or local_timezone())
    if isinstance(moment, str):
        moment = pendulum.parse(moment, tz=zone)
    fixed = moment.in_timezone(zone)
    return Clock(zone, lambda: fixed)


def system_clock() -> Clock:
    """The clock every entry point uses: NETMAINT_NOW if set, else the real time."""
    zone = local_timezone()
    override = os.environ.get("NETMAINT_NOW")
    if override:
        not_iso = f"NETMAINT_NOW={override!r} is not an ISO 8601 date-time; use e.g. 2025-03-12T10:00:00+01:00"
        try:
            moment = pendulum.parse(override, tz=zone)
        except Exception as exc:
            raise ClockError(not_iso) from exc
        # Judged before the zone is applied: the zone could carry a moment off the calendar.
        problem = moment_problem(moment) if isinstance(moment, datetime) else None
        if problem:
            raise ClockError(f"NETMAINT_NOW={override!r}: {problem}")
        try:
            return fixed_clock(moment, zone)
        except Exception as exc:
            raise ClockError(not_iso) from exc
    return Clock(zone, pendulum.now)
