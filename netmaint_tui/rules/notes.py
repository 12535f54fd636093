"""Follow-ups written inside a note: `- [ ] send deck by fri`, `todo: intro to Lee in 3d`."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import time

import pendulum

from netmaint_tui.rules.dates import DateInputError, parse_when

__all__ = ["NoteTask", "extract_tasks", "credited", "DUE_DEFAULT_TIME"]

# A due date without a time ("fri") means the start of a working day.
DUE_DEFAULT_TIME = time(9, 0)

# `- [ ]`, `* [ ]`, `[ ]` (also `[]`), `todo:` with optional spaces and an optional bullet before it.
# A checked box (`[x]`) is not a task: the regex only accepts an empty box.
_TASK_RE = re.compile(
    r"""^\s*(?:
        (?:[-*]\s*)?\[\s?\]
      | (?:[-*]\s+)?todo\s*:
    )(?P<rest>.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
_INTRO_WORDS = frozenset({"by", "due", "due:", "on"})
_TRAILING_PUNCTUATION = ".,;:!"
_MAX_DUE_WORDS = 3


@dataclass(frozen=True)
class NoteTask:
    what: str
    due: pendulum.DateTime | None  # None: the caller applies its default (24 h after the meeting)
    line: int  # 1-based line number in the note


def _split_due(text: str, now: pendulum.DateTime) -> tuple[str, pendulum.DateTime | None]:
    """Take a due date off the end of a task, if its last 1-3 words read as one; otherwise leave it whole.

    At least one word of the task always remains, so `todo: friday` is a task called "friday".
    """
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    words = [text[a:b] for a, b in spans]
    for n in range(min(_MAX_DUE_WORDS, len(words) - 1), 0, -1):
        candidate = words[-n:]
        candidate[-1] = candidate[-1].rstrip(_TRAILING_PUNCTUATION)
        try:
            due = parse_when(" ".join(candidate), now, prefer="future", default_time=DUE_DEFAULT_TIME)
        except DateInputError:
            continue
        keep = len(words) - n
        if keep > 1 and words[keep - 1].lower() in _INTRO_WORDS:
            keep -= 1
        return text[: spans[keep - 1][1]], due
    return text, None


def extract_tasks(note: str, now: pendulum.DateTime) -> list[NoteTask]:
    """The follow-ups a note asks for, in the order they appear, with the line each came from.

    Due words are read as the future (`fri` is the coming Friday, or today if today is Friday;
    a date without a time means 09:00) relative to `now`, the moment of the meeting.
    """
    tasks: list[NoteTask] = []
    for number, raw in enumerate(note.split("\n"), start=1):
        m = _TASK_RE.match(raw.rstrip("\r"))
        if not m:
            continue
        text = m.group("rest").strip()
        if not text:
            continue
        what, due = _split_due(text, now)
        what = what.strip()
        if what:
            tasks.append(NoteTask(what=what, due=due, line=number))
    return tasks


_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    """The words of a text, case and accents folded: "José" is written "jose" in a hurry."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _WORD.findall("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def credited(what: str, people: list[tuple[int, str]]) -> int | None:
    """Who suggested a task written in a note of a touch with `people` ((id, name), in order).

    The one person the line names (by whole name or first name, as whole words) is credited;
    with one person there, that person; otherwise nobody, rather than the wrong one: a thank-you
    offered to someone who did not make the suggestion is worse than none.
    """
    if len(people) == 1:
        return people[0][0]
    text = " " + " ".join(_words(what)) + " "
    # A whole name first ("Dana Okafor"), then a first name ("Dana", "O'Brien", "Jean-Luc" whole)
    # when no whole name is there.
    for spelled in (_words, lambda name: _words(name.split()[0]) if name.split() else []):
        named = [cid for cid, name in people if (parts := spelled(name)) and len(" ".join(parts)) > 1
                 and f" {' '.join(parts)} " in text]
        if named:
            return named[0] if len(named) == 1 else None
    return None
