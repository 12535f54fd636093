"""Command palette: every action by name, and "Go to contact…" by typing a name."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from netmaint_tui.services.contacts import contact_names
from netmaint_tui.ui.format import safe
from netmaint_tui.ui.workers import on_own_connection


def _highlighted(matcher, text: str) -> Content:
    """The name with the matched letters marked, built as plain text.

    Matcher.highlight() parses its argument as markup: a contact called "[b]x[/b]" would lose its
    brackets, and "[link=file:///…]" would stop the palette with a markup error.
    """
    content = Content(text)
    _, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _read_entries() -> list:
    from netmaint_tui.ui.widgets.contact_field import entries_from  # lazy: not needed for the first frame

    return entries_from(on_own_connection(lambda: contact_names("", limit=10_000_000)))


class ContactsProvider(Provider):
    """Typing part of a name in ctrl+p offers those contacts, matched as the quick note's contact
    field matches them ("omr" finds Omar). Nothing before a name is typed: the palette opens on
    the actions."""

    _entries = None  # every active contact's name, read once each time the palette opens

    async def startup(self) -> None:
        # Read on a thread as the palette opens: 30,000 names take a quarter of a second, which
        # would otherwise freeze the first keystroke.
        self._entries = asyncio.get_running_loop().run_in_executor(None, _read_entries)

    async def search(self, query: str) -> Hits:
        from netmaint_tui.ui.widgets.contact_field import match_names  # lazy: not needed for the first frame

        query = query.strip()
        if len(query) < 2 or self._entries is None:
            return
        try:
            entries = await self._entries
        except Exception:  # the database busy or gone: the palette offers its actions alone
            return
        matcher = self.matcher(query)
        found = match_names(query, entries, limit=30)
        for rank, entry in enumerate(found):
            shown = safe(entry.name)
            # Content, not str: the palette parses a str prompt or help as markup.
            help_text = Content(f"Go to contact · {safe(entry.company)}" if entry.company else "Go to contact")
            # The palette sorts by score: ours keeps match_names' order, best first, above 0.
            yield Hit(1 - rank / (2 * len(found)), _highlighted(matcher, shown), partial(self.app.goto_contact, entry.id),
                      text=shown, help=help_text)


class ContactPicker(ContactsProvider):
    """The "Go to contact…" palette: contacts alone, the first few by name before anything is typed."""

    async def discover(self) -> Hits:
        for cid, name, company in contact_names("", limit=15):
            yield DiscoveryHit(Content(safe(name)), partial(self.app.goto_contact, cid), text=safe(name),
                               help=Content(safe(company)) if company else None)
