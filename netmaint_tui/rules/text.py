"""User text is data: make it safe to put on a terminal without changing what is stored.

Control characters (C0, DEL, C1) and bidirectional overrides would let a name or note move the
cursor, retitle the window, write the clipboard or reverse text; they are shown as visible
placeholders instead. Stored text is never altered: this applies only at display time.
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
TAB_SPACES = "    "
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_UNSAFE_WITH_BREAKS = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")


def _placeholder(match: re.Match) -> str:
    ch = match.group(0)
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode control pictures: ␀ ␇ ␛ …
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(text: str | None, single_line: bool = False) -> str:
    """Text with every control character replaced by a visible stand-in.

    Only a newline survives below U+0020, and only without single_line; tabs become spaces.
    single_line also turns newlines and tabs into ⏎ and spaces (list cells, titles)."""
    if not text:
        return ""
    if single_line:
        text = text.replace("\r\n", "\n").replace("\t", " ")
        text = _UNSAFE_WITH_BREAKS.sub(lambda m: " \u23ce " if m.group(0) == "\n" else _placeholder(m), text)
        return text
    # A raw tab would let the terminal, not the layout, decide where the next character goes.
    text = text.replace("\r\n", "\n").replace("\t", TAB_SPACES)
    return _UNSAFE.sub(_placeholder, text)


def json_safe(serialized: str) -> str:
    """JSON produced with ensure_ascii=False still carries raw C1 and bidi characters; escape them."""
    return re.sub(f"[\x7f-\x9f{_BIDI}]", lambda m: f"\\u{ord(m.group(0)):04x}", serialized)
