"""The two renderings of the ranking rules agree: the SQL that orders 30,000 contacts and the
Python that shows the score; and the app's in-memory filter matches what `due --filter` matches."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from netmaint_tui.rules.priority import score
from netmaint_tui.services.due import _RANK_SQL, due_list, rank_ids, search_index

conn = sqlite3.connect(":memory:")
days = st.one_of(st.none(), st.floats(min_value=-30, max_value=5000, allow_nan=False))


@settings(max_examples=300, deadline=None)
@given(
    tier=st.sampled_from(["A", "B", "C", "X"]),
    dst=days,
    dsa=st.floats(min_value=-30, max_value=5000, allow_nan=False),
    cad=st.one_of(st.none(), st.integers(min_value=-5, max_value=4000)),
    date_due=st.sampled_from([0, 1]),
)
def test_sql_rank_score_equals_the_rule(tier, dst, dsa, cad, date_due):
    sql = f"SELECT {_RANK_SQL} FROM (SELECT ? AS tier, ? AS dst, ? AS dsa, ? AS cad, ? AS date_due)"
    (in_sql,) = conn.execute(sql, (tier, dst, dsa, cad, date_due)).fetchone()
    assert in_sql == score(tier, dst, dsa, cad, date_due)


def test_search_index_matches_the_due_filter(tmp_db, ctx):
    from netmaint_tui.services.contacts import add_contact

    add_contact(ctx, "Ölaf Øyvind", company="Fjord AS", tags=["sailing"])
    add_contact(ctx, "Dana Fischer", company="Cobalt Bank", tags=["mentor", "Berlin"])
    add_contact(ctx, "Omar Haddad", company="Lumen_Energy 100%", tags=[])
    add_contact(ctx, "Priya Patel", company="", tags=["MENTOR"])
    index = search_index()
    ranking = rank_ids(ctx)
    for text in ["", "ölaf", "ÖLAF", "mentor", "ber", "_energy", "100%", "a", "zzz", " dana ", "fjord as"]:
        expected = [r.id for r in due_list(ctx, text=text)]
        assert index.narrow(ranking, text) == expected, text


def test_a_typed_text_never_matches_across_fields(tmp_db, ctx):
    from netmaint_tui.services.contacts import add_contact

    add_contact(ctx, "Dana", company="Bank")
    # "danabank" would match if name and company were simply glued together.
    assert search_index().narrow(rank_ids(ctx), "danabank") == []


RANKINGS = ([3, 1, 5, 2, 4], [4, 2, 1, 3, 5], [2, 3])  # a re-sort, and a ranking without some


@settings(max_examples=300, deadline=None)
@given(typed=st.lists(st.tuples(st.text(alphabet="anbe r", max_size=4), st.integers(0, 2)), min_size=1, max_size=8))
def test_narrowing_as_you_type_equals_narrowing_afresh(typed):
    """Typing reuses the previous matches and the texts aligned to the last ranking; whatever was
    typed before, and whichever ranking came in between (a re-sort, a reload gives a new list),
    the result is the same as narrowing that whole ranking with the text."""
    from netmaint_tui.services.due import SearchIndex

    texts = {1: "anna\nbank\n", 2: "bernd\n\nrunner", 3: "ben\nnabe\n", 4: "rene\n\n", 5: "\n\n"}
    rankings = [list(r) for r in RANKINGS]  # new objects each example, as each reload makes
    index = SearchIndex(texts)
    index.align(rankings[0])  # done ahead by a worker
    for text, which in typed:
        ranking = rankings[which]
        assert index.narrow(ranking, text) == SearchIndex(texts).narrow(ranking, text), typed
