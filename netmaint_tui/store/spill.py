"""Rows an import adds, kept in a private temporary SQLite file instead of in memory.

An import remembers every contact it adds, so that a file naming someone twice adds them once.
For a few tens of thousands of contacts, dicts are fastest; a file of millions of rows would
need gigabytes. Past that point the import keeps the rest here: each row (pickled: only this
process reads it back, and it is deleted on close), its LinkedIn URL key, and the keys it is
found by, each key's rows in the order they were added. A bit set in memory answers most
"never seen" lookups without a query.
"""

from __future__ import annotations

import pickle
import sqlite3
from typing import Any, Iterable

_SCHEMA = """
CREATE TABLE row (id INTEGER PRIMARY KEY, url TEXT NOT NULL, value BLOB NOT NULL);
CREATE TABLE key (k TEXT NOT NULL, id INTEGER NOT NULL, UNIQUE (k, id));
"""


class SpilledRows:
    FILTER_BITS = 1 << 27  # 16 MB: a few percent of false "maybe"s at millions of keys

    def __init__(self) -> None:
        # "" is SQLite's private temporary database: on disk once it outgrows its cache, removed on close.
        self._db = sqlite3.connect("", isolation_level=None)
        self._db.executescript("PRAGMA cache_size = -8000; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                               + _SCHEMA)
        self._db.execute("BEGIN")
        self._seen = bytearray(self.FILTER_BITS // 8)

    def _bit(self, key: str) -> tuple[int, int]:
        h = hash(key) & (self.FILTER_BITS - 1)
        return h >> 3, 1 << (h & 7)

    def put(self, row_id: int, value: dict[str, Any], url: str) -> None:
        """Store a row, or replace it."""
        self._db.execute("INSERT OR REPLACE INTO row (id, url, value) VALUES (?, ?, ?)",
                         (row_id, url, pickle.dumps(value, pickle.HIGHEST_PROTOCOL)))

    def add_keys(self, row_id: int, keys: Iterable[str]) -> None:
        """Keys row `row_id` is found by from now on (a row kept elsewhere may have keys here too)."""
        rows = []
        for key in keys:
            byte, bit = self._bit(key)
            self._seen[byte] |= bit
            rows.append((key, row_id))
        self._db.executemany("INSERT OR IGNORE INTO key (k, id) VALUES (?, ?)", rows)

    def ids(self, key: str, url: str = "") -> list[tuple[int, str | None]]:
        """The rows found by `key`, in the order the key was given to them, each with its URL
        key (None for a row kept elsewhere). Given `url`, rows here with another URL are left
        out: many people share a common name and company, each with a profile of their own."""
        byte, bit = self._bit(key)
        if not self._seen[byte] & bit:
            return []
        query = "SELECT key.id, row.url FROM key LEFT JOIN row ON row.id = key.id WHERE key.k = ?"
        if url:
            return self._db.execute(query + " AND (row.url IS NULL OR row.url IN ('', ?)) ORDER BY key.rowid",
                                    (key, url)).fetchall()
        return self._db.execute(query + " ORDER BY key.rowid", (key,)).fetchall()

    def get(self, row_id: int) -> dict[str, Any]:
        return pickle.loads(self._db.execute("SELECT value FROM row WHERE id = ?", (row_id,)).fetchone()[0])

    def url(self, row_id: int) -> str:
        found = self._db.execute("SELECT url FROM row WHERE id = ?", (row_id,)).fetchone()
        return found[0] if found else ""

    def close(self) -> None:
        self._db.close()
