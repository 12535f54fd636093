"""Reading calendars: an .ics file (Google Calendar's export, Outlook, Apple), a .zip of them
(Google Takeout), or a folder of .ics files (a vdir that vdirsyncer keeps in sync with a server).

Every event occurrence in a window of time comes out as a rules.capture.Occurrence. Recurring
series are expanded by recurring-ical-events over icalendar's parse, EXDATE and moved occurrences
(RECURRENCE-ID) included, also when the series' master is missing. A single event whose times are
plain (a day, UTC, or a zone by its IANA name) is read directly from its lines (io.ics_lines, which
also splits each file into its zones and events); everything else goes through icalendar. Both
roads give the same occurrence (a test holds them to it).

Nothing is fatal: a file, a zip member or an event that cannot be read is reported (where it is and
what is wrong) through `problems`, and the rest is read. Times come out aware: a time without a
zone (a "floating" one) and an all-day event's day are read in the calendar's own zone
(X-WR-TIMEZONE) or else in the zone given.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from netmaint_tui.io.ics_lines import (
    Block,
    CalendarParts,
    Facts,
    NotPlain,
    Unreadable,
    decoded,
    no_end,
    occurrence,
    plain_event,
    plain_facts,
    split_calendar,
)
from netmaint_tui.rules.capture import Occurrence, Person, fold_email, stamp

# A zip member larger than this is no calendar (Google's export of a busy calendar is a few MB).
MAX_MEMBER_BYTES = 256 * 1024 * 1024
ICS_SUFFIX = ".ics"


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


Report = Callable[[Problem], None]


# --- which files ------------------------------------------------------------------------------

_BEGIN = re.compile(rb"\s*begin\s*:\s*vcalendar\s*(?:\r?\n|$)", re.IGNORECASE)


def is_calendar(head: bytes) -> bool:
    """The first bytes of an iCalendar file: BEGIN:VCALENDAR on its first line that is not blank."""
    return bool(_BEGIN.match(head.removeprefix(b"\xef\xbb\xbf")))


def _head(path: Path, size: int = 512) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


def calendar_kind(path: str | os.PathLike) -> str | None:
    """'ics', 'zip' or 'folder' when `path` holds calendars, else None."""
    path = Path(path)
    try:
        if path.is_dir():
            return "folder" if any(True for _ in _folder_files(path)) else None
        if not path.is_file():
            return None  # a device or a pipe (/dev/zero) would be read without end
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                return "zip" if any(_is_ics_name(n) for n in archive.namelist()) else None
        return "ics" if is_calendar(_head(path)) else None
    except OSError:
        return None


def _is_ics_name(name: str) -> bool:
    return name.lower().endswith(ICS_SUFFIX) and not Path(name).name.startswith(".")


def _folder_files(folder: Path) -> Iterator[Path]:
    """The .ics files below `folder`, in a stable order; hidden files and folders left out (a
    vdir's status files, editors' temporary files)."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if _is_ics_name(name):
                yield Path(root) / name


def calendar_files(path: str | os.PathLike, problems: Report) -> Iterator[tuple[str, bytes]]:
    """(where, bytes) of each calendar file `path` holds, one at a time."""
    path = Path(path)
    if path.is_dir():
        for file in _folder_files(path):
            data = _read(file, problems)
            if data is not None:
                yield str(file), data
        return
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if info.is_dir() or not _is_ics_name(info.filename):
                        continue
                    where = f"{path}:{info.filename}"
                    if info.file_size > MAX_MEMBER_BYTES:
                        problems(Problem(where, f"is {info.file_size:,} bytes, too large for a calendar; skipped"))
                        continue
                    try:
                        with archive.open(info) as member:
                            yield where, member.read(MAX_MEMBER_BYTES + 1)
                    except (OSError, zipfile.BadZipFile, RuntimeError, EOFError) as exc:
                        problems(Problem(where, f"cannot be read from the zip ({exc}); skipped"))
        except (OSError, zipfile.BadZipFile) as exc:
            problems(Problem(str(path), f"cannot be read as a zip ({exc}); skipped"))
        return
    data = _read(path, problems)
    if data is not None:
        yield str(path), data


def _read(path: Path, problems: Report) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as exc:
        problems(Problem(str(path), f"cannot be read ({exc.strerror or exc}); skipped"))
        return None




# --- reading through icalendar ----------------------------------------------------------------

_TZID_USE = re.compile(r";TZID=(\"[^\"]*\"|[^;:]*)", re.IGNORECASE)


_DAY_IN_UTC = re.compile(r"(?<=[:,])(\d{8})Z(?=,|$)")


def _repaired(line: str) -> str:
    # Google's birthday calendar writes extra days as RDATE:20131210Z, a day "in UTC" that
    # icalendar refuses: the day it means is plain.
    return _DAY_IN_UTC.sub(r"\1", line)


# What recurring-ical-events needs to place a series' occurrences; the rest of each event is read
# from its lines (plain), so icalendar parses and copies a few lines per event instead of all.
_TIMING = frozenset({"BEGIN", "END", "UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "EXRULE",
                     "RECURRENCE-ID", "SEQUENCE"})
_BLOCK = "X-NETMAINT-BLOCK"


def _ical_text(cal: CalendarParts, blocks: list[Block], timing_only: bool) -> str:
    wanted = {m.strip('"') for b in blocks for line in b.lines for m in _TZID_USE.findall(line)}
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//netmaint//capture//EN"]
    for tzid in sorted(wanted):
        lines += cal.timezones.get(tzid, [])
    for index, b in enumerate(blocks):
        for line, name in zip(b.lines, b.names):
            if timing_only and name not in _TIMING:
                continue
            lines.append(_repaired(line) if name in ("RDATE", "EXDATE") else line)
            if name == "BEGIN":
                lines.append(f"{_BLOCK}:{index}")
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def _ical_person(value) -> Person:
    params = getattr(value, "params", {}) or {}
    return Person(fold_email(str(value)), str(params.get("CN", "") or "").strip(),
                  str(params.get("PARTSTAT", "") or "").upper(), str(params.get("CUTYPE", "") or "").upper())


def _ical_facts(ev) -> Facts:
    attendees = ev.get("ATTENDEE") or []
    if not isinstance(attendees, list):
        attendees = [attendees]
    return Facts(str(ev.get("UID", "") or "").strip(), str(ev.get("SUMMARY", "") or ""),
                  str(ev.get("LOCATION", "") or ""), str(ev.get("STATUS", "") or ""),
                  _ical_person(ev["ORGANIZER"]) if "ORGANIZER" in ev else None,
                  tuple(_ical_person(a) for a in attendees))


def _facts_of(blocks: list[Block], plain: bool) -> list[Facts] | None:
    """Each event's facts read from its lines, or None when icalendar must read them."""
    if not plain:
        return None
    try:
        return [plain_facts(b) for b in blocks]
    except NotPlain:
        return None


def _ical_events(cal: CalendarParts, blocks: list[Block], facts: list[Facts] | None, recurring: bool,
                 start: dt.datetime, end: dt.datetime, local: dt.tzinfo) -> list[Occurrence]:
    """The occurrences of `blocks` placed by recurring-ical-events; with `facts`, icalendar gets
    only the lines that place them."""
    import icalendar
    import recurring_ical_events

    parsed = icalendar.Calendar.from_ical(_ical_text(cal, blocks, timing_only=facts is not None))
    found = []
    for ev in recurring_ical_events.of(parsed).between(start, end):
        if "DTSTART" not in ev:
            raise Unreadable("has no start (DTSTART)")
        begins = ev["DTSTART"].dt
        if "DTEND" in ev:
            ends = ev["DTEND"].dt
        elif "DURATION" in ev:
            ends = begins + ev["DURATION"].dt
        else:
            ends = no_end(begins)
        slot = None
        if recurring and "RECURRENCE-ID" in ev:
            value = ev["RECURRENCE-ID"].dt
            slot = stamp(value, not isinstance(value, dt.datetime))
        index = int(str(ev[_BLOCK]))
        found.append(occurrence(blocks[index], facts[index] if facts else _ical_facts(ev), slot, begins, ends, local))
    return found


# --- reading ----------------------------------------------------------------------------------

_RECURRING = frozenset({"RRULE", "RDATE", "RECURRENCE-ID"})

# A series is laid out from its first occurrence: one that repeats every minute since 1900 would
# be laid out without end. No meeting series comes near this many (daily for 50 years).
MAX_OCCURRENCES = 20_000
_SECONDS = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600, "DAILY": 86400, "WEEKLY": 7 * 86400,
            "MONTHLY": 30 * 86400, "YEARLY": 365 * 86400}
# The BY parts that make more than one occurrence per period, for the rules they expand.
_EXPANDS = {"BYSECOND": "SECONDLY", "BYMINUTE": "MINUTELY", "BYHOUR": "HOURLY", "BYDAY": "DAILY",
            "BYMONTHDAY": "DAILY", "BYMONTH": "MONTHLY"}
_ORDER = list(_SECONDS)
_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})")


def _too_many(block: Block, end: dt.datetime) -> str | None:
    """Why a series' rule would make more occurrences than a calendar holds (counted from its
    first one to the window's end, or its COUNT), or None. A rough count: exact enough to tell a
    weekly meeting from a rule that repeats every minute."""
    rule = next((line for line, name in zip(block.lines, block.names) if name == "RRULE"), None)
    begins = next((line for line, name in zip(block.lines, block.names) if name == "DTSTART"), None)
    if rule is None or begins is None:
        return None
    parts = dict(part.partition("=")[::2] for part in rule.partition(":")[2].strip().upper().split(";") if part)
    freq = parts.get("FREQ", "")
    first = _DIGITS.search(begins.partition(":")[2])
    if freq not in _SECONDS or first is None:
        return None  # recurring-ical-events says what is wrong with it
    try:
        interval = max(1, int(parts.get("INTERVAL") or 1))
        start = dt.datetime(*map(int, first.groups()), tzinfo=dt.timezone.utc)
        last = end
        until = _DIGITS.search(parts.get("UNTIL", ""))
        if until:
            last = min(last, dt.datetime(*map(int, until.groups()), tzinfo=dt.timezone.utc))
        count = int(parts["COUNT"]) if "COUNT" in parts else None
    except ValueError:
        return None
    many = max(0.0, (last - start).total_seconds()) / (_SECONDS[freq] * interval)
    for by, finer in _EXPANDS.items():
        if by in parts and _ORDER.index(finer) < _ORDER.index(freq):
            many *= max(1, len(parts[by].split(",")))
    if count is not None:
        many = min(many, count)
    if many <= MAX_OCCURRENCES:
        return None
    return (f"repeats about {many:,.0f} times ({freq.lower()} from {start:%Y-%m-%d}); a series of more than "
            f"{MAX_OCCURRENCES:,} is no meeting series")


def _in_window(occ: Occurrence, first: float, last: float) -> bool:
    """It overlaps the window [first, last) (timestamps: an aware datetime's costs each time)."""
    begins, ends = occ.start.timestamp(), occ.end.timestamp()
    return begins < last and (ends > first or begins >= first)


def read_calendar(data: bytes, where: str, start: dt.datetime, end: dt.datetime, zone: dt.tzinfo,
                  problems: Report, *, plain: bool = True) -> Iterator[Occurrence]:
    """The occurrences in one calendar file's bytes that overlap [start, end) (aware times).

    `plain=False` reads every event, all of it, through icalendar (the tests compare both roads).
    """
    cal = split_calendar(decoded(data))
    if not cal.found:
        problems(Problem(where, "is not a calendar (no BEGIN:VCALENDAR); skipped"))
        return
    if not cal.ended:
        problems(Problem(where, f"is cut off (no END:VCALENDAR): the {len(cal.events):,} whole event(s) before the cut "
                                "are read; export the calendar again for the rest"))
    own_zone = None
    if cal.zone_name:
        try:
            own_zone = ZoneInfo(cal.zone_name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            problems(Problem(where, f"names an unknown time zone (X-WR-TIMEZONE:{cal.zone_name}); "
                                    "times without a zone are read in yours"))
    local = own_zone or zone
    first, last = start.timestamp(), end.timestamp()
    series: dict[str, list[Block]] = {}
    endless: set[str] = set()
    for block in cal.events:
        block.where = f"{where}, event at line {block.line}"
        if not _RECURRING.isdisjoint(block.names):
            series.setdefault(block.uid, [])
            problem = _too_many(block, end)
            if problem is not None:
                endless.add(block.uid)
                problems(Problem(block.where, f"{problem}; skipped"))
    for block in cal.events:
        if block.uid in series:
            if block.uid not in endless:
                series[block.uid].append(block)
            continue
        try:
            if not plain:
                raise NotPlain
            occurrences = plain_event(block, local)
        except NotPlain:
            occurrences = None
        except Unreadable as exc:
            problems(Problem(block.where, f"{exc}; skipped"))
            continue
        if occurrences is None:
            yield from _through_ical(cal, [block], _facts_of([block], plain), False, start, end, local, problems)
        else:
            yield from (o for o in occurrences if _in_window(o, first, last))
    lean, full = [], []
    for blocks in (blocks for blocks in series.values() if blocks):
        facts = _facts_of(blocks, plain)
        (lean if facts is not None else full).append((blocks, facts))
    # Every series at once: recurring-ical-events costs much less per call than per series. If
    # one of them cannot be read, each is read alone, so that only that one is left out.
    together = None
    if len(lean) > 1:
        try:
            together = _through_ical(cal, [b for blocks, _ in lean for b in blocks],
                                     [f for _, facts in lean for f in facts], True, start, end, local, None)
        except Exception:
            together = None
    if together is not None:
        yield from together
    else:
        full = lean + full
    for blocks, facts in full:
        yield from _through_ical(cal, blocks, facts, True, start, end, local, problems)


def _through_ical(cal, blocks, facts, recurring, start, end, local, problems) -> list[Occurrence]:
    """The occurrences in the window; without `problems`, whatever goes wrong is raised."""
    first, last = start.timestamp(), end.timestamp()
    if problems is None:
        return [o for o in _ical_events(cal, blocks, facts, recurring, start, end, local) if _in_window(o, first, last)]
    try:
        return [o for o in _ical_events(cal, blocks, facts, recurring, start, end, local) if _in_window(o, first, last)]
    except Unreadable as exc:
        problems(Problem(blocks[0].where, f"{exc}; skipped"))
    except Exception as exc:  # icalendar and recurring-ical-events raise many kinds for a bad event
        what = "series" if recurring else "event"
        problems(Problem(blocks[0].where, f"this {what} cannot be read ({_short(exc)}); skipped"))
    return []


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def read_calendars(paths: Iterable[str | os.PathLike], start: dt.datetime, end: dt.datetime, zone: dt.tzinfo,
                   problems: Report, progress: Callable[[int], None] | None = None) -> Iterator[Occurrence]:
    """The occurrences of every calendar at `paths` (files, zips, folders) that overlap [start, end).

    `progress(bytes)` is called after each calendar file with the bytes read so far.
    """
    done = 0
    for path in paths:
        for where, data in calendar_files(path, problems):
            yield from read_calendar(data, where, start, end, zone, problems)
            done += len(data)
            if progress is not None:
                progress(done)
