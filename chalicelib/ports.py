"""The ports the services need, named by what they do; adapters implement them.

``chalicelib.adapters.dynamo.DynamoStore`` and ``tests.fakes.MemoryStore`` both
implement ``Store`` and run the same contract tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from chalicelib.domain.accounts import Account
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.freeze import PublishingFreeze
from chalicelib.domain.links import DecisionLink
from chalicelib.domain.policy import Policy
from chalicelib.domain.posts import Post, PostStatus
from chalicelib.domain.social import SocialNetwork
from chalicelib.domain.users import User


class Store(Protocol):
    # users and keys
    def put_user(self, user: User, api_key_hash: str | None = None) -> None: ...
    def get_user(self, user_id: str) -> User | None: ...
    def user_for_key(self, api_key_hash: str) -> User | None: ...
    def users_of_brand(self, brand_id: str) -> list[User]: ...

    # accounts and agency rules
    def put_account(self, account: Account) -> None: ...
    def get_account(self, account_id: str) -> Account | None: ...
    def accounts_of_brand(self, brand_id: str) -> list[Account]: ...
    def set_rate_limited(self, account_id: str, until: datetime) -> None: ...
    def put_agency_policy(self, agency_id: str, policy: Policy) -> None: ...
    def get_agency_policy(self, agency_id: str) -> Policy | None: ...

    # posts, written together with their audit entries, guarded by ``revision``
    def create_post(self, post: Post, audit: Sequence[AuditEntry]) -> None: ...
    def save_post(self, post: Post, expected_revision: int, audit: Sequence[AuditEntry]) -> Post:
        """Store ``post`` with revision+1 if the stored revision is still ``expected_revision``;
        raise ``Conflict`` otherwise. Returns the stored post."""
        ...

    def get_post(self, post_id: str) -> Post | None: ...
    def posts_of_account(
        self,
        account_id: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        statuses: frozenset[PostStatus] | None = None,
    ) -> list[Post]: ...
    def due_posts(self, now: datetime) -> list[Post]: ...

    # decision links
    def put_link(self, link: DecisionLink) -> None: ...
    def get_link(self, token_hash: str) -> DecisionLink | None: ...
    def burn_link(self, token_hash: str, now: datetime, action: str) -> None:
        """Mark used; raise ``LinkUsed`` if someone used it first."""
        ...

    # freezes
    def put_freeze(self, freeze: PublishingFreeze, audit: Sequence[AuditEntry]) -> None: ...
    def get_freeze(self, scope: str) -> PublishingFreeze | None: ...
    def list_freezes(self) -> list[PublishingFreeze]: ...
    def update_freeze(
        self, freeze: PublishingFreeze, expected: PublishingFreeze, audit: Sequence[AuditEntry]
    ) -> None: ...
    def delete_freeze(
        self, scope: str, expected: PublishingFreeze, audit: Sequence[AuditEntry]
    ) -> None: ...

    # audit
    def append_audit(self, entries: Sequence[AuditEntry]) -> None: ...
    def audit_of_subject(self, subject_type: str, subject_id: str) -> list[AuditEntry]: ...
    def audit_of_account(self, account_id: str) -> list[AuditEntry]: ...

    # once-only side effects
    def claim_once(self, key: str, now: datetime) -> bool:
        """True the first time ``key`` is claimed, False ever after."""
        ...

    def release_once(self, key: str) -> None:
        """Undo a claim whose side effect failed, so a retry may do it."""
        ...

    # liveness of scheduled jobs
    def put_heartbeat(self, name: str, at: datetime) -> None: ...
    def get_heartbeat(self, name: str) -> datetime | None: ...


class MailFailed(Exception):
    """The mail service refused or failed to take a message."""


class Mailer(Protocol):
    def send(self, *, to: str, subject: str, text: str, html: str) -> str:
        """Send one message; return the provider's message id; raise ``MailFailed``."""
        ...


class SocialAccounts(Protocol):
    """Gives the network client for an account, with its credentials from the secret store."""

    def client_for(self, account: Account) -> SocialNetwork: ...


class Clock(Protocol):
    def now(self) -> datetime: ...
