"""What ``make bench-triage`` adds for the delete line and the mention stream: the
recommendation's accuracy on the crisis-post set's two halves, and the mention mode's
speed on English and German texts against the plain linear mode in the same run.

Speeds are CPU seconds of this process (one thread), best of three passes over texts
the scorer has not seen, after a warm-up on others: a stream's words repeat, so the
word caches are warm, but each text is new.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import data

ROOT = Path(__file__).resolve().parents[2]
MENTION_TARGET = 2000


def _crisis() -> Any:
    """``bench/crisis/evaluate.py``, imported from its folder."""
    sys.path.insert(0, str(ROOT / "bench" / "crisis"))
    import evaluate

    return evaluate


def crisis_accuracy() -> dict[str, Any]:
    result: dict[str, Any] = _crisis().evaluate("on")
    return result


def _texts(n: int) -> tuple[list[str], list[str]]:
    english = data.tweeteval("offensive", "val").texts + data.tweeteval("hate", "val").texts
    _, _, de_train, de_held = data.germeval()
    german = de_held.texts + de_train.texts
    return english[: 2 * n], german[: 2 * n]


def _rate(scorer: Any, warm: list[str], texts: list[str]) -> float:
    scorer.score_many(warm)
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        scorer.score_many(texts)
        best = min(best, time.process_time() - start)
    return len(texts) / best


def mention_speed(n: int = 1000) -> dict[str, float]:
    """Texts per CPU second on one core: mention mode and off mode, English and German."""
    from chalicelib.triage import MENTION_MODE, get_scorer

    english, german = _texts(n)
    out: dict[str, float] = {}
    for mode in (MENTION_MODE, "off"):
        scorer = get_scorer(mode)
        out[f"{mode}_en_per_s"] = round(_rate(scorer, english[n:], english[:n]), 1)
        out[f"{mode}_de_per_s"] = round(_rate(scorer, german[n:], german[:n]), 1)
    return out


def report(res: dict[str, Any]) -> list[str]:
    lines = []
    crisis = res.get("crisis")
    if crisis:
        for half in _crisis().HALVES:
            r = crisis[half]
            lines.append(
                f"crisis-post set, {half:13s} recommendation accuracy "
                f"{r['accuracy'] * 100:5.1f}% of {r['n']} (en {r['by_lang']['en'] * 100:.1f}, "
                f"de {r['by_lang']['de'] * 100:.1f}); false hacks {r['false_hacks']}"
            )
    speed = res.get("mention_speed")
    if speed:
        lines.append(
            f"mention mode, one core: {speed['mention_en_per_s']:.0f} English / "
            f"{speed['mention_de_per_s']:.0f} German texts/s (goal {MENTION_TARGET}); "
            f"off mode in the same run {speed['off_en_per_s']:.0f} / {speed['off_de_per_s']:.0f}"
        )
    return lines
