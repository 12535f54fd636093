"""The habit's settings from the week pane: the weekly goal, a pause added, a pause taken back.

Each save goes through app.act, so `u` undoes it; the week pane shows the change at once.
"""

from __future__ import annotations

from typing import Callable

from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from netmaint_tui.rules.dates import DateInputError, parse_date
from netmaint_tui.services.common import InputError
from netmaint_tui.services.habit import add_pause, list_pauses, remove_pause, set_goal
from netmaint_tui.ui.format import ControlsShown, safe
from netmaint_tui.ui.screens.forms import FormScreen, T
from netmaint_tui.ui.widgets.contact_field import SteadyInput


def typed_day(text: str, today):
    """A day as typed ("2025-08-01", "mon", "in 2w"); InputError saying why not."""
    try:
        return parse_date(text.strip(), today=today)
    except DateInputError as exc:
        raise InputError(str(exc)) from None


def typed_count(text: str, what: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise InputError(f"{what}: {text!r} is not a whole number")
    return int(text)


def week_pane_asked(app, what: str, week) -> None:
    """`e` (what: "goal"), `p` ("pause") or `d` ("pauses") in the week pane; `week`: the WeekSummary shown."""
    if what == "goal":
        open_set_goal(app, week.goal_touches if week else None, week.goal_minutes if week else None)
    elif what == "pause":
        open_add_pause(app)
    else:
        app.push_screen(PausesDialog())


def open_set_goal(app, current_touches: int | None, current_minutes: int | None) -> None:
    def save(values: dict) -> str:
        app.act("Set the weekly goal", lambda: set_goal(app.ctx, **values))
        return "saved"

    def saved(result) -> None:
        if result is not None:
            app.notify("Weekly goal set · u to undo", markup=False)
            app.changed()

    app.push_screen(GoalForm(current_touches, current_minutes, save), saved)


def open_add_pause(app) -> None:
    def save(values: dict) -> str:
        app.act("Add a pause", lambda: add_pause(app.ctx, **values))
        return f"{values['start']} to {values['end']}"

    def saved(result) -> None:
        if result is not None:
            app.notify(f"Paused {result} · u to undo", markup=False)
            app.changed()

    app.push_screen(PauseForm(save), saved)


class GoalForm(FormScreen[T]):
    def __init__(self, touches: int | None, minutes: int | None, save: Callable[[dict], T]) -> None:
        super().__init__("The weekly goal", save)
        self.touches, self.minutes = touches, minutes

    def fields(self):
        yield self.row("Touches", SteadyInput("" if self.touches is None else str(self.touches), id="g-touches",
                                              placeholder="a week, e.g. 5"))
        yield self.row("Minutes", SteadyInput("" if self.minutes is None else str(self.minutes), id="g-minutes",
                                              placeholder="a week, optional, e.g. 60"))
        yield self.row("From", SteadyInput("today", id="g-from", placeholder="today, mon, 2025-09-01"))
        yield Static(Content("Weeks before keep the goal of their time; one set again for the same day replaces it."),
                     classes="hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#g-touches", Input).focus()

    def values(self) -> dict:
        touches = typed_count(self.query_one("#g-touches", Input).value, "touches")
        minutes = typed_count(self.query_one("#g-minutes", Input).value, "minutes")
        if touches is None and minutes is None:
            raise InputError("give touches and/or minutes a week")
        return {"touches": touches, "minutes": minutes,
                "from_date": typed_day(self.query_one("#g-from", Input).value or "today", self.app.ctx.today())}


class PauseForm(FormScreen[T]):
    def __init__(self, save: Callable[[dict], T]) -> None:
        super().__init__("Pause the habit (a vacation, an illness)", save)

    def fields(self):
        yield self.row("From", SteadyInput("", id="p-from", placeholder="2025-08-01, mon"))
        yield self.row("To", SteadyInput("", id="p-to", placeholder="2025-08-15, in 2w"))
        yield self.row("Reason", SteadyInput("", id="p-reason", placeholder="optional", highlighter=ControlsShown()))

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#p-from", Input).focus()

    def values(self) -> dict:
        today = self.app.ctx.today()
        return {"start": typed_day(self.query_one("#p-from", Input).value, today),
                "end": typed_day(self.query_one("#p-to", Input).value, today),
                "reason": self.query_one("#p-reason", Input).value}


class PausesDialog(ModalScreen[None]):
    """Every pause; d or Enter takes the highlighted one back (u undoes it)."""

    BINDINGS = [
        Binding("d,enter", "remove", "Remove", id="pauses.remove", tooltip="Take the highlighted pause back"),
        Binding("escape", "close", "Close", id="pauses.close"),
    ]
    DEFAULT_CSS = """
    PausesDialog { align: center middle; }
    PausesDialog > Vertical { width: 64; max-width: 96%; height: auto; max-height: 80%; border: thick $primary;
        background: $surface; padding: 0 1; }
    PausesDialog OptionList { height: auto; max-height: 20; }
    PausesDialog #pauses-help { color: $text-muted; }
    """

    def compose(self):
        with Vertical() as box:
            box.border_title = "Pauses"
            yield OptionList(id="pauses-list")
            yield Static(Content("d or Enter: remove the highlighted pause (u undoes it) · Esc: close"),
                         id="pauses-help")

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def _fill(self) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        pauses = list_pauses()
        options.add_options([Option(Content.assemble(f"{p.start} to {p.end}",
                                                     (f"  {safe(p.reason)}" if p.reason else "", "$text-muted")),
                                    id=str(p.id)) for p in pauses])
        if pauses:
            options.highlighted = 0
        else:
            options.add_option(Option(Content("No pauses."), disabled=True))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_remove()

    def action_remove(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or options.get_option_at_index(options.highlighted).id is None:
            return
        pause_id = int(options.get_option_at_index(options.highlighted).id)
        gone = self.app.act("Remove a pause", lambda: remove_pause(self.app.ctx, pause_id))[0]
        self.app.notify(f"Removed the pause {gone.start} to {gone.end} · u to undo", markup=False)
        self.app.changed()
        self._fill()

    def data_changed(self, keep=None) -> None:
        self._fill()

    def action_close(self) -> None:
        self.dismiss(None)
