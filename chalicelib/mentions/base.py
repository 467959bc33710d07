"""What the mention use cases share: their ports, the clock and the account's settings."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chalicelib.accounts.domain import Account
from chalicelib.core.audit import Actor, Channel
from chalicelib.incidents.domain import OPEN_STATUSES
from chalicelib.mentions.domain import MentionSettings

if TYPE_CHECKING:
    from chalicelib.incidents.playbook import Playbook
    from chalicelib.ports import EngagementStore, MentionQueue, MentionStore
    from chalicelib.services import Firebreak

logger = logging.getLogger(__name__)

POLLER = Actor("mention_poller", Channel.SCHEDULER)
SPIKE = Actor("mention_alert", Channel.SYSTEM)
# Mentions per queue message: far below SQS's 256 KB, and with one bucket counter
# update each, well inside DynamoDB's 100 items per transaction.
MESSAGE_MENTIONS = 25
MESSAGE_VERSION = 1


@dataclass
class MentionDeps:
    service: Firebreak  # accounts, users, mail, social network clients, the clock
    mentions: MentionStore
    queue: MentionQueue
    scorer: Callable[[], Any]  # the triage scorer's mention mode, loaded on first use
    playbook: Callable[[], Playbook]  # incidents, built only when an alert needs one
    engagement: EngagementStore  # the engagement queue and reply templates


class MentionUseCases:
    def __init__(self, deps: MentionDeps) -> None:
        self.deps = deps
        self.service = deps.service
        self.store = deps.service.store
        self.mentions = deps.mentions

    @property
    def clock(self) -> Any:
        return self.service.clock

    def settings_of(self, account_id: str) -> MentionSettings:
        return self.mentions.get_settings(account_id) or MentionSettings()

    def open_incidents(self, account_id: str) -> list[str]:
        """The ids of the incidents open on the account (a crisis changes what is allowed)."""
        incidents = self.deps.playbook().incidents.of_account(account_id, OPEN_STATUSES)
        return [i.id for i in incidents if i.is_open]

    def mail_seniors(
        self,
        account: Account,
        key: str,
        subject: str,
        text: str,
        html: str | None = None,
        *,
        strict: bool = False,
    ) -> int:
        """Mail the brand owners and admins who see ``account``, each once per ``key``
        whatever retries happen; a failed send is released for the next try. With
        ``strict``, a failure raises ``MailFailed`` once everyone else was tried, so the
        caller does not move on as if they had been told. Returns how many went out."""
        from html import escape

        from chalicelib.core.users import Role
        from chalicelib.ports import MailFailed

        sent, failed = 0, 0
        for person in self.store.users_of_brand(account.brand_id):
            if person.role not in (Role.BRAND_OWNER, Role.ADMIN):
                continue
            if not person.sees_account(account.id, account.brand_id):
                continue
            once = f"{key}#{person.id}"
            if not self.store.claim_once(once, self.clock.now()):
                continue
            try:
                self.service.mailer.send(
                    to=person.email,
                    subject=subject,
                    text=text,
                    html=html if html is not None else f"<p>{escape(text)}</p>",
                )
                sent += 1
            except MailFailed:
                self.store.release_once(once)
                failed += 1
                logger.warning("mail %s to %s not sent; tried again", key.split("#")[0], person.id)
        if failed and strict:
            raise MailFailed(f"{failed} of the mails {key.split('#')[0]} not sent")
        return sent
