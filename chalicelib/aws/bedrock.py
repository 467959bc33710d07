"""Amazon Bedrock Guardrails as the content scorer (issue "the delete line", point 5),
selectable with ``FIREBREAK_SCORER=bedrock`` plus ``FIREBREAK_GUARDRAIL_ID`` and
``FIREBREAK_GUARDRAIL_VERSION`` (the template's ``ContentGuardrail`` sets both when its
``Scorer`` parameter is ``bedrock``). The embedded model stays the default.

One ``ApplyGuardrail`` call (``bedrock-runtime``, source ``INPUT``, output scope
``FULL`` so that filters below their blocking strength still report a confidence) per
text: it scans a brand's own drafts and posts, a few a day, so there is no batching.

=================================  ==========================================
Guardrail finding                  Firebreak category
=================================  ==========================================
content filter SEXUAL              sexual
content filter VIOLENCE            gore and threat (so violence too)
content filter HATE                hate
content filter INSULTS             offensive (the higher of the two)
content filter MISCONDUCT          offensive
managed word list PROFANITY match  profanity, score 0.9, the matched words as terms
(none)                             slur: the embedded scorer's score, flag, terms
content filter PROMPT_ATTACK       ignored (about prompts to a model, not posts)
=================================  ==========================================

A filter reports a confidence, not a score; ``CONFIDENCE_SCORES`` turns it into one.
As for Comprehend, the ``terms`` of every category and ``slur`` come from the embedded
scorer's result for the same text, and so do the language, the sentiment and the
severe terms (Guardrails has neither language detection nor sentiment). Languages the
guardrail's content filters do not support (``GUARDRAIL_LANGUAGES``, the Classic tier
the template creates) get the embedded scorer's result unchanged, without a call.

An error from Bedrock (throttling once botocore's retries are spent, access denied, a
missing guardrail) is raised to the caller, as ComprehendScorer does: a scan must not
quietly pass a post it could not read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from chalicelib.aws.comprehend import MANAGED_CATEGORIES, combine_with_embedded

# What a content filter's confidence is worth as a score in [0, 1]. Guardrails
# reports only these four levels; the scores sit inside the band each level stands
# for, so that a flag threshold of 0.5 falls between LOW and MEDIUM: NONE is
# nothing found, LOW is "possibly" (what a HIGH-strength filter already blocks, and
# most of its false positives), MEDIUM "likely", HIGH "almost certainly".
NONE_SCORE = 0.0
LOW_SCORE = 0.35
MEDIUM_SCORE = 0.65
HIGH_SCORE = 0.9
CONFIDENCE_SCORES: Mapping[str, float] = {
    "NONE": NONE_SCORE,
    "LOW": LOW_SCORE,
    "MEDIUM": MEDIUM_SCORE,
    "HIGH": HIGH_SCORE,
}
# A word from the managed profanity list is there: as sure as a HIGH confidence.
PROFANITY_MATCH_SCORE = 0.9

# Flag from MEDIUM confidence up. Deleting a brand's own post is the costly call
# ("deleting looks like a cover-up"), so LOW confidence alone does not flag a
# category; the guardrail's own block (at LOW, with HIGH strength) is not the line.
FLAG_THRESHOLDS: Mapping[str, float] = dict.fromkeys(MANAGED_CATEGORIES, 0.5)

# Content filter type -> the categories it scores.
FILTER_CATEGORIES: Mapping[str, tuple[str, ...]] = {
    "SEXUAL": ("sexual",),
    "VIOLENCE": ("gore", "threat"),
    "HATE": ("hate",),
    "INSULTS": ("offensive",),
    "MISCONDUCT": ("offensive",),
}
# Text content filters of the Classic tier: English, French, Spanish ("ineffective
# with any other language"). The Standard tier covers more but needs cross-Region
# inference; widen this if the guardrail is moved to it.
GUARDRAIL_LANGUAGES = ("en", "fr", "es")


def guardrail_scores(response: Mapping[str, Any]) -> tuple[dict[str, float], list[str]]:
    """The category scores and the matched profanity in an ``ApplyGuardrail`` answer."""
    scores: dict[str, float] = {}
    profanity: list[str] = []
    for assessment in response.get("assessments", []):
        for found in assessment.get("contentPolicy", {}).get("filters", []):
            score = CONFIDENCE_SCORES.get(str(found.get("confidence")), 0.0)
            for name in FILTER_CATEGORIES.get(str(found.get("type")), ()):
                scores[name] = max(scores.get(name, 0.0), score)
        for word in assessment.get("wordPolicy", {}).get("managedWordLists", []):
            if word.get("type") != "PROFANITY" or word.get("detected") is False:
                continue
            scores["profanity"] = PROFANITY_MATCH_SCORE
            if word.get("match"):
                profanity.append(str(word["match"]))
    return scores, profanity


class GuardrailScorer:
    def __init__(
        self,
        client: Any,
        guardrail_id: str,
        version: str,
        embedded: Callable[[], Any],
        *,
        thresholds: Mapping[str, float] = FLAG_THRESHOLDS,
    ) -> None:
        self._client = client
        self._guardrail_id = guardrail_id
        self._version = version
        # The embedded scorer (a callable, loaded on first use): language, sentiment,
        # slur and terms, and the whole result where the guardrail cannot read.
        self._embedded = embedded
        self._thresholds = thresholds

    def scan(self, text: str) -> Any:
        return self.score(text)

    def score(self, text: str) -> Any:
        from chalicelib.triage.scorer import SentimentScore, Triage

        own = self._embedded().score(text)
        if own.lang not in GUARDRAIL_LANGUAGES or not text.strip():
            return own
        response = self._client.apply_guardrail(
            guardrailIdentifier=self._guardrail_id,
            guardrailVersion=self._version,
            source="INPUT",
            content=[{"text": {"text": text}}],
            outputScope="FULL",
        )
        scores, profanity = guardrail_scores(response)
        categories = combine_with_embedded(
            scores, self._thresholds, own, lead_terms={"profanity": profanity}
        )
        sentiment = getattr(own, "sentiment", None)
        return Triage(
            own.lang,
            categories,
            sentiment=sentiment
            or SentimentScore("neutral", {"negative": 0.0, "neutral": 1.0, "positive": 0.0}),
            severe_terms=tuple(getattr(own, "severe_terms", ())),
        )
