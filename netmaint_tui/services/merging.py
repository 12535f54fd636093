"""Duplicates found, and two contacts merged into one (rules.duplicates, rules.contact_merge).

A merge is one transaction after a copy of the database (`before-merge`): the kept contact takes
what the plan says, the other's history and follow-ups become the kept contact's (a touch they
shared counts once), its source id is kept as an alias so the next import still matches, and
the other contact is removed. Leads, goodwill and the last touch are counted from the data, so
they are recounted by the merge itself. Undo puts both contacts back as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netmaint_tui.rules import schema
from netmaint_tui.rules.contact_merge import MergePlan, plan_merge, shown_date
from netmaint_tui.rules.occasions import shown_stored
from netmaint_tui.rules.duplicates import find_pairs, pair_reasons
from netmaint_tui.services.common import Context, InputError, to_db
from netmaint_tui.services.contacts import tags_of, update_contact
from netmaint_tui.services.occasions import dates_of, set_dates
from netmaint_tui.services.undo import delete_on_undo, record, restore_on_undo
from netmaint_tui.store.backup import auto_backup
from netmaint_tui.store.models import (
    Contact, ContactAlias, ContactTag, FollowUp, HistoryNote, NotDuplicate, Tag, TouchContact, database,
)
from netmaint_tui.store.rows import CONTACT_COLUMNS, from_row, loads_list

SHOWN = ("name", "company", "role", "emails", "phones", "linkedin_url", "location", "how_met", "tier",
         "cadence_days", "tags", "birthday", "dates")


@dataclass
class DuplicatePair:
    first: int
    first_name: str
    first_company: str
    second: int
    second_name: str
    second_company: str
    reasons: list[str]
    strength: int

    def as_json(self) -> dict:
        return {"first": {"id": self.first, "name": self.first_name, "company": self.first_company},
                "second": {"id": self.second, "name": self.second_name, "company": self.second_company},
                "reasons": self.reasons}


def duplicate_pairs(ctx: Context) -> list[DuplicatePair]:
    """Every pair of contacts likely to be one person, strongest reason first."""
    rows = database.execute_sql("SELECT id, name, company, emails, phones, linkedin_url FROM contact").fetchall()
    contacts = {r[0]: {"id": r[0], "name": r[1], "company": r[2], "emails": loads_list(r[3]),
                       "phones": loads_list(r[4]), "linkedin_url": r[5]} for r in rows}
    apart = set(NotDuplicate.select(NotDuplicate.first, NotDuplicate.second).tuples())
    out = []
    for p in find_pairs(list(contacts.values())):
        if (min(p.first, p.second), max(p.first, p.second)) in apart:
            continue
        a, b = contacts[p.first], contacts[p.second]
        out.append(DuplicatePair(a["id"], a["name"], a["company"], b["id"], b["name"], b["company"],
                                 p.reasons, p.strength))
    return out


def not_duplicates(ctx: Context, first: int, second: int) -> bool:
    """The user says the two are two people: they are no longer listed as likely duplicates
    (undo lists them again). False when that was said already."""
    if first == second:
        raise InputError("that is one contact; give two different ones")
    low, high = sorted((first, second))
    with database.atomic():
        for cid in (low, high):
            if not Contact.select().where(Contact.id == cid).exists():
                raise InputError(f"contact #{cid} does not exist; nothing was changed")
        if NotDuplicate.select().where((NotDuplicate.first == low) & (NotDuplicate.second == high)).exists():
            return False
        row = NotDuplicate.create(first=low, second=high, created_at=to_db(ctx.now()))
        delete_on_undo(NotDuplicate, row.id)
    return True


@dataclass
class Side:
    id: int
    name: str
    touches: int
    gives: int
    asks: int
    leads: int


@dataclass
class MergePreview:
    keep: Side
    other: Side
    plan: MergePlan
    result: dict  # the kept contact's shown fields afterwards (SHOWN)
    shared_touches: int  # touches with both: one touch afterwards
    touches: int  # the kept contact's touches afterwards
    follow_ups: int  # follow-ups the other suggested or is about, now the kept contact's
    gives: int
    asks: int
    leads: int
    alias: tuple[str, str] | None = None  # the other's source id, kept for the next import
    reasons: list[str] = field(default_factory=list)  # why they look like one person


def _fields(cid: int) -> dict:
    cursor = database.execute_sql(f"SELECT {', '.join(CONTACT_COLUMNS)} FROM contact WHERE id = ?", [cid])
    row = cursor.fetchone()
    if row is None:
        raise InputError(f"contact #{cid} does not exist (removed or merged meanwhile?); nothing was merged")
    values = from_row(dict(zip(CONTACT_COLUMNS, row)))
    values["tags"] = tags_of([cid]).get(cid, [])
    values["dates"] = dates_of([cid]).get(cid, [])
    return values


def _side(cid: int, name: str) -> Side:
    touches, gives, asks = database.execute_sql(
        "SELECT COUNT(*), IFNULL(SUM(t.kind = 'give'), 0), IFNULL(SUM(t.kind = 'ask'), 0) FROM touch_contact tc "
        "JOIN touch t ON t.id = tc.touch_id WHERE tc.contact_id = ?", [cid]).fetchone()
    leads = FollowUp.select().where(FollowUp.suggested_by == cid).count()
    return Side(cid, name, touches, gives, asks, leads)


def merge_preview(ctx: Context, keep_id: int, other_id: int) -> MergePreview:
    """What merging `other_id` into `keep_id` would do, without doing it."""
    if keep_id == other_id:
        raise InputError("that is one contact; give two different ones to merge")
    keep, other = _fields(keep_id), _fields(other_id)
    plan = plan_merge(keep, other, ctx.today().isoformat())
    # Every field the preview names: SHOWN, and any other the other contact gives (connected_on).
    result = {k: plan.values.get(k, keep.get(k)) for k in dict.fromkeys((*SHOWN, *plan.taken))}
    both = "SELECT touch_id FROM touch_contact WHERE contact_id = ?"
    shared = database.execute_sql(f"SELECT COUNT(*) FROM ({both} INTERSECT {both})", [keep_id, other_id]).fetchone()[0]
    touches, gives, asks = database.execute_sql(
        "SELECT COUNT(*), IFNULL(SUM(kind = 'give'), 0), IFNULL(SUM(kind = 'ask'), 0) FROM touch WHERE id IN "
        "(SELECT touch_id FROM touch_contact WHERE contact_id IN (?, ?))", [keep_id, other_id]).fetchone()
    moved = FollowUp.select().where((FollowUp.suggested_by == other_id) | (FollowUp.about == other_id)).count()
    leads = FollowUp.select().where(FollowUp.suggested_by.in_([keep_id, other_id])).count()
    alias = (other.get("source") or "", other["source_id"]) if other.get("source_id") and plan.keep_source_id else None
    return MergePreview(_side(keep_id, keep["name"]), _side(other_id, other["name"]), plan, result, shared, touches,
                        moved, gives, asks, leads, alias, pair_reasons(keep, other)[1])


def merge_contacts(ctx: Context, keep_id: int, other_id: int, backup: bool = True) -> MergePreview:
    """Merge `other_id` into `keep_id`, after a copy of the database; what was done."""
    if backup:
        merge_preview(ctx, keep_id, other_id)  # refused before a copy is made for nothing
        auto_backup(getattr(database.obj, "path"), reason="before-merge")
    with database.atomic():
        done = merge_preview(ctx, keep_id, other_id)
        other_row = Contact.select().where(Contact.id == other_id).dicts().get()
        other_tags = tags_of([other_id]).get(other_id, [])
        other_dates = dates_of([other_id]).get(other_id, [])
        theirs = [t for (t,) in TouchContact.select(TouchContact.touch).where(TouchContact.contact == other_id).tuples()]
        mine = {t for (t,) in TouchContact.select(TouchContact.touch).where(TouchContact.contact == keep_id).tuples()}
        suggested = [f for (f,) in FollowUp.select(FollowUp.id).where(FollowUp.suggested_by == other_id).tuples()]
        about = [f for (f,) in FollowUp.select(FollowUp.id).where(FollowUp.about == other_id).tuples()]
        moved_aliases = [a for (a,) in ContactAlias.select(ContactAlias.id).where(ContactAlias.contact == other_id).tuples()]
        # What syncs kept of the other's values stays in the history of the one kept.
        moved_notes = [n for (n,) in HistoryNote.select(HistoryNote.id).where(HistoryNote.contact == other_id).tuples()]
        if done.plan.values:
            update_contact(ctx, keep_id, **done.plan.values)
        _dates(keep_id, other_row)
        added = [t for t in theirs if t not in mine]
        if added:
            TouchContact.insert_many([(t, keep_id) for t in added], fields=[TouchContact.touch, TouchContact.contact]).execute()
        FollowUp.update(suggested_by=keep_id).where(FollowUp.id.in_(suggested)).execute()
        FollowUp.update(about=keep_id).where(FollowUp.id.in_(about)).execute()
        ContactAlias.update(contact=keep_id).where(ContactAlias.id.in_(moved_aliases)).execute()
        HistoryNote.update(contact=keep_id).where(HistoryNote.id.in_(moved_notes)).execute()
        alias_id = ContactAlias.create(contact=keep_id, source=done.alias[0], source_id=done.alias[1]).id \
            if done.alias else None
        Contact.delete().where(Contact.id == other_id).execute()

        def put_back() -> list[str]:
            if Contact.get_or_none(Contact.id == other_id) is not None:
                return [f"{other_row['name']} (the number #{other_id} is taken again)"]
            Contact.insert(**other_row).execute()
            for name in other_tags:
                tag, _ = Tag.get_or_create(name=name)
                ContactTag.insert(contact=other_id, tag=tag.id).on_conflict_ignore().execute()
            set_dates(other_id, other_dates)
            there = [t for (t,) in TouchContact.select(TouchContact.touch).where(TouchContact.touch.in_(theirs)).tuples()]
            TouchContact.insert_many([(t, other_id) for t in dict.fromkeys(there)],
                                     fields=[TouchContact.touch, TouchContact.contact]).on_conflict_ignore().execute()
            TouchContact.delete().where((TouchContact.contact == keep_id) & TouchContact.touch.in_(added)).execute()
            FollowUp.update(suggested_by=other_id).where(FollowUp.id.in_(suggested) & (FollowUp.suggested_by == keep_id)).execute()
            FollowUp.update(about=other_id).where(FollowUp.id.in_(about) & (FollowUp.about == keep_id)).execute()
            ContactAlias.update(contact=other_id).where(ContactAlias.id.in_(moved_aliases)).execute()
            HistoryNote.update(contact=other_id).where(HistoryNote.id.in_(moved_notes)).execute()
            if alias_id is not None:
                ContactAlias.delete().where(ContactAlias.id == alias_id).execute()
            return []

        record(put_back)
    return done


def _dates(keep_id: int, other_row: dict) -> None:
    """The kept contact was known since the earlier of the two, and last heard from at the later."""
    keep = Contact.get_by_id(keep_id)
    new = {}
    if other_row["created_at"] and str(other_row["created_at"]) < str(keep.created_at):
        new["created_at"] = other_row["created_at"]
    if other_row["last_heard_at"] and (keep.last_heard_at is None
                                       or str(other_row["last_heard_at"]) > str(keep.last_heard_at)):
        new["last_heard_at"] = other_row["last_heard_at"]
    if new:
        Contact.update(**new).where(Contact.id == keep_id).execute()
        restore_on_undo(Contact, keep_id, {k: getattr(keep, k) for k in new}, f"{keep.name}'s")


def shown_value(key: str, value) -> str:
    """A field's value as the preview lists it (dates as people read them)."""
    if key == "dates":
        return ", ".join(shown_date(d) for d in value or [])
    if key == "birthday":
        return shown_stored(value) if value else ""
    if isinstance(value, list):
        return ", ".join(value)
    return "" if value is None else str(value)


LABELS = {k: schema.label(k) for k in SHOWN}
