"""Two contacts who are likely one person, and why: a shared email, phone or LinkedIn profile, or
the same name spelt another way (accents, another order, titles, middle names).

Contacts are dicts with at least `id`, `name`, `emails`, `phones` and `linkedin_url`. Pairs are
found through keys shared by both (never by comparing every contact with every other), so a
network of 30,000 is a matter of seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from netmaint_tui.rules.links import normalize_linkedin_url
from netmaint_tui.rules.search import WORD, plain

# Words that say how to address someone, not who they are.
TITLES = frozenset(
    "mr mrs ms miss mx dr prof professor sir dame lord lady rev fr herr frau jr sr ii iii iv phd md mba esq "
    "msc bsc ma ba dipl ing".split()
)
# A number is its last nine digits ("+49 30 1234567" and "030 1234567" are one number), or all of
# them from seven up: a shorter one says too little to call two contacts one person.
PHONE_DIGITS, PHONE_TAIL = 7, 9
# A name shared by more contacts than this is a common name, not a duplicate: its pairs would bury the rest.
COMMON_NAME = 12

# How strong each reason is: a shared address or number first, then the very same name, then a likeness.
STRONG, SAME, ALIKE = 3, 2, 1


@dataclass
class Pair:
    first: int  # contact ids, first < second
    second: int
    reasons: list[str] = field(default_factory=list)
    strength: int = 0


def name_words(name: str) -> list[str]:
    """The words of a name, compared plain (no case, no accents), without titles."""
    words = _plain_words(name or "")
    return [w for w in words if w not in TITLES] or list(words)


@lru_cache(maxsize=1 << 16)
def _plain_words(name: str) -> tuple[str, ...]:
    # A name is read once per pair it is in: kept, so 30,000 names are each read about once.
    return tuple(plain(w) for w in WORD.findall(name))


@lru_cache(maxsize=1 << 16)
def phone_key(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[-PHONE_TAIL:] if len(digits) >= PHONE_DIGITS else ""


def _url_key(url: str) -> str:
    return normalize_linkedin_url(url).casefold() if url else ""


def name_reason(a: str, b: str) -> tuple[int, str] | None:
    """How two names are the same person's, strongest first, or None."""
    if " ".join(a.split()).casefold() == " ".join(b.split()).casefold():
        return SAME, "same name"
    raw_a, raw_b = _plain_words(a), _plain_words(b)
    if raw_a and raw_a == raw_b:
        return ALIKE, "same name but for accents or punctuation"
    if raw_a and sorted(raw_a) == sorted(raw_b):
        return ALIKE, "same name in another order"
    words_a, words_b = name_words(a), name_words(b)
    if len(words_a) < 2 or len(words_b) < 2:
        return None
    if words_a == words_b or sorted(words_a) == sorted(words_b):
        return ALIKE, "same name with and without titles"
    if (words_a[0], words_a[-1]) == (words_b[0], words_b[-1]) and _middles_agree(words_a[1:-1], words_b[1:-1]):
        return ALIKE, "same name with and without middle names or titles"
    return None


def _middles_agree(a: list[str], b: list[str]) -> bool:
    """Middle names that can be one person's: none on one side, or each of the fewer is one of
    the others or its initial ("R." for "Richter"). "Diego E. Khan" and "Diego H. Khan" are two."""
    fewer, more = sorted((a, b), key=len)
    return all(any(w == m or (len(w) == 1 and m.startswith(w)) for m in more) for w in fewer)


def pair_reasons(a: dict, b: dict) -> tuple[int, list[str]]:
    """(strength, reasons) for two contacts; strength 0 with no reason."""
    reasons, strength = [], 0
    emails = {e.strip().casefold() for e in a.get("emails") or ()} & {e.strip().casefold() for e in b.get("emails") or ()}
    for email in sorted(emails):
        reasons.append(f"same email {email}")
    phones_b = {phone_key(p): p for p in b.get("phones") or () if phone_key(p)}
    for phone in a.get("phones") or ():
        if phone_key(phone) and phone_key(phone) in phones_b:
            reasons.append(f"same phone {phone}")
    url = _url_key(a.get("linkedin_url") or "")
    if url and url == _url_key(b.get("linkedin_url") or ""):
        reasons.append("same LinkedIn profile")
    if reasons:
        strength = STRONG
    named = name_reason(a["name"], b["name"])
    if named is not None:
        strength = max(strength, named[0])
        reasons.append(named[1])
    return strength, reasons


def _keys(c: dict) -> list[tuple]:
    keys: list[tuple] = [("email", e.strip().casefold()) for e in c.get("emails") or () if e.strip()]
    keys += [("phone", k) for k in map(phone_key, c.get("phones") or ()) if k]
    if _url_key(c.get("linkedin_url") or ""):
        keys.append(("url", _url_key(c["linkedin_url"])))
    words = name_words(c["name"])
    if words:
        keys.append(("name", tuple(sorted(words))))
    if len(words) >= 2:
        keys.append(("ends", words[0], words[-1]))
    return keys


def find_pairs(contacts: list[dict]) -> list[Pair]:
    """Every pair of contacts likely to be one person, strongest first, then by id."""
    blocks: dict[tuple, list[int]] = {}
    for c in contacts:
        for key in dict.fromkeys(_keys(c)):
            blocks.setdefault(key, []).append(c["id"])
    by_id = {c["id"]: c for c in contacts}
    seen: set[tuple[int, int]] = set()
    pairs = []
    for key, ids in blocks.items():
        if len(ids) < 2 or (key[0] in ("name", "ends") and len(ids) > COMMON_NAME):
            continue
        for a, b in combinations(sorted(ids), 2):
            if (a, b) in seen:
                continue
            seen.add((a, b))
            strength, reasons = pair_reasons(by_id[a], by_id[b])
            if strength:
                pairs.append(Pair(a, b, reasons, strength))
    pairs.sort(key=lambda p: (-p.strength, p.first, p.second))
    return pairs
