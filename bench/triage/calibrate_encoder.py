"""Calibrate the English encoder against the linear model and pick the cascade band.

    python bench/triage/calibrate_encoder.py [--encoder DIR]

Everything here is fit on the dev split that ``train_encoder.py`` held out of
TweetEval offensive train (10 %, stratified, the same seed): the encoder never
trained on it, and the linear model's logits for it are 5-fold out-of-fold, so
both behave there as they will on new posts. Val is only reported.

Writes ``encoder.json`` beside the ONNX model:

- ``stack``: a logistic regression over (encoder logit, linear logit), the
  calibrated English offensive probability, and its flag threshold;
- ``cascade``: the band of the linear model's calibrated probability inside
  which the encoder runs. Outside it the linear model is sure enough on dev that
  asking the encoder changes almost no decision, so those posts cost a gather
  and a sum instead of a transformer pass;
- ``stack.e5``: where the second reader (``e5.py``, fine-tuned by
  ``train_sentiment_encoder.py`` on the same train less the same dev split) is
  committed, its offensive logit is a third input of the stack;
- ``sentiment``: the weights of the encoder's and e5's sentiment heads against the
  VADER head in log space, and offsets added to the negative and positive
  log-probabilities, fit together for macro-recall on a dev split of SemEval 2017
  train (20 %, stratified, seed 2017) that no head trained on. The readers
  learnt SemEval's class shares (half neutral); macro-recall weighs the three
  classes alike, and the offsets say by how much to lean away from neutral;
- ``e5_model``: a digest of the e5 reader the weights were fit on;
- ``linear_model``: a digest of the linear model it was fit against. A retrained
  linear model makes the stack stale; a unit test compares the digests.

``MAX_CHANGED`` is a fixed choice, not tuned on the figures this prints.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score, recall_score  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import data  # noqa: E402
import preoptimise  # noqa: E402
import train  # noqa: E402
from train_encoder import DEV_FRACTION, SEED  # noqa: E402

from chalicelib.triage.e5 import E5_DIR, E5Reader  # noqa: E402
from chalicelib.triage.encoder import ENCODER_DIR, Encoder  # noqa: E402
from chalicelib.triage.features import Featurizer, normalize, tokenize  # noqa: E402
from chalicelib.triage.scorer import MODEL_DIR, EmbeddedScorer  # noqa: E402
from chalicelib.triage.stack import e5_digest, linear_digest  # noqa: E402

# The encoder may be skipped only where skipping it changes at most this share
# of the dev split's decisions.
MAX_CHANGED = 0.01
# Offsets tried on the negative and positive log-probabilities of the sentiment mix.
OFFSET_GRID = np.round(np.arange(-0.5, 2.0001, 0.1), 2)
# The sentiment mix is fit on data.SENTIMENT_DEV_FRACTION of SemEval 2017 train.
# Grid of the readers' weights in the sentiment mix (the VADER head gets the rest).
WEIGHT_GRID = np.round(np.arange(0.0, 1.0001, 0.05), 2)


def macro_recall_grid(y: np.ndarray, z: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Macro-recall of ``argmax(z + offset)`` for each row of ``offsets`` [k, 3], at once."""
    pred = (z[None, :, :] + offsets[:, None, :]).argmax(2)  # [k, n]
    recall = np.zeros(len(offsets))
    for c in range(3):
        rows = y == c
        recall += (pred[:, rows] == c).mean(1)
    return recall / 3


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def main(argv: list[str] | None = None) -> dict[str, object]:
    ap = argparse.ArgumentParser()
    ap.add_argument("--encoder", type=Path, default=ENCODER_DIR)
    ap.add_argument("--e5", type=Path, default=E5_DIR)
    args = ap.parse_args(argv)
    # The readers load their graphs as stored, optimised (``preoptimise.py``).
    preoptimise.store_optimised("encoder", args.encoder)
    e5 = None
    if (args.e5 / "e5.int8.onnx").exists():
        preoptimise.store_optimised("e5", args.e5)
        e5 = E5Reader(args.e5)

    off = data.tweeteval("offensive", "train")
    val = data.tweeteval("offensive", "val")
    dev = data._stratified_mask(off.labels, DEV_FRACTION, SEED)
    dev_texts = [t for t, m in zip(off.texts, dev, strict=True) if m]
    y_dev, y_val = off.labels[dev], val.labels

    enc = Encoder(args.encoder)
    t = time.perf_counter()
    e_dev = enc.run(dev_texts)[0].astype(np.float64)
    e_val = enc.run(val.texts)[0].astype(np.float64)
    print(f"encoder: {(len(dev_texts) + len(val.texts)) / (time.perf_counter() - t):.0f} texts/s")

    # Linear model: out-of-fold logits on train (as train.py computes them), the
    # committed model's logits on val.
    fz = Featurizer(**train.FEATURIZER)
    oof = train.oof_logits(train.matrix(fz, off.texts), off.labels, train.C["en.offensive"])
    l_dev = oof[dev]
    scorer = EmbeddedScorer(encoder=False)
    head = scorer.heads["en"]["offensive"]
    l_val = scorer.linear_logits([tokenize(normalize(t)) for t in val.texts])[:, head.column]

    def report(name: str, p_dev: np.ndarray, p_val: np.ndarray) -> float:
        thr = train.best_threshold(y_dev, p_dev)
        f_dev = f1_score(y_dev, p_dev >= thr, average="macro")
        f_val = f1_score(y_val, p_val >= thr, average="macro")
        print(f"  {name:28s} thr {thr:.2f}  dev {f_dev * 100:5.1f}  val {f_val * 100:5.1f}")
        return thr

    print("offensive macro-F1 (threshold picked on dev):")
    a, b = train.platt(l_dev, y_dev)
    report("linear alone", train.sigmoid(a * l_dev + b), train.sigmoid(a * l_val + b))
    ea, eb = train.platt(e_dev, y_dev)
    report("encoder alone", train.sigmoid(ea * e_dev + eb), train.sigmoid(ea * e_val + eb))

    def fit_stack(x_dev: np.ndarray, x_val: np.ndarray, name: str) -> tuple:
        stack = LogisticRegression(C=1e4, max_iter=1000).fit(x_dev, y_dev)
        w, c0 = stack.coef_[0], float(stack.intercept_[0])
        ps_dev, ps_val = train.sigmoid(x_dev @ w + c0), train.sigmoid(x_val @ w + c0)
        return w, c0, ps_dev, ps_val, report(name, ps_dev, ps_val)

    x_dev, x_val = np.c_[e_dev, l_dev], np.c_[e_val, l_val]
    w, c0, ps_dev, ps_val, thr = fit_stack(x_dev, x_val, "stack (encoder + linear)")
    if e5 is not None:
        f_dev = e5.run(dev_texts)[1].astype(np.float64)
        f_val = e5.run(val.texts)[1].astype(np.float64)
        fa, fb = train.platt(f_dev, y_dev)
        report("e5 alone", train.sigmoid(fa * f_dev + fb), train.sigmoid(fa * f_val + fb))
        x_dev, x_val = np.c_[x_dev, f_dev], np.c_[x_val, f_val]
        w, c0, ps_dev, ps_val, thr = fit_stack(x_dev, x_val, "stack (encoder + linear + e5)")

    # Cascade: the linear model's own calibrated probability (as the runtime
    # computes it) decides alone outside [lo, hi].
    pl_dev = train.sigmoid(head.a * l_dev + head.b)
    pl_val = train.sigmoid(head.a * l_val + head.b)
    full_dev = ps_dev >= thr

    def band(max_changed: float) -> tuple[float, float, float]:
        best, share = (0.0, 1.0), 1.0
        grid = np.round(np.arange(0.0, 1.0001, 0.01), 2)
        for lo in grid:
            for hi in grid[grid > lo]:
                inside = (pl_dev >= lo) & (pl_dev <= hi)
                decided = np.where(inside, full_dev, pl_dev >= head.threshold)
                if np.mean(decided != full_dev) <= max_changed and inside.mean() < share:
                    best, share = (float(lo), float(hi)), float(inside.mean())
        return best[0], best[1], share

    for tolerance in (0.005, MAX_CHANGED, 0.02, 0.04):
        lo_t, hi_t, share_t = band(tolerance)
        inside_val = (pl_val >= lo_t) & (pl_val <= hi_t)
        casc_val = np.where(inside_val, ps_val >= thr, pl_val >= head.threshold)
        f_casc = f1_score(y_val, casc_val, average="macro")
        print(
            f"  cascade, <= {tolerance * 100:.1f}% of dev decisions changed: band "
            f"[{lo_t:.2f}, {hi_t:.2f}], encoder on {share_t * 100:.0f}% of dev, "
            f"{inside_val.mean() * 100:.0f}% of val; val {f_casc * 100:5.1f}"
        )
    lo, hi, best_frac = band(MAX_CHANGED)

    # Sentiment: encoder head vs the VADER head in log space, the weight fit on a
    # SemEval 2017 dev split (neither head trained on it), reported on the
    # held-out half of TweetEval sentiment val.
    s_dev = data.semeval2017_parts()[1]
    held = data.unseen(data.sentiment()[1])
    labels = ("negative", "neutral", "positive")

    def vader_probs(texts: list[str]) -> np.ndarray:
        return np.array([[s.sentiment.scores[k] for k in labels] for s in scorer.score_many(texts)])

    def mix(logs: list[np.ndarray], weights: tuple[float, ...]) -> np.ndarray:
        """The readers' log-probabilities weighted, the VADER head (last) gets the rest."""
        rest = 1.0 - sum(weights)
        return sum((g * x for g, x in zip(weights, logs, strict=False)), rest * logs[-1])

    def logs(texts: list[str]) -> list[np.ndarray]:
        out = [np.log(softmax(enc.run(texts)[1]) + 1e-6)]
        if e5 is not None:
            out.append(np.log(softmax(e5.run(texts)[0].astype(np.float64)) + 1e-6))
        out.append(np.log(vader_probs(texts) + 1e-6))
        return out

    y_sdev = s_dev.labels
    l_sdev = logs(s_dev.texts)
    grid = [
        tuple(float(v) for v in g)
        for g in (
            [(a, b) for a in WEIGHT_GRID for b in WEIGHT_GRID if a + b <= 1.0001]
            if e5 is not None
            else [(a,) for a in WEIGHT_GRID]
        )
    ]
    offs = np.array([[n, 0.0, p] for n in OFFSET_GRID for p in OFFSET_GRID])
    # The readers' weights and the offsets on the negative and positive
    # log-probabilities, fit together for macro-recall on the SemEval dev split
    # (neutral stays at 0).
    best: tuple[float, tuple[float, ...], float, float] = (-1.0, (), 0.0, 0.0)
    for g in grid:
        r = macro_recall_grid(y_sdev, mix(l_sdev, g), offs)
        k = int(r.argmax())
        if r[k] > best[0] + 1e-9:
            best = (float(r[k]), g, float(offs[k, 0]), float(offs[k, 2]))
    dev_best, weights, neg, pos = best
    offsets = [round(neg, 2), 0.0, round(pos, 2)]
    l_held = logs(held.texts)
    names = ["encoder head", "e5 head"] if e5 is not None else ["encoder head"]
    print(
        f"sentiment macro-recall (reader weights {weights}, offsets {offsets} fit on "
        f"{len(s_dev.texts)} SemEval 2017 dev tweets; dev {dev_best * 100:.1f}):"
    )
    for name, x in zip([*names, "vader head"], l_held, strict=True):
        print(f"  {name:12s} {recall_score(held.labels, x.argmax(1), average='macro') * 100:5.1f}")
    plain = recall_score(held.labels, mix(l_held, weights).argmax(1), average="macro")
    mix_recall = recall_score(
        held.labels, (mix(l_held, weights) + np.array(offsets)).argmax(1), average="macro"
    )
    print(f"  mix without / with offsets  {plain * 100:5.1f} / {mix_recall * 100:5.1f}")

    out: dict[str, object] = {
        "stack": {
            "encoder": round(float(w[0]), 6),
            "linear": round(float(w[1]), 6),
            "bias": round(c0, 6),
            "threshold": thr,
            **({"e5": round(float(w[2]), 6)} if e5 is not None else {}),
        },
        "cascade": {"low": lo, "high": hi, "dev_share": round(best_frac, 4)},
        "sentiment": {
            "encoder_weight": weights[0],
            **({"e5_weight": weights[1]} if e5 is not None else {}),
            "offsets": offsets,
        },
        "linear_model": linear_digest(MODEL_DIR),
        **({"e5_model": e5_digest(args.e5)} if e5 is not None else {}),
    }
    (args.encoder / "encoder.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
