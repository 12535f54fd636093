"""`netmaint capture calendar|mail PATH...`: the touches the user already made, from the calendar
and mail files they have; `netmaint capture people`: the addresses worth adding as contacts.

A capture checks what it can before it opens the database (the user's own addresses, each path),
so a mistake creates no file; a dry run reads the database as a snapshot and leaves no trace.
Unreadable items go to stderr one line each, and the rest is captured.
"""

from __future__ import annotations

import sys
from pathlib import Path

from netmaint_tui.cli.base import (
    ProgressBar,
    UsageError,
    command,
    database_for,
    db_path,
    dump_json,
    make_context,
    out,
    parse_day,
    problem_lines,
    show,
)
from netmaint_tui.io.formats import CAPTURES
from netmaint_tui.paths import config_file
from netmaint_tui.rules.vocabulary import plural
from netmaint_tui.store.db import close_database, open_database, open_snapshot

PEOPLE = "people"


def _arguments(c) -> None:
    c.add_argument("what", choices=[*(f.name for f in CAPTURES), PEOPLE],
                   help="calendar: meetings from an .ics file, a .zip of them or a folder of them; "
                        "mail: the mail you sent, from an mbox file or a Maildir folder; "
                        "people: whom you met or wrote to three times or more who is no contact")
    c.add_argument("paths", nargs="*", metavar="PATH")
    c.add_argument("--since", default=None, metavar="DATE", help="leave out what came before this date")
    c.add_argument("--dry-run", action="store_true", help="say what it would log, and write nothing")
    c.add_argument("--json", action="store_true")


@command(
    "capture", help="touches from calendars and mail: calendar|mail PATH..., or: people", arguments=_arguments,
    usage="netmaint capture calendar|mail PATH... [--since DATE] [--dry-run] [--json] | people [--json]",
    database=False,
)
def capture(args, settings) -> int:
    ctx = make_context(settings)
    if args.what == PEOPLE:
        if args.paths or args.since is not None or args.dry_run:
            raise UsageError("capture people reads no file; it takes only --json")
        return _people(ctx, args, settings)
    # Loaded here, not with the module: every command's start-up would pay for the readers.
    from netmaint_tui.services.capture import NoAddresses, capture as run_capture, check_inputs  # lazy: the readers load icalendar

    me = settings.me_emails
    try:
        paths = check_inputs(args.what, args.paths, me)
    except NoAddresses:
        raise NoAddresses(str(config_file()), "netmaint config edit opens it") from None
    since = parse_day(ctx, args.since)
    bar = ProgressBar(f"capturing {paths[0].name}")
    try:
        with database_for(args, settings, dry_run=args.dry_run):
            report = run_capture(ctx, args.what, paths, me, since=since, dry_run=args.dry_run, progress=bar.update)
    finally:
        bar.close()
    for line in problem_lines([show(str(p)) for p in report.problems]):
        print(line, file=sys.stderr)
    if args.json:
        dump_json(report.as_json())
    else:
        if args.dry_run:
            for touch in report.touches:
                out(touch_line(touch))
        out(summary_line(paths, report))
    return 2 if report.read == 0 and report.problems else 0  # nothing in the files could be read


def touch_line(touch) -> str:
    """`would log Mon 2025-03-10 09:00 meeting (45 min) with Dana Haddad: Coffee (Café Einstein)`."""
    minutes = f" ({touch.minutes} min)" if touch.minutes else ""
    return (f"would log {touch.at:%a %Y-%m-%d %H:%M} {touch.channel}{minutes} with {show(', '.join(touch.names))}: "
            f"{show(touch.note)}")


def summary_line(paths: list[Path], report) -> str:
    """`captured export.ics: 41 touches with 23 contacts; skipped 12 declined or cancelled, …`."""
    names = ", ".join(show(p.name or str(p)) for p in paths[:2])
    if len(paths) > 2:
        names = f"{show(paths[0].name or str(paths[0]))} and {len(paths) - 1} more"
    parts = [plural(report.captured, "touch")]
    if report.captured:
        parts[0] += f" with {plural(report.contacts, 'contact')}"
    if report.joined:
        parts[0] += f" (and {plural(report.joined, 'mail')} added to a conversation's touch of that day)"
    if report.added_to:
        parts.append(f"{plural(report.added_to, 'touch' if report.source == 'calendar' else 'mail')} captured "
                     "before now with the people you added since")
    if report.heard:
        parts.append(f"last heard from {plural(report.heard, 'contact')}")
    skipped = report.skipped_words()
    if skipped:
        parts.append("skipped " + ", ".join(skipped))
    if report.problems:
        parts.append(f"{plural(len(report.problems), 'item')} could not be read (on stderr)")
    verb = "dry run, nothing written:" if report.dry_run else "captured"
    return f"{verb} {names}: " + "; ".join(parts)


def _people(ctx, args, settings) -> int:
    from netmaint_tui.services.capture import people_worth_adding  # start-up time, as above

    path = db_path(args, settings)
    if path.exists():
        open_database(path)
    else:
        open_snapshot(path)  # a look only: on a database that is not there yet, an empty one, and no file made
    try:
        people = people_worth_adding(ctx)
    finally:
        close_database()
    if args.json:
        dump_json([p.as_json() for p in people])
        return 0
    if not people:
        out("nobody yet: nobody you met or wrote to three times or more is missing from your contacts")
        return 0
    names = [show(p.name) if p.name.casefold() != p.email else "" for p in people]  # a bare address is no name
    width = min(28, max(len(name) for name in names))
    for name, p in zip(names, people):
        column = f"{name[:width]:<{width}}  " if width else ""
        out(f"{column}{show(p.email):<32}  {plural(p.count, 'time'):>9}  last {p.last:%Y-%m-%d}")
    out("add the ones worth keeping: netmaint add NAME --email ADDRESS")
    return 0
