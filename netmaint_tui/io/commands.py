"""`netmaint import`, `export`, `backup` and `restore`.

Each prints one summary line; problems with single records go to stderr as `line N: message`
before it. A file that cannot be read is one line and exit status 2. Files written here are
created 0600 (notes about people are private) and appear whole or not at all.
"""

from __future__ import annotations

import os
import shlex
import sys
import time
from pathlib import Path

from netmaint_tui.cli import USAGE_ERROR, UsageError, db_path, known_databases, make_context, show
from netmaint_tui.rules.vocabulary import byte_size, field_label, plural

# --- progress on a terminal -------------------------------------------------------------------


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


# --- files ------------------------------------------------------------------------------------


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` as a new 0600 file: a temporary file beside it, then a rename."""
    path = Path(path)
    if path.exists() and not path.is_file():
        # A pipe or a device (/dev/stdout): there is nothing to replace atomically.
        with open(path, "wb") as handle:
            handle.write(data)
        return
    folder = path.parent if str(path.parent) else Path(".")
    tmp = folder / f".{path.name}.tmp-{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _for_terminal(data: bytes) -> bytes:
    """Export text shown on a terminal: control characters become visible stand-ins.

    Only when stdout is a terminal (like `ls`): piped or redirected output is byte-exact.
    """
    from netmaint_tui.rules.text import visible

    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
    return "\n".join(visible(line) for line in text.split("\n")).encode("utf-8")


def _open(args, settings, must_exist: bool):
    from netmaint_tui.store.db import open_database

    path = db_path(args, settings)
    if must_exist and not path.exists():
        raise UsageError(f"no database at {path}; give one with --db or NETMAINT_DB")
    open_database(path)
    return path


# --- import -----------------------------------------------------------------------------------


def _counts(report) -> str:
    return (f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.skipped} skipped")


MAX_ISSUE_LINES = 200  # a broken file can have a problem on every line; the first ones say what is wrong


def _issue_lines(issues) -> list[str]:
    ordered = sorted(issues, key=lambda i: (i.line == 0, i.line))
    lines = [(f"line {i.line}: " if i.line else "") + show(i.message) for i in ordered[:MAX_ISSUE_LINES]]
    if len(ordered) > MAX_ISSUE_LINES:
        lines.append(f"… and {len(ordered) - MAX_ISSUE_LINES} more problems like these")
    return lines


def _change_lines(report) -> list[str]:
    out = []
    for change in report.changes:
        where = f"line {change.line}: " if change.line else ""
        if change.action == "add":
            out.append(f"{where}would add {show(change.name)}")
        elif change.action == "update":
            parts = []
            for key, (old, new) in change.fields.items():
                if isinstance(new, list):
                    added = [v for v in new if v not in (old or [])]
                    parts.append(f"{field_label(key)} + {show(', '.join(added))}")
                else:
                    parts.append(f"{field_label(key)} {show(repr(old if old is not None else ''))} → {show(repr(new))}")
            out.append(f"{where}would update {show(change.name)}: {'; '.join(parts)}")
    return out


def summary_line(name: str, report) -> str:
    """`imported Connections.csv: 2 added, 0 updated, 0 unchanged, 0 skipped (1 removed member)`."""
    summary = ("contacts: " if report.others else "") + _counts(report)
    if report.left_out:
        summary += " (" + ", ".join(plural(n, why) for why, n in sorted(report.left_out.items())) + ")"
    for section, counts in report.others.items():
        summary += (f"; {section.replace('_', '-')}: {counts.added} added, {counts.updated} updated, "
                    f"{counts.unchanged} unchanged, {counts.skipped} skipped")
    verb = "dry run, nothing written:" if report.dry_run else "imported"
    return f"{verb} {show(name)}: {summary}"


def cmd_import(args, settings) -> int:
    from netmaint_tui.io.formats import LABELS, WrongFormat, check_format
    from netmaint_tui.io.json_io import DocumentError
    from netmaint_tui.services.importing import import_file, read_import_file
    from netmaint_tui.store.db import close_database, open_snapshot

    source = Path(args.file)
    data = read_import_file(source)
    try:
        check_format(args.format, data)  # before the database is opened, let alone created
    except WrongFormat as exc:
        raise UsageError(f"{source} looks like a {LABELS[exc.found]}, not a {LABELS[exc.given]}; "
                         f"nothing was imported. Use: netmaint import {exc.found} {shlex.quote(str(source))}") from None
    bar = ProgressBar(f"importing {source.name}")
    try:
        if args.dry_run:
            open_snapshot(db_path(args, settings))  # a dry run creates and changes no file
        else:
            _open(args, settings, must_exist=False)
        try:
            report = import_file(make_context(settings), args.format, data, dry_run=args.dry_run,
                                 progress=bar.update)
        except DocumentError as exc:
            where = f" line {exc.line}" if exc.line else ""
            raise UsageError(f"{source}{where}: {exc.message}; nothing was imported") from None
        finally:
            close_database()
    finally:
        bar.close()
    for line in _issue_lines(report.issues):
        print(line, file=sys.stderr)
    if args.dry_run:
        for line in _change_lines(report):
            print(line)
    print(summary_line(source.name, report))
    nothing_usable = report.added + report.updated + report.unchanged == 0
    return 1 if nothing_usable and report.issues else 0


# --- export -----------------------------------------------------------------------------------


def _check_output(target: Path) -> None:
    """A file name the export can be written to, said before any work is done."""
    if target.is_dir():
        raise UsageError(f"{show(str(target))} is a folder; give a file name, e.g. {show(str(target / 'netmaint.json'))}")
    if not target.parent.is_dir():
        raise UsageError(f"the folder {show(str(target.parent))} does not exist; create it or choose another")


def cmd_export(args, settings) -> int:
    from netmaint_tui.store.db import close_database

    from netmaint_tui.store.guard import refuse_overwrite, refuse_overwrite_stream

    fmt = args.format
    if args.output:
        refuse_overwrite(args.output, known_databases(args, settings))
        _check_output(Path(args.output).expanduser())
    else:
        fd = _stdout_fd()
        if fd is not None:
            refuse_overwrite_stream(fd, known_databases(args, settings))
    _open(args, settings, must_exist=True)
    try:
        ctx = make_context(settings)
        data, what = render_export(ctx, fmt)
    finally:
        close_database()
    if args.output:
        target = Path(args.output).expanduser()
        write_private(target, data)
        print(f"exported {what} to {show(str(target))}")
    else:
        out = sys.stdout.buffer
        out.write(_for_terminal(data) if sys.stdout.isatty() else data)
        out.flush()
    return 0


def _stdout_fd() -> int | None:
    try:
        return sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by a stream without a file
        return None


def render_export(ctx, fmt: str) -> tuple[bytes, str]:
    """The export's bytes and a few words saying what is in it."""
    if fmt in ("json", "yaml"):
        from netmaint_tui.io.json_io import dumps_json, dumps_yaml
        from netmaint_tui.services.exporting import snapshot

        doc = snapshot(ctx)
        text = dumps_json(doc) if fmt == "json" else dumps_yaml(doc)
        what = ", ".join(plural(len(doc[k]), w) for k, w in (
            ("contacts", "contact"), ("touches", "touch"), ("follow_ups", "follow-up"),
            ("goals", "goal"), ("pauses", "pause")))
        return text.encode("utf-8"), what
    if fmt == "csv":
        from netmaint_tui.io.csv_export import contacts_csv
        from netmaint_tui.services.exporting import export_contacts

        contacts = export_contacts()
        return contacts_csv(contacts).encode("utf-8"), plural(len(contacts), "contact")
    if fmt == "ics":
        from netmaint_tui.io.ics_export import DUE_WITHIN_DAYS, build_calendar
        from netmaint_tui.services.exporting import contacts_due_within, open_follow_ups

        follow_ups = open_follow_ups()
        due = contacts_due_within(ctx, DUE_WITHIN_DAYS)
        data = build_calendar(follow_ups, due, ctx.now())
        return data, f"{plural(len(follow_ups), 'open follow-up')} and {plural(len(due), 'contact')} due"
    raise UsageError(f"unknown export format {fmt!r}")


# --- backup and restore -----------------------------------------------------------------------


def cmd_backup(args, settings) -> int:
    from netmaint_tui.store.backup import BackupError, copy_database, manual_backup_path
    from netmaint_tui.store.guard import refuse_overwrite

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
    from netmaint_tui.cli import dump_json
    from netmaint_tui.store.backup import all_backups

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


def cmd_restore(args, settings) -> int:
    from netmaint_tui.store.backup import BackupError, NotRestorable, restore_database
    from netmaint_tui.store.guard import refuse_overwrite
    from netmaint_tui.store.migrations import SCHEMA_VERSION

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


__all__ = ["cmd_import", "cmd_export", "cmd_backup", "cmd_restore", "ProgressBar", "write_private",
           "render_export", "summary_line", "USAGE_ERROR"]
