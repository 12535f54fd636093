"""A first sync where the same people are on both sides already: a card of the folder joins the
contact netmaint has (by the UID an earlier import kept, else by an email only that contact has)
instead of coming in as a second one. Run on the real sample cards too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from netmaint_tui.services.contacts import add_contact, contact_detail
from netmaint_tui.services.import_file import import_file
from netmaint_tui.services.sync import sync
from netmaint_tui.services.touches import log_touch
from netmaint_tui.store.db import close_database, open_database
from netmaint_tui.store.models import Contact, SyncItem

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"
# The samples with one card each (the Android export holds six in one file, which no vdir does).
ONE_CARD = sorted(p.name for p in SAMPLES.glob("*.vcf") if p.read_bytes().upper().count(b"BEGIN:VCARD") == 1)

PHONE_CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\nUID:{uid}\r\nFN:{name}\r\n"
    "N:{family};{given};;;\r\n{lines}END:VCARD\r\n"
)


def phone_card(uid: str, name: str, *lines: str) -> bytes:
    given, _, family = name.rpartition(" ")
    return PHONE_CARD.format(uid=uid, name=name, family=family, given=given,
                             lines="".join(line + "\r\n" for line in lines)).encode()


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "cards"
    path.mkdir()
    open_database(tmp_path / "a.db")
    yield path
    close_database()


def run(ctx, folder, **kw):
    return sync(ctx, {"contacts": folder}, **kw)


def cards(folder):
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".vcf")


def test_a_card_imported_before_joins_its_contact_by_its_uid(folder, ctx):
    card = phone_card("phone-7", "Dana Lee", "EMAIL:dana@example.com", "TEL;TYPE=CELL:+1 555 0100")
    import_file(ctx, "vcard", card)
    cid = Contact.get().id
    log_touch(ctx, [cid], note="coffee")
    (folder / "phone-7.vcf").write_bytes(card)
    report = run(ctx, folder)
    assert report.summary() == "synced: contacts 1 out, 1 matched"
    assert report.as_json()["folders"]["contacts"]["matched"] == 1
    assert Contact.select().count() == 1 and Contact.get().uid == "phone-7"  # a server never lets a UID change
    assert cards(folder) == ["phone-7.vcf"]
    text = (folder / "phone-7.vcf").read_text()
    assert "X-NETMAINT-TIER:" in text and "TEL;TYPE=CELL:+1 555 0100" in text
    assert run(ctx, folder).summary() == "synced: contacts unchanged"


def test_a_card_joins_the_one_contact_with_its_email_and_both_sides_fill_each_other_in(folder, ctx):
    cid = add_contact(ctx, "Dana Lee", company="Acme", emails=["Dana@Example.com"], tier="A", tags=["vip"])
    other = add_contact(ctx, "Omar Haddad")
    (folder / "x1.vcf").write_bytes(phone_card("x1", "Dana Lee", "EMAIL;TYPE=work:dana@example.com",
                                               "EMAIL:dana@home.example", "TEL:+1 555 0100", "TITLE:CTO",
                                               "CATEGORIES:board"))
    report = run(ctx, folder)
    assert report.summary() == "synced: contacts 1 in, 2 out, 1 matched" and report.conflicts == []
    dana = contact_detail(ctx, cid)
    assert (dana.company, dana.role, dana.tier, dana.phones) == ("Acme", "CTO", "A", ["+1 555 0100"])
    assert dana.emails == ["Dana@Example.com", "dana@home.example"] and dana.tags == ["board", "vip"]
    assert Contact.select().count() == 2
    assert cards(folder) == sorted(["x1.vcf", f"{Contact.get_by_id(other).uid}.vcf"])


def test_a_matched_card_that_says_otherwise_keeps_netmaint_s_value_and_notes_the_card_s(folder, ctx):
    cid = add_contact(ctx, "Dana Lee-Park", emails=["dana@example.com"], phones=["+1 555 0199"])
    (folder / "x1.vcf").write_bytes(phone_card("x1", "Dana Lee", "EMAIL:dana@example.com"))
    report = run(ctx, folder)
    assert report.summary() == "synced: contacts 1 out, 1 matched; 1 conflict kept"
    assert contact_detail(ctx, cid).name == "Dana Lee-Park"
    assert report.conflicts == ["Dana Lee-Park: the card said name: Dana Lee (kept: Dana Lee-Park)"]


def test_an_email_two_contacts_share_or_two_cards_share_matches_nobody(folder, ctx):
    add_contact(ctx, "Dana Lee", emails=["team@example.com"])
    add_contact(ctx, "Omar Haddad", emails=["team@example.com"])
    add_contact(ctx, "Lena Roth", emails=["lena@example.com"])
    (folder / "a.vcf").write_bytes(phone_card("a", "Team", "EMAIL:team@example.com"))
    (folder / "b.vcf").write_bytes(phone_card("b", "Lena Roth", "EMAIL:lena@example.com"))
    (folder / "c.vcf").write_bytes(phone_card("c", "L. Roth", "EMAIL:LENA@example.com"))
    report = run(ctx, folder)
    assert report.summary() == "synced: contacts 3 in, 6 out"  # each card again, with netmaint's fields
    assert report.notices == ["3 new cards share an email with more than one contact, or with another new card: "
                              "added as contacts of their own, not matched"]
    assert Contact.select().count() == 6


def test_a_contact_synced_with_its_own_card_is_not_matched_to_another(folder, ctx):
    add_contact(ctx, "Dana Lee", emails=["dana@example.com"])
    run(ctx, folder)
    (folder / "x1.vcf").write_bytes(phone_card("x1", "Dana Lee", "EMAIL:dana@example.com"))
    assert run(ctx, folder).summary() == "synced: contacts 1 in, 1 out"
    assert Contact.select().count() == 2


def test_the_journal_names_a_matched_contact_by_its_new_uid(tmp_path, folder, ctx):
    journal = tmp_path / "journal"
    journal.mkdir()
    cid = add_contact(ctx, "Dana Lee", emails=["dana@example.com"])
    old = Contact.get_by_id(cid).uid
    log_touch(ctx, [cid], note="coffee")
    sync(ctx, {"journal": journal})  # the journal first, the contacts folder added later
    assert old.encode() in next(journal.glob("*.ics")).read_bytes()
    (folder / "x1.vcf").write_bytes(phone_card("x1", "Dana Lee", "EMAIL:dana@example.com"))
    report = sync(ctx, {"contacts": folder, "journal": journal})
    assert report.summary() == "synced: contacts 1 out, 1 matched; journal 1 out"
    entry = next(journal.glob("*.ics")).read_bytes()
    assert b"X-NETMAINT-CONTACT;CN=Dana Lee:x1" in entry and old.encode() not in entry


def test_a_dry_run_counts_the_matches_and_changes_nothing(folder, ctx):
    cid = add_contact(ctx, "Dana Lee", emails=["dana@example.com"])
    uid = Contact.get_by_id(cid).uid
    (folder / "x1.vcf").write_bytes(phone_card("x1", "Dana Lee", "EMAIL:dana@example.com"))
    assert run(ctx, folder, dry_run=True).summary() == "dry run, nothing written: would sync: contacts 1 out, 1 matched"
    assert Contact.get_by_id(cid).uid == uid and not SyncItem.select().exists()


@pytest.mark.parametrize("name", ONE_CARD)
def test_each_sample_card_imported_before_is_matched_not_doubled(folder, ctx, name):
    data = (SAMPLES / name).read_bytes()
    report = import_file(ctx, "vcard", data)
    assert report.added == 1
    before = contact_detail(ctx, Contact.get().id)
    # On a server every card has a UID; a card exported without one gets it there.
    if b"\nUID:" not in data:
        data = data.replace(b"END:VCARD", b"UID:from-the-server\r\nEND:VCARD", 1)
    (folder / name).write_bytes(data)
    result = run(ctx, folder)
    assert "1 matched" in result.summary() and result.problems == []
    assert Contact.select().count() == 1
    after = contact_detail(ctx, Contact.get().id)
    assert (after.name, after.emails, after.phones) == (before.name, before.emails, before.phones)
    assert after.dates == before.dates  # Outlook's X-MS-ANNIVERSARY, Thunderbird's X-ANNIVERSARY, Apple's X-ABDATE
    assert cards(folder) == [name]
    assert run(ctx, folder).summary() == "synced: contacts unchanged"


def test_every_sample_with_one_card_is_in_the_test():
    assert len(ONE_CARD) == 8 and os.path.isdir(SAMPLES)
