"""Which meetings and mails are touches, in words a user can check.

A meeting is an occurrence of a calendar event that has ended, is not cancelled, that the user did
not decline and that names the user (as organizer or attendee; an event that names an organizer
who is somebody else, and not the user among its guests, is someone else's calendar), with at least
one other participant. Participants who declined or handed their place on, and rooms, do not count.
It becomes one touch with every participant who is a contact: channel `meeting` (`event` when more
than BIG_MEETING people took part), kind catch-up, minutes = its duration (none for all-day events
or one that lasts more than a day), note = its title (and location).

A mail the user sent becomes a touch (channel `email`, kind catch-up, note = the subject) with the
contacts among its recipients, one per conversation per day: the messages of one conversation on
one day share one touch. A mail somebody else sent is no touch: the habit counts what the user
does; a contact's mail says when they were last heard from. Mailing lists and bulk mail (List-Id,
Precedence: bulk, list or junk, Auto-Submitted) and no-reply senders are left out.

The records the readers (io.calendar, io.mail) produce are defined here, so that these decisions
need nothing but them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo

from netmaint_tui.rules.schema import MAX_TOUCH_MINUTES

MEETING, EVENT, EMAIL = "meeting", "event", "email"
# Where a captured touch came from (a touch's source; None for one the user typed).
CALENDAR, MAIL = "calendar", "mail"
SOURCES = (CALENDAR, MAIL)
# What became of an item a capture read: it made a touch (or joined one of its conversation that
# day), it was linked to a touch the user had typed, or nobody in it was a contact yet.
OUTCOMES = ("captured", "linked", "no-contact")
KIND = "catch-up"
BIG_MEETING = 8  # more people than this took part: an event, not a meeting
# A touch the user logged with the same contact this close to a meeting's start (or a mail's
# sending) is that meeting or that mail: it is linked, not logged twice.
LINK_WINDOW = timedelta(hours=2)

# Why an occurrence or a message made no touch: stable keys (`--json`) and the words for each.
DECLINED_OR_CANCELLED = "declined_or_cancelled"
FUTURE = "future"
NOT_YOURS = "not_yours"
ALONE = "alone"
NO_CONTACT = "no_contact"
BULK = "bulk"
NO_REPLY = "no_reply"
ALREADY_CAPTURED = "already_captured"
ALREADY_LOGGED = "already_logged"
BEFORE_SINCE = "before_since"
RECEIVED = "received"

SKIP_WORDS = {
    DECLINED_OR_CANCELLED: "declined or cancelled",
    FUTURE: "not over yet",
    NOT_YOURS: "not yours (you are neither organizer nor guest)",
    ALONE: "nobody but you",
    NO_CONTACT: "nobody who is a contact",
    BULK: "mailing lists and bulk mail",
    NO_REPLY: "no-reply senders",
    ALREADY_CAPTURED: "captured before",
    ALREADY_LOGGED: "already logged by hand",
    BEFORE_SINCE: "before the date asked for",
    RECEIVED: "written to you (no touch: last heard)",
}

# Calendar "participants" that are places or calendars, not people.
_NOT_PEOPLE_TYPES = frozenset({"RESOURCE", "ROOM"})
_NOT_PEOPLE_DOMAINS = ("resource.calendar.google.com", "calendar.google.com", "virtual")
_NOT_PEOPLE_ENDINGS = tuple(f"@{d}" for d in _NOT_PEOPLE_DOMAINS) + tuple(f".{d}" for d in _NOT_PEOPLE_DOMAINS)
_GONE = frozenset({"DECLINED", "DELEGATED"})
_NO_REPLY = re.compile(
    r"(?:^|[-_.+])(?:(?:no|do[-_.]?not|dont)[-_.]?reply|mailer[-_.]?daemon|postmaster|bounces?|notifications?)"
    r"(?:$|[-_.+])",
)


@dataclass(frozen=True, slots=True)
class Person:
    """Somebody named in an event or a mail: the address case-folded, the name as written."""

    email: str
    name: str = ""
    partstat: str = ""  # calendars: ACCEPTED, DECLINED, TENTATIVE, NEEDS-ACTION, DELEGATED ('' = not said)
    cutype: str = ""  # calendars: INDIVIDUAL, GROUP, RESOURCE, ROOM ('' = not said)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence of a calendar event; times aware (all-day ones at local midnight)."""

    uid: str
    recurrence_id: str | None  # the slot it fills in its series (RECURRENCE-ID), None for a single event
    start: datetime
    end: datetime
    all_day: bool
    summary: str
    location: str
    status: str  # CONFIRMED, TENTATIVE, CANCELLED or ''
    organizer: Person | None
    attendees: tuple[Person, ...]
    where: str  # the file (and the event's line) it came from

    @property
    def key(self) -> str:
        """What makes it the same occurrence in every file: UID and RECURRENCE-ID, else the start."""
        return f"{self.uid}/{self.recurrence_id or stamp(self.start, self.all_day)}"


@dataclass(frozen=True, slots=True)
class Message:
    """A mail's headers, as much as deciding about it needs."""

    key: str  # the Message-ID, else a hash of the headers
    date: datetime | None  # aware
    sender: Person | None
    to: tuple[Person, ...]
    cc: tuple[Person, ...]
    bcc: tuple[Person, ...]
    subject: str
    thread: str  # the conversation: the first of References, else In-Reply-To, else its own id
    bulk: str  # why it is list or bulk mail ('' when it is not): "List-Id", "Precedence: bulk"…
    where: str


def stamp(moment: datetime | date, all_day: bool = False) -> str:
    """A start as an id part: the day for an all-day event, else the instant in UTC."""
    if all_day or not isinstance(moment, datetime):
        return moment.strftime("%Y%m%d")
    if moment.tzinfo is None:
        return moment.strftime("%Y%m%dT%H%M%S")
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


# --- addresses --------------------------------------------------------------------------------

_SPELLED_AT = re.compile(r"\s+at\s+", re.IGNORECASE)


def fold_email(text: str | None) -> str:
    """An address as netmaint compares it: without `mailto:`, angle brackets or spaces, case-folded;
    a list archive's `andy at example.com` is andy@example.com. '' when it is no address."""
    if not text:
        return ""
    text = str(text).strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    text = text.strip().strip("<>").strip()
    if "@" not in text:
        text = _SPELLED_AT.sub("@", text, count=1)
    if " " in text or "\t" in text:
        # No address holds a space: one there is a line folded inside it (`hcabot@ example.com`).
        text = "".join(text.split())
    if text.count("@") != 1 or text.startswith("@") or text.endswith("@"):
        return ""
    return text.casefold()


def folded_set(emails) -> frozenset[str]:
    return frozenset(e for e in (fold_email(x) for x in emails or ()) if e)


def is_no_reply(email: str) -> bool:
    """A sender nobody can answer: no-reply, do-not-reply, mailer-daemon, bounces, notifications."""
    local = email.split("@", 1)[0]
    return bool(_NO_REPLY.search(local))


def is_person(p: Person) -> bool:
    if not p.email or p.cutype.upper() in _NOT_PEOPLE_TYPES:
        return False
    return not p.email.endswith(_NOT_PEOPLE_ENDINGS)


# --- meetings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingVerdict:
    skip: str | None  # a SKIP_WORDS key, or None: a meeting with `others`
    others: tuple[Person, ...] = ()  # who took part besides the user (not yet matched to contacts)
    people: int = 0  # everyone who took part, the user included


def meeting_verdict(occ: Occurrence, me: frozenset[str], now: datetime) -> MeetingVerdict:
    if occ.status.upper() == "CANCELLED":
        return MeetingVerdict(DECLINED_OR_CANCELLED)
    mine = [a for a in occ.attendees if a.email in me]
    if mine and all(a.partstat.upper() in _GONE for a in mine):
        return MeetingVerdict(DECLINED_OR_CANCELLED)
    if occ.end.timestamp() > now.timestamp():
        return MeetingVerdict(FUTURE)
    organizer = occ.organizer.email if occ.organizer else ""
    if organizer and organizer not in me and not mine:
        return MeetingVerdict(NOT_YOURS)
    others: dict[str, Person] = {}
    for p in ((occ.organizer,) if occ.organizer else ()) + occ.attendees:
        if p.email in me or p.email in others or not is_person(p) or p.partstat.upper() in _GONE:
            continue
        others[p.email] = p
    if not others:
        return MeetingVerdict(ALONE)
    return MeetingVerdict(None, tuple(others.values()), len(others) + 1)


def meeting_channel(people: int) -> str:
    return EVENT if people > BIG_MEETING else MEETING


def meeting_minutes(occ: Occurrence) -> int | None:
    """Its length in whole minutes; none for an all-day event or one longer than a day."""
    if occ.all_day:
        return None
    minutes = int((occ.end.timestamp() - occ.start.timestamp()) // 60)
    return minutes if 0 < minutes <= MAX_TOUCH_MINUTES else None


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def contact_name(name: str, email: str) -> str:
    """A name for a new contact known by an address: the name the address came with, else its
    local part in words (`dana.haddad@…` is Dana Haddad), else the address itself."""
    name, local = one_line(name), email.split("@", 1)[0]
    if name and fold_email(name) != fold_email(email) and name.casefold() != local.casefold():
        return name
    words = [w for w in re.split(r"[._+\-]+", local) if w and not w.isdigit()]
    return " ".join(w[:1].upper() + w[1:] for w in words) or email


def meeting_note(occ: Occurrence) -> str:
    """The title, and the place in brackets: "Coffee (Café Einstein)"."""
    title = one_line(occ.summary) or "(no title)"
    place = one_line(occ.location)
    return f"{title} ({place})" if place else title


# --- mail -------------------------------------------------------------------------------------

SENT = "sent"


@dataclass(frozen=True)
class MailVerdict:
    kind: str  # SENT, RECEIVED, or a SKIP_WORDS key
    others: tuple[Person, ...] = ()  # sent: the recipients besides the user; received: the sender


def mail_verdict(msg: Message, me: frozenset[str]) -> MailVerdict:
    if msg.bulk:
        return MailVerdict(BULK)
    sender = msg.sender.email if msg.sender else ""
    if sender in me:
        others: dict[str, Person] = {}
        no_reply = False
        for p in msg.to + msg.cc + msg.bcc:
            if not p.email or p.email in me or p.email in others:
                continue
            if is_no_reply(p.email):
                no_reply = True
                continue
            others[p.email] = p
        if not others:
            return MailVerdict(NO_REPLY if no_reply else ALONE)
        return MailVerdict(SENT, tuple(others.values()))
    if not sender:
        return MailVerdict(ALONE)
    if is_no_reply(sender):
        return MailVerdict(NO_REPLY)
    return MailVerdict(RECEIVED, (msg.sender,))


_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|aw|wg|sv|vs|antw|rif|tr|r)\s*(?:\[\d+\])?\s*:\s*|\[[^\]]*\]\s*)+",
                           re.IGNORECASE)


def normalize_subject(subject: str | None) -> str:
    """The subject a conversation keeps through replies: without Re:/Fwd:/AW: and [list] tags,
    spacing and case ignored."""
    return one_line(_REPLY_PREFIX.sub("", subject or "")).casefold()


def mail_note(subject: str | None) -> str:
    return one_line(subject) or "(no subject)"


def conversation_day(thread: str, moment: datetime, tz: tzinfo) -> str:
    """The key one touch per conversation per day is kept under: the conversation and the local day."""
    return f"{moment.astimezone(tz).date().isoformat()} {thread}"


@dataclass
class SentMail:
    key: str
    at: datetime
    thread: str
    subject: str
    contact_ids: tuple[int, ...]
    strangers: tuple[Person, ...] = ()  # recipients who are no contact's


@dataclass
class Conversation:
    """The mails of one conversation on one day: one touch."""

    key: str  # conversation_day
    at: datetime  # the first mail's time
    subject: str  # the first mail's subject
    source_id: str  # the first mail's id
    contact_ids: list[int] = field(default_factory=list)
    strangers: dict[str, Person] = field(default_factory=dict)
    mails: list[SentMail] = field(default_factory=list)


def conversations(sent: list[SentMail], tz: tzinfo) -> list[Conversation]:
    """Sent mail grouped one conversation per day, in time order; a contact is in each once."""
    found: dict[str, Conversation] = {}
    for mail in sorted(sent, key=lambda m: (m.at.timestamp(), m.key)):
        key = conversation_day(mail.thread, mail.at, tz)
        conv = found.get(key)
        if conv is None:
            conv = found[key] = Conversation(key, mail.at, mail.subject, mail.key)
        conv.mails.append(mail)
        for cid in mail.contact_ids:
            if cid not in conv.contact_ids:
                conv.contact_ids.append(cid)
        for p in mail.strangers:
            conv.strangers.setdefault(p.email, p)
    return list(found.values())


def within_link_window(a: datetime, b: datetime) -> bool:
    return abs(a.timestamp() - b.timestamp()) <= LINK_WINDOW.total_seconds()
