"""`netmaint capture calendar|mail PATH...` and `capture people`, run in-process on the shared
sample files and on files built for a rule: exit statuses and their one line, the summary, the
unreadable items on stderr, --json, a dry run that leaves no trace, and a second run that changes
nothing."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.capture_files import ME, ics, maildir, mbox, message, vevent, write
from tests.unit.test_cli import _commits_without_waiting_for_the_disk, fails, ok, run  # noqa: F401 (a fixture)

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
SERIES = SAMPLES / "calendars" / "icaljs_recur_instances.ics"  # 150 meetings of jlal@mozilla.com's
MONDAY = dt.datetime(2025, 3, 10, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
TOUCH_KEYS = {"when", "channel", "kind", "minutes", "contacts", "note", "source", "source_id"}


def refused(capsys, *argv) -> str:
    return fails(capsys, *argv).removeprefix("netmaint: ")


def me(env, *emails) -> None:
    env.config.parent.mkdir(parents=True, exist_ok=True)
    env.config.write_text("me:\n  emails: [" + ", ".join(emails) + "]\n", encoding="utf-8")


def rows(env, sql: str) -> list[tuple]:
    conn = sqlite3.connect(env.db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def sahaja(env, capsys):
    """The organizer of the sample series as the user, and the guest as a contact."""
    me(env, "jlal@mozilla.com")
    ok(capsys, "add", "Sahaja Lal", "--email", "calmozilla1@gmail.com")
    return env


@pytest.fixture
def dana(env, capsys):
    me(env, ME, "me@work.example")
    ok(capsys, "add", "Dana Haddad", "--email", "dana@example.com")
    ok(capsys, "add", "Omar Fischer", "--email", "omar@example.org")
    return env


def test_without_my_addresses_it_says_how_to_set_them_and_does_nothing(env, capsys):
    line = refused(capsys, "capture", "calendar", str(SERIES))
    assert "me: {emails: [you@example.com, you@work.example]}" in line
    assert str(env.config) in line and "netmaint config edit" in line and "nothing was read" in line
    assert not env.db.exists()
    me(env, "not an address")
    code, out, err = run(capsys, "capture", "mail", str(SERIES))
    assert (code, out) == (2, "") and err.splitlines()[0].endswith('"not an address" is not an email address; left out')
    assert "does not know your own email addresses" in err.splitlines()[1] and len(err.splitlines()) == 2


def test_a_path_that_is_no_calendar_or_mailbox_is_one_line_and_creates_nothing(env, capsys, tmp_path):
    me(env, ME)
    box = SAMPLES / "mail" / "perceval_mbox_complex.mbox"
    notes = write(tmp_path / "notes.txt", b"coffee with Dana\n")
    assert refused(capsys, "capture", "calendar", str(notes)).endswith(
        "notes.txt is not a calendar; give an .ics file, a .zip of them (Google Calendar's export) or a folder of "
        ".ics files")
    assert refused(capsys, "capture", "calendar", str(box)).endswith(f"Use: netmaint capture mail {box}")
    assert refused(capsys, "capture", "mail", str(SERIES)).endswith(f"Use: netmaint capture calendar {SERIES}")
    assert "No such file" in refused(capsys, "capture", "mail", str(tmp_path / "missing.mbox"))
    assert refused(capsys, "capture", "mail").startswith("give a mailbox: an mbox file")
    assert "as a date" in refused(capsys, "capture", "calendar", str(SERIES), "--since", "someday")
    assert "takes only --json" in refused(capsys, "capture", "people", str(SERIES))
    assert not env.db.exists()


def test_a_calendar_is_captured_once_however_often_it_is_read(sahaja, capsys):
    assert ok(capsys, "capture", "calendar", str(SERIES), "--since", "2012-01-01") == (
        "captured icaljs_recur_instances.ics: 150 touches with 1 contact; skipped 1 not over yet, 2 nobody but you\n")
    assert rows(sahaja, "SELECT COUNT(*), MIN(source), MAX(channel) FROM touch") == [(150, "calendar", "meeting")]
    assert ok(capsys, "capture", "calendar", str(SERIES), str(SERIES.parent)) == (
        "captured icaljs_recur_instances.ics, calendars: 0 touches; skipped 2 not over yet, 131 nobody but you, "
        "1 nobody who is a contact, 303 captured before\n")  # the file twice, and what the first run took
    assert rows(sahaja, "SELECT COUNT(*) FROM touch") == [(150,)]
    week = json.loads(ok(capsys, "due", "--json"))
    assert week[0]["last_touch"] == "2025-03-04T19:00:00+01:00"


def test_a_dry_run_lists_what_it_would_log_and_leaves_every_file_as_it_was(sahaja, capsys):
    before = {p.name: p.read_bytes() for p in sahaja.db.parent.iterdir() if p.is_file()}
    out = ok(capsys, "capture", "calendar", str(SERIES), "--since", "2012-01-01", "--dry-run")
    lines = out.splitlines()
    assert len(lines) == 151
    assert lines[-2] == "would log Tue 2025-03-04 19:00 meeting (30 min) with Sahaja Lal: Crazy Event Thingy! (PLACE)"
    assert lines[-1] == ("dry run, nothing written: icaljs_recur_instances.ics: 150 touches with 1 contact; "
                         "skipped 1 not over yet, 2 nobody but you")
    assert {p.name: p.read_bytes() for p in sahaja.db.parent.iterdir() if p.is_file()} == before
    assert not (sahaja.db.parent / "backups").exists() or not any((sahaja.db.parent / "backups").glob("*capture*"))
    assert rows(sahaja, "SELECT COUNT(*) FROM touch") + rows(sahaja, "SELECT COUNT(*) FROM captured_item") == [(0,), (0,)]


def test_a_dry_run_on_a_database_that_is_not_there_creates_none(env, capsys):
    me(env, "jlal@mozilla.com")
    out = ok(capsys, "capture", "calendar", str(SERIES), "--dry-run")
    assert out == ("dry run, nothing written: icaljs_recur_instances.ics: 0 touches; skipped 1 not over yet, "
                   "2 nobody but you, 150 nobody who is a contact\n")
    assert not env.db.exists() and not env.db.parent.exists()


def test_json_gives_each_touch_made_and_the_counts(dana, capsys, tmp_path):
    path = write(tmp_path / "cal.ics", ics(
        vevent("coffee", MONDAY, MONDAY + dt.timedelta(minutes=45), location="Café Einstein",
               attendees=("dana@example.com", ME)),
        vevent("declined", MONDAY, attendees=("omar@example.org", (ME, "DECLINED")))))
    report = json.loads(ok(capsys, "capture", "calendar", str(path), "--json"))
    [touch] = report["touches"]
    assert TOUCH_KEYS <= set(touch)
    assert {k: touch[k] for k in TOUCH_KEYS} == {
        "when": "2025-03-10T09:00:00+01:00", "channel": "meeting", "kind": "catch-up", "minutes": 45, "contacts": [1],
        "note": "Coffee (Café Einstein)", "source": "calendar", "source_id": "coffee/20250310T080000Z"}
    assert (report["captured"], report["skipped"], report["dry_run"], report["problems"]) == (
        1, {"declined_or_cancelled": 1}, False, [])
    again = json.loads(ok(capsys, "capture", "calendar", str(path), "--json", "--dry-run"))
    assert again["touches"] == [] and again["skipped"]["already_captured"] == 1 and again["dry_run"] is True


def test_mail_from_a_maildir_and_an_mbox(dana, capsys, tmp_path):
    sent = [message(f"Me <{ME}>", "Dana <dana@example.com>", "The deck", MONDAY, msgid="1@x"),
            message(ME, "dana@example.com, omar@example.org", "Re: The deck", MONDAY + dt.timedelta(hours=2),
                    msgid="2@x", references="<1@x>")]
    folder = maildir(tmp_path / "Maildir", *sent)
    box = write(tmp_path / "Inbox.mbox", mbox(
        message("omar@example.org", ME, "Lunch?", MONDAY + dt.timedelta(hours=3), msgid="3@x"),
        message(ME, "team@lists.example", "Minutes", MONDAY, msgid="4@x", extra=("List-Id: <team.lists.example>",))))
    report = json.loads(ok(capsys, "capture", "mail", str(folder), str(box), "--json"))
    assert [(t["note"], t["contacts"], t["source"], t["source_id"]) for t in report["touches"]] == [
        ("The deck", [1, 2], "mail", "<1@x>")]
    assert (report["heard"], report["skipped"]) == (1, {"bulk": 1, "received": 1})
    assert ok(capsys, "capture", "mail", str(folder), str(box)) == (
        "captured Maildir, Inbox.mbox: 0 touches; skipped 1 mailing lists and bulk mail, 2 captured before, "
        "1 written to you (no touch: last heard)\n")
    omar = next(r for r in json.loads(ok(capsys, "due", "--json")) if r["name"] == "Omar Fischer")
    assert omar["last_heard"] == "2025-03-10T12:00:00+01:00"


def test_each_unreadable_item_is_one_line_on_stderr_and_the_rest_is_captured(dana, capsys, tmp_path):
    broken = "\r\n".join(["BEGIN:VEVENT", "UID:broken", "SUMMARY:No start", "END:VEVENT"])
    path = write(tmp_path / "cal.ics", ics(broken, vevent("good", MONDAY, attendees=("dana@example.com",)), broken))
    code, out, err = run(capsys, "capture", "calendar", str(path))
    assert code == 0 and err.splitlines() == [f"{path}, event at line 7: has no start (DTSTART); skipped",
                                              f"{path}, event at line 25: has no start (DTSTART); skipped"]
    assert out == "captured cal.ics: 1 touch with 1 contact; 2 items could not be read (on stderr)\n"
    only_broken = write(tmp_path / "broken.ics", ics(broken))
    code, out, err = run(capsys, "capture", "calendar", str(only_broken))
    assert code == 2 and len(err.splitlines()) == 1 and "0 touches" in out  # nothing in it could be read


def test_the_people_worth_adding(dana, capsys, tmp_path):
    assert ok(capsys, "capture", "people") == (
        "nobody yet: nobody you met or wrote to three times or more is missing from your contacts\n")
    path = write(tmp_path / "cal.ics", ics(*(vevent(f"m{i}", MONDAY - dt.timedelta(days=i),
                                                    attendees=("dana@example.com", "lee@example.net"))
                                             for i in range(3))))
    ok(capsys, "capture", "calendar", str(path))
    assert ok(capsys, "capture", "people") == (
        "lee  lee@example.net                     3 times  last 2025-03-10\n"
        "add the ones worth keeping: netmaint add NAME --email ADDRESS\n")
    assert json.loads(ok(capsys, "capture", "people", "--json")) == [
        {"name": "lee", "email": "lee@example.net", "count": 3, "last": "2025-03-10T09:00:00+01:00"}]


def test_a_calendar_given_to_import_names_the_capture_that_reads_it(env, capsys):
    line = refused(capsys, "import", "linkedin", str(SERIES))
    assert line.endswith(f"looks like a calendar, not a LinkedIn export; nothing was imported. "
                         f"Use: netmaint capture calendar {SERIES}")
    assert not env.db.exists()
