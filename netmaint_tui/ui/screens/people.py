"""People worth adding: the addresses the user met or wrote to three times or more that are no
contact's (services.capture.people_worth_adding), most often first. `a` (or Enter) adds the one
highlighted as a contact, with its name and address; ctrl+z takes it back. The next capture then
logs their meetings and mail, which it remembered as having nobody who was a contact.
"""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from netmaint_tui.rules.capture import contact_name
from netmaint_tui.rules.vocabulary import plural
from netmaint_tui.services.capture import people_worth_adding
from netmaint_tui.services.common import InputError
from netmaint_tui.services.contacts import add_contact
from netmaint_tui.store.errors import StoreError
from netmaint_tui.ui.format import safe
from netmaint_tui.ui.widgets.row_list import RowList, fit, vim_keys
from netmaint_tui.ui.widgets.title_bar import TitleBar
from netmaint_tui.ui.workers import reading
from netmaint_tui.ui.widgets.fitting_footer import FittingFooter

EMPTY = ("Nobody yet. After a capture (i: a calendar or a mailbox), the people you met or wrote to three "
         "times or more who are no contacts are listed here.")


class PeopleList(RowList):
    HELP_GROUP = "People worth adding"
    BINDINGS = vim_keys("people")


class PeopleScreen(Screen):
    HELP_GROUP = "People worth adding"
    BINDINGS = [
        Binding("a", "add", "Add", id="people.add", tooltip="Add the highlighted person as a contact (Enter too)"),
        Binding("ctrl+z", "undo", "Undo", id="people.undo", tooltip="Undo the last change, whole"),
        Binding("escape", "close", "Back", id="people.back", tooltip="Back to the screen before"),
    ]
    DEFAULT_CSS = """
    PeopleScreen #people-box { height: 1fr; border: round $primary; }
    PeopleScreen #people-head { height: 1; padding: 0 1; color: $text-muted; text-style: bold; }
    PeopleScreen #people-info { height: auto; padding: 0 2; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.people: list = []
        self.added = 0

    def compose(self):
        yield TitleBar()
        with Vertical(id="people-box"):
            yield Static(id="people-head")
            yield PeopleList(id="people-list")
        yield Static(id="people-info")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.sub_title = "People worth adding"
        self.reload()
        self.query_one(PeopleList).focus()

    def reload(self, keep: str | None = None) -> None:
        self.people = reading(self.app, lambda: people_worth_adding(self.app.ctx), [])
        option_list = self.query_one(PeopleList)
        highlighted = option_list.highlighted
        width = max(40, (option_list.scrollable_content_region.width or self.size.width - 4) - 2)
        name_width = max(12, min(30, (width - 40) // 2))
        email_width = max(12, width - name_width - 30)
        self.query_one("#people-head", Static).update(Content(
            f"{'Name':<{name_width}} {'Address':<{email_width}} {'Times':>6}  Last"))
        option_list.clear_options()
        option_list.add_options([
            Option(Content.assemble(
                fit(safe(contact_name(p.name, p.email)), name_width), " ", (fit(safe(p.email), email_width), "bold"),
                " ", f"{p.count:>6}", ("  " + p.last.strftime("%Y-%m-%d"), "$text-muted")))
            for p in self.people
        ])
        if self.people:
            emails = [p.email for p in self.people]
            index = emails.index(keep) if keep in emails else min(highlighted or 0, len(self.people) - 1)
            option_list.highlighted = index
        info = EMPTY if not self.people else (
            f"{plural(len(self.people), 'address')} you met or wrote to three times or more. a adds one as a contact; "
            "capture again, and their meetings and mail become touches.")
        self.query_one("#people-info", Static).update(Content(info))

    def data_changed(self, keep=None) -> None:
        """An undo, or another netmaint wrote: show what is there now."""
        self.reload()

    def current(self):
        index = self.query_one(PeopleList).highlighted
        return self.people[index] if index is not None and 0 <= index < len(self.people) else None

    def action_add(self) -> None:
        person = self.current()
        if person is None:
            return
        if self.app.readonly:
            self.notify("The database is read-only: nobody can be added.", severity="warning", markup=False)
            return
        name = contact_name(person.name, person.email)
        ctx = self.app.ctx
        try:
            cid, entry = self.app.act(f"Add {name}", lambda: add_contact(ctx, name, emails=[person.email]))
        except (InputError, StoreError) as exc:  # a full disk, a busy file: said, and nothing added
            self.notify(f"Could not add {safe(name)}: {exc}", severity="error", markup=False)
            return
        entry.subject = ("contact", cid)
        self.added += 1
        self.notify(f"Added {safe(name)} ({safe(person.email)}) · ctrl+z to undo", markup=False)
        self.app.changed()
        self.reload()

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_add()

    def action_undo(self) -> None:
        self.app.action_undo()

    def action_close(self) -> None:
        self.dismiss(self.added)
