"""The embedded scorer on clear examples: categories, language, sentiment, determinism."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from chalicelib.triage import get_scorer, langid
from chalicelib.triage.features import Featurizer, normalize, tokenize
from chalicelib.triage.lexicons import SEXUAL, Lexicon, lexicon_tokens, noisy_or
from chalicelib.triage.risk import RiskReport, RiskScanner
from chalicelib.triage.scorer import CATEGORIES, MODEL_DIR, EmbeddedScorer, Triage
from chalicelib.triage.stack import linear_digest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def scorer() -> EmbeddedScorer:
    return get_scorer()


def test_implements_the_risk_scanner_port(scorer: EmbeddedScorer) -> None:
    port: RiskScanner = scorer
    report = port.scan("Have a lovely weekend, everyone!")
    assert isinstance(report, RiskReport)
    assert set(report.categories) == set(CATEGORIES)
    for cat in report.categories.values():
        assert 0.0 <= cat.score <= 1.0


def test_get_scorer_is_cached(scorer: EmbeddedScorer) -> None:
    assert get_scorer() is scorer


def test_package_import_is_light() -> None:
    code = "import sys, chalicelib.triage; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    "text",
    [
        "Thank you all for coming to our store opening, it was wonderful!",
        "Our new autumn collection is out now. Which colour is your favourite?",
        "Wir freuen uns auf euren Besuch am Samstag in unserer Filiale.",
    ],
)
def test_benign_posts_raise_no_flag(scorer: EmbeddedScorer, text: str) -> None:
    assert scorer.scan(text).flagged == []


def test_profanity_is_offensive_and_severe(scorer: EmbeddedScorer) -> None:
    t = scorer.score("You are a fucking idiot, shut up")
    assert t.categories["offensive"].flag
    assert t.categories["offensive"].score > 0.8
    assert "fucking" in t.categories["offensive"].terms
    assert "fucking" in t.severe_terms


def test_german_insult_uses_german_model(scorer: EmbeddedScorer) -> None:
    t = scorer.score("Du bist ein dummer Hurensohn und ein Arschloch")
    assert t.lang == "de"
    assert t.categories["offensive"].flag
    assert "hurensohn" in t.severe_terms


def test_explicit_sexual_content(scorer: EmbeddedScorer) -> None:
    t = scorer.score("Send nudes, I want to see your tits and suck my dick")
    assert t.categories["sexual"].flag
    assert "send nudes" in t.categories["sexual"].terms
    de = scorer.score("Hier gibt es Nacktbilder und Pornos, komm ficken")
    assert de.categories["sexual"].flag


def test_graphic_violence_and_threats(scorer: EmbeddedScorer) -> None:
    t = scorer.score("I will kill you and slit your throat")
    assert t.categories["violence"].flag
    assert "slit your throat" in t.categories["violence"].terms
    de = scorer.score("Die gehören alle an die Wand gestellt, abknallen sollte man sie")
    assert de.categories["violence"].flag


def test_clinical_mentions_score_lower_than_abusive_ones(scorer: EmbeddedScorer) -> None:
    news = scorer.score("The museum remembers the massacre of 1995.").categories["violence"]
    assert not news.flag
    sex_ed = scorer.score("Our clinic offers advice on sex and contraception.").categories["sexual"]
    assert not sex_ed.flag


def test_the_line_reads_hate_from_the_model_only_when_it_is_sure(scorer: EmbeddedScorer) -> None:
    """For own posts the hate category is the delete line's: the classifier's own flag
    (p >= 0.6, fit to HatEval) is not enough on its own; mention mode keeps it."""
    text = "Mondays should be illegal. Until then we smuggle an extra shot into every latte"
    mention = get_scorer("mention").score(text).categories["hate"]
    assert mention.flag and mention.score < 0.8, mention
    assert not scorer.score(text).categories["hate"].flag


def test_the_hate_model_reads_a_post_without_its_idioms(scorer: EmbeddedScorer) -> None:
    # "Faggots and peas" is a British dish: the line takes the idiom out, and the hate
    # model alone (sure of "faggots" on its own) reads the rest.
    dish = "Faggots and peas on the lunch menu today, proper Black Country food."
    assert not scorer.score(dish).categories["hate"].flag
    assert get_scorer("mention").score(dish).categories["hate"].flag
    assert scorer.score("You f4gg0ts are ruining this city").categories["hate"].flag


def test_disguised_slurs_count_as_hate_too(scorer: EmbeddedScorer) -> None:
    assert scorer.score("sold out again thanks to the ch!nks").categories["hate"].flag


def test_slurs_count_as_hate(scorer: EmbeddedScorer) -> None:
    t = scorer.score("get out of here you filthy kike")
    assert t.categories["hate"].flag
    assert "kike" in t.categories["hate"].terms


def test_group_hate_flags(scorer: EmbeddedScorer) -> None:
    t = scorer.score("Illegal immigrants are invaders, send them all back, build the wall")
    assert t.categories["hate"].score > 0.5


def test_sentiment(scorer: EmbeddedScorer) -> None:
    pos = scorer.score("I love this, best day ever, thank you so much!").sentiment
    neg = scorer.score("This is terrible, worst service ever, I hate it").sentiment
    assert pos.label == "positive"
    assert neg.label == "negative"
    assert set(pos.scores) == {"negative", "neutral", "positive"}
    assert abs(sum(pos.scores.values()) - 1.0) < 1e-3
    de = scorer.score("Das war wirklich super, vielen Dank!").sentiment
    assert de.label == "positive"


def test_empty_text_is_neutral_and_unflagged(scorer: EmbeddedScorer) -> None:
    for text in ("", "   "):
        t = scorer.score(text)
        assert t.flagged == []
        assert t.sentiment.label == "neutral"
        assert t.lang == "und"


def test_same_input_same_scores(scorer: EmbeddedScorer) -> None:
    texts = ["You are a fucking idiot", "Schöner Tag heute!", "kill them all", ""]
    first = [t.to_json() for t in scorer.score_many(texts)]
    again = [scorer.score(t).to_json() for t in texts]
    fresh = [t.to_json() for t in EmbeddedScorer().score_many(texts)]
    assert first == again == fresh


def test_scores_are_stable_across_processes() -> None:
    code = (
        "import json; from chalicelib.triage import get_scorer;"
        "t = get_scorer().score('what a stupid bloody mess');"
        "print(json.dumps(t.to_json(), sort_keys=True))"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outs) == 1


def test_batch_equals_single(scorer: EmbeddedScorer) -> None:
    texts = [f"post number {i}, you idiot" if i % 3 else "lovely" for i in range(20)]
    assert [t.to_json() for t in scorer.score_many(texts)] == [
        scorer.score(t).to_json() for t in texts
    ]
    assert scorer.score_many([]) == []


def test_triage_json_shape(scorer: EmbeddedScorer) -> None:
    t = scorer.score("hello")
    assert isinstance(t, Triage)
    js = t.to_json()
    assert set(js) == {"lang", "sentiment", *CATEGORIES}
    assert set(js["offensive"]) == {"score", "flag", "terms"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("@someone This is the worst customer service I have ever had", "en"),
        ("Ich habe heute keine Lust mehr, das ist doch alles Mist", "de"),
        ("Merci pour votre message, nous sommes très contents", "fr"),
        ("Gracias por todo, es muy bonito y para nosotros", "es"),
        ("Это очень хорошо", "ru"),
        ("今日はとても良い天気ですね", "ja"),
        ("😂😂👍", "und"),
        ("", "und"),
    ],
)
def test_language(text: str, lang: str) -> None:
    assert langid.detect(text) == lang


def test_featurizer_is_deterministic_and_bounded() -> None:
    fz = Featurizer(bits=12)
    a = fz.featurize("Hello World #Test http://x.y @bob sooooo")
    b = Featurizer(bits=12).featurize("Hello World #Test http://x.y @bob sooooo")
    assert a == b
    assert all(0 <= i < 4096 for i in a[0])
    assert tokenize(normalize("Sooooo @bob https://t.co/x")) == ["soo", "@user", "httpurl"]


def test_bigram_ids_are_the_hash_of_the_pair() -> None:
    # ids() runs CRC-32 on from the previous token's cached state; the committed
    # weights were trained on the hash of the whole "prev tok" string.
    import zlib

    from chalicelib.triage.features import _SEED_BIGRAM

    fz = Featurizer(bits=12)
    tokens = tokenize(normalize("Straße 🔥 #Ärger, we're back!! #Ärger"))
    pairs = zip(["<s>", *tokens], [*tokens, "</s>"], strict=True)
    bigrams = {zlib.crc32(f"{a} {b}".encode(), _SEED_BIGRAM) & fz.mask for a, b in pairs}
    unigrams = {i for tok in tokens for i in fz.token_ids(tok)[0]}
    words, chars = fz.ids(tokens)
    assert set(words) == bigrams | unigrams
    assert set(chars) == {i for tok in tokens for i in fz.token_ids(tok)[1]}
    # No tokens: the one bigram of the empty sentence.
    assert fz.ids([]) == ([zlib.crc32(b"<s> </s>", _SEED_BIGRAM) & fz.mask], [])


def test_lexicon_matching() -> None:
    lex = Lexicon(SEXUAL)
    hits = lex.match(lexicon_tokens("Pornhub videos and a BLOWJOBS list, send nudes"))
    terms = [h.term for h in hits]
    assert "pornhub" in terms and "blowjobs" in terms and "send nudes" in terms
    assert lex.match(lexicon_tokens("a perfectly clean sentence")) == []
    assert noisy_or([]) == 0.0
    assert 0.9 < noisy_or(hits) <= 1.0


class _CountingEncoder:
    """Wraps the real encoder and records which texts it was asked to read."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.seen: list[str] = []

    def run(self, texts: Sequence[str]) -> Any:
        self.seen += list(texts)
        return self.inner.run(texts)

    def read(self, texts: Sequence[str]) -> Any:
        self.seen += list(texts)
        return self.inner.read(texts)


def test_encoder_reads_english_but_not_german() -> None:
    scorer = EmbeddedScorer(line=False)
    spy = _CountingEncoder(scorer.encoder)
    scorer.encoder = spy  # type: ignore[assignment]
    scorer.score_many(["you are a total clown", "Du bist ein Vollidiot, halt die Klappe", ""])
    assert spy.seen == ["you are a total clown"]


def test_cascade_asks_the_encoder_only_when_the_linear_model_is_unsure() -> None:
    cascade, on, off = EmbeddedScorer(cascade=True), EmbeddedScorer(), EmbeddedScorer(encoder=False)
    spy = _CountingEncoder(cascade.encoder)
    cascade.encoder = spy  # type: ignore[assignment]
    unsure = ["liberals are at it again", "this team is a joke"]
    sure = [
        "Thank you all for coming to our store opening, it was wonderful!",
        "You are a fucking idiot, shut up",
        "what a day",
    ]
    got = cascade.score_many(sure + unsure)
    assert spy.seen == unsure
    # Inside the band the cascade is the full stack; outside, the linear model.
    for text, t in zip(sure + unsure, got, strict=True):
        expected = on.score(text) if text in unsure else off.score(text)
        assert t.categories["offensive"] == expected.categories["offensive"], text
        assert t.sentiment == expected.sentiment, text


def test_encoder_stack_was_fit_against_the_committed_linear_model() -> None:
    cfg = json.loads((MODEL_DIR / "encoder" / "encoder.json").read_text("utf-8"))
    assert cfg["linear_model"] == linear_digest(MODEL_DIR), (
        "the linear model changed since the encoder stack was fit: "
        "run bench/triage/calibrate_encoder.py"
    )


def test_encoder_off_is_the_linear_model() -> None:
    off = EmbeddedScorer(encoder=False)
    assert off.encoder is None
    text = "you people are pathetic, worst service ever"
    tokens = [tokenize(normalize(text))]
    head = off.heads["en"]["offensive"]
    p_linear = off._prob(head, off.linear_logits(tokens)[0])
    assert off.score(text).categories["offensive"].score == round(p_linear, 4)


def test_unknown_encoder_mode_is_named() -> None:
    with pytest.raises(ValueError, match="on, cascade, off or mention, not 'fast'"):
        get_scorer("fast")


def test_encoder_changes_english_offensive_and_sentiment_only() -> None:
    on, off = EmbeddedScorer(line=False), EmbeddedScorer(encoder=False, line=False)
    text = "you people are pathetic, worst service ever"
    a, b = on.score(text), off.score(text)
    assert a.categories["hate"] == b.categories["hate"]
    assert a.categories["offensive"].score != b.categories["offensive"].score
    assert a.sentiment.scores != b.sentiment.scores
    german = "Wir freuen uns auf euren Besuch am Samstag."
    assert on.score(german) == off.score(german)


def test_sentiment_offsets_lean_the_encoder_mix_away_from_neutral() -> None:
    """encoder.json's offsets (fit on SemEval dev for macro-recall) are added to the mix's
    log-probabilities: with them a text gets more negative and positive probability
    than the same mix without them."""
    import dataclasses

    scorer = EmbeddedScorer()
    assert scorer.stack is not None
    assert scorer.stack.sentiment_offsets[0] > 0 and scorer.stack.sentiment_offsets[1] == 0
    plain = EmbeddedScorer()
    assert plain.stack is not None
    plain.stack = dataclasses.replace(plain.stack, sentiment_offsets=(0.0, 0.0, 0.0))
    text = "the queue was long this morning"
    leaning, flat = scorer.score(text).sentiment.scores, plain.score(text).sentiment.scores
    assert leaning["neutral"] < flat["neutral"]
    assert leaning["negative"] > flat["negative"]


def test_sentiment_offsets_need_three_values() -> None:
    from chalicelib.triage.stack import three

    assert three([1, 0, 0.5]) == (1.0, 0.0, 0.5)
    with pytest.raises(ValueError, match="3 values"):
        three([1.0, 0.5])


def test_batch_equals_single_for_empty_and_emoji_only_texts(scorer: EmbeddedScorer) -> None:
    texts = ["", "😂😂😂", "!!!", "kill them all", "Schöner Tag heute!"]
    batch = [t.to_json() for t in scorer.score_many(texts)]
    assert batch == [scorer.score(t).to_json() for t in texts]
