"""What a new user reads, whole: hints that fit, a reason cut at a word, a footer without stray
characters, wrapped history lines under their touch, this week's cell in the heat strip, and the
list's cursor on the contact the details show."""

from __future__ import annotations

from netmaint_tui.ui.widgets.contact_detail import ContactDetail
from netmaint_tui.ui.widgets.contact_list import ContactList
from tests.ui.conftest import drive, list_lines, new_app, opened, screen_text, settle, static_text


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
        bottom = screen_text(app).split("\n")[-1]
        assert bottom.rstrip().endswith("^p Commands"), bottom

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
