"""The command line, run in-process against a temporary database with a replayed clock."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from netmaint_tui.cli import main
from tests.conftest import store_dates_out_of_range


@pytest.fixture(autouse=True)
def _commits_without_waiting_for_the_disk(monkeypatch):
    # Durability (synchronous=FULL) is test_store's subject; here hundreds of small commits
    # would each wait for an fsync. NORMAL in WAL mode keeps every other behaviour the same.
    from netmaint_tui.store import db

    monkeypatch.setitem(db.PRAGMAS, "synchronous", 1)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, ""), (argv, code, err)
    return out


def fails(capsys, *argv, code=2) -> str:
    """The command fails with `code`, prints nothing on stdout and exactly one line on stderr."""
    got, out, err = run(capsys, *argv)
    assert got == code, (argv, got, out, err)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and err.endswith("\n"), err
    assert lines[0].startswith("netmaint: ")
    assert "Traceback" not in err
    return lines[0]


def due_json(capsys, *extra) -> list[dict]:
    return json.loads(ok(capsys, "due", "--json", *extra))


@pytest.fixture
def net(env, capsys):
    ok(capsys, "add", "Dana Haddad", "--company", "Acme", "--tier", "A", "--tag", "client")
    ok(capsys, "add", "Omar Fischer", "--company", "Beta")
    ok(capsys, "add", "Dan Brown", "--tier", "C")
    return env


# --- happy paths -----------------------------------------------------------------------------


def test_add_prints_the_new_contact(env, capsys):
    assert ok(capsys, "add", "Dana Haddad") == "added Dana Haddad (#1)\n"
    assert env.db.exists()


def test_add_with_every_option(env, capsys):
    ok(capsys, "add", "Priya Patel", "--company", "Acme", "--role", "CTO", "--email", "p@acme.example",
       "--email", "priya@home.example", "--phone", "+1 555 0100", "--linkedin", "https://www.linkedin.com/in/priya",
       "--location", "Austin", "--how-met", "conference", "--tier", "a", "--cadence", "14", "--tag", "client",
       "--tag", "mentor", "--birthday", "--02-29", "--notes", "likes tea")
    conn = sqlite3.connect(env.db)
    row = conn.execute("SELECT company, role, emails, tier, cadence_days, birthday, notes FROM contact").fetchone()
    conn.close()
    assert row == ("Acme", "CTO", '["p@acme.example", "priya@home.example"]', "A", 14, "--02-29", "likes tea")
    (item,) = due_json(capsys)
    assert item["tags"] == ["client", "mentor"] and item["cadence_days"] == 14


@pytest.mark.parametrize("form", [["--birthday=--02-29"], ["--birthday", "02-29"], ["--birthday", "--02-29"]])
def test_a_birthday_without_a_year(env, capsys, form):
    ok(capsys, "add", "Leap", *form)
    conn = sqlite3.connect(env.db)
    assert conn.execute("SELECT birthday FROM contact").fetchone() == ("--02-29",)
    conn.close()


def test_log_a_touch_and_see_it_in_due(net, capsys):
    out = ok(capsys, "log", "Dana", "--channel", "call", "--kind", "give", "--minutes", "30", "--at", "yesterday 3pm",
             "--note", "caught up")
    assert out == "logged give call with Dana Haddad (touch #1)\n"  # the name as stored, not as typed
    dana = next(i for i in due_json(capsys) if i["name"] == "Dana Haddad")
    assert dana["last_touch"] == "2025-03-11T15:00:00+01:00"
    assert dana["balance"] == 1
    assert dana["due"] == "2025-04-10"
    assert dana["reason"] == "due in 29d · A · last: call yesterday · gave once"


def test_log_several_contacts_at_once(net, capsys):
    assert ok(capsys, "log", "Dana", "Omar", "--at", "2025-03-10 12:00") == (
        "logged catch-up meeting with Dana Haddad, Omar Fischer (touch #1)\n"
    )
    items = {i["name"]: i for i in due_json(capsys)}
    assert items["Dana Haddad"]["last_touch"] == items["Omar Fischer"]["last_touch"] == "2025-03-10T12:00:00+01:00"
    assert items["Dan Brown"]["last_touch"] is None


def test_two_contacts_with_one_name_are_picked_by_number(env, capsys):
    ok(capsys, "add", "Sam Lee", "--company", "Acme")
    ok(capsys, "add", "Sam Lee", "--company", "Beta")
    said = fails(capsys, "log", "Sam Lee")
    assert "'Sam Lee (#1, Acme)', 'Sam Lee (#2, Beta)'" in said and "'#2'" not in said and "'#1'" in said
    assert ok(capsys, "log", "#2", "--channel", "call") == "logged catch-up call with Sam Lee (touch #1)\n"
    beta = next(i for i in json.loads(ok(capsys, "due", "--json")) if i["company"] == "Beta")
    assert beta["id"] == 2 and beta["last_touch"] is not None
    assert ok(capsys, "snooze", "#1", "2025-04-01") == "snoozed Sam Lee until 2025-04-01\n"


def test_log_reads_the_note_from_stdin(net, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("Coffee.\n- [ ] send the deck by fri\ntodo: intro to Lee\n"))
    out = ok(capsys, "log", "Omar", "--note", "-")
    assert out.splitlines() == [
        "logged catch-up meeting with Omar Fischer (touch #1)",
        "follow-up #1: send the deck — due Fri 2025-03-14 09:00",
        "follow-up #2: intro to Lee — due Thu 2025-03-13 10:00",
    ]
    items = json.loads(ok(capsys, "follow-up", "list", "--json"))
    assert [(i["what"], i["suggested_by"], i["touch_id"]) for i in items] == [
        ("intro to Lee", "Omar Fischer", 1), ("send the deck", "Omar Fischer", 1)
    ]
    conn = sqlite3.connect(net.db)
    assert conn.execute("SELECT note FROM touch").fetchone()[0] == "Coffee.\n- [ ] send the deck by fri\ntodo: intro to Lee\n"
    conn.close()


def test_follow_up_add_list_done(net, capsys):
    out = ok(capsys, "follow-up", "Dana", "send", "the", "deck", "--due", "fri")
    assert out == "follow-up #1: send the deck (suggested by Dana Haddad) — due Fri 2025-03-14 09:00\n"
    ok(capsys, "follow-up", "Omar", "intro", "--about", "Dan Brown")
    items = json.loads(ok(capsys, "follow-up", "list", "--json"))
    assert [(i["id"], i["what"], i["suggested_by"], i["about"], i["status"]) for i in items] == [
        (2, "intro", "Omar Fischer", "Dan Brown", "open"), (1, "send the deck", "Dana Haddad", None, "open")
    ]
    assert items[0]["due"] == "2025-03-13T10:00:00+01:00"
    # The follow-up due within a day puts the contact it is about at the top.
    assert due_json(capsys)[0]["name"] == "Dan Brown"
    assert ok(capsys, "follow-up", "done", "2") == "follow-up #2 done: intro\n"
    assert "#1" in ok(capsys, "follow-up", "list") and "#2" not in ok(capsys, "follow-up", "list")
    assert "[done]" in ok(capsys, "follow-up", "list", "--all")
    assert "#404" in fails(capsys, "follow-up", "done", "404")
    fails(capsys, "follow-up", "done", "x")
    fails(capsys, "follow-up", "Dana")


def test_due_text_and_limit(net, capsys):
    ok(capsys, "log", "Omar", "--at", "2025-01-01 10:00")
    lines = ok(capsys, "due").splitlines()
    assert len(lines) == 3
    assert lines[0].lstrip().startswith("1. Dana Haddad")
    assert "never touched" in lines[0]
    assert len(ok(capsys, "due", "--limit", "1").splitlines()) == 1
    assert [i["name"] for i in due_json(capsys, "--filter", "beta")] == ["Omar Fischer"]
    assert [i["name"] for i in due_json(capsys, "--filter", "CLIENT")] == ["Dana Haddad"]
    fails(capsys, "due", "--limit", "-1")


def test_due_on_an_empty_network(env, capsys):
    assert "netmaint add" in ok(capsys, "due")
    assert due_json(capsys) == []


STABLE_DUE = {
    "name": str, "company": str, "tier": str, "score": float, "overdue": float, "due": str, "balance": int,
    "reason": str,
}


def test_due_json_has_the_stable_keys_and_types(net, capsys):
    ok(capsys, "log", "Omar", "--kind", "ask", "--at", "2025-02-01 09:00")
    items = due_json(capsys)
    assert [i["name"] for i in items] == ["Dana Haddad", "Dan Brown", "Omar Fischer"]
    for item in items:
        for key, kind in STABLE_DUE.items():
            assert isinstance(item[key], kind), (key, item)
        assert item["last_touch"] is None or isinstance(item["last_touch"], str)
        dt.date.fromisoformat(item["due"])
    omar = items[2]
    assert omar["last_touch"] == "2025-02-01T09:00:00+01:00"
    assert omar["balance"] == -1 and omar["reason"].endswith("suggest a give, not an ask")
    assert omar["overdue"] == pytest.approx(round((39 + 1 / 24) / 90, 4))


STABLE_WEEK = {
    "week_start": str, "touches": int, "minutes": int, "goal": dict, "status": str, "current_streak": int,
    "best_streak": int, "strength": float, "paused": bool,
}


def test_goal_week_and_streaks(net, capsys):
    assert ok(capsys, "goal", "set", "--touches", "2", "--from", "2025-03-03") == (
        "weekly goal: 2 touches, from 2025-03-03\n"
    )
    for at in ("2025-03-04 10:00", "2025-03-05 10:00", "2025-03-10 09:00", "2025-03-11 09:00"):
        ok(capsys, "log", "Omar", "--at", at, "--minutes", "20")
    week = json.loads(ok(capsys, "week", "--json"))
    for key, kind in STABLE_WEEK.items():
        assert isinstance(week[key], kind), key
    assert week["goal"] == {"touches": 2, "minutes": None}
    assert (week["week_start"], week["touches"], week["minutes"], week["status"]) == ("2025-03-10", 2, 40, "met")
    assert (week["current_streak"], week["best_streak"], week["paused"]) == (2, 2, False)
    assert 0 < week["strength"] < 1
    text = ok(capsys, "week").splitlines()
    assert text[0] == "Week of Mon 2025-03-10 · 2/2 touches · 40 min · met"
    assert text[1].startswith("Streak 2 (best 2) · strength ")
    assert "from 2025-03-03: touches 2, minutes -" in ok(capsys, "goal", "list")


def test_week_without_a_goal(net, capsys):
    week = json.loads(ok(capsys, "week", "--json"))
    assert week["goal"] == {"touches": None, "minutes": None}
    assert week["status"] == "open" and week["current_streak"] == 0 and week["strength"] == 0.0
    assert "goal set" in ok(capsys, "week")
    ok(capsys, "log", "Dana")
    assert ok(capsys, "week").splitlines()[0] == "Week of Mon 2025-03-10 · 1 touch · open"
    ok(capsys, "log", "Omar")
    assert ok(capsys, "week").splitlines()[0] == "Week of Mon 2025-03-10 · 2 touches · open"


def test_a_goal_only_in_the_config_file_keeps_a_streak_over_weeks(net, capsys):
    net.config.parent.mkdir(parents=True, exist_ok=True)
    net.config.write_text("goal: {touches: 2}\n")
    for day in ("2025-02-18", "2025-02-19", "2025-02-25", "2025-02-26", "2025-03-04", "2025-03-05", "2025-03-10"):
        ok(capsys, "log", "Omar", "--at", f"{day} 22:30")
    week = json.loads(ok(capsys, "week", "--json"))
    assert week["goal"] == {"touches": 2, "minutes": None}
    assert (week["touches"], week["status"], week["current_streak"], week["best_streak"]) == (1, "open", 3, 3)
    ok(capsys, "log", "Dana")
    week = json.loads(ok(capsys, "week", "--json"))
    assert (week["touches"], week["status"], week["current_streak"], week["best_streak"]) == (2, "met", 4, 4)


def test_pause_makes_the_week_paused(net, capsys):
    ok(capsys, "goal", "set", "--touches", "5", "--minutes", "60")
    assert ok(capsys, "pause", "2025-03-10", "2025-03-14", "--reason", "flu") == "paused 2025-03-10 to 2025-03-14 (flu)\n"
    week = json.loads(ok(capsys, "week", "--json"))
    assert (week["status"], week["paused"]) == ("paused", True)
    assert week["goal"] == {"touches": 5, "minutes": 60}
    assert "before it starts" in fails(capsys, "pause", "2025-03-14", "2025-03-10")


def test_snooze_and_archive(net, capsys):
    assert ok(capsys, "snooze", "Dana", "2025-04-01") == "snoozed Dana Haddad until 2025-04-01\n"
    assert "Dana Haddad" not in [i["name"] for i in due_json(capsys)]
    snoozed = [i for i in due_json(capsys, "--snoozed") if i["name"] == "Dana Haddad"]
    assert snoozed and snoozed[0]["snoozed_until"] == "2025-04-01"
    fails(capsys, "snooze", "Omar", "2025-03-12")  # not after today
    assert ok(capsys, "archive", "Omar") == "archived Omar Fischer\n"
    assert [i["name"] for i in due_json(capsys)] == ["Dan Brown"]
    fails(capsys, "log", "Omar")  # archived contacts are not found by name
    assert ok(capsys, "archive", "Omar", "--undo") == "unarchived Omar Fischer\n"
    assert "Omar Fischer" in [i["name"] for i in due_json(capsys)]


def test_the_db_option_wins_over_the_environment(env, capsys):
    other = env.tmp / "other.db"
    ok(capsys, "add", "Elsewhere", "--db", str(other))
    assert [i["name"] for i in due_json(capsys, "--db", str(other))] == ["Elsewhere"]
    assert due_json(capsys) == []


# --- bad input: exit 2, one line -------------------------------------------------------------


def test_unknown_contact_names_the_closest(net, capsys):
    line = fails(capsys, "log", "Omar Fisher")
    assert line == "netmaint: no contact named 'Omar Fisher'; did you mean 'Omar Fischer'?"
    assert "netmaint add" in fails(capsys, "log", "Zyxw")


def test_ambiguous_contact(net, capsys):
    line = fails(capsys, "log", "Dan")
    assert "'Dan Brown (#" in line and "'Dana Haddad (#" in line and "type more of the name, or give the number" in line
    conn = sqlite3.connect(net.db)
    assert conn.execute("SELECT COUNT(*) FROM touch").fetchone()[0] == 0
    conn.close()


def test_a_touch_in_the_future(net, capsys):
    assert "in the future" in fails(capsys, "log", "Dana", "--at", "tomorrow")
    assert "in the future" in fails(capsys, "log", "Dana", "--at", "in 2h")


@pytest.mark.parametrize(
    "argv",
    [
        ["log", "Dana", "--at", "2025-02-30"],
        ["log", "Dana", "--at", "next blue moon"],
        ["pause", "2025-13-01", "2025-13-02"],
        ["goal", "set", "--touches", "3", "--from", "someday"],
        ["snooze", "Dana", "never"],
        ["follow-up", "Dana", "call", "--due", "whenever"],
    ],
)
def test_a_bad_date(net, capsys, argv):
    line = fails(capsys, *argv)
    assert "2025-03-04" in line  # says which forms work


@pytest.mark.parametrize(
    "argv, word",
    [
        (["goal", "set", "--touches", "-1"], "-1"),
        (["goal", "set", "--minutes", "-30"], "-30"),
        (["goal", "set"], "--touches"),
        (["log", "Dana", "--minutes", "-5"], "minutes"),
        (["log", "Dana", "--channel", "fax"], "channel"),
        (["log", "Dana", "--kind", "favour"], "kind"),
        (["add", "X", "--tier", "D"], "tier"),
        (["add", "X", "--cadence", "0"], "cadence"),
        (["add", "X", "--birthday", "2023-02-29"], "birthday"),
        (["add", "   "], "name"),
    ],
)
def test_bad_values(net, capsys, argv, word):
    assert word in fails(capsys, *argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["due", "--bogus"],
        ["due", "--limit", "x"],
        ["add"],
        ["log"],
        ["goal", "reset"],
        ["--nope"],
        ["pause", "2025-03-01"],
    ],
)
def test_usage_errors_are_one_line(env, capsys, argv):
    line = fails(capsys, *argv)
    assert "--help" in line


def test_help_still_works(env, capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    assert "usage" in capsys.readouterr().out


def test_a_bad_clock_or_zone_is_one_line(env, capsys, monkeypatch):
    monkeypatch.setenv("NETMAINT_NOW", "yesterday-ish")
    assert "NETMAINT_NOW" in fails(capsys, "due")
    monkeypatch.setenv("NETMAINT_NOW", "2025-03-12T10:00:00")
    monkeypatch.setenv("TZ", "Mars/Olympus")
    assert "TZ" in fails(capsys, "due")


@pytest.mark.parametrize("tz", ["UTC0", "CET-1CEST,M3.5.0,M10.5.0/3", "EST5EDT", ":Europe/Berlin", "<+0530>-5:30"])
def test_every_tz_the_c_library_reads_is_taken(env, capsys, monkeypatch, tz):
    """POSIX rules were refused: pendulum and zoneinfo read zone names only."""
    monkeypatch.setenv("TZ", tz)
    ok(capsys, "add", "Dana")
    assert [row["name"] for row in due_json(capsys)] == ["Dana"]


@pytest.mark.parametrize("now, local, week_start", [
    ("2025-07-13T22:30:00Z", "2025-07-14T00:30:00+02:00", "2025-07-14"),  # summer: Monday already
    ("2025-07-13T21:30:00Z", "2025-07-13T23:30:00+02:00", "2025-07-07"),
    ("2025-01-12T23:30:00Z", "2025-01-13T00:30:00+01:00", "2025-01-13"),  # winter: one hour less
    ("2025-01-12T22:30:00Z", "2025-01-12T23:30:00+01:00", "2025-01-06"),
    ("2025-03-30T01:00:00Z", "2025-03-30T03:00:00+02:00", "2025-03-24"),  # the hour summer time begins
    ("2025-10-25T23:59:00Z", "2025-10-26T01:59:00+02:00", "2025-10-20"),  # and the day it ends
    ("2025-10-26T01:00:00Z", "2025-10-26T02:00:00+01:00", "2025-10-20"),
])
def test_a_touch_lands_on_its_local_day_under_a_posix_tz_rule(env, capsys, monkeypatch, now, local, week_start):
    monkeypatch.setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")
    monkeypatch.setenv("NETMAINT_NOW", now)
    ok(capsys, "add", "Dana")
    ok(capsys, "log", "Dana")
    (row,) = due_json(capsys)
    assert row["last_touch"] == local
    week = json.loads(ok(capsys, "week", "--json"))
    assert (week["week_start"], week["touches"]) == (week_start, 1)


def test_control_characters_never_reach_the_terminal(env, capsys):
    out = ok(capsys, "add", "Eve\x1b]0;owned\x07 Smith")
    assert "\x1b" not in out and "\x07" not in out
    line = fails(capsys, "log", "Mallory\x1b[2J\nsecond line\u202e")
    assert "\x1b" not in line and "\u202e" not in line
    raw = ok(capsys, "due", "--json")
    assert "\x1b" not in raw and json.loads(raw)[0]["name"] == "Eve\x1b]0;owned\x07 Smith"
    assert "\x1b" not in ok(capsys, "due")


# --- the database file -----------------------------------------------------------------------


def test_a_newer_database_is_one_line_and_untouched(env, capsys):
    env.db.parent.mkdir(parents=True)
    conn = sqlite3.connect(env.db)
    conn.execute("CREATE TABLE contact (id INTEGER PRIMARY KEY)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = env.db.read_bytes()
    for argv in (["due"], ["add", "X"], ["week", "--json"]):
        assert "newer netmaint" in fails(capsys, *argv, code=1)
    assert env.db.read_bytes() == before


def test_a_damaged_database_is_one_line(env, capsys):
    env.db.parent.mkdir(parents=True)
    env.db.write_bytes(b"definitely not sqlite " * 300)
    line = fails(capsys, "due", code=1)
    assert "damaged" in line and str(env.db) in line


@pytest.mark.parametrize("argv", [["due"], ["add", "X"], ["import", "json", "{doc}", "--dry-run"], ["export", "json"]])
def test_a_device_is_not_a_database_file(env, capsys, argv):
    """`--db /dev/null` was "the disk is full or failing": SQLite's answer, not the cause."""
    doc = env.tmp / "one.json"
    doc.write_text('{"format": "netmaint", "version": 1, "contacts": [{"name": "Lena"}]}')
    line = fails(capsys, "--db", os.devnull, *[a.format(doc=doc) for a in argv], code=1)
    assert line == (f"netmaint: {os.devnull} is not a regular file (a device or a pipe), so it cannot hold "
                    "a database; give a database file with --db")


def test_another_programs_database_is_refused(env, capsys):
    env.db.parent.mkdir(parents=True)
    conn = sqlite3.connect(env.db)
    conn.execute("CREATE TABLE moz_places (url TEXT)")
    conn.commit()
    conn.close()
    assert "another program" in fails(capsys, "add", "X", code=1)


# --- the installed entry point ---------------------------------------------------------------


def _subprocess_env(env) -> dict:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("NETMAINT_")}
    keep.update(NETMAINT_DB=str(env.db), NETMAINT_CONFIG=str(env.config), NETMAINT_NOW="2025-03-12T10:00:00",
                TZ="Europe/Berlin")
    return keep


def test_python_dash_m_runs_due_json(env, capsys):
    ok(capsys, "add", "Dana Haddad", "--tier", "A")
    done = subprocess.run([sys.executable, "-m", "netmaint_tui", "due", "--json"], capture_output=True, text=True,
                          env=_subprocess_env(env), timeout=60)
    assert done.returncode == 0, done.stderr
    assert [i["name"] for i in json.loads(done.stdout)] == ["Dana Haddad"]
    bad = subprocess.run([sys.executable, "-m", "netmaint_tui", "log", "Nobody"], capture_output=True, text=True,
                         env=_subprocess_env(env), timeout=60)
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1 and bad.stdout == ""


def test_due_does_not_import_the_full_screen_app(env):
    code = (
        "import sys; from netmaint_tui.cli import main; rc = main(['due', '--json']); "
        "print(rc, 'textual' in sys.modules, 'netmaint_tui.ui' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_subprocess_env(env),
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "0 False False"


# --- numbers, dates and names a person can get wrong ---------------------------------------------


@pytest.mark.parametrize("argv", [
    ("add", "X", "--cadence", "99999999999999999999"),
    ("add", "X", "--cadence", "5000"),
    ("due", "--limit", "99999999999999999999"),
    ("goal", "set", "--touches", "99999999999999999999"),
    ("goal", "set", "--minutes", "-5"),
    ("follow-up", "done", "99999999999999999999"),
])
def test_a_number_too_large_is_a_usage_error_not_a_crash(net, capsys, argv):
    line = fails(capsys, *argv)
    assert "unexpected error" not in line


def test_goal_and_pause_dates_stay_within_a_lifetime_and_are_not_repeated(net, capsys):
    """A goal from year 1 used to be accepted and then broke `week` for good."""
    assert "out of range" in fails(capsys, "goal", "set", "--touches", "3", "--from", "0001-01-01")
    assert "too far back" in fails(capsys, "goal", "set", "--touches", "3", "--from", "1950-01-01")
    assert "too far ahead" in fails(capsys, "pause", "2025-12-20", "2040-01-01")
    ok(capsys, "pause", "2025-12-20", "2026-01-03")
    assert "already there" in fails(capsys, "pause", "2025-12-20", "2026-01-03")
    ok(capsys, "goal", "set", "--touches", "3", "--from", "2025-03-03")
    ok(capsys, "goal", "set", "--touches", "4", "--from", "2025-03-03")  # the same day: replaced
    assert ok(capsys, "goal", "list").splitlines() == ["from 2025-03-03: touches 4, minutes -"]
    assert json.loads(ok(capsys, "week", "--json"))["goal"]["touches"] == 4


def test_a_goal_written_before_the_dates_were_checked_is_left_out_not_fatal(net, capsys):
    ok(capsys, "goal", "set", "--touches", "2")
    conn = sqlite3.connect(os.environ["NETMAINT_DB"])
    conn.execute("INSERT INTO goal (from_date, touches, minutes, created_at) VALUES ('0001-01-01', 1, NULL, '2026-01-01 00:00:00')")
    conn.commit()
    conn.close()
    assert json.loads(ok(capsys, "week", "--json"))["goal"]["touches"] == 2


def test_follow_up_commands_say_what_they_need(net, capsys):
    assert "give the follow-up's number" in fails(capsys, "follow-up", "done")
    assert "takes no more words" in fails(capsys, "follow-up", "list", "extra")
    out = ok(capsys, "follow-up", "Dana", "ask about the role", "--about", "Initech Corp")
    assert "(suggested by Dana Haddad, about Initech Corp)" in out  # not a contact: kept as free text, as --help says
    fid = out.split("#")[1].split(":")[0]
    assert json.loads(ok(capsys, "follow-up", "list", "--json"))[0]["about"] == "Initech Corp"
    ok(capsys, "follow-up", "done", fid)
    assert "already done" in fails(capsys, "follow-up", "drop", fid)
    assert json.loads(ok(capsys, "follow-up", "list", "--json", "--all"))[0]["status"] == "done"


def test_an_archived_contact_is_named_as_archived_not_unknown(net, capsys):
    ok(capsys, "archive", "omar")
    line = fails(capsys, "log", "omar")
    assert "'Omar Fischer' is archived" in line and "--undo" in line and "add them first" not in line
    # An archived contact's whole name is theirs even when it begins an active contact's name.
    ok(capsys, "add", "Dana")
    ok(capsys, "archive", "#4")
    assert "'Dana' is archived" in fails(capsys, "log", "Dana")
    assert ok(capsys, "archive", "omar", "--undo") == "unarchived Omar Fischer\n"
    assert ok(capsys, "archive", "omar", "--undo") == "Omar Fischer is not archived; nothing changed\n"


def test_an_imported_goal_or_pause_out_of_range_is_skipped_with_its_line_and_an_old_one_kept(net, capsys, tmp_path):
    """Out of the years kept: skipped. Older than the habit's span (a goal from 1950): kept as it
    was exported, and not counted, like one that aged out of the span."""
    ok(capsys, "goal", "set", "--touches", "2")
    doc = json.loads(ok(capsys, "export", "json"))
    doc["goals"].append({"from_date": "1950-01-01", "touches": 1, "minutes": None})
    doc["goals"].append({"from_date": "0001-01-01", "touches": 1, "minutes": None})
    doc["goals"].append({"from_date": "2025-01-06", "touches": 99999999999999999999, "minutes": None})
    doc["pauses"] = [{"start": "2025-01-01", "end": "2040-12-31", "reason": ""},
                     {"start": "2025-01-01", "end": "9999-12-31", "reason": ""}]
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = run(capsys, "import", "json", str(path))
    assert code == 0 and "too far" not in out + err
    assert "goals[2].from_date: 0001-01-01 is out of range" in err and "pauses[1].end: 9999-12-31 is out of range" in err
    assert "makes no sense" in out + err
    assert ok(capsys, "goal", "list").splitlines() == ["from 1950-01-01: touches 1, minutes -",
                                                      "from 2025-03-12: touches 2, minutes -"]
    assert json.loads(ok(capsys, "week", "--json"))["goal"]["touches"] == 2


def test_an_imported_touch_must_be_one_log_would_take(net, capsys, tmp_path):
    """A touch in the future or with a day's worth of minutes is skipped with its line, as `log`
    refuses them; the rest of the file comes in."""
    ok(capsys, "log", "Dana", "--minutes", "30")
    doc = json.loads(ok(capsys, "export", "json"))
    good = doc["touches"][0]
    copy = {key: value for key, value in good.items() if key != "id"}
    doc["touches"] = [good, {**copy, "at": "2099-01-01T10:00:00Z"}, {**copy, "at": "2025-03-01T10:00:00Z", "minutes": 999999}]
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = run(capsys, "import", "json", str(path))
    assert code == 0 and "in the future" in err and "between 0 and 1440" in err
    assert len(json.loads(ok(capsys, "export", "json"))["touches"]) == 1


def test_version_and_a_filter_that_matches_nobody(net, capsys):
    with pytest.raises(SystemExit) as done:  # as --help: argparse prints and leaves
        main(["--version"])
    out, err = capsys.readouterr()
    assert done.value.code == 0 and out.startswith("netmaint ") and err == ""
    assert ok(capsys, "due", "--filter", "zzz") == "nobody matches 'zzz'\n"  # not "add someone"


def test_snooze_undo_shows_a_contact_again(net, capsys):
    ok(capsys, "snooze", "omar", "in 2w")
    assert "Omar Fischer" not in [r["name"] for r in due_json(capsys)]
    assert ok(capsys, "snooze", "omar", "--undo") == "unsnoozed Omar Fischer\n"
    assert "Omar Fischer" in [r["name"] for r in due_json(capsys)]
    assert ok(capsys, "snooze", "omar", "--undo") == "Omar Fischer is not snoozed; nothing changed\n"
    assert "or --undo" in fails(capsys, "snooze", "omar")


def test_pauses_can_be_listed_and_taken_back(net, capsys):
    ok(capsys, "pause", "2025-02-10", "2025-02-16", "--reason", "ski")
    listed = ok(capsys, "pause", "list")
    assert listed.endswith("2025-02-10 to 2025-02-16  (ski)\n")
    number = listed.split()[0].lstrip("#")
    assert ok(capsys, "pause", "remove", number) == "removed the pause 2025-02-10 to 2025-02-16\n"
    assert ok(capsys, "pause", "list") == "no pauses\n"
    assert "no pause #" in fails(capsys, "pause", "remove", number)
    assert "first and last day" in fails(capsys, "pause", "2025-02-10")
    assert "give the pause's number" in fails(capsys, "pause", "remove")


# --- the demo never fills a real database -----------------------------------------------------


def _everything_in(folder) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("exists", [True, False], ids=["existing", "missing"])
@pytest.mark.parametrize("named_by", ["--db before demo", "--db after demo", "NETMAINT_DB", "config data_file"])
def test_demo_leaves_every_database_it_is_pointed_at_alone(env, capsys, monkeypatch, named_by, exists):
    real = env.tmp / "mine" / "real.db"
    real.parent.mkdir()
    if exists:
        assert main(["--db", str(real), "add", "Only Me"]) == 0
    argv = ["demo", "--print"]
    if named_by == "--db before demo":
        argv = ["--db", str(real), *argv]
    elif named_by == "--db after demo":
        argv = [*argv, "--db", str(real)]
    elif named_by == "NETMAINT_DB":
        monkeypatch.setenv("NETMAINT_DB", str(real))
    else:
        monkeypatch.delenv("NETMAINT_DB")
        env.config.parent.mkdir(parents=True, exist_ok=True)
        env.config.write_text(f"data_file: {real}\n", encoding="utf-8")
    capsys.readouterr()
    before = _everything_in(env.tmp)

    code, out, err = run(capsys, *argv)

    assert code == 0 and out.count("\n") == 20  # the sample network's list
    assert _everything_in(env.tmp) == before  # byte for byte, and nothing created
    assert real.exists() == exists
    if named_by.startswith("--db"):
        assert err == f"netmaint: the demo uses its own throw-away database and leaves {real} alone\n"
    else:
        assert err == ""


def test_the_demo_app_opens_a_throw_away_database_that_is_gone_afterwards(env, capsys, monkeypatch, tmp_path):
    from netmaint_tui.cli import app

    seen = []

    def run_app(path, settings, theme, clock):
        seen.append((path, path.exists()))
        return 0

    monkeypatch.setattr(app, "run_app", run_app)
    real = tmp_path / "real.db"
    assert main(["--db", str(real), "demo"]) == 0
    [(path, existed)] = seen
    assert existed and path != real and not real.exists()
    assert not path.exists() and not path.parent.exists()


def test_the_demo_never_syncs_with_the_users_folders(env, capsys, monkeypatch, tmp_path):
    """A sync from the demo would carry its sample network into the user's folders, and from
    there into their own database and phone."""
    from netmaint_tui.cli import app

    folders = {name: tmp_path / name for name in ("contacts", "tasks", "journal")}
    env.config.parent.mkdir(parents=True, exist_ok=True)
    env.config.write_text(f"sync: {{contacts: {folders['contacts']}, follow_ups: {folders['tasks']}, "
                          f"journal: {folders['journal']}}}\n", encoding="utf-8")
    seen = []
    monkeypatch.setattr(app, "run_app", lambda path, settings, theme, clock: seen.append(settings) or 0)
    assert main(["demo"]) == 0
    [settings] = seen
    assert (settings.sync_contacts, settings.sync_follow_ups, settings.sync_journal) == (None, None, None)


# --- dates out of range ----------------------------------------------------------------------

@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Tokyo"])
def test_dates_stored_out_of_range_are_shown_and_no_command_fails(net, capsys, monkeypatch, zone):
    """Dan Brown's last touch is 0001-01-01 02:00 UTC (year 0 in New York), Omar Fischer's
    9999-12-31 23:00 UTC (year 10000 in Tokyo); follow-ups, snoozes, goals and pauses alike."""
    monkeypatch.setenv("TZ", zone)
    net.config.parent.mkdir(parents=True, exist_ok=True)
    net.config.write_text("goal: {touches: 1}\n")  # the goal rows are all out of range: the config's counts
    ok(capsys, "log", "Dana", "--at", "2025-03-03 10:00")
    store_dates_out_of_range(net.db, "Dan Brown", "Omar Fischer")

    rows = {r["name"]: r for r in due_json(capsys, "--limit", "0", "--snoozed")}
    utc = dt.timezone.utc
    assert dt.datetime.fromisoformat(rows["Dan Brown"]["last_touch"]) == dt.datetime(1, 1, 1, 2, tzinfo=utc)
    assert dt.datetime.fromisoformat(rows["Omar Fischer"]["last_touch"]) == dt.datetime(9999, 12, 31, 23, tzinfo=utc)
    assert rows["Edge Never 0"]["due"] == "0001-01-01" and rows["Edge Never 1"]["due"] == "9999-12-31"
    assert rows["Dan Brown"]["due"] == "0001-06-30"  # tier C: 180 days after its day
    assert rows["Omar Fischer"]["due"] == "9999-12-31"  # the calendar's last day
    assert rows["Edge Snoozed 1"]["snoozed_until"] == "9999-12-31"
    assert "Edge Snoozed 1" not in {r["name"] for r in due_json(capsys, "--limit", "0")}
    assert len(ok(capsys, "due").splitlines()) == 6
    week = json.loads(ok(capsys, "week", "--json"))
    assert (week["goal"]["touches"], week["current_streak"], week["best_streak"]) == (1, 1, 1)
    ok(capsys, "week")
    listed = json.loads(ok(capsys, "follow-up", "list", "--json"))
    assert [f["what"] for f in listed] == ["edge 0", "edge 1"] and listed[0]["overdue"] and not listed[1]["overdue"]
    assert len(ok(capsys, "follow-up", "list").splitlines()) == 2
    doc = json.loads(ok(capsys, "export", "json"))
    assert {t["at"] for t in doc["touches"]} >= {"0001-01-01T02:00:00Z", "9999-12-31T23:00:00Z"}
    for fmt in ("yaml", "csv", "ics"):
        assert ok(capsys, "export", fmt)
    assert "9999-12-31" in ok(capsys, "pause", "list") and "0001-01-01" in ok(capsys, "goal", "list")


def test_dates_stored_out_of_range_show_in_a_contacts_detail(net, capsys, monkeypatch):
    from netmaint_tui.clock import fixed_clock
    from netmaint_tui.config import Settings
    from netmaint_tui.services.common import Context
    from netmaint_tui.services.contacts import contact_detail
    from netmaint_tui.store.db import close_database, open_database
    from netmaint_tui.ui.format import ago

    store_dates_out_of_range(net.db, "Dan Brown", "Omar Fischer")
    for zone in ("America/New_York", "Asia/Tokyo"):
        ctx = Context(fixed_clock("2025-03-12T10:00:00", zone), Settings())
        open_database(net.db)
        try:
            for cid in range(1, 8):
                d = contact_detail(ctx, cid)
                for moment in [d.last_touch, *(t.at for t in d.history), *(f.due for f in d.follow_ups)]:
                    if moment is not None:
                        assert ago(moment, ctx.now())
        finally:
            close_database()


def _nothing_written(path) -> tuple:
    conn = sqlite3.connect(path)
    try:
        return tuple(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("touch", "follow_up", "goal", "pause")) + (
            conn.execute("SELECT COUNT(*) FROM contact WHERE snoozed_until IS NOT NULL OR birthday IS NOT NULL").fetchone()[0],)
    finally:
        conn.close()


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Tokyo"])
@pytest.mark.parametrize("argv", [
    ["log", "Dana", "--at", "0001-01-01 02:00"],
    ["log", "Dana", "--at", "0001-01-01T00:00+14:00"],
    ["log", "Dana", "--at", "1899-12-31"],
    ["log", "Dana", "--at", "99999w ago"],
    ["follow-up", "Dana", "call", "--due", "9999-12-31 23:00"],
    ["follow-up", "Dana", "call", "--due", "9999-12-31T23:59-12:00"],
    ["follow-up", "Dana", "call", "--due", "in 99999w"],
    ["snooze", "Dana", "2201-01-01"],
    ["snooze", "Dana", "in 99999w"],
    ["goal", "set", "--touches", "3", "--from", "0001-01-01"],
    ["pause", "1899-12-31", "2025-03-20"],
    ["add", "Old Timer", "--birthday", "0001-03-04"],
])
def test_a_date_out_of_range_is_refused_and_nothing_is_written(net, capsys, monkeypatch, zone, argv):
    monkeypatch.setenv("TZ", zone)
    before = _nothing_written(net.db)
    line = fails(capsys, *argv)
    assert "out of range; give a date from 1900-01-01 to 2200-12-31" in line, line
    assert _nothing_written(net.db) == before
    assert "Old Timer" not in {r["name"] for r in due_json(capsys, "--limit", "0")}


@pytest.mark.parametrize("argv, forms", [
    (["log", "Dana", "--at", ""], "no date or time given; use 2025-03-04"),
    (["log", "Dana", "--at", "   "], "no date or time given; use 2025-03-04"),
    (["follow-up", "Dana", "call", "--due", ""], "no date or time given; use 2025-03-04"),
    (["snooze", "Dana", ""], "no date or time given; use 2025-03-04"),
    (["goal", "set", "--touches", "3", "--from", ""], "no date given; use 2025-03-04"),
    (["goal", "set", "--touches", "3", "--from", " "], "no date given; use 2025-03-04"),
    (["pause", "", "2025-03-20"], "no date given; use 2025-03-04"),
])
def test_an_empty_date_is_an_error_not_now(net, capsys, argv, forms):
    before = _nothing_written(net.db)
    assert forms in fails(capsys, *argv)
    assert _nothing_written(net.db) == before


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Tokyo", "UTC"])
@pytest.mark.parametrize("now", ["0001-01-01T00:00:00", "0001-01-01T00:00:00+14:00", "1899-12-31T23:00:00Z",
                                 "2201-01-01T00:00:00", "9999-12-31T23:59:59"])
def test_netmaint_now_out_of_range_is_refused(net, capsys, monkeypatch, zone, now):
    monkeypatch.setenv("TZ", zone)
    monkeypatch.setenv("NETMAINT_NOW", now)
    for argv in (["due"], ["week"], ["log", "Dana"], ["export", "ics"]):
        line = fails(capsys, *argv)
        assert line.startswith(f"netmaint: NETMAINT_NOW={now!r}: ") and "out of range" in line, line


def test_no_file_brings_in_a_date_out_of_range(net, capsys, tmp_path):
    """Every date a file can give goes through the one range check: the record (or the one
    value) is left out with its place named, the rest of the file comes in."""
    ok(capsys, "log", "Dana", "--minutes", "30")
    ok(capsys, "follow-up", "Dana", "send the deck")
    doc = json.loads(ok(capsys, "export", "json"))
    touch = {k: v for k, v in doc["touches"][0].items() if k != "id"}
    follow_up = {k: v for k, v in doc["follow_ups"][0].items() if k != "id"}
    doc["touches"] += [{**touch, "at": "0001-01-01T02:00:00Z"}, {**touch, "at": "0001-01-01T00:00:00+14:00"},
                       {**touch, "at": "2025-03-01T10:00:00Z", "created_at": "9999-12-31T23:00:00Z"}]
    doc["follow_ups"] += [{**follow_up, "what": "far", "due": "9999-12-31T23:00:00Z"},
                          {**follow_up, "what": "closed late", "status": "done", "closed_at": "9999-12-31T23:00:00-12:00"}]
    doc["contacts"] += [
        {"name": "Ancient Link", "connected_on": "0001-01-01", "snoozed_until": "9999-12-31", "birthday": "0001-02-03",
         "created_at": "0001-01-01T00:00:00Z"},
    ]
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = run(capsys, "import", "json", str(path))
    assert code == 0, err
    lines = err.splitlines()
    ranged = [line for line in lines if "out of range" in line]
    # Named by path, and the whole record left out: a netmaint export is the app's own format,
    # and what the forms refuse it does not bring in either.
    for where in ("touches[1].at: 0001-01-01", "touches[2].at: 0001-01-01", "touches[3].created_at: 9999-12-31",
                  "follow_ups[1].due: 9999-12-31", "follow_ups[2].closed_at: 9999-12-31",
                  "contacts[3].birthday: 0001-02-03"):
        assert any(line.startswith(f"{where} is out of range") and line.endswith("skipped") for line in ranged), where
    again = json.loads(ok(capsys, "export", "json"))
    assert len(again["touches"]) == 1 and len(again["follow_ups"]) == 1
    assert "Ancient Link" not in [c["name"] for c in again["contacts"]]


def test_address_books_and_linkedin_bring_in_no_year_out_of_range(env, capsys, tmp_path):
    linkedin = tmp_path / "Connections.csv"
    linkedin.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                        "Old,Friend,,,Acme,CTO,01 Jan 1850\nNew,Friend,,,Acme,CTO,09 Oct 2024\n")
    vcard = tmp_path / "old.vcf"
    vcard.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Great Grandma\nBDAY:1850-05-06\nEND:VCARD\n"
                     "BEGIN:VCARD\nVERSION:3.0\nFN:Young One\nBDAY:2001-05-06\nEND:VCARD\n")
    code, out, err = run(capsys, "import", "linkedin", str(linkedin))
    assert code == 0 and "1850-01-01 is out of range" in err and "imported without it" in err
    code, out, err = run(capsys, "import", "vcard", str(vcard))
    assert code == 0 and "birthday '1850-05-06'" in err  # left out, with its line
    people = {c["name"]: c for c in json.loads(ok(capsys, "export", "json"))["contacts"]}
    assert people["Old Friend"]["connected_on"] is None and people["New Friend"]["connected_on"] == "2024-10-09"
    assert people["Great Grandma"]["birthday"] is None and people["Young One"]["birthday"] == "2001-05-06"


def test_a_backup_or_a_companion_file_given_as_the_database_is_refused_untouched(env, capsys, tmp_path):
    import hashlib
    from pathlib import Path

    ok(capsys, "add", "Dana Lee")
    ok(capsys, "backup")
    ok(capsys, "log", "Dana")  # leaves a -wal beside the database
    db = Path(os.environ["NETMAINT_DB"])
    backup = next((db.parent / "backups").glob("*manual*.db"))
    daily = next((db.parent / "backups").glob("*-daily.db"))
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (backup, daily)}
    for target, words in ((backup, "one of netmaint's backups"), (daily, "one of netmaint's backups"),
                          (Path(f"{db}-wal"), "write-ahead log"), (Path(f"{db}-shm"), "shared-memory file")):
        for command in (("add", "Ghost"), ("due",)):
            err = fails(capsys, "--db", str(target), *command)
            assert words in err, err
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (backup, daily)} == before
    assert not (db.parent / "backups" / "backups").exists()


@pytest.mark.parametrize("zone, args", [
    ("Etc/GMT+12", ("follow-up", "Kiri", "late", "--due", "2200-12-31 23:00")),
    ("Asia/Tokyo", ("log", "Kiri", "--at", "1900-01-01 00:30")),
])
def test_a_time_typed_at_the_edge_of_the_years_kept_comes_back_from_an_export(env, capsys, tmp_path, monkeypatch,
                                                                                zone, args):
    monkeypatch.setenv("TZ", zone)
    ok(capsys, "add", "Kiri")
    ok(capsys, *args)
    first = ok(capsys, "export", "json")
    (tmp_path / "e.json").write_text(first, encoding="utf-8")
    monkeypatch.setenv("NETMAINT_DB", str(tmp_path / "other.db"))
    code, out, err = run(capsys, "import", "json", str(tmp_path / "e.json"))
    assert code == 0 and "skipped" not in err, err
    assert ok(capsys, "export", "json") == first


def test_goals_and_pauses_from_an_old_export_come_back_even_when_the_habit_no_longer_counts_them(
        env, capsys, tmp_path, monkeypatch):
    ok(capsys, "goal", "set", "--touches", "2", "--from", "1996-12-09")
    ok(capsys, "pause", "1996-12-09", "1996-12-20")
    first = ok(capsys, "export", "json")
    (tmp_path / "e.json").write_text(first, encoding="utf-8")
    monkeypatch.setenv("NETMAINT_NOW", "2027-06-01T00:00:00Z")  # a year on: 1996 is out of the habit's span
    monkeypatch.setenv("NETMAINT_DB", str(tmp_path / "other.db"))
    code, out, err = run(capsys, "import", "json", str(tmp_path / "e.json"))
    assert code == 0 and "skipped" not in err, err
    assert ok(capsys, "export", "json") == first


def test_a_value_written_by_hand_into_a_date_column_is_one_line_not_a_crash(env, capsys):
    ok(capsys, "add", "Dana")
    ok(capsys, "log", "Dana")
    ok(capsys, "follow-up", "Dana", "x")
    ok(capsys, "pause", "2025-03-01", "2025-03-05")
    with sqlite3.connect(os.environ["NETMAINT_DB"]) as conn:
        conn.execute("UPDATE touch SET at = 'garbage'")
        conn.execute("UPDATE follow_up SET due = 'garbage'")
        conn.execute("UPDATE pause SET start = 'x'")
    for command in (("week",), ("export", "json"), ("export", "csv"), ("export", "ics"), ("follow-up", "list")):
        err = fails(capsys, *command, code=1)
        assert "the database holds" in err and "unexpected" not in err, command


def test_a_reading_command_on_a_database_that_is_not_there_creates_nothing(env, capsys, tmp_path):
    missing = tmp_path / "nowhere" / "typo.db"
    for command in (("due",), ("week",), ("follow-up", "list"), ("pause", "list"), ("goal", "list")):
        ok(capsys, "--db", str(missing), *command)
    assert not (tmp_path / "nowhere").exists()
    assert "--db needs a file name" in fails(capsys, "--db", "", "add", "X")
    assert ok(capsys, "goal", "list") == "no weekly goal yet; set one with: netmaint goal set --touches 5\n"
    assert ok(capsys, "goal", "set", "--touches", "1") .startswith("weekly goal: 1 touch, from ")
    (tmp_path / "text.db").write_text("hello\n")
    assert "is not a database file" in fails(capsys, "--db", str(tmp_path / "text.db"), "due", code=1)
    assert (tmp_path / "text.db").read_text() == "hello\n"


def test_due_says_follow_up_where_the_app_does(net, capsys):
    """A contact lifted by a follow-up reads "follow-up" in the Due column, as in the app's list."""
    ok(capsys, "follow-up", "Dana", "send", "the", "deck", "--due", "2025-03-01 09:00")
    dana = next(line for line in ok(capsys, "due").splitlines() if "Dana Haddad" in line)
    assert "   follow-up  follow-up overdue: send the deck" in dana and "overdue  follow-up" not in dana
