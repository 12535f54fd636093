"""An export's bytes: the network read out as its format's kind (io.formats) and written."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

from netmaint_tui.io.formats import CALENDAR, CONTACTS, DOCUMENT, file_format
from netmaint_tui.rules.vocabulary import plural
from netmaint_tui.services.common import Context
from netmaint_tui.services.exporting import (
    CalendarContact,
    CalendarDate,
    CalendarFollowUp,
    contacts_due_within,
    export_contacts,
    open_follow_ups,
    snapshot,
    streamed_snapshot,
    yearly_dates,
)

CALENDAR_DAYS = 30  # a calendar shows the contacts falling due this many days ahead


@dataclass
class Upcoming:
    """What a calendar is written from."""

    follow_ups: list[CalendarFollowUp]
    due_contacts: list[CalendarContact]
    now: dt.datetime
    dates: list[CalendarDate] = field(default_factory=list)  # birthdays and anniversaries, every year


_SAID = (("contacts", "contact"), ("touches", "touch"), ("follow_ups", "follow-up"), ("goals", "goal"),
         ("pauses", "pause"))


def _document(ctx: Context) -> tuple[dict, str]:
    doc = snapshot(ctx)
    return doc, ", ".join(plural(len(doc[k]), w) for k, w in _SAID)


def _contacts(ctx: Context) -> tuple[list[dict], str]:
    contacts = export_contacts()
    return contacts, plural(len(contacts), "contact")


def _calendar(ctx: Context) -> tuple[Upcoming, str]:
    upcoming = Upcoming(open_follow_ups(), contacts_due_within(ctx, CALENDAR_DAYS), ctx.now(), yearly_dates())
    return upcoming, (f"{plural(len(upcoming.follow_ups), 'open follow-up')}, "
                      f"{plural(len(upcoming.due_contacts), 'contact')} due and "
                      f"{plural(len(upcoming.dates), 'yearly date')}")


# What each kind of file is written from, and a few words saying what is in it.
_READ_OUT = {DOCUMENT: _document, CONTACTS: _contacts, CALENDAR: _calendar}


def render_export(ctx: Context, fmt: str) -> tuple[bytes, str]:
    """The export's bytes in format `fmt` (an io.formats name), and a few words saying what is in it."""
    chosen = file_format(fmt)
    content, what = _READ_OUT[chosen.kind](ctx)
    return chosen.write(content), what


@dataclass
class Streamed:
    """An export being written: `chunks` are its bytes in pieces of whole lines (a piece can be shown
    on a terminal line by line, its control characters made visible), and `what()` says
    what was in it once they have all been taken."""

    chunks: Iterator[bytes]
    what: Callable[[], str]


@contextmanager
def stream_export(ctx: Context, fmt: str) -> Iterator[Streamed]:
    """The export in format `fmt`, read from the database while its chunks are taken within the
    block: a format that can be streamed (json) never holds the network whole; the others are
    rendered first, as render_export does."""
    chosen = file_format(fmt)
    if chosen.kind != DOCUMENT or not chosen.streamer:
        data, what = render_export(ctx, fmt)
        yield Streamed(iter([data]), lambda: what)
        return
    with streamed_snapshot(ctx) as doc:
        yield Streamed((block.encode("utf-8") for block in chosen.stream(doc)),
                       lambda: ", ".join(plural(doc[k].count, w) for k, w in _SAID))
