"""Hostile text: markup, terminal escapes, C1 controls, NUL, bidi overrides and emoji sequences.

Every payload carries a marker that is its own, so a test can tell the app's own escape
sequences (Textual writes plenty) from one that came out of the data.
"""

from __future__ import annotations

import base64
import random

from netmaint_tui.rules.text import visible

CLIPBOARD = base64.b64encode(b"netmaint-clipboard-canary").decode()
OSC_TITLE = "\x1b]0;pwned-title\x07"
OSC_TITLE_ST = "\x1b]2;pwned-title2\x1b\\"
OSC_52 = f"\x1b]52;c;{CLIPBOARD}\x07"
OSC_8 = "\x1b]8;;file:///etc/passwd\x1b\\click-me\x1b]8;;\x1b\\"
CSI_CLEAR = "\x1b[2J\x1b[3J\x1b[H"
C1_CSI = "\x9b31mc1-red"
C1_OSC = "\x9d0;c1-title\x9c"
BEL = "ding\x07dong"
NUL = "nul\x00byte"
RLO = "\u202eexe.txt"
ZWJ = "👩‍👩‍👧‍👦 🏳️‍🌈 🧑🏽‍💻 é"  # the last one is e + a combining acute
MARKUP = "[bold]Eve[/] [/] [/ [@click=app.quit]quit [link=file:///etc/passwd]link"

NAME = f"[bold]Eve[/] {OSC_TITLE} \u202e👩‍👩‍👧‍👦"
COMPANY = f"[link=file:///etc/passwd]x {C1_CSI} Corp"
ROLE = f"[@click=app.quit]role{BEL}"
TAGS = ["[/", "[@click=app.quit]t", "\x1b[2Jtag", "🏳️‍🌈"]
EMAIL = "eve+[b]@example.org"
NOTES = "\n".join([MARKUP, OSC_52, OSC_8, CSI_CLEAR, C1_CSI, C1_OSC, BEL, NUL, RLO, ZWJ, OSC_TITLE_ST, "tab\there"])
FOLLOW_UP_LINE = f"[@click=app.quit]call back {OSC_52} [link=file:///etc/passwd]x"
TOUCH_NOTE = f"{MARKUP}\n{OSC_TITLE}{CSI_CLEAR}\n{C1_OSC} {RLO} {NUL} {ZWJ}\n- [ ] {FOLLOW_UP_LINE}"

# What must never reach a terminal from the data: each is specific to these payloads.
FORBIDDEN = {
    "OSC 0 title": "\x1b]0;pwned",
    "OSC 2 title": "\x1b]2;pwned",
    "OSC 52 clipboard": f"\x1b]52;c;{CLIPBOARD}",
    "OSC 8 link": "\x1b]8;;file",
    "C1 CSI": "\x9b",
    "C1 OSC": "\x9d",
    "C1 ST": "\x9c",
    "BEL from data": "ding\x07dong",
    "NUL": "\x00",
    "RLO": "\u202e",
    "clear screen from data": "\x1b[3J",
}


def shown(text: str, single_line: bool = True) -> str:
    """How netmaint shows `text`: the same function the widgets and the command line use."""
    return visible(text, single_line=single_line)


def big_note(size: int = 1 << 20, seed: int = 7) -> str:
    """About `size` characters of varied text: accents, emoji, combining marks, escapes, markup."""
    rng = random.Random(seed)
    pieces = ["Grüße", "日本語", "👩‍👩‍👧‍👦", "e\u0301", "[bold]", "[/]", "\x1b[31m", "\n", "\t", " ", "word", "ß", "🙂"]
    out: list[str] = []
    total = 0
    while total < size:
        piece = rng.choice(pieces)
        out.append(piece)
        total += len(piece)
    return "".join(out)
