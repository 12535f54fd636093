"""A few pictures of the app on the fixed sample network: a small terminal, help, and the log form.

Update after an intended change to the look: pytest tests/ui/test_snapshots.py --snapshot-update,
then look at the new SVGs under __snapshots__/ before committing them.
"""

from __future__ import annotations

from .conftest import new_app, settle


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


def test_main_screen_at_80x24(snap_compare, demo_db):
    assert _snap(snap_compare, new_app(demo_db), (80, 24))


def test_help_screen(snap_compare, demo_db):
    assert _snap(snap_compare, new_app(demo_db), (120, 40), keys=["question_mark"])


def test_log_form(snap_compare, demo_db):
    assert _snap(snap_compare, new_app(demo_db), (120, 40), keys=["j", "l"])
