"""Text folding for policy rules: one comparable form for a post and for a rule's words.

Hard policy rules (forbidden phrases, forbidden topics' words) compare text that people
can disguise without changing what a reader sees: a zero-width space or soft hyphen
inside a word ("guaran\u200bteed"), full-width letters ("ｇｕａｒａｎｔｅｅｄ"), a
Cyrillic "а" for a Latin "a". ``fold`` maps all of these to one form, and the policy
check folds both the post text and each rule's phrase before matching them.

``fold`` is pure and does, in order:

1. NFKC (full-width, mathematical and other compatibility letters, ligatures);
2. removes invisible and format characters: Unicode category Cf (zero-width space,
   joiners, soft hyphen, bidi marks, embeddings and isolates, word joiner, BOM, tags)
   and the other default-ignorable code points (variation selectors, Hangul fillers,
   combining grapheme joiner, ...);
3. casefold (so "Straße" and "STRASSE" agree);
4. folds look-alike letters one character to one character onto their ASCII or Latin
   prototype, from Unicode's confusables data (see CONFUSABLES.md beside this file);
   ASCII is never remapped and there are no multi-letter skeletons, so "clam" does
   not become "dam", and the negative circled and squared letters ("🅵🆄🅲🅺"), which
   NFKC leaves alone, fold to a–z, and the f with a hook ("ƒ") to f;

then recomposes (NFC) what steps 2 and 4 may have left decomposed. Every character
maps to at most one character, so word boundaries stay where a reader sees them.

Not for link domains: an allowlist must not accept a look-alike domain.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import cache

TABLE_PATH = os.path.join(os.path.dirname(__file__), "confusables.json")

# Unicode category Cf plus the rest of Default_Ignorable_Code_Point (DerivedCoreProperties).
# tests/unit/core/test_normalise.py checks this against the running unicodedata.
_INVISIBLE_CLASS = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
    "\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)


@cache
def _invisible_re() -> re.Pattern[str]:
    return re.compile(f"[{_INVISIBLE_CLASS}]+")


@cache
def _confusables() -> dict[int, str]:
    """The look-alike table, read on first use (never at import)."""
    import json

    with open(TABLE_PATH, encoding="utf-8") as f:
        document = json.load(f)
    table = {
        ord(source): target for target, sources in document["map"].items() for source in sources
    }
    # Negative circled and negative squared letters ("🅵🆄🅲🅺", "ch🅸nk"), which NFKC leaves
    # alone (it folds the plain circled and squared ones itself).
    for first in (0x1F150, 0x1F170):
        table.update({first + i: chr(ord("a") + i) for i in range(26)})
    # The f with a hook ("go ƒuck themselves"), which Unicode's table does not list.
    table[0x192] = "f"
    return table


def strip_invisible(text: str) -> str:
    """``text`` without format (Cf) and other default-ignorable characters."""
    return _invisible_re().sub("", text)


def fold(text: str) -> str:
    """The form in which policy rules compare text; see the module docstring."""
    if text.isascii():
        return text.casefold()  # steps 1, 2 and 4 leave ASCII alone
    folded = strip_invisible(unicodedata.normalize("NFKC", text)).casefold()
    return unicodedata.normalize("NFC", folded.translate(_confusables()))


# C0 controls but tab, newline and carriage return, and DEL: no post needs them, and NUL
# breaks tools downstream (logs, CSV exports, some clients).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_problem(text: str) -> str | None:
    """Why a text cannot be published as it is, or None: control characters, or nothing
    a reader would see (only invisible characters and spaces)."""
    if _CONTROLS.search(text):
        return "must not contain control characters such as NUL"
    if not strip_invisible(text).strip():
        return "must contain visible characters, not only invisible ones"
    return None
