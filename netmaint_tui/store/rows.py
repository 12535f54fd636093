"""A contact as one row of the contact table, both ways, for code that reads or writes many at
once in plain SQL (imports, exports, the sample network): the columns come from rules.schema, so a
new contact field is declared there once and every bulk reader and writer carries it.
"""

from __future__ import annotations

import json
from typing import Any

from netmaint_tui.rules.schema import CONTACT_FIELDS, EDITABLE, LIST_FIELDS, OWN_TABLE_FIELDS

# Tags and dates live in their own tables; the rest of the fields are columns, then the two stamps.
CONTACT_COLUMNS: tuple[str, ...] = (
    tuple(f.key for f in CONTACT_FIELDS if f.key not in OWN_TABLE_FIELDS) + ("created_at", "updated_at")
)
_JSON_LISTS = tuple(k for k in LIST_FIELDS if k != "tags")  # stored as JSON text in their column
_DAYS = tuple(f.key for f in CONTACT_FIELDS if f.kind == "day")
# The text a person types in the form is stored as "" when left empty; where a contact came from
# (source, source_id) stays NULL for one typed in.
_EMPTY_TEXT = tuple(f.key for f in CONTACT_FIELDS if f.kind in ("line", "text") and f.key in EDITABLE)

# And last the contact's uid: None lets the table's trigger give it a new one.
INSERT_CONTACT = (
    f"INSERT INTO contact (id, {', '.join(CONTACT_COLUMNS)}, uid) VALUES ({', '.join('?' * (len(CONTACT_COLUMNS) + 2))})"
)


def to_row(contact_id: int | None, values: dict[str, Any]) -> list:
    """The parameters of INSERT_CONTACT for a contact in its stored form (rules.schema); a
    field left out is empty."""
    row: list[Any] = [contact_id]
    for column in CONTACT_COLUMNS:
        value = values.get(column)
        if column in _JSON_LISTS:
            value = dumps_list(value or [])
        elif column == "archived":
            value = 1 if value else 0
        elif value is None and column in _EMPTY_TEXT:
            value = ""
        row.append(value)
    row.append(values.get("uid"))
    return row


def column_value(column: str, value: Any) -> Any:
    """One value for an UPDATE of `column`, in the form to_row writes it."""
    return to_row(None, {column: value})[1 + CONTACT_COLUMNS.index(column)]


def from_row(row: dict[str, Any]) -> dict[str, Any]:
    """A contact row (a dict by column name) with its values as the schema gives them: lists as
    lists, archived as true or false, dates as 'YYYY-MM-DD'. Tags are not in the row."""
    out = dict(row)
    for key in _JSON_LISTS:
        if key in out:
            out[key] = loads_list(out[key])
    if "archived" in out:
        out["archived"] = bool(out["archived"])
    for key in _DAYS:
        if out.get(key) not in (None, ""):
            out[key] = str(out[key])[:10]
        elif key in out:
            out[key] = None
    return out


def dumps_list(values) -> str:
    """A list column's text: the non-empty values as JSON."""
    return json.dumps([v for v in values if v], ensure_ascii=False)


def loads_list(text: str | None) -> list[str]:
    """A list column's values; [] for anything that is not a JSON list."""
    if not text or text == "[]":
        return []
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []
