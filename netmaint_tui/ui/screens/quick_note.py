"""Quick note after a meeting: `n`, a few letters of the name, Tab, the note, ctrl+s.

What is typed is saved as a draft (debounced, in the database) so a crash or a closed terminal
loses nothing; the next start offers it back. Saving or deliberately discarding deletes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual import events, on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from netmaint_tui.rules.dates import DateInputError, parse_when
from netmaint_tui.rules.vocabulary import CHANNELS, KINDS
from netmaint_tui.services.common import AmbiguousContact, InputError, UnknownContact
from netmaint_tui.services.drafts import discard_draft, load_draft, save_draft
from netmaint_tui.services.touches import LogResult, save_quick_note, validate_touch
from netmaint_tui.store.errors import StoreError
from netmaint_tui.ui.compat import StyledOnce
from netmaint_tui.ui.format import safe
from netmaint_tui.ui.screens.forms import ConfirmDialog
from netmaint_tui.ui.widgets.contact_field import ContactField, SteadyInput, SteadySelect, SteadyTextArea

FIELDS = ("contacts", "channel", "kind", "when", "minutes", "note")


def draft_is_empty(payload: dict | None) -> bool:
    return not payload or not (str(payload.get("note", "")).strip() or str(payload.get("contacts", "")).strip())


@dataclass(frozen=True)
class SavedNote:
    """What a saved quick note did: the touch logged, the contacts it added, everyone it is with."""

    log: LogResult
    added: list[str]
    contact_ids: list[int]


class QuickNoteScreen(StyledOnce, ModalScreen[SavedNote | None]):
    """Dismissed with the SavedNote once the touch is logged, None when closed without it."""

    HELP_GROUP = "Quick note"
    keeps_letters = True  # the app's `n` is a letter here, not a second note
    draft_delay = 0.4  # seconds of quiet before the draft is written; well inside "about a second"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="quick_note.save", tooltip="Log the touch and close"),
        Binding("escape", "close", "Close", id="quick_note.close",
                tooltip="Close; with a note typed, asks: keep it as a draft or discard it"),
    ]
    DEFAULT_CSS = """
    QuickNoteScreen { align: center middle; }
    QuickNoteScreen > #qn { width: 80; max-width: 98%; height: 28; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    QuickNoteScreen .row { height: auto; }
    QuickNoteScreen .row > Label { width: 9; padding: 1 1 0 0; color: $text-muted; }
    QuickNoteScreen .compact { height: 1; margin-top: 1; }
    QuickNoteScreen .compact > Label { width: 9; color: $text-muted; }
    QuickNoteScreen .compact > Label.second { width: 10; padding-left: 2; }
    QuickNoteScreen .compact > Select, QuickNoteScreen .compact > Input { width: 1fr; }
    QuickNoteScreen #qn-note { height: 1fr; min-height: 3; }
    QuickNoteScreen #qn-note-label { color: $text-muted; }
    QuickNoteScreen #qn-error { color: $error; height: auto; }
    QuickNoteScreen #qn-help { color: $text-muted; height: 1; }
    """

    def __init__(self, draft: dict | None = None) -> None:
        super().__init__()
        self.draft = dict(draft or {})
        self._draft_timer: Timer | None = None
        self._finished = False
        self._early_keys = True
        self._draft_error = False

    # --- layout ---------------------------------------------------------------------------

    def compose(self):
        d = self.draft
        with Vertical(id="qn") as box:
            box.border_title = "Quick note"
            with Horizontal(classes="row"):
                yield Label("With")
                yield ContactField(d.get("contacts", ""), placeholder="a few letters of the name, Tab · several: Dana, Omar",
                                   id="qn-contacts", picked=d.get("picked"), new_names=d.get("new", ()),
                                   next_focus="#qn-note")
            yield Label("Note · lines starting - [ ] or todo: become follow-ups",
                        id="qn-note-label")
            yield SteadyTextArea(d.get("note", ""), id="qn-note", soft_wrap=True, tab_behavior="focus")
            # One line each (compact), so the note keeps the room on an 80×24 terminal.
            with Horizontal(classes="compact"):
                yield Label("Channel")
                yield SteadySelect([(c, c) for c in CHANNELS], value=d.get("channel", "meeting"), allow_blank=False,
                             compact=True, id="qn-channel")
                yield Label("Kind", classes="second")
                yield SteadySelect([(k, k) for k in KINDS], value=d.get("kind", "catch-up"), allow_blank=False,
                             compact=True, id="qn-kind")
            with Horizontal(classes="compact"):
                yield Label("When")
                yield SteadyInput(d.get("when", "now"), placeholder="now, yesterday 3pm, fri, 2h ago", compact=True,
                                  id="qn-when")
                yield Label("Minutes", classes="second")
                yield SteadyInput(d.get("minutes", ""), placeholder="optional", compact=True, id="qn-minutes")
            yield Static(id="qn-error")
            yield Static(Content("Tab takes the name · ctrl+s save · Esc close: keep as draft or discard"), id="qn-help")

    def on_mount(self) -> None:
        if not self.draft.get("started_at"):
            self.draft["started_at"] = self.app.ctx.now().isoformat()
        # set_focus, not focus(): at once, so keys already on their way land in the field.
        if self._only_prefilled(self.draft):
            # The highlighted contact, selected: Tab takes it, a letter typed starts another name.
            field = self.query_one(ContactField).input
            self.set_focus(field)
            field.select_all()
        elif self.draft.get("contacts"):
            note = self.query_one("#qn-note", TextArea)
            note.move_cursor(note.document.end)
            self.set_focus(note)
        else:
            self.set_focus(self.query_one(ContactField).input)
        self.post_message(self._FocusSettled())

    class _FocusSettled(Message):
        """Queued behind any keys that reached this screen before its first field had the focus."""

    def on_key(self, event: events.Key) -> None:
        # Keys typed right after `n` ("noma<Tab>…" in one go) are routed to this screen while
        # nothing in it has the focus yet; they belong, in order, to the field that has it now.
        # Later keys arrive here only by bubbling up from a field, and are left alone.
        if self._early_keys and self.focused is not None:
            event.stop()
            event.prevent_default()
            self.focused.post_message(events.Key(event.key, event.character))

    @on(_FocusSettled)
    def _focus_settled(self) -> None:
        self._early_keys = False

    # --- values and the draft -----------------------------------------------------------------

    def values(self) -> dict:
        field = self.query_one(ContactField)
        return {
            "contacts": field.value,
            "picked": {name: cid for name, cid in field.picked.items() if name in field.names()},
            "new": sorted(n for n in field.new_names if n in field.names()),
            "channel": self.query_one("#qn-channel", Select).value,
            "kind": self.query_one("#qn-kind", Select).value,
            "when": self.query_one("#qn-when", Input).value,
            "minutes": self.query_one("#qn-minutes", Input).value,
            "note": self.query_one("#qn-note", TextArea).text,
            "started_at": self.draft.get("started_at"),
        }

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _edited(self) -> None:
        if self._finished or not self.is_mounted:
            return
        # Debounced: each change restarts the wait, so a burst of typing is one small write.
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if self.draft_delay <= 0:  # no debounce: written as soon as the change is handled
            self._draft_timer = None
            self.call_later(self.save_draft_now)
            return
        self._draft_timer = self.set_timer(self.draft_delay, self.save_draft_now)

    def _only_prefilled(self, payload: dict) -> bool:
        """Nothing typed yet: the contact filled in from the list, and no note."""
        prefilled = self.draft.get("prefilled")
        return bool(prefilled) and payload.get("contacts") == prefilled and not str(payload.get("note", "")).strip()

    def save_draft_now(self) -> None:
        self._draft_timer = None
        if self._finished or self.app.readonly:
            return
        from peewee import PeeweeException

        payload = self.values()
        try:
            if draft_is_empty(payload) or self._only_prefilled(payload):
                discard_draft()
            else:
                save_draft(self.app.ctx, payload)
        except (StoreError, PeeweeException, OSError) as exc:
            # A full disk must not take the note being typed with it: it stays on screen, ctrl+s may still work.
            self._error(f"Draft not saved: {exc}")
            self._draft_error = True
            return
        if self._draft_error:
            self._error("")
            self._draft_error = False

    def _finish(self, saved: SavedNote | None) -> None:
        """Close; a note that was not saved is discarded deliberately, so its draft goes too."""

        if saved is None and not self.app.readonly:
            try:
                discard_draft()
            except StoreError as exc:
                self.app.notify(f"The draft could not be removed: {exc}", severity="warning", markup=False)
        self._finished = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        self.dismiss(saved)

    # --- save ---------------------------------------------------------------------------------

    def _error(self, text: str) -> None:
        self.query_one("#qn-error", Static).update(Content(text))

    def action_save(self) -> None:

        values = self.values()
        ctx = self.app.ctx
        try:
            at = parse_when(values["when"] or "now", ctx.now())
        except DateInputError as exc:
            self._error(f"When: {exc}")
            self.query_one("#qn-when", Input).focus()
            return
        try:
            validate_touch(ctx, at, values["channel"], values["kind"], values["minutes"] or None)
        except InputError as exc:
            self._error(str(exc))
            return
        field = self.query_one(ContactField)
        if not field.names():
            self._error("Who was it with? Type a few letters of the name.")
            field.input.focus()
            return
        try:
            ids, create = field.resolve()
        except UnknownContact as exc:
            self._ask_to_create(exc)
            return
        except AmbiguousContact as exc:
            self._error(f"{exc} (pick one from the list as you type)")
            field.input.focus()
            return
        except InputError as exc:  # an archived contact's name, say
            self._error(str(exc))
            field.input.focus()
            return
        self._write(ids, create, at, values)

    def _ask_to_create(self, exc) -> None:
        field = self.query_one(ContactField)
        hint = f" (did you mean {', '.join(safe(s) for s in exc.suggestions)}?)" if exc.suggestions else ""
        question = f"No contact named “{safe(exc.name)}”{hint}.\nAdd “{safe(exc.name)}” as a new contact and save?"

        def answer(yes: bool | None) -> None:
            if yes:
                field.new_names.add(exc.name)
                self.action_save()
            else:
                self._error(f"No contact named “{safe(exc.name)}”: fix the name, or pick “+ new contact”.")
                field.input.focus()

        self.app.push_screen(ConfirmDialog(question), answer)

    def _write(self, ids: list[int], create: list[str], at, values: dict) -> None:

        ctx = self.app.ctx
        try:
            (result, new_ids), _ = self.app.act("Quick note", lambda: save_quick_note(
                ctx, ids, create, at, channel=values["channel"], kind=values["kind"],
                minutes=values["minutes"] or None, note=values["note"]))
        except (InputError, StoreError) as exc:  # a full disk or a busy file keeps the note open
            self._error(str(exc))
            return
        self._finish(SavedNote(result, create, ids + new_ids))

    # --- close --------------------------------------------------------------------------------

    def action_close(self) -> None:
        if not self.query_one("#qn-note", TextArea).text.strip():
            self._finish(None)
            return

        def answer(choice: str | None) -> None:
            if choice == "keep":
                self._keep_as_draft()
            elif choice == "discard":
                self._finish(None)

        self.app.push_screen(CloseNoteDialog(), answer)

    def _keep_as_draft(self) -> None:
        """Close with the note kept: the next `n` (or the next start) brings it back."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self.save_draft_now()
        if self._draft_error:
            return  # not written: the note stays open, the line under it says why
        self._finished = True
        self._draft_timer = None
        self.app.notify("Kept as a draft: n brings it back", markup=False)
        self.dismiss(None)


class CloseNoteDialog(ModalScreen[str | None]):
    """Esc on a note with text: k keeps it as a draft, d discards it, Esc goes back to it."""

    BINDINGS = [
        Binding("k,enter", "answer('keep')", "Keep as draft", id="close_note.keep"),
        Binding("d", "answer('discard')", "Discard", id="close_note.discard"),
        Binding("escape", "answer(None)", "Back to the note", id="close_note.back"),
    ]
    DEFAULT_CSS = """
    CloseNoteDialog { align: center middle; }
    CloseNoteDialog > Vertical { width: 64; max-width: 96%; height: auto; border: thick $warning;
        background: $surface; padding: 1 2; }
    CloseNoteDialog Horizontal { height: auto; margin-top: 1; }
    CloseNoteDialog Button { margin-right: 2; }
    """

    def __init__(self, question: str = "Close this note? Kept as a draft, the next n brings it back.") -> None:
        super().__init__()
        self.question = question

    def compose(self):
        with Vertical():
            yield Static(Content(self.question))
            with Horizontal():
                yield Button("Keep as draft (k)", id="keep", variant="primary")
                yield Button("Discard (d)", id="discard", variant="warning")
                yield Button("Back (Esc)", id="back")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "back" else event.button.id)

    def action_answer(self, choice: str | None) -> None:
        self.dismiss(choice)


def open_quick_note(app, draft: dict | None = None, with_contact: tuple[int, str] | None = None) -> None:
    """`n` from anywhere; a second `n` while one is open does nothing. `with_contact` (id, name),
    opened from the list: that contact is filled in, unless an unsaved note comes back."""
    if any(isinstance(s, QuickNoteScreen) for s in app.screen_stack):
        return
    if getattr(app, "readonly", False):
        app.notify("The database is read-only: notes cannot be saved", severity="warning", markup=False)
        return
    if draft is None:
        # One draft at a time: a new note picks up the unsaved one rather than overwrite it.
        saved = load_draft()
        if not draft_is_empty(saved):
            draft = _dated(saved)
            app.notify("Your unsaved quick note is back", markup=False)
        elif with_contact is not None:
            cid, name = with_contact
            draft = {"contacts": name, "picked": {name: cid}, "prefilled": name}

    def saved(note: SavedNote | None) -> None:
        if note is None:
            return
        for name in note.added:
            app.notify(f"Added contact {safe(name)}", markup=False)
        app.announce_log(note.log)
        app.data_changed(("contact", note.contact_ids[0]) if note.contact_ids else None)

    app.push_screen(QuickNoteScreen(draft), saved)


class RestoreDraftDialog(ModalScreen[str]):
    """y restores, n discards, Esc decides later (the draft stays)."""

    BINDINGS = [
        Binding("y,enter", "answer('restore')", "Restore", id="restore_draft.yes"),
        Binding("n", "answer('discard')", "Discard", id="restore_draft.no"),
        Binding("escape", "answer('later')", "Later", id="restore_draft.later"),
    ]
    DEFAULT_CSS = """
    RestoreDraftDialog { align: center middle; }
    RestoreDraftDialog > Vertical { width: 64; max-width: 96%; height: auto; border: thick $warning;
        background: $surface; padding: 1 2; }
    RestoreDraftDialog #rd-preview { color: $text-muted; margin-top: 1; }
    RestoreDraftDialog Horizontal { height: auto; margin-top: 1; }
    RestoreDraftDialog Button { margin-right: 2; }
    """

    def __init__(self, payload: dict) -> None:
        super().__init__()
        self.payload = payload

    def compose(self):
        p = self.payload
        first = next((line for line in str(p.get("note", "")).splitlines() if line.strip()), "")
        who = str(p.get("contacts", "")).strip() or "no name yet"
        with Vertical() as box:
            box.border_title = "Unsaved quick note"
            yield Static(Content("Restore the unsaved quick note?"))
            yield Static(Content.assemble("With: ", safe(who), "\n", safe(first)), id="rd-preview")
            with Horizontal():
                yield Button("Restore (y)", id="restore", variant="primary")
                yield Button("Discard (n)", id="discard", variant="warning")
                yield Button("Later (Esc)", id="later")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_answer(self, choice: str) -> None:
        self.dismiss(choice)


def offer_saved_draft(app) -> None:
    """At start: a draft left by a crash is offered back before anything else."""
    if getattr(app, "readonly", False):
        return
    if any(isinstance(screen, QuickNoteScreen) for screen in app.screen_stack):
        return  # a note opened before the offer came up has already taken the draft back
    payload = load_draft()
    if payload is None:
        return
    if draft_is_empty(payload):
        discard_draft()
        return
    payload = _dated(payload)

    def answer(choice: str | None) -> None:
        if choice == "restore":
            open_quick_note(app, payload)
        elif choice == "discard":
            discard_draft()
            app.notify("Draft discarded", markup=False)

    app.push_screen(RestoreDraftDialog(payload), answer)


def _dated(payload: dict) -> dict:
    """A draft that said "now" meant the moment it was started, not the moment it is restored."""
    payload = dict(payload)
    when = str(payload.get("when", "")).strip().lower()
    started = payload.get("started_at")
    if when in ("", "now") and started:
        try:
            moment = dt.datetime.fromisoformat(started)
        except ValueError:
            return payload
        payload["when"] = moment.strftime("%Y-%m-%d %H:%M")
    return payload
