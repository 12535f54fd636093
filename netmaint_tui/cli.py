"""The command line. Imports stay lean: the full-screen app and each service load only when used."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

USAGE_ERROR = 2


class UsageError(Exception):
    exit_code = USAGE_ERROR


class Parser(argparse.ArgumentParser):
    """One line for a usage error, not argparse's usage block: what is wrong and where to look."""

    def error(self, message):  # noqa: D401 - argparse's signature
        raise UsageError(f"{message}; see: {self.prog} --help")


def _count(text: str) -> int:
    """A count or a limit: argparse's int takes a number of any size, which SQLite cannot store."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= number <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"{text} is out of range; use 0 to {MAX_COUNT:,}")
    return number


MAX_COUNT = 10**9


class _Version(argparse.Action):
    """--version, read from the installed package only when asked: importlib.metadata is not
    worth loading on every start."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help="show the version"):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("netmaint")
        except PackageNotFoundError:  # run from a checkout that was never installed
            number = "(not installed)"
        print(f"netmaint {number}")
        parser.exit()


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="database file (or set NETMAINT_DB)")
    return common


def build_parser() -> Parser:
    common = _common()
    p = Parser(prog="netmaint", description="Keep a professional network alive.", parents=[common])
    p.add_argument("--theme", default=None, help="theme for this run")
    p.add_argument("--version", action=_Version)
    sub = p.add_subparsers(dest="command", parser_class=Parser)

    d = sub.add_parser("demo", parents=[common], help="open the app on a throw-away sample network")
    # SUPPRESS: without --theme here, the subcommand must not overwrite `netmaint --theme X demo`.
    d.add_argument("--theme", default=argparse.SUPPRESS, help="theme for this run")
    d.add_argument("--print", action="store_true", help="print the prioritized list instead of opening the app")
    d.add_argument("--seed", type=_count, default=7)

    a = sub.add_parser("add", parents=[common], help="add a contact")
    a.add_argument("name")
    a.add_argument("--company", default="")
    a.add_argument("--role", default="")
    a.add_argument("--email", action="append", default=[])
    a.add_argument("--phone", action="append", default=[])
    a.add_argument("--linkedin", default="")
    a.add_argument("--location", default="")
    a.add_argument("--how-met", default="")
    a.add_argument("--tier", default="B", help="A, B or C (default B)")
    a.add_argument("--cadence", default=None, help="days between touches (default: the tier's)")
    a.add_argument("--tag", action="append", default=[])
    a.add_argument("--birthday", default=None, help="YYYY-MM-DD, or --MM-DD (or MM-DD) without a year")
    a.add_argument("--notes", default="")

    lg = sub.add_parser("log", parents=[common], help="log a touch with one or more contacts")
    lg.add_argument("names", nargs="+", metavar="NAME")
    lg.add_argument("--channel", default="meeting")
    lg.add_argument("--kind", default="catch-up", help="give, ask or catch-up")
    lg.add_argument("--at", default=None, help="when (default now): 2025-03-04 15:30, yesterday 3pm, fri, 2h ago")
    lg.add_argument("--minutes", default=None)
    lg.add_argument("--note", default="", help="the note; - reads it from standard input")

    f = sub.add_parser(
        "follow-up", parents=[common], help="add a follow-up (NAME WHAT), or: list, done ID, drop ID",
        usage="netmaint follow-up NAME WHAT [--due WHEN] [--about NAME] | list [--json] [--all] | done ID | drop ID",
    )
    f.add_argument("words", nargs="+")
    f.add_argument("--due", default=None, help="when (default: in 24 hours)")
    f.add_argument("--about", default=None, help="the contact it is about (else free text)")
    f.add_argument("--json", action="store_true")
    f.add_argument("--all", action="store_true", help="list done and dropped ones too")

    du = sub.add_parser("due", parents=[common], help="the prioritized list")
    du.add_argument("--limit", type=_count, default=20)
    du.add_argument("--json", action="store_true")
    du.add_argument("--filter", default="", help="only names, companies or tags containing this")
    du.add_argument("--snoozed", action="store_true", help="include snoozed contacts")

    w = sub.add_parser("week", parents=[common], help="this week's progress and streaks")
    w.add_argument("--json", action="store_true")

    g = sub.add_parser("goal", parents=[common], help="the weekly goal: goal set --touches N --minutes M")
    g.add_argument("action", choices=["set", "list"])
    g.add_argument("--touches", type=_count, default=None)
    g.add_argument("--minutes", type=_count, default=None)
    g.add_argument("--from", dest="from_date", default=None, help="in force from this date (default today)")

    pa = sub.add_parser(
        "pause", parents=[common], help="pause the habit FROM TO (vacation, illness), or: list, remove ID",
        usage="netmaint pause FROM TO [--reason TEXT] | list | remove ID",
    )
    pa.add_argument("start", metavar="FROM")
    pa.add_argument("end", metavar="TO", nargs="?")
    pa.add_argument("--reason", default="")

    sn = sub.add_parser("snooze", parents=[common], help="hide a contact until a date (--undo: show them again)")
    sn.add_argument("name")
    sn.add_argument("until", nargs="?", help="a date: 2025-04-01, fri, in 3w…")
    sn.add_argument("--undo", action="store_true", help="show a snoozed contact again now")

    ar = sub.add_parser("archive", parents=[common], help="archive a contact (never deleted)")
    ar.add_argument("name")
    ar.add_argument("--undo", action="store_true")

    im = sub.add_parser("import", parents=[common], help="import linkedin|vcard|google|json FILE")
    im.add_argument("format", choices=["linkedin", "vcard", "google", "json"])
    im.add_argument("file")
    im.add_argument("--dry-run", action="store_true")

    ex = sub.add_parser("export", parents=[common], help="export json|yaml|csv|ics [-o FILE]")
    ex.add_argument("format", choices=["json", "yaml", "csv", "ics"])
    ex.add_argument("-o", "--output", default=None)

    b = sub.add_parser(
        "backup", parents=[common], help="a consistent copy of the database, or: list [--json]",
        usage="netmaint backup [-o FILE] | list [--json]",
    )
    b.add_argument("action", nargs="?", choices=["list"], help="list: every backup of the database, newest first")
    b.add_argument("-o", "--output", default=None)
    b.add_argument("--json", action="store_true", help="with list: print JSON")

    r = sub.add_parser("restore", parents=[common], help="restore the database from a backup")
    r.add_argument("file")

    c = sub.add_parser("config", parents=[common], help="config path|show|edit")
    c.add_argument("action", choices=["path", "show", "edit"])
    return p


# --- helpers -------------------------------------------------------------------------------


def db_path(args, settings=None) -> Path:
    from netmaint_tui.paths import default_db_file

    chosen = getattr(args, "db", None) or os.environ.get("NETMAINT_DB")
    if not chosen and settings is not None and getattr(settings, "data_file", None):
        chosen = settings.data_file
    return Path(chosen).expanduser() if chosen else default_db_file()


def known_databases(args, settings) -> list[Path]:
    """The database this command uses and every other one netmaint opens by default: none of
    them, their companions or their backups may be written over by a file the user names."""
    from netmaint_tui.store.guard import known_databases as known

    return known(db_path(args, settings), data_file=getattr(settings, "data_file", None))


def load_settings(warn=True):
    from netmaint_tui.config import load_settings as _load

    settings, problems = _load()
    if warn:
        for line in problems:
            print(f"netmaint: {line}", file=sys.stderr)
    return settings


def make_context(settings, clock=None):
    from netmaint_tui.clock import system_clock
    from netmaint_tui.services.common import Context

    return Context(clock or system_clock(), settings)


def out(text: str = "") -> None:
    print(text)


def show(text) -> str:
    from netmaint_tui.rules.text import visible

    return visible(str(text) if text is not None else "", single_line=True)


def dump_json(value) -> None:
    from netmaint_tui.rules.text import json_safe

    print(json_safe(json.dumps(value, ensure_ascii=False, indent=2)))


def parse_when(ctx, text, prefer="past", default_time=None):
    """An option's moment; None when the option was not given. Given empty, it is an error, not
    the default: `--at ""` from a script with an unset variable must not log "now"."""
    from netmaint_tui.rules.dates import DateInputError, parse_when as _parse
    from netmaint_tui.services.common import InputError

    if text is None:
        return None
    try:
        if default_time is None:
            return _parse(text, ctx.now(), prefer=prefer)
        return _parse(text, ctx.now(), prefer=prefer, default_time=default_time)
    except DateInputError as exc:
        raise InputError(str(exc)) from None


def parse_day(ctx, text):
    """An argument's date; None when it was not given (an empty one is an error, as in parse_when)."""
    from netmaint_tui.rules.dates import DateInputError, parse_date
    from netmaint_tui.services.common import InputError

    if text is None:
        return None
    try:
        return parse_date(text, today=ctx.today())
    except DateInputError as exc:
        raise InputError(str(exc)) from None


# --- commands ------------------------------------------------------------------------------


def cmd_add(ctx, args):
    from netmaint_tui.services.contacts import add_contact

    cid = add_contact(
        ctx, args.name, company=args.company, role=args.role, emails=args.email, phones=args.phone,
        linkedin_url=args.linkedin, location=args.location, how_met=args.how_met, tier=args.tier,
        cadence_days=args.cadence, tags=args.tag, birthday=args.birthday, notes=args.notes,
    )
    out(f"added {show(args.name)} (#{cid})")


def cmd_log(ctx, args):
    from netmaint_tui.services.contacts import names_of, resolve_contacts
    from netmaint_tui.services.touches import log_touch

    ids = resolve_contacts(args.names)
    note = sys.stdin.read() if args.note == "-" else args.note
    at = parse_when(ctx, args.at)
    result = log_touch(ctx, ids, at=at, channel=args.channel, kind=args.kind, minutes=args.minutes, note=note)
    # The names as stored, not as typed: "omar" may have matched Omar Fischer.
    # "touch #N": a bare #N on this command line is a contact.
    out(f"logged {args.kind} {args.channel} with {show(', '.join(names_of(ids)))} (touch #{result.touch_id})")
    for fid, what, due in result.follow_ups:
        out(f"follow-up #{fid}: {show(what)} — due {due.strftime('%a %Y-%m-%d %H:%M')}")


def cmd_follow_up(ctx, args):
    from netmaint_tui.services import followups
    from netmaint_tui.services.common import InputError, UnknownContact
    from netmaint_tui.services.contacts import resolve_contact

    words = args.words
    action = words[0]
    if action == "list" and len(words) == 1:
        items = followups.list_follow_ups(ctx, None if args.all else "open")
        if args.json:
            dump_json([_follow_up_json(f) for f in items])
            return
        if not items:
            out("no open follow-ups")
        for f in items:
            flag = "OVERDUE " if f.overdue else ""
            who = f" (from {show(f.suggested_by)})" if f.suggested_by else ""
            out(f"#{f.id:<4} {flag}{f.due.strftime('%a %Y-%m-%d %H:%M')}  {show(f.what)}{who}  [{f.status}]")
        return
    if action == "list":
        raise InputError("'follow-up list' takes no more words; --all adds done and dropped ones, --json prints JSON")
    if action in ("done", "drop"):
        if len(words) != 2:
            raise InputError(f"give the follow-up's number: netmaint follow-up {action} ID (see: netmaint follow-up list)")
        fid = _number(words[1], "follow-up", "netmaint follow-up list")
        status = "done" if action == "done" else "dropped"
        current = followups.get_follow_up(ctx, fid)
        if current.status != "open":
            raise InputError(f"follow-up #{fid} is already {current.status}; nothing changed")
        view = followups.set_status(ctx, fid, status)
        out(f"follow-up #{fid} {view.status}: {show(view.what)}")
        return
    if len(words) < 2:
        raise InputError("give a contact and what to do: netmaint follow-up NAME WHAT [--due WHEN]")
    cid = resolve_contact(words[0])
    about, about_text = None, ""
    if args.about:
        try:
            about = resolve_contact(args.about)
        except UnknownContact:
            about_text = " ".join(args.about.split())  # not a contact: kept as the text given
    import datetime as dt

    due = parse_when(ctx, args.due, prefer="future", default_time=dt.time(9, 0))
    fid = followups.add_follow_up(ctx, " ".join(words[1:]), due=due, suggested_by=cid, about=about, about_text=about_text)
    view = followups.get_follow_up(ctx, fid)
    about_shown = f" (about {show(view.about or view.about_text)})" if (view.about or view.about_text) else ""
    out(f"follow-up #{fid}: {show(view.what)}{about_shown} — due {view.due.strftime('%a %Y-%m-%d %H:%M')}")


def _number(text: str, what: str, listing: str) -> int:
    """A follow-up's or a pause's number as typed (`12` or `#12`), small enough for SQLite."""
    import re

    from netmaint_tui.services.common import InputError

    if not re.fullmatch(r"#?\d{1,18}", text.strip()):
        raise InputError(f"{text!r} is not a {what} number; see: {listing}")
    return int(text.strip().lstrip("#"))


def _follow_up_json(f) -> dict:
    return {
        "id": f.id,
        "what": f.what,
        "due": f.due.isoformat(),
        "status": f.status,
        "overdue": f.overdue,
        "suggested_by": f.suggested_by,
        "about": f.about or (f.about_text or None),
        "touch_id": f.touch_id,
    }


def cmd_due(ctx, args):
    from netmaint_tui.services.common import InputError
    from netmaint_tui.rules.dates import humanize_in
    from netmaint_tui.services.due import due_list

    if args.limit < 0:
        raise InputError("--limit must be 0 or more")
    rows = due_list(ctx, limit=args.limit or None, text=args.filter, include_snoozed=args.snoozed)
    if args.json:
        dump_json([r.as_json() for r in rows])
        return
    if not rows:
        out(f"nobody matches {show(args.filter)!r}" if args.filter.strip() else "nobody to show; add someone with: netmaint add NAME")
        return
    width = min(28, max(len(show(r.name)) for r in rows))
    for i, r in enumerate(rows, 1):
        due = humanize_in(r.days_until_due)
        out(f"{i:>3}. {show(r.name)[:width]:<{width}}  {show(r.company)[:20]:<20}  {r.tier}  {due:>12}  {show(r.reason)}")


def cmd_week(ctx, args):
    from netmaint_tui.services.habit import week_summary

    s = week_summary(ctx)
    if args.json:
        dump_json(s.as_json())
        return
    parts = [f"Week of {s.week_start.strftime('%a %Y-%m-%d')}", s.progress_text()]
    parts.append("paused" if s.paused and s.status != "met" else s.status)
    out(" · ".join(parts))
    if not s.has_goal:
        out("No weekly goal yet; set one with: netmaint goal set --touches 5")
        return
    out(f"Streak {s.current_streak} (best {s.best_streak}) · strength {round(s.strength * 100)}%")
    marks = {"met": "█", "missed": "·", "paused": "‖", "open": "▒", "none": " "}
    out("Last 26 weeks: " + "".join(marks.get(st, " ") for _, st in s.heat))
    if s.suggestions:
        need = max(0, (s.goal_touches or 0) - s.touches)
        out(f"{need} more: {', '.join(show(n) for n in s.suggestions)}")


def cmd_goal(ctx, args):
    from netmaint_tui.services.habit import list_goals, set_goal

    if args.action == "list":
        for g in list_goals():
            out(f"from {g.from_date}: touches {g.touches if g.touches is not None else '-'}, "
                f"minutes {g.minutes if g.minutes is not None else '-'}")
        return
    start = parse_day(ctx, args.from_date)
    set_goal(ctx, args.touches, args.minutes, start)
    goal = [f"{args.touches} touches" if args.touches is not None else "", f"{args.minutes} minutes" if args.minutes is not None else ""]
    out(f"weekly goal: {' and '.join(x for x in goal if x)}, from {start or ctx.today()}")


def cmd_pause(ctx, args):
    from netmaint_tui.services.common import InputError
    from netmaint_tui.services.habit import add_pause, list_pauses, remove_pause

    if args.start == "list" and args.end is None:
        pauses = list_pauses()
        if not pauses:
            out("no pauses")
        for p in pauses:
            out(f"#{p.id:<4} {p.start} to {p.end}" + (f"  ({show(p.reason)})" if p.reason else ""))
        return
    if args.start == "remove":
        if args.end is None:
            raise InputError("give the pause's number: netmaint pause remove ID (see: netmaint pause list)")
        gone = remove_pause(ctx, _number(args.end, "pause", "netmaint pause list"))
        out(f"removed the pause {gone.start} to {gone.end}")
        return
    if args.end is None:
        raise InputError("give the pause's first and last day: netmaint pause FROM TO; see: netmaint pause --help")
    start, end = parse_day(ctx, args.start), parse_day(ctx, args.end)
    add_pause(ctx, start, end, args.reason)
    out(f"paused {start} to {end}" + (f" ({show(args.reason)})" if args.reason else ""))


def cmd_snooze(ctx, args):
    import datetime as dt

    from netmaint_tui.services.common import InputError
    from netmaint_tui.services.contacts import contact_detail, names_of, resolve_contact, snooze

    if args.undo == (args.until is not None):
        raise InputError("give the day to snooze until (e.g. 'in 2w'), or --undo to show them again")
    cid = resolve_contact(args.name)
    name = show(names_of([cid])[0])
    if args.undo:
        if not contact_detail(ctx, cid).snoozed_until:
            out(f"{name} is not snoozed; nothing changed")
            return
        snooze(ctx, cid, None)
        out(f"unsnoozed {name}")
        return
    until = parse_when(ctx, args.until, prefer="future", default_time=dt.time(0, 0)).date()
    snooze(ctx, cid, until)
    out(f"snoozed {name} until {until}")


def cmd_archive(ctx, args):
    from netmaint_tui.services.contacts import contact_detail, names_of, resolve_contact, set_archived

    cid = resolve_contact(args.name, include_archived=args.undo)
    name = show(names_of([cid])[0])
    if args.undo and not contact_detail(ctx, cid).archived:
        out(f"{name} is not archived; nothing changed")
        return
    set_archived(ctx, cid, not args.undo)
    out(("unarchived " if args.undo else "archived ") + name)


def cmd_demo(args, settings):
    import shutil
    import tempfile

    from netmaint_tui.demo import build_demo

    # Always its own throw-away database, removed when the demo ends: 150 sample contacts and
    # 18 months of made-up touches must never land in a real network, whatever names one
    # (--db, NETMAINT_DB, the config's data_file).
    given = getattr(args, "db", None)
    if given:
        say(f"the demo uses its own throw-away database and leaves {given} alone")
    folder = Path(tempfile.mkdtemp(prefix="netmaint-demo-"))
    path = folder / "demo.db"
    try:
        ctx = make_context(settings)
        build_demo(path, ctx, seed=args.seed)
        if args.print:
            from netmaint_tui.store.db import close_database, open_database

            open_database(path)
            args.limit, args.json, args.filter, args.snoozed = 20, False, "", False
            try:
                cmd_due(ctx, args)
            finally:
                close_database()
            return 0
        return run_app(path, settings, getattr(args, "theme", None), ctx.clock)
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def run_app(path: Path, settings, theme, clock) -> int:
    import gc

    from netmaint_tui.services.startup import Preload
    from netmaint_tui.store.db import open_database

    # Open (and migrate) before the screen takes over, so a locked, newer or damaged file is one
    # clear line on the terminal, not an error inside a half-drawn app. Then rank on a thread
    # while the interface itself is imported and composed.
    open_database(path)
    preload = Preload(make_context(settings, clock))
    try:
        from netmaint_tui.ui.app import make_app
    except ImportError as exc:  # the full-screen app is optional for scripted use
        raise UsageError(f"the full-screen app is not available: {exc}") from None
    app = make_app(path, clock, settings, theme, preload=preload)
    # What start-up loaded (Textual, the modules, the first page) lives as long as the app: frozen,
    # the collector stops walking it, and the full collection it would otherwise run a moment
    # before the first frame (20-30 ms) does not happen.
    gc.freeze()
    app.run()
    return app.return_code or 0


NEEDS_DB = {
    "add": cmd_add, "log": cmd_log, "follow-up": cmd_follow_up, "due": cmd_due, "week": cmd_week,
    "goal": cmd_goal, "pause": cmd_pause, "snooze": cmd_snooze, "archive": cmd_archive,
}

EXTRA = {
    # Commands that live with their feature; each is `run(args, settings) -> int`.
    "import": ("netmaint_tui.io.commands", "cmd_import"),
    "export": ("netmaint_tui.io.commands", "cmd_export"),
    "backup": ("netmaint_tui.io.commands", "cmd_backup"),
    "restore": ("netmaint_tui.io.commands", "cmd_restore"),
    "config": ("netmaint_tui.config_cli", "cmd_config"),
}


def _attach_yearless_birthday(argv: list[str]) -> list[str]:
    """`--birthday --02-29` is the documented form, but argparse reads `--02-29` as an option."""
    import re

    out: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] == "--birthday" and i + 1 < len(argv) and re.fullmatch(r"--\d{2}-\d{2}", argv[i + 1]):
            out.append(f"--birthday={argv[i + 1]}")
            i += 2
            continue
        out.append(argv[i])
        i += 1
    return out


def dispatch(argv: list[str]) -> int:
    args = build_parser().parse_args(_attach_yearless_birthday(list(argv)))
    command = args.command
    # `config` reports the file's problems itself, with the settings they concern.
    settings = load_settings(warn=command != "config")
    if command == "demo":
        return cmd_demo(args, settings)
    if command in EXTRA:
        import importlib

        module, name = EXTRA[command]
        try:
            handler = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            raise UsageError(f"'{command}' is not available in this version") from None
        return handler(args, settings) or 0
    from netmaint_tui.clock import system_clock

    clock = system_clock()
    path = db_path(args, settings)
    if command is None:
        return run_app(path, settings, getattr(args, "theme", None), clock)
    from netmaint_tui.store.db import close_database, open_database

    db = open_database(path)
    try:
        # Read-only, a write is refused with one line: no copy is made for it first.
        if command in WRITES and not _reads_only(args) and not db.readonly:
            _daily_backup(path)
        NEEDS_DB[command](make_context(settings, clock), args)
    finally:
        close_database()
    return 0


# Commands that may change the database get the day's first automatic backup before they do.
WRITES = {"add", "log", "follow-up", "goal", "pause", "snooze", "archive"}


def _reads_only(args) -> bool:
    """A command of WRITES that only reads this time (`follow-up list`, `goal list`): no backup."""
    if args.command == "goal":
        return args.action == "list"
    if args.command == "pause":
        return args.start == "list"
    return args.command == "follow-up" and args.words[:1] == ["list"]


def _daily_backup(path: Path) -> None:
    """Once a day, before the first write; afterwards one directory listing. Only a damaged
    database stops the command: the copy reads every page, and nothing is written to a file
    found damaged."""
    from netmaint_tui.store.backup import BackupError, SourceDamaged, daily_backup

    try:
        daily_backup(path)
    except SourceDamaged:
        raise
    except (BackupError, OSError) as exc:
        print(f"netmaint: warning: today's automatic backup failed ({exc}); continuing", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        return dispatch(argv)
    except UsageError as exc:
        say(exc)
        return USAGE_ERROR
    except KeyboardInterrupt:
        say("interrupted; nothing half-written was kept")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: one line, never a traceback
        return report(exc)


def say(message) -> None:
    """One line on stderr, whatever the message holds: it may quote a name, a path or a typed date."""
    from netmaint_tui.rules.text import visible

    print(f"netmaint: {visible(str(message), single_line=True)}", file=sys.stderr)


def report(exc: BaseException) -> int:
    from netmaint_tui.clock import ClockError
    from netmaint_tui.services.common import InputError
    from netmaint_tui.store.errors import StoreError

    if isinstance(exc, (InputError, ClockError)):
        say(exc)
        return USAGE_ERROR
    if isinstance(exc, StoreError):
        say(exc)
        return exc.exit_code
    from peewee import PeeweeException

    if isinstance(exc, PeeweeException):
        say(f"database error: {exc}")
        return 1
    if isinstance(exc, OSError):
        say(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        return 1
    if os.environ.get("NETMAINT_DEBUG"):
        raise exc
    say(f"unexpected error ({type(exc).__name__}: {exc}); rerun with NETMAINT_DEBUG=1 for details")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
