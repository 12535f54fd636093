"""Follow-ups (a folder of tasks) and touches, goals and pauses (a folder of journal entries) for
services.sync; contacts are in services.sync_kinds. The folders a run may sync are declared here.

A task or a journal entry names its people and its touch by UID: a run syncs contacts first, then
the journal, then the tasks, so that what an item names is there when it comes in. A journal entry
naming no contact this netmaint has is left for a later run, and said.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from netmaint_tui.io.journal_sync import UnreadableEntry, read_entry, write_entry
from netmaint_tui.io.task_sync import TASK_FIELDS, UnreadableTask, read_task, write_task
from netmaint_tui.rules import schema
from netmaint_tui.rules import sync as rules
from netmaint_tui.rules.dates import day_problem
from netmaint_tui.rules.vocabulary import CHANNELS, KINDS
from netmaint_tui.services.sync_scan import Parsed, Unreadable, chunks, marks
from netmaint_tui.services.common import local_time
from netmaint_tui.services.history import add_notes
from netmaint_tui.services.sync_kinds import ContactKind, ids_by_uid, parse_card
from netmaint_tui.services.touches import DEFAULT_FOLLOW_UP_DELAY, delete_touch
from netmaint_tui.store.models import database


def _names(uids) -> dict[str, str]:
    wanted = [u for u in dict.fromkeys(uids) if u]
    out: dict[str, str] = {}
    for chunk in chunks(wanted):
        out.update(database.execute_sql(
            f"SELECT uid, name FROM contact WHERE uid IN ({marks(len(chunk))})", chunk).fetchall())
    return out


def _stored_time(value) -> str | None:
    return None if value in (None, "") else str(value)[:19]


_TIMES = ("due", "closed_at", "at")
_PEOPLE = ("suggested_by", "about", "contacts")


def _shower(run):
    """How a value of a task or a touch is said in a conflict's line: times in the user's zone,
    people by name, not as stored."""

    def shown(key: str, value) -> str:
        if key in _TIMES and value:
            return local_time(value, run.ctx.clock.tz).strftime("%Y-%m-%d %H:%M")
        if key in _PEOPLE and value:
            uids = value if isinstance(value, list) else [value]
            names = _names(uids)
            return ", ".join(names.get(u, "someone") for u in uids)
        return rules.shown_value(value)

    return shown


def _note_kept(run, report: Callable[[str], None], lines: list[str], notes: list[tuple]) -> None:
    if not run.dry_run:
        add_notes(run.now, notes)
    for line in lines:
        report(line)


class _Kind:
    """What the kinds here share: rows found by id and by UID, and no notes to keep a conflict in."""

    name = table = ""
    columns: tuple[str, ...] = ()

    def all_ids(self) -> list[int]:
        return [i for (i,) in database.execute_sql(f'SELECT id FROM "{self.table}" ORDER BY id').fetchall()]

    def ids_by_uid(self, uids: list[str]) -> dict[str, int]:
        return ids_by_uid(self.table, uids)

    def as_file(self, uid: str, values: dict[str, Any]) -> dict[str, Any]:
        return values  # what these files carry reads back exactly

    def gone(self, run, local_id: int) -> bool:
        """A goal or a pause removed from the folder (taken back on another computer) is taken
        back here: both netmaints then judge the same weeks."""
        return database.execute_sql(f'DELETE FROM "{self.table}" WHERE id = ?', [local_id]).rowcount > 0

    def conflict(self, run, local_id: int, values: dict, conflicts: dict, report) -> dict:
        """netmaint's values are kept; a goal or a pause concerns nobody's history: the report
        says what the folder held."""
        for line in rules.conflict_lines(conflicts, "the folder", _shower(run)):
            report(f"the {self.name} {self.label(values)}: {line}")
        return values

    def label(self, values: dict) -> str:
        return ""

    def complete(self, values: dict[str, Any], run) -> dict[str, Any]:
        return values

    def first_meeting(self, ours: dict[str, Any], theirs: dict[str, Any]) -> rules.Settled:
        return rules.settle({}, ours, theirs)  # both hold it, with no sync between

    def match(self, items: dict, synced) -> tuple[dict[str, int], int]:
        return {}, 0  # an item netmaint wrote carries its UID; nothing else is the same item

    def hidden(self, run, values: dict[str, Any]) -> bool:
        return False  # every follow-up, touch, goal and pause is in its folder

    def revisit(self) -> list[int]:
        return []

    def shape(self, row: dict[str, Any]) -> dict[str, Any]:
        return row

    def load(self, ids: list[int]) -> dict[int, tuple[str, dict[str, Any]]]:
        if not ids:
            return {}
        columns = ", ".join(f'"{c}"' for c in self.columns)
        rows = database.execute_sql(f'SELECT id, uid, {columns} FROM "{self.table}" WHERE id IN ({marks(len(ids))})',
                                    ids).fetchall()
        return {row[0]: (row[1], self.shape(dict(zip(self.columns, row[2:])))) for row in rows}

    def render(self, uid: str, values: dict[str, Any], original: bytes | None, tz=None) -> bytes:
        return write_entry(self.name, values, uid, {}, original)

    def create(self, run, uid: str, values: dict[str, Any]) -> int | None:
        columns = ", ".join(f'"{c}"' for c in self.columns)
        cursor = database.execute_sql(
            f'INSERT INTO "{self.table}" (uid, {columns}, created_at) VALUES (?, {marks(len(self.columns))}, ?)',
            [uid, *(values.get(c) for c in self.columns), run.now])
        return cursor.lastrowid

    def update(self, run, local_id: int, before: dict[str, Any], after: dict[str, Any]) -> None:
        changed = [k for k in self.columns if after.get(k) != before.get(k)]
        if changed:
            sets = ", ".join(f'"{k}" = ?' for k in changed)
            database.execute_sql(f'UPDATE "{self.table}" SET {sets} WHERE id = ?',
                                 [*(after.get(k) for k in changed), local_id])


class FollowUpKind(_Kind):
    name, table = "follow_up", "follow_up"
    _refs = {"suggested_by": "contact", "about": "contact", "touch": "touch"}

    def load(self, ids: list[int]) -> dict[int, tuple[str, dict[str, Any]]]:
        if not ids:
            return {}
        rows = database.execute_sql(
            "SELECT f.id, f.uid, f.what, f.due, f.status, f.closed_at, s.uid, a.uid, f.about_text, t.uid "
            "FROM follow_up f LEFT JOIN contact s ON s.id = f.suggested_by_id LEFT JOIN contact a ON a.id = f.about_id "
            f"LEFT JOIN touch t ON t.id = f.touch_id WHERE f.id IN ({marks(len(ids))})", ids).fetchall()
        return {row[0]: (row[1], {"what": row[2], "due": _stored_time(row[3]), "status": row[4],
                                  "closed_at": _stored_time(row[5]), "suggested_by": row[6], "about": row[7],
                                  "about_text": row[8] or "", "touch": row[9]}) for row in rows}

    def label(self, values: dict) -> str:
        return repr(values.get("what") or "")

    def conflict(self, run, local_id: int, values: dict, conflicts: dict, report) -> dict:
        """netmaint's values are kept; what the task said instead is noted with the follow-up,
        and in the history of the contact it is about (else of who suggested it)."""
        lines = [f"follow-up {self.label(values)}: {line}"
                 for line in rules.conflict_lines(conflicts, "the task", _shower(run))]
        people = ids_by_uid("contact", [u for u in (values.get("about"), values.get("suggested_by")) if u])
        contact = people.get(values.get("about")) or people.get(values.get("suggested_by"))
        _note_kept(run, report, lines, [(contact, local_id, line) for line in lines])
        return values

    def render(self, uid: str, values: dict[str, Any], original: bytes | None, tz=None) -> bytes:
        return write_task(values, uid, _names([values.get("suggested_by"), values.get("about")]), original, tz)

    def complete(self, values: dict[str, Any], run) -> dict[str, Any]:
        full = {key: None for key in TASK_FIELDS}
        full.update(status="open", about_text="")
        full["due"] = _stored_time(run.now + DEFAULT_FOLLOW_UP_DELAY)
        full.update({k: v for k, v in values.items() if v is not None or k != "due"})
        return full

    def _columns(self, values: dict[str, Any]) -> dict[str, Any]:
        out = {"what": values["what"], "due": values["due"], "status": values["status"],
               "closed_at": values.get("closed_at"), "about_text": values.get("about_text") or ""}
        for key, table in self._refs.items():
            ref = values.get(key)
            out[f"{key}_id"] = ids_by_uid(table, [ref]).get(ref) if ref else None
        return out

    def create(self, run, uid: str, values: dict[str, Any]) -> int | None:
        if not values.get("what"):
            run.problem("follow_ups", uid, "a task without a title; left for a later sync")
            return None
        columns = self._columns(values)
        names = list(columns)
        cursor = database.execute_sql(
            f"INSERT INTO follow_up (uid, {', '.join(names)}, created_at) VALUES (?, {marks(len(names))}, ?)",
            [uid, *columns.values(), run.now])
        return cursor.lastrowid

    def update(self, run, local_id: int, before: dict[str, Any], after: dict[str, Any]) -> None:
        old, new = self._columns(before), self._columns(after)
        changed = [k for k in new if new[k] != old[k]]
        if changed:
            database.execute_sql(f"UPDATE follow_up SET {', '.join(f'{k} = ?' for k in changed)} WHERE id = ?",
                                 [*(new[k] for k in changed), local_id])

    def gone(self, run, local_id: int) -> bool:
        """A task removed from the folder drops its follow-up: dropped, never erased."""
        cursor = database.execute_sql("UPDATE follow_up SET status = 'dropped', closed_at = ? "
                                      "WHERE id = ? AND status = 'open'", [run.now, local_id])
        return cursor.rowcount > 0


class TouchKind(_Kind):
    name, table = "touch", "touch"
    columns = ("at", "channel", "kind", "minutes", "note", "source", "source_id")
    names: dict[str, str] = {}  # the names of the contacts of the touches loaded last, by UID

    def load(self, ids: list[int]) -> dict[int, tuple[str, dict[str, Any]]]:
        if not ids:
            return {}
        rows = database.execute_sql(
            f"SELECT id, uid, at, channel, kind, minutes, note, source, source_id FROM touch "
            f"WHERE id IN ({marks(len(ids))})", ids).fetchall()
        people: dict[int, list[str]] = {}
        self.names = {}
        for touch_id, uid, name in database.execute_sql(
                "SELECT tc.touch_id, c.uid, c.name FROM touch_contact tc JOIN contact c ON c.id = tc.contact_id "
                f"WHERE tc.touch_id IN ({marks(len(ids))})", ids).fetchall():
            people.setdefault(touch_id, []).append(uid)
            self.names[uid] = name
        return {row[0]: (row[1], {"at": _stored_time(row[2]), "channel": row[3], "kind": row[4], "minutes": row[5],
                                  "note": row[6] or "", "contacts": sorted(people.get(row[0], [])),
                                  "source": row[7], "source_id": row[8]}) for row in rows}

    def label(self, values: dict) -> str:
        return f"of {values.get('at', '')[:16]} UTC"

    def gone(self, run, local_id: int) -> bool:
        """A touch removed from the folder (deleted on another computer) is deleted here as a
        user's deletion is: kept whole for 30 days (netmaint touch list --deleted, touch restore)."""
        return delete_touch(run.ctx, local_id)

    def conflict(self, run, local_id: int, values: dict, conflicts: dict, report) -> dict:
        """netmaint's values are kept; what the journal said instead is noted in the history of
        each contact of the touch."""
        when = local_time(values["at"], run.ctx.clock.tz).strftime("%Y-%m-%d %H:%M")
        lines = [f"the {values['channel']} of {when}: {line}"
                 for line in rules.conflict_lines(conflicts, "the journal", _shower(run))]
        people = sorted(ids_by_uid("contact", values.get("contacts") or []).values())
        _note_kept(run, report, lines, [(cid, None, line) for cid in people for line in lines])
        return values

    def render(self, uid: str, values: dict[str, Any], original: bytes | None, tz=None) -> bytes:
        contacts = values.get("contacts") or []
        names = self.names if all(c in self.names for c in contacts) else _names(contacts)
        return write_entry("touch", values, uid, names, original)

    def _contact_ids(self, run, uid: str, values: dict[str, Any]) -> list[int] | None:
        found = ids_by_uid("contact", values.get("contacts") or [])
        if not found:
            run.problem("journal", uid, f"the touch of {values['at'][:16]} UTC names no contact this netmaint has "
                                        "(sync the contacts folder too); left for a later sync")
            return None
        return sorted(found.values())

    def create(self, run, uid: str, values: dict[str, Any]) -> int | None:
        contact_ids = self._contact_ids(run, uid, values)
        if contact_ids is None:
            return None
        touch_id = super().create(run, uid, values)
        database.connection().executemany("INSERT OR IGNORE INTO touch_contact (touch_id, contact_id) VALUES (?, ?)",
                                          [(touch_id, c) for c in contact_ids])
        return touch_id

    def update(self, run, local_id: int, before: dict[str, Any], after: dict[str, Any]) -> None:
        super().update(run, local_id, before, after)
        if after.get("contacts") != before.get("contacts"):
            contact_ids = self._contact_ids(run, "", after) or []
            database.execute_sql("DELETE FROM touch_contact WHERE touch_id = ?", [local_id])
            database.connection().executemany("INSERT OR IGNORE INTO touch_contact (touch_id, contact_id) "
                                              "VALUES (?, ?)", [(local_id, c) for c in contact_ids])


class GoalKind(_Kind):
    name, table, columns = "goal", "goal", ("from_date", "touches", "minutes")

    def shape(self, row: dict[str, Any]) -> dict[str, Any]:
        return dict(row, from_date=str(row["from_date"])[:10])

    def label(self, values: dict) -> str:
        return f"from {values.get('from_date')}"


class PauseKind(_Kind):
    name, table, columns = "pause", "pause", ("start", "end", "reason")

    def shape(self, row: dict[str, Any]) -> dict[str, Any]:
        return {"start": str(row["start"])[:10], "end": str(row["end"])[:10], "reason": row["reason"] or ""}

    def label(self, values: dict) -> str:
        return f"from {values.get('start')} to {values.get('end')}"


# --- reading a file -------------------------------------------------------------------------------


def parse_task(data: bytes, tz) -> Parsed:
    try:
        task = read_task(data, tz)
    except UnreadableTask as exc:
        raise Unreadable(f"not a task netmaint can read ({exc})") from None
    what = task.values.get("what")
    if what is not None:
        try:
            task.values["what"] = schema.clean_follow_up_text(what) if what else what
        except schema.FieldError as exc:
            raise Unreadable(str(exc)) from None
    return Parsed(task.uid, "follow_up", task.values)


def parse_journal(data: bytes, tz) -> Parsed:
    try:
        entry = read_entry(data, tz)
    except UnreadableEntry as exc:
        raise Unreadable(f"not a journal entry netmaint can read ({exc})", quiet=exc.quiet) from None
    values = entry.values
    problem = None
    if entry.type == "touch":
        if values["channel"] not in CHANNELS or values["kind"] not in KINDS:
            problem = f"the touch's channel or kind ({values['channel']!r}, {values['kind']!r}) is not netmaint's"
        else:
            try:
                values["minutes"] = schema.clean_minutes(values["minutes"], typed=True)
            except schema.FieldError as exc:
                problem = f"the touch's {exc}"
    elif entry.type == "goal":
        problem = schema.goal_problem(values["touches"], values["minutes"])
    else:
        start, end = dt.date.fromisoformat(values["start"]), dt.date.fromisoformat(values["end"])
        problem = day_problem(start) or day_problem(end) or (
            "the pause ends before it starts" if end < start else None)
    if problem:
        raise Unreadable(problem)
    return Parsed(entry.uid, entry.type, {k: values[k] for k in values}, [])


def _no_options(settings) -> dict:
    return {}


def _contact_options(settings) -> dict:
    # Only what differs from the defaults: a folder written before the setting existed kept its
    # archived contacts, as the default does.
    return {"archived": "remove"} if settings.sync_archived == "remove" else {}


@dataclass(frozen=True)
class Folder:
    name: str  # as the config and the command line name it
    extension: str
    kinds: dict[str, Any]
    parse: Callable[..., Parsed]
    options: Callable[[Any], dict] = _no_options  # the settings that shape what the folder holds


FOLDERS: dict[str, Folder] = {
    "contacts": Folder("contacts", ".vcf", {"contact": ContactKind()}, parse_card, _contact_options),
    "journal": Folder("journal", ".ics", {"touch": TouchKind(), "goal": GoalKind(), "pause": PauseKind()}, parse_journal),
    "follow_ups": Folder("follow_ups", ".ics", {"follow_up": FollowUpKind()}, parse_task),
}
