"""A streaming surge detector for mention counts per time bucket (pure Python).

Fed point by point, with no look-ahead: ``observe(timestamp, count)`` returns a
``Decision`` for that bucket, then learns from it.

The model
---------
* Expected count ``mu = level * tod[slot] * dow[day]``: ``level`` is a
  deseasonalised exponentially weighted mean (half-life ``level_halflife_s``);
  ``tod`` (time of day, ``tod_slot_s`` slots) and ``dow`` (day of week) are
  multiplicative factors estimated as ratios of exponentially weighted sums of
  observed to expected counts. Each factor is shrunk towards 1 by a prior worth
  ``*_prior_s`` seconds of observations, which is the fallback while history is
  short: with no history the expectation is the plain level.
* Counts are negative binomial with variance ``mu + alpha * mu**2``; ``alpha``
  (overdispersion) is a method-of-moments estimate from exponentially weighted
  sums of clipped residuals, never below ``alpha_floor``.
* Learning is robust: a count above ``mu + clip_sd`` standard deviations is
  clipped before it updates anything, unless ``shift_buckets`` counts in a row
  were clipped, which is taken as a level shift and learnt in full.
* The surprise of a bucket is ``-log10 P(X >= count)``; it is also tested on the
  sum of the last ``window`` buckets, so that a surge spread over a few buckets
  counts as one. ``anomaly_score`` maps the larger surprise into [0, 1).
* Adaptive threshold: an exponentially weighted histogram of the series' own past
  surprises (half-life ``rarity_halflife_days``) says how often such a surprise
  occurs; once it can tell, a surprise must be rarer than once per
  ``rarity_days`` to alert (noisy series need larger surprises than quiet ones).
* An alert needs: ``warmup_s`` of history, surprise >= ``alert_surprise``, the
  rarity above, the count >= ``min_count`` and >= ``min_ratio`` times the
  expectation, and no alert in the last ``cooldown_s`` seconds. Severity 1..10
  grows with the log of the ratio of observed to expected counts.

The state (``to_state`` / ``from_state``) is a small JSON-able dict of floats.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from typing import Any

LN10 = math.log(10.0)
STATE_VERSION = 1
DAY_S = 86_400
WEEK_S = 7 * DAY_S
HIST_BINS = 48


@dataclass(frozen=True)
class SurgeSettings:
    """Every threshold of the detector. Durations are in seconds."""

    bucket_s: int = 300  # NAB: 5 minutes; the product: 60
    utc_offset_s: int = 0  # local time for time-of-day and day-of-week slots
    tod_slot_s: int = 3600  # time-of-day resolution
    level_halflife_s: float = 6 * 3600.0
    season_halflife_days: float = 7.0
    tod_prior_s: float = 900.0  # observations' worth of shrinkage towards 1 per slot
    dow_prior_s: float = 7 * DAY_S
    dispersion_halflife_s: float = DAY_S
    alpha_init: float = 0.5
    alpha_floor: float = 0.1
    mu_floor: float = 0.05  # the smallest expected count per bucket
    clip_sd: float = 3.0  # robust learning: clip counts above mu + clip_sd * sd
    shift_buckets: int = 12  # this many clipped buckets in a row: a level shift
    window: int = 3  # buckets summed for the second surprise test
    warmup_s: float = 6 * 3600.0  # no alert before this much history
    alert_surprise: float = 4.0  # -log10 of the tail probability: the absolute floor
    rarity_days: float = 5.0  # adaptive: a surprise rarer than once per this many days
    rarity_halflife_days: float = 14.0  # memory of the series' own surprises
    min_count: int = 5
    min_ratio: float = 5.0
    cooldown_s: float = DAY_S
    score_half: float = 6.0  # anomaly_score = s / (s + score_half)
    severity_ratio_max: float = 100.0  # observed/expected ratio for severity 10

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"setting {f.name} must be a finite number >= 0, got {value}")
        if self.bucket_s <= 0 or self.tod_slot_s <= 0 or DAY_S % self.tod_slot_s:
            raise ValueError("bucket_s must be > 0 and tod_slot_s must divide a day")
        if self.window < 1 or self.score_half <= 0 or self.severity_ratio_max <= 1:
            raise ValueError("window >= 1, score_half > 0 and severity_ratio_max > 1")
        if min(self.level_halflife_s, self.season_halflife_days, self.dispersion_halflife_s) <= 0:
            raise ValueError("half-lives must be > 0")


@dataclass(frozen=True)
class Decision:
    """What the detector says about one bucket."""

    anomaly_score: float  # in [0, 1): the larger surprise, squashed
    alert: bool
    expected: float  # expected count for this bucket
    severity: int  # 1..10 when alerting, else 0
    reason: str


# -- the count model -------------------------------------------------------------------------


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 1000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-12:
            break
    return h


def _log_betainc(a: float, b: float, x: float) -> float:
    """log of the regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return -math.inf
    if x >= 1.0:
        return 0.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return log_front + math.log(_betacf(a, b, x)) - math.log(a)
    rest = math.exp(log_front) * _betacf(b, a, 1.0 - x) / b
    return math.log(max(1.0 - rest, 1e-300))


def nb_log_sf(count: float, mean: float, alpha: float) -> float:
    """log P(X >= count) for a negative binomial with this mean and variance mean + alpha*mean².

    ``alpha`` -> 0 is the Poisson limit. ``count`` may be fractional (a continuous
    extension); counts <= 0 give log 1 = 0.
    """
    if count <= 0:
        return 0.0
    mean = max(mean, 1e-9)
    alpha = max(alpha, 1e-9)
    size = 1.0 / alpha
    # P(X >= k) = I_q(k, size) with q = mean / (size + mean).
    return _log_betainc(count, size, mean / (size + mean))


# -- the detector ----------------------------------------------------------------------------


def _epoch(timestamp: datetime | float | int) -> float:
    if isinstance(timestamp, datetime):
        if timestamp.tzinfo is None:
            timestamp = timestamp.replace(tzinfo=UTC)
        return timestamp.timestamp()
    if isinstance(timestamp, bool) or not isinstance(timestamp, int | float):
        raise TypeError(f"timestamp must be a datetime or epoch seconds, got {timestamp!r}")
    return float(timestamp)


def _decay(dt: float, halflife: float) -> float:
    """Weight kept by the old estimate after ``dt`` seconds."""
    return 0.5 ** (max(dt, 0.0) / halflife)


class SurgeDetector:
    """Streaming surge detector; see the module docstring for the model."""

    def __init__(self, settings: SurgeSettings | None = None) -> None:
        self.settings = settings or SurgeSettings()
        n_tod = DAY_S // self.settings.tod_slot_s
        self.first_t: float | None = None
        self.last_t: float | None = None
        self.n = 0
        self.level = 0.0
        self.tod_x = [0.0] * n_tod  # EW sums of observed counts per slot
        self.tod_e = [0.0] * n_tod  # ... of what the level (and dow) expected
        self.tod_n = [0.0] * n_tod  # ... of observations
        self.dow_x = [0.0] * 7
        self.dow_e = [0.0] * 7
        self.dow_n = [0.0] * 7
        self.disp_num = 0.0
        self.disp_den = 0.0
        self.over_run = 0
        self.last_alert_t: float | None = None
        self.recent: list[list[float]] = []  # [count, expected] of the last window-1 buckets
        self.hist = [0.0] * HIST_BINS  # EW histogram of past surprises (1 unit per bin)

    # -- expectations --

    def _slots(self, t: float) -> tuple[int, int]:
        local = t + self.settings.utc_offset_s
        tod = int(local % DAY_S) // self.settings.tod_slot_s
        dow = (int(local // DAY_S) + 3) % 7  # 1970-01-01 was a Thursday: Monday = 0
        return tod, dow

    def _factor(self, x: float, e: float, n: float, prior_s: float) -> float:
        if n <= 0 or e <= 0:
            return 1.0
        prior = prior_s / self.settings.bucket_s
        return 1.0 + (x / e - 1.0) * n / (n + prior)

    def _tod_factor(self, slot: int) -> float:
        s = self.settings
        return self._factor(self.tod_x[slot], self.tod_e[slot], self.tod_n[slot], s.tod_prior_s)

    def _dow_factor(self, day: int) -> float:
        s = self.settings
        return self._factor(self.dow_x[day], self.dow_e[day], self.dow_n[day], s.dow_prior_s)

    def alpha(self) -> float:
        s = self.settings
        if self.disp_den <= 0:
            return max(s.alpha_init, s.alpha_floor)
        est = self.disp_num / self.disp_den
        return max(s.alpha_floor, est)

    def expected(self, timestamp: datetime | float) -> float:
        """The expected count for a bucket at ``timestamp``, from history so far."""
        tod, dow = self._slots(_epoch(timestamp))
        return max(
            self.settings.mu_floor, self.level * self._tod_factor(tod) * self._dow_factor(dow)
        )

    # -- the decision --

    def observe(self, timestamp: datetime | float, count: float) -> Decision:
        """Score the bucket at ``timestamp`` holding ``count`` mentions, then learn from it."""
        s = self.settings
        t = _epoch(timestamp)
        if isinstance(count, bool) or not isinstance(count, int | float) or not count >= 0:
            raise ValueError(f"count must be a number >= 0, got {count!r}")
        if not math.isfinite(count):
            raise ValueError(f"count must be finite, got {count!r}")
        if self.last_t is not None and t <= self.last_t:
            raise ValueError(f"timestamps must increase: {t} after {self.last_t}")
        if self.first_t is None:
            self.first_t = t
            self.level = float(count)
        x = float(count)
        tod, dow = self._slots(t)
        f_tod, f_dow = self._tod_factor(tod), self._dow_factor(dow)
        mu = max(s.mu_floor, self.level * f_tod * f_dow)
        alpha = self.alpha()

        surprise = -nb_log_sf(x, mu, alpha) / LN10
        if s.window > 1 and self.recent:
            wx = x + sum(r[0] for r in self.recent)
            wmu = mu + sum(r[1] for r in self.recent)
            surprise = max(surprise, -nb_log_sf(wx, wmu, alpha) / LN10)
        score = surprise / (surprise + s.score_half)
        days = self._rarity_days(surprise)
        if days is not None:
            score = 0.5 * score + 0.5 * days / (days + s.rarity_days)
        ratio = x / mu

        alert, severity, reason = False, 0, "normal"
        if t - self.first_t < s.warmup_s:
            reason = "warming up"
        elif surprise < s.alert_surprise:
            reason = "normal" if surprise < s.alert_surprise / 2 else "elevated, not improbable"
        elif days is not None and days < s.rarity_days:
            reason = f"improbable, but this series sees such surprises every {days:.1f} days"
        elif x < s.min_count:
            reason = f"improbable but below the minimum count {s.min_count}"
        elif ratio < s.min_ratio:
            reason = f"improbable but under {s.min_ratio:g}x the expected count"
        elif self.last_alert_t is not None and t - self.last_alert_t < s.cooldown_s:
            reason = "surge, alert cooling down"
        else:
            alert = True
            frac = math.log(ratio) / math.log(s.severity_ratio_max)
            severity = max(1, min(10, 1 + int(9 * frac)))
            reason = (
                f"surge: {x:g} mentions vs {mu:.1f} expected ({ratio:.1f}x), p ~ 1e-{surprise:.0f}"
            )
            self.last_alert_t = t
        self._learn(t, x, mu, alpha, tod, dow, f_tod, f_dow)
        k = _decay(s.bucket_s, s.rarity_halflife_days * DAY_S)
        self.hist = [k * h for h in self.hist]
        self.hist[min(int(surprise), HIST_BINS - 1)] += 1.0
        return Decision(score, alert, mu, severity, reason)

    def _rarity_days(self, surprise: float) -> float | None:
        """How many days of buckets pass, in this series, per surprise this large.

        None while the histogram of past surprises cannot resolve ``rarity_days``.
        """
        s = self.settings
        total = sum(self.hist)
        per_day = DAY_S / s.bucket_s
        if total < 2 * s.rarity_days * per_day:
            return None
        b = min(int(surprise), HIST_BINS - 1)
        above = sum(self.hist[b + 1 :]) + self.hist[b] * (1.0 - min(surprise - b, 1.0))
        return total / max(above, 0.5) / per_day

    # -- learning --

    def _learn(
        self,
        t: float,
        x: float,
        mu: float,
        alpha: float,
        tod: int,
        dow: int,
        f_tod: float,
        f_dow: float,
    ) -> None:
        s = self.settings
        dt = s.bucket_s if self.last_t is None else t - self.last_t
        self.last_t = t
        self.n += 1
        sd = math.sqrt(mu + alpha * mu * mu)
        hi = mu + s.clip_sd * sd + 1.0
        if x > hi:
            self.over_run += 1
            xc = x if self.over_run >= s.shift_buckets else hi
        else:
            self.over_run = 0
            xc = x
        if s.window > 1:
            self.recent.append([xc, mu])
            del self.recent[: -(s.window - 1)]
        # Dispersion: method of moments on clipped residuals.
        k = _decay(dt, s.dispersion_halflife_s)
        self.disp_num = k * self.disp_num + (xc - mu) ** 2 - mu
        self.disp_den = k * self.disp_den + mu * mu
        # Level: deseasonalised, with a fast start.
        season = max(f_tod * f_dow, 1e-6)
        w = 1.0 - _decay(dt, s.level_halflife_s)
        w = max(w, 1.0 / self.n)
        base = self.level
        self.level += w * (xc / season - self.level)
        # Seasonal sums: per slot, decayed per observation of that slot.
        per_day_tod = DAY_S / s.tod_slot_s
        k_tod = _decay(s.bucket_s * per_day_tod, s.season_halflife_days * DAY_S)
        self.tod_x[tod] = k_tod * self.tod_x[tod] + xc
        self.tod_e[tod] = k_tod * self.tod_e[tod] + base * f_dow
        self.tod_n[tod] = k_tod * self.tod_n[tod] + 1.0
        k_dow = _decay(s.bucket_s * 7, s.season_halflife_days * 7 * DAY_S)
        self.dow_x[dow] = k_dow * self.dow_x[dow] + xc
        self.dow_e[dow] = k_dow * self.dow_e[dow] + base * f_tod
        self.dow_n[dow] = k_dow * self.dow_n[dow] + 1.0

    # -- state --

    def to_state(self) -> dict[str, Any]:
        """The whole state as a small JSON-able dict (settings included)."""
        return {
            "v": STATE_VERSION,
            "settings": asdict(self.settings),
            "first_t": self.first_t,
            "last_t": self.last_t,
            "n": self.n,
            "level": self.level,
            "tod": [self.tod_x, self.tod_e, self.tod_n],
            "dow": [self.dow_x, self.dow_e, self.dow_n],
            "disp": [self.disp_num, self.disp_den],
            "over_run": self.over_run,
            "last_alert_t": self.last_alert_t,
            "recent": self.recent,
            "hist": self.hist,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> SurgeDetector:
        """A detector that continues exactly where the one that wrote ``state`` stopped."""
        if state.get("v") != STATE_VERSION:
            raise ValueError(f"unknown detector state version {state.get('v')!r}")
        det = cls(SurgeSettings(**state["settings"]))
        det.first_t, det.last_t = state["first_t"], state["last_t"]
        det.n, det.level = int(state["n"]), float(state["level"])
        det.tod_x, det.tod_e, det.tod_n = ([float(v) for v in a] for a in state["tod"])
        det.dow_x, det.dow_e, det.dow_n = ([float(v) for v in a] for a in state["dow"])
        det.disp_num, det.disp_den = (float(v) for v in state["disp"])
        det.over_run = int(state["over_run"])
        det.last_alert_t = state["last_alert_t"]
        det.recent = [[float(a), float(b)] for a, b in state["recent"]]
        det.hist = [float(v) for v in state["hist"]]
        return det
