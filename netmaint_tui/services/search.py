"""Finding contacts by any word they hold, in the index that migration 3 keeps in step with the
data (contact_fts, touch_fts, follow_up_fts); the rules of a match are rules.search.

One Finder answers for one state of the database: it keeps each word's matches, so typing a
filter looks up only the word being typed. After a write, a new Finder.
"""

from __future__ import annotations

from netmaint_tui.rules.search import DESCRIBING, Found, TermHits, describe, find_in_fields, match_expression, order, positions_of
from netmaint_tui.rules.search import terms as words_of
from netmaint_tui.rules.search import words_in
from netmaint_tui.services.common import Context, local_day
from netmaint_tui.store.models import database
from netmaint_tui.store.rows import loads_list

LOW_BITS = 0xFFFFFFFF  # touch_fts rowid = (contact id << 32) | touch id

# A follow-up belongs to whoever suggested it and whom it is about; with neither, to the people
# of the touch it came from (as the detail pane lists it).
_FOLLOW_UP_CONTACTS = """
    SELECT f.suggested_by_id AS id FROM follow_up f WHERE f.id IN ({hits}) AND f.suggested_by_id IS NOT NULL
    UNION SELECT f.about_id FROM follow_up f WHERE f.id IN ({hits}) AND f.about_id IS NOT NULL
    UNION SELECT tc.contact_id FROM follow_up f JOIN touch_contact tc ON tc.touch_id = f.touch_id
          WHERE f.id IN ({hits}) AND f.suggested_by_id IS NULL AND f.about_id IS NULL
"""
_FOLLOW_UP_HITS = "SELECT rowid FROM follow_up_fts WHERE follow_up_fts MATCH ?"


def _ids(sql: str, params) -> set[int]:
    # One row holding every id: 30,000 rows fetched one by one cost more than the search itself.
    (joined,) = database.execute_sql(f"SELECT group_concat(id) FROM ({sql})", params).fetchone()
    return {int(i) for i in joined.split(",")} if joined else set()


def term_hits(term: str) -> TermHits:
    """Who holds a word starting with `term`: by name, by a field or tag, anywhere."""
    hits = own_hits(term)
    hits.anywhere = elsewhere_hits(term)
    return hits


def own_hits(term: str) -> TermHits:
    """Who has a word starting with `term` in their name, or in a field or tag: the contacts a
    filter lists first, found in the contacts' own index (its `anywhere` left empty)."""
    return TermHits(
        name=_ids("SELECT rowid AS id FROM contact_fts WHERE contact_fts MATCH ?", [match_expression(term, ("name",))]),
        fields=_ids("SELECT rowid AS id FROM contact_fts WHERE contact_fts MATCH ?",
                    [match_expression(term, DESCRIBING)]),
    )


def elsewhere_hits(term: str) -> set[int]:
    """Who has a word starting with `term` in their notes, a touch's note or a follow-up: at
    30,000 contacts and 300,000 touches most of a first letter's search (a worker's part)."""
    anywhere = match_expression(term)
    return _ids(
        "SELECT rowid AS id FROM contact_fts WHERE contact_fts MATCH ? "
        # A touch's contact is in its row's upper bits: no join over the links.
        "UNION SELECT rowid >> 32 FROM touch_fts WHERE touch_fts MATCH ? "
        f"UNION {_FOLLOW_UP_CONTACTS.format(hits=_FOLLOW_UP_HITS)}",
        [match_expression(term, ("notes",)), anywhere, anywhere, anywhere, anywhere],
    )


def _containing(text: str) -> set[int]:
    """Contacts whose name or company contains `text` as typed: a filter without a letter or
    digit in it ('%', an emoji) has no word to look up."""
    folded = text.strip().casefold()
    return _ids("SELECT id FROM contact WHERE instr(nm_fold(name), ?) > 0 OR instr(nm_fold(company), ?) > 0",
                [folded, folded])


class Finder:
    """Each word's matches for one state of the data. A word may be known in part first (own_hits:
    names, fields and tags) and whole later (elsewhere_hits added, from a worker)."""

    def __init__(self) -> None:
        self._hits: dict[str, TermHits] = {}
        self._own: dict[str, TermHits] = {}  # words whose notes, touches and follow-ups are still to search
        self._positions: tuple[list[int], dict[int, int]] | None = None  # the ranking last ordered

    def hits(self, term: str) -> TermHits:
        found = self._hits.get(term)
        if found is None:
            own = self._own.pop(term, None)
            if own is None:
                found = term_hits(term)
            else:
                found = TermHits(own.name, own.fields, elsewhere_hits(term))
            self._hits[term] = found
        return found

    def missing(self, text: str) -> list[str]:
        """The words of `text` whose notes, touches and follow-ups are not searched yet."""
        return [w for w in words_of(text) if w not in self._hits]

    def add_elsewhere(self, found: dict[str, set[int]]) -> None:
        """What a worker found with elsewhere_hits, by word: those words are now known whole."""
        for term, ids in found.items():
            own = self._own.pop(term, None)
            if own is not None and term not in self._hits:
                self._hits[term] = TermHits(own.name, own.fields, ids)

    def order(self, ranking: list[int], text: str, own_only: bool = False) -> list[int]:
        """The contacts of `ranking` the filter `text` finds, best matches first (rules.search.order).

        own_only: while a word is not known whole, every word counts only where it is in a name,
        a field or a tag: the contacts listed first (rules.search.order), in their final order;
        those found by their notes, touches or follow-ups come once `missing(text)` is searched."""
        if not (text or "").strip():
            return list(ranking)
        words = words_of(text)
        if not words:
            inside = _containing(text)
            return [cid for cid in ranking if cid in inside]
        if self._positions is None or self._positions[0] is not ranking or len(self._positions[1]) != len(ranking):
            # Kept for as long as the same ranking is narrowed, keystroke after keystroke.
            self._positions = (ranking, positions_of(ranking))
        if own_only and any(w not in self._hits for w in words):
            # Every word by its name and field matches only: the third group (found elsewhere)
            # stays empty rather than partly filled, so nothing shown moves when the rest comes.
            hits = [TermHits(h.name, h.fields) for h in map(self._own_hits, words)]
        else:
            hits = [self.hits(w) for w in words]
        return order(ranking, hits, self._positions[1])

    def _own_hits(self, term: str) -> TermHits:
        found = self._hits.get(term) or self._own.get(term)
        if found is None:
            found = self._own[term] = own_hits(term)
        return found


def found_in(ctx: Context, contact_id: int, text: str) -> list[Found]:
    """Where each word of the filter `text` is in this contact: the first of its fields that
    has it, else its touches (the newest), else a follow-up. A word found nowhere is left out."""
    words = words_of(text)
    if not words:
        return []
    row = database.execute_sql(
        "SELECT name, company, role, location, emails, how_met, notes, (SELECT group_concat(t.name, char(10)) "
        "FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id WHERE ct.contact_id = c.id) FROM contact c WHERE id = ?",
        [contact_id],
    ).fetchone()
    if row is None:
        return []
    values = dict(zip(("name", "company", "role", "location", "emails", "how_met", "notes", "tags"), row))
    values["emails"] = "\n".join(loads_list(values["emails"]))
    out = []
    for term in words:
        found = find_in_fields(values, term) or _in_touches(ctx, contact_id, term) or _in_follow_ups(contact_id, term)
        if found is not None:
            out.append(found)
    return out


def _in_touches(ctx: Context, contact_id: int, term: str) -> Found | None:
    low = contact_id << 32
    touch_ids = [r & LOW_BITS for (r,) in database.execute_sql(
        "SELECT rowid FROM touch_fts WHERE touch_fts MATCH ? AND rowid BETWEEN ? AND ?",
        [match_expression(term), low, low | LOW_BITS]).fetchall()]
    if not touch_ids:
        return None
    at, note = database.execute_sql(
        f"SELECT at, note FROM touch WHERE id IN ({','.join('?' * len(touch_ids))}) ORDER BY at DESC, id DESC LIMIT 1",
        touch_ids).fetchone()
    words = words_in(note, term) or [term]
    day = local_day(at, ctx.clock.tz)
    return Found(term, words[0], "touch", day.isoformat() if day else "", len(touch_ids))


def _in_follow_ups(contact_id: int, term: str) -> Found | None:
    for what, about_text in database.execute_sql(
        f"SELECT what, about_text FROM follow_up WHERE id IN ({_FOLLOW_UP_HITS}) AND ("
        "suggested_by_id = ? OR about_id = ? OR (suggested_by_id IS NULL AND about_id IS NULL AND touch_id IN "
        "(SELECT touch_id FROM touch_contact WHERE contact_id = ?))) ORDER BY due DESC LIMIT 1",
        [match_expression(term), contact_id, contact_id, contact_id],
    ).fetchall():
        words = words_in(what, term) or words_in(about_text, term) or [term]
        return Found(term, words[0], "follow-up")
    return None


def found_words(ctx: Context, contact_id: int, text: str) -> str:
    """The reason line's words for where the filter found this contact ('' without a filter)."""
    return describe(found_in(ctx, contact_id, text)) if (text or "").strip() else ""
