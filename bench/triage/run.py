"""Benchmark the committed triage artifacts: accuracy on val, speed, cold load, size.

    python bench/triage/run.py            # evaluate the committed artifacts
    python bench/triage/run.py --train    # retrain the linear model, refit the encoder stack

Reads data from ../shared/data relative to the project root (FIREBREAK_DATA_DIR
overrides). Everything runs on one thread. A plain TF-IDF + logistic regression
baseline (scikit-learn) is measured in the same run, since speeds on this
machine vary by +-30% between runs. Human-readable lines first, then one JSON
object as the last line of stdout.

Sentiment is TweetEval sentiment val, less the 58 tweets that SemEval 2017's copy here
also holds under another link (``data.in_semeval2017``; the readers trained on 45 of
them). The VADER-feature head trains on half of val (``data.sentiment``), so every mode
is reported on the other half. Where that head weighs nothing in the default mode's mix
(``vader_weight``; 0 since 2026-12-01), that mode learnt from none of val and is also
reported on all of it, the figure the goal of 70 is read on.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import data  # noqa: E402

from chalicelib.triage import ENCODER_MODES  # noqa: E402

if TYPE_CHECKING:
    from chalicelib.triage.scorer import EmbeddedScorer

ROOT = data.ROOT
MODEL_DIR = ROOT / "chalicelib" / "triage" / "model"


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    scores = []
    for cls in (0, 1):
        tp = float(np.sum((pred == cls) & (y == cls)))
        fp = float(np.sum((pred == cls) & (y != cls)))
        fn = float(np.sum((pred != cls) & (y == cls)))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


def macro_recall(y: np.ndarray, pred: np.ndarray) -> float:
    return float(np.mean([np.mean(pred[y == c] == c) for c in np.unique(y)]))


# Resamples for the 95 % intervals of the two figures whose goals sit within their noise.
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 2026


def bootstrap_interval(
    metric: Callable[[np.ndarray, np.ndarray], float], y: np.ndarray, pred: np.ndarray
) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of ``metric`` over resamples of the texts (with
    replacement, a fixed seed): how far the figure could move on another draw of tweets
    like these."""
    rng = np.random.RandomState(BOOTSTRAP_SEED)
    draws = [
        metric(y[rows], pred[rows])
        for rows in (rng.randint(0, len(y), len(y)) for _ in range(BOOTSTRAP_RESAMPLES))
    ]
    lo, hi = np.percentile(draws, [2.5, 97.5])
    return float(lo), float(hi)


def vader_weight(scorer: EmbeddedScorer) -> float:
    """The weight of the VADER-feature head in the English sentiment mix of every English
    text, 1.0 where some are read without the readers (cascade, no encoder). That head is
    the only part of the scorer trained on TweetEval sentiment val (its tuning half,
    ``data.sentiment``): the encoder and e5 learnt from SemEval 2017 (``train.json``
    says where a reader also learnt from that half), and the mix and its offsets were
    fit on SemEval's dev split."""
    stack = scorer.stack
    if stack is None or scorer.encoder is None or scorer.cascade:
        return 1.0
    for reader in ("encoder", "e5"):
        path = MODEL_DIR / reader / "train.json"
        if path.exists() and json.loads(path.read_text("utf-8")).get("sent_tune_half"):
            return 1.0
    e5 = stack.e5_sentiment_weight if scorer.e5 is not None else 0.0
    return 1.0 - stack.sentiment_weight - e5


def fresh_process_seconds(statement: str, repeats: int) -> float:
    """Median seconds a fresh interpreter spends running ``statement``."""
    code = f"import time; t=time.perf_counter(); {statement}; print(time.perf_counter()-t)"
    times = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        times.append(float(out.stdout.strip()))
    return statistics.median(times)


def cold_load(mode: str, repeats: int = 5) -> float:
    """Median seconds for a fresh interpreter to import the scorer, load it and score once."""
    return fresh_process_seconds(
        f"from chalicelib.triage import get_scorer; get_scorer({mode!r}).score('hello world')",
        repeats,
    )


def sklearn_import(repeats: int = 3) -> float:
    """Median seconds for a fresh interpreter to import what the sklearn baseline needs."""
    return fresh_process_seconds(
        "import sklearn.linear_model, sklearn.feature_extraction.text", repeats
    )


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def make_scorer(mode: str) -> EmbeddedScorer:
    """A fresh scorer for an encoder mode (on, cascade, off), as in a new Lambda."""
    from chalicelib.triage.scorer import EmbeddedScorer

    return EmbeddedScorer(encoder=mode != "off", cascade=mode == "cascade")


def throughput(texts: list[str], mode: str, repeats: int = 2) -> tuple[float, float]:
    """(batch texts/s, one-at-a-time texts/s), best of ``repeats`` on fresh scorers."""

    batch, single = [], []
    for _ in range(repeats):
        # A fresh scorer each time so the word caches start cold, as in a new Lambda.
        s = make_scorer(mode)
        t = time.perf_counter()
        for i in range(0, len(texts), 256):
            s.score_many(texts[i : i + 256])
        batch.append(len(texts) / (time.perf_counter() - t))
        s = make_scorer(mode)
        t = time.perf_counter()
        for text in texts:
            s.score(text)
        single.append(len(texts) / (time.perf_counter() - t))
    return max(batch), max(single)


def baseline(train: data.Split, val: data.Split) -> tuple[float, float]:
    """TF-IDF word 1-2 + char 2-5 n-grams, logistic regression: (val macro-F1, texts/s)."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    word = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
    x = sp.hstack([word.fit_transform(train.texts), char.fit_transform(train.texts)]).tocsr()
    clf = LogisticRegression(C=10, max_iter=3000, class_weight="balanced").fit(x, train.labels)
    t = time.perf_counter()
    xv = sp.hstack([word.transform(val.texts), char.transform(val.texts)]).tocsr()
    pred = clf.predict(xv)
    speed = len(val.texts) / (time.perf_counter() - t)
    return macro_f1(val.labels, pred), speed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", action="store_true", help="retrain the artifacts first")
    parser.add_argument("--no-baseline", action="store_true", help="skip the sklearn baseline")
    args = parser.parse_args()

    off_tr, off_va = data.tweeteval("offensive", "train"), data.tweeteval("offensive", "val")
    hate_tr, hate_va = data.tweeteval("hate", "train"), data.tweeteval("hate", "val")
    de_tr, de_va, _, ab_va = data.germeval()
    # Val's tweets that SemEval 2017's copy holds under another link are left out: the
    # readers' sentiment heads trained on most of them.
    sent_tune, sent_held = (data.unseen(part) for part in data.sentiment())
    _, dav_held = data.davidson()

    if args.train or not (MODEL_DIR / "weights.npz").exists():
        import train

        train.main()
        # The encoder's stack was fit against the linear model: refit it too.
        import calibrate_encoder

        calibrate_encoder.main([])

    from chalicelib.triage.scorer import EmbeddedScorer

    labels = ("negative", "neutral", "positive")
    res: dict[str, float | int | str] = {}
    modes: dict[str, dict[str, float]] = {}
    # Speed on English tweets only: German never reaches the encoder, so a mixed
    # set would flatter the encoder modes. (Mentions are mostly English.)
    speed_texts = off_va.texts
    # The English encoder changes English offensive and sentiment; hate and
    # German are the linear models' in every mode.
    intervals: dict[str, tuple[float, float]] = {}
    for mode in ENCODER_MODES:
        scorer = make_scorer(mode)
        off_pred = np.array(
            [t.categories["offensive"].flag for t in scorer.score_many(off_va.texts)]
        )
        sent_pred = np.array(
            [labels.index(t.sentiment.label) for t in scorer.score_many(sent_held.texts)]
        )
        figures = {
            "offensive_val_macro_f1": macro_f1(off_va.labels, off_pred),
            "sentiment_heldout_macro_recall": macro_recall(sent_held.labels, sent_pred),
        }
        if mode == "on":
            intervals = {
                "offensive_val_macro_f1": bootstrap_interval(macro_f1, off_va.labels, off_pred),
                "sentiment_heldout_macro_recall": bootstrap_interval(
                    macro_recall, sent_held.labels, sent_pred
                ),
            }
            # Where the head trained on the tuning half weighs nothing in the mix, this mode
            # learnt from none of val (bar two tweets read as German, which get that head
            # alone): twice the tweets of the held-out half, and the issue's own measure.
            if abs(vader_weight(scorer)) < 1e-9:
                tune_pred = np.array(
                    [labels.index(t.sentiment.label) for t in scorer.score_many(sent_tune.texts)]
                )
                y = np.concatenate([sent_tune.labels, sent_held.labels])
                pred = np.concatenate([tune_pred, sent_pred])
                figures["sentiment_val_macro_recall"] = macro_recall(y, pred)
                figures["sentiment_tuning_half_macro_recall"] = macro_recall(
                    sent_tune.labels, tune_pred
                )
                intervals["sentiment_val_macro_recall"] = bootstrap_interval(macro_recall, y, pred)
        figures["texts_per_s_batch"], figures["texts_per_s_single"] = throughput(speed_texts, mode)
        figures["cold_load_s"] = cold_load(mode)
        modes[mode] = figures

    # The classifiers' own figures: without the delete line, whose hate is stricter
    # (reported below as the line's hate flag).
    scorer = EmbeddedScorer(encoder=False, line=False)
    line_scorer = EmbeddedScorer(encoder=False)

    def flags(texts: list[str], category: str, using: EmbeddedScorer = scorer) -> np.ndarray:
        return np.array([t.categories[category].flag for t in using.score_many(texts)])

    default = modes["on"]
    res["offensive_val_macro_f1"] = default["offensive_val_macro_f1"]
    res["hate_val_macro_f1"] = macro_f1(hate_va.labels, flags(hate_va.texts, "hate"))
    res["germeval_heldout_macro_f1"] = macro_f1(de_va.labels, flags(de_va.texts, "offensive"))
    res["germeval_abuse_as_hate_heldout_macro_f1"] = macro_f1(
        ab_va.labels, flags(ab_va.texts, "hate")
    )
    res["sentiment_heldout_macro_recall"] = default["sentiment_heldout_macro_recall"]
    res["sentiment_heldout_tweets"] = len(sent_held.texts)
    res["sentiment_tuning_half_tweets"] = len(sent_tune.texts)
    for key in ("sentiment_val_macro_recall", "sentiment_tuning_half_macro_recall"):
        if key in default:
            res[key] = default[key]
    for key, (lo, hi) in intervals.items():
        res[f"{key}_ci95_low"], res[f"{key}_ci95_high"] = lo, hi
    hate_scores = np.array([t.categories["hate"].score for t in scorer.score_many(hate_va.texts)])
    res["hate_val_flag_rate"] = float(np.mean(hate_scores >= scorer.heads["en"]["hate"].threshold))
    res["hate_val_prevalence"] = float(np.mean(hate_va.labels))
    # Hate robustness across sources: the same flag on HatEval val and on the
    # held-out slice of Davidson's hate (1) and neither (0) tweets (never trained on).
    dav = dav_held.labels != 1
    dav_y = (dav_held.labels[dav] == 0).astype(np.int64)
    dav_texts = [t for t, k in zip(dav_held.texts, dav, strict=True) if k]
    dav_f = flags(dav_texts, "hate")
    line_hate_va = flags(hate_va.texts, "hate", line_scorer)
    line_dav_f = flags(dav_texts, "hate", line_scorer)
    res["line_hate_val_macro_f1"] = macro_f1(hate_va.labels, line_hate_va)
    for key, y, f in (
        ("hate_val", hate_va.labels, flags(hate_va.texts, "hate")),
        ("davidson_heldout_hate", dav_y, dav_f),
        ("line_hate_val", hate_va.labels, line_hate_va),
        ("line_davidson_heldout_hate", dav_y, line_dav_f),
    ):
        res[f"{key}_precision"] = float(np.sum(f & (y == 1)) / max(int(np.sum(f)), 1))
        res[f"{key}_nonhate_flag_rate"] = float(np.mean(f[y == 0]))
    res["davidson_heldout_hate_macro_f1"] = macro_f1(dav_y, dav_f)
    res["texts_per_s_batch"] = default["texts_per_s_batch"]
    res["texts_per_s_single"] = default["texts_per_s_single"]
    res["cold_load_s"] = default["cold_load_s"]
    res["model_dir_bytes"] = dir_size(MODEL_DIR)
    res["encoder_bytes"] = dir_size(MODEL_DIR / "encoder")
    res["numpy_install_bytes"] = dir_size(Path(np.__file__).parent)
    import onnxruntime

    res["onnxruntime_install_bytes"] = dir_size(Path(onnxruntime.__file__).parent)

    if not args.no_baseline:
        res["baseline_offensive_val_macro_f1"], res["baseline_texts_per_s_batch"] = baseline(
            off_tr, off_va
        )
        res["baseline_germeval_heldout_macro_f1"], _ = baseline(de_tr, de_va)
        res["baseline_hate_val_macro_f1"], _ = baseline(hate_tr, hate_va)
        res["baseline_cold_import_s"] = sklearn_import()

    print("Firebreak content triage — val figures (test splits are never used)")
    print("  default (encoder on):")
    rows = (
        ("TweetEval offensive val macro-F1", "offensive_val_macro_f1", "(goal 80)"),
        ("TweetEval hate val macro-F1", "hate_val_macro_f1", "(goal 57)"),
        ("GermEval 2018 coarse held-out macro-F1", "germeval_heldout_macro_f1", "(goal 77)"),
        ("GermEval ABUSE-as-hate held-out macro-F1", "germeval_abuse_as_hate_heldout_macro_f1", ""),
        (
            "TweetEval sentiment held-out macro-recall",
            "sentiment_heldout_macro_recall",
            "(half of val)",
        ),
        (
            "TweetEval sentiment val macro-recall",
            "sentiment_val_macro_recall",
            "(goal 70)",
        ),
    )
    for label, key, goal in rows:
        if key not in res:
            print(f"  {label:42s}   n/a  the head trained on half of val is in the mix")
            continue
        row = f"  {label:42s} {float(res[key]) * 100:5.1f}  {goal}"
        if f"{key}_ci95_low" in res:
            row += (
                f"  95 % bootstrap interval {float(res[f'{key}_ci95_low']) * 100:.1f}–"
                f"{float(res[f'{key}_ci95_high']) * 100:.1f}"
            )
        print(row)
    if "sentiment_tuning_half_macro_recall" in res:
        print(
            "    sentiment, val's halves: tuning "
            f"{float(res['sentiment_tuning_half_macro_recall']) * 100:.1f} (it trained only "
            "the VADER-feature head, weight 0 in this mode's mix), held-out "
            f"{float(res['sentiment_heldout_macro_recall']) * 100:.1f}"
        )
    print(
        f"    sentiment tweets: {res['sentiment_heldout_tweets']} held out, "
        f"{res['sentiment_tuning_half_tweets']} in the tuning half (val's 2,000 less those "
        "SemEval 2017 also holds)"
    )
    print(
        f"    hate flags on val: {float(res['hate_val_flag_rate']) * 100:.1f}% of tweets "
        f"(prevalence {float(res['hate_val_prevalence']) * 100:.1f}%)"
    )
    print(
        "    hate robustness (flag precision / non-hate flagged), HatEval val vs Davidson "
        f"held-out: {float(res['hate_val_precision']) * 100:.1f} / "
        f"{float(res['hate_val_nonhate_flag_rate']) * 100:.1f}% vs "
        f"{float(res['davidson_heldout_hate_precision']) * 100:.1f} / "
        f"{float(res['davidson_heldout_hate_nonhate_flag_rate']) * 100:.1f}% "
        "(goal: gaps <= 10 / 5 points); Davidson held-out macro-F1 "
        f"{float(res['davidson_heldout_hate_macro_f1']) * 100:.1f}"
    )
    print(
        "    the delete line's hate flag (own posts: the model alone only at p >= 0.8), "
        f"same sets: {float(res['line_hate_val_precision']) * 100:.1f} / "
        f"{float(res['line_hate_val_nonhate_flag_rate']) * 100:.1f}% vs "
        f"{float(res['line_davidson_heldout_hate_precision']) * 100:.1f} / "
        f"{float(res['line_davidson_heldout_hate_nonhate_flag_rate']) * 100:.1f}%; "
        f"HatEval val macro-F1 {float(res['line_hate_val_macro_f1']) * 100:.1f}"
    )
    print(
        "  throughput, one thread, English tweets: "
        f"{res['texts_per_s_batch']:.0f} texts/s batched, "
        f"{res['texts_per_s_single']:.0f} texts/s one at a time (goal 500)"
    )
    print(
        "  cold load (fresh process: import + load + 1 text): "
        f"{res['cold_load_s']:.3f} s (goal 1 s)"
    )
    print(
        f"  size: model {int(res['model_dir_bytes']) / 1e6:.2f} MB "
        f"(encoder {int(res['encoder_bytes']) / 1e6:.2f} MB), "
        f"numpy {int(res['numpy_install_bytes']) / 1e6:.1f} MB, "
        f"onnxruntime {int(res['onnxruntime_install_bytes']) / 1e6:.1f} MB"
    )
    print("  the trade-off, per FIREBREAK_TRIAGE_ENCODER mode (same run, one thread):")
    print("    mode      offensive F1  sentiment recall  texts/s batch  one at a time  cold load")
    for mode, fig in modes.items():
        print(
            f"    {mode:8s}  {fig['offensive_val_macro_f1'] * 100:12.1f}  "
            f"{fig['sentiment_heldout_macro_recall'] * 100:16.1f}  "
            f"{fig['texts_per_s_batch']:13.0f}  {fig['texts_per_s_single']:13.0f}  "
            f"{fig['cold_load_s']:8.3f} s"
        )
    if not args.no_baseline:
        print(
            "  baseline TF-IDF+LR (same run): "
            f"offensive {res['baseline_offensive_val_macro_f1'] * 100:.1f}, "
            f"hate {res['baseline_hate_val_macro_f1'] * 100:.1f}, "
            f"GermEval {res['baseline_germeval_heldout_macro_f1'] * 100:.1f}, "
            f"{res['baseline_texts_per_s_batch']:.0f} texts/s batched (offensive only), "
            f"sklearn import alone {res['baseline_cold_import_s']:.2f} s"
        )
    import line_figures

    line = {"crisis": line_figures.crisis_accuracy(), "mention_speed": line_figures.mention_speed()}
    for text in line_figures.report(line):
        print("  " + text)
    out = {k: round(v, 4) if isinstance(v, float) else v for k, v in res.items()}
    out["modes"] = {m: {k: round(v, 4) for k, v in fig.items()} for m, fig in modes.items()}  # type: ignore[assignment]
    out.update(line)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
