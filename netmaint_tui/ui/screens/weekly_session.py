"""The weekly session: walk through this week's plan, one contact at a time, one key per action.

The plan is the top of the prioritized list (as many as the weekly goal, else 10) and then the
people with an open follow-up due by the end of this week, most urgent first, at most as many
again; the status line says how many more are waiting (services.session). For each: the reason they are here,
the goodwill balance, open follow-ups and the last notes. `e` `c` `m` `t` `s` log an email, call,
meeting, card or social touch (a catch-up; `g` first makes it a give) with an optional one-line
note, `z` snoozes for a week, `x` marks the first open follow-up done, `n`/`p` move on or back,
Esc ends with a summary: touches, gives and asks, and the streak after the session.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Callable

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, OptionList, Static, TextArea

from netmaint_tui.rules.vocabulary import plural
from netmaint_tui.services.common import InputError
from netmaint_tui.services.contacts import contact_detail, snooze
from netmaint_tui.services.drafts import load_draft, save_draft
from netmaint_tui.services.due import rows_for_ids
from netmaint_tui.services.followups import set_status
from netmaint_tui.services.habit import week_summary
from netmaint_tui.services.session import session_plan
from netmaint_tui.services.touches import log_touch
from netmaint_tui.services.undo import Entry
from netmaint_tui.store.errors import StoreError
from netmaint_tui.ui.compat import StyledOnce
from netmaint_tui.ui.format import ago, rows, safe, signed
from netmaint_tui.ui.screens.follow_ups import offer_thanks
from netmaint_tui.ui.screens.quick_note import CloseNoteDialog, draft_is_empty
from netmaint_tui.ui.widgets.contact_field import SteadyTextArea
from netmaint_tui.ui.widgets.title_bar import TitleBar

# The session's stopwatch; tests replace it (the rest of the app's time comes from ctx.clock).
monotonic: Callable[[], float] = time.monotonic

CHANNEL_KEYS = {"e": "email", "c": "call", "m": "meeting", "t": "card", "s": "social"}
NOTES_SHOWN = 6
SNOOZE = dt.timedelta(weeks=1)


@dataclass
class SessionTally:
    """What the session did that still stands: an action taken back with u counts no more."""

    # (the undo entry, what: "touch", "snooze" or "done", and for a touch (contact id, channel, kind))
    actions: list[tuple[Entry, str, tuple]] = field(default_factory=list)

    def add(self, entry: Entry, what: str, touch: tuple = ()) -> None:
        self.actions.append((entry, what, touch))

    def _standing(self, what: str) -> list[tuple]:
        return [touch for entry, w, touch in self.actions if w == what and not entry.undone]

    @property
    def touches(self) -> list[tuple[int, str, str]]:
        return self._standing("touch")

    @property
    def snoozed(self) -> int:
        return len(self._standing("snooze"))

    @property
    def follow_ups_done(self) -> int:
        return len(self._standing("done"))

    def count(self, kind: str) -> int:
        return sum(1 for _, _, k in self.touches if k == kind)


class WeeklySessionScreen(StyledOnce, Screen):
    HELP_GROUP = "Weekly session"
    AUTO_FOCUS = ""  # one-key actions: nothing holds the focus until a note is being typed
    BINDINGS = [
        Binding("e", "touch('e')", "Email", id="session.email", tooltip="Log an email (then an optional note)"),
        Binding("c", "touch('c')", "Call", id="session.call", tooltip="Log a call"),
        Binding("m", "touch('m')", "Meeting", id="session.meeting", tooltip="Log a meeting"),
        Binding("t", "touch('t')", "Card", id="session.card", tooltip="Log a greeting card"),
        Binding("s", "touch('s')", "Social", id="session.social", tooltip="Log a social-media touch"),
        Binding("g", "toggle_give", "Give", id="session.give", tooltip="The next touch is a give, not a catch-up"),
        Binding("z", "snooze", "Snooze 1w", id="session.snooze", tooltip="Snooze this contact for a week"),
        Binding("x", "follow_up_done", "Follow-up done", id="session.follow_up_done",
                tooltip="Mark an open follow-up done (with several, pick which)"),
        Binding("u,ctrl+z", "undo", "Undo", show=False, id="session.undo",
                tooltip="Undo the last change: a touch logged, a snooze, a follow-up done"),
        Binding("n", "next", "Next", id="session.next", tooltip="Next in the plan"),
        Binding("p", "previous", "Back", show=False, id="session.previous", tooltip="Back one in the plan"),
        Binding("escape", "escape", "End", id="session.end", tooltip="End the session and see the summary"),
        Binding("enter", "enter", "Close", show=False, id="session.close", tooltip="Close the summary"),
        Binding("ctrl+s", "log_note", "Log", show=False, id="session.log", tooltip="Log the touch with the note typed"),
    ]
    DEFAULT_CSS = """
    WeeklySessionScreen #ws-status { height: 1; padding: 0 1; background: $boost; }
    WeeklySessionScreen #ws-main { height: 1fr; }
    WeeklySessionScreen #ws-body { height: 1fr; width: 1fr; padding: 0 2; }
    WeeklySessionScreen #ws-plan { width: 34; height: 1fr; padding: 0 1; border-left: solid $panel-lighten-2; }
    WeeklySessionScreen.-narrow #ws-plan { display: none; }
    WeeklySessionScreen #ws-note-box { height: auto; padding: 0 1; border-top: solid $primary; display: none; }
    WeeklySessionScreen #ws-note-label { width: 1fr; color: $text-muted; }
    WeeklySessionScreen #ws-note { height: 5; }
    WeeklySessionScreen #ws-keys { height: auto; padding: 0 1; color: $text-muted; background: $boost; }
    """

    def __init__(self, clock: Callable[[], float] | None = None, ranked_ids: list[int] | None = None,
                 goal: int | None = None) -> None:
        super().__init__()
        self._monotonic = clock
        # The default ranking and this week's goal as the list holds them, if it does: the plan
        # is then made without ranking 30,000 contacts or counting the weeks again.
        self._held = (ranked_ids, goal)
        self.plan: list[int] = []
        self.waiting = 0  # people with a follow-up this week left out of the plan
        self.index = 0
        self.kind = "catch-up"
        self.pending: str | None = None  # channel of the touch waiting for its note
        self.tally = SessionTally()
        self.ended = False
        self.summary = None
        self._started = 0.0
        self._ended_at: float | None = None
        self._names: dict[int, str] = {}  # the plan's names, for the column beside the contact

    def _now(self) -> float:
        return (self._monotonic or monotonic)()

    # --- layout -----------------------------------------------------------------------------------

    def compose(self):
        yield TitleBar()
        yield Static(id="ws-status")
        with Horizontal(id="ws-main"):
            with VerticalScroll(id="ws-body", can_focus=False):
                yield Static(id="ws-contact")
            yield Static(id="ws-plan")  # the whole plan beside the contact: where the session is
        with Vertical(id="ws-note-box"):
            yield Label(id="ws-note-label")
            # Several lines: a todo: line anywhere in the note becomes a follow-up.
            yield SteadyTextArea(id="ws-note", soft_wrap=True, tab_behavior="focus")
        # The keys once, in rows that break between keys (a footer cut them off at 80 columns).
        yield Static(id="ws-keys")

    def on_mount(self) -> None:
        self.sub_title = "Weekly session"
        self._started = self._now()
        ranked_ids, goal = self._held
        planned = session_plan(self.app.ctx, ranked_ids=ranked_ids, goal=goal)
        self.plan, self.waiting = planned.ids, planned.waiting
        self._names = {row.id: row.name for row in rows_for_ids(self.app.ctx, self.plan)}
        self.set_interval(1, self._show_status)
        self._show()

    # --- drawing ------------------------------------------------------------------------------------

    def elapsed_text(self) -> str:
        end = self._ended_at if self._ended_at is not None else self._now()
        seconds = max(0, int(end - self._started))
        hours, rest = divmod(seconds, 3600)
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"

    def _show_status(self) -> None:
        step = "summary" if self.ended else (f"{min(self.index + 1, len(self.plan))}/{len(self.plan)}" if self.plan else "no plan")
        parts: list = [("Session ", "bold"), step, (" · ", "$text-muted"), ("⏱ " + self.elapsed_text(), "bold"),
                       (" · ", "$text-muted"), f"{len(self.tally.touches)} logged"]
        if self.waiting and not self.ended:
            parts += [(" · ", "$text-muted"), (f"{plural(self.waiting, 'more follow-up')} waiting", "$text-muted")]
        if not self.ended:
            parts += [(" · next touch: ", "$text-muted"), (self.kind, "$give bold" if self.kind == "give" else "")]
        self.query_one("#ws-status", Static).update(Content.assemble(*parts))

    def current_id(self) -> int | None:
        return self.plan[self.index] if not self.ended and 0 <= self.index < len(self.plan) else None

    def data_changed(self, keep: int | None = None) -> None:
        """Another netmaint wrote, or an undo: the person on screen is shown as they are now."""
        if self.is_mounted and self.pending is None:  # never under a note being typed
            self._show()

    def _show(self) -> None:
        self._show_status()
        self._show_keys()
        self._show_plan()
        body = self.query_one("#ws-contact", Static)
        if self.ended:
            body.update(self._summary_content())
            return
        cid = self.current_id()
        if cid is None:
            body.update(Content.assemble(
                ("Nothing planned: ", "bold"),
                ("nobody is due and no follow-up is open this week. Esc ends the session.", "$text-muted"),
            ))
            return
        body.update(self._contact_content(cid))
        self.query_one("#ws-body", VerticalScroll).scroll_home(animate=False)

    def _contact_content(self, cid: int) -> Content:

        ctx = self.app.ctx
        d = contact_detail(ctx, cid, history_limit=NOTES_SHOWN)  # the last notes only, not every touch
        row = next(iter(rows_for_ids(ctx, [cid])), None)
        now = ctx.now()
        parts: list = [(safe(d.name), f"bold $tier-{d.tier.lower()}")]
        bits = [b for b in (d.role, d.company) if b]
        if bits:
            parts += [("  ·  ", "$text-muted"), safe(" at ".join(bits))]
        parts += [("  ·  tier ", "$text-muted"), (d.tier, f"$tier-{d.tier.lower()} bold"), "\n"]
        if row is not None:
            parts += [(safe(row.reason), "$text-muted"), "\n"]
        logged = [ch for c, ch, _ in self.tally.touches if c == cid]
        if logged:
            parts += [("✓ logged this session: " + ", ".join(logged), "$success"), "\n"]
        style = "$give" if d.balance > 0 else ("$ask" if d.balance < 0 else "$text-muted")
        parts += ["\n", ("Goodwill  ", "$text-muted"), (signed(d.balance), f"{style} bold"),
                  f"  (gave {d.gives}, asked {d.asks})"]
        if d.balance < 0:
            parts += [("  — a give would help: press g, then the channel", "$warning")]
        parts += ["\n", ("Last      ", "$text-muted"), ago(d.last_touch, now) if d.last_touch else "never"]
        parts += ["\n\n", ("Open follow-ups", "bold")]
        if not d.follow_ups:
            parts += ["\n", ("none", "$text-muted")]
        for f in d.follow_ups:
            style = "$error bold" if f.overdue else ""
            parts += ["\n", (f.due.strftime("%a %d %b %H:%M"), style), "  ", safe(f.what)]
            if f.suggested_by and f.suggested_by_id != cid:
                parts += [("  from ", "$text-muted"), safe(f.suggested_by)]
        parts += ["\n\n", ("Last notes", "bold")]
        if not d.history:
            parts += ["\n", ("no touches yet", "$text-muted")]
        for t in d.history[:NOTES_SHOWN]:
            parts += ["\n", (f"{t.at.strftime('%Y-%m-%d')}  {t.channel}", "bold"), "  ", (t.kind, "$text-muted"),
                      ("  " + ago(t.at, now), "$text-muted")]
            for line in safe(t.note, single_line=False).split("\n") if t.note else []:
                parts += ["\n  ", line]
        return Content.assemble(*parts)

    def _summary_content(self) -> Content:
        s, t = self.summary, self.tally
        n = len(t.touches)
        parts: list = [("Session done", "bold"), ("  ·  " + self.elapsed_text(), "$text-muted"), "\n\n",
                       ("Touches   ", "$text-muted"), (str(n), "bold"),
                       f"  (gives {t.count('give')} · asks {t.count('ask')} · catch-ups {t.count('catch-up')})"]
        if t.snoozed or t.follow_ups_done:
            parts += ["\n", ("Also      ", "$text-muted"), f"{t.snoozed} snoozed · {plural(t.follow_ups_done, 'follow-up')} done"]
        if s is not None:
            week = s.progress_text()
            state = {"met": "goal met ✓", "open": "in progress", "paused": "paused"}.get(s.status, s.status)
            parts += ["\n", ("This week ", "$text-muted"), week, "  ", (state, "$week-met bold" if s.status == "met" else "")]
            weeks = "week" if s.current_streak == 1 else "weeks"
            parts += ["\n", ("Streak    ", "$text-muted"), (f"{s.current_streak} {weeks}", "bold"),
                      f"  (best {s.best_streak} · strength {round(s.strength * 100)}%)"]
            if s.suggestions:
                parts += ["\n", ("Still to meet the goal: ", "$text-muted"), safe(", ".join(s.suggestions))]
        parts += ["\n\n", ("Esc or Enter closes.", "$text-muted")]
        return Content.assemble(*parts)

    # --- moving -------------------------------------------------------------------------------------

    def _advance(self) -> None:
        if self.index + 1 >= len(self.plan):
            self._end()
            return
        self.index += 1
        self.kind = "catch-up"
        self._show()

    def action_next(self) -> None:
        if self.ended:
            return
        self._advance()

    def action_previous(self) -> None:
        if self.ended or self.index == 0:
            return
        self.index -= 1
        self._show()

    def _end(self) -> None:
        self.ended = True
        self._ended_at = self._now()
        self._cancel_note()
        self.summary = week_summary(self.app.ctx)
        self.app.changed()
        self._show()
        self.refresh_bindings()

    KEYS = ("e email", "c call", "m meeting", "t card", "s social", "g give", "z snooze a week",
            "x follow-up done", "u undo", "n next", "p back", "Esc end", "? help")
    NOTE_KEYS = ("ctrl+s log the touch", "Esc cancel: keep the note as a draft or discard it")

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 90, "-narrow")  # the contact keeps the room
        self._show_keys()

    def _show_plan(self) -> None:
        done = {c for c, _, _ in self.tally.touches}
        lines: list = [Content.styled("Plan", "bold")]
        for i, cid in enumerate(self.plan):
            mark = "✓" if cid in done else ("›" if i == self.index and not self.ended else " ")
            style = "bold reverse" if i == self.index and not self.ended else ("$success" if cid in done else "")
            lines.append(Content.assemble((f"{mark} {i + 1:>2}. ", "$text-muted"), (safe(self._names.get(cid, "")), style)))
        self.query_one("#ws-plan", Static).update(Content("\n").join(lines))

    def _show_keys(self) -> None:
        # Every key of a step, in rows that break between keys; the summary has only Esc and
        # Enter, which it says itself.
        keys = self.query_one("#ws-keys", Static)
        keys.display = not self.ended
        shown = self.NOTE_KEYS if self.pending is not None else self.KEYS  # the step's keys do not apply in a note
        keys.update(rows(list(shown), " · ", keys.content_region.width or self.size.width - 2))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # Once the session has ended, its keys would act on nobody: out of the footer, and inert.
        if self.ended and action not in ("escape", "enter", "help", "command_palette"):
            return False
        if action == "enter" and self.pending is not None:
            return False  # Enter starts a new line of the note being typed
        return True

    def action_escape(self) -> None:
        if self.pending is not None:
            self._close_note()
        elif not self.ended:
            self._end()
        else:
            self.dismiss(self.tally)

    def action_enter(self) -> None:
        if self.ended and self.pending is None:
            self.dismiss(self.tally)

    # --- actions on the contact -----------------------------------------------------------------------

    def action_toggle_give(self) -> None:
        if self.current_id() is None:
            return
        self.kind = "catch-up" if self.kind == "give" else "give"
        self._show_status()

    def action_touch(self, key: str) -> None:
        cid = self.current_id()
        if cid is None or self.app.readonly:
            return
        self.pending = CHANNEL_KEYS[key]
        box = self.query_one("#ws-note-box")
        box.display = True
        # How to log and cancel first: at 80 columns the rest wraps rather than hiding them.
        self.query_one("#ws-note-label", Label).update(Content.assemble(
            (f"{self.pending} · {self.kind}", "bold"),
            " — ctrl+s logs it · Esc cancels · a note if you like; todo: lines become follow-ups"))
        note = self.query_one("#ws-note", TextArea)
        note.text = ""
        self.set_focus(note)
        self._show_keys()

    def _cancel_note(self) -> None:
        self.pending = None
        self.query_one("#ws-note-box").display = False
        self.set_focus(None)
        self._show_keys()

    def _close_note(self) -> None:
        """Esc on the note: nothing typed closes it; a typed note is kept as a draft, discarded,
        or gone back to, as the quick note asks."""
        text = self.query_one("#ws-note", TextArea).text
        if not text.strip():
            self._cancel_note()
            self.notify("Touch not logged", markup=False)
            return

        def answer(choice: str | None) -> None:
            if choice == "keep":
                self._keep_note_as_draft(text)
            elif choice == "discard":
                self._cancel_note()
                self.notify("Touch not logged: the note is discarded", markup=False)
            else:
                self.set_focus(self.query_one("#ws-note", TextArea))

        self.app.push_screen(CloseNoteDialog(
            "Close this note without logging it? Kept as a draft, n on the main screen brings it back."), answer)

    def _keep_note_as_draft(self, text: str) -> None:
        """The note becomes the quick note's draft, for this contact with this channel and kind."""
        cid, channel = self.current_id(), self.pending
        if cid is None or channel is None:
            return
        label = self.query_one("#ws-note-label", Label)
        try:
            if not draft_is_empty(load_draft()):
                label.update(Content.assemble(("A quick note is kept as a draft already: log this one "
                                               "(ctrl+s) or discard it (Esc, then d)", "$error")))
                self.set_focus(self.query_one("#ws-note", TextArea))
                return
            name = contact_detail(self.app.ctx, cid, history_limit=0).name
            save_draft(self.app.ctx, {
                "contacts": name, "picked": {name: cid}, "channel": channel, "kind": self.kind,
                "when": self.app.ctx.now().strftime("%Y-%m-%d %H:%M"), "minutes": "", "note": text,
                "started_at": self.app.ctx.now().isoformat(),
            })
        except StoreError as exc:
            label.update(Content.assemble((f"Draft not saved: {exc}", "$error")))
            return
        self._cancel_note()
        self.notify("Touch not logged: the note is kept as a draft, n on the main screen brings it back",
                    markup=False)

    def action_log_note(self) -> None:
        cid, channel = self.current_id(), self.pending
        if cid is None or channel is None:
            return
        note = self.query_one("#ws-note", TextArea).text.strip()
        try:
            result, entry = self.app.act(f"Log a {channel}", lambda: log_touch(
                self.app.ctx, [cid], channel=channel, kind=self.kind, note=note))
        except (InputError, StoreError) as exc:
            self.query_one("#ws-note-label", Label).update(Content.assemble((str(exc), "$error")))
            return
        self.tally.add(entry, "touch", (cid, channel, self.kind))
        self.app.announce_log(result)
        self._cancel_note()
        self.app.changed()
        self._advance()

    def action_snooze(self) -> None:

        cid = self.current_id()
        if cid is None:
            return
        ctx = self.app.ctx
        until = ctx.today() + SNOOZE
        try:
            _, entry = self.app.act("Snooze", lambda: snooze(ctx, cid, until))
        except (InputError, StoreError) as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.tally.add(entry, "snooze")
        self.notify(f"Snoozed {safe(contact_detail(ctx, cid, history_limit=0).name)} until {until.isoformat()}", markup=False)
        self.app.changed()
        self._advance()

    def action_follow_up_done(self) -> None:
        cid = self.current_id()
        if cid is None:
            return
        follow_ups = contact_detail(self.app.ctx, cid, history_limit=0).follow_ups
        if not follow_ups:
            self.notify("No open follow-up here", markup=False)
        elif len(follow_ups) == 1:
            self._close_follow_up(follow_ups[0])
        else:
            self.app.push_screen(PickFollowUp(follow_ups),
                                 lambda chosen: chosen is not None and self._close_follow_up(chosen))

    def _close_follow_up(self, f) -> None:
        try:
            _, entry = self.app.act(f"Done: {f.what}", lambda: set_status(self.app.ctx, f.id, "done"))
        except (InputError, StoreError) as exc:
            self.notify(str(exc), severity="error", markup=False)
            self._show()
            return
        self.tally.add(entry, "done")
        self.notify(f"Done: {safe(f.what)} · u undoes", markup=False)
        self.app.changed()
        self._show()

        def thanked() -> None:
            self.tally.add(entry, "touch", (f.suggested_by_id, "email", "give"))
            self._show()

        offer_thanks(self.app, f, after=thanked, into=entry)

    def action_undo(self) -> None:
        if self.pending is None:
            self.app.action_undo()  # the app shows the change on this screen too (data_changed)

    def action_close(self) -> None:
        self.dismiss(self.tally)


class PickFollowUp(ModalScreen):
    """Which of a contact's open follow-ups `x` closes: Enter on one, Esc none."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pick_follow_up.cancel")]
    DEFAULT_CSS = """
    PickFollowUp { align: center middle; }
    PickFollowUp > Vertical { width: 72; max-width: 96%; height: auto; max-height: 80%;
        border: thick $primary; background: $surface; padding: 0 1; }
    PickFollowUp OptionList { height: auto; max-height: 16; border: none; }
    PickFollowUp #pick-help { color: $text-muted; }
    """

    def __init__(self, follow_ups) -> None:
        super().__init__()
        self.follow_ups = list(follow_ups)

    def compose(self):
        with Vertical() as box:
            box.border_title = "Which follow-up is done?"
            yield OptionList(*[Content.assemble((f.due.strftime("%a %d %b %H:%M"), "$text-muted"), "  ", safe(f.what))
                               for f in self.follow_ups], id="pick-list")
            yield Static(Content("Enter marks it done · Esc cancels"), id="pick-help")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.follow_ups[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
