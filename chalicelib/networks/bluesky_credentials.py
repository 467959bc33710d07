"""Bluesky credentials and where the account's session is kept between Lambdas.

``BlueskyCredentials`` come from a Secrets Manager secret (``handle``, ``app_password``,
optionally ``service_url``); a ``SessionStore`` holds atproto's session string so that
a cold Lambda resumes it instead of logging in again (``createSession`` is limited to
300 a day). Pure: no client library is imported.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Protocol
from urllib.parse import urlsplit

__all__ = [
    "DEFAULT_SERVICE_URL",
    "BlueskyCredentials",
    "BlueskyCredentialsError",
    "MemorySessionStore",
    "SessionStore",
]

DEFAULT_SERVICE_URL = "https://bsky.social"
_LOCAL_HOSTS = ("127.0.0.1", "localhost")


class BlueskyCredentialsError(ValueError):
    """The Bluesky credentials document is incomplete or malformed."""


def _check_service_url(url: str) -> str:
    parts = urlsplit(url)
    local = parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS
    if not (parts.scheme == "https" or local) or not parts.hostname:
        raise BlueskyCredentialsError(
            "Bluesky credentials field service_url must be an https:// address "
            "(http:// only for 127.0.0.1 or localhost)"
        )
    return url.rstrip("/")


@dataclass(frozen=True, repr=False)
class BlueskyCredentials:
    """A Bluesky account's handle (or DID) and app password, and where its PDS is.

    ``repr``/``str`` never show the values, so the object can be logged safely."""

    handle: str
    app_password: str
    service_url: str = DEFAULT_SERVICE_URL

    _ALIASES: ClassVar[Mapping[str, str]] = {"password": "app_password", "pds_url": "service_url"}

    def __post_init__(self) -> None:
        object.__setattr__(self, "handle", self.handle.strip().lstrip("@"))
        object.__setattr__(self, "service_url", _check_service_url(self.service_url))

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={'***' if getattr(self, f.name) else None}" for f in fields(self)
        )
        return f"BlueskyCredentials({shown})"

    __str__ = __repr__

    @classmethod
    def from_json(cls, document: Mapping[str, Any] | str | bytes) -> BlueskyCredentials:
        """Build from a JSON object (a Secrets Manager secret), given parsed or as text.

        Accepts ``password`` for ``app_password`` and ``pds_url`` for ``service_url``.
        Raises ``BlueskyCredentialsError`` naming every missing or wrong field (never
        showing a value)."""
        if isinstance(document, str | bytes):
            try:
                document = json.loads(document)
            except json.JSONDecodeError as exc:
                raise BlueskyCredentialsError(
                    f"Bluesky credentials are not valid JSON (line {exc.lineno}, "
                    f"column {exc.colno})"
                ) from None
        if not isinstance(document, Mapping):
            raise BlueskyCredentialsError("Bluesky credentials must be a JSON object")
        values: dict[str, Any] = {}
        for key, value in document.items():
            name = cls._ALIASES.get(key, key)
            if name in values and values[name] != value:
                raise BlueskyCredentialsError(
                    f"Bluesky credentials give {name} twice (as {key} too)"
                )
            values[name] = value
        missing = [name for name in ("handle", "app_password") if not values.get(name)]
        if missing:
            raise BlueskyCredentialsError(f"Bluesky credentials are missing: {', '.join(missing)}")
        wrong = [
            name
            for name in ("handle", "app_password", "service_url")
            if values.get(name) is not None and not isinstance(values[name], str)
        ]
        if wrong:
            raise BlueskyCredentialsError(
                f"Bluesky credentials fields must be strings: {', '.join(wrong)}"
            )
        return cls(
            handle=values["handle"],
            app_password=values["app_password"],
            service_url=values.get("service_url") or DEFAULT_SERVICE_URL,
        )

    def secret_values(self) -> tuple[str, ...]:
        """Every secret value, for scrubbing them out of messages."""
        return (self.app_password,) if self.app_password else ()


class SessionStore(Protocol):
    """Where the account's atproto session string is kept between Lambdas."""

    def load(self) -> str | None: ...

    def save(self, session: str) -> None: ...


class MemorySessionStore:
    """A ``SessionStore`` in memory (tests; one process sharing a session)."""

    def __init__(self, session: str | None = None) -> None:
        self.session = session
        self.saves = 0

    def load(self) -> str | None:
        return self.session

    def save(self, session: str) -> None:
        self.session = session
        self.saves += 1
