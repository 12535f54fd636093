"""The app notices writes by other processes (the command line, a second window) and shows them,
keeping the cursor where it was; an action on something changed underneath acts on what is there now."""

from __future__ import annotations

import os
from pathlib import Path
import subprocess
import sys

from netmaint_tui.ui.screens.forms import ConfirmDialog
from netmaint_tui.ui.widgets.contact_list import ContactList
from tests.ui.conftest import NOW, ZONE, drive, new_app, notifications, opened, settle


def netmaint(db, *args: str) -> None:
    """The command line, as another process: its own connection to the same file."""
    env = dict(os.environ, NETMAINT_DB=str(db), NETMAINT_NOW=NOW, TZ=ZONE)
    subprocess.run([sys.executable, "-m", "netmaint_tui", *args], env=env, check=True, capture_output=True)


def test_a_touch_logged_from_a_shell_shows_in_the_list_detail_and_week_within_a_tick(tmp_path):
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.habit import set_goal

    path = tmp_path / "n.db"
    with opened(path, NOW) as ctx:
        ids = [add_contact(ctx, name, tier="A") for name in ("Greta Alvarez", "Omar Haddad", "Lena Fischer")]
        set_goal(ctx, 5, None)

    async def go(app, pilot):
        contacts = app.screen.query_one(ContactList)
        contacts.move_to(contacts.ids.index(ids[1]))  # the user is on Omar
        await settle(app, pilot)
        assert "0/5 touches" in str(app.screen.query_one("#week-progress-text").render())
        netmaint(path, "log", "Greta Alvarez", "--channel", "call")
        app._watch_other_writers()  # what the timer does every WATCH_INTERVAL
        await settle(app, pilot)
        assert "1/5 touches" in str(app.screen.query_one("#week-progress-text").render())
        assert contacts.selected_id == ids[1]  # still on Omar
        assert contacts.ids[-1] == ids[0]  # Greta, just touched, is at the bottom now
        contacts.move_to(len(contacts.ids) - 1)
        await settle(app, pilot)
        assert contacts.selected_row().last_channel == "call"
        contacts.move_to(contacts.ids.index(ids[1]))
        await settle(app, pilot)
        netmaint(path, "add", "Priya Patel", "--tier", "A")
        app._watch_other_writers()
        await settle(app, pilot)
        assert len(contacts.ids) == 4 and contacts.selected_id == ids[1]

    app = new_app(path, NOW)
    assert app.WATCH_INTERVAL <= 1.0  # "within about a second"
    app.WATCH_INTERVAL = 3600  # the tick is taken by hand below
    drive(app, go)


def test_a_follow_up_closed_from_a_shell_leaves_the_view_and_cannot_be_closed_or_thanked_twice(tmp_path):
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.followups import add_follow_up
    from netmaint_tui.ui.screens.follow_ups import FollowUpList, FollowUpsScreen

    path = tmp_path / "n.db"
    with opened(path, NOW) as ctx:
        dana = add_contact(ctx, "Dana Lee")
        first = add_follow_up(ctx, "send the deck", suggested_by=dana)
        add_follow_up(ctx, "book lunch", suggested_by=dana, due=ctx.now().add(days=2))

    async def go(app, pilot):
        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpsScreen)
        netmaint(path, "follow-up", "done", str(first))
        # Before the view has caught up, x on the stale row acts on what is there now.
        await pilot.press("x")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmDialog)  # no second thank-you offered
        assert any("already done" in n for n in notifications(app))
        assert app.screen.query_one(FollowUpList).option_count == 1  # and the view shows it
        netmaint(path, "follow-up", "Dana Lee", "send the notes")
        app._watch_other_writers()
        await settle(app, pilot)
        assert app.screen.query_one(FollowUpList).option_count == 2

    app = new_app(path, NOW)
    app.WATCH_INTERVAL = 3600  # the tick is taken by hand below: the row stays stale until then
    drive(app, go)
    with opened(path, NOW) as ctx:
        from netmaint_tui.services.contacts import contact_detail

        assert contact_detail(ctx, 1).gives == 0


def test_a_damage_found_while_the_app_runs_is_said_and_nothing_more_is_saved(demo_db):
    """The week reads the touch table: damaged there, the app says so in one notification (an
    empty pane would look like a lost network) and refuses every change from then on."""
    from netmaint_tui.store.errors import DAMAGE_MARK
    from tests.reliability.helpers import flip_root_page
    from tests.ui.conftest import drive, new_app, notifications

    demo_db.write_bytes(flip_root_page(demo_db, "touch"))
    before = demo_db.read_bytes()

    async def calm(app, pilot):
        from textual.worker import WorkerFailed

        for _ in range(5):
            try:
                await app.workers.wait_for_complete()
            except WorkerFailed:
                pass  # the week's worker fails on the damaged table: that is what is tested
            await pilot.pause()

    async def scenario(app, pilot):
        await calm(app, pilot)
        assert any("is damaged" in n for n in notifications(app))
        await pilot.press("A")  # archive the selected contact: refused, said
        await pilot.press("j", "j", "k")  # each move reads the damaged table again
        await calm(app, pilot)
        assert app.damage is not None and "damaged" in app.sub_title
        assert len([n for n in notifications(app) if "is damaged" in n]) == 1  # said once

    drive(new_app(demo_db), scenario, settled=False)
    assert demo_db.read_bytes() == before
    assert Path(f"{demo_db}{DAMAGE_MARK}").exists()  # the next command checks before it writes
