"""Text normalisation and hashed n-gram features shared by training and the Lambda runtime.

Training (``bench/triage/train.py``) and inference (``scorer.py``) must see exactly
the same feature ids, so both call :func:`featurize`. Feature ids are CRC-32 hashes
(stable across processes and platforms, unlike ``hash()``) of word unigrams, word
bigrams and character n-grams inside word boundaries, folded into ``2**bits`` buckets.
Only the standard library is used here so importing this module costs nothing.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable

# Seeds keep the feature groups in separate hash streams so "w:ok" and a char
# n-gram "ok" do not share a bucket by construction.
_SEED_WORD = 0x1F2E3D4C
_SEED_BIGRAM = 0x5A6B7C8D
_SEED_CHAR = 0x0BADF00D

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")
_ELONGATED = re.compile(r"(.)\1{2,}")
# Words (with inner apostrophes), hashtags, runs of !/?, and any other single
# non-space symbol (emoji, punctuation) as its own token.
_TOKEN = re.compile(r"[#@]?\w+(?:['’]\w+)*|[!?]{2,}|[^\w\s]", re.UNICODE)
_DIGITS = re.compile(r"\d")

# Bounded so a warm Lambda fed an endless stream of new words cannot grow without limit.
_CACHE_LIMIT = 200_000

# A cached token: word ids, char n-gram ids, UTF-8 bytes, bigram prefix state.
_Entry = tuple[tuple[int, ...], tuple[int, ...], bytes, int]


def normalize(text: str) -> str:
    """Fold the surface variation that carries no meaning for the models.

    NFKC maps "fancy font" letters to plain ones; URLs and mentions become
    placeholders; letters repeated 3+ times are cut to two ("sooooo" -> "soo").
    """
    text = unicodedata.normalize("NFKC", text)
    text = _URL.sub(" httpurl ", text)
    text = _MENTION.sub(" @user ", text)
    text = text.lower().replace("’", "'")
    return _ELONGATED.sub(r"\1\1", text)


def tokenize(normalized: str) -> list[str]:
    """Split normalised text into tokens; hashtags keep their '#'."""
    return _TOKEN.findall(normalized)


class Featurizer:
    """Maps a text to sorted unique bucket ids with their L2-normalised weights."""

    def __init__(
        self,
        bits: int = 20,
        char_min: int = 2,
        char_max: int = 5,
        char_weight: float = 1.0,
        word_weight: float = 1.0,
    ) -> None:
        self.bits = bits
        self.mask = (1 << bits) - 1
        self.char_min = char_min
        self.char_max = char_max
        self.char_weight = char_weight
        self.word_weight = word_weight
        # A token's word ids, char n-gram ids and bigram prefix together: one lookup per
        # token (see _entry).
        self._token_cache: dict[str, _Entry] = {}
        self._start = zlib.crc32(b"<s> ", _SEED_BIGRAM)

    def config(self) -> dict[str, float | int]:
        return {
            "bits": self.bits,
            "char_min": self.char_min,
            "char_max": self.char_max,
            "char_weight": self.char_weight,
            "word_weight": self.word_weight,
        }

    def char_ids(self, token: str) -> tuple[int, ...]:
        padded = f" {token} "
        mask = self.mask
        n = len(padded)
        return tuple(
            zlib.crc32(padded[start : start + size].encode(), _SEED_CHAR) & mask
            for size in range(self.char_min, self.char_max + 1)
            for start in range(n - size + 1)
        )

    def word_ids(self, token: str) -> tuple[int, ...]:
        mask = self.mask
        out = [zlib.crc32(token.encode(), _SEED_WORD) & mask]
        # A hashtag also counts as its bare word: "#maga" and "maga" mean the same.
        if token.startswith("#") and len(token) > 1:
            out.append(zlib.crc32(token[1:].encode(), _SEED_WORD) & mask)
        if _DIGITS.search(token):
            out.append(zlib.crc32(_DIGITS.sub("0", token).encode(), _SEED_WORD) & mask)
        return tuple(out)

    def token_ids(self, tok: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """A token's word ids and char n-gram ids (none for a token that starts with
        neither a letter, a digit nor "#"). Cached, bounded: a stream's words repeat."""
        entry = self._entry(tok)
        return entry[0], entry[1]

    def _entry(self, tok: str) -> _Entry:
        """:meth:`token_ids`, the token's UTF-8 bytes, and the CRC-32 state after
        ``"<tok> "`` in the bigram stream. CRC-32 runs on, so a bigram's id is the
        next token's bytes hashed from that state: the same id as hashing
        ``f"{prev} {tok}"`` whole, without building the string."""
        known = self._token_cache.get(tok)
        if known is None:
            grams = self.char_ids(tok.lstrip("#")) if tok[0].isalnum() or tok[0] == "#" else ()
            raw = tok.encode()
            known = (self.word_ids(tok), grams, raw, zlib.crc32(raw + b" ", _SEED_BIGRAM))
            if len(self._token_cache) >= _CACHE_LIMIT:
                self._token_cache.clear()
            self._token_cache[tok] = known
        return known

    def ids(self, tokens: Iterable[str]) -> tuple[list[int], list[int]]:
        """Unique word-level ids and unique char-level ids of a token sequence."""
        words: set[int] = set()
        chars: set[int] = set()
        state = self._start
        mask = self.mask
        crc32 = zlib.crc32
        entry = self._entry
        for tok in tokens:
            word_ids, char_ids, raw, after = entry(tok)
            words.update(word_ids)
            words.add(crc32(raw, state) & mask)
            chars.update(char_ids)
            state = after
        words.add(crc32(b"</s>", state) & mask)
        return list(words), list(chars)

    def featurize(self, text: str) -> tuple[list[int], list[float]]:
        """Bucket ids (possibly repeated across groups) and weights; each group L2-normalised.

        Word and char groups are normalised separately and then weighted, which
        keeps long tweets from drowning the word features in char n-grams.
        """
        return self.featurize_tokens(tokenize(normalize(text)))

    def featurize_tokens(self, tokens: list[str]) -> tuple[list[int], list[float]]:
        """:meth:`featurize` for text already normalised and tokenised."""
        words, chars = self.ids(tokens)
        idx: list[int] = []
        val: list[float] = []
        if words:
            w = self.word_weight / len(words) ** 0.5
            idx.extend(words)
            val.extend([w] * len(words))
        if chars:
            c = self.char_weight / len(chars) ** 0.5
            idx.extend(chars)
            val.extend([c] * len(chars))
        return idx, val
