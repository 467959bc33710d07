"""What people ask of the mentions (the API): the series with its baseline, the alerts,
the recent mentions ranked, the listening state and the settings. Reads are for
everyone who sees the account; settings are for those who manage it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.core.errors import ValidationFailed
from chalicelib.core.users import Permission, User
from chalicelib.mentions.base import MentionDeps, MentionUseCases
from chalicelib.mentions.domain import Counts, MentionSettings, iso, rank
from chalicelib.mentions.engagement import Engagement
from chalicelib.mentions.escalation import Escalation
from chalicelib.mentions.ingest import MentionIngest
from chalicelib.mentions.poller import MentionPoller
from chalicelib.mentions.surveillance import Surveillance
from chalicelib.mentions.templates import ReplyTemplates

MAX_SERIES_BUCKETS = 7 * 1440


class MentionQueries(MentionUseCases):
    def _account(self, user: User, account_id: str) -> Any:
        return self.service.accounts.account_for(user, account_id)

    def series(
        self, user: User, account_id: str, start: datetime | None, end: datetime | None
    ) -> dict[str, Any]:
        """Per-bucket counts against the baseline band, from ``start`` to ``end``
        (default: the last 24 hours)."""
        self._account(user, account_id)
        settings = self.settings_of(account_id)
        bs = settings.bucket_s
        end = end or self.clock.now()
        start = start or end - timedelta(hours=24)
        if start >= end:
            raise ValidationFailed("must be before to", field="from")
        first = int(start.timestamp()) // bs * bs
        stop = -(-int(end.timestamp()) // bs) * bs
        if (stop - first) // bs > MAX_SERIES_BUCKETS:
            raise ValidationFailed(
                f"at most {MAX_SERIES_BUCKETS} buckets of {bs} s at once", field="from"
            )
        stored = self.mentions.series(account_id, first, stop)
        buckets = []
        for bucket in range(first, stop, bs):
            entry = stored.get(bucket, {})
            counts: Counts = entry.get("counts") or Counts()
            about, share = counts.top_about()
            buckets.append(
                {
                    "at": iso(datetime.fromtimestamp(bucket, UTC)),
                    "total": counts.total,
                    "negative": counts.negative,
                    "toxic": counts.toxic,
                    "reach": counts.reach,
                    "about": about,
                    "about_share": round(share, 3),
                    "expected": entry.get("expected"),
                    "band": [entry["low"], entry["high"]] if "low" in entry else None,
                }
            )
        return {
            "account_id": account_id,
            "bucket_s": bs,
            "from": iso(datetime.fromtimestamp(first, UTC)),
            "to": iso(datetime.fromtimestamp(stop, UTC)),
            "buckets": buckets,
        }

    def alerts(self, user: User, account_id: str, limit: int = 50) -> list[dict[str, Any]]:
        self._account(user, account_id)
        if not 1 <= limit <= 200:
            raise ValidationFailed("must be 1..200", field="limit")
        return [a.to_dict() for a in self.mentions.alerts(account_id, limit)]

    def recent(
        self,
        user: User,
        account_id: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """The account's mentions from ``start`` to ``end`` (default: the last 24 hours),
        most urgent first."""
        self._account(user, account_id)
        if not 1 <= limit <= 500:
            raise ValidationFailed("must be 1..500", field="limit")
        end = end or self.clock.now()
        start = start or end - timedelta(hours=24)
        if start >= end:
            raise ValidationFailed("must be before to", field="from")
        if end - start > timedelta(days=7):
            raise ValidationFailed("at most seven days at once", field="from")
        found = self.mentions.mentions_between(account_id, start, end, limit=2000)
        return [m.to_dict() for m in rank(found)[:limit]]

    def status(self, user: User, account_id: str) -> dict[str, Any]:
        """Where listening stands: checkpoint, pause, read budget, gaps X's window left."""
        self._account(user, account_id)
        settings = self.settings_of(account_id)
        state = self.mentions.get_poll_state(account_id)
        month = self.clock.now().strftime("%Y-%m")
        reads = self.mentions.reads(account_id, month)
        budget = settings.monthly_read_budget
        if not settings.enabled:
            listening = "disabled"
        elif reads >= budget:
            # An open incident lets polling run on past the budget (by half of it).
            over = bool(self.open_incidents(account_id)) and reads < budget * 1.5
            listening = "crisis_overrun" if over else "budget_spent"
        elif state.get("paused_until") and state["paused_until"] > iso(self.clock.now()):
            listening = "rate_limited"
        elif "since_id" not in state:
            listening = "starting"
        else:
            listening = "listening"
        return {
            "account_id": account_id,
            "state": listening,
            "since_id": state.get("since_id"),
            "last_poll_at": state.get("last_poll_at"),
            "paused_until": state.get("paused_until"),
            "budget": {
                "month": month,
                "reads": reads,
                "limit": budget,
                "share": round(reads / budget, 3) if budget else 1.0,
            },
            "gaps": state.get("gaps", []),
        }

    def damage(
        self, user: User, account_id: str, opened_at: datetime, until: datetime | None = None
    ) -> dict[str, Any]:
        """The damage report of an incident opened at ``opened_at`` (M6): from an hour
        before it to ``until`` (default now), at most two days."""
        from chalicelib.mentions.damage import Bucket, damage_report
        from chalicelib.mentions.engage import QueueState

        self._account(user, account_id)
        settings = self.settings_of(account_id)
        bs = settings.bucket_s
        end = min(until or opened_at + timedelta(days=2), opened_at + timedelta(days=2))
        first = int((opened_at - timedelta(hours=1)).timestamp()) // bs * bs
        stop = max(first + bs, -(-int(end.timestamp()) // bs) * bs)
        stored = self.mentions.series(account_id, first, stop)
        if until is None:  # still open: up to now, or the newest bucket counted
            now = int(self.clock.now().timestamp()) // bs * bs
            stop = min(stop, max([now, *stored]) + bs)
        buckets = [
            Bucket(
                at=b,
                counts=stored.get(b, {}).get("counts") or Counts(),
                expected=stored.get(b, {}).get("expected"),
                low=stored.get(b, {}).get("low"),
                high=stored.get(b, {}).get("high"),
            )
            for b in range(first, stop, bs)
        ]
        start_at = datetime.fromtimestamp(first, UTC)
        stop_at = datetime.fromtimestamp(stop, UTC)
        replied = self.deps.engagement.queue(account_id, (QueueState.REPLIED,), 1000)
        replies = [
            (m.created_at, item.reply.posted_at)
            for m, item in replied
            if item.reply and item.reply.posted_at and start_at <= item.reply.posted_at < stop_at
        ]
        saved, _ = self.mentions.get_detector(account_id)
        neg_sum, total_sum = (saved or {}).get("neg") or (0.0, 0.0)
        usual = neg_sum / total_sum if total_sum else None
        mentions = self.mentions.mentions_between(account_id, start_at, stop_at, limit=5000)
        report = damage_report(
            buckets,
            opened_at=opened_at,
            usual_negative_share=usual,
            replies=replies,
            mentions=mentions,
            bucket_s=bs,
        )
        return {"account_id": account_id, **report}

    def get_settings(self, user: User, account_id: str) -> dict[str, Any]:
        self._account(user, account_id)
        return self.settings_of(account_id).to_dict()

    def put_settings(self, user: User, account_id: str, body: Any) -> dict[str, Any]:
        self._account(user, account_id)
        user.require(Permission.MANAGE_ACCOUNT)
        settings = MentionSettings.from_dict(body, self.settings_of(account_id))
        self.mentions.put_settings(account_id, settings)
        return settings.to_dict()


@dataclass
class Mentions:
    """The mention capability's use cases, built over one set of ports."""

    poller: MentionPoller
    ingest: MentionIngest
    surveillance: Surveillance
    queries: MentionQueries
    engagement: Engagement
    escalation: Escalation
    templates: ReplyTemplates

    @staticmethod
    def build(deps: MentionDeps) -> Mentions:
        surveillance = Surveillance(deps)
        engagement = Engagement(deps)
        return Mentions(
            poller=MentionPoller(deps, surveillance),
            ingest=MentionIngest(deps, surveillance),
            surveillance=surveillance,
            queries=MentionQueries(deps),
            engagement=engagement,
            escalation=Escalation(deps, engagement),
            templates=ReplyTemplates(deps),
        )
