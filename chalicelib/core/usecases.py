"""What every capability's use cases share: the ports they run over, the clock, the
settings that shape links, and how an audit entry is made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.core.audit import Actor, AuditEntry
from chalicelib.core.ids import sortable_id

if TYPE_CHECKING:
    from chalicelib.ports import Clock, Mailer, SocialAccounts, Store
    from chalicelib.triage.risk import RiskScanner


@dataclass(frozen=True)
class Config:
    public_base_url: str  # where links in mails point, e.g. https://api.example.com
    link_ttl: timedelta = timedelta(hours=72)


@dataclass(frozen=True)
class Deps:
    """The adapters behind the ports, built once by ``chalicelib.wiring``."""

    store: Store
    mailer: Mailer
    social: SocialAccounts
    scanner: RiskScanner | None
    clock: Clock
    config: Config


class UseCases:
    """Base of each capability's service: its ports as attributes, and ``_audit``."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.store = deps.store
        self.mailer = deps.mailer
        self.social = deps.social
        self.scanner = deps.scanner
        self.clock = deps.clock
        self.config = deps.config

    def _audit(
        self,
        actor: Actor,
        action: str,
        *,
        subject_type: str,
        subject_id: str,
        account_id: str,
        **details: Any,
    ) -> AuditEntry:
        now = self.clock.now()
        return AuditEntry(
            id=sortable_id(now),
            at=now,
            actor=actor.id,
            channel=actor.channel,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            account_id=account_id,
            details={k: v for k, v in details.items() if v is not None},
        )
