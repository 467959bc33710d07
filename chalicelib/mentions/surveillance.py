"""Surge detection on an account's mention series (M3) and what an alert sets off.

A bucket is judged once every poll that may hold its mentions has been counted (the
"watermark"); the detector's state is saved under a revision after what its judgement
sets off, which is idempotent (an alert is written once per bucket and kind), so a
crash or two runs at once raise each alert once and lose none. A surge mostly
about one of the account's own posts opens an incident on that post (the spike
trigger, one incident per post); any alert goes onto an open incident's timeline and
by mail to the brand's seniors.
"""

from __future__ import annotations

import logging
import math
from contextlib import suppress
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.core.errors import Conflict
from chalicelib.core.ids import sortable_id
from chalicelib.core.observe import count
from chalicelib.core.times import human_time
from chalicelib.mentions.base import SPIKE, MentionUseCases
from chalicelib.mentions.detector import STATE_VERSION as DETECTOR_STATE_VERSION
from chalicelib.mentions.detector import SurgeDetector
from chalicelib.mentions.domain import (
    NEGATIVE_SHARE,
    SURGE,
    Alert,
    Counts,
    MentionSettings,
    iso,
    negative_turn,
    sample,
    top_terms,
)

logger = logging.getLogger(__name__)

LOOKBACK = timedelta(minutes=15)  # polls the watermark looks at
STALE = timedelta(minutes=5)  # a poll whose messages are not all counted by then (DLQ)
# Buckets judged in one run at most. After a longer silence (a spent budget, a pause,
# an outage) the detector resumes at the recent past instead of learning an hour of
# zeros nobody polled for, which would collapse its baseline.
MAX_CATCH_UP = 60
SURGE_WINDOW = 3  # buckets an alert describes
STATE_VERSION = 1
NEG_HALFLIFE_BUCKETS = 7 * 1440  # the account's usual negative share: about a week


class Surveillance(MentionUseCases):
    def detect(self, account_id: str, now: datetime) -> dict[str, Any]:
        """Judge every complete bucket not judged yet; returns the alerts raised."""
        settings = self.settings_of(account_id)
        bs = settings.bucket_s
        watermark = self._watermark(account_id, now)
        if watermark is None:
            return {"judged": 0, "alerts": []}
        last = _floor(int(watermark.timestamp()) - bs, bs)  # the last bucket that has ended
        saved, revision = self.mentions.get_detector(account_id)
        state = self._state(account_id, settings, saved, last)
        first = max(int(state["next"]), last - (MAX_CATCH_UP - 1) * bs)
        if first > last:
            return {"judged": 0, "alerts": []}
        detector = SurgeDetector.from_state(state["detector"])
        history = max(SURGE_WINDOW, settings.negative_window_buckets, detector.windows[2])
        series = self.mentions.series(account_id, first - history * bs, last + bs)
        judged: list[tuple[int, Any, Counts]] = []
        raised: list[tuple[str, int, Any]] = []
        for bucket in range(first, last + 1, bs):
            counts = series.get(bucket, {}).get("counts") or Counts()
            decision = detector.observe(bucket, counts.total)
            judged.append((bucket, decision, counts))
            if decision.alert:
                raised.append((SURGE, bucket, decision))
            # The usual share learns from ordinary buckets only, never from a surge.
            ordinary = counts.total <= settings.min_ratio * max(decision.expected, 1.0)
            neg = self._negative(state, settings, series, bucket, counts, learn=ordinary)
            if neg is not None:
                raised.append((NEGATIVE_SHARE, bucket, neg))
        # Everything a judgement sets off is done before the state moves on, and is
        # idempotent (baselines overwrite, alerts are written once per bucket and kind,
        # one incident per post, mails once per key): a crash here judges the same
        # buckets again next time and loses nothing; two runs at once do it once.
        alpha = detector.alpha()
        for bucket, decision, _ in judged:
            low, high = band(decision.expected, alpha)
            self.mentions.set_baseline(account_id, bucket, decision.expected, low, high)
        alerts = [
            self._raise(account_id, settings, series, kind, bucket, what)
            for kind, bucket, what in raised
        ]
        state["detector"] = detector.to_state()
        state["next"] = last + bs
        if not self.mentions.save_detector(account_id, state, revision):
            return {"judged": 0, "alerts": []}  # another run judged these buckets
        return {"judged": len(judged), "alerts": [a.id for a in alerts if a]}

    # -- when a bucket is complete
    def _watermark(self, account_id: str, now: datetime) -> datetime | None:
        """The time up to which every poll's mentions are counted: the latest poll such
        that it and every poll before it (in the look-back) are done or given up on."""
        mark = None
        for poll in self.mentions.polls_since(account_id, now - LOOKBACK):
            if poll["polled_at"] > now:
                break
            if poll["done"] >= poll["parts"] or poll["polled_at"] < now - STALE:
                mark = poll["polled_at"]
            else:
                break
        return mark

    def _state(
        self, account_id: str, settings: MentionSettings, saved: Any, last: int
    ) -> dict[str, Any]:
        wanted = settings.surge_settings(self._utc_offset(account_id))
        if not saved or saved.get("v") != STATE_VERSION:
            return {
                "v": STATE_VERSION,
                "detector": SurgeDetector(wanted).to_state(),
                "next": last,  # listening starts with the last bucket that ended
                "neg": (0.0, 0.0),  # exponentially weighted negative and total counts
                "neg_alert_at": None,
            }
        state = dict(saved)
        if state["detector"].get("v") != DETECTOR_STATE_VERSION:
            # A detector of an older model: what it learnt does not carry over, so it
            # starts afresh (warming up again) rather than failing every run.
            state["detector"] = SurgeDetector(wanted).to_state()
        elif state["detector"].get("settings") != asdict(wanted):
            # New thresholds from the account's settings; what was learnt stays.
            state["detector"] = {**state["detector"], "settings": asdict(wanted)}
        return state

    def _utc_offset(self, account_id: str) -> int:
        from zoneinfo import ZoneInfo

        account = self.store.get_account(account_id)
        try:
            zone = ZoneInfo(account.timezone) if account else UTC
        except (KeyError, ValueError):
            zone = UTC
        offset = self.clock.now().astimezone(zone).utcoffset()
        return int(offset.total_seconds()) if offset else 0

    # -- the negative share
    def _negative(
        self,
        state: dict[str, Any],
        settings: MentionSettings,
        series: dict[int, dict[str, Any]],
        bucket: int,
        counts: Counts,
        *,
        learn: bool = True,
    ) -> tuple[float, float, int] | None:
        """(share, usual share, severity) when the window's negative share alerts."""
        bs = settings.bucket_s
        neg_sum, total_sum = state.get("neg") or (0.0, 0.0)
        # The usual share needs some history: a few windows' worth of mentions.
        usual = neg_sum / total_sum if total_sum >= 3 * settings.negative_min_count else None
        window = [
            series.get(bucket - i * bs, {}).get("counts") or Counts()
            for i in range(settings.negative_window_buckets)
        ]
        alert = None
        if usual is not None:
            fire, share, severity = negative_turn(window, usual, settings)
            last_at = state.get("neg_alert_at")
            cooling = last_at is not None and bucket - int(last_at) < settings.cooldown_s
            if fire and not cooling:
                state["neg_alert_at"] = bucket
                alert = (share, usual, severity)
        if learn:
            keep = 0.5 ** (1 / NEG_HALFLIFE_BUCKETS)
            state["neg"] = (keep * neg_sum + counts.negative, keep * total_sum + counts.total)
        return alert

    # -- raising an alert
    def _raise(
        self,
        account_id: str,
        settings: MentionSettings,
        series: dict[int, dict[str, Any]],
        kind: str,
        bucket: int,
        what: Any,
    ) -> Alert | None:
        bs = settings.bucket_s
        if kind == SURGE:  # the window that alerted, and at least SURGE_WINDOW buckets
            span = max(SURGE_WINDOW, int(what.window_buckets))
        else:
            span = settings.negative_window_buckets
        window = Counts()
        for i in range(span):
            window.add(series.get(bucket - i * bs, {}).get("counts") or Counts())
        about, about_share = window.top_about()
        start = datetime.fromtimestamp(bucket - (span - 1) * bs, UTC)
        end = datetime.fromtimestamp(bucket + bs, UTC)
        mentions = self.mentions.mentions_between(account_id, start, end, limit=500)
        if kind == NEGATIVE_SHARE:
            mentions = [m for m in mentions if m.negative] or mentions
        if kind == SURGE:
            severity, reason = what.severity, what.reason
            # Observed and expected over the window that alerted (one bucket or more).
            observed, expected = float(what.window_observed), float(what.window_expected)
        else:
            share, usual, severity = what
            observed, expected = round(share, 3), round(usual, 3)
            reason = (
                f"negative share {share:.0%} of {window.total} mentions over "
                f"{span} buckets vs {usual:.0%} usually"
            )
        alert = Alert(
            id=sortable_id(self.clock.now()),
            account_id=account_id,
            kind=kind,
            bucket_at=datetime.fromtimestamp(bucket, UTC),
            raised_at=self.clock.now(),
            observed=observed,
            expected=round(expected, 3),
            severity=int(severity),
            reason=reason,
            top_terms=tuple(top_terms((m.text for m in mentions), stopwords=_stopwords())),
            samples=sample(mentions, settings.samples),
            about=about,
            about_share=round(about_share, 3),
        )
        if self.mentions.put_alert(alert):
            count("MentionAlerts")
        else:
            # Raised before (by a run that crashed after it, or one running now): what
            # follows is idempotent, so it is done again rather than maybe never.
            stored = [a for a in self.mentions.alerts(account_id, 50) if _same(a, alert)]
            if not stored:
                return None
            alert = stored[0]
        alert = self._to_incident(alert, settings)
        self._mail(alert)
        return alert

    def _to_incident(self, alert: Alert, settings: MentionSettings) -> Alert:
        """A surge mostly about an own post opens an incident on it; any alert goes
        onto the account's open incidents' timelines."""
        from chalicelib.incidents.domain import TimelineEntry, Trigger

        playbook = self.deps.playbook()
        opened = None
        if alert.kind == SURGE and alert.about and alert.about_share >= settings.incident_share:
            try:
                opened = playbook.lifecycle.open_incident(
                    SPIKE,
                    alert.account_id,
                    alert.about,
                    trigger=Trigger.MENTION_SPIKE,
                    note=alert.reason,
                )
            except Exception as exc:  # noqa: BLE001 - the alert stands; logged
                logger.warning("no incident from alert %s: %s", alert.id, type(exc).__name__)
        if opened is not None and alert.incident_id != opened.id:
            alert = replace(alert, incident_id=opened.id)
            self.mentions.update_alert(alert)
        now = self.clock.now()
        for incident in playbook.incidents.of_account(alert.account_id):
            if not incident.is_open:
                continue
            entry = TimelineEntry(
                # One entry per alert, however often it is raised: the id is its bucket's.
                id=f"{alert.bucket_at:%Y%m%dT%H%M%S.%f}-mention-{alert.kind}",
                at=now,
                actor=SPIKE.id,
                channel=SPIKE.channel.value,
                kind="mention_alert",
                message=alert.reason,
                details={
                    "alert_id": alert.id,
                    "alert": alert.kind,
                    "severity": alert.severity,
                    "observed": alert.observed,
                    "expected": alert.expected,
                    "about": alert.about,
                    "top_terms": list(alert.top_terms),
                },
            )
            with suppress(Conflict):  # on the timeline already
                playbook.incidents.append_timeline(incident.id, [entry])
        return alert

    def _mail(self, alert: Alert) -> None:
        account = self.store.get_account(alert.account_id)
        if account is None:
            return
        what = "Mention surge" if alert.kind == SURGE else "Mentions turning negative"
        lines = [
            f"{what} on {account.handle} (severity {alert.severity}/10)",
            alert.reason,
            f"Bucket: {human_time(alert.bucket_at, account.timezone)}; "
            f"top terms: {', '.join(alert.top_terms) or '-'}",
        ]
        if alert.about:
            lines.append(f"Mostly about our post {alert.about} ({alert.about_share:.0%}).")
        if alert.incident_id:
            lines.append(f"Incident {alert.incident_id} is open on it.")
        lines += [f"- @{s['author']}: {s['text']}" for s in alert.samples]
        text = "\n".join(lines)
        from html import escape

        html = "".join(f"<p>{escape(line)}</p>" for line in lines)
        self.mail_seniors(
            account,
            f"mention-alert#{alert.account_id}#{iso(alert.bucket_at)}#{alert.kind}",
            f"{what}: {account.handle}, severity {alert.severity}",
            text,
            html,
            strict=True,  # the run fails and is tried again: no alert goes untold
        )


def _same(a: Alert, b: Alert) -> bool:
    return a.kind == b.kind and a.bucket_at == b.bucket_at


def band(expected: float, alpha: float, z: float = 2.0) -> tuple[float, float]:
    """A baseline band around ``expected``: z standard deviations of the negative
    binomial with overdispersion ``alpha``."""
    sd = math.sqrt(max(expected, 0.0) + alpha * expected * expected)
    return max(0.0, expected - z * sd), expected + z * sd


def _floor(epoch: int, step: int) -> int:
    return epoch - epoch % step


def _stopwords() -> frozenset[str]:
    from chalicelib.triage.langid import STOPWORDS

    return frozenset().union(*STOPWORDS.values())
