"""Time capturing touches from a Google Calendar export of 5,000 events and a 1 GB mbox of about
100,000 messages, and measure the mail capture's peak memory.

Writes into a temporary folder (or --keep DIR):
  - calendar.ics: a Google Calendar export (CRLF, VTIMEZONEs, X-WR-TIMEZONE, folded descriptions,
    alarms, 2 to 8 guests with their answers, rooms, all-day events, weekly series with EXDATEs and
    moved occurrences, declined and cancelled events, three years back and three months ahead);
  - mail.mbox: a Google Takeout mbox (Gmail's `From ` lines, some with non-ASCII bytes, DKIM and ARC
    headers, multipart bodies with HTML and base64 attachments, threads with References, RFC 2047
    names, list mail, no-reply senders, messages without Message-ID), a quarter of it sent by the user;
  - bench.db: 1,500 contacts whose addresses are among the people in both files, and 500 touches
    typed by hand.

Each capture runs in a child process (the service functions `netmaint capture` runs), which
reports the capture's own time and the process' peak memory (resource.getrusage, ru_maxrss). Each
file is captured twice: the second run reads everything again and writes nothing.

Targets: calendar under 3 s; mail under 60 s and under 200 MB.
Usage: python benchmarks/bench_capture.py [--events N] [--messages N] [--mail-mb M] [--keep DIR]
Exit status 1 if a run misses its target.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOW = "2025-03-12T10:00:00"
ZONE = "Europe/Berlin"
ME = "me@example.com"
CALENDAR_TARGET_S = 3.0
MAIL_TARGET_S = 60.0
MAIL_TARGET_MB = 200.0

FIRST = ("Dana Omar Lena Priya Mateo Yuki Amara Jonas Sofia Kwame Inés Ravi Chloé Tomasz Aisha Lucas Mei Noah "
         "Fatima Diego Hannah Sven Leila Marcus Nadia Félix Zara Hugo Elif Samuel Ana Kenji Maya Ibrahim").split()
LAST = ("Haddad Fischer Nakamura Okafor Rossi Schmidt García Kowalski Dubois Mensah Silva Patel Andersson Kim "
        "Novak Hernández Ivanova Moreau Yılmaz Brennan Costa Lindqvist Adeyemi Romano Chen Weber Laurent").split()
DOMAINS = ("example.org", "example.net", "northwind.example", "acme.example", "bluefin.example")
PEOPLE = 3000
CONTACTS = 1500


def person(rng: random.Random, i: int) -> tuple[str, str]:
    first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
    slug = f"{first}.{last}".lower().encode("ascii", "ignore").decode()
    return f"{first} {last}", f"{slug}{i}@{DOMAINS[i % len(DOMAINS)]}"


# --- the calendar -----------------------------------------------------------------------------

VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Berlin
X-LIC-LOCATION:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:GMT+2
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:GMT+1
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE"""


def fold(line: str) -> list[str]:
    out = [line[:75]]
    rest = line[75:]
    while rest:
        out.append(" " + rest[:74])
        rest = rest[74:]
    return out


PLACES = ("", "Café Einstein\\, Berlin", "Room 4.12", "https://meet.google.com/abc-defg-hij")


def write_calendar(path: Path, events: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    now = dt.datetime.fromisoformat(NOW).replace(tzinfo=dt.timezone.utc)
    lines = ["BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{ME}", f"X-WR-TIMEZONE:{ZONE}", *VTIMEZONE.split("\n")]
    fmt = "%Y%m%dT%H%M%SZ"
    for i in range(events):
        start = now - dt.timedelta(days=rng.randrange(-90, 3 * 365), hours=rng.randrange(-4, 8))
        start = start.replace(minute=rng.choice((0, 15, 30, 45)), second=0)
        end = start + dt.timedelta(minutes=rng.choice((15, 30, 30, 45, 60, 60, 90, 120)))
        uid = f"{rng.getrandbits(80):020x}@google.com"
        kind = rng.random()
        if kind < 0.06:
            when = [f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{start + dt.timedelta(days=1):%Y%m%d}"]
        elif kind < 0.2:
            local = start.astimezone(dt.timezone(dt.timedelta(hours=1)))
            when = [f"DTSTART;TZID={ZONE}:{local:%Y%m%dT%H%M%S}", f"DTEND;TZID={ZONE}:{local + (end - start):%Y%m%dT%H%M%S}"]
        else:
            when = [f"DTSTART:{start:{fmt}}", f"DTEND:{end:{fmt}}"]
        series = i % 33 == 0
        guests = [person(rng, rng.randrange(PEOPLE)) for _ in range(rng.randrange(1, 8))]
        mine_answer = "DECLINED" if rng.random() < 0.05 else "ACCEPTED"
        organizer = (ME, "Me") if rng.random() < 0.5 else (guests[0][1], guests[0][0])
        event = ["BEGIN:VEVENT", *when, f"DTSTAMP:{now:{fmt}}", f"ORGANIZER;CN={organizer[1]}:mailto:{organizer[0]}",
                 f"UID:{uid}"]
        if series:
            event.append("RRULE:FREQ=WEEKLY;COUNT=26")
            event.append(f"EXDATE:{start + dt.timedelta(weeks=3):{fmt}}" if "Z" in when[0] else
                         f"EXDATE;TZID={ZONE}:{(start + dt.timedelta(weeks=3)).astimezone(dt.timezone(dt.timedelta(hours=1))):%Y%m%dT%H%M%S}")
        for name, email in guests:
            answer = rng.choice(("ACCEPTED", "ACCEPTED", "ACCEPTED", "TENTATIVE", "NEEDS-ACTION", "DECLINED"))
            event += fold(f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={answer};CN={name};"
                          f"X-NUM-GUESTS=0:mailto:{email}")
        event += fold(f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={mine_answer};CN=Me;"
                      f"X-NUM-GUESTS=0:mailto:{ME}")
        if rng.random() < 0.2:
            event += fold("ATTENDEE;CUTYPE=RESOURCE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Room 4.12 (8);"
                          "X-NUM-GUESTS=0:mailto:c_1889abc2k3@resource.calendar.google.com")
        event += [f"X-MICROSOFT-CDO-OWNERAPPTID:{rng.getrandbits(31)}", f"CREATED:{start - dt.timedelta(days=7):{fmt}}"]
        event += fold("DESCRIPTION:Agenda\\n- status\\n- next steps\\n\\nJoin with Google Meet: https://meet.google."
                      "com/abc-defg-hij\\nOr dial: (DE) +49 30 1234567 PIN: 123456789#\\n\\n" + "x" * rng.randrange(0, 400))
        event += [f"LAST-MODIFIED:{start - dt.timedelta(days=1):{fmt}}",
                  "LOCATION:" + rng.choice(PLACES),
                  "SEQUENCE:0", f"STATUS:{'CANCELLED' if rng.random() < 0.03 else 'CONFIRMED'}",
                  f"SUMMARY:{rng.choice(('Coffee', '1:1', 'Sync', 'Lunch', 'Intro call', 'Project review'))} {i}",
                  "TRANSP:OPAQUE", "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:This is an event reminder",
                  "TRIGGER:-P0DT0H10M0S", "END:VALARM", "END:VEVENT"]
        lines += event
        if series:  # one occurrence moved by two hours
            moved = start + dt.timedelta(weeks=5, hours=2)
            lines += ["BEGIN:VEVENT", f"DTSTART:{moved:{fmt}}", f"DTEND:{moved + (end - start):{fmt}}",
                      f"DTSTAMP:{now:{fmt}}", f"UID:{uid}", f"RECURRENCE-ID:{start + dt.timedelta(weeks=5):{fmt}}",
                      f"ORGANIZER;CN=Me:mailto:{ME}", f"ATTENDEE;PARTSTAT=ACCEPTED;CN={guests[0][0]}:mailto:{guests[0][1]}",
                      f"ATTENDEE;PARTSTAT=ACCEPTED;CN=Me:mailto:{ME}", "SUMMARY:Moved", "STATUS:CONFIRMED", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))


# --- the mailbox ------------------------------------------------------------------------------

LOREM = ("Thanks for the update. I have looked at the numbers and they look good to me; let us go through "
         "the open points on Thursday. From what I hear the team is on track.\n")


def write_mbox(path: Path, messages: int, target_bytes: int, seed: int = 11) -> int:
    """Write about `messages` messages of about `target_bytes` in all; returns how many."""
    rng = random.Random(seed)
    each = max(2000, target_bytes // messages)
    attachment = base64.encodebytes(rng.randbytes(1500)).decode()
    html = "<html><body>" + "<p>" + LOREM * 4 + "</p>" * 3 + "</body></html>\n"
    start = dt.datetime(2022, 3, 12, 8, 0, tzinfo=dt.timezone.utc)
    step = (dt.datetime.fromisoformat(NOW).replace(tzinfo=dt.timezone.utc) - start) / messages
    threads: list[str] = []
    with open(path, "wb") as out:
        for i in range(messages):
            at = start + step * i
            roll = rng.random()
            name, email = person(rng, rng.randrange(PEOPLE))
            if roll < 0.25:
                sender, to = f"Me <{ME}>", f"{name} <{email}>"
                if rng.random() < 0.3:
                    to += ", " + "{} <{}>".format(*person(rng, rng.randrange(PEOPLE)))
                extra = ""
            elif roll < 0.8:
                if rng.random() < 0.3:  # an RFC 2047 name
                    sender = f"=?UTF-8?B?{base64.b64encode(name.encode()).decode()}?= <{email}>"
                else:
                    sender = f'"{name}" <{email}>'
                to, extra = f"Me <{ME}>", ""
            elif roll < 0.95:
                sender, to = f"{name} <{email}>", "team@lists.example.org"
                extra = "List-Id: Team list <team.lists.example.org>\nList-Unsubscribe: <mailto:leave@lists.example.org>\nPrecedence: list\n"
            else:
                sender, to, extra = "GitHub <noreply@github.com>", f"Me <{ME}>", ""
            if threads and rng.random() < 0.5:
                root = rng.choice(threads[-50:])
                refs = f"References: <{root}>\nIn-Reply-To: <{root}>\n"
                subject = "Re: Topic " + root.split(".")[0]
            else:
                root = f"t{i}.{rng.getrandbits(40):x}@mail.example.com"
                threads.append(root)
                refs, subject = "", f"Topic t{i}"
            msgid = "" if i % 97 == 0 else f"Message-ID: <m{i}.{rng.getrandbits(48):x}@mail.gmail.com>\n"
            envelope = f"From {rng.getrandbits(60)}@xxx {at:%a %b %d %H:%M:%S} +0000 {at:%Y}\n".encode()
            if i % 501 == 0:
                envelope = f"From christian at “example.org”  {at:%a %b %d %H:%M:%S %Y}\n".encode()
            head = (f"X-GM-THRID: {rng.getrandbits(60)}\nX-Gmail-Labels: Inbox,Category Personal\n"
                    f"Delivered-To: {ME}\nReceived: by 2002:a05:6a10:1234 with SMTP id abc{i};\n"
                    f"        {at:%a, %d %b %Y %H:%M:%S} -0800 (PST)\n"
                    f"ARC-Seal: i=1; a=rsa-sha256; t={int(at.timestamp())}; cv=none; d=google.com; s=arc-20160816;\n"
                    f"        b={base64.b64encode(rng.randbytes(180)).decode()}\n"
                    f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=20230601;\n"
                    f"        h=to:subject:message-id:date:from:mime-version:from:to:cc:subject:date:message-id:reply-to;\n"
                    f"        bh={base64.b64encode(rng.randbytes(32)).decode()};\n"
                    f"        b={base64.b64encode(rng.randbytes(180)).decode()}\n"
                    f"MIME-Version: 1.0\nFrom: {sender}\nDate: {at:%a, %d %b %Y %H:%M:%S +0000}\n{msgid}{refs}"
                    f"Subject: {subject}\nTo: {to}\n{extra}"
                    f'Content-Type: multipart/mixed; boundary="000000000000b{i:08x}"\n\n')
            parts = [f"--000000000000b{i:08x}\nContent-Type: text/plain; charset=\"UTF-8\"\n\n", LOREM * 3,
                     "\nFrom the minutes of last week:\n",  # a body line that is no separator
                     f"--000000000000b{i:08x}\nContent-Type: text/html; charset=\"UTF-8\"\n\n", html]
            size = len(head) + sum(len(p) for p in parts)
            while size < each * rng.uniform(0.5, 1.5):
                parts += [f"--000000000000b{i:08x}\nContent-Type: application/pdf; name=\"a.pdf\"\n"
                          "Content-Transfer-Encoding: base64\n\n", attachment]
                size += len(attachment) + 100
            parts.append(f"--000000000000b{i:08x}--\n\n")
            out.write(envelope)
            out.write(head.encode())
            out.write("".join(parts).encode())
    return messages


# --- the database -----------------------------------------------------------------------------


def make_database(path: Path) -> None:
    code = f"""
import datetime as dt, random, sys
sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
from netmaint_tui.store.db import open_database, close_database
from netmaint_tui.store.rows import INSERT_CONTACT, to_row
from netmaint_tui.store.models import database
sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
from bench_capture import person, CONTACTS, PEOPLE
open_database({str(path)!r})
rng = random.Random(5)
now = "2025-01-01 10:00:00"
with database.atomic():
    for i in range(0, PEOPLE, PEOPLE // CONTACTS):
        name, email = person(rng, i)
        database.execute_sql(INSERT_CONTACT, to_row(None, dict(name=name, emails=[email], tier="B", source="manual",
                                                             created_at=now, updated_at=now)))
    for i in range(500):
        at = (dt.datetime(2022, 3, 12) + dt.timedelta(hours=rng.randrange(3 * 365 * 24))).strftime("%Y-%m-%d %H:00:00")
        tid = database.execute_sql("INSERT INTO touch (at, channel, kind, minutes, note, created_at) VALUES (?, ?, 'catch-up', 30, 'typed', ?)",
                                   (at, rng.choice(("meeting", "email", "call")), at)).lastrowid
        database.execute_sql("INSERT INTO touch_contact (touch_id, contact_id) VALUES (?, ?)", (tid, rng.randrange(1, CONTACTS)))
close_database()
"""
    subprocess.run([sys.executable, "-c", code], check=True)


# --- a capture in a child process -------------------------------------------------------------

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from netmaint_tui.clock import fixed_clock
from netmaint_tui.config import Settings
from netmaint_tui.services import capture
from netmaint_tui.services.common import Context
from netmaint_tui.store.db import close_database, open_database

open_database({db!r})
ctx = Context(fixed_clock({now!r}, {zone!r}), Settings())
began, cpu = time.perf_counter(), time.process_time()
report = getattr(capture, {function!r})(ctx, [{file!r}], [{me!r}])
seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
close_database()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(dict(seconds=seconds, cpu=cpu, peak_mb=peak, read=report.read, captured=report.captured,
                      contacts=report.contacts, heard=report.heard, skipped=dict(report.skipped),
                      problems=len(report.problems))))
"""


def capture(function: str, db: Path, file: Path) -> tuple[dict, float]:
    code = CHILD.format(root=str(Path(__file__).resolve().parents[1]), db=str(db), now=NOW, zone=ZONE,
                        function=function, file=str(file), me=ME)
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    wall = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{function} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1]), wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--mail-mb", type=int, default=1024, help="the mbox's size in MiB")
    parser.add_argument("--keep", default=None, help="write files here and keep them")
    args = parser.parse_args()

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="netmaint-bench-capture-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        cal, box, db = folder / "calendar.ics", folder / "mail.mbox", folder / "bench.db"
        began = time.perf_counter()
        write_calendar(cal, args.events)
        write_mbox(box, args.messages, args.mail_mb * 1024 * 1024)
        for stale in folder.glob("bench.db*"):
            stale.unlink()
        shutil.rmtree(folder / "backups", ignore_errors=True)
        make_database(db)
        print(f"calendar: {args.events:,} events, {cal.stat().st_size / 1e6:.1f} MB; "
              f"mbox: {args.messages:,} messages, {box.stat().st_size / 2**20:,.0f} MiB; "
              f"written in {time.perf_counter() - began:.0f} s to {folder}")
        print()
        print(f"{'run':<22} {'capture s':>9} {'cpu s':>6} {'process s':>9} {'peak MB':>8}  {'ok':<3} summary")
        print(f"{'-' * 22} {'-' * 9} {'-' * 6} {'-' * 9} {'-' * 8}  {'-' * 3} {'-' * 50}")
        failed = False
        runs = [("calendar, first time", "capture_calendar", cal, CALENDAR_TARGET_S, None),
                ("calendar, again", "capture_calendar", cal, CALENDAR_TARGET_S, None),
                ("mail, first time", "capture_mail", box, MAIL_TARGET_S, MAIL_TARGET_MB),
                ("mail, again", "capture_mail", box, MAIL_TARGET_S, MAIL_TARGET_MB)]
        for label, function, file, seconds, megabytes in runs:
            result, wall = capture(function, db, file)
            ok = result["seconds"] < seconds and (megabytes is None or result["peak_mb"] < megabytes)
            failed |= not ok
            skipped = ", ".join(f"{k} {v:,}" for k, v in sorted(result["skipped"].items()))
            summary = (f"read {result['read']:,}, {result['captured']:,} touches with {result['contacts']:,} contacts, "
                       f"heard {result['heard']:,}, problems {result['problems']}; skipped: {skipped}")
            print(f"{label:<22} {result['seconds']:>9.2f} {result['cpu']:>6.2f} {wall:>9.2f} {result['peak_mb']:>8.0f}  "
                  f"{'yes' if ok else 'NO':<3} {summary}")
        print()
        print(f"targets: calendar under {CALENDAR_TARGET_S:.0f} s; mail under {MAIL_TARGET_S:.0f} s and "
              f"{MAIL_TARGET_MB:.0f} MB peak. 'capture s' is the capture's own wall time (what the targets judge), "
              "'cpu s' its processor time (what it would take on an idle machine), 'process s' the whole child "
              "process, Python's start-up included")
        print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
        return 1 if failed else 0
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
