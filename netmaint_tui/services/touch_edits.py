"""Correcting touches: one contact's touches listed, a touch edited (when, channel, kind, minutes,
note, people), and deleted ones kept for 30 days to be brought back.

Every count follows at once: the last touch of each contact is kept by the database's triggers,
and streaks, goodwill and the ranking are counted from the touches as they are.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from netmaint_tui.rules import schema
from netmaint_tui.rules.dates import is_after
from netmaint_tui.services.common import Context, InputError, check_moment, from_db, local_time, to_db
from netmaint_tui.services.contacts import TouchView, names_of, touch_views
from netmaint_tui.services.touches import FUTURE_GRACE, TOUCH_COLUMNS
from netmaint_tui.services.undo import record, restore_on_undo
from netmaint_tui.store.models import CapturedItem, Contact, DeletedTouch, FollowUp, Touch, TouchContact, database

KEPT_FOR = dt.timedelta(days=30)
_KEEP = object()  # an argument not given: the value stays as it is


def _missing(touch_id: int) -> InputError:
    return InputError(f"no touch #{touch_id}; each contact's touches and their numbers: netmaint touch list NAME")


def touches_of(ctx: Context, contact_id: int) -> list[TouchView]:
    """A contact's touches, newest first, each with its number."""
    return touch_views(ctx, Touch.select().join(TouchContact).where(TouchContact.contact == contact_id)
                       .order_by(Touch.at.desc(), Touch.id.desc()))


def touch_view(ctx: Context, touch_id: int) -> TouchView:
    found = touch_views(ctx, Touch.select().where(Touch.id == touch_id))
    if not found:
        raise _missing(touch_id)
    return found[0]


def people_of(touch_id: int) -> list[int]:
    return [c for (c,) in TouchContact.select(TouchContact.contact).where(TouchContact.touch == touch_id)
            .order_by(TouchContact.id).tuples()]


def edit_touch(ctx: Context, touch_id: int, *, at: dt.datetime | None = None, channel: str | None = None,
               kind: str | None = None, minutes=_KEEP, note: str | None = None,
               add: list[int] = (), remove: list[int] = ()) -> list[str]:
    """Change what was given, in one transaction; the names of what changed ("note", "people").
    A touch keeps at least one person; a time in the future is refused, as when logging."""
    with database.atomic():
        touch = Touch.get_or_none(Touch.id == touch_id)
        if touch is None:
            raise _missing(touch_id)
        new = {"channel": channel, "kind": kind, "note": note}
        new = {k: v for k, v in new.items() if v is not None and v != getattr(touch, k)}
        wanted_minutes = touch.minutes if minutes is _KEEP else minutes
        problem = schema.touch_problem(new.get("channel", touch.channel), new.get("kind", touch.kind),
                                       wanted_minutes, new.get("note", touch.note))
        if problem is not None:
            raise InputError(f"{problem[0]} {problem[1]}")
        if schema.clean_minutes(wanted_minutes) != touch.minutes:
            new["minutes"] = schema.clean_minutes(wanted_minutes)
        if at is not None:
            check_moment("the touch's time", at)
            if is_after(at, ctx.now() + FUTURE_GRACE):
                raise InputError(f"{at.strftime('%Y-%m-%d %H:%M')} is in the future; a touch is something that "
                                 "happened (a follow-up is the place for plans)")
            if to_db(at) != from_db(touch.at).replace(tzinfo=None):
                new["at"] = to_db(at)
        before_people = people_of(touch_id)
        people = [c for c in dict.fromkeys([*before_people, *add]) if c not in set(remove)]
        if not people:
            raise InputError(f"a touch needs at least one person; to remove it: netmaint touch delete {touch_id}")
        absent = [c for c in people if c not in before_people]
        known = {c for (c,) in Contact.select(Contact.id).where(Contact.id.in_(absent)).tuples()}
        if set(absent) - known:
            raise InputError(f"contact #{min(set(absent) - known)} does not exist; nothing was changed")
        if new:
            Touch.update(**new).where(Touch.id == touch_id).execute()
            restore_on_undo(Touch, touch_id, {k: getattr(touch, k) for k in new}, "the touch's")
        changed = list(new)
        if people != before_people:
            _set_people(touch_id, before_people, people)
            changed.append("people")
    return changed


def people_as_typed(touch_id: int) -> str:
    """The touch's people as a form shows them (contacts.names_as_typed)."""
    from netmaint_tui.services.contacts import names_as_typed

    return names_as_typed(people_of(touch_id))


def edit_touch_as_typed(ctx: Context, touch_id: int, people: str, **values) -> list[str]:
    """edit_touch with the people as typed in a form (names or #ids, by commas): whoever is new
    is added, whoever is left out removed."""
    from netmaint_tui.services.contacts import resolve_contacts

    wanted = resolve_contacts([p for p in (p.strip() for p in people.split(",")) if p])
    with database.atomic():
        before = people_of(touch_id)
        return edit_touch(ctx, touch_id, add=[c for c in wanted if c not in before],
                          remove=[c for c in before if c not in wanted], **values)


def _set_people(touch_id: int, before: list[int], after: list[int]) -> None:
    _relink(touch_id, before, after)

    def put_back() -> list[str]:
        if sorted(people_of(touch_id)) != sorted(after):
            return ["the touch's people"]
        _relink(touch_id, after, before)
        return []

    record(put_back)


def _relink(touch_id: int, before: list[int], after: list[int]) -> None:
    gone = [c for c in before if c not in after]
    # Only contacts still there: one merged away since an edit is not brought back by its undo.
    added = [c for c in after if c not in before and Contact.select().where(Contact.id == c).exists()]
    TouchContact.delete().where((TouchContact.touch == touch_id) & TouchContact.contact.in_(gone)).execute()
    if added:
        TouchContact.insert_many([(touch_id, c) for c in added], fields=[TouchContact.touch, TouchContact.contact]).execute()


# --- deleted touches ------------------------------------------------------------------------------


@dataclass
class DeletedView(TouchView):
    """A touch deleted in the last 30 days: `id` is its number as it was."""

    deleted_at: dt.datetime | None = None  # aware, local
    restorable_until: dt.date | None = None


def _stamp(value) -> str | None:
    return None if value is None else str(value)


def keep_deleted(ctx: Context, row: dict, members: list[int], follow_ups: list[int], captured: list[int]) -> int:
    """Keep a touch about to be deleted, whole; the kept row's id."""
    payload = {
        "touch": {k: _stamp(v) if k in ("at", "created_at") else v for k, v in row.items()},
        "people": members, "names": names_of(members), "follow_ups": follow_ups, "captured": captured,
    }
    return DeletedTouch.create(touch_id=row["id"], payload=json.dumps(payload, ensure_ascii=False),
                               deleted_at=to_db(ctx.now())).id


def forget_deleted(kept_id: int) -> None:
    DeletedTouch.delete().where(DeletedTouch.id == kept_id).execute()


def purge_deleted(ctx: Context) -> None:
    """Touches deleted more than 30 days ago are gone for good."""
    DeletedTouch.delete().where(DeletedTouch.deleted_at < to_db(ctx.now() - KEPT_FOR)).execute()


def _kept(ctx: Context):
    return (DeletedTouch.select().where(DeletedTouch.deleted_at >= to_db(ctx.now() - KEPT_FOR))
            .order_by(DeletedTouch.deleted_at.desc(), DeletedTouch.id.desc()))


def deleted_touches(ctx: Context) -> list[DeletedView]:
    """Touches deleted in the last 30 days, the latest deletion first."""
    tz = ctx.clock.tz
    out = []
    for kept in _kept(ctx):
        data = json.loads(kept.payload)
        t = data["touch"]
        deleted = local_time(kept.deleted_at, tz)
        out.append(DeletedView(kept.touch_id, local_time(t["at"], tz), t["channel"], t["kind"], t["minutes"],
                               t["note"], data["names"], t.get("source"), t.get("source_id"),
                               deleted_at=deleted, restorable_until=(deleted + KEPT_FOR).date()))
    return out


def restore_touch(ctx: Context, touch_id: int) -> int:
    """Bring back a touch deleted in the last 30 days, with the people still there and the
    follow-ups and captured items it had; its number, or a new one when that is taken."""
    with database.atomic():
        kept = _kept(ctx).where(DeletedTouch.touch_id == touch_id).first()
        if kept is None:
            raise InputError(f"no touch #{touch_id} was deleted in the last 30 days; "
                             "see: netmaint touch list --deleted")
        data = json.loads(kept.payload)
        row = dict(data["touch"])
        people = [c for (c,) in Contact.select(Contact.id).where(Contact.id.in_(data["people"])).tuples()]
        if not people:
            raise InputError(f"touch #{touch_id} was with {', '.join(data['names'])}, who are no contacts any more; "
                             "nothing was restored")
        for key in ("at", "created_at"):
            row[key] = dt.datetime.fromisoformat(row[key]) if row[key] else None
        if Touch.get_or_none(Touch.id == touch_id) is not None:
            del row["id"]  # its number went to a touch logged since
        new_id = Touch.insert(**{k: row[k] for k in TOUCH_COLUMNS if k in row}).execute()
        TouchContact.insert_many([(new_id, c) for c in people], fields=[TouchContact.touch, TouchContact.contact]).execute()
        FollowUp.update(touch=new_id).where(FollowUp.id.in_(data["follow_ups"]) & FollowUp.touch.is_null()).execute()
        CapturedItem.update(touch=new_id).where(CapturedItem.id.in_(data["captured"])
                                                & CapturedItem.touch.is_null()).execute()
        forget_deleted(kept.id)
        purge_deleted(ctx)
    return new_id
