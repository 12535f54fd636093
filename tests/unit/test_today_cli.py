"""`netmaint today`: the morning's text and JSON, `add --date`, and the reminders outside the
app, sent through a stand-in `notify-send` put first on PATH (each call written down) and, where
the machine has D-Bus, through the real `notify-send` to a stand-in notification service on a
private session bus (tests/fake_notifications.py)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.test_cli import due_json, fails, ok, run


@pytest.fixture(autouse=True)
def _commits_without_waiting_for_the_disk(monkeypatch):
    from netmaint_tui.store import db

    monkeypatch.setitem(db.PRAGMAS, "synchronous", 1)


@pytest.fixture
def morning(env, capsys, monkeypatch):
    """Wednesday 12 March 2025, 10:00 in Berlin: two follow-ups for today (one overdue), a
    birthday today, a work anniversary in three days, and a weekly goal of three touches."""
    ok(capsys, "add", "Dana Haddad", "--birthday", "1985-03-12", "--tier", "A")
    ok(capsys, "add", "Omar Fischer", "--date", "work anniversary=2019-03-15", "--date", "met=--09-01")
    ok(capsys, "add", "Lee Wong", "--tier", "C")
    ok(capsys, "follow-up", "Omar", "send the deck", "--due", "today 15:00")
    ok(capsys, "follow-up", "Dana", "intro to Lee", "--due", "yesterday 9am")
    ok(capsys, "follow-up", "Lee", "next month", "--due", "in 30d")
    ok(capsys, "goal", "set", "--touches", "3")
    ok(capsys, "log", "Lee", "--at", "today 9am")
    return env


# --- the text and the JSON ------------------------------------------------------------------------


def test_today_on_the_terminal(morning, capsys):
    text = ok(capsys, "today")
    assert "\x1b[" not in text  # not a terminal: plain text
    assert text.splitlines() == [
        "Today, Wednesday 12 March 2025",
        "",
        "Follow-ups (2)",
        "  overdue  Tue 11 Mar 09:00  intro to Lee (from Dana Haddad)  #2",
        "  today    15:00             send the deck (from Omar Fischer)  #1",
        "",
        "Birthdays and anniversaries, next 7 days (2)",
        "  today       Dana Haddad   birthday · turns 40",
        "  Sat 15 Mar  Omar Fischer  work anniversary · 6 years",
        "",
        "Reach out: 2 more for this week's goal",
        "   1. Dana Haddad   follow-up overdue: intro to Lee · birthday today · 1.0× overdue · A · never touched",
        "   2. Omar Fischer  follow-up due today 15:00: send the deck · work anniversary in 3 days · 1.0× overdue"
        " · B · never touched",
        "",
        "This week: 1/3 touches · in progress · streak 0 weeks (best 0)",
    ]


def test_today_in_colour_on_a_terminal_and_not_with_no_color(morning, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert "\x1b[1mToday, Wednesday 12 March 2025\x1b[0m" in ok(capsys, "today")
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in ok(capsys, "today")


def test_today_as_json(morning, capsys):
    doc = json.loads(ok(capsys, "today", "--json", "--days", "200"))
    assert list(doc) == ["date", "follow_ups", "dates", "due", "week"]
    assert doc["date"] == "2025-03-12"
    assert [(f["id"], f["what"], f["overdue"]) for f in doc["follow_ups"]] == [
        (2, "intro to Lee", True), (1, "send the deck", False)]
    assert doc["follow_ups"][0] == json.loads(ok(capsys, "follow-up", "list", "--json"))[0]
    assert doc["dates"] == [
        {"id": 1, "name": "Dana Haddad", "what": "birthday", "date": "2025-03-12", "in_days": 0, "turns": 40},
        {"id": 2, "name": "Omar Fischer", "what": "work anniversary", "date": "2025-03-15", "in_days": 3, "turns": 6},
        {"id": 2, "name": "Omar Fischer", "what": "met", "date": "2025-09-01", "in_days": 173, "turns": None},
    ]
    # The top of the list as `due --json` gives it, as many as the goal still needs; the week as `week --json`.
    assert doc["due"] == due_json(capsys, "--limit", "2")
    assert doc["week"] == json.loads(ok(capsys, "week", "--json"))


def test_the_top_of_the_list_is_five_when_the_goal_asks_for_none(morning, capsys):
    ok(capsys, "log", "Dana", "--at", "today 9:30am")
    ok(capsys, "log", "Omar", "--at", "today 9:40am")
    for i in range(6):
        ok(capsys, "add", f"Extra {i}")
    doc = json.loads(ok(capsys, "today", "--json"))
    assert doc["week"]["status"] == "met" and len(doc["due"]) == 5
    assert "Top of the list (5)" in ok(capsys, "today")


def test_today_with_nothing_says_so_and_exits_0(env, capsys):
    text = ok(capsys, "today")
    assert "Follow-ups: none due today" in text and "Birthdays and anniversaries: none, next 7 days" in text
    assert "Reach out: nobody yet; add someone with: netmaint add NAME" in text
    assert not env.db.exists()  # only read: no database made
    doc = json.loads(ok(capsys, "today", "--json"))
    assert (doc["follow_ups"], doc["dates"], doc["due"]) == ([], [], [])


def test_days_ahead(morning, capsys):
    assert [d["what"] for d in json.loads(ok(capsys, "today", "--json", "--days", "0"))["dates"]] == ["birthday"]
    assert len(json.loads(ok(capsys, "today", "--json", "--days", "366"))["dates"]) == 3  # each date once
    assert "give 0 to 366" in fails(capsys, "today", "--days", "367")
    assert "give 0 to 366" in fails(capsys, "today", "--days", "-1")  # one range, whichever side
    assert "--json" in fails(capsys, "today", "--json", "--notify")


def test_add_takes_dates_with_labels(env, capsys):
    ok(capsys, "add", "Dana", "--date", "work anniversary=2019-04-01", "--date", "--06-12")
    conn = sqlite3.connect(env.db)
    assert conn.execute("SELECT label, date FROM contact_date ORDER BY id").fetchall() == [
        ("work anniversary", "2019-04-01"), ("anniversary", "--06-12")]
    conn.close()
    assert "'2019-02-30' is not a real date" in fails(capsys, "add", "Omar", "--date", "met=2019-02-30")
    assert "own field" in fails(capsys, "add", "Omar", "--date", "birthday=2019-02-03")


def test_the_json_export_carries_the_dates_and_reads_them_back(morning, capsys, tmp_path):
    doc = json.loads(ok(capsys, "export", "json"))
    omar = next(c for c in doc["contacts"] if c["name"] == "Omar Fischer")
    assert omar["dates"] == [{"label": "work anniversary", "date": "2019-03-15"}, {"label": "met", "date": "--09-01"}]
    assert next(c for c in doc["contacts"] if c["name"] == "Lee Wong")["dates"] == []
    path = tmp_path / "export.json"
    path.write_text(json.dumps(doc))
    assert "0 added, 0 updated, 3 unchanged" in ok(capsys, "import", "json", str(path))


# --- reminders outside the app ---------------------------------------------------------------------

FAKE_CLIENT = """#!/bin/sh
# A stand-in notify-send: writes down how it was called, one JSON array a line.
"{python}" -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@" >> "{log}"
exit {status}
"""


@pytest.fixture
def notifier(tmp_path, monkeypatch):
    """A folder first on PATH with a stand-in notify-send; .calls() gives what it was sent."""
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "notifications.log"

    class Client:
        def install(self, status: int = 0, stderr: str = "") -> None:
            script = FAKE_CLIENT.format(python=sys.executable, log=log, status=status)
            if stderr:
                script = script.replace("exit", f"echo '{stderr}' >&2\nexit")
            (folder / "notify-send").write_text(script)
            (folder / "notify-send").chmod(0o755)

        def calls(self) -> list[list[str]]:
            return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    client = Client()
    client.install()
    return client


def test_the_digest_as_a_notification(morning, capsys, notifier, monkeypatch):
    ok(capsys, "add", "<b>Eve</b> & Co", "--birthday", "--03-13")
    assert ok(capsys, "today", "--notify") == ""  # a timer's run prints nothing
    ((*options, summary, body),) = notifier.calls()
    assert options == ["--app-name=netmaint", "--urgency=normal", "--"]
    assert summary == "netmaint today: 2 follow-ups, 3 dates"
    assert body.splitlines() == [
        "Overdue: intro to Lee",
        "15:00 send the deck",
        "Dana Haddad: birthday today (turns 40)",
        "&lt;b&gt;Eve&lt;/b&gt; &amp; Co: birthday tomorrow",  # the service may read markup: names are text
        "Omar Fischer: work anniversary in 3 days (6 years)",
        "Reach out: Dana Haddad, Omar Fischer",
        "This week: 1/3 touches",
    ]
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert ok(capsys, "today", "--notify") == "sent: netmaint today: 2 follow-ups, 3 dates\n"


def test_no_notification_service_is_one_line_and_status_1(morning, capsys, notifier, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    said = fails(capsys, "today", "--notify", code=1)
    assert "notify-send is not installed" in said and "libnotify" in said
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    notifier.install(status=1, stderr="Cannot autolaunch D-Bus without X11 $DISPLAY")
    said = fails(capsys, "today", "--notify", code=1)
    assert said == ("netmaint: no desktop notification service answered (notify-send: Cannot autolaunch D-Bus "
                    "without X11 $DISPLAY); is a desktop session running? (from cron, see README: Reminders "
                    "outside the app)")


def test_the_session_bus_is_found_when_cron_names_none(monkeypatch, tmp_path):
    from netmaint_tui.notify import session_environment

    (tmp_path / "bus").touch()
    env = session_environment({"PATH": "/bin", "XDG_RUNTIME_DIR": str(tmp_path)})
    assert env["DBUS_SESSION_BUS_ADDRESS"] == f"unix:path={tmp_path / 'bus'}"
    given = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/elsewhere", "XDG_RUNTIME_DIR": str(tmp_path)}
    assert session_environment(given)["DBUS_SESSION_BUS_ADDRESS"] == "unix:path=/elsewhere"
    assert "DBUS_SESSION_BUS_ADDRESS" not in session_environment({"XDG_RUNTIME_DIR": str(tmp_path / "none")})


def test_each_follow_up_is_reminded_of_once_when_it_falls_due(morning, capsys, notifier, monkeypatch):
    def at(moment: str) -> list[list[str]]:
        before = len(notifier.calls())
        monkeypatch.setenv("NETMAINT_NOW", moment)
        assert ok(capsys, "today", "--notify", "due") == ""
        return [call[-2:] for call in notifier.calls()[before:]]

    # Yesterday's (due more than a day ago) is the digest's to show, not a reminder's.
    assert at("2025-03-12T14:50:00") == []
    assert at("2025-03-12T15:05:00") == [["Follow-up: send the deck",
                                          "due 15:00 · suggested by Omar Fischer\nnetmaint follow-up done 1"]]
    assert at("2025-03-12T15:20:00") == []  # once
    ok(capsys, "follow-up", "list")
    from netmaint_tui.clock import fixed_clock
    from netmaint_tui.config import Settings
    from netmaint_tui.services.common import Context
    from netmaint_tui.services.followups import reschedule
    from netmaint_tui.store.db import close_database, open_database

    open_database(morning.db)
    ctx = Context(fixed_clock("2025-03-12T15:30:00", "Europe/Berlin"), Settings())
    reschedule(ctx, 1, ctx.now().add(minutes=30))  # moved to 16:00: owed a reminder again then
    close_database()
    assert at("2025-03-12T15:45:00") == []
    assert [s for s, _ in at("2025-03-12T16:10:00")] == ["Follow-up: send the deck"]


def test_many_follow_ups_at_once_are_one_reminder_and_a_failed_one_is_sent_again(env, capsys, notifier, monkeypatch):
    ok(capsys, "add", "Dana")
    for i in range(5):
        ok(capsys, "follow-up", "Dana", f"task {i}", "--due", "today 11:00")
    monkeypatch.setenv("NETMAINT_NOW", "2025-03-12T11:05:00")
    notifier.install(status=1, stderr="GDBus.Error: no service")
    fails(capsys, "today", "--notify", "due", code=1)
    notifier.install()
    assert ok(capsys, "today", "--notify", "due") == ""
    sent = [call[-2:] for call in notifier.calls()]
    assert sent[-1][0] == "5 follow-ups due"
    assert sent[-1][1].splitlines() == ["11:00 task 0", "11:00 task 1", "11:00 task 2", "… and 2 more (netmaint today)"]
    ok(capsys, "today", "--notify", "due")
    assert len(notifier.calls()) == len(sent)  # all five are reminded of


DBUS = shutil.which("dbus-run-session") and shutil.which("notify-send")


@pytest.mark.skipif(not DBUS, reason="needs dbus-run-session and notify-send (Debian: dbus-daemon, libnotify-bin)")
def test_a_notification_reaches_a_notification_service_over_d_bus(morning, capsys, tmp_path):
    pytest.importorskip("jeepney")
    ok(capsys, "add", "Zoë <i>", "--birthday", "--03-14")
    out = tmp_path / "received.jsonl"
    fake = Path(__file__).parents[1] / "fake_notifications.py"
    netmaint = [sys.executable, "-m", "netmaint_tui"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "DISPLAY", "WAYLAND"))}
    env["PYTHONPATH"] = str(Path(__file__).parents[2])
    done = subprocess.run(["dbus-run-session", "--", sys.executable, str(fake), str(out), "--", *netmaint,
                           "today", "--notify"], env=env, capture_output=True, text=True, timeout=60)
    run_info = json.loads(Path(f"{out}.run.json").read_text())
    assert (done.returncode, run_info) == (0, {"returncode": 0, "stdout": "", "stderr": ""}), done.stderr
    (received,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert (received["app"], received["summary"]) == ("netmaint", "netmaint today: 2 follow-ups, 3 dates")
    assert "Zoë &lt;i&gt;: birthday in 2 days" in received["body"].splitlines()
    assert received["hints"]["urgency"] == 1  # normal


def test_the_readmes_timers_and_cron_lines_run_commands_that_exist():
    """The systemd units and crontab lines in the README name commands netmaint takes."""
    import re
    import shlex

    from netmaint_tui.cli import build_parser

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^ExecStart=\S*netmaint (.+)$", readme, re.M)
    commands += re.findall(r"^[*/0-9 ]+ \$HOME/\.local/bin/netmaint (.+)$", readme, re.M)
    assert sorted(commands) == ["today --notify", "today --notify", "today --notify due", "today --notify due"]
    for line in commands:
        args = build_parser().parse_args(shlex.split(line))
        assert args.command == "today" and args.notify in ("digest", "due")
    assert "OnCalendar=*-*-* 08:30\nPersistent=true\n" in readme and "OnCalendar=*:0/15\nPersistent=true\n" in readme


def test_a_large_network_still_fits_one_screen(env, capsys):
    for i in range(14):
        ok(capsys, "add", f"Person {i:02d}", "--tier", "A" if i == 13 else "C", "--birthday", "--03-12")
        ok(capsys, "follow-up", f"Person {i:02d}", f"task {i}", "--due", "today 8am")
    lines = ok(capsys, "today").splitlines()
    assert lines[2:4] == ["Follow-ups (14)", "  overdue  08:00             task 0 (from Person 00)  #1"]
    assert "  … and 4 more: netmaint follow-up list" in lines
    dates = lines.index("Birthdays and anniversaries, next 7 days (14)")
    assert lines[dates + 1] == "  today       Person 13  birthday"  # key contacts first on a day
    assert lines[dates + 11] == "  … and 4 more: netmaint today --json"
    assert len(lines) <= 40


def test_a_reminder_timer_on_a_database_that_is_not_there_creates_none(env, capsys, notifier):
    assert ok(capsys, "today", "--notify", "due") == ""
    assert not env.db.exists() and not env.db.parent.exists() and notifier.calls() == []
