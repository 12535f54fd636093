"""What every import shares: its report, its progress, the one transaction it runs in, and
times in their stored form."""

from __future__ import annotations

import datetime as dt
import gc
import re
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from netmaint_tui.io.records import ImportIssue
from netmaint_tui.rules.dates import instant_problem, moment_problem
from netmaint_tui.services.common import Context, to_db
from netmaint_tui.store.files import translate_error
from netmaint_tui.store.models import database

Progress = Callable[[int, int], None]


@dataclass
class Change:
    """One record's fate, for a dry run's listing and the app's import screen."""

    action: str  # 'add' | 'update' | 'same' (matched, nothing to change) | 'skip'
    line: int
    name: str  # as the record has it
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # update: field -> (old, new)
    message: str = ""
    # update and same: the contact it matched, by its stored name, and how ("email", "LinkedIn URL"…).
    matched: str = ""
    how: str = ""
    other_name: bool = False  # matched a contact whose name is not the record's in any spelling

    def match_words(self) -> str:
        """`matched by email`, or with another name: `Only FN matched Test X-Mobil by email, a
        contact with another name`."""
        if self.other_name:
            return f"{self.name} matched {self.matched} by {self.how}, a contact with another name"
        return f"matched by {self.how}"


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


@dataclass
class ImportReport(Counts):
    """The contacts' counts, and what else the import did and found."""

    issues: list[ImportIssue] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    dry_run: bool = False
    # A netmaint export also brings touches, follow-ups, goals and pauses.
    others: dict[str, Counts] = field(default_factory=dict)
    # Rows the file itself marks as not people (LinkedIn's removed members): not errors.
    left_out: dict[str, int] = field(default_factory=dict)
    backup: Any = None  # the automatic copy made before writing (a Path), if any
    # Given, each record's Change goes to it as it is found instead of into `changes`: a large
    # file's dry run prints its lines as it goes and holds none of them.
    on_change: Callable[[Change], None] | None = field(default=None, repr=False)

    def change(self, change: Change) -> None:
        if self.on_change is not None:
            self.on_change(change)
        else:
            self.changes.append(change)

    def issue(self, line: int, message: str) -> None:
        self.issues.append(ImportIssue(line, message))

    def skip(self, line: int, name: str, message: str) -> None:
        self.skipped += 1
        self.issue(line, message)
        self.change(Change("skip", line, name, message=message))


class Ticker:
    """Reports progress about a hundred times, whatever the number of records."""

    def __init__(self, progress: Progress | None, total: int):
        self.progress, self.total = progress, total
        self.step = max(1, total // 100)
        self.next = self.step

    def __call__(self, done: int) -> None:
        if self.progress is not None and (done >= self.next or done == self.total):
            self.progress(done, self.total)
            self.next = done + self.step


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value is False or value == []


# UTC with a Z, and microseconds unless there are none: read back into its stored form as text.
_EXPORTED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.(?!000000)[0-9]{6})?Z")


def stored_time(value: Any) -> str | None:
    """An ISO 8601 moment as stored: naive UTC, 'YYYY-MM-DD HH:MM:SS[.ffffff]'. ValueError (the
    message says why) when it is not one, or lies outside the years netmaint keeps."""
    if value in (None, ""):
        return None
    if type(value) is str and _EXPORTED.fullmatch(value):  # as an export writes it (nearly every value)
        try:
            moment = dt.datetime.fromisoformat(value[:-1])
        except ValueError:
            raise ValueError(f"{value[:30]!r} is not an ISO 8601 date-time") from None
        problem = instant_problem(moment)
        if problem:
            raise ValueError(problem)
        return f"{value[:10]} {value[11:-1]}"
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{str(value)[:30]!r} is not an ISO 8601 date-time") from None
    problem = None
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
        except OverflowError:  # off the calendar in UTC: say it by the date as written
            problem = moment_problem(moment) or f"{str(value)[:30]!r} is out of range"
    problem = problem or instant_problem(moment)
    if problem:
        raise ValueError(problem)
    return moment.isoformat(sep=" ")


def as_stored(value: Any) -> str | None:
    """A time read back from the database in the one text form the file's times are compared in
    (sqlite hands back text or datetimes): never refused, whatever an older version stored."""
    if value in (None, ""):
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=None).isoformat(sep=" ")


def now_stored(ctx: Context) -> str:
    return to_db(ctx.now()).isoformat(sep=" ")


# SQLite's page cache while an import writes: its inserts land all over the indexes of the tables
# they fill (a touch's random UID, a link's contact), and with the default 2 MB the pages written
# are spilled and read back again and again. Measured on a 30,000-contact restore, 64 MB took no
# less processor time than 32 MB and 30 MB more memory.
IMPORT_CACHE_KB = 32 * 1024


@contextmanager
def _page_cache(kilobytes: int) -> Iterator[None]:
    before = database.execute_sql("PRAGMA cache_size").fetchone()[0]
    database.execute_sql(f"PRAGMA cache_size = {-kilobytes}")
    try:
        yield
    finally:
        database.execute_sql(f"PRAGMA cache_size = {int(before)}")


def run_import(work: Callable[[], None], dry_run: bool) -> None:
    """`work` in one transaction (none for a dry run), its SQLite errors said as the store says them."""
    # Tens of thousands of small dicts and no reference cycles: the cyclic garbage collector
    # would only rescan them over and over (a third of the time on a 30,000-row file).
    collecting = gc.isenabled()
    gc.disable()
    try:
        if dry_run:
            work()
            return
        with database.atomic("IMMEDIATE"), _page_cache(IMPORT_CACHE_KB):
            work()
    except sqlite3.Error as exc:
        raise translate_error(exc, getattr(database.obj, "path", "the database")) from exc
    finally:
        if collecting:
            gc.enable()
