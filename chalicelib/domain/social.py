"""The port through which Firebreak talks to a social network, and its errors.

Adapters (``chalicelib.adapters.x.XClient`` for X) implement ``SocialNetwork``;
the domain only ever sees these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class RemotePost:
    """A post as the network reports it."""

    id: str
    text: str
    author_id: str
    created_at: datetime | None = None
    source_app: str | None = None
    url: str | None = None
    public_metrics: dict[str, int] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


class SocialNetworkError(Exception):
    """Base class for failures talking to a network."""


class RateLimited(SocialNetworkError):
    """The network answered 429; nothing may be retried before ``reset_at`` (UTC)."""

    def __init__(self, reset_at: datetime) -> None:
        super().__init__(f"rate limited until {reset_at.isoformat()}")
        self.reset_at = reset_at


class NetworkUnavailable(SocialNetworkError):
    """A transient failure (5xx, timeout, connection error): retrying may succeed."""


class PostRejected(SocialNetworkError):
    """The network refused the request for good (4xx other than 429)."""


class PostNotFound(SocialNetworkError):
    """The post does not exist (or no longer exists) on the network."""


class SocialNetwork(Protocol):
    """What Firebreak needs from a network account."""

    def publish(
        self, text: str, *, reply_to: str | None = None, quote_of: str | None = None
    ) -> RemotePost: ...

    def delete(self, post_id: str) -> None: ...

    def get_post(self, post_id: str) -> RemotePost: ...

    def own_id(self) -> str:
        """The network's user id of the account these credentials act as."""
        ...

    def timeline(self, *, since_id: str | None = None) -> list[RemotePost]: ...

    def mentions(self, *, since_id: str | None = None) -> list[RemotePost]: ...
