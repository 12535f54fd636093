"""Contacts: adding, editing, finding by name, snoozing, archiving, and the detail view."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from peewee import fn

from netmaint_tui.config import MAX_CADENCE_DAYS
from netmaint_tui.rules.dates import day_problem
from netmaint_tui.rules.priority import balance
from netmaint_tui.services.common import (
    AmbiguousContact,
    ArchivedContact,
    Context,
    InputError,
    UnknownContact,
    check_day,
    dumps_list,
    from_db,
    loads_list,
    local_time,
    plain_date,
    to_db,
)
from netmaint_tui.store.models import (
    TIERS,
    Contact,
    ContactTag,
    FollowUp,
    Tag,
    Touch,
    TouchContact,
    database,
)

EDITABLE = (
    "name", "company", "role", "emails", "phones", "linkedin_url", "location", "how_met",
    "tier", "cadence_days", "tags", "birthday", "notes",
)

_BIRTHDAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$|^--(\d{2})-(\d{2})$")


def normalize_birthday(text: str | None) -> str | None:
    """'YYYY-MM-DD' or '--MM-DD' (no year); also accepts 'MM-DD'."""
    if text is None or not str(text).strip():
        return None
    text = str(text).strip()
    if re.fullmatch(r"\d{2}-\d{2}", text):
        text = "--" + text
    m = _BIRTHDAY.match(text)
    if not m:
        raise InputError(f"birthday {text[:20]!r} is not YYYY-MM-DD or --MM-DD (without a year)")
    year = int(m.group(1)) if m.group(1) else 2000  # 2000 is a leap year: --02-29 is valid
    month, day = int(m.group(2) or m.group(4)), int(m.group(3) or m.group(5))
    try:
        born = dt.date(year, month, day)
    except ValueError:
        raise InputError(f"birthday {text!r} is not a real date") from None
    problem = day_problem(born)
    if problem:
        raise InputError(f"birthday {problem} (or --MM-DD without a year)")
    return text


def _day(label: str, value) -> dt.date:
    if isinstance(value, dt.date):
        day = plain_date(value)
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise InputError(f"{label} {str(value)[:20]!r} is not a date (YYYY-MM-DD)") from None
    check_day(label, day)
    return day


def _clean_fields(fields: dict) -> dict:
    out = dict(fields)
    if "name" in out:
        out["name"] = (out["name"] or "").strip()
        if not out["name"]:
            raise InputError("a contact needs a name")
    if "tier" in out:
        tier = (out["tier"] or "B").strip().upper()
        if tier not in TIERS:
            raise InputError(f"tier {out['tier']!r} is not A, B or C")
        out["tier"] = tier
    if "cadence_days" in out and out["cadence_days"] not in (None, ""):
        try:
            cadence = int(out["cadence_days"])
        except (TypeError, ValueError):
            raise InputError(f"cadence {out['cadence_days']!r} is not a whole number of days") from None
        if not 1 <= cadence <= MAX_CADENCE_DAYS:
            raise InputError(f"cadence must be 1 to {MAX_CADENCE_DAYS} days, not {cadence}")
        out["cadence_days"] = cadence
    elif "cadence_days" in out:
        out["cadence_days"] = None
    if "birthday" in out:
        out["birthday"] = normalize_birthday(out["birthday"])
    for key, label in (("connected_on", "connected on"), ("snoozed_until", "snoozed until")):
        if out.get(key) not in (None, ""):
            out[key] = _day(label, out[key])
    for key in ("emails", "phones"):
        if key in out:
            values = out[key]
            if isinstance(values, str):
                values = [v for v in re.split(r"[,;]", values)]
            out[key] = dumps_list(v.strip() for v in values)
    for key in ("company", "role", "linkedin_url", "location", "how_met", "notes"):
        if key in out and out[key] is None:
            out[key] = ""
    return out


def _set_tags(contact_id: int, tags) -> None:
    names = []
    for t in tags or ():
        t = str(t).strip()
        if t and t not in names:
            names.append(t)
    ContactTag.delete().where(ContactTag.contact == contact_id).execute()
    for name in names:
        tag, _ = Tag.get_or_create(name=name)
        ContactTag.insert(contact=contact_id, tag=tag.id).on_conflict_ignore().execute()


def add_contact(ctx: Context, name: str, **fields) -> int:
    fields["name"] = name
    tags = fields.pop("tags", ())
    unknown = set(fields) - set(EDITABLE) - {"source", "source_id", "connected_on", "snoozed_until", "archived"}
    if unknown:
        raise InputError(f"unknown contact field(s): {', '.join(sorted(unknown))}")
    data = _clean_fields(fields)
    now = to_db(ctx.now())
    with database.atomic():
        contact = Contact.create(created_at=now, updated_at=now, **data)
        _set_tags(contact.id, tags)
    return contact.id


def update_contact(ctx: Context, contact_id: int, **fields) -> None:
    tags = fields.pop("tags", None)
    unknown = set(fields) - set(EDITABLE) - {"source", "source_id", "connected_on"}
    if unknown:
        raise InputError(f"unknown contact field(s): {', '.join(sorted(unknown))}")
    data = _clean_fields(fields)
    with database.atomic():
        if data:
            data["updated_at"] = to_db(ctx.now())
            Contact.update(**data).where(Contact.id == contact_id).execute()
        if tags is not None:
            _set_tags(contact_id, tags)


def snooze(ctx: Context, contact_id: int, until: dt.date | None) -> None:
    until = plain_date(until)
    if until is not None and until <= ctx.today():
        raise InputError("snooze until a day after today")
    if until is not None:
        check_day("snooze until", until)
    with database.atomic():
        Contact.update(snoozed_until=until, updated_at=to_db(ctx.now())).where(Contact.id == contact_id).execute()


def clear_snooze(ctx: Context, contact_id: int, restore: dt.date | None = None) -> None:
    """Undo a snooze: back to `restore` (the earlier value, even if past) or to none."""
    with database.atomic():
        Contact.update(snoozed_until=plain_date(restore), updated_at=to_db(ctx.now())).where(
            Contact.id == contact_id
        ).execute()


def set_archived(ctx: Context, contact_id: int, archived: bool = True) -> None:
    with database.atomic():
        Contact.update(archived=archived, updated_at=to_db(ctx.now())).where(Contact.id == contact_id).execute()


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
    # A prefix of the whole name ("Omar"), then of any later word in it ("Haddad").
    for condition in (
        fn.instr(fn.nm_fold(Contact.name), folded) == 1,
        fn.instr(fn.nm_fold(Contact.name), " " + folded) > 0,
    ):
        found = list(base.where(condition).limit(50))
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
        TouchView(t.id, local_time(t.at, tz), t.channel, t.kind, t.minutes, t.note, names.get(t.id, []))
        for t in touches
    ]


def follow_up_views(ctx: Context, query) -> list[FollowUpView]:
    from netmaint_tui.store.models import Contact as C

    rows = list(query)
    ids = {r.suggested_by_id for r in rows} | {r.about_id for r in rows}
    ids.discard(None)
    names = dict(C.select(C.id, C.name).where(C.id.in_(list(ids))).tuples()) if ids else {}
    now = ctx.now()
    out = []
    for r in rows:
        due = local_time(r.due, ctx.clock.tz)
        out.append(
            FollowUpView(
                r.id, r.what, due, r.status,
                names.get(r.suggested_by_id), r.suggested_by_id,
                names.get(r.about_id), r.about_id, r.about_text, r.touch_id,
                r.status == "open" and due < now,
            )
        )
    return out


def contact_detail(ctx: Context, contact_id: int) -> ContactDetail:
    c = Contact.get_or_none(Contact.id == contact_id)
    if c is None:
        raise InputError(f"contact #{contact_id} does not exist")
    gives, asks = kind_counts([c.id]).get(c.id, (0, 0))
    history = touch_views(
        ctx,
        Touch.select().join(TouchContact).where(TouchContact.contact == c.id).order_by(Touch.at.desc(), Touch.id.desc()),
    )
    follow_ups = follow_up_views(
        ctx,
        FollowUp.select()
        .where(((FollowUp.about == c.id) | (FollowUp.suggested_by == c.id)) & (FollowUp.status == "open"))
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
    )


def names_of(contact_ids) -> list[str]:
    """The contacts' names, in the order given: what a command says it acted on."""
    names = dict(Contact.select(Contact.id, Contact.name).where(Contact.id.in_(list(contact_ids))).tuples())
    return [names[i] for i in contact_ids if i in names]


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
