"""Undo: every change a use case makes can be taken back whole.

While an action runs inside `recording()`, each service that writes records the step that takes
its own change back (the values it replaced, the rows it added). An action is everything done
under one entry: marking a follow-up done and then thanking whoever suggested it is one entry,
so one undo reopens the follow-up *and* removes the thank-you touch. Undoing runs the steps newest
first, in one transaction. Outside `recording()` (the command line) nothing is kept.

Undo never overwrites silently either: a value someone else changed after the action (another
netmaint, the command line, a sync) is left as it is, and the entry says which.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Callable, Iterator

from netmaint_tui.store.models import database

# A step puts one change back; it returns what it left alone because it changed since (words
# for the user, e.g. "Dana Lee's company"), or nothing.
Step = Callable[[], "list[str] | None"]

_steps: ContextVar[list[Step] | None] = ContextVar("netmaint_undo_steps", default=None)


def record(step: Step) -> None:
    """Called by a service inside its transaction, after it wrote: `step` puts things back."""
    steps = _steps.get()
    if steps is not None:
        steps.append(step)


@dataclass
class Entry:
    """One action as the user sees it ("Done: send the deck") and the steps that take it back."""

    label: str
    steps: list[Step] = field(default_factory=list)
    # After an undo: what was not put back because it had changed since the action.
    kept: list[str] = field(default_factory=list)
    # What the action was about, e.g. ("contact", 12) or ("follow_up", 3): where the screen puts
    # its cursor once the action is undone.
    subject: tuple[str, int] | None = None
    undone: bool = False  # taken back: whoever counted the action counts it no more

    @contextmanager
    def recording(self) -> Iterator["Entry"]:
        """Steps recorded meanwhile join this entry (a thank-you after the done it followed)."""
        token = _steps.set(self.steps)
        try:
            yield self
        finally:
            _steps.reset(token)


def undo(entry: Entry) -> None:
    """Take the entry's action back, newest step first, all or nothing."""
    kept: list[str] = []
    with database.atomic():
        for step in reversed(entry.steps):
            kept += step() or []
    entry.steps.clear()
    entry.kept = list(dict.fromkeys(kept))


def _values(model, row_id: int, keys) -> dict | None:
    row = model.get_or_none(model.id == row_id)
    return None if row is None else {k: getattr(row, k) for k in keys}


def restore_on_undo(model, row_id: int, before: dict, what: str = "") -> None:
    """Record, right after the write: put these columns back to `before`. Each one goes back only
    while it still holds what this action wrote; one changed since is left as it is and named."""
    if _steps.get() is None:
        return  # nothing is recording (the command line): no need to read anything back
    after = _values(model, row_id, before)

    def step() -> list[str]:
        now = _values(model, row_id, before)
        if now is None:
            return []
        back = {k: v for k, v in before.items() if after is None or now[k] == after[k]}
        if back:
            model.update(**back).where(model.id == row_id).execute()
        return [f"{what or model.__name__.lower()} {k.replace('_', ' ')}" for k in before
                if k not in back and k != "updated_at"]

    record(step)


def _references(model, row_id: int, ignore: tuple = ()) -> set[tuple[str, str, int]]:
    """The rows that point at this one (its touches, its follow-ups…), but for `ignore`d models."""
    found = set()
    for field_ in model._meta.backrefs:
        other = field_.model
        if other in ignore:
            continue
        for (ident,) in other.select(other._meta.primary_key).where(field_ == row_id).tuples():
            found.add((other.__name__, field_.name, ident))
    return found


def delete_on_undo(model, row_id: int, what: str = "", ignore: tuple = ()) -> None:
    """Record, once the row and what belongs to it are written: the row was added by this action,
    and undoing removes it. Not when it has changed since, or when something added since points
    at it (a touch logged for a new contact from the command line): then it stays, and is named.
    Rows of `ignore`d models are the row's own parts, rewritten whole by an edit (a contact's tags)."""
    if _steps.get() is None:
        return
    fields = [f.name for f in model._meta.sorted_fields]
    added = _values(model, row_id, fields)
    refs = _references(model, row_id, ignore)

    def step() -> list[str]:
        now = _values(model, row_id, fields)
        if now is None:
            return []
        if now != added or _references(model, row_id, ignore) - refs:
            return [what or f"the {model.__name__.lower()} it added"]
        model.delete().where(model.id == row_id).execute()
        return []

    record(step)


class History:
    """The actions of one session, newest last; `undo_last` takes the newest back."""

    LIMIT = 50

    def __init__(self) -> None:
        self.entries: list[Entry] = []

    def run(self, label: str, action: Callable[[], object], into: Entry | None = None,
            subject: tuple[str, int] | None = None) -> tuple[object, Entry]:
        """Run `action` and keep what it did as a new entry (or as part of `into`): its result and
        the entry. An action that fails records nothing, its transaction having rolled back."""
        entry = into or Entry(label, subject=subject)
        before = len(entry.steps)
        try:
            with entry.recording():
                result = action()
        except BaseException:
            del entry.steps[before:]
            raise
        if into is None and entry.steps:
            self.entries.append(entry)
            del self.entries[:-self.LIMIT]
        return result, entry

    def undo_last(self) -> Entry | None:
        """Undo the newest action; None when there is nothing to undo."""
        while self.entries:
            entry = self.entries.pop()
            if entry.steps:
                undo(entry)
                entry.undone = True
                return entry
        return None
