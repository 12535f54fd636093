"""Shared fixtures: a fresh database, a context with a fixed clock, and a replayable CLI environment."""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace

import pytest

NOW = "2025-03-12T10:00:00"
ZONE = "Europe/Berlin"


@pytest.fixture
def tmp_db(tmp_path):
    """A fresh database in tmp_path, bound to the models; closed afterwards."""
    from netmaint_tui.store.db import close_database, open_database

    db = open_database(tmp_path / "netmaint.db")
    yield db
    close_database()


@pytest.fixture
def make_ctx():
    """Factory: make_ctx(now=..., tz=..., **settings) -> Context with a fixed clock and default Settings."""
    from netmaint_tui.clock import fixed_clock
    from netmaint_tui.config import Settings
    from netmaint_tui.services.common import Context

    def make(now: str = NOW, tz: str = ZONE, **settings) -> Context:
        return Context(fixed_clock(now, tz), Settings(**settings))

    return make


@pytest.fixture
def ctx(make_ctx):
    """Wednesday 2025-03-12 10:00 in Berlin, default settings."""
    return make_ctx()


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Environment for running the command line: its own database and config file, a fixed clock and zone."""
    db = tmp_path / "data" / "netmaint.db"
    config = tmp_path / "config" / "config.yaml"
    monkeypatch.setenv("NETMAINT_DB", str(db))
    monkeypatch.setenv("NETMAINT_CONFIG", str(config))
    monkeypatch.setenv("NETMAINT_NOW", NOW)
    monkeypatch.setenv("TZ", ZONE)
    monkeypatch.delenv("NETMAINT_DEBUG", raising=False)
    return SimpleNamespace(db=db, config=config, tmp=tmp_path)


EDGES = ("0001-01-01 02:00:00", "9999-12-31 23:00:00")  # what an older version let in


def store_dates_out_of_range(path, first: str, last: str) -> None:
    """Every kind of date an older version let in, at both ends of the calendar, as raw rows:
    contact `first` last touched at the first edge, `last` at the other; a follow-up each."""
    conn = sqlite3.connect(path)
    for i, at in enumerate(EDGES):
        day = at[:10]
        conn.execute(
            "INSERT INTO contact (name, company, role, emails, phones, linkedin_url, location, how_met, tier, "
            "birthday, notes, source, connected_on, snoozed_until, created_at, updated_at, archived) "
            "VALUES (?, '', '', '[]', '[]', '', '', '', 'A', ?, '', 'manual', ?, NULL, ?, ?, 0)",
            (f"Edge Never {i}", day, day, at, at),
        )
        conn.execute("INSERT INTO contact (name, company, role, emails, phones, linkedin_url, location, how_met, "
                     "tier, notes, source, snoozed_until, created_at, updated_at, archived) VALUES "
                     "(?, '', '', '[]', '[]', '', '', '', 'B', '', 'manual', ?, ?, ?, 0)",
                     (f"Edge Snoozed {i}", day, "2025-01-01 10:00:00", "2025-01-01 10:00:00"))
        touch = conn.execute("INSERT INTO touch (at, channel, kind, minutes, note, created_at) "
                             "VALUES (?, 'call', 'give', 30, '', ?)", (at, at)).lastrowid
        who = conn.execute("SELECT id FROM contact WHERE name = ?", (last if i else first,)).fetchone()[0]
        conn.execute("INSERT INTO touch_contact (touch_id, contact_id) VALUES (?, ?)", (touch, who))
        conn.execute("INSERT INTO follow_up (what, due, status, suggested_by_id, about_text, created_at) "
                     "VALUES (?, ?, 'open', ?, '', ?)", (f"edge {i}", at, who, at))
        conn.execute("INSERT INTO goal (from_date, touches, minutes, created_at) VALUES (?, 1, NULL, ?)", (day, at))
        conn.execute('INSERT INTO pause (start, "end", reason, created_at) VALUES (?, ?, \'\', ?)', (day, day, at))
    conn.commit()
    conn.close()
