"""Follow-ups: the people and companies a contact suggested, due within a day by default."""

from __future__ import annotations

import datetime as dt

from netmaint_tui.services.common import Context, InputError, to_db
from netmaint_tui.services.contacts import FollowUpView, follow_up_views
from netmaint_tui.services.touches import DEFAULT_FOLLOW_UP_DELAY, LogResult, check_due, log_touch
from netmaint_tui.store.models import FOLLOW_UP_STATUSES, Contact, FollowUp, database


def add_follow_up(
    ctx: Context,
    what: str,
    due: dt.datetime | None = None,
    suggested_by: int | None = None,
    about: int | None = None,
    about_text: str = "",
    touch_id: int | None = None,
) -> int:
    what = (what or "").strip()
    if not what:
        raise InputError("say what the follow-up is, e.g. \"send the deck\"")
    due = due or ctx.now() + DEFAULT_FOLLOW_UP_DELAY
    check_due(due)
    with database.atomic():
        for label, cid in (("suggested by", suggested_by), ("about", about)):
            if cid is not None and not Contact.select().where(Contact.id == cid).exists():
                raise InputError(f"the contact it is {label} (#{cid}) does not exist; nothing was added")
        fu = FollowUp.create(
            what=what, due=to_db(due), suggested_by=suggested_by, about=about,
            about_text=about_text or "", touch=touch_id, created_at=to_db(ctx.now()),
        )
    return fu.id


def list_follow_ups(ctx: Context, status: str | None = "open") -> list[FollowUpView]:
    query = FollowUp.select()
    if status:
        query = query.where(FollowUp.status == status)
    return follow_up_views(ctx, query.order_by(FollowUp.due, FollowUp.id))


def get_follow_up(ctx: Context, follow_up_id: int) -> FollowUpView:
    found = follow_up_views(ctx, FollowUp.select().where(FollowUp.id == follow_up_id))
    if not found:
        raise InputError(f"no follow-up #{follow_up_id}; see: netmaint follow-up list")
    return found[0]


def set_status(ctx: Context, follow_up_id: int, status: str) -> FollowUpView:
    if status not in FOLLOW_UP_STATUSES:
        raise InputError(f"status {status!r} is not one of: {', '.join(FOLLOW_UP_STATUSES)}")
    get_follow_up(ctx, follow_up_id)
    closed = to_db(ctx.now()) if status != "open" else None
    with database.atomic():
        FollowUp.update(status=status, closed_at=closed).where(FollowUp.id == follow_up_id).execute()
    return get_follow_up(ctx, follow_up_id)


def reschedule(ctx: Context, follow_up_id: int, due: dt.datetime) -> FollowUpView:
    check_due(due)
    get_follow_up(ctx, follow_up_id)
    with database.atomic():
        FollowUp.update(due=to_db(due)).where(FollowUp.id == follow_up_id).execute()
    return get_follow_up(ctx, follow_up_id)


def thank(ctx: Context, follow_up_id: int, note: str = "") -> LogResult:
    """Close the loop: a give touch to whoever suggested the follow-up (articles 001 and 004)."""
    fu = get_follow_up(ctx, follow_up_id)
    if fu.suggested_by_id is None:
        raise InputError("nobody is recorded as suggesting this follow-up")
    return log_touch(
        ctx, [fu.suggested_by_id], channel="email", kind="give",
        note=note or f"Thanks for suggesting: {fu.what}",
    )
