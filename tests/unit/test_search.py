"""Search: the words a filter asks for, how matches rank, the index kept in step with every write,
and built for a file that had none."""

from __future__ import annotations

import sqlite3

import pytest

from netmaint_tui.rules.search import Found, TermHits, describe, match_expression, order, terms, words_in
from netmaint_tui.services import followups
from netmaint_tui.services.contacts import add_contact, update_contact
from netmaint_tui.services.due import due_list, rank_ids
from netmaint_tui.services.search import Finder, found_in, found_words
from netmaint_tui.services.touches import delete_touch, log_touch
from netmaint_tui.store.models import Contact, Tag, Touch, TouchContact, database


@pytest.fixture(autouse=True)
def _commits_without_waiting_for_the_disk(monkeypatch):
    from netmaint_tui.store import db

    monkeypatch.setitem(db.PRAGMAS, "synchronous", 1)


# --- rules ------------------------------------------------------------------------------------


def test_terms_are_the_words_typed_each_once():
    assert terms("Dana  dana, Zoë fund-raising") == ["Dana", "Zoë", "fund", "raising"]
    assert terms("  %  _ ") == [] and terms(None) == []


def test_a_typed_word_is_never_the_query_language():
    assert match_expression('NEAR"') == '"NEAR"""*'
    assert match_expression("lis", ("name", "tags")) == '{name tags} : "lis"*'


def test_words_in_compares_plain_and_gives_them_as_written():
    assert words_in("Zoë Brown met ZOE", "zoe") == ["Zoë", "ZOE"]
    assert words_in("Fundraising, fundraiser", "FUND") == ["Fundraising", "fundraiser"]
    assert words_in("", "x") == []


def test_order_puts_name_matches_first_then_fields_then_notes_each_in_ranking_order():
    ranking = [5, 4, 3, 2, 1]
    hits = [TermHits(name={1}, fields={1, 2, 3}, anywhere={3, 4})]
    assert order(ranking, hits) == [1, 3, 2, 4]
    # Two words: both must be there; a contact is ranked by its weakest place.
    both = [TermHits(name={1, 2}, fields={1, 2}, anywhere=set()), TermHits(name={2}, fields={1}, anywhere={5})]
    assert order(ranking, both) == [2, 1]
    assert order(ranking, []) == ranking


def test_describe_says_where_each_word_is():
    found = [Found("lis", "Lisbon", "location"), Found("fund", "fundraising", "touch", "2025-03-04", 3),
             Found("deck", "deck", "follow-up"), Found("x", "xylo", "touch", "2025-01-02")]
    assert describe(found) == ("found: Lisbon (location), fundraising (3 touches, latest 2025-03-04), "
                               "deck (follow-up), xylo (touch 2025-01-02)")
    assert describe([]) == ""


# --- finding, in the index -------------------------------------------------------------------


def found(text: str, ctx) -> list[str]:
    return [r.name for r in due_list(ctx, text=text)]


@pytest.fixture
def network(tmp_db, ctx):
    ids = {
        "Dana": add_contact(ctx, "Dana Haddad", company="Northwind", role="CTO", location="Lisbon",
                            emails=["dana@bluefin.example"], tags=["mentor"], how_met="Web Summit",
                            notes="Loves sailing"),
        "Omar": add_contact(ctx, "Omar Fischer", company="Acme", tier="A"),
        "Zoë": add_contact(ctx, "Zoë Lisboa", company="Quill"),
    }
    return ids


@pytest.mark.parametrize("text, expected", [
    ("northwind", ["Dana Haddad"]), ("cto", ["Dana Haddad"]), ("lisbon", ["Dana Haddad"]),
    ("bluefin", ["Dana Haddad"]), ("ment", ["Dana Haddad"]), ("summit", ["Dana Haddad"]),
    ("sailing", ["Dana Haddad"]), ("zoe", ["Zoë Lisboa"]), ("ZOË", ["Zoë Lisboa"]), ("had", ["Dana Haddad"]),
    ("dana northwind", ["Dana Haddad"]), ("dana acme", []), ("adda", []),
])
def test_every_field_is_searched_by_the_start_of_its_words(network, ctx, text, expected):
    assert found(text, ctx) == expected


def test_a_name_match_comes_before_a_field_match_and_that_before_a_note(network, ctx):
    log_touch(ctx, [network["Omar"]], at=ctx.now().subtract(days=200), note="Talked about Lisbon office")
    # Omar is due first, but "lis" is in Zoë's name, Dana's location and only in Omar's touch.
    assert [r.name for r in due_list(ctx)][0] == "Omar Fischer"
    assert found("lis", ctx) == ["Zoë Lisboa", "Dana Haddad", "Omar Fischer"]


def test_touch_notes_and_follow_ups_are_found_and_kept_in_step(network, ctx):
    dana, omar = network["Dana"], network["Omar"]
    touch = log_touch(ctx, [dana, omar], at=ctx.now().subtract(hours=3), note="Fundraising round in May").touch_id
    assert found("fundrais", ctx) == ["Omar Fischer", "Dana Haddad"]
    Touch.update(note="Hiring plans").where(Touch.id == touch).execute()
    assert found("fundrais", ctx) == [] and len(found("hiring", ctx)) == 2
    # One person taken off the touch: only the other still has it.
    TouchContact.delete().where((TouchContact.touch == touch) & (TouchContact.contact == omar)).execute()
    assert found("hiring", ctx) == ["Dana Haddad"]
    delete_touch(ctx, touch)
    assert found("hiring", ctx) == []
    fid = followups.add_follow_up(ctx, "Send the pitch deck", suggested_by=omar, about_text="Kestrel Aerospace",
                                  due=ctx.now().add(days=2))
    assert found("deck", ctx) == found("kestrel", ctx) == ["Omar Fischer"]
    followups.add_follow_up(ctx, "Call about the offsite", suggested_by=dana, about=network["Zoë"],
                            due=ctx.now().add(days=2))
    assert found("offsite", ctx) == ["Dana Haddad", "Zoë Lisboa"]
    database.execute_sql("UPDATE follow_up SET what = 'Send the brochure' WHERE id = ?", [fid])
    assert found("deck", ctx) == [] and found("brochure", ctx) == ["Omar Fischer"]
    check_index()


def test_editing_and_removing_a_contact_and_renaming_a_tag_keep_the_index_in_step(network, ctx):
    dana = network["Dana"]
    update_contact(ctx, dana, company="Harbor Robotics", tags=["investor"])
    assert found("northwind", ctx) == [] and found("harbor", ctx) == ["Dana Haddad"]
    assert found("mentor", ctx) == [] and found("investor", ctx) == ["Dana Haddad"]
    Tag.update(name="angel").where(Tag.name == "investor").execute()
    assert found("investor", ctx) == [] and found("angel", ctx) == ["Dana Haddad"]
    log_touch(ctx, [dana], at=ctx.now().subtract(hours=1), note="coffee")
    Contact.delete().where(Contact.id == dana).execute()
    assert found("harbor", ctx) == found("coffee", ctx) == []
    check_index()


def test_where_the_words_were_found(network, ctx):
    dana = network["Dana"]
    log_touch(ctx, [dana], at=ctx.now().subtract(days=9), note="Fundraising talk")
    log_touch(ctx, [dana], at=ctx.now().subtract(days=2), note="More on fundraising.")
    followups.add_follow_up(ctx, "Send the pitch deck", suggested_by=dana, due=ctx.now().add(days=2))
    assert found_in(ctx, dana, "lis fund deck zzz") == [
        Found("lis", "Lisbon", "location"), Found("fund", "fundraising", "touch", "2025-03-10", 2),
        Found("deck", "deck", "follow-up")]
    assert found_words(ctx, dana, "cto") == "found: CTO (role)"
    assert found_words(ctx, dana, "") == ""
    row = due_list(ctx, text="fund")[0]
    assert row.reason_shown.startswith("found: fundraising (2 touches, latest 2025-03-10) · ")
    assert row.as_json()["found"] == [{"word": "fundraising", "where": "touch"}]


def test_a_filter_with_no_word_in_it_looks_for_the_text_in_names_and_companies(tmp_db, ctx):
    add_contact(ctx, "50% Club")
    add_contact(ctx, "🎸 band", company="")
    add_contact(ctx, "Dana")
    assert found("%", ctx) == ["50% Club"] and found("🎸", ctx) == ["🎸 band"] and found("#", ctx) == []


def test_a_finder_answers_each_word_once_until_made_anew(network, ctx):
    finder = Finder()
    ranking = rank_ids(ctx)
    assert finder.order(ranking, "lisbon") == [network["Dana"]]
    update_contact(ctx, network["Omar"], location="Lisbon")
    assert finder.order(ranking, "lisbon") == [network["Dana"]]  # what it found for this state
    assert set(Finder().order(ranking, "lisbon")) == {network["Dana"], network["Omar"]}


# --- the index itself -------------------------------------------------------------------------


def check_index() -> None:
    """Every index agrees with the data it is built from, row for row."""
    database.execute_sql("INSERT INTO contact_fts (contact_fts) VALUES ('integrity-check')")
    database.execute_sql("INSERT INTO follow_up_fts (follow_up_fts) VALUES ('integrity-check')")
    database.execute_sql("INSERT INTO touch_fts (touch_fts, rank) VALUES ('integrity-check', 0)")
    links = database.execute_sql(
        "SELECT (tc.contact_id << 32) | tc.touch_id, t.note FROM touch_contact tc JOIN touch t ON t.id = tc.touch_id"
    ).fetchall()
    for word in {w.lower() for _, note in links for w in terms(note)} | {"nothing"}:
        indexed = {r for (r,) in database.execute_sql("SELECT rowid FROM touch_fts WHERE touch_fts MATCH ?",
                                                       [f'"{word}"']).fetchall()}
        assert indexed == {r for r, note in links if word in (w.lower() for w in terms(note))}, word


def test_an_older_file_gets_its_index_built_and_a_second_run_leaves_one_whole_index(tmp_path, make_ctx):
    from netmaint_tui.store import migrations
    from netmaint_tui.store.db import close_database, open_database
    from tests.unit.test_store import make_version_1_file

    path = tmp_path / "old.db"
    make_version_1_file(path)  # Dana, and one touch with her noted "typed"
    open_database(path)
    ctx = make_ctx()
    try:
        assert found("typed", ctx) == ["Dana"] and found("example", ctx) == ["Dana"]
        check_index()
    finally:
        close_database()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 2")  # as if the search came under another number
    conn.commit()
    conn.close()
    db = open_database(path)
    try:
        assert db.execute_sql("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        assert found("typed", ctx) == ["Dana"]
        check_index()
    finally:
        close_database()


def test_ordering_from_positions_is_the_same_as_walking_the_ranking():
    """order() with positions sorts only the contacts found; the groups and their order are the
    ones walking the whole ranking gives, whether a word's sets nest or not."""
    import random

    from netmaint_tui.rules.search import TermHits, order, positions_of

    rng = random.Random(3)
    ranking = rng.sample(range(1, 5000), 3000)
    positions = positions_of(ranking)
    for _ in range(200):
        hits = []
        for _ in range(rng.randint(1, 3)):
            top = rng.choice((0.02, 0.3, 1.0))  # few found (the positions sorted) or many (the ranking walked)
            pick = lambda share: {rng.randrange(1, 5200) for _ in range(int(5000 * share))}  # noqa: E731
            hits.append(TermHits(name=pick(rng.random() * top * 0.3), fields=pick(rng.random() * top * 0.5),
                                 anywhere=pick(rng.random() * top)))
        assert order(ranking, hits, positions) == order(ranking, hits)


def test_a_finder_orders_each_ranking_it_is_given_by_that_ranking(network, ctx):
    """It keeps the positions of the ranking it narrows from keystroke to keystroke, and works them
    out again for another ranking (another sort, or the same one after a reload)."""
    finder = Finder()
    ranking = rank_ids(ctx)
    both = {network["Dana"], network["Omar"]}
    update_contact(ctx, network["Omar"], location="Lisbon")
    finder = Finder()
    forward = finder.order(ranking, "lisbon")
    assert set(forward) == both
    backward = list(reversed(ranking))
    assert finder.order(backward, "lisbon") == list(reversed(forward))
    assert finder.order(backward[:-1], "lisbon") == [c for c in reversed(forward) if c in backward[:-1]]
