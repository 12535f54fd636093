"""`netmaint import` and `export`: a file in, or the network out.

Each prints one summary line; problems with single records go to stderr as `line N: message`
before it. A file that cannot be read is one line and exit status 2. Files written here are
created 0600 (notes about people are private) and appear whole or not at all.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from netmaint_tui.cli.base import (
    USAGE_ERROR,
    ProgressBar,
    UsageError,
    command,
    database_for,
    db_path,
    known_databases,
    make_context,
    problem_lines,
    show,
)
from netmaint_tui.io.formats import EXPORTS, IMPORTS, FormatError, WrongFormat, check_format, file_format
from netmaint_tui.rules.text import visible
from netmaint_tui.rules.vocabulary import field_label, plural
from netmaint_tui.store.db import close_database, open_database
from netmaint_tui.store.guard import refuse_overwrite, refuse_overwrite_stream, write_private

IMPORT_NAMES = [f.name for f in IMPORTS]
EXPORT_NAMES = [f.name for f in EXPORTS]


def _open(args, settings, must_exist: bool):
    path = db_path(args, settings)
    if must_exist and not path.exists():
        raise UsageError(f"no database at {path}; give one with --db or NETMAINT_DB")
    open_database(path)
    return path


# --- import -----------------------------------------------------------------------------------


def _counts(report) -> str:
    return (f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.skipped} skipped")


def _issue_lines(issues) -> list[str]:
    ordered = sorted(issues, key=lambda i: (i.line == 0, i.line))
    return problem_lines([(f"line {i.line}: " if i.line else "") + show(i.message) for i in ordered])


def _change_line(change) -> str | None:
    """A dry run's line for one record's fate; None for one skipped (its issue says why)."""
    where = f"line {change.line}: " if change.line else ""
    if change.action == "add":
        return f"{where}would add {show(change.name)}"
    if change.action == "update":
        parts = []
        for key, (old, new) in change.fields.items():
            if isinstance(new, list):
                added = [v for v in new if v not in (old or [])]
                parts.append(f"{field_label(key)} + {show(', '.join(added))}")
            else:
                parts.append(f"{field_label(key)} {show(repr(old if old is not None else ''))} → {show(repr(new))}")
        return (f"{where}would update {show(change.matched)}: {'; '.join(parts)} "
                f"({show(change.match_words())})")
    if change.action == "same":
        return f"{where}unchanged: {show(change.matched)} ({show(change.match_words())})"
    return None


def _unlisted(change) -> None:
    """An import (not a dry run) lists no changes: only their counts and the issues."""


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


def _import_arguments(im) -> None:
    im.add_argument("format", choices=IMPORT_NAMES, help=", ".join(f"{f.name}: a {f.label}" for f in IMPORTS))
    im.add_argument("file")
    im.add_argument("--dry-run", action="store_true")


@command("import", help=f"import {'|'.join(IMPORT_NAMES)} FILE", arguments=_import_arguments, database=False)
def import_(args, settings) -> int:
    from netmaint_tui.services.import_file import import_path, read_import_file  # lazy: every command's start-up would pay for the import pipeline

    source = Path(args.file)
    data = read_import_file(source)
    try:
        check_format(args.format, data.head)  # before the database is opened, let alone created
    except WrongFormat as exc:
        found, given = file_format(exc.found), file_format(exc.given)
        raise UsageError(f"{source} looks like a {found.label}, not a {given.label}; nothing was imported. "
                         f"Use: netmaint {found.command} {found.name} {shlex.quote(str(source))}") from None
    bar = ProgressBar(f"importing {source.name}")

    def shown(change) -> None:
        line = _change_line(change)
        if line is not None:
            bar.close()  # the line takes the bar's place; the bar comes back below it
            print(line)
    try:
        with database_for(args, settings, dry_run=args.dry_run):
            # A dry run's lines are printed as they are found, and an import's are not listed:
            # a large file's are never all held.
            report = import_path(make_context(settings), args.format, data, dry_run=args.dry_run,
                                 progress=bar.update, on_change=shown if args.dry_run else _unlisted)
    except FormatError as exc:
        where = f" line {exc.line}" if exc.line else ""
        raise UsageError(f"{source}{where}: {exc.message}; nothing was imported") from None
    finally:
        bar.close()
    for line in _issue_lines(report.issues):
        print(line, file=sys.stderr)
    print(summary_line(source.name, report))
    nothing_usable = report.added + report.updated + report.unchanged == 0
    return USAGE_ERROR if nothing_usable and report.issues else 0  # nothing in the file could be used


# --- export -----------------------------------------------------------------------------------


def _check_output(target: Path) -> None:
    """A file name the export can be written to, said before any work is done."""
    if target.is_dir():
        raise UsageError(f"{show(str(target))} is a folder; give a file name, e.g. {show(str(target / 'netmaint.json'))}")
    if not target.parent.is_dir():
        raise UsageError(f"the folder {show(str(target.parent))} does not exist; create it or choose another")


def _for_terminal(data: bytes) -> bytes:
    """Export text shown on a terminal: control characters become visible stand-ins.

    Only when stdout is a terminal (like `ls`): piped or redirected output is byte-exact.
    """
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
    return "\n".join(visible(line) for line in text.split("\n")).encode("utf-8")


def _stdout_fd() -> int | None:
    try:
        return sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by a stream without a file
        return None


def _export_arguments(ex) -> None:
    ex.add_argument("format", choices=EXPORT_NAMES, help=", ".join(f"{f.name}: a {f.label}" for f in EXPORTS))
    ex.add_argument("-o", "--output", default=None)


@command("export", help=f"export {'|'.join(EXPORT_NAMES)} [-o FILE]", arguments=_export_arguments, database=False)
def export(args, settings) -> int:
    from netmaint_tui.services.export_file import stream_export  # lazy: every command's start-up would pay for the export's writers

    databases = known_databases(args, settings)
    if args.output:
        refuse_overwrite(args.output, databases)
        _check_output(Path(args.output).expanduser())
    else:
        fd = _stdout_fd()
        if fd is not None:
            refuse_overwrite_stream(fd, databases)
    _open(args, settings, must_exist=True)
    target = Path(args.output).expanduser() if args.output else None
    try:
        # Written as it is read: a whole network's export is never held in memory.
        with stream_export(make_context(settings), args.format) as out:
            if target is not None:
                write_private(target, out.chunks, protect=databases)
            else:
                stream = sys.stdout.buffer
                shown = sys.stdout.isatty()
                for chunk in out.chunks:
                    stream.write(_for_terminal(chunk) if shown else chunk)
                stream.flush()
    finally:
        close_database()
    if target is not None:
        print(f"exported {out.what()} to {show(str(target))}")
    return 0
