"""Amazon Comprehend as the content scorer (issue: AWS option), selectable with
``FIREBREAK_SCORER=comprehend`` in the deployed stack. The embedded model stays the
default and still scores languages Comprehend's toxicity detection does not cover.

Comprehend's toxicity labels map onto Firebreak's four categories: PROFANITY, INSULT
and HARASSMENT_OR_ABUSE (and the overall toxicity) are offensive; HATE_SPEECH is hate;
SEXUAL is sexual; GRAPHIC and VIOLENCE_OR_THREAT are violence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.triage.risk import CategoryScore

_CATEGORY_LABELS = {
    "offensive": ("PROFANITY", "INSULT", "HARASSMENT_OR_ABUSE"),
    "hate": ("HATE_SPEECH",),
    "sexual": ("SEXUAL",),
    "violence": ("GRAPHIC", "VIOLENCE_OR_THREAT"),
}
TOXICITY_LANGUAGES = ("en",)  # what DetectToxicContent accepts today
SENTIMENT_LANGUAGES = ("en", "de", "es", "it", "pt", "fr", "ja", "ko", "hi", "ar", "zh")


class ComprehendScorer:
    def __init__(self, client: Any, fallback: Callable[[], Any], *, threshold: float = 0.5) -> None:
        self._client = client
        self._fallback = fallback  # the embedded scorer, for languages Comprehend lacks
        self._threshold = threshold

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
        categories = {}
        for name, sources in _CATEGORY_LABELS.items():
            score = max([labels.get(s, 0.0) for s in sources], default=0.0)
            if name == "offensive":
                score = max(score, float(result.get("Toxicity", 0.0)))
            categories[name] = CategoryScore(round(score, 4), score >= self._threshold)
        sentiment = SentimentScore("neutral", {"negative": 0.0, "neutral": 1.0, "positive": 0.0})
        if lang in SENTIMENT_LANGUAGES:
            res = self._client.detect_sentiment(Text=text, LanguageCode=lang)
            raw = res["SentimentScore"]
            scores = {
                "negative": round(float(raw["Negative"]), 4),
                "neutral": round(float(raw["Neutral"]) + float(raw["Mixed"]), 4),
                "positive": round(float(raw["Positive"]), 4),
            }
            sentiment = SentimentScore(max(scores, key=lambda k: scores[k]), scores)
        return Triage(lang, categories, sentiment=sentiment, severe_terms=())
