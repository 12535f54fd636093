"""Duplicates: which pairs are likely one person and why; a merge's plan, done in one
transaction, undone whole; the next import still matching; `duplicates` and `merge`."""

from __future__ import annotations

import json

import pytest

from netmaint_tui.rules.contact_merge import plan_merge
from netmaint_tui.rules.duplicates import find_pairs, name_reason, name_words, pair_reasons
from netmaint_tui.services import followups
from netmaint_tui.services.contacts import add_contact, contact_detail
from netmaint_tui.services.due import rows_for_ids
from netmaint_tui.services.merging import duplicate_pairs, merge_contacts, merge_preview, shown_value
from netmaint_tui.services.search import Finder
from netmaint_tui.services.touches import log_touch
from netmaint_tui.services.undo import History
from netmaint_tui.store.models import Contact, ContactAlias, FollowUp
from tests.unit.test_cli import fails, ok


@pytest.fixture(autouse=True)
def _commits_without_waiting_for_the_disk(monkeypatch):
    from netmaint_tui.store import db

    monkeypatch.setitem(db.PRAGMAS, "synchronous", 1)


# --- rules: who is likely one person ----------------------------------------------------------


@pytest.mark.parametrize("a, b, reason", [
    ("John Doe", "john  doe", "same name"),
    ("Zoë Brown", "Zoe Brown", "same name but for accents or punctuation"),
    ("Anne-Marie Roy", "Anne Marie Roy", "same name but for accents or punctuation"),
    ("Doe John", "John Doe", "same name in another order"),
    ("Dr. John Doe", "John Doe", "same name with and without titles"),
    ("Mr. John Richter James Doe Sr.", "John Doe", "same name with and without middle names or titles"),
    ("John R. Doe", "John Doe", "same name with and without middle names or titles"),
    ("John R. Doe", "John Richter James Doe", "same name with and without middle names or titles"),
])
def test_names_of_one_person(a, b, reason):
    assert name_reason(a, b)[1] == reason
    assert name_reason(b, a)[1] == reason


@pytest.mark.parametrize("a, b", [("John Doe", "Jane Doe"), ("John", "John Doe"), ("Only FN", "Test X-Mobil"),
                                  ("Dr.", "Mr."), ("Diego E. Khan", "Diego H. Khan")])
def test_names_of_other_people(a, b):
    assert name_reason(a, b) is None


def test_titles_are_left_out_but_a_name_of_titles_only_stays():
    assert name_words("Prof. Dr. Ölaf Øyvind PhD") == ["olaf", "øyvind"]
    assert name_words("Dr.") == ["dr"]


def test_a_shared_email_phone_or_profile_is_a_strong_reason():
    a = {"name": "Only FN", "emails": ["Only@X.example"], "phones": ["+1 (555) 014-2000"],
         "linkedin_url": "linkedin.com/in/only/"}
    b = {"name": "Test X-Mobil", "emails": ["only@x.example"], "phones": ["555 0142000"],
         "linkedin_url": "https://www.linkedin.com/in/only"}
    strength, reasons = pair_reasons(a, b)
    assert strength == 3
    assert reasons == ["same email only@x.example", "same phone +1 (555) 014-2000", "same LinkedIn profile"]


def test_pairs_come_through_shared_keys_strongest_first_and_common_names_are_no_reason():
    contacts = [
        {"id": 1, "name": "John Doe", "emails": [], "phones": [], "linkedin_url": ""},
        {"id": 2, "name": "Dana", "emails": ["d@x.example"], "phones": [], "linkedin_url": ""},
        {"id": 3, "name": "Mr. John Doe", "emails": [], "phones": [], "linkedin_url": ""},
        {"id": 4, "name": "Someone Else", "emails": ["D@x.example"], "phones": [], "linkedin_url": ""},
    ] + [{"id": 10 + i, "name": "Ana Silva", "emails": [], "phones": [], "linkedin_url": ""} for i in range(13)]
    pairs = find_pairs(contacts)
    assert [(p.first, p.second) for p in pairs] == [(2, 4), (1, 3)]
    assert pairs[0].reasons == ["same email d@x.example"]


# --- rules: what the kept contact holds afterwards ----------------------------------------------


def test_a_merge_unites_lists_fills_empty_fields_and_notes_what_differs():
    keep = {"name": "John Doe", "company": "", "role": "CTO", "emails": ["john@doe.example"], "phones": [],
            "tags": ["client"], "tier": "A", "notes": "Likes tea", "source": "manual", "source_id": None,
            "snoozed_until": None}
    other = {"name": "Mr. John Doe", "company": "Acme", "role": "CEO", "emails": ["JOHN@doe.example", "jd@acme.example"],
             "phones": ["+1 555 0142"], "tags": ["client", "investor"], "tier": "A", "notes": "Met in Lisbon",
             "source": "linkedin", "source_id": "https://www.linkedin.com/in/jd", "snoozed_until": "2025-06-01"}
    plan = plan_merge(keep, other, "2025-03-12")
    assert plan.values["emails"] == ["john@doe.example", "jd@acme.example"]
    assert plan.values["phones"] == ["+1 555 0142"] and plan.values["tags"] == ["client", "investor"]
    assert plan.values["company"] == "Acme" and plan.taken == ["company"]
    assert plan.noted == [("name", "John Doe", "Mr. John Doe"), ("role", "CTO", "CEO")]
    assert plan.values["notes"] == ("Likes tea\n\nMerged with Mr. John Doe on 2025-03-12: name: Mr. John Doe; "
                                    "role: CEO\nMet in Lisbon")
    # The kept contact had no source id: it takes the other's, so the next import matches it.
    assert plan.values["source_id"] == "https://www.linkedin.com/in/jd" and not plan.keep_source_id
    assert "snoozed_until" not in plan.values and "tier" not in plan.values


# --- the merge itself -----------------------------------------------------------------------------


@pytest.fixture
def pair(tmp_db, ctx):
    keep = add_contact(ctx, "John Doe", emails=["john@doe.example"], tier="A", tags=["client"])
    other = add_contact(ctx, "Mr. John Richter James Doe Sr.", company="Acme", location="Lisbon",
                        emails=["jd@acme.example"], tags=["investor"], source="linkedin",
                        source_id="https://www.linkedin.com/in/jd", notes="Met at the summit")
    third = add_contact(ctx, "Dana Haddad")
    mine = log_touch(ctx, [keep], at=ctx.now().subtract(days=30), kind="give").touch_id
    both = log_touch(ctx, [keep, other], at=ctx.now().subtract(days=20), kind="ask", note="fundraising").touch_id
    theirs = log_touch(ctx, [other, third], at=ctx.now().subtract(days=2), kind="give").touch_id
    fu = followups.add_follow_up(ctx, "Send the deck", suggested_by=other, due=ctx.now().add(days=1))
    about = followups.add_follow_up(ctx, "Intro", suggested_by=third, about=other, due=ctx.now().add(days=3))
    return {"keep": keep, "other": other, "third": third, "touches": (mine, both, theirs), "follow_ups": (fu, about)}


def test_merging_combines_history_follow_ups_goodwill_and_leads(pair, ctx):
    keep, other = pair["keep"], pair["other"]
    preview = merge_preview(ctx, keep, other)
    assert (preview.keep.touches, preview.other.touches, preview.shared_touches, preview.touches) == (2, 2, 1, 3)
    assert (preview.gives, preview.asks, preview.leads, preview.follow_ups) == (2, 1, 1, 2)
    assert preview.alias is None  # the kept contact has no source id: it takes the other's
    merge_contacts(ctx, keep, other, backup=False)
    assert Contact.get_or_none(Contact.id == other) is None
    d = contact_detail(ctx, keep)
    assert [t.id for t in d.history] == list(reversed(pair["touches"]))
    assert (d.gives, d.asks, d.balance, d.leads) == (2, 1, 1, 1)
    assert d.emails == ["john@doe.example", "jd@acme.example"] and d.tags == ["client", "investor"]
    assert (d.company, d.location) == ("Acme", "Lisbon")
    assert "Merged with Mr. John Richter James Doe Sr. on 2025-03-12" in d.notes and "Met at the summit" in d.notes
    assert rows_for_ids(ctx, [keep])[0].last_touch.date().isoformat() == "2025-03-10"
    fu, about = pair["follow_ups"]
    assert FollowUp.get_by_id(fu).suggested_by_id == keep and FollowUp.get_by_id(about).about_id == keep
    kept = Contact.get_by_id(keep)
    assert (kept.source, kept.source_id) == ("linkedin", "https://www.linkedin.com/in/jd")
    # The search index follows: the other's words are the kept contact's now.
    assert Finder().order([keep, pair["third"]], "summit") == [keep]
    assert Finder().order([keep, pair["third"]], "richter") == [keep]  # its old name, in the notes


def test_undo_puts_both_contacts_back_as_they_were(pair, ctx):
    from netmaint_tui.services.exporting import snapshot

    before = snapshot(ctx)
    history = History()
    history.run("merge", lambda: merge_contacts(ctx, pair["keep"], pair["other"], backup=False))
    history.undo_last()
    after = snapshot(ctx)
    assert after["contacts"] == before["contacts"] and after["touches"] == before["touches"]
    assert after["follow_ups"] == before["follow_ups"] and ContactAlias.select().count() == 0


def test_what_syncs_kept_of_the_other_goes_with_the_merge_and_back_with_its_undo(pair, ctx):
    import datetime as dt

    from netmaint_tui.services.history import add_notes

    add_notes(dt.datetime(2025, 3, 11, 9), [(pair["other"], None, "the card said role: CFO (kept: CEO)")])
    history = History()
    history.run("merge", lambda: merge_contacts(ctx, pair["keep"], pair["other"], backup=False))
    assert [n.text for n in contact_detail(ctx, pair["keep"]).history_notes] == ["the card said role: CFO (kept: CEO)"]
    history.undo_last()
    assert contact_detail(ctx, pair["keep"]).history_notes == []
    assert [n.text for n in contact_detail(ctx, pair["other"]).history_notes] == ["the card said role: CFO (kept: CEO)"]


def test_a_merge_is_refused_for_one_contact_or_one_that_is_gone(pair, ctx):
    from netmaint_tui.services.common import InputError

    with pytest.raises(InputError, match="that is one contact"):
        merge_preview(ctx, pair["keep"], pair["keep"])
    with pytest.raises(InputError, match="#404 does not exist"):
        merge_contacts(ctx, pair["keep"], 404)


def test_the_next_import_of_the_merged_contacts_source_matches_the_kept_one(tmp_db, ctx, tmp_path):
    from netmaint_tui.services.import_file import import_file

    keep = add_contact(ctx, "John Doe", emails=["john@doe.example"], source="vcard", source_id="uid-1")
    csv = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
           "John,Richter Doe,https://www.linkedin.com/in/jd,,Acme,CTO,01 Mar 2024\n")
    report = import_file(ctx, "linkedin", csv.encode(), dry_run=False)
    assert report.added == 1
    other = Contact.get(Contact.name == "John Richter Doe").id
    merge_contacts(ctx, keep, other, backup=False)
    # The kept contact has its own source id: the other's is kept beside it.
    assert [(a.contact_id, a.source) for a in ContactAlias.select()] == [(keep, "linkedin")]
    again = import_file(ctx, "linkedin", csv.replace("CTO", "CEO").encode(), dry_run=False)
    assert (again.added, again.updated) == (0, 1) and Contact.select().count() == 1
    assert Contact.get_by_id(keep).role == "CEO"


def test_duplicates_lists_pairs_with_names(pair, ctx):
    [found] = duplicate_pairs(ctx)
    assert (found.first_name, found.second_name, found.reasons) == (
        "John Doe", "Mr. John Richter James Doe Sr.", ["same name with and without middle names or titles"])


# --- the command line ----------------------------------------------------------------------------


def test_duplicates_and_merge_on_the_command_line(env, capsys):
    ok(capsys, "add", "John Doe", "--email", "john@doe.example")
    ok(capsys, "add", "Only FN", "--email", "JOHN@doe.example", "--company", "Test X-Mobil")
    ok(capsys, "add", "Zoë Brown")
    assert ok(capsys, "duplicates").splitlines()[0] == "#1 John Doe  and  #2 Only FN: same email john@doe.example"
    assert json.loads(ok(capsys, "duplicates", "--json")) == [{
        "first": {"id": 1, "name": "John Doe", "company": ""},
        "second": {"id": 2, "name": "Only FN", "company": "Test X-Mobil"}, "reasons": ["same email john@doe.example"]}]
    dry = ok(capsys, "merge", "John", "Only FN", "--dry-run")
    assert dry.startswith("would merge #2 Only FN into #1 John Doe (same email john@doe.example)\n")
    assert "  company: Test X-Mobil (taken from Only FN)" in dry
    assert "name: keeps John Doe; Only FN goes into the notes" in dry
    assert len(json.loads(ok(capsys, "due", "--json"))) == 3  # the dry run changed nothing
    done = ok(capsys, "merge", "#1", "#2")
    assert done.startswith("merged #2 Only FN into #1 John Doe") and "a copy of the database was made first" in done
    assert [r["name"] for r in json.loads(ok(capsys, "due", "--json"))] == ["John Doe", "Zoë Brown"]
    assert any("before-merge" in b["reason"] for b in json.loads(ok(capsys, "backup", "list", "--json")))
    assert ok(capsys, "duplicates") == "no likely duplicates\n"
    assert "that is one contact" in fails(capsys, "merge", "John", "#1")
    assert "no contact named" in fails(capsys, "merge", "John", "Nobody")


def test_a_merge_unites_the_anniversaries_and_its_undo_gives_the_other_its_own_back(tmp_db, ctx):
    keep = add_contact(ctx, "Dana Fischer", dates=["work anniversary=2019-04-01"], birthday="--09-23")
    other = add_contact(ctx, "Dr. Dana Fischer", dates=["met=2015-06-12", "wedding=--08-20", "work anniversary=2019-04-01"])
    preview = merge_preview(ctx, keep, other)
    assert preview.plan.united["dates"] == ["met 12 Jun 2015", "wedding 20 Aug"]
    assert shown_value("birthday", preview.result["birthday"]) == "23 Sep"
    history = History()
    history.run("merge", lambda: merge_contacts(ctx, keep, other, backup=False))
    assert [(d["label"], d["date"]) for d in contact_detail(ctx, keep).dates] == [
        ("work anniversary", "2019-04-01"), ("met", "2015-06-12"), ("wedding", "--08-20")]
    history.undo_last()
    assert len(contact_detail(ctx, keep).dates) == 1
    assert [d["label"] for d in contact_detail(ctx, other).dates] == ["met", "wedding", "work anniversary"]


def test_two_people_not_one_are_listed_no_more(env, capsys):
    ok(capsys, "add", "John Doe")
    ok(capsys, "add", "Mr. John Doe Sr.")
    ok(capsys, "add", "Dana Lee", "--email", "d@x.example")
    ok(capsys, "add", "Dana Leigh", "--email", "D@x.example")
    assert ok(capsys, "duplicates", "--not", "#2", "#1") == \
        "#2 Mr. John Doe Sr. and #1 John Doe are two people: no longer listed as duplicates\n"
    assert [p["first"]["name"] for p in json.loads(ok(capsys, "duplicates", "--json"))] == ["Dana Lee"]
    assert "were already marked" in ok(capsys, "duplicates", "--not", "John Doe", "Mr. John Doe Sr.")
    assert "that is one contact" in fails(capsys, "duplicates", "--not", "#1", "#1")
    ok(capsys, "merge", "#3", "#4")  # a pair set apart goes with either contact
    assert ok(capsys, "duplicates") == "no likely duplicates\n"


def test_the_merged_away_profile_of_a_linkedin_contact_no_longer_overwrites_it(tmp_db, ctx):
    """Two LinkedIn profiles of one person, merged: the kept one's own row speaks for them. The
    next import of the same file changes nothing, whichever row comes first."""
    from netmaint_tui.services.import_file import import_file

    head = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    joanna = "Joanna,Park,https://www.linkedin.com/in/joannapark,,Acme,CTO,10 Oct 2024\n"
    jo = "Jo,Park,https://www.linkedin.com/in/jopark,,OldCo,Intern,09 Oct 2020\n"
    assert import_file(ctx, "linkedin", (head + joanna + jo).encode(), dry_run=False).added == 2
    keep, other = (Contact.get(Contact.name == n).id for n in ("Joanna Park", "Jo Park"))
    merge_contacts(ctx, keep, other, backup=False)
    for rows in (joanna + jo, jo + joanna, jo + joanna):
        again = import_file(ctx, "linkedin", (head + rows).encode(), dry_run=False)
        assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    kept = Contact.get_by_id(keep)
    assert (kept.company, kept.role, str(kept.connected_on)) == ("Acme", "CTO", "2024-10-10")


def test_merging_in_a_linkedin_contact_shows_its_connection_date_taken(env, capsys, tmp_path):
    """The kept contact had no "connected on": the summary names it as taken, and the merge ends well."""
    csv = tmp_path / "Connections.csv"
    csv.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "Alex,Rohrberg,https://www.linkedin.com/in/alexrohrberg,,Schneider Electric,Software Engineer,"
                   "22 Dec 2025\n", encoding="utf-8")
    ok(capsys, "add", "Dana Haddad", "--company", "Acme")
    ok(capsys, "import", "linkedin", str(csv))
    out = ok(capsys, "merge", "Dana Haddad", "Alex Rohrberg")
    assert "connected on: 2025-12-22 (taken from Alex Rohrberg)" in out
