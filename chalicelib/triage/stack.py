"""What the scorer's English readers are weighed by (``encoder/encoder.json``, fit by
``bench/triage/calibrate_encoder.py``): the offensive stack, the cascade band, the
sentiment mix, and digests of the models they were fit against."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np


def linear_digest(model_dir: Path) -> str:
    """SHA-256 over the linear model's files: the encoder's stack was fit against it."""
    h = hashlib.sha256()
    for name in ("model.json", "weights.npz"):
        h.update((model_dir / name).read_bytes())
    return h.hexdigest()


def e5_digest(e5_dir: Path) -> str:
    """SHA-256 of the e5 reader's model: the stack and the sentiment mix were fit on it."""
    return hashlib.sha256((e5_dir / "e5.int8.onnx").read_bytes()).hexdigest()


@dataclass(frozen=True)
class Stack:
    """English offensive from the two readers' and the linear logits, where the readers
    run, and the sentiment mix of the VADER head and the two readers' heads."""

    encoder: float
    linear: float
    bias: float
    threshold: float
    low: float
    high: float
    sentiment_weight: float
    # The e5 reader's weight in the offensive stack and the sentiment mix (e5.py).
    e5: float = 0.0
    e5_sentiment_weight: float = 0.0
    # Added to the mixed log-probabilities (negative, neutral, positive): the heads
    # learnt SemEval's class shares, macro-recall weighs the three classes alike.
    sentiment_offsets: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @classmethod
    def from_json(cls, cfg: dict[str, Any]) -> Stack:
        stack, band, sent = cfg["stack"], cfg["cascade"], cfg["sentiment"]
        made = cls(
            encoder=float(stack["encoder"]),
            linear=float(stack["linear"]),
            bias=float(stack["bias"]),
            threshold=float(stack["threshold"]),
            low=float(band["low"]),
            high=float(band["high"]),
            sentiment_weight=float(sent["encoder_weight"]),
            e5=float(stack.get("e5", 0.0)),
            e5_sentiment_weight=float(sent.get("e5_weight", 0.0)),
            sentiment_offsets=three(sent.get("offsets", (0.0, 0.0, 0.0))),
        )
        if not 0.0 <= made.sentiment_weight + made.e5_sentiment_weight <= 1.0:
            raise ValueError("the sentiment mix's reader weights must sum to at most 1")
        return made


@dataclass(frozen=True)
class EncoderView:
    offensive: float
    threshold: float
    sentiment: np.ndarray
    # The e5 reader's sentiment logits, where it read the text.
    e5_sentiment: np.ndarray | None = None


def three(values: Sequence[float]) -> tuple[float, float, float]:
    """Sentiment offsets (negative, neutral, positive), checked when the model loads."""
    if len(values) != 3:
        raise ValueError(f"sentiment offsets need 3 values, got {len(values)}")
    a, b, c = (float(v) for v in values)
    return a, b, c
