"""The delete line's judge (``judge.py``): a learned reading for English and German own
posts that the word lists miss, with a category and the sentence that drove it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from chalicelib.triage.judge import JUDGE_CATEGORIES, Judge, quote, readable, sentences
from chalicelib.triage.scorer import MODEL_DIR, EmbeddedScorer

ENCODER = MODEL_DIR / "encoder"
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
# Writers' German posts (bench/crisis/judge/written/de_*.tsv) that no word list flags.
GERMAN_THREAT = (
    "Unser ehemaliger Lieferant Hof Wendt hat uns verklagt. Ich hoffe ehrlich, der Mann gerät "
    "mal in seine eigene Ballenpresse. Wäre ein gerechtes Ende. 🌾"
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
    judge = Judge.load(ENCODER)
    assert judge is not None
    assert 0.5 < (judge.threshold("en") or 0) < 1
    assert 0.5 < (judge.threshold("de") or 0) < 1
    assert judge.threshold("tr") is None


def test_no_judge_without_its_files(tmp_path: Path) -> None:
    assert Judge.load(tmp_path) is None


def test_a_judge_for_other_categories_is_refused(tmp_path: Path) -> None:
    meta = json.loads((ENCODER / "judge.json").read_text("utf-8"))
    meta["categories"] = ["threat", "sexual"]
    (tmp_path / "judge.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="judge categories"):
        Judge.load(tmp_path)


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
    said = cat.terms[0].removesuffix(" …")
    assert any(s.startswith(said) for s in sentences(text))
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
    judge = Judge.load(ENCODER)
    assert judge is not None
    zero = np.zeros(384, dtype=np.float32)
    assert judge.probability(zero) == pytest.approx(1 / (1 + np.exp(-judge.bias)))
    none = (0.0,) * len(JUDGE_CATEGORIES)
    assert judge.category(zero, none) == JUDGE_CATEGORIES[int(np.argmax(judge.category_bias))]
    # The line's own scores lean the name: a post the threat list nearly flagged.
    leaning = judge.category_weights[:, 384:].argmax(axis=0)
    assert [JUDGE_CATEGORIES[i] for i in leaning] == list(JUDGE_CATEGORIES)


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
