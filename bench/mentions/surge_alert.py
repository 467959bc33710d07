"""(b) Surge to alert on the local stack, in played time.

A ``LocalStack`` (no scheduler, played from ``PLAY_AT``, everything on 127.0.0.1) gets a
fresh account of the seeded brand with the default mention settings except
``warmup_s=0`` (the quiet phase is minutes, not the default hour). Then, at explicit
times ahead of the stack's clock, as the tests do:

* the poller's first sight of the account (checkpoint only), then ``QUIET_MIN`` polls
  at the deployed rate (``POLL_INTERVAL_S``) with one to four mentions a minute (texts
  from the sandbox's surge generator, a quarter of them replies to our post);
* a surge about our post (``inject_post`` an hour earlier) of ``SURGE_COUNT``
  mentions over ``SURGE_OVER_S`` seconds from ``S``, half a minute into a poll interval;
  it builds as ``inject_surge`` builds one (offsets ``span * u**0.6``), and is injected
  one poll interval at a time (``inject_surge(..., ending_at=)`` per interval) so that
  each poll sees only what was posted by then;
* polls go on at the interval until the surge is over; after each, the queue is
  drained into the ``mention_scorer`` handler (wall time measured) and the account's
  alerts are read from the store.

``surge_to_alert_s`` is the played time from ``S`` to the first poll after which the
surge alert exists (the alert's own ``raised_at`` is the stack's clock, which these
polls run ahead of, so it is reported but not used).
"""

from __future__ import annotations

import math
import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

PLAY_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
POLL_INTERVAL_S = 60  # the deployed rate of the mention_poller schedule
QUIET_MIN = 15
SURGE_COUNT = 500
SURGE_OVER_S = 600
SURGE_PHASE_S = 30  # the surge starts this far into a poll interval
SURGE_NEGATIVE = 0.7
RAMP = 0.6  # as firebreak_local.sandbox_x.surge: offsets span * u**RAMP
SEED = 2026
DRAIN_TIMEOUT_S = 60


def _text(rng: random.Random) -> str:
    """A quiet-day mention from the surge generator's templates (mostly friendly)."""
    from firebreak_local.sandbox_x.surge_texts import NEGATIVE, POSITIVE, SLOTS, TEMPLATES

    lang = "en" if rng.random() < 0.8 else "de"
    tones = NEGATIVE if rng.random() < 0.2 else POSITIVE
    names, weights = zip(*tones.items(), strict=True)
    tone = rng.choices(names, weights)[0]
    slots = SLOTS[lang]
    return rng.choice(TEMPLATES[lang][tone]).format(
        thing=rng.choice(slots["thing"]),
        place=rng.choice(slots["place"]),
        emoji=rng.choice(slots["emoji"]),
        days=rng.randint(2, 30),
        mins=rng.randint(20, 180),
    )


def surge_profile(count: int, over_s: int, rng: random.Random) -> list[float]:
    """Offsets (seconds from the start) of ``count`` mentions, denser towards the end."""
    return sorted(over_s * rng.random() ** RAMP for _ in range(count))


def add_listener(stack: Any) -> tuple[str, str]:
    """A fresh account of the seeded brand, listening with ``warmup_s=0``."""
    from chalicelib.accounts.domain import Account
    from chalicelib.mentions.domain import MentionSettings
    from chalicelib.wiring import aws_client, get_mentions, get_service, get_settings
    from firebreak_local.seed import add_account

    assert stack.seed is not None
    seeded = get_service().store.get_account(stack.seed.account_id)
    assert seeded is not None
    account = Account(
        id="acc_bench_mentions",
        brand_id=seeded.brand_id,
        name="Bench Mentions",
        network="x",
        handle="@bench_mentions",
        timezone="UTC",
    )
    x_user = add_account(
        get_service().store,
        aws_client("secretsmanager"),
        stack.x.app,
        account,
        secret_prefix=get_settings().social_secret_prefix,
    )
    get_mentions().poller.mentions.put_settings(account.id, MentionSettings(warmup_s=0))
    return account.id, str(x_user["id"])


def bench() -> dict[str, Any]:
    from chalicelib.wiring import get_mentions
    from firebreak_local.stack import LocalStack, StackOptions

    rng = random.Random(SEED)
    timeline: list[dict[str, Any]] = []
    with LocalStack(StackOptions(scheduler=False, at=PLAY_AT)) as stack:
        queues = stack.queues
        assert queues is not None
        account_id, x_user = add_listener(stack)
        store = get_mentions().poller.mentions
        base = PLAY_AT + timedelta(minutes=5)  # well ahead of the stack's clock

        def poll(at: datetime, phase: str) -> dict[str, Any]:
            t0 = time.perf_counter()
            report = stack.tick("mention_poller", at=at)
            t1 = time.perf_counter()
            drained = queues.drain(timeout_s=DRAIN_TIMEOUT_S)
            t2 = time.perf_counter()
            alerts = [a for a in store.alerts(account_id) if a.kind == "surge"]
            row = {
                "at": at,
                "phase": phase,
                "queued": report["queued"].get(account_id, report["skipped"].get(account_id)),
                "poll_wall_s": t1 - t0,
                "drain_wall_s": t2 - t1,
                "drained": bool(drained.empty),
                "surge_alerts": alerts,
            }
            timeline.append(row)
            return row

        own = stack.x.app.inject_post(x_user, "Our new ad", created_at=base - timedelta(hours=1))
        poll(base, "first sight")
        for minute in range(1, QUIET_MIN + 1):
            start = base + timedelta(minutes=minute - 1)
            for s in sorted(rng.uniform(0, POLL_INTERVAL_S - 1) for _ in range(rng.randint(1, 4))):
                stack.x.app.inject_mention(
                    x_user,
                    _text(rng),
                    author_username=f"quiet{rng.randrange(10**8)}",
                    created_at=start + timedelta(seconds=s),
                    reply_to=own["id"] if rng.random() < 0.25 else None,
                )
            poll(base + timedelta(minutes=minute), "quiet")
        quiet_end = base + timedelta(minutes=QUIET_MIN)
        surge_start = quiet_end + timedelta(seconds=SURGE_PHASE_S)
        offsets = surge_profile(SURGE_COUNT, SURGE_OVER_S, rng)
        surge_end = surge_start + timedelta(seconds=SURGE_OVER_S)
        polls = math.ceil((SURGE_PHASE_S + SURGE_OVER_S) / POLL_INTERVAL_S)
        injected = 0
        for k in range(1, polls + 1):
            at = quiet_end + timedelta(seconds=k * POLL_INTERVAL_S)
            lo = (at - surge_start).total_seconds() - POLL_INTERVAL_S
            chunk = [o for o in offsets if lo <= o < lo + POLL_INTERVAL_S]
            if chunk:
                stack.x.app.inject_surge(
                    x_user,
                    about=own["id"],
                    count=len(chunk),
                    over_s=chunk[-1] - max(lo, 0.0),
                    negative_share=SURGE_NEGATIVE,
                    seed=SEED + k,
                    ending_at=surge_start + timedelta(seconds=chunk[-1]),
                )
                injected += len(chunk)
            poll(at, "surge")
        quiet_alerts = sum(bool(r["surge_alerts"]) for r in timeline if r["phase"] != "surge")
        surge_rows = [r for r in timeline if r["phase"] == "surge"]
        first = next((r for r in surge_rows if r["surge_alerts"]), None)
        alert = first["surge_alerts"][-1] if first else None
        series = store.series(
            account_id,
            int(surge_start.timestamp()) // 60 * 60 - 120,
            int(surge_end.timestamp()) // 60 * 60 + 60,
        )
    return _report(timeline, first, alert, series, injected, quiet_alerts, surge_start)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _report(
    timeline: list[dict[str, Any]],
    first: dict[str, Any] | None,
    alert: Any,
    series: dict[int, dict[str, Any]],
    injected: int,
    quiet_alerts: int,
    surge_start: datetime,
) -> dict[str, Any]:
    surge_rows = [r for r in timeline if r["phase"] == "surge"]
    quiet_rows = [r for r in timeline if r["phase"] == "quiet"]
    buckets = [
        {
            "at": _iso(datetime.fromtimestamp(b, UTC)),
            "total": e["counts"].total,
            "expected": None if e.get("expected") is None else round(e["expected"], 2),
        }
        for b, e in sorted(series.items())
        if e.get("counts") is not None
    ]
    out: dict[str, Any] = {
        "play_at": _iso(PLAY_AT),
        "poll_interval_s": POLL_INTERVAL_S,
        "quiet_polls": len(quiet_rows),
        "quiet_mentions": sum(int(r["queued"] or 0) for r in quiet_rows),
        "quiet_alerts": quiet_alerts,
        "surge_start": _iso(surge_start),
        "surge_count": SURGE_COUNT,
        "surge_over_s": SURGE_OVER_S,
        "surge_injected": injected,
        "surge_read": sum(int(r["queued"] or 0) for r in surge_rows),
        "surge_polls": len(surge_rows),
        "surge_to_alert_s": None,
        "surge_drain_wall_s": round(sum(r["drain_wall_s"] for r in surge_rows), 2),
        "surge_poll_wall_s": round(sum(r["poll_wall_s"] for r in surge_rows), 2),
        "surge_max_poll_and_drain_wall_s": round(
            max(r["poll_wall_s"] + r["drain_wall_s"] for r in surge_rows), 2
        ),
        "all_drained": all(r["drained"] for r in timeline),
        "buckets": buckets,
        "per_poll": [
            {
                "at": _iso(r["at"]),
                "queued": r["queued"],
                "wall_s": round(r["poll_wall_s"] + r["drain_wall_s"], 2),
                "alert": bool(r["surge_alerts"]),
            }
            for r in surge_rows
        ],
    }
    if first is not None and alert is not None:
        out.update(
            {
                "surge_to_alert_s": round((first["at"] - surge_start).total_seconds()),
                "alert_poll_at": _iso(first["at"]),
                "alert_poll_wall_s": round(first["poll_wall_s"] + first["drain_wall_s"], 2),
                "alert_bucket_at": _iso(alert.bucket_at),
                "alert_raised_at_stack_clock": _iso(alert.raised_at),
                "alert_observed": alert.observed,
                "alert_expected": alert.expected,
                "alert_severity": alert.severity,
                "alert_reason": alert.reason,
                "alert_about_share": alert.about_share,
                "alert_incident": alert.incident_id is not None,
            }
        )
    return out
