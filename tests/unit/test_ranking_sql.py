"""The two renderings of the ranking rules agree: the SQL that orders 30,000 contacts and the
Python that shows the score; and the app's filter finds what `due --filter` finds."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from netmaint_tui.rules.priority import score
from netmaint_tui.services.due import _RANK_SQL, due_list, rank_ids

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


def test_the_apps_filter_finds_what_the_due_filter_finds(tmp_db, ctx):
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.search import Finder

    add_contact(ctx, "Ölaf Øyvind", company="Fjord AS", tags=["sailing"])
    add_contact(ctx, "Dana Fischer", company="Cobalt Bank", tags=["mentor", "Berlin"])
    add_contact(ctx, "Omar Haddad", company="Lumen_Energy 100%", tags=[])
    add_contact(ctx, "Priya Patel", company="", tags=["MENTOR"], notes="met at the Berlin meetup")
    finder = Finder()  # one for the whole typing, as the app keeps it
    ranking = rank_ids(ctx)
    for text in ["", "ölaf", "ÖLAF", "olaf", "mentor", "ber", "_energy", "100%", "%", "a", "zzz", " dana ",
                 "fjord as", "berlin"]:
        expected = [r.id for r in due_list(ctx, text=text)]
        assert finder.order(ranking, text) == expected, text
        assert Finder().order(ranking, text) == expected, text


def test_a_typed_text_never_matches_across_fields(tmp_db, ctx):
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.search import Finder

    add_contact(ctx, "Dana", company="Bank")
    # "danabank" would match if name and company were simply glued together.
    assert Finder().order(rank_ids(ctx), "danabank") == []
