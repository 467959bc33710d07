"""The words that drove a linear head's score up (``EmbeddedScorer``'s reasons).

Lexicon hits come first; then the tokens whose own features (word id and char n-grams)
add the most to the head's logit. A stream's words repeat, so each token's push is kept
per head (bounded, like the featurizer's token cache): a flagged mention then costs a few
dictionary reads instead of a numpy gather per word. Written for this project.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from chalicelib.triage import langid
from chalicelib.triage.features import Featurizer
from chalicelib.triage.lexicons import Hit

# Function words and placeholders never count as what "drove" a score.
NOT_DRIVERS = langid.STOPWORDS["en"] | langid.STOPWORDS["de"] | {"@user", "httpurl"}
_CACHE_LIMIT = 200_000
# Only words that carry a real share of the push, not the tail of small ones.
SHARE = 0.35


class Drivers:
    """Per head (a column of the linear weights), the push of each token it has read.
    Not thread-safe on its own: the scorer calls it under its featurizer lock."""

    def __init__(self, weights: np.ndarray, featurizer: Featurizer) -> None:
        self.weights = weights
        self.featurizer = featurizer
        self._push: dict[tuple[int, str], float] = {}

    def push(self, column: int, token: str) -> float:
        key = (column, token)
        known = self._push.get(key)
        if known is None:
            word_ids, char_ids = self.featurizer.token_ids(token)
            ids = [*word_ids, *char_ids]
            known = float(self.weights[ids, column].sum()) / math.sqrt(len(ids))
            if len(self._push) >= _CACHE_LIMIT:
                self._push.clear()
            self._push[key] = known
        return known

    def terms(self, tokens: Sequence[str], column: int, hits: Sequence[Hit]) -> tuple[str, ...]:
        """Up to five words or phrases that pushed this head's score up the most."""
        terms = [h.term for h in hits]
        scored = {
            tok: self.push(column, tok)
            for tok in set(tokens)
            if tok not in NOT_DRIVERS and len(tok) >= 2 and (tok[0].isalnum() or tok[0] == "#")
        }
        top = max(scored.values(), default=0.0)
        for tok, weight in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0])):
            if len(terms) >= 5 or weight <= 0.0 or weight < SHARE * top:
                break
            word = tok.lstrip("#")
            if word not in terms:
                terms.append(word)
        return tuple(terms[:5])
