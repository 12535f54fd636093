"""The weekly session: the plan, one-key touches with an optional note, give, snooze, follow-up
done with thanks, the stopwatch, and the summary with the streak after the session."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from netmaint_tui.ui.screens import weekly_session
from netmaint_tui.ui.screens.forms import ConfirmDialog
from netmaint_tui.ui.screens.quick_note import CloseNoteDialog, QuickNoteScreen
from netmaint_tui.services.session import session_plan
from netmaint_tui.ui.screens.weekly_session import WeeklySessionScreen
from tests.ui.conftest import NOW, ZONE, burst, drive, new_app, opened, screen_text, settle, static_text

HOSTILE = "[bold red]Eve[/]"


def at(*args):
    return pendulum.datetime(*args, tz=ZONE)


class Stopwatch:
    """The session's monotonic clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def stopwatch(monkeypatch):
    watch = Stopwatch()
    monkeypatch.setattr(weekly_session, "monotonic", watch)
    return watch


@pytest.fixture
def db(tmp_path):
    """A goal of 2 a week, met the last two weeks; Lena has a follow-up due Friday."""
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.followups import add_follow_up
    from netmaint_tui.services.habit import set_goal
    from netmaint_tui.services.touches import log_touch

    path = tmp_path / "t.db"
    with opened(path, NOW) as ctx:
        ids = {
            "dana": add_contact(ctx, "Dana Lee", tier="A", company="Northwind Labs"),
            "eve": add_contact(ctx, HOSTILE, tier="A"),
            "omar": add_contact(ctx, "Omar Haddad", tier="B"),
            "lena": add_contact(ctx, "Lena Fischer", tier="C"),
        }
        set_goal(ctx, 2, None, from_date=dt.date(2025, 2, 24))
        log_touch(ctx, [ids["omar"]], at=at(2025, 2, 25, 12), note="Lunch\nasked about the role", kind="ask")
        log_touch(ctx, [ids["lena"]], at=at(2025, 2, 26, 12))
        log_touch(ctx, [ids["omar"]], at=at(2025, 3, 4, 12), channel="call")
        log_touch(ctx, [ids["lena"]], at=at(2025, 3, 5, 12), channel="email")
        add_follow_up(ctx, "send Lena the paper", due=at(2025, 3, 14, 9), suggested_by=ids["omar"], about=ids["lena"])
    return path, ids


def test_the_plan_is_the_top_of_the_list_sized_by_the_goal_then_this_weeks_follow_ups(db):
    from netmaint_tui.services.due import due_list

    path, ids = db
    with opened(path, NOW) as ctx:
        top = [r.id for r in due_list(ctx, limit=2)]
        assert ids["lena"] not in top
        plan = session_plan(ctx)
        assert plan.ids == [*top, ids["lena"]] and plan.waiting == 0


def test_a_whole_session_by_keys_logs_snoozes_thanks_and_ends_with_the_streak(db, stopwatch):
    path, ids = db

    async def go(app, pilot):
        await pilot.press("w")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, WeeklySessionScreen)
        plan = list(screen.plan)
        assert len(plan) == 3 and plan[2] == ids["lena"]
        first = plan[0]
        shown = screen_text(app)
        assert "Session 1/3" in shown and "⏱ 0:00" in shown
        assert "Goodwill" in shown and "Last notes" in shown

        # g then e: an email, as a give, with a note (and a follow-up from it)
        await pilot.press("g")
        await pilot.pause()
        assert "next touch: give" in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        await burst(app, pilot, *"Sent the intro.", "enter", *"todo: send the intro fri")
        stopwatch.now += 754
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert screen.current_id() == plan[1]
        assert "Session 2/3" in screen_text(app) and "⏱ 12:34" in screen_text(app)
        assert "next touch: catch-up" in screen_text(app)  # give is for one touch only

        # c, then ctrl+s with no note: a call, a catch-up
        await pilot.press("c", "ctrl+s")
        await settle(app, pilot)
        assert screen.current_id() == ids["lena"]
        assert "send Lena the paper" in screen_text(app)

        # x: her follow-up is done, and Omar (who suggested it) is thanked
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question.startswith("Thank Omar Haddad?")
        await pilot.press("y")
        await settle(app, pilot)

        # z: snoozed a week; that was the last step, so the summary follows
        stopwatch.now += 100
        await pilot.press("z")
        await settle(app, pilot)
        assert screen.ended
        summary = screen_text(app)
        assert "Session done" in summary and "14:14" in summary
        assert "Touches   3  (gives 2 · asks 0 · catch-ups 1)" in summary
        assert "1 snoozed · 1 follow-up done" in summary
        assert "This week 3/2 touches  goal met ✓" in summary
        assert "Streak    3 weeks" in summary
        stopwatch.now += 500
        await pilot.pause()
        assert "14:14" in screen_text(app)  # the stopwatch stops with the session
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is app.main
        return first, plan[1]

    first, second = drive(new_app(path, NOW), go)
    from netmaint_tui.services.contacts import contact_detail
    from netmaint_tui.services.followups import list_follow_ups

    with opened(path, NOW) as ctx:
        (email,) = contact_detail(ctx, first).history
        assert (email.channel, email.kind, email.note) == ("email", "give", "Sent the intro.\ntodo: send the intro fri")
        assert email.at == at(2025, 3, 12, 10)
        assert [f.what for f in list_follow_ups(ctx)] == ["send the intro"]
        assert [(t.channel, t.kind, t.note) for t in contact_detail(ctx, second).history] == [("call", "catch-up", "")]
        omar = contact_detail(ctx, ids["omar"])
        assert (omar.history[0].kind, omar.history[0].note) == ("give", "Thanks for suggesting: send Lena the paper")
        lena = contact_detail(ctx, ids["lena"])
        assert lena.snoozed_until == dt.date(2025, 3, 19)
        assert [f.status for f in list_follow_ups(ctx, "done")] == ["done"]


def test_esc_with_the_note_open_cancels_that_touch_n_and_p_move_and_n_is_not_a_quick_note(db, stopwatch):
    path, _ = db

    async def go(app, pilot):
        await pilot.press("w")
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("m", *"never mind", "escape")
        await pilot.pause()
        assert isinstance(app.screen, CloseNoteDialog)  # a typed note is not thrown away unasked
        await pilot.press("d")
        await pilot.pause()
        assert screen.index == 0 and not screen.ended
        assert screen.tally.touches == []
        await pilot.press("n")
        await pilot.pause()
        assert screen.index == 1
        assert not any(isinstance(s, QuickNoteScreen) for s in app.screen_stack)
        await pilot.press("p")
        await pilot.pause()
        assert screen.index == 0
        await pilot.press("escape")
        await pilot.pause()
        assert screen.ended and "Touches   0" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is app.main

    drive(new_app(path, NOW), go)
    from netmaint_tui.services.touches import Touch

    with opened(path, NOW):
        assert Touch.select().count() == 4  # only the ones made before the session


def test_names_show_literally_in_the_session(db, stopwatch):
    path, ids = db

    async def go(app, pilot):
        await pilot.press("w")
        await settle(app, pilot)
        screen = app.screen
        screen.index = screen.plan.index(ids["eve"])
        screen._show()
        await pilot.pause()
        assert HOSTILE in screen_text(app)

    drive(new_app(path, NOW), go)


def test_an_empty_network_says_there_is_nothing_planned(tmp_path, stopwatch):
    path = tmp_path / "empty.db"
    with opened(path, NOW):
        pass

    async def go(app, pilot):
        await pilot.press("w")
        await settle(app, pilot)
        assert "Nothing planned" in screen_text(app)
        await pilot.press("c", "z", "x")  # nothing to act on: nothing happens
        await pilot.pause()
        assert app.screen.tally.touches == []
        await pilot.press("escape", "escape")
        await settle(app, pilot)
        assert app.screen is app.main

    drive(new_app(path, NOW), go)


def test_the_summary_offers_only_its_own_keys(db, stopwatch):
    """At the summary the session's keys act on nobody: they leave the footer and do nothing,
    and the key line goes; during the session that line breaks between keys, never inside one."""
    path, _ = db

    async def go(app, pilot):
        await pilot.press("w")
        await settle(app, pilot)
        session = app.screen
        keys = str(session.query_one("#ws-keys").render()).split("\n")
        assert len(keys) > 1 and all(not row.startswith(("·", " ")) for row in keys)
        assert " · ".join(keys).split(" · ") == list(session.KEYS)  # no key split across rows
        await pilot.press("escape")
        await settle(app, pilot)
        assert session.ended and not session.query_one("#ws-keys").display
        shown = {b.binding.action for b in session.active_bindings.values() if b.enabled}
        assert "touch('e')" not in shown and "next" not in shown and "escape" in shown
        await pilot.press("e", "c")
        await pilot.pause()
        assert session.tally.touches == [] and app.screen is session
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is app.main

    drive(new_app(path, NOW), go, size=(80, 24))


def test_the_session_says_its_keys_once_and_shows_the_plan_beside_the_contact(db, stopwatch):
    path, _ = db

    async def go(app, pilot):
        await pilot.press("w")
        await settle(app, pilot)
        shown = screen_text(app)
        assert shown.count("x follow-up done") == 1 and "? help" in shown
        assert "Follow-up done" not in shown  # no footer saying them a second time
        plan = str(app.screen.query_one("#ws-plan").render())
        assert plan.startswith("Plan") and "›  1. " in plan and len(plan.split("\n")) == 1 + len(app.screen.plan)

    drive(new_app(path, NOW), go, size=(120, 40))


def test_x_asks_which_follow_up_is_done_and_u_takes_it_back(db, stopwatch):
    from netmaint_tui.services.followups import add_follow_up, list_follow_ups
    from netmaint_tui.ui.screens.weekly_session import PickFollowUp

    path, ids = db
    with opened(path, NOW) as ctx:
        add_follow_up(ctx, "book the workshop room", due=at(2025, 3, 13, 9), about=ids["lena"])

    async def go(app, pilot):
        await pilot.press("w")
        await settle(app, pilot)
        session = app.screen
        session.index = session.plan.index(ids["lena"])
        session._show()
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, PickFollowUp)
        assert "book the workshop room" in screen_text(app) and "send Lena the paper" in screen_text(app)
        await pilot.press("down", "enter")  # the second: the paper (due later)
        await settle(app, pilot)
        if isinstance(app.screen, ConfirmDialog):  # the thanks to Omar: not now
            await pilot.press("n")
            await settle(app, pilot)
        return session

    drive(new_app(path, NOW), go)
    with opened(path, NOW) as ctx:
        still = {f.what for f in list_follow_ups(ctx, "open")}
    assert still == {"book the workshop room"}

    # The undo history lives in the app: in one run, done then u.
    async def both(app, pilot):
        await pilot.press("w")
        await settle(app, pilot)
        session = app.screen
        session.index = session.plan.index(ids["lena"])
        session._show()
        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("enter")  # the first: the room
        await settle(app, pilot)
        if isinstance(app.screen, ConfirmDialog):
            await pilot.press("n")
            await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)

    drive(new_app(path, NOW), both)
    with opened(path, NOW) as ctx:
        assert {f.what for f in list_follow_ups(ctx, "open")} == {"book the workshop room"}


def test_the_summary_counts_only_what_stands_after_undo(db, stopwatch):
    path, ids = db

    async def go(app, pilot):
        await pilot.press("w")
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("c", "ctrl+s")  # a call, then taken back
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        assert "0 logged" in screen_text(app)
        await pilot.press("z")  # snoozed, then taken back
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        screen.index = screen.plan.index(ids["lena"])
        screen._show()
        await pilot.press("x")  # done (and Omar thanked), then both taken back
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        await pilot.press("z")  # this snooze stands
        await settle(app, pilot)
        assert screen.ended
        summary = screen_text(app)
        assert "Touches   0" in summary
        assert "1 snoozed · 0 follow-ups done" in summary

    drive(new_app(path, NOW), go)


def test_a_typed_session_note_closed_with_esc_can_be_kept_as_a_draft_and_its_keys_fit(db, stopwatch):
    from netmaint_tui.services.drafts import load_draft

    path, _ = db

    async def go(app, pilot):
        await pilot.press("w")
        await settle(app, pilot)
        screen = app.screen
        first = screen.current_id()
        await pilot.press("c", *"hello")
        await pilot.pause()
        keys = static_text(app, "#ws-keys")
        assert "ctrl+s" in keys and "e email" not in keys  # only the note's keys while it is typed
        label = static_text(app, "#ws-note-label")
        assert "ctrl+s logs it" in label and "Esc cancels" in label  # whole at 80 columns
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CloseNoteDialog)
        await pilot.press("escape")  # back to the note, text and all
        await pilot.pause()
        assert app.screen is screen and screen.pending == "call"
        assert screen.query_one("#ws-note").text == "hello"
        await pilot.press("escape", "k")
        await settle(app, pilot)
        assert screen.pending is None and screen.tally.touches == []
        assert "e email" in static_text(app, "#ws-keys")
        return first

    first = drive(new_app(path, NOW), go, size=(80, 24))
    with opened(path, NOW):
        draft = load_draft()
    assert draft["note"] == "hello" and draft["channel"] == "call" and first in draft["picked"].values()


def test_w_plans_from_the_ranking_and_goal_the_list_holds_and_ranks_again_after_a_change(db, stopwatch, monkeypatch):
    """At 30,000 contacts ranking and counting the weeks were most of the time `w` took: the
    session is planned from what the main screen holds, and after a change that is being
    re-ranked, from the database as it is."""
    from netmaint_tui.services import session as session_service
    from netmaint_tui.services.contacts import snooze

    path, ids = db
    with opened(path, NOW) as ctx:
        expected = session_plan(ctx).ids
    calls = []
    real_due_list, real_week = session_service.due_list, session_service.week_summary

    def counted(name, real):
        def call(*args, **kwargs):
            calls.append(name)
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(session_service, "due_list", counted("due_list", real_due_list))
    monkeypatch.setattr(session_service, "week_summary", counted("week_summary", real_week))
    # A contact's last notes only: a history of 3,000 touches is not read to show six.
    read, real_detail = [], weekly_session.contact_detail
    monkeypatch.setattr(weekly_session, "contact_detail",
                        lambda ctx, cid, **kw: (read.append(kw.get("history_limit")), real_detail(ctx, cid, **kw))[1])

    async def go(app, pilot):
        await pilot.press("w")
        await settle(app, pilot)
        assert isinstance(app.screen, WeeklySessionScreen)
        assert app.screen.plan == expected and calls == []  # nothing ranked or counted again
        assert read and None not in read and "Last notes" in screen_text(app)
        await pilot.press("escape", "escape")
        await settle(app, pilot)
        # A change whose re-ranking is still on its way: the held ranking is not used.
        main = app.screen
        snooze(app.ctx, expected[0], app.ctx.today() + dt.timedelta(days=7))
        main.reload()
        assert main.held_ranking() == (None, None)
        await settle(app, pilot)
        ranked, goal = main.held_ranking()
        assert expected[0] not in ranked and goal == 2
        await pilot.press("w")
        await settle(app, pilot)
        assert expected[0] not in app.screen.plan

    drive(new_app(path, NOW), go)
