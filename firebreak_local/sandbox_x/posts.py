"""Sandbox X posts: creating, deleting and looking them up, through the API and control.

``POST /2/tweets``
    JSON body ``{"text", "reply": {"in_reply_to_tweet_id"}, "quote_tweet_id"}``
    (other properties of the spec's ``CreatePostsRequest`` are accepted and
    ignored; properties outside it are a 400). 201 ``{"data": {"id", "text",
    "edit_history_tweet_ids"}}``. Posts get the source app the token was
    registered with (default ``"Firebreak"``). 403 for duplicate content
    (same text by the same author within 24 h, like X), text over 280
    weighted characters (URLs count 23), or replying to/quoting a post that
    does not exist.
``DELETE /2/tweets/{id}``
    ``{"data": {"deleted": true}}``; 404 with a resource-not-found problem for
    an unknown or already deleted post; 403 for someone else's post.
``GET /2/tweets/{id}``, ``GET /2/tweets?ids=1,2``
    Unknown or deleted posts come back as X does: HTTP 200 with an ``errors``
    array of resource-not-found problems (and no ``data`` if nothing was found).

Like X, every URL in a post's text is wrapped into a 23-character
``https://t.co/...`` link (the ``entities.urls`` keep ``expanded_url``): matching a
post on X by the text that was sent fails for a post with a link.

Known differences from X: ``&``, ``<`` and ``>`` are not HTML-escaped, ``lang``
is not detected (it is whatever the post was given, default ``"en"``), ids
follow insertion order even when ``created_at`` is back-dated.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timedelta
from typing import Any

from werkzeug.wrappers import Request

from firebreak_local.sandbox_x.render import URL_RE
from firebreak_local.sandbox_x.state import Caller, Post, iso
from firebreak_local.sandbox_x.users import UsersMixin
from firebreak_local.sandbox_x.wire import (
    ID_RE,
    PROBLEMS,
    ApiError,
    SandboxError,
    id_param,
    invalid_param,
    not_found_problem,
)

_MAX_TEXT = 280
_URL_WEIGHT = 23
_DUPLICATE_WINDOW = timedelta(hours=24)
_METRIC_ALIASES = {"repost_count": "retweet_count"}
_TCO_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _wrap_links(text: str, post_id: str) -> tuple[str, dict[str, str]]:
    """The text with each URL replaced by a t.co link as X does (13 + 10 characters),
    and the map back to the URLs."""
    links: dict[str, str] = {}

    def wrap(match: re.Match[str]) -> str:
        url = match.group(0).rstrip(".,;:!?)")
        tail = match.group(0)[len(url) :]
        digest = hashlib.sha256(f"{post_id}:{match.start()}:{url}".encode()).digest()
        short = "https://t.co/" + "".join(_TCO_ALPHABET[b % 62] for b in digest[:10])
        links[short] = url
        return short + tail

    return URL_RE.sub(wrap, text), links


def _weighted_length(text: str) -> int:
    # X counts every URL as 23 characters whatever its length (t.co wrapping).
    return len(URL_RE.sub("x" * _URL_WEIGHT, text))


class PostsMixin(UsersMixin):
    """Posts: the store and its control calls, and the ``/2/tweets`` endpoints."""

    def inject_post(
        self,
        user_id: str,
        text: str,
        *,
        source: str = "Twitter for iPhone",
        created_at: datetime | None = None,
        lang: str = "en",
        reply_to: str | None = None,
        quote_of: str | None = None,
        public_metrics: dict[str, int] | None = None,
        retweet_of: str | None = None,
    ) -> dict[str, Any]:
        """Put a post on ``user_id``'s timeline as if posted from another app.

        ``retweet_of``: make it a retweet of that post (``text`` is then replaced by
        ``RT @author: <text of the post>`` as X shows retweets).
        """
        with self._lock:
            if user_id not in self._users:
                raise SandboxError(404, f"no user {user_id}")
            if retweet_of is not None:
                original = self._posts.get(retweet_of)
                if original is None or original.deleted:
                    raise SandboxError(404, f"no post {retweet_of} to retweet")
                author = self._users[original.author_id]
                text = f"RT @{author.username}: {original.text}"
            return self._injected(
                user_id,
                text,
                source,
                lang,
                created_at,
                reply_to,
                quote_of,
                public_metrics,
                retweet_of=retweet_of,
            )

    def _injected(
        self,
        author_id: str,
        text: str,
        source: str,
        lang: str,
        created_at: datetime | None,
        reply_to: str | None,
        quote_of: str | None,
        public_metrics: dict[str, int] | None,
        *,
        retweet_of: str | None = None,
    ) -> dict[str, Any]:
        """A post made outside the API (the caller holds the lock)."""
        post = self._create_post(
            author_id=author_id,
            text=text,
            source=source,
            lang=lang,
            origin="injected",
            created_at=created_at,
            reply_to=reply_to,
            quote_of=quote_of,
            retweet_of=retweet_of,
        )
        if public_metrics:
            self._apply_metrics(post, public_metrics)
        return self._post_json(post)

    def posts(
        self, *, author_id: str | None = None, include_deleted: bool = True
    ) -> list[dict[str, Any]]:
        """All posts, oldest first, with their ``deleted`` flag."""
        with self._lock:
            return [
                self._post_json(post)
                for post in sorted(self._posts.values(), key=lambda p: int(p.id))
                if (author_id is None or post.author_id == author_id)
                and (include_deleted or not post.deleted)
            ]

    def post(self, post_id: str) -> dict[str, Any]:
        """One post (deleted or not)."""
        with self._lock:
            post = self._posts.get(post_id)
            if post is None:
                raise SandboxError(404, f"no post {post_id}")
            return self._post_json(post)

    def set_metrics(self, post_id: str, metrics: dict[str, int]) -> dict[str, Any]:
        """Change a post's public metrics (X or spec names: ``retweet_count``/``repost_count``)."""
        with self._lock:
            post = self._posts.get(post_id)
            if post is None:
                raise SandboxError(404, f"no post {post_id}")
            self._apply_metrics(post, metrics)
            return self._post_json(post)

    def _apply_metrics(self, post: Post, metrics: dict[str, Any]) -> None:
        for name, value in metrics.items():
            key = _METRIC_ALIASES.get(name, name)
            if key not in post.metrics:
                raise SandboxError(400, f"unknown metric {name!r}")
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise SandboxError(400, f"{name} must be a non-negative integer")
            post.metrics[key] = value

    def _create_post(
        self,
        *,
        author_id: str,
        text: str,
        source: str,
        lang: str,
        origin: str,
        created_at: datetime | None,
        reply_to: str | None,
        quote_of: str | None,
        retweet_of: str | None = None,
    ) -> Post:
        if not isinstance(text, str) or not text:
            raise SandboxError(400, "text must be a non-empty string")
        referenced: list[tuple[str, str]] = []
        parent: Post | None = None
        quoted: Post | None = None
        retweeted: Post | None = None
        if retweet_of is not None:
            retweeted = self._posts.get(retweet_of)
            if retweeted is None or retweeted.deleted:
                raise SandboxError(404, f"no post {retweet_of} to retweet")
            referenced.append(("retweeted", retweeted.id))
        if reply_to is not None:
            parent = self._posts.get(reply_to)
            if parent is None or parent.deleted:
                raise SandboxError(404, f"no post {reply_to} to reply to")
            referenced.append(("replied_to", parent.id))
        if quote_of is not None:
            quoted = self._posts.get(quote_of)
            if quoted is None or quoted.deleted:
                raise SandboxError(404, f"no post {quote_of} to quote")
            referenced.append(("quoted", quoted.id))
        post_id = self._next_id()
        wrapped, links = _wrap_links(text, post_id) if "://" in text else (text, {})
        post = Post(
            id=post_id,
            author_id=author_id,
            text=wrapped,
            sent_text=text,
            links=links,
            created_at=created_at or self._now(),
            source=source,
            lang=lang,
            origin=origin,
            conversation_id=parent.conversation_id if parent else post_id,
            in_reply_to_user_id=parent.author_id if parent else None,
            referenced=referenced,
        )
        self._posts[post_id] = post
        if parent is not None:
            parent.metrics["reply_count"] += 1
        if quoted is not None:
            quoted.metrics["quote_count"] += 1
        if retweeted is not None:
            retweeted.metrics["retweet_count"] += 1
        return post

    def _post_json(self, post: Post) -> dict[str, Any]:
        author = self._users.get(post.author_id)
        return {
            "id": post.id,
            "text": post.text,
            "author_id": post.author_id,
            "author_username": author.username if author else None,
            "created_at": iso(post.created_at),
            "source": post.source,
            "lang": post.lang,
            "origin": post.origin,
            "conversation_id": post.conversation_id,
            "in_reply_to_user_id": post.in_reply_to_user_id,
            "referenced_tweets": [{"type": t, "id": i} for t, i in post.referenced],
            "public_metrics": dict(post.metrics),
            "deleted": post.deleted,
            "deleted_at": iso(post.deleted_at) if post.deleted_at else None,
        }

    def _create(self, request: Request, caller: Caller) -> tuple[int, dict[str, Any]]:
        try:
            body = json.loads(request.get_data(as_text=True) or "null")
        except json.JSONDecodeError:
            body = None
        if not isinstance(body, dict):
            raise ApiError(
                400,
                "Invalid Request",
                "One or more parameters to your request was invalid.",
                problem_type=PROBLEMS + "invalid-request",
                errors=[
                    {
                        "type": PROBLEMS + "invalid-request",
                        "title": "Invalid Request",
                        "detail": "Request body must be a JSON object",
                        "message": "Request body must be a JSON object",
                    }
                ],
            )
        allowed = {
            "card_uri",
            "community_id",
            "direct_message_deep_link",
            "edit_options",
            "for_super_followers_only",
            "geo",
            "made_with_ai",
            "media",
            "nullcast",
            "paid_partnership",
            "poll",
            "quote_tweet_id",
            "reply",
            "reply_settings",
            "share_with_followers",
            "text",
        }
        for name in body:
            if name not in allowed:
                raise invalid_param(
                    name,
                    json.dumps(body[name]),
                    f"$.{name}: is not defined in the schema and the schema does not allow "
                    "additional properties",
                )
        text = body.get("text", "")
        if not isinstance(text, str):
            raise invalid_param("text", json.dumps(text), "$.text: should be a string")
        reply = body.get("reply")
        reply_to = None
        if reply is not None:
            reply_to = reply.get("in_reply_to_tweet_id") if isinstance(reply, dict) else None
            if not isinstance(reply_to, str) or not ID_RE.match(reply_to):
                raise invalid_param(
                    "reply.in_reply_to_tweet_id",
                    json.dumps(reply_to),
                    "$.reply.in_reply_to_tweet_id: does not match the regex pattern ^[0-9]{1,19}$",
                )
        quote_of = body.get("quote_tweet_id")
        if quote_of is not None and (not isinstance(quote_of, str) or not ID_RE.match(quote_of)):
            raise invalid_param(
                "quote_tweet_id",
                json.dumps(quote_of),
                "$.quote_tweet_id: does not match the regex pattern ^[0-9]{1,19}$",
            )
        if not text.strip() and "media" not in body:
            raise invalid_param(
                "text", text, "Post text is required unless media or a poll is attached"
            )
        if _weighted_length(text) > _MAX_TEXT:
            raise ApiError(
                403,
                "Forbidden",
                "Your Tweet text is too long. For more information on how Twitter determines "
                "text length see https://github.com/twitter/twitter-text.",
            )
        with self._lock:
            for ref_id, verb in ((reply_to, "reply to"), (quote_of, "quote")):
                target = self._posts.get(ref_id) if ref_id else None
                if ref_id and (target is None or target.deleted):
                    raise ApiError(
                        403,
                        "Forbidden",
                        f"You attempted to {verb} a Tweet that is deleted or not visible to you.",
                    )
            if self.reject_duplicates:
                since = self._now() - _DUPLICATE_WINDOW
                for post in self._posts.values():
                    if (
                        post.author_id == caller.user_id
                        and not post.deleted
                        and post.sent_text == text
                        and post.created_at >= since
                    ):
                        raise ApiError(
                            403,
                            "Forbidden",
                            "You are not allowed to create a Tweet with duplicate content.",
                        )
            post = self._create_post(
                author_id=caller.user_id,
                text=text,
                source=caller.app_name,
                lang="en",
                origin="api",
                created_at=None,
                reply_to=reply_to,
                quote_of=quote_of,
            )
            return 201, {
                "data": {
                    "id": post.id,
                    "text": post.text,
                    "edit_history_tweet_ids": [post.id],
                    "edit_history_post_ids": [post.id],
                }
            }

    def _delete(self, post_id: str, caller: Caller) -> tuple[int, dict[str, Any]]:
        if not ID_RE.match(post_id):
            raise invalid_param(
                "id", post_id, f"The `id` query parameter value [{post_id}] is not valid"
            )
        with self._lock:
            post = self._posts.get(post_id)
            if post is None or post.deleted:
                problem = not_found_problem(post_id, "id")
                raise ApiError(
                    404,
                    "Not Found Error",
                    problem["detail"],
                    problem_type=PROBLEMS + "resource-not-found",
                    errors=[problem],
                )
            if post.author_id != caller.user_id:
                raise ApiError(403, "Forbidden", "You are not allowed to delete this Tweet.")
            post.deleted_at = self._now()
            return 200, {"data": {"deleted": True}}

    def _lookup(
        self, request: Request, ids: list[str], *, single: bool
    ) -> tuple[int, dict[str, Any]]:
        parameter = "id" if single else "ids"
        for post_id in ids:
            id_param(parameter, post_id)
        fields = self._post_fields(request)
        user_fields = self._user_fields(request)
        expansions = self._expansions(request)
        with self._lock:
            found: list[Post] = []
            errors: list[dict[str, Any]] = []
            for post_id in ids:
                post = self._posts.get(post_id)
                if post is None or post.deleted:
                    errors.append(not_found_problem(post_id, parameter))
                else:
                    found.append(post)
            body: dict[str, Any] = {}
            if found:
                rendered = [self._render_post(post, fields) for post in found]
                body["data"] = rendered[0] if single else rendered
                includes = self._includes(found, expansions, user_fields)
                if includes:
                    body["includes"] = includes
            if errors:
                body["errors"] = errors
            return 200, body
