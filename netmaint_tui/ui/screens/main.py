"""The main screen: Contacts (left), the selected contact (right), This week (right, below)."""

from __future__ import annotations

import asyncio

from textual import on, work
from textual.actions import SkipAction
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Static

from netmaint_tui.rules.vocabulary import plural
from netmaint_tui.services.common import from_db
from netmaint_tui.services.contacts import contact_detail, set_archived
from netmaint_tui.services.due import SORTS, rank_ids, rows_for_ids
from netmaint_tui.services.habit import week_summary
from netmaint_tui.services.search import Finder, elsewhere_hits, found_words
from netmaint_tui.ui.format import ago, fit_rows, safe
from netmaint_tui.ui.widgets.contact_list import ContactList
from netmaint_tui.ui.widgets.filter_field import FilterField
from netmaint_tui.ui.widgets.fitting_footer import FittingFooter
from netmaint_tui.ui.widgets.title_bar import TitleBar
from netmaint_tui.ui.workers import on_own_connection, reading

REASON_ROWS = 3  # the reason line's height (see app.tcss #reason)
SHORT_SCREEN = 32  # rows: a terminal shorter than this is "-short" (see widgets.week_tracker)
# Columns: narrower than this, the list (at least 40) would leave the detail and week panes under
# 16 columns, too few to read: they are hidden ("-list-only"), and out of Tab's and Enter's reach.
LIST_ONLY = 56


class MainFooter(FittingFooter):
    """Below 108 columns the footer keeps the keys a newcomer needs first (Filter, Add, Log,
    Follow-ups, Help, Note, Quit) and the focused pane's own (the detail pane's touch keys); the
    others are in ? and ctrl+p, and all of them still work."""

    SECONDARY = {"edit_contact", "snooze", "archive", "weekly_session", "edit_touch", "delete_touch"}
    # Below 64 columns, Filter, Help and Quit (and ctrl+p) are what fits on one row.
    TERTIARY = {"add_contact", "log_touch", "follow_ups", "quick_note_key"}

    def dropped(self) -> set[str]:
        width = self.size.width
        return (self.SECONDARY if width < 108 else set()) | (self.TERTIARY if width < 64 else set())


class MainScreen(Screen):
    HELP_GROUP = "Main screen"
    AUTO_FOCUS = "ContactList"  # not the first focusable widget: that is the hidden filter field
    BINDINGS = [
        # priority: the field takes focus before the next keys arrive, so "/" and a name typed in one
        # go (or ahead, while the app starts) all land in it; in the field itself "/" is a letter.
        Binding("slash", "filter", "Filter", id="main.filter", tooltip="Search names, fields, tags, notes, touches and follow-ups",
                priority=True),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="main.clear_filter"),
        Binding("a", "add_contact", "Add", id="main.add", tooltip="Add a contact"),
        Binding("e", "edit_contact", "Edit", id="main.edit", tooltip="Edit the selected contact"),
        Binding("l", "log_touch", "Log", id="main.log", tooltip="Log a touch with the selected contact"),
        Binding("s", "snooze", "Snooze", id="main.snooze", tooltip="Hide the contact for a while"),
        Binding("A", "archive", "Archive", id="main.archive", tooltip="Archive the contact (undo with u)"),
        Binding("u,ctrl+z", "undo", "Undo", show=False, id="main.undo", tooltip="Undo the last change, whole"),
        Binding("z", "toggle_snoozed", "Snoozed", show=False, id="main.snoozed", tooltip="Show or hide snoozed contacts"),
        Binding("Z", "toggle_archived", "Archived", show=False, id="main.archived", tooltip="Show or hide archived contacts"),
        Binding("o", "cycle_sort", "Sort", show=False, id="main.sort", tooltip="Sort by priority, leads, last touch, name"),
        Binding("f", "follow_ups", "Follow-ups", id="main.follow_ups", tooltip="All follow-ups by due time"),
        Binding("w", "weekly_session", "Session", id="main.session", tooltip="Walk through this week's plan"),
        Binding("i", "import_file", "Import", show=False, id="main.import",
                tooltip="Import contacts from a file, or capture touches from a calendar or mailbox"),
        Binding("P", "people", "People", show=False, id="main.people",
                tooltip="People you met or wrote to three times or more who are no contacts"),
        Binding("S", "sync", "Sync", show=False, id="main.sync", tooltip="Sync with the folders in the config"),
        Binding("m", "mark", "Mark", show=False, id="main.mark", tooltip="Mark a contact; mark two, then M merges them"),
        Binding("M", "merge", "Merge", show=False, id="main.merge",
                tooltip="Merge the two marked contacts (with a preview), or pick from the likely duplicates"),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="main.next_pane"),
    ]

    # var, not reactive: the screen draws nothing of its own, and repainting it would redraw
    # every pane on each filter keystroke.
    selected_id: var[int | None] = var(None)
    show_snoozed = var(False)
    show_archived = var(False)
    sort = var("priority")
    filter_text = var("")

    def __init__(self) -> None:
        super().__init__()
        self._ranking: list[int] = []  # the whole ranking for the current sort; the filter narrows it
        # Each sort's whole ranking, by (sort, snoozed shown, archived shown), while the data stays
        # as it is: `o` answers from here at once (the other sorts are ranked on a worker after
        # the first press). A reload empties it; `_generation` tells a late worker's result apart.
        self._sorted: dict[tuple[str, bool, bool], list[int]] = {}
        self._generation = 0
        self._defer_detail = False
        self._detail_timer = None
        self._detail_of: int | None = None  # the contact the detail pane shows (None: nobody yet)
        # Each filter word's matches, kept while the data stays as it is (a reload starts afresh).
        self._finder = Finder()
        # Set by reload, cleared once a ranking worker's count of the week is shown: a re-sort or
        # filter started meanwhile replaces that worker (same group), and recounts in its place.
        # Workers only compute: what they find is kept here by the screen, on its own thread.
        self._week_due = False
        self._week = None  # the latest WeekSummary, kept until the week pane is there to show it
        # The start-up ranking (priority order) while the week it suggests from is still to count.
        self._uncounted: list[int] | None = None
        self._rest = None  # the task mounting the panes that follow the list's first frame
        self._completed = False  # True once they are mounted
        self._reason_words = ""  # the reason line's words, fitted to its width on each resize
        self._searching = False  # the filter's newest words are still being searched for in notes

    # --- layout ---------------------------------------------------------------------------

    def compose(self):
        # The first frame holds what start-up is for: the ranked list and why its top contact
        # is there. The detail and the week pane are mounted right after that frame (see
        # _complete_layout): their styles, layout and drawing would otherwise delay it. The
        # filter field is here from the start, so `/` and a name typed at once all reach it.
        yield TitleBar()
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield FilterField(self._filter_typed, self.filter_done, id="filter")
                contacts = ContactList(self.fetch_rows, self.app.ctx.now, self.open_detail, id="contacts")
                contacts.border_title = "Contacts"
                yield contacts
                yield Static(id="reason")
            yield Vertical(id="right")
        yield MainFooter()

    def on_mount(self) -> None:
        self.query_one("#filter", FilterField).display = False
        preload, self.app.preload = self.app.preload, None
        first = preload.take() if preload is not None else None
        if first is None:
            self.reload()
        else:
            # Computed while the interface loaded: the first frame already shows the list.
            self._uncounted = first.ranking
            self._ranking = first.ranking
            self._sorted[("priority", False, False)] = first.ranking
            self.query_one(ContactList).prime(first.rows)
            self._apply_ranking(list(first.ranking), None)
            self._show_reason()  # the watcher waits for the screen to be mounted, which is after this
        # The list posts Drawn from its first frame; a terminal too short to show a row never
        # draws it, and the panes come anyway.
        self.set_timer(1.0, self._complete_layout)
        self.app.main_screen_ready()

    def on_resize(self, event) -> None:
        footer = self.query_one(MainFooter)
        footer.compact = event.size.width < 120
        # The week pane then shows its dates in a row, not a row each: the details need the rows.
        self.set_class(event.size.height < SHORT_SCREEN, "-short")
        self.set_class(event.size.width < LIST_ONLY, "-list-only")
        if self.list_only and self.focused is not None and self.query_one("#right") in self.focused.ancestors:
            self.query_one(ContactList).focus()  # the pane that had the focus is gone from view
        self.call_after_refresh(self._fit_reason)

    @property
    def list_only(self) -> bool:
        return self.has_class("-list-only")

    @property
    def at_list(self) -> bool:
        """The list has the focus: the user is not typing into a field of this screen."""
        return isinstance(self.focused, ContactList)

    def on_descendant_focus(self, event) -> None:
        if isinstance(event.widget, ContactList):
            self.app.offer_draft()

    def on_screen_resume(self) -> None:
        self.call_later(self.app.offer_draft)  # once this screen is the current one again

    @on(ContactList.Drawn)
    async def _list_drawn(self) -> None:
        await self._complete_layout()

    def _complete_layout(self) -> asyncio.Future:
        """Mount the detail and the week pane, once; later calls wait for the same mount."""
        if self._rest is None:
            self._rest = asyncio.ensure_future(self._mount_rest())
        return self._rest

    async def _mount_rest(self) -> None:
        from netmaint_tui.ui.widgets.contact_detail import ContactDetail  # lazy: not needed for the first frame
        from netmaint_tui.ui.widgets.week_tracker import WeekTracker  # lazy: not needed for the first frame

        # The start-up week is counted here, on this thread, after the first frame: about 35 ms
        # at 30,000 contacts, where a worker would compete with the screen for the interpreter
        # and take ten times that. A reload since then counts it itself.
        ranking, self._uncounted = self._uncounted, None
        if ranking is not None:
            try:
                self._week = week_summary(self.app.ctx, ranked_ids=ranking)
            except Exception:  # e.g. the file is busy: a reload counts again in a worker
                ranking = None
                self.reload()
        detail = ContactDetail(id="detail")
        detail.border_title = "Details"
        tracker = WeekTracker(id="week")
        tracker.border_title = "This week"
        await self.query_one("#right").mount_all([detail, tracker])
        if not (detail.is_mounted and tracker.is_mounted):
            return  # the app is closing (q typed while it started)
        self._completed = True
        self._show_detail(self.selected_id)
        if self._week is not None:
            self._show_week(self._week)

    def _show_week(self, summary) -> None:
        self._week = summary
        self._show_info()
        if self._completed:
            self.query_one("#week").show(summary)
            # The whole screen is there: the app's own start-up chores may run (once) now.
            self.call_after_refresh(self.app.start_up_done)

    def _show_info(self) -> None:
        """The title bar's right side: how many are listed, this week against the goal, the last sync."""
        bits = [plural(len(self._ranking), "contact")]
        week = self._week
        if week is not None:
            bits.append("this week " + week.progress_text() + (" ✓" if week.status == "met" else ""))
        synced = self._last_sync_words()
        if synced:
            bits.append(synced)
        self.query_one(TitleBar).show_info(" · ".join(bits))

    def _last_sync_words(self) -> str:
        settings = self.app.settings
        if not any(getattr(settings, f"sync_{name}", None) for name in ("contacts", "follow_ups", "journal")):
            return ""  # sync is not set up: nothing to say
        from netmaint_tui.services.sync import last_sync  # lazy: only where sync is set up

        try:
            when = last_sync()
        except Exception:  # busy or older than sync: the bar says the rest
            return ""
        return f"synced {ago(from_db(when), self.app.ctx.now())}" if when else "never synced"

    # --- data -----------------------------------------------------------------------------

    def fetch_rows(self, ids):
        return reading(self.app, lambda: rows_for_ids(self.app.ctx, ids), [])

    def reload(self, keep: int | None = None) -> None:
        """Re-rank and recount in a worker; the panes update when it returns."""
        keep = keep if keep is not None else self.selected_id
        self._week_due = True
        self._uncounted = None
        self._finder = Finder()  # the data changed: words are looked up afresh
        self._sorted.clear()
        self._generation += 1
        self._start_ranking(self.filter_text, keep)

    def _start_ranking(self, text: str, keep: int | None, presort: bool = False) -> None:
        self._rank(text, self.show_snoozed, self.show_archived, self.sort, keep, self._finder, self._week_due,
                   self._generation, presort)

    @work(thread=True, exclusive=True, group="rank", exit_on_error=False)
    def _rank(self, text: str, snoozed: bool, archived: bool, sort: str, keep: int | None, finder,
              count_week: bool, generation: int = 0, presort: bool = False) -> None:
        from textual.worker import get_current_worker

        worker, ctx, deliver = get_current_worker(), self.app.ctx, self.app.call_from_thread

        def rank() -> None:
            ranking = rank_ids(ctx, include_snoozed=snoozed, include_archived=archived, sort=sort)
            deliver(self._ranked, worker, ranking, finder.order(ranking, text), keep, text,
                    (sort, snoozed, archived), generation)
            if count_week:
                # In order: the list first, then the week, whose suggestions are the top of the
                # default ranking (reused when that is what is on screen).
                default = sort == "priority" and not snoozed and not archived
                deliver(self._counted, worker, week_summary(ctx, ranked_ids=ranking if default else None))
            for other in SORTS if presort else ():
                # Sorting again is likely once it has begun: the other orders, ready for the next `o`.
                if worker.is_cancelled:
                    return
                if other != sort:
                    ranked = rank_ids(ctx, include_snoozed=snoozed, include_archived=archived, sort=other)
                    deliver(self._keep_sorted, (other, snoozed, archived), generation, ranked)

        on_own_connection(rank)

    def _keep_sorted(self, key: tuple[str, bool, bool], generation: int, ranking: list[int]) -> None:
        if generation == self._generation:
            self._sorted[key] = ranking

    def _ranked(self, worker, ranking: list[int], ids: list[int], keep: int | None, text: str,
                key: tuple[str, bool, bool] | None = None, generation: int = 0) -> None:
        if key is not None:
            self._keep_sorted(key, generation, ranking)  # still this data's order, even if no longer wanted
        if worker.is_cancelled:
            return  # a newer ranking is on its way
        self._ranking = ranking
        self._searching = False  # narrowed by every word whole, here and below
        if text != self.filter_text:  # typed on meanwhile: narrowed again, as typed now
            ids = reading(self.app, lambda: self._finder.order(ranking, self.filter_text), ids)
        self._apply_ranking(ids, keep)
        self._show_info()

    def _counted(self, worker, summary) -> None:
        if not worker.is_cancelled:
            self._week_due = False
            self._show_week(summary)

    def _filter(self, text: str, keep: int | None = None, typing: bool | None = None) -> None:
        """A keystroke in the filter narrows the ranking already held: the typed word is looked
        up in the search index (the others were, a keystroke ago), the list is not ranked again.
        `typing`: the rows drawn are kept and the details wait for a pause (by default, while
        there is a filter; a filter backspaced to nothing is still being typed).

        A new word is looked up in names, fields and tags at once, and those contacts (listed
        first in any case) are drawn; its notes, touches and follow-ups are searched on a worker
        and the contacts found there added below when it returns, if the filter still says the
        same. At 30,000 contacts and 300,000 touches that is most of a first letter's search."""
        typing = bool(text.strip()) if typing is None else typing
        finder = self._finder
        missing = reading(self.app, lambda: finder.missing(text), []) if typing else []
        self._searching = bool(missing)
        # Typed before the first ranking is there: _ranked narrows it as the filter is by then.
        found = reading(self.app, lambda: finder.order(self._ranking, text, own_only=bool(missing)), [])
        self._apply_ranking(found, keep, typing)
        if missing:
            self._search_elsewhere(text, missing, finder)
        else:
            self.workers.cancel_group(self, "find")  # a search for an earlier text must not land

    @work(thread=True, exclusive=True, group="find", exit_on_error=False)
    def _search_elsewhere(self, text: str, words: list[str], finder) -> None:
        from textual.worker import get_current_worker

        worker, found = get_current_worker(), {}

        def search() -> None:
            for word in words:
                if worker.is_cancelled:
                    return
                found[word] = elsewhere_hits(word)

        on_own_connection(search)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._found_elsewhere, worker, text, finder, found)

    def _found_elsewhere(self, worker, text: str, finder, found: dict) -> None:
        finder.add_elsewhere(found)  # kept for the next keystroke, whatever the filter says now
        if worker.is_cancelled or finder is not self._finder or text != self.filter_text:
            return  # a stale result is never shown: the filter or the data changed meanwhile
        self._searching = bool(finder.missing(text))
        ids = reading(self.app, lambda: finder.order(self._ranking, text, own_only=self._searching), None)
        if ids is None:
            return
        # The contacts shown stay where they are: those found elsewhere come below them.
        before = self.selected_id
        self._apply_ranking(ids, self.query_one(ContactList).selected_id, typing=True)
        # Typing paused for as long as the search took: the reason line (and the details, for a
        # list that was empty until now) say at once where the filter found the contact.
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        if self.selected_id != before or self._detail_of != self.selected_id:
            self._show_selected()  # the timer just stopped may have been the one owing the details
        else:
            self._show_reason()

    def _apply_ranking(self, ids: list[int], keep: int | None, typing: bool = False, same_data: bool = False) -> None:
        contacts = self.query_one(ContactList)
        contacts.set_ids(ids, keep=keep, fresh=not typing)
        self._update_title()
        self._defer_detail = typing
        if contacts.selected_id != self.selected_id:
            self.selected_id = contacts.selected_id  # the watcher shows the detail and reason
        elif same_data:
            pass  # another order of the rankings held: the same contact, as it was (3,000 touches re-read cost 300 ms)
        elif not typing:
            self._show_detail(self.selected_id)  # same contact, but its data may have changed
            self._show_reason()
        elif self._detail_timer is None:
            # Same contact, other words: where they were found, once typing pauses.
            self._detail_timer = self.set_timer(0.15, self._show_reason_later)

    def _show_reason_later(self) -> None:
        self._detail_timer = None
        self._show_reason()

    def _update_title(self) -> None:
        contacts = self.query_one(ContactList)
        if contacts.show_leads != (self.sort == "leads"):
            contacts.show_leads = self.sort == "leads"
            contacts.refresh()
        bits = [f"Contacts ({len(contacts.ids):,})"]
        if self.sort != "priority":
            bits.append(f"by {self.sort}")
        if self.show_snoozed:
            bits.append("with snoozed")
        if self.show_archived:
            bits.append("with archived")
        if self.filter_text:
            bits.append(f"matching “{safe(self.filter_text)}”")
            if self._searching:
                bits.append("searching notes…")
        contacts.border_title = Content(" · ".join(bits))  # plain text: the filter is user text
        if self.filter_text.strip() and self._searching:
            contacts.empty_hint = "Nobody by name or field yet: searching notes, touches and follow-ups…"
        elif self.filter_text.strip():
            contacts.empty_hint = "Nobody matches. Esc clears the filter; a adds a contact."
        else:
            contacts.empty_hint = "Nobody listed. a adds a contact, i imports a file, z shows snoozed ones."

    def _show_reason(self) -> None:
        row = self.query_one(ContactList).selected_row()
        found = reading(self.app, lambda: found_words(self.app.ctx, row.id, self.filter_text), "") if row else ""
        self._reason_words = safe(" · ".join(p for p in (found, row.reason) if p)) if row else ""
        self._fit_reason()

    def _fit_reason(self) -> None:
        # Three rows under the list: what does not fit is cut at a word, with an ellipsis.
        line = self.query_one("#reason", Static)
        line.update(Content(fit_rows(self._reason_words, line.content_region.width, REASON_ROWS)))

    def _show_detail(self, contact_id: int | None) -> None:
        if not self._completed:
            return  # the pane shows the selected contact once it is mounted
        detail = reading(self.app, lambda: contact_detail(self.app.ctx, contact_id), None) if contact_id is not None else None
        self.query_one("#detail").show(detail, self.app.ctx.now())
        self._detail_of = contact_id

    @on(ContactList.Highlighted)
    def highlighted(self, event: ContactList.Highlighted) -> None:
        # A message queued before the list changed again is stale: acting on it would show a
        # contact the cursor has already left (at start-up, the empty list's "nothing").
        if event.contact_id != self.query_one(ContactList).selected_id:
            return
        if event.contact_id != self.selected_id:
            self._defer_detail = False
            self.selected_id = event.contact_id

    def watch_selected_id(self, old, new) -> None:
        if not self.is_mounted:
            return
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        if self._defer_detail:
            # While a filter is being typed the top row changes on every key; show its details
            # once typing pauses, so each keystroke only redraws the list.
            self._detail_timer = self.set_timer(0.15, self._show_selected)
        else:
            self._show_selected()

    def _show_selected(self) -> None:
        self._detail_timer = None
        self._show_detail(self.selected_id)
        self._show_reason()

    def on_week_tracker_asked(self, event) -> None:
        """`e`, `p` or `d` in the week pane: the goal, a pause added, a pause taken back."""
        from netmaint_tui.ui.screens.habit_forms import week_pane_asked  # lazy: not needed for the first frame

        week_pane_asked(self.app, event.what, self._week)

    # By name: the detail pane's module is imported after the first frame (see _mount_rest).
    def on_contact_detail_touch_chosen(self, event) -> None:
        """`e` or `d` on a touch in the detail pane's history."""
        from netmaint_tui.ui.screens.touch_forms import delete_touch_now, open_edit_touch  # lazy: first frame

        if event.what == "edit":
            open_edit_touch(self.app, event.contact_id, event.touch_id)
        else:
            delete_touch_now(self.app, event.contact_id, event.touch_id)

    def open_detail(self, contact_id: int) -> None:
        """Enter in the list: the focus moves to the details inside the keystroke, so keys sent
        with it (Enter, G) act there; before the pane is mounted, as soon as it is."""
        if self.list_only:
            self.notify(f"The contact's details need a terminal at least {LIST_ONLY} columns wide: "
                        "e edits, l logs a touch", markup=False)
        elif self._completed:
            self.set_focus(self.query_one("#detail"))
        else:
            self.run_worker(self._open_detail_when_mounted(), group="open-detail", exclusive=True)

    async def _open_detail_when_mounted(self) -> None:
        await self._complete_layout()
        if not self.list_only:
            self.set_focus(self.query_one("#detail"))

    def changed(self, keep: int | None = None) -> None:
        """After any write: every pane shows it at once."""
        self.reload(keep=keep)

    # --- filter, sort, snoozed --------------------------------------------------------------

    def action_filter(self) -> None:
        field = self.query_one("#filter", FilterField)
        if self.focused is field:
            raise SkipAction()  # typed into the filter: the key goes on to the field
        field.display = True
        self.set_focus(field)  # now, not after the keys already queued behind this one

    def _filter_typed(self, text: str) -> None:
        if text != self.filter_text:
            self.filter_text = text
            self._filter(text, typing=True)

    def filter_done(self) -> None:
        """Enter or Down in the filter: on to the list, the filter kept; now, not after the keys
        already queued behind this one."""
        self.set_focus(self.query_one(ContactList))

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", FilterField)
        if field.display or self.filter_text:
            self.filter_text = ""  # first: clearing the field then narrows nothing on its own
            field.value = ""
            field.display = False
            self._filter("", self.selected_id)
        self.query_one(ContactList).focus()

    def action_toggle_snoozed(self) -> None:
        self.show_snoozed = not self.show_snoozed
        self.notify("Showing snoozed contacts" if self.show_snoozed else "Snoozed contacts hidden", markup=False)
        self.reload()

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.notify("Showing archived contacts (A restores one)" if self.show_archived else "Archived contacts hidden",
                    markup=False)
        self.reload()

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.notify(f"Sorted by {self.sort}", markup=False)
        held = self._sorted.get((self.sort, self.show_snoozed, self.show_archived))
        if held is None or self._week_due:
            self._start_ranking(self.filter_text, self.selected_id, presort=True)
            return
        self.workers.cancel_group(self, "rank")  # a ranking for the sort before must not land after
        self._ranking = held
        self._searching = False  # narrowed by every word whole
        found = reading(self.app, lambda: self._finder.order(held, self.filter_text), held)
        self._apply_ranking(found, self.selected_id, same_data=True)

    # --- actions on the selected contact ---------------------------------------------------

    def highlighted_row(self):
        """The list's highlighted row (a DueRow), or None."""
        return self.query_one(ContactList).selected_row()

    def _require_selection(self) -> int | None:
        # The list's cursor is the truth: a key typed right after j/k can arrive before the
        # Highlighted message has updated `selected_id`.
        current = self.query_one(ContactList).selected_id
        if current is None:
            self.notify("Select a contact first (or press a to add one)", severity="warning", markup=False)
        return current

    def action_add_contact(self) -> None:
        from netmaint_tui.ui.screens.contact_forms import open_add_contact  # lazy: not needed for the first frame

        open_add_contact(self.app)

    def action_edit_contact(self) -> None:
        from netmaint_tui.ui.screens.contact_forms import open_edit_contact  # lazy: not needed for the first frame

        cid = self._require_selection()
        if cid is not None:
            open_edit_contact(self.app, cid)

    def action_log_touch(self, channel: str = "meeting", kind: str = "catch-up") -> None:
        from netmaint_tui.ui.screens.contact_forms import open_log_touch  # lazy: not needed for the first frame

        cid = self._require_selection()
        if cid is not None:
            row = self.query_one(ContactList).selected_row()
            open_log_touch(self.app, cid, safe(row.name) if row else "contact", channel, kind)

    def action_snooze(self) -> None:
        from netmaint_tui.ui.screens.contact_forms import open_snooze  # lazy: not needed for the first frame

        cid = self._require_selection()
        if cid is not None:
            open_snooze(self.app, cid)

    def action_archive(self) -> None:
        cid = self._require_selection()
        if cid is None:
            return
        detail = contact_detail(self.app.ctx, cid)
        if detail.archived:  # only reachable while archived contacts are shown
            self.app.act(f"Restore {detail.name}", lambda: set_archived(self.app.ctx, cid, False),
                         subject=("contact", cid))
            self.notify(f"Restored {safe(detail.name)} · u to undo", markup=False)
            self.changed(keep=cid)
            return
        self.app.act(f"Archive {detail.name}", lambda: set_archived(self.app.ctx, cid, True), subject=("contact", cid))
        self.notify(f"Archived {safe(detail.name)} (kept, not deleted) · u to undo", markup=False)
        self.changed()

    def action_undo(self) -> None:
        self.app.action_undo()

    # --- merging duplicates ------------------------------------------------------------------

    def action_mark(self) -> None:
        from netmaint_tui.ui.screens.merging import toggle_mark  # lazy: not needed for the first frame

        if self._require_selection() is not None:
            toggle_mark(self.app, self.query_one(ContactList))

    def action_merge(self) -> None:
        from netmaint_tui.ui.screens.merging import merge_marked  # lazy: not needed for the first frame

        merge_marked(self.app, self.query_one(ContactList), lambda _result: self.changed())

    # --- other screens ---------------------------------------------------------------------

    def _open(self, screen) -> None:
        self.app.push_screen(screen, lambda _result: self.changed())

    # The other screens are imported when first opened, not with the list: the first frame
    # waits for every module imported before it.

    def action_follow_ups(self) -> None:
        from netmaint_tui.ui.screens.follow_ups import FollowUpsScreen  # lazy: not needed for the first frame

        self._open(FollowUpsScreen())

    def action_weekly_session(self) -> None:
        from netmaint_tui.ui.screens.weekly_session import WeeklySessionScreen  # lazy: not needed for the first frame

        ranked_ids, goal = self.held_ranking()
        self._open(WeeklySessionScreen(ranked_ids=ranked_ids, goal=goal))

    def held_ranking(self) -> tuple[list[int] | None, int | None]:
        """The default ranking (priority, no snoozed or archived) and this week's goal (0: none)
        as this screen holds them, or (None, None) while a reload is on its way or before the
        week is counted: what is held is then not the data as it is."""
        if self._week is None or self._week_due or self._uncounted is not None:
            return None, None
        key = ("priority", False, False)
        ranking = self._sorted.get(key)
        if ranking is None:
            return None, None
        return list(ranking), self._week.goal_touches or 0

    def action_import_file(self) -> None:
        from netmaint_tui.ui.screens.import_file import ImportScreen  # lazy: not needed for the first frame

        self._open(ImportScreen())

    def action_sync(self) -> None:
        from netmaint_tui.ui.sync import start_sync  # lazy: not needed for the first frame

        start_sync(self.app)

    def action_people(self) -> None:
        from netmaint_tui.ui.screens.people import PeopleScreen  # lazy: not needed for the first frame

        self._open(PeopleScreen())

    def goto_contact(self, contact_id: int) -> None:
        """Show a contact even if the filter, snooze or sort would hide it."""
        if contact_id not in self.query_one(ContactList).ids:
            self.filter_text = ""
            field = self.query_one("#filter", FilterField)
            field.value = ""
            field.display = False
            self.show_snoozed = True
        self.reload(keep=contact_id)
        self.query_one(ContactList).focus()
