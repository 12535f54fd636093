"""An export's bytes: the network read out and written in the format asked for."""

from __future__ import annotations

from netmaint_tui.io.csv_export import contacts_csv
from netmaint_tui.io.json_io import dumps_json, dumps_yaml
from netmaint_tui.rules.vocabulary import plural
from netmaint_tui.services.common import Context, InputError
from netmaint_tui.services.exporting import contacts_due_within, export_contacts, open_follow_ups, snapshot

CALENDAR_DAYS = 30  # a calendar shows the contacts falling due this many days ahead


def render_export(ctx: Context, fmt: str) -> tuple[bytes, str]:
    """The export's bytes and a few words saying what is in it."""
    if fmt in ("json", "yaml"):
        doc = snapshot(ctx)
        text = dumps_json(doc) if fmt == "json" else dumps_yaml(doc)
        what = ", ".join(plural(len(doc[k]), w) for k, w in (
            ("contacts", "contact"), ("touches", "touch"), ("follow_ups", "follow-up"),
            ("goals", "goal"), ("pauses", "pause")))
        return text.encode("utf-8"), what
    if fmt == "csv":
        contacts = export_contacts()
        return contacts_csv(contacts).encode("utf-8"), plural(len(contacts), "contact")
    if fmt == "ics":
        # icalendar takes a while to import: only a calendar export pays for it.
        from netmaint_tui.io.ics_export import build_calendar

        follow_ups = open_follow_ups()
        due = contacts_due_within(ctx, CALENDAR_DAYS)
        data = build_calendar(follow_ups, due, ctx.now())
        return data, f"{plural(len(follow_ups), 'open follow-up')} and {plural(len(due), 'contact')} due"
    raise InputError(f"unknown export format {fmt!r}")
