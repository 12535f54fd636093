"""`netmaint log`: a touch with one or more contacts, and the follow-ups its note holds."""

from __future__ import annotations

import sys

from netmaint_tui.cli.base import command, out, parse_when, show
from netmaint_tui.services.contacts import names_of, resolve_contacts
from netmaint_tui.services.touches import log_touch


def _arguments(lg) -> None:
    lg.add_argument("names", nargs="+", metavar="NAME")
    lg.add_argument("--channel", default="meeting")
    lg.add_argument("--kind", default="catch-up", help="give, ask or catch-up")
    lg.add_argument("--at", default=None, help="when (default now): 2025-03-04 15:30, yesterday 3pm, fri, 2h ago")
    lg.add_argument("--minutes", default=None)
    lg.add_argument("--note", default="", help="the note; - reads it from standard input")


@command("log", help="log a touch with one or more contacts", arguments=_arguments, writes=True)
def log(ctx, args):
    ids = resolve_contacts(args.names)
    note = sys.stdin.read() if args.note == "-" else args.note
    at = parse_when(ctx, args.at)
    result = log_touch(ctx, ids, at=at, channel=args.channel, kind=args.kind, minutes=args.minutes, note=note)
    # The names as stored, not as typed: "omar" may have matched Omar Fischer.
    # "touch #N": a bare #N on this command line is a contact.
    out(f"logged {args.kind} {args.channel} with {show(', '.join(names_of(ids)))} (touch #{result.touch_id})")
    for fid, what, due in result.follow_ups:
        out(f"follow-up #{fid}: {show(what)} — due {due.strftime('%a %Y-%m-%d %H:%M')}")
