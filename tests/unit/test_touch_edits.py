"""Correcting touches: editing every part of one, deleting it (kept 30 days, restorable), undo,
and every count following at once; and the `netmaint touch` command."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from netmaint_tui.services import followups
from netmaint_tui.services.common import InputError, to_db
from netmaint_tui.services.contacts import add_contact, contact_detail, kind_counts
from netmaint_tui.services.due import rows_for_ids
from netmaint_tui.services.habit import week_summary
from netmaint_tui.services.deleted_touches import deleted_touches, restore_touch
from netmaint_tui.services.touch_edits import edit_touch, edit_touch_as_typed, people_as_typed, people_of, touches_of
from netmaint_tui.services.touches import delete_touch, log_touch
from netmaint_tui.services.undo import History
from netmaint_tui.store.models import CapturedItem, Contact, DeletedTouch, FollowUp, Touch
from tests.unit.test_cli import fails, ok


@pytest.fixture(autouse=True)
def _commits_without_waiting_for_the_disk(monkeypatch):
    from netmaint_tui.store import db

    monkeypatch.setitem(db.PRAGMAS, "synchronous", 1)


@pytest.fixture
def two(tmp_db, ctx):
    return add_contact(ctx, "Dana Haddad", tier="A"), add_contact(ctx, "Omar Fischer")


def last_touch(cid):
    return Contact.get_by_id(cid).last_touch_at


def test_editing_every_part_of_a_touch_and_the_counts_follow(two, ctx):
    dana, omar = two
    older = log_touch(ctx, [dana], at=ctx.now().subtract(days=20)).touch_id
    tid = log_touch(ctx, [dana], at=ctx.now().subtract(days=2), channel="call", note="Lunch").touch_id
    assert kind_counts([dana]) == {dana: (0, 0)}
    changed = edit_touch(ctx, tid, at=ctx.now().subtract(days=40), channel="email", kind="give", minutes="15",
                         note="Sent the deck", add=[omar])
    assert changed == ["channel", "kind", "note", "minutes", "at", "people"]
    t = Touch.get_by_id(tid)
    assert (t.channel, t.kind, t.minutes, t.note) == ("email", "give", 15, "Sent the deck")
    # Moved back in time: the older touch is now Dana's last, and Omar's last is this one.
    assert last_touch(dana) == Touch.get_by_id(older).at and last_touch(omar) == t.at
    assert kind_counts([dana, omar]) == {dana: (1, 0), omar: (1, 0)}
    assert "gave once" in rows_for_ids(ctx, [dana])[0].reason
    edit_touch(ctx, tid, remove=[omar], minutes=None)
    assert people_of(tid) == [dana] and last_touch(omar) is None and Touch.get_by_id(tid).minutes is None
    assert edit_touch(ctx, tid, note="Sent the deck") == []  # nothing new: nothing written


@pytest.mark.parametrize("change, message", [
    ({"at": "future"}, "in the future"),
    ({"remove": "everyone"}, "at least one person"),
    ({"channel": "telepathy"}, "channel"),
    ({"minutes": "9999"}, "minutes"),
    ({"add": [404]}, "#404 does not exist"),
])
def test_what_no_touch_may_hold_is_refused_and_nothing_changes(two, ctx, change, message):
    dana, _ = two
    tid = log_touch(ctx, [dana], at=ctx.now().subtract(days=2), note="Lunch").touch_id
    if change.get("at") == "future":
        change["at"] = ctx.now().add(days=1)
    if change.get("remove") == "everyone":
        change["remove"] = [dana]
    with pytest.raises(InputError, match=message):
        edit_touch(ctx, tid, note="changed", **change)
    assert Touch.get_by_id(tid).note == "Lunch" and people_of(tid) == [dana]
    with pytest.raises(InputError, match="no touch #999"):
        edit_touch(ctx, 999, note="x")


def test_undo_puts_an_edit_and_a_delete_back_whole(two, ctx):
    dana, omar = two
    tid = log_touch(ctx, [dana], at=ctx.now().subtract(days=2), note="Lunch").touch_id
    history = History()
    history.run("edit", lambda: edit_touch(ctx, tid, note="Dinner", kind="ask", add=[omar]))
    history.undo_last()
    assert (Touch.get_by_id(tid).note, Touch.get_by_id(tid).kind, people_of(tid)) == ("Lunch", "catch-up", [dana])
    assert last_touch(omar) is None
    history.run("delete", lambda: delete_touch(ctx, tid))
    assert Touch.get_or_none(Touch.id == tid) is None and len(deleted_touches(ctx)) == 1
    history.undo_last()
    assert Touch.get_by_id(tid).note == "Lunch" and deleted_touches(ctx) == []


def test_a_deleted_touch_is_kept_30_days_and_comes_back_with_what_pointed_at_it(two, ctx, make_ctx):
    dana, omar = two
    made = log_touch(ctx, [dana, omar], at=ctx.now().subtract(days=1), note="Coffee\ntodo: send the deck")
    tid, (fid, _, _) = made.touch_id, made.follow_ups[0]
    item = CapturedItem.create(source="calendar", source_id="uid-1", touch=tid, outcome="captured",
                               at=to_db(ctx.now()), captured_at=to_db(ctx.now()))
    before = week_summary(ctx).touches
    assert delete_touch(ctx, tid) is True and delete_touch(ctx, tid) is False
    assert week_summary(ctx).touches == before - 1 and last_touch(dana) is None
    assert FollowUp.get_by_id(fid).touch_id is None and CapturedItem.get_by_id(item.id).touch_id is None
    [gone] = deleted_touches(ctx)
    assert (gone.id, gone.note, gone.with_names, gone.restorable_until) == (
        tid, "Coffee\ntodo: send the deck", ["Dana Haddad", "Omar Fischer"], dt.date(2025, 4, 11))
    later = make_ctx(now="2025-04-10T10:00:00")
    assert restore_touch(later, tid) == tid
    assert people_of(tid) == [dana, omar] and last_touch(dana) == Touch.get_by_id(tid).at
    assert FollowUp.get_by_id(fid).touch_id == tid and CapturedItem.get_by_id(item.id).touch_id == tid
    assert deleted_touches(later) == [] and DeletedTouch.select().count() == 0
    with pytest.raises(InputError, match="no touch #%d was deleted" % tid):
        restore_touch(later, tid)


def test_a_restored_touch_takes_a_new_number_when_its_own_is_taken_and_none_after_30_days(two, ctx, make_ctx):
    dana, omar = two
    tid = log_touch(ctx, [dana], at=ctx.now().subtract(days=1)).touch_id
    delete_touch(ctx, tid)
    assert log_touch(ctx, [omar]).touch_id == tid  # SQLite gives the number again
    new = restore_touch(ctx, tid)
    assert new != tid and people_of(new) == [dana] and people_of(tid) == [omar]
    delete_touch(ctx, new)
    too_late = make_ctx(now="2025-04-12T10:00:00")
    assert deleted_touches(too_late) == []
    with pytest.raises(InputError, match="last 30 days"):
        restore_touch(too_late, new)
    delete_touch(too_late, tid)  # a write clears what is older than 30 days
    assert [json.loads(d.payload)["touch"]["id"] for d in DeletedTouch.select()] == [tid]


def test_a_touch_whose_people_are_gone_is_not_restored(two, ctx):
    dana, _ = two
    tid = log_touch(ctx, [dana], at=ctx.now().subtract(days=1)).touch_id
    delete_touch(ctx, tid)
    Contact.delete().where(Contact.id == dana).execute()
    with pytest.raises(InputError, match="no contacts any more"):
        restore_touch(ctx, tid)


def test_people_as_a_form_shows_them_and_saving_them_back(two, ctx):
    dana, omar = two
    twin = add_contact(ctx, "Omar Fischer")
    comma = add_contact(ctx, "Quill, & Co")
    tid = log_touch(ctx, [dana, omar, comma], at=ctx.now().subtract(days=1)).touch_id
    typed = people_as_typed(tid)
    assert typed == f"Dana Haddad, #{omar}, #{comma}"
    assert edit_touch_as_typed(ctx, tid, typed) == []
    assert edit_touch_as_typed(ctx, tid, f"dana, #{twin}", note="x") == ["note", "people"]
    assert people_of(tid) == [dana, twin]
    assert [t.id for t in touches_of(ctx, dana)] == [tid]


# --- the command line ----------------------------------------------------------------------------


def test_touch_list_edit_delete_and_restore_on_the_command_line(env, capsys):
    ok(capsys, "add", "Dana Haddad")
    ok(capsys, "add", "Omar Fischer")
    ok(capsys, "log", "Dana", "--at", "yesterday 15:00", "--note", "Coffee about fundraising", "--minutes", "30")
    ok(capsys, "log", "Dana", "Omar", "--channel", "call", "--at", "2025-03-10 10:00")
    assert ok(capsys, "touch", "list", "Dana").splitlines() == [
        "#1     2025-03-11 15:00  meeting  catch-up  30 min  — Coffee about fundraising",
        "#2     2025-03-10 10:00  call  catch-up  with Omar Fischer",
    ]
    listed = json.loads(ok(capsys, "touch", "list", "omar", "--json"))
    assert listed == [{"id": 2, "at": "2025-03-10T10:00:00+01:00", "channel": "call", "kind": "catch-up",
                       "minutes": None, "note": "", "with": ["Dana Haddad", "Omar Fischer"], "source": None}]
    assert ok(capsys, "touch", "edit", "1", "--kind", "give", "--add", "Omar", "--minutes", "", "--at",
              "2025-03-11 16:00") == ("touch #1: changed kind, minutes, at, people: 2025-03-11 16:00  meeting  give  "
                                      "with Dana Haddad, Omar Fischer  — Coffee about fundraising\n")
    assert json.loads(ok(capsys, "due", "--json"))[0]["gives"] == 1
    assert "it can be restored for 30 days: netmaint touch restore 2" in ok(capsys, "touch", "delete", "#2")
    assert "(deleted 2025-03-12 10:00, restorable until 2025-04-11)" in ok(capsys, "touch", "list", "--deleted")
    assert json.loads(ok(capsys, "touch", "list", "--deleted", "--json"))[0]["restorable_until"] == "2025-04-11"
    assert ok(capsys, "touch", "restore", "2").startswith("restored touch #2: 2025-03-10 10:00  call")
    assert ok(capsys, "touch", "list", "--deleted") == "no touch was deleted in the last 30 days\n"
    assert "no touch #9" in fails(capsys, "touch", "edit", "9", "--note", "x")
    assert "at least one person" in fails(capsys, "touch", "edit", "1", "--remove", "Dana", "--remove", "Omar")
    assert "usage: netmaint touch" in fails(capsys, "touch", "frob", "1")
    assert "not a touch number" in fails(capsys, "touch", "delete", "one")
    assert "in the future" in fails(capsys, "touch", "edit", "1", "--at", "tomorrow")
    assert "no contact named" in fails(capsys, "touch", "list", "Zed")
