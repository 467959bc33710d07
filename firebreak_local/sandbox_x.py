"""Sandbox X: a local, in-memory stand-in for the part of X API v2 Firebreak uses.

Firebreak's X adapter (``chalicelib.adapters.x.XClient``, built on tweepy) is
pointed at this server when running locally, in drills and in tests, so that
nothing ever reaches the real X. Responses follow X API v2 as described by the
official OpenAPI spec vendored in ``firebreak_local/specs/`` (the tests
validate every body with ``firebreak_local.x_spec``).

Start it with ``start_sandbox_x()`` (binds 127.0.0.1 only, port 0 = any free
port) or ``python -m firebreak_local.sandbox_x --port 8765``.

X API v2 endpoints
==================

``GET /2/users/me``
    The authenticated user (user context only). ``user.fields``: created_at,
    description, protected, verified, public_metrics, profile_image_url, url,
    location.
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
``GET /2/users/{id}/tweets``, ``GET /2/users/{id}/mentions``
    Newest first; ``since_id``, ``until_id``, ``start_time``, ``end_time``,
    ``max_results`` (5-100, default 10), ``pagination_token``, ``exclude``
    (timeline only); ``meta`` has ``result_count`` and, when non-empty,
    ``newest_id``, ``oldest_id`` and ``next_token`` when there is another page.

All reads take ``tweet.fields`` (or ``post.fields``, the spec's name) and
``expansions`` (``author_id``, ``in_reply_to_user_id``, ``referenced_tweets.id``).
Posts always have ``id``, ``text`` and ``edit_history_tweet_ids``; other fields
only when asked: created_at, author_id, conversation_id, in_reply_to_user_id,
referenced_tweets, public_metrics, source, lang, entities (mentions, hashtags,
cashtags, urls), possibly_sensitive, reply_settings, edit_controls.

Where this spec renames a field of the live API (tweet → post), both spellings
are returned so that tweepy and the spec are both satisfied:
``edit_history_tweet_ids``/``edit_history_post_ids``,
``referenced_tweets``/``referenced_posts``, ``retweet_count``/``repost_count``,
user ``tweet_count``/``post_count``, includes ``tweets``/``posts``.

Auth: ``Authorization: OAuth ... oauth_token="<access_token>" ...`` (OAuth 1.0a
user context; the signature is not checked) or ``Authorization: Bearer
<bearer_token>`` (app-only: may read, but ``/2/users/me``, ``POST /2/tweets``
and ``DELETE`` answer 403 as on X). A missing or unknown token is a 401.

Every authenticated response carries ``x-rate-limit-limit``,
``x-rate-limit-remaining`` and ``x-rate-limit-reset`` (epoch seconds) for a
15-minute window per token and endpoint, with X's published per-user limits
(``RATE_LIMITS``); running out gives a 429. Enforcement can be switched off
through ``/_sandbox/config``.

Error bodies: X's problem fields (``title``, ``detail``, ``type``, ``status``,
plus an ``errors`` array of problems where X sends one) and, because the spec's
``default`` JSON error schema requires them, ``code`` (the HTTP status) and
``message``. Problem ``type`` URIs use ``https://api.x.com/2/problems/...`` as
in the spec.

Like X, every URL in a post's text is wrapped into a 23-character
``https://t.co/...`` link (the ``entities.urls`` keep ``expanded_url``): matching a
post on X by the text that was sent fails for a post with a link.

Known differences from X: ``&``, ``<`` and ``>`` are not HTML-escaped, ``lang``
is not detected (it is whatever the post was given, default ``"en"``), ids
follow insertion order even when ``created_at`` is back-dated.

Control endpoints (JSON in and out, no auth; only for local use)
================================================================

``POST /_sandbox/reset``
    Forget everything (users, posts, faults, rate-limit windows, request log,
    config). → ``{"reset": true}``
``POST /_sandbox/users``
    Register an account: ``{"username" (required), "name", "id" (numeric
    string; generated if absent), "access_token", "bearer_token", "app_name"
    (source app of posts created with these tokens, default "Firebreak"),
    "description", "protected", "verified", "followers_count",
    "following_count", "created_at" (ISO 8601)}`` → 201 ``{"user": {...}}``;
    409 if the id, username or a token is taken.
``GET /_sandbox/users``
    ``{"users": [...]}`` (tokens are never echoed).
``POST /_sandbox/users/{id}/posts``
    Put a post on that account's timeline as if posted from another app (a
    hacked or rogue post): ``{"text" (required), "source" (default "Twitter for
    iPhone"), "created_at", "lang", "reply_to", "quote_of", "public_metrics"}``
    → 201 ``{"post": {...}}``.
``POST /_sandbox/users/{id}/mentions``
    A post by another user mentioning the account: ``{"text" (required; "@username "
    is prefixed if it does not mention the account), "author_username"
    (default "sandbox_user"), "author_name", "author_id", "source", "created_at",
    "lang", "reply_to", "public_metrics"}``. Unknown authors are registered
    (without tokens). → 201 ``{"post": {...}}``.
``GET /_sandbox/posts[?author_id=...&include_deleted=false]``
    ``{"posts": [...]}``, oldest first, each with ``deleted`` and ``deleted_at``.
``GET /_sandbox/posts/{id}``
    ``{"post": {...}}`` (deleted ones too).
``PATCH /_sandbox/posts/{id}/metrics``
    ``{"like_count": 12, "retweet_count": 3, ...}`` (X or spec names) →
    ``{"post": {...}}``.
``POST /_sandbox/faults``
    Make the next ``count`` API requests matching ``method`` (``"*"`` for any)
    and ``path`` (an fnmatch glob on the path without query, e.g.
    ``"/2/tweets/*"``) misbehave: ``{"method", "path", "count" (default 1),
    "status" (e.g. 429, 500, 503), "reset" (epoch seconds for a 429; default
    now + 15 min), "delay_s" (sleep before answering, to trip client
    timeouts; with no status the request then proceeds normally)}`` → 201
    ``{"fault": {...}}``. Faults are tried in the order added; the first
    match consumes one use. They apply before authentication.
``GET /_sandbox/faults`` / ``DELETE /_sandbox/faults``
    List the pending faults / drop them all.
``POST /_sandbox/config``
    ``{"enforce_rate_limits": bool, "reject_duplicates": bool}`` → the config.
``GET /_sandbox/requests``
    ``{"requests": [...]}``: the last 1000 API requests (method, path, query,
    status, user_id, at), for asserting what a client did.

Each control endpoint has a Python twin on ``SandboxX`` (``register_user``,
``inject_post``, ``inject_mention``, ``posts``, ``post``, ``set_metrics``,
``add_fault``, ``faults``, ``clear_faults``, ``configure``, ``request_log``,
``reset``) for in-process use.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import fnmatch
import itertools
import json
import logging
import re
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any
from wsgiref.types import StartResponse, WSGIEnvironment

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

__all__ = [
    "RATE_LIMITS",
    "RunningSandboxX",
    "SandboxError",
    "SandboxX",
    "start_sandbox_x",
]

log = logging.getLogger(__name__)

PROBLEMS = "https://api.x.com/2/problems/"
# Twitter's snowflake epoch (2010-11-04T01:42:54.657Z), in milliseconds.
_TWEPOCH_MS = 1288834974657
_WINDOW_S = 15 * 60
_MAX_TEXT = 280
_URL_WEIGHT = 23
_TIMELINE_CAP = 3200  # X serves at most the 3,200 most recent timeline posts
_MENTIONS_CAP = 800  # ... and the 800 most recent mentions
_DUPLICATE_WINDOW = timedelta(hours=24)
_LOG_CAP = 1000
_ID_RE = re.compile(r"^[0-9]{1,19}$")
_URL_RE = re.compile(r"https?://[^\s]+", re.IGNORECASE)


def _wrap_links(text: str, post_id: str) -> tuple[str, dict[str, str]]:
    """The text with each URL replaced by a t.co link as X does (13 + 10 characters),
    and the map back to the URLs."""
    import hashlib

    links: dict[str, str] = {}

    def wrap(match: re.Match[str]) -> str:
        url = match.group(0).rstrip(".,;:!?)")
        tail = match.group(0)[len(url) :]
        digest = hashlib.sha256(f"{post_id}:{match.start()}:{url}".encode()).digest()
        short = "https://t.co/" + "".join(_TCO_ALPHABET[b % 62] for b in digest[:10])
        links[short] = url
        return short + tail

    return _URL_RE.sub(wrap, text), links


_TCO_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MENTION_RE = re.compile(r"(?<![\w@])@(\w{1,15})")
_HASHTAG_RE = re.compile(r"(?<![\w#])#(\w+)")
_CASHTAG_RE = re.compile(r"(?<![\w$])\$([A-Za-z]{1,6})\b")
_OAUTH_PARAM_RE = re.compile(r'([A-Za-z_]+)="([^"]*)"')

# Endpoint key -> (user-context limit, app-only limit) per 15-minute window,
# from X's published v2 rate limits. None: app-only auth is not accepted.
RATE_LIMITS: dict[str, tuple[int, int | None]] = {
    "GET /2/users/me": (75, None),
    "POST /2/tweets": (100, None),
    "DELETE /2/tweets/{id}": (50, None),
    "GET /2/tweets/{id}": (900, 450),
    "GET /2/tweets": (900, 3500),
    "GET /2/users/{id}/tweets": (900, 1500),
    "GET /2/users/{id}/mentions": (300, 450),
}

# Post fields as tweepy/the live API name them, plus the spec's spellings.
_TWEET_FIELDS = frozenset(
    {
        "article",
        "article_title",
        "attachments",
        "author_id",
        "card_uri",
        "community_id",
        "context_annotations",
        "conversation_id",
        "created_at",
        "display_text_range",
        "edit_controls",
        "edit_history_tweet_ids",
        "edit_history_post_ids",
        "entities",
        "geo",
        "id",
        "in_reply_to_user_id",
        "lang",
        "matched_media_notes",
        "media_metadata",
        "non_public_metrics",
        "note_post",
        "note_tweet",
        "note_request_suggestions",
        "organic_metrics",
        "paid_partnership",
        "possibly_sensitive",
        "promoted_metrics",
        "public_metrics",
        "referenced_tweets",
        "referenced_posts",
        "reply_settings",
        "scopes",
        "source",
        "suggested_source_links",
        "suggested_source_links_with_counts",
        "text",
        "withheld",
    }
)
_USER_FIELDS = frozenset(
    {
        "affiliation",
        "confirmed_email",
        "connection_status",
        "created_at",
        "description",
        "entities",
        "id",
        "is_identity_verified",
        "location",
        "most_recent_tweet_id",
        "name",
        "parody",
        "pinned_tweet_id",
        "profile_banner_url",
        "profile_image_url",
        "protected",
        "public_metrics",
        "receives_your_dm",
        "subscribes_to_you",
        "subscription",
        "subscription_type",
        "url",
        "username",
        "verified",
        "verified_followers_count",
        "verified_type",
        "withheld",
    }
)
_EXPANSIONS = frozenset(
    {
        "article.cover_media",
        "article.media_entities",
        "attachments.media_keys",
        "attachments.media_source_tweet",
        "attachments.poll_ids",
        "author_id",
        "edit_history_tweet_ids",
        "edit_history_post_ids",
        "entities.mentions.username",
        "geo.place_id",
        "in_reply_to_user_id",
        "referenced_tweets.id",
        "referenced_tweets.id.author_id",
        "referenced_posts",
        "username",
        "pinned_tweet_id",
        "most_recent_tweet_id",
    }
)
_METRIC_ALIASES = {"repost_count": "retweet_count"}
_METRICS = (
    "retweet_count",
    "reply_count",
    "like_count",
    "quote_count",
    "bookmark_count",
    "impression_count",
)


class SandboxError(Exception):
    """A control call was invalid; ``status`` is the HTTP status the control API answers."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _ApiError(Exception):
    """Raised inside API handlers to answer with an X-shaped error."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        problem_type: str = "about:blank",
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.problem_type = problem_type
        self.errors = errors
        self.headers = headers or {}


@dataclass
class _User:
    id: str
    username: str
    name: str
    created_at: datetime
    app_name: str
    description: str = ""
    protected: bool = False
    verified: bool = False
    followers_count: int = 0
    following_count: int = 0


@dataclass(frozen=True)
class _Caller:
    """Who made an API request: a user (OAuth 1.0a) or an app (Bearer)."""

    token: str
    user_id: str
    app_name: str
    user_context: bool


@dataclass
class _Post:
    id: str
    author_id: str
    text: str
    created_at: datetime
    source: str
    lang: str
    origin: str  # "api" or "injected"
    conversation_id: str
    in_reply_to_user_id: str | None = None
    referenced: list[tuple[str, str]] = field(default_factory=list)  # (type, id)
    metrics: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_METRICS, 0))
    deleted_at: datetime | None = None
    sent_text: str = ""  # the text as the client sent it (duplicate checks)
    links: dict[str, str] = field(default_factory=dict)  # t.co link -> expanded URL

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass
class _Fault:
    id: int
    method: str
    path: str
    remaining: int
    status: int | None
    reset: int | None
    delay_s: float

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "method": self.method,
            "path": self.path,
            "remaining": self.remaining,
            "status": self.status,
            "reset": self.reset,
            "delay_s": self.delay_s,
        }


@dataclass
class _Window:
    reset: int
    used: int = 0


def _iso(moment: datetime) -> str:
    """X's timestamp format: UTC, milliseconds, ``Z``."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _parse_time(value: Any, what: str) -> datetime:
    if not isinstance(value, str):
        raise SandboxError(400, f"{what} must be an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise SandboxError(400, f"{what} is not ISO 8601: {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _weighted_length(text: str) -> int:
    # X counts every URL as 23 characters whatever its length (t.co wrapping).
    return len(_URL_RE.sub("x" * _URL_WEIGHT, text))


def _encode_token(post_id: str) -> str:
    return base64.b32hexencode(post_id.encode()).decode().rstrip("=").lower()


def _decode_token(token: str) -> str | None:
    padded = token.upper() + "=" * (-len(token) % 8)
    try:
        decoded = base64.b32hexdecode(padded).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return decoded if _ID_RE.match(decoded) else None


def _invalid_param(name: str, value: str, message: str) -> _ApiError:
    problem = {
        "type": PROBLEMS + "invalid-request",
        "title": "Invalid Request",
        "detail": message,
        "parameter": name,
        "value": value,
        # X's own keys for this error, kept alongside the spec's.
        "parameters": {name: [value]},
        "message": message,
    }
    return _ApiError(
        400,
        "Invalid Request",
        "One or more parameters to your request was invalid.",
        problem_type=PROBLEMS + "invalid-request",
        errors=[problem],
    )


def _not_found_problem(post_id: str, parameter: str) -> dict[str, Any]:
    return {
        "value": post_id,
        "detail": f"Could not find tweet with {parameter}: [{post_id}].",
        "title": "Not Found Error",
        "resource_type": "tweet",
        "parameter": parameter,
        "resource_id": post_id,
        "type": PROBLEMS + "resource-not-found",
    }


def _error_body(error: _ApiError) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if error.errors:
        body["errors"] = error.errors
    body.update(
        {
            "title": error.title,
            "detail": error.detail,
            "type": error.problem_type,
            "status": error.status,
            # The spec's only JSON error schema ("Error") requires these two.
            "code": error.status,
            "message": error.detail,
        }
    )
    return body


def _json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return Response(
        json.dumps(body, separators=(",", ":")),
        # A string status, because werkzeug upper-cases the phrase of an int one.
        status=f"{status} {phrase}",
        headers=headers or {},
        content_type="application/json; charset=utf-8",
    )


def _split_csv(value: str | None) -> list[str]:
    if value is None:
        return []
    return [part for part in value.split(",") if part]


class SandboxX:
    """The sandbox X: WSGI application plus its in-memory, thread-safe state.

    ``clock`` returns epoch seconds; tests may pass a fake one to move rate-limit
    windows and post timestamps.
    """

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.RLock()
        # Set by RunningSandboxX.stop() so that injected delays end promptly.
        self.stopping = threading.Event()
        self._fault_ids = itertools.count(1)
        self._init_state()

    def _init_state(self) -> None:
        self._users: dict[str, _User] = {}
        self._user_tokens: dict[str, str] = {}  # access token -> user id
        self._app_tokens: dict[str, str] = {}  # bearer token -> user id it was registered with
        self._posts: dict[str, _Post] = {}
        self._faults: list[_Fault] = []
        self._windows: dict[tuple[str, str], _Window] = {}
        self._log: deque[dict[str, Any]] = deque(maxlen=_LOG_CAP)
        self._last_id = 0
        self.enforce_rate_limits = True
        self.reject_duplicates = True

    # ------------------------------------------------------------------ ids, time

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), tz=UTC)

    def _next_id(self) -> str:
        # Snowflake-like: milliseconds since X's epoch shifted left 22 bits,
        # forced strictly increasing so that since_id polling sees every post.
        with self._lock:
            candidate = (int(self._clock() * 1000) - _TWEPOCH_MS) << 22
            self._last_id = max(candidate, self._last_id + 1)
            return str(self._last_id)

    # ------------------------------------------------------------- control API

    def reset(self) -> None:
        """Forget all users, posts, faults, rate-limit windows and config."""
        with self._lock:
            self._init_state()

    def configure(
        self,
        *,
        enforce_rate_limits: bool | None = None,
        reject_duplicates: bool | None = None,
    ) -> dict[str, Any]:
        """Switch rate-limit enforcement and duplicate-content rejection on or off."""
        with self._lock:
            if enforce_rate_limits is not None:
                self.enforce_rate_limits = bool(enforce_rate_limits)
            if reject_duplicates is not None:
                self.reject_duplicates = bool(reject_duplicates)
            return {
                "enforce_rate_limits": self.enforce_rate_limits,
                "reject_duplicates": self.reject_duplicates,
            }

    def register_user(
        self,
        *,
        username: str,
        name: str | None = None,
        user_id: str | None = None,
        access_token: str | None = None,
        bearer_token: str | None = None,
        app_name: str = "Firebreak",
        description: str = "",
        protected: bool = False,
        verified: bool = False,
        followers_count: int = 0,
        following_count: int = 0,
        created_at: datetime | None = None,
    ) -> dict[str, Any]:
        """Register an account (and the tokens that authenticate as it)."""
        if not isinstance(username, str) or not re.fullmatch(r"\w{1,15}", username):
            raise SandboxError(400, "username must be 1-15 letters, digits or underscores")
        if user_id is not None and not (isinstance(user_id, str) and _ID_RE.match(user_id)):
            raise SandboxError(400, "id must be a numeric string of 1-19 digits")
        with self._lock:
            if user_id is None:
                user_id = self._next_id()
            if user_id in self._users:
                raise SandboxError(409, f"user id {user_id} is already registered")
            if self._find_username(username) is not None:
                raise SandboxError(409, f"username {username} is already registered")
            for token, table in (
                (access_token, self._user_tokens),
                (bearer_token, self._app_tokens),
            ):
                if token is not None and (not isinstance(token, str) or not token):
                    raise SandboxError(400, "tokens must be non-empty strings")
                if token is not None and token in table:
                    raise SandboxError(409, "that token is already registered")
            user = _User(
                id=user_id,
                username=username,
                name=name or username,
                created_at=created_at or self._now(),
                app_name=app_name,
                description=description,
                protected=protected,
                verified=verified,
                followers_count=followers_count,
                following_count=following_count,
            )
            self._users[user_id] = user
            if access_token is not None:
                self._user_tokens[access_token] = user_id
            if bearer_token is not None:
                self._app_tokens[bearer_token] = user_id
            return self._user_json(user)

    def users(self) -> list[dict[str, Any]]:
        """All registered users (without their tokens)."""
        with self._lock:
            return [self._user_json(user) for user in self._users.values()]

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
    ) -> dict[str, Any]:
        """Put a post on ``user_id``'s timeline as if posted from another app."""
        with self._lock:
            if user_id not in self._users:
                raise SandboxError(404, f"no user {user_id}")
            return self._injected(
                user_id, text, source, lang, created_at, reply_to, quote_of, public_metrics
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
        )
        if public_metrics:
            self._apply_metrics(post, public_metrics)
        return self._post_json(post)

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
    ) -> dict[str, Any]:
        """Have another user post something that mentions ``user_id``."""
        with self._lock:
            target = self._users.get(user_id)
            if target is None:
                raise SandboxError(404, f"no user {user_id}")
            author = self._users.get(author_id) if author_id else None
            if author is None:
                author = self._find_username(author_username)
            if author is None:
                created = self.register_user(
                    username=author_username, name=author_name, user_id=author_id
                )
                author = self._users[created["id"]]
            if author.id == target.id:
                raise SandboxError(400, "a mention must come from another user")
            mentioned = {m.lower() for m in _MENTION_RE.findall(text)}
            if target.username.lower() not in mentioned:
                text = f"@{target.username} {text}"
            return self._injected(
                author.id, text, source, lang, created_at, reply_to, None, public_metrics
            )

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

    def add_fault(
        self,
        *,
        method: str = "*",
        path: str = "*",
        count: int = 1,
        status: int | None = None,
        reset: int | None = None,
        delay_s: float = 0.0,
    ) -> dict[str, Any]:
        """Make the next ``count`` matching API requests fail and/or stall."""
        if not isinstance(count, int) or count < 1:
            raise SandboxError(400, "count must be a positive integer")
        if status is not None and not (isinstance(status, int) and 400 <= status <= 599):
            raise SandboxError(400, "status must be an HTTP error status (400-599)")
        if not isinstance(delay_s, int | float) or delay_s < 0:
            raise SandboxError(400, "delay_s must be a non-negative number")
        if status is None and delay_s == 0:
            raise SandboxError(400, "a fault needs a status, a delay_s, or both")
        if reset is not None and not isinstance(reset, int):
            raise SandboxError(400, "reset must be epoch seconds (an integer)")
        with self._lock:
            fault = _Fault(
                id=next(self._fault_ids),
                method=method.upper(),
                path=path,
                remaining=count,
                status=status,
                reset=reset,
                delay_s=float(delay_s),
            )
            self._faults.append(fault)
            return fault.to_json()

    def faults(self) -> list[dict[str, Any]]:
        """Pending faults, in the order they will be tried."""
        with self._lock:
            return [fault.to_json() for fault in self._faults]

    def clear_faults(self) -> None:
        """Drop all pending faults."""
        with self._lock:
            self._faults.clear()

    def request_log(self) -> list[dict[str, Any]]:
        """The last API requests, oldest first."""
        with self._lock:
            return list(self._log)

    # ------------------------------------------------------------------ state

    def _find_username(self, username: str) -> _User | None:
        wanted = username.lower()
        for user in self._users.values():
            if user.username.lower() == wanted:
                return user
        return None

    def _apply_metrics(self, post: _Post, metrics: dict[str, Any]) -> None:
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
    ) -> _Post:
        if not isinstance(text, str) or not text:
            raise SandboxError(400, "text must be a non-empty string")
        referenced: list[tuple[str, str]] = []
        parent: _Post | None = None
        quoted: _Post | None = None
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
        wrapped, links = _wrap_links(text, post_id)
        post = _Post(
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
        return post

    def _user_json(self, user: _User) -> dict[str, Any]:
        return {
            "id": user.id,
            "username": user.username,
            "name": user.name,
            "created_at": _iso(user.created_at),
            "app_name": user.app_name,
            "description": user.description,
            "protected": user.protected,
            "verified": user.verified,
            "followers_count": user.followers_count,
            "following_count": user.following_count,
        }

    def _post_json(self, post: _Post) -> dict[str, Any]:
        author = self._users.get(post.author_id)
        return {
            "id": post.id,
            "text": post.text,
            "author_id": post.author_id,
            "author_username": author.username if author else None,
            "created_at": _iso(post.created_at),
            "source": post.source,
            "lang": post.lang,
            "origin": post.origin,
            "conversation_id": post.conversation_id,
            "in_reply_to_user_id": post.in_reply_to_user_id,
            "referenced_tweets": [{"type": t, "id": i} for t, i in post.referenced],
            "public_metrics": dict(post.metrics),
            "deleted": post.deleted,
            "deleted_at": _iso(post.deleted_at) if post.deleted_at else None,
        }

    # ------------------------------------------------------------ X rendering

    def _entities(self, text: str, links: dict[str, str] | None = None) -> dict[str, Any]:
        entities: dict[str, Any] = {}
        mentions = []
        for match in _MENTION_RE.finditer(text):
            mention: dict[str, Any] = {
                "start": match.start(),
                "end": match.end(),
                "username": match.group(1),
            }
            user = self._find_username(match.group(1))
            if user is not None:
                mention["id"] = user.id
            mentions.append(mention)
        if mentions:
            entities["mentions"] = mentions
        hashtags = [
            {"start": m.start(), "end": m.end(), "tag": m.group(1)}
            for m in _HASHTAG_RE.finditer(text)
        ]
        if hashtags:
            entities["hashtags"] = hashtags
        cashtags = [
            {"start": m.start(), "end": m.end(), "tag": m.group(1)}
            for m in _CASHTAG_RE.finditer(text)
        ]
        if cashtags:
            entities["cashtags"] = cashtags
        urls = []
        for match in _URL_RE.finditer(text):
            url = match.group(0).rstrip(".,;:!?)")
            expanded = (links or {}).get(url, url)
            display = re.sub(r"^https?://(www\.)?", "", expanded, flags=re.IGNORECASE)
            urls.append(
                {
                    "start": match.start(),
                    "end": match.start() + len(url),
                    "url": url,
                    "expanded_url": expanded,
                    "display_url": display if len(display) <= 26 else display[:25] + "…",
                }
            )
        if urls:
            entities["urls"] = urls
        return entities

    def _render_post(self, post: _Post, fields: set[str]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": post.id,
            "text": post.text,
            "edit_history_tweet_ids": [post.id],
            "edit_history_post_ids": [post.id],
        }
        if "created_at" in fields:
            data["created_at"] = _iso(post.created_at)
        if "author_id" in fields:
            data["author_id"] = post.author_id
        if "conversation_id" in fields:
            data["conversation_id"] = post.conversation_id
        if "in_reply_to_user_id" in fields and post.in_reply_to_user_id:
            data["in_reply_to_user_id"] = post.in_reply_to_user_id
        if fields & {"referenced_tweets", "referenced_posts"} and post.referenced:
            refs = [{"type": kind, "id": ref_id} for kind, ref_id in post.referenced]
            data["referenced_tweets"] = refs
            data["referenced_posts"] = [dict(ref) for ref in refs]
        if "public_metrics" in fields:
            metrics = dict(post.metrics)
            metrics["repost_count"] = metrics["retweet_count"]
            data["public_metrics"] = metrics
        if "source" in fields:
            data["source"] = post.source
        if "lang" in fields:
            data["lang"] = post.lang
        if "entities" in fields:
            entities = self._entities(post.text, post.links)
            if entities:
                data["entities"] = entities
        if "possibly_sensitive" in fields:
            data["possibly_sensitive"] = False
        if "reply_settings" in fields:
            data["reply_settings"] = "everyone"
        if "edit_controls" in fields:
            data["edit_controls"] = {
                "edits_remaining": 5,
                "is_edit_eligible": not post.referenced,
                "editable_until": _iso(post.created_at + timedelta(hours=1)),
            }
        return data

    def _render_user(self, user: _User, fields: set[str]) -> dict[str, Any]:
        data: dict[str, Any] = {"id": user.id, "name": user.name, "username": user.username}
        if "created_at" in fields:
            data["created_at"] = _iso(user.created_at)
        if "description" in fields:
            data["description"] = user.description
        if "protected" in fields:
            data["protected"] = user.protected
        if "verified" in fields:
            data["verified"] = user.verified
        if "profile_image_url" in fields:
            data["profile_image_url"] = (
                "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"
            )
        if "url" in fields:
            data["url"] = ""
        if "location" in fields:
            data["location"] = ""
        if "public_metrics" in fields:
            count = sum(1 for p in self._posts.values() if p.author_id == user.id and not p.deleted)
            data["public_metrics"] = {
                "followers_count": user.followers_count,
                "following_count": user.following_count,
                "tweet_count": count,
                "post_count": count,
                "listed_count": 0,
                "like_count": 0,
                "media_count": 0,
            }
        return data

    def _includes(
        self, posts: Iterable[_Post], expansions: set[str], user_fields: set[str]
    ) -> dict[str, Any]:
        user_ids: list[str] = []
        referenced: list[_Post] = []
        for post in posts:
            if "author_id" in expansions:
                user_ids.append(post.author_id)
            if "in_reply_to_user_id" in expansions and post.in_reply_to_user_id:
                user_ids.append(post.in_reply_to_user_id)
            if expansions & {"referenced_tweets.id", "referenced_posts"}:
                for _, ref_id in post.referenced:
                    ref = self._posts.get(ref_id)
                    if ref is not None and not ref.deleted:
                        referenced.append(ref)
        includes: dict[str, Any] = {}
        users = [self._users[uid] for uid in dict.fromkeys(user_ids) if uid in self._users]
        if users:
            includes["users"] = [self._render_user(user, user_fields) for user in users]
        if referenced:
            unique = {post.id: post for post in referenced}.values()
            rendered = [self._render_post(post, {"author_id", "created_at"}) for post in unique]
            includes["tweets"] = rendered
            includes["posts"] = [dict(item) for item in rendered]
        return includes

    # ------------------------------------------------------------------- WSGI

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            if request.path.startswith("/_sandbox/"):
                response = self._control(request)
            elif request.path.startswith("/2/"):
                response = self._api(request)
            else:
                response = self._api_error(
                    _ApiError(404, "Not Found", "Sorry, that page does not exist.")
                )
        except Exception:  # outermost boundary: a bug in the sandbox must still get an answer
            log.exception("sandbox X failed on %s %s", request.method, request.path)
            response = self._api_error(
                _ApiError(
                    500,
                    "Internal Server Error",
                    "The sandbox X failed; see its log.",
                    problem_type=PROBLEMS + "internal-error",
                )
            )
        return response(environ, start_response)

    def _api_error(self, error: _ApiError) -> Response:
        return _json_response(error.status, _error_body(error), error.headers)

    # ------------------------------------------------------------- control

    def _control(self, request: Request) -> Response:
        path = request.path.removeprefix("/_sandbox").rstrip("/") or "/"
        method = request.method
        try:
            body = self._control_body(request) if method in ("POST", "PATCH") else {}
            return self._control_route(method, path, body, request)
        except SandboxError as exc:
            return _json_response(exc.status, {"error": exc.message})

    @staticmethod
    def _control_body(request: Request) -> dict[str, Any]:
        raw = request.get_data(as_text=True)
        if not raw.strip():
            return {}
        try:
            body = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise SandboxError(400, f"body is not JSON: {exc}") from exc
        if not isinstance(body, dict):
            raise SandboxError(400, "body must be a JSON object")
        return body

    def _control_route(
        self, method: str, path: str, body: dict[str, Any], request: Request
    ) -> Response:
        parts = path.strip("/").split("/")
        if (method, path) == ("POST", "/reset"):
            self.reset()
            return _json_response(200, {"reset": True})
        if (method, path) == ("POST", "/config"):
            known = {"enforce_rate_limits", "reject_duplicates"}
            _reject_unknown(body, known)
            return _json_response(200, self.configure(**body))
        if path == "/users" and method == "POST":
            return _json_response(201, {"user": self._register_from_json(body)})
        if path == "/users" and method == "GET":
            return _json_response(200, {"users": self.users()})
        if len(parts) == 3 and parts[0] == "users" and method == "POST":
            if parts[2] == "posts":
                return _json_response(201, {"post": self._inject_from_json(parts[1], body)})
            if parts[2] == "mentions":
                return _json_response(201, {"post": self._mention_from_json(parts[1], body)})
        if path == "/posts" and method == "GET":
            include_deleted = request.args.get("include_deleted", "true").lower() != "false"
            posts = self.posts(
                author_id=request.args.get("author_id"), include_deleted=include_deleted
            )
            return _json_response(200, {"posts": posts})
        if len(parts) == 2 and parts[0] == "posts" and method == "GET":
            return _json_response(200, {"post": self.post(parts[1])})
        if len(parts) == 3 and parts[:1] + parts[2:] == ["posts", "metrics"] and method == "PATCH":
            return _json_response(200, {"post": self.set_metrics(parts[1], body)})
        if path == "/faults" and method == "POST":
            known = {"method", "path", "count", "status", "reset", "delay_s"}
            _reject_unknown(body, known)
            return _json_response(201, {"fault": self.add_fault(**body)})
        if path == "/faults" and method == "GET":
            return _json_response(200, {"faults": self.faults()})
        if path == "/faults" and method == "DELETE":
            self.clear_faults()
            return _json_response(200, {"faults": []})
        if path == "/requests" and method == "GET":
            return _json_response(200, {"requests": self.request_log()})
        raise SandboxError(404, f"no control endpoint {method} /_sandbox{path}")

    def _register_from_json(self, body: dict[str, Any]) -> dict[str, Any]:
        known = {
            "id",
            "username",
            "name",
            "access_token",
            "access_token_secret",
            "bearer_token",
            "app_name",
            "description",
            "protected",
            "verified",
            "followers_count",
            "following_count",
            "created_at",
        }
        _reject_unknown(body, known)
        if "username" not in body:
            raise SandboxError(400, "username is required")
        return self.register_user(
            username=body["username"],
            name=body.get("name"),
            user_id=body.get("id"),
            access_token=body.get("access_token"),
            bearer_token=body.get("bearer_token"),
            app_name=body.get("app_name", "Firebreak"),
            description=body.get("description", ""),
            protected=bool(body.get("protected", False)),
            verified=bool(body.get("verified", False)),
            followers_count=int(body.get("followers_count", 0)),
            following_count=int(body.get("following_count", 0)),
            created_at=_parse_time(body["created_at"], "created_at")
            if "created_at" in body
            else None,
        )

    def _inject_from_json(self, user_id: str, body: dict[str, Any]) -> dict[str, Any]:
        known = {
            "text",
            "source",
            "created_at",
            "lang",
            "reply_to",
            "quote_of",
            "public_metrics",
        }
        _reject_unknown(body, known)
        if "text" not in body:
            raise SandboxError(400, "text is required")
        return self.inject_post(
            user_id,
            body["text"],
            source=body.get("source", "Twitter for iPhone"),
            created_at=_parse_time(body["created_at"], "created_at")
            if "created_at" in body
            else None,
            lang=body.get("lang", "en"),
            reply_to=body.get("reply_to"),
            quote_of=body.get("quote_of"),
            public_metrics=body.get("public_metrics"),
        )

    def _mention_from_json(self, user_id: str, body: dict[str, Any]) -> dict[str, Any]:
        known = {
            "text",
            "author_username",
            "author_name",
            "author_id",
            "source",
            "created_at",
            "lang",
            "reply_to",
            "public_metrics",
        }
        _reject_unknown(body, known)
        if "text" not in body:
            raise SandboxError(400, "text is required")
        return self.inject_mention(
            user_id,
            body["text"],
            author_username=body.get("author_username", "sandbox_user"),
            author_name=body.get("author_name"),
            author_id=body.get("author_id"),
            source=body.get("source", "Twitter for Android"),
            created_at=_parse_time(body["created_at"], "created_at")
            if "created_at" in body
            else None,
            lang=body.get("lang", "en"),
            reply_to=body.get("reply_to"),
            public_metrics=body.get("public_metrics"),
        )

    # -------------------------------------------------------------- X API

    def _api(self, request: Request) -> Response:
        try:
            response, user_id = self._api_inner(request)
        except _ApiError as error:
            response, user_id = self._api_error(error), None
        with self._lock:
            self._log.append(
                {
                    "method": request.method,
                    "path": request.path,
                    "query": request.query_string.decode("latin-1"),
                    "status": response.status_code,
                    "user_id": user_id,
                    "at": _iso(self._now()),
                }
            )
        return response

    def _api_inner(self, request: Request) -> tuple[Response, str | None]:
        method, path = request.method, request.path
        key = self._route_key(method, path)
        self._apply_faults(method, path, key)
        if key is None:
            raise _ApiError(404, "Not Found", "Sorry, that page does not exist.")
        caller = self._authenticate(request)
        limit, app_limit = RATE_LIMITS[key]
        if not caller.user_context and app_limit is None:
            raise _ApiError(
                403,
                "Unsupported Authentication",
                "Authenticating with OAuth 2.0 Application-Only is forbidden for this "
                "endpoint.  Supported authentication types are [OAuth 1.0a User Context, "
                "OAuth 2.0 User Context].",
                problem_type=PROBLEMS + "unsupported-authentication",
            )
        effective_limit = limit if caller.user_context or app_limit is None else app_limit
        rate_headers = self._take_rate_limit(caller, key, effective_limit)
        try:
            status, body = self._dispatch(key, request, caller)
        except _ApiError as error:
            error.headers = {**rate_headers, **error.headers}
            raise
        return _json_response(status, body, rate_headers), caller.user_id

    @staticmethod
    def _route_key(method: str, path: str) -> str | None:
        segments = path.rstrip("/").split("/")[1:]  # "/2/tweets/1" -> ["2", "tweets", "1"]
        if segments[:1] != ["2"]:
            return None
        rest = segments[1:]
        if rest == ["users", "me"]:
            template = "/2/users/me"
        elif rest == ["tweets"]:
            template = "/2/tweets"
        elif len(rest) == 2 and rest[0] == "tweets":
            template = "/2/tweets/{id}"
        elif len(rest) == 3 and rest[0] == "users" and rest[2] in ("tweets", "mentions"):
            template = f"/2/users/{{id}}/{rest[2]}"
        else:
            return None
        key = f"{method} {template}"
        return key if key in RATE_LIMITS else None

    def _apply_faults(self, method: str, path: str, key: str | None) -> None:
        with self._lock:
            fault = next(
                (
                    f
                    for f in self._faults
                    if f.method in ("*", method) and fnmatch.fnmatchcase(path, f.path)
                ),
                None,
            )
            if fault is None:
                return
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
        if fault.delay_s:
            # Interruptible, so that stopping the server does not wait out a long delay.
            self.stopping.wait(fault.delay_s)
        if fault.status is None:
            return
        if fault.status == 429:
            reset = fault.reset if fault.reset is not None else int(self._clock()) + _WINDOW_S
            limit = RATE_LIMITS[key][0] if key else 0
            raise _ApiError(
                429,
                "Too Many Requests",
                "Too Many Requests",
                headers={
                    "x-rate-limit-limit": str(limit),
                    "x-rate-limit-remaining": "0",
                    "x-rate-limit-reset": str(reset),
                },
            )
        try:
            reason = HTTPStatus(fault.status).phrase
        except ValueError:
            reason = "Error"
        raise _ApiError(fault.status, reason, reason)

    def _authenticate(self, request: Request) -> _Caller:
        header = request.headers.get("Authorization", "")
        scheme, _, credentials = header.partition(" ")
        with self._lock:
            if scheme.lower() == "oauth":
                params = {
                    name: urllib.parse.unquote(value)
                    for name, value in _OAUTH_PARAM_RE.findall(credentials)
                }
                token = params.get("oauth_token", "")
                user_id = self._user_tokens.get(token)
                if user_id is not None:
                    user = self._users[user_id]
                    return _Caller(token, user_id, user.app_name, user_context=True)
            elif scheme.lower() == "bearer":
                token = credentials.strip()
                user_id = self._app_tokens.get(token)
                if user_id is not None:
                    user = self._users[user_id]
                    return _Caller(token, user_id, user.app_name, user_context=False)
        raise _ApiError(401, "Unauthorized", "Unauthorized")

    def _take_rate_limit(self, caller: _Caller, key: str, limit: int) -> dict[str, str]:
        now = int(self._clock())
        with self._lock:
            window = self._windows.get((caller.token, key))
            if window is None or now >= window.reset:
                window = _Window(reset=now + _WINDOW_S)
                self._windows[(caller.token, key)] = window
            if self.enforce_rate_limits and window.used >= limit:
                raise _ApiError(
                    429,
                    "Too Many Requests",
                    "Too Many Requests",
                    headers={
                        "x-rate-limit-limit": str(limit),
                        "x-rate-limit-remaining": "0",
                        "x-rate-limit-reset": str(window.reset),
                    },
                )
            window.used += 1
            return {
                "x-rate-limit-limit": str(limit),
                "x-rate-limit-remaining": str(max(limit - window.used, 0)),
                "x-rate-limit-reset": str(window.reset),
            }

    def _dispatch(self, key: str, request: Request, caller: _Caller) -> tuple[int, dict[str, Any]]:
        segments = request.path.rstrip("/").split("/")
        if key == "GET /2/users/me":
            return self._get_me(request, caller)
        if key == "POST /2/tweets":
            return self._create(request, caller)
        if key == "DELETE /2/tweets/{id}":
            return self._delete(segments[3], caller)
        if key == "GET /2/tweets/{id}":
            return self._lookup(request, [segments[3]], single=True)
        if key == "GET /2/tweets":
            ids = request.args.get("ids")
            if not ids:
                raise _invalid_param("ids", "", "The `ids` query parameter can not be empty")
            id_list = _split_csv(ids)
            if len(id_list) > 100:
                raise _invalid_param(
                    "ids",
                    ids,
                    "The number of values in the `ids` query parameter list [...] "
                    "is not between 1 and 100",
                )
            return self._lookup(request, id_list, single=False)
        # GET /2/users/{id}/tweets or /mentions
        return self._timeline(request, segments[3], mentions=segments[4] == "mentions")

    # Parameter parsing --------------------------------------------------

    @staticmethod
    def _enum_param(request: Request, names: tuple[str, ...], allowed: frozenset[str]) -> set[str]:
        values: set[str] = set()
        for name in names:
            raw = request.args.get(name)
            if raw is None:
                continue
            for value in _split_csv(raw):
                if value not in allowed:
                    raise _invalid_param(
                        name,
                        value,
                        f"The `{name}` query parameter value [{value}] is not one of "
                        f"[{','.join(sorted(allowed))}]",
                    )
                values.add(value)
        return values

    def _post_fields(self, request: Request) -> set[str]:
        return self._enum_param(request, ("tweet.fields", "post.fields"), _TWEET_FIELDS)

    def _user_fields(self, request: Request) -> set[str]:
        return self._enum_param(request, ("user.fields",), _USER_FIELDS)

    def _expansions(self, request: Request) -> set[str]:
        return self._enum_param(request, ("expansions",), _EXPANSIONS)

    @staticmethod
    def _id_param(name: str, value: str | None) -> str | None:
        if value is None:
            return None
        if not _ID_RE.match(value):
            raise _invalid_param(
                name, value, f"The `{name}` query parameter value [{value}] is not valid"
            )
        return value

    @staticmethod
    def _time_param(request: Request, name: str) -> datetime | None:
        value = request.args.get(name)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise _invalid_param(
                name, value, f"Invalid '{name}':'{value}'. '{name}' must be an RFC 3339 timestamp"
            ) from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    # Handlers -----------------------------------------------------------

    def _get_me(self, request: Request, caller: _Caller) -> tuple[int, dict[str, Any]]:
        user_fields = self._user_fields(request)
        self._expansions_for_users(request)
        with self._lock:
            user = self._users[caller.user_id]
            return 200, {"data": self._render_user(user, user_fields)}

    def _expansions_for_users(self, request: Request) -> None:
        allowed = frozenset({"pinned_tweet_id", "most_recent_tweet_id", "affiliation.user_id"})
        self._enum_param(request, ("expansions",), allowed)

    def _create(self, request: Request, caller: _Caller) -> tuple[int, dict[str, Any]]:
        try:
            body = json.loads(request.get_data(as_text=True) or "null")
        except json.JSONDecodeError:
            body = None
        if not isinstance(body, dict):
            raise _ApiError(
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
                raise _invalid_param(
                    name,
                    json.dumps(body[name]),
                    f"$.{name}: is not defined in the schema and the schema does not allow "
                    "additional properties",
                )
        text = body.get("text", "")
        if not isinstance(text, str):
            raise _invalid_param("text", json.dumps(text), "$.text: should be a string")
        reply = body.get("reply")
        reply_to = None
        if reply is not None:
            reply_to = reply.get("in_reply_to_tweet_id") if isinstance(reply, dict) else None
            if not isinstance(reply_to, str) or not _ID_RE.match(reply_to):
                raise _invalid_param(
                    "reply.in_reply_to_tweet_id",
                    json.dumps(reply_to),
                    "$.reply.in_reply_to_tweet_id: does not match the regex pattern ^[0-9]{1,19}$",
                )
        quote_of = body.get("quote_tweet_id")
        if quote_of is not None and (not isinstance(quote_of, str) or not _ID_RE.match(quote_of)):
            raise _invalid_param(
                "quote_tweet_id",
                json.dumps(quote_of),
                "$.quote_tweet_id: does not match the regex pattern ^[0-9]{1,19}$",
            )
        if not text.strip() and "media" not in body:
            raise _invalid_param(
                "text", text, "Post text is required unless media or a poll is attached"
            )
        if _weighted_length(text) > _MAX_TEXT:
            raise _ApiError(
                403,
                "Forbidden",
                "Your Tweet text is too long. For more information on how Twitter determines "
                "text length see https://github.com/twitter/twitter-text.",
            )
        with self._lock:
            for ref_id, verb in ((reply_to, "reply to"), (quote_of, "quote")):
                target = self._posts.get(ref_id) if ref_id else None
                if ref_id and (target is None or target.deleted):
                    raise _ApiError(
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
                        raise _ApiError(
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

    def _delete(self, post_id: str, caller: _Caller) -> tuple[int, dict[str, Any]]:
        if not _ID_RE.match(post_id):
            raise _invalid_param(
                "id", post_id, f"The `id` query parameter value [{post_id}] is not valid"
            )
        with self._lock:
            post = self._posts.get(post_id)
            if post is None or post.deleted:
                problem = _not_found_problem(post_id, "id")
                raise _ApiError(
                    404,
                    "Not Found Error",
                    problem["detail"],
                    problem_type=PROBLEMS + "resource-not-found",
                    errors=[problem],
                )
            if post.author_id != caller.user_id:
                raise _ApiError(403, "Forbidden", "You are not allowed to delete this Tweet.")
            post.deleted_at = self._now()
            return 200, {"data": {"deleted": True}}

    def _lookup(
        self, request: Request, ids: list[str], *, single: bool
    ) -> tuple[int, dict[str, Any]]:
        parameter = "id" if single else "ids"
        for post_id in ids:
            self._id_param(parameter, post_id)
        fields = self._post_fields(request)
        user_fields = self._user_fields(request)
        expansions = self._expansions(request)
        with self._lock:
            found: list[_Post] = []
            errors: list[dict[str, Any]] = []
            for post_id in ids:
                post = self._posts.get(post_id)
                if post is None or post.deleted:
                    errors.append(_not_found_problem(post_id, parameter))
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

    def _timeline(
        self, request: Request, user_id: str, *, mentions: bool
    ) -> tuple[int, dict[str, Any]]:
        self._id_param("id", user_id)
        since_id = self._id_param("since_id", request.args.get("since_id"))
        until_id = self._id_param("until_id", request.args.get("until_id"))
        start_time = self._time_param(request, "start_time")
        end_time = self._time_param(request, "end_time")
        raw_max = request.args.get("max_results", "10")
        if not raw_max.isdigit() or not 5 <= int(raw_max) <= 100:
            raise _invalid_param(
                "max_results",
                raw_max,
                f"The `max_results` query parameter value [{raw_max}] is not between 5 and 100",
            )
        max_results = int(raw_max)
        upper: int | None = None
        token = request.args.get("pagination_token")
        if token is not None:
            decoded = _decode_token(token)
            if decoded is None:
                raise _invalid_param(
                    "pagination_token",
                    token,
                    f"The `pagination_token` query parameter value [{token}] is not valid",
                )
            upper = int(decoded)
        exclude: set[str] = set()
        if not mentions:
            exclude = self._enum_param(request, ("exclude",), frozenset({"replies", "retweets"}))
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
                    meta["next_token"] = _encode_token(page[-1].id)
            body["meta"] = meta
            return 200, body

    def _mentions(self, post: _Post, user: _User) -> bool:
        if post.author_id == user.id:
            return False
        if post.in_reply_to_user_id == user.id:
            return True
        return user.username.lower() in {m.lower() for m in _MENTION_RE.findall(post.text)}


def _reject_unknown(body: dict[str, Any], known: set[str]) -> None:
    unknown = sorted(set(body) - known)
    if unknown:
        raise SandboxError(400, f"unknown field(s) {unknown}; expected some of {sorted(known)}")


class _QuietHandler(WSGIRequestHandler):
    """Request handler that does not log every request (the sandbox keeps its own log)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


class RunningSandboxX:
    """A sandbox X served on a loopback port by a daemon thread."""

    def __init__(self, app: SandboxX, server: BaseWSGIServer, thread: threading.Thread) -> None:
        self.app = app
        self._server = server
        self._thread = thread
        self.url = f"http://127.0.0.1:{server.server_port}"

    def stop(self) -> None:
        """Stop serving and release the port (pending delays are cut short)."""
        self.app.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningSandboxX:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_sandbox_x(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    app: SandboxX | None = None,
    clock: Callable[[], float] | None = None,
) -> RunningSandboxX:
    """Serve a sandbox X on ``http://127.0.0.1:<port>`` (``port=0``: any free port).

    Only the loopback interface is ever bound: the control endpoints have no auth.
    """
    if host not in ("127.0.0.1", "localhost"):
        raise ValueError(f"the sandbox X only binds 127.0.0.1, not {host!r}")
    sandbox = app or (SandboxX(clock=clock) if clock else SandboxX())
    server = make_server("127.0.0.1", port, sandbox, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="sandbox-x", daemon=True)
    thread.start()
    return RunningSandboxX(sandbox, server, thread)


def main(argv: list[str] | None = None) -> None:
    """Run a sandbox X in the foreground until interrupted."""
    parser = argparse.ArgumentParser(description="Run the sandbox X on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    running = start_sandbox_x(port=args.port)
    print(f"sandbox X listening on {running.url} (Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()


if __name__ == "__main__":
    main()
