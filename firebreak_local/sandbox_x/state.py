"""The sandbox X's in-memory records and the state every resource part shares.

``SandboxState`` owns the lock, the clock, the id sequence and every table (users,
tokens, posts, faults, rate-limit windows, request log, config); the resource
mixins (``users``, ``posts``, ``timelines``, ``faults``, ``control``) build on it.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from firebreak_local.sandbox_x.wire import SandboxError

# Twitter's snowflake epoch (2010-11-04T01:42:54.657Z), in milliseconds.
_TWEPOCH_MS = 1288834974657
_LOG_CAP = 1000
_METRICS = (
    "retweet_count",
    "reply_count",
    "like_count",
    "quote_count",
    "bookmark_count",
    "impression_count",
)


@dataclass
class User:
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
    tweet_count: int = 0  # posts made before the sandbox knew them (the sandbox's add to it)
    listed_count: int = 0


@dataclass(frozen=True)
class Caller:
    """Who made an API request: a user (OAuth 1.0a) or an app (Bearer)."""

    token: str
    user_id: str
    app_name: str
    user_context: bool


@dataclass
class Post:
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
class Fault:
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
class Window:
    reset: int
    used: int = 0


def iso(moment: datetime) -> str:
    """X's timestamp format: UTC, milliseconds, ``Z``."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_time(value: Any, what: str) -> datetime:
    if not isinstance(value, str):
        raise SandboxError(400, f"{what} must be an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise SandboxError(400, f"{what} is not ISO 8601: {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


class SandboxState:
    """The in-memory, thread-safe state of a sandbox X.

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
        self._users: dict[str, User] = {}
        self._usernames: dict[str, str] = {}  # lower-cased username -> user id
        self._user_tokens: dict[str, str] = {}  # access token -> user id
        self._app_tokens: dict[str, str] = {}  # bearer token -> user id it was registered with
        self._posts: dict[str, Post] = {}
        self._faults: list[Fault] = []
        self._windows: dict[tuple[str, str], Window] = {}
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

    def request_log(self) -> list[dict[str, Any]]:
        """The last API requests, oldest first."""
        with self._lock:
            return list(self._log)

    # ------------------------------------------------------------------ lookups

    def _find_username(self, username: str) -> User | None:
        user_id = self._usernames.get(username.lower())
        return self._users.get(user_id) if user_id is not None else None
