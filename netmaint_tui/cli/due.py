"""`netmaint due`: the prioritized list, with the reason for each row."""

from __future__ import annotations

from netmaint_tui.cli.base import command, count, dump_json, out, show
from netmaint_tui.rules.priority import due_label
from netmaint_tui.services.common import InputError
from netmaint_tui.services.due import due_list


def _arguments(du) -> None:
    du.add_argument("--limit", type=count, default=20)
    du.add_argument("--json", action="store_true")
    du.add_argument("--filter", default="", help="only contacts with these words anywhere: name, any field, tag, notes, a touch or a follow-up")
    du.add_argument("--snoozed", action="store_true", help="include snoozed contacts")


@command("due", help="the prioritized list", arguments=_arguments)
def due(ctx, args):
    print_due(ctx, limit=args.limit, as_json=args.json, text=args.filter, snoozed=args.snoozed)


def print_due(ctx, *, limit: int = 20, as_json: bool = False, text: str = "", snoozed: bool = False) -> None:
    if limit < 0:
        raise InputError("--limit must be 0 or more")
    rows = due_list(ctx, limit=limit or None, text=text, include_snoozed=snoozed)
    if as_json:
        dump_json([r.as_json() for r in rows])
        return
    if not rows:
        out(f"nobody matches {show(text)!r}" if text.strip() else "nobody to show; add someone with: netmaint add NAME")
        return
    width = min(28, max(len(show(r.name)) for r in rows))
    for i, r in enumerate(rows, 1):
        when = due_label(r.days_until_due, r.urgent)
        out(f"{i:>3}. {show(r.name)[:width]:<{width}}  {show(r.company)[:20]:<20}  {r.tier}  {when:>12}  {show(r.reason_shown)}")
