"""Kill -9 during a capture: while it reads, after its copy of the database, halfway through its
transaction, or just before the commit. Each time the database is exactly as it was (every table,
row for row), it opens without repair, and the next capture does the whole work once."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess

import pytest

from tests.capture_files import ME, mbox, message
from tests.reliability.capturer import POINTS
from tests.reliability.helpers import HERE, PYTHON, TIMEOUT, cli_env, kill_when

SENT, RECEIVED, STRANGERS = 120, 30, 20
T = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.timezone.utc)


def setup(tmp_path):
    from netmaint_tui.clock import fixed_clock
    from netmaint_tui.config import Settings
    from netmaint_tui.services.common import Context
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.touches import log_touch
    from netmaint_tui.store.db import close_database, open_database

    db = tmp_path / "data" / "netmaint.db"
    open_database(db)
    ctx = Context(fixed_clock("2025-03-12T10:00:00", "Europe/Berlin"), Settings())
    ids = [add_contact(ctx, f"Contact {i}", emails=[f"c{i}@example.com"]) for i in range(40)]
    log_touch(ctx, ids[:2], at=T - dt.timedelta(days=30), note="typed before")
    close_database()
    mails = [message(ME, f"c{i % 40}@example.com", f"Topic {i}", T + dt.timedelta(hours=i), msgid=f"s{i}@x")
             for i in range(SENT)]
    mails += [message(f"c{i}@example.com", ME, f"Hello {i}", T + dt.timedelta(minutes=i), msgid=f"r{i}@x")
              for i in range(RECEIVED)]
    mails += [message(ME, f"stranger{i}@example.net", "Hi", T, msgid=f"u{i}@x") for i in range(STRANGERS)]
    box = tmp_path / "mail.mbox"
    box.write_bytes(mbox(*mails))
    return db, box


def rows(db) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS)
def test_kill_minus_9_during_a_capture_leaves_the_database_as_it_was(tmp_path, point):
    db, box = setup(tmp_path)
    before = rows(db)
    env = cli_env(db, tmp_path / "config.yaml")
    kill_when([PYTHON, str(HERE / "capturer.py"), str(db), str(box), "stall", point], env, f"at {point}")

    assert rows(db) == before

    done = subprocess.run([PYTHON, str(HERE / "capturer.py"), str(db), str(box), "finish"], env=env,
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", f"done {SENT}\n")
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT COUNT(*) FROM touch WHERE source = 'mail'").fetchone()[0] == SENT
        assert conn.execute("SELECT COUNT(*) FROM captured_item").fetchone()[0] == SENT + STRANGERS
        assert conn.execute("SELECT COUNT(*) FROM contact WHERE last_heard_at IS NOT NULL").fetchone()[0] == RECEIVED
        assert conn.execute("SELECT COUNT(*) FROM correspondent").fetchone()[0] == STRANGERS
    finally:
        conn.close()
