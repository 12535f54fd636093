"""The format registry (io.formats): one entry per format, read by the command line, the import
pipeline and the export rendering."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from netmaint_tui.cli import build_parser
from netmaint_tui.io.formats import (
    CALENDAR,
    CAPTURE,
    CAPTURES,
    CONTACTS,
    DOCUMENT,
    EXPORTS,
    FORMATS,
    IMPORTS,
    file_format,
    guess_format,
    identify,
    locate_capture,
)


SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"


def _choices(command: str, dest: str = "format") -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    action = next(a for a in sub.choices[command]._actions if a.dest == dest)
    return list(action.choices)


@pytest.mark.parametrize("entry", FORMATS, ids=lambda f: f.name)
def test_every_entry_names_functions_that_exist(entry):
    from netmaint_tui.io.formats import _load

    assert entry.kind in (CONTACTS, DOCUMENT, CALENDAR, CAPTURE)
    assert entry.label and (entry.reader or entry.writer or entry.locator)
    assert (entry.kind == CAPTURE) == bool(entry.locator)
    for reference in (entry.recognizer, entry.reader, entry.writer, entry.locator):
        if reference:
            assert callable(_load(reference)), reference
    if entry.reader or entry.locator:  # everything the import screen and the wrong-format line need
        assert entry.picker and entry.recognizer and entry.extensions


def test_the_command_line_offers_what_the_registry_reads_and_writes():
    assert _choices("import") == [f.name for f in IMPORTS] == ["linkedin", "vcard", "google", "json"]
    assert _choices("export") == [f.name for f in EXPORTS] == ["json", "yaml", "csv", "ics"]
    assert _choices("capture", "what") == [*(f.name for f in CAPTURES), "people"] == ["calendar", "mail", "people"]


def test_calendars_and_mailboxes_are_known_by_their_bytes_and_by_what_a_path_holds(tmp_path):
    ics = SAMPLES / "calendars" / "khal_event_dt_partstat.ics"
    mbox = SAMPLES / "mail" / "perceval_mbox_complex.mbox"
    assert identify(ics.read_bytes()) == "calendar" and identify(mbox.read_bytes()) == "mail"
    assert file_format("calendar").command == "capture" and file_format("vcard").command == "import"
    maildir = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    assert [locate_capture(p) for p in (ics, SAMPLES / "calendars", mbox, maildir, tmp_path / "Maildir" / "cur")] == [
        "calendar", "calendar", "mail", "mail", None]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("~/Downloads/Connections.csv", "linkedin"),
        ("my-connections-2024.CSV", "linkedin"),
        ("contacts.csv", "google"),
        ("phone.VCF", "vcard"),
        ("all.vcard", "vcard"),
        ("netmaint-export.json", "json"),
        ("  network.yml ", "json"),
        ("basic.ics", "calendar"),
        ("takeout-20250312T100000Z-001.zip", "calendar"),
        ("All mail Including Spam and Trash.mbox", "mail"),
        ("notes.txt", None),
        ("", None),
    ],
)
def test_a_format_is_guessed_from_the_file_name(path, expected):
    assert guess_format(path) == expected


def test_what_each_format_may_overwrite_on_import():
    assert file_format("linkedin").trusts("connected_on") and not file_format("vcard").trusts("connected_on")
    assert file_format("google").trusts("role") and not file_format("google").trusts("notes")
    assert file_format("json").trusts("notes")


def test_the_registry_loads_no_reader_or_writer_until_one_is_used():
    probe = ("import json, sys; import netmaint_tui.io.formats; "
             "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('netmaint_tui', 'icalendar', 'yaml')))))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout)
    assert loaded == ["netmaint_tui", "netmaint_tui.io", "netmaint_tui.io.formats"]
