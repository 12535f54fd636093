"""`netmaint backup` and `restore`: a consistent copy of the database, every copy there is, and back."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from netmaint_tui.cli.base import UsageError, command, db_path, dump_json, known_databases, show
from netmaint_tui.rules.vocabulary import byte_size
from netmaint_tui.store.backup import (
    BackupError,
    NotRestorable,
    all_backups,
    copy_database,
    manual_backup_path,
    restore_database,
)
from netmaint_tui.store.guard import refuse_overwrite
from netmaint_tui.store.migrations import SCHEMA_VERSION


def _backup_arguments(b) -> None:
    b.add_argument("action", nargs="?", choices=["list"], help="list: every backup of the database, newest first")
    b.add_argument("-o", "--output", default=None)
    b.add_argument("--json", action="store_true", help="with list: print JSON")


@command("backup", help="a consistent copy of the database, or: list [--json]", arguments=_backup_arguments,
         usage="netmaint backup [-o FILE] | list [--json]", database=False)
def backup(args, settings) -> int:
    path = db_path(args, settings)
    if args.action == "list":
        return _list_backups(args, path)
    if args.json:
        raise UsageError("--json goes with the list: netmaint backup list --json")
    if not path.is_file():
        raise UsageError(f"no database at {path}; nothing to back up")
    if args.output:
        databases = known_databases(args, settings)
        dest = Path(args.output).expanduser()
        refuse_overwrite(dest, databases)
        if dest.is_dir():
            dest = manual_backup_path(path, folder=dest)
            refuse_overwrite(dest, databases)
        elif os.path.lexists(dest) and not dest.is_file():
            # A copy is made beside the target and renamed over it: that would replace a device
            # or a pipe (/dev/null itself) with a file.
            raise UsageError(f"{dest} is not a regular file; give a file name or a folder for the copy")
    else:
        dest = manual_backup_path(path)
    try:
        copy_database(path, dest)
    except BackupError as exc:
        print(f"netmaint: {exc}", file=sys.stderr)
        return 1
    print(f"backed up {show(str(path))} to {show(str(dest))} ({byte_size(dest.stat().st_size)})")
    return 0


def _list_backups(args, path: Path) -> int:
    if args.output:
        raise UsageError("backup list writes no file; leave out -o (or make a copy with: netmaint backup -o FILE)")
    found = all_backups(path)
    if args.json:
        dump_json([b.as_json() for b in found])
        return 0
    if not found:
        print(f"no backups of {show(str(path))} yet; make one with: netmaint backup")
        return 0
    width = max(len(b.label) for b in found)
    for b in found:
        print(f"{b.when:%a %Y-%m-%d %H:%M:%S}  {b.label:<{width}}  {byte_size(b.size):>9}  {show(str(b.path))}")
    return 0


def _restore_arguments(r) -> None:
    r.add_argument("file")


@command("restore", help="restore the database from a backup", arguments=_restore_arguments, database=False)
def restore(args, settings) -> int:
    source = Path(args.file).expanduser()
    if not source.exists():
        raise UsageError(f"cannot read {source}: No such file or directory")
    if not os.access(source, os.R_OK) or not source.is_file():
        raise UsageError(f"cannot read {source}: not a readable file")
    path = db_path(args, settings)
    # The database named is replaced (that is the point), never a backup or a journal under its name.
    refuse_overwrite(path, known_databases(args, settings), allow_database=True)
    try:
        aside = restore_database(path, source, SCHEMA_VERSION)
    except NotRestorable as exc:
        raise UsageError(str(exc)) from None
    except BackupError as exc:
        print(f"netmaint: {exc}", file=sys.stderr)
        return 1
    where = f"the previous one is at {show(str(aside))}" if aside else "there was no database before"
    print(f"restored {show(str(source))} to {show(str(path))}; {where}")
    return 0
