"""A touch corrected or deleted from the detail pane's history, and undone, driven by keys."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from netmaint_tui.ui.screens.touch_forms import EditTouchForm
from netmaint_tui.ui.widgets.contact_detail import ContactDetail
from tests.ui.conftest import NOW, drive, new_app, notifications, opened, screen_text, settle, static_text, title_text


def network(path):
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.touches import log_touch

    with opened(path, NOW) as ctx:
        dana = add_contact(ctx, "Dana Haddad", tier="A")
        omar = add_contact(ctx, "Omar Fischer", tier="C")
        log_touch(ctx, [dana], at=ctx.now().subtract(days=9), channel="call", note="Old call")
        log_touch(ctx, [dana], at=ctx.now().subtract(days=1), note="Coffe about the round")
        log_touch(ctx, [omar], at=ctx.now().subtract(hours=1), channel="email")  # so Dana is first
    return dana, omar


def detail(app) -> ContactDetail:
    return app.screen.query_one(ContactDetail)


def people(touch_id: int) -> list[int]:
    from netmaint_tui.services.touch_edits import people_of

    return people_of(touch_id)


def test_select_a_touch_edit_it_and_undo(tmp_path):
    dana, omar = network(tmp_path / "n.db")

    async def scenario(app, pilot):
        assert app.main.selected_id == dana
        await pilot.press("enter", "j")
        await settle(app, pilot)
        touch = detail(app).selected_touch()
        assert touch.note == "Coffe about the round"
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, EditTouchForm) and "Edit the touch of" in title_text(form.query_one("#form"))
        assert form.query_one("#e-people", Input).value == "Dana Haddad"
        form.query_one("#e-note", TextArea).text = "Coffee about the round"
        form.query_one("#e-people", Input).value = "Dana Haddad, omar"
        form.query_one("#e-minutes", Input).value = "45"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is app.main
        assert "Touch saved (note, minutes, people) · u to undo" in notifications(app)
        history = static_text(app, "#detail-history")
        assert "Coffee about the round" in history and "45 min with Omar Fischer" in " ".join(history.split())  # wrapped under its touch
        assert people(touch.id) == [dana, omar]
        assert detail(app).selected_touch().id == touch.id  # still selected after the save
        await pilot.press("u")
        await settle(app, pilot)
        assert "Coffe about the round" in static_text(app, "#detail-history") and people(touch.id) == [dana]

    drive(new_app(tmp_path / "n.db", NOW), scenario)


def test_a_bad_edit_stays_in_the_form_with_the_reason(tmp_path):
    network(tmp_path / "n.db")

    async def scenario(app, pilot):
        await pilot.press("enter", "j", "e")
        await settle(app, pilot)
        app.screen.query_one("#e-when", Input).value = "tomorrow 9am"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, EditTouchForm)
        assert "in the future" in static_text(app, "#form-error")
        app.screen.query_one("#e-when", Input).value = "yesterday 9am"
        app.screen.query_one("#e-people", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "a touch needs at least one person" in static_text(app, "#form-error")

    drive(new_app(tmp_path / "n.db", NOW), scenario)


def test_delete_a_touch_and_the_week_and_list_follow_then_undo(tmp_path):
    dana, _ = network(tmp_path / "n.db")

    async def scenario(app, pilot):
        week = static_text(app, "#week-progress-text")
        assert week.startswith("2/") or week.startswith("2 touches")
        await pilot.press("enter", "j", "d")
        await settle(app, pilot)
        assert "History (1)" in static_text(app, "#detail-history")
        assert "Coffe" not in static_text(app, "#detail-history")
        assert static_text(app, "#week-progress-text").startswith("1 touch")
        assert "last: call 9 days ago" in static_text(app, "#reason")
        assert any("u to undo (or netmaint touch restore" in n for n in notifications(app))
        # The selection moved to the touch that took its place.
        assert detail(app).selected_touch().note == "Old call"
        await pilot.press("u")
        await settle(app, pilot)
        assert "History (2)" in static_text(app, "#detail-history")
        assert static_text(app, "#week-progress-text") == week

    drive(new_app(tmp_path / "n.db", NOW), scenario)


def test_e_without_a_touch_selected_edits_the_contact_and_d_says_what_to_do(tmp_path):
    network(tmp_path / "n.db")

    async def scenario(app, pilot):
        await pilot.press("enter", "d")
        await settle(app, pilot)
        assert "Select a touch first: j and k move through the history" in notifications(app)
        await pilot.press("e")
        await settle(app, pilot)
        assert "Edit Dana Haddad" in screen_text(app)

    drive(new_app(tmp_path / "n.db", NOW), scenario)
