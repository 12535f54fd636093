"""Reading one synced folder before the database is locked (services.sync_engine then decides and
writes): which files changed since the last run, what they hold, and which went away.

A folder is looked at in one of three ways:
- fresh: never synced (or another folder now): every file is read;
- a full pass: one stat per file, and only the files whose size or time changed are read, and
  of those only the ones whose bytes changed;
- quiet: the folder's own time has not moved since the last run ended, which the last run
  checked it could trust (vdir.unchanged_since): no file was added, removed or replaced, so none
  is looked at. A file written in place, against the vdir format, is still found by the full
  pass made at least once a day.

What the last run left (sync_item) is read only where it is needed: the etag of every file for
a full pass, and whole rows only for the files and the items a run deals with.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from netmaint_tui.io import vdir
from netmaint_tui.store.models import database

CHUNK = 500  # rows per IN (...) query and per batch of local items
FULL_PASS_EVERY = dt.timedelta(days=1)
# More items than this gone from a folder since the last run, and more than half of it, are
# taken for a folder that lost its data, not for the user's removals (see scan_folder).
MASS_REMOVAL = 20


class Unreadable(ValueError):
    """A file that holds no item netmaint can take; the message says why, in one line. A quiet
    one is not netmaint's at all (someone's own journal entry in the same folder): left alone
    without a word."""

    def __init__(self, message: str, quiet: bool = False):
        super().__init__(message)
        self.quiet = quiet


@dataclass
class Parsed:
    uid: str
    kind: str
    values: dict[str, Any]
    problems: list[str] = field(default_factory=list)


@dataclass
class StateRow:
    kind: str
    local_id: int
    href: str
    etag: str
    hash: str


@dataclass
class Incoming:
    href: str
    data: bytes
    etag: str
    hash: str
    parsed: Parsed


def chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def marks(n: int) -> str:
    return ",".join("?" * n)


class State:
    """The folder's items as the last sync left them, read as a run needs them."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.rows: dict[str, StateRow] = {}  # by UID: those read so far
        self.etags: dict[str, str] = {}  # a full pass: every file synced before, by name

    def _read(self, where: str, values: list, extra: list | None = None) -> list[tuple[str, StateRow]]:
        found = []
        for chunk in chunks(values):
            rows = database.execute_sql(
                f"SELECT uid, kind, local_id, href, etag, hash FROM sync_item WHERE folder = ? {where} "
                f"IN ({marks(len(chunk))})", [self.folder, *(extra or []), *chunk]).fetchall()
            for uid, kind, local_id, href, etag, digest in rows:
                row = self.rows.setdefault(uid, StateRow(kind, local_id, href, etag, digest))
                found.append((uid, row))
        return found

    def read_etags(self) -> None:
        self.etags = dict(database.execute_sql("SELECT href, etag FROM sync_item WHERE folder = ?",
                                               [self.folder]).fetchall())

    def by_href(self, hrefs: list[str]) -> dict[str, str]:
        """href: UID of the items these files held."""
        return {row.href: uid for uid, row in self._read("AND href", hrefs)}

    def by_uid(self, uids: list[str]) -> None:
        self._read("AND uid", [u for u in uids if u not in self.rows])

    def by_local(self, kind: str, ids: list[int]) -> dict[int, str]:
        """local id: UID of these rows of `kind`."""
        return {row.local_id: uid for uid, row in self._read("AND kind = ? AND local_id", ids, [kind])}

    def get(self, uid: str) -> StateRow | None:
        return self.rows.get(uid)


@dataclass
class Scan:
    """One folder as listed and read before the database is locked."""

    folder: Any  # a services.sync_kinds.Folder
    path: Path
    fresh: bool
    state: State
    listing: vdir.Listing | None  # None: quiet, nothing in the folder changed since the last run
    time_before: int  # the folder's time when the scan began
    settled_before: bool = False  # ... and it had not moved for a clock tick when the listing began
    full_at: Any = None  # the last full pass
    last_run: Any = None
    options: str | None = None  # the settings the folder was written with at the last run (JSON)
    incoming: dict[str, Incoming] = field(default_factory=dict)
    touched: list[tuple[str, str]] = field(default_factory=list)  # (uid, etag): same bytes, new stat
    unreadable: set[str] = field(default_factory=set)  # hrefs
    gone: list[str] = field(default_factory=list)  # UIDs synced before whose file is no longer there

    @property
    def quiet(self) -> bool:
        return self.listing is None


def folder_row(name: str) -> tuple[str | None, Any, int | None, Any, str | None]:
    """(path, last run, trusted folder time, last full pass, options) of the folder's last run."""
    row = database.execute_sql("SELECT path, last_run, stamp, full_at, options FROM sync_folder WHERE name = ?",
                               [name]).fetchone()
    if row is None:
        return None, None, None, None, None
    return row[0], row[1], (int(row[2]) if row[2] is not None else None), row[3], row[4]


def _recent(full_at, now: dt.datetime) -> bool:
    if full_at is None:
        return False
    when = full_at if isinstance(full_at, dt.datetime) else dt.datetime.fromisoformat(str(full_at))
    return now - when < FULL_PASS_EVERY


def scan_folder(run, folder, path: Path) -> Scan:
    known_path, last_run, stamp, full_at, options = folder_row(folder.name)
    fresh = known_path != str(path)
    before = vdir.folder_time(path)
    if not fresh and stamp == before and _recent(full_at, run.now):
        return Scan(folder, path, False, State(folder.name), None, before, full_at=full_at, last_run=last_run,
                    options=options)
    started = time.time_ns()
    listing = vdir.list_items(path, folder.extension, clean=not run.dry_run)
    state = State(folder.name)
    if not fresh:
        state.read_etags()
    lost = sum(1 for href in state.etags if href not in listing.etags)
    if len(state.etags) > 1 and (not listing.etags or (lost > MASS_REMOVAL and lost * 2 > len(state.etags))):
        # A folder emptied, or most of it gone at once (a mount missing, a server's collection
        # recreated, an app that lost its data) is not a request to archive or delete half the
        # network: it is filled again.
        run.report.notices.append(f"{path} holds {len(state.etags) - lost or 'none'} of the {len(state.etags)} "
                                  "items synced with it before; the others are written to it again and nothing "
                                  "was archived or deleted")
        fresh, state = True, State(folder.name)
    scan = Scan(folder, path, fresh, state, listing, before, settled_before=started - before >= vdir.SETTLE_NS,
                full_at=full_at, last_run=last_run, options=options)
    changed = sorted(href for href, etag in listing.etags.items() if state.etags.get(href) != etag)
    missing = [href for href in state.etags if href not in listing.etags]
    uid_of = state.by_href([href for href in changed if href in state.etags] + missing)
    for href in changed:
        _read_file(run, scan, href, uid_of.get(href))
    scan.gone = [uid_of[href] for href in missing if href in uid_of and uid_of[href] not in scan.incoming]
    return scan


def _read_file(run, scan: Scan, href: str, known: str | None) -> None:
    folder, row = scan.folder, scan.state.get(known) if known else None
    try:
        data, etag = vdir.read_item(scan.path, href)
    except OSError:
        return  # removed meanwhile: the next run sees it gone
    digest = vdir.content_hash(data)
    if row is not None and row.hash == digest:
        scan.touched.append((known, etag))
        return
    try:
        parsed = folder.parse(data, run.ctx.clock.tz)
    except Unreadable as exc:
        if not exc.quiet:
            run.problem(folder.name, href, f"{exc}; left as it is")
            scan.unreadable.add(href)
        return
    for message in parsed.problems:
        run.problem(folder.name, href, message)
    other = scan.incoming.get(parsed.uid)
    if other is None and known is None and not scan.fresh:
        scan.state.by_uid([parsed.uid])
        synced = scan.state.get(parsed.uid)
        # A new file with the UID of an item synced from another file still there (a card copied
        # to make someone else's): taking it would overwrite that item, and the next run would
        # take the other file back. A file renamed (the old name gone) is the same item.
        if synced is not None and synced.href != href and synced.href in scan.listing.etags:
            other = synced
    if other is not None:
        run.problem(folder.name, href, f"holds the same UID as {other.href}; left as it is (give it a UID of its own)")
        scan.unreadable.add(href)
        return
    scan.incoming[parsed.uid] = Incoming(href, data, etag, digest, parsed)
