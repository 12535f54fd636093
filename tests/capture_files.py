"""Calendar and mail files the capture tests write for each rule: events and messages in the
shapes real exports have (CRLF lines, folded attendees, RFC 2047 names, `From ` separators)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

ME = "me@example.com"


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def vevent(uid: str, start: dt.datetime | dt.date, end: dt.datetime | dt.date | None = None, *,
           summary: str = "Coffee", location: str = "", organizer: str | None = ME,
           attendees: tuple = (), status: str = "CONFIRMED", extra: tuple[str, ...] = ()) -> str:
    """One VEVENT; `attendees` are addresses or (address, PARTSTAT) pairs; times in UTC."""
    if isinstance(start, dt.datetime):
        when = [f"DTSTART:{_utc(start)}", f"DTEND:{_utc(end or start + dt.timedelta(hours=1))}"]
    else:
        end = end or start + dt.timedelta(days=1)
        when = [f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}"]
    lines = ["BEGIN:VEVENT", f"UID:{uid}", *when, "DTSTAMP:20250101T000000Z", f"SUMMARY:{summary}"]
    if location:
        lines.append(f"LOCATION:{location}")
    if status:
        lines.append(f"STATUS:{status}")
    if organizer:
        lines.append(f"ORGANIZER;CN=Organizer:mailto:{organizer}")
    for a in attendees:
        email, partstat = (a, "ACCEPTED") if isinstance(a, str) else a
        lines.append(f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={partstat};CN={email.split('@')[0]}"
                     f";X-NUM-GUESTS=0:mailto:{email}")
    lines += [*extra, "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT10M", "END:VALARM", "END:VEVENT"]
    return "\r\n".join(lines)


def ics(*events: str, zone: str = "Europe/Berlin") -> bytes:
    head = ["BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0",
            "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{ME}", f"X-WR-TIMEZONE:{zone}"]
    return ("\r\n".join([*head, *events, "END:VCALENDAR"]) + "\r\n").encode()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def message(sender: str, to: str, subject: str, date: dt.datetime, *, msgid: str | None = None,
            references: str = "", cc: str = "", extra: tuple[str, ...] = (), body: str = "Hello\n") -> bytes:
    """One message (headers and body), without its `From ` line."""
    lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}", f"Date: {date.strftime('%a, %d %b %Y %H:%M:%S %z')}"]
    if cc:
        lines.append(f"Cc: {cc}")
    if msgid:
        lines.append(f"Message-ID: <{msgid}>")
    if references:
        lines += [f"References: {references}", f"In-Reply-To: {references.split()[-1]}"]
    lines += [*extra, "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", body]
    return "\n".join(lines).encode()


def mbox(*messages: bytes, envelope: bytes = b"From MAILER-DAEMON Wed Mar 12 10:00:00 2025") -> bytes:
    return b"".join(envelope + b"\n" + m + b"\n" for m in messages)


def maildir(folder: Path, *messages: bytes) -> Path:
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for i, m in enumerate(messages):
        (folder / ("cur" if i % 2 else "new") / f"1741770000.{i}_1.host:2,S").write_bytes(m)
    return folder
