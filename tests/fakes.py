"""In-memory twins of the ports, for unit tests of the services. The same contract
tests run against ``MemoryStore`` and the real ``DynamoStore`` so they cannot drift."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from chalicelib.accounts.domain import Account
from chalicelib.accounts.policy import Policy
from chalicelib.core.audit import AuditEntry
from chalicelib.core.errors import Conflict, LinkUsed
from chalicelib.core.users import User
from chalicelib.freezes.domain import GLOBAL_SCOPE, PublishingFreeze
from chalicelib.links.domain import DecisionLink
from chalicelib.networks.social import PostNotFound, RemotePost, SocialNetwork
from chalicelib.ports import MailFailed
from chalicelib.posts.domain import Post, PostStatus
from chalicelib.posts.mail_retry import PendingMail
from chalicelib.web.domain import SignInLink, WebSession

if TYPE_CHECKING:
    from chalicelib.networks.rules import TextRules
    from chalicelib.services import Firebreak

_DUE = {PostStatus.DRAFT, PostStatus.SUBMITTED, PostStatus.APPROVED, PostStatus.PUBLISHING}


def _condition_failed(operation: str) -> ClientError:
    """What DynamoDB raises when a conditional write finds the item otherwise."""
    error = {"Code": "ConditionalCheckFailedException", "Message": "The conditional request failed"}
    return ClientError({"Error": error}, operation)


class MemoryStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.users: dict[str, User] = {}
        self.keys: dict[str, str] = {}
        self.accounts: dict[str, Account] = {}
        self.agency_policies: dict[str, Policy] = {}
        self.posts: dict[str, Post] = {}
        self.links: dict[str, DecisionLink] = {}
        self.freezes: dict[tuple[str, str], PublishingFreeze] = {}  # by _freeze_key
        self.audit: list[AuditEntry] = []
        self.once: set[str] = set()
        self.heartbeats: dict[str, datetime] = {}
        self.netposts: dict[tuple[str, str], str] = {}
        self.pending_mails: dict[str, PendingMail] = {}

    def put_user(self, user: User, api_key_hash: str | None = None) -> None:
        self.users[user.id] = user
        if api_key_hash:
            self.keys[api_key_hash] = user.id

    def get_user(self, user_id: str) -> User | None:
        return self.users.get(user_id)

    def user_for_key(self, api_key_hash: str) -> User | None:
        uid = self.keys.get(api_key_hash)
        return self.users.get(uid) if uid else None

    def user_for_email(self, email: str) -> User | None:
        return next((u for u in self.users.values() if u.email.strip().lower() == email), None)

    def users_of_brand(self, brand_id: str) -> list[User]:
        return sorted(
            (u for u in self.users.values() if u.brand_id == brand_id), key=lambda u: u.id
        )

    def put_account(self, account: Account) -> None:
        self.accounts[account.id] = account

    def get_account(self, account_id: str) -> Account | None:
        return self.accounts.get(account_id)

    def accounts_of_brand(self, brand_id: str) -> list[Account]:
        return sorted(
            (a for a in self.accounts.values() if a.brand_id == brand_id), key=lambda a: a.id
        )

    def update_account_settings(self, account: Account) -> None:
        if account.id not in self.accounts:
            raise _condition_failed("UpdateItem")
        current = self.accounts[account.id]
        self.accounts[account.id] = replace(
            current,
            policy=account.policy,
            approval_rules=account.approval_rules,
            feed_secret_hash=account.feed_secret_hash,
        )

    def all_accounts(self) -> list[Account]:
        return sorted(self.accounts.values(), key=lambda a: a.id)

    def mark_published(self, account_id: str, network_post_id: str, what: str) -> None:
        self.netposts[(account_id, network_post_id)] = what

    def published_by_firebreak(self, account_id: str, network_post_id: str) -> bool:
        return (account_id, network_post_id) in self.netposts

    def published_as(self, account_id: str, network_post_id: str) -> str | None:
        return self.netposts.get((account_id, network_post_id))

    def set_rate_limited(self, account_id: str, until: datetime) -> None:
        if account_id not in self.accounts:
            raise _condition_failed("UpdateItem")
        self.accounts[account_id] = replace(self.accounts[account_id], rate_limited_until=until)

    def put_agency_policy(self, brand_id: str, agency_id: str, policy: Policy) -> None:
        self.agency_policies[f"{brand_id}#{agency_id}"] = policy

    def get_agency_policy(self, brand_id: str, agency_id: str) -> Policy | None:
        return self.agency_policies.get(f"{brand_id}#{agency_id}")

    def create_post(self, post: Post, audit: Sequence[AuditEntry]) -> None:
        with self._lock:
            if post.id in self.posts:
                raise Conflict(f"post {post.id} exists")
            self._refuse_reused_audit(audit)
            self.posts[post.id] = post
            self.audit += audit

    def save_post(self, post: Post, expected_revision: int, audit: Sequence[AuditEntry]) -> Post:
        with self._lock:
            current = self.posts.get(post.id)
            if current is None or current.revision != expected_revision:
                raise Conflict(f"post {post.id} was changed by someone else")
            self._refuse_reused_audit(audit)
            stored = replace(post, revision=expected_revision + 1)
            self.posts[post.id] = stored
            self.audit += audit
            return stored

    def get_post(self, post_id: str) -> Post | None:
        return self.posts.get(post_id)

    def posts_of_account(
        self,
        account_id: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        statuses: frozenset[PostStatus] | None = None,
    ) -> list[Post]:
        found = []
        for post in self.posts.values():
            if post.account_id != account_id:
                continue
            if start or end:
                if post.scheduled_at is None:
                    continue
                if (start and post.scheduled_at < start) or (end and post.scheduled_at > end):
                    continue
            if statuses and post.status not in statuses:
                continue
            found.append(post)
        far = datetime.max.replace(tzinfo=UTC)
        return sorted(found, key=lambda p: (p.scheduled_at or far, p.id))

    def due_posts(self, now: datetime) -> list[Post]:
        due = [
            p
            for p in self.posts.values()
            if p.status in _DUE
            and (p.next_attempt_at or p.scheduled_at) is not None
            and (p.next_attempt_at or p.scheduled_at) <= now  # type: ignore[operator]
        ]
        return sorted(due, key=lambda p: (p.next_attempt_at or p.scheduled_at, p.id))  # type: ignore[arg-type, return-value]

    def put_link(self, link: DecisionLink) -> None:
        if link.token_hash in self.links:
            raise _condition_failed("PutItem")
        self.links[link.token_hash] = link

    def get_link(self, token_hash: str) -> DecisionLink | None:
        return self.links.get(token_hash)

    def burn_link(self, token_hash: str, now: datetime, action: str) -> None:
        with self._lock:
            link = self.links.get(token_hash)
            if link is None or link.used_at is not None:
                raise LinkUsed("this link has already been used")
            self.links[token_hash] = replace(link, used_at=now, used_action=action)

    @staticmethod
    def _freeze_key(brand_id: str, scope: str) -> tuple[str, str]:
        # As DynamoStore: an account's freeze by its account, an "all" freeze by its brand.
        return (brand_id, scope) if scope == GLOBAL_SCOPE else ("", scope)

    def put_freeze(self, freeze: PublishingFreeze, audit: Sequence[AuditEntry]) -> None:
        key = self._freeze_key(freeze.brand_id, freeze.scope)
        with self._lock:
            if key in self.freezes:
                raise Conflict(f"{freeze.scope} is already frozen")
            self.freezes[key] = freeze
            self.audit += audit

    def get_freeze(self, brand_id: str, scope: str) -> PublishingFreeze | None:
        return self.freezes.get(self._freeze_key(brand_id, scope))

    def list_freezes(self) -> list[PublishingFreeze]:
        return sorted(self.freezes.values(), key=lambda f: (f.scope, f.brand_id))

    def update_freeze(
        self, freeze: PublishingFreeze, expected: PublishingFreeze, audit: Sequence[AuditEntry]
    ) -> None:
        key = self._freeze_key(expected.brand_id, expected.scope)
        with self._lock:
            current = self.freezes.get(key)
            if current is None or current.lift_requested_by != expected.lift_requested_by:
                raise Conflict("the freeze changed meanwhile")
            self.freezes[key] = freeze
            self.audit += audit

    def delete_freeze(self, expected: PublishingFreeze, audit: Sequence[AuditEntry]) -> None:
        key = self._freeze_key(expected.brand_id, expected.scope)
        with self._lock:
            current = self.freezes.get(key)
            if current is None or current.lift_requested_by != expected.lift_requested_by:
                raise Conflict("the freeze changed meanwhile")
            del self.freezes[key]
            self.audit += audit

    def _refuse_reused_audit(self, entries: Sequence[AuditEntry]) -> None:
        """Audit entries are append-only, keyed by subject and id, as in the table."""
        stored = {(e.subject_type, e.subject_id, e.id) for e in self.audit}
        if any((e.subject_type, e.subject_id, e.id) in stored for e in entries):
            raise Conflict("audit entry id collision")

    def append_audit(self, entries: Sequence[AuditEntry]) -> None:
        with self._lock:
            self._refuse_reused_audit(entries)
            self.audit += entries

    def audit_of_subject(self, subject_type: str, subject_id: str) -> list[AuditEntry]:
        return sorted(
            (e for e in self.audit if (e.subject_type, e.subject_id) == (subject_type, subject_id)),
            key=lambda e: e.id,
        )

    def audit_of_account(self, account_id: str) -> list[AuditEntry]:
        return sorted((e for e in self.audit if e.account_id == account_id), key=lambda e: e.id)

    def latest_audit_of_account(
        self, account_id: str, limit: int, before: str | None = None
    ) -> list[AuditEntry]:
        newest = sorted(self.audit_of_account(account_id), key=lambda e: e.id, reverse=True)
        return [e for e in newest if before is None or e.id < before][:limit]

    def claim_once(self, key: str, now: datetime) -> bool:
        with self._lock:
            if key in self.once:
                return False
            self.once.add(key)
            return True

    def release_once(self, key: str) -> None:
        self.once.discard(key)

    def put_pending_mail(self, mail: PendingMail) -> None:
        self.pending_mails[mail.key] = mail

    def due_pending_mails(self, now: datetime) -> list[PendingMail]:
        due = [m for m in self.pending_mails.values() if m.next_attempt_at <= now]
        return sorted(due, key=lambda m: (m.next_attempt_at, m.key))

    def take_pending_mail(self, mail: PendingMail) -> bool:
        with self._lock:
            current = self.pending_mails.get(mail.key)
            if current is None or current.attempts != mail.attempts:
                return False
            del self.pending_mails[mail.key]
            return True

    def put_heartbeat(self, name: str, at: datetime) -> None:
        self.heartbeats[name] = at

    def get_heartbeat(self, name: str) -> datetime | None:
        return self.heartbeats.get(name)


@dataclass
class SentMail:
    to: str
    subject: str
    text: str
    html: str


@dataclass
class MemoryMailer:
    sent: list[SentMail] = field(default_factory=list)
    fail_next: int = 0

    def send(self, *, to: str, subject: str, text: str, html: str) -> str:
        if self.fail_next:
            self.fail_next -= 1
            raise MailFailed("Throttling")
        self.sent.append(SentMail(to, subject, text, html))
        return f"msg-{len(self.sent)}"


@dataclass
class ScriptedNetwork:
    """Publishes into a list, or raises the errors queued in ``failures``, in order."""

    published: list[RemotePost] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)
    # Publish, then raise this anyway: X took the post but the answer was lost.
    lose_answer: Exception | None = None

    def publish(
        self, text: str, *, reply_to: str | None = None, quote_of: str | None = None
    ) -> RemotePost:
        if self.failures:
            raise self.failures.pop(0)
        post = RemotePost(str(1000 + len(self.published)), text, "me")
        self.published.append(post)
        if self.lose_answer is not None:
            lost, self.lose_answer = self.lose_answer, None
            raise lost
        return post

    def delete(self, post_id: str) -> None:
        self.published = [p for p in self.published if p.id != post_id]

    def own_id(self) -> str:
        return "me"

    def get_post(self, post_id: str) -> RemotePost:
        for post in self.published:
            if post.id == post_id:
                return post
        raise PostNotFound(post_id)

    def timeline(self, *, since_id: str | None = None) -> list[RemotePost]:
        return list(self.published)

    def mentions(self, *, since_id: str | None = None) -> list[RemotePost]:
        return []


@dataclass
class OneNetwork:
    network: SocialNetwork

    def client_for(self, account: Account) -> SocialNetwork:
        return self.network

    def text_rules(self, account: Account) -> TextRules:
        from chalicelib.networks.rules import rules_for

        return rules_for(account.network)


@dataclass
class FrozenClock:
    at: datetime = datetime(2026, 11, 25, 9, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


def service_on(
    store: MemoryStore,
    *,
    mailer: MemoryMailer | None = None,
    network: ScriptedNetwork | None = None,
    clock: FrozenClock | None = None,
) -> Firebreak:
    """The use cases over in-memory ports (links point at http://fb.test)."""
    from chalicelib.services import Config, Firebreak

    return Firebreak(
        store=store,
        mailer=mailer or MemoryMailer(),
        social=OneNetwork(network or ScriptedNetwork()),
        scanner=None,
        clock=clock or FrozenClock(),
        config=Config("http://fb.test"),
    )


class MemoryWeb:
    """In-memory twin of ``chalicelib.aws.dynamo_web.DynamoWeb`` (the ``WebStore`` port);
    tests/functional/aws/test_web_store_contract.py runs the same cases on both."""

    def __init__(self) -> None:
        self.links: dict[str, SignInLink] = {}
        self.sessions: dict[str, WebSession] = {}
        self.counts: dict[tuple[str, str], int] = {}

    def put_signin_link(self, link: SignInLink) -> None:
        assert link.token_hash not in self.links
        self.links[link.token_hash] = link

    def get_signin_link(self, token_hash: str) -> SignInLink | None:
        return self.links.get(token_hash)

    def burn_signin_link(self, token_hash: str, now: datetime) -> bool:
        link = self.links.get(token_hash)
        if link is None or link.used_at is not None:
            return False
        self.links[token_hash] = replace(link, used_at=now)
        return True

    def count_request(self, key: str, window: str, limit: int) -> bool:
        n = self.counts.get((key, window), 0)
        if n >= limit:
            return False
        self.counts[(key, window)] = n + 1
        return True

    def put_session(self, session: WebSession, expires_at: datetime) -> None:
        assert session.id_hash not in self.sessions
        self.sessions[session.id_hash] = session

    def get_session(self, id_hash: str) -> WebSession | None:
        return self.sessions.get(id_hash)

    def touch_session(self, id_hash: str, at: datetime) -> None:
        if id_hash in self.sessions:
            self.sessions[id_hash] = self.sessions[id_hash].touched(at)

    def delete_session(self, id_hash: str) -> None:
        self.sessions.pop(id_hash, None)

    def sessions_of_user(self, user_id: str) -> list[str]:
        return sorted(h for h, s in self.sessions.items() if s.user_id == user_id)
