"""The import screen: path and format, a dry-run preview that writes nothing, the import with its
progress in a worker, a second import that changes nothing, and files it cannot use."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, ProgressBar, Select

from netmaint_tui.ui.screens.import_file import ImportScreen, PathSuggester, guess_format
from netmaint_tui.ui.widgets.contact_list import ContactList
from tests.ui.conftest import NOW, burst, drive, new_app, opened, screen_text, settle

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
PREAMBLE = (
    'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are missing."\n'
    "\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "t.db"
    with opened(path, NOW):
        pass
    return path


@pytest.fixture
def connections(tmp_path) -> Path:
    """40 people, one with a hostile name, one row without a name."""
    rows = [f"Person{i},Tester,https://www.linkedin.com/in/person{i},p{i}@example.com,Acme,Engineer,05 Jan 2024"
            for i in range(40)]
    rows.insert(0, '"[bold]Eve[/]","\x1b]0;pwned\x07",https://www.linkedin.com/in/eve,,Evil,,01 Jan 2024')
    path = tmp_path / "Connections.csv"
    path.write_text(PREAMBLE + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def contact_count() -> int:
    from netmaint_tui.store.models import Contact

    return Contact.select().count()


async def open_import(app, pilot, path) -> ImportScreen:
    await settle(app, pilot)
    await pilot.press("i")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ImportScreen)
    await burst(app, pilot, *str(path))
    return screen


def test_the_format_is_guessed_from_the_name():
    assert guess_format("~/Downloads/Connections.csv") == "linkedin"
    assert guess_format("contacts.csv") == "google"
    assert guess_format("phone.VCF") == "vcard"
    assert guess_format("netmaint-export.json") == "json"
    assert guess_format("notes.txt") is None


def test_preview_writes_nothing_then_import_adds_everyone_and_again_changes_nothing(db, connections):
    async def go(app, pilot):
        screen = await open_import(app, pilot, connections)
        assert screen.query_one("#imp-format", Select).value == "linkedin"
        await pilot.press("enter")  # Enter in the path field previews
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = screen_text(app)
        assert "Dry run, nothing written: Connections.csv" in shown
        assert "added 41" in shown
        assert "line 5     would add    [bold]Eve[/] ␛]0;pwned␇" in shown  # a name shown as typed, inert
        assert "… and 29 more" in shown
        assert "\x1b" not in shown
        assert contact_count() == 0

        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = screen_text(app)
        assert "Imported Connections.csv" in shown and "added 41" in shown
        bar = screen.query_one("#imp-bar", ProgressBar)
        assert bar.percentage == 1.0
        assert contact_count() == 41

        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "added 0  ·  updated 0  ·  unchanged 41" in screen_text(app)
        assert "backup first: " in screen_text(app)  # the second import had data worth a copy

        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is app.main
        assert len(app.main.query_one(ContactList).ids) == 41

    drive(new_app(db, NOW), go)


@pytest.fixture
def downloads(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "home"
    (folder / "Downloads").mkdir(parents=True)
    for name in ("Connections.csv", "contacts.vcf", ".secret"):
        (folder / name).write_text("x", encoding="utf-8")
    monkeypatch.setenv("HOME", str(folder))
    return folder


def test_the_path_is_completed_from_the_folder_it_names(downloads):
    import asyncio

    suggest = PathSuggester().get_suggestion
    at = f"{downloads}/"
    cases = {
        at + "Con": at + "Connections.csv",
        at + "Down": at + "Downloads/",  # a folder comes with its slash
        at + "c": at + "contacts.vcf",  # case counts: "Connections" does not start with "c"
        at: at + "Connections.csv",  # the first by name, never a hidden one unasked
        at + ".": at + ".secret",
        "~/con": "~/contacts.vcf",  # the user's own spelling of home is kept
        at + "Connections.csv": None,  # nothing left to add
        at + "zzz": None,
        at + "nowhere/x": None,
        "": None,
    }
    assert {value: asyncio.run(suggest(value)) for value in cases} == cases


def test_right_arrow_takes_the_suggested_path(db, downloads):
    async def go(app, pilot):
        screen = await open_import(app, pilot, f"{downloads}/Conn")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("right")
        await pilot.pause()
        assert screen.query_one("#imp-path", Input).value == f"{downloads}/Connections.csv"
        assert screen.query_one("#imp-format", Select).value == "linkedin"

    drive(new_app(db, NOW), go)


def test_a_real_vcard_sample_is_guessed_and_imported(db):
    sample = SAMPLES / "apple_ios5_iphone_v30.vcf"

    async def go(app, pilot):
        screen = await open_import(app, pilot, sample)
        assert screen.query_one("#imp-format", Select).value == "vcard"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "added 1" in screen_text(app)

    drive(new_app(db, NOW), go)
    with opened(db, NOW):
        assert contact_count() == 1


def test_files_it_cannot_use_say_why_and_import_nothing(db, tmp_path, connections):
    async def go(app, pilot):
        screen = await open_import(app, pilot, tmp_path / "missing.csv")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "cannot read" in screen_text(app) and "missing.csv" in screen_text(app)

        field = screen.query_one("#imp-path", Input)
        field.value = str(tmp_path)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "it is a folder" in screen_text(app)

        field.value = str(connections)
        await pilot.pause()
        assert screen.query_one("#imp-format", Select).value == "linkedin"
        screen.query_one("#imp-format", Select).value = "vcard"  # the wrong format, chosen by hand
        await pilot.pause()
        field.value = str(connections) + " "
        await pilot.pause()
        assert screen.query_one("#imp-format", Select).value == "vcard"  # a choice is not guessed over
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "nothing was imported" in screen_text(app)
        assert "looks like a LinkedIn export: choose “LinkedIn CSV”" in screen_text(app)
        assert contact_count() == 0

    drive(new_app(db, NOW), go)
