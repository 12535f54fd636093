"""`netmaint week`, `goal` and `pause`: the weekly habit, its goal, and the weeks it rests."""

from __future__ import annotations

from netmaint_tui.rules.vocabulary import plural
from netmaint_tui.cli.base import command, count, dump_json, number, out, parse_day, show
from netmaint_tui.services.common import InputError
from netmaint_tui.services.habit import add_pause, list_goals, list_pauses, remove_pause, set_goal, week_summary


def _week_arguments(w) -> None:
    w.add_argument("--json", action="store_true")


@command("week", help="this week's progress and streaks", arguments=_week_arguments)
def week(ctx, args):
    s = week_summary(ctx)
    if args.json:
        dump_json(s.as_json())
        return
    parts = [f"Week of {s.week_start.strftime('%a %Y-%m-%d')}", s.progress_text()]
    parts.append("paused" if s.paused and s.status != "met" else s.status)
    out(" · ".join(parts))
    if not s.has_goal:
        out("No weekly goal yet; set one with: netmaint goal set --touches 5")
        return
    out(f"Streak {s.current_streak} (best {s.best_streak}) · strength {round(s.strength * 100)}%")
    marks = {"met": "█", "missed": "·", "paused": "‖", "open": "▒", "none": " "}
    out("Last 26 weeks: " + "".join(marks.get(st, " ") for _, st in s.heat))
    if s.suggestions:
        need = max(0, (s.goal_touches or 0) - s.touches)
        out(f"{need} more: {', '.join(show(n) for n in s.suggestions)}")


def _goal_arguments(g) -> None:
    g.add_argument("action", choices=["set", "list"])
    g.add_argument("--touches", type=count, default=None)
    g.add_argument("--minutes", type=count, default=None)
    g.add_argument("--from", dest="from_date", default=None, help="in force from this date (default today)")


@command("goal", help="the weekly goal: goal set --touches N --minutes M", arguments=_goal_arguments,
         writes=lambda args: args.action != "list")
def goal(ctx, args):
    if args.action == "list":
        goals = list_goals()
        if not goals:
            out("no weekly goal yet; set one with: netmaint goal set --touches 5")
        for g in goals:
            out(f"from {g.from_date}: touches {g.touches if g.touches is not None else '-'}, "
                f"minutes {g.minutes if g.minutes is not None else '-'}")
        return
    start = parse_day(ctx, args.from_date)
    set_goal(ctx, args.touches, args.minutes, start)
    parts = [plural(args.touches, "touch") if args.touches is not None else "",
             plural(args.minutes, "minute") if args.minutes is not None else ""]
    out(f"weekly goal: {' and '.join(x for x in parts if x)}, from {start or ctx.today()}")


def _pause_arguments(pa) -> None:
    pa.add_argument("start", metavar="FROM")
    pa.add_argument("end", metavar="TO", nargs="?")
    pa.add_argument("--reason", default="")


@command(
    "pause", help="pause the habit FROM TO (vacation, illness), or: list, remove ID", arguments=_pause_arguments,
    usage="netmaint pause FROM TO [--reason TEXT] | list | remove ID",
    writes=lambda args: args.start != "list",
)
def pause(ctx, args):
    if args.start == "list" and args.end is None:
        pauses = list_pauses()
        if not pauses:
            out("no pauses")
        for p in pauses:
            out(f"#{p.id:<4} {p.start} to {p.end}" + (f"  ({show(p.reason)})" if p.reason else ""))
        return
    if args.start == "remove":
        if args.end is None:
            raise InputError("give the pause's number: netmaint pause remove ID (see: netmaint pause list)")
        gone = remove_pause(ctx, number(args.end, "pause", "netmaint pause list"))
        out(f"removed the pause {gone.start} to {gone.end}")
        return
    if args.end is None:
        raise InputError("give the pause's first and last day: netmaint pause FROM TO; see: netmaint pause --help")
    start, end = parse_day(ctx, args.start), parse_day(ctx, args.end)
    add_pause(ctx, start, end, args.reason)
    out(f"paused {start} to {end}" + (f" ({show(args.reason)})" if args.reason else ""))
