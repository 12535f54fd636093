"""What services.sync needs to know of each kind of item: how to read a batch of rows as plain
values, how to write values back to the database, and how an item looks in its file.

Values are plain JSON (text, numbers, lists, true/false, null), so that the values both sides
held at the last sync are stored as they are (sync_item.base) and compared with `==`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable

from netmaint_tui.io.vcard_sync import CARD_FIELDS, UnreadableCard, card_text_values, read_card, write_card
from netmaint_tui.rules import schema
from netmaint_tui.rules import sync as rules
from netmaint_tui.services.contacts import tags_of
from netmaint_tui.services.history import add_notes
from netmaint_tui.services.occasions import dates_of, set_dates
from netmaint_tui.services.sync_scan import Parsed, Unreadable, chunks, marks
from netmaint_tui.store.models import database
from netmaint_tui.store.rows import column_value, from_row, loads_list

_CONTACT_COLUMNS = [key for key in CARD_FIELDS if key not in schema.OWN_TABLE_FIELDS]


class ContactKind:
    name = "contact"
    table = "contact"

    def all_ids(self) -> list[int]:
        return [i for (i,) in database.execute_sql("SELECT id FROM contact ORDER BY id").fetchall()]

    def ids_by_uid(self, uids: list[str]) -> dict[str, int]:
        return ids_by_uid(self.table, uids)

    def load(self, ids: list[int]) -> dict[int, tuple[str, dict[str, Any]]]:
        if not ids:
            return {}
        columns = ", ".join(f'"{c}"' for c in _CONTACT_COLUMNS)
        cursor = database.execute_sql(f"SELECT id, uid, {columns} FROM contact WHERE id IN ({marks(len(ids))})", ids)
        tags, dates = tags_of(ids), dates_of(ids)
        out = {}
        for row in cursor.fetchall():
            values = from_row(dict(zip(_CONTACT_COLUMNS, row[2:])))
            values["tags"] = tags.get(row[0], [])
            values["dates"] = dates.get(row[0], [])
            out[row[0]] = (row[1], {key: values[key] for key in CARD_FIELDS})
        return out

    def as_file(self, uid: str, values: dict[str, Any]) -> dict[str, Any]:
        return card_text_values(values, uid)

    def render(self, uid: str, values: dict[str, Any], original: bytes | None, tz=None) -> bytes:
        return write_card(values, uid, original)

    def complete(self, values: dict[str, Any], run) -> dict[str, Any]:
        """A new contact from a card: the fields the card does not carry take their defaults."""
        full = {key: schema.empty_value(key) for key in CARD_FIELDS}
        full.update(tier="B", source="sync")
        full.update(values)
        return full

    def create(self, run, uid: str, values: dict[str, Any]) -> int:
        columns = [c for c in _CONTACT_COLUMNS]
        params = [column_value(c, values.get(c)) for c in columns]
        cursor = database.execute_sql(
            f"INSERT INTO contact (uid, {', '.join(columns)}, created_at, updated_at) "
            f"VALUES (?, {marks(len(columns))}, ?, ?)", [uid, *params, run.now, run.now])
        contact_id = cursor.lastrowid
        _set_tags(contact_id, values.get("tags") or [])
        set_dates(contact_id, values.get("dates") or [])
        return contact_id

    def update(self, run, local_id: int, before: dict[str, Any], after: dict[str, Any]) -> None:
        changed = [key for key in after if after[key] != before.get(key) and key not in schema.OWN_TABLE_FIELDS]
        if changed:
            sets = ", ".join(f'"{key}" = ?' for key in changed)
            database.execute_sql(f"UPDATE contact SET {sets}, updated_at = ? WHERE id = ?",
                                 [*(column_value(k, after[k]) for k in changed), run.now, local_id])
        if after.get("tags") != before.get("tags"):
            database.execute_sql("DELETE FROM contact_tag WHERE contact_id = ?", [local_id])
            _set_tags(local_id, after.get("tags") or [])
        if after.get("dates") != before.get("dates"):
            set_dates(local_id, after.get("dates") or [])

    def first_meeting(self, ours: dict[str, Any], theirs: dict[str, Any]) -> rules.Settled:
        return rules.first_meeting(ours, theirs)

    def match(self, cards: dict[str, dict[str, Any]], synced: Callable[[list[int]], set[int]]) -> tuple[dict[str, int], int]:
        """Cards new to the folder that are contacts netmaint already has ({UID: contact id}), and
        how many cards could not be told apart. A card matches the contact an import of it made
        (its UID kept as the source id), else the one contact holding one of its emails. Never
        a contact another card of the folder holds, nor one two cards point to."""
        found: dict[str, int] = {}
        for chunk in chunks(list(cards)):
            owners: dict[str, list[int]] = {}
            for source_id, cid in database.execute_sql(
                    f"SELECT source_id, id FROM contact WHERE source = 'vcard' AND source_id IN ({marks(len(chunk))})",
                    chunk).fetchall():
                owners.setdefault(source_id, []).append(cid)
            found.update((uid, ids[0]) for uid, ids in owners.items() if len(ids) == 1)
        unclear = 0
        rest = {uid: values["emails"] for uid, values in cards.items() if uid not in found and values.get("emails")}
        if rest:
            key = schema.list_key("emails")
            by_email: dict[str, set[int]] = {}
            for cid, emails in database.execute_sql("SELECT id, emails FROM contact WHERE emails != '[]'").fetchall():
                for email in loads_list(emails):
                    by_email.setdefault(key(email), set()).add(cid)
            for uid, emails in rest.items():
                ids = set().union(*(by_email.get(key(email), ()) for email in emails))
                if len(ids) == 1:
                    found[uid] = ids.pop()
                elif ids:
                    unclear += 1
        claims = Counter(found.values())
        unclear += sum(n for n in claims.values() if n > 1)
        taken = synced(sorted(claims))
        return {uid: cid for uid, cid in found.items() if claims[cid] == 1 and cid not in taken}, unclear

    def adopt(self, pairs: dict[str, int]) -> None:
        """The matched contacts take their cards' UIDs (a server never lets a card's UID change);
        their touches and follow-ups, which name them by UID, are written again."""
        database.connection().executemany("UPDATE contact SET uid = ? WHERE id = ?", list(pairs.items()))
        ids = sorted(pairs.values())
        for chunk in chunks(ids):
            database.execute_sql("INSERT OR IGNORE INTO sync_change (kind, local_id) SELECT 'touch', touch_id "
                                 f"FROM touch_contact WHERE contact_id IN ({marks(len(chunk))})", chunk)
            database.execute_sql(
                "INSERT OR IGNORE INTO sync_change (kind, local_id) SELECT 'follow_up', id FROM follow_up "
                f"WHERE suggested_by_id IN ({marks(len(chunk))}) OR about_id IN ({marks(len(chunk))})", chunk + chunk)

    def hidden(self, run, values: dict[str, Any]) -> bool:
        """An archived contact's card leaves the folder when the config says so (sync: {archived: remove})."""
        return bool(values.get("archived")) and run.ctx.settings.sync_archived == "remove"

    def revisit(self) -> list[int]:
        """The contacts the setting above concerns, looked at again when it changes."""
        return [i for (i,) in database.execute_sql("SELECT id FROM contact WHERE archived = 1 ORDER BY id").fetchall()]

    def gone(self, run, local_id: int) -> bool:
        """The card was removed from the folder: the contact is archived, never deleted."""
        cursor = database.execute_sql("UPDATE contact SET archived = 1, updated_at = ? WHERE id = ? AND archived = 0",
                                      [run.now, local_id])
        return cursor.rowcount > 0

    def conflict(self, run, local_id: int, values: dict[str, Any], conflicts: dict,
                 report: Callable[[str], None]) -> dict:
        """netmaint's values are kept; what the card said instead goes into the contact's history."""
        lines = rules.conflict_lines(conflicts, "the card")
        if not run.dry_run:
            add_notes(run.now, [(local_id, None, line) for line in lines])
        for line in lines:
            report(f"{values.get('name')}: {line}")
        return values


def ids_by_uid(table: str, uids: list[str]) -> dict[str, int]:
    """The rows of `table` holding these UIDs: UID -> id."""
    out: dict[str, int] = {}
    for chunk in chunks(uids):
        rows = database.execute_sql(f'SELECT uid, id FROM "{table}" WHERE uid IN ({marks(len(chunk))})', chunk)
        out.update(rows.fetchall())
    return out


def _set_tags(contact_id: int, names: list[str]) -> None:
    for name in names:
        database.execute_sql("INSERT OR IGNORE INTO tag (name) VALUES (?)", [name])
        database.execute_sql("INSERT OR IGNORE INTO contact_tag (contact_id, tag_id) "
                             "SELECT ?, id FROM tag WHERE name = ?", [contact_id, name])


def parse_card(data: bytes, tz=None) -> Parsed:
    try:
        card = read_card(data)
    except UnreadableCard as exc:
        raise Unreadable(f"not a card netmaint can read ({exc})") from None
    return Parsed(card.uid, "contact", card.values, card.problems)
