"""Train the delete line's judge (``chalicelib/triage/judge.py``) on the shipped encoder.

    python bench/triage/train_judge.py     # ~1 min on one core

Data, all committed:

- the crisis sets' tuning posts (``bench/crisis``: the dev halves of ``posts.jsonl`` and
  ``fresh/``, and ``extra/``, ``third/`` … ``seventh/``), hacks left out (the hack signs
  judge those): delete = 1, keep = 0;
- harmless posts built to sound violent, sexual or hateful: the delete line's trap tests
  (``tests/unit/triage/test_line_traps.py``, ``test_line_menace.py``) and the remembrance
  posts of ``test_line_remembrance.py``: 0;
- reviewers' menaces and offers (``bench/crisis/judge/``), hateful posts that borrow
  the words of remembrance or condemnation (``test_line_remembrance.py``) and hate dressed
  as a report of hate (``test_line_reports.py``, since the eighth session): 1;
- 5,400 posts by twenty-seven writers who were asked for deletes a keyword filter would
  miss and keeps in the same words (``bench/crisis/judge/written/``, ten English,
  seventeen German; 100 delete and 100 keep each; ``en_e``, ``en_f``, ``de_e`` and
  ``de_f`` held out until 2026-12-02, seventh session; ``en_h``, ``en_i``, ``en_k``,
  ``en_l``, ``de_h`` … ``de_l`` and ``de_n`` … ``de_s`` since the eighth), as labelled;
- 300 rude OLID tweets the line does not flag and 2,000 ordinary tweets (OLID not
  offensive, SemEval 2017), never from a dev split, and 593 everyday brand posts by two
  writers (``bench/crisis/judge/mundane_*.txt``: opening hours, weather, a manager's
  "can u grab milk" posted on the wrong account), 300 statements a brand posts after an
  incident by one more writer (``statements_*.txt``: "someone got into our account",
  phishing warnings, breach notices; 2026-12-03) and 72 renderings of Firebreak's own
  apology templates (``own_apologies``): 0. These do not set the threshold.

Never the held-out halves, the blind sets, the probes or the held-out writers
(``bench/crisis/held_writers/``). Two readings say delete or keep: a logistic regression
(C 0.1, classes balanced) over the encoder's pooled vector, and one per language over the
linear models' hashed word and char n-grams (C 64; German with 1,000 harmless GermEval
comments beside the posts). The judge's score is the mean of their logits; its threshold
is the out-of-fold score (5 folds, each writer's posts in one, ``writer_folds``) above
which a set share of a language's harmless brand posts fall (``HARMLESS_ABOVE``).
It reads English and German posts (``LANGUAGES``), each with its own threshold. A
multinomial regression over the deletes of the four judge categories reads the category
from the pooled vector and the report's scores for those categories (at run time below
their flags: the judge only speaks where the lists flagged nothing), and one per language
from the n-grams; the name is the argmax of the mean of their log-probabilities. Writes
``judge.npz`` and ``judge.json`` beside the encoder.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
from scipy import sparse  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "crisis"))
sys.path.insert(0, str(ROOT / "bench" / "triage"))

import data  # noqa: E402
from evaluate import FRESH, HERE, TUNING_FOLDERS, load_folder  # noqa: E402
from split import load, split  # noqa: E402
from train_encoder import DEV_FRACTION  # noqa: E402
from train_encoder import SEED as SEED_DEV  # noqa: E402

from chalicelib.incidents.domain import APOLOGY_TEMPLATES, draft_apology  # noqa: E402
from chalicelib.triage import langid  # noqa: E402
from chalicelib.triage.encoder import ENCODER_DIR, Encoder  # noqa: E402
from chalicelib.triage.judge import (  # noqa: E402
    CATEGORY_SCALE,
    JUDGE_CATEGORIES,
    category_inputs,
    combined,
)
from chalicelib.triage.line import line_categories  # noqa: E402
from chalicelib.triage.line_names import as_named  # noqa: E402
from chalicelib.triage.scorer import EmbeddedScorer  # noqa: E402
from tests.unit.triage import test_line_menace as menace  # noqa: E402
from tests.unit.triage import test_line_remembrance as remembrance  # noqa: E402
from tests.unit.triage import test_line_reports as reports  # noqa: E402
from tests.unit.triage import test_line_traps as traps  # noqa: E402

C = 0.1
# The category head, scored 5-fold on the training deletes no word list flags (779; the
# judge speaks only on such posts): over the pooled vector alone 80.2 % named right
# (English 87.5, German 73.2) at C 0.1, 80.5 % at C 1; with the report's four scores
# beside it 81.9 % (87.2, 76.8) at C 0.1, 81.0 % at C 1. Trained on every delete: on the
# flagged ones the scores name the category themselves (2026-12-02, fifth session).
CATEGORY_C = 0.1
# The category's n-gram reading, one multinomial regression per language over the same
# hashed n-grams, trained on every delete of that language; the name is the argmax of
# the mean log-probability of both readings. 5-fold on the training deletes no list flags
# (774), named right, English / German: pooled vector and scores 87.0 / 76.8 %; n-grams
# alone 88.1 / 87.1, 89.2 / 87.9, 89.4 / 88.9 at C 1 / 4 / 16; both 91.3 / 87.1, 92.3 /
# 90.2, 92.6 / 90.4 at C 1 / 4 / 16 (2026-12-02, seventh session). The pooled vector had
# named a German forklift accident sexual content.
CATEGORY_NGRAM_C = 16.0
RUDE = 300
# Out of the same pool, 500 / 1,000 / 2,000 ordinary tweets gave 18.6 / 14.7 / 18.9 %
# recall on the tuning deletes out of fold and flagged 0.5 / 0.2 / 0.2 % of OLID's val
# tweets that are not offensive (never trained on): 2,000, for the same recall.
ORDINARY = 2000
# The languages the judge reads, each with its own threshold. German since the written
# sets (2026-12-02, fifth session): trained on brand posts and traps alone, it deleted
# "Neu in der Vitrine: Rhabarber-Streusel 🍰" and a note to pick a child up from the
# Kita; with the writers' German posts it does not (``HARMLESS_ABOVE`` for its figures).
LANGUAGES = ("en", "de")
# The share of a language's harmless brand posts allowed above its threshold out of fold.
# Chosen on the writers' posts, each writer scored by a judge trained without them (the
# other seven and everything else, the everyday posts among the negatives; 2026-12-02,
# fifth session): deletes the lists missed caught / keeps deleted, per step of 1 %:
#   English 86 of 337 / 6 of 400 at 1 %, then +49 / +6 and +22 / +0 at 2 and 3 %;
#   German  55 of 349 / 10 of 398 at 1 %, then +39 / +11 and +14 / +6.
# The last step kept is the last at which catches outnumber new false deletes four to
# one: 3 % for English (157 caught, 12 keeps deleted, 3.0 %), 1 % for German (55, 10,
# 2.5 %). Without the everyday posts the same rule gave 3 % and 2 %, and the in-sample
# false deletes of the tuning sets read "explicit sexual content" into a note to buy milk.
# Stated exactly: steps of 1 % from 1 %, taken for as long as each step's new catches are
# at least four times its new false deletes.
# Since the eighth session of 2026-12-02 the thresholds are set on out-of-fold scores
# with the folds grouped by writer (``writer_folds``), and ``judge_writers.py`` prints the
# rule's figures on exactly those scores. On twenty-seven writers (n-gram C 64), of the
# 845 English and 1,447 German deletes the lists miss and the 977 and 1,663 keeps they
# leave alone: English 450 caught / 15 keeps deleted at 1 %, then +142 / +10, +65 / +10
# and +24 / +14 at 2, 3 and 4 %: still 3 %; German 972 / 22 at 1 %, then +80 / +20 and
# +62 / +20 at 2 and 3 %: 2 % (the step to 2 % exactly four to one). The shares move with
# the data: before the 45 hateful "reports" of ``test_line_reports.py`` joined the
# training posts, the same run gave English +43 / +11 from 2 to 3 % (2 %).
HARMLESS_ABOVE = {"en": 0.03, "de": 0.02}
FOLDS, SEED = 5, 0
# The n-gram reading (``Judge.ngram_probability``): one logistic regression per language
# over the linear models' hashed n-grams, at the same share of harmless brand posts above
# its threshold. German text beside the German posts: GERMAN_TWEETS GermEval 2018 training
# comments not labelled offensive, as the ordinary tweets are for English. C by the
# deletes' out-of-fold recall at the threshold: English 47.8 / 54.4 / 57.5 / 55.6 %,
# German 24.9 / 33.4 / 35.8 / 34.8 % at C 1 / 4 / 16 / 64 (2026-12-02, sixth session).
# On twenty-seven writers' posts held out by ``judge_writers.py`` (six folds then, each
# language's writers dealt on their own; deletes the lists miss caught / keeps deleted at
# 2 % English, 2 % German): C 16 591 / 26 and 1,089 / 44, C 64 607 / 25 and 1,106 / 43.
# On twenty-three writers, at 3 % English and 2 % German: C 16 480 / 31 and 920 / 41, C 64
# 499 / 32 and 928 / 41, C 256 492 / 30 and 916 / 38 (C 256 deleted 3 keeps fewer and
# caught 19 fewer); the pooled vector's C 1 instead of 0.1, with C 64: 500 / 31 and 912 /
# 41. C 64 (eighth session).
NGRAM_C = 64.0
GERMAN_TWEETS = 1000


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def written_posts() -> list[tuple[str, int, str | None]]:
    """The writers' posts (``bench/crisis/judge/written/*.tsv``: label, category, text)."""
    out: list[tuple[str, int, str | None]] = []
    for path in sorted((HERE / "judge" / "written").glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            label, category, text = line.split("\t")
            if label not in ("delete", "keep"):
                raise ValueError(f"{path.name}: label {label!r} is neither delete nor keep")
            delete = label == "delete"
            out.append((text, int(delete), category if delete else None))
    return out


def training_posts() -> list[tuple[str, int, str | None]]:
    """(text, 1 for delete, the judge category of a delete or None)."""
    rows = split(load())[0] + split(load(FRESH))[0]
    for name in TUNING_FOLDERS:
        rows += load_folder(HERE / name)
    out: list[tuple[str, int, str | None]] = []
    for r in rows:
        if r["hack"]:
            continue
        delete = r["label"] == "delete"
        cat = r["category"] if delete and r["category"] in JUDGE_CATEGORIES else None
        out.append((r["text"], int(delete), cat))
    harmless = (
        traps.TRAPS
        + traps.REVIEW_TRAPS
        + traps.REVIEW_TRAPS_2
        + traps.REVIEW_TRAPS_3
        + traps.REVIEW_TRAPS_4
        + menace.REVIEW_HARMLESS_DETAILS
        + menace.REVIEW_HARMLESS_MEETINGS
        + remembrance.REMEMBRANCE
    )
    out += [(t, 0, None) for t in harmless]
    out += [(t, 1, "threat") for t in _lines(HERE / "judge" / "menaces.txt")]
    out += [(t, 1, "sexual") for t in _lines(HERE / "judge" / "offers.txt")]
    hateful = (
        remembrance.DISGUISED + remembrance.CONDEMNATION_RED_TEAM + reports.HATE_DRESSED_AS_REPORTS
    )
    out += [(t, 1, "hate") for t in hateful]
    return out + written_posts()


def _olid_train() -> list[tuple[str, int]]:
    """OLID train's (tweet, offensive) pairs outside the dev split the encoder's stack is
    fit on."""
    off = data.tweeteval("offensive", "train")
    dev = data._stratified_mask(off.labels, DEV_FRACTION, SEED_DEV)
    return [(t, int(y)) for t, y, d in zip(off.texts, off.labels, dev, strict=True) if not d]


def rude_tweets() -> list[str]:
    """Insults below the line: OLID train tweets labelled offensive in which the line's
    word lists flag nothing (no swearing, slur, sexual word, threat or hate phrase).
    "Whoever parked in our loading bay is a selfish idiot" is rude, not R-rated: keep
    it and apologise. A random ``RUDE`` of them (seed 0), never OLID's dev split."""
    pool = [
        t
        for t, y in _olid_train()
        if y == 1 and not any(c.flag for c in line_categories(t, 0.5, 0.2).values())
    ]
    return random.Random(0).sample(pool, min(RUDE, len(pool)))


def ordinary_tweets() -> list[str]:
    """Ordinary text: OLID train tweets labelled not offensive and SemEval 2017 tweets,
    never from their dev splits; a random ``ORDINARY`` of them (seed 0). Trained on brand
    posts and traps alone, the judge deleted 2.3 % of OLID's val tweets that are not
    offensive, and a test post "Brand freeze test #14-023122527450" as hate speech."""
    pool = [t for t, y in _olid_train() if y == 0]
    sem = data.semeval2017()
    sem_dev = data._stratified_mask(sem.labels, data.SENTIMENT_DEV_FRACTION, data.SENTIMENT_SEED)
    pool += [t for t, d in zip(sem.texts, sem_dev, strict=True) if not d]
    return random.Random(0).sample(pool, ORDINARY)


def line_scores(texts: list[str], which: np.ndarray) -> list[tuple[float, ...]]:
    """The scores the judge's category head reads beside the pooled vector: the report's
    threat, sexual, gore and hate, as the scorer computes them before the judge speaks.
    They read the linear models only, so the scorer without the encoder gives them as
    the full one does (equal on all 4,150 training posts checked), and it loads no judge."""
    scorer = EmbeddedScorer(encoder=False)
    picked = [t for t, w in zip(texts, which, strict=True) if w]
    return [
        tuple(r.categories[c].score for c in JUDGE_CATEGORIES) for r in scorer.score_many(picked)
    ]


def german_tweets() -> list[str]:
    """GermEval 2018 training comments labelled not offensive (its own 80 % train split), a
    random ``GERMAN_TWEETS`` of them (seed 0)."""
    train = data.germeval()[0]
    pool = [t for t, y in zip(train.texts, train.labels, strict=True) if y == 0]
    return random.Random(0).sample(pool, GERMAN_TWEETS)


def ngram_rows(scorer: EmbeddedScorer, texts: list[str]) -> sparse.csr_matrix:
    """The texts as the scorer's featurizer reads them: its ids and values, one row each."""
    rows, cols, vals = [], [], []
    for i, text in enumerate(texts):
        ids, values = scorer.featurizer.featurize(text)
        rows += [i] * len(ids)
        cols += ids
        vals += values
    shape = (len(texts), 1 << scorer.featurizer.bits)
    return sparse.csr_matrix((vals, (rows, cols)), shape=shape)


def writers_of(texts: list[str]) -> np.ndarray:
    """The writer (the file name in ``bench/crisis/judge/written/``: ``en_a`` …) of each
    text, "" for any other post. Each written post must occur exactly once in ``texts``
    (names read as names, as the scorer reads them)."""
    index: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        index.setdefault(text, []).append(i)
    out = np.array([""] * len(texts), dtype=object)
    for path in sorted((HERE / "judge" / "written").glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            (i,) = index[as_named(line.split("\t")[2])]
            out[i] = path.stem
    return out


def writer_folds(writer: np.ndarray) -> np.ndarray:
    """The fold of each post for the out-of-fold scores that set the thresholds: each
    writer's posts in one fold, so that a writer is scored by a judge that never read
    them, as a brand's next post will be (random folds let a writer's own phrasing into
    the training half, and the writers' keeps then scored lower than a new writer's do).
    Each language's writers (``en_*``, ``de_*``) are dealt round-robin on their own;
    every other post goes to a random fold (seed 0)."""
    fold = np.random.default_rng(SEED).integers(0, FOLDS, len(writer))
    deal: dict[str, int] = {}
    for prefix in ("en_", "de_"):
        names = sorted({w for w in writer if w.startswith(prefix)})
        deal |= {name: k % FOLDS for k, name in enumerate(names)}
    for i, name in enumerate(writer):
        if name:
            fold[i] = deal[name]
    return fold


def fit_ngrams(
    scorer: EmbeddedScorer,
    texts: list[str],
    y: np.ndarray,
    lang: np.ndarray,
    extra: list[str],
    folds: np.ndarray,
    c: float = NGRAM_C,
) -> tuple[dict[str, tuple[np.ndarray, float]], np.ndarray]:
    """Per language, the n-gram regression's weights and bias over ``scorer``'s features,
    trained on that language's posts (German with ``extra`` harmless German text beside
    them, in every fold's training half); and each post's out-of-fold probability from
    it (``folds``: each post's fold)."""
    models, oof = {}, np.zeros(len(y))
    for lg in LANGUAGES:
        rows = np.flatnonzero(lang == lg)
        more = extra if lg == "de" else []
        x = ngram_rows(scorer, [texts[i] for i in rows] + more)
        yl = np.concatenate([y[rows], np.zeros(len(more), dtype=y.dtype)])
        # The extra text is in no fold (-1): always in the training half, never scored.
        fl = np.concatenate([folds[rows], np.full(len(more), -1)])
        for k in range(FOLDS):
            train, test = fl != k, fl == k
            if test.any():
                fold = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
                fold.fit(x[train], yl[train])
                oof[rows[test[: len(rows)]]] = fold.predict_proba(x[test])[:, 1]
        model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, yl)
        models[lg] = (model.coef_[0], float(model.intercept_[0]))
    return models, oof


def vector_oof(x: np.ndarray, y: np.ndarray, folds: np.ndarray, c: float = C) -> np.ndarray:
    """Each post's out-of-fold probability from the pooled vector's regression."""
    out = np.zeros(len(y))
    for k in range(FOLDS):
        train, test = folds != k, folds == k
        fold = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        out[test] = fold.fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    return out


def fit_category_ngrams(
    scorer: EmbeddedScorer, texts: list[str], cats: np.ndarray, lang: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per language, the category's n-gram regression over ``scorer``'s features, trained
    on that language's deletes (``cats`` names each; "" for a keep): weights as
    (language, bucket, category) and biases as (language, category)."""
    weights, biases = [], []
    for lg in LANGUAGES:
        rows = np.flatnonzero((cats != "") & (lang == lg))
        y = np.array([JUDGE_CATEGORIES.index(c) for c in cats[rows]])
        x = ngram_rows(scorer, [texts[i] for i in rows])
        model = LogisticRegression(C=CATEGORY_NGRAM_C, max_iter=5000).fit(x, y)
        if list(model.classes_) != list(range(len(JUDGE_CATEGORIES))):
            raise ValueError(f"{lg}: the deletes lack a category ({model.classes_})")
        weights.append(model.coef_.T)
        biases.append(model.intercept_)
    return np.array(weights), np.array(biases)


def _threshold_at_share(
    p: np.ndarray, y: np.ndarray, lang: np.ndarray, brand: np.ndarray, lg: str
) -> float:
    """The out-of-fold score above which a language's share (``HARMLESS_ABOVE``) of
    harmless brand posts fall."""
    harmless = np.sort(p[(y == 0) & (lang == lg) & brand])
    return float(harmless[int(len(harmless) * (1 - HARMLESS_ABOVE[lg]))])


def _recall_at_share(
    p: np.ndarray, y: np.ndarray, lang: np.ndarray, brand: np.ndarray, lg: str
) -> float:
    """Out-of-fold recall of a language's deletes at that threshold."""
    threshold = _threshold_at_share(p, y, lang, brand, lg)
    return float(np.mean(p[(y == 1) & (lang == lg)] >= threshold))


def mundane_posts() -> list[str]:
    """Everyday brand posts (``bench/crisis/judge/mundane_en.txt``, ``mundane_de.txt``).
    Among the negatives because the hard keeps, the traps and the tweets left the judge
    calling "lol sam can u grab milk on ur way home" explicit sexual content and "Feck it,
    it's raining sideways in Galway" hate speech at its thresholds (2026-12-02). Then the
    statements a brand posts after an incident (``statements_en.txt``,
    ``statements_de.txt``) and Firebreak's own apologies (``own_apologies``)."""
    paths = sorted((HERE / "judge").glob("mundane_*.txt"))
    paths += sorted((HERE / "judge").glob("statements_*.txt"))
    return [t for path in paths for t in _lines(path)] + own_apologies()


# Who signs an apology and when the post it answers went out: ``own_apologies`` renders
# each template with each voice at each time (and the template's default fix).
APOLOGY_VOICES = (
    "Acme Team",
    "The Acme Coffee team",
    "Die Bäckerei Müller",
    "Sam from Support",
    "Lena, Head of Social",
    "Team Nordlicht",
)
APOLOGY_TIMES = 4


def own_apologies() -> list[str]:
    """Firebreak's own apology drafts (``incidents.domain.APOLOGY_TEMPLATES``), a few
    renderings of each. The judge read the hack template ("On … someone else got into our
    account and posted what is not ours. We removed it and secured the account …") as a
    threat in 27 of 96 renderings (2026-12-03): the watcher's risk scan then opened an
    incident on the brand's own apology and froze the account."""
    rng = random.Random(0)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    out = []
    for template in APOLOGY_TEMPLATES:
        for voice in APOLOGY_VOICES:
            for _ in range(APOLOGY_TIMES):
                when = start + timedelta(seconds=rng.randrange(365 * 86400))
                out.append(draft_apology(template, voice, when))
    return out


class Inputs(NamedTuple):
    """Everything the judge trains on, in one order: (text, delete, category) as
    labelled, each text as the scorer reads it (names that spell a slur read as names,
    ``line_names.py``), 1 for a delete, the language, and whether it is a brand post
    (the tweets and everyday posts after them do not set the thresholds)."""

    posts: list[tuple[str, int, str | None]]
    texts: list[str]
    y: np.ndarray
    lang: np.ndarray
    brand: np.ndarray
    mundane: int


def inputs() -> Inputs:
    own, mundane = training_posts(), mundane_posts()
    tweets = rude_tweets() + ordinary_tweets() + mundane
    posts = own + [(t, 0, None) for t in tweets]
    texts = [as_named(t) for t, _, _ in posts]
    return Inputs(
        posts=posts,
        texts=texts,
        y=np.array([d for _, d, _ in posts]),
        lang=np.array([langid.detect(t) for t in texts]),
        brand=np.arange(len(posts)) < len(own),
        mundane=len(mundane),
    )


def main() -> None:
    posts, texts, y, lang, brand, mundane = inputs()
    enc = Encoder()
    x = enc.read(texts)[2].astype(np.float64)

    folds = writer_folds(writers_of(texts))
    vector = vector_oof(x, y, folds)
    german, linear = german_tweets(), EmbeddedScorer(encoder=False, line=False)
    ngrams, ngram = fit_ngrams(linear, texts, y, lang, german, folds)
    # The judge's score: the mean of the two readings' logits (``Judge.score``).
    oof = combined(vector, ngram)
    thresholds = {lg: round(_threshold_at_share(oof, y, lang, brand, lg), 4) for lg in LANGUAGES}
    model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(x, y)

    cats = np.array([c if c else "" for _, _, c in posts])
    keep = cats != ""
    cat_y = np.array([JUDGE_CATEGORIES.index(c) for c in cats[keep]])
    cat_x = np.array(
        [category_inputs(v, s) for v, s in zip(x[keep], line_scores(texts, keep), strict=True)]
    )
    cat_model = LogisticRegression(C=CATEGORY_C, max_iter=5000).fit(cat_x, cat_y)
    cat_ngram_weights, cat_ngram_bias = fit_category_ngrams(linear, texts, cats, lang)

    np.savez_compressed(
        ENCODER_DIR / "judge.npz",
        weights=model.coef_[0].astype(np.float32),
        bias=np.float64(model.intercept_[0]),
        category_weights=cat_model.coef_.astype(np.float32),
        category_bias=cat_model.intercept_.astype(np.float64),
        ngram_weights=np.array([ngrams[lg][0] for lg in LANGUAGES], dtype=np.float16),
        ngram_bias=np.array([ngrams[lg][1] for lg in LANGUAGES]),
        category_ngram_weights=cat_ngram_weights.astype(np.float16),
        category_ngram_bias=cat_ngram_bias.astype(np.float64),
    )
    onnx = (ENCODER_DIR / "encoder.int8.onnx").read_bytes()
    meta = {
        "categories": list(JUDGE_CATEGORIES),
        "thresholds": thresholds,
        "encoder_digest": hashlib.sha256(onnx).hexdigest(),
        "C": C,
        "category_C": CATEGORY_C,
        "category_scale": CATEGORY_SCALE,
        "harmless_above": HARMLESS_ABOVE,
        "posts": len(y),
        "rude_tweets": RUDE,
        "ordinary_tweets": ORDINARY,
        "mundane_posts": mundane,
        "tweets_and_everyday_above": {
            lg: round(float(np.mean(oof[~brand & (lang == lg)] >= thresholds[lg])), 4)
            for lg in LANGUAGES
        },
        "ngram_languages": list(LANGUAGES),
        "featurizer": linear.featurizer.config(),
        "ngram_C": NGRAM_C,
        "category_ngram_C": CATEGORY_NGRAM_C,
        "german_tweets": len(german),
        "written": len(written_posts()),
        "deletes": int(y.sum()),
        "by_lang": {lg: int((lang == lg).sum()) for lg in ("en", "de")},
        "oof_recall_at_threshold": {
            lg: round(float(np.mean(oof[(y == 1) & (lang == lg)] >= thresholds[lg])), 3)
            for lg in LANGUAGES
        },
        "oof_recall_at_the_same_share": {
            name: {lg: round(_recall_at_share(p, y, lang, brand, lg), 3) for lg in LANGUAGES}
            for name, p in (("pooled vector alone", vector), ("n-grams alone", ngram))
        },
    }
    (ENCODER_DIR / "judge.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
