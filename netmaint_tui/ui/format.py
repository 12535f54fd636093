"""Small display helpers shared by the panes. Every piece of user text goes through `safe`."""

from __future__ import annotations

from netmaint_tui.rules.dates import humanize_ago, humanize_in
from netmaint_tui.rules.text import visible


def safe(text, single_line: bool = True) -> str:
    """User text made inert for the terminal (controls shown as placeholders)."""
    return visible("" if text is None else str(text), single_line=single_line)


def due_words(days_until_due: int) -> str:
    return humanize_in(days_until_due)


def ago(then, now) -> str:
    return humanize_ago(then, now) if then is not None else "never"


def signed(n: int) -> str:
    return f"+{n}" if n > 0 else (f"−{-n}" if n < 0 else "0")
