"""Correcting touches: one contact's touches listed, and a touch edited (when, channel, kind,
minutes, note, people). Deleting one, and bringing it back, is services.deleted_touches.

Every count follows at once: the last touch of each contact is kept by the database's triggers,
and streaks, goodwill and the ranking are counted from the touches as they are.
"""

from __future__ import annotations

import datetime as dt

from netmaint_tui.rules import schema
from netmaint_tui.rules.dates import is_after
from netmaint_tui.services.common import Context, InputError, check_moment, from_db, to_db
from netmaint_tui.services.contacts import TouchView, names_as_typed, resolve_contacts, touch_views
from netmaint_tui.services.touches import FUTURE_GRACE
from netmaint_tui.services.undo import record, restore_on_undo
from netmaint_tui.store.models import Contact, Touch, TouchContact, database

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
    return names_as_typed(people_of(touch_id))


def edit_touch_as_typed(ctx: Context, touch_id: int, people: str, **values) -> list[str]:
    """edit_touch with the people as typed in a form (names or #ids, by commas): whoever is new
    is added, whoever is left out removed."""
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
