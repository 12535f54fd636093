"""What the app tests share: a database filled through the services, a fixed clock, and ways
to read what is on the screen as plain text."""

from __future__ import annotations

import asyncio
from contextlib import contextmanager
from pathlib import Path

from netmaint_tui.clock import fixed_clock
from netmaint_tui.config import Settings

NOW = "2025-03-12T10:00:00"  # a Wednesday
ZONE = "Europe/Berlin"
SIZE = (120, 40)


def clock():
    return fixed_clock(NOW, ZONE)


@contextmanager
def filled(path: Path, **settings):
    """Open the database, yield a Context for the services, close it so the app opens it itself."""
    from netmaint_tui.services.common import Context
    from netmaint_tui.store.db import close_database, open_database

    open_database(path)
    try:
        yield Context(clock(), Settings(**settings))
    finally:
        close_database()


def app_for(path: Path, **settings):
    from netmaint_tui.ui.app import make_app

    return make_app(path, clock=clock(), settings=Settings(**settings))


@contextmanager
def reopened(path: Path, **settings):
    """The database again after the app has gone, for checking what it wrote."""
    with filled(path, **settings) as ctx:
        yield ctx


def run(coro):
    """Async Pilot tests run inside plain sync tests: no pytest plugin needed."""
    return asyncio.run(coro)


async def settle(app, pilot) -> None:
    """Workers finished and their results drawn (a reload's worker may start another)."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    if any(worker.is_running for worker in app.workers):
        await app.workers.wait_for_complete()
        await pilot.pause()
    from tests.ui.conftest import started

    await started(app, pilot)


def screen_text(app) -> str:
    """Every character on the current screen, one line per row, exactly as a terminal would get it."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def widget_text(widget) -> str:
    from textual.geometry import Region

    size = widget.size
    strips = widget.render_lines(Region(0, 0, size.width, size.height))
    return "\n".join(strip.text for strip in strips)


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


def key_event(key: str):
    """The Key event Pilot would send for `key` ("a", "A", "tab", "ctrl+s", " ")."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def burst(app, pilot, *keys: str) -> None:
    """All keys at once, as a fast typist, a paste or a script delivers them; Pilot.press waits
    for the app after every key and so never shows what happens to keys that arrive together."""
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()
    await pilot.pause()
