"""A learned reading of the delete line, for what its word lists cannot hold.

Calm menaces built on what the writer knows about someone ("Grey Transit, reg starting
LD19, that's yours. Would be a real shame if the tyres went flat"), coy sexual offers
and dog whistles are written in words that harmless posts also use. Every new writer
phrases them anew: word rules written for one writer's posts caught 2 of 40 such menaces
and 0 of 20 such offers by the next (2026-12-02).

The judge has two readings, each a logistic regression: one over the English encoder's
pooled sentence vector (``encoder.py``), one per language over the linear models' hashed
word and char n-grams (``features.py``), which reads German as German. Its score is the
mean of their logits. Both are trained on the crisis sets' tuning posts, reviewers'
menaces and offers, twenty-seven writers' 5,400 posts (deletes a keyword filter misses and
keeps in the same words, seventeen of them German), ~1,500 harmless posts built to
sound violent, sexual or hateful (the line's trap tests), and rude tweets, ordinary
tweets, everyday brand posts, statements after an incident and Firebreak's own apologies
as more harmless text; the German n-gram reading also on
1,000 harmless GermEval comments. Its flag threshold, per language, is the score above
which a set share of that language's harmless brand posts fall in 5-fold out-of-fold
predictions, each writer's posts in one fold: 3 % in English, 2 % in German
(``bench/triage/train_judge.py`` says how they were chosen; German was at 1 % until the
eighth session). At 3 % and 1 % (sixth session) the two readings together caught 60 %
(English) and 42 % (German) of the training deletes out of fold, the pooled vector alone
43 % and 12 %; of four writers' posts it never trained on, 132 of 200 English and 89 of
200 German deletes (2026-12-02, against 103 and 48 by the pooled vector alone). Those
four writers then joined its training data: of two more writers' posts, 79 of 100
English and 70 of 100 German deletes caught (75 and 66 without them), keeps kept alike
(97, 98 of 100). With fifteen more writers (twenty-seven in all), the n-gram reading at
C 64 and German at 2 %: of four held-out writers' 100 deletes each, English 84 and 84,
German 71 and 88 caught, keeps kept 96, 92, 99 and 94. The encoder
learnt English; before the writers' German posts were among its training data, it
deleted a German cake ("Neu in der Vitrine: Rhabarber-Streusel"). The category it names
(threat, sexual, gore or hate) is read twice too: a multinomial regression over the
pooled vector and the report's own scores for the four (which lie below their flags
where the judge speaks), and one per language over the same n-grams; the name is the
argmax of the mean of their log-probabilities. Over the pooled vector alone it called a
German forklift accident sexual content: 5-fold on the training deletes no list flags,
76.8 % of German ones were named right, with both readings 90.4 % (English 87.0 → 92.6
%).

It only adds a category where the word lists flagged none, and it quotes the sentence
that reads worst, so the reasons still say what drove them. Written for this project.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from chalicelib.triage.encoder import POOLED
from chalicelib.triage.risk import CategoryScore

# The judge's categories, in the order of its category head's rows.
JUDGE_CATEGORIES = ("threat", "sexual", "gore", "hate")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
# Fewer words than this and the pooled vector has too little to go on ("Brand freeze test
# #14-023122527450" read as hate before ordinary tweets were among its negatives).
MIN_WORDS = 5
_WORD = re.compile(r"[^\W\d_]{2,}")
# The longest quote a reason carries; a longer sentence is cut at a word.
QUOTE_CHARS = 140
MAX_SENTENCES = 8
# The line's scores (0..1) against the pooled vector's 384 numbers in the category head.
CATEGORY_SCALE = 3.0


@dataclass(frozen=True)
class Judge:
    weights: np.ndarray  # (POOLED,)
    bias: float
    thresholds: dict[str, float]  # per language it reads (langid codes): "en", "de"
    category_weights: np.ndarray  # (len(JUDGE_CATEGORIES), POOLED + len(JUDGE_CATEGORIES))
    category_bias: np.ndarray  # (len(JUDGE_CATEGORIES),)
    encoder_digest: str
    # A second reading per language: a logistic regression over the linear models'
    # hashed word and char n-grams (``features.py``), which reads German as German.
    ngram_weights: np.ndarray  # (len(ngram_languages), 2 ** featurizer bits)
    ngram_bias: np.ndarray  # (len(ngram_languages),)
    ngram_languages: tuple[str, ...]  # the rows' languages
    # The category's n-gram reading, per language: a multinomial regression's weights
    # with a bucket's four category weights side by side, so a post gathers whole rows.
    category_ngram_weights: np.ndarray  # (len(ngram_languages), 2 ** bits, categories)
    category_ngram_bias: np.ndarray  # (len(ngram_languages), len(JUDGE_CATEGORIES))

    @classmethod
    def load(cls, directory: Path, featurizer: dict[str, float | int]) -> Judge | None:
        """The judge beside the encoder, or None where none was trained. ``featurizer`` is
        the linear models' featurizer settings (``Featurizer.config``), which its n-gram
        rows were trained on and must match."""
        path = directory / "judge.json"
        if not path.exists():
            return None
        meta = json.loads(path.read_text(encoding="utf-8"))
        if tuple(meta["categories"]) != JUDGE_CATEGORIES:
            raise ValueError(f"judge categories {meta['categories']} != {JUDGE_CATEGORIES}")
        if meta.get("featurizer") != featurizer or set(meta["thresholds"]) != set(
            meta["ngram_languages"]
        ):
            raise ValueError(
                f"judge featurizer {meta.get('featurizer')} != {featurizer}, or its languages "
                "differ between readings: rerun bench/triage/train_judge.py"
            )
        if meta.get("category_scale") != CATEGORY_SCALE:
            raise ValueError(
                f"judge category_scale {meta.get('category_scale')} != {CATEGORY_SCALE}: "
                "rerun bench/triage/train_judge.py"
            )
        with np.load(directory / "judge.npz") as npz:
            judge = cls(
                weights=npz["weights"].astype(np.float64),
                bias=float(npz["bias"]),
                thresholds={k: float(v) for k, v in meta["thresholds"].items()},
                category_weights=npz["category_weights"].astype(np.float64),
                category_bias=npz["category_bias"].astype(np.float64),
                encoder_digest=str(meta["encoder_digest"]),
                ngram_weights=npz["ngram_weights"].astype(np.float32),
                ngram_bias=npz["ngram_bias"].astype(np.float64),
                ngram_languages=tuple(meta["ngram_languages"]),
                category_ngram_weights=npz["category_ngram_weights"].astype(np.float32),
                category_ngram_bias=npz["category_ngram_bias"].astype(np.float64),
            )
        shape = (len(JUDGE_CATEGORIES), POOLED + len(JUDGE_CATEGORIES))
        ngrams = (len(judge.ngram_languages), 1 << int(featurizer["bits"]))
        named = (*ngrams, len(JUDGE_CATEGORIES))
        if (
            judge.category_weights.shape != shape
            or judge.weights.shape != (POOLED,)
            or judge.ngram_weights.shape != ngrams
            or judge.category_ngram_weights.shape != named
            or judge.category_ngram_bias.shape != (ngrams[0], named[2])
        ):
            raise ValueError(
                f"judge weights {judge.weights.shape}, {judge.category_weights.shape}, "
                f"{judge.ngram_weights.shape}, {judge.category_ngram_weights.shape} != "
                f"({POOLED},), {shape}, {ngrams}, {named}: rerun bench/triage/train_judge.py"
            )
        return judge

    def probability(self, pooled: np.ndarray) -> float:
        """The pooled vector's reading."""
        return float(_logistic(float(np.dot(self.weights, pooled.astype(np.float64))) + self.bias))

    def ngram_probability(self, lang: str, ids: Sequence[int], values: Sequence[float]) -> float:
        """The n-gram reading of a post in a language it reads (``Featurizer.featurize``'s
        ids and values)."""
        row = self._row(lang)
        weights = self.ngram_weights[row][np.asarray(ids, dtype=np.int64)]
        z = float(np.dot(weights, np.asarray(values))) + float(self.ngram_bias[row])
        return float(_logistic(z))

    def score(self, pooled: np.ndarray, ngram: float) -> float:
        """The judge's score (``combined``). At the same share of harmless brand posts above
        the threshold it caught more of the deletes out of fold than either reading alone,
        and than either reading over its own threshold at that share (English 60 against
        48 %, German 42 against 31 %; ``train_judge.py``). Each reading over a threshold of
        its own share caught 67 % of English deletes, with 5.7 % of harmless posts above."""
        return float(combined(self.probability(pooled), ngram))

    def over(self, lang: str, pooled: np.ndarray, ngram: float) -> float | None:
        """The judge's score where it puts a post in a language it reads over the line,
        or None."""
        threshold = self.threshold(lang)  # ``load`` holds both readings to one set of languages
        if threshold is None:
            return None
        p = self.score(pooled, ngram)
        return p if p >= threshold else None

    def threshold(self, lang: str) -> float | None:
        """The flag threshold for a language, or None where the judge does not read it."""
        return self.thresholds.get(lang)

    def _row(self, lang: str) -> int:
        if lang not in self.ngram_languages:
            raise ValueError(f"the judge does not read {lang!r}")
        return self.ngram_languages.index(lang)

    def category(
        self,
        pooled: np.ndarray,
        scores: Sequence[float],
        lang: str,
        ids: Sequence[int],
        values: Sequence[float],
    ) -> str:
        """The category it names: the argmax of the mean log-probability of two readings,
        one of the pooled vector and the report's scores for the judge's categories
        (``JUDGE_CATEGORIES`` order) before the judge spoke, one of the post's n-grams
        (``Featurizer.featurize``'s ids and values) in its language."""
        vector = self.category_weights @ category_inputs(pooled, scores) + self.category_bias
        row = self._row(lang)
        gathered = np.take(self.category_ngram_weights[row], np.asarray(ids, np.int64), axis=0)
        ngram = np.asarray(values) @ gathered + self.category_ngram_bias[row]
        z = _log_softmax(vector) + _log_softmax(ngram)
        return JUDGE_CATEGORIES[int(np.argmax(z))]

    def worst(
        self,
        text: str,
        written: str,
        lang: str,
        vectors: Callable[[list[str]], np.ndarray | None],
        features: Callable[[str], tuple[list[int], list[float]]],
    ) -> str:
        """The sentence that reads worst to the judge, as written: chosen among ``text``'s
        sentences of two words or more (names read as names, ``line_names.py``) by the
        judge's score of each (pooled ``vectors``, n-gram ``features``), quoted from
        ``written`` where it splits alike. A lone emoji is never the reason; a post with no
        such sentence is quoted whole."""
        parts = sentences(text)
        wordy = [i for i, part in enumerate(parts) if len(_WORD.findall(part)) >= 2]
        if not wordy:
            return written.strip()
        at = wordy[0]
        if len(wordy) > 1:
            found = vectors([parts[i] for i in wordy])
            if found is None:
                return written.strip()
            scores = [
                self.score(v, self.ngram_probability(lang, *features(parts[i])))
                for i, v in zip(wordy, found, strict=True)
            ]
            at = wordy[int(np.argmax(scores))]
        quoted = sentences(written)
        return (quoted if len(quoted) == len(parts) else parts)[at]


def combined(vector: Any, ngram: Any) -> Any:
    """The judge's score from its two readings' probabilities (floats or arrays): the mean
    of their logits, each clipped at 1e-6 from 0 and 1. ``train_judge.py`` sets the
    thresholds on this."""
    return _logistic((_logit(vector) + _logit(ngram)) / 2)


def _log_softmax(z: np.ndarray) -> np.ndarray:
    return np.asarray(z - np.logaddexp.reduce(z))


def _logit(p: Any) -> Any:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(q / (1 - q))


def _logistic(z: Any) -> Any:
    """1 / (1 + e^-z) for a float or an array, without overflow for large |z|."""
    return np.exp(-np.logaddexp(0.0, -z))


def category_inputs(pooled: np.ndarray, scores: Sequence[float]) -> np.ndarray:
    """What the category head reads; ``train_judge.py`` builds its inputs with this too."""
    return np.concatenate([pooled.astype(np.float64), CATEGORY_SCALE * np.asarray(scores)])


def readable(text: str) -> bool:
    """Whether a post has words enough for the judge to read (``MIN_WORDS``)."""
    return len(_WORD.findall(text)) >= MIN_WORDS


def sentences(text: str) -> list[str]:
    """The post's sentences (at most ``MAX_SENTENCES``), each stripped, none empty."""
    parts = [s.strip() for s in _SENTENCE.split(text)]
    return [s for s in parts if s][:MAX_SENTENCES]


def quote(sentence: str) -> str:
    """A sentence as a reason quotes it: whole, or cut at a word with an ellipsis."""
    if len(sentence) <= QUOTE_CHARS:
        return sentence
    return sentence[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"


def judged(
    judge: Judge,
    line: dict[str, CategoryScore],
    *,
    text: str,
    written: str,
    lang: str,
    pooled: np.ndarray,
    ngrams: tuple[Sequence[int], Sequence[float]],
    hate: float,
    vectors: Callable[[list[str]], np.ndarray | None],
    features: Callable[[str], tuple[list[int], list[float]]],
) -> dict[str, CategoryScore]:
    """The line's categories with the judge's added, where no word list flagged one and
    the judge's score (the mean of its two readings' logits) puts the post (``text``,
    names read as names) over the line: the category its head names, scored by the
    judge, quoting the worst sentence as ``written``. ``ngrams`` are the post's
    ``Featurizer.featurize`` ids and values, ``hate`` the report's hate score before the
    judge, ``vectors`` the encoder's pooled vectors, ``features`` the featurizer's."""
    if any(c.flag for c in line.values()) or judge.threshold(lang) is None:
        return line
    p = judge.over(lang, pooled, judge.ngram_probability(lang, *ngrams))
    if p is None:
        return line
    # The report's scores before the judge: its hate is the classifier's or the line's.
    scores = [max(hate, line[c].score) if c == "hate" else line[c].score for c in JUDGE_CATEGORIES]
    name = judge.category(pooled, scores, lang, *ngrams)
    terms = (quote(judge.worst(text, written, lang, vectors, features)), *line[name].terms)[:5]
    return {**line, name: CategoryScore(max(line[name].score, round(p, 4)), True, terms)}
