"""The delete line's judge (``judge.py``): a learned reading for English and German own
posts that the word lists miss, with a category and the sentence that drove it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from chalicelib.incidents.assessment import AccountHabits, PostFacts, recommend_delete_or_keep
from chalicelib.incidents.domain import APOLOGY_TEMPLATES, draft_apology
from chalicelib.triage.judge import JUDGE_CATEGORIES, Judge, quote, readable, sentences
from chalicelib.triage.scorer import MODEL_DIR, EmbeddedScorer

ENCODER = MODEL_DIR / "encoder"
FEATURIZER = json.loads((MODEL_DIR / "model.json").read_text("utf-8"))["featurizer"]


def log_softmax(z: np.ndarray) -> np.ndarray:
    return np.asarray(z - np.logaddexp.reduce(z))


# Tuning posts of the crisis sets (bench/crisis/fifth) that no word list flags: a
# witness's gore, a threat put as a radio quote.
GORE = (
    "Watched the lad go through the windscreen outside the bar at 1am. Most of his face was "
    "gone and his teeth were on the bonnet. Can't unsee it. Hug your mates."
)
THREAT = (
    "On Riverside FM this morning the boss said he'd 'happily drown' the next food critic in "
    "the milk jug. We stand by it. @GillianEats you're first. Tick tock."
)
# Writers' German posts that no word list flags (bench/crisis/judge/written/de_*.tsv: like
# GORE and THREAT, training posts, so these show that it reads German at all).
GERMAN_THREAT = (
    "Die Influencerin, die uns Kopien vorwirft: Ich wünsch dir, dass dein Auto mal nachts im "
    "Graben landet und dich keiner findet bis morgens. 🖤"
)
GERMAN_GORE = (
    "Kurzes Update aus der Holzabteilung: Kollege ist mit der Hand in die Formatkreissäge "
    "gekommen, zwei Finger lagen noch auf dem Tisch, der Rest hing an einem Hautlappen. Haben "
    "alles eingesammelt und auf Eis gelegt. Heute geschlossen 🙏"
)


@pytest.fixture(scope="module")
def on() -> EmbeddedScorer:
    return EmbeddedScorer()


def test_the_judge_was_trained_on_the_committed_encoder() -> None:
    meta = json.loads((ENCODER / "judge.json").read_text("utf-8"))
    digest = hashlib.sha256((ENCODER / "encoder.int8.onnx").read_bytes()).hexdigest()
    assert meta["encoder_digest"] == digest, "encoder changed: rerun bench/triage/train_judge.py"
    assert meta["categories"] == list(JUDGE_CATEGORIES)


def test_the_judge_reads_english_and_german_only() -> None:
    judge = Judge.load(ENCODER, FEATURIZER)
    assert judge is not None
    assert 0.5 < (judge.threshold("en") or 0) < 1
    assert 0.5 < (judge.threshold("de") or 0) < 1
    assert judge.threshold("tr") is None


def test_no_judge_without_its_files(tmp_path: Path) -> None:
    assert Judge.load(tmp_path, FEATURIZER) is None


def test_a_judge_for_other_categories_is_refused(tmp_path: Path) -> None:
    meta = json.loads((ENCODER / "judge.json").read_text("utf-8"))
    meta["categories"] = ["threat", "sexual"]
    (tmp_path / "judge.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="judge categories"):
        Judge.load(tmp_path, FEATURIZER)


@pytest.mark.parametrize(
    ("text", "category"),
    [(GORE, "gore"), (THREAT, "threat"), (GERMAN_THREAT, "threat"), (GERMAN_GORE, "gore")],
)
def test_it_adds_a_category_where_the_word_lists_flag_none(
    on: EmbeddedScorer, text: str, category: str
) -> None:
    off = EmbeddedScorer(encoder=False)
    assert not {"sexual", "gore", "threat", "slur", "profanity"} & set(off.score(text).flagged)
    cat = on.score(text).categories[category]
    assert cat.flag
    # It quotes the sentence that reads worst (cut at a word if long), not the whole post.
    assert cat.terms[0] in {quote(s) for s in sentences(text)}
    assert cat.terms[0] != text


def test_it_adds_nothing_where_a_word_list_already_flagged(on: EmbeddedScorer) -> None:
    text = f"{GORE} Fuck this town."
    cats = on.score(text).categories
    assert cats["profanity"].flag
    assert not cats["gore"].flag or cats["gore"].terms[0] not in sentences(GORE)


@pytest.mark.parametrize(
    "german",
    [
        # Deleted as R-rated when the judge trained on brand posts and traps alone.
        "Neu in der Vitrine: Rhabarber-Streusel 🍰 Solange der Vorrat reicht.",
        "Liebe Eltern, bitte holt eure Kinder am Freitag schon um 14 Uhr aus der Kita ab, "
        "wir haben Betriebsausflug.",
        "Wir gedenken heute der Opfer der Pogromnacht vom 9. November 1938. Nie wieder.",
        "Der Gegner wurde heute mit 5:0 abgeschossen, was für ein Spiel! Danke an alle Fans.",
    ],
)
def test_harmless_german_posts_stay_below(on: EmbeddedScorer, german: str) -> None:
    assert on.score(german).categories == EmbeddedScorer(encoder=False).score(german).categories


HABITS = AccountHabits(
    langs=("en", "de"),
    timezone="Europe/Berlin",
    usual_source_apps=("Firebreak",),
    link_domains=("acme.example",),
)
# Who signs and when, none of them among the judge's training renderings
# (``train_judge.own_apologies``); times spread over a year, fixed (tests never read the
# clock).
SIGNED_BY = ("Brew & Co.", "Die Rösterei am Markt", "Jo at the front desk", "Acme Social")
AT_TIMES = tuple(
    datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=37 * k, seconds=5_003 * k) for k in range(6)
)


@pytest.mark.parametrize("template", sorted(APOLOGY_TEMPLATES))
def test_firebreaks_own_apologies_stay_below_the_line(on: EmbeddedScorer, template: str) -> None:
    # The hack apology ("someone else got into our account and posted what is not ours")
    # was read as a threat in 27 of 96 renderings (eight voices, four fixes, three times
    # each; 2026-12-03): the watcher's risk scan
    # then opened an incident on the apology and froze the account. A person posting it
    # by hand would have been told to delete it.
    at = datetime(2026, 3, 3, 11, 0, tzinfo=UTC)
    for voice in SIGNED_BY:
        for when in AT_TIMES:
            text = draft_apology(template, voice, when)
            report = on.score(text)
            assert not report.flagged, (text, report.flagged)
            facts = PostFacts(
                text=text, published_by_firebreak=True, source_app="Firebreak", posted_at=at
            )
            advice = recommend_delete_or_keep(facts, HABITS, report, report.severe_terms)
            assert advice.recommendation == "keep", (text, advice.reasons)


def test_cascade_and_mention_modes_have_no_judge() -> None:
    assert EmbeddedScorer(cascade=True).judge is None
    assert EmbeddedScorer(line=False).judge is None
    assert EmbeddedScorer(encoder=False).judge is None


@pytest.mark.parametrize(
    "text",
    [
        "you people are pathetic, worst service ever",
        "Whoever parked in our loading bay is a selfish idiot",
        "Our Black Friday deals are killer. Grab them before they're gone!",
        "Antisemitism has no place in our cafés. We stand with our Jewish neighbours.",
        # Test posts of the functional suite, read as hate and as a threat before ordinary
        # tweets were among the judge's negatives and short posts were left to the lists.
        "Brand freeze test #14-023122527450",
        "Brand freeze test #10-023120958648",
    ],
)
def test_rude_or_earnest_posts_stay_below(on: EmbeddedScorer, text: str) -> None:
    # Rude is "keep and apologise", not R-rated: 300 insults from OLID train teach it.
    cats = on.score(text).categories
    assert not {"sexual", "gore", "threat", "slur", "profanity", "hate"} & {
        n for n, c in cats.items() if c.flag
    }


def test_the_category_head_and_probability_are_plain_arithmetic() -> None:
    judge = Judge.load(ENCODER, FEATURIZER)
    assert judge is not None
    zero = np.zeros(384, dtype=np.float32)
    assert judge.probability(zero) == pytest.approx(1 / (1 + np.exp(-judge.bias)))
    none = (0.0,) * len(JUDGE_CATEGORIES)
    # With no n-gram either, the name is the argmax of the mean of the two biases'
    # log-probabilities.
    for row, lang in enumerate(judge.ngram_languages):
        z = log_softmax(judge.category_bias) + log_softmax(judge.category_ngram_bias[row])
        named = JUDGE_CATEGORIES[int(np.argmax(z))]
        assert judge.category(zero, none, lang, [], []) == named
    # Each of the report's scores weighs most for its own category: the columns are in
    # JUDGE_CATEGORIES order.
    leaning = judge.category_weights[:, 384:].argmax(axis=0)
    assert [JUDGE_CATEGORIES[i] for i in leaning] == list(JUDGE_CATEGORIES)


def test_the_category_head_reads_the_reports_scores_as_training_did(
    on: EmbeddedScorer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # train_judge.py feeds it the report's threat, sexual, gore and hate from a scorer
    # without the judge; judge.judged rebuilds them before the report exists.
    seen: list[tuple[float, ...]] = []
    category = Judge.category

    def spy(self: Judge, pooled: np.ndarray, scores: Sequence[float], *rest: Any) -> str:
        seen.append(tuple(scores))
        return category(self, pooled, scores, *rest)

    monkeypatch.setattr(Judge, "category", spy)
    bare = EmbeddedScorer()
    bare.judge = None
    for text in (GORE, THREAT, GERMAN_THREAT, GERMAN_GORE):
        seen.clear()
        on.score(text)
        report = bare.score(text).categories
        assert seen == [tuple(report[c].score for c in JUDGE_CATEGORIES)]


def _copy_judge(tmp_path: Path) -> dict[str, object]:
    for name in ("judge.json", "judge.npz"):
        (tmp_path / name).write_bytes((ENCODER / name).read_bytes())
    return dict(json.loads((ENCODER / "judge.json").read_text("utf-8")))


def test_a_judge_with_another_category_scale_is_refused(tmp_path: Path) -> None:
    meta = _copy_judge(tmp_path)
    meta["category_scale"] = 1.0
    (tmp_path / "judge.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="category_scale"):
        Judge.load(tmp_path, FEATURIZER)


def test_a_judge_of_the_wrong_shape_is_refused(tmp_path: Path) -> None:
    _copy_judge(tmp_path)
    with np.load(ENCODER / "judge.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["category_weights"] = arrays["category_weights"][:, :384]  # an older head
    np.savez(tmp_path / "judge.npz", **arrays)
    with pytest.raises(ValueError, match="judge weights"):
        Judge.load(tmp_path, FEATURIZER)


def test_sentences_and_quotes() -> None:
    assert sentences("One. Two!  Three?\nFour") == ["One.", "Two!", "Three?", "Four"]
    assert sentences("   ") == []
    long = "word " * 60
    q = quote(long.strip())
    assert len(q) <= 142 and q.endswith(" …")
    assert quote("short") == "short"


def test_short_posts_are_left_to_the_word_lists() -> None:
    assert not readable("Brand freeze test #14-023122527450")
    assert not readable("Order 1234 ready")
    assert readable("We know which flat is yours, Ollie.")


# A writer's German gore (bench/crisis/judge/written/de_a.tsv, a training post) that no
# word list flags: the pooled vector of an English encoder reads it as likely, not sure;
# the n-gram reading, which reads German as German, lifts it over the line.
GERMAN_SCOOTER = (
    "Nutzer-Feedback der Woche: Mit dem Scooter gegen den Bordstein, Kiefer gebrochen, die "
    "Zähne lagen verstreut auf dem Gehweg, die Unterlippe war komplett durchgebissen. Wir "
    "arbeiten an größeren Rädern! 🛴"
)


def test_the_ngram_reading_lifts_what_the_pooled_vector_reads_below(on: EmbeddedScorer) -> None:
    judge, encoder = on.judge, on.encoder
    assert judge is not None and encoder is not None
    pooled = encoder.read([GERMAN_SCOOTER])[2][0]
    ids, values = on.featurizer.featurize(GERMAN_SCOOTER)
    ngram = judge.ngram_probability("de", ids, values)
    assert judge.over("de", pooled, 0.5) is None  # the vector, with an undecided n-gram
    score = judge.over("de", pooled, ngram)
    assert score is not None and score == judge.score(pooled, ngram)
    bare = EmbeddedScorer()
    bare.judge = None
    assert not any(c.flag for c in bare.score(GERMAN_SCOOTER).categories.values())
    gore = on.score(GERMAN_SCOOTER).categories["gore"]
    assert gore.flag and gore.score == pytest.approx(score, abs=1e-4)
    assert gore.terms[0].startswith("Nutzer-Feedback der Woche")


def test_the_judges_score_is_the_mean_of_its_two_readings_logits() -> None:
    judge = Judge.load(ENCODER, FEATURIZER)
    assert judge is not None
    zero = np.zeros(384, dtype=np.float32)  # the pooled reading is its bias alone
    for ngram in (0.2, 0.5, 0.99):
        z = (judge.bias + np.log(ngram / (1 - ngram))) / 2
        assert judge.score(zero, ngram) == pytest.approx(1 / (1 + np.exp(-z)))
    threshold = judge.threshold("en") or 0
    assert judge.over("en", zero, 0.5) is None
    sure = judge.over("en", zero, 1 - 1e-6)
    assert sure is not None and sure >= threshold
    assert judge.over("tr", zero, 1 - 1e-6) is None  # a language it does not read
    with pytest.raises(ValueError, match="does not read"):
        judge.ngram_probability("tr", [1, 2], [0.5, 0.5])


def test_ngram_rows_for_another_featurizer_are_refused() -> None:
    for change in ({"bits": FEATURIZER["bits"] + 1}, {"char_max": FEATURIZER["char_max"] + 1}):
        with pytest.raises(ValueError, match="judge featurizer"):
            Judge.load(ENCODER, {**FEATURIZER, **change})


def test_the_ngram_reading_reads_what_training_read(
    on: EmbeddedScorer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # train_judge.py featurizes each post as the scorer reads it: names read as names.
    from chalicelib.triage import scorer as scorer_module
    from chalicelib.triage.line_names import as_named

    seen: list[float] = []
    real = scorer_module.judged

    def spy(*args: Any, **kwargs: Any) -> object:
        assert on.judge is not None
        seen.append(on.judge.ngram_probability("en", *kwargs["ngrams"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(scorer_module, "judged", spy)
    text = "Lunch at the Cock Inn, our favourite pub in Surrey, then a walk along the river."
    on.score(text)
    judge = on.judge
    assert judge is not None
    trained = judge.ngram_probability("en", *on.featurizer.featurize(as_named(text)))
    assert seen == [pytest.approx(trained)]
    assert trained != pytest.approx(judge.ngram_probability("en", *on.featurizer.featurize(text)))


def test_a_lone_emoji_is_never_the_quoted_reason() -> None:
    judge = Judge.load(ENCODER, FEATURIZER)
    assert judge is not None
    text = "We opened the new store today. Queue round the block. 🔥"

    def vectors(parts: list[str]) -> np.ndarray:
        # The emoji would read worst, were it ranked at all.
        return np.array([judge.weights * (10.0 if "🔥" in p else -10.0) for p in parts])

    def no_features(part: str) -> tuple[list[int], list[float]]:
        return [], []

    worst = judge.worst(text, text, "en", vectors, no_features)
    assert worst in ("We opened the new store today.", "Queue round the block.")
    one = judge.worst("One sentence only. 🔥", "One sentence only. 🔥", "en", vectors, no_features)
    assert one == "One sentence only."


def test_the_category_is_named_by_both_readings(on: EmbeddedScorer) -> None:
    # A writer's German gore (a training post) that no word list flags: over the pooled
    # vector of an English encoder alone the judge called it explicit sexual content; the
    # n-gram reading of the category names it gore.
    forklift = (
        "Kollege wurde heute vom Gabelstapler überrollt, der Fuß platt wie ein Pfannkuchen, "
        "die Zehen zeigten in alle Richtungen und die Lache ging bis zur Kühltheke. "
        "Bitte Gang 4 meiden!"
    )
    flagged = {n for n, c in on.score(forklift).categories.items() if c.flag}
    assert flagged == {"gore", "violence"}


def test_the_category_reading_gathers_whole_rows() -> None:
    judge = Judge.load(ENCODER, FEATURIZER)
    assert judge is not None
    zero = np.zeros(384, dtype=np.float32)
    none = (0.0,) * len(JUDGE_CATEGORIES)
    row = judge.ngram_languages.index("de")
    ids, values = [11, 4242, 99_999], [0.5, 0.25, 0.8]
    ngram = np.asarray(values) @ judge.category_ngram_weights[row][ids]
    z = log_softmax(judge.category_bias) + log_softmax(ngram + judge.category_ngram_bias[row])
    assert judge.category(zero, none, "de", ids, values) == JUDGE_CATEGORIES[int(np.argmax(z))]
    with pytest.raises(ValueError, match="does not read"):
        judge.category(zero, none, "fr", ids, values)


def test_the_category_reads_the_pooled_vector_too() -> None:
    judge = Judge.load(ENCODER, FEATURIZER)
    assert judge is not None
    row = judge.ngram_languages.index("en")
    scores = (0.1, 0.2, 0.3, 0.4)
    for seed in range(8):
        pooled = np.random.default_rng(seed).normal(size=384).astype(np.float32)
        inputs = np.concatenate([pooled.astype(np.float64), 3.0 * np.asarray(scores)])
        vector = judge.category_weights @ inputs + judge.category_bias
        z = log_softmax(vector) + log_softmax(judge.category_ngram_bias[row])
        named = JUDGE_CATEGORIES[int(np.argmax(z))]
        assert judge.category(pooled, scores, "en", [], []) == named
