"""Capturing touches from calendars and mail into a database: each rule with a file built for it,
the shared samples, reading the same or an overlapping file again, hand-logged touches, deleted
touches, dry runs, the copy before, and the people worth adding."""

from __future__ import annotations

import datetime as dt
import sqlite3
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from netmaint_tui.rules import capture as rules
from netmaint_tui.services.capture import NoAddresses, capture_calendar, capture_mail, people_worth_adding
from netmaint_tui.services.common import InputError
from netmaint_tui.services.contacts import add_contact, set_archived
from netmaint_tui.services.habit import week_summary
from netmaint_tui.services.touches import delete_touch, log_touch
from netmaint_tui.store.backup_names import list_backups
from netmaint_tui.store.models import CapturedItem, Contact, Touch, TouchContact
from tests.capture_files import ME, ics, maildir, mbox, message, vevent, write

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = dt.datetime(2025, 3, 10, 9, 0, tzinfo=BERLIN)  # the week of the fixed clock (Wed 2025-03-12 10:00)
MINE = [ME, "me@work.example"]


@pytest.fixture(autouse=True)
def _commits_without_waiting_for_the_disk(monkeypatch):
    from netmaint_tui.store import db

    monkeypatch.setitem(db.PRAGMAS, "synchronous", 1)


@pytest.fixture
def people(tmp_db, ctx):
    return {
        "dana": add_contact(ctx, "Dana Haddad", emails=["Dana@Example.com"]),
        "omar": add_contact(ctx, "Omar Fischer", emails=["omar@example.org", "o.fischer@work.example"]),
    }


def touches() -> list[tuple]:
    """(at UTC, channel, minutes, note, source, contact names) of every touch."""
    rows = []
    for t in Touch.select().order_by(Touch.at, Touch.id):
        names = sorted(c.name for c in Contact.select().join(TouchContact).where(TouchContact.touch == t.id))
        rows.append((str(t.at), t.channel, t.minutes, t.note, t.source, names))
    return rows


def calendar(tmp_path, *events, name="cal.ics") -> Path:
    return write(tmp_path / name, ics(*events))


# --- calendars --------------------------------------------------------------------------------


def test_a_meeting_with_a_contact_is_a_touch_that_counts_for_the_week(tmp_path, ctx, people):
    before = week_summary(ctx, with_suggestions=False).touches
    path = calendar(tmp_path, vevent("coffee", MONDAY, MONDAY + dt.timedelta(minutes=45), summary="Coffee",
                                     location="Café Einstein", attendees=("dana@example.com", ME)))
    report = capture_calendar(ctx, [path], MINE)
    assert touches() == [("2025-03-10 08:00:00", "meeting", 45, "Coffee (Café Einstein)", "calendar", ["Dana Haddad"])]
    [made] = report.touches
    assert (made.source, made.source_id, made.contact_ids, made.names) == (
        "calendar", "coffee/20250310T080000Z", [people["dana"]], ["Dana Haddad"])
    assert made.at.isoformat() == "2025-03-10T09:00:00+01:00" and made.touch_id == Touch.get().id
    assert (report.read, report.captured, report.contacts, dict(report.skipped)) == (1, 1, 1, {})
    assert Touch.get().source_id == "coffee/20250310T080000Z"
    assert week_summary(ctx, with_suggestions=False).touches == before + 1
    assert Contact.get_by_id(people["dana"]).last_touch_at is not None


def test_what_a_calendar_skips_and_why(tmp_path, ctx, people):
    later = MONDAY + dt.timedelta(days=3)
    path = calendar(
        tmp_path,
        vevent("declined", MONDAY, attendees=("dana@example.com", (ME, "DECLINED"))),
        vevent("cancelled", MONDAY, attendees=("dana@example.com",), status="CANCELLED"),
        vevent("future", later, attendees=("dana@example.com",)),
        vevent("alone", MONDAY, attendees=()),
        vevent("stranger", MONDAY, attendees=("lee@example.net",)),
        vevent("not-mine", MONDAY, organizer="omar@example.org", attendees=("dana@example.com",)),
        vevent("kept", MONDAY, attendees=("dana@example.com",)),
    )
    report = capture_calendar(ctx, [path], MINE)
    assert [t.source_id for t in report.touches] == ["kept/20250310T080000Z"]
    assert dict(report.skipped) == {rules.DECLINED_OR_CANCELLED: 2, rules.FUTURE: 1, rules.ALONE: 1,
                                    rules.NO_CONTACT: 1, rules.NOT_YOURS: 1}


def test_more_than_eight_people_is_an_event_and_an_all_day_one_has_no_minutes(tmp_path, ctx, people):
    crowd = ("dana@example.com", *(f"guest{i}@example.net" for i in range(7)))
    path = calendar(tmp_path, vevent("all-hands", MONDAY, attendees=crowd),
                    vevent("offsite", dt.date(2025, 3, 11), attendees=("omar@example.org",)))
    capture_calendar(ctx, [path], MINE)
    assert [(t[1], t[2], t[5]) for t in touches()] == [("event", 60, ["Dana Haddad"]), ("meeting", None, ["Omar Fischer"])]


def test_a_meeting_with_two_contacts_is_one_touch_with_both_and_an_archived_one_counts(tmp_path, ctx, people):
    set_archived(ctx, people["omar"])
    path = calendar(tmp_path, vevent("trio", MONDAY, attendees=("DANA@example.com", "O.Fischer@work.example")))
    capture_calendar(ctx, [path], MINE)
    assert [t[5] for t in touches()] == [["Dana Haddad", "Omar Fischer"]]


def test_a_series_with_an_exdate_and_a_moved_occurrence(tmp_path, ctx, people):
    start = dt.datetime(2025, 2, 17, 9, 0, tzinfo=BERLIN)  # four Mondays: 17, 24 Feb, 3, 10 Mar
    series = vevent("weekly", start, summary="1:1", attendees=("dana@example.com",),
                    extra=("RRULE:FREQ=WEEKLY;COUNT=4", "EXDATE:20250224T080000Z"))
    moved = vevent("weekly", dt.datetime(2025, 3, 4, 15, 0, tzinfo=BERLIN), summary="1:1 (moved)",
                   attendees=("dana@example.com",), extra=("RECURRENCE-ID:20250303T080000Z",))
    report = capture_calendar(ctx, [calendar(tmp_path, series, moved)], MINE)
    assert [(t[0], t[3]) for t in touches()] == [
        ("2025-02-17 08:00:00", "1:1"), ("2025-03-04 14:00:00", "1:1 (moved)"), ("2025-03-10 08:00:00", "1:1"),
    ]
    assert sorted(t.source_id for t in report.touches) == [
        "weekly/20250217T080000Z", "weekly/20250303T080000Z", "weekly/20250310T080000Z"]


def test_reading_the_same_file_again_or_an_overlapping_one_captures_nothing_twice(tmp_path, ctx, people):
    first = calendar(tmp_path, vevent("a", MONDAY, attendees=("dana@example.com",)), name="one.ics")
    capture_calendar(ctx, [first], MINE)
    again = capture_calendar(ctx, [first], MINE)
    assert again.captured == 0 and dict(again.skipped) == {rules.ALREADY_CAPTURED: 1}
    overlapping = calendar(tmp_path, vevent("a", MONDAY, attendees=("dana@example.com",)),
                           vevent("b", MONDAY + dt.timedelta(hours=3), attendees=("omar@example.org",)), name="two.ics")
    both = capture_calendar(ctx, [overlapping, first], MINE)
    assert [t.source_id for t in both.touches] == ["b/20250310T110000Z"]
    assert both.skipped[rules.ALREADY_CAPTURED] == 2
    assert len(touches()) == 2


def test_a_touch_logged_by_hand_within_two_hours_is_linked_not_doubled(tmp_path, ctx, people):
    typed = log_touch(ctx, [people["dana"]], at=MONDAY + dt.timedelta(minutes=90), channel="call", note="typed").touch_id
    far = log_touch(ctx, [people["omar"]], at=MONDAY - dt.timedelta(hours=3), note="earlier that day").touch_id
    path = calendar(tmp_path, vevent("m", MONDAY, attendees=("dana@example.com", "omar@example.org")),
                    vevent("d", MONDAY + dt.timedelta(days=1), attendees=("dana@example.com",)))
    report = capture_calendar(ctx, [path], MINE)
    # Dana's part of the first meeting is the call she was logged with; Omar's is new.
    assert [(t.source_id, t.names) for t in report.touches] == [
        ("m/20250310T080000Z", ["Omar Fischer"]), ("d/20250311T080000Z", ["Dana Haddad"])]
    alone = calendar(tmp_path, vevent("x", MONDAY + dt.timedelta(hours=1), attendees=("dana@example.com",)), name="x.ics")
    linked = capture_calendar(ctx, [alone], MINE)
    assert linked.captured == 0 and dict(linked.skipped) == {rules.ALREADY_LOGGED: 1}
    assert CapturedItem.get(CapturedItem.source_id == "x/20250310T090000Z").touch_id == typed
    assert Touch.get_by_id(typed).source is None and Touch.get_by_id(far).note == "earlier that day"


def test_a_captured_touch_the_user_deletes_is_not_captured_again(tmp_path, ctx, people):
    path = calendar(tmp_path, vevent("a", MONDAY, attendees=("dana@example.com",)))
    [made] = capture_calendar(ctx, [path], MINE).touches
    delete_touch(ctx, made.touch_id)
    again = capture_calendar(ctx, [path], MINE)
    assert again.captured == 0 and touches() == [] and again.skipped[rules.ALREADY_CAPTURED] == 1
    assert CapturedItem.get().touch_id is None


def test_undoing_the_delete_of_a_captured_touch_brings_back_where_it_came_from(tmp_path, ctx, people):
    from netmaint_tui.services.undo import History

    path = calendar(tmp_path, vevent("a", MONDAY, attendees=("dana@example.com",)))
    [made] = capture_calendar(ctx, [path], MINE).touches
    history = History()
    history.run("delete", lambda: delete_touch(ctx, made.touch_id))
    history.undo_last()
    back = Touch.get_by_id(made.touch_id)
    assert (back.source, back.source_id) == ("calendar", "a/20250310T080000Z")
    assert CapturedItem.get().touch_id == made.touch_id


def test_a_meeting_with_nobody_known_is_captured_once_one_of_them_is_added(tmp_path, ctx, people):
    path = calendar(tmp_path, vevent("a", MONDAY, attendees=("lee@example.net",)))
    assert capture_calendar(ctx, [path], MINE).skipped[rules.NO_CONTACT] == 1
    assert capture_calendar(ctx, [path], MINE).skipped[rules.NO_CONTACT] == 1  # said alike on every run
    add_contact(ctx, "Lee Kim", emails=["lee@example.net"])
    report = capture_calendar(ctx, [path], MINE)
    assert [t.names for t in report.touches] == [["Lee Kim"]]
    assert capture_calendar(ctx, [path], MINE).captured == 0


def test_someone_met_in_meetings_captured_before_joins_their_touches_once_added(tmp_path, ctx, people):
    path = calendar(tmp_path, vevent("a", MONDAY, attendees=("dana@example.com", "lee@example.net")))
    capture_calendar(ctx, [path], MINE)
    CapturedItem.update(captured_at=dt.datetime(2025, 3, 1)).execute()  # the clock stands still here
    touch = Touch.get()
    omar = people["omar"]
    TouchContact.create(touch=touch.id, contact=omar)  # the user added Omar by hand: he stays
    lee = add_contact(ctx, "Lee Kim", emails=["lee@example.net"])  # from the people worth adding
    report = capture_calendar(ctx, [path], MINE)
    assert (report.captured, report.added_to, report.skipped[rules.ALREADY_CAPTURED]) == (0, 1, 0)
    assert touches()[0][5] == ["Dana Haddad", "Lee Kim", "Omar Fischer"]
    TouchContact.delete().where((TouchContact.touch == touch.id) & (TouchContact.contact == lee)).execute()
    TouchContact.delete().where((TouchContact.touch == touch.id) & (TouchContact.contact == people["dana"])).execute()
    report = capture_calendar(ctx, [path], MINE)  # whom the user took out stays out
    assert (report.added_to, report.skipped[rules.ALREADY_CAPTURED]) == (0, 1)
    assert touches()[0][5] == ["Omar Fischer"]


def test_a_zip_of_calendars_and_a_vdir(tmp_path, ctx, people):
    one = ics(vevent("a", MONDAY, attendees=("dana@example.com",)))
    two = ics(vevent("b", MONDAY + dt.timedelta(hours=2), attendees=("omar@example.org",)))
    archive = tmp_path / "takeout.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Takeout/Calendar/me.ics", one)
        z.writestr("Takeout/Calendar/work.ics", two)
    assert capture_calendar(ctx, [archive], MINE).captured == 2
    write(tmp_path / "vdir" / "personal" / "a.ics", one)
    write(tmp_path / "vdir" / "personal" / "c.ics", ics(vevent("c", MONDAY - dt.timedelta(days=1),
                                                               attendees=("dana@example.com",))))
    report = capture_calendar(ctx, [tmp_path / "vdir"], MINE)
    assert [t.source_id for t in report.touches] == ["c/20250309T080000Z"] and report.read == 2


def test_the_shared_sample_series_from_the_organizers_calendar(ctx, tmp_db):
    sahaja = add_contact(ctx, "Sahaja Lal", emails=["calmozilla1@gmail.com"])
    report = capture_calendar(ctx, [SAMPLES / "calendars" / "icaljs_recur_instances.ics"], ["jlal@mozilla.com"],
                              since=dt.date(2012, 1, 1))
    days = [t.at.astimezone(ZoneInfo("America/Los_Angeles")).date() for t in report.touches]
    assert report.problems == [] and len(days) == len(set(days)) > 100
    assert dt.date(2012, 12, 4) not in days  # excluded
    assert dt.date(2012, 11, 10) in days  # an extra date (RDATE)
    # The moved occurrences name nobody but the organizer in this export.
    assert report.skipped[rules.ALONE] == 2 and report.skipped[rules.FUTURE] == 1
    assert all(t.contact_ids == [sahaja] for t in report.touches)
    # Each lasts half an hour, but for the extra date given as a period (09:00 to 12:30 UTC).
    assert sorted(t.minutes for t in report.touches)[-2:] == [30, 210]


def test_the_other_samples_make_no_touches_and_no_problems(ctx, people):
    paths = [SAMPLES / "calendars" / n for n in ("rie_fablab_cottbus.ics", "khal_event_dt_partstat.ics",
                                                  "khal_event_dt_multi_recuid_no_master.ics", "icaljs_google_birthday.ics",
                                                  "rie_each_week_but_one_deleted.ics")]
    report = capture_calendar(ctx, paths, MINE)
    assert report.problems == [] and report.captured == 0 and report.read > 100
    # The published calendar names nobody; khal's event has no organizer, and guests who are no contacts.
    assert dict(report.skipped) == {rules.ALONE: report.read - 2, rules.NO_CONTACT: 1, rules.FUTURE: 1}


def test_a_dry_run_writes_nothing_and_makes_no_copy(tmp_path, ctx, people):
    path = calendar(tmp_path, vevent("a", MONDAY, attendees=("dana@example.com",)))
    db = Path(Contact._meta.database.obj.path)
    report = capture_calendar(ctx, [path], MINE, dry_run=True)
    assert [t.names for t in report.touches] == [["Dana Haddad"]] and report.touches[0].touch_id is None
    assert touches() == [] and CapturedItem.select().count() == 0 and list_backups(db) == []
    assert capture_calendar(ctx, [path], MINE).captured == 1


def test_a_copy_of_the_database_is_made_before(tmp_path, ctx, people):
    db = Path(Contact._meta.database.obj.path)
    report = capture_calendar(ctx, [calendar(tmp_path, vevent("a", MONDAY, attendees=("dana@example.com",)))], MINE)
    assert report.backup is not None and report.backup.name.endswith("-before-capture.db")
    saved = sqlite3.connect(report.backup)
    assert saved.execute("SELECT COUNT(*) FROM touch").fetchone()[0] == 0
    saved.close()
    assert report.backup in list_backups(db)


def test_without_the_users_addresses_nothing_is_read(tmp_path, ctx, people):
    path = calendar(tmp_path, vevent("a", MONDAY, attendees=("dana@example.com",)))
    for mine in (None, [], ["  ", "not an address"]):
        with pytest.raises(NoAddresses) as err:
            capture_calendar(ctx, [path], mine)
        assert "me: {emails:" in str(err.value) and "\n" not in str(err.value)
    assert touches() == []


def test_a_path_that_is_missing_or_no_calendar_is_refused(tmp_path, ctx, people):
    with pytest.raises(InputError, match="No such file"):
        capture_calendar(ctx, [tmp_path / "nope.ics"], MINE)
    with pytest.raises(InputError, match="is not a calendar; give an .ics file"):
        capture_calendar(ctx, [write(tmp_path / "notes.txt", b"Dana, coffee on Monday\n")], MINE)
    with pytest.raises(InputError, match="looks like a mailbox, not a calendar; nothing was read. Use: netmaint "
                                         "capture mail .*box.mbox$"):
        capture_calendar(ctx, [write(tmp_path / "box.mbox", b"From a@b Mon Mar 10 08:00:00 2025\n")], MINE)
    with pytest.raises(InputError, match="looks like a calendar, not a mailbox"):
        capture_mail(ctx, [calendar(tmp_path, vevent("a", MONDAY))], MINE)
    with pytest.raises(InputError, match="is not a mailbox"):
        capture_mail(ctx, [write(tmp_path / "empty" / "x.txt", b"").parent], MINE)  # no Maildir in it


def test_since_leaves_out_what_came_before(tmp_path, ctx, people):
    path = calendar(tmp_path, vevent("old", MONDAY - dt.timedelta(days=40), attendees=("dana@example.com",)),
                    vevent("new", MONDAY, attendees=("dana@example.com",)))
    report = capture_calendar(ctx, [path], MINE, since=dt.date(2025, 3, 1))
    assert [t.source_id for t in report.touches] == ["new/20250310T080000Z"] and report.read == 1
    later = capture_calendar(ctx, [path], MINE, since=dt.datetime(2025, 1, 1, tzinfo=BERLIN))
    assert [t.source_id for t in later.touches] == ["old/20250129T080000Z"]
    with pytest.raises(InputError, match="--since 2099-01-01 is in the future"):
        capture_calendar(ctx, [path], MINE, since=dt.date(2099, 1, 1))


def test_progress_is_told_while_reading_and_saving(tmp_path, ctx, people):
    seen = []
    path = calendar(tmp_path, *(vevent(f"e{i}", MONDAY - dt.timedelta(days=i), attendees=("dana@example.com",))
                                for i in range(5)))
    capture_calendar(ctx, [path], MINE, progress=lambda *args: seen.append(args))
    assert ("reading", path.stat().st_size, path.stat().st_size) in seen
    assert seen[-1] == ("saving", 5, 5)


# --- mail -------------------------------------------------------------------------------------


T = dt.datetime(2025, 3, 10, 9, 0, tzinfo=BERLIN)


def box(tmp_path, *messages, name="box.mbox") -> Path:
    return write(tmp_path / name, mbox(*messages))


def test_mail_progress_counts_bytes_then_conversations(tmp_path, ctx, people):
    seen = []
    path = box(tmp_path, *(message(ME, "dana@example.com", f"S{i}", T + dt.timedelta(days=i), msgid=f"{i}@x")
                           for i in range(-3, 1)))
    capture_mail(ctx, [path], MINE, progress=lambda *args: seen.append(args))
    assert ("reading", path.stat().st_size, path.stat().st_size) in seen and seen[-1] == ("saving", 4, 4)


def test_a_mail_sent_to_a_contact_is_a_touch(tmp_path, ctx, people):
    path = box(tmp_path, message(f"Me <{ME}>", "Dana <dana@example.com>", "The deck", T, msgid="1@x"))
    report = capture_mail(ctx, [path], MINE)
    assert touches() == [("2025-03-10 08:00:00", "email", None, "The deck", "mail", ["Dana Haddad"])]
    assert [(t.source, t.source_id, t.kind) for t in report.touches] == [("mail", "<1@x>", "catch-up")]


def test_ten_replies_on_one_day_are_one_touch_and_the_next_day_another(tmp_path, ctx, people):
    mails = [message(ME, "dana@example.com", "Re: Lunch", T + dt.timedelta(minutes=30 * i), msgid=f"{i}@x",
                     references="<0@x>" if i else "", cc="omar@example.org" if i == 5 else "") for i in range(10)]
    mails.append(message(ME, "dana@example.com", "Re: Lunch", T + dt.timedelta(days=1), msgid="next@x", references="<0@x>"))
    report = capture_mail(ctx, [box(tmp_path, *reversed(mails))], MINE)
    assert [(t[0], t[3], t[5]) for t in touches()] == [
        ("2025-03-10 08:00:00", "Re: Lunch", ["Dana Haddad", "Omar Fischer"]),
        ("2025-03-11 08:00:00", "Re: Lunch", ["Dana Haddad"]),
    ]
    assert report.captured == 2 and CapturedItem.select().count() == 11
    assert report.joined == 9  # every mail read is counted: 2 touches, 9 replies in them


def test_a_later_mail_of_a_conversation_joins_its_touch_of_that_day(tmp_path, ctx, people):
    first = message(ME, "dana@example.com", "Plan", T, msgid="1@x")
    capture_mail(ctx, [box(tmp_path, first, name="a.mbox")], MINE)
    later = message(ME, "dana@example.com, omar@example.org", "Re: Plan", T + dt.timedelta(hours=5), msgid="2@x",
                    references="<1@x>")
    report = capture_mail(ctx, [box(tmp_path, first, later, name="b.mbox")], MINE)
    assert (report.captured, report.joined, report.skipped[rules.ALREADY_CAPTURED]) == (0, 1, 1)
    assert [t[5] for t in touches()] == [["Dana Haddad", "Omar Fischer"]]


def test_what_mail_skips_and_why(tmp_path, ctx, people):
    future = dt.datetime(2025, 3, 13, 9, 0, tzinfo=BERLIN)
    mails = [
        message("dana@example.com", ME, "Hi from Dana", T, msgid="r@x"),
        message(ME, "team@lists.example", "To the list", T, msgid="l@x", extra=("List-Id: <team.lists.example>",)),
        message("Shop <noreply@shop.example>", ME, "Your order", T, msgid="n@x"),
        message(ME, "noreply@shop.example", "Re: Your order", T, msgid="n2@x"),
        message(ME, "me@work.example", "Note to self", T, msgid="s@x"),
        message(ME, "dana@example.com", "From the future", future, msgid="f@x"),
        message(ME, "dana@example.com", "Long ago", dt.datetime(2024, 1, 1, tzinfo=BERLIN), msgid="o@x"),
        message(ME, "lee@example.net", "To a stranger", T, msgid="u@x"),
        message(ME, "dana@example.com", "Kept", T, msgid="k@x"),
    ]
    report = capture_mail(ctx, [box(tmp_path, *mails)], MINE, since=dt.date(2025, 1, 1))
    assert [t.note for t in report.touches] == ["Kept"]
    assert dict(report.skipped) == {rules.RECEIVED: 1, rules.BULK: 1, rules.NO_REPLY: 2, rules.ALONE: 1,
                                    rules.FUTURE: 1, rules.BEFORE_SINCE: 1, rules.NO_CONTACT: 1}


def test_mail_from_a_contact_is_no_touch_but_says_when_they_last_wrote(tmp_path, ctx, people):
    mails = [message("Dana <DANA@example.com>", ME, "Hello", T, msgid="1@x"),
             message("dana@example.com", ME, "Earlier", T - dt.timedelta(days=3), msgid="2@x")]
    report = capture_mail(ctx, [box(tmp_path, *mails)], MINE)
    assert touches() == [] and report.heard == 1
    assert str(Contact.get_by_id(people["dana"]).last_heard_at) == "2025-03-10 08:00:00"
    older = message("dana@example.com", ME, "Old", T - dt.timedelta(days=30), msgid="3@x")
    assert capture_mail(ctx, [box(tmp_path, older, name="old.mbox")], MINE).heard == 0
    assert str(Contact.get_by_id(people["dana"]).last_heard_at) == "2025-03-10 08:00:00"


def test_the_ranking_says_when_a_contact_last_wrote(tmp_path, ctx, people):
    from netmaint_tui.services.due import due_list

    log_touch(ctx, [people["dana"]], at=T - dt.timedelta(days=20), channel="call")
    rows = {r.name: r for r in due_list(ctx)}
    assert rows["Dana Haddad"].last_heard is None and rows["Dana Haddad"].as_json()["last_heard"] is None
    capture_mail(ctx, [box(tmp_path, message("dana@example.com", ME, "Any news?", T, msgid="1@x"))], MINE)
    dana = {r.name: r for r in due_list(ctx)}["Dana Haddad"]
    assert dana.as_json()["last_heard"] == "2025-03-10T09:00:00+01:00" == dana.last_heard.isoformat()
    assert dana.reason.endswith("last: call 3 weeks ago · last heard 2 days ago")
    assert "heard" not in {r.name: r for r in due_list(ctx)}["Omar Fischer"].reason


def test_the_contact_detail_has_last_heard_and_where_each_touch_came_from(tmp_path, ctx, people):
    from netmaint_tui.services.contacts import contact_detail

    log_touch(ctx, [people["dana"]], at=T - dt.timedelta(days=1), note="typed")
    mails = [message(ME, "dana@example.com", "The deck", T, msgid="1@x"),
             message("dana@example.com", ME, "Thanks", T + dt.timedelta(hours=1), msgid="2@x")]
    capture_mail(ctx, [box(tmp_path, *mails)], MINE)
    detail = contact_detail(ctx, people["dana"])
    assert detail.last_heard.isoformat() == "2025-03-10T10:00:00+01:00"
    assert [(t.note, t.source, t.source_id) for t in detail.history] == [("The deck", "mail", "<1@x>"),
                                                                         ("typed", None, None)]
    assert contact_detail(ctx, people["omar"]).last_heard is None


def test_a_maildir_read_twice_and_an_overlapping_mbox(tmp_path, ctx, people):
    one = message(ME, "dana@example.com", "One", T, msgid="1@x")
    two = message(ME, "omar@example.org", "Two", T + dt.timedelta(hours=1), msgid="2@x")
    folder = maildir(tmp_path / "Maildir", one, two)
    assert capture_mail(ctx, [folder], MINE).captured == 2
    again = capture_mail(ctx, [folder, box(tmp_path, two, message(ME, "omar@example.org", "Three", T, msgid="3@x"))], MINE)
    assert [t.note for t in again.touches] == ["Three"] and again.skipped[rules.ALREADY_CAPTURED] == 3


def test_a_thunderbird_folder_of_mbox_files_with_their_indexes(tmp_path, ctx, people):
    profile = tmp_path / "Mail" / "Local Folders"
    profile.mkdir(parents=True)
    (profile / "Sent").write_bytes(mbox(message(ME, "dana@example.com", "One", T, msgid="1@x")))
    (profile / "Sent.msf").write_bytes(b"// <!-- <mdb:mork:z v=\"1.4\"/> -->")
    (profile / "Archives.sbd").mkdir()
    (profile / "Archives.sbd" / "2024").write_bytes(mbox(message(ME, "omar@example.org", "Two", T, msgid="2@x")))
    seen = []
    report = capture_mail(ctx, [tmp_path / "Mail"], MINE, progress=lambda *args: seen.append(args))
    assert sorted(t.note for t in report.touches) == ["One", "Two"] and report.problems == []
    total = sum(f.stat().st_size for f in (profile / "Sent", profile / "Archives.sbd" / "2024"))
    assert ("reading", total, total) in seen


def test_a_mail_without_message_id_is_captured_once(tmp_path, ctx, people):
    path = box(tmp_path, message(ME, "dana@example.com", "No id", T))
    assert capture_mail(ctx, [path], MINE).captured == 1
    assert capture_mail(ctx, [path], MINE).captured == 0
    assert CapturedItem.get().source_id.startswith("sha1:")


def test_an_email_logged_by_hand_within_two_hours_is_linked(tmp_path, ctx, people):
    typed = log_touch(ctx, [people["dana"]], at=T + dt.timedelta(hours=1), channel="email", note="typed").touch_id
    call = log_touch(ctx, [people["omar"]], at=T, channel="call", note="a call is no email").touch_id
    mails = [message(ME, "dana@example.com", "Hello", T, msgid="1@x"),
             message(ME, "omar@example.org", "Hello", T + dt.timedelta(minutes=5), msgid="2@x")]
    report = capture_mail(ctx, [box(tmp_path, *mails)], MINE)
    assert [t.names for t in report.touches] == [["Omar Fischer"]] and report.skipped[rules.ALREADY_LOGGED] == 1
    assert CapturedItem.get(CapturedItem.source_id == "<1@x>").touch_id == typed
    assert Touch.get_by_id(call).note == "a call is no email"


def test_the_shared_sample_mailboxes(ctx, tmp_db):
    jgb = add_contact(ctx, "Jesus Gonzalez-Barahona", emails=["jgb@gsyc.es"])
    paths = sorted((SAMPLES / "mail").glob("*.mbox"))
    report = capture_mail(ctx, paths, ["andy@example.com"])
    assert report.problems == [] and report.read == 8 and report.captured == 0 and report.heard == 1
    assert str(Contact.get_by_id(jgb).last_heard_at) == "2015-11-15 22:43:49"
    assert report.skipped[rules.BULK] == 2 and report.skipped[rules.ALONE] == 3  # the archive keeps no recipients


# --- people worth adding ----------------------------------------------------------------------


def test_people_met_or_written_to_three_times_are_worth_adding(tmp_path, ctx, people):
    path = calendar(tmp_path, *(vevent(f"m{i}", MONDAY - dt.timedelta(days=i), attendees=("dana@example.com", "Lee@Example.net"))
                                for i in range(2)))
    capture_calendar(ctx, [path], MINE)
    assert people_worth_adding(ctx) == []
    mails = [message(ME, "Lee Kim <lee@example.net>, Ann <ann@example.net>", "Hi", T, msgid="1@x"),
             message(ME, "lee@example.net", "Re: Hi", T + dt.timedelta(hours=1), msgid="2@x", references="<1@x>")]
    for _ in range(2):  # read twice: counted once
        capture_mail(ctx, [box(tmp_path, *mails)], MINE)
    [lee] = people_worth_adding(ctx)
    assert (lee.name, lee.email, lee.count) == ("Lee Kim", "lee@example.net", 3)
    assert lee.last.isoformat() == "2025-03-10T09:00:00+01:00"
    assert lee.as_json() == {"name": "Lee Kim", "email": "lee@example.net", "count": 3, "last": "2025-03-10T09:00:00+01:00"}
    assert [p.email for p in people_worth_adding(ctx, min_count=1)] == ["lee@example.net", "ann@example.net"]
    add_contact(ctx, "Lee Kim", emails=["LEE@example.net"])
    assert people_worth_adding(ctx) == []


def test_the_report_as_json(tmp_path, ctx, people):
    path = calendar(tmp_path, vevent("a", MONDAY, attendees=("dana@example.com",)), vevent("b", MONDAY, attendees=()))
    out = capture_calendar(ctx, [path], MINE).as_json()
    assert out["touches"] == [{
        "when": "2025-03-10T09:00:00+01:00", "channel": "meeting", "kind": "catch-up", "minutes": 60,
        "contacts": [people["dana"]], "names": ["Dana Haddad"], "note": "Coffee", "source": "calendar",
        "source_id": "a/20250310T080000Z", "touch_id": Touch.get().id,
    }]
    assert {k: out[k] for k in ("source", "dry_run", "read", "captured", "contacts", "skipped", "problems")} == {
        "source": "calendar", "dry_run": False, "read": 2, "captured": 1, "contacts": 1, "skipped": {"alone": 1},
        "problems": [],
    }


def test_someone_written_to_in_mail_captured_before_joins_its_touch_once_added(tmp_path, ctx, people):
    path = box(tmp_path, message(ME, "dana@example.com, lee@example.net", "Plan", T, msgid="1@x"))
    capture_mail(ctx, [path], MINE)
    CapturedItem.update(captured_at=dt.datetime(2025, 3, 1)).execute()
    add_contact(ctx, "Lee Kim", emails=["lee@example.net"])
    report = capture_mail(ctx, [path], MINE)
    assert (report.added_to, report.skipped[rules.ALREADY_CAPTURED]) == (1, 0)
    assert [t[5] for t in touches()] == [["Dana Haddad", "Lee Kim"]]
    assert capture_mail(ctx, [path], MINE).skipped[rules.ALREADY_CAPTURED] == 1
