"""The embedded content scorer: offensive, hate, sexual, violence and sentiment, in process.

Implements the ``RiskScanner`` port (``chalicelib.triage.risk``) for drafts (P3),
own posts (C1, C4) and mentions (M2). Everything runs in this process with numpy
(and onnxruntime for the English encoder), so a Lambda cold start stays under a second:

- offensive / hate: linear models (NB-weighted logistic regression, trained by
  ``bench/triage/train.py``) over hashed word and char n-grams, one pair for
  English (TweetEval) and one for German (GermEval 2018), chosen by the language
  identifier, each Platt-calibrated on out-of-fold training predictions;
- English offensive also reads a fine-tuned small transformer (``encoder.py``,
  int8 ONNX): a stacked logistic regression over its logit and the linear one
  gives the probability. ``cascade`` asks it only where the linear model is
  unsure;
- sexual / violence: curated lexicons (``lexicons.py``) weighed together with
  the offensive probability, since no labelled data covers them;
- sentiment: VADER's rules (``valence.py``) plus a small trained head, mixed with
  the encoder's sentiment head for English texts the encoder read.

``get_scorer()`` loads the artifacts once per process, on first use.
"""

from __future__ import annotations

import json
import math
import threading
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from chalicelib.triage import ENCODER_MODES, MENTION_MODE, langid
from chalicelib.triage.drivers import Drivers
from chalicelib.triage.features import Featurizer, normalize, tokenize
from chalicelib.triage.judge import Judge, judged, readable
from chalicelib.triage.lexicons import (
    SEVERE,
    SEXUAL,
    SLURS,
    VIOLENCE,
    Hit,
    Lexicon,
    LexiconSet,
    lexicon_tokens,
    noisy_or,
)
from chalicelib.triage.line import idiom_free, line_categories
from chalicelib.triage.line_names import as_named
from chalicelib.triage.risk import CATEGORIES, CategoryScore, RiskReport
from chalicelib.triage.stack import EncoderView, Stack
from chalicelib.triage.valence import Valence, ValenceScorer

if TYPE_CHECKING:
    from chalicelib.triage.e5 import E5Reader
    from chalicelib.triage.encoder import Encoder

MODEL_DIR = Path(__file__).resolve().parent / "model"
SENTIMENT_LABELS = ("negative", "neutral", "positive")
# A lexicon term at or above this weight is "slurs or strong profanity" on its own.
SEVERE_TERM_WEIGHT = 0.7
# Scores are rounded so the same text gives byte-identical JSON across machines
# and numpy builds (float32 sums may differ in the last bits between them).
_DIGITS = 4


@dataclass(frozen=True)
class SentimentScore:
    """Sentiment label and the probability of each of negative / neutral / positive."""

    label: str
    scores: dict[str, float]


@dataclass(frozen=True)
class Triage(RiskReport):
    """A ``RiskReport`` plus sentiment and the strong terms found (for delete-or-keep)."""

    sentiment: SentimentScore = field(
        default_factory=lambda: SentimentScore("neutral", dict.fromkeys(SENTIMENT_LABELS, 0.0))
    )
    severe_terms: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"lang": self.lang}
        for name in CATEGORIES:
            if name not in self.categories:
                continue  # the mention mode reads four
            cat = self.categories[name]
            out[name] = {"score": cat.score, "flag": cat.flag, "terms": list(cat.terms)}
        out["sentiment"] = {"label": self.sentiment.label, "scores": self.sentiment.scores}
        return out


_NEUTRAL = SentimentScore("neutral", {"negative": 0.0, "neutral": 1.0, "positive": 0.0})


@dataclass(frozen=True)
class _Head:
    column: int
    a: float
    b: float
    threshold: float


def _log_softmax(z: Sequence[float]) -> list[float]:
    top = max(z)
    lse = top + math.log(sum(math.exp(v - top) for v in z))
    return [v - lse for v in z]


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def sentiment_features(val: Valence, p_off: float, p_hate: float) -> list[float]:
    """The dense inputs of the sentiment head; shared with training so both agree."""
    return [
        val.neg,
        val.neu,
        val.pos,
        val.compound,
        abs(val.compound),
        float(val.compound >= 0.05),
        float(val.compound <= -0.05),
        p_off,
        p_hate,
        1.0,
    ]


class EmbeddedScorer:
    """Scores texts with the committed model artifacts; safe to share between threads."""

    def __init__(
        self,
        model_dir: Path = MODEL_DIR,
        *,
        encoder: bool = True,
        cascade: bool = False,
        terms_when_flagged: bool = False,
        line: bool = True,
    ) -> None:
        with (model_dir / "model.json").open(encoding="utf-8") as fh:
            meta = json.load(fh)
        self.meta = meta
        self.featurizer = Featurizer(**meta["featurizer"])
        with np.load(model_dir / "weights.npz") as npz:
            q = npz["weights"]
            scale = npz["scale"]
            self.bias = npz["bias"].astype(np.float64)
            # The sentiment head's 3 x 10 coefficients, as plain floats (see _sentiment).
            self.sent_rows = tuple(tuple(float(c) for c in row) for row in npz["sentiment"])
        # int8 on disk keeps the artifact small; float32 in memory keeps gathers fast.
        self.weights = q.astype(np.float32) * scale.astype(np.float32)
        self.heads: dict[str, dict[str, _Head]] = {
            lang: {name: _Head(**spec) for name, spec in heads.items()}
            for lang, heads in meta["heads"].items()
        }
        self.sexual_cfg: dict[str, float] = meta["lexicon"]["sexual"]
        self.violence_cfg: dict[str, float] = meta["lexicon"]["violence"]
        self.slur_cfg: dict[str, float] = meta["lexicon"]["slurs"]
        self.severe_cfg: dict[str, float] = meta["lexicon"]["severe"]
        # The four word lists, matched in one pass over a text's words.
        self.lexicons = LexiconSet(
            {
                "severe": Lexicon(SEVERE),
                "slurs": Lexicon(SLURS),
                "sexual": Lexicon(SEXUAL),
                "violence": Lexicon(VIOLENCE),
            }
        )
        self.valence_en, self.valence_de = ValenceScorer.load(model_dir)
        # The featurizer's word caches are plain dicts; a lock keeps concurrent
        # threads from clearing one while another reads it.
        self._lock = threading.Lock()
        self.drivers = Drivers(self.weights, self.featurizer)
        self.encoder: Encoder | None = None
        self.e5: E5Reader | None = None
        self.stack: Stack | None = None
        self.judge: Judge | None = None
        self.cascade = cascade
        # Mention mode: the words that drove offensive and hate only for a flag (a
        # mention nobody flags needs no reasons), which saves a pass over its words.
        self.terms_at = 2.0 if terms_when_flagged else 0.3
        # The delete line's categories (line.py) are for own posts and drafts; the
        # mention stream keeps the faster four (offensive, hate, sexual, violence).
        self.line = line
        if encoder:
            from chalicelib.triage.encoder import Encoder

            with (model_dir / "encoder" / "encoder.json").open(encoding="utf-8") as fh:
                self.stack = Stack.from_json(json.load(fh))
            self.encoder = Encoder(model_dir / "encoder")
            if (model_dir / "e5").is_dir():
                from chalicelib.triage.e5 import E5Reader

                self.e5 = E5Reader(model_dir / "e5")
        # The line's judge reads own posts in the languages it knows, by the encoder's
        # pooled vector and by the hashed n-grams; cascade mode keeps its promise of
        # skipping the encoder where it can.
        self.judge = (
            Judge.load(model_dir / "encoder", self.featurizer.config())
            if encoder and line and not cascade
            else None
        )

    # -- the RiskScanner port ------------------------------------------------
    def scan(self, text: str) -> RiskReport:
        return self.score(text)

    # -- full triage ---------------------------------------------------------
    def score(self, text: str) -> Triage:
        return self.score_many([text])[0]

    def score_many(self, texts: Sequence[str]) -> list[Triage]:
        """Score a batch: one numpy gather for all texts instead of one per text."""
        if not texts:
            return []
        # Names that spell a slur ("Kike Hernández") are read as the names they are.
        read = [as_named(t) for t in texts]
        langs = [langid.detect(t) for t in read]
        tokens = [tokenize(normalize(t)) for t in read]
        logits = self.linear_logits(tokens)
        english, pooled = self._english(read, langs, tokens, logits)
        return [
            self._finish(text, lang, toks, logits[i], english.get(i), pooled.get(i), texts[i])
            for i, (text, lang, toks) in enumerate(zip(read, langs, tokens, strict=True))
        ]

    def _english(
        self,
        texts: Sequence[str],
        langs: list[str],
        tokens: list[list[str]],
        logits: np.ndarray,
    ) -> tuple[dict[int, EncoderView], dict[int, np.ndarray]]:
        """What the encoder adds, for the rows it reads: every text not German
        (the same rows the English linear heads score) with something to read; and,
        where the line's judge is on, the pooled vector of every text with words.

        With ``cascade`` on, the linear model's calibrated probability decides
        alone where it is sure (outside the band fit on held-out train data), and
        only the posts in between pay for a transformer pass. The encoder's
        sentiment mix then reaches only those posts too; the others get the
        VADER head alone.
        """
        if self.encoder is None or self.stack is None:
            return {}, {}
        head = self.heads["en"]["offensive"]
        stack = self.stack
        rows = [
            i
            for i, (lang, toks) in enumerate(zip(langs, tokens, strict=True))
            if lang != "de"
            and toks
            and (not self.cascade or stack.low <= self._prob(head, logits[i]) <= stack.high)
        ]
        judge = self.judge
        judged = (
            [i for i, t in enumerate(texts) if judge.threshold(langs[i]) and readable(t)]
            if judge
            else []
        )
        read = sorted({*rows, *judged})
        if not read:
            return {}, {}
        off, sent, pooled = self.encoder.read([texts[i] for i in read])
        at = {i: j for j, i in enumerate(read)}
        e5_sent, e5_off = self.e5.run([texts[i] for i in rows]) if self.e5 else (None, None)
        out: dict[int, EncoderView] = {}
        for k, i in enumerate(rows):
            j = at[i]
            z = stack.encoder * float(off[j]) + stack.linear * float(logits[i][head.column])
            if e5_off is not None:
                z += stack.e5 * float(e5_off[k])
            p = _logistic(z + stack.bias)
            out[i] = EncoderView(
                p,
                stack.threshold,
                sent[j].astype(np.float64),
                None if e5_sent is None else e5_sent[k].astype(np.float64),
            )
        return out, {i: pooled[at[i]] for i in judged}

    def linear_logits(self, tokens: Sequence[list[str]]) -> np.ndarray:
        """Raw logits of every linear head (one column each) for tokenised texts.

        A text's features are two groups of unique bucket ids (words, char n-grams),
        each with one weight (``Featurizer.featurize_tokens``): so each group's rows
        are summed first and scaled once, instead of scaling every row."""
        fz = self.featurizer
        with self._lock:
            groups = [fz.ids(toks) for toks in tokens]
        flat: list[int] = []
        sizes: list[int] = []
        for words, chars in groups:
            flat += words
            flat += chars
            sizes.append(len(words))
            sizes.append(len(chars))
        flat.append(0)
        n = np.array(sizes, dtype=np.float64)
        # Empty groups get scale 0 (reduceat gives them one row, not a sum). A trailing
        # row of its own ends the last group: reduceat sums a segment up to the next
        # start, and the last one to the end of the array.
        scale = np.divide(1.0, np.sqrt(n), out=np.zeros_like(n), where=n > 0)
        scale[0::2] *= fz.word_weight
        scale[1::2] *= fz.char_weight
        starts = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        # A typed buffer and take(): several times faster than fancy indexing a list.
        rows = np.take(self.weights, np.frombuffer(array("q", flat), dtype=np.int64), axis=0)
        sums = np.add.reduceat(rows, starts, axis=0)[:-1].astype(np.float64)
        sums *= scale[:, None]
        logits = sums[0::2] + sums[1::2]
        logits += self.bias
        return logits

    def _sentence_vectors(self, parts: list[str]) -> np.ndarray | None:
        return self.encoder.read(parts)[2] if self.encoder is not None else None

    def _features(self, text: str) -> tuple[list[int], list[float]]:
        with self._lock:  # the featurizer's token cache
            return self.featurizer.featurize(text)

    def _hate_without_idioms(self, text: str, head: _Head, p_hate: float) -> float:
        """The hate model's view of a text with its idioms taken out, as the line reads it:
        "faggots and peas" is a dish, and the model alone must not call it hate."""
        bare = idiom_free(text)
        if bare is None:
            return p_hate
        bare_tokens = tokenize(normalize(bare))
        return self._prob(head, self.linear_logits([bare_tokens])[0]) if bare_tokens else 0.0

    def _prob(self, head: _Head, logits: np.ndarray) -> float:
        return _logistic(head.a * float(logits[head.column]) + head.b)

    def _finish(
        self,
        text: str,
        lang: str,
        tokens: list[str],
        logits: np.ndarray,
        english: EncoderView | None = None,
        pooled: np.ndarray | None = None,
        written: str | None = None,
    ) -> Triage:
        heads = self.heads["de" if lang == "de" else "en"]
        off_head, hate_head = heads["offensive"], heads["hate"]
        if tokens:
            p_off = self._prob(off_head, logits)
            p_hate = self._prob(hate_head, logits)
        else:
            # Nothing to read (empty or whitespace): nothing to flag either.
            p_off = p_hate = 0.0
        # The sentiment head and the lexical categories were fit on the linear
        # probabilities: they keep them.
        p_off_linear = p_off
        off_threshold = off_head.threshold
        if english is not None:
            p_off, off_threshold = english.offensive, english.threshold

        found = self.lexicons.hits(lexicon_tokens(text))
        severe = found.get("severe", [])
        slurs = found.get("slurs", [])

        # Strong profanity is offensive by any annotator's standard, whatever the
        # rest of the text: the lexicon sets a floor under the model's probability.
        p_off_final = max(p_off, noisy_or(severe) * self.severe_cfg["scale"])
        offensive = CategoryScore(
            score=round(p_off_final, _DIGITS),
            flag=p_off_final >= off_threshold,
            terms=self._drivers(tokens, off_head, severe)
            if p_off_final >= min(self.terms_at, off_threshold)
            else (),
        )
        # A slur is hate speech whatever the model thinks of the rest of the text.
        p_hate_final = max(p_hate, noisy_or(slurs) * self.slur_cfg["scale"])
        hate = CategoryScore(
            score=round(p_hate_final, _DIGITS),
            flag=p_hate_final >= hate_head.threshold,
            terms=self._drivers(tokens, hate_head, slurs)
            if p_hate_final >= min(self.terms_at, hate_head.threshold)
            else (),
        )
        # Their weights were set against the linear probability; in cascade mode it
        # is also the one every text has.
        p_lexical = max(p_off_linear, noisy_or(severe) * self.severe_cfg["scale"])
        # The delete line's categories (line.py): obfuscation undone, idioms left out.
        line = (
            line_categories(text, p_lexical, self._hate_without_idioms(text, hate_head, p_hate))
            if tokens and self.line
            else {}
        )
        if line and pooled is not None and self.judge is not None:
            with self._lock:
                ids, values = self.featurizer.featurize_tokens(tokens)
            line = judged(
                self.judge,
                line,
                text=text,
                written=written or text,
                lang=lang,
                pooled=pooled,
                ngrams=(ids, values),
                hate=hate.score,
                vectors=self._sentence_vectors,
                features=self._features,
            )
        if line:
            sexual = line["sexual"]
            gore, threat = line["gore"], line["threat"]
            worst = gore if gore.score >= threat.score else threat
            violence = CategoryScore(
                score=worst.score,
                flag=gore.flag or threat.flag,
                terms=tuple(dict.fromkeys(gore.terms + threat.terms))[:5],
            )
            # The line's hate, not the classifier's: a slogan or dehumanising phrase is
            # hate whatever the model scores, and the model alone must be sure (p >= 0.8,
            # LineConfig.hate_model_flag). At the classifier's own flag (0.6, fit to
            # HatEval) "Mondays should be illegal" would be deleted as hate speech.
            # A slur still counts as hate, as in the classifier's view: the line's slur
            # flag, which reads slurs back from their disguise ("ch!nks") and after
            # the idioms are taken out ("faggots and mash", "a fag break"). The score
            # may pass 0.6 unflagged: the flag is the decision, the score the model's.
            line_hate = line["hate"]
            hate = CategoryScore(
                score=max(hate.score, line_hate.score),
                flag=line_hate.flag or line["slur"].flag,
                terms=tuple(dict.fromkeys(line_hate.terms + hate.terms))[:5],
            )
        else:
            sexual = self._lexical(found.get("sexual", []), p_lexical, self.sexual_cfg)
            violence = self._lexical(
                found.get("violence", []), max(p_lexical, p_hate), self.violence_cfg
            )
        extra = (
            {
                name: line[name] if line else _NOTHING
                for name in ("gore", "threat", "slur", "profanity")
            }
            if self.line
            else {}
        )

        sentiment = (
            self._sentiment(text, lang, p_off_linear, p_hate, english) if tokens else _NEUTRAL
        )

        return Triage(
            lang=lang,
            categories={
                "offensive": offensive,
                "hate": hate,
                "sexual": sexual,
                "violence": violence,
                **extra,
            },
            sentiment=sentiment,
            severe_terms=tuple(h.term for h in severe if h.weight >= SEVERE_TERM_WEIGHT),
        )

    def _sentiment(
        self, text: str, lang: str, p_off: float, p_hate: float, english: EncoderView | None
    ) -> SentimentScore:
        val = (self.valence_de if lang == "de" else self.valence_en).score(text)
        feats = sentiment_features(val, p_off, p_hate)
        # Three dot products of ten: plain Python beats numpy's per-call overhead here.
        z = [math.fsum(c * f for c, f in zip(row, feats, strict=True)) for row in self.sent_rows]
        if english is not None and self.stack is not None:
            # A fixed mix of log-probabilities with the encoder's own head (its
            # weight set before looking at the held-out half, not fit on it).
            w = self.stack.sentiment_weight
            own, enc = _log_softmax(z), _log_softmax([float(x) for x in english.sentiment])
            offsets = self.stack.sentiment_offsets
            if english.e5_sentiment is None:
                z = [(1.0 - w) * a + w * b + o for a, b, o in zip(own, enc, offsets, strict=True)]
            else:
                w5 = self.stack.e5_sentiment_weight
                e5 = _log_softmax([float(x) for x in english.e5_sentiment])
                z = [
                    (1.0 - w - w5) * a + w * b + w5 * c + o
                    for a, b, c, o in zip(own, enc, e5, offsets, strict=True)
                ]
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        probs = [v / total for v in e]
        scores = {lab: round(p, _DIGITS) for lab, p in zip(SENTIMENT_LABELS, probs, strict=True)}
        return SentimentScore(SENTIMENT_LABELS[probs.index(max(probs))], scores)

    @staticmethod
    def _lexical(hits: list[Hit], p_model: float, cfg: dict[str, float]) -> CategoryScore:
        """Lexicon evidence, scaled up when the model also finds the text offensive.

        A clinical or news use of a term ("the massacre in 1995") scores lower than
        the same term in an abusive post, which is what the model factor captures.
        """
        if not hits:
            score = cfg["floor"] * p_model
        else:
            score = noisy_or(hits) * (cfg["base"] + (1.0 - cfg["base"]) * p_model)
        return CategoryScore(
            score=round(score, _DIGITS),
            flag=score >= cfg["threshold"],
            terms=tuple(h.term for h in hits[:5]),
        )

    def _drivers(self, tokens: list[str], head: _Head, hits: list[Hit]) -> tuple[str, ...]:
        """Up to five words or phrases that pushed this head's score up the most
        (``drivers.Drivers``; its per-token cache shares the featurizer's lock)."""
        with self._lock:
            return self.drivers.terms(tokens, head.column, hits)


_NOTHING = CategoryScore(0.0, False, ())


_scorers: dict[str, EmbeddedScorer] = {}
_scorer_lock = threading.Lock()


def get_scorer(encoder: str = "on") -> EmbeddedScorer:
    """The process-wide scorer for an encoder mode, loaded on first call (Lambda:
    once per warm container). ``mention`` is the fast mode for the mention stream:
    the linear models and the four fast categories (offensive, hate, sexual,
    violence), no encoder, no delete-line categories, reasons only for flags."""
    if encoder not in (*ENCODER_MODES, MENTION_MODE):
        raise ValueError(
            f"triage encoder mode must be on, cascade, off or mention, not {encoder!r}"
        )
    scorer = _scorers.get(encoder)
    if scorer is None:
        with _scorer_lock:
            scorer = _scorers.get(encoder)
            if scorer is None:
                scorer = EmbeddedScorer(
                    encoder=encoder in ("on", "cascade"),
                    cascade=encoder == "cascade",
                    terms_when_flagged=encoder == MENTION_MODE,
                    line=encoder != MENTION_MODE,
                )
                _scorers[encoder] = scorer
    return scorer
