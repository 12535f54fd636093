"""Use cases on a temporary database, without a terminal: contacts, touches, the ranking, the habit, drafts, follow-ups."""

from __future__ import annotations

import datetime as dt
import json
import random

import pendulum
import pytest

from netmaint_tui.rules.streaks import GoalRow, PauseRange, Tally, tally_touches
from netmaint_tui.services import drafts, followups
from netmaint_tui.services.common import AmbiguousContact, ArchivedContact, InputError, UnknownContact, to_db
from netmaint_tui.services.contacts import (
    add_contact,
    contact_detail,
    contact_names,
    resolve_contact,
    resolve_contacts,
    set_archived,
    snooze,
    tags_of,
    update_contact,
)
from netmaint_tui.services.due import SORTS, count_due, due_list, rank_ids, rows_for_ids
from netmaint_tui.services.habit import add_pause, goal_rows, set_goal, week_summary, weekly_tallies
from netmaint_tui.services.touches import delete_touch, log_touch
from netmaint_tui.store.models import Contact, ContactTag, Draft, FollowUp, Goal, Tag, Touch, TouchContact

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"


@pytest.fixture(autouse=True)
def _commits_without_waiting_for_the_disk(monkeypatch):
    # Durability (synchronous=FULL) is test_store's subject; here hundreds of small commits
    # would each wait for an fsync. NORMAL in WAL mode keeps every other behaviour the same.
    from netmaint_tui.store import db

    monkeypatch.setitem(db.PRAGMAS, "synchronous", 1)


def berlin(y, mo, d, h=10, mi=0, s=0) -> pendulum.DateTime:
    return pendulum.datetime(y, mo, d, h, mi, s, tz=BERLIN)


def db_time(moment) -> dt.datetime:
    value = moment if isinstance(moment, dt.datetime) else dt.datetime.fromisoformat(str(moment))
    return value


@pytest.fixture
def past(make_ctx):
    """A context some days before 'now', to add contacts that were added back then."""
    return lambda day: make_ctx(now=f"{day}T09:00:00")


# --- contacts: adding and editing ------------------------------------------------------------


def test_add_contact_stores_defaults_and_the_utc_creation_time(tmp_db, ctx):
    cid = add_contact(ctx, "  Dana Haddad  ")
    c = Contact.get_by_id(cid)
    assert c.name == "Dana Haddad"
    assert (c.tier, c.cadence_days, c.emails, c.archived, c.source) == ("B", None, "[]", False, "manual")
    assert db_time(c.created_at) == dt.datetime(2025, 3, 12, 9, 0, 0)  # 10:00 in Berlin is 09:00 UTC


@pytest.mark.parametrize("tier, stored", [("a", "A"), (" C ", "C"), ("B", "B"), ("", "B"), (None, "B")])
def test_tier_is_normalized(tmp_db, ctx, tier, stored):
    assert Contact.get_by_id(add_contact(ctx, "X", tier=tier)).tier == stored


@pytest.mark.parametrize("tier", ["D", "AA", "1", "tier A"])
def test_a_bad_tier_is_refused(tmp_db, ctx, tier):
    with pytest.raises(InputError, match="tier"):
        add_contact(ctx, "X", tier=tier)
    assert Contact.select().count() == 0


@pytest.mark.parametrize("cadence, stored", [("14", 14), (30, 30), (None, None), ("", None)])
def test_cadence(tmp_db, ctx, cadence, stored):
    assert Contact.get_by_id(add_contact(ctx, "X", cadence_days=cadence)).cadence_days == stored


@pytest.mark.parametrize("cadence", ["0", -3, "abc", "2.5", "14 days"])
def test_a_bad_cadence_is_refused(tmp_db, ctx, cadence):
    with pytest.raises(InputError, match="cadence"):
        add_contact(ctx, "X", cadence_days=cadence)


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("1990-05-17", "1990-05-17"),
        ("--02-29", "--02-29"),
        ("02-29", "--02-29"),
        ("--12-31", "--12-31"),
        ("2024-02-29", "2024-02-29"),
        (" 1990-05-17 ", "1990-05-17"),
        ("", None),
        (None, None),
    ],
)
def test_birthday_forms(tmp_db, ctx, typed, stored):
    assert Contact.get_by_id(add_contact(ctx, "X", birthday=typed)).birthday == stored


@pytest.mark.parametrize("typed", ["2023-02-29", "--13-01", "--02-30", "17.05.1990", "May 17", "1990-5-17", "--2-29"])
def test_a_bad_birthday_is_refused(tmp_db, ctx, typed):
    with pytest.raises(InputError, match="birthday"):
        add_contact(ctx, "X", birthday=typed)


def test_a_blank_name_or_unknown_field_is_refused(tmp_db, ctx):
    with pytest.raises(InputError, match="name"):
        add_contact(ctx, "   ")
    with pytest.raises(InputError, match="unknown contact field"):
        add_contact(ctx, "X", shoe_size=44)
    assert Contact.select().count() == 0


def test_emails_from_a_list_or_a_typed_string(tmp_db, ctx):
    a = add_contact(ctx, "A", emails=["a@x.example", " ", "b@x.example "])
    b = add_contact(ctx, "B", emails="a@x.example; b@x.example,")
    assert json.loads(Contact.get_by_id(a).emails) == ["a@x.example", "b@x.example"]
    assert json.loads(Contact.get_by_id(b).emails) == ["a@x.example", "b@x.example"]


def test_tags_are_trimmed_deduplicated_and_shared(tmp_db, ctx):
    a = add_contact(ctx, "A", tags=[" client ", "client", "mentor", ""])
    b = add_contact(ctx, "B", tags=["client"])
    assert tags_of([a, b]) == {a: ["client", "mentor"], b: ["client"]}
    assert Tag.select().count() == 2


def test_update_changes_only_what_is_given_and_replaces_tags(tmp_db, make_ctx):
    cid = add_contact(make_ctx(now="2025-03-01T09:00:00"), "Dana", company="Acme", tier="A", tags=["client"])
    update_contact(make_ctx(), cid, role="CTO", tags=["mentor", "friend"])
    c = Contact.get_by_id(cid)
    assert (c.name, c.company, c.tier, c.role) == ("Dana", "Acme", "A", "CTO")
    assert db_time(c.updated_at) == dt.datetime(2025, 3, 12, 9, 0)
    assert db_time(c.created_at) == dt.datetime(2025, 3, 1, 8, 0)
    assert tags_of([cid]) == {cid: ["friend", "mentor"]}
    update_contact(make_ctx(), cid, company="Beta")
    assert tags_of([cid]) == {cid: ["friend", "mentor"]}  # tags left alone when not given
    with pytest.raises(InputError):
        update_contact(make_ctx(), cid, tier="Z")
    assert Contact.get_by_id(cid).tier == "A"


def test_update_validates_like_add(tmp_db, ctx):
    cid = add_contact(ctx, "Dana")
    for bad in (dict(name=""), dict(cadence_days=0), dict(birthday="--02-30"), dict(created_at="x")):
        with pytest.raises(InputError):
            update_contact(ctx, cid, **bad)
    update_contact(ctx, cid, cadence_days="", birthday="--02-29")
    c = Contact.get_by_id(cid)
    assert (c.cadence_days, c.birthday) == (None, "--02-29")


def test_snooze_must_be_after_today(tmp_db, ctx):
    cid = add_contact(ctx, "Dana")
    with pytest.raises(InputError):
        snooze(ctx, cid, dt.date(2025, 3, 12))
    snooze(ctx, cid, dt.date(2025, 3, 13))
    assert str(Contact.get_by_id(cid).snoozed_until) == "2025-03-13"
    snooze(ctx, cid, None)
    assert Contact.get_by_id(cid).snoozed_until is None


# --- contacts: finding by name ---------------------------------------------------------------


@pytest.fixture
def people(tmp_db, ctx):
    names = ["Dana Haddad", "Dan Brown", "Omar Fischer", "Ölaf Øyvind", "Lena Haddad-Smith", "50% Club", "A_B Partners",
             "AxB Corp", "500 Startups", "Priya Patel"]
    return {n: add_contact(ctx, n) for n in names}


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Dana Haddad", "Dana Haddad"),
        ("dana haddad", "Dana Haddad"),
        ("  DANA   haddad ", "Dana Haddad"),
        ("Omar", "Omar Fischer"),  # a prefix of the name
        ("fisch", "Omar Fischer"),  # a prefix of a later word
        ("ölaf", "Ölaf Øyvind"),  # case folding beyond ASCII
        ("ÖLAF ØYVIND", "Ölaf Øyvind"),
        ("øyv", "Ölaf Øyvind"),
        ("Dana", "Dana Haddad"),
        ("50%", "50% Club"),  # '%' is a character, not a wildcard
        ("a_b", "A_B Partners"),  # '_' is a character, not a wildcard
        ("priya p", "Priya Patel"),
    ],
)
def test_resolve_contact(people, typed, expected):
    assert resolve_contact(typed) == people[expected]


def test_ambiguous_prefix_lists_the_candidates(people):
    with pytest.raises(AmbiguousContact) as err:
        resolve_contact("Dan")
    # Each with its number, which tells apart two of the same name and is what to type instead.
    assert [m.split(" (#")[0] for m in err.value.matches] == ["Dan Brown", "Dana Haddad"]
    assert err.value.matches[0] == f"Dan Brown (#{people['Dan Brown']})"
    assert "\n" not in str(err.value) and f"'#{people['Dan Brown']}'" in str(err.value)
    with pytest.raises(AmbiguousContact) as err:
        resolve_contact("haddad")
    assert [m.split(" (#")[0] for m in err.value.matches] == ["Dana Haddad", "Lena Haddad-Smith"]


def test_an_exact_name_beats_prefixes(tmp_db, ctx):
    dan = add_contact(ctx, "Dan")
    add_contact(ctx, "Dana")
    assert resolve_contact("dan") == dan


def test_two_contacts_with_the_same_name_are_told_apart_by_number(tmp_db, ctx):
    acme = add_contact(ctx, "Sam Lee", company="Acme")
    beta = add_contact(ctx, "Sam Lee", company="Beta")
    with pytest.raises(AmbiguousContact) as err:
        resolve_contact("Sam Lee")
    # The error names each with its number and company, and says how to pick one.
    assert err.value.matches == [f"Sam Lee (#{acme}, Acme)", f"Sam Lee (#{beta}, Beta)"]
    assert f"give the number instead, e.g. '#{acme}'" in str(err.value)
    assert (resolve_contact(f"#{acme}"), resolve_contact(f" #{beta} ")) == (acme, beta)
    set_archived(ctx, beta, True)
    with pytest.raises(InputError, match=f"no contact #{beta} \\(or it is archived\\)"):
        resolve_contact(f"#{beta}")
    assert resolve_contact(f"#{beta}", include_archived=True) == beta
    with pytest.raises(InputError, match="due --json gives each contact's id"):
        resolve_contact("#999")


@pytest.mark.parametrize("typed", ["%", "_", "5_0", "A%", "%Club"])
def test_wildcards_never_match_other_names(people, typed):
    with pytest.raises(UnknownContact):
        resolve_contact(typed)


def test_unknown_contact_offers_close_names(people):
    with pytest.raises(UnknownContact) as err:
        resolve_contact("Dnaa")
    assert "Dana Haddad" in err.value.suggestions
    with pytest.raises(UnknownContact) as err:
        resolve_contact("Omar Fisher")
    assert err.value.suggestions[0] == "Omar Fischer"
    assert "did you mean 'Omar Fischer'" in str(err.value)
    with pytest.raises(UnknownContact) as err:
        resolve_contact("Olaf")  # typed without the accent
    assert err.value.suggestions == ["Ölaf Øyvind"]


def test_unknown_contact_with_nothing_close_says_how_to_add(people):
    with pytest.raises(UnknownContact) as err:
        resolve_contact("Zyxwv")
    assert err.value.suggestions == []
    assert "netmaint add" in str(err.value)


def test_archived_contacts_are_found_only_when_asked(people, ctx):
    set_archived(ctx, people["Priya Patel"])
    with pytest.raises(ArchivedContact) as err:  # not "add them first": that would make a second Priya
        resolve_contact("Priya")
    assert "is archived" in str(err.value) and f"'#{people['Priya Patel']}' --undo" in str(err.value)
    with pytest.raises(UnknownContact):
        resolve_contact("Nobody Atall")
    assert resolve_contact("Priya", include_archived=True) == people["Priya Patel"]


def test_resolve_contacts_keeps_order_and_drops_repeats(people):
    assert resolve_contacts(["Omar", "Dana Haddad", "omar fischer"]) == [people["Omar Fischer"], people["Dana Haddad"]]


def test_an_empty_name_is_an_input_error(people):
    with pytest.raises(InputError):
        resolve_contact("   ")


def test_contact_names_for_completion(people):
    assert [n for _, n, _ in contact_names("haddad")] == ["Dana Haddad", "Lena Haddad-Smith"]
    assert [n for _, n, _ in contact_names("ØYV")] == ["Ölaf Øyvind"]
    assert [n for _, n, _ in contact_names("%")] == ["50% Club"]
    assert [n for _, n, _ in contact_names("da")] == ["Dan Brown", "Dana Haddad", "Lena Haddad-Smith"]  # prefix first
    assert len(contact_names("", limit=3)) == 3


# --- touches ---------------------------------------------------------------------------------


@pytest.fixture
def two(tmp_db, ctx):
    return add_contact(ctx, "Dana Haddad", tier="A"), add_contact(ctx, "Omar Fischer")


def test_log_touch_defaults_to_now_and_a_catch_up_meeting(two, ctx):
    dana, _ = two
    result = log_touch(ctx, [dana])
    t = Touch.get_by_id(result.touch_id)
    assert (t.channel, t.kind, t.minutes, t.note) == ("meeting", "catch-up", None, "")
    assert db_time(t.at) == dt.datetime(2025, 3, 12, 9, 0, 0)
    assert db_time(Contact.get_by_id(dana).last_touch_at) == dt.datetime(2025, 3, 12, 9, 0, 0)


def test_a_touch_in_the_future_is_refused(two, ctx):
    dana, _ = two
    with pytest.raises(InputError, match="future"):
        log_touch(ctx, [dana], at=ctx.now().add(hours=2))
    assert Touch.select().count() == 0
    log_touch(ctx, [dana], at=ctx.now().add(seconds=30))  # a form's "now" may be a little behind
    assert Touch.select().count() == 1


@pytest.mark.parametrize(
    "kwargs, word",
    [
        (dict(channel="fax"), "channel"),
        (dict(kind="favour"), "kind"),
        (dict(minutes="abc"), "minutes"),
        (dict(minutes=-1), "minutes"),
        (dict(minutes=24 * 60 + 1), "minutes"),
    ],
)
def test_bad_touch_fields_are_refused(two, ctx, kwargs, word):
    with pytest.raises(InputError, match=word):
        log_touch(ctx, [two[0]], **kwargs)
    assert Touch.select().count() == 0


@pytest.mark.parametrize("channel", ["email", "call", "meeting", "card", "social", "message", "event"])
def test_every_documented_channel_is_accepted(two, ctx, channel):
    log_touch(ctx, [two[0]], channel=channel, kind="give", minutes="45")
    t = Touch.get()
    assert (t.channel, t.kind, t.minutes) == (channel, "give", 45)


def test_one_touch_with_several_contacts(two, ctx):
    dana, omar = two
    result = log_touch(ctx, [dana, omar, dana], at=berlin(2025, 3, 10, 15))
    links = sorted(c for (c,) in TouchContact.select(TouchContact.contact).tuples())
    assert links == sorted([dana, omar])
    assert Touch.select().count() == 1
    for cid in (dana, omar):
        assert db_time(Contact.get_by_id(cid).last_touch_at) == dt.datetime(2025, 3, 10, 14, 0)
    assert result.touch_id == Touch.get().id


def test_a_touch_needs_existing_contacts(two, ctx):
    with pytest.raises(InputError):
        log_touch(ctx, [])
    with pytest.raises(InputError, match="#999"):
        log_touch(ctx, [two[0], 999])
    assert Touch.select().count() == 0 and TouchContact.select().count() == 0


def test_deleting_a_touch(two, ctx):
    dana, _ = two
    first = log_touch(ctx, [dana], at=berlin(2025, 3, 1)).touch_id
    second = log_touch(ctx, [dana], at=berlin(2025, 3, 5)).touch_id
    delete_touch(ctx, second)
    assert [t.id for t in Touch.select()] == [first]
    assert db_time(Contact.get_by_id(dana).last_touch_at) == dt.datetime(2025, 3, 1, 9, 0)


def test_note_lines_become_follow_ups(two, ctx):
    pytest.importorskip("netmaint_tui.rules.notes")
    dana, omar = two
    note = "Coffee at the station.\n- [ ] send the deck by fri\ntodo: intro to Lee\n- [x] already done"
    result = log_touch(ctx, [dana, omar], at=berlin(2025, 3, 12, 8, 30), note=note)
    assert [what for _, what, _ in result.follow_ups] == ["send the deck", "intro to Lee"]
    rows = list(FollowUp.select().order_by(FollowUp.id))
    # Two people and neither named: who suggested them is not known (not the first one by default).
    assert [(f.what, f.suggested_by_id, f.touch_id, f.status) for f in rows] == [
        ("send the deck", None, result.touch_id, "open"),
        ("intro to Lee", None, result.touch_id, "open"),
    ]
    # 'fri' is the coming Friday at 09:00 local; no date means 24 h after the meeting.
    assert db_time(rows[0].due) == dt.datetime(2025, 3, 14, 8, 0)
    assert db_time(rows[1].due) == dt.datetime(2025, 3, 13, 7, 30)
    assert result.follow_ups[0][2] == berlin(2025, 3, 14, 9, 0)
    assert Touch.get_by_id(result.touch_id).note == note  # the note is kept as typed


def test_a_touch_and_its_follow_ups_are_one_transaction(two, ctx, monkeypatch):
    pytest.importorskip("netmaint_tui.rules.notes")
    dana, omar = two
    calls = []

    def broken_create(cls, **fields):
        calls.append(fields)
        if len(calls) == 2:
            raise RuntimeError("disk went away")
        return original(**fields)

    original = FollowUp.create
    monkeypatch.setattr(FollowUp, "create", classmethod(broken_create))
    with pytest.raises(RuntimeError):
        log_touch(ctx, [dana, omar], note="- [ ] one\n- [ ] two")
    assert len(calls) == 2
    assert Touch.select().count() == 0
    assert TouchContact.select().count() == 0
    assert FollowUp.select().count() == 0
    assert Contact.get_by_id(dana).last_touch_at is None


# --- the ranking -----------------------------------------------------------------------------


@pytest.fixture
def network(tmp_db, past, ctx):
    """A small network with known ages; 'now' is Wed 2025-03-12 10:00 Berlin."""
    ids = {}
    ids["Ana"] = add_contact(past("2024-10-01"), "Ana Alvarez", company="Acme", tier="A", tags=["client"])
    ids["Ben"] = add_contact(past("2024-10-01"), "Ben Becker", company="Beta", tier="B")
    ids["Cem"] = add_contact(past("2024-10-01"), "Cem Çelik", company="Acme", tier="C", tags=["mentor"])
    ids["Dia"] = add_contact(past("2025-03-02"), "Dia Dubois", company="Delta", tier="B")  # never touched
    ids["Eli"] = add_contact(past("2024-10-01"), "Eli Evans", company="Echo", tier="A", cadence_days=14)
    # Ana: A, last touch 63 days ago (2.1× of 30): a meeting; asked twice, gave once
    log_touch(ctx, [ids["Ana"]], at=berlin(2025, 1, 1), kind="ask")
    log_touch(ctx, [ids["Ana"]], at=berlin(2025, 1, 5), kind="give", channel="email")
    log_touch(ctx, [ids["Ana"]], at=berlin(2025, 1, 8), kind="ask", channel="meeting")
    # Ben: B, 45 days ago (0.5× of 90)
    log_touch(ctx, [ids["Ben"]], at=berlin(2025, 1, 26), channel="call")
    # Cem: C, 360 days ago (2.0× of 180)
    log_touch(ctx, [ids["Cem"]], at=berlin(2024, 3, 17), channel="card")
    # Eli: A with a 14-day cadence, touched 7 days ago (0.5×)
    log_touch(ctx, [ids["Eli"]], at=berlin(2025, 3, 5), channel="message", kind="give")
    return ids


def names(rows) -> list[str]:
    return [r.name for r in rows]


def test_ranking_is_tier_weight_times_overdue(network, ctx):
    rows = due_list(ctx)
    assert names(rows) == ["Ana Alvarez", "Dia Dubois", "Cem Çelik", "Eli Evans", "Ben Becker"]
    by = {r.name: r for r in rows}
    assert by["Ana Alvarez"].overdue == pytest.approx(63 / 30, abs=1e-6)
    assert by["Ana Alvarez"].score == pytest.approx(3 * 63 / 30, abs=1e-6)
    # never touched: 1 on the day added, growing (added 10 days and 1 hour ago)
    assert by["Dia Dubois"].overdue == pytest.approx(1 + (10 + 1 / 24) / 90, abs=1e-6)
    assert by["Dia Dubois"].score == pytest.approx(2 * (1 + (10 + 1 / 24) / 90), abs=1e-6)
    assert by["Cem Çelik"].score == pytest.approx(360 / 180, abs=1e-6)
    assert by["Eli Evans"].cadence == 14 and by["Eli Evans"].score == pytest.approx(3 * 7 / 14, abs=1e-6)
    assert by["Ben Becker"].score == pytest.approx(2 * 45 / 90, abs=1e-6)


def test_reasons_and_balance(network, ctx):
    by = {r.name: r for r in due_list(ctx)}
    ana = by["Ana Alvarez"]
    assert ana.reason == "2.1× overdue · A · last: meeting 9 weeks ago · asked twice, gave once · suggest a give, not an ask"
    assert (ana.gives, ana.asks, ana.balance) == (1, 2, -1)
    assert by["Dia Dubois"].reason == "1.1× overdue · B · never touched"
    # not due yet: when it falls due, not a ratio below 1 beside the list's "in 7d"
    assert by["Eli Evans"].reason == "due in 7d · A · last: message 7 days ago · gave once"
    assert by["Eli Evans"].days_until_due == 7
    assert by["Eli Evans"].balance == 1


def test_due_dates_are_calendar_days(network, ctx):
    by = {r.name: r for r in due_list(ctx)}
    assert by["Ana Alvarez"].due == dt.date(2025, 2, 7) and by["Ana Alvarez"].days_until_due == -33
    assert by["Dia Dubois"].due == dt.date(2025, 3, 2) and by["Dia Dubois"].days_until_due == -10
    assert by["Eli Evans"].due == dt.date(2025, 3, 19) and by["Eli Evans"].days_until_due == 7


def test_a_late_evening_touch_is_due_cadence_days_after_its_local_day(tmp_db, past, ctx):
    cid = add_contact(past("2025-01-01"), "Late Night", tier="A")
    log_touch(ctx, [cid], at=berlin(2025, 3, 11, 23, 30))  # 22:30 UTC, less than a day before now
    (row,) = due_list(ctx)
    assert row.due == dt.date(2025, 4, 10)
    assert row.days_until_due == 29
    assert row.last_touch == berlin(2025, 3, 11, 23, 30)
    assert row.last_touch.utcoffset() == dt.timedelta(hours=1)
    assert "last: meeting yesterday" in row.reason  # a calendar day ago, though only 10.5 hours


def test_an_open_follow_up_due_within_a_day_comes_first(network, ctx):
    ben = network["Ben"]
    followups.add_follow_up(ctx, "send the deck", due=ctx.now().add(hours=5), suggested_by=ben)
    followups.add_follow_up(ctx, "far away", due=ctx.now().add(days=3), suggested_by=network["Cem"])
    rows = due_list(ctx)
    assert names(rows)[0] == "Ben Becker"
    assert rows[0].urgent and rows[0].reason.startswith("follow-up due today 15:00: send the deck · next touch in 45d")
    assert not any(r.urgent for r in rows[1:])
    assert names(rows)[1:] == ["Ana Alvarez", "Dia Dubois", "Cem Çelik", "Eli Evans"]


def test_an_overdue_follow_up_lifts_the_contact_it_is_about(network, ctx):
    fid = followups.add_follow_up(
        ctx, "intro", due=ctx.now().subtract(days=2), suggested_by=network["Ana"], about=network["Eli"]
    )
    rows = due_list(ctx)
    assert rows[0].name == "Eli Evans" and rows[0].urgent_follow_up == "follow-up overdue: intro"
    followups.set_status(ctx, fid, "done")
    assert due_list(ctx)[0].name == "Ana Alvarez"


def test_snoozed_and_archived_are_hidden_unless_asked(network, ctx, make_ctx):
    snooze(ctx, network["Ana"], dt.date(2025, 4, 1))
    set_archived(ctx, network["Cem"])
    assert names(due_list(ctx)) == ["Dia Dubois", "Eli Evans", "Ben Becker"]
    assert count_due(ctx) == 3
    with_snoozed = due_list(ctx, include_snoozed=True)
    assert names(with_snoozed) == ["Ana Alvarez", "Dia Dubois", "Eli Evans", "Ben Becker"]
    assert with_snoozed[0].snoozed_until == dt.date(2025, 4, 1)
    assert with_snoozed[0].reason.endswith("snoozed until 2025-04-01")
    assert count_due(ctx, include_snoozed=True, include_archived=True) == 5
    assert "Cem Çelik" in names(due_list(ctx, include_archived=True))
    # On the day the snooze ends the contact is back.
    assert "Ana Alvarez" in names(due_list(make_ctx(now="2025-04-01T08:00:00")))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("acme", ["Ana Alvarez", "Cem Çelik"]),  # company
        ("ÇELIK", ["Cem Çelik"]),  # name, folded beyond ASCII
        ("mentor", ["Cem Çelik"]),  # tag
        ("ev", ["Eli Evans"]),
        ("%", []),
        ("_", []),
    ],
)
def test_filter_by_name_company_or_tag(network, ctx, text, expected):
    assert names(due_list(ctx, text=text)) == expected
    assert count_due(ctx, text=text) == len(expected)


def test_sort_modes(network, ctx):
    followups.add_follow_up(ctx, "a", suggested_by=network["Ben"], due=ctx.now().add(days=5))
    followups.add_follow_up(ctx, "b", suggested_by=network["Ben"], due=ctx.now().add(days=5))
    followups.add_follow_up(ctx, "c", suggested_by=network["Eli"], due=ctx.now().add(days=5))
    assert names(due_list(ctx, sort="name")) == ["Ana Alvarez", "Ben Becker", "Cem Çelik", "Dia Dubois", "Eli Evans"]
    assert names(due_list(ctx, sort="last touch")) == [
        "Dia Dubois", "Cem Çelik", "Ana Alvarez", "Ben Becker", "Eli Evans"
    ]
    leads = due_list(ctx, sort="leads")
    assert names(leads)[:2] == ["Ben Becker", "Eli Evans"]
    assert [r.leads for r in leads] == [2, 1, 0, 0, 0]


def test_pages_are_consistent_with_the_count(tmp_db, past, ctx):
    rng = random.Random(3)
    for i in range(23):
        cid = add_contact(past(f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"), f"P{i:02d}",
                          tier=rng.choice("ABC"))
        if rng.random() < 0.7:
            log_touch(ctx, [cid], at=ctx.now().subtract(days=rng.randint(1, 200)))
    snooze(ctx, 5, dt.date(2025, 6, 1))
    total = count_due(ctx)
    full = due_list(ctx)
    assert total == len(full) == 22
    pages = []
    for offset in range(0, total, 5):
        pages += due_list(ctx, limit=5, offset=offset)
    assert [r.id for r in pages] == [r.id for r in full]
    assert due_list(ctx, limit=5, offset=total) == []
    assert [r.score for r in full] == sorted((r.score for r in full), reverse=True)
    ids = rank_ids(ctx)
    assert ids == [r.id for r in full]
    for sort in SORTS:
        assert rank_ids(ctx, sort=sort) == [r.id for r in due_list(ctx, sort=sort)], sort
    assert rank_ids(ctx, text="zzz-nobody") == []
    assert [r.id for r in rows_for_ids(ctx, ids[7:12])] == ids[7:12]
    assert [r.reason for r in rows_for_ids(ctx, ids[7:12])] == [r.reason for r in full[7:12]]



def test_a_page_of_the_ranking_is_that_part_of_the_whole_one_even_among_ties(tmp_db, past, ctx):
    # Contacts alike in everything the ranking sorts on (same name, tier and ages) still have
    # one order, so `due --limit N` and paging agree with the whole ranking.
    for i in range(12):
        add_contact(past("2024-06-01"), "Sam Lee" if i % 2 else f"Pat {i % 3}", tier="AB"[i % 2])
    for sort in SORTS:
        whole = rank_ids(ctx, sort=sort)
        assert len(whole) == 12
        for n in (1, 3, 5, 11):
            assert [r.id for r in due_list(ctx, limit=n, sort=sort)] == whole[:n], (sort, n)
            assert [r.id for r in due_list(ctx, limit=n, offset=n, sort=sort)] == whole[n:2 * n], (sort, n)
    sams = [i for i in rank_ids(ctx) if i % 2 == 0]  # the six alike, in the order they were added
    assert sams == sorted(sams)
    # SQLite happens to return ties in the order it read them; the order itself must say so.
    from netmaint_tui.services.due import _ORDER

    assert set(_ORDER) == set(SORTS) and all(order.endswith(", id") for order in _ORDER.values())


STABLE_DUE_KEYS = {"name", "company", "tier", "score", "overdue", "last_touch", "due", "balance", "reason"}


def test_due_json_has_the_stable_keys_with_the_right_types(network, ctx):
    items = [r.as_json() for r in due_list(ctx)]
    json.dumps(items)  # serializable as is
    for item in items:
        assert STABLE_DUE_KEYS <= set(item)
        assert isinstance(item["name"], str) and isinstance(item["company"], str)
        assert item["tier"] in ("A", "B", "C")
        assert isinstance(item["score"], float) and isinstance(item["overdue"], float)
        assert isinstance(item["balance"], int) and isinstance(item["reason"], str)
        dt.date.fromisoformat(item["due"])
        if item["last_touch"] is not None:
            assert dt.datetime.fromisoformat(item["last_touch"]).tzinfo is not None
    by = {i["name"]: i for i in items}
    assert by["Dia Dubois"]["last_touch"] is None
    assert by["Ana Alvarez"]["last_touch"] == "2025-01-08T10:00:00+01:00"
    assert by["Ana Alvarez"]["balance"] == -1


# --- the weekly habit ------------------------------------------------------------------------


def test_goal_and_pause_validation(tmp_db, ctx):
    with pytest.raises(InputError):
        set_goal(ctx, None, None)
    with pytest.raises(InputError, match="-1"):
        set_goal(ctx, -1, None)
    with pytest.raises(InputError):
        set_goal(ctx, 5, -30)
    with pytest.raises(InputError, match="before it starts"):
        add_pause(ctx, dt.date(2025, 3, 10), dt.date(2025, 3, 1))
    assert Goal.select().count() == 0
    set_goal(ctx, 5, None)
    assert goal_rows(ctx) == [GoalRow(dt.date(2025, 3, 12), 5, None)]


def _log_n(ctx, cid, n, day: pendulum.DateTime, minutes=None):
    for i in range(n):
        log_touch(ctx, [cid], at=day.add(minutes=i), minutes=minutes)


def test_week_summary_worked_case_2_and_3(tmp_db, past, ctx, make_ctx):
    cid = add_contact(past("2025-01-01"), "Dana")
    set_goal(ctx, 5, None, dt.date(2025, 2, 17))
    for monday in (berlin(2025, 2, 17), berlin(2025, 2, 24), berlin(2025, 3, 3)):
        _log_n(ctx, cid, 5, monday)
    _log_n(ctx, cid, 2, berlin(2025, 3, 10))
    s = week_summary(ctx)
    assert (s.week_start, s.touches, s.goal_touches, s.status) == (dt.date(2025, 3, 10), 2, 5, "open")
    assert (s.current_streak, s.best_streak, round(s.strength, 3)) == (3, 3, 0.345)
    assert s.suggestions == ["Dana"]  # who would help meet the goal
    _log_n(ctx, cid, 3, berlin(2025, 3, 11))
    s = week_summary(ctx)
    assert (s.current_streak, s.best_streak, s.touches, round(s.strength, 3), s.status) == (4, 4, 5, 0.431, "met")
    assert s.suggestions == []


def test_week_summary_worked_case_4_with_a_pause(tmp_db, past, ctx):
    cid = add_contact(past("2025-01-01"), "Dana")
    set_goal(ctx, 5, None, dt.date(2025, 2, 17))
    add_pause(ctx, dt.date(2025, 2, 24), dt.date(2025, 3, 2), "flu")
    _log_n(ctx, cid, 5, berlin(2025, 2, 17))
    _log_n(ctx, cid, 1, berlin(2025, 2, 24))
    _log_n(ctx, cid, 5, berlin(2025, 3, 3))
    s = week_summary(ctx)
    assert (s.current_streak, s.best_streak, s.touches, round(s.strength, 3)) == (2, 2, 0, 0.246)
    assert s.paused is False
    heat = dict(s.heat)
    assert heat[dt.date(2025, 2, 24)] == "paused" and heat[dt.date(2025, 2, 17)] == "met"
    assert heat[dt.date(2025, 3, 10)] == "open" and heat[dt.date(2025, 2, 10)] == "none"
    assert len(s.heat) == 26


def test_a_paused_current_week(tmp_db, ctx):
    set_goal(ctx, 5, 60, dt.date(2025, 3, 3))
    add_pause(ctx, dt.date(2025, 3, 11), dt.date(2025, 3, 20), "vacation")
    s = week_summary(ctx)
    assert (s.status, s.paused, s.goal_touches, s.goal_minutes) == ("paused", True, 5, 60)
    data = s.as_json()
    assert data["status"] == "paused" and data["paused"] is True


def test_a_minutes_goal(tmp_db, past, make_ctx):
    ctx = make_ctx(now="2025-03-10T10:00:00")
    cid = add_contact(past("2025-01-01"), "Dana")
    set_goal(ctx, None, 60, dt.date(2025, 3, 3))
    for minutes in (25, 20, 15):
        log_touch(ctx, [cid], at=berlin(2025, 3, 4), minutes=minutes)
    s = week_summary(ctx)
    assert (s.current_streak, s.best_streak, s.touches, round(s.strength, 3)) == (1, 1, 0, 0.132)


WEEK_JSON_TYPES = {
    "week_start": str, "touches": int, "minutes": int, "goal": dict, "status": str,
    "current_streak": int, "best_streak": int, "strength": float, "paused": bool,
}


def test_week_json_has_the_stable_keys(tmp_db, ctx):
    for goal in (None, (5, None), (None, 90)):
        if goal:
            set_goal(ctx, *goal, dt.date(2025, 3, 3))
        data = week_summary(ctx).as_json()
        json.dumps(data)
        for key, kind in WEEK_JSON_TYPES.items():
            assert isinstance(data[key], kind), key
        assert set(data["goal"]) == {"touches", "minutes"}
        assert data["status"] in ("met", "open", "paused")
        assert 0.0 <= data["strength"] <= 1.0
        dt.date.fromisoformat(data["week_start"])
    assert data["goal"] == {"touches": None, "minutes": 90}


def test_a_goal_from_the_config_file_is_in_force_from_the_first_touch(tmp_db, past, make_ctx):
    ctx = make_ctx(goal_touches=3)
    assert goal_rows(ctx) == [GoalRow(dt.date(2025, 3, 12), 3, None)]  # no touches yet: from this week
    cid = add_contact(past("2024-01-01"), "Dana")
    log_touch(ctx, [cid], at=berlin(2024, 11, 20, 0, 30))  # 23:30 UTC the day before
    log_touch(ctx, [cid], at=berlin(2025, 2, 4))
    assert goal_rows(ctx) == [GoalRow(dt.date(2024, 11, 20), 3, None)]
    set_goal(ctx, 4, None, dt.date(2025, 1, 6))  # a goal in the database wins
    assert goal_rows(ctx) == [GoalRow(dt.date(2025, 1, 6), 4, None)]


def test_week_summary_worked_cases_2_and_3_with_the_goal_only_in_the_config_file(tmp_db, past, make_ctx):
    """Cases 2 and 3 of STREAKS.md, the goal given as `goal: {touches: 5}` and no goal rows:
    the weeks before this one count towards the streak."""
    ctx = make_ctx(goal_touches=5)
    cid = add_contact(past("2025-01-01"), "Dana")
    for monday in (berlin(2025, 2, 17), berlin(2025, 2, 24), berlin(2025, 3, 3)):
        _log_n(ctx, cid, 5, monday)
    _log_n(ctx, cid, 2, berlin(2025, 3, 10))
    s = week_summary(ctx)
    assert (s.current_streak, s.best_streak, s.touches, round(s.strength, 3), s.status) == (3, 3, 2, 0.345, "open")
    _log_n(ctx, cid, 3, berlin(2025, 3, 11))
    s = week_summary(ctx)
    assert (s.current_streak, s.best_streak, s.touches, round(s.strength, 3), s.status) == (4, 4, 5, 0.431, "met")
    assert Goal.select().count() == 0


def test_a_config_goal_with_no_touches_is_case_1(tmp_db, make_ctx):
    s = week_summary(make_ctx(goal_touches=5))
    assert (s.current_streak, s.best_streak, s.touches, round(s.strength, 3), s.status) == (0, 0, 0, 0.0, "open")
    assert s.has_goal and s.goal_touches == 5


@pytest.mark.parametrize("zone", [BERLIN, NEW_YORK])
@pytest.mark.parametrize("start_day", [0, 6])
def test_weekly_tallies_match_the_rules_in_dst_weeks(tmp_db, make_ctx, zone, start_day):
    from netmaint_tui.rules.dates import local_midnight_utc, week_start

    ctx = make_ctx(now="2025-04-20T12:00:00", tz=zone, week_start=start_day)
    rng = random.Random(f"{zone}{start_day}")
    # Berlin leaves winter time on 2025-03-30, New York on 2025-03-09: both lie in this span.
    lo = pendulum.datetime(2025, 2, 20, tz="UTC")
    span = int((pendulum.datetime(2025, 4, 15, tz="UTC") - lo).total_seconds())
    moments = [lo.add(seconds=rng.randrange(span)) for _ in range(300)]
    weeks = []
    w = week_start(dt.date(2025, 2, 17), start_day)
    while w <= dt.date(2025, 4, 20):
        weeks.append(w)
        edge = local_midnight_utc(w, zone)
        moments += [edge, edge.subtract(seconds=1)]  # the first and last second of a week
        w += dt.timedelta(days=7)
    rows = [(m, rng.choice((None, 5, 30))) for m in moments]
    Touch.insert_many([dict(at=to_db(m), minutes=mins, created_at=to_db(m)) for m, mins in rows]).execute()

    expected = tally_touches(rows, zone, start_day)
    got = weekly_tallies(ctx, weeks)
    assert {w: t for w, t in got.items() if t != Tally()} == {w: t for w, t in expected.items() if w in weeks}
    assert sum(t.touches for t in got.values()) == sum(
        t.touches for w, t in expected.items() if w in weeks
    )


# --- drafts ----------------------------------------------------------------------------------


def test_drafts_save_load_discard(tmp_db, ctx):
    assert drafts.load_draft() is None
    drafts.save_draft(ctx, {"names": ["Dana"], "note": "half a thought"})
    drafts.save_draft(ctx, {"names": ["Dana"], "note": "half a thought, more"})
    assert Draft.select().count() == 1
    assert drafts.load_draft() == {"names": ["Dana"], "note": "half a thought, more"}
    drafts.save_draft(ctx, {"what": "other"}, kind="follow_up")
    assert drafts.load_draft("follow_up") == {"what": "other"}
    drafts.discard_draft()
    assert drafts.load_draft() is None
    assert drafts.load_draft("follow_up") == {"what": "other"}


def test_a_damaged_draft_is_ignored(tmp_db, ctx):
    Draft.create(kind="quick_note", payload="{not json", updated_at=to_db(ctx.now()))
    assert drafts.load_draft() is None
    Draft.update(payload="[1, 2]").execute()
    assert drafts.load_draft() is None


def test_draft_text_is_kept_exactly(tmp_db, ctx):
    text = "Ölaf\x1b[31m\n\t- [ ] täsk\u202e"
    drafts.save_draft(ctx, {"note": text})
    assert drafts.load_draft() == {"note": text}


# --- follow-ups ------------------------------------------------------------------------------


def test_add_follow_up_defaults_to_24_hours(two, ctx):
    dana, omar = two
    fid = followups.add_follow_up(ctx, "  send the deck  ", suggested_by=dana, about=omar)
    view = followups.get_follow_up(ctx, fid)
    assert (view.what, view.status, view.suggested_by, view.about) == ("send the deck", "open", "Dana Haddad", "Omar Fischer")
    assert view.due == berlin(2025, 3, 13, 10, 0)
    assert view.overdue is False
    with pytest.raises(InputError):
        followups.add_follow_up(ctx, "   ")
    with pytest.raises(InputError, match="#999"):
        followups.add_follow_up(ctx, "x", suggested_by=999)
    with pytest.raises(InputError, match="#998"):
        followups.add_follow_up(ctx, "x", suggested_by=dana, about=998)
    assert FollowUp.select().count() == 1


def test_list_follow_ups_in_due_order_with_status(two, ctx):
    dana, _ = two
    late = followups.add_follow_up(ctx, "late", due=ctx.now().add(days=5), suggested_by=dana)
    early = followups.add_follow_up(ctx, "early", due=ctx.now().subtract(hours=1), suggested_by=dana)
    done = followups.add_follow_up(ctx, "done one", due=ctx.now().add(days=1))
    followups.set_status(ctx, done, "done")
    assert [f.id for f in followups.list_follow_ups(ctx)] == [early, late]
    assert [f.overdue for f in followups.list_follow_ups(ctx)] == [True, False]
    assert {f.id for f in followups.list_follow_ups(ctx, None)} == {early, late, done}
    assert [f.id for f in followups.list_follow_ups(ctx, "done")] == [done]


def test_set_status_and_reschedule(two, ctx):
    fid = followups.add_follow_up(ctx, "x", suggested_by=two[0])
    view = followups.set_status(ctx, fid, "dropped")
    assert view.status == "dropped"
    assert db_time(FollowUp.get_by_id(fid).closed_at) == dt.datetime(2025, 3, 12, 9, 0)
    view = followups.set_status(ctx, fid, "open")
    assert view.status == "open" and FollowUp.get_by_id(fid).closed_at is None
    with pytest.raises(InputError):
        followups.set_status(ctx, fid, "finished")
    with pytest.raises(InputError, match="#404"):
        followups.set_status(ctx, 404, "done")
    moved = followups.reschedule(ctx, fid, berlin(2025, 3, 20, 14, 0))
    assert moved.due == berlin(2025, 3, 20, 14, 0)
    with pytest.raises(InputError):
        followups.reschedule(ctx, 404, berlin(2025, 3, 20))


def test_thank_logs_a_give_to_whoever_suggested_it(two, ctx):
    dana, omar = two
    fid = followups.add_follow_up(ctx, "talk to Lee at Acme", suggested_by=dana, about=omar)
    result = followups.thank(ctx, fid)
    touch = Touch.get_by_id(result.touch_id)
    assert (touch.kind, touch.channel) == ("give", "email")
    assert touch.note == "Thanks for suggesting: talk to Lee at Acme"
    assert [c for (c,) in TouchContact.select(TouchContact.contact).tuples()] == [dana]
    detail = contact_detail(ctx, dana)
    assert (detail.gives, detail.asks, detail.balance, detail.leads) == (1, 0, 1, 1)
    orphan = followups.add_follow_up(ctx, "read the book")
    with pytest.raises(InputError):
        followups.thank(ctx, orphan)


def test_contact_detail(two, ctx):
    dana, omar = two
    log_touch(ctx, [dana], at=berlin(2025, 3, 1), kind="ask", note="first")
    log_touch(ctx, [dana, omar], at=berlin(2025, 3, 8), kind="give", note="second")
    followups.add_follow_up(ctx, "lead", suggested_by=dana)
    d = contact_detail(ctx, dana)
    assert [t.note for t in d.history] == ["second", "first"]
    assert d.history[0].with_names == ["Dana Haddad", "Omar Fischer"]
    assert d.last_touch == berlin(2025, 3, 8)
    assert (d.effective_cadence, d.gives, d.asks, d.balance, d.leads) == (30, 1, 1, 0, 1)
    assert [f.what for f in d.follow_ups] == ["lead"]
    with pytest.raises(InputError):
        contact_detail(ctx, 999)


def test_archived_contact_tags_and_links_survive(two, ctx):
    dana, _ = two
    update_contact(ctx, dana, tags=["client"])
    set_archived(ctx, dana)
    assert Contact.get_by_id(dana).archived is True
    assert ContactTag.select().count() == 1
    set_archived(ctx, dana, False)
    assert resolve_contact("dana") == dana


def test_undo_takes_each_kind_of_change_back_whole(tmp_db, ctx):
    from netmaint_tui.services import contacts, followups, habit, touches
    from netmaint_tui.services.exporting import snapshot
    from netmaint_tui.services.undo import History

    history = History()
    dana = contacts.add_contact(ctx, "Dana", tags=["client"], emails=["d@x.org"])
    habit.set_goal(ctx, 5, None, ctx.today())
    pause = habit.add_pause(ctx, ctx.today(), ctx.today())
    before = snapshot(ctx)
    actions = [
        lambda: contacts.add_contact(ctx, "Omar"),
        lambda: contacts.update_contact(ctx, dana, company="Acme", tags=["mentor"], emails=[]),
        lambda: contacts.snooze(ctx, dana, ctx.today() + dt.timedelta(days=3)),
        lambda: contacts.set_archived(ctx, dana),
        lambda: touches.log_touch(ctx, [dana], note="Lunch\ntodo: send the deck"),
        lambda: habit.set_goal(ctx, 3, 30, ctx.today()),  # replaces the goal of the same day
        lambda: habit.remove_pause(ctx, pause),
    ]
    for number, action in enumerate(actions):
        history.run(f"action {number}", action)
    fid = followups.list_follow_ups(ctx)[0].id
    _, done = history.run("done", lambda: followups.set_status(ctx, fid, "done"))
    history.run("thanks", lambda: followups.thank(ctx, fid), into=done)
    tid = touches.log_touch(ctx, [dana]).touch_id
    history.run("delete", lambda: touches.delete_touch(ctx, tid))
    history.run("restore", lambda: touches.log_touch(ctx, [dana], note="x"))  # undone first
    assert [e.label for e in history.entries][-3:] == ["done", "delete", "restore"]
    while history.undo_last() is not None:
        pass
    # Everything is as it was, but for the touch logged outside the history (it stays).
    assert [t["id"] for t in snapshot(ctx)["touches"]] == [tid]
    touches.delete_touch(ctx, tid)
    assert snapshot(ctx) == before


def test_an_action_that_fails_leaves_nothing_to_undo(tmp_db, ctx):
    from netmaint_tui.services import followups
    from netmaint_tui.services.undo import History

    history = History()
    fid = followups.add_follow_up(ctx, "send the deck")
    followups.set_status(ctx, fid, "done")
    with pytest.raises(InputError, match="already done"):  # closed by another netmaint meanwhile
        history.run("done", lambda: followups.set_status(ctx, fid, "done"))
    assert history.entries == [] and history.undo_last() is None


def test_an_edit_saves_only_what_was_changed_and_asks_about_a_field_changed_underneath(tmp_db, ctx):
    from dataclasses import asdict

    from netmaint_tui.services.contacts import EditConflict, contact_detail, edit_contact

    cid = add_contact(ctx, "Dana", company="Initech", location="Berlin", tags=["client"])
    opened = asdict(contact_detail(ctx, cid))
    update_contact(ctx, cid, company="Globex", tags=["client", "mentor"])  # another netmaint, meanwhile
    form = dict(opened, location="Lisbon", emails="", tags=["client"])  # the user changed the location only
    assert edit_contact(ctx, cid, form, opened) == ["location"]
    now = contact_detail(ctx, cid)
    assert (now.company, now.location, now.tags) == ("Globex", "Lisbon", ["client", "mentor"])

    opened = asdict(now)
    update_contact(ctx, cid, company="Umbrella", role="CTO")
    form = dict(opened, company="Acme", role="CTO")  # the same field, another value; the same value
    with pytest.raises(EditConflict) as conflict:
        edit_contact(ctx, cid, form, opened)
    assert set(conflict.value.conflicts) == {"company"}
    c = conflict.value.conflicts["company"]
    assert (c.base, c.ours, c.theirs) == ("Globex", "Acme", "Umbrella")
    assert contact_detail(ctx, cid).company == "Umbrella"  # nothing was written
    assert edit_contact(ctx, cid, form, opened, keep="theirs") == []
    assert contact_detail(ctx, cid).company == "Umbrella"
    assert edit_contact(ctx, cid, form, opened, keep="ours") == ["company"]
    assert contact_detail(ctx, cid).company == "Acme"


# --- the range of dates kept ------------------------------------------------------------------


def test_every_service_that_writes_a_date_refuses_one_out_of_range(tmp_db, past, ctx):
    """The app's forms and the importers reach these directly: each refuses with the one range
    check's words and writes nothing."""
    from netmaint_tui.services.contacts import clear_snooze
    from netmaint_tui.services.touches import validate_touch

    cid = add_contact(past("2025-01-01"), "Dana")
    fid = followups.add_follow_up(ctx, "send the deck", suggested_by=cid)
    long_ago, far_ahead = pendulum.datetime(1850, 6, 1, 10, tz=BERLIN), pendulum.datetime(2250, 6, 1, 10, tz=BERLIN)
    refused = [
        lambda: log_touch(ctx, [cid], at=long_ago),
        lambda: validate_touch(ctx, long_ago, "email", "give", None),
        lambda: followups.add_follow_up(ctx, "later", due=far_ahead, suggested_by=cid),
        lambda: followups.reschedule(ctx, fid, far_ahead),
        lambda: followups.reschedule(ctx, fid, long_ago),
        lambda: snooze(ctx, cid, dt.date(2250, 1, 1)),
        lambda: add_contact(ctx, "Old Link", connected_on=dt.date(1850, 1, 1)),
        lambda: add_contact(ctx, "Old Link", connected_on="1850-01-01"),
        lambda: add_contact(ctx, "Old Link", birthday="1850-01-01"),
        lambda: update_contact(ctx, cid, connected_on=dt.date(1850, 1, 1)),
        lambda: update_contact(ctx, cid, birthday="2250-01-01"),
        lambda: set_goal(ctx, 5, None, dt.date(1850, 1, 1)),
        lambda: add_pause(ctx, dt.date(2025, 1, 1), dt.date(2250, 1, 1)),
    ]
    for i, call in enumerate(refused):
        with pytest.raises(InputError, match=r"is out of range; give a date from 1900-01-01 to 2200-12-31"):
            call()
    assert Touch.select().count() == 0 and Goal.select().count() == 0
    assert [f.due for f in followups.list_follow_ups(ctx)] == [berlin(2025, 3, 13, 10)]
    d = contact_detail(ctx, cid)
    assert (d.snoozed_until, d.connected_on, d.birthday) == (None, None, None)
    assert [c.name for c in Contact.select()] == ["Dana"]
    # the edges themselves are kept
    log_touch(ctx, [cid], at=pendulum.datetime(1900, 1, 1, 0, 0, tz=BERLIN))
    snooze(ctx, cid, dt.date(2200, 12, 31))
    clear_snooze(ctx, cid)
    update_contact(ctx, cid, connected_on=dt.date(1900, 1, 1), birthday="2200-12-31")


def test_undo_leaves_a_value_changed_since_by_someone_else_and_says_so(tmp_db, ctx):
    from netmaint_tui.services import contacts
    from netmaint_tui.services.contacts import contact_detail
    from netmaint_tui.services.undo import History

    history = History()
    dana = contacts.add_contact(ctx, "Dana Lee", company="Wayne", role="CTO", tags=["client"])
    history.run("edit", lambda: contacts.update_contact(ctx, dana, company="Stark", role="CEO", tags=["mentor"]))
    contacts.update_contact(ctx, dana, company="Acme via sqlite")  # another netmaint, after the edit
    entry = history.undo_last()
    now = contact_detail(ctx, dana)
    assert (now.company, now.role, now.tags) == ("Acme via sqlite", "CTO", ["client"])
    assert entry.kept == ["Dana Lee's company"]

    _, added = history.run("add", lambda: contacts.add_contact(ctx, "Omar"))
    omar = contacts.resolve_contact("Omar")
    contacts.update_contact(ctx, omar, location="Lisbon")  # changed since it was added: kept
    entry = history.undo_last()
    assert contact_detail(ctx, omar).location == "Lisbon" and entry.kept == ["the contact Omar"]


def test_a_name_that_starts_two_people_names_neither(tmp_db, ctx):
    from netmaint_tui.services.common import AmbiguousContact
    from netmaint_tui.services.contacts import resolve_contact

    dana, lee = add_contact(ctx, "Dana Lee"), add_contact(ctx, "Lee Wong")
    with pytest.raises(AmbiguousContact) as both:
        resolve_contact("lee")
    assert both.value.matches == [f"Dana Lee (#{dana})", f"Lee Wong (#{lee})"]
    assert resolve_contact("lee w") == lee and resolve_contact("dana") == dana and resolve_contact("wong") == lee


def test_undoing_an_added_contact_keeps_it_when_something_added_since_points_at_it(tmp_db, ctx):
    from netmaint_tui.services import contacts, followups, touches
    from netmaint_tui.services.undo import History
    from netmaint_tui.store.models import Contact

    history = History()
    history.run("add", lambda: contacts.add_contact(ctx, "Undo Me", tags=["x"]))
    cid = contacts.resolve_contact("Undo Me")
    history.run("edit", lambda: contacts.update_contact(ctx, cid, tags=["y"]))
    assert history.undo_last().kept == []  # its own tags, put back: not a reason to keep it
    touches.log_touch(ctx, [cid], note="IMPORTANT from the command line")  # outside the history
    followups.add_follow_up(ctx, "cli follow-up", suggested_by=cid)
    entry = history.undo_last()
    assert entry.kept == ["the contact Undo Me"]
    assert Contact.get_or_none(Contact.id == cid) is not None
    assert [t.note for t in contacts.contact_detail(ctx, cid).history] == ["IMPORTANT from the command line"]
