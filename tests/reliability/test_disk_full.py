"""Disk full: saving fails with a visible error, nothing is corrupted or half-saved, and saving
works again once there is space.

The disk is made full two ways: SQLite's `PRAGMA max_page_count` (the file cannot grow: the
same SQLITE_FULL "database or disk is full" a full disk gives; works everywhere), and, where the
machine allows mounting (root with CAP_SYS_ADMIN), a real 2 MB tmpfs filled to the brim.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import uuid

import pytest

from netmaint_tui.cli import main
from tests.reliability.helpers import TIMEOUT, run_cli

BIG_NOTE = "A long meeting, written up in full — Grüße. " * 5000  # ~230 KB: needs new pages
APP_NOTE = "Typed in the app and not to be lost — Grüße.\n" * 400  # ~18 KB: needs new pages too


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def page_count(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA page_count").fetchone()[0]
    finally:
        conn.close()


def rows(path, sql) -> list:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def full_disk(cli, capsys, monkeypatch):
    """A database with Dana in it that cannot grow by a single page; `.lift()` gives space back."""
    from netmaint_tui.store import db as store_db

    assert main(["add", "Dana"]) == 0 and main(["add", "Omar"]) == 0
    capsys.readouterr()
    monkeypatch.setitem(store_db.PRAGMAS, "max_page_count", page_count(cli.db))
    cli.lift = lambda: monkeypatch.delitem(store_db.PRAGMAS, "max_page_count")
    return cli


def test_the_command_line_says_the_disk_is_full_in_one_line_and_saves_once_there_is_space(full_disk, capsys):
    code, out, err = run(capsys, "log", "Dana", "--note", BIG_NOTE)
    assert (code, out) == (1, "") and len(err.splitlines()) == 1, err
    assert err.startswith("netmaint: ") and "disk is full" in err and "nothing was saved" in err
    assert rows(full_disk.db, "SELECT COUNT(*) FROM touch") == [(0,)]
    assert rows(full_disk.db, "SELECT COUNT(*) FROM follow_up") == [(0,)]

    full_disk.lift()
    code, out, err = run(capsys, "log", "Dana", "--note", BIG_NOTE)
    assert (code, err) == (0, "")
    assert rows(full_disk.db, "SELECT note FROM touch") == [(BIG_NOTE,)]


def test_an_import_that_runs_out_of_space_imports_nothing_and_can_be_run_again(full_disk, capsys):
    doc = {"format": "netmaint", "version": 1,
           "contacts": [{"name": f"Imported {i}", "notes": "x" * 2000} for i in range(200)]}
    source = full_disk.tmp / "network.json"
    source.write_text(json.dumps(doc))
    code, out, err = run(capsys, "import", "json", str(source))
    assert code == 1 and "disk is full" in err and len(err.splitlines()) == 1, (out, err)
    assert rows(full_disk.db, "SELECT name FROM contact ORDER BY id") == [("Dana",), ("Omar",)]

    full_disk.lift()
    code, out, err = run(capsys, "import", "json", str(source))
    assert (code, err) == (0, "") and "200 added" in out
    assert rows(full_disk.db, "SELECT COUNT(*) FROM contact") == [(202,)]


def test_the_translation_names_a_full_disk():
    from netmaint_tui.store.errors import StoreError
    from netmaint_tui.store.files import translate_error

    error = translate_error(sqlite3.OperationalError("database or disk is full"), "net.db")
    assert isinstance(error, StoreError) and "disk is full" in str(error) and "\n" not in str(error)


# --- the app -------------------------------------------------------------------------------------


def cap_the_file() -> None:
    from netmaint_tui.store.models import database

    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages}")


def lift_the_cap() -> None:
    from netmaint_tui.store.models import database

    database.execute_sql("PRAGMA max_page_count = 1073741823")


def test_the_log_form_stays_open_with_the_note_and_the_error_then_saves(cli, capsys):
    from textual.widgets import TextArea

    from tests.ui.conftest import drive, new_app, settle, static_text

    assert main(["add", "Dana"]) == 0
    capsys.readouterr()

    async def scenario(app, pilot):
        await pilot.press("l")
        await settle(app, pilot)
        app.screen.query_one("#t-note", TextArea).text = APP_NOTE
        cap_the_file()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.is_running and app.screen is not app.main, "the form stays open"
        assert "disk is full" in static_text(app, "#form-error")
        assert app.screen.query_one("#t-note", TextArea).text == APP_NOTE
        lift_the_cap()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is app.main
        return True

    assert drive(new_app(cli.db), scenario)
    assert rows(cli.db, "SELECT note FROM touch") == [(APP_NOTE,)]


def test_the_quick_note_stays_open_with_the_note_and_the_error_then_saves(cli, capsys):
    from textual.widgets import TextArea

    from tests.ui.conftest import drive, new_app, settle, static_text

    assert main(["add", "Dana"]) == 0
    capsys.readouterr()
    note = APP_NOTE + "- [ ] send the slides"

    async def scenario(app, pilot):
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press(*"Dana", "tab")
        await settle(app, pilot)
        app.screen.query_one("#qn-note", TextArea).text = note
        await settle(app, pilot)
        cap_the_file()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.is_running and app.screen is not app.main, "the quick note stays open"
        assert "disk is full" in static_text(app, "#qn-error")
        assert app.screen.query_one("#qn-note", TextArea).text == note
        lift_the_cap()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is app.main
        return True

    assert drive(new_app(cli.db), scenario)
    assert rows(cli.db, "SELECT note FROM touch") == [(note,)]
    assert rows(cli.db, "SELECT what FROM follow_up") == [("send the slides",)]


# --- a real full disk ----------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs (root with CAP_SYS_ADMIN only); unmounted afterwards."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    try:
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount_point)],
                                capture_output=True, text=True, timeout=TIMEOUT)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot mount a tmpfs here ({exc}); the max_page_count tests cover a full disk")
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({result.stderr.strip()}); the max_page_count tests cover a full disk")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, timeout=TIMEOUT)


def fill_up(folder, leave: int) -> None:
    """Fill the file system holding `folder` until at most `leave` bytes are free."""
    import os

    filler = folder / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
                if free <= leave:
                    break
                handle.write(b"\0" * min(free - leave, 1 << 16) or b"\0")
                handle.flush()
        except OSError:
            pass


@pytest.mark.slow
def test_a_really_full_disk(small_disk, cli):
    env = {**cli.env, "NETMAINT_DB": str(small_disk / "netmaint.db")}
    for name in ("Dana", "Omar"):
        assert run_cli(env, "add", name).returncode == 0
    fill_up(small_disk, leave=64 * 1024)
    marker = uuid.uuid4().hex
    note = f"{marker} " + BIG_NOTE
    result = run_cli(env, "log", "Dana", "--note", "-", stdin=note)
    assert result.returncode == 1 and result.stdout == "" and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("netmaint: ") for line in lines)
    assert "disk is full" in lines[-1]
    assert rows(small_disk / "netmaint.db", "SELECT COUNT(*) FROM touch") == [(0,)]

    (small_disk / "filler").unlink()
    result = run_cli(env, "log", "Dana", "--note", "-", stdin=note)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert rows(small_disk / "netmaint.db", "SELECT note FROM touch") == [(note,)]
