"""Sign-in links and browser sessions, as values: no I/O here.

A sign-in link is a 256-bit token mailed to a person, stored only as its SHA-256,
single use and short-lived. A session is a 256-bit id in an ``HttpOnly`` cookie, stored
only as its SHA-256, with an idle and an absolute timeout that every read checks (the
table's TTL only tidies up; it is never what ends a session). Each session carries its
own CSRF token for the forms of its pages.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from chalicelib.core.errors import ValidationFailed

# Sign-in links, session ids and CSRF tokens are made, hashed and shape-checked as the
# mailed decision links are: 256 bits, SHA-256, the same cheap shape check.
from chalicelib.links.domain import hash_token, new_token

SIGNIN_TTL = timedelta(minutes=15)
LINKS_PER_ADDRESS_PER_HOUR = 5
LINKS_PER_CLIENT_PER_HOUR = 30
MAX_EMAIL_LENGTH = 254


def same_secret(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def normalise_email(raw: str) -> str:
    """The address as users are looked up by; a ``ValidationFailed`` naming ``email``
    for what cannot be one."""
    email = raw.strip().lower()
    local, _, domain = email.partition("@")
    if (
        not local
        or "." not in domain
        or len(email) > MAX_EMAIL_LENGTH
        or any(c.isspace() for c in email)
        or "@" in domain
    ):
        raise ValidationFailed("is not an e-mail address", field="email")
    return email


def hour_window(now: datetime) -> str:
    """The rate limits' fixed window: the hour ``now`` falls in (UTC)."""
    return now.strftime("%Y%m%d%H")


@dataclass(frozen=True)
class SignInLink:
    token_hash: str
    user_id: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    @staticmethod
    def issue(user_id: str, now: datetime) -> tuple[str, SignInLink]:
        token = new_token()
        return token, SignInLink(hash_token(token), user_id, now, now + SIGNIN_TTL)

    def problem(self, now: datetime) -> str | None:
        """Why this link cannot sign anyone in now, or None."""
        if self.used_at is not None:
            return "used"
        if now >= self.expires_at:
            return "expired"
        return None


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta = timedelta(hours=1)
    absolute: timedelta = timedelta(hours=12)
    # Writing last_seen on every request would double each page's DynamoDB work: the
    # session is touched only when its last touch is older than this.
    touch_every: timedelta = timedelta(minutes=1)


@dataclass(frozen=True)
class WebSession:
    id_hash: str
    user_id: str
    csrf: str
    created_at: datetime
    last_seen_at: datetime

    @staticmethod
    def start(user_id: str, now: datetime) -> tuple[str, WebSession]:
        """A new session: the raw id (for the cookie only) and what is stored."""
        raw = new_token()
        return raw, WebSession(hash_token(raw), user_id, new_token(), now, now)

    def ended(self, now: datetime, policy: SessionPolicy) -> str | None:
        """``idle`` or ``absolute`` when the session has timed out, else None."""
        if now - self.created_at >= policy.absolute:
            return "absolute"
        if now - self.last_seen_at >= policy.idle:
            return "idle"
        return None

    def expires_at(self, policy: SessionPolicy) -> datetime:
        return self.created_at + policy.absolute

    def needs_touch(self, now: datetime, policy: SessionPolicy) -> bool:
        return now - self.last_seen_at >= policy.touch_every

    def touched(self, now: datetime) -> WebSession:
        return replace(self, last_seen_at=now)
