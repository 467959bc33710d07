"""Per-network text rules: X's weighted character count and link extraction (P1)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

X_MAX_WEIGHTED_LENGTH = 280
X_URL_WEIGHT = 23

# twitter-text v3 config: these code point ranges weigh 1, everything else 2.
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))

# A pragmatic URL matcher: scheme URLs and bare domains with a known-looking TLD.
_URL_RE = re.compile(
    r"(?:https?://[^\s<>\"']+)|(?:\b(?:[a-z0-9-]+\.)+[a-z]{2,24}(?:/[^\s<>\"']*)?)",
    re.IGNORECASE,
)
_TRAILING_PUNCT = ".,;:!?)]}'\""


def _char_weight(ch: str) -> int:
    cp = ord(ch)
    for lo, hi in _LIGHT_RANGES:
        if lo <= cp <= hi:
            return 1
    return 2


def extract_urls(text: str) -> list[str]:
    """Every link in ``text``, in order, trailing punctuation stripped."""
    found = []
    for match in _URL_RE.finditer(text):
        url = match.group(0).rstrip(_TRAILING_PUNCT)
        if "@" in text[max(0, match.start() - 1) : match.start()]:
            continue  # the domain part of an e-mail address or @mention, not a link
        found.append(url)
    return found


def link_domain(url: str) -> str:
    """The lower-cased host of a link, with or without a scheme."""
    if "://" not in url:
        url = "http://" + url
    return (urlsplit(url).hostname or "").lower()


def x_weighted_length(text: str) -> int:
    """Length as X counts it: most scripts 1, CJK and emoji 2, each URL 23."""
    total = 0
    pos = 0
    for match in _URL_RE.finditer(text):
        url = match.group(0).rstrip(_TRAILING_PUNCT)
        total += sum(_char_weight(c) for c in text[pos : match.start()])
        total += X_URL_WEIGHT
        pos = match.start() + len(url)
    total += sum(_char_weight(c) for c in text[pos:])
    return total
