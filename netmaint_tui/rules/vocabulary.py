"""The product's fixed words: tiers, channels (article 000's five ways, plus messages and events),
kinds of touch (article 003's deposits and withdrawals), follow-up states."""

TIERS = ("A", "B", "C")
CHANNELS = ("email", "call", "meeting", "card", "social", "message", "event")
KINDS = ("give", "ask", "catch-up")
FOLLOW_UP_STATUSES = ("open", "done", "dropped")


def plural(n: int, word: str) -> str:
    """A count and its word, as a sentence says it: "1 contact", "3 matches", "30,000 contacts"."""
    if n == 1:
        return f"{n} {word}"
    return f"{n:,} {word}es" if word.endswith(("ch", "sh", "s", "x")) else f"{n:,} {word}s"


def signed(n: int) -> str:
    """A balance as the app and the command line show it: +3, −2 (a minus sign), 0."""
    return f"+{n}" if n > 0 else (f"−{-n}" if n < 0 else "0")


def byte_size(n: float) -> str:
    """A file's size as people say it: "512 bytes", "3.4 MB", "1 GB"."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f}".removesuffix(".0") + f" {unit}"
        n /= 1024
    return f"{n} bytes"


# A contact's fields as the forms and the detail pane name them, for lines that say what changes.
FIELD_LABELS = {
    "connected_on": "connected", "linkedin_url": "LinkedIn", "how_met": "how met", "cadence_days": "cadence",
    "emails": "emails", "phones": "phones", "source_id": "source id", "snoozed_until": "snoozed until",
}


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key.replace("_", " "))
