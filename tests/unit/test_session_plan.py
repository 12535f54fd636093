"""The weekly session plans an hour: the goal's number of people, then at most as many follow-ups."""

from __future__ import annotations

import datetime as dt

from netmaint_tui.rules.session import plan_session
from netmaint_tui.services.contacts import add_contact
from netmaint_tui.services.followups import add_follow_up
from netmaint_tui.services.habit import set_goal
from netmaint_tui.services.session import session_plan


def test_the_top_comes_first_then_follow_ups_up_to_the_same_number_and_the_rest_wait():
    plan = plan_session([1, 2, 3], [9, 2, 8, 9, 7, 6, 5], size=3)
    assert plan.ids == [1, 2, 3, 9, 8, 7]  # 2 is already planned; 9 counted once
    assert plan.waiting == 2  # 6 and 5


def test_a_short_week_plans_everyone_and_nobody_waits():
    plan = plan_session([1, 2], [3], size=2)
    assert plan.ids == [1, 2, 3] and plan.waiting == 0
    assert plan_session([], [], size=10).ids == []


def test_the_service_takes_the_most_overdue_follow_ups_and_counts_the_rest(tmp_db, ctx):
    people = [add_contact(ctx, f"Person {n:02d}") for n in range(12)]
    set_goal(ctx, 2, None, from_date=ctx.today() - dt.timedelta(days=ctx.today().weekday()))
    now = ctx.now()
    # One follow-up each for the last eight, the most overdue naming the last person.
    for n, cid in enumerate(people[4:]):
        add_follow_up(ctx, f"thing {n}", due=now - dt.timedelta(days=30 - n), suggested_by=cid)
    add_follow_up(ctx, "next month", due=now + dt.timedelta(days=40), suggested_by=people[0])
    plan = session_plan(ctx)
    top = plan.ids[:2]
    follow_ups = [cid for cid in people[4:] if cid not in top]
    assert plan.ids == top + follow_ups[:2]
    assert plan.waiting == len(follow_ups) - 2


def test_a_plan_from_a_held_ranking_and_goal_is_the_plan_made_from_the_database(tmp_db, ctx):
    from netmaint_tui.services.due import rank_ids

    people = [add_contact(ctx, f"Person {n:02d}") for n in range(8)]
    set_goal(ctx, 3, None, from_date=ctx.today() - dt.timedelta(days=ctx.today().weekday()))
    add_follow_up(ctx, "thing", due=ctx.now() - dt.timedelta(days=2), suggested_by=people[-1])
    assert session_plan(ctx, ranked_ids=rank_ids(ctx), goal=3) == session_plan(ctx)
    # No goal (0): the default size, as without one.
    assert session_plan(ctx, ranked_ids=rank_ids(ctx), goal=0).ids == session_plan(ctx, goal=0).ids
    # The held order is the one followed (its follow-up person is at its top already).
    assert session_plan(ctx, ranked_ids=list(reversed(people)), goal=2).ids == [people[7], people[6]]


def test_a_contact_read_for_its_last_notes_reads_only_those(tmp_db, ctx):
    """The weekly session shows a contact's last six notes: the rest of a long history is not read."""
    from netmaint_tui.services.contacts import contact_detail
    from netmaint_tui.services.touches import log_touch

    cid = add_contact(ctx, "Dana Lee")
    for n in range(9):
        log_touch(ctx, [cid], at=ctx.now() - dt.timedelta(days=n + 1), note=f"note {n}")
    whole = contact_detail(ctx, cid)
    assert len(whole.history) == 9
    newest = contact_detail(ctx, cid, history_limit=6)
    assert newest.history == whole.history[:6] and newest.name == whole.name and newest.balance == whole.balance
    assert contact_detail(ctx, cid, history_limit=0).history == []
