"""Small display helpers shared by the panes. Every piece of user text goes through `safe`."""

from __future__ import annotations

import re

from rich.highlighter import Highlighter
from textual.content import Content

from netmaint_tui.rules.dates import humanize_ago
from netmaint_tui.rules.text import visible
from netmaint_tui.rules.vocabulary import signed  # noqa: F401 (the screens take it from here)


def safe(text, single_line: bool = True) -> str:
    """User text made inert for the terminal (controls shown as placeholders)."""
    return visible("" if text is None else str(text), single_line=single_line)


def example_date(now) -> str:
    """A date for a hint to show as an example: one to come, whatever today is (six weeks on)."""
    return now.add(weeks=6).date().isoformat()


def ago(then, now) -> str:
    return humanize_ago(then, now) if then is not None else "never"


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _one_cell(match: re.Match) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls and bidirectional overrides


def has_controls(text: str) -> bool:
    return _CONTROL.search(text) is not None


def one_for_one(text: str) -> str:
    """Like `safe`, but every control character becomes exactly one visible character, so a
    field's cursor (counted in characters) stays where it is."""
    return _CONTROL.sub(_one_cell, text)


class ControlsShown(Highlighter):
    """For fields that edit user text: the value stays exactly as stored, only its drawing changes.

    Textual draws an Input's value as it is, so a name holding an escape sequence would reach
    the terminal from an edit form (a new window title, the clipboard written)."""

    def highlight(self, text) -> None:
        shown = one_for_one(text.plain)
        if shown != text.plain:
            text.plain = shown


def rows(pieces: list, sep: Content | str, width: int) -> Content:
    """The pieces joined by `sep`, a new row started only between two of them where the next
    would not fit, so that "best 14" or a name is never split across rows. A piece wider than
    the pane still wraps; width 0 (not laid out yet) means one row."""
    sep = Content(sep) if isinstance(sep, str) else sep
    pieces = [Content.assemble(piece) for piece in pieces]
    out, used = pieces[0], pieces[0].cell_length
    for piece in pieces[1:]:
        if width and used + sep.cell_length + piece.cell_length > width:
            out, used = out + "\n" + piece, piece.cell_length
        else:
            out, used = out + sep + piece, used + sep.cell_length + piece.cell_length
    return out


def fit_rows(text: str, width: int, height: int) -> str:
    """`text` wrapped to `width` and cut after `height` rows at a word, an ellipsis saying so:
    the reason line under the list never stops mid-sentence at the pane's edge."""
    if width <= 0:
        return text
    rows = [row.plain for row in Content(text).wrap(width)]
    if len(rows) <= height:
        return text
    kept = rows[:height]
    last = kept[-1].rstrip()
    while last and len(last) + 2 > width:  # room for " …"
        cut = last.rfind(" ")
        last = last[:cut].rstrip() if cut > 0 else last[: width - 2]
    cut = last.rstrip(" ·,")
    kept[-1] = cut + " …"
    return " ".join(kept)  # rows broke at spaces: the pane wraps them again the same way


NARROW = 12  # a column this narrow (or not laid out yet) leaves the text to the screen's own wrapping


def hanging(head, text: Content | str, width: int, indent: int, long_word_apart: bool = True) -> list:
    """`head` (`indent` columns wide) and `text` beside it, wrapped with every further row indented
    as far (a hanging indent), so a long value or note still reads as part of its line.
    `long_word_apart`: one long word (a web address) that fits the whole width goes on a row of
    its own rather than be cut; otherwise it too is cut under the value column."""
    text = Content(text) if isinstance(text, str) else text
    if (long_word_apart and width - indent < text.cell_length <= width
            and not any(c.isspace() for c in text.plain)):
        return [head, "\n", text]  # one long word, a web address say: whole, on a row of its own
    if width - indent <= NARROW:  # too narrow to wrap well, or not laid out yet
        rows = text.split("\n", allow_blank=True)
    else:
        rows = text.wrap(width - indent)
    parts: list = [head, rows[0]]
    for row in rows[1:]:
        parts += ["\n", " " * indent, row]
    return parts
