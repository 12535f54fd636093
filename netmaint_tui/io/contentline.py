"""Content lines, the syntax vCard (RFC 6350, 2426) and iCalendar (RFC 5545) share: escaping a
text value, quoting a parameter, folding at 75 octets, and reading lines back.

Written here rather than through a library for speed: a first sync writes one file for each of
300,000 touches, and a library's object model costs a hundred times what a few string operations
do. The readers that must take anything a phone writes (io.vcard, icalendar for tasks) stay the
tolerant ones; this one reads what netmaint and careful writers produce, and says when it cannot.
"""

from __future__ import annotations

import re

CRLF = "\r\n"
_FOLD_AT = 75  # octets, not counting the line break


_SPECIAL = re.compile(r"[\\;,\r\n]")


def escape_text(text: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as \\n."""
    if not _SPECIAL.search(text):
        return text  # most values: a channel, a UID, a name
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


_UNESCAPE = re.compile(r"\\(.)", re.S)
_UNESCAPES = {"n": "\n", "N": "\n"}


def unescape_text(text: str) -> str:
    if "\\" not in text:
        return text
    return _UNESCAPE.sub(lambda m: _UNESCAPES.get(m.group(1), m.group(1)), text)


_PARAM_UNSAFE = re.compile(r'[\x00-\x08\x0a-\x1f\x7f"]')


def param_value(text: str) -> str:
    """A parameter's value, quoted when it holds a colon, semicolon or comma; double quotes and
    control characters, which no parameter can hold, are left out."""
    text = _PARAM_UNSAFE.sub("", text)
    return f'"{text}"' if any(ch in text for ch in ":;,") else text


def fold(line: str) -> str:
    """One content line as lines of at most 75 octets, never splitting a UTF-8 character."""
    if len(line) <= _FOLD_AT // 4 or (len(line) <= _FOLD_AT and line.isascii()):
        return line + CRLF  # short enough whatever it holds: no need to count its octets
    data = line.encode("utf-8")
    if len(data) <= _FOLD_AT:
        return line + CRLF
    parts = []
    start, limit = 0, _FOLD_AT
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # inside a character: cut before it
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, _FOLD_AT - 1  # a continuation's leading space counts
    return (CRLF + " ").join(parts) + CRLF


def unfold(text: str) -> list[str]:
    """The logical lines of a text (folds joined), empty ones left out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"\n[ \t]", "", text)
    return [line for line in text.split("\n") if line.strip()]


_NAME = re.compile(r"(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)")


def split_line(line: str) -> tuple[str, dict[str, str], str] | None:
    """(NAME, {PARAM: value}, raw value) of a logical line, or None when it is not a content
    line. A group prefix (`item1.`) is dropped from the name; quoted parameters may hold colons."""
    quoted = False
    for at, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            head, value = line[:at], line[at + 1:]
            break
    else:
        return None
    pieces = split_outside_quotes(head, ";")
    found = _NAME.fullmatch(pieces[0].strip())
    if found is None:
        return None
    params: dict[str, str] = {}
    for piece in pieces[1:]:
        key, _, raw = piece.partition("=")
        params[key.strip().upper()] = raw.strip().strip('"')
    return found.group(1).upper(), params, value


def split_outside_quotes(text: str, sep: str) -> list[str]:
    """Split on `sep` where it is not inside a double-quoted parameter value."""
    if '"' not in text:
        return text.split(sep)
    out: list[str] = []
    cur: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
            cur.append(ch)
        elif ch == sep and not quoted:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def property_name(line: str) -> str:
    """The NAME of a logical line without its group, upper case ('' when it has none)."""
    head = re.match(r"[^:;]*", line).group(0)
    found = _NAME.fullmatch(head.strip())
    return found.group(1).upper() if found else ""
