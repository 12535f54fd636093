"""A list of rows under column titles, in a box that is the pane: the follow-ups, the people worth
adding. Moved through with the list's vim keys; each list names its own keys' ids, so a user's
keymap can tell them apart."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual.binding import Binding
from textual.widgets import OptionList


def fit(text: str, width: int) -> str:
    """`text` cut (with an ellipsis) or padded to `width` cells, for a column."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def vim_keys(prefix: str) -> list[Binding]:
    """j k g G, with ids `<prefix>.down` and so on."""
    return [
        Binding("j", "cursor_down", "Down", show=False, id=f"{prefix}.down"),
        Binding("k", "cursor_up", "Up", show=False, id=f"{prefix}.up"),
        Binding("g", "first", "Top", show=False, id=f"{prefix}.top"),
        Binding("G", "last", "Bottom", show=False, id=f"{prefix}.bottom"),
    ]


class RowList(OptionList):
    DEFAULT_CSS = """
    /* One surface with the column titles above it: the box, not the list, is the pane. */
    RowList, RowList:focus { height: 1fr; border: none; background: transparent;
        background-tint: $foreground 0%; }
    """
