"""LinkedIn's Connections.csv, in every shape LinkedIn has shipped it.

2022 onwards: a few `Notes:` lines, a blank line, then
`First Name,Last Name,URL,Email Address,Company,Position,Connected On` with dates like `09 Oct 2024`.
2021: no preamble and no URL column. 2018: no URL column and dates like `"1/8/18, 6:14 PM"`.
The header is found by what it says, not where it is, and columns are taken by name.
"""

from __future__ import annotations

import re
from datetime import date
from typing import BinaryIO

from netmaint_tui.rules.links import is_linkedin_url, normalize_linkedin_url

from .google import is_google_header
from .records import (
    ImportRecord,
    ParseResult,
    Progress,
    clean_email,
    collapse,
    has_header,
    identity_key,
    CsvExport,
    parse_csv_export,
    snippet,
)

_COLUMNS = {
    "first name": "first",
    "last name": "last",
    "url": "url",
    "profile url": "url",
    "email address": "email",
    "e-mail address": "email",
    "email": "email",
    "company": "company",
    "position": "position",
    "connected on": "connected",
}

# English month names are fixed here on purpose: the export is English whatever the user's locale.
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[\s\-/.]+([A-Za-z]+)\.?,?[\s\-/.]+(\d{2}|\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})")
_NUMERIC = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp][Mm])?)?")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?")

# A preamble or stray quote should never pull more than this many lines into one row.
_MAX_ROW_LINES = 100


def parse_connected_on(text: str) -> str | None:
    """ISO date for the 'Connected On' styles LinkedIn has used, or None."""
    value = collapse(text)
    year = month = day = None
    if m := _DAY_MONTH_YEAR.fullmatch(value):
        day, month, year = int(m.group(1)), _MONTHS.get(m.group(2).lower()), m.group(3)
    elif m := _MONTH_DAY_YEAR.fullmatch(value):
        month, day, year = _MONTHS.get(m.group(1).lower()), int(m.group(2)), m.group(3)
    elif m := _NUMERIC.fullmatch(value):
        # US month-first, unless the first number cannot be a month.
        first, second, year = int(m.group(1)), int(m.group(2)), m.group(3)
        month, day = (second, first) if first > 12 >= second else (first, second)
    elif m := _ISO.fullmatch(value):
        year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
    if month is None or year is None:
        return None
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    try:
        return date(full_year, month, day).isoformat()
    except ValueError:
        return None


def _names(fields: list[str]) -> list[str]:
    return [collapse(f.lstrip("\ufeff")).lower() for f in fields]


def is_linkedin_header(fields: list[str]) -> bool:
    """The one test of a LinkedIn header line: every era has "Connected On"."""
    names = _names(fields)
    return {"first name", "last name", "connected on"} <= set(names) and not is_google_header(fields)


def is_linkedin_export(data: bytes) -> bool:
    """The registry's recognizer (io.formats)."""
    return has_header(data, is_linkedin_header)


def _header_columns(fields: list[str]) -> dict[str, int] | None:
    names = _names(fields)
    # "First Name,Last Name" also begins Google's header: that file is not LinkedIn's to read.
    if "first name" not in names or "last name" not in names or is_google_header(fields):
        return None
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        key = _COLUMNS.get(name)
        if key and key not in columns:
            columns[key] = index
    return columns


_NO_HEADER = "no LinkedIn header line found (expected 'First Name,Last Name,...,Connected On')"


def parse_linkedin(data: bytes, progress: Progress | None = None) -> ParseResult:
    return parse_csv_export(data, progress, _header_columns, _record, _MAX_ROW_LINES, _NO_HEADER)


def stream_linkedin(handle: BinaryIO, progress: Progress | None = None) -> CsvExport:
    """The same records read from an open file as they are needed (records.CsvExport)."""
    return CsvExport(handle, progress, _header_columns, _record, _MAX_ROW_LINES, _NO_HEADER)


def _record(fields: list[str], columns: dict[str, int], line: int, result: ParseResult):
    def get(key: str) -> str:
        index = columns.get(key)
        return fields[index].strip() if index is not None else ""

    if not any(fields):
        result.skip("empty row")
        return None
    first, last = get("first"), get("last")
    name = collapse(f"{first} {last}")
    if not name:
        # LinkedIn keeps a dated row for members who left, with every other cell blank.
        result.skip("removed member")
        return None
    company, position = collapse(get("company")), collapse(get("position"))

    url = get("url")
    linkedin_url = ""
    if url:
        if is_linkedin_url(url):
            linkedin_url = normalize_linkedin_url(url)
        else:
            result.add_issue(line, f"URL {snippet(url)} is not a LinkedIn profile; ignored")

    emails: list[str] = []
    raw_email = get("email")
    if raw_email:
        email = clean_email(raw_email)
        if email:
            emails.append(email)
        else:
            result.add_issue(line, f"email {snippet(raw_email)} is not an address; ignored")

    connected_on = None
    raw_date = get("connected")
    if raw_date:
        connected_on = parse_connected_on(raw_date)
        if connected_on is None:
            result.add_issue(line, f"date {snippet(raw_date)} not understood; imported without it")

    if linkedin_url:
        source_id = linkedin_url
    elif emails:
        source_id = emails[0].lower()
    else:
        source_id = identity_key(name, company)
    return ImportRecord(
        name=name,
        company=company,
        role=position,
        emails=emails,
        linkedin_url=linkedin_url,
        source="linkedin",
        source_id=source_id,
        connected_on=connected_on,
        line=line,
    )
