"""BERT's uncased WordPiece tokenizer in plain Python.

The same ids as Hugging Face ``tokenizers`` with all-MiniLM-L6-v2's
``tokenizer.json`` (BertNormalizer: clean text, CJK spacing, strip accents,
lower case; BertPreTokenizer; WordPiece with ``##`` continuations; ``[CLS] …
[SEP]``). Checked id for id against ``tokenizers`` on every TweetEval and
GermEval text here (30,252, no difference) and, in the unit tests, on strings
built to hit each rule.
Written out so the Lambda needs neither ``tokenizers`` nor the Hugging Face hub
client it pulls in; a tweet takes tens of microseconds.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

MAX_WORD_CHARS = 100


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B920 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


@lru_cache(maxsize=4096)
def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


# Unicode White_Space (what Rust's char::is_whitespace tests). BERT drops
# control characters (category C*) other than tab, newline and carriage return
# first, so U+000B, U+000C, U+001C..U+001F and U+0085 vanish rather than split.
_WHITESPACE = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# ASCII needs no NFD: tab, newline and carriage return become spaces, the other
# controls go.
_ASCII_CLEAN = {cp: (" " if chr(cp) in "\t\n\r" else None) for cp in (*range(32), 127)}


@lru_cache(maxsize=4096)
def _clean_char(ch: str) -> str:
    cp = ord(ch)
    if ch in "\t\n\r":
        return " "
    if cp == 0 or cp == 0xFFFD or unicodedata.category(ch).startswith("C"):
        return ""
    if ch in _WHITESPACE:
        return " "
    if _is_cjk(cp):
        return f" {ch} "
    return ch


def _normalize(text: str) -> str:
    if text.isascii():
        return text.translate(_ASCII_CLEAN).lower()
    cleaned = "".join(_clean_char(ch) for ch in text)
    decomposed = unicodedata.normalize("NFD", cleaned)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def _words(text: str) -> list[str]:
    words: list[str] = []
    for chunk in text.split():
        if chunk.isalnum():
            words.append(chunk)
            continue
        start = 0
        for i, ch in enumerate(chunk):
            if _is_punct(ch):
                if i > start:
                    words.append(chunk[start:i])
                words.append(ch)
                start = i + 1
        if start < len(chunk):
            words.append(chunk[start:])
    return words


class WordPiece:
    def __init__(self, vocab_file: Path) -> None:
        with vocab_file.open(encoding="utf-8") as fh:
            self.vocab = {line.rstrip("\n"): i for i, line in enumerate(fh)}
        self.cls = self.vocab["[CLS]"]
        self.sep = self.vocab["[SEP]"]
        self.unk = self.vocab["[UNK]"]
        self._word = lru_cache(maxsize=50_000)(self._pieces)

    def _pieces(self, word: str) -> tuple[int, ...]:
        if len(word) > MAX_WORD_CHARS:
            return (self.unk,)
        ids: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return (self.unk,)
            ids.append(found)
            start = end
        return tuple(ids)

    def encode(self, text: str, max_tokens: int) -> list[int]:
        """Token ids with ``[CLS]`` and ``[SEP]``, truncated to ``max_tokens`` in all."""
        ids = [self.cls]
        room = max_tokens - 1
        for word in _words(_normalize(text)):
            ids.extend(self._word(word))
            if len(ids) >= room:
                del ids[room:]
                break
        ids.append(self.sep)
        return ids
