"""The damage report's figures on a scripted curve (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.mentions.damage import SETTLED_BUCKETS, Bucket, damage_report, top_authors
from chalicelib.mentions.domain import Counts, Mention

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
BS = 60


def curve(totals: list[int], negatives: list[int]) -> list[Bucket]:
    start = int(T0.timestamp())
    return [
        Bucket(start + i * BS, Counts(total=t, negative=n), expected=2.0, low=0.0, high=5.0)
        for i, (t, n) in enumerate(zip(totals, negatives, strict=True))
    ]


def test_peak_reply_and_return_to_baseline() -> None:
    totals = [2, 1, 2, 40, 90, 60, 20, 8, 3, 2, 1, 2, 2, 3, 2, 2, 2]
    negatives = [0, 0, 0, 30, 70, 40, 10, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    opened = T0 + timedelta(minutes=4)  # the alert came with the second surge minute
    replies = [(T0 + timedelta(minutes=4), opened + timedelta(seconds=95))]
    report = damage_report(
        curve(totals, negatives),
        opened_at=opened,
        usual_negative_share=0.1,
        replies=replies,
        mentions=[],
        bucket_s=BS,
    )
    assert report["peak"] == {
        "at": "2026-03-02T10:04:00Z",
        "total": 90,
        "expected": 2.0,
        "ratio": 45.0,
    }
    assert report["first_reply_s"] == 95.0
    assert report["median_reply_s"] == 95.0
    # After the peak, minute 8 (3 mentions) starts the first run of calm buckets.
    assert report["back_to_baseline_s"]["volume"] == 4 * 60.0
    # The negative share over five buckets is back within 0.1 of usual from minute 11.
    assert report["back_to_baseline_s"]["sentiment"] == 7 * 60.0
    assert report["mentions"] == sum(totals[4:])
    assert report["negative_share"] > 0.5 and report["usual_negative_share"] == 0.1
    assert len(report["curve"]) == len(totals) and report["curve"][4]["band"] == [0.0, 5.0]


def test_no_calm_yet_and_no_reply() -> None:
    report = damage_report(
        curve([1, 50, 60, 70], [0, 40, 50, 60]),
        opened_at=T0,
        usual_negative_share=None,
        replies=[],
        mentions=[],
        bucket_s=BS,
    )
    assert report["back_to_baseline_s"] == {"volume": None, "sentiment": None}
    assert report["first_reply_s"] is None and SETTLED_BUCKETS > 1


def test_top_authors_by_reach() -> None:
    def m(i: int, author: str, followers: int) -> Mention:
        return Mention(
            id=str(i),
            account_id="a",
            author_id=author,
            author_username=author,
            text="x",
            created_at=T0,
            author_followers=followers,
            sentiment="negative" if i % 2 else "neutral",
        )

    ranked = top_authors([m(1, "big", 900_000), m(2, "small", 10), m(3, "big", 900_000)], n=2)
    assert [(a["author"], a["mentions"]) for a in ranked] == [("big", 2), ("small", 1)]
    assert ranked[0]["negative"] == 2
