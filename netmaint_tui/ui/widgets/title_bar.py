"""The row at the top of every screen: netmaint and where you are on the left, what is worth
knowing at a glance on the right (on the main screen: the network's size, this week's progress,
the last sync). It replaces Textual's stock header, whose icon and centred title said nothing."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static


class TitleBar(Horizontal):
    DEFAULT_CSS = """
    TitleBar { dock: top; height: 1; background: $panel; padding: 0 1; }
    TitleBar > #title-where { width: 1fr; height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    TitleBar > #title-info { width: auto; max-width: 70%; height: 1; color: $text-muted;
        text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def compose(self):
        yield Static(id="title-where")
        yield Static(id="title-info")

    def on_mount(self) -> None:
        # The screen's own name (sub_title) and the app's state (read-only, damaged) follow as they change.
        self.watch(self.screen, "sub_title", lambda _: self._show_where(), init=False)
        self.watch(self.app, "sub_title", lambda _: self._show_where(), init=False)
        self._show_where()

    def _show_where(self) -> None:
        parts: list = [("netmaint", "bold $primary")]
        for bit in (self.screen.sub_title, self.app.sub_title):
            if bit:
                parts += [("  ·  ", "$text-muted"), bit]
        self.query_one("#title-where", Static).update(Content.assemble(*parts))

    def show_info(self, info: Content | str) -> None:
        self.query_one("#title-info", Static).update(Content(info) if isinstance(info, str) else info)
