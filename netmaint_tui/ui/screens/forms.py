"""Modal forms: add/edit a contact, log a touch, snooze, confirm.

A form calls its `save` callback itself, so a value the service refuses (a future date, a bad
tier) is shown in the form and nothing typed is lost; it closes only once the save succeeded,
with what the save returned (the new contact's id, the logged touch…), and with None when
cancelled: the screen that opened it gets that in its push_screen callback.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Generic, TypeVar

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from netmaint_tui.store.models import CHANNELS, KINDS, TIERS
from netmaint_tui.ui.format import ControlsShown, safe
from netmaint_tui.ui.widgets.contact_field import SteadyInput, SteadySelect, SteadyTextArea


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
    FormScreen .row > Input, FormScreen .row > Select { width: 1fr; }
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
        return Horizontal(Label(label), widget, classes="row")

    def values(self) -> dict:  # pragma: no cover - overridden
        return {}

    def action_save(self, keep: str | None = None) -> None:
        from netmaint_tui.services.common import InputError
        from netmaint_tui.services.contacts import EditConflict
        from netmaint_tui.store.errors import StoreError

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


class ContactForm(FormScreen[T]):
    def __init__(self, title: str, save: Callable[..., T], initial: dict | None = None) -> None:
        super().__init__(title, save)
        self.initial = initial or {}

    def fields(self):
        v = self.initial
        yield self.row("Name", SteadyInput(v.get("name", ""), id="f-name", placeholder="required", highlighter=ControlsShown()))
        yield self.row("Company", SteadyInput(v.get("company", ""), id="f-company", highlighter=ControlsShown()))
        yield self.row("Role", SteadyInput(v.get("role", ""), id="f-role", highlighter=ControlsShown()))
        yield self.row("Emails", SteadyInput(", ".join(v.get("emails", [])), id="f-emails", placeholder="comma-separated", highlighter=ControlsShown()))
        yield self.row("Phones", SteadyInput(", ".join(v.get("phones", [])), id="f-phones", placeholder="comma-separated", highlighter=ControlsShown()))
        yield self.row("LinkedIn", SteadyInput(v.get("linkedin_url", ""), id="f-linkedin", highlighter=ControlsShown()))
        yield self.row("Location", SteadyInput(v.get("location", ""), id="f-location", highlighter=ControlsShown()))
        yield self.row("How met", SteadyInput(v.get("how_met", ""), id="f-how-met", highlighter=ControlsShown()))
        yield self.row("Tier", SteadySelect([(f"{t}", t) for t in TIERS], value=v.get("tier", "B"), allow_blank=False, id="f-tier"))
        yield self.row("Cadence", SteadyInput(str(v.get("cadence_days") or ""), id="f-cadence", placeholder="days (blank: the tier's default)"))
        yield self.row("Tags", SteadyInput(", ".join(v.get("tags", [])), id="f-tags", placeholder="comma-separated", highlighter=ControlsShown()))
        yield self.row("Birthday", SteadyInput(v.get("birthday") or "", id="f-birthday", placeholder="YYYY-MM-DD or --MM-DD", highlighter=ControlsShown()))
        yield Label("Notes")
        yield SteadyTextArea(v.get("notes", ""), id="f-notes")

    def on_mount(self) -> None:
        self.query_one("#f-name", Input).focus()

    def values(self) -> dict:
        q = lambda i: self.query_one(i, Input).value  # noqa: E731
        return {
            "name": q("#f-name"), "company": q("#f-company"), "role": q("#f-role"),
            "emails": q("#f-emails"), "phones": q("#f-phones"), "linkedin_url": q("#f-linkedin"),
            "location": q("#f-location"), "how_met": q("#f-how-met"),
            "tier": self.query_one("#f-tier", Select).value, "cadence_days": q("#f-cadence") or None,
            "tags": [t.strip() for t in q("#f-tags").split(",") if t.strip()],
            "birthday": q("#f-birthday") or None, "notes": self.query_one("#f-notes", TextArea).text,
        }


class LogTouchForm(FormScreen[T]):
    """Its values hold the moment typed, read against the app's clock ("now" when left blank)."""

    def __init__(self, names: str, save: Callable[[dict], T], channel: str = "meeting", kind: str = "catch-up") -> None:
        super().__init__(f"Log a touch with {names}", save)
        self.channel, self.kind = channel, kind

    def fields(self):
        yield self.row("Channel", SteadySelect([(c, c) for c in CHANNELS], value=self.channel, allow_blank=False, id="t-channel"))
        yield self.row("Kind", SteadySelect([(k, k) for k in KINDS], value=self.kind, allow_blank=False, id="t-kind"))
        yield self.row("When", SteadyInput("now", id="t-when", placeholder="now, yesterday 3pm, fri, 2h ago"))
        yield self.row("Minutes", SteadyInput("", id="t-minutes", placeholder="optional"))
        yield Label("Note (lines starting - [ ] or todo: become follow-ups)")
        yield SteadyTextArea("", id="t-note")

    def on_mount(self) -> None:
        self.query_one("#t-note", TextArea).focus()

    def values(self) -> dict:
        return {
            "channel": self.query_one("#t-channel", Select).value,
            "kind": self.query_one("#t-kind", Select).value,
            "at": typed_moment(self.query_one("#t-when", Input).value or "now", self.app.ctx.now()),
            "minutes": self.query_one("#t-minutes", Input).value or None,
            "note": self.query_one("#t-note", TextArea).text,
        }


def typed_moment(text: str, now, **how) -> dt.datetime:
    """A date and time as typed in a form ("yesterday 3pm", "fri"); InputError saying why not."""
    from netmaint_tui.rules.dates import DateInputError, parse_when
    from netmaint_tui.services.common import InputError

    try:
        return parse_when(text, now, **how)
    except DateInputError as exc:
        raise InputError(str(exc)) from None


class SnoozeDialog(ModalScreen[dt.date | None]):
    """Until when: a week, a month, three months or a date typed. `save(until)` snoozes; the
    dialog closes with that day once it has, with None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="snooze.cancel")]
    DEFAULT_CSS = """
    SnoozeDialog { align: center middle; }
    SnoozeDialog > Vertical { width: 50; height: auto; border: thick $primary; background: $surface; padding: 0 1; }
    SnoozeDialog OptionList { height: auto; }
    SnoozeDialog #snooze-error { color: $error; }
    """
    CHOICES = (("1w", "1 week"), ("1m", "1 month"), ("3m", "3 months"), ("date", "until a date…"))

    def __init__(self, name: str, save: Callable[[dt.date], object]) -> None:
        super().__init__()
        self.contact_name = name
        self._save = save

    def compose(self):
        with Vertical() as box:
            box.border_title = Content(f"Snooze {safe(self.contact_name)}")
            yield OptionList(*[Option(label, id=key) for key, label in self.CHOICES], id="snooze-choices")
            yield SteadyInput(placeholder="a date: 2026-01-15, fri, in 10d — then Enter", id="snooze-date")
            yield Static(id="snooze-error")

    def on_mount(self) -> None:
        self.query_one("#snooze-date").display = False
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "date":
            field = self.query_one("#snooze-date", Input)
            field.display = True
            field.focus()
            return
        self._try(event.option.id)

    @on(Input.Submitted, "#snooze-date")
    def typed(self, event: Input.Submitted) -> None:
        self._try(event.value)

    def until(self, choice: str) -> dt.date:
        now = self.app.ctx.now()
        spans = {"1w": now.add(weeks=1), "1m": now.add(months=1), "3m": now.add(months=3)}
        if choice in spans:
            return spans[choice].date()
        return typed_moment(choice, now, prefer="future").date()

    def _try(self, choice: str) -> None:
        from netmaint_tui.services.common import InputError
        from netmaint_tui.store.errors import StoreError

        try:
            until = self.until(choice)
            self._save(until)
        except (InputError, StoreError) as exc:
            self.query_one("#snooze-error", Static).update(Content(str(exc)))
            return
        self.dismiss(until)

    def action_cancel(self) -> None:
        self.dismiss(None)


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
        if isinstance(value, (list, tuple)):
            value = ", ".join(value)
        return f"“{safe(str(value))}”" if value not in (None, "") else "(empty)"

    def compose(self):
        from netmaint_tui.rules.schema import label

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
