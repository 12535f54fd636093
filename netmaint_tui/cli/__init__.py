"""The command line: `netmaint` opens the app, `netmaint COMMAND` runs one command.

Each command is declared once, in the module of its feature (cli.base.command); this module
builds the parser from those declarations and runs the one asked for.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import sys

from peewee import PeeweeException

# Importing a feature's module declares its commands; --help lists them in this order.
from netmaint_tui.cli import contacts, contact_view, touches, followups, due, today, merging, habit, files, capture, sync, backups, config, app  # noqa: F401, I001
from netmaint_tui.cli.base import (
    COMMANDS,
    USAGE_ERROR,
    Parser,
    UsageError,
    daily_backup_before_writing,
    db_path,
    load_settings,
    make_context,
    say,
)
from netmaint_tui.clock import ClockError, system_clock
from netmaint_tui.services.common import InputError
from netmaint_tui.store.db import close_database, open_database, open_snapshot
from netmaint_tui.store.errors import StoreError
from netmaint_tui.store.files import translate_error
from netmaint_tui.store.models import database


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


def build_parser() -> Parser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="database file (or set NETMAINT_DB)")
    p = Parser(prog="netmaint", description="Keep a professional network alive.", parents=[common])
    p.add_argument("--theme", default=None, help="theme for this run")
    p.add_argument("--version", action=_Version)
    sub = p.add_subparsers(dest="command", parser_class=Parser)
    for declared in COMMANDS.values():
        declared.arguments(sub.add_parser(declared.name, parents=[common], help=declared.help, usage=declared.usage))
    return p


def _attach_yearless_birthday(argv: list[str]) -> list[str]:
    """`--birthday --02-29` is the documented form, but argparse reads `--02-29` as an option
    (`--date --06-12` too, an anniversary without a label)."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] in ("--birthday", "--date") and i + 1 < len(argv) and re.fullmatch(r"--\d{2}-\d{2}", argv[i + 1]):
            out.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
            continue
        out.append(argv[i])
        i += 1
    return out


def dispatch(argv: list[str]) -> int:
    args = build_parser().parse_args(_attach_yearless_birthday(list(argv)))
    declared = COMMANDS.get(args.command)
    settings = load_settings(warn=declared is None or declared.warn_config)
    if declared is None:
        return app.open_app(args, settings)
    if not declared.database:
        return declared.run(args, settings) or 0
    clock = system_clock()
    path = db_path(args, settings)
    # A command that only reads, on a database that is not there (a first run, a mistyped --db),
    # reads an empty one: it creates no file and no folder.
    missing = not path.exists()
    db = open_snapshot(path) if missing and not (declared.writes_now(args) and declared.creates) else open_database(path)
    try:
        # Read-only, a write is refused with one line: no copy is made for it first.
        if declared.daily_backup and declared.writes_now(args) and not db.readonly:
            daily_backup_before_writing(path)
        # A command says how it went by its exit status; most only by what they raise.
        status = declared.run(make_context(settings, clock), args)
    finally:
        close_database()
    return status or 0



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


def report(exc: BaseException) -> int:
    if isinstance(exc, (InputError, ClockError)):
        say(exc)
        return USAGE_ERROR
    if isinstance(exc, StoreError):
        say(exc)
        return exc.exit_code
    if isinstance(exc, sqlite3.DatabaseError) and database.obj is not None:
        # Raised while rows were being read, past the statement that would have translated it.
        exc = translate_error(exc, getattr(database.obj, "path", "the database"))
        if isinstance(exc, StoreError):
            say(exc)
            return exc.exit_code
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
