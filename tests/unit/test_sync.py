"""Syncing contacts with a folder of vCards (services.sync), on temporary folders and databases."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from netmaint_tui.io import vdir
from netmaint_tui.io.contentline import unfold
from netmaint_tui.services.common import InputError
from netmaint_tui.services.contacts import add_contact, contact_detail, set_archived, update_contact
from netmaint_tui.services.occasions import dates_of
from netmaint_tui.services.sync import sync
from netmaint_tui.store.db import close_database, open_database
from netmaint_tui.store.models import Contact


@pytest.fixture
def two(tmp_path):
    """Two databases (two computers) and one folder between them; `use("a")` binds one."""
    folder = tmp_path / "cards"
    folder.mkdir()

    class Two:
        def __init__(self):
            self.folder = folder

        def use(self, name):
            close_database()
            open_database(tmp_path / f"{name}.db")

        def sync(self, ctx, **kw):
            return sync(ctx, {"contacts": folder}, **kw)

    two = Two()
    two.use("a")
    yield two
    close_database()


def save_as_a_phone_does(path, data: bytes):
    """A new file, then a rename over the old one: how vdirsyncer and every vdir program write."""
    temp = path.with_name(f".{path.name}.phone")
    temp.write_bytes(data)
    os.replace(temp, path)


def cards(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix == ".vcf"}


def by_name(name):
    return Contact.get(Contact.name == name)


def test_the_first_sync_writes_a_private_card_per_contact_and_the_next_writes_nothing(two, ctx, monkeypatch):
    add_contact(ctx, "Dana Lee", company="Acme", tier="A", tags=["vip"])
    add_contact(ctx, "Omar Haddad", archived=True)
    assert two.sync(ctx).summary() == "synced: contacts 2 out"
    files = cards(two.folder)
    assert sorted(files) == sorted(f"{c.uid}.vcf" for c in Contact.select())
    assert all((two.folder / n).stat().st_mode & 0o777 == 0o600 for n in files)
    assert b"X-NETMAINT-ARCHIVED:TRUE" in files[f"{by_name('Omar Haddad').uid}.vcf"]  # archived stays, marked
    reads = []
    monkeypatch.setattr(vdir, "read_item", lambda *a: reads.append(a))
    assert two.sync(ctx).summary() == "synced: contacts unchanged"
    assert reads == [] and cards(two.folder) == files


def test_a_second_netmaint_gets_every_contact_with_the_same_uid(two, ctx):
    add_contact(ctx, "Dana Lee", company="Acme", tier="A", cadence_days=14, tags=["vip", "board"],
                emails=["dana@example.com"], birthday="--07-09", how_met="PyCon", notes="likes tea")
    two.sync(ctx)
    a = contact_detail(ctx, by_name("Dana Lee").id)
    uid = by_name("Dana Lee").uid
    two.use("b")
    assert two.sync(ctx).summary() == "synced: contacts 1 in"
    b = contact_detail(ctx, by_name("Dana Lee").id)
    assert by_name("Dana Lee").uid == uid
    for key in ("company", "tier", "cadence_days", "tags", "emails", "birthday", "how_met", "notes", "archived"):
        assert getattr(b, key) == getattr(a, key), key
    assert two.sync(ctx).summary() == "synced: contacts unchanged"


def test_a_uid_never_changes(tmp_db, ctx):
    cid = add_contact(ctx, "Dana Lee")
    uid = Contact.get_by_id(cid).uid
    update_contact(ctx, cid, name="Dana Lee-Park", company="Acme")
    assert Contact.get_by_id(cid).uid == uid and len(uid) == 36


def test_a_card_changed_by_a_phone_comes_in_and_keeps_netmaint_s_fields_it_dropped(two, ctx):
    cid = add_contact(ctx, "Dana Lee", tier="A", phones=["+1 555 0199"])
    two.sync(ctx)
    path = two.folder / f"{Contact.get_by_id(cid).uid}.vcf"
    text = path.read_bytes().decode()
    # A phone that drops what it does not know and changes the number.
    kept = "\r\n".join(line for line in text.split("\r\n") if not line.startswith("X-NETMAINT"))
    save_as_a_phone_does(path, kept.replace("TEL:+1 555 0199", "TEL;TYPE=CELL:+1 555 0100").encode())
    assert two.sync(ctx).summary() == "synced: contacts 1 in, 1 out"
    c = contact_detail(ctx, cid)
    assert (c.phones, c.tier) == (["+1 555 0100"], "A")
    assert "X-NETMAINT-TIER:A" in path.read_text() and "TEL;TYPE=CELL:+1 555 0100" in path.read_text()
    assert two.sync(ctx).summary() == "synced: contacts unchanged"


def test_changes_to_different_fields_on_both_sides_merge(two, ctx):
    cid = add_contact(ctx, "Dana Lee", company="Acme")
    two.sync(ctx)
    two.use("b")
    two.sync(ctx)
    update_contact(ctx, by_name("Dana Lee").id, role="CTO")
    two.sync(ctx)
    two.use("a")
    update_contact(ctx, cid, location="Berlin")
    report = two.sync(ctx)
    assert report.summary() == "synced: contacts 1 in, 1 out" and report.conflicts == []
    c = contact_detail(ctx, cid)
    assert (c.company, c.role, c.location) == ("Acme", "CTO", "Berlin")


def test_the_same_field_changed_on_both_sides_keeps_netmaint_s_value_and_notes_the_other_in_its_history(two, ctx):
    cid = add_contact(ctx, "Dana Lee", phones=["+1 555 0199"], notes="met at PyCon")
    two.sync(ctx)
    two.use("b")
    two.sync(ctx)
    update_contact(ctx, by_name("Dana Lee").id, phones=["+1 555 0100"])
    two.sync(ctx)
    two.use("a")
    update_contact(ctx, cid, phones=["+1 555 0111"])
    report = two.sync(ctx)
    assert report.summary() == "synced: contacts 1 out; 1 conflict kept"
    c = contact_detail(ctx, cid)
    assert (c.phones, c.notes) == (["+1 555 0111"], "met at PyCon")  # the notes are the user's own
    assert [(n.at.isoformat(), n.source, n.text) for n in c.history_notes] == [
        ("2025-03-12T10:00:00+01:00", "sync", "the card said phones: +1 555 0100 (kept: +1 555 0111)")]
    assert report.conflicts == ["Dana Lee: the card said phones: +1 555 0100 (kept: +1 555 0111)"]
    two.use("b")
    two.sync(ctx)
    assert contact_detail(ctx, by_name("Dana Lee").id).phones == ["+1 555 0111"]  # the other computer follows


def test_a_card_removed_from_the_folder_archives_its_contact(two, ctx):
    cid = add_contact(ctx, "Dana Lee")
    two.sync(ctx)
    (two.folder / f"{Contact.get_by_id(cid).uid}.vcf").unlink()
    assert two.sync(ctx).summary() == "synced: contacts 1 in"
    assert Contact.get_by_id(cid).archived is True
    assert two.sync(ctx).summary() == "synced: contacts unchanged"


def test_an_emptied_folder_is_filled_again_and_archives_nobody(two, ctx):
    add_contact(ctx, "Dana Lee")
    add_contact(ctx, "Omar Haddad")
    two.sync(ctx)
    for p in two.folder.iterdir():
        p.unlink()
    report = two.sync(ctx)
    assert report.summary() == "synced: contacts 2 out" and "nothing was archived" in report.notices[0]
    assert not Contact.select().where(Contact.archived == True).exists()  # noqa: E712


def test_a_card_netmaint_cannot_read_is_named_and_left_as_it_is(two, ctx):
    add_contact(ctx, "Dana Lee")
    (two.folder / "broken.vcf").write_bytes(b"BEGIN:VCARD\r\nFN:No Uid\r\nEND:VCARD\r\n")
    report = two.sync(ctx)
    assert report.summary() == "synced: contacts 1 out; 1 file left unread"
    assert [(p.href, p.message) for p in report.problems] == [
        ("broken.vcf", "not a card netmaint can read (the card has no UID); left as it is")]
    assert (two.folder / "broken.vcf").read_bytes() == b"BEGIN:VCARD\r\nFN:No Uid\r\nEND:VCARD\r\n"


def test_a_dry_run_writes_nothing(two, ctx):
    add_contact(ctx, "Dana Lee")
    report = two.sync(ctx, dry_run=True)
    assert report.summary() == "dry run, nothing written: would sync: contacts 1 out"
    assert cards(two.folder) == {}
    assert two.sync(ctx).summary() == "synced: contacts 1 out"


def test_a_run_killed_after_writing_files_converges_without_duplicates(two, ctx, monkeypatch):
    from netmaint_tui.services import sync_engine as service

    add_contact(ctx, "Dana Lee")
    two.sync(ctx)
    two.use("b")
    add_contact(ctx, "Omar Haddad")
    real = service._FolderRun.finish

    def killed(self):
        raise KeyboardInterrupt  # files written, the transaction never committed

    monkeypatch.setattr(service._FolderRun, "finish", killed)
    with pytest.raises(KeyboardInterrupt):
        two.sync(ctx)
    assert Contact.select().count() == 1 and len(cards(two.folder)) == 2
    monkeypatch.setattr(service._FolderRun, "finish", real)
    two.sync(ctx)
    assert sorted(c.name for c in Contact.select()) == ["Dana Lee", "Omar Haddad"]
    assert two.sync(ctx).summary() == "synced: contacts unchanged"
    assert len(cards(two.folder)) == 2


def test_a_folder_that_is_not_one_is_one_line(two, ctx, tmp_path):
    with pytest.raises(InputError, match="does not exist; create it"):
        sync(ctx, {"contacts": tmp_path / "nowhere"})
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="is not a folder"):
        sync(ctx, {"contacts": tmp_path / "file"})
    with pytest.raises(InputError, match="no folder to sync with"):
        sync(ctx, {})


def test_the_command_prints_one_summary_line_and_json(env, capsys):
    from netmaint_tui.cli import main

    folder = env.tmp / "cards"
    folder.mkdir()
    assert main(["add", "Dana Lee"]) == 0
    capsys.readouterr()
    assert main(["sync", "--contacts", str(folder)]) == 0
    assert capsys.readouterr().out == "synced: contacts 1 out\n"
    assert main(["sync", "--contacts", str(folder), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["folders"] == {"contacts": {"in": 0, "out": 0, "conflicts": 0, "unreadable": 0, "matched": 0}}
    env.config.parent.mkdir(parents=True, exist_ok=True)
    env.config.write_text(f"sync: {{contacts: {folder}}}\n")
    assert main(["sync"]) == 0
    assert capsys.readouterr().out == "synced: contacts unchanged\n"
    assert main(["sync", "--contacts", str(env.tmp / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err


def test_with_archived_remove_an_archived_contact_s_card_leaves_the_folder_and_comes_back_with_it(two, make_ctx):
    from netmaint_tui.services.contacts import set_archived

    keep, remove = make_ctx(), make_ctx(sync_archived="remove")
    dana = add_contact(keep, "Dana Lee")
    omar = add_contact(keep, "Omar Haddad", archived=True)
    assert two.sync(remove).summary() == "synced: contacts 1 out"  # an archived contact is not written
    assert sorted(cards(two.folder)) == [f"{Contact.get_by_id(dana).uid}.vcf"]
    two.use("b")
    two.sync(remove)
    two.use("a")
    set_archived(remove, dana)
    assert two.sync(remove).summary() == "synced: contacts 1 out" and cards(two.folder) == {}
    two.use("b")
    assert two.sync(remove).summary() == "synced: contacts 1 in"  # the other computer archives it too
    assert by_name("Dana Lee").archived is True
    two.use("a")
    set_archived(remove, dana, False)
    assert two.sync(remove).summary() == "synced: contacts 1 out"
    # Back to keeping them: every archived contact is in the folder again, marked.
    assert two.sync(keep).summary() == "synced: contacts 1 out"
    assert b"X-NETMAINT-ARCHIVED:TRUE" in cards(two.folder)[f"{Contact.get_by_id(omar).uid}.vcf"]
    assert two.sync(keep).summary() == "synced: contacts unchanged"
    assert two.sync(remove).summary() == "synced: contacts 1 out" and len(cards(two.folder)) == 1


def test_the_archived_setting_is_read_from_the_config(tmp_path):
    from netmaint_tui.config.reading import settings_from_text

    settings, problems = settings_from_text("sync: {contacts: cards, archived: Remove}\n", base_dir=tmp_path)
    assert (settings.sync_archived, problems) == ("remove", [])
    settings, problems = settings_from_text("sync: {archived: delete}\n", base_dir=tmp_path)
    assert settings.sync_archived == "keep"
    assert problems == ['config.yaml line 1: sync.archived must be keep or remove, not "delete"; using keep']


def test_a_tag_typed_with_a_comma_or_a_line_break_reaches_the_second_netmaint_as_the_first_holds_it(two, ctx):
    # A card's CATEGORIES is a list by commas that phones do not escape: a tag holds none.
    add_contact(ctx, "Dana Lee", tags=["ml, infra", "two\nlines"])
    assert sorted(contact_detail(ctx, by_name("Dana Lee").id).tags) == ["infra", "ml", "two lines"]
    two.sync(ctx)
    two.use("b")
    two.sync(ctx)
    assert sorted(contact_detail(ctx, by_name("Dana Lee").id).tags) == ["infra", "ml", "two lines"]


def test_a_second_run_on_the_same_folder_while_one_runs_is_refused_in_one_line(two, ctx):
    add_contact(ctx, "Dana Lee")
    with vdir.locked(two.folder):  # another netmaint (cron, or the app) syncing this folder now
        with pytest.raises(InputError, match="another netmaint is syncing .* now; run netmaint sync again"):
            two.sync(ctx)
        assert two.sync(ctx, dry_run=True).summary().endswith("contacts 1 out")
    assert two.sync(ctx).summary() == "synced: contacts 1 out"


def test_a_card_copied_with_its_uid_to_make_someone_else_is_named_and_changes_nobody(two, ctx):
    add_contact(ctx, "Dana Lee", company="Acme")
    two.sync(ctx)
    (name, data), = cards(two.folder).items()
    save_as_a_phone_does(two.folder / "copy.vcf", data.replace(b"Dana Lee", b"Omar Haddad"))
    for _ in range(2):
        report = two.sync(ctx)
        assert [(p.href, "same UID" in p.message) for p in report.problems] == [("copy.vcf", True)]
        assert [c.name for c in Contact.select()] == ["Dana Lee"]
    assert cards(two.folder)[name] == data


def test_a_contact_brought_back_on_one_computer_after_its_card_was_removed_comes_back_on_the_other(two, ctx):
    dana = add_contact(ctx, "Dana Lee")
    two.sync(ctx)
    two.use("b")
    two.sync(ctx)
    for p in two.folder.glob("*.vcf"):
        p.unlink()  # removed on the phone: both computers archive Dana
    two.sync(ctx)
    two.use("a")
    two.sync(ctx)
    assert by_name("Dana Lee").archived
    set_archived(ctx, dana, False)
    two.sync(ctx)
    two.use("b")
    two.sync(ctx)
    assert not by_name("Dana Lee").archived
    two.use("a")
    two.sync(ctx)
    assert not by_name("Dana Lee").archived


SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
WORK = {"label": "work anniversary", "date": "2019-04-01"}
MET = {"label": "met", "date": "--06-12"}


def dates(name):
    return dates_of([by_name(name).id]).get(by_name(name).id, [])


def test_a_second_netmaint_gets_the_anniversaries_with_their_labels_and_days_with_and_without_a_year(two, ctx):
    add_contact(ctx, "Dana Lee", dates=[WORK, MET])
    two.sync(ctx)
    two.use("b")
    assert two.sync(ctx).summary() == "synced: contacts 1 in"
    assert dates("Dana Lee") == [WORK, MET]
    assert two.sync(ctx).summary() == "synced: contacts unchanged"


def test_a_change_to_the_dates_alone_is_a_change_for_the_next_sync(two, ctx):
    cid = add_contact(ctx, "Dana Lee", dates=[WORK])
    two.sync(ctx)
    update_contact(ctx, cid, dates=[WORK, MET])  # only contact_date rows change
    assert two.sync(ctx).summary() == "synced: contacts 1 out"
    two.use("b")
    two.sync(ctx)
    assert dates("Dana Lee") == [WORK, MET]
    two.use("a")
    update_contact(ctx, cid, dates=[MET])
    assert two.sync(ctx).summary() == "synced: contacts 1 out"
    two.use("b")
    two.sync(ctx)
    assert dates("Dana Lee") == [MET]


def _phone_card() -> bytes:
    """A real Gmail card with two labelled dates (item9, item10), given the UID a server gives it."""
    data = (SAMPLES / "google_gmail_export_v30.vcf").read_bytes()
    return data.replace(b"VERSION:3.0\r\n", b"VERSION:3.0\r\nUID:gmail-1\r\n", 1)


def test_a_phone_s_card_comes_in_with_its_dates_and_goes_back_with_all_its_lines(two, ctx):
    data = _phone_card()
    (two.folder / "gmail-1.vcf").write_bytes(data)
    assert two.sync(ctx).summary() == "synced: contacts 1 in, 1 out"  # netmaint's own fields added to it
    assert dates("VCard Test") == [{"label": "anniversary", "date": "1930-03-20"},
                                   {"label": "CustomDateCategory", "date": "2000-09-12"}]
    written = cards(two.folder)["gmail-1.vcf"]
    assert set(unfold(data.decode())) <= set(unfold(written.decode()))
    assert b"item9.X-ABDATE:1930-03-20\r\nitem9.X-ABLabel:_$!<Anniversary>!$_\r\n" in written
    assert two.sync(ctx).summary() == "synced: contacts unchanged"
    update_contact(ctx, by_name("VCard Test").id, role="Boss")  # the dates did not change: their lines stay
    assert two.sync(ctx).summary() == "synced: contacts 1 out"
    assert b"item10.X-ABDATE:2000-09-12\r\nitem10.X-ABLabel:CustomDateCategory\r\n" in cards(two.folder)["gmail-1.vcf"]
    update_contact(ctx, by_name("VCard Test").id, dates=dates("VCard Test") + [MET])
    two.sync(ctx)
    after = cards(two.folder)["gmail-1.vcf"]
    assert set(unfold(data.decode())) - set(unfold(after.decode())) == {"TITLE:TheJobTitle"}
    assert b"item26.X-ABDATE;X-APPLE-OMIT-YEAR=1604:1604-06-12\r\nitem26.X-ABLabel:met\r\n" in after  # 1-25 are taken


def test_a_date_added_on_each_side_merges(two, ctx):
    cid = add_contact(ctx, "Dana Lee", dates=[WORK])
    two.sync(ctx)
    two.use("b")
    two.sync(ctx)
    update_contact(ctx, by_name("Dana Lee").id, dates=[WORK, MET])
    two.sync(ctx)
    two.use("a")
    wedding = {"label": "wedding", "date": "2015-06-12"}
    update_contact(ctx, cid, dates=[wedding], company="Acme")  # and the work anniversary taken out here
    report = two.sync(ctx)
    assert report.summary() == "synced: contacts 1 in, 1 out" and report.conflicts == []
    assert dates("Dana Lee") == [wedding, MET]
    two.use("b")
    two.sync(ctx)
    assert dates("Dana Lee") == [wedding, MET]


def test_a_card_matched_to_a_contact_on_a_first_sync_unites_their_dates(two, ctx):
    add_contact(ctx, "Dana Lee", emails=["dana@example.com"], dates=[WORK, {"label": "met", "date": "--06-12"}])
    card = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-1\r\nFN:Dana Lee\r\nEMAIL:dana@example.com\r\n"
            b"item1.X-ABDATE:2015-06-12\r\nitem1.X-ABLabel:met\r\n"
            b"item2.X-ABDATE:2010-09-30\r\nitem2.X-ABLabel:_$!<Anniversary>!$_\r\nEND:VCARD\r\n")
    (two.folder / "phone-1.vcf").write_bytes(card)
    report = two.sync(ctx)
    assert report.summary() == "synced: contacts 1 in, 1 out, 1 matched" and report.conflicts == []
    # The same label on the same day is one date, with the year the card knew.
    assert dates("Dana Lee") == [WORK, {"label": "met", "date": "2015-06-12"},
                                 {"label": "anniversary", "date": "2010-09-30"}]


def test_a_folder_synced_before_dates_travelled_joins_the_phone_s_dates_and_netmaint_s(two, ctx):
    from netmaint_tui.store import migrations
    from netmaint_tui.store.models import database

    cid = add_contact(ctx, "Dana Lee", dates=[WORK])
    two.sync(ctx)
    path = two.folder / f"{Contact.get_by_id(cid).uid}.vcf"
    # What a netmaint of before left: a card without Dana's dates but with the one a phone added
    # (kept as a line it did not know), and a state without the field.
    phone = b"item1.X-ABDATE:2010-09-30\r\nitem1.X-ABLabel:_$!<Anniversary>!$_\r\n"
    save_as_a_phone_does(path, path.read_bytes().replace(
        b"item1.X-ABDATE:2019-04-01\r\nitem1.X-ABLabel:work anniversary\r\n", phone))
    data, etag = vdir.read_item(two.folder, path.name)
    database.execute_sql("UPDATE sync_item SET base = json_remove(base, '$.dates'), etag = ?, hash = ?",
                         [etag, vdir.content_hash(data)])
    with database.atomic():
        migrations._migration_10(database)
    report = two.sync(ctx)
    assert report.summary() == "synced: contacts 1 in, 1 out" and report.conflicts == []
    assert dates("Dana Lee") == [WORK, {"label": "anniversary", "date": "2010-09-30"}]
    assert phone in path.read_bytes() and b"X-ABLabel:work anniversary" in path.read_bytes()
    assert two.sync(ctx).summary() == "synced: contacts unchanged"


def test_anniversaries_changed_on_both_sides_take_each_side_s_additions_and_removals():
    from netmaint_tui.rules.sync import settle

    base = {"name": "Dana", "dates": [WORK, MET]}
    ours = {"name": "Dana", "dates": [MET, {"label": "wedding", "date": "2015-06-12"}]}  # work anniversary out
    theirs = {"dates": [WORK, {"label": "met", "date": "2015-06-12"}, {"label": "first call", "date": "--01-05"}]}
    settled = settle(base, ours, theirs)
    assert settled.conflicts == {}
    assert settled.values["dates"] == [{"label": "met", "date": "2015-06-12"},  # the year the card gave
                                       {"label": "wedding", "date": "2015-06-12"},
                                       {"label": "first call", "date": "--01-05"}]


def test_a_conflict_line_says_dates_as_people_read_them():
    from netmaint_tui.rules.merge import Conflict
    from netmaint_tui.rules.sync import conflict_lines

    conflicts = {"dates": Conflict(None, [WORK], [{"label": "met", "date": "2015-06-12"}, MET]),
                 "birthday": Conflict(None, "1985-07-09", "--07-10")}
    assert conflict_lines(conflicts, "the card") == [
        "the card said dates: met 12 Jun 2015, met 12 Jun (kept: work anniversary 1 Apr 2019)",
        "the card said birthday: 10 Jul (kept: 9 Jul 1985)"]


def test_a_tag_added_on_each_side_between_two_syncs_is_kept_on_both(two, ctx):
    dana = add_contact(ctx, "Dana Lee", tags=["x"])
    two.sync(ctx)
    two.use("b")
    two.sync(ctx)
    update_contact(ctx, by_name("Dana Lee").id, tags=["x", "b-side"])
    two.use("a")
    update_contact(ctx, dana, tags=["a-side"])  # x taken out here
    two.sync(ctx)
    two.use("b")
    assert two.sync(ctx).conflicts == []
    assert contact_detail(ctx, by_name("Dana Lee").id).tags == ["a-side", "b-side"]
    two.use("a")
    two.sync(ctx)
    assert contact_detail(ctx, dana).tags == ["a-side", "b-side"]


def test_a_folder_of_collections_is_refused_naming_one_of_them(two, ctx, tmp_path):
    root = tmp_path / "contacts-root"
    (root / "default").mkdir(parents=True)
    (root / "work").mkdir()
    with pytest.raises(InputError, match=r"holds folders \(default, work\) and no \.vcf file: .* e\.g\. .*default"):
        sync(ctx, {"contacts": root})
    assert sorted(p.name for p in root.iterdir()) == ["default", "work"]  # nothing written there
    assert sync(ctx, {"contacts": root / "default"}).summary() == "synced: contacts unchanged"
