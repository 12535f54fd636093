"""`netmaint log`: a touch with one or more contacts, and the follow-ups its note holds; `netmaint
touch`: a contact's touches listed, one corrected, deleted or brought back."""

from __future__ import annotations

import sys

from netmaint_tui.cli.base import command, dump_json, number, out, parse_when, show
from netmaint_tui.rules.vocabulary import CHANNELS
from netmaint_tui.services import touch_edits
from netmaint_tui.services.common import InputError
from netmaint_tui.services.contacts import names_of, resolve_contact, resolve_contacts
from netmaint_tui.services.deleted_touches import deleted_touches, restore_touch
from netmaint_tui.services.touches import delete_touch, log_touch


def _word(text: str) -> str:
    """A channel or kind as typed: `Call` is `call`."""
    return text.strip().lower()


def _arguments(lg) -> None:
    lg.add_argument("names", nargs="+", metavar="NAME")
    lg.add_argument("--channel", default="meeting", type=_word, help=f"{', '.join(CHANNELS)} (any case)")
    lg.add_argument("--kind", default="catch-up", type=_word, help="give, ask or catch-up")
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


def _touch_arguments(t) -> None:
    t.add_argument("words", nargs="+")
    t.add_argument("--json", action="store_true")
    t.add_argument("--deleted", action="store_true", help="list: the touches deleted in the last 30 days")
    t.add_argument("--at", default=None, help="edit: when it was")
    t.add_argument("--channel", default=None, type=_word, help=", ".join(CHANNELS))
    t.add_argument("--kind", default=None, type=_word, help="give, ask or catch-up")
    t.add_argument("--minutes", default=None, help='edit: minutes ("" for none)')
    t.add_argument("--note", default=None, help="edit: the note; - reads it from standard input")
    t.add_argument("--add", action="append", default=[], metavar="NAME", help="edit: someone else was there too")
    t.add_argument("--remove", action="append", default=[], metavar="NAME", help="edit: someone was not there")


TOUCH_USAGE = ("netmaint touch list NAME [--json] | list --deleted [--json] | edit ID [--at WHEN] [--channel C] "
               "[--kind K] [--minutes N] [--note TEXT] [--add NAME] [--remove NAME] | delete ID | restore ID")


@command("touch", help="a contact's touches: list NAME, edit ID, delete ID, restore ID (deleted: list --deleted)",
         arguments=_touch_arguments, usage=TOUCH_USAGE, writes=lambda args: args.words[:1] != ["list"])
def touch(ctx, args):
    action, rest = args.words[0], args.words[1:]
    if action == "list":
        _list(ctx, args, rest)
        return
    if action not in ("edit", "delete", "restore") or len(rest) != 1:
        raise InputError(f"usage: {TOUCH_USAGE}")
    tid = number(rest[0], "touch", "netmaint touch list NAME")
    if action == "delete":
        view = touch_edits.touch_view(ctx, tid)
        delete_touch(ctx, tid)
        out(f"deleted touch #{tid}: {_summary(view)}; it can be restored for 30 days: netmaint touch restore {tid}")
        return
    if action == "restore":
        new_id = restore_touch(ctx, tid)
        again = "" if new_id == tid else f" as touch #{new_id} (#{tid} is another touch now)"
        out(f"restored touch #{tid}{again}: {_summary(touch_edits.touch_view(ctx, new_id))}")
        return
    note = sys.stdin.read() if args.note == "-" else args.note
    changes = {"at": parse_when(ctx, args.at), "channel": args.channel, "kind": args.kind, "note": note,
               "add": resolve_contacts(args.add), "remove": resolve_contacts(args.remove)}
    if args.minutes is not None:
        changes["minutes"] = args.minutes or None
    changed = touch_edits.edit_touch(ctx, tid, **changes)
    view = touch_edits.touch_view(ctx, tid)
    what = ", ".join(changed) if changed else "nothing (it already was so)"
    out(f"touch #{tid}: changed {what}: {_summary(view)}")


def _list(ctx, args, rest) -> None:
    if args.deleted:
        if rest:
            raise InputError("'touch list --deleted' lists every touch deleted in the last 30 days; give no name")
        gone = deleted_touches(ctx)
        if args.json:
            dump_json([{**touch_json(g), "deleted_at": g.deleted_at.isoformat(),
                        "restorable_until": g.restorable_until.isoformat()} for g in gone])
        elif not gone:
            out("no touch was deleted in the last 30 days")
        for g in [] if args.json else gone:
            out(f"#{g.id:<5} {_summary(g)}  (deleted {g.deleted_at.strftime('%Y-%m-%d %H:%M')}, "
                f"restorable until {g.restorable_until.isoformat()})")
        return
    if len(rest) != 1:
        raise InputError("give one contact: netmaint touch list NAME (or --deleted for the deleted touches)")
    cid = resolve_contact(rest[0], include_archived=True)
    found = touch_edits.touches_of(ctx, cid)
    if args.json:
        dump_json([touch_json(t) for t in found])
        return
    if not found:
        out(f"no touches with {show(names_of([cid])[0])} yet")
    for t in found:
        out(touch_line(t, leave_out=names_of([cid])[0]))


def touch_line(t, leave_out: str | None = None) -> str:
    """`#12    2025-03-10 09:00  call  catch-up  30 min  with Omar  — the note's first line`."""
    return f"#{t.id:<5} {_summary(t, leave_out)}"


def _summary(t, leave_out: str | None = None) -> str:
    others = [n for n in t.with_names if n != leave_out]
    parts = [t.at.strftime("%Y-%m-%d %H:%M"), t.channel, t.kind]
    if t.minutes:
        parts.append(f"{t.minutes} min")
    if others:
        parts.append("with " + ", ".join(others))
    line = "  ".join(show(p) for p in parts)
    note = t.note.strip().splitlines()[0] if t.note and t.note.strip() else ""
    return f"{line}  — {show(note)[:60]}" if note else line


def touch_json(t) -> dict:
    """A touch as `touch list --json` and `show --json` give it."""
    return {"id": t.id, "at": t.at.isoformat(), "channel": t.channel, "kind": t.kind, "minutes": t.minutes,
            "note": t.note, "with": list(t.with_names), "source": getattr(t, "source", None)}
