"""A touch corrected or deleted from the detail pane's history, and what saving does.

Both go through app.act, so `u` takes them back whole; a deleted touch can also be restored for
30 days from the command line (`netmaint touch list --deleted`, `netmaint touch restore ID`).
"""

from __future__ import annotations

from typing import Callable

from textual.widgets import Input, Label, Select, TextArea

from netmaint_tui.rules.vocabulary import CHANNELS, KINDS
from netmaint_tui.services.touch_edits import edit_touch_as_typed, people_as_typed, touch_view
from netmaint_tui.services.touches import delete_touch
from netmaint_tui.ui.format import ControlsShown
from netmaint_tui.ui.screens.forms import FormScreen, T, typed_moment
from netmaint_tui.ui.widgets.contact_field import SteadyInput, SteadySelect, SteadyTextArea


def open_edit_touch(app, contact_id: int, touch_id: int) -> None:
    ctx = app.ctx
    view = touch_view(ctx, touch_id)
    people = people_as_typed(touch_id)

    def save(values: dict) -> list[str]:
        return app.act(f"Edit the touch of {view.at.strftime('%d %b %Y')}",
                       lambda: edit_touch_as_typed(ctx, touch_id, **values), subject=("contact", contact_id))[0]

    def saved(changed: list[str] | None) -> None:
        if changed is not None:
            app.notify(f"Touch saved ({', '.join(changed) or 'nothing changed'}) · u to undo", markup=False)
            app.changed(keep=contact_id)

    app.push_screen(EditTouchForm(view, people, save), saved)


def delete_touch_now(app, contact_id: int, touch_id: int) -> None:
    """At once, without asking: u undoes it, and the command line restores it for 30 days."""
    view = touch_view(app.ctx, touch_id)
    when = view.at.strftime("%d %b %Y %H:%M")
    app.act(f"Delete the {view.channel} of {when}", lambda: delete_touch(app.ctx, touch_id),
            subject=("contact", contact_id))
    app.notify(f"Deleted the {view.channel} of {when} · u to undo (or netmaint touch restore {touch_id}, "
               "for 30 days)", markup=False)
    app.changed(keep=contact_id)


class EditTouchForm(FormScreen[T]):
    """A touch's when, channel, kind, minutes, people and note, as it is; saving writes what changed."""

    def __init__(self, view, people: str, save: Callable[[dict], T]) -> None:
        super().__init__(f"Edit the touch of {view.at.strftime('%a %d %b %Y %H:%M')}", save)
        self.view = view
        self.people = people

    def fields(self):
        v = self.view
        yield self.row("Channel", SteadySelect([(c, c) for c in CHANNELS], value=v.channel, allow_blank=False,
                                               id="e-channel"))
        yield self.row("Kind", SteadySelect([(k, k) for k in KINDS], value=v.kind, allow_blank=False, id="e-kind"))
        yield self.row("When", SteadyInput(v.at.strftime("%Y-%m-%d %H:%M"), id="e-when",
                                           placeholder="2025-03-04 15:30, yesterday 3pm, fri"))
        yield self.row("Minutes", SteadyInput("" if v.minutes is None else str(v.minutes), id="e-minutes",
                                              placeholder="optional"))
        yield self.row("With", SteadyInput(self.people, id="e-people", placeholder="names or #numbers, by commas",
                                           highlighter=ControlsShown()))
        yield Label("Note")
        yield SteadyTextArea(v.note, id="e-note")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#e-note", TextArea).focus()

    def values(self) -> dict:
        when = self.query_one("#e-when", Input).value.strip()
        return {
            "channel": self.query_one("#e-channel", Select).value,
            "kind": self.query_one("#e-kind", Select).value,
            # Left as it was shown, the time stays to the second it had.
            "at": None if when == self.view.at.strftime("%Y-%m-%d %H:%M") else typed_moment(when or "now",
                                                                                            self.app.ctx.now()),
            "minutes": self.query_one("#e-minutes", Input).value.strip() or None,
            "note": self.query_one("#e-note", TextArea).text,
            "people": self.query_one("#e-people", Input).value,
        }

