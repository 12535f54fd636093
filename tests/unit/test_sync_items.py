"""Syncing follow-ups with a folder of tasks, and touches, goals and pauses with a folder of
journal entries: a second netmaint on the same folders ends with the same history and streak."""

from __future__ import annotations

import datetime as dt
import os

import pendulum
import pytest

from netmaint_tui.services.contacts import add_contact, contact_detail
from netmaint_tui.services.followups import add_follow_up, list_follow_ups, set_status
from netmaint_tui.services.common import InputError
from netmaint_tui.services.deleted_touches import deleted_touches, restore_touch
from netmaint_tui.rules.streaks import goal_for_week
from netmaint_tui.services.habit import add_pause, goal_rows, remove_pause, set_goal, week_summary
from netmaint_tui.services import sync_scan
from netmaint_tui.services.sync import sync
from netmaint_tui.services.touches import delete_touch, log_touch
from netmaint_tui.store.db import close_database, open_database
from netmaint_tui.store.models import Contact, FollowUp, Goal, Pause, Touch


@pytest.fixture
def two(tmp_path):
    folders = {name: tmp_path / name for name in ("contacts", "follow_ups", "journal")}
    for path in folders.values():
        path.mkdir()

    class Two:
        def use(self, name):
            close_database()
            open_database(tmp_path / f"{name}.db")

        def sync(self, ctx, **kw):
            return sync(ctx, folders, **kw)

    two = Two()
    two.folders = folders
    two.use("a")
    yield two
    close_database()


def files(folder):
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def rewrite(path, old, new):
    """As a vdir program changes a file: a new one, renamed over it."""
    temp = path.with_name(f".{path.name}.phone")
    temp.write_bytes(path.read_bytes().replace(old, new))
    os.replace(temp, path)


def synced_file(two, ctx, folder, holding: bytes):
    """After the sample network's first sync: the file of `folder` that holds `holding`."""
    network(ctx)
    two.sync(ctx)
    return next(p for p in files(two.folders[folder]) if holding in p.read_bytes())


def network(ctx):
    dana = add_contact(ctx, "Dana Lee", tier="A")
    omar = add_contact(ctx, "Omar Haddad")
    for week in range(8):
        at = pendulum.datetime(2025, 1, 13, 12, tz="Europe/Berlin").add(weeks=week)
        log_touch(ctx, [dana] if week % 2 else [dana, omar], at=at, minutes=30, kind="give" if week == 3 else "catch-up",
                  note="- [ ] send the deck" if week == 7 else f"week {week}")
    set_goal(ctx, 1, 20, dt.date(2025, 1, 13))
    add_pause(ctx, dt.date(2025, 2, 10), dt.date(2025, 2, 16), "flu")
    add_follow_up(ctx, "intro to Acme", suggested_by=omar, about_text="Acme")
    return dana, omar


def test_a_second_netmaint_ends_with_the_same_history_streak_and_follow_ups(two, ctx):
    network(ctx)
    first = two.sync(ctx)
    assert first.summary() == "synced: contacts 2 out; follow-ups 2 out; journal 10 out"
    week_a = week_summary(ctx).as_json()
    follow_ups_a = [(f.what, f.due, f.status, f.suggested_by, f.about_text) for f in list_follow_ups(ctx)]
    touches_a = sorted((t.at, t.kind, t.minutes, t.note) for t in Touch.select())
    two.use("b")
    assert two.sync(ctx).summary() == "synced: contacts 2 in; follow-ups 2 in; journal 10 in"
    assert week_summary(ctx).as_json() == week_a and week_a["current_streak"] > 0
    assert [(f.what, f.due, f.status, f.suggested_by, f.about_text) for f in list_follow_ups(ctx)] == follow_ups_a
    assert sorted((t.at, t.kind, t.minutes, t.note) for t in Touch.select()) == touches_a
    deck = FollowUp.get(FollowUp.what == "send the deck")
    assert deck.touch.note == "- [ ] send the deck"  # the task still knows the meeting it came from
    assert two.sync(ctx).summary() == "synced: contacts unchanged; follow-ups unchanged; journal unchanged"


def test_a_task_completed_on_the_phone_is_done_here_and_the_other_way_round(two, ctx):
    task = synced_file(two, ctx, "follow_ups", b"intro to Acme")
    rewrite(task, b"STATUS:NEEDS-ACTION", b"STATUS:COMPLETED\r\nCOMPLETED:20250312T080000Z")
    assert two.sync(ctx).summary() == "synced: contacts unchanged; follow-ups 1 in; journal unchanged"
    done = FollowUp.get(FollowUp.what == "intro to Acme")
    assert (done.status, str(done.closed_at)) == ("done", "2025-03-12 08:00:00")
    deck = FollowUp.get(FollowUp.what == "send the deck")
    set_status(ctx, deck.id, "done")
    two.sync(ctx)
    text = next(p for p in files(two.folders["follow_ups"]) if b"send the deck" in p.read_bytes()).read_bytes()
    assert b"STATUS:COMPLETED" in text and b"PERCENT-COMPLETE:100" in text


def test_a_task_removed_from_the_folder_is_dropped_not_erased(two, ctx):
    synced_file(two, ctx, "follow_ups", b"intro to Acme").unlink()
    assert two.sync(ctx).summary() == "synced: contacts unchanged; follow-ups 1 in; journal unchanged"
    assert FollowUp.get(FollowUp.what == "intro to Acme").status == "dropped"


def test_a_task_a_phone_wrote_comes_in_with_its_own_way_of_saying_when(two, ctx):
    task = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tasks.org//EN\r\nBEGIN:VTODO\r\nUID:phone-1\r\n"
            b"SUMMARY:Call the recruiter\r\nDUE;VALUE=DATE:20250314\r\nDESCRIPTION:about the role\r\n"
            b"X-APPLE-SORT-ORDER:12\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    (two.folders["follow_ups"] / "phone-1.ics").write_bytes(task)
    assert "follow-ups 1 in, 1 out" in two.sync(ctx).summary()
    made = FollowUp.get(FollowUp.what == "Call the recruiter")
    assert (str(made.due), made.status) == ("2025-03-14 08:00:00", "open")  # 9:00 in Berlin
    text = (two.folders["follow_ups"] / "phone-1.ics").read_bytes()
    assert b"DESCRIPTION:about the role" in text and b"X-APPLE-SORT-ORDER:12" in text
    assert b"DUE;VALUE=DATE:20250314" in text  # still due on a day, as the phone shows it
    assert "follow-ups unchanged" in two.sync(ctx).summary()
    FollowUp.update(due="2025-03-15 16:30:00").where(FollowUp.id == made.id).execute()
    two.sync(ctx)
    assert b"DUE:20250315T163000Z" in (two.folders["follow_ups"] / "phone-1.ics").read_bytes()


def test_a_task_due_out_of_range_is_named_and_left_as_it_is(two, ctx):
    task = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTODO\r\nUID:far-1\r\n"
            b"SUMMARY:Someday\r\nDUE;VALUE=DATE:00010101\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    (two.folders["follow_ups"] / "far-1.ics").write_bytes(task)
    report = two.sync(ctx)
    assert [p.href for p in report.problems] == ["far-1.ics"] and "out of range" in report.problems[0].message
    assert not FollowUp.select().exists()
    assert (two.folders["follow_ups"] / "far-1.ics").read_bytes() == task


def test_a_dropped_follow_up_reaches_the_second_netmaint_with_when_it_was_dropped(two, ctx):
    network(ctx)
    set_status(ctx, FollowUp.get(FollowUp.what == "intro to Acme").id, "dropped")
    closed = str(FollowUp.get(FollowUp.what == "intro to Acme").closed_at)
    two.sync(ctx)
    two.use("b")
    two.sync(ctx)
    dropped = FollowUp.get(FollowUp.what == "intro to Acme")
    assert (dropped.status, str(dropped.closed_at)) == ("dropped", closed)


def test_journal_entries_of_other_apps_are_left_alone_and_a_removed_one_deletes_its_touch_for_30_days(two, ctx):
    network(ctx)
    two.sync(ctx)
    own = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:jtx\r\nBEGIN:VJOURNAL\r\nUID:diary-1\r\n"
           b"DTSTART:20250301T100000Z\r\nSUMMARY:my diary\r\nEND:VJOURNAL\r\nEND:VCALENDAR\r\n")
    (two.folders["journal"] / "diary-1.ics").write_bytes(own)
    touch = next(p for p in files(two.folders["journal"]) if b"week 2" in p.read_bytes())
    touch.unlink()
    report = two.sync(ctx)
    assert report.summary() == "synced: contacts unchanged; follow-ups unchanged; journal 1 in"
    assert report.problems == [] and not Touch.select().where(Touch.note == "week 2").exists()
    assert [t.note for t in deleted_touches(ctx)] == ["week 2"]  # brought back with touch restore
    assert (two.folders["journal"] / "diary-1.ics").read_bytes() == own


def test_a_touch_deleted_on_one_computer_is_deleted_on_the_other_and_a_restore_travels_back(two, ctx):
    network(ctx)
    two.sync(ctx)
    two.use("b")
    two.sync(ctx)
    two.use("a")
    doomed = Touch.get(Touch.note == "week 2")
    delete_touch(ctx, doomed.id)
    two.sync(ctx)
    two.use("b")
    assert "journal 1 in" in two.sync(ctx).summary()
    assert not Touch.select().where(Touch.note == "week 2").exists()
    week_b = week_summary(ctx).as_json()
    two.use("a")
    assert week_summary(ctx).as_json() == week_b
    restore_touch(ctx, doomed.id)
    two.sync(ctx)
    two.use("b")
    two.sync(ctx)
    back = Touch.get(Touch.note == "week 2")
    assert back.uid == doomed.uid
    kept = deleted_touches(ctx)[0].id  # B's own copy of the deletion: restoring it would make a second
    with pytest.raises(InputError, match="is back already"):
        restore_touch(ctx, kept)
    assert Touch.select().where(Touch.note == "week 2").count() == 1


def test_a_pause_taken_back_and_a_goal_set_again_on_one_computer_agree_on_the_other(two, ctx):
    network(ctx)
    two.sync(ctx)
    two.use("b")
    two.sync(ctx)
    two.use("a")
    remove_pause(ctx, Pause.get().id)
    two.sync(ctx)
    two.use("b")
    two.sync(ctx)
    assert Pause.select().count() == 0


def test_goals_set_for_the_same_day_on_two_computers_count_the_same_on_both(two, ctx):
    network(ctx)
    two.sync(ctx)
    two.use("b")
    two.sync(ctx)
    set_goal(ctx, 5, None, dt.date(2025, 2, 3))
    two.use("a")
    set_goal(ctx, 2, None, dt.date(2025, 2, 3))
    two.sync(ctx)
    two.use("b")
    two.sync(ctx)
    two.use("a")
    two.sync(ctx)
    in_force_a = goal_for_week(goal_rows(ctx), dt.date(2025, 2, 3))
    two.use("b")
    assert Goal.select().count() == 3
    assert goal_for_week(goal_rows(ctx), dt.date(2025, 2, 3)) == in_force_a


def test_a_touch_changed_by_another_app_keeps_that_app_s_properties(two, ctx):
    path = synced_file(two, ctx, "journal", b"week 2")
    rewrite(path, b"DESCRIPTION:week 2", b"DESCRIPTION:week two\\, longer\r\nX-JTX-COLOR:12")
    assert two.sync(ctx).summary() == "synced: contacts unchanged; follow-ups unchanged; journal 1 in"
    touch = Touch.get(Touch.note == "week two, longer")
    Touch.update(minutes=45).where(Touch.id == touch.id).execute()
    assert two.sync(ctx).summary() == "synced: contacts unchanged; follow-ups unchanged; journal 1 out"
    text = path.read_bytes()
    assert b"X-JTX-COLOR:12" in text and b"X-NETMAINT-MINUTES:45" in text


def test_a_touch_deleted_here_leaves_the_folder(two, ctx):
    network(ctx)
    two.sync(ctx)
    delete_touch(ctx, Touch.get(Touch.note == "week 2").id)
    assert two.sync(ctx).summary() == "synced: contacts unchanged; follow-ups unchanged; journal 1 out"
    assert not any(b"week 2" in p.read_bytes() for p in files(two.folders["journal"]))


def test_a_touch_naming_nobody_this_netmaint_knows_waits_for_its_contacts(two, ctx, tmp_path):
    network(ctx)
    two.sync(ctx)
    two.use("b")
    journal_only = {"journal": two.folders["journal"]}
    report = sync(ctx, journal_only)
    assert report.counts["journal"].came_in == 2 and len(report.problems) == 8  # goal and pause need nobody
    assert "names no contact this netmaint has" in report.problems[0].message
    two.sync(ctx)
    assert Touch.select().count() == 8 and Contact.select().count() == 2


def test_the_same_field_changed_on_both_sides_is_noted_with_the_follow_up_and_its_contact(two, ctx):
    task = synced_file(two, ctx, "follow_ups", b"intro to Acme")
    rewrite(task, b"SUMMARY:intro to Acme", b"SUMMARY:intro to Acme Corp")
    follow_up = FollowUp.get(FollowUp.what == "intro to Acme")
    FollowUp.update(what="intro to Acme GmbH").where(FollowUp.id == follow_up.id).execute()
    report = two.sync(ctx)
    assert report.summary() == "synced: contacts unchanged; follow-ups 1 out; journal unchanged; 1 conflict kept"
    line = "follow-up 'intro to Acme GmbH': the task said what: intro to Acme Corp (kept: intro to Acme GmbH)"
    assert report.conflicts == [line]
    kept = next(f for f in list_follow_ups(ctx) if f.what == "intro to Acme GmbH")
    assert [(n.source, n.text) for n in kept.notes] == [("sync", line)]
    omar = Contact.get(Contact.name == "Omar Haddad").id  # who suggested it
    assert [n.text for n in contact_detail(ctx, omar).history_notes] == [line]


def test_a_touch_s_note_changed_on_both_sides_is_noted_in_each_of_its_people_s_history(two, ctx):
    path = synced_file(two, ctx, "journal", b"week 2")
    rewrite(path, b"DESCRIPTION:week 2", b"DESCRIPTION:week two on the phone")
    Touch.update(note="week 2, here").where(Touch.note == "week 2").execute()
    report = two.sync(ctx)
    assert "1 conflict kept" in report.summary()
    line = "the meeting of 2025-01-27 12:00: the journal said note: week two on the phone (kept: week 2, here)"
    for name in ("Dana Lee", "Omar Haddad"):
        assert [n.text for n in contact_detail(ctx, Contact.get(Contact.name == name).id).history_notes] == [line]


def test_a_folder_nobody_changed_is_not_listed_and_a_file_changed_in_place_is_found_within_a_day(
        two, ctx, make_ctx, monkeypatch):
    from netmaint_tui.io import vdir

    path = synced_file(two, ctx, "journal", b"week 2")
    listed = []
    real = vdir.list_items
    monkeypatch.setattr(vdir, "list_items", lambda folder, *a, **kw: listed.append(folder.name) or real(folder, *a, **kw))
    Touch.update(minutes=45).where(Touch.note == "week 2").execute()  # written while the folder is not listed
    assert two.sync(ctx).summary() == "synced: contacts unchanged; follow-ups unchanged; journal 1 out"
    assert two.sync(ctx).summary() == "synced: contacts unchanged; follow-ups unchanged; journal unchanged"
    assert listed == []
    # Written in place, against the vdir format: the folder's time does not move.
    path.write_bytes(path.read_bytes().replace(b"DESCRIPTION:week 2", b"DESCRIPTION:week two"))
    assert two.sync(ctx).summary() == "synced: contacts unchanged; follow-ups unchanged; journal unchanged"
    tomorrow = make_ctx(now="2025-03-13T10:00:01")
    assert two.sync(tomorrow).summary() == "synced: contacts unchanged; follow-ups unchanged; journal 1 in"
    assert sorted(listed) == ["contacts", "follow_ups", "journal"]
    assert Touch.select().where(Touch.note == "week two").exists()


def test_a_file_added_by_someone_else_during_a_run_is_read_by_the_next(two, ctx, monkeypatch):
    from netmaint_tui.services import sync_engine

    network(ctx)
    two.sync(ctx)
    add_follow_up(ctx, "send the slides")
    real = sync_engine._FolderRun.finish

    def meanwhile(self):
        if self.folder.name == "follow_ups":  # vdirsyncer brings a task while netmaint writes
            (two.folders["follow_ups"] / "phone-2.ics").write_bytes(
                b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:phone-2\r\nSUMMARY:Call Lena\r\n"
                b"END:VTODO\r\nEND:VCALENDAR\r\n")
        real(self)

    monkeypatch.setattr(sync_engine._FolderRun, "finish", meanwhile)
    assert "follow-ups 1 out" in two.sync(ctx).summary()
    monkeypatch.setattr(sync_engine._FolderRun, "finish", real)
    assert "follow-ups 1 in, 1 out" in two.sync(ctx).summary()
    assert FollowUp.select().where(FollowUp.what == "Call Lena").exists()


def test_most_of_the_journal_gone_at_once_is_written_again_and_deletes_nothing(two, ctx, monkeypatch):
    monkeypatch.setattr(sync_scan, "MASS_REMOVAL", 3)
    network(ctx)
    two.sync(ctx)
    entries = files(two.folders["journal"])
    for path in entries[:7]:  # 7 of 10: an app that lost its data, not the user's deletions
        path.unlink()
    report = two.sync(ctx)
    assert Touch.select().count() == 8 and deleted_touches(ctx) == []
    assert len(files(two.folders["journal"])) == 10
    assert any("3 of the 10 items" in notice for notice in report.notices)


def test_a_task_in_progress_on_the_phone_keeps_its_state_and_stamp_when_netmaint_writes_it(two, ctx):
    task = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tasks.org//EN\r\nBEGIN:VTODO\r\nUID:phone-2\r\n"
            b"DTSTAMP:20250310T080000Z\r\nSUMMARY:Draft the intro\r\nDUE;VALUE=DATE:20250314\r\n"
            b"STATUS:IN-PROCESS\r\nPERCENT-COMPLETE:40\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    (two.folders["follow_ups"] / "phone-2.ics").write_bytes(task)
    two.sync(ctx)
    assert FollowUp.get(FollowUp.what == "Draft the intro").status == "open"
    text = (two.folders["follow_ups"] / "phone-2.ics").read_bytes()
    assert b"STATUS:IN-PROCESS" in text and b"PERCENT-COMPLETE:40" in text and b"DTSTAMP:20250310T080000Z" in text
    set_status(ctx, FollowUp.get(FollowUp.what == "Draft the intro").id, "done")
    two.sync(ctx)
    text = (two.folders["follow_ups"] / "phone-2.ics").read_bytes()
    assert b"STATUS:COMPLETED" in text and b"PERCENT-COMPLETE:100" in text and b"IN-PROCESS" not in text


def synced_rows() -> dict[str, list[tuple]]:
    """Each synced table's rows by their values and uid (ids aside)."""
    from netmaint_tui.store.models import database

    return {table: sorted(database.execute_sql(sql).fetchall(), key=repr) for table, sql in (
        ("contact", "SELECT name, uid FROM contact"),
        ("touch", "SELECT at, kind, minutes, note, uid FROM touch"),
        ("follow_up", "SELECT what, due, status, uid FROM follow_up"),
        ("goal", "SELECT from_date, touches, minutes, uid FROM goal"),
        ("pause", "SELECT start, \"end\", reason, uid FROM pause"))}


def test_a_restore_from_export_json_syncs_with_the_same_folders_without_adding_anything_twice(two, ctx, tmp_path):
    """Export json, import into an empty database (a new computer), sync with the folders the
    old one synced with: each item keeps its uid, so each is still one file and one row."""
    from netmaint_tui.io.json_io import dumps_json, loads_document
    from netmaint_tui.services.exporting import snapshot
    from netmaint_tui.services.import_document import import_document

    network(ctx)
    assert two.sync(ctx).summary() == "synced: contacts 2 out; follow-ups 2 out; journal 10 out"
    folders_before = {name: {p.name: p.read_bytes() for p in files(folder)} for name, folder in two.folders.items()}
    rows_before = synced_rows()
    document = dumps_json(snapshot())
    two.use("restored")
    report = import_document(ctx, loads_document(document.encode()))
    assert report.skipped == 0 and not report.issues
    assert synced_rows() == rows_before  # every uid kept
    assert two.sync(ctx).summary() == "synced: contacts unchanged; follow-ups unchanged; journal unchanged"
    assert {name: {p.name: p.read_bytes() for p in files(folder)} for name, folder in two.folders.items()} \
        == folders_before
    assert synced_rows() == rows_before
    assert two.sync(ctx).summary() == "synced: contacts unchanged; follow-ups unchanged; journal unchanged"
