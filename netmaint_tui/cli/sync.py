"""`netmaint sync`: the network in step with the folders vdirsyncer carries to a CardDAV/CalDAV
server (services.sync says how)."""

from __future__ import annotations

import sys

from netmaint_tui.cli.base import (
    UsageError,
    command,
    daily_backup_before_writing,
    db_path,
    dump_json,
    make_context,
    say,
    show,
)
from netmaint_tui.paths import config_file
from netmaint_tui.services.common import InputError
from netmaint_tui.store.db import close_database, open_database, open_snapshot

FOLDER_OPTIONS = (("contacts", "--contacts"), ("follow_ups", "--follow-ups"), ("journal", "--journal"))


def _arguments(p) -> None:
    p.add_argument("--contacts", metavar="DIR", help="a folder of .vcf cards (a vdir)")
    p.add_argument("--follow-ups", dest="follow_ups", metavar="DIR", help="a folder of .ics tasks")
    p.add_argument("--journal", metavar="DIR", help="a folder of .ics journal entries")
    p.add_argument("--dry-run", action="store_true", help="say what would change; write nothing")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


def chosen_folders(args, settings) -> dict[str, str]:
    """The folders on the command line when any is given there, else those of the config."""
    given = {name: getattr(args, name) for name, _ in FOLDER_OPTIONS if getattr(args, name, None) is not None}
    for name, option in FOLDER_OPTIONS:
        if name in given and not given[name].strip():
            raise UsageError(f"{option} needs a folder; leave it out to use the config's")
    if given:
        return given
    configured = {name: getattr(settings, f"sync_{name}", None) for name, _ in FOLDER_OPTIONS}
    return {name: path for name, path in configured.items() if path}


@command("sync", help="sync contacts, follow-ups and the journal with vdir folders", arguments=_arguments,
         usage="netmaint sync [--contacts DIR] [--follow-ups DIR] [--journal DIR] [--dry-run] [--json]",
         database=False)
def sync_command(args, settings) -> int:
    from netmaint_tui.services.sync import sync  # lazy: icalendar, for this command only

    folders = chosen_folders(args, settings)
    if not folders:
        raise InputError(f"no folder to sync with: give --contacts DIR (and/or --follow-ups, --journal) or add "
                         f"sync: {{contacts: DIR}} to {config_file()} (netmaint config edit opens it)")
    path = db_path(args, settings)
    if args.dry_run:
        open_snapshot(path)  # a dry run creates and changes no file
    else:
        open_database(path)
        daily_backup_before_writing(path)
    try:
        report = sync(make_context(settings), folders, dry_run=args.dry_run)
    finally:
        close_database()
    if args.json:
        dump_json(report.as_json())
        return 0
    for line in report.notices:
        say(line)
    for problem in report.problems:
        print(f"{show(problem.href)} ({problem.folder.replace('_', '-')}): {show(problem.message)}", file=sys.stderr)
    for line in report.conflicts:
        print(f"conflict, netmaint's value kept: {show(line)}", file=sys.stderr)
    print(report.summary())
    return 0
