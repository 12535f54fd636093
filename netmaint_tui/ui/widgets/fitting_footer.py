"""A footer that shows whole keys only: where the row is too narrow for every key, the least
important leave it (they still work, and ? and ctrl+p list them), so no key is cut off before
"^p Commands". Textual's own footer lets the last keys run under the palette's key."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Footer


class FittingFooter(Footer):
    # The keys that leave last, after the focused pane's own: what a newcomer needs anywhere.
    KEEP = ("help", "quit", "filter", "close")
    DEFAULT_CSS = """
    FittingFooter > .-cut { display: none; }
    """

    def dropped(self) -> set[str]:
        """Actions left out whatever the room (a subclass's choice by width)."""
        return set()

    def on_mount(self) -> None:
        self.call_after_refresh(self.fit)

    def bindings_changed(self, screen) -> None:
        # Under another screen (a dialog, the weekly session) its screen's keys do not change, and
        # Textual tells it twice as that screen is covered: rebuilding then cost the new screen's
        # first frame 10–30 ms at 30,000 contacts. Textual tells it again when its screen is back.
        if self.is_attached and screen is self.screen and screen is not self.app.screen:
            return
        super().bindings_changed(screen)

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit)

    async def recompose(self) -> None:
        await super().recompose()
        self.fit()

    def _own_actions(self) -> set[str]:
        """The actions the focused pane itself binds: what the footer is there to show for it."""
        focused = self.screen.focused if self.is_attached else None
        if focused is None:
            return set()
        return {active.binding.action for active in self.screen.active_bindings.values() if active.node is focused}

    def fit(self) -> None:
        if not self.is_attached or not self.size.width:
            return
        # Textual's FooterKey is not public: a key is a child that names its action.
        every = [k for k in self.children if hasattr(k, "action")]
        keys = [k for k in every if not k.has_class("-command-palette")]
        palette = [k for k in every if k.has_class("-command-palette")]
        dropped = self.dropped()
        own = self._own_actions()
        dropped -= own
        shown = [k for k in keys if k.action not in dropped]

        def width(key: Widget) -> int:
            return key.get_content_width(self.size, self.size) + key.styles.gutter.width + key.styles.margin.width

        room = self.size.width - sum(width(k) for k in palette)
        used = sum(width(k) for k in shown)
        # Leaving first: from the right, those neither the pane's own nor kept; then the kept ones.
        order = ([k for k in reversed(shown) if k.action not in own and k.action not in self.KEEP]
                 + [k for k in reversed(shown) if k.action not in own and k.action in self.KEEP]
                 + [k for k in reversed(shown) if k.action in own])
        cut = set()
        for key in order:
            if used <= room:
                break
            used -= width(key)
            cut.add(key)
        for key in keys:
            key.set_class(key in cut or key.action in dropped, "-cut")
