"""Damaged and odd files: each is a clear message, and none is ever changed by netmaint.

- truncated or byte-flipped: one line naming the way back (`netmaint restore <latest backup>`); the
  damaged file stays byte for byte, and restoring keeps it aside, still byte for byte;
- read-only: reading works, the app says it is read-only, writes fail with one line; once the file
  is writable again, writing works (nothing a read-only session left behind gets in the way);
- written by a newer version: refused, untouched, by the command line and the app alike;
- a migration killed halfway: the old version intact, and the next start migrates cleanly.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import subprocess

import pytest

from netmaint_tui.cli import main
from netmaint_tui.store.migrations import SCHEMA_VERSION
from tests.reliability.helpers import (
    HERE,
    PYTHON,
    TIMEOUT,
    bound_by_permissions,
    flip_root_page,
    kill_when,
    one_error_line,
    permissions_bind_children,
    run_cli,
)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(capsys, *argv, code=1) -> str:
    got, out, err = run(capsys, *argv)
    assert (got, out) == (code, ""), (argv, got, out, err)
    assert len(err.splitlines()) == 1 and err.startswith("netmaint: "), err
    return err.strip()


def names(path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM contact ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def filled(cli, capsys):
    """A database with enough rows to span many pages, and today's automatic backup of it."""
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.store.db import close_database, open_database
    from tests.reliability.writer import context

    open_database(cli.db)
    ctx = context()
    for i in range(40):
        add_contact(ctx, f"Person {i:02}", notes=f"notes {i} " * 200)
    close_database()
    assert main(["add", "Dana"]) == 0  # the day's first write makes the automatic backup
    capsys.readouterr()
    from netmaint_tui.store.backup_names import latest_backup

    assert latest_backup(cli.db) is not None
    return cli


def flip_contact_root_page(path) -> bytes:
    """Flip the page-type byte of the contact table's root page: every read of a contact fails."""
    return flip_root_page(path, "contact")


def truncate_half(path) -> bytes:
    data = path.read_bytes()
    return data[: len(data) // 2]


@pytest.mark.parametrize("damage", [truncate_half, flip_contact_root_page], ids=["truncated", "byte-flipped"])
def test_a_damaged_file_is_one_line_naming_the_restore_and_stays_byte_for_byte(filled, capsys, damage):
    damaged = damage(filled.db)
    filled.db.write_bytes(damaged)

    messages = set()
    for argv in (["due"], ["log", "Dana", "--note", "lost?"], ["add", "Zed"], ["export", "json"]):
        messages.add(one_line(capsys, *argv))
        assert filled.db.read_bytes() == damaged, f"{argv} changed the damaged file"
    (message,) = messages
    assert "damaged" in message
    match = re.search(r"netmaint restore (\S+)$", message)
    assert match, message
    latest = match.group(1)
    backed_up = names(latest)  # taken before the day's first write
    assert len(backed_up) == 40

    code, out, err = run(capsys, "restore", latest)
    assert (code, err) == (0, ""), err
    aside = re.search(r"the previous one is at (\S+)$", out.strip()).group(1)
    assert open(aside, "rb").read() == damaged, "the damaged file is kept aside exactly as it was"
    assert sqlite3.connect(filled.db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    code, out, err = run(capsys, "due", "--json", "--limit", "0")
    assert (code, err) == (0, "") and sorted(row["name"] for row in json.loads(out)) == sorted(backed_up)


def _backups_made_yesterday(db) -> None:
    """Today's backup moved to yesterday: the next write makes the day's first copy."""
    from netmaint_tui.store.backup_names import list_backups

    yesterday = (dt.datetime.now() - dt.timedelta(days=1)).strftime("%Y%m%d")
    for backup in list_backups(db):
        stem, stamp = backup.name[: len(db.stem)], backup.name[len(db.stem) + 1:]
        backup.rename(backup.with_name(f"{stem}-{yesterday}{stamp[8:]}"))


def _schema_version_lost(db) -> None:
    """user_version 0 beside netmaint's tables: the next open migrates, after a copy."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("step, table, argv", [
    pytest.param("import", "contact", ["import", "json", "{doc}"], id="import"),
    pytest.param("import", "contact", ["import", "json", "{doc}", "--dry-run"], id="import-dry-run"),
    pytest.param("the day's first write", "touch", ["add", "Zed"], id="daily-backup"),
    pytest.param("a migration", "touch", ["due"], id="migration"),
    pytest.param("backup", "touch", ["backup"], id="backup"),
])
def test_every_copy_before_a_write_turns_a_damaged_page_into_the_damaged_line(filled, capsys, step, table, argv):
    """The copy reads every page, so it is where damage in a part no command has read shows first:
    the same one line as any damaged file, never an unexpected error, and never a write after it."""
    from netmaint_tui.store.backup_names import list_backups
    from netmaint_tui.store.files import damaged_message

    doc = filled.tmp / "one.json"
    doc.write_text(json.dumps({"format": "netmaint", "version": 1, "contacts": [{"name": "Zed"}]}))
    if step == "the day's first write":
        _backups_made_yesterday(filled.db)
    if step == "a migration":
        _schema_version_lost(filled.db)
    damaged = flip_root_page(filled.db, table)
    filled.db.write_bytes(damaged)
    copies = list_backups(filled.db)

    line = one_line(capsys, *[a.format(doc=doc) for a in argv])
    assert line == f"netmaint: {damaged_message(filled.db)}" and "netmaint restore " in line
    assert filled.db.read_bytes() == damaged
    assert list_backups(filled.db) == copies, "a copy of a damaged file is never kept as a backup"


def test_the_app_refuses_a_damaged_file_before_it_starts(filled):
    damaged = truncate_half(filled.db)
    filled.db.write_bytes(damaged)
    result = run_cli(filled.env)  # no command: the full-screen app
    line = one_error_line(result)
    assert result.returncode == 1 and "damaged" in line and "netmaint restore " in line
    assert filled.db.read_bytes() == damaged


# --- read-only ---------------------------------------------------------------------------------


@pytest.fixture
def read_only(cli, capsys, monkeypatch):
    """A database made read-only with chmod 0400, and a way to run the command line on it.

    As root, file modes bind nobody: the command line then runs in a child without the
    CAP_DAC_* capabilities, for which 0400 means what it means for any user. Where even that is
    impossible (root without CAP_SETPCAP), the kernel's answer is simulated in-process: os.access
    says "not writable" for this file, so netmaint takes its read-only path (a SQLite mode=ro
    connection), exactly as it does when the kernel says so.
    """
    assert main(["add", "Dana"]) == 0
    capsys.readouterr()
    cli.db.chmod(0o400)
    real = os.geteuid() != 0 or permissions_bind_children(cli.tmp)

    def run_it(*argv):
        if real:
            result = run_cli(cli.env, *argv, preexec_fn=bound_by_permissions)
            return result.returncode, result.stdout, result.stderr
        with monkeypatch.context() as m:
            access = os.access
            m.setattr(os, "access", lambda p, mode, **kw: False if (mode & os.W_OK and os.fspath(p) == str(cli.db))
                      else access(p, mode, **kw))
            return run(capsys, *argv)

    run_it.real = real
    yield run_it
    cli.db.chmod(0o600)


def test_a_read_only_database_reads_and_refuses_writes_with_one_line(cli, read_only):
    before = cli.db.read_bytes()
    code, out, err = read_only("due", "--json")
    assert (code, err) == (0, "") and [r["name"] for r in json.loads(out)] == ["Dana"]
    for argv in (["add", "Omar"], ["log", "Dana", "--note", "hi"], ["import", "json", os.devnull]):
        code, out, err = read_only(*argv)
        if argv[0] == "import":  # an empty file is refused before the database is even opened
            assert code == 2 and len(err.splitlines()) == 1
            continue
        assert (code, out) == (1, "") and len(err.splitlines()) == 1 and "Traceback" not in err, err
        assert "read-only" in err and str(cli.db) in err
    assert cli.db.read_bytes() == before

    # Writable again: whatever the read-only runs left beside the file must not block writing.
    cli.db.chmod(0o600)
    result = run_cli(cli.env, "add", "Omar", preexec_fn=bound_by_permissions if read_only.real else None)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    for suffix in ("-wal", "-shm"):
        side = cli.db.with_name(cli.db.name + suffix)
        if side.exists():
            assert side.stat().st_mode & 0o777 == 0o600, suffix
    assert names(cli.db) == ["Dana", "Omar"]


def test_the_app_opens_a_read_only_database_read_only_and_says_so(cli, capsys, monkeypatch):
    from textual.widgets import Input

    from tests.ui.conftest import drive, new_app, settle

    assert main(["add", "Dana"]) == 0
    capsys.readouterr()
    before = cli.db.read_bytes()
    cli.db.chmod(0o400)
    if os.geteuid() == 0:  # see the read_only fixture: in-process, root's kernel answer is simulated
        access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if (mode & os.W_OK and os.fspath(p) == str(cli.db))
                            else access(p, mode, **kw))

    async def scenario(app, pilot):
        assert app.readonly and app.sub_title == "read-only"
        assert any("read-only" in n.message for n in app._notifications)
        await pilot.press("n")  # the quick note refuses up front: nothing typed could be saved
        await settle(app, pilot)
        assert app.screen is app.main
        assert any("cannot be saved" in n.message for n in app._notifications)
        await pilot.press("a")  # a form that tries anyway shows the refusal and keeps what was typed
        await settle(app, pilot)
        app.screen.query_one("#f-name", Input).value = "Omar"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.is_running and app.screen is not app.main
        assert "read-only" in str(app.screen.query_one("#form-error").render())
        assert app.screen.query_one("#f-name", Input).value == "Omar"
        return True

    try:
        assert drive(new_app(cli.db), scenario)
    finally:
        cli.db.chmod(0o600)
    assert cli.db.read_bytes() == before


@pytest.mark.slow
def test_the_app_on_a_terminal_opens_a_read_only_file_and_says_so(cli, capsys):
    from tests.reliability.helpers import run_in_pty

    if os.geteuid() == 0 and not permissions_bind_children(cli.tmp):
        pytest.skip("root without CAP_SETPCAP: file modes cannot bind a child; the Pilot test covers this")
    assert main(["add", "Dana"]) == 0
    capsys.readouterr()
    cli.db.chmod(0o400)
    before = cli.db.read_bytes()
    try:
        out, status = run_in_pty([], {**cli.env, "TERM": "xterm-256color"}, ready=b"read-only",
                                 keys=[(b"n", b"cannot be saved"), b"q"], preexec_fn=bound_by_permissions)
    finally:
        cli.db.chmod(0o600)
    assert status == 0 and b"Traceback" not in out
    assert cli.db.read_bytes() == before


# --- a newer version ---------------------------------------------------------------------------


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(cli, capsys):
    assert main(["add", "Dana"]) == 0
    capsys.readouterr()
    conn = sqlite3.connect(cli.db)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = cli.db.read_bytes()
    for argv in (["due"], ["add", "Omar"], ["export", "json"]):
        message = one_line(capsys, *argv)
        assert "newer netmaint" in message and "not changed" in message
    result = run_cli(cli.env)  # the app: refused before it takes over the screen
    assert "newer netmaint" in one_error_line(result)
    assert cli.db.read_bytes() == before
    assert not cli.db.with_name(cli.db.name + "-wal").exists()


# --- a migration killed halfway ----------------------------------------------------------------


@pytest.mark.slow
def test_a_migration_killed_halfway_leaves_the_old_version_and_a_retry_works(cli, capsys):
    assert main(["add", "Dana"]) == 0 and main(["add", "Omar"]) == 0
    capsys.readouterr()
    before = names(cli.db)
    kill_when([PYTHON, str(HERE / "migrator.py"), str(cli.db), "stall"], cli.env, "halfway")

    conn = sqlite3.connect(cli.db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        columns = [row[1] for row in conn.execute("PRAGMA table_info(contact)")]
        assert "pronouns" not in columns
        assert conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'reminder'").fetchone()[0] == 0
    finally:
        conn.close()
    assert names(cli.db) == before
    # This version still opens it as it was...
    code, out, err = run(capsys, "due", "--json")
    assert (code, err) == (0, "") and sorted(r["name"] for r in json.loads(out)) == sorted(before)
    # ... and the newer one, tried again, migrates it whole.
    result = subprocess.run([PYTHON, str(HERE / "migrator.py"), str(cli.db), "finish"], env=cli.env,
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert (result.returncode, result.stderr, result.stdout) == (0, "", f"done {SCHEMA_VERSION + 1}\n")
    conn = sqlite3.connect(cli.db)
    try:
        assert conn.execute("SELECT name, pronouns FROM contact ORDER BY id").fetchall() == [
            (n, "they/them") for n in before
        ]
        assert conn.execute("SELECT COUNT(*) FROM reminder").fetchone()[0] == len(before)
    finally:
        conn.close()
    from netmaint_tui.store.backup_names import list_backups

    copies = [p for p in list_backups(cli.db) if f"before-migration-{SCHEMA_VERSION}-to-{SCHEMA_VERSION + 1}" in p.name]
    assert copies and names(copies[-1]) == before
