"""Follow-ups: every open one by due date and time, overdue ones in the theme's error colour.

x done (and the offer to thank whoever suggested it), d drop, u change the due time, a add one,
Enter shows the contact, ctrl+z undoes the last change (a done with its thank-you as one).
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from rich.cells import cell_len
from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from netmaint_tui.rules.dates import due_words
from netmaint_tui.services.common import InputError, UnknownContact
from netmaint_tui.services.followups import (
    add_follow_up_with_people, get_follow_up, list_follow_ups, reschedule, set_status, thank,
)
from netmaint_tui.store.errors import StoreError
from netmaint_tui.ui.format import example_date, safe
from netmaint_tui.ui.screens.forms import ConfirmDialog, FormScreen, typed_moment
from netmaint_tui.ui.widgets.contact_field import ContactField, SteadyInput
from netmaint_tui.ui.widgets.row_list import RowList, fit, vim_keys
from netmaint_tui.ui.widgets.title_bar import TitleBar
from netmaint_tui.ui.workers import reading
from netmaint_tui.ui.widgets.fitting_footer import FittingFooter

def due_forms(now) -> str:
    """What a due time may look like, with a dated example still to come."""
    return f"fri 3pm, tomorrow, in 3d, {example_date(now)} 14:00"
DUE_TIME = dt.time(9, 0)  # a day without a time means the start of a working day


def parse_due(text: str, now):
    return typed_moment(text, now, prefer="future", default_time=DUE_TIME)


class FollowUpList(RowList):
    HELP_GROUP = "Follow-ups"
    BINDINGS = vim_keys("follow_ups")

    def on_resize(self) -> None:
        # Columns are cut to the width the list really has, known only once it is laid out.
        screen = self.screen
        if isinstance(screen, FollowUpsScreen) and screen.is_mounted:
            screen._render_rows(keep=screen.current_id())


class FollowUpsScreen(Screen):
    HELP_GROUP = "Follow-ups"
    BINDINGS = [
        Binding("x", "done", "Done", id="follow_ups.done", tooltip="Mark done; offers to thank who suggested it"),
        Binding("d", "drop", "Drop", id="follow_ups.drop", tooltip="Drop it: it is not going to happen"),
        Binding("u", "change_due", "Due…", id="follow_ups.due", tooltip="Change the due date and time"),
        Binding("a", "add", "Add", id="follow_ups.add", tooltip="Add a follow-up for a contact"),
        Binding("enter", "open_contact", "Contact", id="follow_ups.open", tooltip="Show its contact in the list"),
        Binding("ctrl+z", "undo", "Undo", id="follow_ups.undo", tooltip="Undo the last change, whole"),
        Binding("escape", "close", "Back", id="follow_ups.back", tooltip="Back to the contacts"),
    ]
    DEFAULT_CSS = """
    FollowUpsScreen #fu-box { height: 1fr; border: round $panel-lighten-2; }
    FollowUpsScreen #fu-box:focus-within { border: round $primary; }
    FollowUpsScreen #fu-head { height: 1; padding: 0 1; color: $text-muted; text-style: bold; }
    FollowUpsScreen #fu-info { height: auto; max-height: 8; padding: 0 2; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.items: list = []
        self._lit: int | None = None  # the row drawn for the highlight

    def compose(self):
        yield TitleBar()
        with Vertical(id="fu-box"):  # the column titles inside the box, above the rows they name
            yield Static(id="fu-head")
            yield FollowUpList(id="fu-list")
        yield Static(id="fu-info")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.sub_title = "Follow-ups"
        self.reload()
        self.query_one(FollowUpList).focus()

    # --- data -------------------------------------------------------------------------------------

    def reload(self, keep: int | None = None) -> None:
        keep = keep if keep is not None else self.current_id()
        self.items = reading(self.app, lambda: list_follow_ups(self.app.ctx, "open"), [])
        self._render_rows(keep)

    def data_changed(self, keep: int | None = None) -> None:
        """Something else wrote (a quick note on top of this screen, an undo, another netmaint): show it."""
        self.reload(keep=keep)

    def current(self):
        option_list = self.query_one(FollowUpList)
        index = option_list.highlighted
        if index is None or not (0 <= index < len(self.items)):
            return None
        return self.items[index]

    def current_id(self) -> int | None:
        item = self.current() if self.is_mounted else None
        return item.id if item else None

    # --- drawing ----------------------------------------------------------------------------------

    def _widths(self) -> dict[str, int]:
        """Due and how far off are fixed; the people columns take what their names need (within
        a quarter of the rest each, a third when there is only one), and the rest goes to the
        follow-up itself."""
        # Two columns spare for a vertical scrollbar, so a long list does not wrap its rows.
        width = max(40, (self.query_one(FollowUpList).scrollable_content_region.width or self.size.width - 4) - 2)
        fixed = {"due": 16, "when": 11}
        rest = width - sum(fixed.values()) - 5
        with_about = any(f.about or f.about_text for f in self.items)
        cap = max(10, rest // 4 if with_about else rest // 3)

        def need(names, title) -> int:
            longest = max((cell_len(safe(n)) for n in names if n), default=0)
            return min(cap, max(longest, len(title))) if longest else 0

        people = {
            "from": need([f.suggested_by for f in self.items], "Suggested by"),
            "about": need([f.about or f.about_text for f in self.items], "About"),
        }
        return {**fixed, "what": max(10, rest - sum(people.values())), **people}

    def _row(self, f, w: dict[str, int], now, highlighted: bool = False) -> Content:
        # On the highlight the error colour is unreadable in every theme (contrast under 2): the
        # highlighted overdue row is in the highlight's own text colour, bold, and says "overdue".
        if highlighted:
            style, bold = ("bold" if f.overdue else ""), "bold"
        else:
            style = "$error" if f.overdue else ""
            bold = "$error bold" if f.overdue else "bold"
        about = f.about or f.about_text or ""
        parts: list = [
            (f.due.strftime("%a %d %b %H:%M").ljust(w["due"]), bold), " ",
            (due_words(f.due, now).rjust(w["when"]), style), "  ",
            (fit(safe(f.what), w["what"]), style),
        ]
        for key, value in (("from", f.suggested_by or ""), ("about", about)):
            if w[key]:
                parts += [" ", (fit(safe(value), w[key]), style or "$text-muted")]
        return Content.assemble(*parts)

    def _render_rows(self, keep: int | None = None) -> None:
        option_list = self.query_one(FollowUpList)
        # A follow-up that left the list (done, dropped): the cursor stays on its row, which now
        # holds the next one, so working down the list never jumps back to the top.
        row = option_list.highlighted or 0
        w = self._widths()
        now = self.app.ctx.now()
        option_list.clear_options()
        self._lit = None
        option_list.add_options([Option(self._row(f, w, now), id=str(f.id)) for f in self.items])
        head = "Due".ljust(w["due"]) + " " + "".rjust(w["when"]) + "  " + fit("What", w["what"])
        for key, title in (("from", "Suggested by"), ("about", "About")):
            if w[key]:
                head += " " + fit(title, w[key])
        self.query_one("#fu-head", Static).update(Content(head))
        overdue = sum(1 for f in self.items if f.overdue)
        self.query_one("#fu-box").border_title = f"Follow-ups ({len(self.items)} open" + (f" · {overdue} overdue)" if overdue else ")")
        if self.items:
            ids = [f.id for f in self.items]
            option_list.highlighted = ids.index(keep) if keep in ids else min(row, len(ids) - 1)
            self._light_row()
        self._show_info()

    @on(OptionList.OptionSelected, "#fu-list")
    def _selected(self) -> None:
        self.action_open_contact()  # Enter on the list

    @on(OptionList.OptionHighlighted, "#fu-list")
    def _highlighted(self) -> None:
        self._light_row()
        self._show_info()

    def _light_row(self) -> None:
        """The highlighted row drawn for the highlight, the one it left drawn as before."""
        option_list = self.query_one(FollowUpList)
        index = option_list.highlighted
        if index == self._lit:
            return
        w, now = self._widths(), self.app.ctx.now()
        for i, lit in ((self._lit, False), (index, True)):
            if i is not None and 0 <= i < len(self.items) and i < option_list.option_count:
                option_list.replace_option_prompt_at_index(i, self._row(self.items[i], w, now, highlighted=lit))
        self._lit = index

    def _show_info(self) -> None:
        info = self.query_one("#fu-info", Static)
        f = self.current()
        if f is None:
            info.update(Content.assemble(
                ("No open follow-ups. ", "bold"),
                ("Lines in a note that start with - [ ] or todo: become follow-ups; a adds one here.", "$text-muted"),
            ))
            return
        parts: list = [(safe(f.what, single_line=False), "bold"), "\n"]
        parts += [("due ", "$text-muted"), (f.due.strftime("%A %d %B %Y, %H:%M"), "$error bold" if f.overdue else ""),
                  "  ", (due_words(f.due, self.app.ctx.now()), "$error" if f.overdue else "$text-muted")]
        if f.suggested_by:
            parts += ["\n", ("suggested by ", "$text-muted"), safe(f.suggested_by),
                      ("  (x offers to thank them)", "$text-muted")]
        if f.about or f.about_text:
            parts += ["\n", ("about ", "$text-muted"), safe(f.about or f.about_text)]
        for note in f.notes:  # what a sync kept of the task's other values: nothing is lost
            parts += ["\n", (f"{note.at.strftime('%Y-%m-%d %H:%M')} {note.source}: ", "$warning"),
                      safe(note.text, single_line=False)]
        info.update(Content.assemble(*parts))

    # --- actions ------------------------------------------------------------------------------------

    def _need(self):
        f = self.current()
        if f is None:
            self.notify("No follow-up selected", severity="warning", markup=False)
        return f

    def _saved(self, keep: int | None = None) -> None:
        self.reload(keep=keep)
        self.app.changed()

    def _set(self, f, status: str):
        """Close the follow-up; the undo entry, or None when it could not be (already closed)."""

        word = "Done" if status == "done" else "Dropped"
        try:
            _, entry = self.app.act(f"{word}: {f.what}", lambda: set_status(self.app.ctx, f.id, status),
                                    subject=("follow_up", f.id))
        except (InputError, StoreError) as exc:
            self.notify(str(exc), severity="error", markup=False)
            self._saved()  # it changed underneath: show it as it is now
            return None
        self.notify(f"{word}: {safe(f.what)} · ctrl+z undoes", markup=False)
        self._saved()
        return entry

    def action_done(self) -> None:
        f = self._need()
        entry = self._set(f, "done") if f is not None else None
        if entry is not None:
            offer_thanks(self.app, f, after=self._saved, into=entry)

    def action_drop(self) -> None:
        f = self._need()
        if f is not None:
            self._set(f, "dropped")

    def action_undo(self) -> None:
        self.app.action_undo()

    def action_change_due(self) -> None:
        f = self._need()
        if f is None:
            return
        ctx = self.app.ctx

        def save(due: dt.datetime) -> None:
            self.app.act(f"New due time: {f.what}", lambda: reschedule(ctx, f.id, due), subject=("follow_up", f.id))

        def rescheduled(due: dt.datetime | None) -> None:
            if due is not None:
                self._say_if_past(due)
                self._saved(keep=f.id)

        self.app.push_screen(DueDialog(f.what, f.due.strftime("%Y-%m-%d %H:%M"), save), rescheduled)

    def action_add(self) -> None:
        ctx = self.app.ctx

        def save(values: dict) -> int:
            return self.app.act(f"Add follow-up: {values['what']}", lambda: add_follow_up_with_people(ctx, **values))[0]

        def added(follow_up_id: int | None) -> None:
            if follow_up_id is not None:
                self.notify("Follow-up added", markup=False)
                self._say_if_past(get_follow_up(ctx, follow_up_id).due)
                self._saved(keep=follow_up_id)

        self.app.push_screen(AddFollowUpForm(save), added)

    def _say_if_past(self, due: dt.datetime) -> None:
        """A due time already gone is kept (catching up on last week's promises is normal), and said."""
        now = self.app.ctx.now()
        if due < now:
            self.notify(f"That due time is already past ({due_words(due, now)}): it is listed as overdue",
                        severity="warning", markup=False, timeout=6)

    def action_open_contact(self) -> None:
        f = self._need()
        if f is None:
            return
        contact_id = f.about_id or f.suggested_by_id
        if contact_id is None:
            self.notify("This follow-up names no contact", markup=False)
            return
        self.app.goto_contact(contact_id)

    def action_close(self) -> None:
        self.dismiss(None)


def offer_thanks(app, f, after=None, into=None) -> None:
    """A referral is done: offer to thank whoever suggested it (a give touch, logged on yes).
    The thank-you joins `into`, the done's undo entry: one undo takes both back."""

    if f.suggested_by_id is None or not f.suggested_by:
        return
    name = safe(f.suggested_by)
    question = f"Thank {name}?\nThey suggested: {safe(f.what)}\n(y logs a give to {name}: a thank-you email)"

    def answer(yes: bool | None) -> None:
        if not yes:
            return
        try:
            app.act(f"Thank {f.suggested_by}", lambda: thank(app.ctx, f.id), into=into)
        except (InputError, StoreError) as exc:
            app.notify(str(exc), severity="error", markup=False)
            return
        app.notify(f"Thanked {name}: a give is logged", markup=False)
        if after is not None:
            after()

    app.push_screen(ConfirmDialog(question), answer)


class DueDialog(ModalScreen[dt.datetime | None]):
    """A small input for a new due time; what cannot be read stays in the dialog with the reason.
    `save(due)` reschedules; the dialog closes with the new due time once it has, None on Esc."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="due.cancel")]
    DEFAULT_CSS = """
    DueDialog { align: center middle; }
    DueDialog > Vertical { width: 64; max-width: 96%; height: auto; border: thick $primary; background: $surface;
        padding: 0 1; }
    DueDialog #due-error { color: $error; height: auto; }
    DueDialog #due-help { color: $text-muted; }
    """

    def __init__(self, what: str, current: str, save: Callable[[dt.datetime], object]) -> None:
        super().__init__()
        self.what = what
        self.current_text = current
        self._save = save

    def compose(self):
        with Vertical() as box:
            box.border_title = "Due"
            yield Static(Content.assemble(("New due time for: ", "$text-muted"), safe(self.what)))
            yield SteadyInput(self.current_text, placeholder=due_forms(self.app.ctx.now()), id="due-input")
            yield Static(id="due-error")
            yield Static(Content(f"Enter saves · Esc cancels · {due_forms(self.app.ctx.now())}"), id="due-help")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#due-input", Input))

    @on(Input.Submitted, "#due-input")
    def submitted(self, event: Input.Submitted) -> None:

        try:
            due = parse_due(event.value, self.app.ctx.now())
            self._save(due)
        except (InputError, StoreError) as exc:
            self.query_one("#due-error", Static).update(Content(str(exc)))
            return
        self.dismiss(due)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AddFollowUpForm(FormScreen[int]):
    """Whom it is about (a contact, or free text such as a company), what, when it is due (blank:
    in 24 hours), and who suggested it: the person a done follow-up offers to thank. Its values
    are services.followups.add_follow_up_with_people's arguments; `save` returns the new id."""

    def __init__(self, save: Callable[[dict], int], contact: str = "") -> None:
        super().__init__("Add a follow-up", save)
        self.contact = contact

    def fields(self):
        yield self.row("About", ContactField(self.contact, placeholder="a contact, or a company: whom it is about",
                                              id="fu-about", multiple=False, next_focus="#fu-what", allow_text=True))
        yield self.row("What", SteadyInput("", placeholder="send the deck, intro to Lee at Acme…", id="fu-what"))
        yield self.row("Due", SteadyInput("", placeholder=f"blank: in 24 hours · {due_forms(self.app.ctx.now())}", id="fu-due"))
        yield self.row("Suggested", ContactField("", placeholder="who suggested it (optional; x offers to thank them)",
                                                  id="fu-by", multiple=False))

    def on_mount(self) -> None:
        about = self.query_one("#fu-about", ContactField)
        self.set_focus(self.query_one("#fu-what", Input) if self.contact else about.input)

    def values(self) -> dict:
        about, by = self.query_one("#fu-about", ContactField), self.query_one("#fu-by", ContactField)
        if not about.names() and not by.names():
            raise InputError("whom is it about, or who suggested it? Type a few letters of a name")
        out = {"about": None, "about_text": "", "new_about": None, "suggested_by": None, "new_suggester": None}
        if about.names():
            try:
                if about.names()[0] in about.as_text:
                    raise UnknownContact(about.names()[0], [])
                ids, create = about.resolve()
            except UnknownContact:
                out["about_text"] = about.names()[0]  # a company, or someone not in the network
            else:
                out["about"], out["new_about"] = (ids or [None])[0], (create or [None])[0]
        if by.names():
            ids, create = by.resolve()  # the one who suggested it must be a person: known or added
            out["suggested_by"], out["new_suggester"] = (ids or [None])[0], (create or [None])[0]
        due_text = self.query_one("#fu-due", Input).value.strip()
        out["what"] = self.query_one("#fu-what", Input).value
        out["due"] = parse_due(due_text, self.app.ctx.now()) if due_text else None
        return out
