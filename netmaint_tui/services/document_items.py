"""Reading a netmaint export's items: each value with the type the export writes it in (a value of
another type is refused by its path in the file, never turned into a default), an item's problem
said with its place (`touches[3].at: ...; skipped`), and each row written with the id it had
when the database it goes into is empty (an exact restore).

services.import_document and services.import_captured read their sections with these.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from netmaint_tui.rules import schema
from netmaint_tui.rules.dates import day_problem
from netmaint_tui.services.common import InputError
from netmaint_tui.services.import_common import ImportReport, stored_time
from netmaint_tui.services.importing import Writer
from netmaint_tui.store.models import database


def table_empty(table: str) -> bool:
    return database.execute_sql(f"SELECT NOT EXISTS (SELECT 1 FROM {table})").fetchone()[0] == 1


def section_issue(report: ImportReport, section: str, position: int, message: str, key: str | None = None) -> None:
    report.others[section].skipped += 1
    where = f"{section}[{position}]" + (f".{key}" if key else "")
    report.issue(0, f"{where}: {message}; skipped")


def insert_row(writer: Writer, table: str, values: dict, wanted_id: Any, keep_ids: bool) -> int:
    if writer.dry_run:
        return writer.next_fake_id()
    cols = list(values)
    params = [values[c] for c in cols]
    if keep_ids and isinstance(wanted_id, int) and not isinstance(wanted_id, bool) and wanted_id > 0:
        cols, params = ["id"] + cols, [wanted_id] + params
    quoted = ", ".join(f'"{c}"' for c in cols)  # pause has a column called "end"
    writer.cursor.execute(f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(cols))})", params)
    return writer.cursor.lastrowid


class Uids:
    """The sync identity (`uid`) each new row of `table` brings from the file: kept when no row of
    the table has it already, so a restored database is the same items in a synced folder; else
    (or for an older export without uids) None, and the table's trigger gives the row a new one.

    Held lean for 300,000 touches: a bit per uid's hash says which uids this import may have
    taken (most are known new without a look in the table); those taken and not yet written are
    held until `written` says the rows are in the table, where they are looked for from then on."""

    LONGEST = 1000
    _BITS = 1 << 23  # 1 MB

    def __init__(self, report: ImportReport, section: str, table: str):
        self.report, self.section, self.table = report, section, table
        self.stored = not table_empty(table)  # rows from before the import: every uid is looked for
        self.maybe = bytearray(self._BITS // 8)
        self.unwritten: set[str] = set()

    def take(self, raw: Any, position: int) -> str | None:
        value = raw.get("uid") if isinstance(raw, dict) else None
        if value is None:
            return None
        if (not isinstance(value, str) or not value or value != value.strip() or len(value) > self.LONGEST
                or schema.text_problem(value) or any(ord(c) < 32 or ord(c) == 127 for c in value)):
            self.report.issue(0, f"{self.section}[{position}].uid: expected the item's UID (one line of text); "
                                 "imported with a new one")
            return None
        bit = hash(value) % self._BITS
        byte, mask = bit >> 3, 1 << (bit & 7)
        if (self.stored or self.maybe[byte] & mask) and (value in self.unwritten or database.execute_sql(
                f'SELECT 1 FROM "{self.table}" WHERE uid = ?', (value,)).fetchone()):
            return None
        self.maybe[byte] |= mask
        self.unwritten.add(value)
        return value

    def written(self) -> None:
        """The rows given the uids taken so far are in the table now."""
        self.unwritten.clear()


def missing_refs(report: ImportReport, where: str, ids: list[int], what: str = "a contact") -> None:
    """Ids an item names that the file does not hold (or that were left out): said, not dropped silently."""
    if ids:
        shown = ", ".join(str(i) for i in ids[:5]) + (" …" if len(ids) > 5 else "")
        report.issue(0, f"{where}: {shown} is not {what} in the file (or it was left out); imported without it")


class Bad(Exception):
    """One value of an item that cannot be used: `key` is its name in the document."""

    def __init__(self, key: str | None, message: str):
        super().__init__(message)
        self.key, self.message = key, message


class Item:
    """An item of a netmaint export, read value by value with the types the export writes: a
    value of another type is refused by name rather than turned into a default."""

    def __init__(self, raw: Any):
        if not isinstance(raw, dict):
            raise Bad(None, "not an object")
        self.raw = raw

    def text(self, key: str, default: str = "") -> str:
        value = self.raw.get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise Bad(key, "expected text")
        if problem := schema.text_problem(value):
            raise Bad(key, problem)
        return value

    def whole(self, key: str) -> int | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise Bad(key, "expected a whole number")
        return value

    def moment(self, key: str, required: bool = False) -> str | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                raise Bad(key, "missing; expected an ISO 8601 date-time")
            return None
        try:
            if not isinstance(value, str):
                raise ValueError("expected an ISO 8601 date-time")
            return stored_time(value)
        except ValueError as exc:
            raise Bad(key, str(exc)) from None

    def day(self, key: str) -> str:
        value = self.raw.get(key)
        if value is None:
            raise Bad(key, "missing; expected a date (YYYY-MM-DD)")
        try:
            if not isinstance(value, str):
                raise ValueError
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise Bad(key, "expected a date (YYYY-MM-DD)") from None
        problem = day_problem(day)
        if problem:
            raise Bad(key, problem)
        return day.isoformat()

    def choice(self, key: str, allowed: tuple[str, ...], required: bool = False) -> str | None:
        value = self.raw.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or value not in allowed:
            raise Bad(key, f"expected {', '.join(allowed[:-1])} or {allowed[-1]}" + ("" if required else " (or null)"))
        return value

    def refs(self, key: str) -> list[int]:
        value = self.raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
            raise Bad(key, "expected a list of contact ids")
        return value


def checked(check: Callable[[], Any]) -> Any:
    """A rules.schema check as an item's problem."""
    try:
        return check()
    except schema.FieldError as exc:
        raise Bad(exc.key, exc.message) from None
    except InputError as exc:
        raise Bad(None, str(exc)) from None


def claim(candidates: list[tuple], same: Callable[[tuple], bool]) -> tuple | None:
    """Take one stored row for an item of the file: an identical one first. Each stored row
    answers for one item only, so two alike in the file are two, and importing the file
    again finds each of them once."""
    for position, row in enumerate(candidates):
        if same(row):
            return candidates.pop(position)
    return candidates.pop(0) if candidates else None
