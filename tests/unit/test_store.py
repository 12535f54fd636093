"""Storage: pragmas, private files, schema versions, refusing what it must not touch, triggers, backups."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from netmaint_tui.store import migrations
from netmaint_tui.store.backup import (
    auto_backup,
    copy_database,
    thin_backups,
)
from netmaint_tui.store.backup_names import latest_backup, list_backups
from netmaint_tui.store.db import close_database, open_database
from netmaint_tui.store.errors import (
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseNewer,
    DatabaseUnavailable,
    MigrationFailed,
    NotNetmaintDatabase,
)
from netmaint_tui.store.models import CapturedItem, Contact, Correspondent, Touch, TouchContact, database

T0 = dt.datetime(2025, 3, 1, 9, 0, 0)


@pytest.fixture
def umask022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def pragmas(conn) -> dict:
    return {
        name: conn.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
    }


EXPECTED_PRAGMAS = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 5000}


def contact(name: str) -> int:
    return Contact.create(name=name, created_at=T0, updated_at=T0).id


def touch(at: dt.datetime, *contact_ids: int) -> int:
    t = Touch.create(at=at, created_at=T0)
    for cid in contact_ids:
        TouchContact.create(touch=t.id, contact=cid)
    return t.id


def last_touch(cid: int):
    value = Contact.get_by_id(cid).last_touch_at
    return None if value is None else dt.datetime.fromisoformat(str(value))


def make_foreign_file(path: Path, version: int = 0, table: str = "t") -> bytes:
    conn = sqlite3.connect(path)
    conn.execute(f"CREATE TABLE {table} (x)")
    conn.execute("INSERT INTO " + table + " VALUES (1)")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path.read_bytes()


# --- opening ---------------------------------------------------------------------------------


def test_pragmas_on_the_first_connection(tmp_db):
    assert pragmas(tmp_db.connection()) == EXPECTED_PRAGMAS


def test_pragmas_on_a_worker_thread_connection(tmp_db):
    seen = {}
    main_conn = tmp_db.connection()

    def worker():
        with database.connection_context():
            conn = database.connection()
            seen["same"] = conn is main_conn
            seen["pragmas"] = pragmas(conn)
            seen["score"] = conn.execute("SELECT nm_score('A', 30, 0, 30)").fetchone()[0]

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen["same"] is False, "the worker must have had its own connection"
    assert seen["pragmas"] == EXPECTED_PRAGMAS
    assert seen["score"] == 3.0  # the ranking functions are registered on every connection


def test_pragmas_again_after_reconnecting(tmp_db):
    tmp_db.close()
    tmp_db.connect()
    assert pragmas(tmp_db.connection()) == EXPECTED_PRAGMAS


def test_schema_version_is_stamped(tmp_db):
    assert tmp_db.execute_sql("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION >= 1


def test_new_file_and_folders_are_private_under_umask_022(tmp_path, umask022):
    path = tmp_path / "new" / "deeper" / "netmaint.db"
    open_database(path)
    try:
        assert (path.stat().st_mode & 0o777) == 0o600
        assert (path.parent.stat().st_mode & 0o777) == 0o700
        assert ((tmp_path / "new").stat().st_mode & 0o777) == 0o700
    finally:
        close_database()


def test_an_existing_folder_keeps_its_permissions(tmp_path, umask022):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    open_database(shared / "netmaint.db")
    close_database()
    assert (shared.stat().st_mode & 0o777) == 0o755
    assert ((shared / "netmaint.db").stat().st_mode & 0o777) == 0o600


def test_reopening_keeps_data_and_does_not_migrate_again(tmp_path):
    path = tmp_path / "n.db"
    open_database(path)
    cid = contact("Dana")
    close_database()
    open_database(path)
    try:
        assert Contact.get_by_id(cid).name == "Dana"
        assert list_backups(path) == []  # an up-to-date file needs no copy
    finally:
        close_database()


def test_a_newer_database_is_refused_and_left_byte_for_byte(tmp_path):
    path = tmp_path / "future.db"
    before = make_foreign_file(path, version=migrations.SCHEMA_VERSION + 1, table="contact")
    with pytest.raises(DatabaseNewer) as err:
        open_database(path)
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()
    message = str(err.value)
    assert "\n" not in message and "newer netmaint" in message and str(path) in message


def test_a_newer_database_is_refused_even_read_only(tmp_path):
    path = tmp_path / "future.db"
    before = make_foreign_file(path, version=99)
    with pytest.raises(DatabaseNewer):
        open_database(path, readonly=True)
    assert path.read_bytes() == before


def test_a_file_that_is_no_database_is_said_so_in_one_line(tmp_path):
    """A text file given as the database is another file given by mistake, not a damaged database."""
    path = tmp_path / "garbage.db"
    before = b"this is not a database at all\n" * 200
    path.write_bytes(before)
    with pytest.raises(NotNetmaintDatabase) as err:
        open_database(path)
    message = str(err.value)
    assert "\n" not in message and "is not a database file" in message and str(path) in message
    assert path.read_bytes() == before


def test_a_damaged_file_names_the_latest_backup(tmp_path):
    path = tmp_path / "n.db"
    open_database(path)
    contact("Dana")
    close_database()
    backup = auto_backup(path, reason="daily", now=dt.datetime(2025, 3, 11, 8, 0))
    path.write_bytes(path.read_bytes()[:100] + b"\x00garbage" * 500)  # the header is SQLite's, the rest is not
    Path(f"{path}-wal").unlink(missing_ok=True)
    with pytest.raises(DatabaseDamaged) as err:
        open_database(path)
    assert f"netmaint restore {backup}" in str(err.value)


def test_another_programs_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "places.sqlite"
    before = make_foreign_file(path, version=0, table="moz_places")
    with pytest.raises(NotNetmaintDatabase) as err:
        open_database(path)
    assert "moz_places" in str(err.value) and "\n" not in str(err.value)
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_read_only_database_reads_and_refuses_writes(tmp_path):
    path = tmp_path / "n.db"
    open_database(path)
    contact("Dana")
    close_database()
    open_database(path, readonly=True)
    try:
        assert [c.name for c in Contact.select()] == ["Dana"]
        with pytest.raises(DatabaseUnavailable):
            contact("Omar")
    finally:
        close_database()


def test_a_folder_given_as_the_database_is_named_as_such(tmp_path):
    with pytest.raises(DatabaseUnavailable, match="is a folder"):
        open_database(tmp_path)


def test_a_path_with_uri_characters_works(tmp_path):
    folder = tmp_path / "odd #1 ?x %20"
    path = folder / "n.db"
    open_database(path)
    contact("Dana")
    close_database()
    open_database(path, readonly=True)
    try:
        assert Contact.select().count() == 1
    finally:
        close_database()
    copy = copy_database(path, tmp_path / "copy.db")
    assert sqlite3.connect(copy).execute("SELECT name FROM contact").fetchall() == [("Dana",)]


def test_a_held_write_lock_becomes_database_locked(tmp_path, monkeypatch):
    monkeypatch.setenv("NETMAINT_BUSY_TIMEOUT_MS", "50")
    path = tmp_path / "n.db"
    open_database(path)
    try:
        other = sqlite3.connect(path)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(DatabaseLocked) as err:
                contact("Dana")
            assert "\n" not in str(err.value)
        finally:
            other.rollback()
            other.close()
        contact("Dana")  # works again once the other writer is gone
    finally:
        close_database()


# --- migrations ------------------------------------------------------------------------------


def test_a_versionless_netmaint_file_is_backed_up_then_migrated(tmp_path):
    path = tmp_path / "n.db"
    open_database(path)
    dana = contact("Dana")
    touch(T0, dana)
    close_database()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()

    db = open_database(path)
    try:
        assert db.execute_sql("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        backups = list_backups(path)
        assert len(backups) == 1 and "before-migration-0-to-" in backups[0].name
        saved = sqlite3.connect(backups[0])
        assert saved.execute("SELECT name FROM contact").fetchall() == [("Dana",)]
        saved.close()
        assert (backups[0].stat().st_mode & 0o777) == 0o600
        assert last_touch(dana) == T0
        touch(T0 + dt.timedelta(days=1), dana)  # the triggers still work
        assert last_touch(dana) == T0 + dt.timedelta(days=1)
    finally:
        close_database()


def test_a_migration_from_an_older_version_takes_a_backup_first(tmp_path, monkeypatch):
    path = tmp_path / "n.db"
    open_database(path)
    contact("Dana")
    close_database()

    ran = []
    current = migrations.SCHEMA_VERSION

    def _next_migration(db):
        ran.append(len(list_backups(path)))
        db.execute_sql("ALTER TABLE contact ADD COLUMN pronouns TEXT")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, _next_migration])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", current + 1)
    db = open_database(path)
    try:
        assert ran == [1], "the copy must exist before the migration runs"
        assert db.execute_sql("PRAGMA user_version").fetchone()[0] == current + 1
        assert f"before-migration-{current}-to-{current + 1}" in list_backups(path)[0].name
    finally:
        close_database()


def test_a_failing_migration_changes_nothing_and_says_where_the_copy_is(tmp_path, monkeypatch):
    path = tmp_path / "n.db"
    open_database(path)
    contact("Dana")
    close_database()

    def _broken(db):
        db.execute_sql("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    current = migrations.SCHEMA_VERSION
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, _broken])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", current + 1)
    with pytest.raises(MigrationFailed) as err:
        open_database(path)
    close_database()
    assert "\n" not in str(err.value) and str(list_backups(path)[0]) in str(err.value)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == current
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    assert conn.execute("SELECT name FROM contact").fetchall() == [("Dana",)]
    conn.close()


def test_a_new_file_needs_no_backup(tmp_path):
    path = tmp_path / "n.db"
    open_database(path)
    close_database()
    assert list_backups(path) == []


SCHEMA_V1 = Path(__file__).with_name("schema_v1.sql")


def make_version_1_file(path: Path) -> None:
    """A file as the release with schema 1 left it: Dana, one touch with her."""
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_V1.read_text())
    conn.execute("INSERT INTO contact (name, company, role, emails, phones, linkedin_url, location, how_met, tier, "
                 "notes, source, archived, created_at, updated_at) VALUES ('Dana', '', '', '[\"dana@example.com\"]', "
                 "'[]', '', '', '', 'A', '', 'manual', 0, '2025-01-01 10:00:00', '2025-01-01 10:00:00')")
    conn.execute("INSERT INTO touch (at, channel, kind, minutes, note, created_at) "
                 "VALUES ('2025-03-01 09:00:00', 'call', 'give', 30, 'typed', '2025-03-01 09:00:00')")
    conn.execute("INSERT INTO touch_contact (touch_id, contact_id) VALUES (1, 1)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def schema_of(path: Path) -> dict[str, set]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        found = {t: {(r[1], r[2], r[3], r[5]) for r in conn.execute(f'PRAGMA table_info("{t}")')} for t in tables}
        found["indexes"] = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')")}
        found["foreign keys"] = {(t, *r[2:7]) for t in tables for r in conn.execute(f'PRAGMA foreign_key_list("{t}")')}
        return found
    finally:
        conn.close()


def test_a_version_1_file_is_upgraded_for_capture_and_keeps_everything(tmp_path):
    path = tmp_path / "old.db"
    make_version_1_file(path)
    db = open_database(path)
    try:
        assert db.execute_sql("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        assert [p.name for p in list_backups(path) if "before-migration-1-to-" in p.name]
        dana = Contact.get_by_id(1)
        assert (dana.name, dana.last_heard_at, last_touch(1)) == ("Dana", None, dt.datetime(2025, 3, 1, 9, 0))
        typed = Touch.get_by_id(1)
        assert (typed.note, typed.source, typed.source_id) == ("typed", None, None)
        # The item remembers what it made, and outlives the touch the user deletes.
        item = CapturedItem.create(source="mail", source_id="<a@b>", touch=1, outcome="captured",
                                   at=T0, captured_at=T0)
        Correspondent.create(email="lee@example.com", name="Lee", times=3, first_at=T0, last_at=T0)
        Touch.delete().where(Touch.id == 1).execute()
        assert CapturedItem.get_by_id(item.id).touch_id is None
        assert last_touch(1) is None  # the triggers still run
        with pytest.raises(Exception):
            CapturedItem.create(source="mail", source_id="<a@b>", outcome="captured", at=T0, captured_at=T0)
    finally:
        close_database()


def test_an_upgraded_file_has_the_schema_of_a_new_one(tmp_path):
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    make_version_1_file(old)
    for path in (old, new):
        open_database(path)
        close_database()
    assert schema_of(old) == schema_of(new)


def test_a_file_that_lost_its_version_after_the_upgrade_is_stamped_again(tmp_path):
    path = tmp_path / "n.db"
    open_database(path)
    close_database()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()
    db = open_database(path)  # every migration finds its columns and tables there already
    try:
        assert db.execute_sql("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    finally:
        close_database()


# --- last_touch_at triggers ------------------------------------------------------------------


def test_last_touch_follows_inserts_and_never_goes_back(tmp_db):
    dana = contact("Dana")
    assert last_touch(dana) is None
    touch(T0, dana)
    assert last_touch(dana) == T0
    touch(T0 - dt.timedelta(days=10), dana)  # logging an older touch later
    assert last_touch(dana) == T0
    touch(T0 + dt.timedelta(hours=1), dana)
    assert last_touch(dana) == T0 + dt.timedelta(hours=1)


def test_a_touch_with_several_contacts_updates_each(tmp_db):
    dana, omar, lee = contact("Dana"), contact("Omar"), contact("Lee")
    touch(T0, dana, omar)
    assert last_touch(dana) == last_touch(omar) == T0
    assert last_touch(lee) is None


def test_deleting_a_touch_falls_back_to_the_previous_one(tmp_db):
    dana, omar = contact("Dana"), contact("Omar")
    touch(T0, dana)
    newest = touch(T0 + dt.timedelta(days=5), dana, omar)
    Touch.delete().where(Touch.id == newest).execute()  # cascades to touch_contact
    assert TouchContact.select().where(TouchContact.touch == newest).count() == 0
    assert last_touch(dana) == T0
    assert last_touch(omar) is None


def test_unlinking_a_contact_from_a_touch(tmp_db):
    dana, omar = contact("Dana"), contact("Omar")
    t = touch(T0, dana, omar)
    TouchContact.delete().where((TouchContact.touch == t) & (TouchContact.contact == omar)).execute()
    assert last_touch(omar) is None
    assert last_touch(dana) == T0


def test_changing_a_touch_time_moves_last_touch_both_ways(tmp_db):
    dana, omar = contact("Dana"), contact("Omar")
    touch(T0, dana)
    t = touch(T0 + dt.timedelta(days=3), dana, omar)
    Touch.update(at=T0 - dt.timedelta(days=30)).where(Touch.id == t).execute()
    assert last_touch(dana) == T0
    assert last_touch(omar) == T0 - dt.timedelta(days=30)
    Touch.update(at=T0 + dt.timedelta(days=9)).where(Touch.id == t).execute()
    assert last_touch(dana) == T0 + dt.timedelta(days=9)
    assert last_touch(omar) == T0 + dt.timedelta(days=9)


def test_deleting_a_contact_removes_its_links(tmp_db):
    dana = contact("Dana")
    t = touch(T0, dana)
    Contact.delete().where(Contact.id == dana).execute()
    assert TouchContact.select().where(TouchContact.touch == t).count() == 0


# --- backups ---------------------------------------------------------------------------------


def _names(paths) -> set[str]:
    return {p.name for p in paths}


def test_thin_backups_keeps_7_daily_4_weekly_12_monthly(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    end = dt.datetime(2025, 3, 12, 3, 0, 0)  # a Wednesday
    made = []
    for i in range(400):
        t = end - dt.timedelta(days=i)
        made.append(folder / f"n-{t:%Y%m%d-%H%M%S}-daily.db")
    made.append(folder / "n-20250312-150000-daily.db")  # a later one on the newest day
    for p in made:
        p.write_bytes(b"x")
    other = folder / "other-20200101-000000-daily.db"
    other.write_bytes(b"x")

    removed = thin_backups(folder, "n", now=end)

    kept = _names(p for p in folder.iterdir() if p.name.startswith("n-"))
    days = ["20250312-150000-daily"] + [f"202503{d:02d}-030000-daily" for d in (11, 10, 9, 8, 7, 6)]
    weeks = [f"{d}-030000-daily" for d in ("20250309", "20250302", "20250223")]  # Sundays end ISO weeks
    months = [
        f"{d}-030000-daily"
        for d in ("20250228", "20250131", "20241231", "20241130", "20241031", "20240930",
                  "20240831", "20240731", "20240630", "20240531", "20240430")
    ]
    assert kept == {f"n-{x}.db" for x in days + weeks + months}
    assert len(kept) == 7 + 2 + 11  # the 03-09 weekly is also a daily
    assert len(removed) == len(made) - len(kept)
    assert other.exists(), "another database's backups are not thinned"


BEFORE_STEPS = ["before-import", "before-restore", "before-migration-1-to-2", "before-merge", "before-sync"]


def _dailies(folder, end, days):
    made = [folder / f"n-{end - dt.timedelta(days=i):%Y%m%d}-030000-daily.db" for i in range(days)]
    for p in made:
        p.write_bytes(b"x")
    return made


@pytest.mark.parametrize("reason", BEFORE_STEPS)
def test_a_copy_before_a_risky_step_is_kept_14_days_whatever_comes_after(tmp_path, reason):
    folder = tmp_path / "backups"
    folder.mkdir()
    end = dt.datetime(2025, 3, 12, 20, 0, 0)
    _dailies(folder, end, 60)
    young, old = end - dt.timedelta(days=10), end - dt.timedelta(days=20)
    copies = {}
    for day, label in ((young, "young"), (old, "old")):
        for hour in (9, 12):  # two on one day: the second must not push the first out
            p = folder / f"n-{day:%Y%m%d}-{hour:02d}0000-{reason}.db"
            p.write_bytes(b"x")
            copies[label, hour] = p
    # And one copy of the same kind made just now, like a second import today.
    today = folder / f"n-{end:%Y%m%d}-190000-{reason}.db"
    today.write_bytes(b"x")

    thin_backups(folder, "n", now=end, newest=today)

    assert today.exists() and copies["young", 9].exists() and copies["young", 12].exists()
    assert not copies["old", 9].exists()  # older than 14 days: thinned like any other copy


def test_daily_copies_are_thinned_as_if_the_copies_before_risky_steps_were_not_there(tmp_path):
    plain, mixed = tmp_path / "plain", tmp_path / "mixed"
    for folder in (plain, mixed):
        folder.mkdir()
    end = dt.datetime(2025, 3, 12, 20, 0, 0)
    _dailies(plain, end, 400)
    _dailies(mixed, end, 400)
    for days in (0, 1, 3, 6, 9, 13):  # each one the newest copy of its day
        (mixed / f"n-{end - dt.timedelta(days=days):%Y%m%d}-180000-before-import.db").write_bytes(b"x")
    thin_backups(plain, "n", now=end)
    thin_backups(mixed, "n", now=end)
    dailies = {p.name for p in mixed.iterdir() if p.name.endswith("-daily.db")}
    assert dailies == {p.name for p in plain.iterdir()}
    assert len(dailies) == 20  # 7 days, 4 weeks, 12 months: some are more than one
    assert len(list(mixed.glob("*-before-import.db"))) == 6


def test_an_automatic_copy_never_replaces_another_of_the_same_second(tmp_db):
    now = dt.datetime(2025, 3, 12, 10, 0, 0)
    one = auto_backup(tmp_db, reason="before-import", now=now)
    two = auto_backup(tmp_db, reason="before-import", now=now)
    assert (one.name, two.name) == ("netmaint-20250312-100000-before-import.db",
                                    "netmaint-20250312-100000-before-import.2.db")
    assert list_backups(tmp_db.path) == [one, two] and latest_backup(tmp_db.path) == two


@pytest.mark.parametrize("reason", ["", "before import", "../x", "manual", "Before-Import"])
def test_a_backup_reason_is_a_plain_word_list(tmp_db, reason):
    with pytest.raises(ValueError):
        auto_backup(tmp_db, reason=reason)


def test_reasons_in_words():
    from netmaint_tui.store.backup_names import reason_label

    assert [reason_label(r) for r in ["daily", "manual", *BEFORE_STEPS]] == [
        "daily", "manual", "before import", "before restore", "before migration (schema 1 to 2)",
        "before merge", "before sync"]


def test_thin_backups_with_few_files_keeps_all(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    for name in ("n-20250310-010000-daily.db", "n-20250311-010000-daily.db"):
        (folder / name).write_bytes(b"x")
    assert thin_backups(folder, "n") == []


def test_list_and_latest_backup_ignore_a_similarly_named_database(tmp_path):
    db_path = tmp_path / "work.db"
    folder = tmp_path / "backups"
    folder.mkdir()
    mine = folder / "work-20250301-100000-daily.db"
    theirs = folder / "work-2-20250309-100000-daily.db"
    for p in (mine, theirs):
        p.write_bytes(b"x")
    assert list_backups(db_path) == [mine]
    assert latest_backup(db_path) == mine


def test_auto_backup_is_a_whole_private_copy(tmp_db, tmp_path):
    contact("Dana")  # still in the WAL: the copy must include it
    dest = auto_backup(tmp_db, reason="daily", now=dt.datetime(2025, 3, 12, 10, 0))
    assert dest.name == "netmaint-20250312-100000-daily.db"
    assert (dest.stat().st_mode & 0o777) == 0o600
    assert (dest.parent.stat().st_mode & 0o777) == 0o700
    conn = sqlite3.connect(dest)
    assert conn.execute("SELECT name FROM contact").fetchall() == [("Dana",)]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_auto_backup_skips_an_empty_new_file(tmp_path):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    assert auto_backup(path, reason="daily") is None


def test_copy_to_an_existing_folder_keeps_its_permissions(tmp_db, tmp_path, umask022):
    out = tmp_path / "exports"
    out.mkdir()
    os.chmod(out, 0o755)
    copy_database(tmp_db.path, out / "copy.db")
    assert (out.stat().st_mode & 0o777) == 0o755
    assert ((out / "copy.db").stat().st_mode & 0o777) == 0o600


def test_every_contact_field_of_the_schema_is_a_column_and_every_column_a_field(tmp_db):
    """One schema (rules.schema): the table, the bulk writers and the export carry the same fields."""
    from netmaint_tui.rules.schema import CONTACT_FIELDS, OWN_TABLE_FIELDS
    from netmaint_tui.store.models import Contact
    from netmaint_tui.store.rows import CONTACT_COLUMNS

    columns = {c.name for c in tmp_db.get_columns("contact")}
    # The row's own ids (here, and its UID everywhere it is synced), what the triggers keep, and
    # what a capture keeps (when they last wrote).
    derived = {"id", "uid", "last_touch_at", "last_heard_at"}
    assert set(CONTACT_COLUMNS) | derived == columns
    # Tags and anniversaries have tables of their own.
    assert set(OWN_TABLE_FIELDS) == {"tags", "dates"}
    assert {f.key for f in CONTACT_FIELDS} - {"tags", "dates"} | {"created_at", "updated_at"} | derived == columns
    assert set(Contact._meta.fields) - {"id"} <= columns


def test_thinning_leaves_files_netmaint_did_not_name(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    theirs = [folder / "n-20241001-090000-mycopy.db", folder / "n-20241003-090000-before-import (copy).db"]
    for p in theirs:
        p.write_bytes(b"x")
    (folder / "n-20241002-090000-daily.db").write_bytes(b"x")
    thin_backups(folder, "n", now=dt.datetime(2025, 3, 12, 3, 0, 0))
    assert all(p.exists() for p in theirs)
