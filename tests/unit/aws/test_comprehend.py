"""The Amazon Comprehend scorer's mapping, against a real botocore client whose responses
are stubbed (and validated against Comprehend's API model by the Stubber)."""

from __future__ import annotations

import botocore.session
import pytest
from botocore.stub import Stubber

from chalicelib.aws.comprehend import ComprehendScorer


class Embedded:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def score(self, text: str):
        self.calls.append(text)
        return "embedded result"


@pytest.fixture
def client():
    session = botocore.session.get_session()
    return session.create_client(
        "comprehend", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y"
    )


def test_maps_toxicity_labels_and_sentiment(client) -> None:
    text = "you people are disgusting, I will hurt you"
    with Stubber(client) as stub:
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
                        "Labels": [
                            {"Name": "INSULT", "Score": 0.81},
                            {"Name": "VIOLENCE_OR_THREAT", "Score": 0.77},
                            {"Name": "HATE_SPEECH", "Score": 0.2},
                            {"Name": "SEXUAL", "Score": 0.01},
                        ],
                        "Toxicity": 0.9,
                    }
                ]
            },
            {"TextSegments": [{"Text": text}], "LanguageCode": "en"},
        )
        stub.add_response(
            "detect_sentiment",
            {
                "Sentiment": "NEGATIVE",
                "SentimentScore": {
                    "Positive": 0.01,
                    "Negative": 0.95,
                    "Neutral": 0.03,
                    "Mixed": 0.01,
                },
            },
            {"Text": text, "LanguageCode": "en"},
        )
        result = ComprehendScorer(client, Embedded).score(text)
    assert result.lang == "en"
    assert result.categories["offensive"].score == 0.9 and result.categories["offensive"].flag
    assert result.categories["violence"].flag and not result.categories["hate"].flag
    assert result.flagged == ["offensive", "violence"]
    assert result.sentiment.label == "negative"


def test_languages_without_toxicity_fall_back_to_the_embedded_model(client) -> None:
    embedded = Embedded()
    with Stubber(client) as stub:
        stub.add_response(
            "detect_dominant_language",
            {"Languages": [{"LanguageCode": "de", "Score": 0.98}]},
            {"Text": "Ihr seid alle Idioten"},
        )
        result = ComprehendScorer(client, lambda: embedded).score("Ihr seid alle Idioten")
    assert result == "embedded result" and embedded.calls == ["Ihr seid alle Idioten"]
