"""Two at once: netmaints writing the same file at the same time all succeed, losing nothing; one
that holds the file past the busy timeout makes the other fail with one clear line."""

from __future__ import annotations

import sqlite3
import subprocess
import time

import pytest

from netmaint_tui.cli import main
from tests.reliability import writer
from tests.reliability.helpers import HERE, PYTHON, TIMEOUT, Lines, one_error_line, run_cli

CLI_RUNS = 3
HEAD_START = 20  # commits each writer makes before the command lines join in


def touches(db) -> dict[int, str]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT id, note FROM touch"))
    finally:
        conn.close()


@pytest.mark.slow
def test_writers_and_command_lines_at_the_same_time_lose_nothing(cli):
    writer.setup_database(cli.db)
    procs = [
        subprocess.Popen([PYTHON, str(HERE / "writer.py"), str(cli.db), "until-eof", tag],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli.env)
        for tag in ("left", "right")
    ]
    printed: dict[int, str] = {}
    try:
        deadline = time.monotonic() + TIMEOUT
        readers = [Lines(p.stdout) for p in procs]
        for p, reader in zip(procs, readers):
            for _ in range(HEAD_START):
                try:
                    _, tag, i, touch_id = reader.until("id ", deadline).split()
                except EOFError:
                    p.wait(timeout=TIMEOUT)
                    pytest.fail(f"a writer stopped: {p.stderr.read().decode()[-600:]}")
                printed[int(touch_id)] = writer.note_for(tag, int(i))
        # Both writers are mid-stream: every command line below competes with them for the lock.
        cli_notes = {}
        for k in range(CLI_RUNS):
            note = f"from the command line {k} · Grüße"
            result = run_cli(cli.env, "log", writer.CONTACTS[0], writer.CONTACTS[1], "--note", note)
            assert (result.returncode, result.stderr) == (0, ""), result.stderr
            touch_id = int(result.stdout.split("(touch #")[1].split(")")[0])
            cli_notes[touch_id] = note
        for p in procs:
            p.stdin.close()
        for p, reader in zip(procs, readers):
            while (line := reader.readline(deadline)) is not None:
                _, tag, i, touch_id = line.split()
                printed[int(touch_id)] = writer.note_for(tag, int(i))
            assert p.wait(timeout=TIMEOUT) == 0
            assert p.stderr.read() == b""
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait(timeout=TIMEOUT)
    saved = touches(cli.db)
    assert len(printed) > 2 * HEAD_START
    assert saved == {**printed, **cli_notes}, "every write is there, and nothing else"


def test_a_lock_held_past_the_busy_timeout_is_one_clear_line_then_the_write_works(cli, capsys):
    assert main(["add", "Dana"]) == 0
    capsys.readouterr()
    quick = {**cli.env, "NETMAINT_BUSY_TIMEOUT_MS": "300"}
    holder = sqlite3.connect(cli.db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        for args in (["log", "Dana", "--note", "while it is held"], ["add", "Omar"]):
            started = time.monotonic()
            result = run_cli(quick, *args)
            line = one_error_line(result)
            assert result.returncode == 1
            assert "another netmaint" in line and "0.3 s" in line, line
            assert time.monotonic() - started < TIMEOUT / 2
    finally:
        holder.rollback()
        holder.close()
    assert list(touches(cli.db).values()) == []
    result = run_cli(quick, "log", "Dana", "--note", "while it is held")
    assert (result.returncode, result.stderr) == (0, "")
    assert list(touches(cli.db).values()) == ["while it is held"]


def test_the_busy_timeout_comes_from_the_environment(cli, monkeypatch):
    from netmaint_tui.store.db import close_database, open_database

    monkeypatch.setenv("NETMAINT_BUSY_TIMEOUT_MS", "1234")
    db = open_database(cli.db)
    try:
        assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 1234
    finally:
        close_database()
    monkeypatch.setenv("NETMAINT_BUSY_TIMEOUT_MS", "soon")  # not a number: the default
    db = open_database(cli.db)
    try:
        assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
    finally:
        close_database()


def test_reading_commands_do_not_wait_for_a_writer(cli, capsys):
    assert main(["add", "Dana"]) == 0
    capsys.readouterr()
    quick = {**cli.env, "NETMAINT_BUSY_TIMEOUT_MS": "300"}
    holder = sqlite3.connect(cli.db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE contact SET name = 'half-written'")
    try:
        for args in (["export", "json"], ["due", "--json"], ["week"]):
            result = run_cli(quick, *args)
            assert (result.returncode, result.stderr) == (0, ""), (args, result.stderr)
            assert "half-written" not in result.stdout
    finally:
        holder.rollback()
        holder.close()
