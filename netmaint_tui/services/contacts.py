"""Contacts: adding, editing, finding by name, snoozing, archiving, and the detail view."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from peewee import fn

from netmaint_tui.rules import schema
from netmaint_tui.rules.dates import is_after
from netmaint_tui.rules.priority import balance
from netmaint_tui.rules.text import visible
from netmaint_tui.services.common import (
    AmbiguousContact,
    ArchivedContact,
    Context,
    InputError,
    UnknownContact,
    check_day,
    from_db,
    local_time,
    plain_date,
    to_db,
)
from netmaint_tui.services.history import HistoryNoteView, contact_notes, follow_up_notes
from netmaint_tui.services.occasions import dates_of, set_dates
from netmaint_tui.services.undo import delete_on_undo, record, restore_on_undo
from netmaint_tui.store.models import (
    Contact,
    ContactDate,
    ContactTag,
    FollowUp,
    Tag,
    Touch,
    TouchContact,
    database,
)
from netmaint_tui.store.rows import dumps_list, loads_list

EDITABLE = schema.EDITABLE


def normalize_birthday(text: str | None) -> str | None:
    """'YYYY-MM-DD' or '--MM-DD' (no year); also accepts 'MM-DD'."""
    return _clean({"birthday": text})["birthday"]


def _clean(fields: dict) -> dict:
    """The fields in their stored form (rules.schema: the limits every way in shares)."""
    try:
        out = schema.clean_contact(fields)
    except schema.FieldError as exc:
        raise InputError(str(exc)) from None
    if "tier" in out and out["tier"] is None:
        out["tier"] = "B"
    for key in ("emails", "phones"):
        if key in out:
            out[key] = dumps_list(out[key])
    return out


def _set_tags(contact_id: int, names: list[str]) -> None:
    ContactTag.delete().where(ContactTag.contact == contact_id).execute()
    for name in names:
        tag, _ = Tag.get_or_create(name=name)
        ContactTag.insert(contact=contact_id, tag=tag.id).on_conflict_ignore().execute()


def _own_table(key: str):
    """How a field kept in a table of its own (rules.schema.OWN_TABLE_FIELDS) is read and written."""
    return (tags_of, _set_tags) if key == "tags" else (dates_of, set_dates)


def _own(data: dict) -> dict:
    """The fields of `data` kept in tables of their own, taken out of it."""
    return {key: data.pop(key) for key in schema.OWN_TABLE_FIELDS if key in data}


def add_contact(ctx: Context, name: str, **fields) -> int:
    fields["name"] = name
    data = _clean(fields)
    own = _own(data)
    now = to_db(ctx.now())
    with database.atomic():
        contact = Contact.create(created_at=now, updated_at=now, **data)
        _set_tags(contact.id, own.get("tags", []))
        set_dates(contact.id, own.get("dates", []))
        delete_on_undo(Contact, contact.id, f"the contact {contact.name}", ignore=(ContactTag, ContactDate))
    return contact.id


def _write_fields(ctx: Context, contact_id: int, data: dict, own: dict | None = None) -> None:
    """Write cleaned fields of one contact (`own`: tags and dates), keeping what they replace for an undo."""
    with database.atomic():
        before = Contact.get_or_none(Contact.id == contact_id)
        if before is None:
            raise InputError(f"contact #{contact_id} does not exist (removed meanwhile?); nothing was changed")
        if data:
            Contact.update(**data, updated_at=to_db(ctx.now())).where(Contact.id == contact_id).execute()
            restore_on_undo(Contact, contact_id, {k: getattr(before, k) for k in [*data, "updated_at"]},
                            f"{before.name}'s")
        for key, values in (own or {}).items():
            read, write = _own_table(key)
            old = read([contact_id]).get(contact_id, [])
            write(contact_id, values)
            new = read([contact_id]).get(contact_id, [])

            def put_back(key=key, read=read, write=write, old=old, new=new) -> list[str]:
                if read([contact_id]).get(contact_id, []) != new:
                    return [f"{before.name}'s {key}"]
                write(contact_id, old)
                return []

            record(put_back)


def update_contact(ctx: Context, contact_id: int, **fields) -> None:
    data = _clean(fields)
    _write_fields(ctx, contact_id, data, _own(data))


class EditConflict(InputError):
    """Fields the user changed in a form that someone else (another netmaint, an import) changed
    too since the form opened: key -> rules.merge.Conflict (base: as opened, ours: as typed,
    theirs: as stored now). Nothing was written; save again saying whose values to keep."""

    def __init__(self, contact_id: int, conflicts: dict):
        self.contact_id = contact_id
        self.conflicts = conflicts
        names = ", ".join(schema.label(k) for k in conflicts)
        super().__init__(f"{names} changed meanwhile; keep yours or take the new value")


def _stored_fields(contact_id: int, keys) -> dict:
    """The contact's fields as stored now, in the form rules.schema gives them."""
    c = Contact.get_or_none(Contact.id == contact_id)
    if c is None:
        raise InputError(f"contact #{contact_id} does not exist (removed meanwhile?); nothing was changed")
    values = {k: loads_list(getattr(c, k)) if k in ("emails", "phones") else getattr(c, k)
              for k in keys if k not in schema.OWN_TABLE_FIELDS}
    for key in schema.OWN_TABLE_FIELDS:
        if key in keys:
            values[key] = _own_table(key)[0]([contact_id]).get(contact_id, [])
    return schema.clean_contact(values)


def edit_contact(ctx: Context, contact_id: int, typed: dict, opened: dict, keep: str | None = None) -> list[str]:
    """Save a contact form: only the fields the user changed from what it `opened` with, so a
    change someone else made meanwhile to another field stays. A field the user changed that was
    also changed underneath raises EditConflict, unless `keep` says whose value wins ("ours" or
    "theirs"). Returns the keys written."""
    from netmaint_tui.rules.merge import merge_fields  # lazy: not needed for the first frame

    try:
        ours = schema.clean_contact({k: v for k, v in typed.items() if k in schema.EDITABLE})
        base = schema.clean_contact({k: v for k, v in opened.items() if k in ours})
    except schema.FieldError as exc:
        raise InputError(str(exc)) from None
    changed = {k: v for k, v in ours.items() if v != base.get(k)}
    with database.atomic():
        theirs = _stored_fields(contact_id, changed)
        merge = merge_fields({k: base.get(k) for k in changed}, changed, theirs)
        if merge.conflicts and keep is None:
            raise EditConflict(contact_id, merge.conflicts)
        return _write_differing(ctx, contact_id, merge.taking(keep or "ours"), theirs)


def edit_fields(ctx: Context, contact_id: int, values: dict) -> list[str]:
    """Set the given fields of a contact (the command line's edit), writing only those that differ
    from what is stored; the keys written, in one transaction."""
    try:
        typed = schema.clean_contact({k: v for k, v in values.items() if k in schema.EDITABLE})
    except schema.FieldError as exc:
        raise InputError(str(exc)) from None
    with database.atomic():
        return _write_differing(ctx, contact_id, typed, _stored_fields(contact_id, typed))


def _write_differing(ctx: Context, contact_id: int, values: dict, stored: dict) -> list[str]:
    """Write the cleaned `values` that differ from what is `stored`; their keys."""
    write = {k: v for k, v in values.items() if v != stored.get(k)}
    data = _clean(write)
    own = _own(data)
    if data or own:
        _write_fields(ctx, contact_id, data, own)
    return list(write)


def snooze(ctx: Context, contact_id: int, until: dt.date | None) -> None:
    until = plain_date(until)
    if until is not None and until <= ctx.today():
        raise InputError("snooze until a day after today")
    if until is not None:
        check_day("snooze until", until)
    _write_fields(ctx, contact_id, {"snoozed_until": until})


def clear_snooze(ctx: Context, contact_id: int, restore: dt.date | None = None) -> None:
    """Show a snoozed contact again: back to `restore` (an earlier value, even if past) or to none."""
    _write_fields(ctx, contact_id, {"snoozed_until": plain_date(restore)})


def set_archived(ctx: Context, contact_id: int, archived: bool = True) -> None:
    _write_fields(ctx, contact_id, {"archived": archived})


def _fold(text: str) -> str:
    return text.casefold()


def resolve_contact(name: str, include_archived: bool = False) -> int:
    """`#12` is contact 12; otherwise the exact name (any case) first, then a unique prefix of the
    name or of any word in it.

    Matching folds case for every script (nm_fold, not SQLite's ASCII-only lower/LIKE), and
    compares with instr(), so '%' and '_' in a typed name are plain characters.
    """
    wanted = " ".join((name or "").split())
    if not wanted:
        raise InputError("give a contact name")
    base = Contact.select(Contact.id, Contact.name, Contact.company)
    if not include_archived:
        base = base.where(Contact.archived == False)  # noqa: E712
    if re.fullmatch(r"#\d{1,18}", wanted):
        # The number `add` prints and `due --json` gives: the one way to pick between two
        # contacts who share a name.
        found = base.where(Contact.id == int(wanted[1:])).first()
        if found is None:
            raise InputError(f"no contact {wanted}" + ("" if include_archived else " (or it is archived)")
                             + "; netmaint due --json gives each contact's id")
        return found.id
    folded = _fold(wanted)
    exact = list(base.where(fn.nm_fold(Contact.name) == folded).order_by(Contact.id).limit(50))
    if len(exact) == 1:
        return exact[0].id
    if len(exact) > 1:
        raise AmbiguousContact(wanted, [_label(c) for c in exact], f"they share the name: give the number instead, e.g. '#{exact[0].id}'")
    if not include_archived:
        # An archived contact's whole name is theirs, even if it begins someone else's.
        gone = (Contact.select(Contact.id, Contact.name)
                .where((Contact.archived == True) & (fn.nm_fold(Contact.name) == folded)).first())  # noqa: E712
        if gone is not None:
            raise ArchivedContact(gone.name, gone.id)
    # The start of the name ("Omar") or of any later word in it ("Haddad"), and only one person:
    # "lee" is both Lee Wong and Dana Lee, and picking one of them would act on the wrong person.
    found = list(base.where((fn.instr(fn.nm_fold(Contact.name), folded) == 1)
                            | (fn.instr(fn.nm_fold(Contact.name), " " + folded) > 0)).limit(50))
    if len(found) == 1:
        return found[0].id
    if len(found) > 1:
        found.sort(key=lambda c: (c.name, c.id))
        raise AmbiguousContact(wanted, [_label(c) for c in found],
                               f"type more of the name, or give the number, e.g. '#{found[0].id}'")
    if not include_archived:
        # Archived, not gone: saying "add them first" would make a second one.
        try:
            archived = resolve_contact(wanted, include_archived=True)
        except InputError:
            archived = None
        if archived is not None:
            raise ArchivedContact(names_of([archived])[0], archived)
    names = [c.name for c in Contact.select(Contact.name).where(Contact.archived == False)]  # noqa: E712
    raise UnknownContact(wanted, close_names(wanted, names))


def _label(c) -> str:
    """A contact as a choice between several: the number tells two of the same name apart."""
    return f"{c.name} (#{c.id}" + (f", {c.company})" if c.company else ")")


def _plain(text: str) -> str:
    """Folded and without accents, for suggestions only: 'Olaf' should hint at 'Ölaf'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def close_names(wanted: str, names, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The names most like `wanted`, best first: compared whole, word by word, and by their start,
    so a typo in a first name ('Dnaa') still finds 'Dana Haddad'."""
    key = _plain(wanted)
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(key)
    scored = []
    for name in dict.fromkeys(names):
        plain = _plain(name)
        best = 0.0
        for candidate in (plain, plain[: len(key)], *plain.split()):
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
                best = max(best, matcher.ratio())
        if best >= cutoff:
            scored.append((-best, name))
    return [name for _, name in sorted(scored)[:n]]


def resolve_contacts(names) -> list[int]:
    ids: list[int] = []
    for name in names:
        cid = resolve_contact(name)
        if cid not in ids:
            ids.append(cid)
    return ids


@dataclass
class TouchView:
    id: int
    at: dt.datetime  # aware, local
    channel: str
    kind: str
    minutes: int | None
    note: str
    with_names: list[str]
    source: str | None = None  # 'calendar' or 'mail' for a captured touch, None for one logged by hand
    source_id: str | None = None  # the event's or the mail's id there


@dataclass
class FollowUpView:
    id: int
    what: str
    due: dt.datetime  # aware, local
    status: str
    suggested_by: str | None
    suggested_by_id: int | None
    about: str | None
    about_id: int | None
    about_text: str
    touch_id: int | None
    overdue: bool
    notes: list[HistoryNoteView] = field(default_factory=list)  # what a sync kept of a task's other values


@dataclass
class ContactDetail:
    id: int
    name: str
    company: str
    role: str
    emails: list[str]
    phones: list[str]
    linkedin_url: str
    location: str
    how_met: str
    tier: str
    cadence_days: int | None
    effective_cadence: int
    tags: list[str]
    birthday: str | None
    notes: str
    source: str
    connected_on: dt.date | None
    snoozed_until: dt.date | None
    archived: bool
    created_at: dt.datetime
    last_touch: dt.datetime | None
    gives: int
    asks: int
    balance: int
    leads: int
    leads_done: int
    follow_ups: list[FollowUpView] = field(default_factory=list)
    history: list[TouchView] = field(default_factory=list)
    last_heard: dt.datetime | None = None  # aware, local: when they last wrote (a captured mail)
    dates: list[dict] = field(default_factory=list)  # anniversaries: [{"label", "date"}]
    # Lines of the history that are no touch (what a sync kept), newest first.
    history_notes: list[HistoryNoteView] = field(default_factory=list)


# tags_of and kind_counts are called for every page of the list as it is drawn: plain SQL,
# because building the same query through the ORM costs as much as running it.


def tags_of(contact_ids) -> dict[int, list[str]]:
    ids = list(contact_ids)
    out: dict[int, list[str]] = {}
    if not ids:
        return out
    rows = database.execute_sql(
        "SELECT ct.contact_id, t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id "
        f"WHERE ct.contact_id IN ({','.join('?' * len(ids))}) ORDER BY t.name",
        ids,
    ).fetchall()
    for cid, name in rows:
        out.setdefault(cid, []).append(name)
    return out


def kind_counts(contact_ids) -> dict[int, tuple[int, int]]:
    """(gives, asks) per contact."""
    ids = list(contact_ids)
    if not ids:
        return {}
    rows = database.execute_sql(
        "SELECT tc.contact_id, SUM(t.kind = 'give'), SUM(t.kind = 'ask') FROM touch_contact tc "
        f"JOIN touch t ON t.id = tc.touch_id WHERE tc.contact_id IN ({','.join('?' * len(ids))}) "
        "GROUP BY tc.contact_id",
        ids,
    ).fetchall()
    return {cid: (int(gives or 0), int(asks or 0)) for cid, gives, asks in rows}


def touch_views(ctx: Context, touch_query) -> list[TouchView]:
    touches = list(touch_query)
    ids = [t.id for t in touches]
    names: dict[int, list[str]] = {}
    if ids:
        q = (
            TouchContact.select(TouchContact.touch, Contact.name)
            .join(Contact)
            .where(TouchContact.touch.in_(ids))
            .order_by(Contact.name)
            .tuples()
        )
        for tid, name in q:
            names.setdefault(tid, []).append(name)
    tz = ctx.clock.tz
    return [
        TouchView(t.id, local_time(t.at, tz), t.channel, t.kind, t.minutes, t.note, names.get(t.id, []),
                  t.source, t.source_id)
        for t in touches
    ]


def follow_up_views(ctx: Context, query) -> list[FollowUpView]:
    from netmaint_tui.store.models import Contact as C  # lazy: not needed for the first frame

    rows = list(query)
    ids = {r.suggested_by_id for r in rows} | {r.about_id for r in rows}
    ids.discard(None)
    names = dict(C.select(C.id, C.name).where(C.id.in_(list(ids))).tuples()) if ids else {}
    notes = follow_up_notes(ctx, [r.id for r in rows])
    now = ctx.now()
    out = []
    for r in rows:
        due = local_time(r.due, ctx.clock.tz)
        out.append(
            FollowUpView(
                r.id, r.what, due, r.status,
                names.get(r.suggested_by_id), r.suggested_by_id,
                names.get(r.about_id), r.about_id, r.about_text, r.touch_id,
                r.status == "open" and is_after(now, due), notes.get(r.id, []),
            )
        )
    return out


def contact_detail(ctx: Context, contact_id: int, history_limit: int | None = None) -> ContactDetail:
    """Everything about one contact; `history_limit`: only that many of the newest touches in
    `history` (a contact with 3,000 touches took about 300 ms to read whole)."""
    c = Contact.get_or_none(Contact.id == contact_id)
    if c is None:
        raise InputError(f"contact #{contact_id} does not exist")
    gives, asks = kind_counts([c.id]).get(c.id, (0, 0))
    touches = Touch.select().join(TouchContact).where(TouchContact.contact == c.id).order_by(Touch.at.desc(), Touch.id.desc())
    history = touch_views(ctx, touches if history_limit is None else touches.limit(history_limit))
    follow_ups = follow_up_views(
        ctx,
        FollowUp.select()
        .where(
            ((FollowUp.about == c.id) | (FollowUp.suggested_by == c.id)
             # From a meeting with several people and credited to none of them: it concerns each.
             | (FollowUp.about.is_null() & FollowUp.suggested_by.is_null()
                & FollowUp.touch.in_(TouchContact.select(TouchContact.touch).where(TouchContact.contact == c.id))))
            & (FollowUp.status == "open")
        )
        .order_by(FollowUp.due),
    )
    leads = FollowUp.select().where(FollowUp.suggested_by == c.id).count()
    leads_done = FollowUp.select().where((FollowUp.suggested_by == c.id) & (FollowUp.status == "done")).count()
    return ContactDetail(
        id=c.id, name=c.name, company=c.company, role=c.role,
        emails=loads_list(c.emails), phones=loads_list(c.phones),
        linkedin_url=c.linkedin_url, location=c.location, how_met=c.how_met,
        tier=c.tier, cadence_days=c.cadence_days,
        effective_cadence=c.cadence_days or ctx.cadence_for(c.tier),
        tags=tags_of([c.id]).get(c.id, []), birthday=c.birthday, notes=c.notes,
        source=c.source, connected_on=c.connected_on, snoozed_until=c.snoozed_until,
        archived=bool(c.archived), created_at=from_db(c.created_at),
        last_touch=local_time(c.last_touch_at, ctx.clock.tz),
        gives=gives, asks=asks, balance=balance(gives, asks),
        leads=leads, leads_done=leads_done, follow_ups=follow_ups, history=history,
        last_heard=local_time(c.last_heard_at, ctx.clock.tz), dates=dates_of([c.id]).get(c.id, []),
        history_notes=contact_notes(ctx, c.id),
    )


def names_of(contact_ids) -> list[str]:
    """The contacts' names, in the order given: what a command says it acted on."""
    names = dict(Contact.select(Contact.id, Contact.name).where(Contact.id.in_(list(contact_ids))).tuples())
    return [names[i] for i in contact_ids if i in names]


def names_as_typed(contact_ids) -> str:
    """Contacts as a form's people field shows them: names joined by commas, `#id` for a name
    that a comma, a control character or another contact's name would make unclear, so that the
    field saved as it is resolves to the same people (resolve_contacts)."""
    ids = list(contact_ids)
    shown = []
    for cid, name in zip(ids, names_of(ids)):
        shared = Contact.select().where((Contact.name == name) & (Contact.id != cid)).exists()
        plain = "," not in name and name.strip() == name and visible(name, single_line=True) == name
        shown.append(name if plain and not shared else f"#{cid}")
    return ", ".join(shown)


def contact_names(text: str = "", limit: int = 20) -> list[tuple[int, str, str]]:
    """(id, name, company) of active contacts whose name contains `text`, prefix matches first."""
    q = Contact.select(Contact.id, Contact.name, Contact.company).where(Contact.archived == False)  # noqa: E712
    text = (text or "").strip()
    if text:
        position = fn.instr(fn.nm_fold(Contact.name), _fold(text))
        q = q.where(position > 0).order_by(position, Contact.name)
    else:
        q = q.order_by(Contact.name)
    return list(q.limit(limit).tuples())
