"""The detail pane: every field, goodwill, leads, open follow-ups and the whole history.

Built from Content.assemble pieces: user text is always a plain piece (never parsed as markup)
and passes through `safe` so control characters are shown, not obeyed.
"""

from __future__ import annotations

from datetime import date

from textual.actions import SkipAction
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Static

from netmaint_tui.rules.occasions import describe, parse
from netmaint_tui.rules.vocabulary import plural
from netmaint_tui.ui.format import NARROW, ago, hanging, safe, signed

KIND_STYLE = {"give": "$give", "ask": "$ask", "catch-up": "$text-muted"}
# Characters of one note drawn in the pane. Laying out a megabyte takes the screen seconds each
# time the contact is selected; the whole note stays stored and exported.
NOTE_SHOWN = 20_000


def clipped(text: str) -> tuple[str, int]:
    """The part of a note the pane draws, and how many characters are left out."""
    if len(text) <= NOTE_SHOWN:
        return text, 0
    return text[:NOTE_SHOWN], len(text) - NOTE_SHOWN


def _date_text(what: str, stored: str | None, now) -> str:
    """'9 Jul 1985 · turns 41 in 12 days'; a stored value that is no date, as it is written."""
    occasion = parse(what, stored)
    if occasion is None or now is None:
        return stored or ""
    return describe(occasion, date(now.year, now.month, now.day))  # a plain date: pendulum's subtracts otherwise


def _left_out(count: int) -> tuple:
    return (f"… {count:,} more characters, kept in full (netmaint export json shows all)", "$text-muted")


# Touches laid out at a time: a close contact's years of long notes (300 touches, 400 KB) took
# the screen two seconds to lay out each time the cursor reached them. More come as the pane is
# scrolled to the end of those shown.
HISTORY_PAGE = 25


class ContactDetail(VerticalScroll, can_focus=True):
    HELP_GROUP = "Detail pane"
    RELAYOUT_AFTER = 0.1  # seconds a new width must hold before the history is laid out again

    # The list's keys, so moving between the panes does not mean changing hands: j and k move
    # from touch to touch in the history, which scrolls to show the one selected; Esc (the
    # screen's) goes back to the list.
    BINDINGS = [
        Binding("down,j", "next_touch", "Down", show=False, id="detail.down", tooltip="The next (older) touch"),
        Binding("up,k", "previous_touch", "Up", show=False, id="detail.up", tooltip="The newer touch"),
        Binding("g,home", "first", "Top", show=False, id="detail.top", tooltip="The contact's fields"),
        Binding("G,end", "history_end", "Bottom", show=False, id="detail.bottom", tooltip="The oldest touch"),
        Binding("pagedown,ctrl+d,space", "page_down", "Page down", show=False, id="detail.page_down"),
        Binding("pageup,ctrl+u", "page_up", "Page up", show=False, id="detail.page_up"),
        Binding("e", "edit_touch", "Edit touch", id="detail.edit_touch",
                tooltip="Correct the selected touch: when, channel, kind, minutes, people, note"),
        Binding("d", "delete_touch", "Delete touch", id="detail.delete_touch",
                tooltip="Delete the selected touch (u undoes; restorable for 30 days)"),
        # Listed here so the pane's help says it; the screen's Esc does it (see action_back).
        Binding("escape", "back", "Back to the list", show=False, id="detail.back",
                tooltip="Back to the contacts list (a filter is cleared)"),
    ]

    class TouchChosen(Message):
        """The user asked to edit or delete the selected touch (`what`: "edit" or "delete")."""

        def __init__(self, contact_id: int, touch_id: int, what: str) -> None:
            self.contact_id = contact_id
            self.touch_id = touch_id
            self.what = what
            super().__init__()

    DEFAULT_CSS = """
    ContactDetail { height: 1fr; padding: 0 1; }
    ContactDetail > Static { width: 1fr; }
    ContactDetail > .section { margin-top: 1; }
    """

    def compose(self):
        yield Static(id="detail-fields")
        yield Static(id="detail-follow-ups", classes="section")
        yield Static(id="detail-history", classes="section")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._detail = None
        self._now = None  # the moment the detail was read: "6w ago" counts from it
        self._width = 0  # the width the pane was laid out for
        self._relayout = None  # the timer laying it out again once a resize settles
        self._history_shown = HISTORY_PAGE  # touches laid out, newest first: up to this one
        # The first of them: 0, unless G went to the oldest touches, whose page is then laid out
        # without the thousands between (pages of newer ones come back as the user scrolls up).
        self._history_from = 0
        self._history_rows = 0  # rows of the history as laid out
        self._page_pending = False  # a page laid out by scrolling, until the layout has it
        self.cursor: int | None = None  # the selected touch: its place in the history, newest 0
        self._cursor_line = 0  # the selected touch's first row in the history's text

    def show(self, detail, now) -> None:
        # Another contact starts at the first page; the same one again (after a change) keeps its
        # place, and the selection stays on the same touch (or the one now in its place).
        same = detail is not None and self._detail is not None and detail.id == self._detail.id
        selected = self.selected_touch() if same else None
        if not same:
            self._history_shown, self._history_from = HISTORY_PAGE, 0
            self.cursor = None
        elif self.cursor is not None:
            ids = [t.id for t in detail.history]
            self.cursor = ids.index(selected.id) if selected and selected.id in ids else (
                min(self.cursor, len(ids) - 1) if ids else None)
        self._detail, self._now = detail, now
        self._lay_out()
        # A plain str would be parsed as markup; a name like "[b]x[/b]" must stay as typed.
        self.border_title = Content(safe(detail.name)) if detail else "Details"
        if self.cursor is None:
            self.scroll_home(animate=False)
        else:
            self.call_after_refresh(self._show_cursor)

    def selected_touch(self):
        d = self._detail
        if d is None or self.cursor is None or not 0 <= self.cursor < len(d.history):
            return None
        return d.history[self.cursor]

    def _note_width(self) -> int:
        # A scrollbar's width is always left free: the pane's own scrollbar comes and goes with
        # the history's length, and must not push a laid-out line onto a second row.
        return self.content_region.width - self.styles.scrollbar_size_vertical

    def _lay_out(self) -> None:
        """Every part, wrapped for the pane's width (see format.hanging)."""
        if self._relayout is not None:
            self._relayout.stop()
            self._relayout = None
        d, width = self._detail, self._note_width()
        self._width = width
        self.query_one("#detail-fields", Static).update(self._fields(d, self._now, width) if d else Content("No contact selected."))
        self.query_one("#detail-follow-ups", Static).update(self._follow_ups(d, width) if d else Content(""))
        self._show_history()

    def _show_history(self) -> None:
        d, width = self._detail, self._width
        if d and self.cursor is not None and self.cursor >= self._history_shown:
            self._history_shown = self.cursor + 1  # the selected touch is laid out
        if d and self.cursor is not None and self.cursor < self._history_from:
            self._history_from = max(0, min(self._history_from - HISTORY_PAGE, self.cursor))
        content = self._history(d, width, self._history_from, self._history_shown) if d else Content("")
        # A page that does not fill the pane could never be scrolled to its end: more, now.
        height = self.scrollable_content_region.height
        while d and height and str(content).count("\n") < height and (
                self._history_shown < len(d.history) or self._history_from > 0):
            if self._history_shown < len(d.history):
                self._history_shown += HISTORY_PAGE
            else:
                self._history_from = max(0, self._history_from - HISTORY_PAGE)
            content = self._history(d, width, self._history_from, self._history_shown)
        self._history_rows = str(content).count("\n")
        self.query_one("#detail-history", Static).update(content)

    def _more_history(self, count: int) -> None:
        """Lay out `count` more touches, if there are more."""
        d = self._detail
        if d is not None and self._history_shown < len(d.history):
            self._history_shown += count
            self._show_history()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        # Within a screenful of the end of the touches laid out: the next ones, before the user
        # gets there.
        # Until the next refresh, max_scroll_y still ends at the old page: a scroll meanwhile
        # (page down moves in steps) would take it for the end again and add a third page.
        height = self.scrollable_content_region.height
        if height and new_value >= self.max_scroll_y - height and not self._page_pending:
            self._page_pending = True
            self._more_history(HISTORY_PAGE)
            self.call_after_refresh(self._page_laid_out)
        # Within a screenful of the newest touch laid out, after G: the page of newer ones above
        # it, the view kept where it is (the rows added above are scrolled past).
        top = self.query_one("#detail-history", Static).virtual_region.y
        if height and self._history_from > 0 and new_value <= top + height and not self._page_pending:
            self._page_pending = True
            before = self._history_rows
            self._history_from = max(0, self._history_from - HISTORY_PAGE)
            self._show_history()
            added = self._history_rows - before
            self.call_after_refresh(self._keep_view, added)

    def _keep_view(self, added: int) -> None:
        self.scroll_to(y=self.scroll_y + added, animate=False, immediate=True)
        self._page_pending = False

    def _page_laid_out(self) -> None:
        self._page_pending = False

    # Textual's own scrolling waits for the next refresh and counts from where the pane is then:
    # keys that arrive together (a held key, a fast typist) would all count from one place and
    # move the pane once. These move it at once, each from where the last one left it.
    def _scroll_by(self, rows: int) -> None:
        self.scroll_to(y=self.scroll_y + rows, animate=False, immediate=True)

    # --- the selected touch ---------------------------------------------------------------------

    def _select(self, index: int | None) -> None:
        self.cursor = index
        self._show_history()
        self.call_after_refresh(self._show_cursor)

    def _show_cursor(self) -> None:
        """Scroll so the selected touch's first rows are in view."""
        if self.cursor is None:
            return
        history = self.query_one("#detail-history", Static)
        top = history.virtual_region.y + self._cursor_line
        self.scroll_to_region(Region(0, top, 1, min(3, self.scrollable_content_region.height)),
                              animate=False, immediate=True)

    def action_next_touch(self) -> None:
        d = self._detail
        if d is None or not d.history:
            self._scroll_by(1)  # nothing to select: the fields and notes scroll
            return
        self._select(0 if self.cursor is None else min(self.cursor + 1, len(d.history) - 1))

    def action_previous_touch(self) -> None:
        d = self._detail
        if d is not None and d.history and self.cursor:
            self._select(self.cursor - 1)
        elif self.cursor == 0:  # above the newest touch: back to the fields, nothing selected
            self._select(None)
            self.scroll_home(animate=False)
        else:
            self._scroll_by(-1)

    def action_first(self) -> None:
        if self._history_from:
            self._history_from, self._history_shown = 0, HISTORY_PAGE
            self.cursor = None
            self._show_history()
        elif self.cursor is not None:
            self._select(None)
        self.scroll_home(animate=False)

    def action_edit_touch(self) -> None:
        if self.selected_touch() is None:
            raise SkipAction()  # no touch selected: `e` edits the contact, as on the list
        self._choose("edit")

    def action_delete_touch(self) -> None:
        self._choose("delete")

    def _choose(self, what: str) -> None:
        touch = self.selected_touch()
        if touch is None:
            self.notify("Select a touch first: j and k move through the history", severity="warning", markup=False)
            return
        self.post_message(self.TouchChosen(self._detail.id, touch.id, what))

    def action_back(self) -> None:
        raise SkipAction()  # on to the screen's Esc: back to the list, as from anywhere on it

    def action_page_down(self) -> None:
        self._scroll_by(self.scrollable_content_region.height)

    def action_page_up(self) -> None:
        self._scroll_by(-self.scrollable_content_region.height)

    def action_history_end(self) -> None:
        d = self._detail
        if d is not None and d.history:
            # G means the oldest touch: its page is laid out, and the touches between it and those
            # laid out already only when they are no more than a page (not the thousands between).
            if len(d.history) - self._history_shown > HISTORY_PAGE:
                self._history_from = len(d.history) - HISTORY_PAGE
            self._history_shown = len(d.history)
            self.cursor = len(d.history) - 1
            self._show_history()
        self.call_after_refresh(self.scroll_end, animate=False)

    def on_resize(self) -> None:
        if self._detail is None or self._note_width() == self._width:
            return
        if self._width <= NARROW:
            self._lay_out()  # its first real width: now
        else:
            # Hundreds of long notes take a while to lay out: once the size settles, not at each
            # step of a window being dragged.
            if self._relayout is not None:
                self._relayout.stop()
            self._relayout = self.set_timer(self.RELAYOUT_AFTER, self._lay_out)

    def _fields(self, d, now, width: int) -> Content:
        def line(label: str, value) -> list:
            return [*hanging((f"{label:<10}", "$text-muted"), safe(value, single_line=False), width, 10), "\n"]

        parts: list = []
        cadence = f"every {plural(d.effective_cadence, 'day')}" + ("" if d.cadence_days else " (tier default)")
        parts += [(f"Tier {d.tier}", f"$tier-{d.tier.lower()} bold"), ("  ·  ", "$text-muted"), cadence, "\n"]
        for label, value in (
            ("Company", d.company), ("Role", d.role), ("Email", ", ".join(d.emails)),
            ("Phone", ", ".join(d.phones)), ("LinkedIn", d.linkedin_url), ("Location", d.location),
            ("Met", d.how_met), ("Tags", ", ".join(d.tags)), ("Birthday", _date_text("birthday", d.birthday, now)),
        ):
            if value:
                parts += line(label, value)
        for i, marked in enumerate(d.dates):  # anniversaries: "work anniversary: 1 Apr 2019 · 6 years in 12 days"
            parts += line("Dates" if i == 0 else "", f"{marked['label']}: {_date_text(marked['label'], marked['date'], now)}")
        if d.connected_on:
            parts += line("Connected", d.connected_on.isoformat())
        parts += line("Source", d.source)
        last = ago(d.last_touch, now) if d.last_touch else "never"
        parts += line("Last", last)
        if d.last_heard:  # a mail they sent, from a capture: no touch, but worth knowing
            parts += line("Heard", f"{ago(d.last_heard, now)} (their last mail to you)")
        if d.snoozed_until:
            parts += line("Snoozed", f"until {d.snoozed_until.isoformat()}")
        if d.archived:
            parts += [("Archived", "$warning bold"), "\n"]
        style = "$give" if d.balance > 0 else ("$ask" if d.balance < 0 else "$text-muted")
        parts += [("Goodwill  ", "$text-muted"), (signed(d.balance), f"{style} bold"),
                  f"  (gave {d.gives}, asked {d.asks})"]
        if d.balance < 0:
            parts += [("  — make a deposit: offer something before asking again", "$warning")]
        parts += ["\n", ("Leads     ", "$text-muted"), f"{plural(d.leads, 'follow-up')} suggested, {d.leads_done} done"]
        if d.notes:
            notes, rest = clipped(d.notes)
            parts += ["\n\n", ("Notes", "bold"), "\n", safe(notes, single_line=False)]
            if rest:
                parts += ["\n", _left_out(rest)]
        return Content.assemble(*parts)

    def _follow_ups(self, d, width: int) -> Content:
        if not d.follow_ups:
            return Content.assemble(("Open follow-ups", "bold"), "\n", ("none", "$text-muted"))
        parts: list = [("Open follow-ups", "bold")]
        for f in d.follow_ups:
            style = "$error bold" if f.overdue else "$text"
            what = Content(safe(f.what))
            if f.about or f.about_text:
                what += Content.assemble(("  about ", "$text-muted"), safe(f.about or f.about_text))
            when = Content.styled(f.due.strftime("%a %d %b %H:%M"), style) + "  "
            parts += ["\n", *hanging(when, what, width, len(when.plain))]
        return Content.assemble(*parts)

    def _history(self, d, width: int, start: int, shown: int) -> Content:
        notes = d.history_notes
        title = f"History ({len(d.history)}"
        title += f" · {plural(len(notes), 'note')} from syncing)" if notes else ")"
        parts: list = [(title, "bold")]
        if not d.history:
            parts += ["\n", ("no touches yet — press l to log one", "$text-muted")]
        touches = d.history[start:shown]
        # A note sits among the touches by its time; those older (or newer) than the touches laid
        # out wait with them for the next page.
        oldest = touches[-1].at if touches and shown < len(d.history) else None
        newest = touches[0].at if touches and start > 0 else None
        lines = [(t.at, 1, -index, t) for index, t in enumerate(touches, start)]
        lines += [(n.at, 0, 0, n) for n in notes
                  if (oldest is None or n.at >= oldest) and (newest is None or n.at <= newest)]
        rows = 0
        if start > 0:
            parts += ["\n", (f"… {plural(start, 'newer touch')} above: scroll up, or g for the top", "$text-muted")]
            rows += 1
        for _, is_touch, index, item in sorted(lines, key=lambda line: line[:3], reverse=True):
            if not is_touch:
                note_parts = self._note(item, width)
                parts += note_parts
                rows += note_parts.count("\n")
                continue
            t = item
            stamp = f"{t.at.strftime('%Y-%m-%d %H:%M')}  "
            if -index == self.cursor:
                # Counted before this touch's rows: where the pane scrolls to show it.
                self._cursor_line = rows + 1
                line = Content.styled(f"{t.channel}  {t.kind}", "reverse bold")
                stamp_style = "reverse bold"
            else:
                line = Content.assemble((t.channel, "bold"), "  ", (t.kind, KIND_STYLE.get(t.kind, "")))
                stamp_style = "bold"
            if t.minutes:
                line += Content.styled(f"  {t.minutes} min", "$text-muted")
            others = [n for n in t.with_names if n != d.name]
            if others:
                line += Content.assemble(("  with ", "$text-muted"), safe(", ".join(others)))
            # Wrapped under the channel, not under the date: the date column stays clear.
            stamp_text = Content.styled(stamp, stamp_style)
            if width - len(stamp) > NARROW or len(stamp) + line.cell_length <= width:
                head_parts = hanging(stamp_text, line, width, len(stamp))
            else:  # too narrow to wrap beside the date: further rows indented under it
                head_parts = hanging("", stamp_text + line, width, 2)
            parts += ["\n", *head_parts]
            rows += 1 + sum(part == "\n" for part in head_parts)
            # A captured touch says where it came from, after its note (the head line is full).
            source = Content.styled(f"· from {t.source}", "$text-muted") if t.source else None
            note, rest = clipped(t.note)
            if note:
                text = Content(safe(note, single_line=False))
                if source is not None and not rest:
                    text, source = text + Content("  ") + source, None
                note_parts = hanging("  ", text, width, 2)
                parts += ["\n", *note_parts]
                rows += 1 + note_parts.count("\n")
                if rest:
                    parts += ["\n  ", _left_out(rest)]
                    rows += 1
            if source is not None:
                parts += ["\n  ", source]
                rows += 1
        older = len(d.history) - shown
        if older > 0:
            parts += ["\n", (f"… {plural(older, 'older touch')}: scroll on, or G for all of them", "$text-muted")]
        return Content.assemble(*parts)

    @staticmethod
    def _note(n, width: int) -> list:
        """What a sync kept of the other side's value: no touch, so in the warning colour."""
        return ["\n", (f"{n.at.strftime('%Y-%m-%d %H:%M')}  {n.source}", "$warning bold"), "\n",
                *hanging("  ", safe(n.text, single_line=False), width, 2)]
