"""Birthdays and anniversaries in and out: vCard (BDAY, ANNIVERSARY, Apple's labelled X-ABDATE and
its year 1604), Google Contacts' events, merging on a second import, and the calendar's yearly
events (29 February on the 28th in other years, UIDs that stay)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import recurring_ical_events
from icalendar import Calendar

from netmaint_tui.io.google import parse_google
from netmaint_tui.io.ics_export import build_calendar
from netmaint_tui.io.vcard import parse_vcard
from netmaint_tui.services.contacts import add_contact, contact_detail, set_archived, update_contact
from netmaint_tui.services.exporting import yearly_dates
from netmaint_tui.services.importing import import_records
from tests.io.test_google import CURRENT_HEADER, LEGACY_HEADER, row

APPLE = """BEGIN:VCARD
VERSION:3.0
FN:Dana Lee
BDAY;X-APPLE-OMIT-YEAR=1604:1604-07-09
item1.X-ABDATE;type=pref:2004-06-18
item1.X-ABLabel:_$!<Anniversary>!$_
item2.X-ABDATE;X-APPLE-OMIT-YEAR=1604:1604-04-01
item2.X-ABLabel:work anniversary
item3.X-ABDATE:1990-02-30
item3.X-ABLabel:broken
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Omar Haddad
BDAY:--0229
ANNIVERSARY:20090808
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Lee Wong
item1.X-ABDATE:1980-03-22
item1.X-ABLabel:Birthday
X-EVOLUTION-ANNIVERSARY:2011-05-05
END:VCARD
"""


def test_vcard_dates_from_apple_4_0_and_evolution():
    result = parse_vcard(APPLE.encode())
    dana, omar, lee = result.records
    assert dana.birthday == "--07-09"  # Apple's 1604: no year
    assert dana.dates == [{"label": "anniversary", "date": "2004-06-18"},
                          {"label": "work anniversary", "date": "--04-01"}]
    assert (omar.birthday, omar.dates) == ("--02-29", [{"label": "anniversary", "date": "2009-08-08"}])
    # A date Apple labels "Birthday" is the birthday, where the card has no BDAY.
    assert (lee.birthday, lee.dates) == ("1980-03-22", [{"label": "anniversary", "date": "2011-05-05"}])
    assert [(i.line, i.message) for i in result.issues] == [(9, "date '1990-02-30' is not a real date; ignored")]


def test_google_events_current_and_legacy():
    current = CURRENT_HEADER + ",Event 1 - Label,Event 1 - Value,Event 2 - Label,Event 2 - Value"
    legacy = LEGACY_HEADER + ",Event 1 - Type,Event 1 - Value"
    text = "\n".join([
        current,
        row(current, first_name="Dana", birthday="1985-07-09", event_1_label="Anniversary", event_1_value="2010-06-12",
            event_2_label="work anniversary", event_2_value="--04-01"),
        row(current, first_name="Omar", birthday=" --02-29", event_1_label="", event_1_value="2019-13-01"),
    ])
    dana, omar = parse_google(text.encode()).records
    assert dana.birthday == "1985-07-09"
    assert dana.dates == [{"label": "anniversary", "date": "2010-06-12"},
                          {"label": "work anniversary", "date": "--04-01"}]
    result = parse_google(text.encode())
    assert omar.birthday == "--02-29" and omar.dates == []
    assert [(i.line, i.message) for i in result.issues] == [(3, "date '2019-13-01' is not a real date; ignored")]
    old = "\n".join([legacy, row(legacy, name="Lee Wong", event_1_type="Other ::: met",
                                 event_1_value="2001-01-01 ::: 2005-05-05")])
    (lee,) = parse_google(old.encode()).records
    assert lee.dates == [{"label": "other", "date": "2001-01-01"}, {"label": "met", "date": "2005-05-05"}]


def test_importing_dates_again_changes_nothing_and_a_year_is_taken_in(tmp_db, ctx):
    first = parse_vcard(APPLE.encode()).records
    report = import_records(ctx, first, source="vcard")
    assert report.added == 3
    again = import_records(ctx, parse_vcard(APPLE.encode()).records, source="vcard")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    dana = contact_detail(ctx, 1)
    assert dana.dates == [{"label": "anniversary", "date": "2004-06-18"},
                          {"label": "work anniversary", "date": "--04-01"}]
    # A newer card knows the year of one date and brings another: merged, nothing typed is lost.
    newer = APPLE.replace("item2.X-ABDATE;X-APPLE-OMIT-YEAR=1604:1604-04-01", "item2.X-ABDATE:2015-04-01")
    newer = newer.replace("item3.X-ABDATE:1990-02-30", "item3.X-ABDATE:2012-09-09").replace("broken", "met")
    update_contact(ctx, 1, dates=dana.dates + [{"label": "typed by hand", "date": "--01-01"}])
    report = import_records(ctx, parse_vcard(newer.encode()).records, source="vcard")
    assert (report.updated, report.unchanged) == (1, 2)
    assert contact_detail(ctx, 1).dates == [
        {"label": "anniversary", "date": "2004-06-18"}, {"label": "work anniversary", "date": "2015-04-01"},
        {"label": "typed by hand", "date": "--01-01"}, {"label": "met", "date": "2012-09-09"}]


# --- the calendar -------------------------------------------------------------------------------


def calendar(ctx) -> Calendar:
    return Calendar.from_ical(build_calendar([], [], ctx.now(), yearly_dates()))


def test_each_birthday_and_anniversary_is_a_yearly_all_day_event(tmp_db, ctx):
    dana = add_contact(ctx, "Dana <b>", birthday="1985-07-09", dates="work anniversary=2019-04-01; met=--06-12")
    leap = add_contact(ctx, "Leap", birthday="--02-29")
    gone = add_contact(ctx, "Gone", birthday="--01-01")
    set_archived(ctx, gone)
    events = {str(e["uid"]): e for e in calendar(ctx).walk("VEVENT")}
    birthday = events[f"contact-{dana}-birthday@netmaint"]
    assert birthday.decoded("dtstart") == dt.date(1985, 7, 9)
    assert birthday.decoded("dtend") == dt.date(1985, 7, 10)
    assert str(birthday["summary"]) == "Dana <b>'s birthday" and str(birthday["description"]) == "Born 9 Jul 1985."
    assert birthday["rrule"].to_ical() == b"FREQ=YEARLY"
    anniversaries = sorted(str(events[u]["summary"]) for u in events if "-date-" in u)
    assert anniversaries == ["Dana <b>: met", "Dana <b>: work anniversary"]
    assert f"contact-{gone}-birthday@netmaint" not in events  # archived
    assert events[f"contact-{leap}-birthday@netmaint"].decoded("dtstart") == dt.date(2000, 2, 29)


@pytest.mark.parametrize("year, day", [(2025, dt.date(2025, 2, 28)), (2028, dt.date(2028, 2, 29)),
                                       (2100, dt.date(2100, 2, 28))])
def test_29_february_recurs_on_the_28th_in_other_years(tmp_db, ctx, year, day):
    add_contact(ctx, "Leap", birthday="1996-02-29")
    found = recurring_ical_events.of(calendar(ctx)).between(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    assert [e.decoded("dtstart") for e in found] == [day]


def test_a_date_moved_keeps_its_event_and_a_label_twice_gets_two(tmp_db, ctx, make_ctx):
    cid = add_contact(ctx, "Dana", dates="met=2019-04-01")
    (before,) = [str(e["uid"]) for e in calendar(ctx).walk("VEVENT")]
    update_contact(ctx, cid, dates="met=2019-04-02; Met=2020-09-09")
    after = [str(e["uid"]) for e in calendar(ctx).walk("VEVENT")]
    assert after[0] == before and len(set(after)) == 2 and after[1] == before.replace("@", "-2@")
    # Another day's export: the same events.
    assert [str(e["uid"]) for e in calendar(make_ctx("2026-01-01T08:00:00")).walk("VEVENT")] == after


def test_the_export_command_writes_them(env, capsys):
    from netmaint_tui.cli import main

    assert main(["add", "Dana", "--birthday", "--03-20", "--date", "met=2019-03-19"]) == 0
    assert main(["export", "ics", "-o", str(env.tmp / "cal.ics")]) == 0
    out = capsys.readouterr().out
    assert "2 yearly dates" in out
    cal = Calendar.from_ical((env.tmp / "cal.ics").read_bytes())
    summaries = sorted(str(e["summary"]) for e in cal.walk("VEVENT"))
    assert summaries == ["Dana's birthday", "Dana: met", "Reach out to Dana"]
    assert main(["export", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["contacts"][0]["dates"] == [{"label": "met", "date": "2019-03-19"}]
