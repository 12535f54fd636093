"""Pictures of the app on the fixed sample network, at 120×40 and 80×24: the main screen, the
detail with a long history, the weekly session, the quick note, the follow-ups, the forms and help.

Update after an intended change to the look: pytest tests/ui/test_snapshots.py --snapshot-update,
then look at the new SVGs under __snapshots__/ before committing them.
"""

from __future__ import annotations

import pytest

from .conftest import new_app, settle

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]


async def loaded(pilot) -> None:
    await settle(pilot.app, pilot)


def _snap(snap_compare, app, size, keys=()):
    from netmaint_tui.store.db import close_database

    async def before(pilot):
        await loaded(pilot)
        for key in keys:
            await pilot.press(key)
            await loaded(pilot)
        # A blinking cursor is drawn or not depending on when the picture is taken: a busy
        # machine takes it later. Steady, it is always drawn.
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget.cursor_blink = False
        await pilot.pause()

    try:
        return snap_compare(app, terminal_size=size, run_before=before)
    finally:
        close_database()


def test_help_screen(snap_compare, demo_db):
    assert _snap(snap_compare, new_app(demo_db), (120, 40), keys=["question_mark"])


def test_log_form(snap_compare, demo_db):
    assert _snap(snap_compare, new_app(demo_db), (120, 40), keys=["j", "l"])


@pytest.fixture
def still_stopwatch(monkeypatch):
    """The weekly session's stopwatch, stopped: its ⏱ reads 0:00 however long the picture takes."""
    from netmaint_tui.ui.screens import weekly_session

    monkeypatch.setattr(weekly_session, "monotonic", lambda: 1000.0)


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare, demo_db, size):
    assert _snap(snap_compare, new_app(demo_db), size)


@pytest.mark.parametrize("size", SIZES)
def test_detail_with_a_long_history(snap_compare, demo_db, size):
    assert _snap(snap_compare, new_app(demo_db), size, keys=["enter", "j", "j", "j"])


@pytest.mark.parametrize("size", SIZES)
def test_weekly_session(snap_compare, demo_db, still_stopwatch, size):
    assert _snap(snap_compare, new_app(demo_db), size, keys=["w"])


@pytest.mark.parametrize("size", SIZES)
def test_quick_note(snap_compare, demo_db, size):
    assert _snap(snap_compare, new_app(demo_db), size, keys=["n", "tab", "t", "o", "d", "o", "colon", "space", "c", "a", "l", "l"])


@pytest.mark.parametrize("size", SIZES)
def test_follow_ups(snap_compare, demo_db, size):
    assert _snap(snap_compare, new_app(demo_db), size, keys=["f"])


@pytest.mark.parametrize("size", SIZES)
def test_add_contact_form(snap_compare, demo_db, size):
    assert _snap(snap_compare, new_app(demo_db), size, keys=["a"])


def test_help_screen_at_80x24(snap_compare, demo_db):
    assert _snap(snap_compare, new_app(demo_db), (80, 24), keys=["question_mark"])


def test_log_form_at_80x24(snap_compare, demo_db):
    assert _snap(snap_compare, new_app(demo_db), (80, 24), keys=["j", "l"])
