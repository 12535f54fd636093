"""`netmaint follow-up`: add one (NAME WHAT), list them, mark one done or drop it."""

from __future__ import annotations

import datetime as dt

from netmaint_tui.cli.base import command, dump_json, number, out, parse_when, show
from netmaint_tui.rules.dates import due_words
from netmaint_tui.services import followups
from netmaint_tui.services.common import InputError, UnknownContact
from netmaint_tui.services.contacts import resolve_contact


def _arguments(f) -> None:
    f.add_argument("words", nargs="+")
    f.add_argument("--due", default=None, help="when (default: in 24 hours)")
    f.add_argument("--about", default=None, help="the contact it is about (else free text)")
    f.add_argument("--json", action="store_true")
    f.add_argument("--all", action="store_true", help="list done and dropped ones too")


@command(
    "follow-up", help="add a follow-up (NAME WHAT), or: list, done ID, drop ID", arguments=_arguments,
    usage="netmaint follow-up NAME WHAT [--due WHEN] [--about NAME] | list [--json] [--all] | done ID | drop ID",
    writes=lambda args: args.words[:1] != ["list"],
)
def follow_up(ctx, args):
    words = args.words
    action = words[0]
    if action == "list" and len(words) == 1:
        items = followups.list_follow_ups(ctx, None if args.all else "open")
        if args.json:
            dump_json([follow_up_json(f) for f in items])
            return
        if not items:
            out("no open follow-ups")
        now = ctx.now()
        for f in items:
            when = f"  {due_words(f.due, now)}" if f.status == "open" else ""
            who = f" (from {show(f.suggested_by)})" if f.suggested_by else ""
            out(f"#{f.id:<4} {f.due.strftime('%a %Y-%m-%d %H:%M')}{when}  {show(f.what)}{who}  [{f.status}]")
        return
    if action == "list":
        raise InputError("'follow-up list' takes no more words; --all adds done and dropped ones, --json prints JSON")
    if action in ("done", "drop"):
        if len(words) != 2:
            raise InputError(f"give the follow-up's number: netmaint follow-up {action} ID (see: netmaint follow-up list)")
        fid = number(words[1], "follow-up", "netmaint follow-up list")
        status = "done" if action == "done" else "dropped"
        current = followups.get_follow_up(ctx, fid)
        if current.status != "open":
            raise InputError(f"follow-up #{fid} is already {current.status}; nothing changed")
        view = followups.set_status(ctx, fid, status)
        out(f"follow-up #{fid} {view.status}: {show(view.what)}")
        return
    if len(words) < 2:
        raise InputError("give a contact and what to do: netmaint follow-up NAME WHAT [--due WHEN]")
    cid = resolve_contact(words[0])
    about, about_text = None, ""
    if args.about:
        try:
            about = resolve_contact(args.about)
        except UnknownContact:
            about_text = " ".join(args.about.split())  # not a contact: kept as the text given
    due = parse_when(ctx, args.due, prefer="future", default_time=dt.time(9, 0))
    fid = followups.add_follow_up(ctx, " ".join(words[1:]), due=due, suggested_by=cid, about=about, about_text=about_text)
    view = followups.get_follow_up(ctx, fid)
    about_shown = f", about {show(view.about or view.about_text)}" if (view.about or view.about_text) else ""
    # Whom it acted on, as stored: "lee" may have been Lee Wong.
    past = " (already past: it is listed as overdue)" if view.overdue else ""
    out(f"follow-up #{fid}: {show(view.what)} (suggested by {show(view.suggested_by)}{about_shown}) — "
        f"due {view.due.strftime('%a %Y-%m-%d %H:%M')}{past}")


def follow_up_json(f) -> dict:
    """A follow-up as `follow-up list --json` and `today --json` give it."""
    return {
        "id": f.id,
        "what": f.what,
        "due": f.due.isoformat(),
        "status": f.status,
        "overdue": f.overdue,
        "suggested_by": f.suggested_by,
        "about": f.about or (f.about_text or None),
        "touch_id": f.touch_id,
    }
