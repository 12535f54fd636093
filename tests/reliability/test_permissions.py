"""Permissions: notes about people are private. Under the usual umask 022 every file netmaint
writes (database, WAL and shared memory, backups, exports, the config file) is 0600, and every
folder it creates 0700."""

from __future__ import annotations

import stat

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
