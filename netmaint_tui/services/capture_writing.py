"""How a capture's rows go into the database: the address book its people are matched against,
the writer that gathers its rows and writes them a batch at a time inside the capture's one
transaction, and the placing of each item read (a new touch, a link to one the user typed, or an
item remembered as having nobody who is a contact yet).

services.capture reads the files and decides; this module only writes, and writes nothing in a
dry run (it still looks, so that a dry run says what a real one would do).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from netmaint_tui.rules import capture as rules
from netmaint_tui.services.common import Context, to_db
from netmaint_tui.store.models import database
from netmaint_tui.store.rows import loads_list

BATCH = 500  # ids per IN (...) query, rows per executemany

# --- the address book -------------------------------------------------------------------------


class AddressBook:
    """Every contact's addresses, folded: the first contact (active before archived, then the
    oldest) that has an address is the one it means."""

    def __init__(self) -> None:
        self.by_email: dict[str, int] = {}
        self.names: dict[int, str] = {}
        for cid, name, emails in database.execute_sql(
            "SELECT id, name, emails FROM contact ORDER BY archived, id"
        ).fetchall():
            self.names[cid] = name
            for email in loads_list(emails):
                folded = rules.fold_email(email)
                if folded:
                    self.by_email.setdefault(folded, cid)

    def split(self, people: Iterable[rules.Person]) -> tuple[tuple[int, ...], tuple[rules.Person, ...]]:
        """(the contacts among them, in order and once each; the others)."""
        found: dict[int, None] = {}
        strangers = []
        for p in people:
            cid = self.by_email.get(p.email)
            if cid is None:
                strangers.append(p)
            else:
                found[cid] = None
        return tuple(found), tuple(strangers)


# --- writing ----------------------------------------------------------------------------------


@dataclass
class Item:
    """Something read that may make a touch: an occurrence, or a conversation's mails."""

    keys: list[str]  # the captured items it stands for
    at: dt.datetime
    channel: str
    minutes: int | None
    note: str
    contact_ids: tuple[int, ...]
    strangers: tuple[rules.Person, ...]
    source_id: str
    group_key: str | None = None
    reevaluated: frozenset[str] = frozenset()  # keys remembered before as 'no-contact'


class Writer:
    """The run's rows, written a batch at a time on the transaction's own connection (nothing in a dry run)."""

    def __init__(self, ctx: Context, source: str, dry_run: bool) -> None:
        self.ctx, self.source, self.dry_run = ctx, source, dry_run
        self.now = to_db(ctx.now())
        self.cursor = database.connection().cursor()
        self.next_id = self.cursor.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM touch").fetchone()[0]
        self.by_hand: set[int] | None = None  # see hands_between
        self.touches: list[tuple] = []
        self.links: list[tuple] = []
        self.items: list[tuple] = []
        # email -> [name, times, first, last]: one row per address for the whole run.
        self.strangers: dict[str, list] = {}

    def existing(self, keys: list[str]) -> dict[str, tuple[str, int | None]]:
        """key -> (outcome, touch id) of the items a capture has remembered before."""
        found: dict[str, tuple[str, int | None]] = {}
        for i in range(0, len(keys), BATCH):
            part = keys[i:i + BATCH]
            for key, outcome, touch in self.cursor.execute(
                f"SELECT source_id, outcome, touch_id FROM captured_item WHERE source = ? "
                f"AND source_id IN ({','.join('?' * len(part))})", [self.source, *part]
            ):
                found[key] = (outcome, touch)
        return found

    def newcomers(self, wanted: dict[str, tuple[int, tuple[int, ...]]]) -> dict[str, list[int]]:
        """Of the people of items captured before ({key: (their touch, the item's contacts)}),
        those who became contacts after the item was captured and are not in its touch: the person
        the user added from the people worth adding. One the user took out of a touch stays out."""
        out: dict[str, list[int]] = {}
        keys = list(wanted)
        for i in range(0, len(keys), BATCH):
            part = keys[i:i + BATCH]
            rows = self.cursor.execute(
                f"SELECT source_id, captured_at FROM captured_item WHERE source = ? "
                f"AND source_id IN ({','.join('?' * len(part))})", [self.source, *part]).fetchall()
            for key, captured_at in rows:
                touch, contact_ids = wanted[key]
                found = self.cursor.execute(
                    f"SELECT id FROM contact WHERE id IN ({','.join('?' * len(contact_ids))}) AND created_at > ? "
                    "AND id NOT IN (SELECT contact_id FROM touch_contact WHERE touch_id = ?)",
                    [*contact_ids, captured_at, touch]).fetchall()
                if found:
                    out[key] = [cid for (cid,) in found]
        return out

    def earlier_touch(self, group_key: str) -> tuple[bool, int | None]:
        """(whether a run captured this conversation on this day before, the touch it made)."""
        row = self.cursor.execute(
            "SELECT touch_id FROM captured_item WHERE source = ? AND group_key = ? AND outcome = 'captured' "
            "ORDER BY touch_id IS NULL LIMIT 1", (self.source, group_key)
        ).fetchone()
        return (row is not None, row[0] if row else None)

    def hands_between(self, moments: list[dt.datetime], channel: str | None) -> None:
        """Note the contacts the user logged touches with by hand around these moments: one query,
        so that the contacts with none need no lookup each."""
        if not moments:
            self.by_hand = set()
            return
        window = rules.LINK_WINDOW
        first = min(moments, key=lambda m: m.timestamp())
        last = max(moments, key=lambda m: m.timestamp())
        sql = ("SELECT DISTINCT tc.contact_id FROM touch t JOIN touch_contact tc ON tc.touch_id = t.id "
               "WHERE t.source IS NULL AND t.at BETWEEN ? AND ?")
        params: list = [to_db(first - window), to_db(last + window)]
        if channel:
            sql += " AND t.channel = ?"
            params.append(channel)
        self.by_hand = {cid for (cid,) in self.cursor.execute(sql, params)}

    def hand_logged(self, contact_id: int, at: dt.datetime, channel: str | None) -> int | None:
        """A touch the user logged with the contact within the link window of `at`, the nearest."""
        if self.by_hand is not None and contact_id not in self.by_hand:
            return None
        window = rules.LINK_WINDOW
        sql = ("SELECT t.id FROM touch t JOIN touch_contact tc ON tc.touch_id = t.id WHERE tc.contact_id = ? "
               "AND t.source IS NULL AND t.at BETWEEN ? AND ?")
        params: list = [contact_id, to_db(at - window), to_db(at + window)]
        if channel:
            sql += " AND t.channel = ?"
            params.append(channel)
        row = self.cursor.execute(sql + " ORDER BY abs(julianday(t.at) - julianday(?)), t.id LIMIT 1",
                                  [*params, to_db(at)]).fetchone()
        return row[0] if row else None

    def touch(self, item: Item, contact_ids: list[int]) -> int | None:
        if self.dry_run:
            return None
        touch_id, self.next_id = self.next_id, self.next_id + 1
        self.touches.append((touch_id, to_db(item.at), item.channel, rules.KIND, item.minutes, item.note, self.now,
                             self.source, item.source_id))
        self.join(touch_id, contact_ids)
        return touch_id

    def join_newcomers(self, key: str, touch_id: int, contact_ids: list[int]) -> None:
        """The people `newcomers` found join the item's touch, which now counts as captured with
        them: one the user later takes out of it stays out."""
        self.join(touch_id, contact_ids)
        if not self.dry_run:
            self.cursor.execute("UPDATE captured_item SET captured_at = ? WHERE source = ? AND source_id = ?",
                                (self.now, self.source, key))

    def join(self, touch_id: int, contact_ids: Iterable[int]) -> None:
        if not self.dry_run:
            self.links.extend((touch_id, cid) for cid in contact_ids)
            self._maybe_flush()

    def remember(self, key: str, touch_id: int | None, outcome: str, item: Item) -> None:
        if not self.dry_run:
            self.items.append((self.source, key, touch_id, outcome, item.group_key, to_db(item.at), self.now))
            self._maybe_flush()

    def met(self, people: Iterable[rules.Person], at: dt.datetime) -> None:
        if self.dry_run:
            return
        stamp = to_db(at)
        for p in people:
            seen = self.strangers.get(p.email)
            if seen is None:
                self.strangers[p.email] = [p.name, 1, stamp, stamp]
                continue
            seen[1] += 1
            if p.name and (stamp >= seen[3] or not seen[0]):
                seen[0] = p.name  # the name of the latest time it was given
            seen[2], seen[3] = min(seen[2], stamp), max(seen[3], stamp)

    def _maybe_flush(self) -> None:
        if len(self.items) >= BATCH * 10 or len(self.links) >= BATCH * 10:
            self.flush()

    def flush(self, final: bool = False) -> None:
        if self.dry_run:
            return
        c = self.cursor
        if self.touches:
            c.executemany("INSERT INTO touch (id, at, channel, kind, minutes, note, created_at, source, source_id) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", self.touches)
        if self.links:
            c.executemany("INSERT OR IGNORE INTO touch_contact (touch_id, contact_id) VALUES (?, ?)", self.links)
        if self.items:
            c.executemany(
                "INSERT INTO captured_item (source, source_id, touch_id, outcome, group_key, at, captured_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, source_id) DO UPDATE SET "
                "touch_id = excluded.touch_id, outcome = excluded.outcome, group_key = excluded.group_key, "
                "captured_at = excluded.captured_at", self.items)
        if final and self.strangers:
            c.executemany(
                "INSERT INTO correspondent (email, name, times, first_at, last_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (email) DO UPDATE SET times = times + excluded.times, "
                "name = CASE WHEN excluded.name != '' AND excluded.last_at >= last_at THEN excluded.name "
                "WHEN name = '' THEN excluded.name ELSE name END, "
                "first_at = MIN(first_at, excluded.first_at), last_at = MAX(last_at, excluded.last_at)",
                [(email, *row) for email, row in self.strangers.items()])
            self.strangers = {}
        self.touches, self.links, self.items = [], [], []


def place(writer: Writer, item: Item, skipped: Counter,
          link_channel: str | None) -> tuple[list[int], int | None] | None:
    """Make, link or remember one item's touch: (the contacts of the touch it made, the touch's id,
    None in a dry run), or None when it made none (counted in `skipped`, by why)."""
    new_keys = [k for k in item.keys if k not in item.reevaluated]
    if new_keys:
        writer.met(item.strangers, item.at)
    if not item.contact_ids:
        for key in item.keys:
            writer.remember(key, None, "no-contact", item)
        skipped[rules.NO_CONTACT] += len(item.keys)
        return None
    linked: dict[int, int] = {}
    for cid in item.contact_ids:
        found = writer.hand_logged(cid, item.at, link_channel)
        if found is not None:
            linked[cid] = found
    rest = [cid for cid in item.contact_ids if cid not in linked]
    if not rest:
        for key in item.keys:
            writer.remember(key, next(iter(linked.values())), "linked", item)
        skipped[rules.ALREADY_LOGGED] += len(item.keys)
        return None
    touch_id = writer.touch(item, rest)
    for key in item.keys:
        writer.remember(key, touch_id, "captured", item)
    return rest, touch_id


def hear(writer: Writer, heard: dict[int, dt.datetime]) -> int:
    """Move each contact's last heard forward; how many moved."""
    rows = [(to_db(at), cid, to_db(at)) for cid, at in heard.items()]
    if writer.dry_run:
        moved = 0
        for i in range(0, len(rows), BATCH):
            part = rows[i:i + BATCH]
            for at, cid, _ in part:
                moved += writer.cursor.execute(
                    "SELECT COUNT(*) FROM contact WHERE id = ? AND (last_heard_at IS NULL OR last_heard_at < ?)",
                    (cid, at)).fetchone()[0]
        return moved
    writer.cursor.executemany(
        "UPDATE contact SET last_heard_at = ? WHERE id = ? AND (last_heard_at IS NULL OR last_heard_at < ?)", rows)
    return max(0, writer.cursor.rowcount)

