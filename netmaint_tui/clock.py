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
        return zone_from_tz(name)
    return pendulum.local_timezone()


# What the C library assumes for a rule that names a summer time but not when it starts and ends
# (`EST5EDT`, `CET-1CEST`): the United States' rules, from its "posixrules" zone.
_DEFAULT_DST_RULES = ",M3.2.0,M11.1.0"


def zone_from_tz(value: str) -> pendulum.Timezone:
    """The zone a TZ value names, read as the C library reads it: a zone name (`Europe/Berlin`,
    also as `:Europe/Berlin`), a zone file (`:/etc/localtime`), or a POSIX rule (`UTC0`, `EST5EDT`,
    `CET-1CEST,M3.5.0,M10.5.0/3`)."""
    spec = value[1:] if value.startswith(":") else value
    try:
        return pendulum.timezone(spec)
    except Exception:  # pendulum raises several kinds for a name it does not know
        pass
    if spec.startswith("/"):
        try:
            with open(spec, "rb") as handle:
                return pendulum.Timezone.from_file(handle, key=value)
        except (OSError, ValueError):
            pass
    for rule in (spec, spec + _DEFAULT_DST_RULES):
        try:
            return posix_zone(rule, key=value)
        except ValueError:
            continue
    raise ClockError(
        f"unknown time zone TZ={value!r}; use a zone name like Europe/Berlin or a POSIX rule like CET-1CEST,M3.5.0,M10.5.0/3"
    )


def posix_zone(rule: str, key: str | None = None) -> pendulum.Timezone:
    """A zone that follows a POSIX TZ rule at every date; ValueError if the rule is not one.

    zoneinfo reads such rules only as the footer of a zone file, where they say what holds after
    the file's last transition: a file with no transitions and this footer is a zone that follows
    the rule throughout.
    """
    if not rule or "\n" in rule or not rule.isascii():
        raise ValueError(f"not a POSIX TZ rule: {rule!r}")
    from io import BytesIO
    from struct import pack

    designation = b"UTC\0"
    # Header: magic, version, 15 reserved bytes, then the counts of UT/local indicators, standard/wall
    # indicators, leap seconds, transitions, local time types (one) and designation bytes.
    block = (b"TZif2" + bytes(15) + pack(">6l", 0, 0, 0, 0, 1, len(designation))
             + pack(">lBB", 0, 0, 0) + designation)
    data = block + block + b"\n" + rule.encode("ascii") + b"\n"  # version 1 data, version 2 data, footer
    zone = pendulum.Timezone.from_file(BytesIO(data), key=key or rule)
    # The rule is read when a time is first placed in the zone: an offset Python cannot hold
    # (POSIX allows 24 hours, `XXX-24`) must be refused here, not crash the command later.
    for month in (1, 7):
        pendulum.datetime(2000, month, 1, tz="UTC").in_timezone(zone).in_timezone("UTC")
    return zone


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
    zone = zone_from_tz(tz) if isinstance(tz, str) else (tz or local_timezone())
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
