"""An iCalendar file read from its lines: split into the zones it defines and its events, and a
single event whose times are plain (a day, UTC, or a zone by its IANA name) read directly.

icalendar takes about 0.1 ms a line, so a 5,000-event export would take seconds for what a few
string operations do here. An event this reading cannot vouch for raises NotPlain, and
io.calendar hands it to icalendar and recurring-ical-events instead; both roads give the same
occurrence (a test holds them to it). An event that cannot be read at all raises Unreadable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from netmaint_tui.rules.capture import Occurrence, Person, fold_email, stamp

# --- lines ------------------------------------------------------------------------------------


def decoded(data: bytes) -> str:
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _unfolded(text: str) -> Iterator[tuple[int, str]]:
    """(line number, logical line): folded continuation lines joined back on."""
    number, current, start = 0, None, 0
    for raw in text.splitlines():
        number += 1
        if raw[:1] in (" ", "\t") and current is not None:
            current += raw[1:]
            continue
        if current is not None:
            yield start, current
        current, start = raw, number
    if current is not None:
        yield start, current


def _name(line: str) -> str:
    """A content line's property name, upper-cased."""
    colon, semicolon = line.find(":"), line.find(";")
    end = semicolon if 0 <= semicolon < colon or colon < 0 else colon
    return (line if end < 0 else line[:end]).strip().upper()


@dataclass
class Block:
    line: int
    lines: list[str]
    names: list[str]  # each line's property name
    uid: str
    where: str = ""


class CalendarParts:
    """One file split into its parts: the zones it defines and its events, as lines."""

    def __init__(self) -> None:
        self.zone_name = ""  # X-WR-TIMEZONE
        self.timezones: dict[str, list[str]] = {}
        self.events: list[Block] = []
        self.found = False
        self.ended = False  # its END:VCALENDAR was there: the file is whole


def _value_of(lines: list[str], names: list[str], wanted: str) -> str:
    return next((x.split(":", 1)[1].strip() for x, n in zip(lines, names) if n == wanted and ":" in x), "")


def split_calendar(text: str) -> CalendarParts:
    cal = CalendarParts()
    stack: list[str] = []
    block: list[str] | None = None
    names: list[str] = []
    kind, start = "", 0
    for number, line in _unfolded(text):
        name = _name(line)
        if name in ("BEGIN", "END"):
            what = line.split(":", 1)[-1].strip().upper()
            if name == "BEGIN":
                stack.append(what)
                cal.found = cal.found or what == "VCALENDAR"
                if len(stack) == 2 and what in ("VEVENT", "VTIMEZONE"):
                    block, names, kind, start = [line], [name], what, number
                elif block is not None and kind == "VTIMEZONE":
                    block.append(line)  # its STANDARD and DAYLIGHT parts
                    names.append(name)
                continue
            if block is not None and len(stack) == 2 and what == kind:
                block.append(line)
                names.append(name)
                if kind == "VEVENT":
                    cal.events.append(Block(start, block, names, _value_of(block, names, "UID")))
                else:
                    cal.timezones[_value_of(block, names, "TZID")] = block
                block = None
            elif block is not None and kind == "VTIMEZONE":
                block.append(line)
                names.append(name)
            cal.ended = cal.ended or (what == "VCALENDAR" and stack[:1] == ["VCALENDAR"])
            if what in stack:  # a stray END closes nothing
                while stack.pop() != what:
                    pass  # what was left open inside it ends with it
            continue
        if block is not None and (len(stack) == 2 or kind == "VTIMEZONE"):
            block.append(line)  # an alarm's lines inside an event are left out
            names.append(name)
        elif len(stack) == 1 and name == "X-WR-TIMEZONE" and ":" in line:
            cal.zone_name = line.split(":", 1)[1].strip()
    return cal


# --- reading one event from its lines ---------------------------------------------------------

_LINE = re.compile(
    r'(?P<name>[A-Za-z0-9-]+)(?P<params>(?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:]*)(?:,(?:"[^"]*"|[^";:]*))*)*):(?P<value>.*)',
    re.DOTALL,
)
_PARAM = re.compile(r';([A-Za-z0-9-]+)=((?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)')
_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})$")
_DATETIME = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$")
_DURATION = re.compile(r"([+-]?)P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
_ESCAPE = re.compile(r"\\([\\;,nN])")
_CARET = re.compile(r"\^([n^'])")


class NotPlain(Exception):
    """The event needs icalendar: a zone it defines itself, a value of another form."""


class Unreadable(Exception):
    """The event cannot be read at all; the message says why."""


def _caret(value: str) -> str:
    """A parameter value with RFC 6868's ^n, ^^ and ^' read."""
    return _CARET.sub(lambda m: {"n": "\n", "^": "^", "'": '"'}[m.group(1)], value) if "^" in value else value


def content_parts(line: str) -> tuple[dict[str, str], str]:
    """(parameters, each with its first value; the value) of a content line."""
    colon, semicolon = line.find(":"), line.find(";")
    if colon >= 0 and not 0 <= semicolon < colon:
        return {}, line[colon + 1:]  # no parameters
    params: dict[str, str] = {}
    if '"' not in line:
        # Without quotes the first colon ends the parameters: a few splits do what the pattern does.
        head, colon, value = line.partition(":")
        if not colon:
            raise NotPlain
        for piece in head.split(";")[1:]:
            key, equals, given = piece.partition("=")
            if not equals:
                raise NotPlain
            params[key.upper()] = _caret(given.split(",", 1)[0])
        return params, value
    found = _LINE.fullmatch(line)
    if not found:
        raise NotPlain
    for key, given in _PARAM.findall(found.group("params")):
        first = given.split(",", 1)[0] if not given.startswith('"') else given[1:].split('"', 1)[0]
        params[key.upper()] = _caret(first)
    return params, found.group("value")


def _unescape(value: str) -> str:
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise NotPlain from None


def _moment(line: str) -> dt.date | dt.datetime:
    params, value = content_parts(line)
    value = value.strip()
    kind = params.get("VALUE", "").upper()
    day = _DATE.match(value)
    if day and kind in ("", "DATE"):
        return dt.date(*map(int, day.groups()))
    found = _DATETIME.match(value)
    if not found or kind not in ("", "DATE-TIME"):
        raise NotPlain
    *numbers, utc = found.groups()
    moment = dt.datetime(*map(int, numbers))
    if utc:
        if "TZID" in params:
            raise NotPlain
        return moment.replace(tzinfo=dt.timezone.utc)
    if "TZID" in params:
        return moment.replace(tzinfo=_zone(params["TZID"].strip()))
    return moment


def _duration(value: str) -> dt.timedelta:
    found = _DURATION.match(value.strip())
    if not found:
        raise NotPlain
    sign, weeks, days, hours, minutes, seconds = found.groups()
    length = dt.timedelta(weeks=int(weeks or 0), days=int(days or 0), hours=int(hours or 0),
                          minutes=int(minutes or 0), seconds=int(seconds or 0))
    return -length if sign == "-" else length


def _person(line: str) -> Person:
    params, value = content_parts(line)
    return Person(fold_email(value), params.get("CN", "").strip(), params.get("PARTSTAT", "").upper(),
                  params.get("CUTYPE", "").upper())


@dataclass(frozen=True)
class Facts:
    """What an event says besides its times."""

    uid: str
    summary: str
    location: str
    status: str
    organizer: Person | None
    attendees: tuple[Person, ...]


_SINGLE = frozenset({"SUMMARY", "LOCATION", "STATUS", "UID", "DTSTART", "DTEND", "DURATION"})


def _plain_lines(block: Block) -> tuple[dict[str, str], list[str], list[str]]:
    """(the properties an event has once, by name; its ATTENDEE lines; its ORGANIZER lines), in one pass."""
    single: dict[str, str] = {}
    attendees: list[str] = []
    organizers: list[str] = []
    for line, name in zip(block.lines, block.names):
        if name == "ATTENDEE":
            attendees.append(line)
        elif name in _SINGLE:
            if name in single:
                raise NotPlain  # twice: icalendar decides which counts
            single[name] = line
        elif name == "ORGANIZER":
            organizers.append(line)
    if len(organizers) > 1:
        raise NotPlain
    return single, attendees, organizers


def _text_of(single: dict[str, str], name: str) -> str:
    return _unescape(content_parts(single[name])[1]) if name in single else ""


def plain_facts(block: Block, lines=None) -> Facts:
    single, attendees, organizers = lines or _plain_lines(block)
    return Facts(_text_of(single, "UID").strip(), _text_of(single, "SUMMARY"), _text_of(single, "LOCATION"),
                  _text_of(single, "STATUS"), _person(organizers[0]) if organizers else None,
                  tuple(_person(line) for line in attendees))


def plain_event(block: Block, local: dt.tzinfo) -> tuple[Occurrence, ...]:
    lines = _plain_lines(block)
    values = lines[0]
    if "DTSTART" not in values:
        raise Unreadable("has no start (DTSTART)")
    start = _moment(values["DTSTART"])
    if "DTEND" in values:
        end = _moment(values["DTEND"])
        if type(end) is not type(start):
            raise NotPlain
    elif "DURATION" in values:
        end = start + _duration(content_parts(values["DURATION"])[1])
    else:
        end = no_end(start)
    return (occurrence(block, plain_facts(block, lines), None, start, end, local),)


def no_end(start: dt.date | dt.datetime) -> dt.date | dt.datetime:
    """RFC 5545: without DTEND or DURATION an event on a day lasts the day, one at a time none."""
    return start + dt.timedelta(days=1) if not isinstance(start, dt.datetime) else start


def _aware(value: dt.date | dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, tzinfo=zone)
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def occurrence(block: Block, facts: Facts, recurrence_id: str | None, start, end, zone: dt.tzinfo) -> Occurrence:
    all_day = not isinstance(start, dt.datetime)
    uid = facts.uid
    if not uid:
        # Without a UID an event is known by what it says: the same event read twice is still one.
        digest = hashlib.sha1(f"{stamp(start, all_day)}\n{facts.summary}\n{facts.location}".encode()).hexdigest()[:20]
        uid = f"no-uid-{digest}"
    return Occurrence(
        uid=uid, recurrence_id=recurrence_id, start=_aware(start, zone), end=_aware(end, zone), all_day=all_day,
        summary=facts.summary, location=facts.location, status=facts.status.strip().upper(),
        organizer=facts.organizer, attendees=facts.attendees, where=block.where,
    )
