"""The list's filter: the text field that `/` opens above the Contacts pane."""

from __future__ import annotations

from typing import Callable

from textual.binding import Binding
from textual.widgets import Input

from netmaint_tui.ui.format import ControlsShown


class FilterField(Input):
    """Narrows the list from inside the keystroke, so the field and the list are drawn in one
    frame: an Input.Changed message reaches the screen only after the field has been drawn."""

    # priority: checked as the key arrives, before the keys queued behind it are handed to the
    # field, so the focus has moved on by then (see action_submit).
    BINDINGS = [
        Binding("down", "to_list", "To the list", show=False, id="filter.to_list",
                tooltip="Into the list, the filter kept (as Enter)", priority=True),
        Binding("enter", "submit", "To the list", show=False, id="filter.submit",
                tooltip="Into the list, the filter kept", priority=True),
    ]

    def __init__(self, changed: Callable[[str], None], done: Callable[[], None], **kwargs) -> None:
        # select_on_focus off: the Focus event can reach the field after keys typed in one go with
        # "/", and selecting then would let the next key replace the letters before it.
        super().__init__(placeholder="find: names, fields, tags, notes, touches, follow-ups (Esc clears)", highlighter=ControlsShown(),
                         select_on_focus=False, **kwargs)
        self._changed = changed
        self._done = done

    def watch_value(self, value: str) -> None:
        self._changed(value)

    # Enter and Down hand the focus on inside the keystroke, not through a Submitted message: keys
    # sent with them in one go (pasted, or over a slow link: "/dana", Enter, "j j") are routed as
    # they arrive, and a message would move the focus only after they had been typed into the field.
    async def action_submit(self) -> None:
        self._done()

    def action_to_list(self) -> None:
        self._done()
