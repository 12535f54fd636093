"""Undo: every change a use case makes can be taken back whole.

While an action runs inside `recording()`, each service that writes records the step that takes
its own change back (the values it replaced, the rows it added). An action is everything done
under one entry: marking a follow-up done and then thanking whoever suggested it is one entry,
so one undo reopens the follow-up *and* removes the thank-you touch. Undoing runs the steps newest
first, in one transaction. Outside `recording()` (the command line) nothing is kept.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Callable, Iterator

from netmaint_tui.store.models import database

Step = Callable[[], None]

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
    # What the action was about, e.g. ("contact", 12) or ("follow_up", 3): where the screen puts
    # its cursor once the action is undone.
    subject: tuple[str, int] | None = None

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
    with database.atomic():
        for step in reversed(entry.steps):
            step()
    entry.steps.clear()


def restore_on_undo(model, row_id: int, values: dict) -> None:
    """Record: put these columns of the row back as they are now (`values`, read before the write)."""
    record(lambda: model.update(**values).where(model.id == row_id).execute())


def delete_on_undo(model, row_id: int) -> None:
    """Record: the row was added by this action; undoing removes it (and what cascades from it)."""
    record(lambda: model.delete().where(model.id == row_id).execute())


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
                return entry
        return None
