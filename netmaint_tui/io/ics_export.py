"""A calendar (RFC 5545) of what is coming up: open follow-ups and contacts falling due.

- Each open follow-up is a 15-minute VEVENT at its due date and time, with a VALARM at that
  moment. (Events, not VTODOs: Google Calendar and Outlook ignore VTODO on import.)
- Each active contact due within the next 30 days is an all-day VEVENT on its due day.
- Each birthday and anniversary of a contact not archived is an all-day VEVENT recurring every
  year (RRULE FREQ=YEARLY). 29 February recurs on the last day of February, so it falls on
  28 February in other years, as netmaint counts it. A date without a year starts in 2000.

UIDs are stable (`followup-<id>@netmaint`, `contact-<id>-due@netmaint`,
`contact-<id>-birthday@netmaint`, `contact-<id>-date-<digest of its label>@netmaint`; ids never
change and a restore keeps them), so importing a newer export into the same calendar moves the
existing events instead of adding copies. Text is data: icalendar escapes `,` `;` `\\` and line breaks,
so a note can never start a property of its own, and control characters are written as
visible stand-ins (␛) because RFC 5545 text may not contain them.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from icalendar import Alarm, Calendar, Event

from netmaint_tui.rules.dates import day_problem
from netmaint_tui.rules.occasions import parse, shown
from netmaint_tui.rules.text import visible

PRODID = "-//netmaint//netmaint//EN"
FOLLOW_UP_MINUTES = 15


def follow_up_uid(follow_up_id: int) -> str:
    return f"followup-{follow_up_id}@netmaint"


def contact_uid(contact_id: int) -> str:
    return f"contact-{contact_id}-due@netmaint"


def date_uid(contact_id: int, key: str) -> str:
    return f"contact-{contact_id}-{key}@netmaint"


YEAR_UNKNOWN = 2000  # where a date without a year starts recurring: a leap year, for 29 February


def _line(text: str | None) -> str:
    return visible(text or "", single_line=True)


def _text(text: str | None) -> str:
    return visible(text or "")


def build_calendar(follow_ups: Iterable, due_contacts: Iterable, now: dt.datetime, dates: Iterable = ()) -> bytes:
    """`follow_ups`: services.exporting.CalendarFollowUp; `due_contacts`: CalendarContact;
    `dates`: CalendarDate."""
    stamp = now.astimezone(dt.timezone.utc).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "netmaint")
    for f in follow_ups:
        due = f.due.astimezone(dt.timezone.utc)
        summary = f"Follow up: {_line(f.what)}"
        details = []
        if f.suggested_by:
            details.append(f"Suggested by {_line(f.suggested_by)}")
        if f.about or f.about_text:
            details.append(f"About {_line(f.about or f.about_text)}")
        event = Event()
        event.add("uid", follow_up_uid(f.id))
        event.add("dtstamp", stamp)
        event.add("dtstart", due)
        event.add("duration", dt.timedelta(minutes=FOLLOW_UP_MINUTES))
        event.add("summary", summary)
        if details:
            event.add("description", _text("\n".join(details)))
        event.add("categories", ["netmaint", "follow-up"])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", dt.timedelta(0))
        event.add_component(alarm)
        cal.add_component(event)
    for c in due_contacts:
        name = _line(c.name)
        company = _line(c.company)
        event = Event()
        event.add("uid", contact_uid(c.id))
        event.add("dtstamp", stamp)
        event.add("dtstart", c.due)
        event.add("dtend", c.due + dt.timedelta(days=1))
        event.add("summary", f"Reach out to {name}" + (f" ({company})" if company else ""))
        last = "never touched" if c.last_touch is None else f"last touch {c.last_touch.date().isoformat()}"
        event.add("description", f"Tier {c.tier}, {last}.")
        event.add("transp", "TRANSPARENT")
        event.add("categories", ["netmaint", "due"])
        cal.add_component(event)
    for d in dates:
        event = _yearly(d, stamp)
        if event is not None:
            cal.add_component(event)
    return cal.to_ical()


def _yearly(d, stamp: dt.datetime) -> Event | None:
    occasion = parse(d.what, d.date)
    if occasion is None:
        return None  # written by hand into the file as no date at all: nothing to put in a calendar
    # A year outside the calendar netmaint keeps (written by an older version) starts it as none does.
    year = occasion.year if occasion.year and day_problem(dt.date(occasion.year, 1, 1)) is None else None
    start = dt.date(year or YEAR_UNKNOWN, occasion.month, occasion.day)
    name = _line(d.name)
    event = Event()
    event.add("uid", date_uid(d.contact_id, d.key))
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(days=1))
    rule = {"freq": "yearly"}
    if (occasion.month, occasion.day) == (2, 29):
        rule.update(bymonth=2, bymonthday=-1)  # the last day of February, every year
    event.add("rrule", rule)
    if occasion.is_birthday:
        event.add("summary", f"{name}'s birthday")
        if year:
            event.add("description", f"Born {shown(occasion)}.")
    else:
        event.add("summary", f"{name}: {_line(d.what)}")
        if year:
            event.add("description", f"Since {shown(occasion)}.")
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["netmaint", "birthday" if occasion.is_birthday else "anniversary"])
    return event


def write_calendar(upcoming) -> bytes:
    """The registry's writer (io.formats): `upcoming` has follow_ups, due_contacts, now and dates
    (services.export_file.Upcoming)."""
    return build_calendar(upcoming.follow_ups, upcoming.due_contacts, upcoming.now, upcoming.dates)
