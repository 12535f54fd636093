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
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from netmaint_tui.io.calendar import Problem, calendar_kind, read_calendars
from netmaint_tui.io.mail import mailbox_kind, maildirs, read_mailboxes
from netmaint_tui.rules import capture as rules
from netmaint_tui.rules.dates import moment_problem
from netmaint_tui.services.common import (
    Context,
    InputError,
    bulk_work,
    local_time,
    to_db,
    write_transaction,
)
from netmaint_tui.store.backup import auto_backup
from netmaint_tui.store.models import database
from netmaint_tui.store.rows import loads_list

CALENDAR, MAIL = "calendar", "mail"
# Events not over yet are skipped (a later run captures them); the summary counts those of the next 30 days.
FUTURE_WINDOW = dt.timedelta(days=30)
FUTURE_GRACE = dt.timedelta(minutes=1)  # a mail stamped by a clock a little ahead is not "in the future"
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.timezone.utc)
BATCH = 500  # ids per IN (...) query, rows per executemany

PhasedProgress = Callable[[str, int, int], None]


class NoAddresses(InputError):
    """The user's own addresses are not known: nothing can be told apart, nothing is read."""

    def __init__(self) -> None:
        super().__init__(
            "netmaint does not know your own email addresses, so it cannot tell what you did from what "
            "others did; add every address you use to the config file (me: {emails: [you@example.com, "
            "you@work.example]}) and run the capture again — nothing was read"
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
            "at": self.at.isoformat(), "channel": self.channel, "kind": self.kind, "minutes": self.minutes,
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
    joined: int = 0  # mails that joined a touch captured earlier from their conversation that day
    heard: int = 0  # contacts whose last heard moved forward
    problems: list[Problem] = field(default_factory=list)
    backup: Path | None = None

    @property
    def captured(self) -> int:
        return len(self.touches)

    @property
    def contacts(self) -> int:
        return len({cid for t in self.touches for cid in t.contact_ids})

    def as_json(self) -> dict:
        return {
            "source": self.source, "dry_run": self.dry_run, "read": self.read, "captured": self.captured,
            "contacts": self.contacts, "joined": self.joined, "heard": self.heard,
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


def _check_paths(paths, kind_of: Callable, what: str) -> list[Path]:
    checked = []
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise InputError(f"cannot read {path}: No such file or directory")
        if kind_of(path) is None:
            raise InputError(f"{path} is not {what}")
        checked.append(path)
    if not checked:
        raise InputError(f"give {what}")
    return checked


CALENDAR_INPUT = "a calendar: give an .ics file, a .zip of them (Google Calendar's export) or a folder of .ics files"
MAIL_INPUT = "a mailbox: give an mbox file (Google Takeout, Thunderbird) or a Maildir folder"


def _since(ctx: Context, since: dt.date | dt.datetime | None) -> dt.datetime:
    if since is None:
        return EARLIEST
    if isinstance(since, dt.datetime):
        if since.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return since
    return dt.datetime(since.year, since.month, since.day, tzinfo=ctx.clock.tz)


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
        return sum(f.stat().st_size for m in maildirs(path) for sub in ("cur", "new") for f in (m / sub).iterdir())
    except OSError:
        return 0


# --- the address book -------------------------------------------------------------------------


class _Book:
    """Every contact's addresses, folded: the first contact (active before archived, then the
    oldest) that has an address is the one it means."""

    def __init__(self) -> None:
        self.by_email: dict[str, int] = {}
        self.names: dict[int, str] = {}
        for cid, name, emails in database.execute_sql(
            "SELECT id, name, emails FROM contact ORDER BY archived, id"
        ).fetchall():
            self.names[cid] = name
            for email in loads_list(emails):
                folded = rules.fold_email(email)
                if folded:
                    self.by_email.setdefault(folded, cid)

    def split(self, people: Iterable[rules.Person]) -> tuple[tuple[int, ...], tuple[rules.Person, ...]]:
        """(the contacts among them, in order and once each; the others)."""
        found: dict[int, None] = {}
        strangers = []
        for p in people:
            cid = self.by_email.get(p.email)
            if cid is None:
                strangers.append(p)
            else:
                found[cid] = None
        return tuple(found), tuple(strangers)


# --- writing ----------------------------------------------------------------------------------


@dataclass
class _Item:
    """Something read that may make a touch: an occurrence, or a conversation's mails."""

    keys: list[str]  # the captured items it stands for
    at: dt.datetime
    channel: str
    minutes: int | None
    note: str
    contact_ids: tuple[int, ...]
    strangers: tuple[rules.Person, ...]
    source_id: str
    group_key: str | None = None
    reevaluated: frozenset[str] = frozenset()  # keys remembered before as 'no-contact'


class _Writer:
    """The run's rows, written a batch at a time on the transaction's own connection (nothing in a dry run)."""

    def __init__(self, ctx: Context, source: str, dry_run: bool) -> None:
        self.ctx, self.source, self.dry_run = ctx, source, dry_run
        self.now = to_db(ctx.now())
        self.cursor = database.connection().cursor()
        self.next_id = self.cursor.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM touch").fetchone()[0]
        self.by_hand: set[int] | None = None  # see hands_between
        self.touches: list[tuple] = []
        self.links: list[tuple] = []
        self.items: list[tuple] = []
        # email -> [name, times, first, last]: one row per address for the whole run.
        self.strangers: dict[str, list] = {}

    def existing(self, keys: list[str]) -> dict[str, tuple[str, int | None]]:
        """key -> (outcome, touch id) of the items a capture has remembered before."""
        found: dict[str, tuple[str, int | None]] = {}
        for i in range(0, len(keys), BATCH):
            part = keys[i:i + BATCH]
            for key, outcome, touch in self.cursor.execute(
                f"SELECT source_id, outcome, touch_id FROM captured_item WHERE source = ? "
                f"AND source_id IN ({','.join('?' * len(part))})", [self.source, *part]
            ):
                found[key] = (outcome, touch)
        return found

    def earlier_touch(self, group_key: str) -> tuple[bool, int | None]:
        """(whether a run captured this conversation on this day before, the touch it made)."""
        row = self.cursor.execute(
            "SELECT touch_id FROM captured_item WHERE source = ? AND group_key = ? AND outcome = 'captured' "
            "ORDER BY touch_id IS NULL LIMIT 1", (self.source, group_key)
        ).fetchone()
        return (row is not None, row[0] if row else None)

    def hands_between(self, moments: list[dt.datetime], channel: str | None) -> None:
        """Note the contacts the user logged touches with by hand around these moments: one query,
        so that the contacts with none need no lookup each."""
        if not moments:
            self.by_hand = set()
            return
        window = rules.LINK_WINDOW
        first = min(moments, key=lambda m: m.timestamp())
        last = max(moments, key=lambda m: m.timestamp())
        sql = ("SELECT DISTINCT tc.contact_id FROM touch t JOIN touch_contact tc ON tc.touch_id = t.id "
               "WHERE t.source IS NULL AND t.at BETWEEN ? AND ?")
        params: list = [to_db(first - window), to_db(last + window)]
        if channel:
            sql += " AND t.channel = ?"
            params.append(channel)
        self.by_hand = {cid for (cid,) in self.cursor.execute(sql, params)}

    def hand_logged(self, contact_id: int, at: dt.datetime, channel: str | None) -> int | None:
        """A touch the user logged with the contact within the link window of `at`, the nearest."""
        if self.by_hand is not None and contact_id not in self.by_hand:
            return None
        window = rules.LINK_WINDOW
        sql = ("SELECT t.id FROM touch t JOIN touch_contact tc ON tc.touch_id = t.id WHERE tc.contact_id = ? "
               "AND t.source IS NULL AND t.at BETWEEN ? AND ?")
        params: list = [contact_id, to_db(at - window), to_db(at + window)]
        if channel:
            sql += " AND t.channel = ?"
            params.append(channel)
        row = self.cursor.execute(sql + " ORDER BY abs(julianday(t.at) - julianday(?)), t.id LIMIT 1",
                                  [*params, to_db(at)]).fetchone()
        return row[0] if row else None

    def touch(self, item: _Item, contact_ids: list[int]) -> int | None:
        if self.dry_run:
            return None
        touch_id, self.next_id = self.next_id, self.next_id + 1
        self.touches.append((touch_id, to_db(item.at), item.channel, rules.KIND, item.minutes, item.note, self.now,
                             self.source, item.source_id))
        self.join(touch_id, contact_ids)
        return touch_id

    def join(self, touch_id: int, contact_ids: Iterable[int]) -> None:
        if not self.dry_run:
            self.links.extend((touch_id, cid) for cid in contact_ids)
            self._maybe_flush()

    def remember(self, key: str, touch_id: int | None, outcome: str, item: _Item) -> None:
        if not self.dry_run:
            self.items.append((self.source, key, touch_id, outcome, item.group_key, to_db(item.at), self.now))
            self._maybe_flush()

    def met(self, people: Iterable[rules.Person], at: dt.datetime) -> None:
        if self.dry_run:
            return
        stamp = to_db(at)
        for p in people:
            seen = self.strangers.get(p.email)
            if seen is None:
                self.strangers[p.email] = [p.name, 1, stamp, stamp]
                continue
            seen[1] += 1
            if p.name and (stamp >= seen[3] or not seen[0]):
                seen[0] = p.name  # the name of the latest time it was given
            seen[2], seen[3] = min(seen[2], stamp), max(seen[3], stamp)

    def _maybe_flush(self) -> None:
        if len(self.items) >= BATCH * 10 or len(self.links) >= BATCH * 10:
            self.flush()

    def flush(self, final: bool = False) -> None:
        if self.dry_run:
            return
        c = self.cursor
        if self.touches:
            c.executemany("INSERT INTO touch (id, at, channel, kind, minutes, note, created_at, source, source_id) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", self.touches)
        if self.links:
            c.executemany("INSERT OR IGNORE INTO touch_contact (touch_id, contact_id) VALUES (?, ?)", self.links)
        if self.items:
            c.executemany(
                "INSERT INTO captured_item (source, source_id, touch_id, outcome, group_key, at, captured_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, source_id) DO UPDATE SET "
                "touch_id = excluded.touch_id, outcome = excluded.outcome, group_key = excluded.group_key, "
                "captured_at = excluded.captured_at", self.items)
        if final and self.strangers:
            c.executemany(
                "INSERT INTO correspondent (email, name, times, first_at, last_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (email) DO UPDATE SET times = times + excluded.times, "
                "name = CASE WHEN excluded.name != '' AND excluded.last_at >= last_at THEN excluded.name "
                "WHEN name = '' THEN excluded.name ELSE name END, "
                "first_at = MIN(first_at, excluded.first_at), last_at = MAX(last_at, excluded.last_at)",
                [(email, *row) for email, row in self.strangers.items()])
            self.strangers = {}
        self.touches, self.links, self.items = [], [], []


def _place(writer: _Writer, item: _Item, report: CaptureReport, book: _Book, link_channel: str | None) -> None:
    """Make, link or remember one item's touch."""
    new_keys = [k for k in item.keys if k not in item.reevaluated]
    if new_keys:
        writer.met(item.strangers, item.at)
    if not item.contact_ids:
        for key in item.keys:
            writer.remember(key, None, "no-contact", item)
        report.skipped[rules.NO_CONTACT] += len(item.keys)
        return
    linked: dict[int, int] = {}
    for cid in item.contact_ids:
        found = writer.hand_logged(cid, item.at, link_channel)
        if found is not None:
            linked[cid] = found
    rest = [cid for cid in item.contact_ids if cid not in linked]
    if not rest:
        for key in item.keys:
            writer.remember(key, next(iter(linked.values())), "linked", item)
        report.skipped[rules.ALREADY_LOGGED] += len(item.keys)
        return
    touch_id = writer.touch(item, rest)
    for key in item.keys:
        writer.remember(key, touch_id, "captured", item)
    report.touches.append(CapturedTouch(
        at=item.at.replace(microsecond=0).astimezone(writer.ctx.clock.tz), channel=item.channel, kind=rules.KIND,
        minutes=item.minutes, contact_ids=list(rest), names=[book.names.get(c, "") for c in rest], note=item.note,
        source=writer.source, source_id=item.source_id, touch_id=touch_id,
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
    me = _me(me_emails)
    paths = _check_paths(paths, calendar_kind, CALENDAR_INPUT)
    report = CaptureReport(CALENDAR, dry_run=dry_run)
    now = ctx.now()
    book = _Book()
    items: list[_Item] = []
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
            items.append(_Item([key], occ.start, rules.meeting_channel(verdict.people), rules.meeting_minutes(occ),
                               rules.meeting_note(occ), contacts, strangers, key))
    items.sort(key=lambda i: (i.at.timestamp(), i.source_id))
    if items and not dry_run:
        _backup(report)

    def work() -> None:
        writer = _Writer(ctx, CALENDAR, dry_run)
        before = writer.existing([i.source_id for i in items])
        writer.hands_between([i.at for i in items], None)
        tick = _saving(progress, items)
        for done, item in enumerate(items, 1):
            outcome = before.get(item.source_id)
            if outcome is not None and (outcome[0] != "no-contact" or not item.contact_ids):
                report.skipped[rules.ALREADY_CAPTURED] += 1
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
    me = _me(me_emails)
    paths = _check_paths(paths, mailbox_kind, MAIL_INPUT)
    report = CaptureReport(MAIL, dry_run=dry_run)
    now = ctx.now()
    start = _since(ctx, since)
    book = _Book()
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
        writer = _Writer(ctx, MAIL, dry_run)
        before = writer.existing([m.key for m in sent])
        fresh, again = [], set()
        for mail in sent:
            outcome = before.get(mail.key)
            if outcome is None:
                fresh.append(mail)
            elif outcome[0] == "no-contact" and mail.contact_ids:
                again.add(mail.key)
                mail.strangers = ()  # counted when it was first read
                fresh.append(mail)
            else:
                report.skipped[rules.ALREADY_CAPTURED] += 1
        conversations = rules.conversations(fresh, ctx.clock.tz)
        writer.hands_between([c.at for c in conversations], rules.EMAIL)
        tick = _saving(progress, conversations)
        for done, conv in enumerate(conversations, 1):
            keys = [m.key for m in conv.mails]
            item = _Item(keys, conv.at, rules.EMAIL, None, rules.mail_note(conv.subject), tuple(conv.contact_ids),
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
        report.heard = _hear(writer, heard)

    write_transaction(work, dry_run)
    return report


def _hear(writer: _Writer, heard: dict[int, dt.datetime]) -> int:
    """Move each contact's last heard forward; how many moved."""
    rows = [(to_db(at), cid, to_db(at)) for cid, at in heard.items()]
    if writer.dry_run:
        moved = 0
        for i in range(0, len(rows), BATCH):
            part = rows[i:i + BATCH]
            for at, cid, _ in part:
                moved += writer.cursor.execute(
                    "SELECT COUNT(*) FROM contact WHERE id = ? AND (last_heard_at IS NULL OR last_heard_at < ?)",
                    (cid, at)).fetchone()[0]
        return moved
    writer.cursor.executemany(
        "UPDATE contact SET last_heard_at = ? WHERE id = ? AND (last_heard_at IS NULL OR last_heard_at < ?)", rows)
    return max(0, writer.cursor.rowcount)


# --- the people worth adding ------------------------------------------------------------------


def people_worth_adding(ctx: Context, min_count: int = 3) -> list[WorthAdding]:
    """Addresses the user met or wrote to at least `min_count` times that are no contact's, most
    often first: name, email, how many times, and when last."""
    book = _Book()
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
