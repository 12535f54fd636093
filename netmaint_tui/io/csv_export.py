"""Contacts as CSV: one row per contact, for spreadsheets and mail merges.

Format: RFC 4180 (comma separated, CRLF line ends, fields holding a comma, quote or line break
wrapped in double quotes with inner quotes doubled), UTF-8 with a byte-order mark so Excel
reads accented names correctly when the file is double-clicked. Lists (emails, phones, tags)
are joined with "; ", and so are anniversaries, each as `add --date` takes it ("met=2019-04-01").

Formula neutralization: a spreadsheet runs any cell that starts with `=`, `+`, `-` or `@`
(and some also after a leading tab or carriage return) as a formula, which is how a contact
named `=HYPERLINK(...)` could leak data or run commands when the file is opened. Every such cell
is written with a leading apostrophe (`'`), the spreadsheet convention for "this is text".
The rule applies to every column, phone numbers included, with no exception: `+1-555-0100` is
exactly what a spreadsheet evaluates as arithmetic (1 − 555 − 100 = −654), so a phone number
left bare would be silently corrupted as well as unsafe. `'+1 555 0100` stays readable, sorts
as text, and the apostrophe is easy to strip in a script (`cell[1:] if cell.startswith("'")`).
Leading spaces before such a character are looked through too (` =1+2` is also neutralized).
Only the first character matters: `Anne-Marie` and `a+b@x.org` are written unchanged.
"""

from __future__ import annotations

import csv
import io

from netmaint_tui.rules.schema import CONTACT_FIELDS, LIST_FIELDS

# Every field of a contact, in the schema's order, then what netmaint keeps about it.
COLUMNS = (*(f.key for f in CONTACT_FIELDS), "created_at", "last_touch_at", "id")
LIST_COLUMNS = LIST_FIELDS
LIST_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(cell: str) -> str:
    """The cell as a spreadsheet will show it as text, never run it (see the module docstring)."""
    if cell.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(f"{v['label']}={v['date']}" if isinstance(v, dict) else str(v) for v in value)
    return str(value)


def contacts_csv(contacts: list[dict]) -> str:
    """`contacts` are export dicts (services.exporting.export_contacts)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for contact in contacts:
        writer.writerow([neutralize(_cell(contact.get(column))) for column in COLUMNS])
    return out.getvalue()
