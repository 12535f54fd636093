"""What netmaint relies on inside Textual (netmaint_tui/ui/compat.py, tests/ui/textual_internals.py).

These fail on a Textual other than the one pinned: before moving the pin, check each internal
below in the new version's source and adapt compat.py.
"""

from __future__ import annotations

import asyncio
import tomllib
from pathlib import Path

import textual
from textual.app import App
from textual.binding import Binding
from textual.widgets import Input, OptionList, Select, Static

from netmaint_tui.ui import compat
from tests.ui.textual_internals import screen_strips

ROOT = Path(__file__).resolve().parents[2]


def test_textual_is_the_version_the_internals_were_checked_against():
    assert textual.__version__ == compat.TESTED_TEXTUAL
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert f"textual=={compat.TESTED_TEXTUAL}" in dependencies


def test_select_is_made_of_select_current_and_select_overlay():
    """SteadySelect composes these two itself; Select finds its list by the overlay's type."""
    assert issubclass(compat.SelectOverlay, OptionList)

    class Picker(App):
        def compose(self):
            yield Select([("one", 1), ("two", 2)], value=1, allow_blank=False)

    async def main():
        app = Picker()
        async with app.run_test() as pilot:
            select = app.query_one(Select)
            assert [type(child) for child in select.children] == [compat.SelectCurrent, compat.SelectOverlay]
            select.focus()
            await pilot.press("enter")  # opens the list: Select focuses its SelectOverlay
            assert isinstance(app.focused, compat.SelectOverlay)
            await pilot.press("down", "enter")
            return select.value

    assert asyncio.run(main()) == 2


def test_the_steady_select_picks_and_hands_the_focus_back_at_once():
    from netmaint_tui.ui.widgets.contact_field import SteadySelect

    class Picker(App):
        def compose(self):
            yield SteadySelect([("one", 1), ("two", 2), ("three", 3)], value=1, allow_blank=False)
            yield Input(id="after")

    async def main():
        app = Picker()
        async with app.run_test() as pilot:
            select = app.query_one(SteadySelect)
            select.focus()
            await pilot.press("enter", "down", "down", "enter")
            return select.value, app.focused is select

    assert asyncio.run(main()) == (3, True)


def test_app_on_event_sees_a_key_before_its_bindings_and_routing():
    """HoldsKeysUntilReady holds keys in App.on_event and replays them through it: a replayed key
    must still run a priority binding and reach the widget that has the focus by then."""

    class Held(compat.HoldsKeysUntilReady):
        BINDINGS = [Binding("slash", "open_field", priority=True)]

        def compose(self):
            yield Input(id="field", disabled=True)

        def action_open_field(self) -> None:
            field = self.query_one(Input)
            field.disabled = False
            self.set_focus(field)

    async def main():
        app = Held()
        for character, name in (("/", "slash"), ("a", "a"), ("b", "b")):
            app.post_message(textual.events.Key(name, character))
        async with app.run_test() as pilot:
            await pilot.pause()
            held = app.query_one(Input).value
            app.release_keys()
            await pilot.pause()
            return held, app.query_one(Input).value

    assert asyncio.run(main()) == ("", "ab")


def test_screen_strips_are_the_screen_as_drawn():
    class Hello(App):
        def compose(self):
            yield Static("hello")

    async def main():
        app = Hello()
        async with app.run_test(size=(30, 5)):
            return [strip.text for strip in screen_strips(app)]

    rows = asyncio.run(main())
    assert len(rows) == 5 and rows[0].startswith("hello") and all(len(row) == 30 for row in rows)


def test_a_pushed_screen_restyles_itself_on_resume_only_as_screen_resume_says():
    """compat.StyledOnce clears ScreenResume.refresh_styles in a handler that runs before
    Screen._on_screen_resume, which reads it (tests/ui/test_quick_note.py checks the effect)."""
    import inspect

    from textual import events
    from textual.screen import Screen

    assert events.ScreenResume().refresh_styles is True
    assert "event.refresh_styles" in inspect.getsource(Screen._on_screen_resume)
    assert issubclass(compat.StyledOnce, object) and "on_screen_resume" in vars(compat.StyledOnce)
