"""The product's fixed words: tiers, channels (article 000's five ways, plus messages and events),
kinds of touch (article 003's deposits and withdrawals), follow-up states."""

TIERS = ("A", "B", "C")
CHANNELS = ("email", "call", "meeting", "card", "social", "message", "event")
KINDS = ("give", "ask", "catch-up")
FOLLOW_UP_STATUSES = ("open", "done", "dropped")
