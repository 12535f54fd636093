"""Kill -9 while saving: every touch whose commit returned is there byte for byte, nothing is
half-written or doubled, and the next start needs no repair.

A child logs touches in a loop through services.touches.log_touch and prints each id after the
commit returns; it is killed with SIGKILL at 50 seeded-random moments (sometimes while it is
still opening the database), all against the same file, so each writer also opens what the
previous kill left behind.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time

import pytest

from tests.reliability import writer
from tests.reliability.helpers import HERE, PYTHON, Lines, cli_env

KILLS = 50
SEED = 20250312
RUN_DEADLINE = 20.0  # seconds for one run; a healthy one takes a fraction of a second


def kill_writers(db, tmp_path) -> dict[tuple[str, int], int]:
    """Run KILLS writers to their SIGKILL; returns {(run, i): touch_id} for every printed commit."""
    rng = random.Random(SEED)
    env = cli_env(db, tmp_path / "config.yaml")
    errors = tmp_path / "forks.err"
    printed: dict[tuple[str, int], int] = {}
    with open(errors, "wb") as err:
        proc = subprocess.Popen(
            [PYTHON, str(HERE / "writer.py"), str(db), "forks"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, env=env,
        )
    lines = Lines(proc.stdout)
    try:
        for run in range(KILLS):
            # -1: kill as soon as it exists (mid start-up or mid-open); 0: once the file is open; n: after n commits.
            target = rng.choice([-1, 0, *range(1, 16)])
            deadline = time.monotonic() + RUN_DEADLINE
            proc.stdin.write(f"go {run} {rng.randrange(1 << 30)}\n".encode())
            proc.stdin.flush()
            seen: list[str] = []
            pid = int(lines.until(f"pid {run} ", deadline).split()[2])
            if target >= 0:
                lines.until(f"ready {run}", deadline, seen)
                commits = 0
                while commits < target:
                    line = lines.until(f"id {run} ", deadline, seen)
                    _, _, i, touch_id = line.split()
                    printed[(str(run), int(i))] = int(touch_id)
                    commits += 1
            os.kill(pid, signal.SIGKILL)
            done = lines.until(f"done {run} ", deadline, seen)
            status = int(done.split()[2])
            for line in seen:  # written between the last read and the kill
                if line.startswith(f"id {run} "):
                    _, _, i, touch_id = line.split()
                    printed[(str(run), int(i))] = int(touch_id)
            assert not [line for line in seen if line.startswith("error")], seen
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (run, status, seen)
        proc.stdin.close()
        assert proc.wait(timeout=RUN_DEADLINE) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=RUN_DEADLINE)
    assert errors.read_bytes() == b""
    return printed


@pytest.mark.slow
def test_kill_minus_9_while_saving_loses_nothing_committed_and_leaves_nothing_half_written(tmp_path):
    db = tmp_path / "data" / "netmaint.db"
    contact_ids = writer.setup_database(db)
    conn = sqlite3.connect(db)
    version_before = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()

    printed = kill_writers(db, tmp_path)
    assert len(printed) >= KILLS, "the kills should land after a good number of commits"

    # Read what the last kill left exactly as a new netmaint would: WAL and all.
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        notes = dict(conn.execute("SELECT id, CAST(note AS BLOB) FROM touch"))
        links: dict[int, list[int]] = {}
        for touch_id, contact_id in conn.execute("SELECT touch_id, contact_id FROM touch_contact ORDER BY contact_id"):
            links.setdefault(touch_id, []).append(contact_id)
        follow_ups: dict[int, list[str]] = {}
        for touch_id, what, by in conn.execute("SELECT touch_id, what, suggested_by_id FROM follow_up"):
            assert by is None  # a group note's task that names nobody is credited to nobody
            follow_ups.setdefault(touch_id, []).append(what)
        last_touch = {row[0] for row in conn.execute("SELECT last_touch_at FROM contact")}
    finally:
        conn.close()

    # Every printed touch is there, byte for byte.
    for (run, i), touch_id in printed.items():
        assert notes.get(touch_id) == writer.note_for(run, i).encode("utf-8"), (run, i, touch_id)

    # Every touch present is whole: its own note, both links and both follow-ups; none twice.
    markers = set()
    for touch_id, raw in notes.items():
        text = raw.decode("utf-8")
        tag, i = text.split("⟦", 1)[1].split("⟧", 1)[0].split(":")
        assert text == writer.note_for(tag, int(i)), touch_id
        assert (tag, i) not in markers, f"touch {tag}:{i} saved twice"
        markers.add((tag, i))
        assert links.get(touch_id) == contact_ids, f"touch {touch_id} without its contacts: {links.get(touch_id)}"
        assert sorted(follow_ups.get(touch_id, [])) == sorted(writer.follow_ups_for(tag, int(i))), touch_id
    assert set(links) <= set(notes) and set(follow_ups) <= set(notes)
    assert len(last_touch) == 1 and None not in last_touch  # the trigger kept up with every commit

    # The next start needs no repair: it opens, migrates nothing, and can write.
    from netmaint_tui.services.touches import log_touch
    from netmaint_tui.store.backup_names import list_backups
    from netmaint_tui.store.db import close_database, open_database

    before = set(list_backups(db))
    opened = open_database(db)
    try:
        assert opened.execute_sql("PRAGMA user_version").fetchone()[0] == version_before
        assert set(list_backups(db)) == before, "opening after a kill must not run a migration"
        result = log_touch(writer.context(), contact_ids, note="after the kills")
        assert result.touch_id > max(notes)
    finally:
        close_database()
