"""`netmaint add`, `snooze` and `archive`: a contact in, out of sight for a while, or archived."""

from __future__ import annotations

import datetime as dt

from netmaint_tui.cli.base import command, out, parse_when, show
from netmaint_tui.services.common import InputError
from netmaint_tui.services.contacts import (
    add_contact,
    contact_detail,
    names_of,
    resolve_contact,
    set_archived,
    snooze as snooze_contact,
)


def _add_arguments(a) -> None:
    a.add_argument("name")
    a.add_argument("--company", default="")
    a.add_argument("--role", default="")
    a.add_argument("--email", action="append", default=[])
    a.add_argument("--phone", action="append", default=[])
    a.add_argument("--linkedin", default="")
    a.add_argument("--location", default="")
    a.add_argument("--how-met", default="")
    a.add_argument("--tier", default="B", help="A, B or C (default B)")
    a.add_argument("--cadence", default=None, help="days between touches (default: the tier's)")
    a.add_argument("--tag", action="append", default=[])
    a.add_argument("--birthday", default=None, help="YYYY-MM-DD, or --MM-DD (or MM-DD) without a year")
    a.add_argument("--date", action="append", default=[], metavar="LABEL=DATE",
                   help='an anniversary, e.g. "work anniversary=2019-04-01" (repeat for more)')
    a.add_argument("--notes", default="")


@command("add", help="add a contact", arguments=_add_arguments, writes=True)
def add(ctx, args):
    cid = add_contact(
        ctx, args.name, company=args.company, role=args.role, emails=args.email, phones=args.phone,
        linkedin_url=args.linkedin, location=args.location, how_met=args.how_met, tier=args.tier,
        cadence_days=args.cadence, tags=args.tag, birthday=args.birthday, dates=args.date, notes=args.notes,
    )
    out(f"added {show(args.name)} (#{cid})")


def _snooze_arguments(sn) -> None:
    sn.add_argument("name")
    sn.add_argument("until", nargs="?", help="a date: 2025-04-01, fri, in 3w…")
    sn.add_argument("--undo", action="store_true", help="show a snoozed contact again now")


@command("snooze", help="hide a contact until a date (--undo: show them again)", arguments=_snooze_arguments,
         writes=True)
def snooze(ctx, args):
    if args.undo == (args.until is not None):
        raise InputError("give the day to snooze until (e.g. 'in 2w'), or --undo to show them again")
    cid = resolve_contact(args.name)
    name = show(names_of([cid])[0])
    if args.undo:
        if not contact_detail(ctx, cid).snoozed_until:
            out(f"{name} is not snoozed; nothing changed")
            return
        snooze_contact(ctx, cid, None)
        out(f"unsnoozed {name}")
        return
    until = parse_when(ctx, args.until, prefer="future", default_time=dt.time(0, 0)).date()
    snooze_contact(ctx, cid, until)
    out(f"snoozed {name} until {until}")


def _archive_arguments(ar) -> None:
    ar.add_argument("name")
    ar.add_argument("--undo", action="store_true")


@command("archive", help="archive a contact (never deleted)", arguments=_archive_arguments, writes=True)
def archive(ctx, args):
    cid = resolve_contact(args.name, include_archived=args.undo)
    name = show(names_of([cid])[0])
    if args.undo and not contact_detail(ctx, cid).archived:
        out(f"{name} is not archived; nothing changed")
        return
    set_archived(ctx, cid, not args.undo)
    out(("unarchived " if args.undo else "archived ") + name)
