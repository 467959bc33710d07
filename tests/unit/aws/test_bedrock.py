"""The Bedrock Guardrails scorer's mapping, against a real botocore client whose
``ApplyGuardrail`` answers are stubbed (and validated against bedrock-runtime's API
model by the Stubber), and its wiring."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import botocore.loaders
import botocore.session
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from chalicelib.aws.bedrock import (
    CONFIDENCE_SCORES,
    FLAG_THRESHOLDS,
    GUARDRAIL_LANGUAGES,
    PROFANITY_MATCH_SCORE,
    GuardrailScorer,
)
from chalicelib.aws.comprehend import AWS_CATEGORIES, CATEGORY_ORDER
from chalicelib.triage.risk import CategoryScore, RiskReport
from tests.unit.aws.test_comprehend import EMBEDDED_FULL, EMBEDDED_OLD, Embedded

GUARDRAIL_ID = "gr0abc123xyz"
VERSION = "DRAFT"
TEXT = "what a load of rubbish, I'll smash your face in"


@pytest.fixture
def client():
    session = botocore.session.get_session()
    return session.create_client(
        "bedrock-runtime", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


def _filter(kind: str, confidence: str, strength: str = "HIGH") -> dict[str, Any]:
    blocked = confidence != "NONE"
    return {
        "type": kind,
        "confidence": confidence,
        "filterStrength": strength,
        "action": "BLOCKED" if blocked else "NONE",
        "detected": blocked,
    }


def _profane(word: str) -> dict[str, Any]:
    return {"match": word, "type": "PROFANITY", "action": "BLOCKED", "detected": True}


def _answer(
    filters: Sequence[dict[str, Any]] = (),
    words: Sequence[dict[str, Any]] = (),
    *,
    more: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """An ApplyGuardrail answer as the API reference documents it."""
    assessment: dict[str, Any] = {
        "contentPolicy": {"filters": list(filters)},
        "wordPolicy": {"customWords": [], "managedWordLists": list(words)},
    }
    intervened = any(f["action"] == "BLOCKED" for f in filters) or bool(words)
    return {
        "usage": {
            "topicPolicyUnits": 0,
            "contentPolicyUnits": 1,
            "wordPolicyUnits": 1,
            "sensitiveInformationPolicyUnits": 0,
            "sensitiveInformationPolicyFreeUnits": 0,
            "contextualGroundingPolicyUnits": 0,
        },
        "action": "GUARDRAIL_INTERVENED" if intervened else "NONE",
        "outputs": [{"text": "Firebreak's content scan flagged this text."}] if intervened else [],
        "assessments": [assessment, *more],
    }


EXPECTED_REQUEST = {
    "guardrailIdentifier": GUARDRAIL_ID,
    "guardrailVersion": VERSION,
    "source": "INPUT",
    "content": [{"text": {"text": TEXT}}],
    "outputScope": "FULL",
}


def _score(client, answer: dict[str, Any], embedded: Embedded | None = None, text: str = TEXT):
    embedded = embedded or Embedded()
    with Stubber(client) as stub:
        stub.add_response(
            "apply_guardrail", answer, {**EXPECTED_REQUEST, "content": [{"text": {"text": text}}]}
        )
        result = GuardrailScorer(client, GUARDRAIL_ID, VERSION, lambda: embedded).score(text)
        stub.assert_no_pending_responses()
    return result


@pytest.mark.parametrize(
    ("kind", "categories"),
    [
        ("SEXUAL", {"sexual"}),
        ("VIOLENCE", {"gore", "threat"}),
        ("HATE", {"hate"}),
        ("INSULTS", {"offensive"}),
        ("MISCONDUCT", {"offensive"}),
    ],
)
def test_every_content_filter_maps_to_its_categories(client, kind: str, categories) -> None:
    cats = _score(client, _answer([_filter(kind, "HIGH")])).categories
    for name in AWS_CATEGORIES:
        if name in categories:
            assert cats[name] == CategoryScore(0.9, True, EMBEDDED_FULL.categories[name].terms)
        else:
            assert cats[name].score == 0.0 and not cats[name].flag, name
    assert cats["violence"].flag is (kind == "VIOLENCE")
    assert list(cats) == list(CATEGORY_ORDER)


@pytest.mark.parametrize(
    ("confidence", "score", "flag"),
    [("NONE", 0.0, False), ("LOW", 0.35, False), ("MEDIUM", 0.65, True), ("HIGH", 0.9, True)],
)
def test_confidence_becomes_a_score_and_flags_from_medium(
    client, confidence: str, score: float, flag: bool
) -> None:
    assert CONFIDENCE_SCORES[confidence] == score
    cats = _score(client, _answer([_filter("SEXUAL", confidence)])).categories
    assert (cats["sexual"].score, cats["sexual"].flag) == (score, flag)
    assert all(FLAG_THRESHOLDS[name] == 0.5 for name in AWS_CATEGORIES)


def test_a_full_answer_maps_every_filter_at_once(client) -> None:
    answer = _answer(
        [
            _filter("SEXUAL", "NONE"),
            _filter("VIOLENCE", "MEDIUM"),
            _filter("HATE", "LOW"),
            _filter("INSULTS", "LOW"),
            _filter("MISCONDUCT", "HIGH"),
            _filter("PROMPT_ATTACK", "HIGH"),  # about prompts to a model: ignored
        ]
    )
    result = _score(client, answer)
    cats = result.categories
    assert cats["violence"] == CategoryScore(0.65, True, ("hurt", "blood"))
    assert (cats["gore"].score, cats["threat"].score) == (0.65, 0.65)
    assert (cats["hate"].score, cats["hate"].flag) == (0.35, False)
    # INSULTS and MISCONDUCT both score offensive: the higher wins.
    assert cats["offensive"] == CategoryScore(0.9, True, ("idiots",))
    assert cats["profanity"] == CategoryScore(0.0, False, ("xcurse",))
    assert result.flagged == ["offensive", "violence", "gore", "threat", "slur"]


def test_the_higher_confidence_wins_across_assessments(client) -> None:
    more = _answer([_filter("HATE", "HIGH"), _filter("INSULTS", "NONE")])["assessments"]
    answer = _answer([_filter("HATE", "LOW"), _filter("INSULTS", "MEDIUM")], more=more)
    cats = _score(client, answer).categories
    assert cats["hate"].score == 0.9 and cats["offensive"].score == 0.65


def test_a_profanity_match_is_profanity_with_the_words_as_terms(client) -> None:
    words = [_profane("bloody"), _profane("xcurse"), _profane("bloody")]
    cats = _score(client, _answer([], words)).categories
    assert cats["profanity"] == CategoryScore(PROFANITY_MATCH_SCORE, True, ("bloody", "xcurse"))
    assert not cats["offensive"].flag  # profanity is its own category


def test_slur_terms_language_and_sentiment_come_from_the_embedded_scorer(client) -> None:
    embedded = Embedded()
    result = _score(client, _answer([_filter("HATE", "HIGH")]), embedded)
    assert embedded.calls == [TEXT]
    assert result.lang == "en"
    assert result.categories["slur"] == EMBEDDED_FULL.categories["slur"]
    assert result.categories["hate"].terms == ("vermin",)
    assert result.sentiment == EMBEDDED_FULL.sentiment
    assert result.severe_terms == ("xslur", "xcurse")


def test_an_embedded_report_without_the_new_categories_counts_them_as_zero(client) -> None:
    result = _score(client, _answer([_filter("VIOLENCE", "HIGH")]), Embedded(EMBEDDED_OLD))
    cats = result.categories
    assert cats["slur"] == CategoryScore(0.0, False, ())
    assert cats["gore"] == CategoryScore(0.9, True, ()) == cats["threat"]
    assert cats["violence"] == CategoryScore(0.9, True, ("hurt",))
    assert cats["profanity"] == CategoryScore(0.0, False, ())
    assert result.sentiment.label == "neutral" and result.severe_terms == ()


@pytest.mark.parametrize("lang", ["de", "it", "und"])
def test_languages_the_guardrail_cannot_read_keep_the_embedded_result(client, lang) -> None:
    assert lang not in GUARDRAIL_LANGUAGES
    report = RiskReport(lang, {"offensive": CategoryScore(0.9, True, ("Idioten",))})
    embedded = Embedded(report)
    with Stubber(client):  # no response stubbed: any call would fail the test
        result = GuardrailScorer(client, GUARDRAIL_ID, VERSION, lambda: embedded).scan("Ihr")
    assert result is report and embedded.calls == ["Ihr"]


def test_blank_text_is_not_sent(client) -> None:
    with Stubber(client):
        result = GuardrailScorer(client, GUARDRAIL_ID, VERSION, Embedded).score("   ")
    assert result is EMBEDDED_FULL


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("ThrottlingException", 429),
        ("AccessDeniedException", 403),
        ("ResourceNotFoundException", 404),
    ],
)
def test_an_error_from_bedrock_is_raised_not_swallowed(client, code: str, status: int) -> None:
    with Stubber(client) as stub:
        stub.add_client_error(
            "apply_guardrail",
            service_error_code=code,
            http_status_code=status,
            expected_params=EXPECTED_REQUEST,
        )
        with pytest.raises(ClientError) as raised:
            GuardrailScorer(client, GUARDRAIL_ID, VERSION, Embedded).scan(TEXT)
    assert raised.value.response["Error"]["Code"] == code


def test_a_published_version_and_an_arn_are_passed_through(client) -> None:
    arn = f"arn:aws:bedrock:us-east-1:123456789012:guardrail/{GUARDRAIL_ID}"
    with Stubber(client) as stub:
        stub.add_response(
            "apply_guardrail",
            _answer([_filter("SEXUAL", "NONE")]),
            {**EXPECTED_REQUEST, "guardrailIdentifier": arn, "guardrailVersion": "3"},
        )
        result = GuardrailScorer(client, arn, "3", Embedded).scan(TEXT)
        stub.assert_no_pending_responses()
    assert result.flagged == ["slur"]


# -- wiring ---------------------------------------------------------------------------


@pytest.fixture
def fresh_wiring(monkeypatch):
    from chalicelib import wiring

    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    wiring.reset()
    yield wiring
    wiring.reset()


def test_the_bedrock_setting_builds_a_guardrail_scorer(fresh_wiring, monkeypatch) -> None:
    monkeypatch.setenv("FIREBREAK_SCORER", "bedrock")
    monkeypatch.setenv("FIREBREAK_GUARDRAIL_ID", GUARDRAIL_ID)
    monkeypatch.setenv("FIREBREAK_GUARDRAIL_VERSION", "7")
    scorer = fresh_wiring._triage_scorer()
    assert isinstance(scorer, GuardrailScorer)
    assert isinstance(scorer._client, fresh_wiring.LazyClient)
    assert scorer._client._service == "bedrock-runtime"
    assert scorer._client._client is None  # nothing made, nothing called
    assert (scorer._guardrail_id, scorer._version) == (GUARDRAIL_ID, "7")


def test_bedrock_runtime_resolves_with_the_trimmed_endpoints(fresh_wiring, monkeypatch) -> None:
    assert "bedrock-runtime" in fresh_wiring.AWS_SERVICES
    for region, host in (
        ("eu-central-1", "https://bedrock-runtime.eu-central-1.amazonaws.com"),
        ("us-gov-west-1", "https://bedrock-runtime.us-gov-west-1.amazonaws.com"),
    ):
        monkeypatch.setenv("AWS_DEFAULT_REGION", region)
        fresh_wiring.reset()
        client = fresh_wiring.aws_client("bedrock-runtime")
        assert client.meta.endpoint_url == host
        assert client.meta.service_model.signing_name == "bedrock"


def test_the_trimmed_endpoints_lose_nothing_bedrock_runtime_reads() -> None:
    # bedrock-runtime resolves through its endpoint rule set; botocore's endpoints.json
    # has no entry for it that the trimmed copy could have dropped.
    full = botocore.loaders.Loader().load_data("endpoints")
    assert all("bedrock-runtime" not in p["services"] for p in full["partitions"])
    from chalicelib import wiring

    trimmed = json.loads(Path(wiring.__file__).with_name("botocore_endpoints.json").read_text())
    assert [p["partition"] for p in trimmed["partitions"]] == [
        p["partition"] for p in full["partitions"]
    ]
