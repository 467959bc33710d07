"""Mastodon adapter: ``SocialNetwork`` over Mastodon's REST API, built on Mastodon.py.

One brand account on one instance, authenticated by an access token. Mastodon.py
(and requests, regex) are imported only when a ``MastodonClient`` is built or a
length is counted, so that importing this module stays cheap on a Lambda cold start.

Rate limits are never slept on: Mastodon.py runs in ``"throw"`` mode and a 429
becomes ``RateLimited`` with the reset time of the answer's ``X-RateLimit-Reset``
header (Mastodon sends an ISO 8601 time there). Mastodon.py's exception carries
no response, so the client keeps the last answer's status and headers from a
response hook on its requests session.

``mastodon_length`` counts a status as Mastodon's ``StatusLengthValidator``
does; the reading side (statuses to ``RemotePost``, HTML to text, paging
timelines and notifications) lives in ``mastodon_read``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar
from urllib.parse import urlsplit

from chalicelib.networks.social import (
    MentionBatch,
    NetworkUnavailable,
    PostNotFound,
    PostRejected,
    RateLimited,
    RemotePost,
    SocialNetworkError,
    scrub_secrets,
)

if TYPE_CHECKING:
    import requests

__all__ = [
    "DEFAULT_MAX_CHARACTERS",
    "DEFAULT_TIMEOUT_S",
    "URL_LENGTH",
    "MastodonAccount",
    "MastodonClient",
    "MastodonCredentials",
    "MastodonCredentialsError",
    "map_mastodon_error",
    "mastodon_length",
    "parse_reset",
    "status_entities",
]

DEFAULT_TIMEOUT_S = 10.0
# Mastodon's defaults when an instance reports no configuration.
DEFAULT_MAX_CHARACTERS = 500
URL_LENGTH = 23
# When a 429 carries no usable reset: Mastodon's API windows are five minutes.
RATE_LIMIT_FALLBACK = timedelta(minutes=5)
# Hosts that may be reached over plain http (the local sandbox).
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Ruby's String#strip, which Mastodon applies to a status before validating it.
_RUBY_WHITESPACE = "\x00\t\n\v\f\r "

T = TypeVar("T")


class MastodonCredentialsError(ValueError):
    """The Mastodon credentials document is incomplete or malformed."""


@dataclass(frozen=True, repr=False)
class MastodonCredentials:
    """An access token for one account on one Mastodon instance.

    ``repr``/``str`` show the instance (an address, not a secret) but never the token.
    """

    instance_url: str
    access_token: str

    _REQUIRED: ClassVar[tuple[str, ...]] = ("instance_url", "access_token")
    # Mastodon.py's name for the instance.
    _ALIASES: ClassVar[Mapping[str, str]] = {"api_base_url": "instance_url"}

    def __post_init__(self) -> None:
        for name in self._REQUIRED:
            if not isinstance(getattr(self, name), str) or not getattr(self, name):
                raise MastodonCredentialsError(f"Mastodon credentials field {name} must be set")
        object.__setattr__(self, "instance_url", _checked_instance_url(self.instance_url))

    def __repr__(self) -> str:
        return f"MastodonCredentials(instance_url={self.instance_url!r}, access_token=***)"

    __str__ = __repr__

    @classmethod
    def from_json(cls, document: Mapping[str, Any] | str | bytes) -> MastodonCredentials:
        """Build from a JSON object (e.g. a Secrets Manager secret), given parsed or as text.

        Accepts ``api_base_url`` as an alias of ``instance_url``. Raises
        ``MastodonCredentialsError`` naming every missing, non-string or malformed
        field (never showing a value).
        """
        if isinstance(document, str | bytes):
            try:
                document = json.loads(document)
            except json.JSONDecodeError as exc:
                # exc's message quotes the document; keep the token out of the error.
                raise MastodonCredentialsError(
                    "Mastodon credentials are not valid JSON "
                    f"(line {exc.lineno}, column {exc.colno})"
                ) from None
        if not isinstance(document, Mapping):
            raise MastodonCredentialsError("Mastodon credentials must be a JSON object")
        values: dict[str, Any] = {}
        for key, value in document.items():
            name = cls._ALIASES.get(key, key)
            if name in values and values[name] != value:
                raise MastodonCredentialsError(
                    f"Mastodon credentials give {name} twice (as {key} too)"
                )
            values[name] = value
        missing = [name for name in cls._REQUIRED if not values.get(name)]
        if missing:
            raise MastodonCredentialsError(
                f"Mastodon credentials are missing: {', '.join(missing)}"
            )
        wrong = [name for name in cls._REQUIRED if not isinstance(values[name], str)]
        if wrong:
            raise MastodonCredentialsError(
                f"Mastodon credentials fields must be strings: {', '.join(wrong)}"
            )
        return cls(instance_url=values["instance_url"], access_token=values["access_token"])

    def secret_values(self) -> tuple[str, ...]:
        """Every secret value (the token), for scrubbing it out of messages."""
        return (self.access_token,)


def _checked_instance_url(url: str) -> str:
    problem = "Mastodon credentials field instance_url must be an https URL"
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise MastodonCredentialsError(problem) from None
    if not host or parts.username or parts.password or parts.query or parts.fragment:
        raise MastodonCredentialsError(problem + " (a host, no user, query or fragment)")
    if parts.scheme == "http" and host not in LOOPBACK_HOSTS:
        raise MastodonCredentialsError(problem + " (http only for 127.0.0.1/localhost)")
    if parts.scheme not in ("https", "http"):
        raise MastodonCredentialsError(problem)
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")


# ------------------------------------------------------------------ length


@lru_cache(maxsize=1)
def _patterns() -> tuple[Any, Any, Any, Any]:
    """Mastodon's entity patterns: URLs (twitter-text's valid URL, protocol required),
    mentions (``Account::MENTION_RE``), hashtags (simplified) and grapheme clusters."""
    import regex

    path_char = r"[\p{L}\p{M}\p{N}!*';:=+,.$/%#\[\]\-\u2013_~@|&]"
    path_end = r"[\p{L}\p{M}\p{N}=_#/\-+]"
    parens = rf"\({path_char}*\)"
    url = (
        r"(?<![A-Za-z0-9@＠$#＃])"
        r"https?://"
        r"(?:[\p{L}\p{N}](?:[\p{L}\p{N}_-]*[\p{L}\p{N}])?\.)+"
        r"(?:xn--[a-z0-9-]+|\p{L}{2,63})"
        r"(?::[0-9]{1,5})?"
        rf"(?:/(?:(?:{path_char}|{parens})*(?:{path_end}|{parens}))?)?"
        r"(?:\?[\p{L}\p{N}!?*'@();:&=+$/%#\[\]\-_.,~|]*[\p{L}\p{N}\-_&=#/])?"
    )
    mention = r"(?<![=/\w])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?(?:@[\w.-]+\w)?)"
    hashtag = r"(?<![=/)\w])#(\w*[^\W\d_]\w*)"
    return (
        regex.compile(url, regex.IGNORECASE | regex.V0),
        regex.compile(mention, regex.IGNORECASE | regex.V0),
        regex.compile(hashtag, regex.IGNORECASE | regex.V0),
        regex.compile(r"\X", regex.V0),
    )


def status_entities(text: str, *, hashtags: bool = False) -> list[tuple[int, int, str, str]]:
    """``(start, end, kind, value)`` of the URLs and mentions in ``text`` (and its
    hashtags when asked), in order, overlapping ones dropped as Mastodon's extractor
    does (the earlier wins). ``kind``: ``"url"``, ``"mention"`` (value ``user`` or
    ``user@domain``) or ``"hashtag"`` (value without ``#``)."""
    url_re, mention_re, hashtag_re, _ = _patterns()
    found: list[tuple[int, int, str, str]] = [
        (m.start(), m.end(), "url", m.group(0)) for m in url_re.finditer(text)
    ]
    found += [(m.start(), m.end(), "mention", m.group(1)) for m in mention_re.finditer(text)]
    if hashtags:
        found += [(m.start(), m.end(), "hashtag", m.group(1)) for m in hashtag_re.finditer(text)]
    found.sort()
    kept: list[tuple[int, int, str, str]] = []
    for entity in found:
        if not kept or entity[0] >= kept[-1][1]:
            kept.append(entity)
    return kept


def mastodon_length(text: str, url_length: int = URL_LENGTH) -> int:
    """How long Mastodon counts a status: its text stripped (as Mastodon stores it),
    every URL as ``url_length`` characters, a remote mention ``@user@domain`` as
    ``@user``, then extended grapheme clusters (an emoji ZWJ sequence or a letter
    with combining marks is one)."""
    body = text.strip(_RUBY_WHITESPACE)
    parts: list[str] = []
    last = 0
    for start, end, kind, value in status_entities(body):
        parts.append(body[last:start])
        parts.append("x" * url_length if kind == "url" else "@" + value.split("@")[0])
        last = end
    parts.append(body[last:])
    graphemes = _patterns()[3]
    return len(graphemes.findall("".join(parts)))


# ------------------------------------------------------------------ errors


def parse_reset(value: Any) -> datetime | None:
    """An ``X-RateLimit-Reset`` value as a UTC datetime: ISO 8601 (Mastodon) or epoch
    seconds (GoToSocial and others); ``None`` when it is neither."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        if text.isdigit():
            return datetime.fromtimestamp(int(text), tz=UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _detail(exc: BaseException) -> str:
    """Mastodon.py's API errors carry ``(message, status, reason, error)`` as args."""
    args = exc.args
    if len(args) >= 4 and isinstance(args[1], int):
        error = args[3] if isinstance(args[3], str) and args[3] else None
        return f"{args[1]} {args[2]}" + (f": {error}" if error else "")
    return str(exc) or type(exc).__name__


def map_mastodon_error(
    exc: BaseException,
    operation: str,
    *,
    now: datetime | None = None,
    secrets: Sequence[str] = (),
    status: int | None = None,
    headers: Mapping[str, str] | None = None,
    ratelimit_reset: float | None = None,
) -> SocialNetworkError:
    """Translate a Mastodon.py failure into the domain's error types.

    ``status`` and ``headers`` are those of the last answer (Mastodon.py's
    exceptions carry no response); ``ratelimit_reset`` is Mastodon.py's reset epoch,
    already moved onto the caller's clock.

    * ``MastodonRatelimitError`` → ``RateLimited`` (reset from ``X-RateLimit-Reset``,
      else ``ratelimit_reset``, else now + 5 minutes); when the last answer was not a
      429, Mastodon.py could not read the rate-limit headers → ``NetworkUnavailable``
    * ``MastodonNotFoundError`` (404) → ``PostNotFound``
    * ``MastodonServerError`` (5xx), ``MastodonNetworkError`` (connection errors,
      timeouts), unparsable answers → ``NetworkUnavailable``
    * ``MastodonUnauthorizedError`` (401) and other 4xx API errors → ``PostRejected``
    * anything else Mastodon.py raises → ``SocialNetworkError``

    Messages are one line and have every value in ``secrets`` masked.
    """
    import mastodon

    now = now or datetime.now(UTC)
    detail = scrub_secrets(" ".join(_detail(exc).split()), secrets)
    message = f"Mastodon {operation} failed: {detail}"
    if isinstance(exc, mastodon.MastodonRatelimitError):
        if status is not None and status != 429:
            return NetworkUnavailable(message)
        # Header names may arrive lower-cased (HTTP/2 proxies); compare them so.
        sent = [v for k, v in (headers or {}).items() if k.lower() == "x-ratelimit-reset"]
        reset = parse_reset(sent[0] if sent else None)
        if reset is None and ratelimit_reset is not None:
            try:
                reset = datetime.fromtimestamp(ratelimit_reset, tz=UTC)
            except (OverflowError, OSError, ValueError):
                reset = None
        return RateLimited(reset or now + RATE_LIMIT_FALLBACK)
    if isinstance(exc, mastodon.MastodonNotFoundError):
        return PostNotFound(message)
    if isinstance(exc, mastodon.MastodonServerError | mastodon.MastodonNetworkError):
        return NetworkUnavailable(message)
    if isinstance(exc, mastodon.MastodonAPIError):
        code = exc.args[1] if len(exc.args) > 1 else None
        # Without a status Mastodon.py could not parse a 2xx answer: a broken proxy.
        return PostRejected(message) if isinstance(code, int) else NetworkUnavailable(message)
    return SocialNetworkError(message)


# ------------------------------------------------------------------ client


@dataclass(frozen=True)
class MastodonAccount:
    """The account the credentials act as."""

    id: str
    username: str
    acct: str
    url: str | None
    host: str  # the instance's host, e.g. "mastodon.social"


def _is_id(value: str) -> bool:
    return isinstance(value, str) and value.isascii() and value.isdigit()


class MastodonClient:
    """``SocialNetwork`` for one Mastodon account.

    ``timeout_s``: per-request timeout. ``clock``: epoch seconds (rate-limit resets
    are reported on it). ``timeline()``/``mentions()`` read at most ``max_pages``
    pages of ``page_size`` (Mastodon serves at most 40 statuses a page).
    """

    def __init__(
        self,
        credentials: MastodonCredentials,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        clock: Callable[[], float] = time.time,
        page_size: int = 40,
        max_pages: int = 5,
    ) -> None:
        import mastodon
        import requests

        if not 1 <= page_size <= 40:
            raise ValueError("page_size must be between 1 and 40 (Mastodon's limit)")
        if max_pages < 1:
            raise ValueError("max_pages must be at least 1")
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self._credentials = credentials
        self._secrets = credentials.secret_values()
        self._clock = clock
        self.page_size = page_size
        self.max_pages = max_pages
        self._last = threading.local()
        session = requests.Session()
        session.hooks["response"].append(self._remember)
        self.api = mastodon.Mastodon(
            access_token=credentials.access_token,
            api_base_url=credentials.instance_url,
            ratelimit_method="throw",
            request_timeout=timeout_s,
            version_check_mode="none",
            session=session,
            user_agent="Firebreak",
        )
        self._account: MastodonAccount | None = None
        self._limits: tuple[int, int] | None = None

    def __repr__(self) -> str:
        return f"MastodonClient(account={self._account!r}, credentials={self._credentials!r})"

    # ------------------------------------------------------------------ plumbing

    def _remember(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self._last.status = response.status_code
        self._last.headers = response.headers

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), tz=UTC)

    def call(self, operation: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one Mastodon.py call, its failures mapped by ``map_mastodon_error``."""
        import mastodon

        self._last.status, self._last.headers = None, None
        try:
            return fn(*args, **kwargs)
        except mastodon.MastodonError as exc:
            reset = self.api.ratelimit_reset
            raise map_mastodon_error(
                exc,
                operation,
                now=self._now(),
                secrets=self._secrets,
                status=self._last.status,
                headers=self._last.headers,
                # Mastodon.py keeps its reset on the local clock; move it onto ours.
                ratelimit_reset=None if reset is None else reset - time.time() + self._clock(),
            ) from exc

    def account(self) -> MastodonAccount:
        """The account these credentials act as (asked once, then cached)."""
        if self._account is None:
            me = self.call("verify_credentials", self.api.account_verify_credentials)
            self._account = MastodonAccount(
                id=str(me["id"]),
                username=str(me["username"]),
                acct=str(me.get("acct") or me["username"]),
                url=me.get("url"),
                host=urlsplit(self._credentials.instance_url).netloc,
            )
        return self._account

    def text_limits(self) -> tuple[int, int]:
        """``(max_characters, characters_reserved_per_url)`` of the instance: from
        ``/api/v2/instance``, else ``/api/v1/instance``, else Mastodon's 500 and 23.
        Asked once, then cached."""
        if self._limits is None:
            self._limits = (
                self._instance_limits(self.api.instance_v2)
                or self._instance_limits(self.api.instance_v1)
                or (DEFAULT_MAX_CHARACTERS, URL_LENGTH)
            )
        return self._limits

    def _instance_limits(self, fetch: Callable[[], Any]) -> tuple[int, int] | None:
        try:
            instance = self.call("text_limits", fetch)
        except PostNotFound:
            return None  # this instance has no such endpoint
        statuses = ((instance or {}).get("configuration") or {}).get("statuses") or {}
        limit, per_url = statuses.get("max_characters"), statuses.get("characters_reserved_per_url")
        if not isinstance(limit, int) or limit <= 0:
            return None
        return limit, per_url if isinstance(per_url, int) and per_url >= 0 else URL_LENGTH

    def to_post(self, status: Mapping[str, Any]) -> RemotePost:
        from chalicelib.networks.mastodon_read import to_remote_post

        return to_remote_post(status)

    # ---------------------------------------------------------- SocialNetwork

    def own_id(self) -> str:
        return self.account().id

    def publish(
        self,
        text: str,
        *,
        reply_to: str | None = None,
        quote_of: str | None = None,
        idempotency_key: str | None = None,
    ) -> RemotePost:
        """Post ``text`` publicly, or as a reply no more visible than what it answers
        (Mastodon's own rule: a reply to a followers-only or direct mention must not
        publish what the customer said in private). ``idempotency_key``: Mastodon
        answers a repeat with the same key within an hour with the first status."""
        if quote_of is not None:
            raise PostRejected("Mastodon has no quote posts through this API")
        visibility = "public"
        if reply_to is not None:
            if not _is_id(reply_to):
                raise PostNotFound("Mastodon publish failed: no status to reply to with that id")
            parent = self.call("publish", self.api.status, reply_to)
            visibility = _narrower(visibility, str(parent.get("visibility") or "public"))
        status = self.call(
            "publish",
            self.api.status_post,
            text,
            in_reply_to_id=reply_to,
            visibility=visibility,
            idempotency_key=idempotency_key,
        )
        return self.to_post(status)

    def delete(self, post_id: str) -> None:
        """Delete one of the account's statuses; ``PostNotFound`` if it is already gone."""
        if not _is_id(post_id):
            raise PostNotFound("Mastodon delete failed: not a status id")
        self.call("delete", self.api.status_delete, post_id)

    def get_post(self, post_id: str) -> RemotePost:
        """Fetch one status; ``PostNotFound`` if it does not exist or was deleted."""
        if not _is_id(post_id):
            raise PostNotFound("Mastodon get_post failed: not a status id")
        return self.to_post(self.call("get_post", self.api.status, post_id))

    def timeline(self, *, since_id: str | None = None) -> list[RemotePost]:
        """The account's own statuses newer than ``since_id``, newest first, boosts left out."""
        from chalicelib.networks.mastodon_read import read_timeline

        return read_timeline(self, self.account().id, since_id)

    def mentions(self, *, since_id: str | None = None) -> list[RemotePost]:
        """Statuses mentioning the account, newest first, from its mention notifications
        newer than ``since_id`` (a notification id; each post's ``raw`` names its own)."""
        batch = self.mention_batch(since_id=since_id, max_posts=self.page_size * self.max_pages)
        return batch.posts

    def mention_batch(self, *, since_id: str | None, max_posts: int) -> MentionBatch:
        """Mentions newer than the checkpoint ``since_id``, newest first, at most ``max_posts``.

        The checkpoint (``since_id``, ``newest_id``, ``oldest_id``) is a notification id,
        opaque to the caller; the posts carry status ids. ``truncated`` when
        ``max_posts`` ran out before the checkpoint was reached."""
        from chalicelib.networks.mastodon_read import read_mentions

        return read_mentions(self, since_id, max_posts)

    def search_mentions(
        self,
        *,
        since_id: str | None,
        until_id: str,
        max_posts: int,
        start_time: datetime | None = None,
    ) -> MentionBatch:
        """Always empty: Mastodon has no search that dependably finds an account's
        mentions (full-text search is optional per instance, covers only statuses the
        searcher may see, and by default only their own, their favourites and
        mentions of them), and notifications hold every mention Mastodon keeps, so
        there is no window to fill a gap from."""
        return MentionBatch(posts=[], newest_id=None, oldest_id=None, truncated=False)


_VISIBILITY = ("direct", "private", "unlisted", "public")  # narrowest first


def _narrower(ours: str, theirs: str) -> str:
    """The narrower of two Mastodon visibilities (an unknown one counts as public)."""
    rank = {v: i for i, v in enumerate(_VISIBILITY)}
    return min(ours, theirs, key=lambda v: rank.get(v, len(_VISIBILITY)))
