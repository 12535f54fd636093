"""`netmaint backup` / `restore` and the daily automatic backup."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
import os
import sqlite3
import stat

import pytest

from netmaint_tui.rules.vocabulary import byte_size
from netmaint_tui.cli import main
from netmaint_tui.store.backup import daily_backup, has_backup_on, restore_database
from netmaint_tui.store.backup_names import list_backups
from netmaint_tui.store.migrations import SCHEMA_VERSION


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def names(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM contact ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def db(env, capsys):
    assert main(["add", "Dana Haddad"]) == 0
    assert main(["add", "Omar Fischer"]) == 0
    capsys.readouterr()
    return env.db


# --- backup -----------------------------------------------------------------------------------


def test_backup_while_another_connection_holds_an_open_write_transaction(db, env, capsys):
    writer = sqlite3.connect(db, isolation_level=None, timeout=5)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE contact SET name = 'half-written' WHERE id = 1")
    writer.execute(
        "INSERT INTO contact (name, company, role, emails, phones, linkedin_url, location, how_met, tier, notes, "
        "source, archived, created_at, updated_at) VALUES ('Uncommitted', '', '', '[]', '[]', '', '', '', 'B', '', "
        "'manual', 0, '2025-03-12 09:00:00', '2025-03-12 09:00:00')"
    )
    target = env.tmp / "copy.db"
    code, out, err = run(capsys, "backup", "-o", str(target))
    writer.execute("COMMIT")
    writer.close()
    assert (code, err) == (0, "")
    assert out.startswith(f"backed up {db} to {target} (")
    assert names(target) == ["Dana Haddad", "Omar Fischer"]  # the last committed state, whole
    check = sqlite3.connect(target)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    check.close()
    assert names(db) == ["half-written", "Omar Fischer", "Uncommitted"]


def test_backup_goes_to_the_backups_folder_by_default_and_is_private(db, capsys):
    old = os.umask(0o022)
    try:
        code, out, _ = run(capsys, "backup")
    finally:
        os.umask(old)
    assert code == 0
    [made] = list((db.parent / "backups").glob("netmaint-manual-*.db"))
    assert str(made) in out
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert names(made) == ["Dana Haddad", "Omar Fischer"]


def test_a_backup_onto_a_pipe_is_refused_and_the_pipe_stays(db, env, capsys):
    """The copy is renamed over its target: a pipe or a device (/dev/null) would become a file."""
    pipe = env.tmp / "pipe"
    os.mkfifo(pipe)
    code, out, err = run(capsys, "backup", "-o", str(pipe))
    assert code == 2 and out == "" and "is not a regular file" in err and err.count("\n") == 1
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_backup_of_a_missing_database_is_one_line(env, capsys):
    code, out, err = run(capsys, "backup")
    assert code == 2 and out == "" and err.startswith("netmaint: no database at ") and err.count("\n") == 1


# --- restore ----------------------------------------------------------------------------------


def test_restore_on_a_new_machine_makes_the_folders_it_needs(db, env, capsys):
    saved = env.tmp / "saved.db"
    assert main(["backup", "-o", str(saved)]) == 0
    fresh = env.tmp / "new-machine" / "data" / "netmaint.db"
    code, out, err = run(capsys, "--db", str(fresh), "restore", str(saved))
    assert (code, err) == (0, "") and out.endswith("there was no database before\n")
    assert names(fresh) == ["Dana Haddad", "Omar Fischer"]


def test_restore_puts_the_copy_in_place_and_keeps_the_old_file_aside(db, env, capsys):
    saved = env.tmp / "saved.db"
    assert main(["backup", "-o", str(saved)]) == 0
    assert main(["add", "Added After"]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "restore", str(saved))
    assert (code, err) == (0, "")
    [aside] = list(db.parent.glob("netmaint.db.before-restore-*"))
    assert out == f"restored {saved} to {db}; the previous one is at {aside}\n"
    assert names(db) == ["Dana Haddad", "Omar Fischer"]
    assert names(aside) == ["Dana Haddad", "Omar Fischer", "Added After"]
    assert not os.path.exists(f"{db}-wal") or os.path.getsize(f"{db}-wal") == 0
    code, out, _ = run(capsys, "due", "--json")
    assert code == 0 and "Added After" not in out


def test_restore_of_a_damaged_file_is_refused_and_nothing_changes(db, env, capsys):
    saved = env.tmp / "saved.db"
    assert main(["backup", "-o", str(saved)]) == 0
    capsys.readouterr()
    data = bytearray(saved.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # wreck the second page
    damaged = env.tmp / "damaged.db"
    damaged.write_bytes(bytes(data))
    before = db.read_bytes()
    code, out, err = run(capsys, "restore", str(damaged))
    assert code == 1 and out == ""
    assert "damaged" in err and "nothing was changed" in err and err.count("\n") == 1
    assert db.read_bytes() == before
    assert not list(db.parent.glob("*.before-restore-*"))


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"hello, not a database at all" * 100), "not a SQLite database"),
    (lambda p: sqlite3.connect(p).execute("CREATE TABLE notes (x)").connection.commit(), "not a netmaint database"),
])
def test_restore_refuses_files_that_are_not_netmaint_databases(db, env, capsys, make, message):
    other = env.tmp / "other.db"
    make(other)
    code, _, err = run(capsys, "restore", str(other))
    assert code == 2 and message in err  # not a database at all: bad input, like a missing file
    assert names(db) == ["Dana Haddad", "Omar Fischer"]


def test_restore_refuses_a_database_from_a_newer_version(db, env, capsys):
    newer = env.tmp / "newer.db"
    assert main(["backup", "-o", str(newer)]) == 0
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    capsys.readouterr()
    code, _, err = run(capsys, "restore", str(newer))
    assert code == 1 and "newer netmaint" in err


def test_restore_refuses_while_another_netmaint_has_the_database_open(db, env, capsys):
    saved = env.tmp / "saved.db"
    assert main(["backup", "-o", str(saved)]) == 0
    capsys.readouterr()
    other = sqlite3.connect(db)
    other.execute("SELECT count(*) FROM contact").fetchone()  # open and idle, like the app between keys
    try:
        code, _, err = run(capsys, "restore", str(saved))
        assert code == 1 and "in use" in err
        other.execute("BEGIN")
        other.execute("SELECT count(*) FROM contact").fetchone()  # a reader in the middle of its work
        code, _, err = run(capsys, "restore", str(saved))
        assert code == 1 and "in use" in err
    finally:
        other.close()
    assert not list(db.parent.glob("*.before-restore-*"))
    assert names(db) == ["Dana Haddad", "Omar Fischer"]


def test_restore_of_a_missing_file_is_exit_status_2(db, env, capsys):
    code, out, err = run(capsys, "restore", str(env.tmp / "nope.db"))
    assert code == 2 and out == "" and "No such file" in err


def test_restore_moves_a_damaged_databases_wal_aside_instead_of_replaying_it(tmp_path):
    good = tmp_path / "good.db"
    conn = sqlite3.connect(good)
    conn.executescript(
        "CREATE TABLE contact (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE touch (id INTEGER PRIMARY KEY);"
        "CREATE TABLE touch_contact (id INTEGER PRIMARY KEY); CREATE TABLE follow_up (id INTEGER PRIMARY KEY);"
        "CREATE TABLE goal (id INTEGER PRIMARY KEY); CREATE TABLE pause (id INTEGER PRIMARY KEY);"
        "INSERT INTO contact (name) VALUES ('from the backup'); PRAGMA user_version = 1;"
    )
    conn.close()
    current = tmp_path / "netmaint.db"
    current.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)  # damaged beyond opening
    stale_wal = tmp_path / "netmaint.db-wal"
    stale_wal.write_bytes(b"stale frames of the old file")
    aside = restore_database(current, good, SCHEMA_VERSION, now=dt.datetime(2025, 3, 12, 10, 0, 0))
    assert aside == tmp_path / "netmaint.db.before-restore-20250312-100000"
    assert not stale_wal.exists()
    assert (tmp_path / "netmaint.db.before-restore-20250312-100000-wal").read_bytes() == b"stale frames of the old file"
    assert names(current) == ["from the backup"]


def test_two_restores_in_one_second_keep_both_files_they_set_aside(tmp_path):
    from netmaint_tui.store.db import close_database, open_database

    def database_with(path, name):
        open_database(path)
        from netmaint_tui.store.models import database

        database.execute_sql("INSERT INTO contact (name, company, role, emails, phones, linkedin_url, location, "
                             "how_met, tier, notes, source, archived, created_at, updated_at) VALUES (?, '', '', "
                             "'[]', '[]', '', '', '', 'B', '', 'manual', 0, '2025-03-12 09:00:00', "
                             "'2025-03-12 09:00:00')", (name,))
        close_database()

    current, first, second = tmp_path / "netmaint.db", tmp_path / "first.db", tmp_path / "second.db"
    for path, name in ((current, "current"), (first, "first"), (second, "second")):
        database_with(path, name)
    now = dt.datetime(2025, 3, 12, 10, 0, 0)
    one = restore_database(current, first, SCHEMA_VERSION, now=now)
    two = restore_database(current, second, SCHEMA_VERSION, now=now)
    assert one != two and one.exists() and two.exists()
    assert (names(one), names(two), names(current)) == (["current"], ["first"], ["second"])


# --- daily backups ----------------------------------------------------------------------------


def test_daily_backup_once_a_day(db):
    morning = dt.datetime(2031, 5, 6, 8, 0, 0)
    made = daily_backup(db, now=morning)
    assert made is not None and made.name == "netmaint-20310506-080000-daily.db"
    assert daily_backup(db, now=morning.replace(hour=17)) is None
    assert has_backup_on(db, morning.date())
    assert daily_backup(db, now=morning + dt.timedelta(days=1)) is not None
    assert [p.name for p in list_backups(db) if p.name.startswith("netmaint-2031")] == [
        "netmaint-20310506-080000-daily.db", "netmaint-20310507-080000-daily.db"]


def test_commands_that_write_make_the_days_backup_and_reads_do_not(env, capsys):
    assert main(["due"]) == 0
    assert not (env.db.parent / "backups").exists()
    assert main(["add", "Dana"]) == 0
    assert main(["add", "Omar"]) == 0
    backups = list((env.db.parent / "backups").glob("netmaint-*-daily.db"))
    assert len(backups) == 1  # the second command found today's and did nothing
    assert main(["week"]) == 0 and main(["due"]) == 0
    assert list((env.db.parent / "backups").glob("*.db")) == backups
    assert main(["follow-up", "list"]) == 0 and main(["goal", "list"]) == 0  # reads: no backup either


def test_export_to_a_folder_or_a_missing_folder_says_so_before_any_work(db, env, capsys):
    code, out, err = run(capsys, "export", "json", "-o", str(env.tmp))
    assert (code, out) == (2, "") and "is a folder; give a file name" in err
    code, out, err = run(capsys, "export", "json", "-o", str(env.tmp / "nope" / "x.json"))
    assert (code, out) == (2, "") and "does not exist" in err and ".tmp-" not in err


# --- copies before risky steps, and backup list ------------------------------------------------


def _vcard(path, name):
    path.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEND:VCARD\r\n", encoding="utf-8")
    return path


def test_two_imports_on_one_day_keep_both_copies_from_before(db, env, capsys):
    assert main(["import", "vcard", str(_vcard(env.tmp / "one.vcf", "First Import"))]) == 0
    assert main(["import", "vcard", str(_vcard(env.tmp / "two.vcf", "Second Import"))]) == 0
    capsys.readouterr()
    copies = sorted(p for p in list_backups(db) if "-before-import" in p.name)
    assert len(copies) == 2
    # The first holds the state before any import: that is what it is there for.
    assert sorted(map(names, copies), key=len) == [
        ["Dana Haddad", "Omar Fischer"], ["Dana Haddad", "Omar Fischer", "First Import"]]
    assert list((db.parent / "backups").glob("netmaint-*-daily.db")), "the day's own copy stays too"


def test_restore_copies_the_current_database_into_the_backups_folder_first(db, env, capsys):
    [daily] = (db.parent / "backups").glob("netmaint-*-daily.db")
    assert main(["add", "Added After"]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "restore", str(daily))
    assert (code, err) == (0, "")
    [copy] = (db.parent / "backups").glob("netmaint-*-before-restore.db")
    assert names(copy) == ["Dana Haddad", "Omar Fischer", "Added After"]
    assert daily.exists(), "the backup restored from is still there"
    assert list(db.parent.glob("netmaint.db.before-restore-*")), "and the documented file beside the database"


@pytest.fixture
def several(db, env):
    from netmaint_tui.store.backup import auto_backup, copy_database, manual_backup_path

    made = [
        auto_backup(db, "daily", now=dt.datetime(2031, 5, 6, 8, 0, 0)),
        auto_backup(db, "before-migration-1-to-2", now=dt.datetime(2031, 5, 6, 8, 0, 1)),
        auto_backup(db, "before-import", now=dt.datetime(2031, 5, 7, 9, 30, 0)),
        copy_database(db, manual_backup_path(db, now=dt.datetime(2031, 5, 7, 10, 0, 0))),
    ]
    return made


def test_backup_list_shows_every_copy_newest_first_with_when_why_and_size(several, db, capsys):
    code, out, err = run(capsys, "backup", "list")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    size = byte_size(os.path.getsize(several[0]))
    mine = [line for line in lines if "2031" in line]
    assert mine == [
        f"Wed 2031-05-07 10:00:00  manual                            {size:>9}  {several[3]}",
        f"Wed 2031-05-07 09:30:00  before import                     {size:>9}  {several[2]}",
        f"Tue 2031-05-06 08:00:01  before migration (schema 1 to 2)  {size:>9}  {several[1]}",
        f"Tue 2031-05-06 08:00:00  daily                             {size:>9}  {several[0]}",
    ]
    assert lines[:4] == mine  # the day's own daily copy (made today by `add`) is older than 2031


def test_backup_list_json(several, db, capsys):
    code, out, err = run(capsys, "backup", "list", "--json")
    assert (code, err) == (0, "")
    listed = json.loads(out)
    assert all(set(item) == {"path", "when", "reason", "size"} for item in listed)
    assert listed[:4] == [
        {"path": str(p), "when": when, "reason": reason, "size": os.path.getsize(p)}
        for p, when, reason in zip(reversed(several), [
            "2031-05-07T10:00:00", "2031-05-07T09:30:00", "2031-05-06T08:00:01", "2031-05-06T08:00:00"],
            ["manual", "before-import", "before-migration-1-to-2", "daily"])
    ]


def test_backup_list_of_a_database_without_backups(env, capsys):
    code, out, err = run(capsys, "backup", "list")
    assert (code, err) == (0, "") and out == f"no backups of {env.db} yet; make one with: netmaint backup\n"
    code, out, err = run(capsys, "backup", "list", "--json")
    assert (code, out, err) == (0, "[]\n", "")


@pytest.mark.parametrize("argv", [["backup", "--json"], ["backup", "list", "-o", "x.db"], ["backup", "lst"]])
def test_backup_list_usage_errors_are_one_line(db, capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1


def test_restore_through_a_symlink_restores_the_file_it_points_to(tmp_path, monkeypatch, capsys):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link.db"
    link.symlink_to(real / "net.db")
    monkeypatch.setenv("NETMAINT_DB", str(link))
    monkeypatch.setenv("NETMAINT_CONFIG", str(tmp_path / "config.yaml"))
    assert main(["add", "Before"]) == 0
    assert main(["backup", "-o", str(tmp_path / "snap.db")]) == 0
    assert main(["add", "After"]) == 0
    assert main(["restore", str(tmp_path / "snap.db")]) == 0
    assert link.is_symlink()
    capsys.readouterr()
    assert main(["due", "--json"]) == 0
    assert [r["name"] for r in json.loads(capsys.readouterr().out)] == ["Before"]


def test_once_damage_is_found_no_write_goes_in_until_the_file_is_whole_again(tmp_path, monkeypatch, capsys):
    from netmaint_tui.store.errors import DAMAGE_MARK

    db = tmp_path / "net.db"
    monkeypatch.setenv("NETMAINT_DB", str(db))
    monkeypatch.setenv("NETMAINT_CONFIG", str(tmp_path / "config.yaml"))
    assert main(["add", "Dana"]) == 0
    assert main(["backup", "-o", str(tmp_path / "good.db")]) == 0
    mark = Path(f"{db}{DAMAGE_MARK}")
    mark.touch()  # what finding damage leaves; the file here is whole: the check clears it
    assert main(["add", "Omar"]) == 0 and not mark.exists()
    from tests.reliability.helpers import flip_root_page

    data = flip_root_page(db, "touch")  # `add` never reads that table: only the check sees it
    db.write_bytes(data)
    mark.touch()  # as an earlier command that read it left it
    capsys.readouterr()
    assert main(["add", "Ghost"]) == 1
    assert "is damaged" in capsys.readouterr().err
    assert db.read_bytes() == data  # nothing written into the damage
    assert main(["restore", str(tmp_path / "good.db")]) == 0 and not mark.exists()
    assert main(["add", "After restore"]) == 0
