"""`netmaint today`: one screen for the morning, on the terminal, as JSON, or as a desktop
notification; `today --notify due` reminds of each follow-up once, when it falls due."""

from __future__ import annotations

import os
import sys

from netmaint_tui.cli.base import command, count_up_to, dump_json, out, say, show
from netmaint_tui.cli.followups import follow_up_json
from netmaint_tui.notify import NotifyError, send
from netmaint_tui.rules.occasions import SOON_DAYS, in_days_words, years_words
from netmaint_tui.rules.vocabulary import plural
from netmaint_tui.services.common import InputError
from netmaint_tui.services.occasions import MAX_DAYS_AHEAD
from netmaint_tui.services.today import digest, mark_reminded, reminders_owed

SHOWN_IN_NOTIFICATION = 3  # of each kind; the rest are counted
SHOWN_ON_SCREEN = 10  # follow-ups, and dates, in the text: one screen, whatever the network's size
ONE_EACH = 3  # up to this many follow-ups falling due at once get a notification each


def _arguments(t) -> None:
    t.add_argument("--json", action="store_true")
    t.add_argument("--days", type=count_up_to(MAX_DAYS_AHEAD), default=SOON_DAYS,
                   help=f"birthdays and anniversaries this many days ahead (default {SOON_DAYS}, at most {MAX_DAYS_AHEAD})")
    t.add_argument("--notify", nargs="?", const="digest", choices=("digest", "due"), default=None,
                   help="send it as a desktop notification instead; 'due': each follow-up that has just fallen due, "
                        "once (for a timer every 15 minutes)")


@command("today", help="the morning's digest: follow-ups, birthdays, whom to reach, the week", arguments=_arguments,
         writes=lambda args: args.notify == "due", creates=False)
def today(ctx, args):
    if args.json and args.notify:
        raise InputError("--json prints the digest and --notify sends it: give one of them")
    if args.notify == "due":
        return _remind(ctx)
    d = digest(ctx, args.days)
    if args.json:
        dump_json({
            "date": d.day.isoformat(),
            "follow_ups": [follow_up_json(f) for f in d.follow_ups],
            "dates": [u.as_json() for u in d.dates],
            "due": [r.as_json() for r in d.due],
            "week": d.week.as_json(),
        })
        return 0
    if args.notify:
        return _notify_digest(d)
    painter = Painter(sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb")
    for line in digest_text(d, painter):
        out(line)
    return 0


# --- on the terminal --------------------------------------------------------------------------


class Painter:
    """ANSI styles on a terminal; plain text anywhere else (a pipe, a file, cron's mail)."""

    CODES = {"bold": "1", "dim": "2", "red": "31", "yellow": "33", "green": "32"}

    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, *styles: str) -> str:
        if not self.colour or not styles:
            return text
        return f"\x1b[{';'.join(self.CODES[s] for s in styles)}m{text}\x1b[0m"


def _date_words(u) -> str:
    """'birthday · turns 41', 'work anniversary · 6 years', 'birthday (29 Feb)'."""
    words = show(u.what)
    if (u.occasion.month, u.occasion.day) == (2, 29) and u.on.day == 28:
        words += " (29 Feb)"
    if u.turns is not None:
        words += f" · {years_words(u.occasion, u.turns)}"
    return words


def _when_day(days: int, on) -> str:
    return {0: "today", 1: "tomorrow"}.get(days, f"{on:%a} {on.day} {on:%b}")


def digest_text(d, paint: Painter) -> list[str]:
    lines = [paint(f"Today, {d.day:%A} {d.day.day} {d.day:%B %Y}", "bold"), ""]
    if d.follow_ups:
        lines.append(paint(f"Follow-ups ({len(d.follow_ups)})", "bold"))
        for f in d.follow_ups[:SHOWN_ON_SCREEN]:
            when = f"{f.due:%a} {f.due.day} {f.due:%b %H:%M}" if f.due.date() != d.day else f"{f.due:%H:%M}"
            flag = paint("overdue", "red", "bold") if f.overdue else "today  "
            who = f" (from {show(f.suggested_by)})" if f.suggested_by else ""
            about = f" about {show(f.about or f.about_text)}" if (f.about or f.about_text) else ""
            lines.append(f"  {flag}  {when:<16}  {show(f.what)}{about}{who}  #{f.id}")
        lines += _more(len(d.follow_ups), "netmaint follow-up list", paint)
    else:
        lines.append(paint("Follow-ups", "bold") + ": none due today")
    lines.append("")
    ahead = "today" if d.days == 0 else f"next {plural(d.days, 'day')}"
    if d.dates:
        lines.append(paint(f"Birthdays and anniversaries, {ahead} ({len(d.dates)})", "bold"))
        width = min(28, max(len(show(u.name)) for u in d.dates[:SHOWN_ON_SCREEN]))
        for u in d.dates[:SHOWN_ON_SCREEN]:
            when = _when_day(u.in_days, u.on)
            styled = paint(f"{when:<10}", "yellow", "bold") if u.in_days == 0 else f"{when:<10}"
            lines.append(f"  {styled}  {show(u.name)[:width]:<{width}}  {_date_words(u)}")
        lines += _more(len(d.dates), "netmaint today --json", paint)
    else:
        lines.append(paint("Birthdays and anniversaries", "bold") + f": none, {ahead}")
    lines.append("")
    if d.due:
        heading = (f"Reach out: {d.need} more for this week's goal" if d.need
                   else f"Top of the list ({len(d.due)})")
        lines.append(paint(heading, "bold"))
        width = min(28, max(len(show(r.name)) for r in d.due))
        for i, r in enumerate(d.due, 1):
            lines.append(f"  {i:>2}. {show(r.name)[:width]:<{width}}  {show(r.reason)}")
    else:
        lines.append(paint("Reach out", "bold") + ": nobody yet; add someone with: netmaint add NAME")
    lines.append("")
    lines.append(_week_line(d.week, paint))
    return lines


def _more(count: int, where: str, paint: Painter) -> list[str]:
    rest = count - SHOWN_ON_SCREEN
    return [paint(f"  … and {rest} more: {where}", "dim")] if rest > 0 else []


def _week_line(w, paint: Painter) -> str:
    parts = [w.progress_text()]
    if not w.has_goal:
        return paint("This week", "bold") + f": {parts[0]} · no weekly goal yet (netmaint goal set --touches 5)"
    status = "paused" if w.paused and w.status != "met" else {"met": "goal met", "open": "in progress"}.get(w.status, w.status)
    parts.append(paint(status, "green") if w.status == "met" else status)
    parts.append(f"streak {plural(w.current_streak, 'week')} (best {w.best_streak})")
    return paint("This week", "bold") + ": " + " · ".join(parts)


# --- as a notification ------------------------------------------------------------------------


def _some(items: list[str]) -> list[str]:
    shown = items[:SHOWN_IN_NOTIFICATION]
    rest = len(items) - len(shown)
    return shown + ([f"… and {rest} more (netmaint today)"] if rest else [])


def digest_notification(d) -> tuple[str, str] | None:
    """(summary, body) of the morning's notification; None when there is nothing to tell."""
    if d.empty:
        return None
    counts = []
    if d.follow_ups:
        counts.append(plural(len(d.follow_ups), "follow-up"))
    if d.dates:
        counts.append(plural(len(d.dates), "date"))
    summary = "netmaint today: " + ", ".join(counts) if counts else "netmaint today"
    body: list[str] = []
    body += _some([("Overdue: " if f.overdue else f"{f.due.strftime('%H:%M')} ") + f.what for f in d.follow_ups])
    body += _some([f"{u.name}: {u.what} {in_days_words(u.in_days)}"
                   + (f" ({years_words(u.occasion, u.turns)})" if u.turns is not None else "") for u in d.dates])
    if d.due:
        names = [r.name for r in d.due[:SHOWN_IN_NOTIFICATION]]
        body.append("Reach out: " + ", ".join(names) + ("…" if len(d.due) > len(names) else ""))
    body.append("This week: " + d.week.progress_text())
    return summary, "\n".join(body)


def _notify_digest(d) -> int:
    message = digest_notification(d)
    if message is None:
        if sys.stdout.isatty():
            out("nothing for today: no notification sent")
        return 0
    try:
        send(*message)
    except NotifyError as exc:
        say(exc)
        return exc.exit_code
    if sys.stdout.isatty():  # a timer's run stays silent: cron mails whatever a job prints
        out(f"sent: {show(message[0])}")
    return 0


def reminder(f) -> tuple[str, str]:
    """(summary, body) of the reminder for one follow-up falling due."""
    details = [f"due {f.due.strftime('%H:%M')}"]
    if f.about or f.about_text:
        details.append(f"about {f.about or f.about_text}")
    if f.suggested_by:
        details.append(f"suggested by {f.suggested_by}")
    return f"Follow-up: {f.what}", " · ".join(details) + f"\nnetmaint follow-up done {f.id}"


def _remind(ctx) -> int:
    owed = reminders_owed(ctx)
    try:
        if len(owed) > ONE_EACH:
            send(f"{len(owed)} follow-ups due", "\n".join(
                _some([f"{f.due.strftime('%H:%M')} {f.what}" for f in owed])))
            mark_reminded(ctx, [f.id for f in owed])
        for f in owed if len(owed) <= ONE_EACH else ():
            send(*reminder(f))
            mark_reminded(ctx, [f.id])  # each once, even if a later one cannot be sent
    except NotifyError as exc:
        say(exc)
        return exc.exit_code
    if owed and sys.stdout.isatty():
        out(f"reminded of {plural(len(owed), 'follow-up')}")
    return 0
