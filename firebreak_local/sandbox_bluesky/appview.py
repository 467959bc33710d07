"""The sandbox Bluesky's AppView: the views of posts, profiles and notifications, and
the read methods ``app.bsky.feed.getPosts``, ``getAuthorFeed``, ``searchPosts``,
``app.bsky.notification.listNotifications``, ``app.bsky.actor.getProfile`` /
``getProfiles`` and ``com.atproto.identity.resolveHandle``.

Views carry ``$type`` on every union member (the SDK's models need it to tell a
post view from a not-found one). Lists are newest first by ``indexedAt`` (a repost
by its own time); cursors are opaque (``indexedAt`` in microseconds for feeds and
notifications, an offset for search). Deleted posts vanish from every list; a
reply or quote of one shows it as not found.

``searchPosts`` understands: ``q`` (``*`` for anything; otherwise every word must
occur in the text, a leading ``@`` ignored), ``mentions`` (facet mentions only, as
on Bluesky), ``author``, ``since`` (inclusive) and ``until`` (exclusive) on
``indexedAt``, ``sort`` (``latest``; ``top`` orders by likes), ``limit``, ``cursor``.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request

from firebreak_local.sandbox_bluesky.repo import RepoMixin, quoted_uri
from firebreak_local.sandbox_bluesky.state import (
    POST,
    REPOST,
    Account,
    Record,
    iso,
    parse_datetime,
)
from firebreak_local.sandbox_bluesky.wire import invalid, limit_param, required

NOTIFICATION_REASONS = ("mention", "reply", "quote")
_FILTERS = (
    "posts_with_replies",
    "posts_no_replies",
    "posts_with_media",
    "posts_and_author_threads",
    "posts_with_video",
)


def _cursor(request: Request) -> int | None:
    raw = request.args.get("cursor")
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise invalid("Malformed cursor") from None


class AppViewMixin(RepoMixin):
    """Views and the read-only XRPC methods."""

    # ------------------------------------------------------------------ views

    def _basic(self, account: Account) -> dict[str, Any]:
        return {
            "did": account.did,
            "handle": account.handle,
            "displayName": account.display_name,
            "createdAt": iso(account.created_at),
            "labels": [],
            "viewer": {"muted": False, "blockedBy": False},
        }

    def _profile(self, account: Account) -> dict[str, Any]:
        return {
            **self._basic(account),
            "description": account.description,
            "indexedAt": iso(account.created_at),
        }

    def _detailed(self, account: Account) -> dict[str, Any]:
        posts = sum(
            1
            for r in self._records.values()
            if r.did == account.did and r.collection == POST and not r.deleted
        )
        return {
            **self._profile(account),
            "followersCount": account.followers,
            "followsCount": account.follows,
            "postsCount": posts,
        }

    def _count(self, index: dict[str, list[str]], uri: str) -> int:
        return sum(1 for u in index.get(uri, ()) if self._live(u) is not None)

    def _counts(self, record: Record) -> dict[str, int]:
        return {
            "replyCount": self._count(self._replies, record.uri),
            "repostCount": self._count(self._reposts, record.uri) + record.reposts_extra,
            "likeCount": record.likes,
            "quoteCount": self._count(self._quotes, record.uri),
        }

    def _embed_view(self, value: dict[str, Any]) -> dict[str, Any] | None:
        uri = quoted_uri(value)
        if uri is None:
            return None
        target = self._live(uri)
        if target is None:
            inner: dict[str, Any] = {
                "$type": "app.bsky.embed.record#viewNotFound",
                "uri": uri,
                "notFound": True,
            }
        else:
            inner = {
                "$type": "app.bsky.embed.record#viewRecord",
                "uri": target.uri,
                "cid": target.cid,
                "author": self._basic(self._accounts[target.did]),
                "value": target.value,
                "labels": [],
                "indexedAt": iso(target.indexed_at),
                "embeds": [],
                **self._counts(target),
            }
        return {"$type": "app.bsky.embed.record#view", "record": inner}

    def _post_view(self, record: Record) -> dict[str, Any]:
        view: dict[str, Any] = {
            "$type": "app.bsky.feed.defs#postView",
            "uri": record.uri,
            "cid": record.cid,
            "author": self._basic(self._accounts[record.did]),
            "record": record.value,
            **self._counts(record),
            "bookmarkCount": 0,
            "indexedAt": iso(record.indexed_at),
            "viewer": {},
            "labels": [],
        }
        embed = self._embed_view(record.value)
        if embed is not None:
            view["embed"] = embed
        return view

    def _ref_view(self, uri: str) -> dict[str, Any]:
        record = self._live(uri)
        if record is None:
            return {"$type": "app.bsky.feed.defs#notFoundPost", "uri": uri, "notFound": True}
        return self._post_view(record)

    def _feed_item(self, record: Record, repost: Record | None) -> dict[str, Any]:
        item: dict[str, Any] = {"post": self._post_view(record)}
        reply = record.value.get("reply")
        if isinstance(reply, dict):
            item["reply"] = {
                "root": self._ref_view(str(reply["root"]["uri"])),
                "parent": self._ref_view(str(reply["parent"]["uri"])),
            }
        if repost is not None:
            item["reason"] = {
                "$type": "app.bsky.feed.defs#reasonRepost",
                "by": self._basic(self._accounts[repost.did]),
                "uri": repost.uri,
                "cid": repost.cid,
                "indexedAt": iso(repost.indexed_at),
            }
        return item

    # ------------------------------------------------------------------ XRPC methods

    def _get_posts(self, request: Request) -> dict[str, Any]:
        uris = request.args.getlist("uris")
        if not uris:
            raise invalid('Params must have the property "uris"')
        if len(uris) > 25:
            raise invalid("uris must not have more than 25 elements")
        with self._lock:
            found = [self._live(uri) for uri in uris]
            return {
                "posts": [
                    self._post_view(r) for r in found if r is not None and r.collection == POST
                ]
            }

    def _author_items(self, account: Account, kind: str) -> list[tuple[int, Record, Record | None]]:
        items: list[tuple[int, Record, Record | None]] = []
        if kind in ("posts_with_media", "posts_with_video"):
            return items  # the sandbox has no media
        for record in self._records.values():
            if record.did != account.did or record.deleted:
                continue
            if record.collection == POST:
                reply = record.value.get("reply")
                if isinstance(reply, dict) and kind == "posts_no_replies":
                    continue
                if isinstance(reply, dict) and kind == "posts_and_author_threads":
                    root = self._find(str(reply["root"]["uri"]))
                    if root is None or root.did != account.did:
                        continue
                items.append((record.indexed_at, record, None))
            elif record.collection == REPOST:
                subject = self._live(str(record.value["subject"]["uri"]))
                if subject is not None:
                    items.append((record.indexed_at, subject, record))
        items.sort(key=lambda item: item[0], reverse=True)
        return items

    def _get_author_feed(self, request: Request) -> dict[str, Any]:
        actor = required(request.args, "actor")
        kind = request.args.get("filter") or "posts_with_replies"
        if kind not in _FILTERS:
            raise invalid(f"filter must be one of {', '.join(_FILTERS)}")
        limit = limit_param(request)
        before = _cursor(request)
        with self._lock:
            account = self._account(actor)
            if account is None:
                raise invalid("Profile not found")
            items = [
                i for i in self._author_items(account, kind) if before is None or i[0] < before
            ]
            page = items[:limit]
            body: dict[str, Any] = {"feed": [self._feed_item(r, by) for _, r, by in page]}
            if len(items) > limit:
                body["cursor"] = str(page[-1][0])
            return body

    def _list_notifications(self, request: Request, caller: Account) -> dict[str, Any]:
        reasons = set(request.args.getlist("reasons"))
        limit = limit_param(request)
        before = _cursor(request)
        with self._lock:
            notices = [
                n
                for n in reversed(self._notices)
                if n.recipient == caller.did
                and (not reasons or n.reason in reasons)
                and (before is None or n.indexed_at < before)
                and self._live(n.uri) is not None
            ]
            page = notices[:limit]
            views = []
            for notice in page:
                record = self._records[notice.uri]
                view: dict[str, Any] = {
                    "uri": record.uri,
                    "cid": record.cid,
                    "author": self._profile(self._accounts[record.did]),
                    "reason": notice.reason,
                    "record": record.value,
                    "isRead": False,
                    "indexedAt": iso(notice.indexed_at),
                    "labels": [],
                }
                if notice.reason_subject:
                    view["reasonSubject"] = notice.reason_subject
                views.append(view)
            body: dict[str, Any] = {"notifications": views, "priority": False}
            if len(notices) > limit:
                body["cursor"] = str(page[-1].indexed_at)
            return body

    def _get_profile(self, request: Request) -> dict[str, Any]:
        with self._lock:
            account = self._account(required(request.args, "actor"))
            if account is None:
                raise invalid("Profile not found")
            return self._detailed(account)

    def _get_profiles(self, request: Request) -> dict[str, Any]:
        actors = request.args.getlist("actors")
        if not actors:
            raise invalid('Params must have the property "actors"')
        if len(actors) > 25:
            raise invalid("actors must not have more than 25 elements")
        with self._lock:
            found = [self._account(actor) for actor in actors]
            return {"profiles": [self._detailed(a) for a in found if a is not None]}

    def _resolve_handle(self, request: Request) -> dict[str, Any]:
        with self._lock:
            account = self._account(required(request.args, "handle"))
        if account is None:
            raise invalid("Unable to resolve handle")
        return {"did": account.did}

    def _search_posts(self, request: Request) -> dict[str, Any]:
        args = request.args
        words = [w.lstrip("@").lower() for w in required(args, "q").split() if w != "*"]
        limit = limit_param(request, default=25)
        bounds = []
        for name in ("since", "until"):
            raw = args.get(name)
            value = parse_datetime(raw) if raw else None
            if raw and value is None:
                raise invalid(f"{name} must be a datetime or a date")
            bounds.append(value)
        since, until = bounds
        offset = _cursor(request) or 0
        with self._lock:
            mentioned = self._account(args.get("mentions")) if args.get("mentions") else None
            author = self._account(args.get("author")) if args.get("author") else None
            if (args.get("mentions") and mentioned is None) or (args.get("author") and not author):
                return {"posts": [], "hitsTotal": 0}
            hits = []
            for record in self._records.values():
                if record.collection != POST or record.deleted:
                    continue
                if since is not None and record.indexed_at < since:
                    continue
                if until is not None and record.indexed_at >= until:
                    continue
                if author is not None and record.did != author.did:
                    continue
                if mentioned is not None and not self._mentions(record, mentioned.did):
                    continue
                text = str(record.value.get("text", "")).lower()
                if all(word in text for word in words):
                    hits.append(record)
            if args.get("sort") == "top":
                hits.sort(key=lambda r: (r.likes, r.indexed_at), reverse=True)
            else:
                hits.sort(key=lambda r: r.indexed_at, reverse=True)
            page = hits[offset : offset + limit]
            body: dict[str, Any] = {
                "posts": [self._post_view(r) for r in page],
                "hitsTotal": len(hits),
            }
            if offset + limit < len(hits):
                body["cursor"] = str(offset + limit)
            return body

    @staticmethod
    def _mentions(record: Record, did: str) -> bool:
        return any(
            str(feature.get("$type", "")).endswith("#mention") and feature.get("did") == did
            for facet in record.value.get("facets") or []
            for feature in facet.get("features") or []
        )
