"""The mention pipeline's benchmark (``make bench-mentions``).

(a) The ingest path per mention, in process on one core (``ingest_path``): parse a
    queue message of 25, score it with the triage scorer's mention mode in one
    ``score_many`` call, build the ``Mention``s with their urgency
    (``MentionIngest.score``), aggregate them into 60-second buckets and rank them; no
    DynamoDB, no network. Median of a few runs after a warm-up, pinned to one CPU
    where the system allows. Against X's ceiling for one app (50 mentions a second);
    target >= 1000 a second.
(b) A surge to its alert on the local stack, in played time (``surge_alert``): quiet
    polls at the deployed 60-second rate, then a pile-on about our post; seconds from
    the surge's start to the first poll after which its alert exists. Target: within
    two poll intervals (<= 120 s). Also the wall seconds the pipeline took for it.
(c) False alerts over a replayed quiet week (``quiet_week``): a NAB realTweets series
    scaled down twentyfold to a small brand, outside its labelled windows, judged bucket
    by bucket with the product's detector settings as ``Surveillance.detect`` does.
    Target: 0.

Nothing reads the machine's clock or time zone for what it measures: the stack plays
from a fixed time and the series carry their own. Everything listens on 127.0.0.1 and
stops by itself. Human-readable lines, then one JSON object as the last line.

    python bench/mentions/run.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.mentions import ingest_path, quiet_week, surge_alert  # noqa: E402

SURGE_TARGET_INTERVALS = 2


def _print_ingest(r: dict[str, Any]) -> None:
    verdict = "met" if r["mentions_per_s_core"] >= r["target_per_s"] else "MISSED"
    print(
        f"(a) ingest path: {r['mentions']} mentions in {r['messages']} messages, "
        f"{r['runs']} runs, {r['pinning']}"
    )
    print(
        f"    {r['mentions_per_s_core']} mentions/s on one core (median; runs "
        f"{r['runs_per_s']}), {r['us_per_mention']} us each; X's ceiling "
        f"{r['x_ceiling_per_s']}/s -> {r['headroom_x']}x headroom; target >= "
        f"{r['target_per_s']}: {verdict}"
    )
    print(
        f"    scored mix: {r['negative_share']:.0%} negative, {r['about_share']:.0%} about "
        f"our post, languages {r['langs']}"
    )


def _print_surge(r: dict[str, Any]) -> None:
    print(
        f"(b) surge to alert on the local stack (played from {r['play_at']}): "
        f"{r['quiet_polls']} quiet polls every {r['poll_interval_s']} s read "
        f"{r['quiet_mentions']} mentions, {r['quiet_alerts']} alerts"
    )
    print(
        f"    surge of {r['surge_count']} over {r['surge_over_s']} s from "
        f"{r['surge_start']}: {r['surge_read']} read in {r['surge_polls']} polls"
    )
    if r["surge_to_alert_s"] is None:
        print("    NO surge alert")
    else:
        limit = SURGE_TARGET_INTERVALS * r["poll_interval_s"]
        verdict = "met" if r["surge_to_alert_s"] <= limit else "MISSED"
        print(
            f"    alert after the poll at {r['alert_poll_at']}: surge_to_alert "
            f"{r['surge_to_alert_s']} s (target <= {limit}: {verdict}); bucket "
            f"{r['alert_bucket_at']}, {r['alert_reason']}; severity {r['alert_severity']}, "
            f"{r['alert_about_share']:.0%} about our post, incident "
            f"{'opened' if r['alert_incident'] else 'none'}"
        )
    print(
        f"    wall: {r['surge_drain_wall_s']} s draining the surge's queue messages "
        f"(+{r['surge_poll_wall_s']} s polling), at most "
        f"{r['surge_max_poll_and_drain_wall_s']} s for one poll and its drain"
    )


def _print_quiet(r: dict[str, Any]) -> None:
    print(
        f"(c) quiet week of {r['series']} / {r['scale']}: history {r['history_from']} .. "
        f"{r['week_from']} ({r['history_buckets']} buckets, {r['history_mentions']} "
        f"mentions), week {r['week_from']} .. {r['week_to']} ({r['quiet_week_buckets']} "
        f"buckets, {r['quiet_week_mentions']} mentions, at most {r['quiet_week_max_bucket']} "
        "in a minute)"
    )
    print(
        f"    false alerts in the week: {r['false_alerts_quiet_week']} (target 0); in its "
        f"history: {r['false_alerts_history']}; other spreading seeds: "
        f"{r['false_alerts_quiet_week_by_seed']}"
    )
    for part in ("week", "history"):
        for a in r["alerts"][part]:
            print(
                f"    {part} alert {a['bucket_at']}: {a['reason']} (NAB {a['nab_point']}: "
                f"{a['raw']:g} tweets in 5 min vs a median {a['raw_median_past_hour']:g} "
                "over the hour before, unlabelled)"
            )
    print(f"    week's bucket reasons: {r['reasons']['week']}")
    print("    the negative-share alert is not exercised (NAB counts carry no sentiment)")


def main() -> int:
    started = time.perf_counter()
    ingest = ingest_path.bench()
    _print_ingest(ingest)
    surge = surge_alert.bench()
    _print_surge(surge)
    quiet = quiet_week.bench()
    _print_quiet(quiet)
    total = round(time.perf_counter() - started, 1)
    print(f"total {total} s")
    limit = SURGE_TARGET_INTERVALS * surge["poll_interval_s"]
    result = {
        "mentions_per_s_core": ingest["mentions_per_s_core"],
        "x_ceiling_per_s": ingest["x_ceiling_per_s"],
        "ingest_target_per_s": ingest["target_per_s"],
        "surge_to_alert_s": surge["surge_to_alert_s"],
        "poll_interval_s": surge["poll_interval_s"],
        "surge_target_s": limit,
        "surge_drain_wall_s": surge["surge_drain_wall_s"],
        "false_alerts_quiet_week": quiet["false_alerts_quiet_week"],
        "quiet_week_buckets": quiet["quiet_week_buckets"],
        "targets_met": {
            "ingest": ingest["mentions_per_s_core"] >= ingest["target_per_s"],
            "surge_to_alert": surge["surge_to_alert_s"] is not None
            and surge["surge_to_alert_s"] <= limit,
            "quiet_week": quiet["false_alerts_quiet_week"] == 0,
        },
        "ingest": ingest,
        "surge": surge,
        "quiet_week": quiet,
        "total_s": total,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
