"""The sandbox Mastodon's in-memory records and the state every part shares.

``SandboxState`` owns the lock, the clock, the id sequences and every table
(accounts, tokens, statuses, notifications, idempotency keys, faults, rate-limit
windows, request log, config); the parts (``statuses``, ``control``, ``surge``,
``server``) build on it.
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
from urllib.parse import urlsplit

_LOG_CAP = 1000
DEFAULT_BASE_URL = "http://127.0.0.1:8766"


class SandboxError(Exception):
    """A control call was invalid; ``status`` is the HTTP status the control API answers."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class ApiError(Exception):
    """Raised inside API handlers to answer as Mastodon does: ``{"error": message}``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def iso(moment: datetime) -> str:
    """Mastodon's time format: UTC with milliseconds, ``2026-12-01T06:00:00.000Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


@dataclass
class Account:
    id: str
    username: str
    domain: str | None  # None: an account of this instance
    display_name: str
    created_at: datetime
    followers_count: int = 0
    following_count: int = 0
    statuses_count: int = 0  # before the sandbox knew it, plus its live statuses here
    last_status_at: datetime | None = None
    note: str = ""

    @property
    def acct(self) -> str:
        return self.username if self.domain is None else f"{self.username}@{self.domain}"


@dataclass(frozen=True)
class Token:
    token: str
    account_id: str
    app_name: str


@dataclass
class Status:
    id: str
    account_id: str
    text: str  # the source as stored (stripped, as Mastodon does)
    sent_text: str  # the text exactly as sent
    content: str  # rendered HTML
    created_at: datetime
    application: str | None
    origin: str  # "api" or "injected"
    visibility: str = "public"
    language: str | None = "en"
    in_reply_to_id: str | None = None
    in_reply_to_account_id: str | None = None
    reblog_of: str | None = None
    mentions: list[str] = field(default_factory=list)  # account ids
    tags: list[str] = field(default_factory=list)
    favourites_count: int = 0
    reblogs_count: int = 0
    replies_count: int = 0
    deleted_at: datetime | None = None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass
class Notification:
    id: str
    type: str
    account_id: str  # who is notified
    from_account_id: str
    status_id: str | None
    created_at: datetime


@dataclass
class Window:
    reset: int  # epoch seconds
    used: int = 0


@dataclass
class Fault:
    id: int
    method: str
    path: str
    remaining: int
    status: int | None
    delay_s: float

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "method": self.method,
            "path": self.path,
            "remaining": self.remaining,
            "status": self.status,
            "delay_s": self.delay_s,
        }


class SandboxState:
    """Shared state of the sandbox Mastodon; every table is guarded by ``_lock``."""

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._lock = threading.RLock()
        self._clock = clock
        self.stopping = threading.Event()
        self.base_url = DEFAULT_BASE_URL
        self._init_state()

    def _init_state(self) -> None:
        self._accounts: dict[str, Account] = {}
        self._accts: dict[str, str] = {}  # lower-cased acct -> account id
        self._tokens: dict[str, Token] = {}
        self._statuses: dict[str, Status] = {}
        self._notifications: dict[str, Notification] = {}
        self._idempotency: dict[tuple[str, str], tuple[str, float]] = {}
        self._faults: list[Fault] = []
        self._windows: dict[str, Window] = {}
        self._log: deque[dict[str, Any]] = deque(maxlen=_LOG_CAP)
        self._account_ids = itertools.count(109_000_000_000_000_001)
        self._notification_ids = itertools.count(1001)
        self._fault_ids = itertools.count(1)
        self._last_status_id = 0
        self.max_characters = 500
        self.rate_limit = 300
        self.serve_instance_v2 = True

    @property
    def domain(self) -> str:
        """This instance's domain (the host of ``base_url``)."""
        return urlsplit(self.base_url).hostname or "127.0.0.1"

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), tz=UTC)

    def _next_status_id(self, created_at: datetime) -> str:
        """A Mastodon snowflake: milliseconds since the Unix epoch shifted left 16 bits,
        plus a sequence; strictly increasing even when the clock stands still."""
        candidate = int(created_at.timestamp() * 1000) << 16
        self._last_status_id = max(candidate, self._last_status_id + 1)
        return str(self._last_status_id)

    def reset(self) -> None:
        """Forget all accounts, statuses, notifications, faults, windows and config."""
        with self._lock:
            self._init_state()

    def configure(
        self,
        *,
        max_characters: int | None = None,
        rate_limit: int | None = None,
        instance_v2: bool | None = None,
    ) -> dict[str, Any]:
        """Change the instance's status length limit, the requests a token may make per
        five minutes, and whether ``/api/v2/instance`` exists (older servers)."""
        with self._lock:
            if max_characters is not None:
                if not isinstance(max_characters, int) or max_characters < 1:
                    raise SandboxError(400, "max_characters must be a positive integer")
                self.max_characters = max_characters
            if rate_limit is not None:
                if not isinstance(rate_limit, int) or rate_limit < 1:
                    raise SandboxError(400, "rate_limit must be a positive integer")
                self.rate_limit = rate_limit
            if instance_v2 is not None:
                self.serve_instance_v2 = bool(instance_v2)
            return {
                "max_characters": self.max_characters,
                "rate_limit": self.rate_limit,
                "instance_v2": self.serve_instance_v2,
            }

    def set_max_characters(self, n: int) -> None:
        """The instance's status length limit (Mastodon's default is 500)."""
        self.configure(max_characters=n)

    def requests_log(self) -> list[dict[str, Any]]:
        """The last API requests, oldest first: method, path, query, status, account_id,
        idempotency_key, at."""
        with self._lock:
            return list(self._log)

    # ------------------------------------------------------------------ lookups

    def _account(self, account_id: str) -> Account:
        account = self._accounts.get(str(account_id))
        if account is None:
            raise SandboxError(404, f"no account {account_id}")
        return account

    def _find_acct(self, username: str, domain: str | None) -> Account | None:
        if domain is not None and domain.lower() == self.domain.lower():
            domain = None
        acct = username if domain is None else f"{username}@{domain}"
        account_id = self._accts.get(acct.lower())
        return self._accounts.get(account_id) if account_id else None

    def _live_status(self, status_id: str) -> Status | None:
        status = self._statuses.get(status_id)
        return None if status is None or status.deleted else status
