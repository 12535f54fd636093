"""Birthdays and anniversaries on a temporary database: stored and edited (undo too), ranked in
SQL as the rules say, listed as coming up, in time zones east and west of UTC, across a year's end
and around 29 February."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from netmaint_tui.rules.dates import local_midnight_utc
from netmaint_tui.rules.occasions import due_for_date
from netmaint_tui.services.common import InputError
from netmaint_tui.services.contacts import add_contact, contact_detail, edit_contact, update_contact
from netmaint_tui.services.due import due_list, rank_ids
from netmaint_tui.services.occasions import occasions, upcoming_dates
from netmaint_tui.services.touches import log_touch
from netmaint_tui.services.undo import History


@pytest.fixture(autouse=True)
def _commits_without_waiting_for_the_disk(monkeypatch):
    from netmaint_tui.store import db

    monkeypatch.setitem(db.PRAGMAS, "synchronous", 1)


def rows(ctx) -> dict[str, object]:
    return {r.name: r for r in due_list(ctx)}


# --- stored ---------------------------------------------------------------------------------------


def test_dates_are_stored_read_back_edited_and_undone(tmp_db, ctx):
    cid = add_contact(ctx, "Dana", birthday="1985-07-09", dates="work anniversary=2019-04-01; met=--06-12")
    detail = contact_detail(ctx, cid)
    assert detail.birthday == "1985-07-09"
    assert detail.dates == [{"label": "work anniversary", "date": "2019-04-01"}, {"label": "met", "date": "--06-12"}]

    history = History()
    opened = {"dates": detail.dates}
    history.run("Edit", lambda: edit_contact(ctx, cid, {"dates": "met=--06-12"}, opened))
    assert contact_detail(ctx, cid).dates == [{"label": "met", "date": "--06-12"}]
    history.undo_last()
    assert contact_detail(ctx, cid).dates == detail.dates

    update_contact(ctx, cid, dates=[])
    assert contact_detail(ctx, cid).dates == []
    with pytest.raises(InputError, match="own field"):
        update_contact(ctx, cid, dates="birthday=1985-07-09")


def test_an_edit_of_the_dates_meets_one_made_meanwhile(tmp_db, ctx):
    from netmaint_tui.services.contacts import EditConflict

    cid = add_contact(ctx, "Dana", dates="met=2019-04-01")
    opened = {"dates": contact_detail(ctx, cid).dates}
    update_contact(ctx, cid, dates="met=2019-04-02")  # another netmaint, meanwhile
    with pytest.raises(EditConflict):
        edit_contact(ctx, cid, {"dates": "met=2019-04-03"}, opened)
    assert edit_contact(ctx, cid, {"dates": "met=2019-04-03"}, opened, keep="ours") == ["dates"]
    assert contact_detail(ctx, cid).dates == [{"label": "met", "date": "2019-04-03"}]


# --- ranked ---------------------------------------------------------------------------------------


def test_a_birthday_within_three_days_makes_them_due_and_says_so(tmp_db, make_ctx):
    ctx = make_ctx("2025-03-12T10:00:00")
    soon = add_contact(ctx, "Soon", tier="C", birthday="--03-15", cadence_days=365)
    later = add_contact(ctx, "Later", tier="C", birthday="1980-03-17", cadence_days=365)
    touched = add_contact(ctx, "Touched", tier="C", birthday="--03-14", cadence_days=365)
    plain = add_contact(ctx, "Plain", tier="C", cadence_days=365)
    log_touch(ctx, [soon, later, plain], at=ctx.now().subtract(days=20))
    log_touch(ctx, [touched], at=ctx.now().subtract(days=1))  # on 11 March: the birthday's span began on the 11th

    found = rows(ctx)
    assert found["Soon"].overdue == 1.0 and found["Soon"].score == 1.0
    assert found["Soon"].reason.startswith("birthday in 3 days · 1.0× overdue · C")
    assert (found["Soon"].due, found["Soon"].days_until_due) == (dt.date(2025, 3, 12), 0)
    # In five days: named, and due in two, but not due yet.
    assert found["Later"].reason.startswith("birthday in 5 days · next touch in 2d · C")
    assert (found["Later"].due, found["Later"].days_until_due) == (dt.date(2025, 3, 14), 2)
    assert found["Touched"].overdue < 0.01 and found["Touched"].reason.startswith("birthday in 2 days · next touch in 364d")
    assert found["Touched"].due == dt.date(2026, 3, 11)
    assert "birthday" not in found["Plain"].reason
    assert [r.name for r in due_list(ctx)][:1] == ["Soon"]
    assert rank_ids(ctx) == [r.id for r in due_list(ctx)]


def test_an_anniversary_counts_as_a_birthday_does(tmp_db, make_ctx):
    ctx = make_ctx("2025-03-12T10:00:00")
    cid = add_contact(ctx, "Omar", tier="B", dates="work anniversary=2019-03-12", cadence_days=365)
    log_touch(ctx, [cid], at=ctx.now().subtract(days=30))
    (row,) = due_list(ctx)
    assert row.score == 2.0 and row.reason.startswith("work anniversary today · 1.0× overdue · B")


def test_a_contact_already_overdue_keeps_their_score(tmp_db, ctx):
    cid = add_contact(ctx, "Dana", tier="A", birthday="--03-13", cadence_days=10)
    log_touch(ctx, [cid], at=ctx.now().subtract(days=40))
    (row,) = due_list(ctx)
    assert row.overdue == 4.0 and row.score == 12.0 and row.reason.startswith("birthday tomorrow · 4.0× overdue")
    assert row.due == dt.date(2025, 2, 10)  # the cadence's day, earlier than the birthday's


ZONES = ["Pacific/Auckland", "America/Los_Angeles", "Europe/Berlin", "UTC"]
NOWS = ["2025-12-30T23:30:00", "2025-02-26T00:30:00", "2028-02-27T12:00:00", "2025-07-08T23:50:00"]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("now", NOWS)
def test_the_sql_ranking_and_the_rules_agree_on_who_a_date_makes_due(tmp_db, make_ctx, zone, now):
    """Random birthdays, anniversaries and last touches (some just before a local midnight): the
    contacts the SQL lifts to 1× overdue are exactly those rules.occasions.due_for_date makes due
    today, and the due day shown is the rule's."""
    ctx = make_ctx(now, zone)
    today = ctx.today()
    rng = random.Random(f"{now}{zone}")
    for i in range(60):
        day = today + dt.timedelta(days=rng.randint(-2, 9))
        stored = f"--{day.month:02d}-{day.day:02d}" if rng.random() < 0.5 else f"{rng.choice([1984, 1996])}-{day.month:02d}-{day.day:02d}"
        fields = {"birthday": stored} if i % 3 else {"dates": [{"label": "met", "date": stored}]}
        if (day.month, day.day) == (2, 29):
            fields = {"birthday": "--02-29"}
        cid = add_contact(ctx, f"C{i}", tier="A", cadence_days=3650, **fields)
        # Touched long ago (a 3650-day cadence keeps them far from due), or near a span's edge.
        back = rng.choice([0, 1, 2, 3, 4, 6, 40])
        midnight = local_midnight_utc(today - dt.timedelta(days=back), ctx.clock.tz)
        at = midnight.add(minutes=rng.choice([1, 60 * 24 - 1])) if back else ctx.now().subtract(minutes=5)
        log_touch(ctx, [cid], at=at)
    for row in due_list(ctx):
        detail = contact_detail(ctx, row.id)
        last = detail.last_touch.date() if detail.last_touch else None
        start = due_for_date(occasions(detail.birthday, detail.dates), today, last)
        due_now = start is not None and start <= today
        assert (row.overdue >= 1.0) == due_now, (row.name, detail.birthday, detail.dates, last, row.overdue)
        if start is not None:
            assert row.due == start


# --- coming up ------------------------------------------------------------------------------------


def test_dates_coming_up_leave_out_archived_and_snoozed_contacts(tmp_db, make_ctx):
    from netmaint_tui.services.contacts import set_archived, snooze

    ctx = make_ctx("2025-12-30T10:00:00")
    add_contact(ctx, "Dana", birthday="1985-01-02", dates="met=2020-12-30; other=--06-01")
    gone = add_contact(ctx, "Gone", birthday="--12-31")
    away = add_contact(ctx, "Away", birthday="--12-31")
    set_archived(ctx, gone)
    snooze(ctx, away, dt.date(2026, 2, 1))
    assert [u.as_json() for u in upcoming_dates(ctx)] == [
        {"id": 1, "name": "Dana", "what": "met", "date": "2025-12-30", "in_days": 0, "turns": 5},
        {"id": 1, "name": "Dana", "what": "birthday", "date": "2026-01-02", "in_days": 3, "turns": 41},
    ]
    assert [u.name for u in upcoming_dates(ctx, include_snoozed=True)] == ["Dana", "Away", "Dana"]
    assert [u.what for u in upcoming_dates(ctx, 366)] == ["met", "birthday", "other"]
    assert [u.what for u in upcoming_dates(ctx, 0)] == ["met"]


@pytest.mark.parametrize("zone, in_days", [("Pacific/Auckland", 0), ("America/Los_Angeles", 1)])
def test_today_is_the_users_day_east_and_west_of_utc(tmp_db, make_ctx, zone, in_days):
    ctx = make_ctx("2025-07-08T23:30:00+00:00", zone)  # 9 July in Auckland, still 8 July in Los Angeles
    add_contact(ctx, "Dana", birthday="1985-07-09")
    (coming,) = upcoming_dates(ctx)
    assert (coming.on, coming.in_days, coming.turns) == (dt.date(2025, 7, 9), in_days, 40)
    assert due_list(ctx)[0].reason.startswith("birthday today" if in_days == 0 else "birthday tomorrow")


def test_29_february_comes_up_on_the_28th_in_other_years(tmp_db, make_ctx):
    ctx = make_ctx("2025-02-27T10:00:00")
    add_contact(ctx, "Leap", birthday="1996-02-29")
    (coming,) = upcoming_dates(ctx, 1)
    assert (coming.on, coming.in_days, coming.turns) == (dt.date(2025, 2, 28), 1, 29)
    leap = make_ctx("2028-02-28T10:00:00")
    assert [(u.on, u.in_days) for u in upcoming_dates(leap, 1)] == [(dt.date(2028, 2, 29), 1)]
