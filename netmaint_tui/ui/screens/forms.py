"""What every modal form shares (FormScreen), and the small dialogs: confirm, a conflict.

A form calls its `save` callback itself, so a value the service refuses (a future date, a bad
tier) is shown in the form and nothing typed is lost; it closes only once the save succeeded,
with what the save returned (the new contact's id, the logged touch…), and with None when
cancelled: the screen that opened it gets that in its push_screen callback.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Generic, TypeVar

from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from netmaint_tui.rules.dates import DateInputError, parse_when
from netmaint_tui.rules.schema import label
from netmaint_tui.services.common import InputError
from netmaint_tui.services.contacts import EditConflict
from netmaint_tui.store.errors import StoreError
from netmaint_tui.ui.format import safe
from netmaint_tui.ui.widgets.contact_field import ContactField


class FormFields(VerticalScroll, can_focus=False):
    """Scrolls to the focused field. Not a stop for Tab itself: Tab goes from field to field, and a
    container in the chain would swallow the letters of a fast burst meant for the next field."""


T = TypeVar("T")


class FormScreen(ModalScreen[T | None], Generic[T]):
    """Shared behaviour: ctrl+s saves, Esc cancels, errors show in one line at the bottom.
    Dismissed with what `save` returned, or None when cancelled."""

    keeps_letters = True  # a form is for typing: the app's `n` is a letter here, even on a list field

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save", tooltip="Save and close"),
        Binding("escape", "cancel", "Cancel", id="form.cancel", tooltip="Close without saving"),
    ]
    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > #form { width: 76; max-width: 96%; height: auto; max-height: 92%;
        border: thick $primary; background: $surface; padding: 0 1; }
    FormScreen #form-fields { height: auto; max-height: 30; }
    FormScreen .row { height: auto; }
    FormScreen .row > Label { width: 12; padding: 1 1 0 0; color: $text-muted; }
    FormScreen .row.-compact { height: 1; margin-top: 0; }
    FormScreen .row.-compact > Label { padding: 0 1 0 0; }
    FormScreen .row.-compact-name { height: auto; margin-top: 0; }
    FormScreen .row.-compact-name > Label { padding: 0 1 0 0; }
    FormScreen .row > Input, FormScreen .row > Select { width: 1fr; }
    FormScreen #form-fields > Label { color: $text-muted; }
    FormScreen TextArea { height: 6; }
    FormScreen #form-error { color: $error; height: auto; }
    FormScreen #form-help { color: $text-muted; }
    """

    def __init__(self, title: str, save: Callable[..., T]) -> None:
        super().__init__()
        self.form_title = title
        self._save = save
        self._error = ""  # the line under the fields saying why the last save was refused
        self._start: dict | None = None  # the values it opened with (see action_cancel)

    def fields(self):  # pragma: no cover - overridden
        return []

    def on_mount(self) -> None:
        self.call_after_refresh(self._remember_start)

    def _remember_start(self) -> None:
        self._start = self._typed()

    def _typed(self) -> list:
        """What every field holds, as typed (values() also checks it, and may refuse)."""
        return [w.text if isinstance(w, TextArea) else w.value for w in self.query("Input, TextArea, Select")]

    def on_resize(self) -> None:
        self._fit_fields()

    def _fit_fields(self) -> None:
        # On a short terminal (80×24) the fields scroll rather than push the error and the
        # "ctrl+s save" line out of the box: the form must say how to leave it. 92 % is the
        # box's own limit; 3 rows are its border and the help line, then the error's rows.
        width = max(10, self.query_one("#form", Vertical).content_region.width)
        error_rows = len(Content(self._error).wrap(width)) if self._error else 1
        room = int(self.size.height * 0.92) - 3 - error_rows
        self.query_one("#form-fields").styles.max_height = max(3, min(30, room))

    def show_error(self, text: str) -> None:
        self._error = text
        self.query_one("#form-error", Static).update(Content(text))
        self._fit_fields()

    def compose(self):
        with Vertical(id="form") as form:
            form.border_title = Content(self.form_title)  # titles carry names: never markup
            with FormFields(id="form-fields"):
                yield from self.fields()
            yield Static(id="form-error")
            yield Static(Content("ctrl+s save · Esc cancel · Tab next field"), id="form-help")

    @staticmethod
    def row(label: str, widget):
        """The label beside its field. A one-line field (a name field too) is drawn compact, one
        row high, so a whole contact fits at 80×24; a name field's suggestions open under it."""
        if isinstance(widget, (Input, Select)):
            widget.compact = True
            return Horizontal(Label(label), widget, classes="row -compact")
        if isinstance(widget, ContactField):  # one row too; its suggestions open under it
            widget.compact = True
            return Horizontal(Label(label), widget, classes="row -compact-name")
        return Horizontal(Label(label), widget, classes="row")

    def values(self) -> dict:  # pragma: no cover - overridden
        return {}

    def action_save(self, keep: str | None = None) -> None:

        try:
            result = self._save(self.values()) if keep is None else self._save(self.values(), keep)
        except EditConflict as exc:
            # Changed underneath since the form opened: the user says whose values stay.
            self.app.push_screen(ConflictDialog(exc.conflicts), lambda side: side and self.action_save(side))
            return
        except (InputError, StoreError) as exc:  # a full disk or a read-only file keeps the form open too
            self.show_error(str(exc))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        # Esc closes at once while nothing has been typed; after that it asks, as the quick note
        # does: a note typed after a meeting is not lost to one key.
        if self._start is None or self._typed() == self._start:
            self.dismiss(None)
            return
        ask_to_discard(self.app, "Discard what you typed? It will be lost.", lambda: self.dismiss(None))


def ask_to_discard(app, question: str, discard: Callable[[], object]) -> None:
    """Esc on something typed: `discard` runs only once the user says yes."""
    app.push_screen(ConfirmDialog(question), lambda yes: discard() if yes else None)


def typed_moment(text: str, now, **how) -> dt.datetime:
    """A date and time as typed in a form ("yesterday 3pm", "fri"); InputError saying why not."""

    try:
        return parse_when(text, now, **how)
    except DateInputError as exc:
        raise InputError(str(exc)) from None


class ConflictDialog(ModalScreen[str | None]):
    """What changed underneath a form, field by field: k keeps what the user typed, t takes the
    new values, Esc goes back to the form with nothing saved."""

    BINDINGS = [
        Binding("k", "answer('ours')", "Keep mine", id="conflict.ours"),
        Binding("t", "answer('theirs')", "Take theirs", id="conflict.theirs"),
        Binding("escape", "answer(None)", "Back", id="conflict.back"),
    ]
    DEFAULT_CSS = """
    ConflictDialog { align: center middle; }
    ConflictDialog > Vertical { width: 72; max-width: 96%; height: auto; border: thick $warning;
        background: $surface; padding: 1 2; }
    ConflictDialog #conflict-fields { margin-top: 1; height: auto; }
    ConflictDialog Horizontal { height: auto; margin-top: 1; }
    ConflictDialog Button { margin-right: 2; }
    """

    def __init__(self, conflicts: dict) -> None:
        super().__init__()
        self.conflicts = conflicts

    @staticmethod
    def _shown(value) -> str:
        if isinstance(value, (list, tuple)) and any(isinstance(v, dict) for v in value):
            value = "; ".join(f"{v['label']}={v['date']}" for v in value)  # anniversaries, as the form takes them
        elif isinstance(value, (list, tuple)):
            value = ", ".join(value)
        return f"“{safe(str(value))}”" if value not in (None, "") else "(empty)"

    def compose(self):
        parts: list = []
        for key, c in self.conflicts.items():
            parts += [(label(key).capitalize(), "bold"), "\n",
                      ("  yours: ", "$text-muted"), self._shown(c.ours), "\n",
                      ("  now:   ", "$text-muted"), self._shown(c.theirs),
                      (f"  (it was {self._shown(c.base)} when you opened the form)", "$text-muted"), "\n"]
        with Vertical() as box:
            box.border_title = "Changed meanwhile"
            yield Static(Content("Someone else changed what you changed while the form was open."))
            yield Static(Content.assemble(*parts), id="conflict-fields")
            with Horizontal():
                yield Button("Keep mine (k)", id="ours", variant="warning")
                yield Button("Take theirs (t)", id="theirs")
                yield Button("Back (Esc)", id="back")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "back" else event.button.id)

    def action_answer(self, side: str | None) -> None:
        self.dismiss(side)


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]
    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical { width: 60; height: auto; border: thick $warning; background: $surface; padding: 1 2; }
    ConfirmDialog Horizontal { height: auto; margin-top: 1; }
    ConfirmDialog Button { margin-right: 2; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self):
        with Vertical():
            yield Static(Content(self.question))
            with Horizontal():
                yield Button("Yes (y)", id="yes", variant="warning")
                yield Button("No (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
