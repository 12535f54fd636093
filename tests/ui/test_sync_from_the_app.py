"""Sync from the app: S (or the palette) runs it on a worker and shows the summary line; the
palette says when the last sync ran."""

from __future__ import annotations

from netmaint_tui.config import Settings
from netmaint_tui.services.contacts import add_contact
from tests.ui.conftest import NOW, drive, new_app, notifications, opened, settle, static_text


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


def test_what_a_sync_kept_is_in_the_contact_s_history_and_with_its_follow_up(tmp_path):
    import datetime as dt

    from netmaint_tui.services.followups import add_follow_up
    from netmaint_tui.services.history import add_notes
    from netmaint_tui.services.touches import log_touch

    path = tmp_path / "t.db"
    with opened(path, NOW) as ctx:
        dana = add_contact(ctx, "Dana Lee")
        log_touch(ctx, [dana], at=ctx.now().subtract(days=2), note="coffee")
        task = add_follow_up(ctx, "send the deck", suggested_by=dana)
        add_notes(dt.datetime(2025, 3, 11, 9, 0), [
            (dana, None, "the card said phones: +1 555 0100 (kept: +1 555 0111)"),
            (dana, task, "follow-up 'send the deck': the task said what: send the slides (kept: send the deck)")])

    async def go(app, pilot):
        text = static_text(app, "#detail-history")
        assert text.startswith("History (1 · 2 notes from syncing)\n2025-03-11 10:00  sync\n  follow-up 'send the deck'")
        flat = " ".join(text.split())
        assert ("2025-03-11 10:00 sync the card said phones: +1 555 0100 (kept: +1 555 0111) "
                "2025-03-10 10:00 meeting") in flat  # newest first; the touch, older, below them
        await pilot.press("f")
        await settle(app, pilot)
        assert "2025-03-11 10:00 sync: follow-up 'send the deck': the task said what: send the slides" in \
            static_text(app, "#fu-info").replace("\n", " ")

    drive(new_app(path, NOW), go)
