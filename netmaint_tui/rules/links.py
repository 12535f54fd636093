"""LinkedIn profile addresses: one spelling per profile, whichever export or form it came from."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, unquote, urlsplit

# What normalize_linkedin_url returns for a profile: checking for it first skips the URL parser
# for the rows that need nothing (all of them, in a LinkedIn export of 30,000 rows).
_CANONICAL_PROFILE = re.compile(r"https://www\.linkedin\.com/in/[a-z0-9\-_.~%]+")


def _url_parts(url: str):
    text = url.strip()
    if not text:
        return None
    if "://" not in text[:16]:
        text = "https:" + text if text.startswith("//") else "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    return host, parts


def _linkedin_parts(url: str):
    found = _url_parts(url)
    if found is None:
        return None
    host, parts = found
    return parts if host == "linkedin.com" or host.endswith(".linkedin.com") else None


def is_linkedin_url(url: str) -> bool:
    return _linkedin_parts(url or "") is not None


def normalize_linkedin_url(url: str) -> str:
    """One spelling per profile: `https://www.linkedin.com/in/<slug>`.

    Country and mobile hosts, http, query strings, fragments, trailing slashes and letter case
    all vary between exports of the same profile. Anything not on linkedin.com comes back
    trimmed but otherwise untouched.
    """
    text = (url or "").strip()
    if not text or _CANONICAL_PROFILE.fullmatch(text):
        return text
    parts = _linkedin_parts(text)
    if parts is None:
        return text
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if len(segments) >= 2 and segments[0].lower() == "in":
        return "https://www.linkedin.com/in/" + quote(segments[1].lower(), safe="-_.~")
    path = "".join("/" + quote(s.lower(), safe="-_.~") for s in segments)
    out = "https://www.linkedin.com" + path
    # Very old exports identify profiles only by a numeric id in the query.
    if path == "/profile/view":
        ids = parse_qs(parts.query).get("id")
        if ids:
            out += "?id=" + quote(ids[0], safe="")
    return out
