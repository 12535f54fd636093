"""What services.sync needs to know of each kind of item: how to read a batch of rows as plain
values, how to write values back to the database, and how an item looks in its file.

Values are plain JSON (text, numbers, lists, true/false, null), so that the values both sides
held at the last sync are stored as they are (sync_item.base) and compared with `==`.
"""

from __future__ import annotations

from typing import Any, Callable

from netmaint_tui.io.vcard_sync import CARD_FIELDS, UnreadableCard, card_text_values, read_card, write_card
from netmaint_tui.rules import schema
from netmaint_tui.rules import sync as rules
from netmaint_tui.services.contacts import tags_of
from netmaint_tui.services.sync_engine import Parsed, Unreadable, chunks, marks
from netmaint_tui.store.models import database
from netmaint_tui.store.rows import column_value, from_row

_CONTACT_COLUMNS = [key for key in CARD_FIELDS if key != "tags"]


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
        tags = tags_of(ids)
        out = {}
        for row in cursor.fetchall():
            values = from_row(dict(zip(_CONTACT_COLUMNS, row[2:])))
            values["tags"] = tags.get(row[0], [])
            out[row[0]] = (row[1], {key: values[key] for key in CARD_FIELDS})
        return out

    def as_file(self, uid: str, values: dict[str, Any]) -> dict[str, Any]:
        return card_text_values(values, uid)

    def render(self, uid: str, values: dict[str, Any], original: bytes | None) -> bytes:
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
        return contact_id

    def update(self, run, local_id: int, before: dict[str, Any], after: dict[str, Any]) -> None:
        changed = [key for key in after if after[key] != before.get(key) and key != "tags"]
        if changed:
            sets = ", ".join(f'"{key}" = ?' for key in changed)
            database.execute_sql(f"UPDATE contact SET {sets}, updated_at = ? WHERE id = ?",
                                 [*(column_value(k, after[k]) for k in changed), run.now, local_id])
        if after.get("tags") != before.get("tags"):
            database.execute_sql("DELETE FROM contact_tag WHERE contact_id = ?", [local_id])
            _set_tags(local_id, after.get("tags") or [])

    def gone(self, run, local_id: int) -> bool:
        """The card was removed from the folder: the contact is archived, never deleted."""
        cursor = database.execute_sql("UPDATE contact SET archived = 1, updated_at = ? WHERE id = ? AND archived = 0",
                                      [run.now, local_id])
        return cursor.rowcount > 0

    def conflict(self, run, uid: str, values: dict[str, Any], conflicts: dict, report: Callable[[str], None]) -> dict:
        """netmaint's values are kept; what the card said instead goes into the notes."""
        note = rules.conflict_note(conflicts, run.ctx.today(), "the card")
        out = dict(values)
        out["notes"] = rules.with_note(values.get("notes") or "", note)
        for line in note.splitlines():
            report(f"{values.get('name')}: {line.split('sync: ', 1)[-1]}")
        return out


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
