"""The mention surge detector: quiet series, surges, overdispersion, cooldown, state, CLI."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from chalicelib.mentions import Decision, SurgeDetector, SurgeSettings
from chalicelib.mentions.detector import LN10, nb_log_sf

ROOT = Path(__file__).resolve().parents[3]
T0 = 1_425_168_000.0  # 2015-03-01 00:00:00 UTC
STEP = 300


def poisson(rng: random.Random, lam: float) -> int:
    # Knuth's method; fine for the small means used here.
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def neg_binomial(rng: random.Random, mean: float, alpha: float) -> int:
    return poisson(rng, rng.gammavariate(1.0 / alpha, alpha * mean))


def daily(i: int, base: float = 20.0) -> float:
    hour = (i * STEP / 3600.0) % 24
    return base * (1.0 + 0.5 * math.sin(2 * math.pi * hour / 24))


def feed(det: SurgeDetector, counts: list[float], start: int = 0) -> list[Decision]:
    return [det.observe(T0 + (start + i) * STEP, c) for i, c in enumerate(counts)]


def quiet(days: int = 3, seed: int = 1) -> list[float]:
    rng = random.Random(seed)
    return [float(poisson(rng, daily(i))) for i in range(days * 288)]


def test_quiet_series_raises_no_alert() -> None:
    decisions = feed(SurgeDetector(), quiet())
    assert not any(d.alert for d in decisions)
    assert all(0.0 <= d.anomaly_score < 1.0 for d in decisions)
    # The expectation follows the daily cycle once history exists.
    assert 10 < decisions[-1].expected < 40


def test_surge_is_caught_within_two_buckets() -> None:
    counts = quiet()
    surge = [c * 10 + 50 for c in counts[-6:]]
    decisions = feed(SurgeDetector(), counts[:-6] + surge)
    first = next(i for i, d in enumerate(decisions) if d.alert)
    assert first in (len(counts) - 6, len(counts) - 5)
    alert = decisions[first]
    assert 1 <= alert.severity <= 10 and "surge" in alert.reason
    assert alert.anomaly_score > 0.5


def test_overdispersed_noise_does_not_alert_where_poisson_would() -> None:
    rng = random.Random(7)
    counts = [float(neg_binomial(rng, 20.0, 0.3)) for _ in range(4 * 288)]
    settings = SurgeSettings(cooldown_s=0, min_ratio=1.5, min_count=1)
    decisions = feed(SurgeDetector(settings), counts)
    assert sum(d.alert for d in decisions) <= 1
    # A Poisson tail test at the same expectation and threshold flags plenty.
    poisson_flags = sum(
        -nb_log_sf(c, d.expected, 1e-9) / LN10 >= settings.alert_surprise
        for c, d in zip(counts[288:], decisions[288:], strict=True)
    )
    assert poisson_flags >= 20


def test_cooldown_holds_back_a_second_alert() -> None:
    counts = quiet()
    # Two surges 29 buckets (~2.4 h) apart; the second is bigger, so the record the
    # first one set does not hold it back.
    counts[-30], counts[-1] = 400.0, 1000.0
    long_cd = feed(SurgeDetector(SurgeSettings(cooldown_s=6 * 3600)), counts)
    short_cd = feed(SurgeDetector(SurgeSettings(cooldown_s=3600)), counts)
    assert long_cd[-30].alert and not long_cd[-1].alert
    assert "cooling down" in long_cd[-1].reason
    assert short_cd[-30].alert and short_cd[-1].alert


def test_a_surge_that_builds_over_an_hour_alerts_on_the_long_window() -> None:
    counts = quiet()
    # Three times the usual for an hour and a half, no bucket anywhere near 5x: the
    # single-bucket test alone would never fire.
    slow = [3.0 * daily(len(counts) + i) for i in range(18)]
    assert max(c / daily(len(counts) + i) for i, c in enumerate(slow)) < 5
    decisions = feed(SurgeDetector(), counts + slow)
    alerts = [d for d in decisions if d.alert]
    assert len(alerts) == 1
    assert "minutes" in alerts[0].reason  # the mid or the long window fired
    only_one_bucket = SurgeSettings(mid_window_s=STEP, long_window_s=STEP)
    assert not any(d.alert for d in feed(SurgeDetector(only_one_bucket), counts + slow))


def test_a_series_that_spikes_every_day_needs_a_bigger_spike_than_its_record() -> None:
    counts = quiet(days=8)
    for day in range(8):  # a tenfold spike at 09:00 every day
        counts[day * 288 + 108] = 10 * daily(108)
    decisions = feed(SurgeDetector(), counts)
    daily_alerts = [i // 288 for i, d in enumerate(decisions) if d.alert]
    assert daily_alerts and max(daily_alerts) <= 1  # only while the record is being set
    late = decisions[7 * 288 + 108]
    assert not late.alert and "lifts lately" in late.reason
    bigger = feed(SurgeDetector(), [*counts, 40 * daily(len(counts))])[-1]
    assert bigger.alert


def test_a_pile_on_that_builds_over_half_an_hour_alerts_at_one_minute_buckets() -> None:
    """The product's buckets are a minute: a surge that ramps up to four times the
    usual over 30 minutes raises no bucket's lift much above the one before. Improbable
    windows that did not alert do not raise the record, so the ramp is held against the
    record from before it began and alerts while it is still building."""
    step = 60
    rng = random.Random(5)
    settings = SurgeSettings(bucket_s=step)
    det = SurgeDetector(settings)

    def usual(i: int) -> float:
        return 4.0 * (1.0 + 0.5 * math.sin(2 * math.pi * (i % 1440) / 1440))

    n = 3 * 1440
    quiet_alerts = [det.observe(T0 + i * step, poisson(rng, usual(i))).alert for i in range(n)]
    assert not any(quiet_alerts)
    first = None
    for j in range(120):
        lift = 1.0 + 3.0 * min(1.0, j / 30)
        if det.observe(T0 + (n + j) * step, poisson(rng, usual(n + j) * lift)).alert:
            first = j
            break
    assert first is not None and first <= 40


def test_the_day_after_an_alert_does_not_raise_the_record() -> None:
    counts = quiet(days=4)
    ramp = [daily(i) * (2 + i) for i in range(24)]  # up to 25x over two hours
    n = len(counts)
    counts[n - 2 * 288 : n - 2 * 288 + 24] = ramp
    counts[-1] = 8 * daily(n - 1)  # two days later: well below the ramp's peak
    decisions = feed(SurgeDetector(), counts)
    first = next(i for i, d in enumerate(decisions) if d.alert)
    assert n - 2 * 288 <= first < n - 2 * 288 + 24
    assert decisions[-1].alert


def test_a_surge_alerts_once_and_the_next_one_after_calm_hours_alerts_again() -> None:
    counts = quiet(days=4)
    n = len(counts)
    # Eight hours at 6-12x: one surge, one alert (the cooldown is a day).
    for i in range(n - 200, n - 104):
        counts[i] = daily(i) * (6 + (i % 7))
    # 8.5 hours after it ended (103 buckets), a bigger, separate surge alerts despite
    # the day's cooldown: the first one's hour has been calm for more than calm_s.
    counts[-1] = 40 * daily(n - 1)
    decisions = feed(SurgeDetector(), counts)
    alerts = [i for i, d in enumerate(decisions) if d.alert]
    assert alerts[-2] >= n - 200 and alerts[-2] < n - 104 and alerts[-1] == n - 1
    assert len([i for i in alerts if i >= n - 200]) == 2
    never_calm = feed(SurgeDetector(SurgeSettings(calm_s=0)), counts)
    assert not never_calm[-1].alert and "cooling down" in never_calm[-1].reason
    # Calm for less than calm_s (the hour ends 7.5 h after the surge; calm_s is 9 h):
    # still the same pile-on as far as alerts go.
    longer_calm = feed(SurgeDetector(SurgeSettings(calm_s=9 * 3600)), counts)
    assert not longer_calm[-1].alert and "cooling down" in longer_calm[-1].reason


def test_severity_is_bounded_and_grows_with_the_surge() -> None:
    counts = quiet()
    small = feed(SurgeDetector(), [*counts, 150.0])[-1]
    huge = feed(SurgeDetector(), [*counts, 100_000.0])[-1]
    assert small.alert and huge.alert
    assert 1 <= small.severity < huge.severity == 10
    assert all(d.severity == 0 for d in feed(SurgeDetector(), counts))


def test_fallback_on_short_history() -> None:
    det = SurgeDetector()
    decisions = feed(det, [10.0] * 96)  # 8 hours of a flat 10 from midnight
    assert not any(d.alert for d in decisions[:72])  # warming up for 6 h
    assert "warming up" in decisions[0].reason
    # 12:00 is a time-of-day slot never seen: the expectation falls back to the level.
    assert det.expected(T0 + 12 * 3600) == pytest.approx(10.0, rel=0.05)
    spike = det.observe(T0 + 12 * 3600, 120.0)
    assert spike.alert


def test_state_round_trip_mid_stream_decides_identically() -> None:
    rng = random.Random(3)
    counts = [float(neg_binomial(rng, daily(i, 8.0), 0.2)) for i in range(4 * 288)]
    for i, surge in ((500, 300.0), (900, 700.0), (1000, 300.0)):
        counts[i] = surge
    through = SurgeDetector()
    full = feed(through, counts)
    half = SurgeDetector()
    feed(half, counts[:700])
    state = json.loads(json.dumps(half.to_state()))
    assert len(json.dumps(state)) < 4000  # small enough for a DynamoDB item
    resumed = SurgeDetector.from_state(state)
    assert feed(resumed, counts[700:], start=700) == full[700:]
    assert resumed.to_state() == through.to_state()
    assert any(d.alert for d in full[700:])


def test_bad_input_is_refused() -> None:
    det = SurgeDetector()
    det.observe(T0, 1)
    with pytest.raises(ValueError, match="increase"):
        det.observe(T0, 1)
    with pytest.raises(ValueError, match="count"):
        det.observe(T0 + STEP, -1)
    with pytest.raises(ValueError):
        SurgeSettings(cooldown_s=-1)
    with pytest.raises(ValueError, match="mu_floor"):
        SurgeSettings(mu_floor=0)
    with pytest.raises(ValueError, match="version"):
        SurgeDetector.from_state({"v": 0})
    assert replace(SurgeSettings(), bucket_s=60).bucket_s == 60


def test_nb_tail_matches_a_direct_sum() -> None:
    mean, alpha = 6.0, 0.4
    size = 1 / alpha
    p = size / (size + mean)

    def pmf(k: int) -> float:
        return math.exp(
            math.lgamma(k + size)
            - math.lgamma(size)
            - math.lgamma(k + 1)
            + size * math.log(p)
            + k * math.log1p(-p)
        )

    for x in (1, 5, 20, 60):
        direct = 1.0 - sum(pmf(k) for k in range(x))
        assert math.exp(nb_log_sf(x, mean, alpha)) == pytest.approx(direct, rel=1e-6, abs=1e-15)
    assert nb_log_sf(0, mean, alpha) == 0.0


def run_cli(text: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chalicelib.mentions", "detect", *args],
        input=text,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
        check=False,
    )


def test_cli_scores_a_small_csv_and_names_a_bad_line() -> None:
    rows = ["timestamp,value"] + [
        f"2015-03-01 {h:02d}:{m:02d}:00,{10 + (m % 3)}" for h in range(8) for m in range(0, 60, 5)
    ]
    rows.append("2015-03-01 08:00:00,500")
    done = run_cli("\n".join(rows) + "\n", "--cooldown-s", "3600", "--bucket-s", "300")
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert out[0] == "timestamp,value,anomaly_score,alert"
    assert len(out) == len(rows)
    assert out[-1].startswith("2015-03-01 08:00:00,500,") and out[-1].endswith(",1")
    assert all(line.endswith(",0") for line in out[1:-1])

    bad = run_cli("timestamp,value\n2015-03-01 00:00:00,3\n2015-03-01 00:05:00,3\nnot-a-time,4\n")
    assert bad.returncode == 1
    assert "line 4" in bad.stderr and "timestamp" in bad.stderr
    assert len(bad.stdout.splitlines()) == 3
    header = run_cli("time,count\n")
    assert header.returncode == 1 and "line 1" in header.stderr
