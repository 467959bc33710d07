"""Delete-or-keep for a bad post on the brand's own account (C4); the hack indicators
(C1) it reads are in ``hack_signs.py``.

Pure domain: no I/O. The content side comes in as a ``RiskReport`` (what the risk
scanner found) so the rules are testable with hand-made reports; the account
side as the account's habits. Firebreak's line (docs: PRODUCT.md):

- **delete** when the post is R-rated or worse (explicit sexual content, graphic
  violence or a call for violence, hate speech, slurs or strong profanity) or
  when the account was obviously hacked;
- **keep** and own it otherwise (clumsy, insensitive, tone-deaf, a bad joke, a
  factual mistake, a regretted opinion), even when it offends.

A hack is *suspected* only when it is obvious: scam, phishing or crypto wording, a
link to a look-alike of the brand's domain, a credential-harvesting link, or content
wildly off-brand (casino, adult dating, pills, fake followers, trading signals). Not
publishing through Firebreak, X's own apps, an odd hour, an unfamiliar link domain or
an unusual language describe a team member posting outside the process, alone or
together: they are listed as context and never make a hack. Even a suspicion is only
that: "we were hacked" is a public claim, so a person confirms it (the playbook asks
with the delete-or-keep decision). Every signal carries its weight in the reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from chalicelib.incidents.hack_signs import (
    AccountHabits,
    HackIndicator,
    PostFacts,
    habits_for,
    hack_indicators,
    hack_suspected,
    link_domain,
    scam_patterns,
)

# The hack signs live in hack_signs.py; these names are read from here too.
__all__ = [
    "LINE_REASONS",
    "AccountHabits",
    "DeleteOrKeep",
    "HackIndicator",
    "PostFacts",
    "habits_for",
    "hack_indicators",
    "hack_suspected",
    "link_domain",
    "recommend_delete_or_keep",
    "scam_patterns",
]
from chalicelib.triage.risk import RiskReport


@dataclass(frozen=True)
class DeleteOrKeep:
    """The recommendation, whether a hack is suspected, and the reasons for a person to weigh.

    ``hack_suspected`` is a suspicion for a person to confirm or reject; nothing says
    "hacked" in public on it alone."""

    recommendation: Literal["delete", "keep"]
    hack_suspected: bool
    reasons: tuple[str, ...]
    indicators: tuple[HackIndicator, ...] = ()


# The models' probabilities a quotation is read with on its own (``_reported``): a middle
# reading, so the words decide.
QUOTE_MODEL = 0.5

# The delete line's categories (PRODUCT.md), in the order reasons name them.
LINE_REASONS = (
    ("sexual", "explicit sexual content"),
    ("gore", "graphic violence or gore"),
    ("threat", "a threat or call for violence"),
    ("slur", "a slur"),
    ("profanity", "strong profanity"),
    ("hate", "hate speech"),
)


def _content_reasons(content: RiskReport, severe_terms: Sequence[str]) -> list[str]:
    """Why the post is R-rated or worse, one reason per category with the words that
    drove it; empty when it is not."""
    cats = content.categories

    def quoted(terms: Sequence[str]) -> str:
        return ": " + ", ".join(f"“{t}”" for t in terms[:3]) if terms else ""

    out = [
        label + quoted(cats[name].terms)
        for name, label in LINE_REASONS
        if name in cats and cats[name].flag
    ]
    split = "gore" in cats or "threat" in cats
    if not split and "violence" in cats and cats["violence"].flag:
        # A scanner that reports violence as one category (an older or managed one).
        out.append("graphic violence or a call for violence" + quoted(cats["violence"].terms))
    offensive = cats.get("offensive")
    if "profanity" not in cats and severe_terms and offensive is not None and offensive.flag:
        out.append("slurs or strong profanity" + quoted(severe_terms))
    return out


def _reported(text: str) -> list[str]:
    """The quotations a post reports as someone else's hate (``line_remembrance``) that are
    over the line on their own, read back from any disguise ("n1gger"). The line deletes
    such posts all the same: a frame that kept them let a reviewer's hate through dressed
    as reports."""
    # The line's readers compile their patterns on import: only a deleted post pays.
    from chalicelib.triage.line import line_categories
    from chalicelib.triage.line_remembrance import reported_quotes

    return [
        q
        for q in reported_quotes(text)
        if any(c.flag for c in line_categories(q, QUOTE_MODEL, QUOTE_MODEL).values())
    ]


def recommend_delete_or_keep(
    post: PostFacts,
    account: AccountHabits,
    content: RiskReport,
    severe_terms: Sequence[str] = (),
) -> DeleteOrKeep:
    """Firebreak's delete-or-keep line for one post, with its reasons.

    ``content`` is the risk scan of the post's text; ``severe_terms`` the slurs or
    strong profanity the scanner found in it (``Triage.severe_terms``).
    """
    indicators = hack_indicators(post, account, content.lang)
    obvious = [i for i in indicators if i.obvious]
    context = [i for i in indicators if not i.obvious and i.weight > 0]
    hack = hack_suspected(post, indicators)
    content_reasons = _content_reasons(content, severe_terms)

    reasons: list[str] = []
    if hack:
        reasons.append(
            "hack suspected, not confirmed: not published through Firebreak, and "
            + "; ".join(i.describe() for i in obvious)
        )
        reasons.append(
            "confirm or reject the hack when you decide: only a confirmed hack gets the "
            "security checklist's full run and a 'we were hacked' apology (rotate the "
            "password, revoke connected apps, enable 2FA)"
        )
    reasons.extend(f"R-rated or worse: {r}" for r in content_reasons)
    quotes = [] if hack or not content_reasons else _reported(post.text)
    if quotes:
        reasons.append(
            "it quotes " + ", ".join(f"“{q}”" for q in quotes[:3]) + " in a report that acts "
            "against it: if it only reports and condemns them, delete it anyway and post the "
            "report again without the quoted words"
        )
    if hack or content_reasons:
        if context:
            reasons.append("also: " + "; ".join(i.describe() for i in context))
        reasons.append("delete fast, after archiving the evidence")
        return DeleteOrKeep("delete", hack, tuple(reasons), tuple(indicators))

    offensive = content.categories.get("offensive")
    if offensive is not None and offensive.flag:
        reasons.append(
            "may offend, but nothing R-rated: keep it, own it and apologise; "
            "deleting looks like a cover-up"
        )
    else:
        reasons.append("nothing R-rated and no sign of a hack: keep it and own it")
    if not post.published_by_firebreak:
        reasons.append(
            "published outside Firebreak (e.g. from the phone app): a process problem, "
            "not a hack; route posts through approval"
        )
    evidence = obvious + context
    if evidence:
        reasons.append("worth a look: " + "; ".join(i.describe() for i in evidence))
    if post.published_by_firebreak and obvious:
        reasons.append(
            "scam-like or off-brand content in a post that went through approval: "
            "check who approved it"
        )
    return DeleteOrKeep("keep", False, tuple(reasons), tuple(indicators))
