"""Deleted touches, kept whole for 30 days: listed, and brought back with what pointed at them.

A deleted touch leaves the touch table (so every count follows at once) and its row, its people,
the follow-ups its note made and the calendar or mail items it was captured from are kept in
deleted_touch (migration 6) until a restore or 30 days.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from netmaint_tui.services.common import Context, InputError, local_time, to_db
from netmaint_tui.services.contacts import TouchView, names_of
from netmaint_tui.store.models import CapturedItem, Contact, DeletedTouch, FollowUp, Touch, TouchContact, database

KEPT_FOR = dt.timedelta(days=30)
TOUCH_COLUMNS = ("id", "at", "channel", "kind", "minutes", "note", "created_at", "source", "source_id", "uid")


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
        back = Touch.get_or_none(Touch.uid == row.get("uid")) if row.get("uid") else None
        if back is not None:
            # Restored on another computer and brought back by a sync meanwhile.
            raise InputError(f"touch #{touch_id} is back already, as touch #{back.id} (a sync brought it back); "
                             "nothing was restored")
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
