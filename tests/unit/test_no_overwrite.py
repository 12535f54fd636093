"""No command writes a file over the database, its SQLite companions or its backups, however named."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from netmaint_tui.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def files_under(*roots: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and inode, symlinks as where they point: what 'left as it was' means."""
    found = {}
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            for name in filenames + dirnames:
                p = Path(dirpath) / name
                if p.is_symlink():
                    found[str(p)] = (os.readlink(p).encode(), 0)
                elif p.is_file():
                    found[str(p)] = (p.read_bytes(), p.stat().st_ino)
    return found


@pytest.fixture
def db(env, capsys, monkeypatch):
    assert main(["add", "Dana Haddad"]) == 0
    assert main(["log", "Dana", "--note", "the note written today"]) == 0  # the day's backup predates it
    capsys.readouterr()
    backups = env.db.parent / "backups"
    assert [p.name for p in backups.iterdir()] and all(p.name.endswith("-daily.db") for p in backups.iterdir())
    return env.db


def _daily(db: Path) -> Path:
    [daily] = (db.parent / "backups").glob("*-daily.db")
    return daily


# Each: how to name a protected file, given the database path and the test's own folder.
SPELLINGS = {
    "the path itself": lambda db, tmp: db,
    "a symlink to it": lambda db, tmp: _symlink(tmp / "link.csv", db),
    "a path with ..": lambda db, tmp: db.parent / ".." / db.parent.name / db.name,
    "a relative ./ path": lambda db, tmp: Path(".") / db.name,
    "a hard link to it": lambda db, tmp: _hardlink(db, tmp / "also.db"),
    "its -wal file": lambda db, tmp: Path(f"{db}-wal"),
    "its -shm file": lambda db, tmp: Path(f"{db}-shm"),
    "its -journal file": lambda db, tmp: Path(f"{db}-journal"),
    "a backup in the backups folder": lambda db, tmp: _daily(db),
    "a new file in the backups folder": lambda db, tmp: db.parent / "backups" / "export.csv",
    "the backups folder itself": lambda db, tmp: db.parent / "backups",
    "a symlink to a backup": lambda db, tmp: _symlink(tmp / "old.db", _daily(db)),
    "a hard link to a backup": lambda db, tmp: _hardlink(_daily(db), tmp / "old-copy.db"),
    "the copy a restore set aside": lambda db, tmp: _set_aside(db),
}


def _set_aside(db: Path) -> Path:
    """What `restore` leaves beside the database: the file it replaced."""
    aside = db.with_name(f"{db.name}.before-restore-20250312-100000")
    aside.write_bytes(db.read_bytes())
    return aside


def _symlink(link: Path, target: Path) -> Path:
    link.symlink_to(target)
    return link


def _hardlink(target: Path, link: Path) -> Path:
    os.link(target, link)
    return link


@pytest.mark.parametrize("spelling", list(SPELLINGS))
@pytest.mark.parametrize("command", [["export", "csv", "-o"], ["export", "json", "-o"], ["backup", "-o"]])
def test_no_command_writes_over_the_database_its_companions_or_backups(db, env, capsys, monkeypatch, command, spelling):
    monkeypatch.chdir(db.parent)
    target = SPELLINGS[spelling](db, env.tmp)
    before = files_under(env.tmp)
    code, out, err = run(capsys, *command, str(target))
    assert (code, out) == (2, ""), (err, out)
    assert err.count("\n") == 1 and "netmaint never writes over it" in err and "Traceback" not in err
    assert files_under(env.tmp) == before


def test_the_message_says_what_the_file_is(db, env, capsys):
    _, _, err = run(capsys, "export", "csv", "-o", f"{db}-wal")
    assert err == (f"netmaint: {db}-wal is the database's write-ahead log; netmaint never writes over it "
                   "and nothing was written — choose another file\n")
    _, _, err = run(capsys, "backup", "-o", str(db.parent / "backups"))
    assert f"{db.parent / 'backups'} is netmaint's backups folder" in err


def test_the_days_notes_survive_an_export_aimed_at_the_database(db, env, capsys):
    run(capsys, "export", "csv", "-o", str(db))
    code, out, _ = run(capsys, "due", "--json")
    assert code == 0 and "Dana Haddad" in out
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT note FROM touch").fetchall() == [("the note written today",)]
    conn.close()


def test_another_database_netmaint_knows_is_protected_too(db, env, capsys):
    """`--db other.db export -o <the usual database>` would replace it all the same."""
    other = env.tmp / "other.db"
    assert main(["--db", str(other), "add", "Someone Else"]) == 0
    capsys.readouterr()
    before = files_under(env.tmp)
    code, _, err = run(capsys, "--db", str(other), "export", "json", "-o", str(db))
    assert code == 2 and "is the database" in err
    assert files_under(env.tmp) == before


def test_export_to_standard_output_appended_to_the_database_is_refused(db, env):
    before = db.read_bytes()
    with open(db, "ab") as stdout:
        proc = subprocess.run([sys.executable, "-m", "netmaint_tui", "export", "csv"], stdout=stdout,
                              stderr=subprocess.PIPE, text=True, env={**os.environ}, timeout=60)
    assert proc.returncode == 2 and "standard output is the database" in proc.stderr
    assert db.read_bytes() == before


def test_ordinary_outputs_still_work(db, env, capsys):
    code, out, err = run(capsys, "export", "csv", "-o", str(env.tmp / "contacts.csv"))
    assert (code, err) == (0, "") and (env.tmp / "contacts.csv").read_bytes().count(b"Dana Haddad") == 1
    (env.tmp / "copies").mkdir()
    code, out, err = run(capsys, "backup", "-o", str(env.tmp / "copies"))
    assert (code, err) == (0, "") and len(list((env.tmp / "copies").glob("netmaint-manual-*.db"))) == 1


# --- the config file ----------------------------------------------------------------------------


def test_config_edit_does_not_open_the_database_in_an_editor(db, env, capsys, monkeypatch):
    monkeypatch.setenv("NETMAINT_CONFIG", str(db))
    monkeypatch.setenv("EDITOR", "sh -c 'echo \"theme: x\" > \"$0\"'")
    before = files_under(env.tmp)
    code, out, err = run(capsys, "config", "edit")
    assert (code, out) == (2, "") and "is the database" in err and err.count("\n") == 1
    assert files_under(env.tmp) == before


def test_saving_a_setting_never_writes_a_database_companion(db, env, monkeypatch):
    from netmaint_tui.config import ConfigError, save_setting

    wal = Path(f"{db}-wal")
    wal.unlink(missing_ok=True)
    with pytest.raises(ConfigError, match="write-ahead log"):
        save_setting("theme", "netmaint-light", path=wal)
    assert not wal.exists()
    other = env.tmp / "app.db"
    with pytest.raises(ConfigError, match="is the database"):
        save_setting("theme", "netmaint-light", path=other, databases=[other])


# --- restore ------------------------------------------------------------------------------------


def test_restore_never_replaces_a_backup_named_as_the_database(db, env, capsys):
    saved = env.tmp / "saved.db"
    assert main(["backup", "-o", str(saved)]) == 0
    capsys.readouterr()
    before = files_under(env.tmp)
    code, out, err = run(capsys, "--db", str(_daily(db)), "restore", str(saved))
    assert (code, out) == (2, "") and "in netmaint's backups folder" in err
    assert files_under(env.tmp) == before


def test_restore_from_a_hard_link_of_the_database_is_refused(db, env, capsys):
    link = _hardlink(db, env.tmp / "same.db")
    code, _, err = run(capsys, "restore", str(link))
    assert code == 2 and "is the database itself" in err
