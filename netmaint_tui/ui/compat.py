"""The parts of Textual netmaint relies on that Textual does not make public, in one place.

pyproject pins Textual to TESTED_TEXTUAL; tests/ui/test_textual_internals.py fails on any other
version, and checks that each name below still exists and still behaves as relied on here.
Everything else in ui/ uses Textual's public API only.
"""

from __future__ import annotations

from textual import events
from textual.app import App

# Select's two parts. Textual exports Select but not its pieces; a Select whose open list keeps a
# burst of keys in order (widgets.contact_field.SteadySelect) has to compose its own list.
from textual.widgets._select import SelectCurrent, SelectOverlay

__all__ = ["HoldsKeysUntilReady", "SelectCurrent", "SelectOverlay", "StyledOnce", "TESTED_TEXTUAL"]

TESTED_TEXTUAL = "8.2.8"


class HoldsKeysUntilReady(App):
    """Keys typed while the app starts (`netmaint`, then "/dana" at once) wait until the first
    screen can take them, then go through in order.

    Textual routes a key (priority bindings first, then the focused widget) as the app handles
    the Key event; before the first screen has mounted its widgets a priority binding would act
    on widgets that are not there yet. Textual offers no public point before that routing, so the
    key is held in App.on_event, and replayed through it as if it had just arrived."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._held_keys: list[events.Key] | None = []  # None once released

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and self._held_keys is not None:
            self._held_keys.append(event)
            return
        await super().on_event(event)

    def release_keys(self) -> None:
        """The first screen is whole: the keys held so far go through, then every key as it comes."""
        self.call_later(self._replay_held_keys)

    async def _replay_held_keys(self) -> None:
        # Replayed here, in the app's own turn: a key arriving meanwhile queues behind this call,
        # and a Key made by a screen would not bubble back up to the app's routing.
        keys, self._held_keys = self._held_keys or [], None
        for key in keys:
            await super().on_event(events.Key(key.key, key.character))



class StyledOnce:
    """For a screen pushed anew (the quick note, the weekly session): its first ScreenResume does
    not work out the styles of every widget in it again.

    Textual applies the stylesheet to each widget as it is registered, then, on the ScreenResume
    it posts with every push, again to the whole screen (refresh_styles). For a screen just
    composed that second pass changes nothing and cost the quick note's first frame about a fifth
    of its time at 120×40. A later resume (after a dialog over it closes) refreshes as usual."""

    _styled_once = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Called before Screen._on_screen_resume, which reads the flag (handlers run in MRO order).
        if not self._styled_once:
            self._styled_once = True
            event.refresh_styles = False
