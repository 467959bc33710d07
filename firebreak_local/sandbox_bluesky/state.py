"""The sandbox Bluesky's in-memory records and the state every part shares.

``BlueskyState`` owns the lock, the clock, the TID sequence and every table
(accounts, records, notifications, sessions, faults, rate-limit windows, request
log); the parts (``sessions``, ``repo``, ``appview``, ``control``, ``surge``) build on it.
Times are integer microseconds since the epoch inside, AT Protocol datetimes
(``2026-12-01T06:00:00.000Z``) on the wire.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib.networks.bluesky_text import new_tid, tid_to_id

_LOG_CAP = 2000
_CLOCK_ID = 17  # TIDs' 10-bit clock id; any fixed value keeps runs reproducible
_MS = 1000
POST = "app.bsky.feed.post"
REPOST = "app.bsky.feed.repost"


@dataclass
class Account:
    did: str
    handle: str
    app_password: str
    display_name: str
    created_at: int
    followers: int = 0
    follows: int = 0
    description: str = ""


@dataclass
class Record:
    uri: str
    did: str
    collection: str
    rkey: str
    cid: str
    value: dict[str, Any]
    indexed_at: int
    likes: int = 0
    reposts_extra: int = 0  # reposts counted without records (set_metrics)
    deleted_at: int | None = None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass
class Notice:
    """One notification: ``recipient`` was mentioned, replied to or quoted by ``uri``."""

    recipient: str
    uri: str
    reason: str
    reason_subject: str | None
    indexed_at: int


@dataclass
class Fault:
    remaining: int
    status: int | None
    nsid: str | None
    reset: int | None
    delay_s: float


@dataclass
class Window:
    reset: int
    used: int = 0


@dataclass
class SessionCounter:
    """createSession calls for one account: the 5-minute and daily windows, and all."""

    short: Window
    daily: Window
    total: int = 0


def iso(micros: int) -> str:
    """An AT Protocol datetime with milliseconds, as the AppView writes them."""
    moment = datetime.fromtimestamp(micros // 1_000_000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{(micros % 1_000_000) // 1000:03d}Z"


def micros_of(moment: datetime) -> int:
    delta = moment.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def parse_datetime(value: Any) -> int | None:
    """An AT Protocol datetime (or plain ISO date) as micros; None when it is not one."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return micros_of(parsed)


def b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").lower().rstrip("=")


def make_cid(value: Any) -> str:
    """A CIDv1 (dag-cbor, sha2-256) of ``value`` in base32: ``bafyrei...`` as on Bluesky
    (hashed over canonical JSON rather than DAG-CBOR: no one here re-hashes it)."""
    digest = hashlib.sha256(
        json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).digest()
    return "b" + b32(bytes([0x01, 0x71, 0x12, 0x20]) + digest)


class BlueskyState:
    """The in-memory, thread-safe state of a sandbox Bluesky.

    ``clock`` returns epoch seconds; tests pass a fixed one. TIDs and ``indexedAt``
    come from it, strictly increasing (a millisecond apart at least) so that a
    checkpoint on either never skips a record made at the same instant.
    """

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.RLock()
        # Set by RunningSandboxBluesky.stop() so that injected delays end promptly.
        self.stopping = threading.Event()
        self._jwt_secret = secrets.token_bytes(32)
        self._init_state()

    def _init_state(self) -> None:
        self._accounts: dict[str, Account] = {}
        self._handles: dict[str, str] = {}  # lower-cased handle -> DID
        self._records: dict[str, Record] = {}  # at:// URI -> record
        self._post_ids: dict[str, str] = {}  # Firebreak id (tid_to_id) -> post URI
        self._replies: dict[str, list[str]] = {}  # post URI -> URIs replying to it
        self._quotes: dict[str, list[str]] = {}  # post URI -> URIs quoting it
        self._reposts: dict[str, list[str]] = {}  # post URI -> repost record URIs
        self._notices: list[Notice] = []
        self._access: dict[str, str] = {}  # live access JWT -> DID
        self._expired: set[str] = set()  # access JWTs expire_tokens() ended
        self._refresh_ids: dict[str, str] = {}  # live refresh JWT id (jti) -> DID
        self._session_counts: dict[str, SessionCounter] = {}
        self._windows: dict[str, Window] = {}
        self._faults: list[Fault] = []
        self._log: deque[dict[str, Any]] = deque(maxlen=_LOG_CAP)
        self._last_micros = 0
        self.access_ttl_s = 2 * 3600
        self.refresh_ttl_s = 90 * 86_400
        self.enforce_rate_limits = True

    # ------------------------------------------------------------------ time, keys

    def _now_micros(self) -> int:
        return round(self._clock() * 1_000_000)

    def _stamp(self, at: int | None = None) -> tuple[str, int]:
        """A new record key (TID) and its ``indexedAt``, strictly after the last one."""
        with self._lock:
            wanted = self._now_micros() if at is None else at
            micros = max(wanted - wanted % _MS, self._last_micros + _MS)
            self._last_micros = micros
            return new_tid(micros, _CLOCK_ID), micros

    def _new_did(self, handle: str) -> str:
        seed = f"{handle.lower()}:{len(self._accounts)}".encode()
        return "did:plc:" + b32(hashlib.sha256(seed).digest())[:24]

    # ------------------------------------------------------------------ lookups

    def _account(self, actor: str | None) -> Account | None:
        """The account a DID or a handle (``@`` allowed, any case) names."""
        if not actor:
            return None
        if actor.startswith("did:"):
            return self._accounts.get(actor)
        did = self._handles.get(actor.lstrip("@").lower())
        return self._accounts.get(did) if did else None

    def _find(self, uri: str) -> Record | None:
        """The record at ``uri`` (its repo given as a DID or a handle), deleted ones too."""
        record = self._records.get(uri)
        if record is not None or not uri.startswith("at://"):
            return record
        parts = uri[len("at://") :].split("/")
        if len(parts) != 3:
            return None
        account = self._account(parts[0])
        if account is None:
            return None
        return self._records.get(f"at://{account.did}/{parts[1]}/{parts[2]}")

    def _post_by_ref(self, ref: str) -> Record | None:
        """A post by Firebreak id or at:// URI (deleted ones too)."""
        if ref.startswith("at://"):
            record = self._find(ref)
        else:
            uri = self._post_ids.get(ref)
            record = self._records.get(uri) if uri else None
        return record if record is not None and record.collection == POST else None

    def _live(self, uri: str) -> Record | None:
        record = self._find(uri)
        return record if record is not None and not record.deleted else None

    # ------------------------------------------------------------------ control basics

    def reset(self) -> None:
        """Forget every account, record, session, fault and logged request."""
        with self._lock:
            self._init_state()

    def configure(
        self,
        *,
        access_ttl_s: int | None = None,
        refresh_ttl_s: int | None = None,
        enforce_rate_limits: bool | None = None,
    ) -> dict[str, Any]:
        """Token lifetimes (seconds of the sandbox clock) and rate-limit enforcement."""
        with self._lock:
            if access_ttl_s is not None:
                self.access_ttl_s = int(access_ttl_s)
            if refresh_ttl_s is not None:
                self.refresh_ttl_s = int(refresh_ttl_s)
            if enforce_rate_limits is not None:
                self.enforce_rate_limits = bool(enforce_rate_limits)
            return {
                "access_ttl_s": self.access_ttl_s,
                "refresh_ttl_s": self.refresh_ttl_s,
                "enforce_rate_limits": self.enforce_rate_limits,
            }

    def requests_log(self, nsid: str | None = None) -> list[dict[str, Any]]:
        """The last XRPC requests, oldest first (``nsid``: only that method's)."""
        with self._lock:
            return [dict(e) for e in self._log if nsid is None or e["nsid"] == nsid]

    def _post_id(self, record: Record) -> str:
        return tid_to_id(record.rkey)
