"""Command palette: every action by name, and "Go to contact…" by typing a name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from netmaint_tui.ui.format import safe


class ContactsProvider(Provider):
    """Typing part of a name in ctrl+p offers those contacts."""

    async def search(self, query: str) -> Hits:
        from netmaint_tui.services.contacts import contact_names

        query = query.strip()
        if len(query) < 2:
            return
        matcher = self.matcher(query)
        for cid, name, company in contact_names(query, limit=30):
            shown = safe(name)
            score = matcher.match(shown)
            if score > 0:
                help_text = f"Go to contact · {safe(company)}" if company else "Go to contact"
                yield Hit(score, matcher.highlight(shown), partial(self.app.goto_contact, cid), text=shown, help=help_text)

    async def discover(self) -> Hits:
        from netmaint_tui.services.contacts import contact_names

        for cid, name, company in contact_names("", limit=15):
            yield DiscoveryHit(safe(name), partial(self.app.goto_contact, cid), help="Go to contact")
