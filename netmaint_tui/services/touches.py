"""Logging touches; a note's task lines become follow-ups in the same transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pendulum

from netmaint_tui.services.common import Context, InputError, check_moment, to_db
from netmaint_tui.store.models import CHANNELS, KINDS, Contact, FollowUp, Touch, TouchContact, database

# A few seconds of grace: "now" typed in a form is a little older than "now" at save time.
FUTURE_GRACE = dt.timedelta(minutes=1)
DEFAULT_FOLLOW_UP_DELAY = dt.timedelta(hours=24)


@dataclass
class LogResult:
    touch_id: int
    follow_ups: list[tuple[int, str, pendulum.DateTime]] = field(default_factory=list)


def check_due(due: dt.datetime) -> None:
    """A follow-up's due time, from any source, is a moment netmaint keeps."""
    check_moment("the follow-up's due time", due)


def validate_touch(ctx: Context, at: dt.datetime, channel: str, kind: str, minutes) -> int | None:
    check_moment("the touch's time", at)
    if channel not in CHANNELS:
        raise InputError(f"channel {channel!r} is not one of: {', '.join(CHANNELS)}")
    if kind not in KINDS:
        raise InputError(f"kind {kind!r} is not one of: {', '.join(KINDS)}")
    if at > ctx.now() + FUTURE_GRACE:
        raise InputError(
            f"{at.strftime('%Y-%m-%d %H:%M')} is in the future; log touches that happened, "
            "and use a follow-up for what is planned"
        )
    if minutes in (None, ""):
        return None
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise InputError(f"minutes {minutes!r} is not a whole number") from None
    if minutes < 0 or minutes > 24 * 60:
        raise InputError("minutes must be between 0 and 1440")
    return minutes


def log_touch(
    ctx: Context,
    contact_ids: list[int],
    at: dt.datetime | None = None,
    channel: str = "meeting",
    kind: str = "catch-up",
    minutes: int | None = None,
    note: str = "",
) -> LogResult:
    from netmaint_tui.rules.notes import extract_tasks

    # The same person picked twice is one link, not a unique-index failure.
    contact_ids = list(dict.fromkeys(int(c) for c in contact_ids or ()))
    if not contact_ids:
        raise InputError("a touch needs at least one contact")
    at = at or ctx.now()
    minutes = validate_touch(ctx, at, channel, kind, minutes)
    note = note or ""
    tasks = extract_tasks(note, pendulum.instance(at).in_timezone(ctx.clock.tz))
    now_db = to_db(ctx.now())
    with database.atomic():
        found = {c for (c,) in Contact.select(Contact.id).where(Contact.id.in_(contact_ids)).tuples()}
        missing = [c for c in contact_ids if c not in found]
        if missing:
            raise InputError(f"contact #{missing[0]} does not exist (deleted meanwhile?); nothing was logged")
        touch = Touch.create(at=to_db(at), channel=channel, kind=kind, minutes=minutes, note=note, created_at=now_db)
        TouchContact.insert_many([(touch.id, cid) for cid in contact_ids], fields=[TouchContact.touch, TouchContact.contact]).execute()
        created = []
        for task in tasks:
            due = task.due or pendulum.instance(at) + DEFAULT_FOLLOW_UP_DELAY
            check_due(due)
            fu = FollowUp.create(
                what=task.what, due=to_db(due), suggested_by=contact_ids[0], touch=touch.id, created_at=now_db
            )
            created.append((fu.id, task.what, pendulum.instance(due).in_timezone(ctx.clock.tz)))
    return LogResult(touch.id, created)


def delete_touch(ctx: Context, touch_id: int) -> None:
    with database.atomic():
        Touch.delete().where(Touch.id == touch_id).execute()
