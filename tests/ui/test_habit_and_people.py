"""The goal and pauses set from the week pane; a touch logged with several people from the log
form; the quick note opened from the list with the highlighted contact filled in."""

from __future__ import annotations

from textual.widgets import Input

from netmaint_tui.ui.screens.contact_forms import LogTouchForm
from netmaint_tui.ui.screens.habit_forms import GoalForm, PauseForm, PausesDialog
from netmaint_tui.ui.screens.quick_note import QuickNoteScreen
from netmaint_tui.ui.widgets.week_tracker import WeekTracker
from tests.ui.conftest import NOW, burst, drive, new_app, notifications, opened, screen_text, settle, static_text


def network(path):
    from netmaint_tui.services.contacts import add_contact

    with opened(path, NOW) as ctx:
        dana = add_contact(ctx, "Dana Haddad", tier="A")
        omar = add_contact(ctx, "Omar Fischer", tier="C")
    return dana, omar


def touches(cid):
    from netmaint_tui.services.touch_edits import touches_of
    from tests.ui.conftest import context

    return [(t.note, t.with_names) for t in touches_of(context(NOW), cid)]


def test_the_goal_and_a_pause_from_the_week_pane_and_undo(tmp_path):
    network(tmp_path / "n.db")

    async def scenario(app, pilot):
        assert "No weekly goal yet: Tab to this pane, then e" in static_text(app, "#week-streak")
        await pilot.press("tab", "tab")
        assert isinstance(app.focused, WeekTracker)
        assert "e Set goal" in screen_text(app) and "p Add pause" in screen_text(app)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, GoalForm)
        await pilot.press("ctrl+s")  # nothing given
        await settle(app, pilot)
        assert "give touches and/or minutes a week" in static_text(app, "#form-error")
        await pilot.press(*"3", "tab", *"45", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is app.main and "Weekly goal set · u to undo" in notifications(app)
        assert static_text(app, "#week-progress-text").startswith("0/3 touches · 0/45 min")
        await pilot.press("p")
        await settle(app, pilot)
        assert isinstance(app.screen, PauseForm)
        await pilot.press(*"2025-03-10", "tab", *"2025-03-16", "tab", *"Flu", "ctrl+s")
        await settle(app, pilot)
        assert "paused this week" in static_text(app, "#week-progress-text")
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, PausesDialog) and "2025-03-10 to 2025-03-16  Flu" in screen_text(app)
        await pilot.press("d")
        await settle(app, pilot)
        assert "No pauses." in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert "paused" not in static_text(app, "#week-progress-text")
        await pilot.press("u", "u", "u")  # the removal, the pause, the goal
        await settle(app, pilot)
        assert "No weekly goal yet" in static_text(app, "#week-streak")

    drive(new_app(tmp_path / "n.db", NOW), scenario)


def test_the_log_form_takes_several_people(tmp_path):
    dana, omar = network(tmp_path / "n.db")

    async def scenario(app, pilot):
        assert app.main.highlighted_row().id == dana
        await pilot.press("l")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, LogTouchForm) and form.query_one("#t-people", Input).value == "Dana Haddad"
        form.query_one("#t-people", Input).value = "Dana Haddad, omar"
        await burst(app, pilot, *"Dinner")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is app.main
        assert touches(dana) == touches(omar) == [("Dinner", ["Dana Haddad", "Omar Fischer"])]

    drive(new_app(tmp_path / "n.db", NOW), scenario)


def test_the_quick_note_from_the_list_starts_with_the_highlighted_contact(tmp_path):
    dana, omar = network(tmp_path / "n.db")

    async def scenario(app, pilot):
        await burst(app, pilot, "n")
        await settle(app, pilot)
        assert isinstance(app.screen, QuickNoteScreen)
        field = app.screen.query_one("#qn-contacts Input", Input)
        assert field.value == "Dana Haddad" and field.selected_text == "Dana Haddad"
        await pilot.press("escape")  # nothing typed: closes, and leaves no draft behind
        await settle(app, pilot)
        from netmaint_tui.services.drafts import load_draft

        assert app.screen is app.main and load_draft() is None
        await burst(app, pilot, "n", "tab", *"Coffee")  # Tab takes the name filled in
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await burst(app, pilot, "n", *"oma", "tab", *"Lunch")  # letters start another name
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert touches(dana) == [("Coffee", ["Dana Haddad"])] and touches(omar) == [("Lunch", ["Omar Fischer"])]

    drive(new_app(tmp_path / "n.db", NOW), scenario)
