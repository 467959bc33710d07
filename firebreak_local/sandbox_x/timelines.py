"""Sandbox X timelines: a user's posts and the posts that mention them.

``GET /2/users/{id}/tweets``, ``GET /2/users/{id}/mentions``
    Newest first; ``since_id``, ``until_id``, ``start_time``, ``end_time``,
    ``max_results`` (5-100, default 10), ``pagination_token``, ``exclude``
    (timeline only); ``meta`` has ``result_count`` and, when non-empty,
    ``newest_id``, ``oldest_id`` and ``next_token`` when there is another page.

A mention is a post by someone else that names the user (``@username``) or
replies to them. Pagination tokens encode the id of the last post of a page.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from werkzeug.wrappers import Request

from firebreak_local.sandbox_x.posts import PostsMixin
from firebreak_local.sandbox_x.render import MENTION_RE
from firebreak_local.sandbox_x.state import Post, User
from firebreak_local.sandbox_x.wire import (
    ID_RE,
    PROBLEMS,
    SandboxError,
    enum_param,
    id_param,
    invalid_param,
    time_param,
)

_TIMELINE_CAP = 3200  # X serves at most the 3,200 most recent timeline posts
_MENTIONS_CAP = 800  # ... and the 800 most recent mentions


def encode_token(post_id: str) -> str:
    return base64.b32hexencode(post_id.encode()).decode().rstrip("=").lower()


def decode_token(token: str) -> str | None:
    padded = token.upper() + "=" * (-len(token) % 8)
    try:
        decoded = base64.b32hexdecode(padded).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return decoded if ID_RE.match(decoded) else None


class TimelinesMixin(PostsMixin):
    """Mentions injected through control; the timeline and mentions endpoints."""

    def inject_mention(
        self,
        user_id: str,
        text: str,
        *,
        author_username: str = "sandbox_user",
        author_name: str | None = None,
        author_id: str | None = None,
        source: str = "Twitter for Android",
        created_at: datetime | None = None,
        lang: str = "en",
        reply_to: str | None = None,
        public_metrics: dict[str, int] | None = None,
        author_public_metrics: dict[str, int] | None = None,
    ) -> dict[str, Any]:
        """Have another user post something that mentions ``user_id``.

        ``author_public_metrics`` (followers_count, following_count, tweet_count,
        listed_count) are given to the author when this registers them.
        """
        with self._lock:
            target = self._users.get(user_id)
            if target is None:
                raise SandboxError(404, f"no user {user_id}")
            author = self._users.get(author_id) if author_id else None
            if author is None:
                author = self._find_username(author_username)
            if author is None:
                created = self.register_user(
                    username=author_username,
                    name=author_name,
                    user_id=author_id,
                    public_metrics=author_public_metrics,
                )
                author = self._users[created["id"]]
            if author.id == target.id:
                raise SandboxError(400, "a mention must come from another user")
            mentioned = {m.lower() for m in MENTION_RE.findall(text)}
            if target.username.lower() not in mentioned:
                text = f"@{target.username} {text}"
            return self._injected(
                author.id, text, source, lang, created_at, reply_to, None, public_metrics
            )

    def _timeline(
        self, request: Request, user_id: str, *, mentions: bool
    ) -> tuple[int, dict[str, Any]]:
        id_param("id", user_id)
        since_id = id_param("since_id", request.args.get("since_id"))
        until_id = id_param("until_id", request.args.get("until_id"))
        start_time = time_param(request, "start_time")
        end_time = time_param(request, "end_time")
        raw_max = request.args.get("max_results", "10")
        if not raw_max.isdigit() or not 5 <= int(raw_max) <= 100:
            raise invalid_param(
                "max_results",
                raw_max,
                f"The `max_results` query parameter value [{raw_max}] is not between 5 and 100",
            )
        max_results = int(raw_max)
        upper: int | None = None
        token = request.args.get("pagination_token")
        if token is not None:
            decoded = decode_token(token)
            if decoded is None:
                raise invalid_param(
                    "pagination_token",
                    token,
                    f"The `pagination_token` query parameter value [{token}] is not valid",
                )
            upper = int(decoded)
        exclude: set[str] = set()
        if not mentions:
            exclude = enum_param(request, ("exclude",), frozenset({"replies", "retweets"}))
        fields = self._post_fields(request)
        user_fields = self._user_fields(request)
        expansions = self._expansions(request)
        with self._lock:
            user = self._users.get(user_id)
            if user is None:
                problem = {
                    "value": user_id,
                    "detail": f"Could not find user with id: [{user_id}].",
                    "title": "Not Found Error",
                    "resource_type": "user",
                    "parameter": "id",
                    "resource_id": user_id,
                    "type": PROBLEMS + "resource-not-found",
                }
                return 200, {"errors": [problem]}
            if mentions:
                candidates = [p for p in self._posts.values() if self._mentions(p, user)]
                cap = _MENTIONS_CAP
            else:
                candidates = [p for p in self._posts.values() if p.author_id == user.id]
                cap = _TIMELINE_CAP
            candidates = [p for p in candidates if not p.deleted]
            candidates.sort(key=lambda p: int(p.id), reverse=True)
            candidates = candidates[:cap]
            selected = [
                p
                for p in candidates
                if (since_id is None or int(p.id) > int(since_id))
                and (until_id is None or int(p.id) < int(until_id))
                and (upper is None or int(p.id) < upper)
                and (start_time is None or p.created_at >= start_time)
                and (end_time is None or p.created_at <= end_time)
                and not ("replies" in exclude and p.in_reply_to_user_id is not None)
            ]
            return 200, self._page(selected, max_results, fields, expansions, user_fields)

    def _page(
        self,
        selected: list[Post],
        max_results: int,
        fields: set[str],
        expansions: set[str],
        user_fields: set[str],
    ) -> dict[str, Any]:
        """The body of one page of ``selected`` (newest first; the caller holds the lock)."""
        page = selected[:max_results]
        body: dict[str, Any] = {}
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            body["data"] = [self._render_post(post, fields) for post in page]
            includes = self._includes(page, expansions, user_fields)
            if includes:
                body["includes"] = includes
            meta["newest_id"] = page[0].id
            meta["oldest_id"] = page[-1].id
            if len(selected) > max_results:
                meta["next_token"] = encode_token(page[-1].id)
        body["meta"] = meta
        return body

    def _mentions(self, post: Post, user: User) -> bool:
        if post.author_id == user.id:
            return False
        if post.in_reply_to_user_id == user.id:
            return True
        return user.username.lower() in {m.lower() for m in MENTION_RE.findall(post.text)}
