"""The app under test: databases, a fixed clock, the app driven with Pilot, and what is on screen.

Two kinds of database: the sample network of `netmaint demo` (demo_db), made at DEMO_NOW, and
the small ones tests fill themselves through the services (opened), usually at NOW. The app's
clock reads whichever moment the test gives: new_app(path, NOW).

Async scenarios run through `drive(app, scenario)` (asyncio.run), so no async pytest plugin is needed.
"""

from __future__ import annotations

import asyncio
import unicodedata
from contextlib import contextmanager
from pathlib import Path

import pytest

NOW = "2025-03-12T10:00:00"  # a Wednesday: the moment of the small networks tests fill
DEMO_NOW = "2026-11-22T10:00:00"  # a Sunday: the moment the sample network is built for
ZONE = "Europe/Berlin"
SIZE = (120, 40)


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    """The app saves theme choices and reads user themes: keep both inside the test's folder."""
    monkeypatch.setenv("NETMAINT_CONFIG", str(tmp_path / "config" / "config.yaml"))
    monkeypatch.setenv("TZ", ZONE)


def clock_at(now: str = DEMO_NOW):
    """The one clock of the app tests: always `now`, in ZONE."""
    from netmaint_tui.clock import fixed_clock

    return fixed_clock(now, ZONE)


def context(now: str = DEMO_NOW, settings=None):
    from netmaint_tui.config import Settings
    from netmaint_tui.services.common import Context

    return Context(clock_at(now), settings or Settings())


@contextmanager
def opened(path: Path, now: str = DEMO_NOW):
    """The database open, with a Context for the services; closed again after, so the app (or
    the test's checks) open it themselves."""
    from netmaint_tui.store.db import close_database, open_database

    open_database(path)
    try:
        yield context(now)
    finally:
        close_database()


@pytest.fixture
def demo_db(tmp_path) -> Path:
    """The sample network of `netmaint demo`, built with a fixed clock and seed, closed again."""
    from netmaint_tui.demo import build_demo
    from netmaint_tui.store.db import close_database

    path = tmp_path / "demo.db"
    build_demo(path, context(DEMO_NOW), seed=7)
    close_database()
    return path


@pytest.fixture
def empty_db(tmp_path) -> Path:
    with opened(tmp_path / "empty.db"):
        pass
    return tmp_path / "empty.db"


def new_app(path: Path, now: str = DEMO_NOW, clock=None, **kwargs):
    """The app on `path`, its clock stopped at `now` (or `clock`, for a test that moves it);
    notifications are kept for `notifications()`. kwargs go to make_app (settings, theme, preload)."""
    from netmaint_tui.config import Settings
    from netmaint_tui.ui.app import make_app

    kwargs.setdefault("settings", Settings())
    app = make_app(path, clock=clock or clock_at(now), **kwargs)
    _keep_notifications(app)
    return app


def _keep_notifications(app) -> None:
    app.notified = []
    notify = app.notify

    def keep(message, **kwargs):
        app.notified.append((message, kwargs.get("severity", "information")))
        return notify(message, **kwargs)

    app.notify = keep


def notifications(app) -> list[str]:
    """Every notification the app has shown, oldest first."""
    return [message for message, _ in app.notified]


def drive(app, scenario, size=SIZE, settled=True):
    """Run `await scenario(app, pilot)` inside app.run_test, once the app has settled (unless
    the scenario waits itself), and return its result; the database is closed after."""

    async def main():
        async with app.run_test(size=size) as pilot:
            if settled:
                await settle(app, pilot)
            return await scenario(app, pilot)

    try:
        return asyncio.run(main())
    finally:
        from netmaint_tui.store.db import close_database

        close_database()


async def settle(app, pilot) -> None:
    """Let workers finish and the screen catch up, start-up included (its last chores wait for
    the whole main screen)."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()
    await started(app, pilot)


async def started(app, pilot) -> None:
    """Wait (a bounded number of turns) until the app has run its start-up chores."""
    for _ in range(50):
        if getattr(app, "start_up_complete", True):
            return
        await app.workers.wait_for_complete()
        await pilot.pause()


# --- keys --------------------------------------------------------------------------------------

# Characters whose key name is not their Unicode name ("/" arrives as the key "slash").
KEY_NAMES = {"/": "slash", "\\": "backslash", "@": "at", "-": "minus", "+": "plus", "_": "underscore"}


def key_event(key: str):
    """The Key event a terminal sends for `key`: a character ("a", "A", "/", " ") or a key
    name ("tab", "ctrl+s", "slash")."""
    from textual import events
    from textual.keys import key_to_character

    if len(key) == 1:
        name = key if key.isalnum() else KEY_NAMES.get(key) or unicodedata.name(key).lower().replace(" ", "_").replace("-", "_")
        return events.Key(name, key)
    character = {name: char for char, name in KEY_NAMES.items()}.get(key) or key_to_character(key)
    return events.Key(key, character)


def keys_as_typed(text: str) -> list:
    return [key_event(ch) for ch in text]


async def burst(app, pilot, *keys: str) -> None:
    """All keys at once, as a fast typist, a paste or a script delivers them; Pilot.press waits
    for the app after every key and so never shows what happens to keys that arrive together."""
    for key in keys:
        app.post_message(key_event(key))
    await pilot.pause()
    await pilot.pause()


# --- what is on screen -------------------------------------------------------------------------


def screen_text(app) -> str:
    """Every character on the current screen, one line per row, exactly as a terminal would get it."""
    from tests.ui.textual_internals import screen_strips

    return "\n".join(strip.text for strip in screen_strips(app))


def widget_text(widget) -> str:
    from textual.geometry import Region

    size = widget.size
    strips = widget.render_lines(Region(0, 0, size.width, size.height))
    return "\n".join(strip.text for strip in strips)


def list_lines(app) -> list[str]:
    """The text of the contacts list as drawn (header first)."""
    from netmaint_tui.ui.widgets.contact_list import ContactList

    widget = app.screen.query_one(ContactList)
    height = widget.scrollable_content_region.height
    return [widget.render_line(y).text for y in range(height)]


def static_text(app, selector: str) -> str:
    from textual.widgets import Static

    return str(app.screen.query_one(selector, Static).render())


def title_text(widget) -> str:
    """A widget's border title as the user reads it (Textual hands it back as markup)."""
    from textual.content import Content

    return Content.from_markup(widget.border_title or "").plain
