"""Amazon Comprehend as the content scorer (issue: AWS option), selectable with
``FIREBREAK_SCORER=comprehend`` in the deployed stack. The embedded model stays the
default and still scores languages Comprehend's toxicity detection does not cover.

Comprehend's toxicity labels (DetectToxicContent) map onto the delete-or-keep line's
categories:

=====================  =========================================================
Comprehend label       Firebreak category
=====================  =========================================================
SEXUAL                 sexual
GRAPHIC                gore
VIOLENCE_OR_THREAT     threat
HATE_SPEECH            hate
PROFANITY              profanity
INSULT                 offensive (the highest of the two labels and the overall
HARASSMENT_OR_ABUSE    ``Toxicity``)
(none)                 slur: the embedded scorer's, score, flag and terms
=====================  =========================================================

``violence`` is the higher of gore and threat (kept for the readers of the four
original categories). Comprehend names no words, so the ``terms`` of every category
come from the embedded scorer's result for the same text, as does ``slur``; a report
without one of the newer categories counts it as score 0 with no terms.

This module also holds what the Bedrock Guardrails scorer shares with it
(``combine_with_embedded``). It imports nothing heavy: the embedded model and its
numpy only load on the first scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from chalicelib.triage.risk import CATEGORIES, CategoryScore, RiskReport

# The categories an AWS service scores itself; ``violence`` and ``slur`` are derived.
AWS_CATEGORIES = ("offensive", "hate", "sexual", "gore", "threat", "profanity")
# The order of the categories in a report (``RiskReport.flagged`` follows it).
CATEGORY_ORDER = CATEGORIES

_CATEGORY_LABELS = {
    "offensive": ("INSULT", "HARASSMENT_OR_ABUSE"),
    "hate": ("HATE_SPEECH",),
    "sexual": ("SEXUAL",),
    "gore": ("GRAPHIC",),
    "threat": ("VIOLENCE_OR_THREAT",),
    "profanity": ("PROFANITY",),
}

# The categories a managed service scores (slur is the embedded scorer's alone).
MANAGED_CATEGORIES = ("sexual", "gore", "threat", "hate", "profanity", "offensive")
# Comprehend's label scores are its confidence that the label applies, not calibrated
# probabilities, and AWS publishes no recommended cut-off. 0.5 ("more likely than not")
# is what this scorer has flagged at since it was added; a table per category so
# that one can be moved (e.g. a noisier label raised) without touching the others.
FLAG_THRESHOLDS: Mapping[str, float] = dict.fromkeys(MANAGED_CATEGORIES, 0.5)

TOXICITY_LANGUAGES = ("en",)  # what DetectToxicContent accepts today
SENTIMENT_LANGUAGES = ("en", "de", "es", "it", "pt", "fr", "ja", "ko", "hi", "ar", "zh")

_NO_SCORE = CategoryScore(0.0, False)
_DIGITS = 4  # as the embedded scorer rounds: byte-identical JSON across machines


def _dedupe(terms: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(terms))


def combine_with_embedded(
    scores: Mapping[str, float],
    thresholds: Mapping[str, float],
    embedded: RiskReport,
    lead_terms: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, CategoryScore]:
    """The categories of one text from an AWS service's ``scores`` (of
    ``AWS_CATEGORIES``; a missing one is 0) and the embedded scorer's report on it.

    The service decides score and flag of its categories; the embedded report gives
    every category's ``terms`` (after ``lead_terms``, words the service itself named)
    and the whole ``slur`` category, which no AWS service scores. ``violence`` is the
    higher of gore and threat, flagged when either is. A category missing from the
    embedded report (a model from before it existed) counts as score 0, no terms.
    """
    lead = lead_terms or {}

    def own(name: str) -> CategoryScore:
        return embedded.categories.get(name, _NO_SCORE)

    out: dict[str, CategoryScore] = {}
    for name in AWS_CATEGORIES:
        score = float(scores.get(name, 0.0))
        out[name] = CategoryScore(
            score=round(score, _DIGITS),
            flag=score >= thresholds[name],
            terms=_dedupe([*lead.get(name, ()), *own(name).terms]),
        )
    gore, threat = out["gore"], out["threat"]
    out["violence"] = CategoryScore(
        score=max(gore.score, threat.score),
        flag=gore.flag or threat.flag,
        terms=_dedupe([*own("violence").terms, *gore.terms, *threat.terms]),
    )
    out["slur"] = own("slur")
    return {name: out[name] for name in CATEGORY_ORDER}


class ComprehendScorer:
    def __init__(
        self,
        client: Any,
        fallback: Callable[[], Any],
        *,
        thresholds: Mapping[str, float] = FLAG_THRESHOLDS,
    ) -> None:
        self._client = client
        # The embedded scorer: for languages Comprehend lacks, and for slur and terms.
        self._fallback = fallback
        self._thresholds = thresholds

    def _language(self, text: str) -> str:
        res = self._client.detect_dominant_language(Text=text)
        languages = sorted(res.get("Languages", []), key=lambda lang: -lang["Score"])
        return str(languages[0]["LanguageCode"]) if languages else "und"

    def scan(self, text: str) -> Any:
        return self.score(text)

    def score(self, text: str) -> Any:
        from chalicelib.triage.scorer import SentimentScore, Triage

        lang = self._language(text)
        if lang not in TOXICITY_LANGUAGES:
            return self._fallback().score(text)
        result = self._client.detect_toxic_content(
            TextSegments=[{"Text": text}], LanguageCode=lang
        )["ResultList"][0]
        labels = {label["Name"]: float(label["Score"]) for label in result.get("Labels", [])}
        scores = {
            name: max(labels.get(label, 0.0) for label in sources)
            for name, sources in _CATEGORY_LABELS.items()
        }
        scores["offensive"] = max(scores["offensive"], float(result.get("Toxicity", 0.0)))
        sentiment = SentimentScore("neutral", {"negative": 0.0, "neutral": 1.0, "positive": 0.0})
        if lang in SENTIMENT_LANGUAGES:
            res = self._client.detect_sentiment(Text=text, LanguageCode=lang)
            raw = res["SentimentScore"]
            scores_s = {
                "negative": round(float(raw["Negative"]), 4),
                "neutral": round(float(raw["Neutral"]) + float(raw["Mixed"]), 4),
                "positive": round(float(raw["Positive"]), 4),
            }
            sentiment = SentimentScore(max(scores_s, key=lambda k: scores_s[k]), scores_s)
        # Only once Comprehend has answered: an error leaves the model unloaded.
        embedded = self._fallback().score(text)
        categories = combine_with_embedded(scores, self._thresholds, embedded)
        return Triage(
            lang,
            categories,
            sentiment=sentiment,
            severe_terms=tuple(getattr(embedded, "severe_terms", ())),
        )
