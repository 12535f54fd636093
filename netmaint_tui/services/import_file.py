"""Importing a whole file, for the command line and the app's import screen: read it within the
size limit, make sure it is the format given, read it with that format's reader (io.formats),
copy the database first, then import what it holds."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO, Callable

from netmaint_tui.io.formats import (
    CONTACTS, DOCUMENT, HEAD_BYTES, IMPORTS, ImportSource, NotThisFormat, check_format, file_format,
)
from netmaint_tui.io.records import ParseResult
from netmaint_tui.rules.vocabulary import byte_size
from netmaint_tui.services.common import Context, InputError
from netmaint_tui.services.import_common import Change, ImportReport
from netmaint_tui.services.import_document import import_document
from netmaint_tui.services.importing import import_records
from netmaint_tui.store.backup import auto_backup
from netmaint_tui.store.models import database

# The largest file an import reads. LinkedIn stops at 30,000 connections (about 3 MB), Google
# Contacts at 25,000 contacts, and a 30,000-person network with three years of touches exports
# to under 100 MB; address books with photos are the largest, and fit many thousands of them.
MAX_FILE_BYTES = 256 * 1024 * 1024

PhasedProgress = Callable[[str, int, int], None]


def _is_skip(message: str) -> bool:
    # The parsers end a message with "skipped" when the whole row or card was left out, and
    # with "ignored" / "imported without it" when only one value was.
    return message.rstrip(" .").endswith("skipped")


def _has_data() -> bool:
    return bool(database.execute_sql(
        "SELECT EXISTS (SELECT 1 FROM contact) OR EXISTS (SELECT 1 FROM touch)"
    ).fetchone()[0])


def read_import_file(path) -> ImportSource:
    """A file to import, its first bytes read (a format is recognised from them), or InputError (one
    line): a file over MAX_FILE_BYTES is judged by its size, and from a pipe or a device, read here
    whole, no more than that is read. A file's whole content is read when its reader needs it, as
    a stream by a reader that can take one (a JSON export)."""
    if not str(path).strip():
        raise InputError("give the file to import")
    path = Path(path)
    limit = f"an import reads files up to {byte_size(MAX_FILE_BYTES)}; nothing was imported"
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > MAX_FILE_BYTES:
                size = byte_size(info.st_size)
                if size == byte_size(MAX_FILE_BYTES):  # "256 MB" for 256 MB and a byte: say the bytes
                    size = f"{info.st_size:,} bytes"
                raise InputError(f"{path} is {size}: {limit}")
            if stat.S_ISREG(info.st_mode):
                return ImportSource(handle.read(HEAD_BYTES), info.st_size, lambda: _opened(path, limit))
            data = handle.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        raise InputError(f"cannot read {path}: it is a folder") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:  # no size to go by
        raise InputError(f"{path} is larger than {byte_size(MAX_FILE_BYTES)}: {limit}")
    return ImportSource.of(data)


def _opened(path: Path, limit: str) -> BinaryIO:
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:  # it grew since it was first read
        handle.close()
        raise InputError(f"{path} is larger than {byte_size(MAX_FILE_BYTES)}: {limit}")
    return handle


def import_file(
    ctx: Context,
    fmt: str,
    data: ImportSource | bytes,
    *,
    dry_run: bool = False,
    progress: PhasedProgress | None = None,
    backup: bool = True,
) -> ImportReport:
    """Read and import one file (read_import_file, or its bytes) as format `fmt` (an io.formats
    name that can be read).

    `progress(phase, done, total)` runs with phase "reading" (bytes) and then "saving" (records).
    Unless it is a dry run, the database is copied first (store.backup.auto_backup), once it
    holds anything worth keeping. The report's issues are the reader's and the import's,
    in file order; `skipped` counts every record left out because of a problem.
    Raises, before anything is written, io.formats.WrongFormat when the file is clearly another
    format than `fmt`, NotThisFormat when nothing of `fmt` is in it (no vCard, no header line),
    and DocumentError when a netmaint export cannot be read.
    """
    if fmt not in {f.name for f in IMPORTS}:
        raise InputError(f"unknown import format {fmt!r}; use one of: {', '.join(f.name for f in IMPORTS)}")
    chosen = file_format(fmt)
    source = data if isinstance(data, ImportSource) else ImportSource.of(data)
    check_format(fmt, source.head)

    def phase(name: str):
        return None if progress is None else (lambda done, total: progress(name, done, total))

    content = chosen.read(source, progress=phase("reading"))
    if chosen.kind == CONTACTS and content.wrong_format and not content.records:
        # Not this kind of file at all (random bytes, another format): one clear line,
        # no backup made and no import of nothing reported.
        raise NotThisFormat(1, content.wrong_format)
    made = _backup_before(backup, dry_run)
    report = _IMPORTERS[chosen.kind](ctx, fmt, content, dry_run=dry_run, progress=phase("saving"))
    report.backup = made
    return report


def import_path(
    ctx: Context,
    fmt: str,
    path,
    *,
    dry_run: bool = False,
    progress: PhasedProgress | None = None,
    backup: bool = True,
    on_change: Callable[[Change], None] | None = None,
) -> ImportReport:
    """import_file for a file (a path, or read_import_file's source), reading a contacts CSV as a
    stream (io.formats' `record_stream`): a file of millions of rows is matched and written as it
    is read, in one transaction, and held neither whole nor as records. `progress` then has the
    one phase "importing" (bytes). `on_change` is given each record's Change as it is found, and
    the report keeps none (ImportReport.on_change). Other formats are read as import_file does.
    """
    if fmt not in {f.name for f in IMPORTS}:
        raise InputError(f"unknown import format {fmt!r}; use one of: {', '.join(f.name for f in IMPORTS)}")
    chosen = file_format(fmt)
    source = path if isinstance(path, ImportSource) else read_import_file(path)
    if not chosen.record_stream:
        report = import_file(ctx, fmt, source, dry_run=dry_run, progress=progress, backup=backup)
        for change in report.changes if on_change is not None else ():
            on_change(change)
        return report
    check_format(fmt, source.head)
    with source.open() as handle:
        step = None if progress is None else (lambda done, total: progress("importing", done, total))
        export = chosen.read_stream(handle, progress=step)
        if not export.find_header():
            raise NotThisFormat(1, export.result.wrong_format)

        def again():
            # A second, quiet reading of the same file, for what must be known of it all first.
            with source.open() as fresh:
                yield from chosen.read_stream(fresh)

        made = _backup_before(backup, dry_run)
        report = import_records(ctx, export, source=fmt, dry_run=dry_run, again=again, on_change=on_change)
    report.backup = made
    return _with_reading(report, export.result)


def _backup_before(backup: bool, dry_run: bool):
    if backup and not dry_run and not getattr(database.obj, "readonly", False) and _has_data():
        return auto_backup(getattr(database.obj, "path"), reason="before-import")
    return None


def _with_reading(report: ImportReport, parsed: ParseResult) -> ImportReport:
    """The reader's findings added to the import's: its issues in file order with the import's,
    the rows it left out counted as skipped or, when the file marks them so, as left out."""
    report.skipped += sum(1 for i in parsed.issues if _is_skip(i.message))
    report.issues = sorted(list(parsed.issues) + report.issues, key=lambda i: i.line)
    report.left_out = dict(parsed.skipped_reasons)
    return report


def _import_contacts(ctx: Context, fmt: str, parsed: ParseResult, *, dry_run: bool, progress) -> ImportReport:
    report = import_records(ctx, parsed.records, source=fmt, dry_run=dry_run, progress=progress)
    return _with_reading(report, parsed)


def _import_document(ctx: Context, fmt: str, doc: dict, *, dry_run: bool, progress) -> ImportReport:
    return import_document(ctx, doc, dry_run=dry_run, progress=progress)


# How each kind of file (io.formats) is brought in, once its reader has read it.
_IMPORTERS = {CONTACTS: _import_contacts, DOCUMENT: _import_document}
