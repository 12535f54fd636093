"""What a new user reads, whole: hints that fit, a reason cut at a word, a footer without stray
characters, wrapped history lines under their touch, this week's cell in the heat strip, and the
list's cursor on the contact the details show."""

from __future__ import annotations

from netmaint_tui.ui.widgets.contact_detail import ContactDetail
from netmaint_tui.ui.widgets.contact_list import ContactList
from tests.ui.conftest import drive, list_lines, new_app, notifications, opened, screen_text, settle, static_text


def contacts(app) -> ContactList:
    return app.screen.query_one(ContactList)


def test_the_empty_lists_hint_is_whole_at_120x40_and_wraps_at_80x24(demo_db):
    async def scenario(app, pilot):
        await pilot.press("slash", *"xxqq")
        await settle(app, pilot)
        lines = " ".join(line.strip() for line in list_lines(app)[1:4])
        assert "Nobody matches. Esc clears the filter; a adds a contact." in lines
        return True

    assert drive(new_app(demo_db), scenario)
    assert drive(new_app(demo_db), scenario, size=(80, 24))


def test_the_reason_line_is_cut_at_a_word_with_an_ellipsis(demo_db):
    async def scenario(app, pilot):
        shown = static_text(app, "#reason")
        row = contacts(app).selected_row()
        assert shown.endswith(" …") and len(shown) < len(row.reason)
        assert row.reason.startswith(shown[:-2])  # whole words, as the row says them
        assert row.reason[len(shown) - 2] in " ,"  # cut before a word, not inside one
        await pilot.resize_terminal(200, 40)
        await settle(app, pilot)
        assert static_text(app, "#reason") == row.reason  # room again: whole

    drive(new_app(demo_db), scenario, size=(80, 24))


def test_the_footer_ends_with_the_palettes_key_at_80_and_40_columns(demo_db):
    async def scenario(app, pilot):
        bottom = screen_text(app).split("\n")[-1]
        assert bottom.rstrip().endswith("^p Commands"), bottom
        await pilot.press("w")
        await settle(app, pilot)
        bottom = screen_text(app).split("\n")[-1]  # the session's keys, in rows of whole keys
        assert bottom.rstrip().endswith("? help"), bottom

    drive(new_app(demo_db), scenario, size=(80, 24))

    async def tiny(app, pilot):
        bottom = screen_text(app).split("\n")[-1]
        assert bottom.rstrip().endswith("^p Commands"), bottom
        assert "/ Filter" in bottom and "? Help" in bottom and "q Quit" in bottom

    drive(new_app(demo_db), tiny, size=(40, 12))


def test_after_a_filter_and_esc_the_list_highlights_the_contact_shown(demo_db):
    async def scenario(app, pilot):
        await pilot.press("slash", *"dana ok", "enter")
        await settle(app, pilot)
        chosen = contacts(app).selected_id
        await pilot.press("escape")
        await settle(app, pilot)
        listed = contacts(app)
        assert len(listed.ids) > 100 and listed.selected_id == chosen
        top = listed.scroll_offset.y
        assert top < listed.cursor + 1 <= top + listed.scrollable_content_region.height - 1  # on screen
        assert "Dana Okafor" in screen_text(app).split("\n")[listed.cursor - top + 3]
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        top = listed.scroll_offset.y
        assert listed.selected_id == chosen
        assert top < listed.cursor + 1 <= top + listed.scrollable_content_region.height - 1

    drive(new_app(demo_db), scenario)


def test_down_in_the_filter_moves_into_the_list(demo_db):
    async def scenario(app, pilot):
        await pilot.press("slash", *"berlin")
        await settle(app, pilot)
        await pilot.press("down")
        await settle(app, pilot)
        assert isinstance(app.focused, ContactList)
        assert app.screen.filter_text == "berlin"  # the filter stays, as after Enter
        await pilot.press("down")
        assert contacts(app).cursor == 1

    drive(new_app(demo_db), scenario)


def test_a_wrapped_touch_line_keeps_its_hanging_indent(empty_db):
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.touches import log_touch

    with opened(empty_db) as ctx:
        people = [add_contact(ctx, name) for name in ("Dana Haddad", "Fatima Kim", "Pavel Costa", "Omar Nakamura")]
        log_touch(ctx, people, at=ctx.now().subtract(days=3), channel="meeting", minutes=60, note="Lunch.")

    async def scenario(app, pilot):
        await pilot.press("G")  # someone the others were with
        await settle(app, pilot)
        rows = static_text(app, "#detail-history").split("\n")
        at = rows.index("  Lunch.")
        head, wrapped = rows[1], rows[2:at]
        assert head[:4].isdigit() and wrapped  # one line for the touch, its rest indented under it
        assert all(r.startswith("  ") and r[2] != " " or r.startswith(" " * 18) for r in wrapped)
        assert "with" in " ".join(rows[1:at]) and "Omar Nakamura" in " ".join(r.strip() for r in rows[1:at])
        detail = app.screen.query_one(ContactDetail)
        assert max(len(r) for r in rows) <= detail.content_region.width

    drive(new_app(empty_db), scenario, size=(80, 24))
    drive(new_app(empty_db), scenario, size=(120, 40))


def test_this_weeks_cell_stays_visible_once_the_week_is_met(demo_db):
    from netmaint_tui.ui.widgets.week_tracker import HeatStrip

    async def scenario(app, pilot):
        strip = app.screen.query_one(HeatStrip)
        strip.set_weeks([*strip.weeks[:-1], (strip.weeks[-1][0], "met")])
        await pilot.pause()
        line = strip.render_line(0).text.rstrip()
        assert line.endswith("▒") and line[-2] in "█▁‖·"
        cells = [s for s in strip.render_line(0) if s.text.strip()]
        assert cells[-1].style == strip.get_component_rich_style("heat-strip--met")

    drive(new_app(demo_db), scenario)


def test_snooze_until_a_date_shows_its_whole_hint_with_a_date_to_come(demo_db):
    async def scenario(app, pilot):
        await pilot.press("s", "end", "enter")
        await settle(app, pilot)
        assert "a date (2027-01-03), fri or in 10d, then Enter" in screen_text(app)  # the clock + 6 weeks

    drive(new_app(demo_db), scenario, size=(80, 24))


def test_the_detail_panes_help_lists_esc_and_esc_goes_back_to_the_list(demo_db):
    from netmaint_tui.ui.screens.help import HelpScreen

    async def scenario(app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.focused, ContactDetail)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        assert "Detail pane" in shown and "Back to the list" in shown
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.focused, ContactList)

    drive(new_app(demo_db), scenario)


def test_ctrl_z_undoes_on_the_main_screen_too(demo_db):
    async def scenario(app, pilot):
        first = contacts(app).selected_id
        await pilot.press("A")
        await settle(app, pilot)
        assert first not in contacts(app).ids
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert first in contacts(app).ids and any(n.startswith("Undone: Archive") for n in notifications(app))

    drive(new_app(demo_db), scenario)


def test_a_follow_up_moved_into_the_past_is_kept_and_said(demo_db):
    from netmaint_tui.ui.screens.follow_ups import FollowUpsScreen

    async def scenario(app, pilot):
        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpsScreen)
        await pilot.press("u", "ctrl+u", *"yesterday 9am", "enter")
        await settle(app, pilot)
        said = [n for n in notifications(app) if "already past" in n]
        assert said and "1d overdue" in said[0] and "listed as overdue" in said[0]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert any(n.startswith("Undone: New due time") for n in notifications(app))

    drive(new_app(demo_db), scenario)


def test_a_failed_preview_does_not_say_nothing_was_imported_and_each_file_is_guessed_anew(demo_db, tmp_path):
    from textual.widgets import Input, Select

    google = tmp_path / "contacts.csv"
    google.write_text("Name,Given Name\nDana Okafor,Dana\n")
    readme = tmp_path / "README.md"
    readme.write_text("# notes\n\nnothing to import here\n")

    async def scenario(app, pilot):
        await pilot.press("i")
        await settle(app, pilot)
        screen = app.screen
        field, kind = screen.query_one("#imp-path", Input), screen.query_one("#imp-format", Select)
        field.value = str(google)
        await pilot.pause()
        assert kind.value == "google"
        kind.value = "vcard"  # picked by hand, for this file
        await pilot.pause()
        field.value = str(readme)  # another file: its own guess, not the last choice
        await pilot.pause()
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        shown = screen_text(app)
        assert "README.md: neither its name nor its content says what it holds" in shown
        assert "nothing to preview" in shown and "nothing was imported" not in shown
        # ...and "As" shows that nothing is chosen, not the format of the file before.
        assert kind.value == Select.NULL and "choose…" in shown and "Google" not in shown.split("\n")[2]

    drive(new_app(demo_db), scenario)


def test_at_40_columns_focus_stays_on_the_list_the_only_pane_shown(demo_db):
    async def scenario(app, pilot):
        await settle(app, pilot)
        assert app.screen.query_one("#right").display is False
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.focused, ContactList)
        await pilot.press("tab", "tab")
        await pilot.pause()
        assert isinstance(app.focused, ContactList)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.focused, ContactList)
        assert any("56 columns" in n for n in notifications(app))
        bottom = screen_text(app).split("\n")[-1]
        assert "/ Filter" in bottom  # the list's keys, not a hidden pane's
        # Wide again: Tab reaches the panes beside the list.
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.focused, ContactDetail)

    drive(new_app(demo_db), scenario, size=(40, 12))


def whole_keys(app) -> list[str]:
    """The footer's keys as shown, after checking that none runs under "^p Commands"."""
    from textual.widgets._footer import FooterKey

    keys = [k for k in app.screen.query(FooterKey) if k.display and k.region.width]
    palette = next(k for k in keys if k.has_class("-command-palette"))
    shown = [k for k in keys if k is not palette]
    for key in shown:
        assert key.region.right <= palette.region.x, (key.description, key.region, palette.region)
    return [k.description for k in shown]


def test_every_footer_shows_whole_keys_and_the_focused_panes_own(demo_db):
    async def main_screen(app, pilot):
        await settle(app, pilot)
        await pilot.press("tab", "tab")  # the week pane
        await settle(app, pilot)
        assert "Set goal" in whole_keys(app)
        await pilot.resize_terminal(80, 24)
        await pilot.press("tab", "tab")  # round to the detail pane: its touch keys are what it is for
        await settle(app, pilot)
        assert isinstance(app.focused, ContactDetail)
        assert {"Edit touch", "Delete touch"} <= set(whole_keys(app))
        for width in (100, 64, 56, 48, 40):
            await pilot.resize_terminal(width, 24)
            await settle(app, pilot)
            whole_keys(app)
        await pilot.press("f")
        await settle(app, pilot)
        assert "Back" in whole_keys(app)
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        assert {"Done", "Drop", "Add", "Back"} <= set(whole_keys(app))

    drive(new_app(demo_db), main_screen, size=(120, 40))
