"""Reading mentions from Bluesky for the mention poller (M1).

Bluesky has no ``since_id``: mentions, replies and quotes come as notifications
(``app.bsky.notification.listNotifications``, newest first, paged by cursor), and the
checkpoint is a notification's ``indexedAt`` as integer microseconds since the epoch
(a decimal string, opaque to the caller). Reading stops at the first notification
not newer than the checkpoint; ``truncated`` says ``max_posts`` was reached before
it. The authors' follower counts come from ``app.bsky.actor.getProfiles`` (25 a call).

A gap is filled from ``app.bsky.feed.searchPosts`` (``mentions=<our handle>`` between
the two checkpoints' times): search finds posts that mention the account by facet,
not replies or quotes that do not name it, so a filled gap may still miss some.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.networks.bluesky_posts import (
    checkpoint,
    datetime_text,
    micros_of,
    micros_to_iso,
    notification_to_post,
    view_to_post,
)
from chalicelib.networks.social import MentionBatch, RemotePost

if TYPE_CHECKING:
    from chalicelib.networks.bluesky import BlueskyClient

__all__ = ["PROFILES_PER_CALL", "REASONS", "read_notifications", "search_mentions"]

REASONS = ("mention", "reply", "quote")
PROFILES_PER_CALL = 25


class _Reader:
    """Newest-first pages cut at a checkpoint and at ``max_posts``."""

    def __init__(self, client: BlueskyClient, since: int | None, max_posts: int) -> None:
        self.client = client
        self.own = client.own_id()
        self.since = since
        self.max_posts = max_posts
        self.posts: list[RemotePost] = []
        self.seen: set[str] = set()
        self.newest: int | None = None
        self.oldest: int | None = None
        self.calls = 0
        self.truncated = False
        self.done = False

    def limit(self) -> int:
        # One more than still wanted: seeing what follows tells whether a gap is left.
        return max(1, min(self.client.page_size, self.max_posts - len(self.posts) + 1))

    def take(
        self,
        micros: int | None,
        item: dict[str, Any],
        convert: Callable[[dict[str, Any], str], RemotePost] | None,
    ) -> None:
        if self.done or micros is None:
            return
        if self.since is not None and micros <= self.since:
            self.done = True
            return
        if len(self.posts) >= self.max_posts:
            self.truncated = self.done = True
            return
        if self.newest is None:
            self.newest = micros
        if convert is None:  # read past, not a mention (a server ignoring ``reasons``)
            return
        uri = str(item.get("uri", ""))
        author = (item.get("author") or {}).get("did")
        if uri in self.seen or author == self.own:
            return
        try:
            post = convert(item, self.own)
        except ValueError:  # a record key that is not a TID
            return
        self.seen.add(uri)
        self.posts.append(post)
        self.oldest = micros

    def pages_left(self, cursor: str | None, count: int, pages: int) -> bool:
        if self.done or not cursor or not count:
            return False
        if pages >= self.client.max_pages + self.max_posts // max(1, self.client.page_size):
            self.truncated = True  # a server that keeps paging: stop, and say so
            return False
        return True

    def batch(self) -> MentionBatch:
        self.calls += add_authors(self.client, self.posts)
        return MentionBatch(
            posts=self.posts,
            newest_id=str(self.newest) if self.newest is not None else None,
            oldest_id=str(self.oldest) if self.oldest is not None else None,
            truncated=self.truncated,
            requests=self.calls,
        )


def read_notifications(
    client: BlueskyClient, *, since_id: str | None, max_posts: int
) -> MentionBatch:
    """Mention, reply and quote notifications newer than ``since_id``, newest first."""
    from chalicelib.networks.bluesky import dump

    reader = _Reader(client, checkpoint(since_id, "since_id"), max_posts)
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"reasons": list(REASONS), "limit": reader.limit()}
        if cursor:
            params["cursor"] = cursor
        page = client.query("mentions", "app.bsky.notification.list_notifications", params)
        reader.calls += 1
        pages += 1
        for notification in page.notifications:
            wanted = notification.reason in REASONS
            reader.take(
                micros_of(notification.indexed_at),
                dump(notification) if wanted else {},
                notification_to_post if wanted else None,
            )
        cursor = page.cursor
        if not reader.pages_left(cursor, len(page.notifications), pages):
            return reader.batch()


def search_mentions(
    client: BlueskyClient,
    *,
    since_id: str | None,
    until_id: str,
    max_posts: int,
    start_time: datetime | None = None,
) -> MentionBatch:
    """Posts mentioning the account, indexed after ``since_id`` (or from ``start_time``)
    and before ``until_id``, newest first, from search."""
    from chalicelib.networks.bluesky import dump

    since = checkpoint(since_id, "since_id")
    until = checkpoint(until_id, "until_id")
    handle = client.own_handle()
    params: dict[str, Any] = {"q": handle, "mentions": handle, "sort": "latest"}
    if until is not None:
        params["until"] = micros_to_iso(until)
    if since is not None:
        params["since"] = micros_to_iso(since + 1)  # since is inclusive; the checkpoint was read
    elif start_time is not None:
        params["since"] = datetime_text(start_time)
    reader = _Reader(client, since, max_posts)
    pages = 0
    while True:
        params["limit"] = reader.limit()
        page = client.query("search_mentions", "app.bsky.feed.search_posts", params)
        reader.calls += 1
        pages += 1
        for view in page.posts:
            reader.take(micros_of(view.indexed_at), dump(view), view_to_post)
        params["cursor"] = page.cursor
        if not reader.pages_left(page.cursor, len(page.posts), pages):
            return reader.batch()


def add_authors(client: BlueskyClient, posts: list[RemotePost]) -> int:
    """Put ``{"username", "followers"}`` into each post's ``raw["author"]`` from the
    authors' profiles; returns the number of calls made."""
    dids = list(dict.fromkeys(p.author_id for p in posts))
    profiles: dict[str, tuple[str, int | None]] = {}
    calls = 0
    for start in range(0, len(dids), PROFILES_PER_CALL):
        actors = dids[start : start + PROFILES_PER_CALL]
        page = client.query("mentions", "app.bsky.actor.get_profiles", {"actors": actors})
        calls += 1
        for profile in page.profiles:
            followers = profile.followers_count
            profiles[str(profile.did)] = (
                str(profile.handle),
                followers if isinstance(followers, int) else None,
            )
    for post in posts:
        handle, followers = profiles.get(post.author_id, (None, None))
        found = post.raw.get("author")
        author: dict[str, Any] = found if isinstance(found, dict) else {}
        username = handle or author.get("handle")
        # The view's author (did, handle, ...) is replaced by the X-shaped one.
        post.raw["author"] = {"username": username, "followers": followers}
        post.raw["author_profile"] = author
    return calls
