"""Follow-ups: the people and companies a contact suggested, due within a day by default."""

from __future__ import annotations

import datetime as dt

from netmaint_tui.rules import schema
from netmaint_tui.rules.vocabulary import FOLLOW_UP_STATUSES
from netmaint_tui.services.common import Context, InputError, to_db
from netmaint_tui.services.contacts import FollowUpView, add_contact, follow_up_views
from netmaint_tui.services.touches import DEFAULT_FOLLOW_UP_DELAY, LogResult, check_due, log_touch
from netmaint_tui.services.undo import delete_on_undo, restore_on_undo
from netmaint_tui.store.models import Contact, FollowUp, database


def add_follow_up(
    ctx: Context,
    what: str,
    due: dt.datetime | None = None,
    suggested_by: int | None = None,
    about: int | None = None,
    about_text: str = "",
    touch_id: int | None = None,
) -> int:
    try:
        what = schema.clean_follow_up_text(what)
        about_text = schema.clean_line("about_text", about_text)
    except schema.FieldError as exc:
        raise InputError(str(exc)) from None
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
        delete_on_undo(FollowUp, fu.id)
    return fu.id


def add_follow_up_with_people(
    ctx: Context,
    what: str,
    due: dt.datetime | None = None,
    about: int | None = None,
    about_text: str = "",
    suggested_by: int | None = None,
    new_about: str | None = None,
    new_suggester: str | None = None,
) -> int:
    """A follow-up whose people may be new: they are added with it, in one transaction, so a
    follow-up refused (nothing to do) leaves no contact behind."""
    with database.atomic():
        made: dict[str, int] = {}
        for name in filter(None, (new_about, new_suggester)):
            if name not in made:
                made[name] = add_contact(ctx, name)
        return add_follow_up(ctx, what, due=due, about=made.get(new_about, about), about_text=about_text,
                             suggested_by=made.get(new_suggester, suggested_by))


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
    closed = to_db(ctx.now()) if status != "open" else None
    with database.atomic():
        # Read and written in one transaction: a follow-up closed meanwhile by another netmaint
        # (the command line, a second window) is not closed, or thanked for, a second time.
        before = _row(follow_up_id)
        if status != "open" and before.status != "open":
            raise InputError(f"follow-up #{follow_up_id} is already {before.status}; nothing changed")
        FollowUp.update(status=status, closed_at=closed).where(FollowUp.id == follow_up_id).execute()
        restore_on_undo(FollowUp, follow_up_id, {"status": before.status, "closed_at": before.closed_at},
                        f"the follow-up {before.what!r}:")
    return get_follow_up(ctx, follow_up_id)


def reschedule(ctx: Context, follow_up_id: int, due: dt.datetime) -> FollowUpView:
    check_due(due)
    with database.atomic():
        before = _row(follow_up_id)
        FollowUp.update(due=to_db(due)).where(FollowUp.id == follow_up_id).execute()
        restore_on_undo(FollowUp, follow_up_id, {"due": before.due}, f"the follow-up {before.what!r}:")
    return get_follow_up(ctx, follow_up_id)


def _row(follow_up_id: int) -> FollowUp:
    row = FollowUp.get_or_none(FollowUp.id == follow_up_id)
    if row is None:
        raise InputError(f"no follow-up #{follow_up_id}; see: netmaint follow-up list")
    return row


def thank(ctx: Context, follow_up_id: int, note: str = "") -> LogResult:
    """Close the loop: a give touch to whoever suggested the follow-up (articles 001 and 004)."""
    fu = get_follow_up(ctx, follow_up_id)
    if fu.suggested_by_id is None:
        raise InputError("nobody is recorded as suggesting this follow-up")
    return log_touch(
        ctx, [fu.suggested_by_id], channel="email", kind="give",
        note=note or f"Thanks for suggesting: {fu.what}",
    )
