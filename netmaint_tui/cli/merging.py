"""`netmaint duplicates`: contacts likely to be one person, and why; `netmaint merge KEEP OTHER`."""

from __future__ import annotations

from netmaint_tui.cli.base import command, dump_json, out, show
from netmaint_tui.rules.schema import label
from netmaint_tui.services.contacts import names_of, resolve_contact
from netmaint_tui.services.merging import duplicate_pairs, merge_contacts, merge_preview, not_duplicates, shown_value


def _duplicates_arguments(d) -> None:
    d.add_argument("--json", action="store_true")
    d.add_argument("--not", nargs=2, metavar=("NAME", "NAME"), dest="apart",
                   help="these two are two people: list them no more")


@command("duplicates", help="contacts that are likely one person, and why", arguments=_duplicates_arguments,
         writes=lambda args: bool(args.apart))
def duplicates(ctx, args):
    if args.apart:
        first, second = (resolve_contact(name, include_archived=True) for name in args.apart)
        done = not_duplicates(ctx, first, second)
        names = " and ".join(f"#{c} {show(n)}" for c, n in zip((first, second), names_of([first, second])))
        out(f"{names} are two people: no longer listed as duplicates" if done
            else f"{names} were already marked as two people")
        return
    pairs = duplicate_pairs(ctx)
    if args.json:
        dump_json([p.as_json() for p in pairs])
        return
    if not pairs:
        out("no likely duplicates")
        return
    for p in pairs:
        out(f"#{p.first} {show(p.first_name)}  and  #{p.second} {show(p.second_name)}: {show('; '.join(p.reasons))}")
    out(f"{len(pairs)} likely duplicate pair{'s' if len(pairs) != 1 else ''}; "
        "merge one with: netmaint merge KEEP OTHER (e.g. netmaint merge '#"
        f"{pairs[0].first}' '#{pairs[0].second}'), --dry-run to see what it would do; two people, not one: "
        "netmaint duplicates --not A B")


def _merge_arguments(m) -> None:
    m.add_argument("keep", metavar="KEEP", help="the contact that stays")
    m.add_argument("other", metavar="OTHER", help="the contact merged into it, then removed")
    m.add_argument("--dry-run", action="store_true", help="say what the merge would do; change nothing")


@command("merge", help="merge OTHER into KEEP: one contact with both histories", arguments=_merge_arguments,
         writes=lambda args: not args.dry_run)
def merge(ctx, args):
    keep = resolve_contact(args.keep, include_archived=True)
    other = resolve_contact(args.other, include_archived=True)
    if args.dry_run:
        for line in preview_lines(merge_preview(ctx, keep, other), dry_run=True):
            out(line)
        return
    for line in preview_lines(merge_contacts(ctx, keep, other), dry_run=False):
        out(line)


def preview_lines(p, dry_run: bool) -> list[str]:
    verb = "would merge" if dry_run else "merged"
    lines = [f"{verb} #{p.other.id} {show(p.other.name)} into #{p.keep.id} {show(p.keep.name)}"
             + (f" ({show('; '.join(p.reasons))})" if p.reasons else "")]
    for key in p.plan.taken:
        lines.append(f"  {label(key)}: {show(shown_value(key, p.result[key]))} (taken from {show(p.other.name)})")
    for key, values in p.plan.united.items():
        lines.append(f"  {label(key)}: + {show(', '.join(values))}")
    for key, mine, theirs in p.plan.noted:
        lines.append(f"  {label(key)}: keeps {show(shown_value(key, mine))}; "
                     f"{show(shown_value(key, theirs))} goes into the notes")
    lines.append(f"  touches: {p.keep.touches} + {p.other.touches}"
                 + (f" ({p.shared_touches} with both)" if p.shared_touches else "") + f" = {p.touches}; "
                 f"goodwill {p.gives - p.asks:+d} (gave {p.gives}, asked {p.asks}); leads {p.leads}; "
                 f"follow-ups moved {p.follow_ups}")
    if p.alias:
        lines.append(f"  the next {show(p.alias[0] or 'import')} import finds {show(p.keep.name)} "
                     f"by {show(p.other.name)}'s id there")
    if not dry_run:
        lines.append("  a copy of the database was made first (netmaint backup list)")
    return lines
