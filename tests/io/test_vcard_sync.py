"""A contact as a synced card: written as vCard 3.0 (or 4.0), read back the same, and what other
apps put in a card kept when netmaint rewrites it."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings, strategies as st

from netmaint_tui.io.contentline import fold, unfold
from netmaint_tui.io.vcard_sync import UnreadableCard, read_card, write_card
from netmaint_tui.rules import schema

DANA = dict(
    name="Dana Lee", company="Acme; Inc", role="CTO", emails=["dana@example.com", "d@x.org"],
    phones=["+1 555 0100"], linkedin_url="https://www.linkedin.com/in/danalee", location="Berlin",
    how_met="conf, 2019", tier="A", cadence_days=30, tags=["board", "vip"], birthday="--07-09",
    notes="line one\nline two, with comma; and semi\\ back", source="manual", source_id=None,
    connected_on="2020-05-01", snoozed_until="2030-01-01", archived=True,
)

IPHONE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\nN:Lee;Dana;;;\r\n"
    "FN:Dana Lee\r\nORG:Acme;Sales\r\nitem1.EMAIL;type=INTERNET;type=WORK;type=pref:dana@example.com\r\n"
    "item1.X-ABLabel:_$!<Work>!$_\r\nTEL;type=CELL;type=VOICE:+1 555 0100\r\n"
    "ADR;type=HOME:;;1 Main St;Berlin;;10115;Germany\r\nPHOTO;ENCODING=b;TYPE=JPEG:AAAABBBBCCCC\r\n DDDD\r\n"
    "X-ABShowAs:PERSON\r\nUID:abc-123\r\nX-NETMAINT-TIER:A\r\nX-NETMAINT-CADENCE:14\r\nEND:VCARD\r\n"
).encode()


def test_a_card_reads_back_as_it_was_written():
    card = read_card(write_card(DANA, "uid-1"))
    assert card.uid == "uid-1" and card.problems == []
    assert card.values == DANA


def test_the_card_is_vcard_3_with_netmaint_s_own_fields_as_x_properties():
    lines = unfold(write_card(DANA, "uid-1").decode())
    assert lines[:4] == ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//netmaint//netmaint//EN", "UID:uid-1"]
    assert "N:Lee;Dana;;;" in lines and "ORG:Acme\\; Inc" in lines
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-07-09" in lines  # 3.0 has no birthday without a year
    for line in ("X-NETMAINT-TIER:A", "X-NETMAINT-CADENCE:30", "X-NETMAINT-ARCHIVED:TRUE",
                 "X-NETMAINT-SNOOZED-UNTIL:2030-01-01", "X-NETMAINT-HOW-MET:conf\\, 2019"):
        assert line in lines


def test_vobject_reads_every_card_netmaint_writes():
    vobject = pytest.importorskip("vobject")
    parsed = vobject.readOne(write_card(DANA, "uid-1").decode())
    assert parsed.fn.value == "Dana Lee"
    assert [e.value for e in parsed.contents["email"]] == DANA["emails"]
    assert parsed.note.value == DANA["notes"]


def test_a_phone_s_card_keeps_its_photo_labels_and_address_when_netmaint_changes_other_fields():
    values = dict(read_card(IPHONE).values)
    assert values["tier"] == "A" and values["cadence_days"] == 14 and values["company"] == "Acme"
    values.update(phones=["+1 555 0100", "+44 20 1234"], location="Paris", tier="B")
    out = write_card(values, "abc-123", IPHONE).decode()
    lines = unfold(out)
    assert "PHOTO;ENCODING=b;TYPE=JPEG:AAAABBBBCCCCDDDD" in lines and "X-ABShowAs:PERSON" in lines
    assert "ORG:Acme;Sales" in lines  # the company did not change: its department stays
    assert "item1.EMAIL;type=INTERNET;type=WORK;type=pref:dana@example.com" in lines
    assert "TEL;type=CELL;type=VOICE:+1 555 0100" in lines and "TEL:+44 20 1234" in lines
    assert "ADR;type=HOME:;;1 Main St;Paris;;10115;Germany" in lines  # only the locality changed
    assert "PRODID:-//Apple Inc.//iPhone OS 17.0//EN" in lines
    assert read_card(out.encode()).values["tier"] == "B"


def test_a_removed_email_leaves_the_card_and_a_vcard_4_stays_4():
    card4 = IPHONE.replace(b"VERSION:3.0", b"VERSION:4.0")
    values = dict(read_card(card4).values, emails=[], birthday="--02-29")
    lines = unfold(write_card(values, "abc-123", card4).decode())
    assert "VERSION:4.0" in lines and not any(line.split(":")[0].endswith("EMAIL") for line in lines)
    assert "BDAY:--0229" in lines


def test_a_card_without_netmaint_s_fields_leaves_them_out_rather_than_emptying_them():
    card = read_card(IPHONE.replace(b"X-NETMAINT-TIER:A\r\nX-NETMAINT-CADENCE:14\r\n", b""))
    assert "tier" not in card.values and "cadence_days" not in card.values


def test_a_wrong_value_in_a_card_is_said_and_left_out():
    card = read_card(IPHONE.replace(b"X-NETMAINT-TIER:A", b"X-NETMAINT-TIER:Z"))
    assert "tier" not in card.values and card.problems == ["tier 'Z' is not A, B or C; left as it was"]


@pytest.mark.parametrize("data, why", [
    (b"hello", "no BEGIN:VCARD"),
    (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\n", "no UID"),
    (IPHONE + IPHONE, "holds 2 cards"),
])
def test_a_file_that_is_no_single_card_with_a_uid_is_unreadable(data, why):
    with pytest.raises(UnreadableCard, match=why):
        read_card(data)


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "NOTE:" + "é" * 100
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert unfold(folded) == [line]


_text = st.text(alphabet=string.ascii_letters + string.digits + " ,;:\\\n-é漢", max_size=40)
_line = _text.map(lambda t: " ".join(t.split()))


@settings(max_examples=150, deadline=None)
@given(name=_line.filter(bool), company=_line, role=_line, how_met=_line, notes=_text.map(str.strip),
       tier=st.sampled_from("ABC"), cadence=st.none() | st.integers(1, 3650), archived=st.booleans(),
       tags=st.lists(st.text(alphabet=string.ascii_lowercase + " ", min_size=1, max_size=8).map(lambda t: " ".join(t.split()))
                     .filter(bool),
                     max_size=3, unique_by=str.casefold))
def test_any_contact_netmaint_holds_survives_its_card(name, company, role, how_met, notes, tier, cadence, archived, tags):
    values = schema.clean_contact(dict(DANA, name=name, company=company, role=role, how_met=how_met,
                                       notes="\n".join(line.rstrip() for line in notes.split("\n")), tier=tier,
                                       cadence_days=cadence, archived=archived, tags=tags))
    assert read_card(write_card(values, "u")).values == values
