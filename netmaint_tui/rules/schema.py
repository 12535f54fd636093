"""What a contact, a touch, a follow-up, a goal and a pause may hold: one set of limits for every
way in (the forms, `add` and `log`, every importer), so that what one accepts the others accept,
and an export read back gives the same network.

Each field is cleaned to its stored form by one function. Text typed in a form or read from a
contacts file arrives as text (`typed=False`: "30" is a cadence, "a, b" two emails); a netmaint
export is JSON, where a value of the wrong type is refused (`typed=True`: `"archived": "yes"` is
not true or false) instead of being turned into a default without a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

from netmaint_tui.rules.dates import day_problem
from netmaint_tui.rules.links import normalize_linkedin_url
from netmaint_tui.rules.vocabulary import CHANNELS, FOLLOW_UP_STATUSES, KINDS, TIERS

MAX_NAME = 500
MAX_LINE = 2_000  # company, role, location, URL, how met, a follow-up, a pause's reason: one line of text
MAX_NOTES = 2_000_000  # a 1 MB note still goes in; anything larger is not a note
MAX_LIST_ITEM = 320  # the longest legal email address
MAX_LIST_ITEMS = 100
MAX_DATE_LABEL = 100  # "work anniversary", "met at PyCon": a few words
MAX_CADENCE_DAYS = 3650
MAX_TOUCH_MINUTES = 24 * 60
MAX_GOAL_TOUCHES = 1000
MAX_GOAL_MINUTES = 7 * 24 * 60
DEFAULT_CADENCE = {"A": 30, "B": 90, "C": 180}


class FieldError(ValueError):
    """One value that cannot be stored: `key` names the field, `message` says why (without the key)."""

    def __init__(self, key: str, message: str, sentence: str = ""):
        # `message` follows the field's name or path ("cadence must be…", "contacts[3].cadence_days:
        # must be…"); `sentence` is what a form says instead when that reads badly.
        super().__init__(sentence or f"{label(key)} {message}")
        self.key = key
        self.message = message


@dataclass(frozen=True)
class Field:
    key: str
    kind: str  # name | line | text | list | tier | cadence | birthday | dates | day | flag | moment
    label: str = ""
    limit: int = 0  # characters, or items for a list


def _f(key: str, kind: str, name: str = "", limit: int = 0) -> Field:
    return Field(key, kind, name or key.replace("_", " "), limit)


CONTACT_FIELDS: tuple[Field, ...] = (
    _f("name", "name", limit=MAX_NAME),
    _f("company", "line", limit=MAX_LINE),
    _f("role", "line", limit=MAX_LINE),
    _f("emails", "list", limit=MAX_LIST_ITEMS),
    _f("phones", "list", limit=MAX_LIST_ITEMS),
    _f("linkedin_url", "line", "LinkedIn", MAX_LINE),
    _f("location", "line", limit=MAX_LINE),
    _f("how_met", "line", "how met", MAX_LINE),
    _f("tier", "tier"),
    _f("cadence_days", "cadence", "cadence"),
    _f("tags", "list", limit=MAX_LIST_ITEMS),
    _f("birthday", "birthday"),
    _f("dates", "dates", limit=MAX_LIST_ITEMS),
    _f("notes", "text", limit=MAX_NOTES),
    _f("source", "line", limit=MAX_LINE),
    _f("source_id", "line", "source id", MAX_LINE),
    _f("connected_on", "day", "connected on"),
    _f("snoozed_until", "day", "snoozed until"),
    _f("archived", "flag"),
)
CONTACT = {f.key: f for f in CONTACT_FIELDS}
# What a person edits in the contact form, and `add` takes as options.
EDITABLE = ("name", "company", "role", "emails", "phones", "linkedin_url", "location", "how_met",
            "tier", "cadence_days", "tags", "birthday", "dates", "notes")
LIST_FIELDS = ("emails", "phones", "tags")
# Fields kept in tables of their own (contact_tag, contact_date), not in the contact's row.
OWN_TABLE_FIELDS = ("tags", "dates")


def label(key: str) -> str:
    field = CONTACT.get(key)
    return field.label if field else key.replace("_", " ")


# --- one value ------------------------------------------------------------------------------

_PHONE_KEY = re.compile(r"[^\d+]")


def list_key(key: str) -> Callable[[str], str]:
    """How two entries of a list are the same entry: emails and tags ignore case, phones all
    but their digits (and a leading +)."""
    if key == "phones":
        return lambda value: _PHONE_KEY.sub("", value) or value.strip().casefold()
    return lambda value: value.strip().casefold()


def merge_lists(existing: list[str], incoming, key: str) -> list[str]:
    """`existing` followed by whatever of `incoming` it does not hold yet (by list_key)."""
    same = list_key(key)
    seen = {same(v) for v in existing}
    out = list(existing)
    for value in incoming:
        k = same(value)
        if value and k not in seen:
            seen.add(k)
            out.append(value)
    return out


_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(text: str) -> str | None:
    """Why a text cannot be stored at all, or None: a lone surrogate (from a file's escaped
    `\ud800`, or bytes a terminal handed over that are not UTF-8) has no UTF-8 form."""
    found = _SURROGATE.search(text)
    if found:
        return f"holds a character that is not text (U+{ord(found.group()):04X}); type it again or fix the file"
    return None


def _text(key: str, value: Any, typed: bool) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        if typed or isinstance(value, (bool, list, dict)):
            raise FieldError(key, "expected text")
        value = str(value)
    problem = text_problem(value)
    if problem:
        raise FieldError(key, problem)
    return value


def _whole(key: str, value: Any, typed: bool) -> int | None:
    if value is None or (not typed and isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise FieldError(key, "expected a whole number")
    if isinstance(value, int):
        return value
    if not typed and isinstance(value, str) and re.fullmatch(r"\s*[+-]?[0-9]+\s*", value):
        if len(value.strip()) > 30:  # past any limit here, and past what int() reads quickly
            raise FieldError(key, f"{_shown(value)} is far out of range")
        return int(value)
    raise FieldError(key, f"{_shown(value)} is not a whole number" if not typed else "expected a whole number")


def _shown(value: Any, limit: int = 20) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _size(n: int) -> str:
    return f"{n:,} characters"


def clean_value(key: str, value: Any, *, typed: bool = False) -> Any:
    """A contact's field in its stored form, or FieldError saying why it cannot be."""
    field = CONTACT[key]
    kind = field.kind
    if kind in ("name", "line", "text"):
        text = _text(key, value, typed)
        if kind != "text":
            text = text.strip()  # one line of text: the spaces around it are never meant
        if kind == "name" and not text:
            raise FieldError(key, "is empty", "a contact needs a name")
        if kind == "name" and re.fullmatch(r"#\s*\d+", text):
            # Every command and form reads `#5` as contact number 5: such a name could not be named.
            raise FieldError(key, f"{text!r} reads as a contact's number; give a name")
        if len(text) > field.limit:
            raise FieldError(key, f"is {_size(len(text))} long (at most {field.limit:,})")
        if key == "linkedin_url":
            text = normalize_linkedin_url(text)
        if key == "source_id":
            return text or None
        return text
    if kind == "list":
        if value is None or value == "":
            return []
        if isinstance(value, str):
            if typed:
                raise FieldError(key, "expected a list of text")
            value = re.split(r"[,;]", value) if key != "tags" else value.split(",")
        if not isinstance(value, (list, tuple)):
            raise FieldError(key, "expected a list of text")
        items = []
        for item in value:
            if item is None:
                continue
            if not isinstance(item, str):
                if typed:
                    raise FieldError(key, "expected a list of text")
                item = str(item)
            if problem := text_problem(item):
                raise FieldError(key, problem)
            # A tag is one line without a comma: vCard's CATEGORIES (the cards a sync writes and a
            # phone reads) is a list by commas, and most writers do not escape the ones in a tag.
            parts = [" ".join(p.split()) for p in item.split(",")] if key == "tags" else [item.strip()]
            for part in parts:
                if len(part) > MAX_LIST_ITEM:
                    raise FieldError(key, f"{_shown(part)} is {_size(len(part))} long (at most {MAX_LIST_ITEM})")
                if part:
                    items.append(part)
        items = merge_lists([], items, key)
        if len(items) > field.limit:
            raise FieldError(key, f"has {len(items)} entries (at most {field.limit})")
        return items
    if kind == "tier":
        if value is None or (not typed and str(value).strip() == ""):
            return None
        if not isinstance(value, str):
            raise FieldError(key, "expected A, B or C")
        tier = value.strip().upper()
        if tier not in TIERS:
            raise FieldError(key, f"{_shown(value, 10)} is not A, B or C")
        return tier
    if kind == "cadence":
        days = _whole(key, value, typed)
        if days is not None and not 1 <= days <= MAX_CADENCE_DAYS:
            raise FieldError(key, f"must be 1 to {MAX_CADENCE_DAYS} days, not {days}")
        return days
    if kind == "birthday":
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            raise FieldError(key, "expected YYYY-MM-DD or --MM-DD")
        try:
            return normalize_birthday(value)
        except ValueError as exc:
            raise FieldError(key, str(exc)) from None
    if kind == "dates":
        return clean_dates(value, typed)
    if kind == "day":
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            day = date(value.year, value.month, value.day)
        elif not isinstance(value, str):
            raise FieldError(key, "expected a date (YYYY-MM-DD)")
        else:
            try:
                day = date.fromisoformat(value.strip()[:10])
            except ValueError:
                raise FieldError(key, f"{_shown(value)} is not a date (YYYY-MM-DD)") from None
        problem = day_problem(day)
        if problem:
            raise FieldError(key, problem)
        return day.isoformat()
    if kind == "flag":
        if value is None:
            return False
        if not isinstance(value, bool):
            raise FieldError(key, "expected true or false")
        return value
    raise KeyError(key)


def empty_value(key: str) -> Any:
    """What a contact holds where it has no value for the field."""
    kind = CONTACT[key].kind
    if kind in ("list", "dates"):
        return []
    if kind == "flag":
        return False
    return "" if kind in ("name", "line", "text") and key != "source_id" else None


def clean_contact(values: dict, *, typed: bool = False) -> dict:
    """Every given field cleaned (see clean_value); unknown keys are refused."""
    unknown = sorted(set(values) - set(CONTACT))
    if unknown:
        raise FieldError(unknown[0], "is not a contact field", f"unknown contact field: {unknown[0]}")
    return {key: clean_value(key, value, typed=typed) for key, value in values.items()}


# --- birthdays ------------------------------------------------------------------------------

_ISO_DAY = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:[Tt ].*)?")
_NO_YEAR_DAY = re.compile(r"(?:--(\d{2})-?(\d{2})|(\d{2})-(\d{2}))(?:[Tt ].*)?")
# Apple writes 1604 and some tools 0000 when the year is unknown.
_PLACEHOLDER_YEARS = {"1604", "0000"}


def normalize_birthday(value: str, omit_year: bool = False) -> str:
    """'YYYY-MM-DD', or '--MM-DD' without a year, from the forms people type and exports write
    (`1985-07-09`, `19850709`, `--07-09`, `07-09`, a time after the date, Apple's 1604 for no
    year); ValueError, saying what is accepted, for anything else."""
    text = value.strip()
    m = _ISO_DAY.fullmatch(text)
    if m:
        year = None if (omit_year or m.group(1) in _PLACEHOLDER_YEARS) else int(m.group(1))
        month, day = int(m.group(2)), int(m.group(3))
    else:
        m = _NO_YEAR_DAY.fullmatch(text)
        if not m:
            raise ValueError(f"{_shown(value)} is not YYYY-MM-DD or --MM-DD (without a year)")
        year, month, day = None, int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4))
    try:
        born = date(year or 2000, month, day)  # 2000 is a leap year, so --02-29 stays valid
    except ValueError:
        raise ValueError(f"{_shown(value)} is not a real date") from None
    problem = day_problem(born) if year else None
    if problem:
        raise ValueError(f"{problem} (or --MM-DD without a year)")
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


# --- anniversaries and other dates ----------------------------------------------------------

DATE_EXAMPLE = '"work anniversary=2019-04-01"'


# Apple's own labels, `_$!<Anniversary>!$_`, which its apps show in the reader's language.
APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")
STANDARD_DATE_LABELS = ("anniversary", "other")  # what address books call a date of no label of the user's


def clean_date_label(value: Any, typed: bool = False) -> str:
    """What a date marks, as one short line; "anniversary" when nothing says. The birthday has
    a field of its own, so a date may not be called that. The standard labels are kept in lower
    case, so that "Anniversary" typed, imported or read from a card is one label, as a card
    carries it (Apple's `_$!<Anniversary>!$_`)."""
    label = " ".join(_text("dates", value, typed).split())
    apple = APPLE_LABEL.fullmatch(label)
    if apple:
        label = " ".join(apple.group(1).split()).lower()
    if label.casefold() in STANDARD_DATE_LABELS:
        label = label.casefold()
    if not label:
        return "anniversary"
    if label.casefold() == "birthday":
        raise FieldError("dates", "may not hold a birthday: it has its own field (--birthday)")
    if len(label) > MAX_DATE_LABEL:
        raise FieldError("dates", f"label {_shown(label)} is {_size(len(label))} long (at most {MAX_DATE_LABEL})")
    return label


def _one_date(item: Any, typed: bool) -> dict:
    if isinstance(item, dict):
        unknown = sorted(set(item) - {"label", "date"})
        if unknown and typed:
            raise FieldError("dates", f"unknown key {unknown[0]!r} (a date has label and date)")
        label, when = item.get("label"), item.get("date")
    elif isinstance(item, str) and not typed:
        # "work anniversary=2019-04-01"; a date alone is an anniversary.
        label, _, when = item.rpartition("=")
    else:
        raise FieldError("dates", "expected a list of {label, date}")
    if not isinstance(when, str) or not when.strip():
        raise FieldError("dates", f"{_shown(item)} has no date; give label=date, e.g. {DATE_EXAMPLE}")
    try:
        day = normalize_birthday(when)
    except ValueError as exc:
        raise FieldError("dates", str(exc)) from None
    return {"label": clean_date_label(label, typed), "date": day}


def clean_dates(value: Any, typed: bool = False) -> list[dict]:
    """A contact's anniversaries as [{"label", "date"}] (date as a birthday is kept): from a list
    of those, or typed as "label=date" entries separated by ';' or line breaks. The same label on
    the same day twice is one date, the one with a year kept."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        if typed:
            raise FieldError("dates", "expected a list of {label, date}")
        value = [part for part in re.split(r"[;\n]", value) if part.strip()]
    if not isinstance(value, (list, tuple)):
        raise FieldError("dates", "expected a list of {label, date}")
    out: list[dict] = []
    for item in value:
        if item is None and not typed:
            continue
        out = merge_dates(out, [_one_date(item, typed)])
    if len(out) > MAX_LIST_ITEMS:
        raise FieldError("dates", f"has {len(out)} entries (at most {MAX_LIST_ITEMS})")
    return out


def merge_dates(existing: list[dict], incoming) -> list[dict]:
    """`existing` followed by what `incoming` adds: a label on a day already there is the same
    date (a year it brings is taken into one kept without it), anything else is another."""
    out = [dict(d) for d in existing]

    def one(a: dict, b: dict) -> bool:
        # The same label on the same day; a day without a year is any year's.
        return (a["label"].casefold() == b["label"].casefold() and a["date"][-5:] == b["date"][-5:]
                and (a["date"] == b["date"] or a["date"].startswith("--") or b["date"].startswith("--")))

    for new in incoming:
        same = next((d for d in out if one(d, new)), None)
        if same is None:
            out.append(dict(new))
        elif same["date"].startswith("--") and not new["date"].startswith("--"):
            same["date"] = new["date"]
    return out


# --- touches, follow-ups, goals, pauses -----------------------------------------------------


def touch_problem(channel: Any, kind: Any, minutes: Any, note: Any, *, typed: bool = False) -> tuple[str, str] | None:
    """(field, why) for a touch's channel, kind, minutes or note that cannot be stored, or None.
    The time is checked by the caller, who knows what "now" is."""
    if not isinstance(channel, str) or channel not in CHANNELS:
        return "channel", f"{_shown(channel)} is not one of: {', '.join(CHANNELS)}"
    if not isinstance(kind, str) or kind not in KINDS:
        return "kind", f"{_shown(kind)} is not one of: {', '.join(KINDS)}"
    try:
        number = _whole("minutes", minutes, typed)
    except FieldError as exc:
        return "minutes", exc.message
    if number is not None and not 0 <= number <= MAX_TOUCH_MINUTES:
        return "minutes", f"must be between 0 and {MAX_TOUCH_MINUTES}"
    if not isinstance(note, str) and note is not None:
        return "note", "expected text"
    if note and (problem := text_problem(note)):
        return "note", problem
    if note is not None and len(note) > MAX_NOTES:
        return "note", f"is {_size(len(note))} long (at most {MAX_NOTES:,})"
    return None


def clean_minutes(minutes: Any, typed: bool = False) -> int | None:
    """A touch's minutes (None for none); FieldError when it is not 0 to a day."""
    number = _whole("minutes", minutes, typed)
    if number is not None and not 0 <= number <= MAX_TOUCH_MINUTES:
        raise FieldError("minutes", f"must be between 0 and {MAX_TOUCH_MINUTES}")
    return number


def clean_follow_up_text(what: Any, typed: bool = False) -> str:
    text = _text("what", what, typed).strip()
    if not text:
        raise FieldError("what", "is empty", "say what the follow-up is, e.g. \"send the deck\"")
    if len(text) > MAX_LINE:
        raise FieldError("what", f"is {_size(len(text))} long (at most {MAX_LINE:,})",
                         f"the follow-up is {_size(len(text))} long (at most {MAX_LINE:,})")
    return text


def clean_status(status: Any) -> str:
    if not isinstance(status, str) or status not in FOLLOW_UP_STATUSES:
        raise FieldError("status", f"{_shown(status)} is not one of: {', '.join(FOLLOW_UP_STATUSES)}")
    return status


def clean_line(key: str, value: Any, typed: bool = False) -> str:
    """A one-line text of something other than a contact (a pause's reason, a follow-up's about)."""
    text = _text(key, value, typed).strip()
    if len(text) > MAX_LINE:
        raise FieldError(key, f"is {_size(len(text))} long (at most {MAX_LINE:,})")
    return text


def goal_problem(touches: int | None, minutes: int | None) -> str | None:
    """Why a weekly goal cannot be, in one line, or None."""
    if touches is None and minutes is None:
        return "give touches and/or minutes"
    for word, value, most in (("touches", touches, MAX_GOAL_TOUCHES), ("minutes", minutes, MAX_GOAL_MINUTES)):
        if value is not None and not 0 <= value <= most:
            return f"a goal of {value} {word} a week makes no sense; use 0 to {most}"
    return None
