"""Content triage: offensive, hate, sexual, violence, language and sentiment of a post.

``get_scorer()`` returns the process-wide ``EmbeddedScorer`` (the ``RiskScanner``
port), loaded on first use. Importing this package loads nothing heavy: numpy and
the model come with the first ``get_scorer()`` call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chalicelib.triage.scorer import EmbeddedScorer, SentimentScore, Triage

__all__ = [
    "ENCODER_MODES",
    "MENTION_MODE",
    "EmbeddedScorer",
    "SentimentScore",
    "Triage",
    "get_scorer",
]

# How much the English encoder reads: "on" (every English text, the most
# accurate), "cascade" (only where the linear model is unsure), "off" (linear
# models only, the fastest). model/README.md has the measured trade-off.
ENCODER_MODES = ("on", "cascade", "off")
# The mention stream's mode (``get_scorer(MENTION_MODE)``): the linear models and the
# four fast categories, no encoder, no delete-line categories (those are for own posts),
# the words behind a score only when it flags.
# It reads thousands of texts a second on one core (``make bench-triage``).
MENTION_MODE = "mention"


def get_scorer(encoder: str = "on") -> EmbeddedScorer:
    """The process-wide scorer for an encoder mode (on, cascade, off), loaded on first call."""
    from chalicelib.triage.scorer import get_scorer as _get

    return _get(encoder)


def __getattr__(name: str) -> Any:
    # Lazy re-exports: the classes are importable from here without paying for
    # numpy at package import time.
    if name in ("EmbeddedScorer", "SentimentScore", "Triage"):
        from chalicelib.triage import scorer

        return getattr(scorer, name)
    raise AttributeError(name)
