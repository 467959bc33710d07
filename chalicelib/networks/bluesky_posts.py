"""Bluesky posts as Firebreak sees them: ``at://`` addresses, the ids behind their
record keys, and the conversion of the AppView's JSON (post views, notifications)
into ``RemotePost`` with the X-shaped keys the mention side reads.

Pure: works on JSON dicts (the SDK's models dumped by alias), so it needs no client.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib.networks.bluesky_text import is_tid, tid_to_id
from chalicelib.networks.social import PostRejected, RemotePost, utc_time

__all__ = [
    "POST_COLLECTION",
    "AtUri",
    "checkpoint",
    "datetime_text",
    "micros_of",
    "micros_to_iso",
    "notification_to_post",
    "post_url",
    "reference_keys",
    "view_to_post",
]

POST_COLLECTION = "app.bsky.feed.post"
_QUOTE_EMBEDS = ("app.bsky.embed.record", "app.bsky.embed.record#view")
_QUOTE_WITH_MEDIA = ("app.bsky.embed.recordWithMedia", "app.bsky.embed.recordWithMedia#view")


@dataclass(frozen=True)
class AtUri:
    """``at://<repo>/<collection>/<rkey>``: where a record lives."""

    repo: str
    collection: str
    rkey: str

    @classmethod
    def parse(cls, uri: str) -> AtUri:
        """Raises ``ValueError`` naming what is missing from ``uri``."""
        if not isinstance(uri, str) or not uri.startswith("at://"):
            raise ValueError("an AT URI starts with at://")
        parts = uri[len("at://") :].split("/")
        if len(parts) != 3 or not all(parts):
            raise ValueError("an AT URI of a record is at://<repo>/<collection>/<rkey>")
        return cls(parts[0], parts[1], parts[2])

    @classmethod
    def post(cls, repo: str, rkey: str) -> AtUri:
        return cls(repo, POST_COLLECTION, rkey)

    def __str__(self) -> str:
        return f"at://{self.repo}/{self.collection}/{self.rkey}"

    @property
    def post_id(self) -> str | None:
        """The Firebreak id of a post whose key is a TID, else None."""
        if self.collection != POST_COLLECTION or not is_tid(self.rkey):
            return None
        return tid_to_id(self.rkey)


def checkpoint(value: str | None, name: str) -> int | None:
    """A decimal id or checkpoint (a post id, or microseconds for mentions) as an
    integer; None for none. ``PostRejected`` naming ``name`` when it is not one."""
    if value is None or value == "":
        return None
    if not value.isascii() or not value.isdigit():
        raise PostRejected(f"Bluesky {name} {value!r} is not a decimal id or checkpoint")
    return int(value)


def post_url(author: str, rkey: str) -> str:
    """The post's page in the Bluesky app (``author``: a handle, or a DID)."""
    return f"https://bsky.app/profile/{author}/post/{rkey}"


def parse_time(value: Any) -> datetime | None:
    """An AT Protocol datetime as an aware UTC datetime; None when it is not one."""
    return utc_time(value) if isinstance(value, str) else None


def micros_of(value: Any) -> int | None:
    """An AT Protocol datetime as integer microseconds since the epoch."""
    moment = parse_time(value)
    if moment is None:
        return None
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def micros_to_iso(micros: int) -> str:
    """Microseconds since the epoch as an AT Protocol datetime (UTC, ``Z``)."""
    moment = datetime.fromtimestamp(micros // 1_000_000, tz=UTC).replace(
        microsecond=micros % 1_000_000
    )
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def datetime_text(moment: datetime) -> str:
    """An AT Protocol datetime with milliseconds, as the Bluesky app writes ``createdAt``."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _uri_of(ref: Any) -> AtUri | None:
    if not isinstance(ref, Mapping):
        return None
    try:
        return AtUri.parse(str(ref.get("uri", "")))
    except ValueError:
        return None


def _quoted(record: Mapping[str, Any]) -> AtUri | None:
    embed = record.get("embed")
    if not isinstance(embed, Mapping):
        return None
    kind = embed.get("$type")
    if kind in _QUOTE_EMBEDS:
        found = _uri_of(embed.get("record"))
    elif kind in _QUOTE_WITH_MEDIA:
        inner = embed.get("record")
        found = _uri_of(inner.get("record")) if isinstance(inner, Mapping) else None
    else:
        return None
    return found if found is not None and found.collection == POST_COLLECTION else None


def reference_keys(uri: AtUri, record: Mapping[str, Any], own_did: str) -> dict[str, Any]:
    """The X-shaped keys of a post record: what it replies to and quotes
    (``referenced_tweets``, ``referenced_authors``, ``in_reply_to_user_id``) and, when
    its thread starts in ``own_did``'s repo, ``conversation_id``."""
    references: list[dict[str, str]] = []
    authors: dict[str, str] = {}
    keys: dict[str, Any] = {}
    root: AtUri | None = uri
    reply = record.get("reply")
    if isinstance(reply, Mapping):
        parent = _uri_of(reply.get("parent"))
        root = _uri_of(reply.get("root")) or parent
        if parent is not None and parent.post_id is not None:
            references.append({"type": "replied_to", "id": parent.post_id})
            authors[parent.post_id] = parent.repo
        if parent is not None:
            keys["in_reply_to_user_id"] = parent.repo
    quoted = _quoted(record)
    if quoted is not None and quoted.post_id is not None:
        references.append({"type": "quoted", "id": quoted.post_id})
        authors[quoted.post_id] = quoted.repo
    if references:
        keys["referenced_tweets"] = references
    keys["referenced_authors"] = authors
    if root is not None and root.repo == own_did and root.post_id is not None:
        keys["conversation_id"] = root.post_id
    return keys


def link_entities(record: Mapping[str, Any]) -> list[dict[str, str]]:
    """The post's links in X's ``entities.urls`` shape (what the hack signs read, and
    what ``expanded_text`` expands): each link facet's text as ``url`` (clients often
    shorten it) and its target as ``expanded_url``, then a link card's target."""
    text = str(record.get("text") or "").encode("utf-8")
    found: list[dict[str, str]] = []
    for facet in record.get("facets") or ():
        if not isinstance(facet, Mapping):
            continue
        index = facet.get("index") or {}
        for feature in facet.get("features") or ():
            target = feature.get("uri") if isinstance(feature, Mapping) else None
            if not isinstance(target, str) or not str(feature.get("$type", "")).endswith("#link"):
                continue
            start, end = index.get("byteStart"), index.get("byteEnd")
            shown = (
                text[start:end].decode("utf-8", "replace")
                if isinstance(start, int) and isinstance(end, int)
                else target
            )
            found.append({"url": shown or target, "expanded_url": target})
    embed = record.get("embed")
    external = embed.get("external") if isinstance(embed, Mapping) else None
    if isinstance(external, Mapping) and isinstance(external.get("uri"), str):
        found.append({"url": external["uri"], "expanded_url": external["uri"]})
    return found


def _metrics(view: Mapping[str, Any]) -> dict[str, int]:
    names = {
        "likeCount": "like_count",
        "repostCount": "repost_count",
        "replyCount": "reply_count",
        "quoteCount": "quote_count",
    }
    return {
        ours: value
        for theirs, ours in names.items()
        if isinstance(value := view.get(theirs), int) and not isinstance(value, bool)
    }


def _build(
    uri_text: str,
    record: Mapping[str, Any],
    author: Mapping[str, Any],
    raw: dict[str, Any],
    own_did: str,
    metrics: dict[str, int],
) -> RemotePost:
    uri = AtUri.parse(uri_text)
    post_id = uri.post_id
    if post_id is None:
        raise ValueError(f"not a post with a TID key: {uri_text}")
    did = str(author.get("did") or uri.repo)
    handle = author.get("handle")
    raw.update(reference_keys(uri, record, own_did))
    raw["entities"] = {"urls": link_entities(record)}
    raw["uri"] = uri_text
    return RemotePost(
        id=post_id,
        text=str(record.get("text") or ""),
        author_id=did,
        created_at=parse_time(record.get("createdAt")),
        source_app=None,  # Bluesky does not say which client posted
        url=post_url(str(handle) if handle else did, uri.rkey),
        public_metrics=metrics,
        raw=raw,
        ref=uri_text,
    )


def view_to_post(view: Mapping[str, Any], own_did: str) -> RemotePost:
    """A ``RemotePost`` from an ``app.bsky.feed.defs#postView`` (as JSON)."""
    record = view.get("record")
    author = view.get("author")
    return _build(
        str(view.get("uri", "")),
        record if isinstance(record, Mapping) else {},
        author if isinstance(author, Mapping) else {},
        {**view, "cid": view.get("cid")},
        own_did,
        _metrics(view),
    )


def notification_to_post(notification: Mapping[str, Any], own_did: str) -> RemotePost:
    """A ``RemotePost`` from a mention, reply or quote notification (as JSON); the
    notification says nothing of likes or reposts, so ``public_metrics`` is empty."""
    record = notification.get("record")
    author = notification.get("author")
    return _build(
        str(notification.get("uri", "")),
        record if isinstance(record, Mapping) else {},
        author if isinstance(author, Mapping) else {},
        {**notification, "cid": notification.get("cid")},
        own_did,
        {},
    )
