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


def fit(x: sp.csr_matrix, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """NB-weighted logistic regression; returns weights on the raw features and bias."""
    r = nb_ratio(x, y)
    # Unseen buckets get weight zero anyway; keep r finite and bounded for them.
    r[np.asarray((x > 0).sum(axis=0)).ravel() == 0] = 0.0
    clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    clf.fit(x @ sp.diags(r), y)
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
) -> tuple[np.ndarray, float, dict[str, float], dict[str, float]]:
    t0 = time.perf_counter()
    xtr, xva = matrix(fz, train.texts), matrix(fz, val.texts)
    c = C[name]
    oof = oof_logits(xtr, train.labels, c)
    a, b = platt(oof, train.labels)
    thr = max(best_threshold(train.labels, sigmoid(a * oof + b)), min_threshold)
    w, bias = fit(xtr, train.labels, c)
    p_val = sigmoid(a * (xva @ w + bias) + b)
    report = {
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

    columns: list[np.ndarray] = []
    biases: list[float] = []
    heads: dict[str, dict[str, dict[str, float | int]]] = {"en": {}, "de": {}}
    reports: dict[str, dict[str, float]] = {}
    for name, tr, va, min_thr in (
        ("en.offensive", off_tr, off_va, 0.0),
        ("en.hate", hate_tr, hate_va, HATE_MIN_THRESHOLD),
        ("de.offensive", de_tr, de_va, 0.0),
        ("de.hate", ab_tr, ab_va, HATE_MIN_THRESHOLD),
    ):
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
