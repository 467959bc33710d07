"""A fast in-process NAB scorer for tuning sweeps, built on NAB's own Sweeper.

It scores a binary alert column per series the way NAB's Runner does at threshold
1.0 (the first alert in a window earns its scaled-sigmoid reward, alerts outside
cost by their distance past the previous window) and normalises against the null
detector (no alert scores 0, a perfect one 100). ``run.py`` stays the reference.
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

PROFILE_WEIGHTS = {
    "standard": (1.0, 0.11, 1.0),
    "reward_low_FP_rate": (1.0, 0.22, 1.0),
    "reward_low_FN_rate": (1.0, 0.11, 2.0),
}


@dataclass
class Series:
    name: str
    stamps: list[str]
    values: list[float]
    # per profile: per row (sweep score, window name or None or "probationary")
    rows: dict[str, list[tuple[float, str | None]]]
    windows: list[tuple[int, int]]  # row index of each window's first and last row


def load(nab_dir: Path, names: list[str]) -> list[Series]:
    sys.path.insert(0, str(nab_dir))
    from nab.sweeper import Sweeper  # the shared copy, unmodified

    windows = json.loads((nab_dir / "windows.json").read_text())
    out = []
    for name in names:
        with (nab_dir / name).open(newline="") as fh:
            raw = list(csv.reader(fh))[1:]
        stamps = [r[0] for r in raw]
        times = [datetime.fromisoformat(s) for s in stamps]
        limits = [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in windows[name]]
        idx = {t: i for i, t in enumerate(times)}
        rows = {}
        for profile, (tp, fp, fn) in PROFILE_WEIGHTS.items():
            sweeper = Sweeper(
                probationPercent=0.15, costMatrix={"tpWeight": tp, "fpWeight": fp, "fnWeight": fn}
            )
            points = sweeper.calcSweepScore(times, [0.0] * len(times), limits, name)
            rows[profile] = [(p.sweepScore, p.windowName) for p in points]
        out.append(
            Series(
                name,
                stamps,
                [float(r[1]) for r in raw],
                rows,
                [(idx[a], idx[b]) for a, b in limits],
            )
        )
    return out


def raw_score(series: Series, alerts: list[bool], profile: str) -> tuple[float, int, float]:
    """(raw score, number of scored false alarms, their cost) for one series."""
    _, _, fn = PROFILE_WEIGHTS[profile]
    parts: dict[str, float] = {}
    fp_cost, n_fp = 0.0, 0
    for (sweep, window), alert in zip(series.rows[profile], alerts, strict=True):
        if window == "probationary":
            continue
        if window is not None:
            parts.setdefault(window, -fn)
            if alert:
                parts[window] = max(parts[window], sweep)
        elif alert:
            fp_cost += sweep
            n_fp += 1
    return sum(parts.values()) + fp_cost, n_fp, fp_cost


def normalised(batch: list[Series], alerts: dict[str, list[bool]], profile: str) -> float:
    _, _, fn = PROFILE_WEIGHTS[profile]
    n_windows = sum(len(s.windows) for s in batch)
    raw = sum(raw_score(s, alerts[s.name], profile)[0] for s in batch)
    null = -fn * n_windows
    return 100.0 * (raw - null) / (n_windows - null)


def describe(series: Series, alerts: list[bool]) -> dict[str, Any]:
    """Where the first alert in each window fell (0 = its left edge, 1 = its right edge)."""
    firsts = []
    for a, b in series.windows:
        hit = next((i for i in range(a, b + 1) if alerts[i]), None)
        firsts.append(None if hit is None else round((hit - a) / (b - a + 1), 2))
    _, n_fp, cost = raw_score(series, alerts, "standard")
    return {"first_in_window": firsts, "fp": n_fp, "fp_cost": round(cost, 2)}
