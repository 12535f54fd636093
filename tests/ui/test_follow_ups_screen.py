"""The follow-ups view: order, overdue colour, done with the thank-you loop, drop, due, add,
the lift to the top of the list, and names shown as text."""

from __future__ import annotations

import pendulum
import pytest
from textual.color import Color

from netmaint_tui.ui.screens.follow_ups import AddFollowUpForm, DueDialog, FollowUpList, FollowUpsScreen
from netmaint_tui.ui.screens.forms import ConfirmDialog
from netmaint_tui.ui.screens.quick_note import QuickNoteScreen
from netmaint_tui.ui.widgets.contact_list import ContactList
from tests.ui.conftest import NOW, ZONE, burst, drive, new_app, notifications, opened, screen_text, settle, widget_text
from tests.ui.textual_internals import screen_strips

HOSTILE_MARKUP = "[bold red]Eve[/]"
HOSTILE_ESCAPE = "Mal\x1b]0;pwned\x07lory"


def at(*args):
    return pendulum.datetime(*args, tz=ZONE)


@pytest.fixture
def db(tmp_path):
    """Dana told us about two things at coffee three days ago; others suggested one each."""
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.followups import add_follow_up
    from netmaint_tui.services.touches import log_touch

    path = tmp_path / "t.db"
    with opened(path, NOW) as ctx:
        ids = {
            "dana": add_contact(ctx, "Dana Lee", tier="A"),
            "omar": add_contact(ctx, "Omar Haddad"),
            "eve": add_contact(ctx, HOSTILE_MARKUP),
            "mal": add_contact(ctx, HOSTILE_ESCAPE),
        }
        log_touch(ctx, [ids["dana"]], at=at(2025, 3, 9, 15), note="Coffee\n- [ ] send the deck to Lee\ntodo: intro to Acme fri 11am")
        add_follow_up(ctx, "ask about [b]the role[/b]", due=at(2025, 3, 12, 9, 30), suggested_by=ids["eve"])
        add_follow_up(ctx, "call \x1b[31mback", due=at(2025, 3, 12, 13), suggested_by=ids["mal"])
    return path, ids


def rows(app) -> list[str]:
    option_list = app.screen.query_one(FollowUpList)
    return [option_list.get_option_at_index(i).prompt.plain for i in range(option_list.option_count)]


def follow_ups(ctx, status=None):
    from netmaint_tui.services.followups import list_follow_ups

    return {f.what: f for f in list_follow_ups(ctx, status)}


async def open_view(app, pilot):
    await settle(app, pilot)
    await pilot.press("f")
    await settle(app, pilot)
    assert isinstance(app.screen, FollowUpsScreen)


async def highlight(app, pilot, what: str) -> None:
    for index, row in enumerate(rows(app)):
        if what in row:
            app.screen.query_one(FollowUpList).highlighted = index
            await pilot.pause()
            return
    raise AssertionError(f"{what!r} not listed: {rows(app)}")


def test_open_follow_ups_are_listed_by_due_date_and_time_overdue_in_the_error_colour(db):
    path, _ = db

    async def go(app, pilot):
        await open_view(app, pilot)
        listed = rows(app)
        order = [next(w for w in ("send the deck", "role", "back", "intro to Acme") if w in r) for r in listed]
        assert order == ["send the deck", "role", "back", "intro to Acme"]
        assert listed[0].startswith("Mon 10 Mar 15:00") and "2d overdue" in listed[0]  # 24 h after the coffee
        assert listed[2].startswith("Wed 12 Mar 13:00") and "in 3h" in listed[2]
        assert listed[3].startswith("Fri 14 Mar 11:00")  # the note said when
        assert "2 overdue" in app.screen.query_one("#fu-box").border_title
        # The column titles sit inside the box, right under its title and above the rows.
        drawn_rows = screen_text(app).split("\n")
        top = next(i for i, line in enumerate(drawn_rows) if "Follow-ups (" in line)
        assert drawn_rows[top + 1].startswith("│ Due") and "What" in drawn_rows[top + 1]
        assert drawn_rows[top + 2].startswith("│ Mon 10 Mar 15:00")
        # ...on the same ground as the rows: one pane, not a band above a list.
        strips = screen_strips(app)
        head, listed_rows = app.screen.query_one("#fu-head"), app.screen.query_one(FollowUpList)
        ground = {next(iter(strips[y].crop(40, 41))).style.bgcolor
                  for y in (head.region.y, listed_rows.region.bottom - 1)}
        assert len(ground) == 1
        # Drawn in the theme's error colour: the overdue rows, and only those.
        option_list = app.screen.query_one(FollowUpList)
        option_list.highlighted = 3  # the cursor row has the cursor's colours
        await pilot.pause()
        error = Color.parse(app.current_theme.error).rich_color
        lines = option_list.render_lines(option_list.region.reset_offset)

        def colour_of(text):
            for strip in lines:
                for segment in strip:
                    if text in segment.text:
                        return segment.style.color
            raise AssertionError(text)

        def is_error(colour) -> bool:  # the theme colour, give or take blending with the background
            return colour is not None and all(abs(a - b) <= 4 for a, b in zip(colour.triplet, error.triplet))

        assert is_error(colour_of("send the deck"))
        assert is_error(colour_of("the role"))
        assert not is_error(colour_of("back"))

    drive(new_app(path, NOW), go)


def test_done_offers_to_thank_who_suggested_it_and_yes_logs_a_give(db):
    path, ids = db

    async def go(app, pilot):
        await open_view(app, pilot)
        await highlight(app, pilot, "send the deck")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question.startswith("Thank Dana Lee?")
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpsScreen)
        assert not any("send the deck" in r for r in rows(app))
        assert "Thanked Dana Lee: a give is logged" in notifications(app)

    drive(new_app(path, NOW), go)
    from netmaint_tui.services.contacts import contact_detail

    with opened(path, NOW) as ctx:
        assert follow_ups(ctx, "done")["send the deck to Lee"].suggested_by_id == ids["dana"]
        dana = contact_detail(ctx, ids["dana"])
        assert (dana.gives, dana.balance, dana.leads_done) == (1, 1, 1)
        thanks = dana.history[0]
        assert (thanks.kind, thanks.channel, thanks.note) == ("give", "email", "Thanks for suggesting: send the deck to Lee")


def test_undo_after_done_and_thanks_takes_both_back(db):
    """x, y (thank), ctrl+z, x, y: one thank-you in the end, not two; goodwill and the week count once."""
    path, ids = db

    async def go(app, pilot):
        await open_view(app, pilot)
        for _ in range(2):
            await highlight(app, pilot, "send the deck")
            await pilot.press("x")
            await pilot.pause()
            await pilot.press("y")
            await settle(app, pilot)
            if _ == 0:
                await pilot.press("ctrl+z")
                await settle(app, pilot)
                assert any("send the deck" in r for r in rows(app))  # open again, the cursor on it
                assert "Undone: Done: send the deck to Lee" in notifications(app)

    drive(new_app(path, NOW), go)
    from netmaint_tui.services.contacts import contact_detail
    from netmaint_tui.services.habit import week_summary

    with opened(path, NOW) as ctx:
        dana = contact_detail(ctx, ids["dana"])
        assert (dana.gives, dana.balance, dana.leads_done) == (1, 1, 1)
        assert [t.kind for t in dana.history].count("give") == 1
        assert week_summary(ctx, with_suggestions=False).touches == 1  # the one thank-you of this week


def test_done_without_thanks_logs_nothing_and_drop_and_undo_work(db):
    path, ids = db

    async def go(app, pilot):
        await open_view(app, pilot)
        await highlight(app, pilot, "intro to Acme")
        await pilot.press("x", "n")
        await settle(app, pilot)
        await highlight(app, pilot, "role")
        await pilot.press("d")
        await settle(app, pilot)
        assert not any("role" in r for r in rows(app))
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert any("role" in r for r in rows(app))
        await pilot.press("d")
        await settle(app, pilot)

    drive(new_app(path, NOW), go)
    from netmaint_tui.services.contacts import contact_detail

    with opened(path, NOW) as ctx:
        assert "intro to Acme" in follow_ups(ctx, "done")
        assert "ask about [b]the role[/b]" in follow_ups(ctx, "dropped")
        assert contact_detail(ctx, ids["dana"]).gives == 0


def test_u_changes_the_due_time_and_a_date_it_cannot_read_stays_in_the_dialog(db):
    path, _ = db

    async def go(app, pilot):
        await open_view(app, pilot)
        await highlight(app, pilot, "back")
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, DueDialog)
        await burst(app, pilot, *"someday", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DueDialog)
        assert "can't read" in str(app.screen.query_one("#due-error").render())
        app.screen.query_one("#due-input").value = ""
        await burst(app, pilot, *"fri 3pm", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpsScreen)
        assert rows(app)[-1].startswith("Fri 14 Mar 15:00")  # moved after Friday 11:00

    drive(new_app(path, NOW), go)
    with opened(path, NOW) as ctx:
        assert follow_ups(ctx)["call \x1b[31mback"].due == at(2025, 3, 14, 15)


def test_a_adds_a_follow_up_about_someone_and_who_suggested_it_as_two_fields(db):
    path, ids = db

    async def go(app, pilot):
        await open_view(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AddFollowUpForm)
        # typed in one go: every key must land in its own field
        await burst(app, pilot, *"oma", "tab", *"send the article", "tab", *"tomorrow 5pm", "tab", *"dan",
                    "tab", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpsScreen)
        await pilot.press("a")
        await pilot.pause()
        await burst(app, pilot, *"dana", "tab", *"book lunch", "ctrl+s")  # no due: in 24 hours
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        await burst(app, pilot, *"Acme Corp", "tab", *"send my CV", "ctrl+s")  # not a contact: kept as text
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("tab", "tab", *"nobody", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AddFollowUpForm)  # nobody named: says so, keeps what was typed
        assert "whom is it about" in str(app.screen.query_one("#form-error").render())

    drive(new_app(path, NOW), go)
    with opened(path, NOW) as ctx:
        added = follow_ups(ctx)
        article = added["send the article"]
        assert article.due == at(2025, 3, 13, 17)
        assert (article.about_id, article.suggested_by_id) == (ids["omar"], ids["dana"])
        assert added["book lunch"].due == at(2025, 3, 13, 10)
        assert (added["book lunch"].about_id, added["book lunch"].suggested_by_id) == (ids["dana"], None)
        assert (added["send my CV"].about_text, added["send my CV"].about_id) == ("Acme Corp", None)
        assert "nobody" not in added


def test_a_follow_up_due_within_a_day_lifts_its_contact_to_the_top_of_the_list(tmp_path):
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.followups import add_follow_up
    from netmaint_tui.services.touches import log_touch

    path = tmp_path / "t.db"
    with opened(path, NOW) as ctx:
        dana = add_contact(ctx, "Dana Lee", tier="A")  # never touched: due at once, weight 3
        priya = add_contact(ctx, "Priya Patel", tier="C")
        log_touch(ctx, [priya], at=at(2025, 3, 11, 10))  # touched yesterday: far down
        later = add_contact(ctx, "Lena Fischer", tier="C")
        log_touch(ctx, [later], at=at(2025, 3, 11, 10))
        add_follow_up(ctx, "send the notes", due=at(2025, 3, 15, 9), suggested_by=later)  # three days off

    async def go(app, pilot):
        contacts = app.main.query_one(ContactList)
        assert contacts.ids[0] == dana
        await pilot.press("f", "a")
        await pilot.pause()
        await burst(app, pilot, *"priya", "tab", *"send the intro", "tab", *"in 20h", "ctrl+s")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is app.main
        assert contacts.ids[:2] == [priya, dana]  # lifted above a key contact; Lena's is days away
        assert app.main.fetch_rows([priya])[0].urgent_follow_up .endswith("06:00: send the intro")

    drive(new_app(path, NOW), go)


def test_enter_shows_the_contact_and_n_works_here_and_its_follow_ups_appear(db):
    path, ids = db

    async def go(app, pilot):
        await open_view(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, QuickNoteScreen)
        await burst(app, pilot, *"omar", "tab", *"todo: send CV")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpsScreen)
        assert any("send CV" in r for r in rows(app))  # the list under the note is fresh
        await highlight(app, pilot, "send CV")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is app.main
        assert app.main.selected_id == ids["omar"]

    drive(new_app(path, NOW), go)


def test_hostile_names_and_tasks_show_literally_in_the_follow_ups_view(db):
    path, _ = db

    async def go(app, pilot):
        await open_view(app, pilot)
        drawn = widget_text(app.screen.query_one(FollowUpList))
        assert HOSTILE_MARKUP in drawn
        assert "Mal␛]0;pwned␇lory" in drawn
        assert "ask about [b]the role[/b]" in drawn
        assert "call ␛[31mback" in drawn
        assert "\x1b" not in drawn and "\x07" not in drawn
        await highlight(app, pilot, "role")
        await pilot.pause()
        assert "suggested by [bold red]Eve[/]" in screen_text(app)
        await pilot.press("x")
        await pilot.pause()
        assert app.screen.question.startswith("Thank [bold red]Eve[/]?")
        assert "Thank [bold red]Eve[/]?" in screen_text(app)

    drive(new_app(path, NOW), go)


def test_o_cycles_the_sort_and_by_leads_puts_who_suggested_most_first(tmp_path):
    """Leads are the follow-ups a contact suggested; the detail pane counts them."""
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.followups import list_follow_ups, set_status
    from netmaint_tui.services.touches import log_touch

    path = tmp_path / "t.db"
    with opened(path, NOW) as ctx:
        ana = add_contact(ctx, "Ana Silva", tier="A")  # never touched: first by priority
        bo = add_contact(ctx, "Bo Chen", tier="C")
        cy = add_contact(ctx, "Cy Okafor", tier="B")
        # due in three weeks: nobody is lifted to the top by a follow-up due soon
        log_touch(ctx, [bo], at=at(2025, 3, 10, 9), note="- [ ] a in 3w\n- [ ] b in 3w\ntodo: c in 3w")  # three leads
        log_touch(ctx, [cy], at=at(2025, 1, 2, 9), note="todo: d 2025-04-30")  # one lead
        set_status(ctx, next(f.id for f in list_follow_ups(ctx) if f.what == "a"), "done")

    async def go(app, pilot):
        contacts = app.main.query_one(ContactList)
        assert contacts.ids == [ana, cy, bo]
        await pilot.press("o")
        await settle(app, pilot)
        assert contacts.ids == [bo, cy, ana]
        assert "by leads" in contacts.border_title
        await pilot.press("g")
        await settle(app, pilot)
        assert "Leads     3 follow-ups suggested, 1 done" in screen_text(app)
        await pilot.press("j")
        await settle(app, pilot)
        assert "Leads     1 follow-up suggested, 0 done" in screen_text(app)
        await pilot.press("g")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert contacts.ids[0] == ana and "by last touch" in contacts.border_title  # never touched first
        await pilot.press("o")
        await settle(app, pilot)
        assert contacts.ids == [ana, bo, cy] and "by name" in contacts.border_title
        await pilot.press("o")
        await settle(app, pilot)
        assert "by" not in contacts.border_title  # back to priority

    drive(new_app(path, NOW), go)


def test_done_or_dropped_leaves_the_cursor_on_its_row_for_the_next_one(db):
    """Working down the list: after x or d the next follow-up is under the cursor, not the first."""
    path, _ = db

    async def go(app, pilot):
        await open_view(app, pilot)
        listed = rows(app)
        assert len(listed) >= 4
        app.screen.query_one(FollowUpList).highlighted = 1
        await pilot.pause()
        await pilot.press("d")
        await settle(app, pilot)
        assert app.screen.query_one(FollowUpList).highlighted == 1 and rows(app)[1] == listed[2]
        app.screen.query_one(FollowUpList).highlighted = len(listed) - 2  # now the last row
        await pilot.pause()
        await pilot.press("d")
        await settle(app, pilot)
        assert app.screen.query_one(FollowUpList).highlighted == len(listed) - 3  # the new last

    drive(new_app(path, NOW), go)


# netmaint-contrast is drawn in the terminal's own ANSI colours, which have no values to measure here.
@pytest.mark.parametrize("theme", ["netmaint-dark", "netmaint-amber", "netmaint-forest", "netmaint-light"])
def test_the_highlighted_overdue_row_stays_readable_in_every_shipped_theme(db, theme):
    from tests.ui.test_themes import contrast

    path, _ = db

    async def go(app, pilot):
        app.theme = theme
        await open_view(app, pilot)
        await highlight(app, pilot, "send the deck")  # overdue
        option_list = app.screen.query_one(FollowUpList)
        assert "2d overdue" in rows(app)[option_list.highlighted]
        lines = option_list.render_lines(option_list.region.reset_offset)
        row = next(strip for strip in lines if "send the deck" in strip.text)
        worst = min(contrast(s.style.color.triplet.hex, s.style.bgcolor.triplet.hex)
                    for s in row if s.text.strip() and s.style.color and s.style.bgcolor)
        assert worst >= 3, worst
        assert any(s.style.bold for s in row if "overdue" in s.text)
        await highlight(app, pilot, "call")  # the row it left is drawn in the error colour again
        error = Color.parse(app.current_theme.error).rich_color
        lines = option_list.render_lines(option_list.region.reset_offset)
        deck = next(seg for strip in lines for seg in strip if "send the deck" in seg.text)
        assert all(abs(a - b) <= 4 for a, b in zip(deck.style.color.triplet, error.triplet))

    drive(new_app(path, NOW), go)


def test_the_dated_examples_for_a_due_time_are_to_come_by_the_apps_clock(db):
    path, _ = db

    async def go(app, pilot):
        await open_view(app, pilot)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, DueDialog)
        assert "2027-06-12 14:00" in str(app.screen.query_one("#due-help").render())  # six weeks on
        assert "2027-06-12 14:00" in app.screen.query_one("#due-input").placeholder
        await pilot.press("escape", "a")
        await settle(app, pilot)
        assert isinstance(app.screen, AddFollowUpForm)
        assert "2027-06-12" in app.screen.query_one("#fu-due").placeholder

    drive(new_app(path, "2027-05-01T10:00:00"), go)


def test_the_suggested_field_offers_what_saving_accepts_and_its_fields_are_one_row(db):
    from netmaint_tui.ui.widgets.contact_field import Completions, ContactField

    path, ids = db

    async def go(app, pilot):
        await open_view(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        for field in form.query(ContactField):
            assert field.input.region.height == 1  # as What and Due
        await pilot.press("tab", *"call back", "tab", "tab", *"dle")
        await pilot.pause()
        offered = [str(o.prompt) for o in form.query_one("#fu-by Completions", Completions).options]
        assert offered[0].startswith("Dana Lee") and offered[-1] == "+ new contact “dle”"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(form.query_one("#form-error").render())
        assert "did you mean 'Dana Lee'" in error  # the names the list offered
        await pilot.press("up", "tab", "ctrl+s")  # "+ new contact": added on save
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpsScreen)

    drive(new_app(path, NOW), go)
    from netmaint_tui.services.contacts import resolve_contact

    with opened(path, NOW) as ctx:
        added = follow_ups(ctx)["call back"]
        assert added.suggested_by_id == resolve_contact("dle")
