"""The plain-Python WordPiece gives the same ids as Hugging Face ``tokenizers``.

The reference is built from the committed vocabulary with ``tokenizers``' own
BERT pipeline (the one all-MiniLM-L6-v2's ``tokenizer.json`` declares), so this
runs on a fresh clone without the training extras.
"""

from __future__ import annotations

import pytest
from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors
from tokenizers.models import WordPiece as HFWordPiece

from chalicelib.triage.encoder import ENCODER_DIR, MAX_TOKENS, prepare
from chalicelib.triage.wordpiece import WordPiece

TEXTS = [
    "",
    "   ",
    "Hello, world!",
    "@USER @USER you are SO wrong!!! #MAGA URL",
    "Schöne Grüße aus München – wir öffnen um 9:00 Uhr.",
    "İstanbul ﬁne café naïve ÅNGSTRÖM",
    "emoji 😀👍🏽 and a family 👨\u200d👩\u200d👧 here",
    "東京タワー and 北京 mixed",
    "control\x00chars\x1c\x1f\x7f and\ttabs\nnewlines\r\x0b\x0c",
    "soft\u00adhyphen ｆｕｌｌｗｉｄｔｈ",
    "a" * 120 + " long word",
    "word " * 100,
    "don't stop—it's 3.14159 and $100/€90 (really?) [yes] {no} <html>",
    "l33t sp34k and CamelCaseWords and under_scores",
    "\u2028line\u2029separators\u3000ideographic\xa0nbsp",
    "a\x0bb a\x0cb a\x85b a\x1cb a\tb a\rb",
    "x\U0002b8a0y x\U0002b920y x\U0002a700y",
]


@pytest.fixture(scope="module")
def reference() -> Tokenizer:
    vocab = {
        line.rstrip("\n"): i
        for i, line in enumerate((ENCODER_DIR / "vocab.txt").read_text("utf-8").splitlines(True))
    }
    tok = Tokenizer(HFWordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True
    )
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    tok.enable_truncation(MAX_TOKENS)
    return tok


@pytest.mark.parametrize("text", TEXTS)
def test_same_ids_as_tokenizers(reference: Tokenizer, text: str) -> None:
    wp = WordPiece(ENCODER_DIR / "vocab.txt")
    assert wp.encode(text, MAX_TOKENS) == reference.encode(text).ids


def test_truncation_keeps_the_separator() -> None:
    wp = WordPiece(ENCODER_DIR / "vocab.txt")
    ids = wp.encode("word " * 100, MAX_TOKENS)
    assert len(ids) == MAX_TOKENS
    assert ids[0] == wp.cls and ids[-1] == wp.sep


def test_prepare_maps_live_posts_to_the_training_placeholders() -> None:
    assert prepare("@acme @bob @carol you lied https://t.co/abc") == "@USER you lied URL"
    assert prepare("see www.example.com now") == "see URL now"
