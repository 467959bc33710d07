"""Escalation of the engagement queue (M4), run by the ``reminders`` job every minute:
urgent mentions nobody took, and approval mails of held replies that failed."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from chalicelib.accounts.domain import Account
from chalicelib.core.errors import Conflict
from chalicelib.mentions.base import MentionDeps, MentionUseCases
from chalicelib.mentions.domain import Mention
from chalicelib.mentions.engage import QueueItem, QueueState
from chalicelib.mentions.engagement import Engagement

logger = logging.getLogger(__name__)


class Escalation(MentionUseCases):
    def __init__(self, deps: MentionDeps, engagement: Engagement) -> None:
        super().__init__(deps)
        self.engagement = engagement

    def escalate(self, now: datetime) -> dict[str, Any]:
        """Urgent mentions nobody took within the account's time: one digest mail to the
        seniors per account and run, then marked escalated (a failed mail leaves them
        for the next run). Approval mails of held replies that failed are sent again."""
        escalated: list[str] = []
        for account in self.store.all_accounts():
            try:
                escalated += self._escalate_account(account, now)
                self._remind_approvers(account)
            except Exception as exc:  # noqa: BLE001 - per-account boundary, logged
                logger.warning("escalation skipped %s: %s", account.id, type(exc).__name__)
        return {"escalated": escalated}

    def _escalate_account(self, account: Account, now: datetime) -> list[str]:
        settings = self.settings_of(account.id)
        if not settings.enabled:
            return []
        waited = timedelta(seconds=settings.escalate_after_s)
        due: list[tuple[Mention, QueueItem]] = []
        for mention, item in self.engagement.queue_store.queue(account.id, (QueueState.NEW,), 100):
            if mention.urgency < settings.urgent_urgency:
                break  # most urgent first: the rest are less urgent still
            if not item.escalated_at and mention.created_at + waited <= now:
                due.append((mention, item))
        if not due:
            return []
        minutes = int(waited.total_seconds() // 60)
        lines = [
            f"{len(due)} urgent mention(s) on {account.handle} waited more than {minutes} "
            "minutes without anyone taking them. Most urgent first:",
            "",
        ] + [
            f"- ({m.urgency:.2f}) @{m.author_username or m.author_id} "
            f"({m.author_followers} followers): {m.text}"
            for m, _ in due[:20]
        ]
        first_due = min(m.id for m, _ in due)
        self.mail_seniors(
            account,
            f"mention-escalated#{account.id}#{now:%Y%m%dT%H%M}#{first_due}",
            f"{len(due)} urgent mention(s) untaken on {account.handle}",
            "\n".join(lines),
            strict=True,  # not marked escalated unless someone was told
        )
        done = []
        for mention, item in due:
            try:
                self.engagement.queue_store.save(mention, item.escalated(now))
                done.append(mention.id)
            except Conflict:
                continue  # someone took it meanwhile
        return done

    def _remind_approvers(self, account: Account) -> None:
        """Held replies whose approval mails failed get them again (claimed keys skip
        those already told)."""
        for mention_id in self.mentions.unmailed(account.id):
            found = self.engagement.queue_store.get(account.id, mention_id)
            if found is None or not found[1].held:
                self.mentions.mark_unmailed(account.id, mention_id, False)
                continue
            self.engagement.ask_approval(account, *found, retried=True)
