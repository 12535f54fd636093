"""A small, tolerant vCard reader (2.1, 3.0 and 4.0) for address-book exports.

Real exports bend the standards: 2.1 quoted-printable values whose soft line breaks are not
indented (and may split a UTF-8 character), CHARSET params where 3.0 forbids them, `\\r\\r\\n` line
ends, unescaped colons in 4.0 params, base64 photos of many megabytes. The reader works on bytes
so each value is decoded with its own charset, and it steps over photos and other blobs with
regular expressions, never building strings out of them, so a 20 MB photo costs one scan.
"""

from __future__ import annotations

import binascii
import re

from netmaint_tui.rules.links import is_linkedin_url, normalize_linkedin_url
from netmaint_tui.rules.schema import merge_dates

from .contentline import split_outside_quotes as _split_outside_quotes
from .records import (
    ImportRecord,
    ParseResult,
    Progress,
    ProgressTicker,
    clean_email,
    clean_phone,
    collapse,
    date_entry,
    date_label,
    dedupe,
    first_line,
    identity_key,
    normalize_birthday,
    snippet,
    to_utf8,
)

# Name and params up to the first colon that is not inside a quoted param value.
_HEAD = re.compile(rb'[^:"\n]*(?:"[^"\n]*"[^:"\n]*)*:')
_NAME = re.compile(r"(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)")
# Folded continuation lines start with a space or a tab.
_FOLDS = re.compile(rb"(?:[ \t][^\n]*(?:\n|\Z))*")
# After a blob, 2.1 writers also leave unindented base64 lines and end with a blank line.
_BLOB_TAIL = re.compile(rb"(?:[ \t][^\n]*(?:\n|\Z)|[A-Za-z0-9+/=]*\r*\n|[A-Za-z0-9+/=]+\r*\Z)*")
_CARD_EDGE = re.compile(rb"\s*(?:BEGIN|END)\s*:\s*VCARD\s*", re.IGNORECASE)
_VCARD_START = re.compile(r"\s*begin\s*:\s*vcard\s*$", re.IGNORECASE | re.MULTILINE)  # is_vcard

_BLOBS = {"PHOTO", "LOGO", "SOUND", "KEY"}
_WANTED = {
    "FN", "N", "ORG", "TITLE", "ROLE", "EMAIL", "TEL", "NOTE", "BDAY", "URL", "ADR",
    "CATEGORIES", "UID", "X-ABLABEL", "X-SOCIALPROFILE", "VERSION", "BEGIN", "END",
    "ANNIVERSARY", "X-ABDATE", "X-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY", "X-MS-ANNIVERSARY",
}
_OWN = "X-NETMAINT-"  # netmaint's own fields in a synced card (io.vcard_sync)
# Dates worth a touch besides the birthday: 4.0's ANNIVERSARY, what Evolution, KAddressBook and
# Outlook write for it before 4.0, and Apple's labelled dates (`item1.X-ABDATE`, `item1.X-ABLabel`).
DATE_PROPERTIES = {"ANNIVERSARY", "X-ABDATE", "X-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY", "X-MS-ANNIVERSARY"}
_BARE_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
# A property's name and params are short; anything longer is not a vCard line.
_MAX_HEAD = 1 << 16

_ESCAPE = re.compile(r"\\(.)", re.S)
_ESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", ":": ":", "\\": "\\", '"': '"'}
_CARET = re.compile(r"\^(.)", re.S)
_CARETS = {"n": "\n", "N": "\n", "'": '"', "^": "^"}


def unescape(text: str) -> str:
    """`\\n` `\\N` `\\,` `\\;` `\\:` `\\\\` `\\"` as text; other backslashes stay as written."""
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def _uncaret(text: str) -> str:
    """RFC 6868 escapes in param values (`^n`, `^'`, `^^`)."""
    if "^" not in text:
        return text
    return _CARET.sub(lambda m: _CARETS.get(m.group(1), m.group(0)), text)


def split_unescaped(text: str, sep: str) -> list[str]:
    """Split on `sep` where it is not backslash-escaped (the escapes are kept for `unescape`)."""
    if "\\" not in text:
        return text.split(sep)
    parts: list[list[str]] = [[]]
    for token in re.split(r"(\\.|" + re.escape(sep) + ")", text, flags=re.S):
        if token == sep:
            parts.append([])
        else:
            parts[-1].append(token)
    return ["".join(p) for p in parts]


def _parse_params(items: list[str]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for item in items:
        item = item.strip()
        if not item:
            continue
        if "=" in item:
            key, raw = item.split("=", 1)
            key = key.strip().upper()
            values = [_uncaret(v.strip().strip('"')) for v in _split_outside_quotes(raw, ",")]
            if key == "TYPE":
                values = [t.strip() for v in values for t in v.split(",")]
        else:
            # vCard 2.1 writes bare values: `TEL;WORK;VOICE`, `PHOTO;BASE64`.
            key = "ENCODING" if item.upper() in _BARE_ENCODINGS else "TYPE"
            values = [item]
        params.setdefault(key, []).extend(values)
    return params


def _decode(raw: bytes, charset: str | None) -> str:
    """The declared charset if it works, else UTF-8, else Windows-1252 (which never fails)."""
    if raw.isascii():
        return raw.decode("ascii")
    if charset:
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeError, ValueError, TypeError):
            pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


class _Card:
    __slots__ = ("line", "version", "props", "last_name")

    def __init__(self, line: int) -> None:
        self.line = line
        self.version = "3.0"
        # (line, group, NAME, params, text)
        self.props: list[tuple[int, str, str, dict[str, list[str]], str]] = []
        self.last_name = ""


def is_vcard(data: bytes) -> bool:
    """The registry's recognizer (io.formats): the file's first line begins a vCard."""
    return bool(_VCARD_START.match(first_line(data)))


def parse_vcard(data: bytes, progress: Progress | None = None) -> ParseResult:
    result = ParseResult([], [])
    tick = ProgressTicker(progress, len(data))
    buf = to_utf8(data)
    scale = len(data) / len(buf) if buf else 1.0
    if b"\n" not in buf and b"\r" in buf:
        buf = buf.replace(b"\r", b"\n")  # classic Mac OS line ends

    n = len(buf)
    pos = 0
    lineno = 1
    card: _Card | None = None
    nested = 0  # depth inside a vCard embedded by 2.1's AGENT property
    seen_begin = False
    stray: list[int] = []  # first line of each run of text outside any card
    in_stray_run = False

    while pos < n:
        tick(int(pos * scale))
        eol = buf.find(b"\n", pos)
        if eol < 0:
            eol = n
        nxt = min(eol + 1, n)

        if buf[pos:pos + 1] in (b" ", b"\t"):
            # A continuation whose property was already dropped; nothing to read.
            end = _FOLDS.match(buf, pos).end()
            lineno += buf.count(b"\n", pos, end)
            pos = max(end, nxt)
            continue

        head_end = min(eol, pos + _MAX_HEAD)
        colon = buf.find(b":", pos, head_end)
        if colon >= 0 and buf.find(b'"', pos, colon) >= 0:
            # A quoted param value may hold colons (4.0 LABEL="...:...").
            head_match = _HEAD.match(buf, pos, head_end)
            if head_match:
                colon = head_match.end() - 1
        parsed = None
        if colon >= 0:
            parsed = _parse_head(buf[pos:colon].decode("utf-8", errors="replace"))

        if parsed is None:
            end = _FOLDS.match(buf, nxt).end()
            if _has_text(buf, pos, eol):
                if card is not None and not nested:
                    result.add_issue(lineno, "not a vCard property (no 'NAME:' before the value); line ignored")
                elif card is None and not in_stray_run:
                    stray.append(lineno)
                    in_stray_run = True
            lineno += buf.count(b"\n", pos, end)
            pos = end if end > pos else n
            continue

        group, name, params = parsed
        encoding = (params.get("ENCODING") or [""])[-1].upper()
        version = card.version if card is not None else "3.0"
        raw_value: bytes | None = None
        if name in _BLOBS or encoding in ("B", "BASE64"):
            end = _BLOB_TAIL.match(buf, nxt).end()
        elif encoding in ("QUOTED-PRINTABLE", "QP"):
            raw_value, end = _qp_value(buf, colon + 1, eol, nxt, version)
            raw_value = binascii.a2b_qp(raw_value)
        else:
            end = _FOLDS.match(buf, nxt).end()
            if name in _WANTED or name.startswith(_OWN):
                raw_value = _unfold(buf[colon + 1:end], version)
        if end <= pos:
            end = n
        first_line = lineno
        lineno += buf.count(b"\n", pos, end)
        pos = end

        text = ""
        if raw_value is not None:
            charset = (params.get("CHARSET") or [None])[-1]
            text = _decode(raw_value, charset)

        if name == "BEGIN" and text.strip().upper() == "VCARD":
            seen_begin = True
            in_stray_run = False
            if card is not None:
                if nested or card.last_name == "AGENT":
                    nested += 1
                    continue
                result.add_issue(
                    card.line,
                    f"vCard starting here has no END:VCARD (a new one begins at line {first_line}); skipped",
                )
            card = _Card(first_line)
            continue
        if name == "END" and text.strip().upper() == "VCARD":
            if nested:
                nested -= 1
            elif card is None:
                result.add_issue(first_line, "END:VCARD without a BEGIN:VCARD; ignored")
            else:
                _finish(card, result)
                card = None
            continue
        if card is None:
            if not in_stray_run:
                stray.append(first_line)
                in_stray_run = True
            continue
        if nested:
            continue
        card.last_name = name
        if name == "VERSION":
            card.version = text.strip()
        elif raw_value is not None:
            card.props.append((first_line, group, name, params, text))

    if card is not None:
        result.add_issue(card.line, "vCard starting here has no END:VCARD before the end of the file; skipped")
    if not seen_begin:
        if _has_text(buf, 0, n):
            result.not_this_format("no BEGIN:VCARD found; this does not look like a vCard file")
    else:
        for line in stray:
            result.add_issue(line, "text outside any vCard; ignored")
    result.issues.sort(key=lambda issue: issue.line)
    tick.finish()
    return result


_NON_SPACE = re.compile(rb"\S")


def _has_text(buf: bytes, start: int, end: int) -> bool:
    return _NON_SPACE.search(buf, start, end) is not None


def _parse_head(head: str):
    parts = _split_outside_quotes(head, ";")
    m = _NAME.fullmatch(parts[0].strip())
    if m is None:
        return None
    return (m.group(1) or "").upper(), m.group(2).upper(), _parse_params(parts[1:])


def _unfold(region: bytes, version: str) -> bytes:
    lines = region.split(b"\n")
    if len(lines) > 1 and lines[-1] == b"":
        lines.pop()
    out = [lines[0].rstrip(b"\r")]
    # 3.0 and 4.0 drop the fold's space; 2.1 keeps it as part of the value.
    cut = 0 if version == "2.1" else 1
    out.extend(line.rstrip(b"\r")[cut:] for line in lines[1:])
    return b"".join(out)


def _qp_value(buf: bytes, start: int, eol: int, nxt: int, version: str) -> tuple[bytes, int]:
    """Quoted-printable value and where it ends: `=` at a line end joins the next line as is."""
    parts = [buf[start:eol].rstrip(b"\r")]
    n = len(buf)
    p = nxt if eol < n else n
    while p < n:
        e = buf.find(b"\n", p)
        if e < 0:
            e = n
        line = buf[p:e].rstrip(b"\r")
        if parts[-1].endswith(b"="):
            if _CARD_EDGE.fullmatch(line):
                break
            parts[-1] = parts[-1][:-1]
            parts.append(line)
        elif line[:1] in (b" ", b"\t"):
            parts.append(line if version == "2.1" else line[1:])
        else:
            break
        p = e + 1
    return b"".join(parts), min(p, n)


def _finish(card: _Card, result: ParseResult) -> None:
    labels = {group: unescape(text).strip() for _, group, name, _, text in card.props
              if name == "X-ABLABEL" and group}
    fn = n_name = company = title = role = uid = location = linkedin = ""
    birthday: str | None = None
    dates: list[dict] = []
    emails: list[str] = []
    phones: list[str] = []
    notes: list[str] = []
    tags: list[str] = []
    own: dict[str, str] = {}

    for line, group, name, params, text in card.props:
        if name == "FN":
            fn = fn or collapse(unescape(text))
        elif name == "N":
            if not n_name:
                parts = [unescape(p) for p in split_unescaped(text, ";")] + ["", "", ""]
                family, given, additional = parts[0], parts[1], parts[2]
                n_name = collapse(" ".join([given, additional, family]).replace(",", " "))
        elif name == "ORG":
            if not company:
                company = next(
                    (c for c in (collapse(unescape(p)) for p in split_unescaped(text, ";")) if c), ""
                )
        elif name == "TITLE":
            title = title or collapse(unescape(text))
        elif name == "ROLE":
            role = role or collapse(unescape(text))
        elif name == "EMAIL":
            value = unescape(text).strip()
            if value:
                email = clean_email(value)
                if email:
                    emails.append(email)
                else:
                    result.add_issue(line, f"EMAIL {snippet(value)} is not an address; ignored")
        elif name == "TEL":
            phone = clean_phone(unescape(text))
            if phone:
                phones.append(phone)
        elif name == "NOTE":
            note = unescape(text).replace("\r\n", "\n").replace("\r", "\n")
            note = "\n".join(part.rstrip() for part in note.split("\n")).strip()
            if note:
                notes.append(note)
        elif name == "BDAY":
            if birthday is None:
                birthday = _birthday(line, params, unescape(text), result)
        elif name in DATE_PROPERTIES:
            label = (labels.get(group) if name == "X-ABDATE" else "") or "anniversary"
            if date_label(label).casefold() == "birthday":
                birthday = birthday or _birthday(line, params, unescape(text), result)
            else:
                _date(line, label, params, unescape(text), dates, result)
        elif name in ("URL", "X-SOCIALPROFILE"):
            if not linkedin:
                linkedin = _linkedin(unescape(text).strip(), labels.get(group, ""), params)
        elif name == "ADR":
            if not location:
                parts = split_unescaped(text, ";")
                if len(parts) > 3:
                    location = collapse(unescape(parts[3]))
        elif name == "CATEGORIES":
            # Some writers escape the commas between categories; a tag never holds a comma.
            tags.extend(t for t in (collapse(t) for t in unescape(text).split(",")) if t)
        elif name == "UID":
            uid = uid or collapse(unescape(text))
        elif name.startswith(_OWN):
            own.setdefault(name[len(_OWN):], unescape(text).strip())

    emails = dedupe(emails)
    name = fn or n_name or (emails[0] if emails else "") or company
    if not name:
        result.add_issue(card.line, "vCard has no name, email or organization; skipped")
        return
    if uid:
        source_id = uid
    elif emails:
        source_id = emails[0].lower()
    else:
        source_id = identity_key(name, company)
    result.records.append(
        ImportRecord(
            name=name,
            company=company,
            role=title or role,
            emails=emails,
            phones=dedupe(phones, key=str),
            linkedin_url=linkedin,
            location=location,
            birthday=birthday,
            dates=dates,
            notes="\n".join(notes),
            tags=dedupe(tags),
            source="vcard",
            source_id=source_id,
            line=card.line,
            uid=uid,
            own=own,
        )
    )


def _birthday(line: int, params: dict[str, list[str]], value: str, result: ParseResult) -> str | None:
    value = value.strip()
    if not value:
        return None
    # Apple stores a year-less birthday as year 1604 and says so in this param.
    omit = any(value.startswith(year.strip()) for year in params.get("X-APPLE-OMIT-YEAR", []) if year.strip())
    birthday = normalize_birthday(value, omit_year=omit)
    if birthday is None:
        result.add_issue(line, f"birthday {snippet(value)} not understood; ignored")
    return birthday


def _date(line: int, label: str, params: dict[str, list[str]], value: str, dates: list[dict],
          result: ParseResult) -> None:
    value = value.strip()
    if not value:
        return
    omit = any(value.startswith(year.strip()) for year in params.get("X-APPLE-OMIT-YEAR", []) if year.strip())
    entry, problem = date_entry(label, value, omit_year=omit)
    if entry is None:
        result.add_issue(line, problem)
    else:
        dates[:] = merge_dates(dates, [entry])


def _linkedin(value: str, label: str, params: dict[str, list[str]]) -> str:
    if not value:
        return ""
    if is_linkedin_url(value):
        return normalize_linkedin_url(value)
    said = [label] + params.get("TYPE", [])
    if any("linkedin" in word.lower() for word in said):
        return value
    return ""
