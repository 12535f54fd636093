"""The capture's decisions, without a database: which occurrence is a meeting and why not, which
mail is sent, received, bulk or no-reply, one touch per conversation per day, the notes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from netmaint_tui.rules import capture as rules
from netmaint_tui.rules.capture import Message, Occurrence, Person, SentMail

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2025, 3, 12, 10, 0, tzinfo=BERLIN)
ME = frozenset({"me@example.com", "me@work.example"})
DANA = Person("dana@example.com", "Dana Haddad", "ACCEPTED")


def occ(start=dt.datetime(2025, 3, 10, 9, 0, tzinfo=BERLIN), minutes=60, *, organizer=Person("me@example.com"),
        attendees=(DANA, Person("me@example.com", partstat="ACCEPTED")), status="CONFIRMED", all_day=False,
        summary="Coffee", location="", uid="u1", recurrence_id=None) -> Occurrence:
    return Occurrence(uid, recurrence_id, start, start + dt.timedelta(minutes=minutes), all_day, summary, location,
                      status, organizer, tuple(attendees), "test.ics")


def test_a_past_meeting_with_someone_else_is_a_meeting():
    verdict = rules.meeting_verdict(occ(), ME, NOW)
    assert verdict.skip is None and verdict.others == (DANA,) and verdict.people == 2


@pytest.mark.parametrize("change, reason", [
    (dict(status="CANCELLED"), rules.DECLINED_OR_CANCELLED),
    (dict(attendees=(DANA, Person("ME@Example.com".casefold(), partstat="DECLINED"))), rules.DECLINED_OR_CANCELLED),
    (dict(start=NOW - dt.timedelta(minutes=30)), rules.FUTURE),  # started, not over yet
    (dict(start=NOW + dt.timedelta(days=3)), rules.FUTURE),
    (dict(attendees=(Person("me@example.com", partstat="ACCEPTED"),)), rules.ALONE),
    (dict(attendees=()), rules.ALONE),
    (dict(organizer=Person("omar@example.com"), attendees=(DANA,)), rules.NOT_YOURS),
    (dict(attendees=(Person("dana@example.com", partstat="DECLINED"), Person("me@example.com"))), rules.ALONE),
    (dict(attendees=(Person("room-1@resource.calendar.google.com", cutype="RESOURCE"),)), rules.ALONE),
])
def test_what_is_not_a_meeting_and_why(change, reason):
    assert rules.meeting_verdict(occ(**change), ME, NOW).skip == reason


def test_an_event_without_organizer_that_names_others_is_taken_as_the_users():
    verdict = rules.meeting_verdict(occ(organizer=None, attendees=(DANA,)), ME, NOW)
    assert verdict.skip is None and verdict.others == (DANA,)


def test_an_organizer_who_is_somebody_else_counts_when_the_user_is_a_guest():
    omar = Person("omar@example.com", "Omar")
    verdict = rules.meeting_verdict(occ(organizer=omar, attendees=(Person("me@work.example"), DANA)), ME, NOW)
    assert verdict.skip is None and verdict.others == (omar, DANA) and verdict.people == 3


def test_declined_and_delegated_guests_and_rooms_did_not_take_part():
    attendees = (DANA, Person("lee@example.com", partstat="DECLINED"), Person("boss@example.com", partstat="DELEGATED"),
                 Person("room@example.com", cutype="ROOM"), Person("me@example.com"))
    assert rules.meeting_verdict(occ(attendees=attendees), ME, NOW).others == (DANA,)


def test_more_than_eight_people_make_an_event():
    assert rules.meeting_channel(8) == "meeting"
    assert rules.meeting_channel(9) == "event"
    guests = tuple(Person(f"p{i}@example.com") for i in range(8))
    assert rules.meeting_verdict(occ(attendees=guests), ME, NOW).people == 9


def test_minutes_and_note():
    assert rules.meeting_minutes(occ(minutes=45)) == 45
    assert rules.meeting_minutes(occ(all_day=True, minutes=24 * 60)) is None
    assert rules.meeting_minutes(occ(minutes=3 * 24 * 60)) is None  # a conference, not a meeting's length
    assert rules.meeting_note(occ(summary="Coffee\nwith Dana ", location=" Café  Einstein")) == "Coffee with Dana (Café Einstein)"
    assert rules.meeting_note(occ(summary="")) == "(no title)"


def test_an_occurrence_is_known_by_uid_and_slot_or_start():
    assert occ(recurrence_id="20250310T080000Z").key == "u1/20250310T080000Z"
    assert occ().key == "u1/20250310T080000Z"  # 09:00 in Berlin
    assert occ(all_day=True, start=dt.datetime(2025, 3, 10, tzinfo=BERLIN)).key == "u1/20250310"


@pytest.mark.parametrize("raw, folded", [
    ("Dana@Example.COM", "dana@example.com"),
    ("mailto:Dana@example.com", "dana@example.com"),
    (" MAILTO:dana@example.com ", "dana@example.com"),
    ("<dana@example.com>", "dana@example.com"),
    ("andy at example.com", "andy@example.com"),
    ("mailto:hcabot@ example.com", "hcabot@example.com"),  # a line folded inside the address
    ("a@b@c", ""),
    ("undisclosed-recipients", ""),
    ("", ""),
])
def test_addresses_are_compared_folded(raw, folded):
    assert rules.fold_email(raw) == folded


@pytest.mark.parametrize("address, no_reply", [
    ("noreply@github.com", True), ("no-reply@accounts.google.com", True), ("do-not-reply@x.org", True),
    ("donotreply@x.org", True), ("MAILER-DAEMON@x.org".casefold(), True), ("bounces+123@x.org", True),
    ("notifications@github.com", True), ("nora@example.com", False), ("replyall@x.org", False),
    ("dana@example.com", False),
])
def test_no_reply_senders(address, no_reply):
    assert rules.is_no_reply(address) is no_reply


def msg(sender="me@example.com", to=("dana@example.com",), cc=(), bcc=(), bulk="", subject="Hello") -> Message:
    people = lambda xs: tuple(Person(x) for x in xs)  # noqa: E731
    return Message("<1@x>", NOW, Person(sender) if sender else None, people(to), people(cc), people(bcc), subject,
                   "<1@x>", bulk, "test.mbox")


@pytest.mark.parametrize("message, kind", [
    (msg(), rules.SENT),
    (msg(to=(), bcc=("dana@example.com",)), rules.SENT),
    (msg(sender="dana@example.com", to=("me@example.com",)), rules.RECEIVED),
    (msg(sender="dana@example.com", bulk="List-Id"), rules.BULK),
    (msg(bulk="Precedence: bulk"), rules.BULK),
    (msg(sender="noreply@shop.example"), rules.NO_REPLY),
    (msg(to=("noreply@shop.example",)), rules.NO_REPLY),
    (msg(to=("me@work.example",)), rules.ALONE),
])
def test_what_a_mail_is(message, kind):
    assert rules.mail_verdict(message, ME).kind == kind


def test_a_sent_mail_has_its_recipients_once_without_the_user_or_no_reply():
    verdict = rules.mail_verdict(msg(to=("dana@example.com", "me@work.example"), cc=("omar@example.com",),
                                     bcc=("dana@example.com", "noreply@x.org")), ME)
    assert [p.email for p in verdict.others] == ["dana@example.com", "omar@example.com"]


@pytest.mark.parametrize("subject, normal", [
    ("Re: Docker and MetricsGrimoire", "docker and metricsgrimoire"),
    ("[Metrics-grimoire] Re: AW: Fwd:  Docker", "docker"),
    ("RE[2]: Lunch", "lunch"),
    ("Résumé", "résumé"),
])
def test_subjects_keep_the_conversation(subject, normal):
    assert rules.normalize_subject(subject) == normal


def sent(key, at, thread="<t@x>", contacts=(1,), subject="Hello"):
    return SentMail(key, at, thread, subject, tuple(contacts))


def test_ten_replies_on_one_day_are_one_touch_with_each_contact_once():
    day = dt.datetime(2025, 3, 10, 8, 0, tzinfo=BERLIN)
    mails = [sent(f"<{i}@x>", day + dt.timedelta(minutes=50 * i), contacts=(1, 2) if i % 2 else (1,)) for i in range(10)]
    [conv] = rules.conversations(list(reversed(mails)), BERLIN)
    assert conv.at == day and conv.source_id == "<0@x>" and conv.contact_ids == [1, 2] and len(conv.mails) == 10


def test_the_same_conversation_on_two_days_and_two_conversations_on_one_day_are_separate():
    day = dt.datetime(2025, 3, 10, 23, 30, tzinfo=BERLIN)
    mails = [sent("<a@x>", day), sent("<b@x>", day + dt.timedelta(hours=1)),  # after midnight in Berlin
             sent("<c@x>", day, thread="<other@x>")]
    convs = rules.conversations(mails, BERLIN)
    assert sorted(len(c.mails) for c in convs) == [1, 1, 1]
    # In New York both of the first two are on the 10th.
    assert sorted(len(c.mails) for c in rules.conversations(mails, ZoneInfo("America/New_York"))) == [1, 2]


def test_mail_note_is_the_subject():
    assert rules.mail_note(" Re: the  deck\n") == "Re: the deck"
    assert rules.mail_note("") == "(no subject)"


def test_the_link_window_is_two_hours_either_way():
    assert rules.within_link_window(NOW, NOW + dt.timedelta(hours=2))
    assert rules.within_link_window(NOW, NOW - dt.timedelta(hours=2))
    assert not rules.within_link_window(NOW, NOW + dt.timedelta(hours=2, seconds=1))


@pytest.mark.parametrize("name, email, expected", [
    ("Lee Kim", "lee@example.net", "Lee Kim"),
    ("  Lee   Kim ", "lee@example.net", "Lee Kim"),
    ("lee.kim@example.net", "lee.kim@example.net", "Lee Kim"),  # a calendar that gives the address as the name
    ("lee.kim", "lee.kim@example.net", "Lee Kim"),
    ("", "dana_haddad42@example.org", "Dana Haddad42"),
    ("", "o-fischer+news@example.org", "O Fischer News"),
    ("", "1234@example.org", "1234@example.org"),
])
def test_a_person_known_by_an_address_gets_a_name_to_be_added_by(name, email, expected):
    assert rules.contact_name(name, email) == expected
