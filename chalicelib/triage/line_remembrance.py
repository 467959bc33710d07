"""The remembrance frame of the delete line (``line.py``): a calm post that remembers the
Nazis' victims or condemns their words may quote or report those words ("the Nazis called
Jews subhuman"); each place the word occurs must be quoted or reported. Written for this
project; tests in ``tests/unit/triage/test_line_remembrance.py``."""

from __future__ import annotations

import re

from chalicelib.triage.lexicons import Hit
from chalicelib.triage.line_lexicons import REMEMBRANCE, REPORTING

# A post that remembers the Nazis' victims or condemns their words: the words of hate it
# quotes or reports weigh this much of their weight, and only while the offensive model
# reads the post as calmer than ``REMEMBRANCE_CALM``.
HISTORY_DAMPING = 0.3
REMEMBRANCE_CALM = 0.6
_REMEMBRANCE = re.compile(r"(?<!\w)(?:" + REMEMBRANCE + r")")
# A history word is reported, not used, when it is in quotation marks or follows one of
# these within a few words: "the Nazis called Jews subhuman", "planten die Endlösung".
_QUOTED = re.compile(
    r"[\"„“”«»‚](?P<q>[^\"„“”«»\n]{1,80})[\"“”«»‘]|(?<!\w)'(?P<s>[^'\n]{1,80})'(?!\w)"
)
_REPORTING = frozenset(REPORTING.split())


def reported(folded: str, quoted: list[tuple[int, int]], term: str) -> bool:
    """Is ``term`` (or, for a pair "a … b", either word) quoted or reported wherever it
    occurs: inside one of the ``quoted`` spans, or in a sentence that reports it ("the
    Nazis called Jews subhuman", "some claimed the Jews pull the strings")? Every
    occurrence must be: a word quoted once and then used ("… called them "Untermenschen".
    Honestly, some really are Untermenschen") is used, not reported."""
    for part in term.split(" … "):
        places = [m.start() for m in re.finditer(re.escape(part), folded)]
        if places and all(_reported_at(folded, quoted, at) for at in places):
            return True
    return False


def _reported_at(folded: str, quoted: list[tuple[int, int]], at: int) -> bool:
    if any(start <= at < end for start, end in quoted):
        return True
    sentence = re.split(r"[.!?;]\s", folded[max(0, at - 80) : at])[-1]
    return bool(_REPORTING.intersection(w.strip(",:") for w in sentence.split()[-6:]))


def quoted_spans(folded: str) -> list[tuple[int, int]]:
    return [m.span("q") if m.group("q") else m.span("s") for m in _QUOTED.finditer(folded)]


def as_history(hits: list[Hit], folded: str, quoted: list[tuple[int, int]]) -> list[Hit]:
    """The hits of a remembrance post that it quotes or reports, weighed down."""
    return [
        Hit(h.term, round(h.weight * HISTORY_DAMPING, 4)) if reported(folded, quoted, h.term) else h
        for h in hits
    ]


def remembers(folded: str) -> bool:
    """Does the (folded) post carry a strong cue of remembrance or condemnation?"""
    return bool(_REMEMBRANCE.search(folded))
