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
* Three windows are judged at every bucket: the bucket itself, and the sums of the
  last ``mid_window_s`` and ``long_window_s`` seconds of buckets (15 minutes and an
  hour by default), so that a surge that builds over an hour counts as much as a
  spike. Each window's sum is negative binomial with variance ``M + alpha * M**2``
  around the sum ``M`` of its expectations, with its own ``alpha`` (overdispersion):
  a method-of-moments estimate from exponentially weighted sums of residuals clipped
  at ``dispersion_clip_sd``, never below ``alpha_floor``.
* Learning is robust: a bucket is clipped to ``mu + clip_sd * sd + 1`` before it
  updates anything, and scaled down further when the long window it ends would be
  above its expectation plus ``window_clip_sd`` of its own deviations, so a slow
  surge does not teach the baseline that it is normal. Clipped (either way) for
  ``shift_s`` of buckets in a row is a level shift, learnt in full. Buckets missing
  from the feed count as expected in the windows.
* The surprise of a window is ``-log10 P(X >= observed)``.
* The record: per window, the largest lift ``(S + c) / (M + c)`` the series has shown
  (``c`` is ``record_prior`` mentions per 5 minutes of window, so thin counts need
  more than a ratio), decaying with half-life ``record_halflife_days``. A window
  alerts only when its lift beats ``record_margin`` times that record: a series that
  spikes tenfold every few days needs more than a tenfold spike, a calm one does not.
  Only ordinary windows (surprise under ``alert_surprise``) and alerting ones raise
  the record, so a surge that builds up is held against the record from before it
  began, not against its own first minutes; and the day after an alert
  (``record_hold_s``) raises it not at all, so one big surge does not hide the next.
* An alert needs: ``warmup_s`` of history; a window whose surprise is at least
  ``alert_surprise``, whose sum is at least ``min_count``, whose sum is at least
  ``min_ratio`` (the bucket) or ``min_window_ratio`` (the longer windows) times its
  expectation, and whose lift beats the record; and no alert in the last
  ``cooldown_s`` seconds, unless the last surge has ended (the long window under
  ``calm_ratio`` times its expectation for ``calm_s``). Severity 1..10 grows with the
  log of the ratio of observed to expected counts. The decision names the window that
  alerted, with its observed and expected sums.
* ``anomaly_score`` in [0, 1) is, for the best window, ``min(1, surprise /
  alert_surprise) * e / (1 + e)`` with ``e`` the lift over ``record_margin`` times
  the record: 0.5 where a window just meets both bars.

The state (``to_state`` / ``from_state``) is a small JSON-able dict of floats.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from typing import Any

LN10 = math.log(10.0)
STATE_VERSION = 2
DAY_S = 86_400
WEEK_S = 7 * DAY_S
RECORD_UNIT_S = 300  # record_prior is in mentions per this many seconds of window


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
    dispersion_halflife_s: float = 3 * DAY_S
    dispersion_clip_sd: float = 3.0  # residuals beyond this many deviations are clipped
    alpha_init: float = 0.5
    alpha_floor: float = 0.02
    mu_floor: float = 0.05  # the smallest expected count per bucket
    clip_sd: float = 2.0  # robust learning: clip counts above mu + clip_sd * sd
    window_clip_sd: float = 1.0  # ... and above what keeps the long window within this
    shift_s: float = 6 * 3600.0  # above the clip this long in a row: a level shift
    mid_window_s: int = 900
    long_window_s: int = 3600
    warmup_s: float = 6 * 3600.0  # no alert before this much history
    alert_surprise: float = 5.0  # -log10 of the tail probability
    min_count: int = 12
    min_ratio: float = 4.0  # observed / expected for one bucket
    min_window_ratio: float = 2.0  # ... for the sum over a longer window
    record_halflife_days: float = 28.0
    record_margin: float = 1.35
    record_prior: float = 10.0  # mentions per 5 minutes of window added to both sides
    record_hold_s: float = DAY_S
    cooldown_s: float = DAY_S
    calm_s: float = 3 * 3600.0  # a surge has ended after this long calm: the next may alert
    calm_ratio: float = 1.5  # calm: the long window under this many times its expectation
    severity_ratio_max: float = 100.0  # observed/expected ratio for severity 10

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"setting {f.name} must be a finite number >= 0, got {value}")
        if self.bucket_s <= 0 or self.tod_slot_s <= 0 or DAY_S % self.tod_slot_s:
            raise ValueError("bucket_s must be > 0 and tod_slot_s must divide a day")
        if self.severity_ratio_max <= 1 or self.mu_floor <= 0:
            raise ValueError("severity_ratio_max must be > 1 and mu_floor > 0")
        if self.long_window_s > DAY_S or self.mid_window_s > self.long_window_s:
            raise ValueError("mid_window_s <= long_window_s <= a day")
        halflives = (
            self.level_halflife_s,
            self.season_halflife_days,
            self.dispersion_halflife_s,
            self.record_halflife_days,
        )
        if min(halflives) <= 0:
            raise ValueError("half-lives must be > 0")

    def windows(self) -> tuple[int, int, int]:
        """The three windows in buckets: one, the mid window, the long window."""
        mid = max(1, round(self.mid_window_s / self.bucket_s))
        return 1, mid, max(mid, round(self.long_window_s / self.bucket_s))


@dataclass(frozen=True)
class Decision:
    """What the detector says about one bucket."""

    anomaly_score: float  # in [0, 1): 0.5 where a window meets both the surprise and the record
    alert: bool
    expected: float  # expected count for this bucket
    severity: int  # 1..10 when alerting, else 0
    reason: str
    window_buckets: int = 1  # the window that alerted: its length in buckets ...
    window_observed: float = 0.0  # ... the mentions in it ...
    window_expected: float = 0.0  # ... and what was expected of it


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
        self.disp = [[0.0, 0.0] for _ in range(3)]  # per window: EW moment sums
        self.record = [0.0, 0.0, 0.0]  # per window: the decaying largest lift
        self.over_s = 0.0  # how long counts have been above the clip
        self.last_alert_t: float | None = None
        self.calm_since: float | None = None
        # [count, clipped count, expected] of the last long window's buckets
        self.recent: list[list[float]] = []
        self.windows = self.settings.windows()  # derived from the settings, not state

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

    def alpha(self, window: int = 0) -> float:
        """Overdispersion of one bucket (``window`` 0), the mid (1) or the long window (2)."""
        s = self.settings
        num, den = self.disp[window]
        if den <= 0:
            return max(s.alpha_init, s.alpha_floor)
        return max(s.alpha_floor, num / den)

    def expected(self, timestamp: datetime | float) -> float:
        """The expected count for a bucket at ``timestamp``, from history so far."""
        tod, dow = self._slots(_epoch(timestamp))
        return max(
            self.settings.mu_floor, self.level * self._tod_factor(tod) * self._dow_factor(dow)
        )

    def _sums(self, k: int, x: float, mu: float, column: int = 0) -> tuple[float, float]:
        """(observed, expected) over ``k`` buckets: this one (``x``, ``mu``) and the
        ``k - 1`` before it (``column`` 0: counts, 1: clipped counts)."""
        part = self.recent[len(self.recent) - (k - 1) :] if k > 1 else []
        return x + sum(r[column] for r in part), mu + sum(r[2] for r in part)

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
        dt = s.bucket_s if self.last_t is None else t - self.last_t
        tod, dow = self._slots(t)
        f_tod, f_dow = self._tod_factor(tod), self._dow_factor(dow)
        mu = max(s.mu_floor, self.level * f_tod * f_dow)
        self._skip_gap(dt, mu)
        held = self.last_alert_t is not None and t - self.last_alert_t < s.record_hold_s
        lifts, alert_lifts = [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]

        top, most, fired, near = 0.0, 0.0, None, ""
        for w, k in enumerate(self.windows):
            if k - 1 > len(self.recent):
                continue  # not enough history for this window yet
            obs, exp = self._sums(k, x, mu)
            surprise = -nb_log_sf(obs, exp, self.alpha(w)) / LN10
            most = max(most, surprise)
            prior = s.record_prior * k * s.bucket_s / RECORD_UNIT_S
            lift = (obs + prior) / (exp + prior)
            # Only an ordinary window, or one that alerts, raises the record: a surge
            # that builds up is not held against its own first minutes.
            lifts[w] = lift if surprise < s.alert_surprise else 0.0
            alert_lifts[w] = lift
            record = self.record[w] * _decay(dt, s.record_halflife_days * DAY_S)
            self.record[w] = record
            # The score: how improbable (up to the alert's bar) times how far past
            # the record; 0.5 where both bars are just met.
            edge = lift / max(s.record_margin * record, 1e-9)
            top = max(top, min(1.0, surprise / s.alert_surprise) * edge / (1.0 + edge))
            if fired or surprise < s.alert_surprise:
                continue
            if obs < s.min_count or obs < (s.min_ratio if k == 1 else s.min_window_ratio) * exp:
                near = near or "improbable, but below the minimum count or ratio"
            elif lift < s.record_margin * record:
                near = f"improbable, but this series has seen {record:.1f}x lifts lately"
            else:
                fired = (k, obs, exp, surprise)
        score = min(top, 0.999999)
        window: tuple[int, float, float] = (1, x, mu)

        alert, severity, reason = False, 0, "normal"
        if t - self.first_t < s.warmup_s:
            reason = "warming up"
        elif fired is None:
            reason = near or (
                "normal" if most < s.alert_surprise / 2 else "elevated, not improbable"
            )
        elif (
            self.last_alert_t is not None
            and t - self.last_alert_t < s.cooldown_s
            and not self._surge_over(t)
        ):
            reason = "surge, alert cooling down"
        else:
            k, obs, exp, surprise = fired
            alert, window = True, (k, obs, exp)
            ratio = obs / exp
            frac = math.log(max(ratio, 1.0)) / math.log(s.severity_ratio_max)
            severity = max(1, min(10, 1 + int(9 * frac)))
            span = f"the last {k * s.bucket_s // 60:g} minutes" if k > 1 else "one bucket"
            reason = (
                f"surge: {obs:g} mentions in {span} vs {exp:.1f} expected "
                f"({ratio:.1f}x), p ~ 1e-{surprise:.0f}"
            )
            self.last_alert_t = t
        k_long = self.windows[2]
        if k_long - 1 <= len(self.recent):
            obs, exp = self._sums(k_long, x, mu)
            if alert or obs >= s.calm_ratio * exp:
                self.calm_since = None
            elif self.calm_since is None:
                self.calm_since = t
        # The alerting bucket's own lifts count (else the same routine spike alerts
        # again every day); the rest of the day after an alert does not.
        if alert or not held:
            new = alert_lifts if alert else lifts
            self.record = [max(r, lift) for r, lift in zip(self.record, new, strict=True)]
        self._learn(t, dt, x, mu, tod, dow, f_tod, f_dow)
        return Decision(score, alert, mu, severity, reason, *window)

    def _skip_gap(self, dt: float, mu: float) -> None:
        """Buckets nobody judged (a gap in the feed) count as expected in the windows."""
        missing = min(round(dt / self.settings.bucket_s) - 1, self.windows[2])
        self.recent += [[mu, mu, mu] for _ in range(max(0, missing))]
        del self.recent[: -self.windows[2]]

    def _surge_over(self, t: float) -> bool:
        """Whether the long window has been calm for ``calm_s`` (0: never over)."""
        s = self.settings
        return s.calm_s > 0 and self.calm_since is not None and t - self.calm_since >= s.calm_s

    # -- learning --

    def _learn(
        self,
        t: float,
        dt: float,
        x: float,
        mu: float,
        tod: int,
        dow: int,
        f_tod: float,
        f_dow: float,
    ) -> None:
        s = self.settings
        self.last_t = t
        self.n += 1
        sd = math.sqrt(mu + self.alpha(0) * mu * mu)
        xc = min(x, mu + s.clip_sd * sd + 1.0)
        long = self.windows[2]
        if s.window_clip_sd > 0 and len(self.recent) >= long - 1:
            obs, exp = self._sums(long, xc, mu, column=1)
            a = self.alpha(2)
            cap = exp + s.window_clip_sd * math.sqrt(exp + a * exp * exp)
            if obs > cap:
                xc = min(xc, mu * cap / exp)
        # Clipped for shift_s in a row (gaps not counted): a level shift, learnt in full.
        self.over_s = self.over_s + min(dt, s.bucket_s) if xc < x else 0.0
        if self.over_s >= s.shift_s:
            xc = x
        # Dispersion per window: method of moments on clipped sums, residuals clipped.
        k_d = _decay(dt, s.dispersion_halflife_s)
        for w, k in enumerate(self.windows):
            if len(self.recent) < k - 1:
                continue
            obs, exp = self._sums(k, xc, mu, column=1)
            a = self.alpha(w)
            limit = s.dispersion_clip_sd * math.sqrt(exp + a * exp * exp)
            resid = max(-limit, min(limit, obs - exp))
            self.disp[w][0] = k_d * self.disp[w][0] + resid * resid - exp
            self.disp[w][1] = k_d * self.disp[w][1] + exp * exp
        self.recent.append([x, xc, mu])
        del self.recent[:-long]
        # Level: deseasonalised, with a fast start.
        season = max(f_tod * f_dow, 1e-6)
        w8 = max(1.0 - _decay(dt, s.level_halflife_s), 1.0 / self.n)
        base = self.level
        self.level += w8 * (xc / season - self.level)
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
            "disp": self.disp,
            "record": self.record,
            "over_s": self.over_s,
            "last_alert_t": self.last_alert_t,
            "calm_since": self.calm_since,
            "recent": self.recent,
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
        det.disp = [[float(a), float(b)] for a, b in state["disp"]]
        det.record = [float(v) for v in state["record"]]
        det.over_s = float(state["over_s"])
        det.last_alert_t = state["last_alert_t"]
        det.calm_since = state["calm_since"]
        det.recent = [[float(a), float(b), float(c)] for a, b, c in state["recent"]]
        return det
