"""Capture in the app: `i` takes a calendar or a mailbox, previews the touches before anything is
written, then captures them once; a folder is taken for what it holds; the detail pane says where
each captured touch came from and when a contact last wrote; the people worth adding are added
with one key, and taken back with ctrl+z."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import Select

from netmaint_tui.config import Settings
from netmaint_tui.ui.screens.import_file import ImportScreen
from netmaint_tui.ui.screens.people import PeopleScreen
from tests.capture_files import ME, ics, mbox, message, vevent, write
from tests.ui.conftest import NOW, drive, new_app, notifications, opened, screen_text, settle
from tests.ui.test_import_screen import open_import

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
SERIES = SAMPLES / "calendars" / "icaljs_recur_instances.ics"  # 150 meetings of jlal@mozilla.com's by NOW
MONDAY = dt.datetime(2025, 3, 10, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def touch_count() -> int:
    from netmaint_tui.store.models import Touch

    return Touch.select().count()


def contact_names() -> list[str]:
    from netmaint_tui.store.models import Contact

    return sorted(c.name for c in Contact.select())


@pytest.fixture
def db(tmp_path) -> Path:
    from netmaint_tui.services.contacts import add_contact

    path = tmp_path / "t.db"
    with opened(path, NOW) as ctx:
        add_contact(ctx, "Sahaja Lal", emails=["calmozilla1@gmail.com"])
        add_contact(ctx, "Dana Haddad", emails=["dana@example.com"])
    return path


async def preview(app, pilot, path) -> ImportScreen:
    screen = await open_import(app, pilot, path)
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


def test_a_calendar_is_previewed_touch_by_touch_then_captured_once(db):
    async def go(app, pilot):
        screen = await preview(app, pilot, SERIES)
        assert screen.query_one("#imp-format", Select).value == "calendar"
        shown = screen_text(app)
        assert "Dry run, nothing written: icaljs_recur_instances.ics" in shown
        assert "touches 150  ·  with contacts 1" in shown
        assert "left out: 1 not over yet  ·  2 nobody but you" in shown
        assert "Tue 2012-11-06 19:00  meeting 30 min  Sahaja Lal  Crazy Event Thingy! (PLACE)" in shown
        assert touch_count() == 0

        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = screen_text(app)
        assert "Captured icaljs_recur_instances.ics" in shown and "Touches logged" in shown
        assert "backup first: " in shown and "2 people worth adding" in shown
        assert touch_count() == 150
        assert "Captured icaljs_recur_instances.ics: 150 touches" in notifications(app)

        await pilot.press("ctrl+s")  # again: nothing twice
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "touches 0" in screen_text(app) and "150 captured before" in screen_text(app)
        assert touch_count() == 150

    drive(new_app(db, NOW, settings=Settings(me_emails=("jlal@mozilla.com",))), go)


def test_without_my_addresses_the_preview_says_how_to_set_them(db, tmp_path):
    async def go(app, pilot):
        await preview(app, pilot, SERIES)
        shown = " ".join(screen_text(app).split())
        assert "netmaint does not know your own email addresses" in shown
        assert "me: {emails: [you@example.com, you@work.example]}" in shown
        assert touch_count() == 0

    drive(new_app(db, NOW), go)


def test_a_folder_of_calendars_is_taken_for_one_whatever_format_was_chosen(db, tmp_path):
    vdir = tmp_path / "vdir" / "personal"
    write(vdir / "a.ics", ics(vevent("a", MONDAY, summary="Lunch", attendees=("dana@example.com",))))

    async def go(app, pilot):
        screen = await preview(app, pilot, vdir)
        assert screen.query_one("#imp-format", Select).value == "calendar"
        assert "Mon 2025-03-10 09:00  meeting 60 min  Dana Haddad  Lunch" in screen_text(app)

    drive(new_app(db, NOW, settings=Settings(me_emails=(ME,))), go)


def test_the_detail_says_where_each_captured_touch_came_from_and_when_they_last_wrote(db, tmp_path):
    from netmaint_tui.services.capture import capture_mail
    from netmaint_tui.services.touches import log_touch

    box = write(tmp_path / "box.mbox", mbox(
        message("dana@example.com", ME, "Lunch?", MONDAY, msgid="1@x"),
        message(ME, "dana@example.com", "Re: Lunch?", MONDAY + dt.timedelta(hours=1), msgid="2@x", references="<1@x>")))
    with opened(db, NOW) as ctx:
        capture_mail(ctx, [box], [ME])
        log_touch(ctx, [2], at=MONDAY - dt.timedelta(days=1), channel="call", note="typed by hand")

    async def go(app, pilot):
        await settle(app, pilot)
        app.main.goto_contact(2)
        await settle(app, pilot)
        shown = screen_text(app)
        assert "Heard     2d ago (their last mail to you)" in shown
        assert "  Re: Lunch?  · from mail" in shown
        assert "  typed by hand" in shown and "typed by hand  · from" not in shown

    drive(new_app(db, NOW), go)


def test_people_worth_adding_are_added_with_one_key_and_taken_back(db, tmp_path):
    from netmaint_tui.services.capture import capture_calendar

    path = write(tmp_path / "cal.ics", ics(*(vevent(f"m{i}", MONDAY - dt.timedelta(days=i),
                                                    attendees=("dana@example.com", "lee.kim@example.net"))
                                             for i in range(3))))
    with opened(db, NOW) as ctx:
        capture_calendar(ctx, [path], [ME])

    async def go(app, pilot):
        await settle(app, pilot)
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, PeopleScreen)
        shown = screen_text(app)
        assert "Lee Kim" in shown and "lee.kim@example.net" in shown and "2025-03-10" in shown
        await pilot.press("a")
        await pilot.pause()
        assert contact_names() == ["Dana Haddad", "Lee Kim", "Sahaja Lal"]
        assert "Nobody yet." in screen_text(app)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert contact_names() == ["Dana Haddad", "Sahaja Lal"] and "lee.kim@example.net" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("ctrl+o")  # from the import screen too
        await pilot.pause()
        assert isinstance(app.screen, PeopleScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert contact_names() == ["Dana Haddad", "Lee Kim", "Sahaja Lal"]

    drive(new_app(db, NOW, settings=Settings(me_emails=(ME,))), go)
