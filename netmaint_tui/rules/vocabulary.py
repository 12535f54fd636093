"""The product's fixed words: tiers, channels (article 000's five ways, plus messages and events),
kinds of touch (article 003's deposits and withdrawals), follow-up states."""

TIERS = ("A", "B", "C")
CHANNELS = ("email", "call", "meeting", "card", "social", "message", "event")
KINDS = ("give", "ask", "catch-up")
FOLLOW_UP_STATUSES = ("open", "done", "dropped")


def plural(n: int, word: str) -> str:
    """A count and its word, as a sentence says it: "1 contact", "3 matches"."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word}es" if word.endswith(("ch", "sh", "s", "x")) else f"{n} {word}s"
