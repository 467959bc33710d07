"""Safe e-mailed decision links (P5): opaque token, stored only as a hash, bound to one
approver, one subject version and a set of actions, single use and expiring."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.core.errors import (
    LinkExpired,
    LinkMisused,
    LinkNotYours,
    LinkStale,
    LinkUsed,
    ValidationFailed,
    VersionChanged,
)

TOKEN_BYTES = 32  # 256 bits of randomness


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(token: str) -> bool:
    """Cheap shape check so junk never reaches the database."""
    return 40 <= len(token) <= 64 and all(c.isalnum() or c in "-_" for c in token)


@dataclass(frozen=True)
class DecisionLink:
    token_hash: str
    approver_id: str
    subject_type: str  # "post" (incidents and apologies later)
    subject_id: str
    subject_version: int
    account_id: str
    actions: tuple[str, ...]
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    used_action: str | None = None

    @staticmethod
    def issue(
        *,
        approver_id: str,
        subject_type: str,
        subject_id: str,
        subject_version: int,
        account_id: str,
        actions: tuple[str, ...],
        now: datetime,
        ttl: timedelta,
    ) -> tuple[str, DecisionLink]:
        """A fresh token (to mail, never to store) and the link record (to store)."""
        token = new_token()
        link = DecisionLink(
            token_hash=hash_token(token),
            approver_id=approver_id,
            subject_type=subject_type,
            subject_id=subject_id,
            subject_version=subject_version,
            account_id=account_id,
            actions=actions,
            created_at=now,
            expires_at=now + ttl,
        )
        return token, link

    def check_usable(self, *, now: datetime, current_version: int) -> None:
        """Raise the named reason this link can no longer decide anything."""
        if self.used_at is not None:
            raise LinkUsed("this link has already been used")
        if now >= self.expires_at:
            raise LinkExpired("this link has expired")
        if current_version != self.subject_version:
            raise LinkStale("the post changed after this link was sent")

    def check_action(self, action: str, *, subject_id: str, actor_id: str | None) -> None:
        if not hmac.compare_digest(subject_id, self.subject_id):
            raise LinkMisused("this link is not for that post")
        if actor_id is not None and actor_id != self.approver_id:
            raise LinkNotYours("this link belongs to someone else")
        if action not in self.actions:
            raise LinkMisused(f"this link cannot {action}")


REASON_MAX = 2000


def require_reason(action: str, reason: str) -> None:
    """A rejection needs a reason. Checked before a link is burned, so a form sent
    without one changes nothing and the link still works."""
    if action != "reject":
        return
    if not reason.strip():
        raise ValidationFailed("a rejection needs a reason", field="reason")
    if len(reason) > REASON_MAX:
        raise ValidationFailed(f"must be at most {REASON_MAX} characters", field="reason")


def require_seen_version(what: str, seen: int | None, version: int, text: str) -> None:
    """A decision lands on the version its person saw (a link's, or the API's
    ``?version=``), or not at all: ``VersionChanged`` says what ``what`` reads now."""
    if seen is None or version == seen:
        return
    now_reads = text if len(text) <= 120 else text[:119] + "…"
    raise VersionChanged(
        f"the {what} was edited after you saw it (version {seen} is now {version}, "
        f"which reads: {now_reads!r})",
        field="version",
    )
