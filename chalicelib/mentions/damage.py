"""The damage report of an incident (M6), pure: the mention curve against its baseline
band, the peak, the negative share over time, time to first reply, time until volume
and sentiment were back at baseline, and the loudest authors by reach."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib.mentions.domain import Counts, Mention, iso

SETTLED_BUCKETS = 5  # back at baseline: this many buckets in a row within it
SENTIMENT_SLACK = 0.1  # negative share back within this of the account's usual share
SHARE_WINDOW = 5  # buckets the negative share is taken over (a minute is too noisy)
TOP_AUTHORS = 5


@dataclass(frozen=True)
class Bucket:
    at: int  # epoch seconds
    counts: Counts
    expected: float | None = None
    low: float | None = None
    high: float | None = None


def damage_report(
    buckets: Sequence[Bucket],
    *,
    opened_at: datetime,
    usual_negative_share: float | None,
    replies: Sequence[tuple[datetime, datetime]],  # (mention created, reply posted)
    mentions: Sequence[Mention],
    bucket_s: int,
) -> dict[str, Any]:
    opened = opened_at.timestamp()
    curve = []
    for i, b in enumerate(buckets):
        window = buckets[max(0, i - SHARE_WINDOW + 1) : i + 1]
        total = sum(w.counts.total for w in window)
        share = sum(w.counts.negative for w in window) / total if total else None
        curve.append(
            {
                "at": _iso(b.at),
                "total": b.counts.total,
                "negative": b.counts.negative,
                "expected": b.expected,
                "band": [b.low, b.high] if b.low is not None else None,
                "negative_share": None if share is None else round(share, 3),
            }
        )
    after = [b for b in buckets if b.at + bucket_s > opened]
    peak = max(after or buckets, key=lambda b: b.counts.total, default=None)
    total = sum(b.counts.total for b in after)
    negative = sum(b.counts.negative for b in after)
    return {
        "bucket_s": bucket_s,
        "from": _iso(buckets[0].at) if buckets else None,
        "to": _iso(buckets[-1].at + bucket_s) if buckets else None,
        "mentions": total,
        "peak": _peak(peak),
        "negative_share": round(negative / total, 3) if total else None,
        "usual_negative_share": (
            None if usual_negative_share is None else round(usual_negative_share, 3)
        ),
        "first_reply_s": _first_reply(replies, opened_at),
        "median_reply_s": _median_reply(replies, opened_at),
        "back_to_baseline_s": {
            "volume": _volume_settled(buckets, peak, opened, bucket_s),
            "sentiment": _sentiment_settled(buckets, peak, usual_negative_share, opened, bucket_s),
        },
        "top_authors": top_authors(mentions),
        "curve": curve,
    }


def _iso(epoch: float) -> str:
    return iso(datetime.fromtimestamp(epoch, UTC))


def _peak(peak: Bucket | None) -> dict[str, Any] | None:
    if peak is None or peak.counts.total == 0:
        return None
    ratio = peak.counts.total / peak.expected if peak.expected else None
    return {
        "at": _iso(peak.at),
        "total": peak.counts.total,
        "expected": peak.expected,
        "ratio": None if ratio is None else round(ratio, 1),
    }


def _first_reply(replies: Sequence[tuple[datetime, datetime]], opened: datetime) -> float | None:
    after = [posted for _, posted in replies if posted >= opened]
    return round((min(after) - opened).total_seconds(), 1) if after else None


def _median_reply(replies: Sequence[tuple[datetime, datetime]], opened: datetime) -> float | None:
    waits = [(posted - made).total_seconds() for made, posted in replies if posted >= opened]
    return round(statistics.median(waits), 1) if waits else None


def _volume_settled(
    buckets: Sequence[Bucket], peak: Bucket | None, opened: float, bucket_s: int
) -> float | None:
    """Seconds from the opening until volume was within its band for good."""

    def calm(b: Bucket) -> bool:
        ceiling = b.high if b.high is not None else (2 * b.expected if b.expected else None)
        return ceiling is not None and b.counts.total <= ceiling

    return _settled(buckets, peak, calm, opened, bucket_s)


def _sentiment_settled(
    buckets: Sequence[Bucket],
    peak: Bucket | None,
    usual: float | None,
    opened: float,
    bucket_s: int,
) -> float | None:
    if usual is None:
        return None
    index = {b.at: i for i, b in enumerate(buckets)}

    def calm(b: Bucket) -> bool:
        i = index[b.at]
        window = buckets[max(0, i - SHARE_WINDOW + 1) : i + 1]
        total = sum(w.counts.total for w in window)
        share = sum(w.counts.negative for w in window) / total if total else 0.0
        return share <= usual + SENTIMENT_SLACK

    return _settled(buckets, peak, calm, opened, bucket_s)


def _settled(
    buckets: Sequence[Bucket], peak: Bucket | None, calm: Any, opened: float, bucket_s: int
) -> float | None:
    """Seconds from the opening to the first of ``SETTLED_BUCKETS`` calm buckets in a row
    after the peak (the buckets are contiguous)."""
    if peak is None:
        return None
    run = 0
    for b in buckets:
        if b.at <= peak.at:
            continue
        run = run + 1 if calm(b) else 0
        if run == SETTLED_BUCKETS:
            first_calm = b.at - (SETTLED_BUCKETS - 1) * bucket_s
            return round(max(0.0, first_calm - opened), 1)
    return None


def top_authors(mentions: Sequence[Mention], n: int = TOP_AUTHORS) -> list[dict[str, Any]]:
    """The authors with the most followers, with how often they wrote."""
    by_author: dict[str, dict[str, Any]] = {}
    for m in mentions:
        entry = by_author.setdefault(
            m.author_id,
            {
                "author": m.author_username or m.author_id,
                "followers": 0,
                "mentions": 0,
                "negative": 0,
            },
        )
        entry["followers"] = max(entry["followers"], m.author_followers)
        entry["mentions"] += 1
        entry["negative"] += m.negative
    ranked = sorted(by_author.values(), key=lambda e: (-e["followers"], -e["mentions"]))
    return ranked[:n]
