"""Touches, goals and pauses as journal entries (VJOURNAL, RFC 5545) of a synced folder: Radicale
and Nextcloud store them, jtx Board shows them on Android, and a second netmaint reads them back.

Each entry says which it is in X-NETMAINT-TYPE; what apps show is its SUMMARY ("meeting with Dana
Lee"), its DESCRIPTION (the note) and its DTSTART. Entries without that property are somebody's
own journal, and are left alone.

Written and read here, not through the icalendar library: a busy network has 300,000 touches, and
the library takes a hundred times as long per entry. An entry another app saw and changed keeps
the properties netmaint does not set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from netmaint_tui.io.contentline import CRLF, escape_text, fold, param_value, split_line, unescape_text

PRODID = "-//netmaint//netmaint//EN"
TYPES = ("touch", "goal", "pause")
TOUCH_FIELDS = ("at", "channel", "kind", "minutes", "note", "contacts", "source", "source_id")
GOAL_FIELDS = ("from_date", "touches", "minutes")
PAUSE_FIELDS = ("start", "end", "reason")
_OWNED = {"UID", "DTSTAMP", "DTSTART", "SUMMARY", "DESCRIPTION", "CATEGORIES", "STATUS"}


class UnreadableEntry(ValueError):
    def __init__(self, message: str, quiet: bool = False):
        super().__init__(message)
        self.quiet = quiet  # not netmaint's: nothing to say about it


@dataclass
class Entry:
    uid: str
    type: str
    values: dict[str, Any] = field(default_factory=dict)


# --- writing ------------------------------------------------------------------------------------


def _stamp(stored: str) -> str:
    """'YYYY-MM-DD HH:MM:SS' (UTC) as an iCalendar UTC time."""
    return stored[:10].replace("-", "") + "T" + stored[11:19].replace(":", "") + "Z"


def _day(iso: str) -> str:
    return iso[:10].replace("-", "")


_HEAD = CRLF.join(["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "BEGIN:VJOURNAL"]) + CRLF
_TAIL = "END:VJOURNAL" + CRLF + "END:VCALENDAR" + CRLF


def write_entry(kind: str, values: dict[str, Any], uid: str, names: dict[str, str], original: bytes | None = None) -> bytes:
    """The journal entry of a touch, goal or pause; `names` gives contacts' names by UID."""
    lines = [f"UID:{escape_text(uid)}"]
    if kind == "touch":
        contacts = values.get("contacts") or []
        shown = ", ".join(n for n in (names.get(u, "") for u in contacts) if n) or "someone"
        stamp = _stamp(values["at"])
        minutes = values.get("minutes")
        # Lines of netmaint's own short values need no folding: 300,000 touches are written at once.
        fixed = [f"DTSTAMP:{stamp}", f"DTSTART:{stamp}"]
        lines += [f"SUMMARY:{escape_text(values['channel'] + ' with ' + shown)}"]
        if values.get("note"):
            lines.append(f"DESCRIPTION:{escape_text(values['note'])}")
        fixed += ["CATEGORIES:netmaint", "X-NETMAINT-TYPE:touch", f"X-NETMAINT-CHANNEL:{values['channel']}",
                  f"X-NETMAINT-KIND:{values['kind']}", f"X-NETMAINT-MINUTES:{'' if minutes is None else minutes}"]
        for contact_uid in contacts:
            name = names.get(contact_uid)
            params = f";CN={param_value(name)}" if name else ""
            lines.append(f"X-NETMAINT-CONTACT{params}:{escape_text(contact_uid)}")
        lines += [f"X-NETMAINT-SOURCE:{escape_text(values.get('source') or '')}",
                  f"X-NETMAINT-SOURCE-ID:{escape_text(values.get('source_id') or '')}"]
        text = _HEAD + fold(lines[0]) + CRLF.join(fixed) + CRLF + "".join(map(fold, lines[1:]))
        if original:
            text += "".join(_kept_lines(original))
        return (text + _TAIL).encode("utf-8")
    elif kind == "goal":
        goal = [f"{values[k]} {k}" for k in ("touches", "minutes") if values.get(k) is not None]
        lines += [f"DTSTAMP:{_day(values['from_date'])}T000000Z", f"DTSTART;VALUE=DATE:{_day(values['from_date'])}",
                  f"SUMMARY:{escape_text('weekly goal: ' + ' and '.join(goal) + ' a week')}",
                  "CATEGORIES:netmaint", "X-NETMAINT-TYPE:goal",
                  f"X-NETMAINT-GOAL-TOUCHES:{'' if values.get('touches') is None else values['touches']}",
                  f"X-NETMAINT-GOAL-MINUTES:{'' if values.get('minutes') is None else values['minutes']}"]
    else:
        reason = values.get("reason") or ""
        lines += [f"DTSTAMP:{_day(values['start'])}T000000Z", f"DTSTART;VALUE=DATE:{_day(values['start'])}",
                  f"SUMMARY:{escape_text('habit paused to ' + values['end'] + (': ' + reason if reason else ''))}",
                  "CATEGORIES:netmaint", "X-NETMAINT-TYPE:pause", f"X-NETMAINT-PAUSE-END;VALUE=DATE:{_day(values['end'])}",
                  f"X-NETMAINT-REASON:{escape_text(reason)}"]
    text = _HEAD + "".join(map(fold, lines))
    if original:
        text += "".join(_kept_lines(original))
    return (text + _TAIL).encode("utf-8")


def _kept_lines(original: bytes) -> list[str]:
    """The original entry's lines that netmaint does not write, with their folds."""
    text = original.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    kept: list[str] = []
    inside, keeping = False, False
    for line in text.split("\n"):
        if line[:1] in (" ", "\t"):
            if keeping:
                kept[-1] += CRLF + line
            continue
        upper = line.strip().upper()
        if upper == "BEGIN:VJOURNAL":
            inside = True
            continue
        if upper == "END:VJOURNAL":
            break
        parsed = split_line(line) if inside and line.strip() else None
        keeping = bool(parsed) and parsed[0] not in _OWNED and not parsed[0].startswith("X-NETMAINT-")
        if keeping:
            kept.append(line)
    return [line + CRLF for line in kept]


# --- reading ------------------------------------------------------------------------------------


def _time(value: str, params: dict[str, str], tz) -> str:
    """A DTSTART as stored ('YYYY-MM-DD HH:MM:SS', UTC): in UTC, in a named zone, or floating."""
    value = value.strip()
    if params.get("VALUE", "").upper() == "DATE" or len(value) == 8:
        moment = dt.datetime.strptime(value[:8], "%Y%m%d").replace(hour=12)
        zone = tz
    else:
        moment = dt.datetime.strptime(value.rstrip("Zz")[:15], "%Y%m%dT%H%M%S")
        zone = dt.timezone.utc if value.upper().endswith("Z") else tz
        if "TZID" in params and not value.upper().endswith("Z"):
            try:
                zone = ZoneInfo(params["TZID"].strip().lstrip("/"))
            except (ZoneInfoNotFoundError, ValueError):
                zone = tz
    return moment.replace(tzinfo=zone).astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _date(value: str) -> str:
    return dt.datetime.strptime(value.strip()[:8], "%Y%m%d").date().isoformat()


def _number(value: str) -> int | None:
    value = value.strip()
    return int(value) if value else None


def read_entry(data: bytes, tz) -> Entry:
    """The touch, goal or pause one file holds; UnreadableEntry when it holds none."""
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    props: list[tuple[str, dict[str, str], str]] = []
    depth, journals = 0, 0
    for line in text.replace("\n ", "").replace("\n\t", "").split("\n"):
        if not line.strip():
            continue
        upper = line.strip().upper()
        if upper == "BEGIN:VJOURNAL":
            journals += 1
            depth += 1
            continue
        if upper == "END:VJOURNAL":
            depth -= 1
            continue
        if depth == 1 and journals == 1:
            parsed = split_line(line)
            if parsed:
                props.append(parsed)
    if journals != 1:
        raise UnreadableEntry("no journal entry in it" if not journals else f"it holds {journals} journal entries")
    first = {}
    contacts = []
    for name, params, value in props:
        first.setdefault(name, (params, value))
        if name == "X-NETMAINT-CONTACT" and value.strip():
            contacts.append(unescape_text(value.strip()))
    kind = unescape_text(first.get("X-NETMAINT-TYPE", ({}, ""))[1]).strip().lower()
    if kind not in TYPES:
        raise UnreadableEntry("not one of netmaint's journal entries", quiet=True)
    uid = unescape_text(first.get("UID", ({}, ""))[1]).strip()
    if not uid:
        raise UnreadableEntry("the entry has no UID")

    def text_of(name: str) -> str:
        return unescape_text(first.get(name, ({}, ""))[1])

    try:
        if kind == "touch":
            params, start = first["DTSTART"]
            values = {"at": _time(start, params, tz), "channel": text_of("X-NETMAINT-CHANNEL").strip(),
                      "kind": text_of("X-NETMAINT-KIND").strip(), "minutes": _number(text_of("X-NETMAINT-MINUTES")),
                      "note": text_of("DESCRIPTION"), "contacts": sorted(set(contacts)),
                      "source": text_of("X-NETMAINT-SOURCE").strip() or None,
                      "source_id": text_of("X-NETMAINT-SOURCE-ID").strip() or None}
        elif kind == "goal":
            values = {"from_date": _date(first["DTSTART"][1]), "touches": _number(text_of("X-NETMAINT-GOAL-TOUCHES")),
                      "minutes": _number(text_of("X-NETMAINT-GOAL-MINUTES"))}
        else:
            values = {"start": _date(first["DTSTART"][1]), "end": _date(first["X-NETMAINT-PAUSE-END"][1]),
                      "reason": text_of("X-NETMAINT-REASON").strip()}
    except KeyError as exc:
        raise UnreadableEntry(f"the {kind} has no {exc.args[0]}") from None
    except ValueError as exc:
        raise UnreadableEntry(f"the {kind} holds a value that cannot be read ({exc})") from None
    return Entry(uid, kind, values)
