"""A calendar (RFC 5545) of what is coming up: open follow-ups and contacts falling due.

- Each open follow-up is a 15-minute VEVENT at its due date and time, with a VALARM at that
  moment. (Events, not VTODOs: Google Calendar and Outlook ignore VTODO on import.)
- Each active contact due within the next 30 days is an all-day VEVENT on its due day.

UIDs are stable (`followup-<id>@netmaint`, `contact-<id>-due@netmaint`; ids never change and a
restore keeps them), so importing a newer export into the same calendar moves the existing
events instead of adding copies. Text is data: icalendar escapes `,` `;` `\\` and line breaks,
so a note can never start a property of its own, and control characters are written as
visible stand-ins (␛) because RFC 5545 text may not contain them.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from icalendar import Alarm, Calendar, Event

from netmaint_tui.rules.text import visible

PRODID = "-//netmaint//netmaint//EN"
FOLLOW_UP_MINUTES = 15


def follow_up_uid(follow_up_id: int) -> str:
    return f"followup-{follow_up_id}@netmaint"


def contact_uid(contact_id: int) -> str:
    return f"contact-{contact_id}-due@netmaint"


def _line(text: str | None) -> str:
    return visible(text or "", single_line=True)


def _text(text: str | None) -> str:
    return visible(text or "")


def build_calendar(follow_ups: Iterable, due_contacts: Iterable, now: dt.datetime) -> bytes:
    """`follow_ups`: services.exporting.CalendarFollowUp; `due_contacts`: CalendarContact."""
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
    return cal.to_ical()


def write_calendar(upcoming) -> bytes:
    """The registry's writer (io.formats): `upcoming` has follow_ups, due_contacts and now
    (services.export_file.Upcoming)."""
    return build_calendar(upcoming.follow_ups, upcoming.due_contacts, upcoming.now)
