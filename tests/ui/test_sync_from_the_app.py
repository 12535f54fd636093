"""Sync from the app: S (or the palette) runs it on a worker and shows the summary line; the
palette says when the last sync ran."""

from __future__ import annotations

from netmaint_tui.config import Settings
from netmaint_tui.services.contacts import add_contact
from tests.ui.conftest import NOW, drive, new_app, notifications, opened, settle


def test_s_syncs_with_the_configured_folders_and_the_palette_says_when(tmp_path):
    path, cards = tmp_path / "t.db", tmp_path / "cards"
    cards.mkdir()
    with opened(path, NOW) as ctx:
        add_contact(ctx, "Dana Lee")
    settings = Settings(sync_contacts=str(cards))

    async def go(app, pilot):
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert commands["Sync with your phone and other computers"] == "key: S, never run"
        await pilot.press("S")
        await app.workers.wait_for_complete()
        await settle(app, pilot)
        assert "synced: contacts 1 out" in notifications(app)[-1]
        assert len(list(cards.glob("*.vcf"))) == 1
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert commands["Sync with your phone and other computers"] == "key: S, last: 2025-03-12 10:00"

    drive(new_app(path, NOW, settings=settings), go)


def test_without_folders_s_says_how_to_set_them(tmp_path):
    with opened(tmp_path / "t.db", NOW):
        pass

    async def go(app, pilot):
        await pilot.press("S")
        await settle(app, pilot)
        assert "No folders to sync with: add sync: {contacts: DIR}" in notifications(app)[-1]

    drive(new_app(tmp_path / "t.db", NOW), go)
