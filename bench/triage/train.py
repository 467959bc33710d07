"""Train the triage models and write the artifacts under chalicelib/triage/model/.

    OMP_NUM_THREADS=1 python bench/triage/train.py

Deterministic: fixed seeds and folds, single-threaded solvers, and a zip writer
with fixed timestamps, so a rerun rebuilds ``weights.npz`` and ``model.json``
byte for byte (on the same numpy / scikit-learn versions).

Data use: English heads train on the TweetEval train splits; calibration and
decision thresholds come from 5-fold out-of-fold predictions on those train
splits, so the val splits stay for reporting (the C values were picked on val
in exploratory runs, see the README). German heads train on 80% of GermEval 2018's
training file, the other 20% is held out. The sentiment head is tuned on half
of TweetEval sentiment val; the other half is held out for reporting.

English hate also trains on Davidson et al. 2017's hate (positive) and neither
(negative) tweets, at half weight, minus a held-out slice (``data.davidson``)
that only measures robustness. Its calibration and threshold come from
out-of-fold predictions on HatEval train and Davidson's training part together;
the threshold is the one that keeps the flag's precision and false-flag rate
alike on the two sources (``robust_threshold``). The other extra sets did not
pay off on val and are not used (see the README).
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
import zipfile
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score, recall_score  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import data  # noqa: E402

from chalicelib.triage import langid  # noqa: E402
from chalicelib.triage.features import Featurizer  # noqa: E402
from chalicelib.triage.scorer import MODEL_DIR, sentiment_features  # noqa: E402
from chalicelib.triage.valence import ValenceScorer  # noqa: E402

FEATURIZER = {"bits": 18, "char_min": 2, "char_max": 6, "char_weight": 1.0, "word_weight": 0.6}
# Regularisation per head (picked on val in exploratory runs; see model/README.md).
C = {"en.offensive": 3.0, "en.hate": 3.0, "de.offensive": 10.0, "de.hate": 3.0}
FOLDS = 5
SEED = 13
# HatEval's test split differs from train/val (val 0.73 -> test 0.41-0.50 for
# models like ours): flag hate only when clearly likely, not at the balanced optimum.
HATE_MIN_THRESHOLD = 0.6
# Davidson's hate / neither tweets as extra en.hate data, at this sample weight.
DAVIDSON_HATE_WEIGHT = 0.5
# The hate flag should mean the same on HatEval and on Davidson (issue point 4):
# on the out-of-fold dev predictions, precision may differ by at most this much,
# and the share of non-hate texts flagged by at most HATE_MAX_FPR_GAP.
HATE_MAX_PRECISION_GAP = 0.10
HATE_MAX_FPR_GAP = 0.05
# Whether the hate flag uses that robust threshold. It is 0.82 on the dev
# predictions and costs 5 points of HatEval val macro-F1 (72.8 -> 67.4) while
# still missing both bounds on val, so the flag stays at the conservative
# out-of-fold optimum / HATE_MIN_THRESHOLD (see the README).
HATE_USE_ROBUST_THRESHOLD = False
LEXICON = {
    "sexual": {"base": 0.55, "floor": 0.05, "threshold": 0.5},
    "violence": {"base": 0.55, "floor": 0.05, "threshold": 0.5},
    "slurs": {"scale": 0.9},
    "severe": {"scale": 0.9},
}
SENTIMENT_C = 1.0


def matrix(fz: Featurizer, texts: list[str]) -> sp.csr_matrix:
    indptr = [0]
    ind: list[int] = []
    vals: list[float] = []
    for t in texts:
        i, v = fz.featurize(t)
        ind.extend(i)
        vals.extend(v)
        indptr.append(len(ind))
    m = sp.csr_matrix(
        (np.array(vals, dtype=np.float64), np.array(ind, dtype=np.int64), np.array(indptr)),
        shape=(len(texts), 1 << fz.bits),
    )
    m.sum_duplicates()
    return m


def nb_ratio(x: sp.csr_matrix, y: np.ndarray) -> np.ndarray:
    """Log-count ratio of NB-SVM (Wang & Manning 2012), smoothed with alpha = 1."""
    xb = (x > 0).astype(np.float64)
    p = np.asarray(xb[y == 1].sum(axis=0)).ravel() + 1.0
    q = np.asarray(xb[y == 0].sum(axis=0)).ravel() + 1.0
    return np.log((p / p.sum()) / (q / q.sum()))


def nb_ratio_weighted(x: sp.csr_matrix, y: np.ndarray, sw: np.ndarray) -> np.ndarray:
    """``nb_ratio`` with per-row weights on the document counts."""
    xb = (x > 0).astype(np.float64)
    p = np.asarray(xb[y == 1].T @ sw[y == 1]).ravel() + 1.0
    q = np.asarray(xb[y == 0].T @ sw[y == 0]).ravel() + 1.0
    return np.log((p / p.sum()) / (q / q.sum()))


def fit(
    x: sp.csr_matrix, y: np.ndarray, c: float, sample_weight: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """NB-weighted logistic regression; returns weights on the raw features and bias.

    With ``sample_weight``, classes are balanced by their weighted mass (what
    ``class_weight="balanced"`` does for unit weights).
    """
    r = nb_ratio(x, y) if sample_weight is None else nb_ratio_weighted(x, y, sample_weight)
    # Unseen buckets get weight zero anyway; keep r finite and bounded for them.
    r[np.asarray((x > 0).sum(axis=0)).ravel() == 0] = 0.0
    if sample_weight is None:
        clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
        clf.fit(x @ sp.diags(r), y)
    else:
        mass = {k: float(sample_weight[y == k].sum()) for k in (0, 1)}
        total = mass[0] + mass[1]
        balance = np.where(y == 1, total / (2 * mass[1]), total / (2 * mass[0]))
        clf = LogisticRegression(C=c, max_iter=5000)
        clf.fit(x @ sp.diags(r), y, sample_weight=sample_weight * balance)
    return clf.coef_.ravel() * r, float(clf.intercept_[0])


def folds(y: np.ndarray, k: int, seed: int) -> np.ndarray:
    rng = np.random.RandomState(seed)
    fold = np.zeros(len(y), dtype=np.int64)
    for cls in np.unique(y):
        rows = np.flatnonzero(y == cls)
        rng.shuffle(rows)
        fold[rows] = np.arange(len(rows)) % k
    return fold


def oof_logits(x: sp.csr_matrix, y: np.ndarray, c: float) -> np.ndarray:
    fold = folds(y, FOLDS, SEED)
    out = np.zeros(len(y))
    for f in range(FOLDS):
        tr, te = fold != f, fold == f
        w, b = fit(x[tr], y[tr], c)
        out[te] = x[te] @ w + b
    return out


def flag_stats(y: np.ndarray, flag: np.ndarray) -> tuple[float, float]:
    """(precision of the flag, share of negatives flagged)."""
    precision = float(np.sum(flag & (y == 1)) / max(int(np.sum(flag)), 1))
    return precision, float(np.mean(flag[y == 0]))


def robust_threshold(y_a: np.ndarray, p_a: np.ndarray, y_b: np.ndarray, p_b: np.ndarray) -> float:
    """The threshold with the best macro-F1 on source a among those where the flag's
    precision and false-flag rate differ between sources a and b by at most
    HATE_MAX_PRECISION_GAP / HATE_MAX_FPR_GAP; if none does, the one that misses
    those bounds by the least."""
    grid = np.round(np.arange(0.2, 0.91, 0.01), 2)
    best, best_key = float(grid[0]), (-np.inf, -np.inf)
    for t in grid:
        pa, fa = flag_stats(y_a, p_a >= t)
        pb, fb = flag_stats(y_b, p_b >= t)
        miss = max(abs(pa - pb) - HATE_MAX_PRECISION_GAP, abs(fa - fb) - HATE_MAX_FPR_GAP, 0.0)
        key = (-round(miss, 6), float(f1_score(y_a, p_a >= t, average="macro")))
        if key > best_key:
            best, best_key = float(t), key
    return best


def platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    clf = LogisticRegression(C=1e4, max_iter=1000).fit(z[:, None], y)
    return float(clf.coef_[0, 0]), float(clf.intercept_[0])


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    grid = np.round(np.arange(0.2, 0.81, 0.01), 2)
    scores = [f1_score(y, p >= t, average="macro") for t in grid]
    return float(grid[int(np.argmax(scores))])


def sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-z)))


def train_head(
    name: str, fz: Featurizer, train: data.Split, val: data.Split, min_threshold: float = 0.0
) -> tuple[np.ndarray, float, dict[str, float], dict[str, object]]:
    t0 = time.perf_counter()
    xtr, xva = matrix(fz, train.texts), matrix(fz, val.texts)
    c = C[name]
    oof = oof_logits(xtr, train.labels, c)
    a, b = platt(oof, train.labels)
    thr = max(best_threshold(train.labels, sigmoid(a * oof + b)), min_threshold)
    w, bias = fit(xtr, train.labels, c)
    p_val = sigmoid(a * (xva @ w + bias) + b)
    report: dict[str, object] = {
        "val_macro_f1": round(float(f1_score(val.labels, p_val >= thr, average="macro")), 4),
        "val_macro_f1_at_0.5": round(float(f1_score(val.labels, p_val >= 0.5, average="macro")), 4),
        "oof_macro_f1": round(
            float(f1_score(train.labels, sigmoid(a * oof + b) >= thr, average="macro")), 4
        ),
        "threshold": thr,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    print(f"{name:14s} {report}", flush=True)
    return w, bias, {"a": round(a, 6), "b": round(b, 6), "threshold": thr}, report


def train_hate(
    fz: Featurizer, train: data.Split, val: data.Split, extra: data.Split, extra_held: data.Split
) -> tuple[np.ndarray, float, dict[str, float], dict[str, object]]:
    """en.hate on HatEval train plus Davidson's hate (1) and neither (0) tweets.

    ``extra`` and ``extra_held`` carry Davidson's labels (0 hate, 1 offensive
    language, 2 neither); its offensive-language class is left out. Folds are
    stratified by source and label; Platt calibration and the robust threshold
    come from the out-of-fold predictions of both sources.
    """
    t0 = time.perf_counter()
    keep = extra.labels != 1
    extra_texts = [t for t, k in zip(extra.texts, keep, strict=True) if k]
    y_extra = (extra.labels[keep] == 0).astype(np.int64)
    x = sp.vstack([matrix(fz, train.texts), matrix(fz, extra_texts)]).tocsr()
    y = np.concatenate([train.labels, y_extra])
    source = np.concatenate([np.zeros(len(train.labels)), np.ones(len(y_extra))]).astype(np.int64)
    sw = np.where(source == 1, DAVIDSON_HATE_WEIGHT, 1.0)
    c = C["en.hate"]
    fold = folds(source * 2 + y, FOLDS, SEED)
    oof = np.zeros(len(y))
    for f in range(FOLDS):
        tr, te = fold != f, fold == f
        w, b = fit(x[tr], y[tr], c, sw[tr])
        oof[te] = x[te] @ w + b
    a, b = platt(oof, y)
    p_oof = sigmoid(a * oof + b)
    hat, dav = source == 0, source == 1
    robust = robust_threshold(y[hat], p_oof[hat], y[dav], p_oof[dav])
    if HATE_USE_ROBUST_THRESHOLD:
        thr = max(robust, HATE_MIN_THRESHOLD)
    else:
        thr = max(best_threshold(y[hat], p_oof[hat]), HATE_MIN_THRESHOLD)
    w, bias = fit(x, y, c, sw)
    p_val = sigmoid(a * (matrix(fz, val.texts) @ w + bias) + b)
    held = extra_held.labels != 1
    y_held = (extra_held.labels[held] == 0).astype(np.int64)
    x_held = matrix(fz, [t for t, k in zip(extra_held.texts, held, strict=True) if k])
    p_held = sigmoid(a * (x_held @ w + bias) + b)
    dev_a, dev_b = flag_stats(y[hat], p_oof[hat] >= thr), flag_stats(y[dav], p_oof[dav] >= thr)
    val_a, val_b = flag_stats(val.labels, p_val >= thr), flag_stats(y_held, p_held >= thr)
    report = {
        "val_macro_f1": round(float(f1_score(val.labels, p_val >= thr, average="macro")), 4),
        "oof_macro_f1": round(float(f1_score(y[hat], p_oof[hat] >= thr, average="macro")), 4),
        "davidson_heldout_macro_f1": round(
            float(f1_score(y_held, p_held >= thr, average="macro")), 4
        ),
        "dev_precision_hateval_davidson": [round(dev_a[0], 4), round(dev_b[0], 4)],
        "dev_nonhate_flag_rate_hateval_davidson": [round(dev_a[1], 4), round(dev_b[1], 4)],
        "val_precision_hateval_davidson": [round(val_a[0], 4), round(val_b[0], 4)],
        "val_nonhate_flag_rate_hateval_davidson": [round(val_a[1], 4), round(val_b[1], 4)],
        "threshold": thr,
        "robust_threshold": robust,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    print(f"{'en.hate':14s} {report}", flush=True)
    return w, bias, {"a": round(a, 6), "b": round(b, 6), "threshold": thr}, report


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like np.savez_compressed, but with fixed zip timestamps for byte-identical output."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for key in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arrays[key]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())


def quantize(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column symmetric int8; scale so the 99.99th percentile maps to 127, clip the rest."""
    cap = np.quantile(np.abs(w), 0.9999, axis=0)
    scale = np.where(cap > 0, cap / 127.0, 1.0)
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def main() -> dict[str, object]:
    t0 = time.perf_counter()
    fz = Featurizer(**FEATURIZER)  # type: ignore[arg-type]
    off_tr, off_va = data.tweeteval("offensive", "train"), data.tweeteval("offensive", "val")
    hate_tr, hate_va = data.tweeteval("hate", "train"), data.tweeteval("hate", "val")
    de_tr, de_va, ab_tr, ab_va = data.germeval()
    dav_tr, dav_held = data.davidson()

    columns: list[np.ndarray] = []
    biases: list[float] = []
    heads: dict[str, dict[str, dict[str, float | int]]] = {"en": {}, "de": {}}
    reports: dict[str, dict[str, object]] = {}
    for name, tr, va, min_thr in (
        ("en.offensive", off_tr, off_va, 0.0),
        ("en.hate", hate_tr, hate_va, HATE_MIN_THRESHOLD),
        ("de.offensive", de_tr, de_va, 0.0),
        ("de.hate", ab_tr, ab_va, HATE_MIN_THRESHOLD),
    ):
        if name == "en.hate":
            w, bias, calib, rep = train_hate(fz, tr, va, dav_tr, dav_held)
        else:
            w, bias, calib, rep = train_head(name, fz, tr, va, min_thr)
        lang, head = name.split(".")
        heads[lang][head] = {"column": len(columns), **calib}
        columns.append(w)
        biases.append(bias)
        reports[name] = rep
    weights = np.stack(columns, axis=1)
    q, scale = quantize(weights)

    # Sentiment head over VADER outputs and the English offensive/hate probabilities.
    en_val, _ = ValenceScorer.load(MODEL_DIR)
    tune, held = data.sentiment()

    def sent_x(texts: list[str]) -> np.ndarray:
        x = matrix(fz, texts)
        deq = q.astype(np.float64) * scale
        z = x @ deq + np.array(biases)
        rows = []
        for t, zi in zip(texts, z, strict=True):
            off = heads["en"]["offensive"]
            hat = heads["en"]["hate"]
            p_off = float(sigmoid(np.array(off["a"] * zi[int(off["column"])] + off["b"])))
            p_hate = float(sigmoid(np.array(hat["a"] * zi[int(hat["column"])] + hat["b"])))
            rows.append(sentiment_features(en_val.score(t), p_off, p_hate))
        return np.array(rows)

    xt, xh = sent_x(tune.texts), sent_x(held.texts)
    clf = LogisticRegression(
        C=SENTIMENT_C, max_iter=5000, class_weight="balanced", fit_intercept=False
    )
    clf.fit(xt, tune.labels)
    sent_coef = clf.coef_
    reports["sentiment"] = {
        "heldout_macro_recall": round(
            float(recall_score(held.labels, clf.predict(xh), average="macro")), 4
        ),
        "tune_macro_recall": round(
            float(recall_score(tune.labels, clf.predict(xt), average="macro")), 4
        ),
    }
    print(f"{'sentiment':14s} {reports['sentiment']}", flush=True)

    write_npz(
        MODEL_DIR / "weights.npz",
        {
            "weights": q,
            "scale": scale,
            "bias": np.array(biases, dtype=np.float64),
            "sentiment": sent_coef.astype(np.float64),
        },
    )
    meta = {
        "format": 1,
        "featurizer": FEATURIZER,
        "heads": heads,
        "lexicon": LEXICON,
        "training": {
            "C": C,
            "folds": FOLDS,
            "seed": SEED,
            "hate_min_threshold": HATE_MIN_THRESHOLD,
            "hate_max_precision_gap": HATE_MAX_PRECISION_GAP,
            "hate_max_fpr_gap": HATE_MAX_FPR_GAP,
            "hate_use_robust_threshold": HATE_USE_ROBUST_THRESHOLD,
            "davidson_hate_weight": DAVIDSON_HATE_WEIGHT,
            "davidson_heldout": data.DAVIDSON_HELDOUT,
            "sentiment_C": SENTIMENT_C,
            "germeval_heldout": data.GERMEVAL_HELDOUT,
            "sentiment_tune_fraction": data.SENTIMENT_TUNE,
            "langid_check": {
                "germeval_heldout_detected_de": round(
                    float(np.mean([langid.detect(t) == "de" for t in de_va.texts])), 4
                )
            },
        },
    }
    with (MODEL_DIR / "model.json").open("w", encoding="utf-8") as fh:
        json.dump(meta, fh, indent=1, sort_keys=True)
        fh.write("\n")
    print(f"trained in {time.perf_counter() - t0:.0f} s", flush=True)
    return {"reports": reports}


if __name__ == "__main__":
    main()
