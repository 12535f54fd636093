"""What every command shares: how one is declared, usage errors, reading arguments, and output.

A command is declared once, in the module of its feature, with the `command` decorator on its
handler; `netmaint_tui.cli` builds the parser and dispatches from those declarations alone.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from netmaint_tui.clock import Clock, system_clock
from netmaint_tui.config import Settings, load_settings as read_settings
from netmaint_tui.paths import default_db_file
from netmaint_tui.rules.dates import DateInputError, parse_date, parse_when as parse_moment
from netmaint_tui.rules.text import json_safe, visible
from netmaint_tui.services.common import Context, InputError
from netmaint_tui.store.backup import BackupError, SourceDamaged, daily_backup
from netmaint_tui.store.db import close_database, open_database, open_snapshot
from netmaint_tui.store.guard import known_databases as protected_databases

USAGE_ERROR = 2
MAX_COUNT = 10**9


class UsageError(Exception):
    exit_code = USAGE_ERROR


class Parser(argparse.ArgumentParser):
    """One line for a usage error, not argparse's usage block: what is wrong and where to look."""

    def error(self, message):  # noqa: D401 - argparse's signature
        raise UsageError(f"{message}; see: {self.prog} --help")


# --- declaring a command ----------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, its help, its arguments, its handler and what it needs.

    database: True, dispatch opens the database (creating it if missing) before `run(ctx, args)`
      and closes it after. False, `run(args, settings) -> exit status` opens whatever it needs
      itself: import and export check their files before the database, backup and restore copy it.
    writes: whether this invocation may change the database (`follow-up list` does not, `follow-up
      NAME WHAT` does): a bool, or a function of the parsed arguments.
    creates: a writing invocation creates a missing database; False, it reads an empty one instead
      (a reminder timer with a mistyped --db must not leave a new file behind and stay silent).
    daily_backup: a writing invocation gets the day's first automatic backup before it.
    warn_config: problems in the config file are printed before the command runs (`config` shows
      them itself, with the settings they concern).
    """

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable
    usage: str | None = None
    database: bool = True
    writes: bool | Callable[[argparse.Namespace], bool] = False
    creates: bool = True
    daily_backup: bool = True
    warn_config: bool = True

    def writes_now(self, args: argparse.Namespace) -> bool:
        return self.writes(args) if callable(self.writes) else self.writes


COMMANDS: dict[str, Command] = {}


def command(name: str, help: str, arguments: Callable[[argparse.ArgumentParser], None], **needs):
    """Declare the decorated function as the handler of subcommand `name` (see Command)."""

    def declare(run: Callable) -> Callable:
        if name in COMMANDS:
            raise ValueError(f"the command {name!r} is declared twice")
        COMMANDS[name] = Command(name, help, arguments, run, **needs)
        return run

    return declare


def no_arguments(parser: argparse.ArgumentParser) -> None:
    """For a command that takes only the options every command takes."""


# --- reading arguments ------------------------------------------------------------------------


def count(text: str) -> int:
    """A count or a limit: argparse's int takes a number of any size, which SQLite cannot store."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= number <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"{text} is out of range; use 0 to {MAX_COUNT:,}")
    return number


def count_up_to(most: int):
    """An argparse type: a count from 0 to `most`, said as that range when it is not one."""

    def bounded(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; give 0 to {most:,}") from None
        if not 0 <= number <= most:
            raise argparse.ArgumentTypeError(f"{text} is out of range; give 0 to {most:,}")
        return number

    return bounded


def number(text: str, what: str, listing: str) -> int:
    """A follow-up's or a pause's number as typed (`12` or `#12`), small enough for SQLite."""
    if not re.fullmatch(r"#?\d{1,18}", text.strip()):
        raise InputError(f"{text!r} is not a {what} number; see: {listing}")
    return int(text.strip().lstrip("#"))


def parse_when(ctx, text, prefer="past", default_time=None):
    """An option's moment; None when the option was not given. Given empty, it is an error, not
    the default: `--at ""` from a script with an unset variable must not log "now"."""
    if text is None:
        return None
    try:
        if default_time is None:
            return parse_moment(text, ctx.now(), prefer=prefer)
        return parse_moment(text, ctx.now(), prefer=prefer, default_time=default_time)
    except DateInputError as exc:
        raise InputError(str(exc)) from None


def parse_day(ctx, text):
    """An argument's date; None when it was not given (an empty one is an error, as in parse_when)."""
    if text is None:
        return None
    try:
        return parse_date(text, today=ctx.today())
    except DateInputError as exc:
        raise InputError(str(exc)) from None


# --- what a command runs with -----------------------------------------------------------------


def db_path(args, settings=None) -> Path:
    given = getattr(args, "db", None)
    if given is not None and not given.strip():
        # `--db "$UNSET"` must not quietly mean the usual database.
        raise UsageError("--db needs a file name; leave it out to use the usual database")
    chosen = given or os.environ.get("NETMAINT_DB")
    if not chosen and settings is not None and getattr(settings, "data_file", None):
        chosen = settings.data_file
    return Path(chosen).expanduser() if chosen else default_db_file()


def known_databases(args, settings) -> list[Path]:
    """The database this command uses and every other one netmaint opens by default: none of
    them, their companions or their backups may be written over by a file the user names."""
    return protected_databases(db_path(args, settings), data_file=getattr(settings, "data_file", None))


def load_settings(warn=True) -> Settings:
    settings, problems = read_settings()
    if warn:
        for line in problems:
            print(f"netmaint: {line}", file=sys.stderr)
    return settings


def make_context(settings, clock: Clock | None = None) -> Context:
    return Context(clock or system_clock(), settings)


@contextmanager
def database_for(args, settings, dry_run: bool = False):
    """The database a command that writes works on, open for the block: for a dry run a snapshot,
    which creates and changes no file (no database, no -wal, no backup)."""
    path = db_path(args, settings)
    if dry_run:
        open_snapshot(path)
    else:
        open_database(path)
    try:
        yield
    finally:
        close_database()


# --- output -----------------------------------------------------------------------------------

MAX_PROBLEM_LINES = 200  # a broken file can have a problem on every line; the first ones say what is wrong


def problem_lines(lines: list[str]) -> list[str]:
    """The first MAX_PROBLEM_LINES of a file's problems, and how many more there are."""
    if len(lines) <= MAX_PROBLEM_LINES:
        return lines
    return [*lines[:MAX_PROBLEM_LINES], f"… and {len(lines) - MAX_PROBLEM_LINES} more problems like these"]



def out(text: str = "") -> None:
    print(text)


def show(text) -> str:
    return visible(str(text) if text is not None else "", single_line=True)


def say(message) -> None:
    """One line on stderr, whatever the message holds: it may quote a name, a path or a typed date."""
    print(f"netmaint: {visible(str(message), single_line=True)}", file=sys.stderr)


def dump_json(value) -> None:
    print(json_safe(json.dumps(value, ensure_ascii=False, indent=2)))


class ProgressBar:
    """A one-line bar on stderr, only when stderr is a terminal and the work takes a moment."""

    WIDTH = 30
    DELAY = 0.3  # seconds before the bar appears: quick imports print nothing extra
    INTERVAL = 0.1

    def __init__(self, label: str, stream=None, enabled: bool | None = None, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.label = label
        self.clock = clock
        self.started = clock()
        self.last = 0.0
        self.drawn = False

    def phase(self, name: str):
        def update(done: int, total: int) -> None:
            self.update(name, done, total)

        return update

    def update(self, phase: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < self.DELAY or (now - self.last < self.INTERVAL and done < total):
            return
        self.last = now
        fraction = done / total if total else 1.0
        filled = int(self.WIDTH * fraction)
        bar = "█" * filled + "░" * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} {phase:<8} {bar} {fraction:>4.0%}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False


def daily_backup_before_writing(path: Path) -> None:
    """Once a day, before the first write; afterwards one directory listing. Only a damaged
    database stops the command: the copy reads every page, and nothing is written to a file
    found damaged."""
    try:
        daily_backup(path)
    except SourceDamaged:
        raise
    except (BackupError, OSError) as exc:
        print(f"netmaint: warning: today's automatic backup failed ({exc}); continuing", file=sys.stderr)
