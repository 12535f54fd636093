"""A contact field that completes names as you type: one or several contacts, comma-separated.

The names are loaded once when the field mounts (one small query, even for 30,000 contacts) and
matched in memory on every keystroke: prefix of the name, then prefix of a later word, then
anywhere in it, then the letters in order ("dnl" finds "Dana Lee"). A name that matches nobody
exactly is offered as a new contact; nothing is created until the form that holds the field saves.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field

from rich.segment import Segment
from textual import events, on
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from netmaint_tui.services.common import UnknownContact
from netmaint_tui.services.contacts import contact_names, resolve_contact
from netmaint_tui.ui.compat import SelectCurrent, SelectOverlay
from netmaint_tui.ui.format import has_controls, one_for_one, safe
from netmaint_tui.ui.workers import on_own_connection

NEW = "new"
TEXT = "text"  # keep what was typed as plain text (a company, someone not in the network)


@dataclass(frozen=True)
class Entry:
    id: int
    name: str
    company: str = ""
    folded: str = field(default="", compare=False)


def entries_from(rows) -> list[Entry]:
    return [Entry(cid, name, company or "", name.casefold()) for cid, name, company in rows]


def match_names(query: str, entries: list[Entry], limit: int = 6) -> list[Entry]:
    """The entries that match `query`, best first. Pure, so it is tested without a screen.

    Ranked: the whole name, a prefix of it, a prefix of a later word, anywhere in it, then the
    letters in order; within a rank the shorter name first. Only the best `limit` are sorted, and
    the letters-in-order pass runs only when the others leave room: the first letter typed
    matches most of 30,000 names."""
    q = " ".join(query.casefold().split())
    if not q:
        return []
    word_q, dash_q = " " + q, "-" + q
    buckets: tuple[list[Entry], ...] = ([], [], [], [])
    exact, prefix, word, inside = (b.append for b in buckets)
    for e in entries:
        name = e.folded or e.name.casefold()
        if q not in name:
            continue
        if name == q:
            exact(e)
        elif name.startswith(q):
            prefix(e)
        elif word_q in name or dash_q in name:
            word(e)
        else:
            inside(e)
    found: list[Entry] = []
    for bucket in buckets:
        if len(found) >= limit:
            return found
        found += heapq.nsmallest(limit - len(found), bucket, key=_by_length)
    if len(found) >= limit:
        return found
    pattern = re.compile(".*?".join(re.escape(ch) for ch in q.replace(" ", "")))
    scattered = []
    for e in entries:
        name = e.folded or e.name.casefold()
        if q in name:
            continue
        m = pattern.search(name.replace(" ", ""))
        # Letters scattered over a long name are noise, not a guess.
        if not m or m.end() - m.start() > 3 * len(q):
            continue
        # Letters close together are a better guess than letters scattered over the name.
        scattered.append((m.end() - m.start(), len(name), name, e.id, e))
    return found + [r[-1] for r in heapq.nsmallest(limit - len(found), scattered, key=lambda r: r[:4])]


def _by_length(e: Entry) -> tuple[int, str, int]:
    name = e.folded or e.name.casefold()
    return len(name), name, e.id


def split_names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class Completions(OptionList, can_focus=False):
    DEFAULT_CSS = """
    Completions { display: none; height: auto; max-height: 7; border: none; padding: 0; background: $boost; }
    Completions > .option-list--option-highlighted { background: $block-cursor-blurred-background; }
    """


class SteadyKeys:
    """For form fields: a burst of keys stays in order across Tab.

    Textual routes each key to the widget focused when the key arrives, but a Tab bound as usual
    moves the focus only after it has bubbled up to the app: in "Omar<Tab>Lunch" typed fast (or
    pasted, or sent by a script) "Lunch" lands in the first field. Here Tab moves the focus while
    this field handles it, and keys that still reach this field afterwards go where the focus is.
    """

    async def on_key(self, event: events.Key) -> None:
        # Runs before the widget's own key handling (Textual calls each class's handler in MRO
        # order); prevent_default stops the widget's.
        focused = self.screen.focused
        if focused is not None and focused is not self and self not in focused.ancestors_with_self:
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
        elif focused is self and event.key in ("tab", "shift+tab"):
            event.stop()
            event.prevent_default()
            self.move_on(backwards=event.key == "shift+tab")
        elif focused is self and not self.check_consume_key(event.key, event.character):
            await self._run_binding(event)

    async def _run_binding(self, event: events.Key) -> None:
        """A key that is not typed text, by the first binding the focused chain has for it (the
        user's keymap applied; priority bindings ran before the key reached any widget).

        One of this field's own (backspace, arrows, ctrl+u, a list's down) runs here, before a Tab
        behind it moves the focus. One of the form's or the screen's (ctrl+s, Esc) runs in the
        app's turn, as Textual runs it, so a dialog it opens answers to the app. A key bound to
        nothing goes no further, as when typed slowly: passed on from another field, it would
        reach the app as if just typed and follow the focus to a later field."""
        active = self.screen.active_bindings.get(event.key)
        if active is None:
            event.stop()
        elif active.binding.priority or not active.enabled:
            return
        elif active.node is not self:
            event.stop()
            event.prevent_default()
            self.app.call_later(self.app.run_action, active.binding.action, active.node)
        elif await self.app.run_action(active.binding.action, self):
            event.stop()
            event.prevent_default()

    def move_on(self, backwards: bool = False) -> None:
        if backwards:
            self.screen.focus_previous()
        else:
            self.screen.focus_next()


class SteadyInput(SteadyKeys, Input):
    pass


class SteadyTextArea(SteadyKeys, TextArea):
    """Draws control characters as visible placeholders (␛, ␇): Textual's TextArea hands them to the
    terminal as they are, so a note holding an escape sequence would act on the terminal (a new
    clipboard, a cleared screen) as soon as the form showing it is drawn. The text stays as stored."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if not any(has_controls(segment.text) for segment in strip):
            return strip
        width = strip.cell_length
        shown = Strip([Segment(one_for_one(s.text), s.style, s.control) for s in strip])
        return shown.crop(0, width).adjust_cell_length(width)


class SteadyOverlay(SteadyKeys, SelectOverlay):
    """A Select's open list, steady too: picking or closing hands the focus back to the Select at
    once (Select does it through two messages and a deferred focus, which a following Tab would
    overtake, and the focus would then come back)."""

    def action_select(self) -> None:
        select = self.parent
        if self.highlighted is not None:
            select.value = select.option_values[self.highlighted]
        self._close(select)

    def action_dismiss(self) -> None:
        self._close(self.parent)

    def _close(self, select) -> None:
        select.expanded = False
        self.screen.set_focus(select, scroll_visible=False)


class SteadySelect(SteadyKeys, Select):
    def __init__(self, options, *, allow_blank: bool = True, type_to_search: bool = True, **kwargs) -> None:
        options = list(options)
        super().__init__(options, allow_blank=allow_blank, type_to_search=type_to_search, **kwargs)
        # What each row of the open list stands for, in its order (a blank row first if allowed).
        self.option_values = ([Select.NULL] if allow_blank else []) + [value for _, value in options]
        self.type_to_search_in_list = type_to_search

    def compose(self):
        yield SelectCurrent(self.prompt)
        yield SteadyOverlay(type_to_search=self.type_to_search_in_list).data_bind(compact=Select.compact)

    def action_show_overlay(self) -> None:
        super().action_show_overlay()
        # Select focuses its list on the next turn of the loop; a key already on its way would
        # still find the closed field focused. Focus the list now.
        self.screen.set_focus(self.query_one(SteadyOverlay), scroll_visible=False)


class ContactInput(SteadyInput):
    HELP_GROUP = "Quick note"
    BINDINGS = [
        # Handled in on_key (see SteadyKeys); listed so the help screen shows it.
        Binding("tab", "accept_and_next", "Take name", show=False, id="contact_field.accept",
                tooltip="Take the highlighted name and move on"),
        Binding("down", "completion(1)", "Next match", show=False, id="contact_field.down"),
        Binding("up", "completion(-1)", "Previous match", show=False, id="contact_field.up"),
    ]

    def on_key(self, event: events.Key) -> None:
        # Before SteadyKeys.on_key (Textual calls each class's handler, this class's first).
        if event.key == "enter" and self.screen.focused is self and isinstance(self.parent, ContactField):
            # Enter takes the name and stays, ready for the next one; handled here, not as a
            # binding, for the same reason as Tab (see SteadyInput).
            event.stop()
            event.prevent_default()
            self.parent.accept(add_separator=True)

    def move_on(self, backwards: bool = False) -> None:
        if backwards:
            self.screen.focus_previous()
        else:
            self.action_accept_and_next()

    def action_accept_and_next(self) -> None:
        field_ = self.parent
        if not isinstance(field_, ContactField):  # pragma: no cover - only used inside a ContactField
            self.screen.focus_next()
            return
        field_.accept()
        target = self.screen.query_one(field_.next_focus) if field_.next_focus else None
        if target is not None:
            self.screen.set_focus(target)
        else:
            self.screen.focus_next()
        field_.post_message(ContactField.Done(field_))

    def action_completion(self, step: int) -> None:
        field_ = self.parent
        if isinstance(field_, ContactField):
            field_.move_highlight(step)


class ContactField(Vertical):
    """Input + completion list. `picked` maps an accepted name to its id; `new_names` are to be created."""

    DEFAULT_CSS = """
    ContactField { height: auto; width: 1fr; }
    ContactField > #cf-new { color: $warning; height: auto; }
    """

    class Done(Message):
        """Tab in the field: a name was taken (or not); the form moves focus where it wants."""

        def __init__(self, field_: "ContactField") -> None:
            self.field = field_
            super().__init__()

        @property
        def control(self) -> "ContactField":
            return self.field

    def __init__(self, value: str = "", placeholder: str = "a few letters of the name", *, id: str | None = None,
                 picked: dict | None = None, new_names=(), multiple: bool = True,
                 next_focus: str | None = None, allow_text: bool = False) -> None:
        super().__init__(id=id)
        self.allow_text = allow_text  # a name nobody has may stay text instead of becoming a contact
        self.as_text: set[str] = set()
        self.next_focus = next_focus  # selector of the field Tab moves to (default: the next one)
        self._initial = value
        self._placeholder = placeholder
        self.multiple = multiple
        self.picked: dict[str, int] = dict(picked or {})
        self.new_names: set[str] = set(new_names)
        self._entries: list[Entry] | None = None
        self._completed_for: str | None = None
        self.compact = False  # one row high, as a form's other one-line fields (set before mounting)

    def compose(self):
        field = ContactInput(self._initial, placeholder=self._placeholder, id="cf-input")
        field.compact = self.compact
        yield field
        yield Completions(id="cf-completions")
        yield Static(id="cf-new")

    def on_mount(self) -> None:
        self._show_new()
        # The names are read on a worker once the form is drawn: the first letter typed finds
        # them there (30,000 took 300 ms to read, in that keystroke) and the form's first frame
        # does not wait for them.
        self.call_after_refresh(self._read_names)

    def _read_names(self) -> None:
        if self._entries is None and self.is_attached:
            self.run_worker(self._names_worker, thread=True, exclusive=True, group="names", exit_on_error=False)

    def _names_worker(self) -> None:
        entries = on_own_connection(lambda: entries_from(contact_names("", limit=10_000_000)))
        self.app.call_from_thread(self._names_read, entries)

    def _names_read(self, entries: list[Entry]) -> None:
        if self._entries is None:  # else a key read them first, on the screen's thread
            self._entries = entries

    @property
    def entries(self) -> list[Entry]:
        # A key typed before the worker is done (or before this widget's own mount has run,
        # "noma<Tab>" typed at once with `n`) reads them here.
        if self._entries is None:
            self._entries = entries_from(contact_names("", limit=10_000_000))
        return self._entries

    # --- reading -----------------------------------------------------------------------------

    @property
    def input(self) -> ContactInput:
        return self.query_one(ContactInput)

    @property
    def value(self) -> str:
        return self.input.value

    def names(self) -> list[str]:
        return split_names(self.value) if self.multiple else ([self.value.strip()] if self.value.strip() else [])

    def _segment(self) -> tuple[str, str]:
        """(everything before the name being typed, the name being typed)."""
        text = self.value
        if not self.multiple or "," not in text:
            return "", text
        head, _, tail = text.rpartition(",")
        return head + ", ", tail

    # --- completing ---------------------------------------------------------------------------

    @on(Input.Changed, "#cf-input")
    def _typed(self, event: Input.Changed) -> None:
        # Not stopped: the form hears every change too (its draft is saved from it).
        self._catch_up()
        self._show_new()

    def _catch_up(self) -> None:
        """Match what is in the field now. Keys typed fast run in the input before the Changed
        messages of the letters ahead of them arrive here: up, down, Tab and Enter catch the list
        up themselves, and a late Changed then finds it current and keeps the highlight."""
        if self._segment()[1].strip() != self._completed_for:
            self.refresh_completions()

    def refresh_completions(self) -> None:
        completions = self.query_one(Completions)
        _, typed = self._segment()
        typed = typed.strip()
        completions.clear_options()
        self._completed_for = typed
        settled = typed in self.picked or typed in self.new_names or typed in self.as_text
        if not typed or settled or self.screen.focused is not self.input:
            completions.display = False
            return
        found = match_names(typed, self.entries)
        exact = any(e.folded == typed.casefold() for e in found)
        options = [
            Option(Content.assemble(safe(e.name), ("  " + safe(e.company), "$text-muted") if e.company else ""), id=str(e.id))
            for e in found
        ]
        new = [Option(Content.assemble(("+ new contact ", "$warning"), "“", safe(typed), "”"), id=NEW)]
        if self.allow_text:
            new.insert(0, Option(Content.assemble("“", safe(typed), "”", (" as text", "$text-muted")), id=TEXT))
        if not exact:
            options = options + new if found else new + options
        completions.add_options(options)
        completions.highlighted = 0
        completions.display = True

    def move_highlight(self, step: int) -> None:
        self._catch_up()
        completions = self.query_one(Completions)
        if not completions.display or not completions.option_count:
            return
        current = completions.highlighted or 0
        completions.highlighted = (current + step) % completions.option_count

    def accept(self, add_separator: bool = False) -> str | None:
        """Put the highlighted completion in place of the name being typed; returns the name taken."""
        completions = self.query_one(Completions)
        self._catch_up()
        head, typed = self._segment()
        typed = typed.strip()
        taken = None
        if typed and completions.display and completions.highlighted is not None:
            option = completions.get_option_at_index(completions.highlighted)
            if option.id == TEXT:
                taken = typed
                self.as_text.add(typed)
            elif option.id == NEW:
                taken = typed
                self.new_names.add(typed)
            else:
                entry = next(e for e in self.entries if str(e.id) == option.id)
                taken = entry.name
                self.picked[entry.name] = entry.id
        text = head + (taken if taken is not None else typed)
        if add_separator and self.multiple and text.strip():
            text += ", "
        self.input.value = text
        self.input.cursor_position = len(text)
        completions.display = False
        self._show_new()
        return taken

    def on_descendant_blur(self) -> None:
        self.query_one(Completions).display = False

    def on_descendant_focus(self) -> None:
        self.refresh_completions()

    def _show_new(self) -> None:
        names = [n for n in self.names() if n in self.new_names and n not in self.picked]
        hint = self.query_one("#cf-new", Static)
        if names:
            hint.update(Content.assemble("new contact: ", safe(", ".join(names)), " (added when you save)"))
            hint.display = True
        else:
            hint.update(Content(""))
            hint.display = False

    # --- resolving ----------------------------------------------------------------------------

    def resolve(self) -> tuple[list[int], list[str]]:
        """(ids of known contacts, names to create). Raises UnknownContact for a name nobody has
        and that was not chosen as new, AmbiguousContact for one that fits several people."""

        ids: list[int] = []
        create: list[str] = []
        for name in self.names():
            cid = self.picked.get(name)
            if cid is None:
                same = [e.id for e in self.entries if e.folded == name.casefold()]
                if len(same) == 1:
                    cid = same[0]
            if cid is None:
                try:
                    cid = resolve_contact(name)
                except UnknownContact:
                    if name not in self.new_names:
                        # The names the list under the field offered, not another guess.
                        raise UnknownContact(name, [e.name for e in match_names(name, self.entries)]) from None
            if cid is None:
                if name not in create:
                    create.append(name)
            elif cid not in ids:
                ids.append(cid)
        return ids, create
