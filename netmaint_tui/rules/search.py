"""Searching the network by what was written: which words a typed filter asks for, how matches
rank, and the words a contact matched with, in the reason line's words.

A filter is words; each may be the start of a word ("fund" finds "fundraising"), in any case and
with or without accents ("zoe" finds "Zoë"). A contact is found when every word is somewhere in
it: a field, a tag, the notes, a touch's note or a follow-up. Those whose name has every word come
first, then those found in their fields and tags, then the rest (notes); each group keeps the
order of the list it narrows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

# Letters and digits, as SQLite's unicode61 tokenizer cuts text into words.
WORD = re.compile(r"[^\W_]+")

# The contact's own fields as the index holds them, and what the reason line calls each.
FIELD_WORDS = {
    "name": "name", "company": "company", "role": "role", "location": "location", "emails": "email",
    "tags": "tag", "how_met": "how met", "notes": "notes",
}
FIELDS = tuple(FIELD_WORDS)
# A name match ranks first; a match in one of these next; notes, touches and follow-ups last.
DESCRIBING = ("name", "company", "role", "location", "emails", "tags", "how_met")


# Kept per text: names and words repeat across a network (the duplicates search folds each
# name of 30,000 once per pair it is in).
@lru_cache(maxsize=1 << 16)
def plain(text: str) -> str:
    """Folded, without accents: how words are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def terms(text: str | None) -> list[str]:
    """The words a filter asks for, as typed (the index folds them as it folds what it holds),
    each once, in the order typed."""
    kept: dict[str, str] = {}
    for word in WORD.findall(text or ""):
        kept.setdefault(plain(word), word)
    return list(kept.values())


def match_expression(term: str, columns: tuple[str, ...] = ()) -> str:
    """An FTS5 query for words starting with `term`, in `columns` (all of them by default).
    Quoted, so a typed word is never read as the query language (AND, NEAR, a column name)."""
    phrase = '"' + term.replace('"', '""') + '"*'
    return f"{{{' '.join(columns)}}} : {phrase}" if columns else phrase


@dataclass
class TermHits:
    """For one word: the contacts whose name has it, those whose fields or tags do (name
    included), and every contact that has it anywhere."""

    name: set[int] = field(default_factory=set)
    fields: set[int] = field(default_factory=set)
    anywhere: set[int] = field(default_factory=set)


def order(ranking: list[int], hits: list[TermHits], positions: dict[int, int] | None = None) -> list[int]:
    """The contacts of `ranking` that every word matches: by name first, then by a field, then
    the rest, each group in ranking order.

    With `positions` (each id of `ranking` to its index, see positions_of) and few contacts
    found, only those are sorted, not all of `ranking` walked: a word most people do not have
    narrows a 30,000-contact ranking in a fraction of the time."""
    if not hits:
        return list(ranking)
    if len(hits) == 1:  # the usual case, and the one typed first: no sets built
        by_name, by_field, elsewhere = hits[0].name, hits[0].fields, hits[0].anywhere
    else:
        by_name = set.intersection(*(h.name for h in hits))
        by_field = set.intersection(*(h.fields | h.name for h in hits))
        elsewhere = set.intersection(*(h.anywhere | h.fields | h.name for h in hits))
    # Sorting the found is quicker than walking the ranking while they are a few (measured at
    # 30,000: 0.1 ms against 15 for a word nobody has; for a first letter, twice as slow).
    if positions is not None and len(by_name) + len(by_field) + len(elsewhere) < len(ranking) // 10:
        groups = (by_name, by_field - by_name, elsewhere - by_field - by_name)
        found = []
        for group in groups:
            found += [ranking[i] for i in sorted(positions[c] for c in group if c in positions)]
        return found
    lists: tuple[list[int], list[int], list[int]] = ([], [], [])
    first, second, third = (g.append for g in lists)
    for cid in ranking:
        if cid in by_name:
            first(cid)
        elif cid in by_field:
            second(cid)
        elif cid in elsewhere:
            third(cid)
    return lists[0] + lists[1] + lists[2]


def positions_of(ranking: list[int]) -> dict[int, int]:
    """Each id of `ranking` to its index, for order()."""
    return {cid: i for i, cid in enumerate(ranking)}


def words_in(text: str | None, term: str) -> list[str]:
    """The words of `text` that start with `term` (compared plain), as written, each once."""
    if not text:
        return []
    start = plain(term)
    return list(dict.fromkeys(w for w in WORD.findall(text) if plain(w).startswith(start)))


@dataclass(frozen=True)
class Found:
    """Where one typed word was found in a contact: the word as written there, and the place
    ("name", "tag", "touch", "follow-up"…); for a touch, the day of the newest one and how many."""

    term: str
    word: str
    where: str
    day: str = ""  # ISO date of the newest touch holding it
    count: int = 1


def find_in_fields(values: dict[str, str], term: str) -> Found | None:
    """The first of the contact's own fields (FIELDS order) holding a word that starts with `term`."""
    for key in FIELDS:
        words = words_in(values.get(key), term)
        if words:
            return Found(term, words[0], FIELD_WORDS[key])
    return None


def describe(found: list[Found]) -> str:
    """The reason line's words for a match: `found: Lisbon (location), fundraising (3 touches,
    latest 2025-03-04)`."""
    parts = []
    for f in found:
        if f.where == "touch":
            where = f"touch {f.day}" if f.count == 1 else f"{f.count} touches, latest {f.day}"
        else:
            where = f.where
        parts.append(f"{f.word} ({where})")
    return "found: " + ", ".join(parts) if parts else ""
