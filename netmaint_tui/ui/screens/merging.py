"""Merging duplicates in the app: the likely pairs to pick from, and a merge's preview.

The list marks two contacts (m) and M merges them; M with nothing marked opens the likely
duplicates. The preview says what the kept contact will hold, what goes into its notes, and the
history, goodwill and leads afterwards; `s` keeps the other one instead. The merge goes through
app.act, so `u` undoes it whole; a copy of the database is made before it.
"""

from __future__ import annotations

from textual import on, work
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from netmaint_tui.rules.schema import label
from netmaint_tui.rules.vocabulary import plural
from netmaint_tui.services.common import InputError
from netmaint_tui.services.merging import (
    SHOWN, duplicate_pairs, merge_contacts, merge_preview, not_duplicates, shown_value,
)
from netmaint_tui.store.errors import StoreError
from netmaint_tui.ui.format import hanging, safe, signed
from netmaint_tui.ui.workers import on_own_connection


def open_merge(app, keep: int, other: int, done=None) -> None:
    """The preview of merging `other` into `keep`; merged on `y`. `done(kept_id)` after a merge."""
    try:
        preview = merge_preview(app.ctx, keep, other)
    except (InputError, StoreError) as exc:
        app.notify(str(exc), severity="error", markup=False)
        return

    def answered(answer: str | None) -> None:
        if answer == "swap":
            open_merge(app, other, keep, done)
            return
        if answer != "merge":
            return
        try:
            app.act(f"Merge {preview.other.name} into {preview.keep.name}",
                    lambda: merge_contacts(app.ctx, keep, other), subject=("contact", keep))
        except (InputError, StoreError) as exc:
            app.notify(f"Not merged: {exc}", severity="error", markup=False)
            return
        app.notify(f"Merged {safe(preview.other.name)} into {safe(preview.keep.name)} · u to undo", markup=False)
        app.changed(keep=keep)
        if done is not None:
            done(keep)

    app.push_screen(MergeDialog(preview), answered)


def toggle_mark(app, contacts) -> None:
    """Mark or unmark the list's highlighted contact; two at most (a third replaces the oldest)."""
    cid = contacts.selected_id
    contacts.marked = [c for c in contacts.marked if c != cid] if cid in contacts.marked else [*contacts.marked, cid][-2:]
    contacts.refresh()
    app.notify({0: "No contact marked", 1: "1 marked: mark another (m), then M merges them"}.get(
        len(contacts.marked), "2 marked: M shows what merging them would do"), markup=False)


def merge_marked(app, contacts, closed) -> None:
    """The two marked contacts (or the one marked and the highlighted one) to the merge's
    preview, the first marked kept; with none, the likely duplicates (`closed` runs after)."""
    marked, current = contacts.marked, contacts.selected_id
    if len(marked) == 2:
        pair = marked
    elif marked and current is not None and current not in marked:
        pair = [marked[0], current]
    else:
        app.push_screen(DuplicatesScreen(), closed)
        return

    def merged(_kept: int) -> None:
        contacts.marked = []

    open_merge(app, pair[0], pair[1], done=merged)


def _title(key: str) -> str:
    words = label(key)
    return words[:1].upper() + words[1:]  # "LinkedIn" stays so


VALUE_COLUMN = 10  # where the values start, under the field names beside them


def preview_content(p, width: int = 0) -> Content:
    """The preview; with `width` (the dialog's, once laid out) a long value wraps under its value
    column, not under the field names."""

    def row(title: str, value: Content) -> list:
        return hanging((f"{title:<{VALUE_COLUMN}}", "$text-muted"), value, width, VALUE_COLUMN,
                       long_word_apart=False)

    parts: list = [("Keep    ", "$text-muted"), (safe(p.keep.name), "bold"), f"  #{p.keep.id}\n",
                   ("Merge in ", "$text-muted"), safe(p.other.name), f"  #{p.other.id}  (removed after)\n"]
    if p.reasons:
        parts += [("Why     ", "$text-muted"), safe("; ".join(p.reasons)), "\n"]
    parts += ["\n", ("The result", "bold")]
    taken, united = set(p.plan.taken), p.plan.united
    for key in SHOWN:
        value = shown_value(key, p.result[key])
        if not value:
            continue
        whose = ""
        if key in taken or (key in united and united[key] == p.result[key]):
            whose = "  ← theirs"
        elif key in united:
            whose = f"  (+{len(united[key])} theirs)"
        parts += ["\n", *row(_title(key), Content.assemble(safe(value), (whose, "$success")))]
    if p.plan.noted:
        parts += ["\n\n", ("Into the notes (both differ; the kept contact's value stays)", "bold")]
        for key, mine, theirs in p.plan.noted:
            parts += ["\n", *row(_title(key), Content.assemble(
                safe(shown_value(key, theirs)), (f"  (kept: {safe(shown_value(key, mine))})", "$text-muted")))]
    parts += ["\n\n", ("History   ", "$text-muted"),
              f"{p.keep.touches} + {p.other.touches} touches"
              + (f", {p.shared_touches} with both" if p.shared_touches else "") + f" → {p.touches}",
              "\n", ("Goodwill  ", "$text-muted"), f"{signed(p.keep.gives - p.keep.asks)} and "
              f"{signed(p.other.gives - p.other.asks)} → {signed(p.gives - p.asks)}",
              "\n", ("Leads     ", "$text-muted"), f"{p.keep.leads} + {p.other.leads} → {p.leads}"]
    if p.follow_ups:
        moves = "moves" if p.follow_ups == 1 else "move"
        parts += [(f"   ({plural(p.follow_ups, 'follow-up')} {moves} over)", "$text-muted")]
    return Content.assemble(*parts)


class MergeDialog(ModalScreen[str | None]):
    """A merge's preview: y merges, s keeps the other one instead, Esc cancels."""

    BINDINGS = [
        Binding("y", "answer('merge')", "Merge", id="merge.yes", tooltip="Merge them into one"),
        Binding("s", "answer('swap')", "Keep the other", id="merge.swap", tooltip="Keep the other contact instead"),
        Binding("escape,n", "answer(None)", "Cancel", id="merge.cancel"),
    ]
    DEFAULT_CSS = """
    MergeDialog { align: center middle; }
    MergeDialog > Vertical { width: 80; max-width: 96%; height: auto; max-height: 94%; border: thick $warning;
        background: $surface; padding: 0 1; }
    MergeDialog #merge-scroll { height: auto; }
    MergeDialog #merge-preview { height: auto; }
    MergeDialog #merge-help { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, preview) -> None:
        super().__init__()
        self.preview = preview

    def compose(self):
        with Vertical() as box:
            box.border_title = "Merge two contacts into one"
            # Scrolls on a short terminal, so that the keys below stay in view.
            with VerticalScroll(id="merge-scroll"):
                yield Static(preview_content(self.preview), id="merge-preview")
            yield Static(Content("y merge (a copy of the database is made first; u undoes it) · "
                                 "s keep the other one · Esc cancel"), id="merge-help")

    def on_resize(self) -> None:
        # The box's border, its help line and a margin take 6 rows of the screen.
        self.query_one("#merge-scroll").styles.max_height = max(3, self.size.height - 8)
        self.call_after_refresh(self._wrap)

    def _wrap(self) -> None:
        """Laid out anew for the width the preview has now: long values hang under their column."""
        preview = self.query_one("#merge-preview", Static)
        preview.update(preview_content(self.preview, preview.content_region.width))

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)


class DuplicatesScreen(ModalScreen[None]):
    """The likely duplicates, strongest reason first: Enter previews merging a pair."""

    HELP_GROUP = "Duplicates"
    SHOWN = 500  # pairs listed; the command line lists them all
    BINDINGS = [
        Binding("escape", "close", "Close", id="duplicates.close"),
        Binding("x", "apart", "Two people", id="duplicates.apart",
                tooltip="Not one person: list this pair no more (u undoes it)"),
        Binding("u", "app.undo", "Undo", id="duplicates.undo", tooltip="Undo the last change (a merge, two people)"),
        Binding("j", "down", "Down", show=False, id="duplicates.down"),
        Binding("k", "up", "Up", show=False, id="duplicates.up"),
    ]
    DEFAULT_CSS = """
    DuplicatesScreen { align: center middle; }
    DuplicatesScreen > Vertical { width: 100; max-width: 96%; height: 80%; border: thick $primary;
        background: $surface; padding: 0 1; }
    DuplicatesScreen OptionList { height: 1fr; }
    DuplicatesScreen #dup-help { color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list = []

    def compose(self):
        with Vertical() as box:
            box.border_title = "Likely duplicates"
            yield Static(Content("Looking for contacts that are one person…"), id="dup-status")
            yield OptionList(id="dup-list")
            yield Static(Content("Enter: see the merge · x: two people, not one · Esc: close · "
                                 "or mark two in the list with m, then M"),
                         id="dup-help")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._find()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _find(self) -> None:
        pairs = on_own_connection(lambda: duplicate_pairs(self.app.ctx))
        self.app.call_from_thread(self._show, pairs)

    def _show(self, pairs: list) -> None:
        self.pairs = pairs[:self.SHOWN]
        more = f" (the first {self.SHOWN}; netmaint duplicates lists all)" if len(pairs) > self.SHOWN else ""
        self.query_one("#dup-status", Static).update(
            Content(f"{plural(len(pairs), 'likely duplicate pair')}{more}" if pairs else "No likely duplicates."))
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(Content.assemble(
            (safe(p.first_name), "bold"), f" #{p.first}  ", ("and", "$text-muted"), "  ",
            (safe(p.second_name), "bold"), f" #{p.second}\n", ("  " + safe("; ".join(p.reasons)), "$text-muted")))
            for p in self.pairs])
        if self.pairs:
            options.highlighted = 0

    @on(OptionList.OptionSelected, "#dup-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        pair = self.pairs[event.option_index]
        open_merge(self.app, pair.first, pair.second, done=lambda _kept: self._find())

    def action_apart(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.pairs):
            return
        pair = self.pairs[index]
        self.app.act(f"Two people: {pair.first_name} and {pair.second_name}",
                     lambda: not_duplicates(self.app.ctx, pair.first, pair.second))
        self.app.notify(f"{pair.first_name} and {pair.second_name} are two people: no longer listed · u to undo",
                        markup=False)
        del self.pairs[index]
        self._show(self.pairs)

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_close(self) -> None:
        self.dismiss(None)

    def data_changed(self, keep=None) -> None:
        self._find()  # an undo, or another netmaint's write: the pairs may have changed
