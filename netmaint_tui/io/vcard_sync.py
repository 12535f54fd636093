"""A contact as one card of a synced address book (a vdir of .vcf files), both ways.

Reading goes through io.vcard, the tolerant reader that already takes what phones write. Writing
makes vCard 3.0 (or 4.0, when the card was 4.0 before) with the contact's UID and netmaint's own
fields as X-NETMAINT-* properties, which other address books keep without showing.

A card that another app wrote or edited is rewritten around what that app put there: its
properties netmaint does not know (photos, addresses, its own X- properties) are kept as they
were, line for line, and so are the lines of a field netmaint did not change (an email's
TYPE=work, the department after the company in ORG, a phone's anniversaries). Only what changed
is written anew.

Anniversaries are written the way phones write them: Apple's grouped `item1.X-ABDATE` with its
`item1.X-ABLabel`, as iOS and macOS write them and Google's export does too (vCard 3.0 has no
property for them); a 4.0 card may hold one plain `ANNIVERSARY`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from netmaint_tui.io.contentline import CRLF, escape_text, fold, property_name, split_line, unescape_text
from netmaint_tui.io.records import clean_email, clean_phone
from netmaint_tui.rules.links import is_linkedin_url
from netmaint_tui.io.vcard import DATE_PROPERTIES, parse_vcard
from netmaint_tui.rules import schema

PRODID = "-//netmaint//netmaint//EN"

# netmaint's fields that no vCard property holds, and the X- property each travels as.
OWN_PROPERTIES = {
    "how_met": "HOW-MET",
    "tier": "TIER",
    "cadence_days": "CADENCE",
    "snoozed_until": "SNOOZED-UNTIL",
    "archived": "ARCHIVED",
    "connected_on": "CONNECTED-ON",
    "source": "SOURCE",
    "source_id": "SOURCE-ID",
}
# Which properties hold each field netmaint shares with every address book.
_FIELD_PROPERTIES = {
    "name": ("FN", "N"),
    "company": ("ORG",),
    "role": ("TITLE", "ROLE"),
    "emails": ("EMAIL",),
    "phones": ("TEL",),
    "location": ("ADR",),
    "birthday": ("BDAY",),
    "notes": ("NOTE",),
    "tags": ("CATEGORIES",),
}
CARD_FIELDS = tuple(f.key for f in schema.CONTACT_FIELDS)


class UnreadableCard(ValueError):
    """A file netmaint cannot take as a contact; the message says why, in one line."""


@dataclass
class Card:
    uid: str
    # The contact's fields the card gives, cleaned as rules.schema stores them. A field the card
    # does not carry at all (a card without X-NETMAINT-TIER, written by a phone) is absent:
    # unchanged, not emptied.
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # values left out, one line each


def read_card(data: bytes) -> Card:
    """The contact one .vcf file holds; UnreadableCard when it holds none (or several)."""
    parsed = parse_vcard(data)
    if not parsed.records:
        why = parsed.issues[0].message if parsed.issues else "no vCard in it"
        raise UnreadableCard(why)
    if len(parsed.records) > 1:
        raise UnreadableCard(f"it holds {len(parsed.records)} cards; a synced folder has one per file")
    record = parsed.records[0]
    if not record.uid:
        raise UnreadableCard("the card has no UID")
    card = Card(record.uid)
    given: dict[str, Any] = {
        "name": record.name, "company": record.company, "role": record.role, "emails": record.emails,
        "phones": record.phones, "linkedin_url": record.linkedin_url, "location": record.location,
        "birthday": record.birthday, "dates": record.dates, "notes": record.notes, "tags": record.tags,
    }
    for key, suffix in OWN_PROPERTIES.items():
        if suffix in record.own:
            given[key] = _own_value(key, record.own[suffix])
    for key, value in given.items():
        try:
            card.values[key] = schema.clean_value(key, value)
        except schema.FieldError as exc:
            card.problems.append(f"{exc}; left as it was")
    if card.values.get("tier", "") is None:
        del card.values["tier"]
    return card


def _own_value(key: str, text: str) -> Any:
    if key == "archived":
        return text.strip().upper() in ("TRUE", "1", "YES")
    return text


def card_text_values(values: dict[str, Any], uid: str) -> dict[str, Any]:
    """The values as a card written from them reads back: what "unchanged" means for a card
    (a note's trailing spaces, an email that is no address, do not survive a card)."""
    return read_card(write_card(values, uid)).values


# --- writing ------------------------------------------------------------------------------------


def write_card(values: dict[str, Any], uid: str, original: bytes | None = None) -> bytes:
    """The card of a contact (its fields in rules.schema's stored form), around `original`, the
    card the folder holds now, when there is one."""
    kept = _OriginalCard(original) if original else None
    version = kept.version if kept and kept.version == "4.0" else "3.0"
    before = kept.values if kept else {}
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    lines.append((kept.first("PRODID") if kept else "") or f"PRODID:{PRODID}")
    lines.append(f"UID:{escape_text(uid)}")

    # A 2.1 card's own lines (quoted-printable with its soft line breaks, CHARSET, bare TYPEs) do
    # not stand in the 3.0 card written: every field netmaint reads from it is written anew.
    reuse = kept is not None and kept.version != "2.1"

    def same(key: str) -> bool:
        if kept is not None and key not in before and not values.get(key) and kept.lines(*_FIELD_PROPERTIES.get(key, ())):
            return reuse  # the card holds it, netmaint could not take it (said so) and has none: it stays
        return reuse and key in before and before[key] == values.get(key)

    name = values.get("name") or ""
    if same("name"):
        lines += kept.lines("FN", "N")
    else:
        lines.append(f"FN:{escape_text(name)}")
        lines.append(f"N:{_n_value(name)}")
    if same("company"):
        lines += kept.lines("ORG")
    elif values.get("company"):
        lines.append(f"ORG:{escape_text(values['company'])}")
    if same("role"):
        lines += kept.lines("TITLE", "ROLE")
    elif values.get("role"):
        lines.append(f"TITLE:{escape_text(values['role'])}")
    lines += _list_lines(kept, "EMAIL", values.get("emails") or [], clean_email, "emails")
    lines += _list_lines(kept, "TEL", values.get("phones") or [], clean_phone, "phones")
    lines += _linkedin_lines(kept, values.get("linkedin_url") or "", same("linkedin_url"))
    lines += _location_lines(kept, values.get("location") or "", same("location"))
    if same("birthday"):
        lines += kept.lines("BDAY")
    elif values.get("birthday"):
        lines.append(_bday_line(values["birthday"], version))
    lines += _date_lines(kept, values.get("dates") or [], version, same("dates"))
    if same("notes"):
        lines += kept.lines("NOTE")
    elif values.get("notes"):
        lines.append(f"NOTE:{escape_text(values['notes'])}")
    if same("tags"):
        lines += kept.lines("CATEGORIES")
    elif values.get("tags"):
        lines.append("CATEGORIES:" + ",".join(escape_text(tag) for tag in values["tags"]))
    for key, suffix in OWN_PROPERTIES.items():
        lines.append(f"X-NETMAINT-{suffix}:{_own_text(key, values.get(key))}")
    if kept:
        lines += kept.others
    out = "".join(line if line.endswith(CRLF) else fold(line) for line in lines)
    return (out + "END:VCARD" + CRLF).encode("utf-8")


def _own_text(key: str, value: Any) -> str:
    if key == "archived":
        return "TRUE" if value else "FALSE"
    return escape_text("" if value is None else str(value))


def _n_value(name: str) -> str:
    """N's family;given from a whole name: the last word is taken for the family name."""
    words = name.split()
    if len(words) < 2:
        return f"{escape_text(name)};;;;"
    return f"{escape_text(words[-1])};{escape_text(' '.join(words[:-1]))};;;"


def _bday_line(birthday: str, version: str) -> str:
    if not birthday.startswith("--"):
        return f"BDAY:{birthday}"
    if version == "4.0":
        return f"BDAY:--{birthday[2:4]}{birthday[5:7]}"
    # vCard 3.0 has no birthday without a year; Apple's way is the one other apps understand.
    return f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{birthday[2:]}"


# Apple's labels for the standard kinds of date, which its apps show in the reader's language.
_APPLE_DATE_LABELS = {"anniversary": "_$!<Anniversary>!$_", "other": "_$!<Other>!$_"}


def _date_value(date: str, version: str) -> tuple[str, str]:
    """(params, value) of a date: a year-less one in 3.0 the way Apple writes it (as BDAY)."""
    if not date.startswith("--"):
        return "", date
    if version == "4.0":
        return "", f"--{date[2:4]}{date[5:7]}"
    return ";X-APPLE-OMIT-YEAR=1604", f"1604-{date[2:]}"


def _date_lines(kept, wanted: list[dict], version: str, unchanged: bool) -> list[str]:
    """The card's own date lines when the dates did not change. Else a line (and its label) per
    date: the card's own for a date it held already, new ones for the rest, in netmaint's order,
    each new group numbered past the groups the card keeps (`item3.URL`, a phone's label)."""
    if kept is None:
        if not wanted:
            return []
        kept = _OriginalCard(b"")
    if unchanged:
        return [line for _, unit in kept.dates for line in kept.text(unit)]
    spare = list(kept.dates)
    reused: list[list[int] | None] = []
    for date in wanted:
        at = next((i for i, (entry, _) in enumerate(spare) if entry == date), None)
        reused.append(spare.pop(at)[1] if at is not None else None)
    dropped = {i for _, unit in spare for i in unit}
    groups = {group for i, group in enumerate(kept.groups) if group and i not in dropped}
    # vCard 4.0 has ANNIVERSARY, once in a card.
    plain = version == "4.0" and not any(kept.names[i] == "ANNIVERSARY" for unit in reused if unit for i in unit)
    out: list[str] = []
    number = 0
    for date, unit in zip(wanted, reused):
        if unit is not None:
            out += kept.text(unit)
            continue
        params, value = _date_value(date["date"], version)
        if plain and date["label"] == "anniversary":
            out.append(f"ANNIVERSARY:{value}")
            plain = False
            continue
        number += 1
        while f"ITEM{number}" in groups:
            number += 1
        label = _APPLE_DATE_LABELS.get(date["label"]) or escape_text(date["label"])
        out += [f"item{number}.X-ABDATE{params}:{value}", f"item{number}.X-ABLabel:{label}"]
    return out


def _list_lines(kept, name: str, wanted: list[str], clean, key: str) -> list[str]:
    """An email's or phone's own line when the card had it (with its TYPE), new lines for new
    entries, none for entries netmaint no longer has."""
    same = schema.list_key(key)
    wanted_keys = {same(v): v for v in wanted}
    out: list[str] = []
    for line in kept.lines(name) if kept else []:
        parsed = split_line(line.replace(CRLF + " ", "").rstrip(CRLF))
        value = clean(unescape_text(parsed[2])) if parsed else None
        if value and same(value) in wanted_keys:
            out.append(line)
            wanted_keys.pop(same(value))
    remaining = set(wanted_keys)
    out += [f"{name}:{escape_text(v)}" for v in wanted if same(v) in remaining]
    return out


def _linkedin_lines(kept, url: str, unchanged: bool) -> list[str]:
    # Only a LinkedIn address is netmaint's; a card's other URLs are kept with the rest.
    if unchanged and kept:
        return kept.linkedin
    return [f"URL:{escape_text(url)}"] if url else []


def _location_lines(kept, location: str, unchanged: bool) -> list[str]:
    """netmaint's location is an address's locality: a changed one changes only that part of the
    card's first address, so the street and country a phone holds stay."""
    lines = kept.lines("ADR") if kept else []
    if unchanged:
        return lines
    if lines:
        parsed = split_line(lines[0].replace(CRLF + " ", "").rstrip(CRLF))
        if parsed:
            parts = _split_components(parsed[2]) + [""] * 7
            parts[3] = escape_text(location)
            head = lines[0].replace(CRLF + " ", "").rstrip(CRLF).split(":", 1)[0] if '"' not in lines[0] else "ADR"
            return [f"{head}:{';'.join(parts[:7])}"] + lines[1:]
    return [f"ADR:;;;{escape_text(location)};;;"] if location else []


def _split_components(value: str) -> list[str]:
    out, cur, i = [], [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            cur.append(value[i:i + 2])
            i += 2
            continue
        if ch == ";":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    out.append("".join(cur))
    return out


class _OriginalCard:
    """The card the folder holds: what netmaint reads from it, and its lines by property, kept as
    written (folds included) so that they go back byte for byte."""

    _WRITTEN = {"BEGIN", "END", "VERSION", "UID", "PRODID"}

    def __init__(self, data: bytes) -> None:
        text = data.decode("utf-8", errors="replace")
        self.version = "3.0"
        self.by_name: dict[str, list[str]] = {}
        self.others: list[str] = []
        self.linkedin: list[str] = []
        try:
            self.values = read_card(data).values if data else {}
        except UnreadableCard:
            self.values = {}
        owned = {p for props in _FIELD_PROPERTIES.values() for p in props}
        # Every line of the card but BEGIN and END, with its name and group (upper case, '' for none).
        self.physical: list[str] = []
        self.names: list[str] = []
        self.groups: list[str] = []
        logicals = []
        for physical in _physical_lines(text):
            logical = physical.replace(CRLF + " ", "").replace(CRLF + "\t", "").rstrip(CRLF)
            name = property_name(logical)
            if name == "VERSION":
                self.version = logical.split(":", 1)[-1].strip()
            if name == "END" or name == "BEGIN":
                continue
            self.physical.append(physical)
            self.names.append(name)
            self.groups.append(_group(logical))
            logicals.append(logical)
        self.dates = self._dates()
        dated = {i for _, unit in self.dates for i in unit}
        for i, (physical, logical, name) in enumerate(zip(self.physical, logicals, self.names)):
            if i in dated:
                continue
            self.by_name.setdefault(name, []).append(physical)
            if name in ("URL", "X-SOCIALPROFILE") and is_linkedin_url(unescape_text(logical.split(":", 1)[-1]).strip()):
                self.linkedin.append(physical)
            elif name in owned or name in self._WRITTEN or name.startswith("X-NETMAINT-"):
                continue
            elif self.version == "2.1" and "QUOTED-PRINTABLE" in logical.split(":", 1)[0].upper():
                continue  # 2.1's soft line breaks do not survive in a 3.0 card: the field is lost, not garbled
            else:
                self.others.append(physical)

    def _dates(self) -> list[tuple[dict, list[int]]]:
        """Each anniversary of the card ({"label", "date"} as read) with its lines (by number):
        the date's, and its group's X-ABLabel when the group holds nothing else. A date line
        netmaint does not read as an anniversary (a birthday labelled so, a value no calendar
        has) stays with the card's other lines."""
        members: dict[str, list[int]] = {}
        for i, group in enumerate(self.groups):
            if group:
                members.setdefault(group, []).append(i)
        out = []
        for i, name in enumerate(self.names):
            if name not in DATE_PROPERTIES:
                continue
            group = self.groups[i]
            labels = [j for j in members.get(group, []) if self.names[j] == "X-ABLABEL"]
            head = f"BEGIN:VCARD{CRLF}VERSION:{self.version}{CRLF}FN:-{CRLF}"
            found = parse_vcard((head + "".join(self.physical[j] for j in [i, *labels])
                                 + f"END:VCARD{CRLF}").encode()).records
            if not found or len(found[0].dates) != 1:
                continue
            alone = group and len(members[group]) == len(labels) + 1
            out.append((found[0].dates[0], [i, *labels] if alone else [i]))
        return out

    def text(self, unit: list[int]) -> list[str]:
        return [self.physical[i] for i in unit]

    def lines(self, *names: str) -> list[str]:
        return [line for name in names for line in self.by_name.get(name, [])]

    def first(self, name: str) -> str:
        found = self.by_name.get(name)
        return found[0].replace(CRLF + " ", "").replace(CRLF + "\t", "").rstrip(CRLF) if found else ""


_GROUP = re.compile(r"\s*([A-Za-z0-9-]+)\.[A-Za-z0-9-]+\s*[;:]")


def _group(line: str) -> str:
    """The group of a logical line (`item1` of `item1.X-ABLabel:…`) in upper case, or ''."""
    found = _GROUP.match(line)
    return found.group(1).upper() if found else ""


def _physical_lines(text: str) -> list[str]:
    """The card's logical lines, each with its folds, ending in CRLF."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    soft = False  # the line before ended in a quoted-printable soft line break (vCard 2.1)
    for line in text.split("\n"):
        if (soft or line[:1] in (" ", "\t")) and out:
            out[-1] += CRLF + line
        elif line.strip():
            out.append(line)
        else:
            soft = False
            continue
        head = out[-1].split(":", 1)[0].upper() if ":" in out[-1] else ""
        soft = "QUOTED-PRINTABLE" in head and line.endswith("=")
    return [line + CRLF for line in out]
