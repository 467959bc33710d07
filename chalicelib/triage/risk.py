"""The port for the content risk scan of drafts (P3) and own posts (C1, C4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

# Every category a report may hold, in the order reports list them.
CATEGORIES = ("offensive", "hate", "sexual", "violence", "gore", "threat", "slur", "profanity")


@dataclass(frozen=True)
class CategoryScore:
    """A calibrated probability in [0, 1], whether it crosses the flag threshold, and why."""

    score: float
    flag: bool
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class RiskReport:
    """What the scanner found in one text.

    ``categories`` holds at least ``offensive``, ``hate``, ``sexual`` and ``violence``; the
    embedded scorer adds the delete line's ``gore``, ``threat``, ``slur`` and ``profanity``.
    """

    lang: str
    categories: dict[str, CategoryScore] = field(default_factory=dict)

    @property
    def flagged(self) -> list[str]:
        return [name for name, c in self.categories.items() if c.flag]


class RiskScanner(Protocol):
    def scan(self, text: str) -> RiskReport: ...
