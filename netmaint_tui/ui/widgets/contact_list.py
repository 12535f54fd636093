"""The prioritized list: a line-API widget that renders only the rows on screen.

The screen hands it the whole ranking as ids (cheap, from SQL); rows for the visible window
are fetched in pages through a callback and cached, so the cost of a frame does not grow with
the size of the network.
"""

from __future__ import annotations

from typing import Callable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from netmaint_tui.rules.priority import due_label
from netmaint_tui.ui.format import ago, safe, signed

PAGE = 60  # rows kept either side of the cursor when the cache is trimmed
AHEAD = 6  # rows fetched beyond the visible ones


class ContactList(ScrollView, can_focus=True):
    HELP_GROUP = "Contacts pane"
    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False, id="list.down", tooltip="Next contact"),
        Binding("up,k", "cursor_up", "Up", show=False, id="list.up", tooltip="Previous contact"),
        Binding("g,home", "first", "Top", show=False, id="list.top", tooltip="First contact"),
        Binding("G,end", "last", "Bottom", show=False, id="list.bottom", tooltip="Last contact"),
        Binding("pagedown,ctrl+d", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("pageup,ctrl+u", "page_up", "Page up", show=False, id="list.page_up"),
        # priority: the focus moves before the keys sent with Enter (G) are handed to the list.
        Binding("enter", "open", "Details", show=False, id="list.open", tooltip="Move focus to the contact's details",
                priority=True),
    ]

    COMPONENT_CLASSES = {
        "contact-list--header",
        "contact-list--cursor",
        "contact-list--tier-a",
        "contact-list--tier-b",
        "contact-list--tier-c",
        "contact-list--overdue",
        "contact-list--due-soon",
        "contact-list--urgent",
        "contact-list--dim",
        "contact-list--give",
        "contact-list--ask",
    }

    DEFAULT_CSS = """
    ContactList { height: 1fr; overflow-x: hidden; }
    ContactList > .contact-list--header { text-style: bold; color: $text-muted; }
    ContactList > .contact-list--cursor { background: $block-cursor-blurred-background; }
    ContactList:focus > .contact-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    ContactList > .contact-list--tier-a { color: $tier-a; text-style: bold; }
    ContactList > .contact-list--tier-b { color: $tier-b; }
    ContactList > .contact-list--tier-c { color: $tier-c; }
    ContactList > .contact-list--overdue { color: $overdue; }
    ContactList > .contact-list--due-soon { color: $due-soon; }
    ContactList > .contact-list--urgent { color: $overdue; text-style: bold; }
    ContactList > .contact-list--dim { color: $text-muted; }
    ContactList > .contact-list--give { color: $give; }
    ContactList > .contact-list--ask { color: $ask; }
    """

    cursor = reactive(0, always_update=True)

    class Highlighted(Message):
        def __init__(self, contact_id: int | None) -> None:
            self.contact_id = contact_id
            super().__init__()

    class Drawn(Message):
        """Posted once, when the list is first drawn; handled after that frame is out."""

    def __init__(self, fetch: Callable[[list[int]], list], now: Callable, open_detail: Callable[[int], None],
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self._fetch = fetch
        self._now = now
        # Called inside Enter's keystroke, not through a message: keys sent with it in one go
        # (Enter, G) must reach the pane that Enter moves to.
        self._open_detail = open_detail
        self.ids: list[int] = []
        self.show_leads = False  # the Leads column in place of Bal (the list sorted by leads)
        self.marked: list[int] = []  # contacts marked to be merged (m), in the order marked
        # What an empty list says, set by the screen: it knows whether a filter emptied it.
        self.empty_hint = "Nobody listed. a adds a contact, i imports a file, z shows snoozed ones."
        self._rows: dict[int, object] = {}
        self._primed: dict[int, object] = {}
        self._style_key: tuple | None = None
        self._lines: dict[tuple, Strip] = {}  # drawn rows, see render_line
        self._styles: dict[str, Style] = {}
        self._drawn = False

    # --- data -----------------------------------------------------------------------------

    def set_ids(self, ids: list[int], keep: int | None = None, fresh: bool = True) -> None:
        """Show a new ranking; keep the cursor on contact `keep` if it is still listed.

        fresh=True (a reload after a change): a `keep` that left the list (archived, snoozed)
        leaves the cursor on the contact that followed it. fresh=False (a filter narrowing the
        same data) keeps the rows already fetched, and the cursor goes to the best match."""
        before, self.ids = self.ids, list(ids)
        if fresh:
            self._rows.clear()
            self._lines.clear()
        if self._primed:
            self._rows.update(self._primed)
            self._primed = {}
        self.virtual_size = Size(self.size.width, len(self.ids) + 1)
        if fresh and keep not in self.ids:
            keep = self._neighbour(before, keep)
        index = self.ids.index(keep) if keep is not None and keep in self.ids else 0
        self.cursor = min(index, max(0, len(self.ids) - 1))
        self._scroll_to_cursor(center=True)
        self.refresh()

    def _neighbour(self, before: list[int], gone: int | None) -> int | None:
        """The contact that followed `gone` before it left the list (archived, snoozed), or the
        one before it at the end: walking down the list, the cursor stays where it was."""
        if gone is None or gone not in before:
            return None
        listed = set(self.ids)
        at = before.index(gone)
        return next((c for c in before[at + 1:] if c in listed), None) or next(
            (c for c in reversed(before[:at]) if c in listed), None)

    def prime(self, rows) -> None:
        """Rows fetched ahead (at start-up), so the first frame needs no query."""
        self._primed = {row.id: row for row in rows}

    def invalidate(self) -> None:
        self._rows.clear()
        self._lines.clear()
        self.refresh()

    @property
    def selected_id(self) -> int | None:
        return self.ids[self.cursor] if 0 <= self.cursor < len(self.ids) else None

    def selected_row(self):
        cid = self.selected_id
        if cid is None:
            return None
        self._ensure(self.cursor)
        return self._rows.get(cid)

    def _ensure(self, index: int) -> None:
        if index < 0 or index >= len(self.ids) or self.ids[index] in self._rows:
            return
        # The rows on screen and a few either side: the cost of a fetch grows with its size,
        # and a filter keystroke that brings new contacts into view pays for it before drawing.
        height = max(1, self.scrollable_content_region.height - 1)
        start = max(0, index - AHEAD)
        wanted = [i for i in self.ids[start:index + height + AHEAD] if i not in self._rows]
        for row in self._fetch(wanted):
            self._rows[row.id] = row
        if len(self._rows) > 2000:  # bounded memory when scrolling through 30,000 contacts
            visible = set(self.ids[max(0, index - PAGE):index + PAGE])
            self._rows = {k: v for k, v in self._rows.items() if k in visible}

    # --- movement -------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.post_message(self.Highlighted(self.selected_id))
        self.refresh()

    def _scroll_to_cursor(self, center: bool = False) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        top = self.scroll_offset.y
        line = self.cursor
        # force: a list that just grew from a few rows has no scrollbar yet, and Textual would
        # refuse the scroll until the next layout gives it one (the cursor then left off screen).
        if center:
            self.scroll_to(y=max(0, line - height // 2), animate=False, force=True)
        elif line < top:
            self.scroll_to(y=line, animate=False, force=True)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False, force=True)

    def move_to(self, index: int) -> None:
        if not self.ids:
            return
        self.cursor = max(0, min(len(self.ids) - 1, index))
        self._scroll_to_cursor()

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.ids) - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + max(1, self.scrollable_content_region.height - 2))

    def action_page_up(self) -> None:
        self.move_to(self.cursor - max(1, self.scrollable_content_region.height - 2))

    def action_open(self) -> None:
        if self.selected_id is not None:
            self._open_detail(self.selected_id)

    def on_click(self, event) -> None:
        index = event.y + self.scroll_offset.y - 1
        if 0 <= index < len(self.ids):
            self.move_to(index)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.ids) + 1)
        # A shorter window keeps the highlighted contact in view, not only the rows above it.
        self.call_after_refresh(self._scroll_to_cursor)

    # --- rendering ------------------------------------------------------------------------

    def _columns(self, width: int) -> list[tuple[str, int]]:
        """Which columns fit: the name always, the company only where there is room."""
        # Sorted by leads, the count it sorts by takes the goodwill column's place.
        fixed = [("tier", 1), ("last", 8), ("due", 12), ("leads", 5) if self.show_leads else ("bal", 3)]
        rest = width - sum(w for _, w in fixed) - len(fixed) - 1
        if rest >= 28:
            name_w = max(16, rest * 55 // 100)
            return [("name", name_w), ("company", rest - name_w - 1), *fixed]
        if rest < 20:
            # Narrow terminal: the name matters more than "last touch", which the detail shows.
            fixed = [c for c in fixed if c[0] != "last"]
            rest += 9
        return [("name", max(8, rest)), *fixed]

    def render_line(self, y: int) -> Strip:
        if not self._drawn:
            self._drawn = True
            self.post_message(self.Drawn())
        width = self.scrollable_content_region.width
        columns = self._columns(width)
        if y == 0:
            return self._header(columns, width)
        index = self.scroll_offset.y + y - 1
        if index >= len(self.ids):
            if not self.ids:
                hint = Content(self.empty_hint).wrap(max(8, width - 2))
                if y - 1 < len(hint):
                    return self._message(hint[y - 1].plain, width)
            return Strip.blank(width, self._style(""))
        self._ensure(index)
        row = self._rows.get(self.ids[index])
        if row is None:
            return Strip.blank(width, self._style(""))
        # A drawn row is kept until its data, the theme, the focus, the width or its age ("5m ago",
        # the one part that follows the clock) changes: moving the cursor or editing the filter
        # redraws the whole list, but most of its rows look exactly as before.
        self._style("")  # brings _style_key up to date with the theme and focus
        last = ago(row.last_touch, self._now())
        key = (row.id, width, index == self.cursor, self._style_key, last, self.show_leads, row.id in self.marked)
        strip = self._lines.get(key)
        if strip is None:
            if len(self._lines) > 4 * PAGE:
                self._lines.clear()
            strip = self._lines[key] = self._row(row, columns, width, index == self.cursor, last)
        return strip

    def _style(self, name: str) -> Style:
        """Component styles, looked up once per theme and focus state rather than once per cell:
        a frame draws every visible row, and a filter keystroke redraws them all."""
        key = (self.app.theme, self.has_focus)
        if self._style_key != key:
            self._style_key, self._styles = key, {}
        style = self._styles.get(name)
        if style is None:
            # "" is the widget's own style, which Textual works out anew on every access.
            style = self.rich_style if name == "" else self.get_component_rich_style(name)
            self._styles[name] = style
        return style

    def _message(self, text: str, width: int) -> Strip:
        style = self._style("contact-list--dim")
        return Strip([Segment(set_cell_size(" " + text, width), style)], width)

    def _header(self, columns, width: int) -> Strip:
        style = self._style("contact-list--header")
        titles = {"name": "Name", "company": "Company", "tier": "T", "last": "Last", "due": "Due", "bal": "Bal",
                  "leads": "Leads"}
        segments = [Segment(" ", style)]
        for key, w in columns:
            text = titles[key]
            aligned = text.rjust(w) if key in ("last", "due", "bal", "leads") else text
            segments.append(Segment(set_cell_size(aligned, w) + " ", style))
        return Strip(segments).adjust_cell_length(width, style)

    def _row(self, row, columns, width: int, is_cursor: bool, last: str) -> Strip:
        base = self._style("")
        cursor_style = self._style("contact-list--cursor") if is_cursor else None
        dim = self._style("contact-list--dim")
        tier_style = self._style(f"contact-list--tier-{row.tier.lower()}")
        if row.urgent:
            due_style = self._style("contact-list--urgent")
        elif row.days_until_due < 0:
            due_style = self._style("contact-list--overdue")
        elif row.days_until_due <= 7:
            due_style = self._style("contact-list--due-soon")
        else:
            due_style = dim
        bal_style = self._style(
            "contact-list--give" if row.balance > 0 else ("contact-list--ask" if row.balance < 0 else "contact-list--dim")
        )
        marker = "!" if row.urgent else " "
        due = due_label(row.days_until_due, row.urgent)
        name_style = tier_style if row.tier == "A" else base
        # Listed only because z or Z asked for them: dimmed, and the Due column says why.
        if row.archived:
            due, due_style, name_style, marker = "archived", dim, dim, " "
        elif row.snoozed_until and row.snoozed_until > self._now().date():
            due, due_style, name_style, marker = f"zz {row.snoozed_until:%d %b}", dim, dim, " "
        cells = {
            "name": (safe(row.name), name_style),
            "company": (safe(row.company), dim),
            "tier": (row.tier, tier_style),
            "last": (last.rjust(8), dim),
            "due": (due.rjust(12), due_style),
            "bal": (signed(row.balance).rjust(3), bal_style),
            "leads": (str(row.leads).rjust(5), base if row.leads else dim),
        }
        if row.id in self.marked:
            marker = "*"  # marked to be merged (m, then M)
        segments = [Segment(marker, self._style("contact-list--urgent"))]
        for key, w in columns:
            text, style = cells[key]
            if cell_len(text) > w:
                text = set_cell_size(text, w - 1) + "…"
            segments.append(Segment(set_cell_size(text, w) + " ", style))
        strip = Strip(segments).adjust_cell_length(width, base)
        if cursor_style is not None:
            strip = Strip([Segment(s.text, (s.style or Style()) + cursor_style) for s in strip], strip.cell_length)
        return strip
