"""Lines of a contact's history that are no touch: what a synced folder said where netmaint kept
its own value (services.sync writes them), so that nothing typed on a phone or another computer
is lost, and the user sees it where they read about the person. A note about a follow-up is shown
with the follow-up too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from netmaint_tui.services.common import Context, local_time
from netmaint_tui.store.models import database


@dataclass(frozen=True)
class HistoryNoteView:
    at: dt.datetime  # aware, local
    source: str  # where it came from: 'sync'
    text: str


def add_notes(at: dt.datetime, rows: list[tuple[int | None, int | None, str]], source: str = "sync") -> None:
    """Notes (contact id, follow-up id, text) made at `at` (stored UTC)."""
    if rows:
        database.connection().executemany(
            "INSERT INTO history_note (contact_id, follow_up_id, at, source, text) VALUES (?, ?, ?, ?, ?)",
            [(contact_id, follow_up_id, at, source, text) for contact_id, follow_up_id, text in rows])


def _views(ctx: Context, rows) -> list[HistoryNoteView]:
    return [HistoryNoteView(local_time(at, ctx.clock.tz), source, text) for at, source, text in rows]


def contact_notes(ctx: Context, contact_id: int) -> list[HistoryNoteView]:
    """The contact's notes, newest first."""
    return _views(ctx, database.execute_sql(
        "SELECT at, source, text FROM history_note WHERE contact_id = ? ORDER BY at DESC, id DESC",
        [contact_id]).fetchall())


def follow_up_notes(ctx: Context, follow_up_ids: list[int]) -> dict[int, list[HistoryNoteView]]:
    """The notes of these follow-ups, newest first, by follow-up id."""
    out: dict[int, list[HistoryNoteView]] = {}
    ids = list(follow_up_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = database.execute_sql(
            f"SELECT follow_up_id, at, source, text FROM history_note WHERE follow_up_id IN ({','.join('?' * len(chunk))}) "
            "ORDER BY at DESC, id DESC", chunk).fetchall()
        for follow_up_id, at, source, text in rows:
            out.setdefault(follow_up_id, []).extend(_views(ctx, [(at, source, text)]))
    return out
