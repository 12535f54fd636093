"""The "This week" pane: progress toward the goal, streaks, strength, a 26-week heat strip,
who would meet this week's goal, and the birthdays and anniversaries coming this week."""

from __future__ import annotations

from rich.segment import Segment
from textual.binding import Binding
from textual.content import Content
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.strip import Strip
from textual.widgets import ProgressBar, Static

from netmaint_tui.rules.occasions import years_words
from netmaint_tui.ui.format import rows, safe

DATES_SHOWN = 3  # the pane stays short: the rest are counted, and `netmaint today` lists them all
GLYPH = {"met": "█", "missed": "▁", "paused": "‖", "open": "▒", "none": "·"}


class HeatStrip(Widget):
    """One cell per week, oldest left; glyphs differ too, so it reads without colour."""

    COMPONENT_CLASSES = {"heat-strip--met", "heat-strip--missed", "heat-strip--paused", "heat-strip--open", "heat-strip--none"}
    DEFAULT_CSS = """
    HeatStrip { height: 1; width: 1fr; }
    HeatStrip > .heat-strip--met { color: $week-met; }
    HeatStrip > .heat-strip--missed { color: $week-missed; }
    HeatStrip > .heat-strip--paused { color: $week-paused; }
    HeatStrip > .heat-strip--open { color: $week-open; }
    HeatStrip > .heat-strip--none { color: $text-disabled; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.weeks: list[tuple] = []

    def set_weeks(self, weeks) -> None:
        self.weeks = list(weeks)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y != 0 or not self.weeks:
            return Strip.blank(width)
        shown = self.weeks[-width:] if width < len(self.weeks) else self.weeks
        segments = [Segment(GLYPH.get(s, "·"), self.get_component_rich_style(f"heat-strip--{s}")) for _, s in shown]
        # This week (the last cell) keeps its ▒ once met, in the met colour: it never blends into
        # the met weeks before it, and the legend's "▒ this week" stays true.
        _, status = shown[-1]
        segments[-1] = Segment(GLYPH["open"], self.get_component_rich_style(f"heat-strip--{status}"))
        return Strip(segments).adjust_cell_length(width)


class WeekTracker(Vertical, can_focus=True):
    """Tab reaches it: e sets the weekly goal, p adds a pause, d takes one back."""

    HELP_GROUP = "Week pane"
    BINDINGS = [
        Binding("e", "ask('goal')", "Set goal", id="week.goal", tooltip="Set the weekly goal: touches and/or minutes"),
        Binding("p", "ask('pause')", "Add pause", id="week.pause",
                tooltip="Pause the habit for a vacation or an illness: those weeks neither break nor count"),
        Binding("d", "ask('pauses')", "Remove pause", id="week.pauses", tooltip="Take back a pause entered by mistake"),
    ]

    class Asked(Message):
        """The user asked, from this pane, to set the goal ("goal"), add a pause ("pause") or remove one ("pauses")."""

        def __init__(self, what: str) -> None:
            self.what = what
            super().__init__()

    def action_ask(self, what: str) -> None:
        self.post_message(self.Asked(what))

    DEFAULT_CSS = """
    WeekTracker { height: auto; padding: 0 1; }
    WeekTracker ProgressBar { width: 1fr; }
    WeekTracker ProgressBar Bar { width: 1fr; }
    WeekTracker #week-progress-text { width: 1fr; }
    WeekTracker #week-dates-short { display: none; }
    WeekTracker.-no-dates #week-dates { display: none; }
    """

    def compose(self):
        yield Static("Counting this week…", id="week-progress-text")
        yield ProgressBar(total=1, show_eta=False, show_percentage=True, id="week-bar")
        yield Static(id="week-streak")
        yield HeatStrip(id="week-heat")
        yield Static(id="week-legend")
        yield Static(id="week-next")
        yield Static(id="week-dates")
        yield Static(id="week-dates-short")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._summary = None
        self._width = 0

    def on_resize(self) -> None:
        if self._summary is not None and self.content_region.width != self._width:
            self.show(self._summary)  # its rows break between pieces, for the width they have

    def show(self, s) -> None:
        self._summary = s
        width = self._width = self.content_region.width
        status_style = {"met": "$week-met bold", "paused": "$week-paused bold", "open": "$week-open"}.get(s.status, "")
        status = "paused this week" if s.paused and s.status != "met" else {"met": "goal met ✓", "open": "in progress"}.get(s.status, s.status)
        self.query_one("#week-progress-text", Static).update(
            rows([(s.progress_text(), "bold"), (status, status_style)], "  ", width)
        )
        bar = self.query_one("#week-bar", ProgressBar)
        ratios = []
        if s.goal_touches:
            ratios.append(min(1.0, s.touches / s.goal_touches))
        if s.goal_minutes:
            ratios.append(min(1.0, s.minutes / s.goal_minutes))
        bar.update(total=100, progress=round(100 * min(ratios)) if ratios else (100 if s.status == "met" else 0))
        if not s.has_goal:
            self.query_one("#week-streak", Static).update(
                Content.assemble(("No weekly goal yet: ", "$text-muted"), "Tab to this pane, then e",
                                 (" (or netmaint goal set --touches 5)", "$text-muted"))
            )
        else:
            weeks = "week" if s.current_streak == 1 else "weeks"
            self.query_one("#week-streak", Static).update(
                rows([
                    Content.assemble(("Streak ", "$text-muted"), (f"{s.current_streak} {weeks}", "bold")),
                    Content.assemble(("best ", "$text-muted"), str(s.best_streak)),
                    Content.assemble(("strength ", "$text-muted"), (f"{round(s.strength * 100)}%", "bold")),
                ], Content.styled("  ·  ", "$text-muted"), width)
            )
        self.query_one("#week-heat", HeatStrip).set_weeks(s.heat)
        self.query_one("#week-legend", Static).update(
            rows([
                ("█ met", "$week-met"), ("▁ missed", "$week-missed"), ("‖ paused", "$week-paused"),
                ("▒ this week", "$week-open"), ("26 weeks", "$text-muted"),
            ], " ", width)
        )
        if s.suggestions:
            need = max(0, (s.goal_touches or 0) - s.touches)
            # "2 more: Dana Haddad, Omar Nakamura": each comma stays with the name before it.
            names = [safe(name) for name in s.suggestions]
            pieces: list = [name + "," for name in names[:-1]] + names[-1:]
            pieces[0] = Content.assemble((f"{need} more: ", "bold"), pieces[0])
            text = rows(pieces, " ", width)
        elif s.status == "met":
            text = Content.assemble(("This week's goal is met. Keep going or rest.", "$week-met"))
        else:
            text = Content("")
        self.query_one("#week-next", Static).update(text)
        # Both ways of showing the week's dates are kept: the screen's class -short (a terminal of
        # few rows, screens.main) says which one shows.
        self.set_class(not s.coming, "-no-dates")
        self.query_one("#week-dates", Static).update(coming_up(s.coming, width))
        self.query_one("#week-dates-short", Static).update(coming_up(s.coming, width, full=False))


def coming_up(coming, width: int, full: bool = True) -> Content:
    """The birthdays and anniversaries of the week: a row for each of the first few (when, who,
    what), or in a short terminal, where the details need the rows, the first and a count."""
    if not coming:
        return Content("")

    def what(u) -> str:
        return safe(u.what) + (f", {years_words(u.occasion, u.turns)}" if u.turns is not None else "")

    def when(u) -> Content:
        words = {0: "today", 1: "tomorrow"}.get(u.in_days, f"{u.on:%a} {u.on.day}")
        return Content.styled(words, "$warning bold" if u.in_days == 0 else "$text-muted")

    if not full:
        first = coming[0]
        pieces: list = [Content.styled("Coming up:", "bold"), when(first),
                        Content(safe(first.name)), Content.styled(f"({what(first)})", "$text-muted")]
        if len(coming) > 1:
            pieces.append(Content.styled(f"and {len(coming) - 1} more", "$text-muted"))
        return rows(pieces, " ", width)
    lines = [Content.styled("Coming up this week", "bold")]
    for u in coming[:DATES_SHOWN]:
        head = Content.assemble(when(u), " ", safe(u.name))
        lines.append(rows([head, Content.styled(f"· {what(u)}", "$text-muted")], " ", width))
    more = len(coming) - DATES_SHOWN
    if more > 0:
        lines.append(Content.styled(f"… and {more} more: netmaint today", "$text-muted"))
    return Content("\n").join(lines)
