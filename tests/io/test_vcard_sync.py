"""A contact as a synced card: written as vCard 3.0 (or 4.0), read back the same, and what other
apps put in a card kept when netmaint rewrites it."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from netmaint_tui.io.contentline import fold, unfold
from netmaint_tui.io.vcard_sync import UnreadableCard, card_text_values, read_card, write_card
from netmaint_tui.rules import schema

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"

DANA = dict(
    name="Dana Lee", company="Acme; Inc", role="CTO", emails=["dana@example.com", "d@x.org"],
    phones=["+1 555 0100"], linkedin_url="https://www.linkedin.com/in/danalee", location="Berlin",
    how_met="conf, 2019", tier="A", cadence_days=30, tags=["board", "vip"], birthday="--07-09",
    dates=[{"label": "work anniversary", "date": "2019-04-01"}, {"label": "met", "date": "--06-12"}],
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


def test_anniversaries_are_written_as_apple_s_labelled_dates_and_read_back_the_same():
    dates = [{"label": "work anniversary", "date": "2019-04-01"}, {"label": "met", "date": "--08-20"},
             {"label": "anniversary", "date": "2010-06-12"}, {"label": "met at PyCon, Berlin; day 2", "date": "--02-29"}]
    values = dict(DANA, dates=dates)
    lines = unfold(write_card(values, "uid-1").decode())
    assert [line for line in lines if line.startswith("item")] == [
        "item1.X-ABDATE:2019-04-01", "item1.X-ABLabel:work anniversary",
        "item2.X-ABDATE;X-APPLE-OMIT-YEAR=1604:1604-08-20", "item2.X-ABLabel:met",  # as the birthday, in 3.0
        "item3.X-ABDATE:2010-06-12", "item3.X-ABLabel:_$!<Anniversary>!$_",  # Apple's own label, shown translated
        "item4.X-ABDATE;X-APPLE-OMIT-YEAR=1604:1604-02-29", "item4.X-ABLabel:met at PyCon\\, Berlin\\; day 2",
    ]
    assert card_text_values(values, "uid-1") == values  # order, labels and year-less days exact


def test_a_vcard_4_card_holds_a_plain_anniversary_once():
    card4 = IPHONE.replace(b"VERSION:3.0", b"VERSION:4.0")
    dates = [{"label": "met", "date": "--08-20"}, {"label": "anniversary", "date": "--06-12"},
             {"label": "anniversary", "date": "2001-09-30"}]
    out = write_card(dict(read_card(card4).values, dates=dates), "abc-123", card4)
    lines = unfold(out.decode())
    assert "ANNIVERSARY:--0612" in lines and sum(line.startswith("ANNIVERSARY") for line in lines) == 1
    assert "item2.X-ABDATE:--0820" in lines and "item3.X-ABDATE:2001-09-30" in lines  # item1 is the email's
    assert read_card(out).values["dates"] == dates


def _sample_with_uid(name: str) -> bytes:
    """A real card from the samples, with the UID a synced folder's cards carry."""
    return (SAMPLES / name).read_bytes().replace(b"VERSION:3.0\r\n", b"VERSION:3.0\r\nUID:sample-1\r\n", 1)


def test_a_google_card_s_labelled_dates_come_in_and_stay_byte_for_byte_while_they_do_not_change():
    data = _sample_with_uid("google_gmail_export_v30.vcf")
    values = read_card(data).values
    # item9 is Apple's anniversary label, item10 a label of the user's; a date of 1776 is no date netmaint keeps.
    assert values["dates"] == [{"label": "anniversary", "date": "1930-03-20"},
                               {"label": "CustomDateCategory", "date": "2000-09-12"}]
    out = write_card(dict(values, company="Other Co"), "sample-1", data)
    for line in (b"item9.X-ABDATE:1930-03-20\r\n", b"item9.X-ABLabel:_$!<Anniversary>!$_\r\n",
                 b"item10.X-ABDATE:2000-09-12\r\n", b"item10.X-ABLabel:CustomDateCategory\r\n",
                 b"X-ABDATE:1776-07-04\r\n"):
        assert line in out
    assert set(unfold(data.decode())) - set(unfold(out.decode())) == {"ORG:TheCompany"}


def test_a_date_changed_in_netmaint_replaces_the_card_s_date_lines_and_loses_nothing_else():
    data = _sample_with_uid("google_gmail_export_v30.vcf")
    values = read_card(data).values
    dates = [{"label": "CustomDateCategory", "date": "2000-09-12"}, {"label": "met", "date": "--08-20"}]
    out = write_card(dict(values, dates=dates), "sample-1", data)
    before, after = set(unfold(data.decode())), set(unfold(out.decode()))
    assert before - after == {"item9.X-ABDATE:1930-03-20", "item9.X-ABLabel:_$!<Anniversary>!$_"}
    new = sorted(after - before - {line for line in after if line.startswith(("X-NETMAINT-", "PRODID"))})
    assert new == ["item9.X-ABDATE;X-APPLE-OMIT-YEAR=1604:1604-08-20", "item9.X-ABLabel:met"]  # its group, free again
    assert _groups_of_dates(out) == {"item9": {"X-ABDATE", "X-ABLabel"}, "item10": {"X-ABDATE", "X-ABLabel"}}
    assert read_card(out).values["dates"] == dates


def _groups_of_dates(card: bytes) -> dict[str, set[str]]:
    """The properties of each group that holds a date: a date's group shared with another line
    would give that line the date's label."""
    groups: dict[str, set[str]] = {}
    for line in unfold(card.decode()):
        head = line.split(":")[0].split(";")[0]
        if "." in head:
            group, name = head.split(".", 1)
            groups.setdefault(group, set()).add(name)
    return {group: names for group, names in groups.items() if "X-ABDATE" in names}


def test_a_date_added_to_a_card_with_other_labelled_lines_takes_a_group_of_its_own():
    data = _sample_with_uid("google_gmail_folded_note_v30.vcf")
    values = read_card(data).values
    assert values["dates"] == [{"label": "anniversary", "date": "1975-03-01"}]
    dates = values["dates"] + [{"label": "work anniversary", "date": "2019-04-01"}]
    out = write_card(dict(values, dates=dates), "sample-1", data)
    lines = unfold(out.decode())
    assert "item2.X-ABRELATEDNAMES:Jenny" in lines and "item2.X-ABLabel:_$!<Spouse>!$_" in lines
    assert b"item1.X-ABDATE:1975-03-01\r\nitem1.X-ABLabel:_$!<Anniversary>!$_\r\n" in out  # kept as written
    assert "item3.X-ABDATE:2019-04-01" in lines and "item3.X-ABLabel:work anniversary" in lines
    assert _groups_of_dates(out) == {"item1": {"X-ABDATE", "X-ABLabel"}, "item3": {"X-ABDATE", "X-ABLabel"}}
    assert set(unfold(data.decode())) <= set(lines)
    assert read_card(out).values["dates"] == dates


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
                     max_size=3, unique_by=str.casefold),
       dates=st.lists(st.tuples(_line.filter(lambda t: t.casefold() != "birthday"), st.none() | st.integers(1900, 2024),
                                st.integers(1, 12), st.integers(1, 28)), max_size=4))
def test_any_contact_netmaint_holds_survives_its_card(name, company, role, how_met, notes, tier, cadence, archived, tags,
                                                      dates):
    dates = [{"label": label, "date": f"{year or '-'}-{month:02d}-{day:02d}"}
             for label, year, month, day in dates]
    values = schema.clean_contact(dict(DANA, name=name, company=company, role=role, how_met=how_met,
                                       notes="\n".join(line.rstrip() for line in notes.split("\n")), tier=tier,
                                       cadence_days=cadence, archived=archived, tags=tags, dates=dates))
    assert read_card(write_card(values, "u")).values == values
    assert read_card(write_card(values, "u", IPHONE.replace(b"VERSION:3.0", b"VERSION:4.0"))).values == values


def _with_uid(card: bytes, uid: str) -> bytes:
    return card.replace(b"END:VCARD", b"UID:" + uid.encode() + b"\r\nEND:VCARD", 1)


@pytest.mark.parametrize("sample", ["android_v21_qp_utf8_multi.vcf", "outlook2007_v21_quoted_printable.vcf"])
def test_a_vcard_2_1_card_with_quoted_printable_lines_is_written_whole_and_reads_back_the_same(sample):

    for i, card in enumerate(b"BEGIN:VCARD" + c for c in (SAMPLES / sample).read_bytes().split(b"BEGIN:VCARD")[1:]):
        original = _with_uid(card, f"c{i}")
        values = read_card(original).values
        written = write_card(values, f"c{i}", original)
        assert b"QUOTED-PRINTABLE" not in written
        again = read_card(written).values
        assert {k: again[k] for k in values} == values  # what the second netmaint reads is what the first held
        # No line of a soft line break left on its own: each is a property, or the fold of one.
        assert all(":" in line or line[:1] == " " for line in written.decode().split("\r\n") if line)


def test_a_field_the_card_holds_but_netmaint_could_not_take_stays_in_the_card():
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:big\r\nFN:Huge Person\r\nNOTE:" + b"x" * 2_100_000 + b"\r\nEND:VCARD\r\n"
    parsed = read_card(card)
    assert "notes" not in parsed.values and parsed.problems  # too long, said, left as it was
    assert b"NOTE:" + b"x" * 100 in write_card({**parsed.values, "name": "Huge Person", "notes": ""}, "big", card)
