"""Reading Mastodon for the Mastodon adapter: statuses as ``RemotePost``, their HTML
``content`` as plain text, and the paged reads of the account's own statuses and of
its mention notifications.

Mastodon.py's own paging (``fetch_next``) drops ``since_id`` from the next page's
parameters and so would read past a checkpoint; these reads page with ``max_id``
themselves and keep ``since_id`` on every page.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from chalicelib.networks.social import MentionBatch, RemotePost, utc_time

if TYPE_CHECKING:
    from chalicelib.networks.mastodon import MastodonClient

__all__ = ["html_to_text", "jsonable", "read_mentions", "read_timeline", "to_remote_post"]

# Tags that end a paragraph in the HTML other servers send (Mastodon uses only <p>).
_BLOCKS = frozenset({"p", "div", "blockquote", "pre", "li", "h1", "h2", "h3", "h4", "h5", "h6"})


class _TextParser(HTMLParser):
    """Collects the text of a status: paragraphs apart by a blank line, ``<br>`` as a
    newline, every span of a link (the ``invisible`` ones too), mention links as
    ``@acct`` where the status's mention list names the account."""

    def __init__(self, mention_accts: Mapping[str, str]) -> None:
        super().__init__(convert_charrefs=True)
        self._accts = mention_accts
        self._out: list[str] = []
        self._break = False
        self._mention_depth = 0  # > 0 inside a mention link whose acct we know

    def _write(self, text: str) -> None:
        if self._break and self._out:
            self._out.append("\n\n")
        self._break = False
        self._out.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._mention_depth:
            self._mention_depth += 1
            return
        if tag in _BLOCKS:
            self._break = True
        elif tag == "br":
            self._write("\n")
        elif tag == "a":
            attributes = dict(attrs)
            classes = (attributes.get("class") or "").split()
            acct = self._accts.get(attributes.get("href") or "")
            if "mention" in classes and "hashtag" not in classes and acct:
                self._write("@" + acct)
                self._mention_depth = 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self._mention_depth and tag != "a":
            self._mention_depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if self._mention_depth:
            self._mention_depth -= 1
            return
        if tag in _BLOCKS:
            self._break = True

    def handle_data(self, data: str) -> None:
        # Whitespace between blocks (other servers' HTML has newlines there) is layout.
        if self._mention_depth or not data or (not data.strip() and (self._break or not self._out)):
            return
        self._write(data)

    def text(self) -> str:
        return "".join(self._out).strip()


def html_to_text(content: str, mentions: Any = None) -> str:
    """The plain text of a status's HTML ``content``.

    Paragraphs are separated by a blank line and ``<br>`` is a newline; a link reads
    as its full URL (Mastodon hides the scheme and the tail in ``invisible`` spans);
    entities are unescaped. ``mentions`` (the status's mention list) lets a mention
    link read ``@user`` for a local account and ``@user@domain`` for a remote one,
    as it was written; without it a mention reads as shown, ``@user``."""
    accts = {
        str(m["url"]): str(m["acct"])
        for m in mentions or ()
        if isinstance(m, Mapping) and m.get("url") and m.get("acct")
    }
    parser = _TextParser(accts)
    parser.feed(content or "")
    parser.close()
    return parser.text()


def jsonable(value: Any) -> Any:
    """Mastodon.py's entities as plain JSON values: dicts, lists, strings (its ids are
    a ``str`` subclass), numbers, and datetimes as ISO 8601 strings in UTC."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def to_remote_post(status: Mapping[str, Any]) -> RemotePost:
    """Turn a Mastodon status (Mastodon.py's ``Status`` or its JSON) into a ``RemotePost``.

    ``raw`` is the status as JSON values plus the keys the mention side reads in X's
    shape: ``author`` (``username`` = the ``acct``, ``followers``),
    ``in_reply_to_user_id``, ``referenced_tweets`` and ``referenced_authors`` (a reply's
    parent and its author). Mastodon has no conversation id in the API."""
    raw: dict[str, Any] = jsonable(status)
    account = raw.get("account") or {}
    application = raw.get("application") or {}
    parent, parent_author = raw.get("in_reply_to_id"), raw.get("in_reply_to_account_id")
    raw["author"] = {
        "username": account.get("acct") or account.get("username"),
        "followers": _count(account.get("followers_count")),
    }
    raw["in_reply_to_user_id"] = str(parent_author) if parent_author else None
    raw["referenced_tweets"] = [{"type": "replied_to", "id": str(parent)}] if parent else []
    raw["referenced_authors"] = (
        {str(parent): str(parent_author)} if parent and parent_author else {}
    )
    text = html_to_text(str(raw.get("content") or ""), raw.get("mentions"))
    # The links, in X's ``entities.urls`` shape: what the hack signs read.
    from chalicelib.networks.mastodon import status_entities

    raw["entities"] = {
        "urls": [
            {"url": value, "expanded_url": value}
            for _, _, kind, value in status_entities(text)
            if kind == "url"
        ]
    }
    metrics = {
        "like_count": _count(raw.get("favourites_count")),
        "repost_count": _count(raw.get("reblogs_count")),
        "reply_count": _count(raw.get("replies_count")),
    }
    return RemotePost(
        id=str(raw["id"]),
        text=text,
        author_id=str(account.get("id") or ""),
        created_at=utc_time(status.get("created_at")),
        source_app=(application.get("name") or None) if isinstance(application, dict) else None,
        url=raw.get("url") or raw.get("uri") or None,
        public_metrics={k: v for k, v in metrics.items() if v is not None},
        raw=raw,
    )


def _next_max_id(page: Any) -> str | None:
    """The next (older) page's ``max_id`` from the page's ``Link`` header, if any."""
    following = getattr(page, "_pagination_next", None)
    if not page or not following:
        return None
    max_id = following.get("max_id") if isinstance(following, Mapping) else None
    return str(max_id if max_id is not None else page[-1]["id"])


def read_timeline(
    client: MastodonClient, account_id: str, since_id: str | None
) -> list[RemotePost]:
    """The account's own statuses newer than ``since_id``, newest first, without boosts,
    at most ``client.max_pages`` pages."""
    posts: list[RemotePost] = []
    max_id: str | None = None
    for _ in range(client.max_pages):
        page = client.call(
            "timeline",
            client.api.account_statuses,
            account_id,
            since_id=since_id,
            max_id=max_id,
            limit=client.page_size,
            exclude_reblogs=True,
        )
        posts += [client.to_post(s) for s in page or () if not s.get("reblog")]
        following = _next_max_id(page)
        if len(page or ()) < client.page_size or following is None or following == max_id:
            break
        max_id = following
    return posts


def read_mentions(client: MastodonClient, since_id: str | None, max_posts: int) -> MentionBatch:
    """Mention notifications newer than ``since_id`` (at most ``max_posts``), newest first.

    A page ends the read when it is shorter than asked for or has no ``next`` link
    (Mastodon sends one on every non-empty notifications page). The last page asks
    for one more than is still wanted, so that a read which stops at ``max_posts``
    knows whether more were left (``truncated``); when ``max_posts`` falls on a full
    page's end, ``truncated`` is set if Mastodon offers a next page."""
    posts: list[RemotePost] = []
    newest: str | None = None
    max_id: str | None = None
    calls = 0
    truncated = more = False
    while len(posts) < max_posts:
        limit = min(client.page_size, max_posts - len(posts) + 1)
        page = client.call(
            "mentions",
            client.api.notifications,
            types=["mention"],
            since_id=since_id,
            max_id=max_id,
            limit=limit,
        )
        calls += 1
        if page and newest is None:
            newest = str(page[0]["id"])
        for notification in page or ():
            if len(posts) == max_posts:
                truncated = True  # the one more than wanted is there
                break
            status = notification.get("status")
            if notification.get("type") != "mention" or not status:
                continue
            post = client.to_post(status)
            post.raw["notification_id"] = str(notification["id"])
            posts.append(post)
        following = _next_max_id(page)
        more = len(page or ()) >= limit and following is not None and following != max_id
        if truncated or not more:
            break
        max_id = following
    return MentionBatch(
        posts=posts,
        newest_id=newest,
        oldest_id=posts[-1].raw["notification_id"] if posts else None,
        truncated=truncated or (more and len(posts) >= max_posts),
        requests=calls,
    )
