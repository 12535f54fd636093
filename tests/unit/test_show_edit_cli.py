"""`netmaint show NAME` and `netmaint edit NAME`: one contact whole, and its fields changed from
the command line, only those given."""

from __future__ import annotations

import io
import json

from tests.unit.test_cli import fails, ok


def _dana(capsys):
    ok(capsys, "add", "Dana Okafor", "--company", "Acme", "--tag", "ml", "--birthday", "1985-07-09",
       "--date", "met=2015-06-12", "--notes", "likes tea\n[bold]cake[/] \x1b[31m")
    ok(capsys, "log", "Dana", "--channel", "call", "--kind", "give", "--minutes", "30", "--note", "coffee",
       "--at", "2025-03-10 09:00")
    ok(capsys, "follow-up", "Dana", "send the deck", "--due", "2025-03-13 10:00")


def test_show_gives_the_contact_whole_in_text_and_json(env, capsys):
    _dana(capsys)
    text = ok(capsys, "show", "dana")
    assert text.startswith("Dana Okafor (#1) · tier B · every 90 days (tier default)\n")
    assert "  birthday         9 Jul 1985 · turns 40 in 119 days\n" in text
    assert "  met              12 Jun 2015 · 10 years in 92 days\n" in text
    assert "goodwill         +1 (gave 1, asked 0)\n  leads            1 follow-up suggested, 0 done\n" in text
    assert "  [bold]cake[/] ␛[31m\n" in text and "\x1b" not in text  # user text is data
    assert "due 2025-03-13 10:00  send the deck" in text and "call  give  30 min  — coffee" in text
    data = json.loads(ok(capsys, "show", "#1", "--json"))
    assert (data["name"], data["tags"], data["dates"]) == ("Dana Okafor", ["ml"], [{"label": "met", "date": "2015-06-12"}])
    assert data["goodwill"] == {"gives": 1, "asks": 0, "balance": 1}
    assert [f["what"] for f in data["follow_ups"]] == ["send the deck"]
    assert [(t["channel"], t["note"]) for t in data["touches"]] == [("call", "coffee")]
    assert "no contact named" in fails(capsys, "show", "Nobody")


def test_edit_changes_only_what_is_given(env, capsys, monkeypatch):
    _dana(capsys)
    assert ok(capsys, "edit", "Dana", "--company", "Beta", "--tier", "A", "--add-tag", "vip", "--remove-tag", "ML") \
        == "edited Dana Okafor (#1): company, tier, tags\n"
    data = json.loads(ok(capsys, "show", "Dana", "--json"))
    assert (data["company"], data["tier"], data["tags"], data["birthday"]) == ("Beta", "A", ["vip"], "1985-07-09")
    assert ok(capsys, "edit", "Dana", "--company", "Beta") == "Dana Okafor (#1) changed nothing (it already was so)\n"
    ok(capsys, "edit", "Dana", "--email", "d@x.example", "--email", "dana@y.example", "--birthday", "")
    data = json.loads(ok(capsys, "show", "Dana", "--json"))
    assert (data["emails"], data["birthday"]) == (["d@x.example", "dana@y.example"], None)
    monkeypatch.setattr("sys.stdin", io.StringIO("from stdin\n"))
    ok(capsys, "edit", "Dana", "--notes", "-", "--name", "Dana O. Okafor")
    data = json.loads(ok(capsys, "show", "Dana O", "--json"))
    assert (data["name"], data["notes"]) == ("Dana O. Okafor", "from stdin")
    assert "give what to change" in fails(capsys, "edit", "Dana")
    assert "not A, B or C" in fails(capsys, "edit", "Dana", "--tier", "Q")
    assert json.loads(ok(capsys, "show", "Dana", "--json"))["tier"] == "A"  # a refused edit writes nothing


def test_a_channel_or_kind_is_taken_in_any_case(env, capsys):
    ok(capsys, "add", "Dana Okafor")
    assert ok(capsys, "log", "Dana", "--channel", "Call", "--kind", "GIVE") == \
        "logged give call with Dana Okafor (touch #1)\n"
    assert "channel 'fax' is not one of" in fails(capsys, "log", "Dana", "--channel", "Fax")
    assert "channel" in ok(capsys, "touch", "edit", "1", "--channel", "Email")


def test_a_name_that_reads_as_a_number_is_refused(env, capsys):
    assert "'#5' reads as a contact's number; give a name" in fails(capsys, "add", "#5")
    ok(capsys, "add", "Dana Okafor")
    assert "reads as a contact's number" in fails(capsys, "edit", "Dana", "--name", "# 12")
    assert "Dana Okafor" in ok(capsys, "show", "#1")


def test_a_follow_up_due_in_the_past_is_said_on_the_command_line_as_in_the_app(env, capsys):
    ok(capsys, "add", "Dana Okafor")
    assert ok(capsys, "follow-up", "Dana", "x", "--due", "yesterday").endswith(
        "(already past: it is listed as overdue)\n")
    assert "already past" not in ok(capsys, "follow-up", "Dana", "y", "--due", "tomorrow")
    listed = ok(capsys, "follow-up", "list").splitlines()
    assert listed[0].startswith("#1    Tue 2025-03-11 09:00  1d overdue  x") and "  in 23h  y" in listed[1]


def test_show_gives_what_a_sync_kept_in_the_history(env, capsys):
    import datetime as dt

    from netmaint_tui.services.history import add_notes
    from netmaint_tui.store.db import close_database, open_database

    ok(capsys, "add", "Dana Okafor")
    open_database(env.db)
    add_notes(dt.datetime(2025, 3, 11, 9), [(1, None, "the card said role: CFO (kept: CEO)")])
    close_database()
    assert "  2025-03-11 10:00  the card said role: CFO (kept: CEO)\n" in ok(capsys, "show", "Dana")
    assert json.loads(ok(capsys, "show", "Dana", "--json"))["history_notes"][0]["text"] == \
        "the card said role: CFO (kept: CEO)"
