"""The main screen, driven by keys: list, detail, week, and every action of the issue."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Input

from netmaint_tui.ui.screens.forms import ConfirmDialog
from netmaint_tui.ui.widgets.contact_detail import ContactDetail
from netmaint_tui.ui.widgets.contact_list import ContactList
from tests.ui.conftest import (
    burst, clock_at, context, drive, keys_as_typed, list_lines, new_app, notifications, opened, screen_text, settle, static_text,
    title_text,
)


def contacts(app) -> ContactList:
    return app.screen.query_one(ContactList)


def detail_title(app) -> str:
    """The detail pane's title as plain text (what the user reads)."""
    return title_text(app.screen.query_one(ContactDetail))


def test_opens_on_the_ranked_list_with_detail_and_week(demo_db):
    async def scenario(app, pilot):
        lines = list_lines(app)
        assert lines[0].strip().startswith("Name")
        first = contacts(app).selected_row()
        # Open follow-ups due within a day come first, marked with "!".
        assert first.urgent and lines[1].startswith("!")
        assert first.name in lines[1]
        assert detail_title(app) == first.name
        week = static_text(app, "#week-progress-text")
        assert "touches" in week and "/5" in week
        assert "Streak" in static_text(app, "#week-streak")
        assert static_text(app, "#reason").startswith("follow-up")
        assert contacts(app).border_title.startswith("Contacts (150)")

    drive(new_app(demo_db), scenario)


def test_start_up_preload_shows_what_a_plain_start_shows(demo_db):
    """`netmaint` ranks on a thread while the interface loads; the screen it gives must be the
    same as the one loaded by the screen itself, and the week's summary, which arrives after
    the list, must still land."""
    def screen(app):
        return (list_lines(app), detail_title(app), static_text(app, "#reason"),
                static_text(app, "#week-progress-text"), static_text(app, "#week-next"))

    async def look(app, pilot):
        return screen(app)

    plain = drive(new_app(demo_db), look)
    app = started_app(demo_db)
    assert app.preload.take() is not None
    assert drive(app, look) == plain
    assert "touches" in plain[3]


def week_touches_around(demo_db, keys) -> tuple[int, int]:
    """This week's touch count in the week pane at start, and after a touch is logged from
    elsewhere (another `netmaint log`) and `keys` arrive all at once, as a fast typist's do."""
    import asyncio

    from textual import events

    from netmaint_tui.services.touches import log_touch
    from netmaint_tui.store.db import close_database

    app = started_app(demo_db)

    def touches() -> int:
        return int(static_text(app, "#week-progress-text").split("/")[0])

    async def main():
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            before = touches()
            log_touch(app.ctx, [contacts(app).ids[-1]], at=app.ctx.now().subtract(hours=1))
            for key in keys:
                app.post_message(events.Key(key, key))
            await settle(app, pilot)
            return before, touches()

    try:
        return asyncio.run(main())
    finally:
        close_database()


def test_a_re_sort_keeps_the_week_it_was_shown(demo_db):
    """Sorting again re-ranks the list only: the week pane keeps its count, nothing recounts."""
    before, after = week_touches_around(demo_db, ["o"])
    assert after == before


@pytest.mark.parametrize("keys", [["z"], ["z", "o"]], ids=["reload", "reload then re-sort at once"])
def test_a_reload_recounts_the_week(demo_db, keys):
    """A reload counts the week anew, also when a re-sort replaces its worker before it ran."""
    before, after = week_touches_around(demo_db, keys)
    assert after == before + 1


def test_a_ranking_overtaken_by_a_newer_one_is_not_shown(demo_db, monkeypatch):
    """A reload still ranking when a re-sort starts: the list shows the re-sorted ranking, never
    the reload's, which finishes last but was asked for first."""
    import threading

    import netmaint_tui.ui.screens.main as screen

    real, sorted_again = screen.rank_ids, threading.Event()

    def rank_ids(ctx, include_snoozed=False, include_archived=False, sort="priority"):
        ranking = real(ctx, include_snoozed=include_snoozed, include_archived=include_archived, sort=sort)
        if sort == "priority" and include_snoozed:
            sorted_again.wait(10)  # the reload z started, held until the re-sort has ranked
        elif sort == "leads":
            sorted_again.set()
        return ranking

    async def scenario(app, pilot):
        monkeypatch.setattr(screen, "rank_ids", rank_ids)
        await pilot.press("z", "o")
        await settle(app, pilot)
        return contacts(app).ids, real(app.ctx, include_snoozed=True, sort="leads"), contacts(app).border_title

    shown, by_leads, title = drive(new_app(demo_db), scenario)
    assert shown == by_leads and "by leads" in title


def test_sorting_again_answers_from_the_rankings_held_and_a_change_ranks_afresh(demo_db, monkeypatch):
    """After the first `o` the other orders are ranked on a worker and kept: each later `o` shows
    the same list SQL gives for that sort, without ranking again, until the data changes."""
    import netmaint_tui.ui.screens.main as screen
    from netmaint_tui.services.due import SORTS

    real, asked = screen.rank_ids, []

    def rank_ids(ctx, include_snoozed=False, include_archived=False, sort="priority"):
        asked.append(sort)
        return real(ctx, include_snoozed=include_snoozed, include_archived=include_archived, sort=sort)

    async def scenario(app, pilot):
        monkeypatch.setattr(screen, "rank_ids", rank_ids)
        seen = {}
        for _ in range(len(SORTS) * 2):
            await pilot.press("o")
            await settle(app, pilot)
            seen[app.screen.sort] = (contacts(app).ids, real(app.ctx, sort=app.screen.sort), contacts(app).border_title)
        ranked_while_sorting = list(asked)
        # A touch logged with the last contact in name order moves it in "last touch" order.
        while app.screen.sort != "last touch":
            await pilot.press("o")
            await settle(app, pilot)
        before = contacts(app).ids
        app.screen.reload()
        await settle(app, pilot)
        asked.clear()
        await pilot.press("o", "o", "o", "o")
        await settle(app, pilot)
        return seen, ranked_while_sorting, list(asked), before

    seen, ranked, again, _ = drive(new_app(demo_db), scenario)
    for sort, (shown, expected, title) in seen.items():
        assert shown == expected, sort
        assert sort == "priority" or f"by {sort}" in title
    assert sorted(ranked) == sorted(SORTS[1:] + ("priority",))  # each order ranked once, then held
    assert again  # after a reload the held orders are gone: ranked afresh


def test_vim_keys_move_and_detail_follows(demo_db):
    async def scenario(app, pilot):
        ids = contacts(app).ids
        await pilot.press("j", "j")
        assert contacts(app).cursor == 2
        assert detail_title(app) == contacts(app).selected_row().name
        await pilot.press("k")
        assert contacts(app).cursor == 1
        await pilot.press("G")
        assert contacts(app).cursor == len(ids) - 1
        assert detail_title(app) == contacts(app).selected_row().name
        await pilot.press("g")
        assert contacts(app).cursor == 0
        await pilot.press("enter")
        assert isinstance(app.focused, ContactDetail)

    drive(new_app(demo_db), scenario)


def started_app(db):
    """The app as `netmaint` starts it: the database open and the list ranked on a thread."""
    from netmaint_tui.services.startup import Preload
    from netmaint_tui.store.db import open_database

    open_database(db)
    return new_app(db, preload=Preload(context()))


def run_typed_ahead(db, text: str, preload: bool = True):
    """Keys typed while `netmaint` starts (sent before the app runs), then the app settled.
    Returns (filter text, list cursor, name of the focused widget's class, contacts listed)."""
    import asyncio

    from netmaint_tui.store.db import close_database

    app = started_app(db) if preload else new_app(db)
    for key in keys_as_typed(text):
        app.post_message(key)

    async def main():
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            return app.screen.filter_text, contacts(app).cursor, type(app.focused).__name__, len(contacts(app).ids)

    try:
        return asyncio.run(main())
    finally:
        close_database()


def test_keys_typed_while_the_app_starts_are_kept_in_order(demo_db):
    assert run_typed_ahead(demo_db, "jjj")[1] == 3
    assert run_typed_ahead(demo_db, "/lumen")[:3] == ("lumen", 0, "FilterField")


def test_a_filter_typed_ahead_of_a_slow_ranking_still_applies(demo_db):
    """Without the start-up ranking (it failed, or the app was built without it) the list
    loads in a worker; a filter typed meanwhile narrows it once it is there."""
    text, _, focused, listed = run_typed_ahead(demo_db, "/lumen", preload=False)
    assert (text, focused) == ("lumen", "FilterField")
    assert 0 < listed < 150


def test_slash_and_a_name_typed_in_one_go_all_reach_the_filter(demo_db):
    """`/` takes the focus to the field before the next keys are handed on; in the field, "/"
    is a letter."""
    async def scenario(app, pilot):
        for key in keys_as_typed("/lum/x"):
            app.post_message(key)
        await settle(app, pilot)
        assert app.screen.query_one("#filter", Input).value == "lum/x"
        assert app.screen.filter_text == "lum/x"

    drive(new_app(demo_db), scenario)


def test_detail_and_week_follow_the_lists_first_frame(demo_db):
    """The first frame is the list alone; the detail and week panes are mounted right after it,
    and Enter typed ahead of them still moves the focus to the detail."""
    import asyncio

    from textual import events

    from netmaint_tui.store.db import close_database

    app = started_app(demo_db)
    app.post_message(events.Key("enter", "\r"))
    detail_at_first_draw = []

    async def main():
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            assert isinstance(app.focused, ContactDetail)
            assert detail_title(app) == contacts(app).selected_row().name
            assert "Streak" in static_text(app, "#week-streak")

    original = ContactList.render_line

    def render_line(self, y):
        if not detail_at_first_draw:
            detail_at_first_draw.append(bool(self.screen.query("#detail")))
        return original(self, y)

    ContactList.render_line = render_line
    try:
        asyncio.run(main())
    finally:
        ContactList.render_line = original
        close_database()
    assert detail_at_first_draw == [False]


def test_q_typed_while_the_app_starts_quits_cleanly(demo_db):
    import asyncio

    from netmaint_tui.store.db import close_database

    app = started_app(demo_db)
    app.post_message(keys_as_typed("q")[0])

    async def main():
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()

    try:
        asyncio.run(main())
    finally:
        close_database()
    assert app.return_code == 0


def test_a_week_that_cannot_be_counted_at_start_is_counted_again(demo_db, monkeypatch):
    """The start-up week is counted on the screen's thread; a failure there (a busy file, say)
    must not take the app down: a reload counts it again in a worker."""
    import netmaint_tui.ui.screens.main as screen

    real, calls = screen.week_summary, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk I/O error")
        return real(*args, **kwargs)

    monkeypatch.setattr(screen, "week_summary", flaky)
    app = started_app(demo_db)

    async def scenario(app, pilot):
        assert len(calls) == 2
        assert "touches" in static_text(app, "#week-progress-text")
        assert detail_title(app) == contacts(app).selected_row().name

    drive(app, scenario)


def test_slash_again_continues_the_kept_filter(demo_db):
    """Enter keeps the filter and goes back to the list; "/" then a letter, in one go, adds the
    letter to the filter rather than replacing it."""
    async def scenario(app, pilot):
        await pilot.press("slash", *"lum", "enter")
        await settle(app, pilot)
        assert isinstance(app.focused, ContactList)
        for key in keys_as_typed("/e"):
            app.post_message(key)
        await settle(app, pilot)
        assert app.screen.filter_text == "lume"

    drive(new_app(demo_db), scenario)


def test_a_terminal_too_short_for_a_row_still_gets_every_pane(demo_db):
    """The panes follow the list's first draw; with no room for a row there is none, and Enter
    typed ahead still brings them and reaches the detail (a timer brings them otherwise)."""
    import asyncio

    from textual import events

    from netmaint_tui.store.db import close_database

    app = started_app(demo_db)
    app.post_message(events.Key("enter", "\r"))

    async def main():
        async with app.run_test(size=(120, 5)) as pilot:
            await settle(app, pilot)
            return type(app.focused).__name__, bool(app.screen.query("#week"))

    try:
        assert asyncio.run(main()) == ("ContactDetail", True)
    finally:
        close_database()


def test_filter_as_you_type_and_escape_clears(demo_db):
    async def scenario(app, pilot):
        total = len(contacts(app).ids)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"lumen")
        await settle(app, pilot)
        filtered = contacts(app).ids
        assert 0 < len(filtered) < total
        # Those who work there first; then those whose touches or follow-ups name the company.
        companies = ["Lumen" in line for line in list_lines(app)[1:len(filtered) + 1]]
        assert companies[0] and companies == sorted(companies, reverse=True) and not all(companies)
        assert static_text(app, "#reason").startswith("found: Lumen (company) · ")
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(contacts(app).ids) == total
        assert isinstance(app.focused, ContactList)

    drive(new_app(demo_db), scenario)


def test_a_filter_backspaced_to_nothing_is_still_typing_the_rows_kept_and_the_details_left_for_a_pause(demo_db, monkeypatch):
    """Backspacing the last letter is a keystroke like the others: it neither fetches the rows
    drawn again nor reads the highlighted contact's details before the list is drawn (at 30,000
    contacts that keystroke took twice the others); the details come once typing pauses."""
    from netmaint_tui.ui.screens.main import MainScreen

    in_keystroke, shown = [], []
    real_filter, real_show = MainScreen._filter, MainScreen._show_detail

    def filtering(self, *args, **kwargs):
        in_keystroke.append(True)
        try:
            return real_filter(self, *args, **kwargs)
        finally:
            in_keystroke.pop()

    def showing(self, cid):
        shown.append((cid, bool(in_keystroke)))
        return real_show(self, cid)

    monkeypatch.setattr(MainScreen, "_filter", filtering)
    monkeypatch.setattr(MainScreen, "_show_detail", showing)

    async def scenario(app, pilot):
        total = len(contacts(app).ids)
        await pilot.press("slash", *"lu")
        await settle(app, pilot)
        assert len(contacts(app).ids) < total
        fetched = []
        real_fetch = contacts(app)._fetch
        contacts(app)._fetch = lambda ids: (fetched.append(list(ids)), real_fetch(ids))[1]
        shown.clear()
        await pilot.press("backspace", "backspace")
        await pilot.pause()
        assert len(contacts(app).ids) == total and app.screen.filter_text == ""
        assert not any(during for _, during in shown)  # not read inside the keystroke
        assert all(len(ids) < total for ids in fetched)  # only rows not drawn before, if any
        top = contacts(app).ids[0]
        assert top in contacts(app)._rows
        main = app.screen
        if main._detail_timer is not None:  # typing pauses: the details come
            main._detail_timer.stop()
            main._show_selected()
        assert shown and shown[-1] == (top, False)

    drive(new_app(demo_db), scenario)


def test_a_new_filter_word_lists_name_and_field_matches_at_once_and_the_rest_from_a_worker(demo_db, monkeypatch):
    """The notes, touches and follow-ups of a new word are searched on a worker: the keystroke
    draws the contacts whose names or fields have it (listed first in any case), and those found
    elsewhere come below them, the title saying meanwhile that notes are being searched."""
    import threading

    from netmaint_tui.services.search import Finder
    from netmaint_tui.ui.screens import main as main_module

    gate = threading.Event()
    real = main_module.elsewhere_hits

    def held(word):
        gate.wait(10)
        return real(word)

    monkeypatch.setattr(main_module, "elsewhere_hits", held)

    async def scenario(app, pilot):
        await pilot.press("slash", *"lu")
        await pilot.pause()
        first = list(contacts(app).ids)
        whole = Finder().order(app.screen._ranking, "lu")
        own = Finder().order(app.screen._ranking, "lu", own_only=True)
        assert first == own and len(own) < len(whole)  # Lumen's people, not yet those who wrote of it
        assert "searching notes" in title_text(contacts(app))
        gate.set()
        await settle(app, pilot)
        assert contacts(app).ids == whole and whole[:len(own)] == own
        assert "searching notes" not in title_text(contacts(app))

    drive(new_app(demo_db), scenario)


def test_a_search_that_returns_after_the_filter_changed_is_never_shown(demo_db, monkeypatch):
    """Typed on while a word's notes are searched: that search's result is dropped, and the list
    ends as the latest text finds, whichever search returns last."""
    import threading

    from netmaint_tui.services.search import Finder
    from netmaint_tui.ui.screens import main as main_module

    gates = {"fu": threading.Event()}
    real = main_module.elsewhere_hits

    def held(word):
        if word in gates:
            gates[word].wait(10)
        return real(word)

    monkeypatch.setattr(main_module, "elsewhere_hits", held)

    async def scenario(app, pilot):
        await pilot.press("slash", *"fu")
        await pilot.pause()
        await pilot.press(*"ndrais")  # "fu"'s search is still out
        await pilot.press("space", *"zzq")  # and then a word nobody has
        for _ in range(3):
            await pilot.pause()
        latest = Finder().order(app.screen._ranking, "fundrais zzq")
        assert latest == [] and contacts(app).ids == []
        gates["fu"].set()  # the stale search lands last
        await settle(app, pilot)
        assert app.screen.filter_text == "fundrais zzq"
        assert contacts(app).ids == latest and "searching notes" not in title_text(contacts(app))
        await pilot.press(*["backspace"] * 4)  # "fundrais": found in what was said
        await settle(app, pilot)
        assert contacts(app).ids == Finder().order(app.screen._ranking, "fundrais") != []

    drive(new_app(demo_db), scenario)


def test_the_filter_finds_words_in_touch_notes_and_says_where(demo_db):
    """"fundraising" is in no name or field of the sample network, only in what was said."""
    async def scenario(app, pilot):
        await pilot.press("slash", *"fundrais")
        await settle(app, pilot)
        assert contacts(app).ids
        assert re.match(r"found: fundraising \((touch|\d+ touches, latest) 20\d\d-\d\d-\d\d\) · ",
                        static_text(app, "#reason"))
        assert "fundrais" in title_text(contacts(app))
        # A second word narrows: both must be there, in any field or note.
        await pilot.press("space", *"lisb")
        await settle(app, pilot)
        both = contacts(app).ids
        assert both and "Lisbon (location)" in static_text(app, "#reason")

    drive(new_app(demo_db), scenario)


def test_filter_matches_tags(demo_db):
    async def scenario(app, pilot):
        await pilot.press("slash", *"mentor")
        await settle(app, pilot)
        from netmaint_tui.services.contacts import contact_detail

        assert contacts(app).ids
        assert all("mentor" in contact_detail(app.ctx, cid).tags for cid in contacts(app).ids)

    drive(new_app(demo_db), scenario)


def test_log_a_touch_shows_in_every_pane(demo_db):
    async def scenario(app, pilot):
        before_week = static_text(app, "#week-progress-text")
        name = contacts(app).selected_row().name
        await pilot.press("l")
        await pilot.pause()
        await pilot.press(*"Coffee, talked about hiring")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is app.main
        after_week = static_text(app, "#week-progress-text")
        assert before_week.split("/")[0] != after_week.split("/")[0]
        history = static_text(app, "#detail-history")
        assert "Coffee, talked about hiring" in history
        # Just touched: no longer near the top unless a follow-up keeps it there.
        row = next(r for r in [contacts(app).selected_row()] if r.name == name)
        assert row.last_touch is not None and "just now" in list_lines(app)[contacts(app).cursor + 1 - contacts(app).scroll_offset.y]

    drive(new_app(demo_db), scenario)


def test_log_form_keeps_text_when_the_date_is_refused(demo_db):
    async def scenario(app, pilot):
        await pilot.press("l")
        await pilot.pause()
        await pilot.press(*"keep me")
        app.screen.query_one("#t-when", Input).value = "tomorrow"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not app.main
        assert "future" in static_text(app, "#form-error")
        assert app.screen.query_one("#t-note").text == "keep me"
        # Esc asks before throwing the typed note away; n keeps the form, y closes it.
        form = app.screen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and form.query_one("#t-note").text == "keep me"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is app.main

    drive(new_app(demo_db), scenario)


def test_esc_closes_an_untouched_form_at_once(demo_db):
    async def scenario(app, pilot):
        for key in ("l", "a", "e"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            assert app.screen is not app.main
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is app.main, key

    drive(new_app(demo_db), scenario)


def test_snooze_hides_and_z_shows_snoozed(demo_db):
    async def scenario(app, pilot):
        cid = contacts(app).selected_id
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")  # the first choice: 1 week
        await settle(app, pilot)
        assert cid not in contacts(app).ids
        await pilot.press("z")
        await settle(app, pilot)
        assert cid in contacts(app).ids
        await pilot.press("z")
        await settle(app, pilot)
        await pilot.press("u")  # undo the snooze
        await settle(app, pilot)
        assert cid in contacts(app).ids

    drive(new_app(demo_db), scenario)


def test_archive_and_undo(demo_db):
    async def scenario(app, pilot):
        cid = contacts(app).selected_id
        await pilot.press("A")
        await settle(app, pilot)
        assert cid not in contacts(app).ids
        await pilot.press("u")
        await settle(app, pilot)
        assert cid in contacts(app).ids
        assert contacts(app).selected_id == cid
        # Archived contacts can be shown (Z) and restored (A).
        await pilot.press("A")
        await settle(app, pilot)
        await pilot.press("Z")
        await settle(app, pilot)
        assert cid in contacts(app).ids and "with archived" in contacts(app).border_title
        app.goto_contact(cid)
        await settle(app, pilot)
        await pilot.press("A")
        await settle(app, pilot)
        await pilot.press("Z")
        await settle(app, pilot)
        assert cid in contacts(app).ids

    drive(new_app(demo_db), scenario)


def test_a_long_note_wraps_under_its_touch_and_follows_the_width(empty_db, monkeypatch):
    """Every row of a wrapped note is indented under its touch (a hanging indent), at 80×24 and
    again after the terminal grows (once the new width holds: here at once)."""
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.touches import log_touch

    note = "Coffee near the office. Talked about design systems, hiring for the data team and the conference in May."

    def build(ctx):
        log_touch(ctx, [add_contact(ctx, "Dana Haddad")], at=ctx.now().subtract(days=3), note=note)

    with opened(empty_db) as ctx:
        build(ctx)
    monkeypatch.setattr(ContactDetail, "RELAYOUT_AFTER", 0.001)

    def note_rows(app) -> list[str]:
        rows = static_text(app, "#detail-history").split("\n")
        # After the title and the touch's own rows (at 80×24 its "catch-up" wraps to a second row).
        return rows[next(i for i, row in enumerate(rows) if "catch-up" in row) + 1:]

    async def scenario(app, pilot):
        detail = app.screen.query_one(ContactDetail)
        rows = note_rows(app)
        assert len(rows) > 2 and all(row.startswith("  ") for row in rows)
        assert max(len(row) for row in rows) <= detail.content_region.width - 2
        assert " ".join(row.strip() for row in rows) == note
        await pilot.resize_terminal(160, 40)
        for _ in range(20):  # the re-layout runs from a timer, due at once here
            if detail._relayout is None:
                break
            await pilot.pause()
        wide = note_rows(app)
        assert len(wide) < len(rows) and all(row.startswith("  ") for row in wide)
        assert " ".join(row.strip() for row in wide) == note

    drive(new_app(empty_db), scenario, size=(80, 24))


def test_a_long_history_is_laid_out_a_page_at_a_time(empty_db):
    """Years of touches with one contact: the newest page is laid out when the contact is
    selected, the next as the pane is scrolled to its end, and all of them on G."""
    import re

    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.touches import log_touch
    from netmaint_tui.ui.widgets.contact_detail import HISTORY_PAGE

    def build(ctx):
        cid = add_contact(ctx, "Dana Haddad")
        for i in range(60):
            log_touch(ctx, [cid], at=ctx.now().subtract(days=7 * i + 1), note=f"week {i} catch-up")

    with opened(empty_db) as ctx:
        build(ctx)

    def laid_out(app) -> int:
        return len(re.findall(r"^\d{4}-\d\d-\d\d \d\d:\d\d  ", static_text(app, "#detail-history"), re.M))

    async def scenario(app, pilot):
        history = static_text(app, "#detail-history")
        assert history.startswith("History (60)") and laid_out(app) == HISTORY_PAGE
        assert f"… {60 - HISTORY_PAGE} older touches: scroll on, or G for all of them" in history
        await pilot.press("enter")
        await settle(app, pilot)
        detail = app.screen.query_one(ContactDetail)
        for _ in range(40):  # page down until the next page comes
            await pilot.press("space")
            await settle(app, pilot)
            if laid_out(app) > HISTORY_PAGE:
                break
        assert laid_out(app) == 2 * HISTORY_PAGE and detail.scroll_y < detail.max_scroll_y
        await pilot.press("G")
        await settle(app, pilot)
        await pilot.pause()
        assert laid_out(app) == 60 and "older touches" not in static_text(app, "#detail-history")
        assert detail.scroll_y == detail.max_scroll_y
        assert "week 59 catch-up" in static_text(app, "#detail-history")

    drive(new_app(empty_db), scenario)


def test_a_history_shorter_than_the_pane_is_laid_out_whole(empty_db):
    """Touches without notes fit the pane: it cannot be scrolled, so all of them are there."""
    import re

    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.touches import log_touch
    from netmaint_tui.ui.widgets.contact_detail import HISTORY_PAGE

    def build(ctx):
        cid = add_contact(ctx, "Dana Haddad")
        for i in range(HISTORY_PAGE + 3):
            log_touch(ctx, [cid], at=ctx.now().subtract(days=7 * i + 1))

    with opened(empty_db) as ctx:
        build(ctx)

    async def scenario(app, pilot):
        history = static_text(app, "#detail-history")
        assert len(re.findall(r"^\d{4}-\d\d-\d\d ", history, re.M)) == HISTORY_PAGE + 3
        assert "older touch" not in history

    drive(new_app(empty_db), scenario, size=(160, 60))


def test_a_form_closes_with_what_its_save_returned_and_with_none_when_cancelled(empty_db):
    from netmaint_tui.ui.screens.contact_forms import ContactForm

    async def scenario(app, pilot):
        results = []
        app.push_screen(ContactForm("Add a contact", lambda values: values["name"].upper()), results.append)
        await pilot.pause()
        await pilot.press(*"dana", "ctrl+s")
        await pilot.pause()
        app.push_screen(ContactForm("Add a contact", lambda values: "never saved"), results.append)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        return results

    assert drive(new_app(empty_db), scenario) == ["DANA", None]


def test_add_and_edit_a_contact(empty_db):
    async def scenario(app, pilot):
        assert contacts(app).ids == []
        assert "Nobody listed. a adds a contact" in list_lines(app)[1]
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Omar Haddad", "tab", *"Cobalt Bank")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert len(contacts(app).ids) == 1
        assert detail_title(app) == "Omar Haddad"
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#f-role", Input).value = "CTO"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "CTO" in static_text(app, "#detail-fields")

    drive(new_app(empty_db), scenario)


def test_an_edit_keeps_what_another_netmaint_changed_meanwhile_and_asks_about_the_same_field(empty_db):
    import sqlite3

    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.ui.screens.forms import ConflictDialog

    with opened(empty_db) as ctx:
        add_contact(ctx, "Dana Lee", company="Initech", location="Berlin")

    def elsewhere(sql: str) -> None:  # another process writing the same file
        with sqlite3.connect(empty_db) as other:
            other.execute(sql)

    async def scenario(app, pilot):
        await pilot.press("e")
        await pilot.pause()
        elsewhere("UPDATE contact SET company = 'Globex'")
        app.screen.query_one("#f-location", Input).value = "Lisbon"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        fields = static_text(app, "#detail-fields")
        assert "Globex" in fields and "Lisbon" in fields  # the other change is not reverted

        await pilot.press("e")
        await pilot.pause()
        elsewhere("UPDATE contact SET company = 'Umbrella'")
        app.screen.query_one("#f-company", Input).value = "Acme"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictDialog)
        text = str(app.screen.query_one("#conflict-fields").render())
        assert "“Acme”" in text and "“Umbrella”" in text and "“Globex”" in text
        await pilot.press("escape")  # back to the form, nothing saved
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("k")  # keep mine
        await settle(app, pilot)
        assert "Acme" in static_text(app, "#detail-fields")
        await pilot.press("u")  # and undo puts the other one's value back
        await settle(app, pilot)
        assert "Umbrella" in static_text(app, "#detail-fields")

        await pilot.press("e")
        await pilot.pause()
        elsewhere("UPDATE contact SET company = 'Hooli'")
        app.screen.query_one("#f-company", Input).value = "Acme"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("t")  # take theirs: nothing of the form is written
        await settle(app, pilot)
        assert "Hooli" in static_text(app, "#detail-fields")
        assert notifications(app)[-1] == "Nothing changed"

    drive(new_app(empty_db), scenario)


def test_a_form_on_a_small_terminal_still_says_how_to_save(demo_db):
    """At 80×24 the log and the add forms are taller than the screen: their fields scroll, and
    the line saying ctrl+s saves stays in view."""

    async def scenario(app, pilot):
        for key in ("l", "a"):
            await pilot.press(key)
            await settle(app, pilot)
            assert "ctrl+s save · Esc cancel" in screen_text(app), key
            await pilot.press("escape")
            await settle(app, pilot)
        # A refusal long enough to take three rows: the fields give way again.
        await pilot.press("l")
        await settle(app, pilot)
        app.screen.query_one("#t-when", Input).value = "next " + "blursday " * 20
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        shown = screen_text(app)
        assert "blursday" in static_text(app, "#form-error") and app.screen is not app.main
        assert "ctrl+s save · Esc cancel" in shown

    drive(new_app(demo_db), scenario, size=(80, 24))


def test_add_form_refuses_a_bad_tier_value_and_stays_open(empty_db):
    async def scenario(app, pilot):
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#f-name", Input).value = "Dana"
        app.screen.query_one("#f-cadence", Input).value = "-3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "cadence" in static_text(app, "#form-error")
        assert app.screen.query_one("#f-name", Input).value == "Dana"

    drive(new_app(empty_db), scenario)


def test_help_lists_the_keys_of_the_focused_pane_and_the_app(demo_db):
    async def scenario(app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        from netmaint_tui.ui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(w.render()) for w in app.screen.query("Static"))  # scrolled out of view too
        for words in ("Contacts pane", "Everywhere", "Log", "Snooze", "Archive", "Filter", "Quit", "Down"):
            assert words in text
        # In the order the pane declares them, moving first (Down, Up, Top, Bottom), not
        # alphabetically by description ("Bottom" first).
        contacts_part = text.split("Contacts pane", 1)[1].split("Main screen", 1)[0]  # that pane's lines alone
        assert contacts_part.index("Down") < contacts_part.index("Up") < contacts_part.index("Top") < contacts_part.index("Bottom")
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)

    drive(new_app(demo_db), scenario)


def test_the_detail_pane_moves_through_the_history_with_the_lists_keys_and_help_lists_them(demo_db):
    """Enter moves to the detail; j/k select one touch after another (the pane scrolls to show
    it), G/g go to the oldest touch and back to the fields, space scrolls a page, and `?` there
    lists them under "Detail pane"."""
    async def scenario(app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        detail = app.screen.query_one(ContactDetail)
        assert app.focused is detail and detail.max_scroll_y > 10 and detail.cursor is None
        history = detail._detail.history
        await pilot.press("j", "j")
        await settle(app, pilot)
        assert detail.selected_touch() is history[1] and detail.scroll_y > 0
        shown = screen_text(app)
        assert history[1].at.strftime("%Y-%m-%d %H:%M") in shown
        await pilot.press("k")
        await settle(app, pilot)
        assert detail.selected_touch() is history[0]
        await pilot.press("k")  # above the newest touch: the fields again
        await settle(app, pilot)
        assert detail.cursor is None and detail.scroll_y == 0
        await pilot.press("G")
        await settle(app, pilot)
        assert detail.selected_touch() is history[-1] and detail.scroll_y == detail.max_scroll_y
        await pilot.press("g")
        await settle(app, pilot)
        assert detail.scroll_y == 0 and detail.cursor is None
        await pilot.press("space")
        await settle(app, pilot)
        assert detail.scroll_y > 5
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Detail pane" in text and "The oldest touch" in text and "Contacts pane" not in text
        assert "Correct the selected touch" in text and "Delete the selected touch" in text
        await pilot.press("escape", "escape")
        await settle(app, pilot)
        assert isinstance(app.focused, ContactList)

    drive(new_app(demo_db), scenario, size=(80, 24))


def test_palette_goes_to_a_contact(demo_db):
    async def scenario(app, pilot):
        target = contacts(app).ids[40]
        from netmaint_tui.services.contacts import contact_detail

        name = contact_detail(app.ctx, target).name
        app.goto_contact(target)
        await settle(app, pilot)
        assert contacts(app).selected_id == target
        assert detail_title(app) == name
        await pilot.press("ctrl+p")
        await pilot.pause()
        from textual.command import CommandPalette

        assert isinstance(app.screen, CommandPalette)
        # Opened empty, it lists the actions, not contacts (30,000 of them would bury them).
        await pilot.pause(0.3)
        listed = palette_options(app)
        assert "Log a touch" in [str(o.hit.prompt) for o in listed]
        assert not [o for o in listed if "Go to contact" == str(o.hit.help)]
        await pilot.press(*"Go to contact", "enter")
        await pilot.pause(0.3)
        # The contact picker: a few contacts before a name is typed (with their company), then
        # those that match, loosely as in the quick note: the name's letters without its vowels.
        assert isinstance(app.screen, CommandPalette)
        from netmaint_tui.services.contacts import contact_names

        first_few = contact_names("", limit=15)
        assert [str(o.hit.text) for o in palette_options(app)] == [n for _, n, _ in first_few]
        assert [str(o.hit.help) for o in palette_options(app)][:1] == [first_few[0][2]]
        first = app.main.query_one(ContactList).ids[0]
        first_name = contact_detail(app.ctx, first).name
        loose = "".join(c for c in first_name if c.lower() not in "aeiou ")
        await pilot.press(*loose)
        await pilot.pause(0.3)
        assert str(palette_options(app)[0].hit.text) == first_name
        assert "Go to contact" in str(palette_options(app)[0].hit.help)
        await pilot.press("enter")
        await settle(app, pilot)
        assert contacts(app).selected_id == first and detail_title(app) == first_name

    drive(new_app(demo_db), scenario)


def palette_options(app) -> list:
    from textual.command import CommandList

    command_list = app.screen.query_one(CommandList)
    return [command_list.get_option_at_index(i) for i in range(command_list.option_count)]


def test_sort_cycles(demo_db):
    async def scenario(app, pilot):
        await pilot.press("o")
        await settle(app, pilot)
        assert "by leads" in contacts(app).border_title
        # The count the list is sorted by is shown, in Bal's place, and runs down the list.
        lines = list_lines(app)
        assert "Leads" in lines[0] and "Bal" not in lines[0]
        shown = [int(line.split()[-1]) for line in lines[1:] if line.strip()]
        assert shown == sorted(shown, reverse=True) and shown[0] > 0
        for _ in range(2):
            await pilot.press("o")
            await settle(app, pilot)
        assert "by name" in contacts(app).border_title
        names = [r.name for r in (contacts(app)._fetch(contacts(app).ids[:20]))]
        assert names == sorted(names, key=str.lower)

    drive(new_app(demo_db), scenario)


def test_q_quits(demo_db):
    async def scenario(app, pilot):
        await pilot.press("q")
        await pilot.pause()
        return app.is_running

    assert drive(new_app(demo_db), scenario) is False


HOSTILE = [
    ("[bold red]Eve[/]", "[@click=app.quit]x"),
    ("Mallory \x1b]0;pwned\x07 \x1b[2J", "Evil\x9b31m Corp"),
    ("Rtl \u202etxt.exe", "[link=file:///etc/passwd]x"),
]


def test_hostile_text_is_shown_literally_and_inert(empty_db):
    def build(ctx):
        from netmaint_tui.services.contacts import add_contact
        from netmaint_tui.services.touches import log_touch

        for name, company in HOSTILE:
            cid = add_contact(ctx, name, company=company, tier="A", tags=["[b]tag[/b]"])
            log_touch(ctx, [cid], note="[red]note[/red] \x1b[31mred\x1b[0m\x07")

    with opened(empty_db) as ctx:
        build(ctx)

    async def scenario(app, pilot):
        lines = "\n".join(list_lines(app))
        assert "[bold red]Eve[/]" in lines
        assert "[@click=app.qu" in lines  # truncated to the column, still literal
        assert "\x1b" not in lines and "\x07" not in lines and "\x9b" not in lines and "\u202e" not in lines
        assert "␛]0;pwned␇" in lines
        # Titles are shown as typed too (a str title would be parsed as markup).
        assert detail_title(app) == "[bold red]Eve[/]"
        for _ in range(3):
            await pilot.press("j")
        await pilot.press("g")
        # Visit each contact: the detail shows the literal text, never interpreted.
        for _ in HOSTILE:
            text = static_text(app, "#detail-fields") + static_text(app, "#detail-history")
            assert "\x1b" not in text and "\x07" not in text
            assert "[red]note[/red]" in text
            assert "[b]tag[/b]" in text
            assert any(company in text for _, company in HOSTILE) or "Corp" in text
            await pilot.press("j")
        await pilot.click(ContactList)
        return app.is_running

    assert drive(new_app(empty_db), scenario) is True


def test_a_key_right_after_moving_acts_on_the_contact_under_the_cursor(demo_db):
    """j then l typed at once: the touch goes to the row the cursor is on, not the previous one."""

    async def scenario(app, pilot):
        target = contacts(app).ids[2]
        await pilot.press("j", "j", "l")
        await pilot.pause()
        await pilot.press(*"hello", "ctrl+s")
        await settle(app, pilot)
        from netmaint_tui.services.contacts import contact_detail

        assert contact_detail(app.ctx, target).history[0].note == "hello"

    drive(new_app(demo_db), scenario)


def test_a_fast_burst_across_tab_lands_in_the_right_fields(empty_db):
    """Typed (or pasted) faster than focus moves: the name and company still go where they belong."""

    async def scenario(app, pilot):
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Omar", "tab", *"Cobalt")
        await pilot.pause()
        assert app.screen.query_one("#f-name", Input).value == "Omar"
        assert app.screen.query_one("#f-company", Input).value == "Cobalt"

    drive(new_app(empty_db), scenario)


def log_form_after(demo_db, keys, burst: bool):
    """The log form's fields and focus after `keys`: posted all at once, as the terminal driver
    delivers a paste or a fast typist, or pressed one at a time with the screen settled between."""
    from textual import events
    from textual.widgets import Select, TextArea

    async def scenario(app, pilot):
        await pilot.press("l")
        await settle(app, pilot)
        for key in keys:
            if burst:
                name = {" ": "space"}.get(key, key)
                app.post_message(events.Key(name, key if len(key) == 1 else None))
            else:
                await pilot.press(key)
                await pilot.pause()
        await settle(app, pilot)
        form = app.screen
        return (type(form).__name__, form.query_one("#t-note", TextArea).text,
                form.query_one("#t-channel", Select).value, form.query_one("#t-kind", Select).value,
                form.query_one("#t-when", Input).value, form.query_one("#t-minutes", Input).value,
                getattr(app.focused, "id", None))

    return drive(new_app(demo_db), scenario)


BURSTS = {
    "text through a text area": [*"Lunch on Omar", "tab", "tab", "tab", *"2h ago", "tab", *"45"],
    # Bound keys (not typed text) run before the Tab behind them, in the field they were meant for.
    "editing keys": [*"ab", "backspace", "tab", "tab", "tab", "ctrl+u", *"1d", "left", "backspace", "2"],
    "opening a list": ["tab", "down", "tab", "x"],
    "picking from lists": ["tab", "down", "down", "enter", "tab", "down", "down", "down", "enter", "tab", "3",
                           "tab", *"45"],
    "closing a list": ["tab", "down", "down", "escape", "tab", "down", "down", "tab", "7", "tab", "tab", "q"],
    # Letters on a closed list go nowhere, as typed slowly; not into a later field after the keys behind them.
    "letters on a closed list": ["tab", *"xy", "tab", "tab", "9"],
}


@pytest.mark.parametrize("keys", BURSTS.values(), ids=BURSTS.keys())
def test_a_burst_through_the_log_form_does_what_the_same_keys_do_one_by_one(demo_db, keys):
    """The app hands each key to the field focused when the key arrives, before the keys ahead of
    it have moved the focus; the fields must still end as they do when the keys come one by one."""
    assert log_form_after(demo_db, keys, burst=True) == log_form_after(demo_db, keys, burst=False)


def test_a_burst_fills_the_log_form_field_by_field(demo_db):
    assert log_form_after(demo_db, BURSTS["text through a text area"], burst=True) == (
        "LogTouchForm", "Lunch on Omar", "meeting", "catch-up", "2h ago", "45", "t-minutes")
    assert log_form_after(demo_db, BURSTS["picking from lists"], burst=True)[2:] == (
        "card", "ask", "3", "45", "t-minutes")


def test_a_drawn_row_is_redrawn_when_its_age_theme_or_data_changes(empty_db):
    """Rows are kept once drawn (cursor moves and filter keys redraw the whole list); what they
    show must still follow the clock, the theme and the data."""
    from netmaint_tui.clock import Clock
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.touches import log_touch

    start = clock_at().now()

    def build(ctx):
        cid = add_contact(ctx, "Dana Lee", company="Cobalt")
        log_touch(ctx, [cid], at=start.subtract(seconds=20))

    with opened(empty_db) as ctx:
        build(ctx)
    moment = {"now": start}
    moving = Clock(clock_at().tz, lambda: moment["now"])

    async def scenario(app, pilot):
        row = lambda: list_lines(app)[1]  # noqa: E731
        seen = [row()]
        # Still the clock's same minute, but the touch is now more than a minute old.
        moment["now"] = start.add(seconds=45)
        contacts(app).refresh()
        await pilot.pause()
        assert "1m ago" in row()
        moment["now"] = start.add(minutes=5)
        contacts(app).refresh()
        await pilot.pause()
        seen.append(row())
        before = contacts(app).render_line(1)
        app.theme = "textual-light"
        await pilot.pause()
        after = contacts(app).render_line(1)
        await pilot.press("l")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        seen.append(row())
        return seen, before.text == after.text, before != after

    seen, same_text, restyled = drive(new_app(empty_db, clock=moving), scenario)
    assert "just now" in seen[0]
    assert "5m ago" in seen[1]
    assert same_text and restyled
    assert "just now" in seen[2]  # the touch just logged


def test_long_fields_and_follow_ups_wrap_beside_their_label(empty_db):
    """A value or a follow-up too long for the pane goes on under itself, not under its label or
    date; a web address that fits the pane's width only without its label gets a row of its own,
    whole, so it can still be read and copied in one piece."""
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.followups import add_follow_up

    met = "at the data conference in Lisbon, after her talk about hiring the first analysts"
    what = "send the deck about the data platform and the notes from the hiring panel"
    url = "https://www.linkedin.com/in/dana-ha"  # as stored: one spelling per profile

    def build(ctx):
        cid = add_contact(ctx, "Dana Haddad", how_met=met, linkedin_url=url)
        add_follow_up(ctx, what, suggested_by=cid)

    with opened(empty_db) as ctx:
        build(ctx)

    async def scenario(app, pilot):
        width = app.screen.query_one(ContactDetail)._width
        # The test means something only if the values must wrap, and the address fits the pane
        # without its label only.
        assert 20 < width < len(met) and width - 10 < len(url) <= width
        fields = static_text(app, "#detail-fields").split("\n")
        start = next(i for i, row in enumerate(fields) if row.startswith("Met       "))
        rows = [fields[start][10:]]
        for row in fields[start + 1:]:
            if not row.startswith(" " * 10):
                break
            rows.append(row[10:])
        assert len(rows) > 1 and " ".join(rows) == met
        link = [row.rstrip() for row in fields].index("LinkedIn")  # the label alone, then the address whole
        assert fields[link + 1] == url
        follow_ups = static_text(app, "#detail-follow-ups").split("\n")[1:]
        indent = len("Sun 22 Nov 10:00  ")
        assert len(follow_ups) > 1 and all(row.startswith(" " * indent) for row in follow_ups[1:])
        assert " ".join(row[indent:] for row in follow_ups) == what

    drive(new_app(empty_db), scenario, size=(100, 30))


def test_the_week_pane_breaks_its_rows_between_whole_pieces(demo_db):
    """At 80×24 the week pane is narrow: its rows break between "best 14" and "strength 83%", or
    between two names, never inside one; at 120 columns each fits on one row again."""
    from netmaint_tui.ui.format import rows

    narrow = rows(["3/5 touches · 75/60 min", "in progress"], "  ", 30)
    assert narrow.plain == "3/5 touches · 75/60 min\nin progress"
    assert rows(["a", "b"], "  ", 0).plain == "a  b"  # not laid out yet: one row

    async def scenario(app, pilot):
        def pane(selector):
            return static_text(app, selector).split("\n")

        streak, names = pane("#week-streak"), pane("#week-next")
        assert len(streak) == 2 and streak[1].startswith("strength ")
        assert len(names) > 1 and all(not row.startswith(" ") for row in names)
        suggested = app.screen._week.suggestions
        assert " ".join(names).split(": ", 1)[1] == ", ".join(suggested)
        assert all(any(name in row for row in names) for name in suggested)  # each on one row
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        assert len(pane("#week-streak")) == 1 and len(pane("#week-next")) == 1

    drive(new_app(demo_db), scenario, size=(80, 24))


def test_tab_moves_between_the_list_the_detail_and_the_week(demo_db):
    async def scenario(app, pilot):
        from netmaint_tui.ui.widgets.week_tracker import WeekTracker

        assert isinstance(app.focused, ContactList)
        await pilot.press("tab")
        assert isinstance(app.focused, ContactDetail)
        await pilot.press("tab")
        assert isinstance(app.focused, WeekTracker)
        await pilot.press("tab")
        assert isinstance(app.focused, ContactList)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, WeekTracker)

    drive(new_app(demo_db), scenario)


def test_keys_that_arrive_together_all_move_through_the_history(demo_db):
    """A held j, or ten typed at once, moves ten touches, as it moves the list ten rows."""

    async def scenario(app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        detail = app.screen.query_one(ContactDetail)
        assert app.focused is detail and len(detail._detail.history) >= 11
        await burst(app, pilot, *"j" * 10)
        assert detail.cursor == 9
        await burst(app, pilot, *"k" * 4)
        assert detail.cursor == 5

    drive(new_app(demo_db), scenario)


def test_archiving_or_snoozing_leaves_the_cursor_on_the_next_contact(demo_db):
    """Walking down the list and archiving or snoozing as you go, the cursor stays in place, on
    the contact that followed; on the last row it goes to the one before."""
    async def scenario(app, pilot):
        listed = contacts(app)
        await pilot.press(*"jjjj")
        before = list(listed.ids)
        await pilot.press("A")
        await settle(app, pilot)
        assert listed.cursor == 4 and listed.selected_id == before[5]
        await pilot.press("s", "enter")  # snooze for the first choice, a week
        await settle(app, pilot)
        assert listed.cursor == 4 and listed.selected_id == before[6]
        await pilot.press("G")
        last, previous = listed.ids[-1], listed.ids[-2]
        await pilot.press("A")
        await settle(app, pilot)
        assert listed.selected_id == previous and last not in listed.ids
        await pilot.press("/", *"zzzz")  # a filter that matches nobody keeps nothing to follow
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert listed.ids and 0 <= listed.cursor < len(listed.ids)

    drive(new_app(demo_db), scenario)


def test_snoozed_and_archived_rows_say_so_when_shown(demo_db):
    """With z or Z the hidden contacts come back into the list: their Due column says why they
    were hidden, so they cannot be taken for ones due."""
    async def scenario(app, pilot):
        listed = contacts(app)
        first, second = listed.ids[0], listed.ids[1]
        await pilot.press("s", "enter")  # snooze the first for a week
        await settle(app, pilot)
        await pilot.press("A")  # archive the one now under the cursor
        await settle(app, pilot)
        await pilot.press("z", "Z")
        await settle(app, pilot)
        lines = list_lines(app)
        snoozed = next(line for line in lines if listed._rows[first].name[:12] in line)
        archived = next(line for line in lines if listed._rows[second].name[:12] in line)
        assert "zz 29 Nov" in snoozed and "overdue" not in snoozed and not snoozed.startswith("!")
        assert "archived" in archived and "overdue" not in archived

    drive(new_app(demo_db), scenario)


def test_the_footer_keeps_help_and_quit_in_view_at_80_columns(demo_db):
    """At 80 columns the footer used to end at "f Follow-ups": "? Help" and "q Quit" were cut off."""

    async def scenario(app, pilot):
        footer = screen_text(app).split("\n")[-1]
        assert all(key in footer for key in ("/ Filter", "a Add", "l Log", "? Help", "n Note", "q Quit"))
        assert "A Archive" not in footer  # in ? and ctrl+p, and A still archives
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        footer = screen_text(app).split("\n")[-1]
        assert all(key in footer for key in ("e Edit", "s Snooze", "A Archive", "w Session", "? Help", "q Quit"))

    drive(new_app(demo_db), scenario, size=(80, 24))


def test_the_palette_has_one_help_not_textuals_keys_panel_too(demo_db):
    async def scenario(app, pilot):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Help: every key" in titles and "Keys" not in titles

    drive(new_app(demo_db), scenario)


def test_dates_stored_out_of_range_are_shown_in_the_list_detail_and_follow_ups(empty_db):
    """Year 1 and year 9999, written by an older version; in Berlin (east of UTC) 9999-12-31
    23:00 UTC is already year 10000. Every row's detail and the follow-ups view still draw."""
    from netmaint_tui.services.contacts import add_contact
    from tests.conftest import store_dates_out_of_range

    with opened(empty_db) as ctx:
        (add_contact(ctx, "Dan Brown", tier="C"), add_contact(ctx, "Omar Fischer"))
    store_dates_out_of_range(empty_db, "Dan Brown", "Omar Fischer")

    async def scenario(app, pilot):
        shown = set()
        for _ in range(6):  # every active contact
            shown.add(detail_title(app))
            await pilot.press("j")
            await settle(app, pilot)
        assert {"Dan Brown", "Omar Fischer", "Edge Never 0", "Edge Never 1"} <= shown
        await pilot.press("f")
        await settle(app, pilot)
        text = screen_text(app)
        assert "edge 0" in text and "edge 1" in text

    drive(new_app(empty_db), scenario)


def test_g_in_a_long_history_lays_out_the_oldest_page_and_newer_pages_come_back_upward(empty_db):
    """G in a history of hundreds of touches lays out its last page only (not every touch before
    it); k from the top of that page and scrolling up bring the newer ones back; g is the top."""
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.touches import log_touch
    from netmaint_tui.ui.widgets.contact_detail import HISTORY_PAGE

    with opened(empty_db) as ctx:
        cid = add_contact(ctx, "Dana Haddad")
        for i in range(200):
            log_touch(ctx, [cid], at=ctx.now().subtract(days=i + 1), note=f"day {i}")

    def laid_out(app) -> int:
        return len(re.findall(r"^\d{4}-\d\d-\d\d \d\d:\d\d  ", static_text(app, "#detail-history"), re.M))

    async def scenario(app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        detail = app.screen.query_one(ContactDetail)
        await pilot.press("G")
        await settle(app, pilot)
        history = static_text(app, "#detail-history")
        assert detail.cursor == 199 and detail.scroll_y == detail.max_scroll_y
        assert laid_out(app) == HISTORY_PAGE and "day 199" in history
        assert f"… {200 - HISTORY_PAGE} newer touches above" in history
        for _ in range(HISTORY_PAGE):
            await pilot.press("k")
        await settle(app, pilot)
        assert detail.cursor == 199 - HISTORY_PAGE and laid_out(app) > HISTORY_PAGE
        for _ in range(60):
            await pilot.press("pageup")
            await settle(app, pilot)
        assert laid_out(app) == 200 or detail.scroll_y == 0
        await pilot.press("g")
        await settle(app, pilot)
        assert detail.scroll_y == 0 and detail.cursor is None and "newer touch" not in static_text(app, "#detail-history")

    drive(new_app(empty_db), scenario)


def test_the_details_follow_the_contact_a_filter_word_lands_on_once_its_notes_are_searched(demo_db):
    """`/zara` typed in one go: the list's first row changes inside the keystroke and its details
    wait for a pause; the search of notes returning meanwhile must not leave them on the contact
    listed before."""
    async def scenario(app, pilot):
        before = detail_title(app)
        for key in keys_as_typed("/zara"):
            app.post_message(key)
        await settle(app, pilot)
        await pilot.pause(0.3)  # past the pause in typing the details wait for
        await settle(app, pilot)
        row = contacts(app).selected_row()
        return before, row.name, detail_title(app)

    before, selected, shown = drive(new_app(demo_db), scenario)
    assert selected.startswith("Zara") and not before.startswith("Zara")
    assert shown.startswith(selected)


def test_keys_sent_with_enter_or_down_from_the_filter_go_to_the_list(demo_db):
    """Pasted, or over a slow link, "/haddad", Enter and "jj" arrive together: Enter hands the
    focus to the list inside its keystroke, so the j's move the cursor, not into the filter."""
    def sent(*keys):
        async def scenario(app, pilot):
            await burst(app, pilot, *keys)
            await settle(app, pilot)
            ids = contacts(app).ids
            chosen = ids.index(contacts(app).selected_id) if contacts(app).selected_id in ids else None
            return app.screen.filter_text, chosen, isinstance(app.focused, ContactList)
        return drive(new_app(demo_db), scenario)

    assert sent("slash", *"haddad", "enter", "j", "j") == ("haddad", 2, True)
    assert sent("slash", *"haddad", "down", "down", "down") == ("haddad", 2, True)


def test_enter_and_g_sent_together_open_the_details_at_the_oldest_touch(demo_db):
    async def scenario(app, pilot):
        top = contacts(app).selected_id
        await burst(app, pilot, "enter", "G")
        await settle(app, pilot)
        detail = app.screen.query_one(ContactDetail)
        return top, contacts(app).selected_id, app.focused is detail, detail.selected_touch() is detail._detail.history[-1]

    top, still, focused, oldest = drive(new_app(demo_db), scenario)
    assert still == top and focused and oldest

