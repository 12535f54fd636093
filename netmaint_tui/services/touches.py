"""Logging touches; a note's task lines become follow-ups in the same transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pendulum

from netmaint_tui.rules import schema
from netmaint_tui.rules.dates import is_after
from netmaint_tui.services.common import Context, InputError, check_moment, to_db
from netmaint_tui.services.contacts import add_contact
from netmaint_tui.services.deleted_touches import TOUCH_COLUMNS, forget_deleted, keep_deleted, purge_deleted
from netmaint_tui.services.undo import delete_on_undo, record
from netmaint_tui.store.models import CapturedItem, Contact, FollowUp, Touch, TouchContact, database

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


def validate_touch(ctx: Context, at: dt.datetime, channel: str, kind: str, minutes, note: str = "",
                   now: dt.datetime | None = None) -> int | None:
    """The touch's minutes as stored, or InputError for what no touch may hold (rules.schema),
    a time outside the years kept, or a time in the future: follow-ups are the place for plans.
    `now`: the moment judged against, when many touches are checked at once (ctx.now())."""
    check_moment("the touch's time", at)
    problem = schema.touch_problem(channel, kind, minutes, note)
    if problem is not None:
        key, why = problem
        raise InputError(f"{key} {why}")
    if is_after(at, (now or ctx.now()) + FUTURE_GRACE):
        raise InputError(
            f"{at.strftime('%Y-%m-%d %H:%M')} is in the future; log touches that happened, "
            "and use a follow-up for what is planned"
        )
    return schema.clean_minutes(minutes)


def log_touch(
    ctx: Context,
    contact_ids: list[int],
    at: dt.datetime | None = None,
    channel: str = "meeting",
    kind: str = "catch-up",
    minutes: int | None = None,
    note: str = "",
) -> LogResult:
    from netmaint_tui.rules.notes import credited, extract_tasks  # lazy: not needed for the first frame

    # The same person picked twice is one link, not a unique-index failure.
    contact_ids = list(dict.fromkeys(int(c) for c in contact_ids or ()))
    if not contact_ids:
        raise InputError("a touch needs at least one contact")
    at = at or ctx.now()
    note = note or ""
    minutes = validate_touch(ctx, at, channel, kind, minutes, note)
    tasks = extract_tasks(note, pendulum.instance(at).in_timezone(ctx.clock.tz))
    now_db = to_db(ctx.now())
    with database.atomic():
        found = dict(Contact.select(Contact.id, Contact.name).where(Contact.id.in_(contact_ids)).tuples())
        missing = [c for c in contact_ids if c not in found]
        if missing:
            raise InputError(f"contact #{missing[0]} does not exist (deleted meanwhile?); nothing was logged")
        touch = Touch.create(at=to_db(at), channel=channel, kind=kind, minutes=minutes, note=note, created_at=now_db)
        TouchContact.insert_many([(touch.id, cid) for cid in contact_ids], fields=[TouchContact.touch, TouchContact.contact]).execute()
        delete_on_undo(Touch, touch.id, "the touch")
        created = []
        for task in tasks:
            due = task.due or pendulum.instance(at) + DEFAULT_FOLLOW_UP_DELAY
            check_due(due)
            fu = FollowUp.create(
                what=task.what, due=to_db(due), touch=touch.id, created_at=now_db,
                suggested_by=credited(task.what, [(cid, found[cid]) for cid in contact_ids]),
            )
            delete_on_undo(FollowUp, fu.id)
            created.append((fu.id, task.what, pendulum.instance(due).in_timezone(ctx.clock.tz)))
    return LogResult(touch.id, created)


def save_quick_note(
    ctx: Context,
    contact_ids: list[int],
    new_names: list[str],
    at: dt.datetime,
    channel: str = "meeting",
    kind: str = "catch-up",
    minutes=None,
    note: str = "",
) -> tuple[LogResult, list[int]]:
    """A quick note, whole: the people it names that are new, the touch, its follow-ups, and the
    draft gone, in one transaction (never the touch without the draft gone, nor the other way)."""
    from netmaint_tui.services.drafts import discard_draft  # lazy: not needed for the first frame

    with database.atomic():
        new_ids = [add_contact(ctx, name) for name in new_names]
        result = log_touch(ctx, list(contact_ids) + new_ids, at=at, channel=channel, kind=kind,
                           minutes=minutes, note=note)
        discard_draft()
    return result, new_ids


def delete_touch(ctx: Context, touch_id: int) -> bool:
    """Delete a touch; it is kept whole for 30 days (services.deleted_touches.restore_touch brings
    it back), and undo puts it back at once. False when there was no such touch."""
    with database.atomic():
        touch = Touch.get_or_none(Touch.id == touch_id)
        if touch is None:
            return False
        members = [c for (c,) in TouchContact.select(TouchContact.contact).where(TouchContact.touch == touch_id).tuples()]
        from_it = [f for (f,) in FollowUp.select(FollowUp.id).where(FollowUp.touch == touch_id).tuples()]
        # A captured touch: the calendar or mail items it was made from (they outlive it).
        made_from = [i for (i,) in CapturedItem.select(CapturedItem.id).where(CapturedItem.touch == touch_id).tuples()]
        row = {f: getattr(touch, f) for f in TOUCH_COLUMNS}
        purge_deleted(ctx)
        kept = keep_deleted(ctx, row, members, from_it, made_from)

        def put_back() -> list[str]:
            if Touch.get_or_none(Touch.id == touch_id) is not None:
                return ["the touch (its number is taken again)"]
            Touch.insert(**row).execute()
            TouchContact.insert_many([(touch_id, c) for c in members], fields=[TouchContact.touch, TouchContact.contact]).execute()
            FollowUp.update(touch=touch_id).where(FollowUp.id.in_(from_it)).execute()
            CapturedItem.update(touch=touch_id).where(CapturedItem.id.in_(made_from)).execute()
            forget_deleted(kept)
            return []

        record(put_back)
        Touch.delete().where(Touch.id == touch_id).execute()
    return True

