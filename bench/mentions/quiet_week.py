"""(c) False alerts over a replayed quiet week of a real mention series.

One NAB realTweets series (tweets naming a company's ticker, counted every 5 minutes
in 2015; ``nab-realtweets/`` in the shared data, allowed for evaluation) is scaled
down to a small brand and judged by the product's own surge detection:

* the week: the first whole week (UTC midnight to midnight) that starts at least a day
  after the end of one labelled anomaly window and ends before the next one begins;
  its history is every point from the end of that window to the week's start, so
  nothing fed to the detector lies in a labelled window;
* each 5-minute count is divided by ``SCALE`` (20) and rounded stochastically (floor,
  plus one with the remainder's probability; fixed seed), and its mentions are spread
  uniformly at random over the five 60-second buckets of the product (the point's
  minute and the four after it);
* every bucket is judged as ``Surveillance.detect`` judges it at a 60-second poll:
  ``SurgeDetector.from_state`` on the stored state, one ``observe(bucket, total)`` with
  the product's settings (``MentionSettings().surge_settings()``, UTC), ``to_state``
  through JSON as DynamoDB keeps it. The first bucket starts a fresh detector, as a new
  account's first detection does (``warmup_s`` included).

The week is replayed with ``SEED`` and, for how much the spreading matters, with
``OTHER_SEEDS`` (counts only). Each alert is shown with the NAB point it came from.
The negative-share alert is not exercised: these counts carry no sentiment.
"""

from __future__ import annotations

import csv
import json
import os
import random
import sys
from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from chalicelib.mentions.detector import SurgeDetector
from chalicelib.mentions.domain import MentionSettings

ROOT = Path(__file__).resolve().parents[2]
SERIES = "Twitter_volume_AAPL.csv"
SCALE = 20
NAB_STEP_S = 300
BUCKET_S = 60
SEED = 7
OTHER_SEEDS = (8, 9, 10, 11)  # the same week spread and rounded with other seeds


def data_dir() -> Path:
    env = os.environ.get("FIREBREAK_DATA_DIR")
    base = Path(env) if env else ROOT.parent / "shared" / "data"
    path = base / "nab-realtweets"
    if not (path / "windows.json").exists() or not (path / SERIES).exists():
        sys.exit(
            f"NAB realTweets data not found under {path} (expected {SERIES} and "
            "windows.json); set FIREBREAK_DATA_DIR to the folder that holds nab-realtweets/"
        )
    return path


def _utc(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).replace(tzinfo=UTC)


def read_series(path: Path) -> list[tuple[datetime, float]]:
    with path.open(newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    return [(_utc(r[0]), float(r[1])) for r in rows]


def pick_week(
    points: list[tuple[datetime, float]], windows: list[list[str]]
) -> tuple[datetime, datetime, datetime]:
    """(history start, week start, week end): the first whole week clear of every window,
    starting at least a day after the window before it ended."""
    spans = sorted((_utc(a), _utc(b)) for a, b in windows)
    first, last = points[0][0], points[-1][0]
    edges = [first - timedelta(seconds=1)] + [e for span in spans for e in span] + [last]
    for ended, begins in zip(edges[::2], edges[1::2], strict=True):
        earliest = ended + timedelta(days=1)
        start = earliest.replace(hour=0, minute=0, second=0, microsecond=0)
        if start < earliest:
            start += timedelta(days=1)
        end = start + timedelta(days=7)
        if end <= begins:
            return ended, start, end
    raise SystemExit("no whole week outside the labelled windows in this series")


def minute_buckets(
    points: list[tuple[datetime, float]], rng: random.Random
) -> list[tuple[int, int]]:
    """(bucket start, mentions) per 60-second bucket: each point scaled down and spread."""
    out: list[tuple[int, int]] = []
    for stamp, value in points:
        scaled = value / SCALE
        n = int(scaled) + (1 if rng.random() < scaled - int(scaled) else 0)
        per = [0] * (NAB_STEP_S // BUCKET_S)
        for _ in range(n):
            per[rng.randrange(len(per))] += 1
        minute = int(stamp.timestamp()) // BUCKET_S * BUCKET_S
        out += [(minute + i * BUCKET_S, c) for i, c in enumerate(per)]
    return out


def _kind(reason: str) -> str:
    """A decision's reason without its numbers (``surge: 12 mentions ...`` -> ``surge``)."""
    if reason.startswith("surge:"):
        return "surge"
    if reason.startswith("improbable, but this series"):
        return "improbable, but this series has seen such lifts lately"
    return reason


def replay(buckets: list[tuple[int, int]], week_start: int) -> dict[str, Any]:
    """Judge every bucket as the product does, one poll at a time; alerts and reasons,
    apart for the history and the week."""
    wanted = MentionSettings().surge_settings(0)
    state: dict[str, Any] = SurgeDetector(wanted).to_state()
    alerts: dict[str, list[dict[str, Any]]] = {"history": [], "week": []}
    reasons: dict[str, Counter[str]] = {"history": Counter(), "week": Counter()}
    for bucket, total in buckets:
        detector = SurgeDetector.from_state(state)
        decision = detector.observe(bucket, total)
        state = json.loads(json.dumps(detector.to_state(), separators=(",", ":")))
        part = "week" if bucket >= week_start else "history"
        reasons[part][_kind(decision.reason)] += 1
        if decision.alert:
            at = datetime.fromtimestamp(bucket, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            alerts[part].append(
                {
                    "bucket_at": at,
                    "count": total,
                    "expected": round(decision.expected, 2),
                    "severity": decision.severity,
                    "reason": decision.reason,
                }
            )
    return {"alerts": alerts, "reasons": {k: dict(v) for k, v in reasons.items()}}


def _source(points: list[tuple[datetime, float]], bucket_at: str) -> dict[str, Any]:
    """The NAB point an alerting bucket came from, against that series' past hour."""
    at = datetime.fromisoformat(bucket_at.replace("Z", "+00:00"))
    i = max(k for k, (t, _) in enumerate(points) if t.replace(second=0) <= at)
    before = sorted(v for _, v in points[max(0, i - 12) : i])
    median = before[len(before) // 2] if before else 0.0
    return {
        "nab_point": points[i][0].strftime("%Y-%m-%d %H:%M:%S"),
        "raw": points[i][1],
        "raw_median_past_hour": median,
    }


def _buckets(
    points: list[tuple[datetime, float]], history_from: datetime, end: datetime, seed: int
) -> list[tuple[int, int]]:
    fed = [(t, v) for t, v in points if history_from < t < end]
    # The last point's buckets may run past the week's end: the end is exclusive.
    limit = int(end.timestamp())
    return [(b, c) for b, c in minute_buckets(fed, random.Random(seed)) if b < limit]


def bench() -> dict[str, Any]:
    nab = data_dir()
    points = read_series(nab / SERIES)
    windows = json.loads((nab / "windows.json").read_text())[SERIES]
    history_from, week_start, week_end = pick_week(points, windows)
    buckets = _buckets(points, history_from, week_end, SEED)
    ws = int(week_start.timestamp())
    result = replay(buckets, ws)
    for alert in result["alerts"]["week"] + result["alerts"]["history"]:
        alert.update(_source(points, alert["bucket_at"]))
    by_seed = {SEED: len(result["alerts"]["week"])}
    for seed in OTHER_SEEDS:
        other = replay(_buckets(points, history_from, week_end, seed), ws)
        by_seed[seed] = len(other["alerts"]["week"])
    week = [c for b, c in buckets if b >= ws]
    history = [c for b, c in buckets if b < ws]
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return {
        "series": SERIES,
        "scale": SCALE,
        "seed": SEED,
        "history_from": history_from.strftime(fmt),
        "week_from": week_start.strftime(fmt),
        "week_to": week_end.strftime(fmt),
        "history_buckets": len(history),
        "history_mentions": sum(history),
        "quiet_week_buckets": len(week),
        "quiet_week_mentions": sum(week),
        "quiet_week_mean_per_bucket": round(sum(week) / max(1, len(week)), 3),
        "quiet_week_max_bucket": max(week, default=0),
        "false_alerts_quiet_week": len(result["alerts"]["week"]),
        "false_alerts_history": len(result["alerts"]["history"]),
        "false_alerts_quiet_week_by_seed": by_seed,
        "alerts": result["alerts"],
        "reasons": result["reasons"],
        "settings": asdict(MentionSettings().surge_settings(0)),
        "negative_share_exercised": False,
    }
