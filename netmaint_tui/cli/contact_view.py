"""`netmaint show NAME`: one contact whole, as the details pane shows it; `netmaint edit NAME`:
change the fields given, and only those."""

from __future__ import annotations

import sys

from netmaint_tui.cli.base import command, dump_json, out, show
from netmaint_tui.cli.followups import follow_up_json
from netmaint_tui.cli.touches import touch_json, touch_line
from netmaint_tui.rules import occasions, schema
from netmaint_tui.rules.text import visible
from netmaint_tui.rules.vocabulary import plural, signed
from netmaint_tui.services.common import InputError
from netmaint_tui.services.contacts import contact_detail, edit_fields, resolve_contact

SHOWN_TOUCHES = 10  # in the text; --json and `touch list` give them all


def _show_arguments(s) -> None:
    s.add_argument("name")
    s.add_argument("--json", action="store_true")


@command("show", help="one contact whole: fields, dates, goodwill, follow-ups, the latest touches",
         arguments=_show_arguments)
def show_contact(ctx, args):
    d = contact_detail(ctx, resolve_contact(args.name, include_archived=True))
    if args.json:
        dump_json(_as_json(d))
        return
    today = ctx.today()
    state = " · archived" if d.archived else (f" · snoozed until {d.snoozed_until}" if d.snoozed_until else "")
    cadence = f"every {plural(d.effective_cadence, 'day')}" + ("" if d.cadence_days else " (tier default)")
    out(f"{show(d.name)} (#{d.id}) · tier {d.tier} · {cadence}{state}")
    rows = [("company", d.company), ("role", d.role), ("emails", ", ".join(d.emails)),
            ("phones", ", ".join(d.phones)), ("linkedin_url", d.linkedin_url), ("location", d.location),
            ("how_met", d.how_met), ("tags", ", ".join(d.tags))]
    birthday = occasions.parse("birthday", d.birthday)
    if birthday is not None:
        rows.append(("birthday", occasions.describe(birthday, today)))
    for date in d.dates:
        occasion = occasions.parse(date["label"], date["date"])
        rows.append((date["label"], occasions.describe(occasion, today) if occasion else date["date"]))
    for key, value in rows:
        if value:
            out(f"  {schema.label(key):<16} {show(value)}")
    out(f"  {'goodwill':<16} {signed(d.balance)} (gave {d.gives}, asked {d.asks})")
    out(f"  {'leads':<16} {plural(d.leads, 'follow-up')} suggested, {d.leads_done} done")
    if d.last_touch:
        out(f"  {'last touch':<16} {d.last_touch:%Y-%m-%d %H:%M}")
    if d.last_heard:
        out(f"  {'last heard':<16} {d.last_heard:%Y-%m-%d %H:%M} (their last mail to you)")
    if d.notes.strip():
        out("notes:")
        for line in d.notes.strip().splitlines():
            out(f"  {visible(line, single_line=True)}")
    if d.follow_ups:
        out("open follow-ups:")
        for f in d.follow_ups:
            out(f"  #{f.id:<5} due {f.due:%Y-%m-%d %H:%M}{' (overdue)' if f.overdue else ''}  {show(f.what)}")
    if d.history_notes:
        out("kept from syncing (what another computer or a phone said where this one kept its value):")
        for n in d.history_notes:
            out(f"  {n.at:%Y-%m-%d %H:%M}  {show(n.text)}")
    if d.history:
        more = (f" (the latest {SHOWN_TOUCHES} of {len(d.history)}; all: netmaint touch list '#{d.id}')"
                if len(d.history) > SHOWN_TOUCHES else "")
        out(f"touches{more}:")
        for t in d.history[:SHOWN_TOUCHES]:
            out(f"  {touch_line(t, leave_out=d.name)}")
    else:
        out("no touches yet")


def _as_json(d) -> dict:
    return {
        "id": d.id, "name": d.name, "company": d.company, "role": d.role, "emails": d.emails, "phones": d.phones,
        "linkedin_url": d.linkedin_url, "location": d.location, "how_met": d.how_met, "tier": d.tier,
        "cadence_days": d.cadence_days, "effective_cadence": d.effective_cadence, "tags": d.tags,
        "birthday": d.birthday, "dates": d.dates, "notes": d.notes, "source": d.source,
        "snoozed_until": d.snoozed_until.isoformat() if d.snoozed_until else None, "archived": d.archived,
        "last_touch": d.last_touch.isoformat() if d.last_touch else None,
        "last_heard": d.last_heard.isoformat() if d.last_heard else None,
        "goodwill": {"gives": d.gives, "asks": d.asks, "balance": d.balance},
        "leads": d.leads, "leads_done": d.leads_done,
        "follow_ups": [follow_up_json(f) for f in d.follow_ups],
        "touches": [touch_json(t) for t in d.history],
        "history_notes": [{"at": n.at.isoformat(), "source": n.source, "text": n.text} for n in d.history_notes],
    }


# The options of `edit`, as `add` names them: (option, field).
_FIELDS = (("--name", "name"), ("--company", "company"), ("--role", "role"), ("--linkedin", "linkedin_url"),
           ("--location", "location"), ("--how-met", "how_met"), ("--tier", "tier"), ("--cadence", "cadence_days"),
           ("--birthday", "birthday"), ("--notes", "notes"))
_LISTS = (("--email", "emails"), ("--phone", "phones"), ("--tag", "tags"), ("--date", "dates"))


def _edit_arguments(e) -> None:
    e.add_argument("contact", metavar="NAME")
    for option, key in _FIELDS:
        e.add_argument(option, dest=key, default=None,
                       help='"" clears it; --notes - reads the notes from stdin' if key == "notes" else None)
    for option, key in _LISTS:
        e.add_argument(option, dest=key, action="append", default=None,
                       help=f"replaces every {schema.label(key).lower()} (repeat for more; \"\" clears them)")
    e.add_argument("--add-tag", action="append", default=[], metavar="TAG")
    e.add_argument("--remove-tag", action="append", default=[], metavar="TAG")


@command("edit", help="change a contact's fields: only those given (e.g. edit Dana --company Acme --add-tag vip)",
         arguments=_edit_arguments, writes=True)
def edit(ctx, args):
    cid = resolve_contact(args.contact, include_archived=True)
    values = {key: getattr(args, key) for _, key in _FIELDS + _LISTS if getattr(args, key) is not None}
    if values.get("notes") == "-":
        values["notes"] = sys.stdin.read().rstrip("\n")
    for key in ("emails", "phones", "tags", "dates"):
        if key in values:
            values[key] = [v for v in values[key] if v != ""]
    if args.add_tag or args.remove_tag:
        same = schema.list_key("tags")
        gone = {same(t) for t in args.remove_tag}
        tags = values.get("tags", contact_detail(ctx, cid).tags)
        values["tags"] = [t for t in [*tags, *args.add_tag] if same(t) not in gone]
    if not values:
        raise InputError("give what to change, e.g. --company Acme or --add-tag vip; see: netmaint edit --help")
    changed = edit_fields(ctx, cid, values)
    name = show(contact_detail(ctx, cid).name)
    if changed:
        out(f"edited {name} (#{cid}): {', '.join(schema.label(k).lower() for k in changed)}")
    else:
        out(f"{name} (#{cid}) changed nothing (it already was so)")
