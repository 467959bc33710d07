"""The mention stream's mode: the same offensive, hate and sentiment as the linear
models, the four fast categories, and the words behind a score only for a flag."""

from __future__ import annotations

import pytest

from chalicelib.triage import MENTION_MODE, get_scorer


@pytest.fixture(scope="module")
def mention():
    return get_scorer(MENTION_MODE)


def test_mention_mode_reads_four_categories_and_sentiment(mention) -> None:
    t = mention.score("@acme_demo your coffee is fucking awful, worst shop in town")
    assert set(t.categories) == {"offensive", "hate", "sexual", "violence"}
    assert t.categories["offensive"].flag and t.categories["offensive"].terms
    assert t.sentiment.label == "negative"
    assert set(t.to_json()) == {"lang", "offensive", "hate", "sexual", "violence", "sentiment"}


def test_mention_mode_agrees_with_the_linear_models(mention) -> None:
    off = get_scorer("off")
    for text in (
        "@acme_demo love the new winter blend!",
        "@acme_demo eure Kasse ist schon wieder kaputt, echt nervig",
        "@acme_demo you are all idiots",
    ):
        a, b = mention.score(text), off.score(text)
        assert a.lang == b.lang
        assert a.categories["offensive"].score == b.categories["offensive"].score
        assert a.categories["hate"].score == b.categories["hate"].score
        assert a.sentiment == b.sentiment


def test_mention_mode_names_words_only_for_a_flag(mention) -> None:
    calm = mention.score("@acme_demo when do you open on Sunday?")
    assert not calm.categories["offensive"].flag
    assert calm.categories["offensive"].terms == ()


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="on, cascade, off or mention"):
        get_scorer("fast")
