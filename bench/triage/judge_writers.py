"""How the delete line's judge does on writers it never saw: the evidence behind
``train_judge.HARMLESS_ABOVE`` and ``train_judge.NGRAM_C``.

    OMP_NUM_THREADS=1 python bench/triage/judge_writers.py [--ngram-c 64] [--c 0.1]  # ~5 min

Out-of-fold judge scores as ``train_judge`` computes them to set its thresholds
(``train_judge.writer_folds``): each writer's 200 posts (``bench/crisis/judge/written/``)
are scored by a judge trained without them, each language's writers dealt round-robin
over the five folds, the rest of the training posts in random folds. A brand's next post
is by a writer the judge never saw.

Then, per language and share of harmless brand posts above the threshold (set on those
harmless posts' out-of-fold scores, as ``train_judge`` sets it), it prints how many of
the writers' deletes that the word lists miss the judge catches, and how many of their
keeps that the lists leave alone it deletes. The last line is JSON.

``train_judge.HARMLESS_ABOVE`` takes, per language, steps of 1 % from 1 % for as long as
each step's new catches are at least four times its new false deletes.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import numpy as np
import train_judge as tj  # puts the repository on the import path

from chalicelib.triage.encoder import Encoder
from chalicelib.triage.judge import combined
from chalicelib.triage.line import LINE_CATEGORIES
from chalicelib.triage.scorer import EmbeddedScorer

SHARES = (0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ngram-c", type=float, default=tj.NGRAM_C)
    ap.add_argument("--c", type=float, default=tj.C)
    args = ap.parse_args()

    _, texts, y, lang, brand, _ = tj.inputs()
    writer = tj.writers_of(texts)
    folds = tj.writer_folds(writer)

    x = Encoder().read(texts)[2].astype(np.float64)
    linear = EmbeddedScorer(encoder=False, line=False)
    vector = tj.vector_oof(x, y, folds, args.c)
    _, ngram = tj.fit_ngrams(linear, texts, y, lang, tj.german_tweets(), folds, args.ngram_c)
    score = combined(vector, ngram)

    # The judge speaks only where the word lists flag nothing.
    written = np.flatnonzero(writer != "")
    flagged = np.zeros(len(y), dtype=bool)
    reports = EmbeddedScorer(encoder=False).score_many([texts[i] for i in written])
    for i, report in zip(written, reports, strict=True):
        flagged[i] = any(report.categories[c].flag for c in LINE_CATEGORIES)

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
