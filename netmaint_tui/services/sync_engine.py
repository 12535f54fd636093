"""The engine of a sync run (services.sync runs it): each folder read before the database is
locked (services.sync_scan), its items decided and written under the lock. The kinds of item each
folder holds (services.sync_kinds, services.sync_items) build on what is here."""


from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from netmaint_tui.io import vdir
from netmaint_tui.rules import sync as rules
from netmaint_tui.services.common import Context, InputError, to_db
from netmaint_tui.services.sync_scan import Incoming, Scan, chunks, folder_row, marks
from netmaint_tui.store.models import database


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


class Run:
    """What one run shares across its folders: the context, the report, and whether it writes."""

    def __init__(self, ctx: Context, report: SyncReport) -> None:
        self.ctx = ctx
        self.report = report
        self.dry_run = report.dry_run
        self.now = to_db(ctx.now())

    def problem(self, folder: str, href: str, message: str) -> None:
        self.report.problems.append(Problem(folder, href, message))


WRITES_AHEAD = 2000  # files handed to the writing thread before the run waits for it

# One encoder for the whole run: json.dumps with options makes a new one for each of 300,000 items.
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class _Taken:
    """The names a new file must not take: the folder's, and those given out in this run."""

    def __init__(self, *names) -> None:
        self.names = names

    def __contains__(self, name: str) -> bool:
        return any(name in names for names in self.names)


class _FolderRun:
    def __init__(self, run: Run, scan: Scan) -> None:
        self.run = run
        self.scan = scan
        self.state = scan.state
        self.folder = scan.folder
        self.count = run.report.counts[self.folder.name]
        self.count.unreadable = len(scan.unreadable)
        self.records: list[tuple] = []
        self.forget: list[str] = []
        self.retry: list[tuple[str, int]] = []  # local changes left for the next run
        self.pending = 0  # items the folder holds that wait for a later run (see the kinds' create)
        self.handled: set[str] = set()  # UIDs
        self.handled_rows: set[tuple[str, int]] = set()  # (kind, local id): a matched contact's old UID too
        self.given: set[str] = set()  # names of the new files of this run
        self.written: dict[str, int] = {}  # name: inode of each file written
        self.removed: set[str] = set()
        self._names = scan.listing.inodes if scan.listing is not None else None
        self.baseline = True  # the names above are the folder as this run found it
        self.writer = None if run.dry_run else vdir.Writer(scan.path)
        self.writes: deque[tuple] = deque()  # files handed to the writer, in order, and what to note of each
        self.options = _dumps(self.folder.options(run.ctx.settings))
        # Settings that shape what the folder holds changed: every item they concern is looked at again.
        self.revisit = not scan.fresh and (scan.options or "{}") != self.options

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()

    def names(self) -> dict[str, int]:
        """Every entry of the folder before this run changed it (by name: its inode)."""
        if self._names is None:
            self._names = vdir.entries(self.scan.path)
            # A quiet folder is read here for the first time: only as the last run left it is it
            # a base to check the folder against at the end.
            self.baseline = vdir.folder_time(self.scan.path) == self.scan.time_before
        return self._names

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
              original: bytes | None, expected_etag: str | None) -> None:
        """Write the item's file (a new one when `href` is None) and note its state (see settle:
        a file changed since it was listed is left for the next run)."""
        if href is None:
            href = uid + self.folder.extension
            names = self.names()
            if href in names or href in self.given or not vdir.safe_name(uid):
                href = vdir.item_name(uid, self.folder.extension, _Taken(names, self.given))
            self.given.add(href)
        data = self.folder.kinds[kind].render(uid, values, original, self.run.ctx.clock.tz)
        self.count.went_out += 1
        if self.run.dry_run:
            return True
        self.names()
        future = self.writer.submit(href, data, expected_etag)
        self.writes.append((future, uid, kind, local_id, href, vdir.content_hash(data), _dumps(values)))
        if len(self.writes) > WRITES_AHEAD:
            self.settle(len(self.writes) - WRITES_AHEAD // 2)

    def settle(self, at_least: int | None = None) -> None:
        """Take the results of the writes done (at least `at_least` of them, waiting for them;
        None: every one): a file written is noted, one changed meanwhile left for the next run."""
        writes = self.writes
        while writes and (at_least is None or at_least > 0 or writes[0][0].done()):
            future, uid, kind, local_id, href, digest, base = writes.popleft()
            at_least = None if at_least is None else at_least - 1
            result = future.result()  # a write that failed (a full disk) fails the run here
            if uid is None:
                self.written.pop(href, None)  # a file removed
                continue
            if result is None:
                self.count.went_out -= 1
                self.retry.append((kind, local_id))
                continue
            etag, inode = result
            self.written[href] = inode
            self.records.append((self.folder.name, uid, kind, local_id, href, etag, digest, base))

    def remove(self, uid: str) -> None:
        href = self.state.rows[uid].href
        self.count.went_out += 1
        if not self.run.dry_run:
            self.names()
            self.writes.append((self.writer.drop(href), None, "", 0, href, "", ""))
            self.removed.add(href)
        self.forget.append(uid)

    def keep(self, uid: str, kind: str, local_id: int, item: Incoming, values: dict) -> None:
        self.records.append((self.folder.name, uid, kind, local_id, item.href, item.etag, item.hash, _dumps(values)))

    # -- the steps --

    def incoming(self) -> None:
        scan, state = self.scan, self.state
        items = scan.incoming
        if not items:
            return
        if not scan.fresh:  # a fresh folder's rows of before do not count, though a dry run leaves them
            state.by_uid(list(items))
        bases = self.bases([uid for uid in items if state.get(uid)])
        by_kind: dict[str, list[str]] = {}
        for uid, item in items.items():
            by_kind.setdefault(item.parsed.kind, []).append(uid)
        for kind_name, uids in by_kind.items():
            kind = self.folder.kinds[kind_name]
            ids = {uid: state.rows[uid].local_id for uid in uids
                   if state.get(uid) and state.rows[uid].kind == kind_name}
            ids.update(kind.ids_by_uid([uid for uid in uids if uid not in ids]))
            self.match(kind, {uid: items[uid].parsed.values for uid in uids if uid not in ids}, ids)
            for chunk in chunks(uids):
                loaded = kind.load([ids[uid] for uid in chunk if uid in ids])
                for uid in chunk:
                    local_id = ids.get(uid)
                    current = loaded.get(local_id) if local_id is not None else None
                    self.one_incoming(kind, uid, items[uid], local_id, current and current[1], bases.get(uid))

    def match(self, kind, unknown: dict[str, dict], ids: dict[str, int]) -> None:
        """New items that are ones netmaint has already (a contact imported from the same card)
        join them instead of coming in twice."""
        if not unknown:
            return

        def synced(local_ids: list[int]) -> set[int]:
            return set() if self.scan.fresh else set(self.state.by_local(kind.name, local_ids))

        matched, unclear = kind.match(unknown, synced)
        if matched and not self.run.dry_run:
            kind.adopt(matched)
        ids.update(matched)
        self.count.matched += len(matched)
        if unclear:
            self.run.report.notices.append(
                f"{unclear} new {'card shares' if unclear == 1 else 'cards share'} an email with more than one "
                "contact, or with another new card: added as contacts of their own, not matched")

    def one_incoming(self, kind, uid: str, item: Incoming, local_id: int | None, ours: dict | None,
                     base: dict | None) -> None:
        self.handled.add(uid)
        if local_id is not None:
            self.handled_rows.add((kind.name, local_id))
        theirs = item.parsed.values
        if base is not None and ours is None:
            self.remove(uid)  # removed here since the last sync: the folder follows
            return
        conflicts: dict = {}
        if ours is None:
            values = kind.complete(theirs, self.run)
        else:
            if base is None:
                settled = kind.first_meeting(ours, theirs)  # both hold it, with no sync between
            else:
                settled = rules.settle_changed(base, ours, theirs, kind.as_file(uid, base))
            values, conflicts = settled.values, settled.conflicts
            if conflicts:
                values = kind.conflict(self.run, local_id, values, conflicts, self.report_conflict)
                self.count.conflicts += len(conflicts)
        if ours is None:
            local_id = None if self.run.dry_run else kind.create(self.run, uid, values)
            if local_id is None and not self.run.dry_run:
                self.pending += 1
                return  # said why; the file is read again next run
            self.count.came_in += 1
        elif values != ours:
            if not self.run.dry_run:
                kind.update(self.run, local_id, ours, values)
            self.count.came_in += 1
        if kind.hidden(self.run, values) and self.state.get(uid):
            self.remove(uid)  # archived, and the folder keeps no archived contacts
        elif kind.as_file(uid, values) != theirs:
            self.write(uid, kind.name, local_id or 0, values, item.href, item.data, item.etag)
        else:
            self.keep(uid, kind.name, local_id or 0, item, values)

    def report_conflict(self, line: str) -> None:
        self.run.report.conflicts.append(line)

    def gone(self) -> None:
        for uid in self.scan.gone:
            if uid in self.handled:
                continue
            self.handled.add(uid)
            row = self.state.rows[uid]
            kind = self.folder.kinds.get(row.kind)
            if kind is not None and kind.gone(self.run, row.local_id):
                self.count.came_in += 1
            self.forget.append(uid)

    def local(self) -> None:
        scan, state = self.scan, self.state
        for kind in self.folder.kinds.values():
            if scan.fresh:
                ids = kind.all_ids()
            else:
                ids = [i for (i,) in database.execute_sql(
                    "SELECT local_id FROM sync_change WHERE kind = ? ORDER BY local_id", [kind.name]).fetchall()]
                if self.revisit:
                    ids = sorted(set(ids) | set(kind.revisit()))
            for chunk in chunks(ids):
                loaded = kind.load(chunk)
                deleted: dict[int, str] = {}
                if not scan.fresh:
                    state.by_uid([loaded[i][0] for i in chunk if i in loaded])
                    deleted = state.by_local(kind.name, [i for i in chunk if i not in loaded])
                uids = [loaded[i][0] if i in loaded else deleted.get(i) for i in chunk]
                bases = self.bases([u for u in uids if u and u not in self.handled and state.get(u)])
                for local_id, uid in zip(chunk, uids):
                    if uid is None or uid in self.handled or (kind.name, local_id) in self.handled_rows:
                        continue
                    self.handled.add(uid)
                    row = state.get(uid)
                    if local_id not in loaded:
                        if row is not None:
                            self.remove(uid)
                        continue
                    values = loaded[local_id][1]
                    hidden = kind.hidden(self.run, values)
                    if row is None:
                        if not hidden:
                            self.write(uid, kind.name, local_id, values, None, None, None)
                    elif hidden:
                        self.remove(uid)
                    elif values != bases.get(uid):
                        original = _read(scan.path, row.href)
                        self.write(uid, kind.name, local_id, values, row.href, original, row.etag)
                self.flush()

    def flush(self) -> None:
        self.settle(0)
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

    def stamp(self) -> int | None:
        """The folder's time, when the next run may trust it to say that nothing changed: only
        when nothing in the folder waits for a later run, and when no one else changed the folder
        since it was listed (it holds what it held then, with this run's changes)."""
        scan = self.scan
        if self.count.unreadable or self.pending or self.retry:
            return None
        if not self.written and not self.removed:
            if vdir.folder_time(scan.path) != scan.time_before:
                return None
            if scan.quiet or scan.settled_before:
                return scan.time_before
            return vdir.unchanged_since(scan.path, scan.listing.inodes)
        if not self.baseline:
            return None
        expected = {name: inode for name, inode in self.names().items() if name not in self.removed}
        expected.update(self.written)
        return vdir.unchanged_since(scan.path, expected)

    def finish(self) -> None:
        self.settle()
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
        full_at = self.scan.full_at if self.scan.quiet else self.run.now
        database.execute_sql(
            "INSERT INTO sync_folder (name, path, last_run, stamp, full_at, options) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET path = excluded.path, last_run = excluded.last_run, "
            "stamp = excluded.stamp, full_at = excluded.full_at, options = excluded.options",
            [name, str(self.scan.path), self.run.now, self.stamp(), full_at, self.options])


def _read(path: Path, href: str) -> bytes | None:
    try:
        return vdir.read_item(path, href)[0]
    except OSError:
        return None


def sync_one(run: Run, scan: Scan) -> None:
    if not run.dry_run and scan.fresh:
        database.execute_sql("DELETE FROM sync_item WHERE folder = ?", [scan.folder.name])
    if folder_row(scan.folder.name)[1] != scan.last_run:
        raise InputError("another netmaint synced these folders meanwhile; run netmaint sync again")
    folder_run = _FolderRun(run, scan)
    try:
        folder_run.incoming()
        folder_run.gone()
        folder_run.local()
        folder_run.finish()
    finally:
        folder_run.close()
