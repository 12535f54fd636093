"""Permissions: notes about people are private. Under the usual umask 022 every file netmaint
writes (database, WAL and shared memory, backups, exports, the config file) is 0600, and every
folder it creates 0700."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from netmaint_tui.cli import main


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def ok(capsys, *argv) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), (argv, err)
    return out


def test_every_file_and_folder_netmaint_creates_is_private(cli, capsys, umask022):
    cli.db = cli.tmp / "new" / "deeper" / "netmaint.db"  # folders netmaint must create itself
    main_env_db = str(cli.db)
    ok(capsys, "--db", main_env_db, "add", "Dana")
    ok(capsys, "--db", main_env_db, "log", "Dana", "--note", "coffee")  # the day's automatic backup
    files = {"database": cli.db}
    folders = {"data folder": cli.db.parent, "its parent": cli.db.parent.parent, "backups": cli.db.parent / "backups"}
    modes: dict[str, int] = {}  # files that thinning may remove later are judged when made

    def judge_backups() -> None:
        for backup in (cli.db.parent / "backups").iterdir():
            modes[f"backup {backup.name}"] = mode(backup)

    judge_backups()
    assert any("daily" in name for name in modes), modes

    # While a connection is open, SQLite's -wal and -shm hold the latest changes.
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.store.db import close_database, open_database
    from tests.reliability.writer import context

    open_database(cli.db)
    try:
        add_contact(context(), "Omar")
        for suffix in ("-wal", "-shm"):
            side = cli.db.with_name(cli.db.name + suffix)
            assert side.exists(), suffix
            assert mode(side) == 0o600, (suffix, oct(mode(side)))
    finally:
        close_database()

    exports = cli.tmp / "exports"
    exports.mkdir()
    for fmt in ("json", "yaml", "csv", "ics"):
        target = exports / f"network.{fmt}"
        ok(capsys, "--db", main_env_db, "export", fmt, "-o", str(target))
        files[f"{fmt} export"] = target
    ok(capsys, "--db", main_env_db, "import", "json", str(exports / "network.json"))  # backs up first
    ok(capsys, "--db", main_env_db, "backup")
    ok(capsys, "--db", main_env_db, "backup", "-o", str(exports / "copy.db"))
    files["backup -o"] = exports / "copy.db"
    judge_backups()
    assert any("before-import" in name for name in modes) and any("-manual-" in name for name in modes), modes
    out = ok(capsys, "--db", main_env_db, "restore", str(exports / "copy.db"))
    aside = out.strip().rsplit(" ", 1)[-1]
    files["restored database"] = cli.db
    files["the file set aside by restore"] = type(cli.db)(aside)

    from netmaint_tui.config import save_setting

    config = cli.tmp / "fresh-config" / "config.yaml"
    save_setting("theme", "netmaint-light", path=config)
    files["config file"] = config
    folders["config folder"] = config.parent

    modes.update({name: mode(p) for name, p in files.items()})
    wrong = {name: oct(m) for name, m in modes.items() if m != 0o600}
    assert not wrong, f"not 0600: {wrong}"
    wrong = {name: oct(mode(p)) for name, p in folders.items() if mode(p) != 0o700}
    assert not wrong, f"not 0700: {wrong}"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_an_export_over_an_existing_readable_file_makes_it_private(cli, capsys, umask022, fmt):
    ok(capsys, "add", "Dana")
    target = cli.tmp / f"out.{fmt}"
    target.write_text("old")
    target.chmod(0o644)
    ok(capsys, "export", fmt, "-o", str(target))
    assert mode(target) == 0o600


# --- files and folders this user may not write, or not read ------------------------------------
# As root, file modes bind nobody: each command runs in a child without the CAP_DAC_* capabilities
# (helpers.bound_by_permissions), for which a mode means what it means for any user.

READS = [
    ["due", "--json"], ["week", "--json"], ["export", "json"], ["follow-up", "list"], ["goal", "list"],
    ["pause", "list"], ["backup", "-o", "{elsewhere}/copy.db"], ["import", "json", "{doc}", "--dry-run"],
]
WRITES = [["add", "Omar"], ["log", "Dana", "--note", "hi"], ["import", "json", "{doc}"], ["restore", "{backup}"]]


@pytest.fixture
def as_a_user(cli, capsys):
    """Run the command line as a user whom file modes bind; the database holds Dana and a backup."""
    from tests.reliability.helpers import bound_by_permissions, permissions_bind_children, run_cli

    if os.geteuid() == 0 and not permissions_bind_children(cli.tmp):
        pytest.skip("root without CAP_SETPCAP: file modes cannot bind a child")
    ok(capsys, "add", "Dana")
    elsewhere = cli.tmp / "elsewhere"
    elsewhere.mkdir()
    doc = elsewhere / "one.json"
    doc.write_text(json.dumps({"format": "netmaint", "version": 1, "contacts": [{"name": "Lena"}]}))
    ok(capsys, "backup", "-o", str(elsewhere / "backup.db"))
    names = {"elsewhere": elsewhere, "doc": doc, "backup": elsewhere / "backup.db"}

    def run(*argv):
        argv = [a.format(**names) for a in argv]
        return run_cli(cli.env, *argv, preexec_fn=bound_by_permissions)

    return run


def folder_state(folder) -> dict:
    return {p.name: (p.read_bytes() if p.is_file() else "folder") for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("sidecars", [False, True], ids=["alone", "beside-its-wal-and-shm"])
@pytest.mark.parametrize("file_mode", [0o600, 0o400], ids=["writable-file", "read-only-file"])
def test_a_read_only_folder_reads_and_refuses_writes_with_one_line(cli, as_a_user, file_mode, sidecars):
    """SQLite cannot create its -wal and -shm in a folder it may not write: reading the file as it
    stands (immutable) needs neither, and where they are there already they are read through.
    Every reading command works, every write is one line, and nothing in the folder changes."""
    from tests.reliability.helpers import one_error_line

    folder = cli.db.parent
    shutil.rmtree(folder / "backups")
    for suffix in ("-wal", "-shm"):
        side = Path(f"{cli.db}{suffix}")
        if sidecars:
            assert side.exists()  # left by the backup's read-only connection, as SQLite does
        else:
            side.unlink(missing_ok=True)
    cli.db.chmod(file_mode)
    before = folder_state(folder)
    folder.chmod(0o555)
    try:
        for argv in READS:
            result = as_a_user(*argv)
            assert (result.returncode, result.stderr) == (0, ""), (argv, result.stderr)
        assert [row["name"] for row in json.loads(as_a_user("due", "--json").stdout)] == ["Dana"]
        for argv in WRITES:
            line = one_error_line(as_a_user(*argv))
            assert "read-only" in line and str(cli.db) in line, (argv, line)
            if file_mode == 0o600:
                assert f"its folder {folder} is not writable" in line, line
        assert folder_state(folder) == before
    finally:
        folder.chmod(0o700)
        cli.db.chmod(0o600)


def test_a_database_this_user_may_not_read_says_so(cli, as_a_user):
    from tests.reliability.helpers import one_error_line

    cli.db.chmod(0o000)
    try:
        for argv in (["due"], ["add", "Omar"], ["import", "json", "{doc}", "--dry-run"], ["backup", "-o", "{elsewhere}/c.db"]):
            line = one_error_line(as_a_user(*argv))
            assert line == (f"netmaint: cannot read {cli.db}: permission denied; give yourself access "
                            f"(chmod u+rw {cli.db}) or run netmaint as the user who owns it"), (argv, line)
    finally:
        cli.db.chmod(0o600)


def test_unsaved_changes_that_cannot_be_read_in_a_read_only_folder_say_why(cli, as_a_user):
    from tests.reliability.helpers import one_error_line

    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.store.db import close_database, open_database
    from tests.reliability.writer import context

    folder = cli.db.parent
    open_database(cli.db)
    add_contact(context(), "Omar")  # committed, and still in the -wal while the connection is open
    unsaved = {suffix: Path(f"{cli.db}{suffix}").read_bytes() for suffix in ("", "-wal")}
    close_database()
    for suffix, data in unsaved.items():
        Path(f"{cli.db}{suffix}").write_bytes(data)
    Path(f"{cli.db}-shm").unlink(missing_ok=True)  # lost: reading the -wal needs it made anew
    folder.chmod(0o555)
    try:
        line = one_error_line(as_a_user("due"))
        assert f"{cli.db.name}-wal" in line and "read-only folder" in line, line
    finally:
        folder.chmod(0o700)
    assert "Omar" in as_a_user("due").stdout  # once the folder is writable, nothing was lost
