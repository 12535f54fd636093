"""A follow-up as one task (VTODO, RFC 5545) of a synced task list: the format todoman and the task
apps on phones (Tasks.org, jtx Board, Apple Reminders through CalDAV) read and write.

Through the icalendar library: tasks are few, and phones write them in every way the standard
allows (a due day without a time, a time in a named zone with its VTIMEZONE, no due at all). A
task another app wrote keeps everything netmaint does not set, its description and alarms included.

The values are plain: times as stored ('YYYY-MM-DD HH:MM:SS', UTC), people and the touch by UID.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import icalendar

from netmaint_tui.rules.dates import MAX_YEAR, MIN_YEAR

PRODID = "-//netmaint//netmaint//EN"
STATUSES = {"open": "NEEDS-ACTION", "done": "COMPLETED", "dropped": "CANCELLED"}
_FROM_STATUS = {"NEEDS-ACTION": "open", "IN-PROCESS": "open", "COMPLETED": "done", "CANCELLED": "dropped"}
_REFERENCES = {"suggested_by": "X-NETMAINT-SUGGESTED-BY", "about": "X-NETMAINT-ABOUT", "touch": "X-NETMAINT-TOUCH"}
# When a follow-up was dropped: COMPLETED is only for a task done (RFC 5545), so a cancelled one
# carries its time here, for a second netmaint to hold the same.
_CLOSED = "X-NETMAINT-CLOSED"
_OWNED = ("SUMMARY", "DUE", "STATUS", "COMPLETED", "PERCENT-COMPLETE", "X-NETMAINT-ABOUT-TEXT", _CLOSED,
          *_REFERENCES.values())
TASK_FIELDS = ("what", "due", "status", "closed_at", "suggested_by", "about", "about_text", "touch")
DUE_HOUR = 9  # a task due on a day, with no time: 9:00 that day, as a follow-up typed with a day only


class UnreadableTask(ValueError):
    pass


@dataclass
class Task:
    uid: str
    values: dict[str, Any] = field(default_factory=dict)  # fields the task carries (see module doc)


def _stored(moment: dt.datetime) -> str:
    utc = moment.astimezone(dt.timezone.utc)
    return utc.strftime("%Y-%m-%d %H:%M:%S")


def _moment(value: Any, tz) -> str | None:
    """A DUE or COMPLETED value as stored: a day alone is DUE_HOUR there, a floating time local."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=tz)
        return _stored(value)
    if isinstance(value, dt.date):
        return _stored(dt.datetime(value.year, value.month, value.day, DUE_HOUR, tzinfo=tz))
    return None


def _the_task(data: bytes):
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as exc:  # the library raises ValueError and others on broken input
        raise UnreadableTask(f"not iCalendar ({str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__})") from None
    todos = calendar.walk("VTODO")
    if len(todos) != 1:
        raise UnreadableTask("no task in it" if not todos else f"it holds {len(todos)} tasks; a synced folder has one per file")
    return calendar, todos[0]


def read_task(data: bytes, tz) -> Task:
    _, todo = _the_task(data)
    uid = str(todo.get("UID") or "").strip()
    if not uid:
        raise UnreadableTask("the task has no UID")
    task = Task(uid)
    task.values["what"] = " ".join(str(todo.get("SUMMARY") or "").split())
    try:
        if todo.get("DUE") is not None:
            due = todo.decoded("DUE")
            if isinstance(due, dt.date) and not MIN_YEAR <= due.year <= MAX_YEAR:
                raise UnreadableTask(f"it is due on {due.isoformat()[:10]}, out of range; give a date from "
                                     f"{MIN_YEAR} to {MAX_YEAR}")
            task.values["due"] = _moment(due, tz)
        status = str(todo.get("STATUS") or "NEEDS-ACTION").upper()
        task.values["status"] = _FROM_STATUS.get(status, "open")
        if task.values["status"] == "open" and todo.get("COMPLETED") is not None:
            task.values["status"] = "done"  # some apps set only the time it was done
        completed = todo.decoded("COMPLETED") if todo.get("COMPLETED") is not None else None
        if completed is None and todo.get(_CLOSED) is not None:
            completed = dt.datetime.strptime(str(todo.get(_CLOSED)), "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.timezone.utc)
        task.values["closed_at"] = _moment(completed, tz) if task.values["status"] != "open" else None
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise UnreadableTask(f"a date in it cannot be read ({exc})") from None
    for key, name in _REFERENCES.items():
        if name in todo:
            task.values[key] = str(todo.get(name)).strip() or None
    if "X-NETMAINT-ABOUT-TEXT" in todo:
        task.values["about_text"] = str(todo.get("X-NETMAINT-ABOUT-TEXT")).strip()
    return task


def write_task(values: dict[str, Any], uid: str, names: dict[str, str], original: bytes | None = None,
               tz=None) -> bytes:
    """The task of a follow-up; `names` gives the people's names by UID (shown by apps that show
    parameters); around `original`, the task the folder holds now, when there is one. A task due
    on a day (no time) that is still due then stays due on that day (`tz`: the user's zone, in
    which such a day was read as DUE_HOUR)."""
    calendar = todo = None
    due_day = None
    if original:
        try:
            calendar, todo = _the_task(original)
            due_day = _day_only(todo)
        except UnreadableTask:
            calendar = None
    if calendar is None:
        calendar = icalendar.Calendar()
        calendar.add("PRODID", PRODID)
        calendar.add("VERSION", "2.0")
        todo = icalendar.Todo()
        todo.add("UID", uid)
        calendar.add_component(todo)
    # What the task app said of its state, kept while it says what netmaint holds: IN-PROCESS with
    # its PERCENT-COMPLETE is open, and DTSTAMP is the app's to set.
    status = str(todo.get("STATUS") or "").upper() if original else ""
    same_state = bool(status) and _FROM_STATUS.get(status) == (values.get("status") or "open")
    kept = {name: todo[name] for name in ("STATUS", "PERCENT-COMPLETE") if same_state and name in todo}
    if "DTSTAMP" in todo:
        kept["DTSTAMP"] = todo["DTSTAMP"]
    for name in _OWNED + ("UID", "DTSTAMP"):
        if name in todo:
            del todo[name]
    todo.add("UID", uid)
    if "DTSTAMP" in kept:
        todo["DTSTAMP"] = kept.pop("DTSTAMP")
    else:
        todo.add("DTSTAMP", _utc(values.get("closed_at") or values.get("due")) or dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
    todo.add("SUMMARY", values.get("what") or "")
    if values.get("due"):
        if due_day is not None and tz is not None and _moment(due_day, tz) == values["due"]:
            todo.add("DUE", due_day)
        else:
            todo.add("DUE", _utc(values["due"]))
    if kept:
        for name, value in kept.items():
            todo[name] = value
    else:
        todo.add("STATUS", STATUSES.get(values.get("status") or "open", "NEEDS-ACTION"))
    if values.get("status") == "done" and "PERCENT-COMPLETE" not in kept:
        todo.add("PERCENT-COMPLETE", 100)
        if values.get("closed_at"):
            todo.add("COMPLETED", _utc(values["closed_at"]))
    if values.get("status") == "dropped" and values.get("closed_at"):
        todo.add(_CLOSED, _utc(values["closed_at"]).strftime("%Y%m%dT%H%M%SZ"))
    for key, name in _REFERENCES.items():
        ref = values.get(key)
        params = {"CN": names[ref]} if ref and names.get(ref) else {}
        todo.add(name, ref or "", parameters=params)
    todo.add("X-NETMAINT-ABOUT-TEXT", values.get("about_text") or "")
    return calendar.to_ical()


def _day_only(todo) -> dt.date | None:
    """The task's DUE when it is a day without a time."""
    if todo.get("DUE") is None:
        return None
    try:
        due = todo.decoded("DUE")
    except (ValueError, TypeError, KeyError):
        return None
    return due if isinstance(due, dt.date) and not isinstance(due, dt.datetime) else None


def _utc(stored: str | None) -> dt.datetime | None:
    if not stored:
        return None
    return dt.datetime.fromisoformat(stored).replace(tzinfo=dt.timezone.utc)
