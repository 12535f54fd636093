"""Which kind of export a file is, from its first bytes: one recognizer per format.

Each recognizer says yes only to what is clearly its own format: a vCard file begins with
BEGIN:VCARD, a netmaint export says `format: netmaint`, and the CSV exports are known by their
header line (LinkedIn's has "Connected On", Google's has columns only Google writes). An import
asks them before anything is read into the database, so a file given as the wrong kind is
refused with the name of the right one instead of being imported as something it is not.
"""

from __future__ import annotations

import re
from typing import Callable

from .json_io import DocumentError
from .records import HEADER_SEARCH_ROWS, decode_lines, iter_csv_rows, split_lines, to_utf8

# Every recognizer reads no further than this: the header of a CSV export is within its first
# lines, and the other formats say what they are in their first one.
HEAD_BYTES = 1 << 16

LABELS = {
    "linkedin": "LinkedIn export",
    "vcard": "vCard file",
    "google": "Google Contacts export",
    "json": "netmaint export",
}

_VCARD = re.compile(r"\s*begin\s*:\s*vcard\s*$", re.IGNORECASE | re.MULTILINE)
_JSON_NETMAINT = re.compile(r'"format"\s*:\s*"netmaint"')
_YAML_START = re.compile(r"(?:---|%YAML|#|[A-Za-z_][\w-]*\s*:)")
_YAML_NETMAINT = re.compile(r"""^format\s*:\s*(["']?)netmaint\1\s*$""", re.MULTILINE)


class WrongFormat(DocumentError):
    """The file is clearly of another format than the one it was given as; `found` names it."""

    def __init__(self, given: str, found: str):
        super().__init__(0, f"it looks like a {LABELS[found]}, not a {LABELS[given]}")
        self.given = given
        self.found = found


def _head_lines(data: bytes) -> list[str]:
    texts, _ = decode_lines(split_lines(to_utf8(data[:HEAD_BYTES])))
    return texts


def _first_line(data: bytes) -> str:
    return next((line for line in _head_lines(data) if line.strip()), "")


def is_vcard(data: bytes) -> bool:
    return bool(_VCARD.match(_first_line(data)))


def is_netmaint_export(data: bytes) -> bool:
    text = "\n".join(_head_lines(data)).lstrip()
    if text.startswith("{"):
        return bool(_JSON_NETMAINT.search(text))
    # YAML: a mapping from its first line (a CSV's cells in a quoted note do not count).
    return bool(_YAML_START.match(text)) and bool(_YAML_NETMAINT.search(text))


def _has_header(data: bytes, is_header: Callable[[list[str]], bool]) -> bool:
    texts = _head_lines(data)
    for searched, row in enumerate(iter_csv_rows(texts, set(), lambda: None, HEADER_SEARCH_ROWS)):
        if searched >= HEADER_SEARCH_ROWS:
            return False
        if row.fields is not None and is_header(row.fields):
            return True
    return False


def is_google_export(data: bytes) -> bool:
    from .google import is_google_header

    return _has_header(data, is_google_header)


def is_linkedin_export(data: bytes) -> bool:
    from .linkedin import is_linkedin_header

    return _has_header(data, is_linkedin_header)


# In this order: the first two are decided by the first line alone.
RECOGNIZERS: dict[str, Callable[[bytes], bool]] = {
    "vcard": is_vcard,
    "json": is_netmaint_export,
    "google": is_google_export,
    "linkedin": is_linkedin_export,
}


def identify(data: bytes) -> str | None:
    """The format the file clearly is, or None when it does not say (then its parser decides)."""
    return next((fmt for fmt, recognizes in RECOGNIZERS.items() if recognizes(data)), None)


def check_format(given: str, data: bytes) -> None:
    """Raise WrongFormat if the file is clearly another format than `given`."""
    found = identify(data)
    if found is not None and found != given:
        raise WrongFormat(given, found)
