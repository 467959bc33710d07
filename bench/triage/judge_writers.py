"""How the delete line's judge does on writers it never saw: the evidence behind
``train_judge.HARMLESS_ABOVE`` and ``train_judge.NGRAM_C``.

    OMP_NUM_THREADS=1 python bench/triage/judge_writers.py [--ngram-c 64] [--c 0.1]  # ~5 min

Out-of-fold judge scores with the folds grouped by writer: each writer's 200 posts
(``bench/crisis/judge/written/``) are scored by a judge trained on everything else, the
other writers' posts in other folds (six, writers dealt round-robin), the rest of the
training posts in random folds. Random folds let a writer's own phrasing into the
training half; a brand's next post is by a writer the judge never saw.

Then, per language and share of harmless brand posts above the threshold (set, as
``train_judge`` sets it, on those harmless posts' out-of-fold scores), it prints how many
of the writers' deletes that the word lists miss the judge catches, and how many of
their keeps that the lists leave alone it deletes. The last line is JSON.

``train_judge.HARMLESS_ABOVE`` keeps, per language, the last step of 1 % at which the
catches outnumber the new false deletes four to one.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from typing import Any

import numpy as np
import train_judge as tj  # puts the repository on the import path
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from chalicelib.triage import langid
from chalicelib.triage.encoder import Encoder
from chalicelib.triage.judge import combined
from chalicelib.triage.line_names import as_named
from chalicelib.triage.scorer import EmbeddedScorer

FOLDS = 6
SHARES = (0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05)
LINE = ("sexual", "gore", "threat", "slur", "profanity", "hate")


def writers_of(texts: list[str]) -> np.ndarray:
    """The writer file (``en_a`` …) each text comes from; "" for any other post."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        index[text].append(i)
    out = np.array([""] * len(texts), dtype=object)
    for path in sorted((tj.HERE / "judge" / "written").glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for i in index[as_named(line.split("\t")[2])]:
                out[i] = path.stem
    return out


def grouped_folds(writer: np.ndarray) -> np.ndarray:
    """Each writer's posts in one fold (dealt round-robin, English and German alike),
    every other post in a random one (seed 0)."""
    fold = np.random.default_rng(tj.SEED).integers(0, FOLDS, len(writer))
    names = sorted({w for w in writer if w}, key=lambda n: (n[3:], n))
    deal = {name: k % FOLDS for k, name in enumerate(names)}
    for i, name in enumerate(writer):
        if name:
            fold[i] = deal[name]
    return fold


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ngram-c", type=float, default=tj.NGRAM_C)
    ap.add_argument("--c", type=float, default=tj.C)
    args = ap.parse_args()

    own, mundane = tj.training_posts(), tj.mundane_posts()
    posts = own + [(t, 0, None) for t in tj.rude_tweets() + tj.ordinary_tweets() + mundane]
    brand = np.arange(len(posts)) < len(own)
    texts = [as_named(t) for t, _, _ in posts]
    y = np.array([d for _, d, _ in posts])
    lang = np.array([langid.detect(t) for t in texts])
    writer = writers_of(texts)
    fold = grouped_folds(writer)

    x = Encoder().read(texts)[2].astype(np.float64)
    linear = EmbeddedScorer(encoder=False, line=False)
    german = tj.ngram_rows(linear, tj.german_tweets())
    vector, ngram = np.zeros(len(y)), np.zeros(len(y))
    for k in range(FOLDS):
        train, test = fold != k, fold == k
        model = LogisticRegression(C=args.c, max_iter=3000, class_weight="balanced")
        vector[test] = model.fit(x[train], y[train]).predict_proba(x[test])[:, 1]
        for lg in tj.LANGUAGES:
            rows, held = np.flatnonzero(train & (lang == lg)), np.flatnonzero(test & (lang == lg))
            xt, yt = tj.ngram_rows(linear, [texts[i] for i in rows]), y[rows]
            if lg == "de":
                xt = sparse.vstack([xt, german])
                yt = np.concatenate([yt, np.zeros(german.shape[0], dtype=y.dtype)])
            ngrams = LogisticRegression(C=args.ngram_c, max_iter=3000, class_weight="balanced")
            ngrams.fit(xt, yt)
            if len(held):
                xh = tj.ngram_rows(linear, [texts[i] for i in held])
                ngram[held] = ngrams.predict_proba(xh)[:, 1]
    score = combined(vector, ngram)

    # The judge speaks only where the word lists flag nothing.
    written = np.flatnonzero(writer != "")
    flagged = np.zeros(len(y), dtype=bool)
    reports = EmbeddedScorer(encoder=False).score_many([texts[i] for i in written])
    for i, report in zip(written, reports, strict=True):
        flagged[i] = any(report.categories[c].flag for c in LINE)

    result: dict[str, Any] = {"ngram_C": args.ngram_c, "C": args.c, "writers": {}}
    for lg in tj.LANGUAGES:
        harmless = np.sort(score[(y == 0) & (lang == lg) & brand])
        theirs = (writer != "") & (lang == lg) & ~flagged
        names = sorted({w for w in writer[theirs]})
        print(
            f"{lg}: {len(names)} writers; {int((theirs & (y == 1)).sum())} deletes and "
            f"{int((theirs & (y == 0)).sum())} keeps the word lists leave alone"
        )
        steps: list[dict[str, float]] = []
        for share in SHARES:
            threshold = float(harmless[int(len(harmless) * (1 - share))])
            caught = int((theirs & (y == 1) & (score >= threshold)).sum())
            deleted = int((theirs & (y == 0) & (score >= threshold)).sum())
            steps.append(
                {
                    "share": share,
                    "threshold": round(threshold, 3),
                    "caught": caught,
                    "keeps_deleted": deleted,
                }
            )
            print(
                f"  {share * 100:4.1f} %  threshold {threshold:.3f}  deletes caught "
                f"{caught:4d}  keeps deleted {deleted:3d}"
            )
        result[lg] = steps
        result["writers"][lg] = names
    print(json.dumps(result))


if __name__ == "__main__":
    main()
