"""The English encoder: a fine-tuned small transformer run through ONNX Runtime.

Imported only when a scorer with the encoder is built (onnxruntime costs ~0.1 s
to import); nothing here runs at import time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from chalicelib.triage.wordpiece import WordPiece

ENCODER_DIR = Path(__file__).parent / "model" / "encoder"
MAX_TOKENS = 64
# The width of the pooled sentence vector (all-MiniLM-L6-v2's hidden size).
POOLED = 384

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")
_MENTIONS = re.compile(r"(?:@user\s*){2,}", re.IGNORECASE)


def prepare(text: str) -> str:
    """The text as the encoder was trained to see it.

    OLID writes every handle as ``@USER`` and every link as ``URL``; live posts
    carry real handles and t.co links. Both become the training placeholders,
    and a run of mentions (a reply chain's prefix) becomes one.
    """
    text = _URL.sub("URL", text)
    text = _MENTION.sub("@USER", text)
    return _MENTIONS.sub("@USER ", text).strip()


def one_thread_session(model: Path, *, stored_optimised: bool = True) -> Any:
    """An ONNX Runtime session on one thread: Lambda gives one vCPU per 1,769 MB, so one
    thread, sequential, no spinning between calls.

    The committed models are stored with ONNX Runtime's graph optimisations applied
    (``bench/triage/preoptimise.py``), so the session applies none: it is built in a
    fraction of the time, and reads every text bit for bit as the original model fully
    optimised at load did.
    ``stored_optimised=False`` optimises at load, for a model straight from training."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.log_severity_level = 3
    level = ort.GraphOptimizationLevel
    opts.graph_optimization_level = (
        level.ORT_DISABLE_ALL if stored_optimised else level.ORT_ENABLE_ALL
    )
    return ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])


class Encoder:
    """int8 ONNX encoder with an offensive and a sentiment head, on one thread.

    ``run`` returns, per text, the offensive logit (uncalibrated) and the three
    sentiment logits (negative, neutral, positive). Each text is its own batch:
    dynamic int8 quantisation scales activations per tensor, so a text padded
    into a batch would score differently from the same text alone. One at a time
    costs ~20 % of throughput and makes a post's score independent of its
    neighbours.
    """

    def __init__(self, directory: Path = ENCODER_DIR, *, stored_optimised: bool = True) -> None:
        self._session = one_thread_session(
            directory / "encoder.int8.onnx", stored_optimised=stored_optimised
        )
        self._tok = WordPiece(directory / "vocab.txt")

    def run(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        off, sent, _ = self.read(texts)
        return off, sent

    def read(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``run`` and the mean-pooled sentence vector (384 floats) per text, which the
        delete line's judge reads (``judge.py``); one pass gives all three."""
        off = np.zeros(len(texts), dtype=np.float32)
        sent = np.zeros((len(texts), 3), dtype=np.float32)
        pooled = np.zeros((len(texts), POOLED), dtype=np.float32)
        for i, text in enumerate(texts):
            ids = np.array([self._tok.encode(prepare(text), MAX_TOKENS)], dtype=np.int64)
            o, s, p = self._session.run(
                ["offensive_logit", "sentiment_logits", "pooled"],
                {"input_ids": ids, "attention_mask": np.ones_like(ids)},
            )
            off[i] = o[0]
            sent[i] = s[0]
            pooled[i] = p[0]
        return off, sent, pooled
