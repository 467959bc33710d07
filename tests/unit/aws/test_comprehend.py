"""The Amazon Comprehend scorer's mapping, against a real botocore client whose responses
are stubbed (and validated against Comprehend's API model by the Stubber)."""

from __future__ import annotations

import botocore.session
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from chalicelib.aws.comprehend import (
    AWS_CATEGORIES,
    CATEGORY_ORDER,
    FLAG_THRESHOLDS,
    ComprehendScorer,
    combine_with_embedded,
)
from chalicelib.triage.risk import CategoryScore, RiskReport
from chalicelib.triage.scorer import SentimentScore, Triage

# What the embedded scorer said of the same text: every category it may have, with
# terms, plus the sentiment and severe terms a Triage carries.
EMBEDDED_FULL = Triage(
    lang="en",
    categories={
        "offensive": CategoryScore(0.6, True, ("idiots",)),
        "hate": CategoryScore(0.7, True, ("vermin",)),
        "sexual": CategoryScore(0.1, False, ("naked",)),
        "violence": CategoryScore(0.8, True, ("hurt",)),
        "gore": CategoryScore(0.2, False, ("blood",)),
        "threat": CategoryScore(0.8, True, ("hurt",)),
        "slur": CategoryScore(0.97, True, ("xslur",)),
        "profanity": CategoryScore(0.9, True, ("xcurse",)),
    },
    sentiment=SentimentScore("positive", {"negative": 0.1, "neutral": 0.1, "positive": 0.8}),
    severe_terms=("xslur", "xcurse"),
)
# A model from before the new categories: only the original four, no sentiment.
EMBEDDED_OLD = RiskReport(
    lang="en",
    categories={
        "offensive": CategoryScore(0.6, True, ("idiots",)),
        "hate": CategoryScore(0.1, False),
        "sexual": CategoryScore(0.0, False),
        "violence": CategoryScore(0.4, False, ("hurt",)),
    },
)


class Embedded:
    """A stand-in for the embedded scorer: a fixed report, and who asked."""

    def __init__(self, report: RiskReport = EMBEDDED_FULL) -> None:
        self.report = report
        self.calls: list[str] = []

    def score(self, text: str) -> RiskReport:
        self.calls.append(text)
        return self.report

    def scan(self, text: str) -> RiskReport:
        return self.score(text)


@pytest.fixture
def client():
    session = botocore.session.get_session()
    return session.create_client(
        "comprehend", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


def _stub_english(stub: Stubber, text: str, labels: dict[str, float], toxicity: float) -> None:
    stub.add_response(
        "detect_dominant_language",
        {"Languages": [{"LanguageCode": "en", "Score": 0.99}]},
        {"Text": text},
    )
    stub.add_response(
        "detect_toxic_content",
        {
            "ResultList": [
                {
                    "Labels": [{"Name": name, "Score": score} for name, score in labels.items()],
                    "Toxicity": toxicity,
                }
            ]
        },
        {"TextSegments": [{"Text": text}], "LanguageCode": "en"},
    )
    stub.add_response(
        "detect_sentiment",
        {
            "Sentiment": "NEGATIVE",
            "SentimentScore": {"Positive": 0.01, "Negative": 0.95, "Neutral": 0.03, "Mixed": 0.01},
        },
        {"Text": text, "LanguageCode": "en"},
    )


def _score(client, labels: dict[str, float], toxicity: float = 0.0, embedded=None):
    embedded = embedded or Embedded()
    text = "some text"
    with Stubber(client) as stub:
        _stub_english(stub, text, labels, toxicity)
        result = ComprehendScorer(client, lambda: embedded).score(text)
        stub.assert_no_pending_responses()
    return result


def test_maps_toxicity_labels_and_sentiment(client) -> None:
    text = "you people are disgusting, I will hurt you"
    embedded = Embedded()
    with Stubber(client) as stub:
        _stub_english(
            stub,
            text,
            {"INSULT": 0.81, "VIOLENCE_OR_THREAT": 0.77, "HATE_SPEECH": 0.2, "SEXUAL": 0.01},
            0.9,
        )
        result = ComprehendScorer(client, lambda: embedded).score(text)
    assert result.lang == "en"
    assert result.categories["offensive"].score == 0.9 and result.categories["offensive"].flag
    assert result.categories["violence"].flag and not result.categories["hate"].flag
    assert result.categories["threat"].score == 0.77 and result.categories["violence"].score == 0.77
    # slur is the embedded scorer's; everything else is Comprehend's to flag.
    assert result.flagged == ["offensive", "violence", "threat", "slur"]
    assert list(result.categories) == list(CATEGORY_ORDER)
    assert result.sentiment.label == "negative"
    assert embedded.calls == [text]


@pytest.mark.parametrize(
    ("label", "category"),
    [
        ("SEXUAL", "sexual"),
        ("GRAPHIC", "gore"),
        ("VIOLENCE_OR_THREAT", "threat"),
        ("HATE_SPEECH", "hate"),
        ("PROFANITY", "profanity"),
        ("INSULT", "offensive"),
        ("HARASSMENT_OR_ABUSE", "offensive"),
    ],
)
def test_every_label_maps_to_its_category(client, label: str, category: str) -> None:
    result = _score(client, {label: 0.83})
    cats = result.categories
    assert cats[category] == CategoryScore(0.83, True, EMBEDDED_FULL.categories[category].terms)
    for other in AWS_CATEGORIES:
        if other != category:
            assert cats[other].score == 0.0 and not cats[other].flag, other
    violent = category in ("gore", "threat")
    assert cats["violence"].flag is violent
    assert cats["violence"].score == (0.83 if violent else 0.0)


def test_violence_is_the_higher_of_gore_and_threat(client) -> None:
    cats = _score(client, {"GRAPHIC": 0.62, "VIOLENCE_OR_THREAT": 0.3}).categories
    assert cats["gore"].flag and not cats["threat"].flag
    assert cats["violence"] == CategoryScore(0.62, True, ("hurt", "blood"))


def test_offensive_is_the_highest_of_insult_harassment_and_toxicity(client) -> None:
    assert _score(client, {"INSULT": 0.3, "HARASSMENT_OR_ABUSE": 0.45}, 0.2).categories[
        "offensive"
    ] == CategoryScore(0.45, False, ("idiots",))
    assert _score(client, {"INSULT": 0.3}, 0.71).categories["offensive"].score == 0.71


def test_profanity_is_not_offensive_by_itself(client) -> None:
    cats = _score(client, {"PROFANITY": 0.9}, 0.0).categories
    assert cats["profanity"].flag and not cats["offensive"].flag


@pytest.mark.parametrize("category", sorted(FLAG_THRESHOLDS))
def test_flags_at_each_categorys_threshold(category: str) -> None:
    limit = FLAG_THRESHOLDS[category]
    at = combine_with_embedded({category: limit}, FLAG_THRESHOLDS, EMBEDDED_OLD)
    below = combine_with_embedded({category: limit - 0.01}, FLAG_THRESHOLDS, EMBEDDED_OLD)
    assert at[category].flag and not below[category].flag


def test_thresholds_can_be_set_per_category(client) -> None:
    text = "x"
    with Stubber(client) as stub:
        _stub_english(stub, text, {"SEXUAL": 0.6, "HATE_SPEECH": 0.6}, 0.0)
        strict = {**FLAG_THRESHOLDS, "sexual": 0.7}
        cats = ComprehendScorer(client, Embedded, thresholds=strict).score(text).categories
    assert not cats["sexual"].flag and cats["hate"].flag


def test_slur_terms_and_severe_terms_come_from_the_embedded_scorer(client) -> None:
    result = _score(client, {"HATE_SPEECH": 0.1})
    assert result.categories["slur"] == EMBEDDED_FULL.categories["slur"]
    assert result.categories["hate"] == CategoryScore(0.1, False, ("vermin",))
    assert result.categories["profanity"].terms == ("xcurse",)
    assert result.severe_terms == ("xslur", "xcurse")
    # Comprehend's sentiment, not the embedded one.
    assert result.sentiment.label == "negative"


def test_an_embedded_report_without_the_new_categories_counts_them_as_zero(client) -> None:
    result = _score(client, {"GRAPHIC": 0.9}, embedded=Embedded(EMBEDDED_OLD))
    cats = result.categories
    assert cats["slur"] == CategoryScore(0.0, False, ())
    assert cats["gore"] == CategoryScore(0.9, True, ())
    assert cats["threat"] == CategoryScore(0.0, False, ())
    assert cats["profanity"] == CategoryScore(0.0, False, ())
    assert cats["violence"] == CategoryScore(0.9, True, ("hurt",))
    assert result.severe_terms == ()


def test_languages_without_toxicity_fall_back_to_the_embedded_model(client) -> None:
    german = RiskReport("de", {"offensive": CategoryScore(0.9, True, ("Idioten",))})
    embedded = Embedded(german)
    with Stubber(client) as stub:
        stub.add_response(
            "detect_dominant_language",
            {"Languages": [{"LanguageCode": "de", "Score": 0.98}]},
            {"Text": "Ihr seid alle Idioten"},
        )
        result = ComprehendScorer(client, lambda: embedded).score("Ihr seid alle Idioten")
        stub.assert_no_pending_responses()
    assert result is german and embedded.calls == ["Ihr seid alle Idioten"]


@pytest.mark.parametrize("code", ["ThrottlingException", "TooManyRequestsException"])
def test_an_error_from_comprehend_is_raised_not_swallowed(client, code: str) -> None:
    embedded = Embedded()
    with Stubber(client) as stub:
        stub.add_response(
            "detect_dominant_language",
            {"Languages": [{"LanguageCode": "en", "Score": 0.99}]},
            {"Text": "hello"},
        )
        stub.add_client_error("detect_toxic_content", service_error_code=code, http_status_code=400)
        with pytest.raises(ClientError) as raised:
            ComprehendScorer(client, lambda: embedded).score("hello")
    assert raised.value.response["Error"]["Code"] == code
    assert embedded.calls == []  # the model is not loaded for a scan that failed


def test_scan_is_score(client) -> None:
    text = "some text"
    with Stubber(client) as stub:
        _stub_english(stub, text, {"SEXUAL": 0.7}, 0.0)
        report = ComprehendScorer(client, Embedded).scan(text)
    assert isinstance(report, RiskReport) and report.flagged == ["sexual", "slur"]
