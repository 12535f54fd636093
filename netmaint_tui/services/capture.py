"""Capturing touches from the user's calendars and mail (rules.capture says what counts).

A run reads its files first, without the database's write lock (a 1 GB mailbox takes a while, and
the app must go on saving meanwhile); then, after an automatic copy of the database
(`before-capture`), it writes everything in one transaction: a run killed at any point leaves the
database as it was, or with the whole run in it.

Each occurrence (UID and RECURRENCE-ID, or start) and each sent message (Message-ID, else a hash of
its headers) is captured once: the captured_item table remembers it, and the touch it made, however
often the same file or an overlapping one is read; it remembers it after the user deletes that touch,
so a deleted touch does not come back. A touch the user logged by hand with the same contact
within two hours (rules.capture.LINK_WINDOW) of a meeting's start, or, for mail, an email touch
within two hours of sending, is that touch: the item is linked to it, not logged twice. An item in
which nobody is a contact yet is remembered as such: once the user adds one of its people, the next
run makes its touch.

Addresses are matched, case ignored, against every email of every contact, archived ones included.
The addresses met or written to that are no contact's are counted (one per meeting, one per
conversation a day) for `people_worth_adding`. A mail a contact sent makes no touch: it moves their
`last_heard_at` forward.
"""

from __future__ import annotations

import datetime as dt
import shlex
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from netmaint_tui.io.calendar import Problem, calendar_kind, read_calendars
from netmaint_tui.io.formats import file_format, locate_capture
from netmaint_tui.io.mail import mailbox_kind, maildirs, mbox_files, read_mailboxes
from netmaint_tui.rules import capture as rules
from netmaint_tui.rules.dates import moment_problem
from netmaint_tui.services.common import (
    Context,
    InputError,
    bulk_work,
    local_time,
    write_transaction,
)
from netmaint_tui.services.capture_writing import AddressBook, Item, Writer, hear, place
from netmaint_tui.store.backup import auto_backup
from netmaint_tui.store.models import database

CALENDAR, MAIL = rules.CALENDAR, rules.MAIL
# Events not over yet are skipped (a later run captures them); the summary counts those of the next 30 days.
FUTURE_WINDOW = dt.timedelta(days=30)
FUTURE_GRACE = dt.timedelta(minutes=1)  # a mail stamped by a clock a little ahead is not "in the future"
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.timezone.utc)

PhasedProgress = Callable[[str, int, int], None]


class NoAddresses(InputError):
    """The user's own addresses are not known: nothing can be told apart, nothing is read."""

    def __init__(self, config: str = "the config file", opener: str = "") -> None:
        opened = f" ({opener})" if opener else ""
        super().__init__(
            "netmaint does not know your own email addresses, so it cannot tell what you did from what "
            f"others did; add every address you use to {config}{opened} as me: {{emails: [you@example.com, "
            "you@work.example]} and run the capture again — nothing was read"
        )


@dataclass
class CapturedTouch:
    """A touch a capture made (or would make, in a dry run)."""

    at: dt.datetime  # aware, local
    channel: str
    kind: str
    minutes: int | None
    contact_ids: list[int]
    names: list[str]
    note: str
    source: str
    source_id: str
    touch_id: int | None = None  # None in a dry run

    def as_json(self) -> dict:
        return {
            "when": self.at.isoformat(), "channel": self.channel, "kind": self.kind, "minutes": self.minutes,
            "contacts": self.contact_ids, "names": self.names, "note": self.note, "source": self.source,
            "source_id": self.source_id, "touch_id": self.touch_id,
        }


@dataclass
class CaptureReport:
    source: str
    dry_run: bool = False
    read: int = 0  # occurrences or messages read
    touches: list[CapturedTouch] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # rules.SKIP_WORDS key -> how many
    joined: int = 0  # mails that joined the touch of their conversation that day (so every mail read is counted)
    added_to: int = 0  # items captured before whose touch took in people added as contacts since
    heard: int = 0  # contacts whose last heard moved forward
    problems: list[Problem] = field(default_factory=list)
    backup: Path | None = None

    @property
    def captured(self) -> int:
        return len(self.touches)

    @property
    def contacts(self) -> int:
        return len({cid for t in self.touches for cid in t.contact_ids})

    def skipped_words(self) -> list[str]:
        """What was left out and why, as a sentence lists it: `12 declined or cancelled`."""
        return [f"{self.skipped[key]:,} {words}" for key, words in rules.SKIP_WORDS.items() if self.skipped[key]]

    def as_json(self) -> dict:
        return {
            "source": self.source, "dry_run": self.dry_run, "read": self.read, "captured": self.captured,
            "contacts": self.contacts, "joined": self.joined, "added_to": self.added_to, "heard": self.heard,
            "skipped": dict(sorted(self.skipped.items())),
            "problems": [{"where": p.where, "message": p.message} for p in self.problems],
            "backup": str(self.backup) if self.backup else None,
            "touches": [t.as_json() for t in self.touches],
        }


@dataclass
class WorthAdding:
    name: str
    email: str
    count: int
    last: dt.datetime  # aware, local

    def as_json(self) -> dict:
        return {"name": self.name, "email": self.email, "count": self.count, "last": self.last.isoformat()}


# --- inputs -----------------------------------------------------------------------------------


def _me(me_emails: Iterable[str] | None) -> frozenset[str]:
    me = rules.folded_set(me_emails)
    if not me:
        raise NoAddresses()
    return me


# What a path must hold: (how to tell, what it is, the forms it may take).
_INPUTS = {
    CALENDAR: (calendar_kind, "a calendar", "an .ics file, a .zip of them (Google Calendar's export) or a folder of "
                                            ".ics files"),
    MAIL: (mailbox_kind, "a mailbox", "an mbox file (Google Takeout, Thunderbird), a folder of them, or a Maildir folder"),
}


def check_inputs(source: str, paths: Iterable[str | Path], me_emails: Iterable[str] | None) -> list[Path]:
    """The paths a capture from `source` (CALENDAR or MAIL) would read, checked before anything is
    opened: NoAddresses without the user's own addresses, InputError for a path that is missing or
    holds no calendar (no mailbox); a file of the other kind is named as such."""
    _me(me_emails)
    kind_of, what, forms = _INPUTS[source]
    checked = []
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise InputError(f"cannot read {path}: No such file or directory")
        if kind_of(path) is None:
            other = locate_capture(path)
            if other is not None and other != source:
                raise InputError(f"{path} looks like a {file_format(other).label}, not a {file_format(source).label}; "
                                 f"nothing was read. Use: netmaint capture {other} {shlex.quote(str(path))}")
            raise InputError(f"{path} is not {what}; give {forms}")
        checked.append(path)
    if not checked:
        raise InputError(f"give {what}: {forms}")
    return checked


def _since(ctx: Context, since: dt.date | dt.datetime | None) -> dt.datetime:
    if since is None:
        return EARLIEST
    if isinstance(since, dt.datetime):
        if since.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        start = since
    else:
        start = dt.datetime(since.year, since.month, since.day, tzinfo=ctx.clock.tz)
    if start.timestamp() > ctx.now().timestamp():
        raise InputError(f"--since {start:%Y-%m-%d} is in the future: only what has happened is captured; "
                         "give a day before today")
    return start


def _size(path: Path, calendar: bool) -> int:
    """The bytes a run will read at `path` (the progress' total)."""
    try:
        if not path.is_dir():
            if calendar and calendar_kind(path) == "zip":
                import zipfile

                with zipfile.ZipFile(path) as archive:
                    return sum(i.file_size for i in archive.infolist() if i.filename.lower().endswith(".ics"))
            return path.stat().st_size
        if calendar:
            return sum(p.stat().st_size for p in path.rglob("*.ics"))
        return (sum(f.stat().st_size for m in maildirs(path) for sub in ("cur", "new") for f in (m / sub).iterdir())
                + sum(f.stat().st_size for f in mbox_files(path)))
    except OSError:
        return 0



def _place(writer: Writer, item: Item, report: CaptureReport, book: AddressBook, link_channel: str | None) -> None:
    """Make, link or remember one item's touch, and say so in the report."""
    made = place(writer, item, report.skipped, link_channel)
    if made is None:
        return
    contact_ids, touch_id = made
    report.joined += len(item.keys) - 1  # the other mails of its conversation that day
    report.touches.append(CapturedTouch(
        at=item.at.replace(microsecond=0).astimezone(writer.ctx.clock.tz), channel=item.channel, kind=rules.KIND,
        minutes=item.minutes, contact_ids=contact_ids, names=[book.names.get(c, "") for c in contact_ids],
        note=item.note, source=writer.source, source_id=item.source_id, touch_id=touch_id,
    ))


def _backup(report: CaptureReport) -> None:
    if report.dry_run or getattr(database.obj, "readonly", False):
        return
    if not database.execute_sql("SELECT EXISTS (SELECT 1 FROM contact)").fetchone()[0]:
        return  # nothing to keep, and nothing to capture for

    report.backup = auto_backup(getattr(database.obj, "path"), reason="before-capture")


def _reading(progress: PhasedProgress | None, total: int) -> Callable[[int], None] | None:
    if progress is None:
        return None
    return lambda done: progress("reading", min(done, total), total)


def _saving(progress: PhasedProgress | None, items: list) -> Callable[[int], None]:
    step = max(1, len(items) // 100)

    def tick(done: int) -> None:
        if progress is not None and (done % step == 0 or done == len(items)):
            progress("saving", done, len(items))

    return tick


# --- calendars --------------------------------------------------------------------------------


def capture_calendar(
    ctx: Context,
    paths: Iterable[str | Path],
    me_emails: Iterable[str] | None,
    since: dt.date | dt.datetime | None = None,
    dry_run: bool = False,
    progress: PhasedProgress | None = None,
) -> CaptureReport:
    """Meetings from calendar files (.ics, a .zip of them, a folder of .ics) become touches.

    `progress(phase, done, total)`: "reading" in bytes, then "saving" in occurrences.
    Raises NoAddresses without `me_emails`, InputError for a path that is missing or no calendar.
    """
    paths = check_inputs(CALENDAR, paths, me_emails)
    me = _me(me_emails)
    report = CaptureReport(CALENDAR, dry_run=dry_run)
    now = ctx.now()
    book = AddressBook()
    items: list[Item] = []
    seen: set[str] = set()
    total = sum(_size(p, True) for p in paths)
    with bulk_work():
        for occ in read_calendars(paths, _since(ctx, since), now + FUTURE_WINDOW, ctx.clock.tz, report.problems.append,
                                  _reading(progress, total)):
            report.read += 1
            key = occ.key
            if key in seen:
                report.skipped[rules.ALREADY_CAPTURED] += 1
                continue
            seen.add(key)
            verdict = rules.meeting_verdict(occ, me, now)
            if verdict.skip:
                report.skipped[verdict.skip] += 1
                continue
            problem = moment_problem(occ.start)
            if problem:
                report.problems.append(Problem(occ.where, f"{problem}; skipped"))
                continue
            contacts, strangers = book.split(verdict.others)
            items.append(Item([key], occ.start, rules.meeting_channel(verdict.people), rules.meeting_minutes(occ),
                               rules.meeting_note(occ), contacts, strangers, key))
    items.sort(key=lambda i: (i.at.timestamp(), i.source_id))
    if items and not dry_run:
        _backup(report)

    def work() -> None:
        writer = Writer(ctx, CALENDAR, dry_run)
        before = writer.existing([i.source_id for i in items])
        joining = _newcomers(writer, before, {i.source_id: i.contact_ids for i in items})
        writer.hands_between([i.at for i in items], None)
        tick = _saving(progress, items)
        for done, item in enumerate(items, 1):
            outcome = before.get(item.source_id)
            if item.source_id in joining:
                writer.join_newcomers(item.source_id, outcome[1], joining[item.source_id])
                report.added_to += 1
            elif outcome is not None and (outcome[0] != "no-contact" or not item.contact_ids):
                # Still nobody who is a contact: said as the first run said it.
                report.skipped[rules.NO_CONTACT if outcome[0] == "no-contact" else rules.ALREADY_CAPTURED] += 1
            else:
                if outcome is not None:
                    item.reevaluated = frozenset(item.keys)
                _place(writer, item, report, book, link_channel=None)
            tick(done)
        writer.flush(final=True)

    write_transaction(work, dry_run)
    return report


# --- mail -------------------------------------------------------------------------------------


def capture_mail(
    ctx: Context,
    paths: Iterable[str | Path],
    me_emails: Iterable[str] | None,
    since: dt.date | dt.datetime | None = None,
    dry_run: bool = False,
    progress: PhasedProgress | None = None,
) -> CaptureReport:
    """Mail the user sent becomes touches (one per conversation per day); mail contacts sent moves
    their last heard. Mailboxes: mbox files and Maildir folders, read a message's headers at a time.

    `progress(phase, done, total)`: "reading" in bytes, then "saving" in conversations.
    Raises NoAddresses without `me_emails`, InputError for a path that is missing or no mailbox.
    """
    paths = check_inputs(MAIL, paths, me_emails)
    me = _me(me_emails)
    report = CaptureReport(MAIL, dry_run=dry_run)
    now = ctx.now()
    start = _since(ctx, since)
    book = AddressBook()
    sent: list[rules.SentMail] = []
    heard: dict[int, dt.datetime] = {}
    seen: set[str] = set()
    total = sum(_size(p, False) for p in paths)
    with bulk_work():
        for msg in read_mailboxes(paths, report.problems.append, _reading(progress, total)):
            report.read += 1
            if msg.key in seen:
                report.skipped[rules.ALREADY_CAPTURED] += 1
                continue
            seen.add(msg.key)
            problem = moment_problem(msg.date)
            if problem:
                report.problems.append(Problem(msg.where, f"{problem}; skipped"))
                continue
            if msg.date.timestamp() > (now + FUTURE_GRACE).timestamp():
                report.skipped[rules.FUTURE] += 1
                continue
            if msg.date.timestamp() < start.timestamp():
                report.skipped[rules.BEFORE_SINCE] += 1
                continue
            verdict = rules.mail_verdict(msg, me)
            if verdict.kind == rules.SENT:
                contacts, strangers = book.split(verdict.others)
                sent.append(rules.SentMail(msg.key, msg.date, msg.thread, msg.subject, contacts, strangers))
                continue
            report.skipped[verdict.kind] += 1
            if verdict.kind == rules.RECEIVED:
                cid = book.by_email.get(verdict.others[0].email)
                if cid is not None and (cid not in heard or msg.date.timestamp() > heard[cid].timestamp()):
                    heard[cid] = msg.date
    seen.clear()
    if (sent or heard) and not dry_run:
        _backup(report)

    def work() -> None:
        writer = Writer(ctx, MAIL, dry_run)
        before = writer.existing([m.key for m in sent])
        joining = _newcomers(writer, before, {m.key: tuple(m.contact_ids) for m in sent})
        fresh, again = [], set()
        for mail in sent:
            outcome = before.get(mail.key)
            if mail.key in joining:
                writer.join_newcomers(mail.key, outcome[1], joining[mail.key])
                report.added_to += 1
            elif outcome is None:
                fresh.append(mail)
            elif outcome[0] == "no-contact" and mail.contact_ids:
                again.add(mail.key)
                mail.strangers = ()  # counted when it was first read
                fresh.append(mail)
            else:
                report.skipped[rules.NO_CONTACT if outcome[0] == "no-contact" else rules.ALREADY_CAPTURED] += 1
        conversations = rules.conversations(fresh, ctx.clock.tz)
        writer.hands_between([c.at for c in conversations], rules.EMAIL)
        tick = _saving(progress, conversations)
        for done, conv in enumerate(conversations, 1):
            keys = [m.key for m in conv.mails]
            item = Item(keys, conv.at, rules.EMAIL, None, rules.mail_note(conv.subject), tuple(conv.contact_ids),
                         tuple(conv.strangers.values()), conv.source_id, group_key=conv.key,
                         reevaluated=frozenset(k for k in keys if k in again))
            captured_before, touch_id = writer.earlier_touch(conv.key) if conv.contact_ids else (False, None)
            if captured_before:
                # A later mail of a conversation captured that day: the same touch, whoever it adds.
                if touch_id is not None:
                    writer.join(touch_id, conv.contact_ids)
                    report.joined += len(keys)
                else:
                    report.skipped[rules.ALREADY_CAPTURED] += len(keys)  # its touch was deleted
                writer.met(item.strangers, item.at)
                for key in keys:
                    writer.remember(key, touch_id, "captured", item)
            else:
                _place(writer, item, report, book, link_channel=rules.EMAIL)
            tick(done)
        writer.flush(final=True)
        report.heard = hear(writer, heard)

    write_transaction(work, dry_run)
    return report



def _newcomers(writer, before: dict, contacts: dict[str, tuple[int, ...]]) -> dict[str, list[int]]:
    """The items captured before into a touch that people added as contacts since then join."""
    wanted = {key: (outcome[1], contacts[key]) for key, outcome in before.items()
              if outcome[0] == "captured" and outcome[1] is not None and contacts.get(key)}
    return writer.newcomers(wanted) if wanted else {}


def capture(ctx: Context, source: str, paths: Iterable[str | Path], me_emails: Iterable[str] | None,
            since: dt.date | dt.datetime | None = None, dry_run: bool = False,
            progress: PhasedProgress | None = None) -> CaptureReport:
    """capture_calendar or capture_mail, by `source` (CALENDAR or MAIL: an io.formats capture name)."""
    run = capture_calendar if source == CALENDAR else capture_mail
    return run(ctx, paths, me_emails, since=since, dry_run=dry_run, progress=progress)


# --- the people worth adding ------------------------------------------------------------------


def people_worth_adding(ctx: Context, min_count: int = 3) -> list[WorthAdding]:
    """Addresses the user met or wrote to at least `min_count` times that are no contact's, most
    often first: name, email, how many times, and when last."""
    book = AddressBook()
    rows = database.execute_sql(
        "SELECT email, name, times, last_at FROM correspondent WHERE times >= ? "
        "ORDER BY times DESC, last_at DESC, email",
        (int(min_count),),
    ).fetchall()
    return [
        WorthAdding(name, email, times, local_time(last, ctx.clock.tz))
        for email, name, times, last in rows
        if email not in book.by_email
    ]
