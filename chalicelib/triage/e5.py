"""The second English reader: multilingual-e5-small, fine-tuned for sentiment and
offensive (``bench/triage/train_sentiment_encoder.py``), run through ONNX Runtime.

Imported only when a scorer with the encoder is built; nothing here runs at import time.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from chalicelib.triage.encoder import one_thread_session, prepare
from chalicelib.triage.unigram import Unigram

E5_DIR = Path(__file__).parent / "model" / "e5"
MAX_TOKENS = 64
# e5 was pre-trained with a "query: " or "passage: " prefix; classification uses "query: ".
PREFIX = "query: "

__all__ = ["E5_DIR", "MAX_TOKENS", "PREFIX", "E5Reader", "prepare"]


class E5Reader:
    """int8 ONNX e5 with a sentiment and an offensive head, one thread, one text per call
    (as ``encoder.Encoder``, for the same reason: per-tensor activation scales)."""

    def __init__(self, directory: Path = E5_DIR, *, stored_optimised: bool = True) -> None:
        self._session = one_thread_session(
            directory / "e5.int8.onnx", stored_optimised=stored_optimised
        )
        self._tok = Unigram(directory / "unigram.json")

    def run(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Per text: the three sentiment logits and the offensive logit."""
        sent = np.zeros((len(texts), 3), dtype=np.float32)
        off = np.zeros(len(texts), dtype=np.float32)
        for i, text in enumerate(texts):
            ids = np.array([self._tok.encode(PREFIX + prepare(text), MAX_TOKENS)], dtype=np.int64)
            s, o = self._session.run(
                ["sentiment_logits", "offensive_logit"],
                {"input_ids": ids, "attention_mask": np.ones_like(ids)},
            )
            sent[i] = s[0]
            off[i] = o[0]
        return sent, off
