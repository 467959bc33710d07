"""The port through which Firebreak talks to a social network, and its errors.

Adapters (``chalicelib.networks.x.XClient`` for X) implement ``SocialNetwork``;
the domain only ever sees these types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class RemotePost:
    """A post as the network reports it.

    ``id`` is a decimal string on every network, ordered by creation time, so that
    checkpoints, keys and rankings compare ids the same way everywhere: X's and
    Mastodon's own ids; on Bluesky the integer behind the record key (a TID).
    ``ref`` is the network's full address of the post where the id alone does not find
    it (Bluesky: the ``at://`` URI, since another account's post lives in its own
    repository); adapters accept it wherever they accept an id.

    ``raw`` is the network's own object. Adapters for networks other than X add the
    keys the mention side reads in X's shape: ``referenced_tweets`` (``[{"type":
    "replied_to"|"quoted", "id"}]``), ``referenced_authors`` (referenced id → its
    author's id), ``in_reply_to_user_id``, ``conversation_id`` and ``author``
    (``{"username", "followers"}``)."""

    id: str
    text: str
    author_id: str
    created_at: datetime | None = None
    source_app: str | None = None
    url: str | None = None
    public_metrics: dict[str, int] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    ref: str | None = None


def expanded_text(post: RemotePost) -> str:
    """The post's text as it was sent: the network's short links (X's t.co) expanded
    back from its URL entities, and HTML entities (X escapes ``&``, ``<``, ``>``)
    unescaped."""
    from html import unescape

    text = post.text
    for entity in (post.raw.get("entities") or {}).get("urls") or ():
        short, expanded = entity.get("url"), entity.get("expanded_url")
        if short and expanded and short != expanded:
            text = text.replace(str(short), str(expanded))
    return unescape(text)


def scrub_secrets(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every credential value in ``secrets`` replaced by ``***``: what an
    adapter does to any message before it leaves it."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def utc_time(value: Any) -> datetime | None:
    """A network's time (ISO 8601 text, ``Z`` or an offset, or a datetime) as an aware
    UTC datetime; a naive one is taken as UTC. None when it is neither."""
    if isinstance(value, str) and value:
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _normalised(text: str) -> str:
    import unicodedata

    return " ".join(unicodedata.normalize("NFC", text).split())


def is_our_post(post: RemotePost, sent_text: str) -> bool:
    """Whether ``post`` is the one we sent with ``sent_text``: compared after expanding
    its short links, in NFC, with runs of whitespace folded (what X preserves)."""
    return same_text(expanded_text(post), sent_text)


def same_text(a: str, b: str) -> bool:
    """The same words for X: equal in NFC with runs of whitespace folded."""
    return _normalised(a) == _normalised(b)


@dataclass(frozen=True)
class MentionBatch:
    """Mentions newer than a checkpoint, newest first, as one poll read them.

    ``newest_id`` is the first page's newest id (the next checkpoint, kept while
    paging); ``truncated`` says the network's window ended before the checkpoint
    was reached (X serves only the 800 newest mentions), so a gap remains between
    the checkpoint and ``oldest_id``. Each post's ``raw["author"]`` carries the
    author's ``username`` and ``followers`` where the network reports them.
    """

    posts: list[RemotePost]
    newest_id: str | None
    oldest_id: str | None
    truncated: bool
    requests: int = 0


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

    def mention_batch(self, *, since_id: str | None, max_posts: int) -> MentionBatch:
        """Mentions newer than ``since_id`` (at most ``max_posts``), with their authors."""
        ...

    def search_mentions(self, *, since_id: str, until_id: str, max_posts: int) -> MentionBatch:
        """Mentions between two ids from the network's search (fills a gap)."""
        ...
