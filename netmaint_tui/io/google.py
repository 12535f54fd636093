"""Google Contacts CSV export, current and legacy ("Google CSV") headers.

Current: `First Name,Middle Name,Last Name,...,Labels,E-mail 1 - Label,E-mail 1 - Value,...`.
Legacy: `Name,Given Name,Additional Name,Family Name,...,Group Membership,E-mail 1 - Type,...`.
Numbered groups (E-mail 1..N, Phone 1..N, Website 1..N, Address 1..N, Organization 1..N,
Event 1..N) come in whatever width the account needed, so columns are found by name. A cell may
hold several values separated by ` ::: `. An event is a date with its type ("Anniversary", "Other",
or the user's own words, "work anniversary"): the contact's anniversaries.
"""

from __future__ import annotations

import re
from typing import BinaryIO

from netmaint_tui.rules.links import is_linkedin_url, normalize_linkedin_url
from netmaint_tui.rules.schema import merge_dates

from .records import (
    ImportRecord,
    ParseResult,
    Progress,
    clean_email,
    clean_phone,
    collapse,
    date_entry,
    date_label,
    dedupe,
    has_header,
    identity_key,
    normalize_birthday,
    CsvExport,
    parse_csv_export,
    snippet,
)

_GROUP = re.compile(r"(e-mail|email|phone|website|address|organization|event) (\d+) - (.+)")
_NAME_COLUMNS = {"first name", "last name", "name", "given name", "family name"}
# Columns only Google writes. "First Name,Last Name" alone is also how LinkedIn's export begins:
# a header must have one of these (or a numbered group) to be taken for Google's.
_GOOGLE_ONLY = {
    "middle name", "given name", "additional name", "family name", "name prefix", "name suffix",
    "nickname", "file as", "labels", "group membership", "organization name", "organization title",
}
# Notes can be long, but a stray quote must not swallow more than this many lines.
_MAX_ROW_LINES = 1000


class _Columns:
    def __init__(self, names: list[str]) -> None:
        self.single: dict[str, int] = {}
        # kind -> number -> part ('value', 'label', 'type', 'city', 'name', 'title', ...) -> index
        self.groups: dict[str, dict[int, dict[str, int]]] = {}
        for index, raw in enumerate(names):
            name = collapse(raw.lstrip("\ufeff")).lower()
            m = _GROUP.fullmatch(name)
            if m:
                kind = "e-mail" if m.group(1) == "email" else m.group(1)
                slot = self.groups.setdefault(kind, {}).setdefault(int(m.group(2)), {})
                slot.setdefault(m.group(3), index)
            else:
                self.single.setdefault(name, index)

    def is_header(self) -> bool:
        named = bool(_NAME_COLUMNS & self.single.keys()) or "e-mail" in self.groups
        return named and (bool(_GOOGLE_ONLY & self.single.keys()) or bool(self.groups))

    def slots(self, kind: str) -> list[dict[str, int]]:
        numbered = self.groups.get(kind, {})
        return [numbered[k] for k in sorted(numbered)]


def _values(cell: str) -> list[str]:
    return [v.strip() for v in cell.split(":::")] if cell else []


def _google_header(fields: list[str]) -> _Columns | None:
    found = _Columns(fields)
    return found if found.is_header() else None


def is_google_header(fields: list[str]) -> bool:
    """The one test of a Google Contacts header line."""
    return _google_header(fields) is not None


def is_google_export(data: bytes) -> bool:
    """The registry's recognizer (io.formats)."""
    return has_header(data, is_google_header)


_NO_HEADER = "no Google Contacts header found (expected 'First Name,...' or 'Name,Given Name,...')"


def parse_google(data: bytes, progress: Progress | None = None) -> ParseResult:
    return parse_csv_export(data, progress, _google_header, _record, _MAX_ROW_LINES, _NO_HEADER)


def stream_google(handle: BinaryIO, progress: Progress | None = None) -> CsvExport:
    """The same records read from an open file as they are needed (records.CsvExport)."""
    return CsvExport(handle, progress, _google_header, _record, _MAX_ROW_LINES, _NO_HEADER)


def _record(fields: list[str], cols: _Columns, line: int, result: ParseResult) -> ImportRecord | None:
    def get(name: str) -> str:
        index = cols.single.get(name)
        return fields[index].strip() if index is not None else ""

    def part(slot: dict[str, int], name: str) -> str:
        index = slot.get(name)
        return fields[index].strip() if index is not None else ""

    if not any(fields):
        result.skip("empty row")
        return None

    emails: list[str] = []
    for slot in cols.slots("e-mail"):
        for value in _values(part(slot, "value")):
            if not value:
                continue
            email = clean_email(value)
            if email:
                emails.append(email)
            else:
                result.add_issue(line, f"email {snippet(value)} is not an address; ignored")
    emails = dedupe(emails)

    phones = dedupe(
        [p for slot in cols.slots("phone") for p in map(clean_phone, _values(part(slot, "value"))) if p],
        key=str,
    )

    company = collapse(get("organization name"))
    title = collapse(get("organization title"))
    for slot in cols.slots("organization"):
        company = company or collapse(part(slot, "name"))
        title = title or collapse(part(slot, "title"))

    location = ""
    for slot in cols.slots("address"):
        location = location or next((c for c in map(collapse, _values(part(slot, "city"))) if c), "")
    location = location or collapse(get("location"))

    linkedin_url = ""
    for slot in cols.slots("website"):
        labels = _values(part(slot, "label") or part(slot, "type"))
        for i, url in enumerate(_values(part(slot, "value"))):
            label = labels[i] if i < len(labels) else ""
            if url and not linkedin_url:
                if is_linkedin_url(url):
                    linkedin_url = normalize_linkedin_url(url)
                elif "linkedin" in label.lower():
                    linkedin_url = url

    tags = dedupe(
        [
            collapse(t)
            for t in _values(get("labels") or get("group membership"))
            if t and not t.startswith("* ") and not t.lower().startswith("system group:")
        ]
    )

    birthday = None
    raw_birthday = get("birthday")
    if raw_birthday:
        birthday = normalize_birthday(raw_birthday)
        if birthday is None:
            result.add_issue(line, f"birthday {snippet(raw_birthday)} not understood; imported without it")

    dates: list[dict] = []
    for slot in cols.slots("event"):
        labels = _values(part(slot, "type") or part(slot, "label"))
        for i, value in enumerate(_values(part(slot, "value"))):
            if not value:
                continue
            label = (labels[i] if i < len(labels) else "").removeprefix("* ") or "anniversary"
            if date_label(label).casefold() == "birthday":
                birthday = birthday or normalize_birthday(value)
                continue
            entry, problem = date_entry(label, value)
            if entry is None:
                result.add_issue(line, problem)
            else:
                dates = merge_dates(dates, [entry])

    notes = "\n".join(part.rstrip() for part in get("notes").split("\n")).strip()

    name = collapse(get("name"))
    if not name:
        name = collapse(" ".join([get("first name"), get("middle name"), get("last name")]))
    if not name:
        name = collapse(" ".join([get("given name"), get("additional name"), get("family name")]))
    name = (
        name
        or collapse(get("nickname"))
        or collapse(get("file as"))
        or (emails[0] if emails else "")
        or company
        or (phones[0] if phones else "")
    )
    if not name:
        result.add_issue(line, "contact has no name, email, phone or organization; skipped")
        return None

    return ImportRecord(
        name=name,
        company=company,
        role=title,
        emails=emails,
        phones=phones,
        linkedin_url=linkedin_url,
        location=location,
        birthday=birthday,
        dates=dates,
        notes=notes,
        tags=tags,
        source="google",
        source_id=emails[0].lower() if emails else identity_key(name),
        line=line,
    )
