"""Keeping the network in step with synced folders (vdirs): contacts with a folder of vCards,
follow-ups with a folder of tasks, touches, goals and pauses with a folder of journal entries.
vdirsyncer (or anything else) carries the folders to a CardDAV/CalDAV server; netmaint only
reads and writes files.

A run, for each folder, in the order contacts, journal, follow-ups (a journal entry names its
contacts, a task its contacts and its touch):
1. lists the folder (one stat per file) and reads only the files whose size or time changed
   since the last sync, and of those only the ones whose bytes changed;
2. takes, under the database's write lock, the rows changed since (noted by triggers in the
   sync_change table, so a run reads only those), and decides each item (rules.sync): changed
   on one side, that side's values win; on both, the fields are merged;
3. writes the database in one transaction, and files atomically (store of their size, time and
   hash for the next run). A file written before a run is killed is read back by the next one,
   which then finds both sides agreeing: nothing is duplicated, nothing lost.

Nothing is lost by a sync: a card removed from the folder archives its contact, a task removed
drops its follow-up, a journal entry removed deletes its touch as a user's deletion does (kept 30
days: touch list --deleted) or takes its goal or pause back; most of a folder gone at once is
written again instead (services.sync_scan). What netmaint deletes is removed from the folder.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable

from netmaint_tui.io import vdir
from netmaint_tui.rules import sync as rules
from netmaint_tui.services.common import Context, InputError, write_transaction
from netmaint_tui.services.sync_engine import Run, SyncReport, sync_one
from netmaint_tui.services.sync_items import FOLDERS
from netmaint_tui.services.sync_scan import scan_folder
from netmaint_tui.store.backup import auto_backup
from netmaint_tui.store.models import database

# A run that takes in more than this many changes (a phone's or a server's mass change, a second
# computer's first sync) is preceded by a copy of the database (`before-sync`). The few edits an
# ordinary run brings are not worth copying the whole file each time, every 15 minutes from cron
# (30,000 contacts with 300,000 touches make a file of 300 MB, kept 14 days per copy): the day's
# automatic copy, made before the day's first write, covers them.
BACKUP_OVER = 20
SYNC_CACHE_KIB = -65536  # 64 MB at most, taken only as pages are read


def sync(ctx: Context, folders: dict[str, Path], *, dry_run: bool = False,
         progress: Callable[[str], None] | None = None) -> SyncReport:
    """Sync the network with the folders given by name ('contacts', 'follow_ups', 'journal');
    InputError (one line) for a folder that is missing or not one."""
    if not folders:
        raise InputError("no folder to sync with: give --contacts DIR (and/or --follow-ups, --journal) or add "
                         "sync: {contacts: DIR} to the config file")
    report = SyncReport(dry_run=dry_run)
    run = Run(ctx, report)
    checked: dict[str, Path] = {}
    for name in rules.FOLDERS:
        if name in folders:
            try:
                path = vdir.check_folder(Path(folders[name]).expanduser(), rules.FOLDER_WORDS[name])
            except vdir.FolderProblem as exc:
                raise InputError(str(exc)) from None
            inside = vdir.collections_inside(path, FOLDERS[name].extension)
            if inside:
                raise InputError(f"{path} holds folders ({', '.join(inside[:3])}{', …' if len(inside) > 3 else ''}) and "
                                 f"no {FOLDERS[name].extension} file: a folder of collections, as vdirsyncer's path; "
                                 f"give the collection to sync, e.g. {path / inside[0]}")
            if path in checked.values():
                raise InputError(f"{path} is given for two kinds of items; each needs a folder of its own")
            checked[name] = path
    order = [name for name in ("contacts", "journal", "follow_ups") if name in checked]
    with ExitStack() as held:
        if not dry_run:
            try:
                for name in order:
                    held.enter_context(vdir.locked(checked[name]))
            except vdir.FolderProblem as exc:
                raise InputError(str(exc)) from None
        _run(ctx, run, report, checked, order, dry_run, progress)
    return report


def _run(ctx: Context, run: Run, report: SyncReport, checked: dict[str, Path], order: list[str], dry_run: bool,
         progress: Callable[[str], None] | None) -> None:
    scans = []
    for name in order:
        report.counts[name] = rules.FolderCount()
        if progress:
            progress(f"reading {checked[name]}")
        scans.append(scan_folder(run, FOLDERS[name], checked[name]))
    report.counts = {name: report.counts[name] for name in rules.FOLDERS if name in report.counts}
    if not dry_run and sum(len(scan.incoming) + len(scan.gone) for scan in scans) > BACKUP_OVER:
        report.backup = _backup()

    def work() -> None:
        for scan in scans:
            if progress:
                progress(f"syncing {scan.path}")
            sync_one(run, scan)

    # A first sync notes 300,000 items in a table with random keys (UIDs): with SQLite's small
    # default page cache most of that time went into writing the same index pages over and over.
    cache = database.execute_sql("PRAGMA cache_size").fetchone()[0]
    database.execute_sql(f"PRAGMA cache_size = {SYNC_CACHE_KIB}")
    try:
        write_transaction(work, dry_run)
    finally:
        database.execute_sql(f"PRAGMA cache_size = {int(cache)}")


def _backup() -> Path | None:
    if getattr(database.obj, "readonly", False):
        return None
    if not database.execute_sql("SELECT EXISTS (SELECT 1 FROM contact)").fetchone()[0]:
        return None
    return auto_backup(getattr(database.obj, "path"), reason="before-sync")


def last_sync() -> Any:
    """When the last sync ran (stored UTC), or None."""
    row = database.execute_sql("SELECT MAX(last_run) FROM sync_folder").fetchone()
    return row[0] if row else None
