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
- ``sentiment``: the weight of the encoder's sentiment head against the VADER
  head in log space, and offsets added to the negative and positive
  log-probabilities, fit together for macro-recall on a dev split of SemEval 2017
  train (20 %, stratified, seed 2017) that neither head trained on. The encoder
  learnt SemEval's class shares (half neutral); macro-recall weighs the three
  classes alike, and the offsets say by how much to lean away from neutral;
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
import train  # noqa: E402
from train_encoder import DEV_FRACTION, SEED  # noqa: E402

from chalicelib.triage.encoder import ENCODER_DIR, Encoder  # noqa: E402
from chalicelib.triage.features import Featurizer, normalize, tokenize  # noqa: E402
from chalicelib.triage.scorer import MODEL_DIR, EmbeddedScorer, linear_digest  # noqa: E402

# The encoder may be skipped only where skipping it changes at most this share
# of the dev split's decisions.
MAX_CHANGED = 0.01
# Offsets tried on the negative and positive log-probabilities of the sentiment mix.
OFFSET_GRID = np.round(np.arange(-0.5, 2.0001, 0.1), 2)
# The sentiment mix is fit on data.SENTIMENT_DEV_FRACTION of SemEval 2017 train.


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def main(argv: list[str] | None = None) -> dict[str, object]:
    ap = argparse.ArgumentParser()
    ap.add_argument("--encoder", type=Path, default=ENCODER_DIR)
    args = ap.parse_args(argv)

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
    x_dev, x_val = np.c_[e_dev, l_dev], np.c_[e_val, l_val]
    stack = LogisticRegression(C=1e4, max_iter=1000).fit(x_dev, y_dev)
    w, c0 = stack.coef_[0], float(stack.intercept_[0])
    ps_dev, ps_val = train.sigmoid(x_dev @ w + c0), train.sigmoid(x_val @ w + c0)
    thr = report("stack (encoder + linear)", ps_dev, ps_val)

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
    semeval = data.semeval2017()
    sdev = data._stratified_mask(semeval.labels, data.SENTIMENT_DEV_FRACTION, data.SENTIMENT_SEED)
    sdev_texts = [t for t, m in zip(semeval.texts, sdev, strict=True) if m]
    _, held = data.sentiment()
    labels = ("negative", "neutral", "positive")

    def vader_probs(texts: list[str]) -> np.ndarray:
        return np.array([[s.sentiment.scores[k] for k in labels] for s in scorer.score_many(texts)])

    def mix(enc_p: np.ndarray, vader_p: np.ndarray, weight: float) -> np.ndarray:
        return weight * np.log(enc_p + 1e-6) + (1.0 - weight) * np.log(vader_p + 1e-6)

    es_d, vs_d = softmax(enc.run(sdev_texts)[1]), vader_probs(sdev_texts)
    y_sdev = semeval.labels[sdev]
    grid = np.round(np.arange(0.0, 1.0001, 0.05), 2)
    dev_recall = [
        recall_score(y_sdev, mix(es_d, vs_d, float(g)).argmax(1), average="macro") for g in grid
    ]
    # The mix weight and the offsets on the negative and positive log-probabilities,
    # fit together for macro-recall on the SemEval dev split (neutral stays at 0).
    best = (-1.0, 0.0, 0.0, 0.0)
    for g in grid:
        z = mix(es_d, vs_d, float(g))
        for neg in OFFSET_GRID:
            for pos in OFFSET_GRID:
                r = recall_score(y_sdev, (z + np.array([neg, 0.0, pos])).argmax(1), average="macro")
                if r > best[0] + 1e-9:
                    best = (float(r), float(g), float(neg), float(pos))
    _, weight, neg, pos = best
    offsets = [round(neg, 2), 0.0, round(pos, 2)]
    es_h = softmax(enc.run(held.texts)[1])
    vs_h = vader_probs(held.texts)
    print(
        f"sentiment macro-recall (mix weight {weight:.2f}, offsets {offsets} fit on "
        f"{len(sdev_texts)} SemEval 2017 dev tweets):"
    )
    print(
        f"  dev, weight 0.5 / best weight alone / with offsets  {dev_recall[10] * 100:5.1f} / "
        f"{max(dev_recall) * 100:5.1f} / {best[0] * 100:5.1f}"
    )
    print(f"  vader head   {recall_score(held.labels, vs_h.argmax(1), average='macro') * 100:5.1f}")
    print(f"  encoder head {recall_score(held.labels, es_h.argmax(1), average='macro') * 100:5.1f}")
    plain = recall_score(held.labels, mix(es_h, vs_h, weight).argmax(1), average="macro")
    mix_recall = recall_score(
        held.labels, (mix(es_h, vs_h, weight) + np.array(offsets)).argmax(1), average="macro"
    )
    print(f"  mix without / with offsets  {plain * 100:5.1f} / {mix_recall * 100:5.1f}")

    out: dict[str, object] = {
        "stack": {
            "encoder": round(float(w[0]), 6),
            "linear": round(float(w[1]), 6),
            "bias": round(c0, 6),
            "threshold": thr,
        },
        "cascade": {"low": lo, "high": hi, "dev_share": round(best_frac, 4)},
        "sentiment": {"encoder_weight": weight, "offsets": offsets},
        "linear_model": linear_digest(MODEL_DIR),
    }
    (args.encoder / "encoder.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
