"""UI fixtures: a fixed sample network, a fixed clock, and a way to drive the app with Pilot.

Async scenarios run through `drive(app, scenario)` (asyncio.run) so no async pytest plugin is needed.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

DEMO_NOW = "2026-11-22T10:00:00"  # a Sunday
DEMO_ZONE = "Europe/Berlin"
SIZE = (120, 40)


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    """The app saves theme choices and reads user themes: keep both inside the test's folder."""
    monkeypatch.setenv("NETMAINT_CONFIG", str(tmp_path / "config" / "config.yaml"))
    monkeypatch.setenv("TZ", DEMO_ZONE)


def demo_clock():
    from netmaint_tui.clock import fixed_clock

    return fixed_clock(DEMO_NOW, DEMO_ZONE)


@pytest.fixture
def demo_db(tmp_path) -> Path:
    """The sample network of `netmaint demo`, built with a fixed clock and seed, closed again."""
    from netmaint_tui.config import Settings
    from netmaint_tui.demo import build_demo
    from netmaint_tui.services.common import Context
    from netmaint_tui.store.db import close_database

    path = tmp_path / "demo.db"
    build_demo(path, Context(demo_clock(), Settings()), seed=7)
    close_database()
    return path


@pytest.fixture
def empty_db(tmp_path) -> Path:
    from netmaint_tui.store.db import close_database, open_database

    path = tmp_path / "empty.db"
    open_database(path)
    close_database()
    return path


def fill(path: Path, build) -> None:
    """Open the database, call build(ctx) to add data through the services, close it."""
    from netmaint_tui.config import Settings
    from netmaint_tui.services.common import Context
    from netmaint_tui.store.db import close_database, open_database

    open_database(path)
    try:
        build(Context(demo_clock(), Settings()))
    finally:
        close_database()


def new_app(path: Path, **kwargs):
    from netmaint_tui.config import Settings
    from netmaint_tui.ui.app import make_app

    kwargs.setdefault("settings", Settings())
    return make_app(path, clock=demo_clock(), **kwargs)


def drive(app, scenario, size=SIZE):
    """Run `await scenario(app, pilot)` inside app.run_test and return its result."""

    async def main():
        async with app.run_test(size=size) as pilot:
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


def list_lines(app) -> list[str]:
    """The text of the contacts list as drawn (header first)."""
    from netmaint_tui.ui.widgets.contact_list import ContactList

    widget = app.screen.query_one(ContactList)
    height = widget.scrollable_content_region.height
    return [widget.render_line(y).text for y in range(height)]


def static_text(app, selector: str) -> str:
    from textual.widgets import Static

    return str(app.screen.query_one(selector, Static).render())
