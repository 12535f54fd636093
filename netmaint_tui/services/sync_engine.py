"""The engine of a sync run (services.sync runs it): one folder listed and read before the
database is locked, its items decided and written under the lock. The kinds of item each folder
holds (services.sync_kinds, services.sync_items) build on what is here."""


from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from netmaint_tui.io import vdir
from netmaint_tui.rules import sync as rules
from netmaint_tui.services.common import Context, InputError, to_db
from netmaint_tui.store.models import database

CHUNK = 500  # rows per IN (...) query and per batch of local items


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
class Problem:
    folder: str
    href: str
    message: str

    def as_json(self) -> dict:
        return {"folder": self.folder, "file": self.href, "message": self.message}


@dataclass
class SyncReport:
    dry_run: bool = False
    counts: dict[str, rules.FolderCount] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # one line each: what was kept, what the folder said
    notices: list[str] = field(default_factory=list)
    backup: Path | None = None

    def summary(self) -> str:
        return rules.summary_line(self.counts, self.dry_run)

    def as_json(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "summary": self.summary(),
            "folders": {name: count.as_json() for name, count in self.counts.items()},
            "conflicts": self.conflicts,
            "problems": [p.as_json() for p in self.problems],
            "notices": self.notices,
            "backup": str(self.backup) if self.backup else None,
        }


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


@dataclass
class Scan:
    """One folder as listed and read before the database is locked."""

    folder: Any  # a services.sync_kinds.Folder
    path: Path
    fresh: bool
    state: dict[str, StateRow]
    listing: dict[str, vdir.Entry]
    incoming: dict[str, Incoming] = field(default_factory=dict)
    touched: list[tuple[str, str]] = field(default_factory=list)  # (uid, etag): same bytes, new stat
    unreadable: set[str] = field(default_factory=set)  # hrefs
    last_run: Any = None

    def gone(self) -> list[str]:
        """UIDs synced before whose file is no longer in the folder."""
        return [uid for uid, row in self.state.items()
                if row.href not in self.listing and uid not in self.incoming]


class Run:
    """What one run shares across its folders: the context, the report, and whether it writes."""

    def __init__(self, ctx: Context, report: SyncReport) -> None:
        self.ctx = ctx
        self.report = report
        self.dry_run = report.dry_run
        self.now = to_db(ctx.now())

    def problem(self, folder: str, href: str, message: str) -> None:
        self.report.problems.append(Problem(folder, href, message))


def _dumps(values: dict[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def marks(n: int) -> str:
    return ",".join("?" * n)


# --- reading the folder (no lock held) ------------------------------------------------------------


def _state(name: str) -> dict[str, StateRow]:
    rows = database.execute_sql(
        "SELECT uid, kind, local_id, href, etag, hash FROM sync_item WHERE folder = ?", [name]).fetchall()
    return {uid: StateRow(kind, local_id, href, etag, digest) for uid, kind, local_id, href, etag, digest in rows}


def _last_run(name: str) -> tuple[str | None, Any]:
    row = database.execute_sql("SELECT path, last_run FROM sync_folder WHERE name = ?", [name]).fetchone()
    return (row[0], row[1]) if row else (None, None)


def scan_folder(run: Run, folder, path: Path) -> Scan:
    known_path, last_run = _last_run(folder.name)
    fresh = known_path != str(path)
    state = {} if fresh else _state(folder.name)
    listing = vdir.list_items(path, folder.extension)
    if len(state) > 1 and not listing:
        # A folder emptied (a mount missing, a server's collection recreated) is not a request to
        # archive the whole network: it is filled again.
        run.report.notices.append(f"{path} holds none of the {len(state)} items synced with it before; "
                                  "everything is written to it again and nothing was archived")
        fresh, state = True, {}
    scan = Scan(folder, path, fresh, state, listing, last_run=last_run)
    by_href = {row.href: uid for uid, row in state.items()}
    for href in sorted(listing):
        entry = listing[href]
        known = by_href.get(href)
        if known is not None and state[known].etag == entry.etag:
            continue
        try:
            data, etag = vdir.read_item(path, href)
        except OSError:
            continue  # removed meanwhile: the next run sees it gone
        digest = vdir.content_hash(data)
        if known is not None and state[known].hash == digest:
            scan.touched.append((known, etag))
            continue
        try:
            parsed = folder.parse(data, run.ctx.clock.tz)
        except Unreadable as exc:
            if not exc.quiet:
                run.problem(folder.name, href, f"{exc}; left as it is")
                scan.unreadable.add(href)
            continue
        for message in parsed.problems:
            run.problem(folder.name, href, message)
        other = scan.incoming.get(parsed.uid)
        if other is not None:
            run.problem(folder.name, href, f"holds the same UID as {other.href}; left as it is")
            scan.unreadable.add(href)
            continue
        scan.incoming[parsed.uid] = Incoming(href, data, etag, digest, parsed)
    # A file that cannot be read now is not a file removed: its item is left alone.
    for uid, row in list(state.items()):
        if row.href in scan.unreadable and uid not in scan.incoming:
            scan.listing.setdefault(row.href, vdir.Entry(row.href, row.etag))
    return scan


# --- deciding and writing (under the write lock) --------------------------------------------------


class _FolderRun:
    def __init__(self, run: Run, scan: Scan) -> None:
        self.run = run
        self.scan = scan
        self.folder = scan.folder
        self.count = run.report.counts[self.folder.name]
        self.count.unreadable = len(scan.unreadable)
        self.records: list[tuple] = []
        self.forget: list[str] = []
        self.retry: list[tuple[str, int]] = []  # local changes left for the next run
        self.handled: set[str] = set()
        self.taken = set(scan.listing)

    # -- the pieces --

    def bases(self, uids: list[str]) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for chunk in chunks(uids):
            rows = database.execute_sql(
                f"SELECT uid, base FROM sync_item WHERE folder = ? AND uid IN ({marks(len(chunk))})",
                [self.folder.name, *chunk]).fetchall()
            out.update((uid, json.loads(base)) for uid, base in rows)
        return out

    def write(self, uid: str, kind: str, local_id: int, values: dict, href: str | None,
              original: bytes | None, expected_etag: str | None) -> bool:
        """Write the item's file (a new one when `href` is None) and note its state; False when
        the file changed since it was listed (then the next run takes it)."""
        new = href is None
        if new:
            href = vdir.item_name(uid, self.folder.extension, self.taken)
            self.taken.add(href)
        data = self.folder.kinds[kind].render(uid, values, original)
        self.count.went_out += 1
        if self.run.dry_run:
            return True
        target = self.scan.path / href
        if not new and expected_etag is not None:
            try:
                now = vdir.etag_of(target.stat())
            except FileNotFoundError:
                now = None
            if now != expected_etag:
                self.count.went_out -= 1
                self.retry.append((kind, local_id))
                return False
        etag = vdir.write_item(self.scan.path, href, data)
        self.records.append((self.folder.name, uid, kind, local_id, href, etag, vdir.content_hash(data), _dumps(values)))
        return True

    def remove(self, uid: str) -> None:
        row = self.scan.state[uid]
        self.count.went_out += 1
        if not self.run.dry_run:
            vdir.remove_item(self.scan.path, row.href)
        self.forget.append(uid)

    def keep(self, uid: str, kind: str, local_id: int, item: Incoming, values: dict) -> None:
        self.records.append((self.folder.name, uid, kind, local_id, item.href, item.etag, item.hash, _dumps(values)))

    # -- the steps --

    def incoming(self) -> None:
        scan = self.scan
        items = scan.incoming
        if not items:
            return
        known = [uid for uid in items if uid in scan.state]
        bases = self.bases(known)
        by_kind: dict[str, list[str]] = {}
        for uid, item in items.items():
            by_kind.setdefault(item.parsed.kind, []).append(uid)
        for kind_name, uids in by_kind.items():
            kind = self.folder.kinds[kind_name]
            ids = {uid: scan.state[uid].local_id for uid in uids
                   if uid in scan.state and scan.state[uid].kind == kind_name}
            ids.update(kind.ids_by_uid([uid for uid in uids if uid not in ids]))
            for chunk in chunks(uids):
                loaded = kind.load([ids[uid] for uid in chunk if uid in ids])
                for uid in chunk:
                    local_id = ids.get(uid)
                    current = loaded.get(local_id) if local_id is not None else None
                    self.one_incoming(kind, uid, items[uid], local_id, current and current[1], bases.get(uid))

    def one_incoming(self, kind, uid: str, item: Incoming, local_id: int | None, ours: dict | None,
                     base: dict | None) -> None:
        self.handled.add(uid)
        theirs = item.parsed.values
        if base is not None and ours is None:
            self.remove(uid)  # removed here since the last sync: the folder follows
            return
        conflicts: dict = {}
        if ours is None:
            values = kind.complete(theirs, self.run)
        else:
            if base is None:
                settled = rules.settle({}, ours, theirs)  # both hold it, with no sync between
            else:
                changes = rules.folder_changes(theirs, kind.as_file(uid, base))
                settled = rules.settle(base, ours, changes) if ours != base else rules.Settled({**ours, **changes})
            values, conflicts = settled.values, settled.conflicts
            if conflicts:
                values = kind.conflict(self.run, uid, values, conflicts, self.report_conflict)
                self.count.conflicts += len(conflicts)
        if ours is None:
            local_id = None if self.run.dry_run else kind.create(self.run, uid, values)
            if local_id is None and not self.run.dry_run:
                return  # said why; the file is read again next run
            self.count.came_in += 1
        elif values != ours:
            if not self.run.dry_run:
                kind.update(self.run, local_id, ours, values)
            self.count.came_in += 1
        if kind.as_file(uid, values) != theirs:
            self.write(uid, kind.name, local_id or 0, values, item.href, item.data, item.etag)
        else:
            self.keep(uid, kind.name, local_id or 0, item, values)

    def report_conflict(self, line: str) -> None:
        self.run.report.conflicts.append(line)

    def gone(self) -> None:
        for uid in self.scan.gone():
            row = self.scan.state[uid]
            if uid in self.handled:
                continue
            self.handled.add(uid)
            kind = self.folder.kinds.get(row.kind)
            if kind is not None and kind.gone(self.run, row.local_id):
                self.count.came_in += 1
            self.forget.append(uid)

    def local(self) -> None:
        scan = self.scan
        by_local = {(row.kind, row.local_id): uid for uid, row in scan.state.items()}
        for kind in self.folder.kinds.values():
            if scan.fresh:
                ids = kind.all_ids()
            else:
                ids = [i for (i,) in database.execute_sql(
                    "SELECT local_id FROM sync_change WHERE kind = ? ORDER BY local_id", [kind.name]).fetchall()]
            for chunk in chunks(ids):
                loaded = kind.load(chunk)
                uids = [loaded[i][0] if i in loaded else by_local.get((kind.name, i)) for i in chunk]
                bases = self.bases([u for u in uids if u in scan.state and u not in self.handled])
                for local_id, uid in zip(chunk, uids):
                    if uid is None or uid in self.handled:
                        continue
                    self.handled.add(uid)
                    row = scan.state.get(uid)
                    if local_id not in loaded:
                        if row is not None:
                            self.remove(uid)
                        continue
                    values = loaded[local_id][1]
                    if row is None:
                        self.write(uid, kind.name, local_id, values, None, None, None)
                    elif values != bases.get(uid):
                        original = _read(scan.path, row.href)
                        self.write(uid, kind.name, local_id, values, row.href, original, row.etag)
                self.flush()

    def flush(self) -> None:
        if self.run.dry_run:
            self.records.clear()
            self.forget.clear()
            return
        if self.forget:
            for chunk in chunks(self.forget):
                database.execute_sql(f"DELETE FROM sync_item WHERE folder = ? AND uid IN ({marks(len(chunk))})",
                                     [self.folder.name, *chunk])
            self.forget.clear()
        if self.records:
            database.connection().executemany(
                "INSERT OR REPLACE INTO sync_item (folder, uid, kind, local_id, href, etag, hash, base) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", self.records)
            self.records.clear()

    def finish(self) -> None:
        self.flush()
        if self.run.dry_run:
            return
        name = self.folder.name
        if self.scan.touched:
            database.connection().executemany("UPDATE sync_item SET etag = ? WHERE folder = ? AND uid = ?",
                                              [(etag, name, uid) for uid, etag in self.scan.touched])
        kinds = list(self.folder.kinds)
        database.execute_sql(f"DELETE FROM sync_change WHERE kind IN ({marks(len(kinds))})", kinds)
        if self.retry:
            database.connection().executemany("INSERT OR IGNORE INTO sync_change (kind, local_id) VALUES (?, ?)",
                                              self.retry)
        database.execute_sql(
            "INSERT INTO sync_folder (name, path, last_run) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET path = excluded.path, last_run = excluded.last_run",
            [name, str(self.scan.path), self.run.now])


def _read(path: Path, href: str) -> bytes | None:
    try:
        return vdir.read_item(path, href)[0]
    except OSError:
        return None


def sync_one(run: Run, scan: Scan) -> None:
    if not run.dry_run and scan.fresh:
        database.execute_sql("DELETE FROM sync_item WHERE folder = ?", [scan.folder.name])
    if _last_run(scan.folder.name)[1] != scan.last_run:
        raise InputError("another netmaint synced these folders meanwhile; run netmaint sync again")
    folder_run = _FolderRun(run, scan)
    folder_run.incoming()
    folder_run.gone()
    folder_run.local()
    folder_run.finish()


# --- the use case -------------------------------------------------------------------------------
