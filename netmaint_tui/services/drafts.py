"""Drafts: a half-typed note is saved as it is typed and offered back after a crash."""

from __future__ import annotations

import json

from netmaint_tui.services.common import Context, to_db
from netmaint_tui.store.models import Draft, database


def save_draft(ctx: Context, payload: dict, kind: str = "quick_note") -> None:
    text = json.dumps(payload, ensure_ascii=False)
    with database.atomic():
        updated = Draft.update(payload=text, updated_at=to_db(ctx.now())).where(Draft.kind == kind).execute()
        if not updated:
            Draft.create(kind=kind, payload=text, updated_at=to_db(ctx.now()))


def load_draft(kind: str = "quick_note") -> dict | None:
    draft = Draft.get_or_none(Draft.kind == kind)
    if draft is None:
        return None
    try:
        value = json.loads(draft.payload)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def discard_draft(kind: str = "quick_note") -> None:
    with database.atomic():
        Draft.delete().where(Draft.kind == kind).execute()
