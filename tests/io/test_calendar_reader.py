"""Reading calendars: the shared sample files, files built for each case, zips and vdir folders;
an event that cannot be read is reported and the rest is read."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from netmaint_tui.io.calendar import calendar_kind, is_calendar, read_calendar, read_calendars
from tests.capture_files import ics, vevent, write

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "calendars"
BERLIN = ZoneInfo("Europe/Berlin")
LA = ZoneInfo("America/Los_Angeles")
START = dt.datetime(1990, 1, 1, tzinfo=dt.timezone.utc)
END = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)


def read(data: bytes, *, plain: bool = True, start=START, end=END, zone=BERLIN):
    problems = []
    found = list(read_calendar(data, "test.ics", start, end, zone, problems.append, plain=plain))
    return found, problems


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def by_start(occurrences):
    return sorted(occurrences, key=lambda o: (o.start.timestamp(), o.key))


ALL_SAMPLES = sorted(p.name for p in SAMPLES.glob("*.ics"))


def test_the_samples_are_there():
    assert len(ALL_SAMPLES) == 6


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_every_sample_reads_without_problems_and_both_roads_agree(name):
    direct, problems = read(sample(name))
    through_icalendar, more = read(sample(name), plain=False)
    assert problems == more == []
    assert direct and by_start(direct) == by_start(through_icalendar)


def test_attendees_keep_their_answers_and_a_line_folded_inside_an_address():
    [occ], _ = read(sample("khal_event_dt_partstat.ics"))
    assert occ.start == dt.datetime(2014, 4, 9, 9, 30, tzinfo=BERLIN) and occ.summary == "An Event"
    assert [(a.email, a.name, a.partstat) for a in occ.attendees] == [
        ("hcabot@example.com", "Henry Cabot", "TENTATIVE"),
        ("iamboss@example.com", "The Big Cheese", "DELEGATED"),
        ("jdoe@example.com", "Jane Doe", "ACCEPTED"),
        ("jqpublic@example.com", "", "ACCEPTED"),
        ("another@example.com", "", "DECLINED"),
        ("tent@example.com", "", "TENTATIVE"),
    ]
    assert occ.recurrence_id is None and occ.key == "V042MJ8B3SJNFXQOJL6P53OFMHJE8Z3VZWOU/20140409T073000Z"


def test_moved_occurrences_without_their_master_are_read():
    found, _ = read(sample("khal_event_dt_multi_recuid_no_master.ics"))
    # Floating times: read in the zone given.
    assert [(o.start, o.end, o.recurrence_id) for o in by_start(found)] == [
        (dt.datetime(2014, 6, 30, 7, 30, tzinfo=BERLIN), dt.datetime(2014, 6, 30, 12, 0, tzinfo=BERLIN), "20140714T053000"),
        (dt.datetime(2014, 7, 7, 8, 30, tzinfo=BERLIN), dt.datetime(2014, 7, 7, 12, 0, tzinfo=BERLIN), "20140707T053000"),
    ]


def test_an_excluded_date_is_not_an_occurrence():
    found, _ = read(sample("rie_each_week_but_one_deleted.ics"))
    days = [o.start.date() for o in by_start(found)]
    assert len(days) == 7 and dt.date(2019, 3, 11) not in days and days[0] == dt.date(2019, 3, 4)
    assert len({o.key for o in found}) == 7


def test_a_series_with_a_moved_occurrence_an_exdate_and_rdates():
    found, _ = read(sample("icaljs_recur_instances.ics"), end=dt.datetime(2013, 3, 1, tzinfo=dt.timezone.utc))
    slots = {o.recurrence_id: o for o in found}
    moved = slots["20121002T170000Z"]  # the first Tuesday, moved from 10:00 to 15:00
    assert moved.start == dt.datetime(2012, 10, 2, 15, 0, tzinfo=LA) and moved.attendees == ()
    assert moved.organizer.email == "jlal@mozilla.com" and moved.organizer.name == "James Lal"
    days = sorted(o.start.astimezone(LA).date() for o in found)
    assert dt.date(2012, 12, 4) not in days  # EXDATE
    assert {dt.date(2012, 11, 10), dt.date(2012, 11, 30)} <= set(days)  # RDATEs
    regular = slots["20130101T180000Z"]
    assert [a.email for a in regular.attendees] == ["calmozilla1@gmail.com", "james@lightsofapollo.com",
                                                    "iam.revelation@gmail.com"]
    assert regular.location == "PLACE" and regular.summary == "Crazy Event Thingy!"


def test_googles_birthdays_with_a_day_written_in_utc_are_read():
    found, problems = read(sample("icaljs_google_birthday.ics"))
    assert problems == []
    assert all(o.all_day and o.end - o.start == dt.timedelta(days=1) for o in found)
    assert {o.start.date() for o in found} == {dt.date(2012, 12, 10), dt.date(2013, 12, 10), dt.date(2014, 12, 10)}
    # All-day days are in the calendar's own zone (X-WR-TIMEZONE), not the one given.
    assert {o.start.tzinfo for o in found} == {LA}


def test_a_published_calendar_with_many_events():
    found, _ = read(sample("rie_fablab_cottbus.ics"))
    assert len(found) > 100 and all(o.attendees == () for o in found)


def test_the_window_keeps_what_overlaps_it():
    data = ics(vevent("a", dt.datetime(2025, 3, 10, 9, tzinfo=BERLIN)), vevent("b", dt.datetime(2025, 3, 12, 9, tzinfo=BERLIN)))
    found, _ = read(data, start=dt.datetime(2025, 3, 10, 9, 30, tzinfo=BERLIN), end=dt.datetime(2025, 3, 11, tzinfo=BERLIN))
    assert [o.uid for o in found] == ["a"]


def test_the_plain_road_agrees_with_icalendar_on_every_form_it_takes(monkeypatch):
    events = [
        vevent("utc", dt.datetime(2025, 3, 10, 9, tzinfo=dt.timezone.utc), summary="Comma\\, semi\\; slash\\\\ nl\\nend",
               location="Café \\, Einstein", attendees=("dana@example.com", ("omar@example.com", "DECLINED"))),
        vevent("day", dt.date(2025, 3, 11)),
        "\r\n".join(["BEGIN:VEVENT", "UID:zone", "DTSTART;TZID=America/Los_Angeles:20250310T090000",
                     "DURATION:PT1H30M", "SUMMARY:In LA", "ATTENDEE;CN=\"Haddad, Dana\";PARTSTAT=ACCEPTED:mailto:DANA@Example.com",
                     "ATTENDEE;CN=Lee ^'the^' Kim;CUTYPE=RESOURCE:mailto:lee@example.com", "END:VEVENT"]),
        "\r\n".join(["BEGIN:VEVENT", "UID:floating", "DTSTART:20250310T090000", "DTEND:20250310T100000",
                     "SUMMARY:Floating", "STATUS:cancelled", "END:VEVENT"]),
        "\r\n".join(["BEGIN:VEVENT", "UID:no-end", "DTSTART:20250310T090000Z", "SUMMARY:Zero", "END:VEVENT"]),
        "\r\n".join(["BEGIN:VEVENT", "DTSTART;VALUE=DATE:20250312", "SUMMARY:No uid", "END:VEVENT"]),
        "\r\n".join(["BEGIN:VEVENT", "UID:folded", "DTSTART:20250310T09", " 0000Z", "DTEND:20250310T100000Z",
                     "SUMMARY:A long", " title", "ORGANIZER;CN=Dana:mailto:dana@", " example.com", "END:VEVENT"]),
    ]
    data = ics(*events)
    through_icalendar, more = read(data, plain=False)
    from netmaint_tui.io import calendar

    monkeypatch.setattr(calendar, "_ical_events", None)  # the plain road must need none of it
    direct, problems = read(data)
    assert problems == more == []
    assert by_start(direct) == by_start(through_icalendar)
    found = {o.uid: o for o in direct}
    assert found["utc"].summary == "Comma, semi; slash\\ nl\nend" and found["utc"].location == "Café , Einstein"
    assert found["zone"].start == dt.datetime(2025, 3, 10, 9, tzinfo=LA)
    assert found["zone"].end - found["zone"].start == dt.timedelta(minutes=90)
    assert found["zone"].attendees[0].name == "Haddad, Dana" and found["zone"].attendees[0].email == "dana@example.com"
    assert found["floating"].start == dt.datetime(2025, 3, 10, 9, tzinfo=BERLIN) and found["floating"].status == "CANCELLED"
    assert found["no-end"].end == found["no-end"].start
    assert found["folded"].summary == "A longtitle" and found["folded"].organizer.email == "dana@example.com"
    assert [o for o in direct if o.uid.startswith("no-uid-")]


def test_a_zone_the_file_defines_itself_goes_through_icalendar():
    zone = "\r\n".join(["BEGIN:VTIMEZONE", "TZID:W. Europe Standard Time", "BEGIN:STANDARD", "DTSTART:16010101T030000",
                        "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "END:STANDARD",
                        "BEGIN:DAYLIGHT", "DTSTART:16010101T020000", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200",
                        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "END:DAYLIGHT", "END:VTIMEZONE"])
    event = "\r\n".join(["BEGIN:VEVENT", "UID:outlook", 'DTSTART;TZID="W. Europe Standard Time":20250310T090000',
                         'DTEND;TZID="W. Europe Standard Time":20250310T100000', "SUMMARY:Outlook", "END:VEVENT"])
    [occ], problems = read(ics(zone, event))
    assert problems == [] and occ.start.timestamp() == dt.datetime(2025, 3, 10, 9, tzinfo=BERLIN).timestamp()


def test_an_event_that_cannot_be_read_is_reported_with_its_line_and_the_rest_is_read():
    good = vevent("good", dt.datetime(2025, 3, 10, 9, tzinfo=BERLIN))
    no_start = "\r\n".join(["BEGIN:VEVENT", "UID:no-start", "SUMMARY:Nothing", "END:VEVENT"])
    bad_rule = "\r\n".join(["BEGIN:VEVENT", "UID:bad-rule", "DTSTART:20250310T090000Z", "RRULE:FREQ=SOMETIMES",
                            "SUMMARY:Bad", "END:VEVENT"])
    found, problems = read(ics(no_start, bad_rule, good))
    assert [o.uid for o in found] == ["good"]
    assert [p.where for p in problems] == ["test.ics, event at line 7", "test.ics, event at line 11"]
    assert "no start" in problems[0].message and problems[1].message.endswith("skipped")


def test_a_series_that_cannot_be_read_leaves_the_other_series_whole():
    def weekly(uid, rule="FREQ=WEEKLY;COUNT=3"):
        return vevent(uid, dt.datetime(2025, 3, 3, 9, tzinfo=BERLIN), attendees=("dana@example.com",),
                      extra=(f"RRULE:{rule}",))

    data = ics(weekly("one"), weekly("broken", "FREQ=FORTNIGHTLY"), weekly("two"))
    found, problems = read(data)
    assert sorted(o.key for o in found) == sorted(f"{uid}/202503{day:02d}T080000Z" for uid in ("one", "two")
                                                  for day in (3, 10, 17))
    assert [p.where for p in problems] == ["test.ics, event at line 22"]
    assert by_start(found) == by_start(read(data, plain=False)[0])


@pytest.mark.parametrize("rule, first", [
    ("FREQ=SECONDLY", dt.datetime(1990, 1, 1, 9)),
    ("FREQ=MINUTELY;COUNT=99999999", dt.datetime(1990, 1, 1, 9)),
    ("FREQ=HOURLY", dt.datetime(2020, 1, 1, 9)),
    ("FREQ=DAILY;BYHOUR=9,10,11,12", dt.datetime(2010, 1, 1, 9)),
])
def test_a_rule_that_repeats_beyond_any_meeting_series_is_named_and_left_out_at_once(rule, first):
    def event(uid, rule):
        return vevent(uid, first.replace(tzinfo=BERLIN), attendees=("dana@example.com",), extra=(f"RRULE:{rule}",))

    found, problems = read(ics(event("endless", rule), event("weekly", "FREQ=WEEKLY;COUNT=3")))
    assert [o.key.split("/")[0] for o in found] == ["weekly"] * 3
    assert len(problems) == 1 and "a series of more than 20,000 is no meeting series; skipped" in problems[0].message


def test_a_long_weekly_series_is_read_whole():
    weekly = vevent("w", dt.datetime(1995, 1, 2, 9, tzinfo=BERLIN), attendees=("dana@example.com",),
                    extra=("RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR",))
    found, problems = read(ics(weekly))
    assert problems == [] and len(found) > 5000


def test_a_device_is_no_calendar():
    assert calendar_kind("/dev/zero") is None and calendar_kind("/dev/null") is None


def test_a_file_that_is_no_calendar_is_reported():
    found, problems = read(b"BEGIN:VCARD\r\nFN:Dana\r\nEND:VCARD\r\n")
    assert found == [] and "not a calendar" in problems[0].message


@pytest.mark.parametrize("head, expected", [
    (b"BEGIN:VCALENDAR\r\nVERSION:2.0", True),
    (b"\xef\xbb\xbf\r\n  begin:vcalendar\n", True),
    (b"BEGIN:VCARD\r\n", False),
    (b"From me@example.com Wed Mar 12", False),
])
def test_is_calendar(head, expected):
    assert is_calendar(head) is expected


def test_a_zip_and_a_vdir_folder(tmp_path):
    one = ics(vevent("a", dt.datetime(2025, 3, 10, 9, tzinfo=BERLIN)))
    two = ics(vevent("b", dt.datetime(2025, 3, 11, 9, tzinfo=BERLIN)))
    archive = tmp_path / "takeout.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Takeout/Calendar/me@example.com.ics", one)
        z.writestr("Takeout/Calendar/Holidays.ICS", two)
        z.writestr("Takeout/archive_browser.html", b"<html></html>")
    vdir = tmp_path / "calendars"
    write(vdir / "work" / "a.ics", one)
    write(vdir / "work" / "b.ics", two)
    write(vdir / "work" / ".a.ics.tmp.ics", b"half written")
    write(vdir / ".status" / "c.ics", b"not a calendar")
    write(vdir / "work" / "color", b"#ff0000")
    for path, kind in ((archive, "zip"), (vdir, "folder"), (vdir / "work" / "a.ics", "ics")):
        problems = []
        assert calendar_kind(path) == kind
        found = list(read_calendars([path], START, END, BERLIN, problems.append))
        assert problems == [] and sorted(o.uid for o in found) == (["a"] if kind == "ics" else ["a", "b"])
    assert calendar_kind(tmp_path / "missing.ics") is None
    assert calendar_kind(write(tmp_path / "x.vcf", b"BEGIN:VCARD\r\n")) is None
    assert calendar_kind(write(tmp_path / "empty" / "readme.txt", b"")) is None
    assert calendar_kind(tmp_path / "empty") is None


def test_a_calendar_cut_off_is_said_and_its_whole_events_read():
    whole = ics(vevent("a", dt.datetime(2025, 3, 3, 9, tzinfo=BERLIN), attendees=("dana@example.com",)),
                vevent("b", dt.datetime(2025, 3, 4, 9, tzinfo=BERLIN), attendees=("dana@example.com",)))
    cut = whole[:whole.index(b"UID:b") + 20]
    found, problems = read(cut)
    assert [o.key.split("/")[0] for o in found] == ["a"]
    assert [p.message for p in problems] == [
        "is cut off (no END:VCALENDAR): the 1 whole event(s) before the cut are read; export the calendar again for the rest"]
    assert read(whole)[1] == []
