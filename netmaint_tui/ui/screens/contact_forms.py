"""A contact's forms, and what saving each one does: add, edit, log a touch, snooze.

Each `open_…` opens its form over the current screen; the save goes through app.act (undo takes
it back whole), and once the form closes with a result every pane shows the change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Callable

from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from netmaint_tui.rules.vocabulary import CHANNELS, KINDS, TIERS
from netmaint_tui.services.common import InputError
from netmaint_tui.services.contacts import (
    add_contact, contact_detail, edit_contact, names_as_typed, resolve_contacts, snooze,
)
from netmaint_tui.services.touches import log_touch
from netmaint_tui.store.errors import StoreError
from netmaint_tui.ui.format import ControlsShown, example_date, safe
from netmaint_tui.ui.screens.forms import FormScreen, T, typed_moment
from netmaint_tui.ui.widgets.contact_field import SteadyInput, SteadySelect, SteadyTextArea


def open_add_contact(app) -> None:
    ctx = app.ctx

    def save(values: dict) -> int:
        name = values.pop("name")
        cid, entry = app.act(f"Add {name}", lambda: add_contact(ctx, name, **values))
        entry.subject = ("contact", cid)
        return cid

    def added(cid: int | None) -> None:
        if cid is not None:
            app.notify("Contact added", markup=False)
            app.changed(keep=cid)

    app.push_screen(ContactForm("Add a contact", save), added)


def open_edit_contact(app, cid: int) -> None:
    ctx = app.ctx
    initial = asdict(contact_detail(ctx, cid))

    def save(values: dict, keep: str | None = None) -> list[str]:
        # Only what was changed in the form is written; a change made meanwhile elsewhere
        # to those same fields asks first (EditConflict), to any other field stays.
        return app.act(f"Edit {initial['name']}", lambda: edit_contact(ctx, cid, values, initial, keep),
                       subject=("contact", cid))[0]

    def saved(changed: list[str] | None) -> None:
        if changed is None:
            return
        if changed:
            app.notify("Saved · u to undo", markup=False)
        else:  # every field kept as it was, or their version taken on a conflict
            app.notify("Nothing changed", markup=False)
        app.changed(keep=cid)

    app.push_screen(ContactForm(f"Edit {safe(initial['name'])}", save, initial), saved)


def open_log_touch(app, cid: int, names: str, channel: str = "meeting", kind: str = "catch-up") -> None:
    """The log form, with the contact filled in; more people, by names or #numbers and commas."""
    ctx = app.ctx

    def save(values: dict):
        ids = resolve_contacts([p.strip() for p in values.pop("people").split(",") if p.strip()])
        return app.act(f"Log a {values['channel']}", lambda: log_touch(ctx, ids, **values))[0]

    def logged(result) -> None:
        if result is not None:
            app.announce_log(result)
            app.changed(keep=cid)

    app.push_screen(LogTouchForm(names, save, channel, kind, people=names_as_typed([cid])), logged)


def open_snooze(app, cid: int) -> None:
    ctx = app.ctx
    name = contact_detail(ctx, cid).name

    def save(until: dt.date) -> None:
        app.act(f"Snooze {name}", lambda: snooze(ctx, cid, until), subject=("contact", cid))

    def snoozed(until: dt.date | None) -> None:
        if until is not None:
            app.notify(f"Snoozed {safe(name)} until {until.isoformat()} · u to undo", markup=False)
            app.changed()

    app.push_screen(SnoozeDialog(name, save), snoozed)


class ContactForm(FormScreen[T]):
    DEFAULT_CSS = "ContactForm #f-notes { height: 4; }"  # with every field, the form is whole at 80×24

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
        yield self.row("Dates", SteadyInput("; ".join(f"{d['label']}={d['date']}" for d in v.get("dates", [])), id="f-dates",
                                            placeholder="work anniversary=2019-04-01; met=--06-12", highlighter=ControlsShown()))
        yield Label("Notes")
        yield SteadyTextArea(v.get("notes", ""), id="f-notes", compact=True)

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
            "birthday": q("#f-birthday") or None, "dates": q("#f-dates"),
            "notes": self.query_one("#f-notes", TextArea).text,
        }


class LogTouchForm(FormScreen[T]):
    """Its values hold the moment typed, read against the app's clock ("now" when left blank)."""

    def __init__(self, names: str, save: Callable[[dict], T], channel: str = "meeting", kind: str = "catch-up",
                 people: str | None = None) -> None:
        super().__init__(f"Log a touch with {names}", save)
        self.channel, self.kind = channel, kind
        self.people = names if people is None else people

    def fields(self):
        yield self.row("Channel", SteadySelect([(c, c) for c in CHANNELS], value=self.channel, allow_blank=False, id="t-channel"))
        yield self.row("Kind", SteadySelect([(k, k) for k in KINDS], value=self.kind, allow_blank=False, id="t-kind"))
        yield self.row("When", SteadyInput("now", id="t-when", placeholder="now, yesterday 3pm, fri, 2h ago"))
        yield self.row("Minutes", SteadyInput("", id="t-minutes", placeholder="optional"))
        # After the others: Tab from the note (where the form starts) still goes to Channel first.
        yield self.row("With", SteadyInput(self.people, id="t-people", highlighter=ControlsShown(),
                                           placeholder="names or #numbers, by commas: Dana, Omar"))
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
            "people": self.query_one("#t-people", Input).value,
        }


class SnoozeDialog(ModalScreen[dt.date | None]):
    """Until when: a week, a month, three months or a date typed. `save(until)` snoozes; the
    dialog closes with that day once it has, with None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="snooze.cancel")]
    DEFAULT_CSS = """
    SnoozeDialog { align: center middle; }
    SnoozeDialog > Vertical { width: 56; max-width: 96%; height: auto; border: thick $primary; background: $surface;
        padding: 0 1; }
    SnoozeDialog OptionList { height: auto; }
    SnoozeDialog #snooze-date { margin-top: 1; }
    SnoozeDialog #snooze-help { color: $text-muted; }
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
            yield SteadyInput(placeholder="until…", compact=True, id="snooze-date")
            yield Static(Content(f"a date ({example_date(self.app.ctx.now())}), fri or in 10d, then Enter"),
                         id="snooze-help")
            yield Static(id="snooze-error")

    def on_mount(self) -> None:
        self.query_one("#snooze-date").display = False
        self.query_one("#snooze-help").display = False
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "date":
            field = self.query_one("#snooze-date", Input)
            field.display = True
            self.query_one("#snooze-help").display = True
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

        try:
            until = self.until(choice)
            self._save(until)
        except (InputError, StoreError) as exc:
            self.query_one("#snooze-error", Static).update(Content(str(exc)))
            return
        self.dismiss(until)

    def action_cancel(self) -> None:
        self.dismiss(None)
