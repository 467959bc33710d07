"""The append-only audit log (P10): who did what, when, through which channel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from chalicelib.core.users import User


class Channel(StrEnum):
    API = "api"
    WEB = "web"  # the web app, in a signed-in browser session
    EMAIL = "email"
    SCHEDULER = "scheduler"
    SYSTEM = "system"


@dataclass(frozen=True)
class AuditEntry:
    id: str  # sortable: ISO time + random suffix
    at: datetime
    actor: str  # a user id, or "scheduler" / "system"
    channel: Channel
    action: str
    subject_type: str
    subject_id: str
    account_id: str
    details: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "channel": self.channel.value,
            "action": self.action,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "account_id": self.account_id,
            "details": self.details,
        }


@dataclass(frozen=True)
class Actor:
    """Who acts and through which door: a user over the API or a link, or the scheduler."""

    id: str
    channel: Channel
    user: User | None = None

    @staticmethod
    def of(user: User, channel: Channel = Channel.API) -> Actor:
        return Actor(user.id, channel, user)


SCHEDULER = Actor("scheduler", Channel.SCHEDULER)
SYSTEM_ACTOR = Actor("system", Channel.SYSTEM)
