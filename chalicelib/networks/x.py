"""X (Twitter) adapter: ``SocialNetwork`` over X API v2, built on ``tweepy.Client``.

Authenticates with OAuth 1.0a user context (the brand account's own tokens).
tweepy and requests are imported only when an ``XClient`` is built, so that
importing this module stays cheap on a Lambda cold start.

tweepy hardcodes ``https://api.twitter.com`` and has no timeout setting, but
sends everything through its public ``requests`` session; ``XClient`` mounts a
transport adapter on that session which applies a timeout to every request
and, when ``api_base_url`` is given (the local sandbox X), rewrites the host.

tweepy's rate-limit sleeping (``wait_on_rate_limit``) is never used: a Lambda
must not sleep for up to 15 minutes, so a 429 becomes ``RateLimited`` with the
reset time and the caller (a Step Functions state) decides when to retry.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from chalicelib.networks.social import (
    MentionBatch,
    NetworkUnavailable,
    PostNotFound,
    PostRejected,
    RateLimited,
    RemotePost,
    SocialNetworkError,
    scrub_secrets,
    utc_time,
)

if TYPE_CHECKING:
    import requests
    from requests.adapters import HTTPAdapter

__all__ = [
    "DEFAULT_TIMEOUT_S",
    "POST_FIELDS",
    "X_API_HOSTS",
    "XAccount",
    "XClient",
    "XCredentials",
    "XCredentialsError",
    "map_x_error",
    "post_url",
    "to_remote_post",
]

# Hosts tweepy may talk to (it uses the first today); both are rewritten/timed out.
X_API_HOSTS = ("https://api.twitter.com", "https://api.x.com")
DEFAULT_TIMEOUT_S = 10.0
# When a 429 carries no usable x-rate-limit-reset header: X's windows are 15 minutes.
RATE_LIMIT_FALLBACK = timedelta(minutes=15)
POST_FIELDS = (
    "author_id",
    "conversation_id",
    "created_at",
    "edit_history_tweet_ids",
    "entities",
    "in_reply_to_user_id",
    "lang",
    "public_metrics",
    "referenced_tweets",
    "source",
)
# X serves only the newest 800 mentions of a user; reading that many means the window
# may have ended before the checkpoint.
MENTIONS_WINDOW = 800
MENTION_EXPANSIONS = ("author_id", "referenced_tweets.id", "referenced_tweets.id.author_id")
_NOT_FOUND_SUFFIX = "/problems/resource-not-found"

T = TypeVar("T")


class XCredentialsError(ValueError):
    """The X credentials document is incomplete or malformed."""


@dataclass(frozen=True, repr=False)
class XCredentials:
    """OAuth 1.0a user-context credentials for one X account (plus an optional app bearer).

    ``repr``/``str`` never show the values, so the object can be logged safely.
    """

    consumer_key: str
    consumer_secret: str
    access_token: str
    access_token_secret: str
    bearer_token: str | None = None

    _REQUIRED: ClassVar[tuple[str, ...]] = (
        "consumer_key",
        "consumer_secret",
        "access_token",
        "access_token_secret",
    )
    # Names the X developer portal uses for the consumer pair.
    _ALIASES: ClassVar[Mapping[str, str]] = {
        "api_key": "consumer_key",
        "api_key_secret": "consumer_secret",
    }

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={'***' if getattr(self, f.name) else None}" for f in fields(self)
        )
        return f"XCredentials({shown})"

    __str__ = __repr__

    @classmethod
    def from_json(cls, document: Mapping[str, Any] | str | bytes) -> XCredentials:
        """Build from a JSON object (e.g. a Secrets Manager secret), given parsed or as text.

        Accepts ``api_key``/``api_key_secret`` as aliases of the consumer pair.
        Raises ``XCredentialsError`` naming every missing or non-string field
        (never showing any value).
        """
        if isinstance(document, str | bytes):
            try:
                document = json.loads(document)
            except json.JSONDecodeError as exc:
                # exc's message quotes the document; keep secrets out of the error.
                raise XCredentialsError(
                    f"X credentials are not valid JSON (line {exc.lineno}, column {exc.colno})"
                ) from None
        if not isinstance(document, Mapping):
            raise XCredentialsError("X credentials must be a JSON object")
        values: dict[str, Any] = {}
        for key, value in document.items():
            name = cls._ALIASES.get(key, key)
            if name in values and values[name] != value:
                raise XCredentialsError(f"X credentials give {name} twice (as {key} too)")
            values[name] = value
        missing = [name for name in cls._REQUIRED if not values.get(name)]
        if missing:
            raise XCredentialsError(f"X credentials are missing: {', '.join(missing)}")
        wrong = [
            name
            for name in (*cls._REQUIRED, "bearer_token")
            if values.get(name) is not None and not isinstance(values[name], str)
        ]
        if wrong:
            raise XCredentialsError(f"X credentials fields must be strings: {', '.join(wrong)}")
        return cls(
            consumer_key=values["consumer_key"],
            consumer_secret=values["consumer_secret"],
            access_token=values["access_token"],
            access_token_secret=values["access_token_secret"],
            bearer_token=values.get("bearer_token") or None,
        )

    def secret_values(self) -> tuple[str, ...]:
        """Every credential value, for scrubbing them out of messages."""
        return tuple(v for f in fields(self) if isinstance(v := getattr(self, f.name), str) and v)


@dataclass(frozen=True)
class XAccount:
    """The account the credentials act as."""

    id: str
    username: str


def post_url(username: str | None, post_id: str) -> str:
    """The public web address of a post (``/i/`` when the author is unknown)."""
    return f"https://x.com/{username or 'i'}/status/{post_id}"


def to_remote_post(
    raw: Mapping[str, Any],
    *,
    usernames: Mapping[str, str] | None = None,
    default_author_id: str | None = None,
) -> RemotePost:
    """Turn an X API v2 post object (a JSON dict) into a ``RemotePost``.

    ``usernames`` maps user ids to usernames (from ``includes.users``) so that
    the post's URL can name its author.
    """
    post_id = str(raw["id"])
    author_id = str(raw.get("author_id") or default_author_id or "")
    metrics = raw.get("public_metrics") or {}
    return RemotePost(
        id=post_id,
        text=str(raw.get("text", "")),
        author_id=author_id,
        created_at=utc_time(raw.get("created_at")),
        source_app=raw.get("source") or None,
        url=post_url((usernames or {}).get(author_id), post_id),
        public_metrics={
            k: v for k, v in metrics.items() if isinstance(v, int) and not isinstance(v, bool)
        },
        raw=dict(raw),
    )


def _reset_at(exc: Any, now: datetime) -> datetime:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    raw: Any = headers.get("x-rate-limit-reset")
    if raw is None:
        raw = getattr(exc, "reset_time", None)
    if raw is None:
        return now + RATE_LIMIT_FALLBACK
    try:
        return datetime.fromtimestamp(int(raw), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return now + RATE_LIMIT_FALLBACK


def map_x_error(
    exc: BaseException,
    operation: str,
    *,
    now: datetime | None = None,
    secrets: Sequence[str] = (),
) -> SocialNetworkError:
    """Translate a tweepy/requests failure into the domain's error types.

    * ``tweepy.TooManyRequests`` → ``RateLimited`` (reset from ``x-rate-limit-reset``,
      else now + 15 minutes)
    * ``tweepy.TwitterServerError`` (5xx), requests timeouts, connection and
      transfer errors, unparsable bodies → ``NetworkUnavailable``
    * ``tweepy.NotFound`` → ``PostNotFound``
    * any other ``tweepy.HTTPException`` (400, 401, 403, ...) → ``PostRejected``
    * anything else tweepy/requests raise → ``SocialNetworkError``

    Messages are one line and have every value in ``secrets`` masked.
    """
    import requests
    import tweepy

    now = now or datetime.now(UTC)
    detail = scrub_secrets(" ".join(str(exc).split()) or type(exc).__name__, secrets)
    message = f"X {operation} failed: {detail}"
    if isinstance(exc, tweepy.TooManyRequests):
        return RateLimited(_reset_at(exc, now))
    if isinstance(exc, tweepy.TwitterServerError):
        return NetworkUnavailable(message)
    if isinstance(exc, tweepy.NotFound):
        return PostNotFound(message)
    if isinstance(exc, tweepy.HTTPException):
        return PostRejected(message)
    transient = (
        requests.Timeout,
        requests.ConnectionError,
        requests.exceptions.ChunkedEncodingError,
        requests.exceptions.ContentDecodingError,
        requests.JSONDecodeError,
    )
    if isinstance(exc, transient):
        return NetworkUnavailable(message)
    return SocialNetworkError(message)


def _partial_error(operation: str, errors: Sequence[Any], secrets: Sequence[str]) -> Exception:
    """The error for a 200 answer that has ``errors`` but no ``data`` (X's not-found style)."""
    problems = [e for e in errors if isinstance(e, Mapping)]
    detail = "; ".join(str(p.get("detail") or p.get("title") or p) for p in problems) or "no data"
    message = scrub_secrets(f"X {operation} failed: {detail}", secrets)
    if problems and all(str(p.get("type", "")).endswith(_NOT_FOUND_SUFFIX) for p in problems):
        return PostNotFound(message)
    return PostRejected(message)


def _make_transport(api_base_url: str | None, timeout_s: float) -> HTTPAdapter:
    from requests.adapters import HTTPAdapter

    base = api_base_url.rstrip("/") if api_base_url else None

    class _XTransport(HTTPAdapter):
        """Applies the default timeout and, for the sandbox, redirects X's host."""

        def send(
            self,
            request: requests.PreparedRequest,
            stream: bool = False,
            timeout: float | tuple[float, float] | tuple[float, None] | None = None,
            verify: bool | str = True,
            cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
            proxies: Mapping[str, str] | None = None,
        ) -> requests.Response:
            if base is not None and request.url:
                for host in X_API_HOSTS:
                    if request.url == host or request.url.startswith(host + "/"):
                        request.url = base + request.url[len(host) :]
                        # Proxies were chosen for X's host; the sandbox is reached directly.
                        proxies = None
                        break
            return super().send(
                request,
                stream=stream,
                timeout=timeout_s if timeout is None else timeout,
                verify=verify,
                cert=cert,
                proxies=proxies,
            )

    return _XTransport()


class XClient:
    """``SocialNetwork`` for one X account.

    ``api_base_url``: where to send X API traffic instead of X (the sandbox,
    e.g. ``"http://127.0.0.1:8765"``); ``None`` talks to X itself.
    ``timeout_s``: per-request connect and read timeout.
    ``timeline()``/``mentions()`` follow ``next_token`` for at most
    ``max_pages`` pages of ``page_size`` posts and return newest first.
    """

    def __init__(
        self,
        credentials: XCredentials,
        *,
        api_base_url: str | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        page_size: int = 100,
        max_pages: int = 5,
        clock: Callable[[], float] = time.time,
    ) -> None:
        import tweepy

        if not 5 <= page_size <= 100:
            raise ValueError("page_size must be between 5 and 100 (X's limits)")
        if max_pages < 1:
            raise ValueError("max_pages must be at least 1")
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self._credentials = credentials
        self._secrets = credentials.secret_values()
        self._page_size = page_size
        self._max_pages = max_pages
        self._clock = clock
        self._client = tweepy.Client(
            bearer_token=credentials.bearer_token,
            consumer_key=credentials.consumer_key,
            consumer_secret=credentials.consumer_secret,
            access_token=credentials.access_token,
            access_token_secret=credentials.access_token_secret,
            wait_on_rate_limit=False,
        )
        transport = _make_transport(api_base_url, timeout_s)
        for host in X_API_HOSTS:
            self._client.session.mount(host, transport)
        self._account: XAccount | None = None

    def __repr__(self) -> str:
        return f"XClient(account={self._account!r}, credentials={self._credentials!r})"

    @property
    def session(self) -> requests.Session:
        """The requests session all X traffic goes through (e.g. to add response hooks)."""
        session: requests.Session = self._client.session
        return session

    # ------------------------------------------------------------------ plumbing

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), tz=UTC)

    def _call(self, operation: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        import requests
        import tweepy

        try:
            return fn(*args, **kwargs)
        except (tweepy.TweepyException, requests.RequestException) as exc:
            raise map_x_error(exc, operation, now=self._now(), secrets=self._secrets) from exc

    def account(self) -> XAccount:
        """The account these credentials act as (asked of X once, then cached)."""
        if self._account is None:
            response = self._call("get_me", self._client.get_me, user_auth=True)
            data = response.data.data if response.data is not None else None
            if not data:
                raise _partial_error("get_me", response.errors, self._secrets)
            self._account = XAccount(id=str(data["id"]), username=str(data["username"]))
        return self._account

    # ---------------------------------------------------------- SocialNetwork

    def own_id(self) -> str:
        return self.account().id

    def publish(
        self, text: str, *, reply_to: str | None = None, quote_of: str | None = None
    ) -> RemotePost:
        """Post ``text`` (optionally as a reply to / quote of another post)."""
        me = self.account()
        response = self._call(
            "publish",
            self._client.create_tweet,
            text=text,
            in_reply_to_tweet_id=reply_to,
            quote_tweet_id=quote_of,
            user_auth=True,
        )
        data = response.data
        if not data:
            raise _partial_error("publish", response.errors, self._secrets)
        return to_remote_post(data, usernames={me.id: me.username}, default_author_id=me.id)

    def delete(self, post_id: str) -> None:
        """Delete one of the account's posts; ``PostNotFound`` if it is already gone."""
        response = self._call("delete", self._client.delete_tweet, post_id, user_auth=True)
        data = response.data or {}
        if data.get("deleted") is not True:
            raise _partial_error("delete", response.errors, self._secrets)

    def get_post(self, post_id: str) -> RemotePost:
        """Fetch one post; ``PostNotFound`` if it does not exist or was deleted."""
        response = self._call(
            "get_post",
            self._client.get_tweet,
            post_id,
            tweet_fields=list(POST_FIELDS),
            expansions=["author_id"],
            user_auth=True,
        )
        if response.data is None:
            raise _partial_error("get_post", response.errors, self._secrets)
        return to_remote_post(response.data.data, usernames=_usernames(response.includes))

    def timeline(self, *, since_id: str | None = None) -> list[RemotePost]:
        """The account's own posts (newer than ``since_id``), newest first."""
        me = self.account()
        return self._paged(
            "timeline",
            self._client.get_users_tweets,
            me,
            since_id,
            expansions=None,
        )

    def mentions(self, *, since_id: str | None = None) -> list[RemotePost]:
        """Posts by others mentioning the account (newer than ``since_id``), newest first."""
        me = self.account()
        return self._paged(
            "mentions",
            self._client.get_users_mentions,
            me,
            since_id,
            expansions=["author_id"],
        )

    def mention_batch(self, *, since_id: str | None, max_posts: int) -> MentionBatch:
        """Mentions newer than ``since_id``, newest first, at most ``max_posts`` of them.

        X's guidance for polling: ``since_id`` stays the same on every page and the
        next checkpoint is the first page's ``newest_id``. ``truncated`` when the read
        stopped before reaching ``since_id`` (X's 800 wall, or ``max_posts``)."""
        from chalicelib.networks.x_mentions import read_mention_pages

        me = self.account()
        return read_mention_pages(
            self,
            "mentions",
            self._client.get_users_mentions,
            {"id": me.id, "since_id": since_id, "pagination_token": None},
            "pagination_token",
            max_posts,
            page_size=self._page_size,
            wall=MENTIONS_WINDOW,
        )

    def search_mentions(
        self,
        *,
        since_id: str | None,
        until_id: str,
        max_posts: int,
        start_time: datetime | None = None,
    ) -> MentionBatch:
        """Mentions of the account older than ``until_id`` and newer than ``since_id``
        (or created from ``start_time``), from recent search (the last seven days):
        what fills the gap the mentions endpoint's window left."""
        from chalicelib.networks.x_mentions import read_mention_pages

        me = self.account()
        params: dict[str, Any] = {
            "query": f"@{me.username} -from:{me.username}",
            "until_id": until_id,
            "next_token": None,
        }
        if since_id is not None:
            params["since_id"] = since_id
        elif start_time is not None:
            params["start_time"] = start_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return read_mention_pages(
            self,
            "search_mentions",
            self._client.search_recent_tweets,
            params,
            "next_token",
            max_posts,
            page_size=max(10, self._page_size),  # search pages hold 10..100
            wall=None,
        )

    def _paged(
        self,
        operation: str,
        fetch: Callable[..., Any],
        me: XAccount,
        since_id: str | None,
        *,
        expansions: list[str] | None,
    ) -> list[RemotePost]:
        posts: list[RemotePost] = []
        token: str | None = None
        for _ in range(self._max_pages):
            response = self._call(
                operation,
                fetch,
                me.id,
                since_id=since_id,
                max_results=self._page_size,
                pagination_token=token,
                tweet_fields=list(POST_FIELDS),
                expansions=expansions,
                user_auth=True,
            )
            if response.data is None and response.errors and "result_count" not in response.meta:
                raise _partial_error(operation, response.errors, self._secrets)
            usernames = {me.id: me.username, **_usernames(response.includes)}
            for tweet in response.data or []:
                posts.append(to_remote_post(tweet.data, usernames=usernames))
            token = response.meta.get("next_token")
            if not token:
                break
        return posts


def _usernames(includes: Mapping[str, Any] | None) -> dict[str, str]:
    """User id → username from a tweepy response's ``includes`` (tweepy ``User`` objects)."""
    result: dict[str, str] = {}
    for user in (includes or {}).get("users", []):
        data = getattr(user, "data", user)
        if isinstance(data, Mapping) and "id" in data and "username" in data:
            result[str(data["id"])] = str(data["username"])
    return result
