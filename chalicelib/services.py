"""Use cases of the approval pipeline (P1-P10): each takes the acting user, applies the
domain rules and stores the outcome through the ports together with its audit entries.

Nothing here knows about HTTP, boto3 or tweepy.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from chalicelib.accounts.domain import Account
from chalicelib.accounts.policy import CheckResult, Policy, run_checks
from chalicelib.core.audit import AuditEntry, Channel
from chalicelib.core.errors import (
    Conflict,
    Forbidden,
    FreezeLiftPending,
    LinkInvalid,
    LinkStale,
    LinkUnknown,
    NotFound,
    PolicyViolation,
    Unauthenticated,
    ValidationFailed,
    VersionChanged,
)
from chalicelib.core.normalise import text_problem
from chalicelib.core.ports import Clock, Mailer, MailFailed, SocialAccounts, Store
from chalicelib.core.times import check_schedule
from chalicelib.core.users import APPROVING_ROLES, SENIOR_ROLES, Permission, Role, User
from chalicelib.freezes.domain import GLOBAL_SCOPE, PublishingFreeze
from chalicelib.links.domain import (
    DecisionLink,
    hash_token,
    looks_like_token,
    require_reason,
    require_seen_version,
)
from chalicelib.networks.social import (
    NetworkUnavailable,
    PostRejected,
    RateLimited,
    SocialNetworkError,
    is_our_post,
)
from chalicelib.posts.approvals import ApprovalRules, approve, check_decision, reject
from chalicelib.posts.domain import Post, PostAction, PostStatus
from chalicelib.posts.mail_retry import PendingMail, first_failure
from chalicelib.posts.text import X_MAX_WEIGHTED_LENGTH, extract_urls, x_weighted_length
from chalicelib.triage.risk import RiskScanner

if TYPE_CHECKING:
    from chalicelib.posts.mails import Mail

logger = logging.getLogger(__name__)

MAX_PUBLISH_ATTEMPTS = 3
PUBLISH_LEASE = timedelta(minutes=5)  # a claim older than this is a crashed run
SUPPORTED_NETWORKS = ("x",)


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def sortable_id(now: datetime) -> str:
    """An id for append-only entries: sorts by time, unique within the same microsecond."""
    return f"{now.strftime('%Y%m%dT%H%M%S.%f')}-{secrets.token_hex(4)}"


T = TypeVar("T")


def retry_on_conflict(decide: Callable[[], T], attempts: int = 3) -> T:
    """Run ``decide`` again when it lost a race (``Conflict``): for a decision whose
    mailed link is already spent, so it must land on the fresh item, not vanish."""
    for attempt in range(attempts):
        try:
            return decide()
        except Conflict:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Actor:
    """Who acts and through which door: a user over the API or a link, or the scheduler."""

    id: str
    channel: Channel
    user: User | None = None

    @staticmethod
    def of(user: User, channel: Channel = Channel.API) -> Actor:
        return Actor(user.id, channel, user)


# Agency rule changes belong to no account: logged under this scope (GET /audit).
AGENCY_AUDIT_SCOPE = "*"

SCHEDULER = Actor("scheduler", Channel.SCHEDULER)


@dataclass(frozen=True)
class Config:
    public_base_url: str  # where links in mails point, e.g. https://api.example.com
    link_ttl: timedelta = timedelta(hours=72)


@dataclass(frozen=True)
class LinkView:
    """What a confirmation page shows for a valid link."""

    link: DecisionLink
    post: Post
    account: Account
    approver: User


@dataclass
class PublishReport:
    published: list[str]
    expired: list[str]
    held: list[str]
    retrying: list[str]
    failed: list[str]
    skipped: list[str]
    # Posts this run could not handle (a store error, a bug): recorded on each post's
    # audit trail; the run went on with the others.
    errors: list[str] = field(default_factory=list)
    mails_retried: list[str] = field(default_factory=list)  # keys of mails sent again

    def to_dict(self) -> dict[str, list[str]]:
        return dict(self.__dict__)


def _is_http_url(link: str) -> bool:
    from urllib.parse import urlsplit

    if not link.startswith(("https://", "http://")) or len(link) > 2048:
        return False
    if any(c.isspace() or not c.isprintable() for c in link):
        return False
    try:
        return bool(urlsplit(link).hostname)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return False


class Firebreak:
    def __init__(
        self,
        *,
        store: Store,
        mailer: Mailer,
        social: SocialAccounts,
        scanner: RiskScanner | None,
        clock: Clock,
        config: Config,
    ) -> None:
        self.store = store
        self.mailer = mailer
        self.social = social
        self.scanner = scanner
        self.clock = clock
        self.config = config

    # ------------------------------------------------------------------ helpers
    def _audit(
        self,
        actor: Actor,
        action: str,
        *,
        subject_type: str,
        subject_id: str,
        account_id: str,
        **details: Any,
    ) -> AuditEntry:
        now = self.clock.now()
        return AuditEntry(
            id=sortable_id(now),
            at=now,
            actor=actor.id,
            channel=actor.channel,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            account_id=account_id,
            details={k: v for k, v in details.items() if v is not None},
        )

    def _post_audit(self, actor: Actor, action: str, post: Post, **details: Any) -> AuditEntry:
        return self._audit(
            actor,
            action,
            subject_type="post",
            subject_id=post.id,
            account_id=post.account_id,
            status=post.status.value,
            version=post.version,
            **details,
        )

    def authenticate(self, api_key: str | None) -> User:
        if not api_key:
            raise Unauthenticated("send your API key in the X-Api-Key header")
        user = self.store.user_for_key(hash_token(api_key))
        if user is None:
            raise Unauthenticated("unknown API key")
        return user

    def account_for(self, user: User, account_id: str) -> Account:
        account = self.store.get_account(account_id)
        if account is None or not user.sees_account(account.id, account.brand_id):
            # Same answer for "missing" and "not yours": no probing of other brands.
            raise NotFound(f"no account {account_id}", field="account_id")
        return account

    def post_for(self, user: User, post_id: str) -> tuple[Post, Account]:
        post = self.store.get_post(post_id)
        if post is None:
            raise NotFound(f"no post {post_id}", field="post_id")
        account = self.store.get_account(post.account_id)
        if account is None or not user.sees_account(account.id, account.brand_id):
            raise NotFound(f"no post {post_id}", field="post_id")
        return post, account

    # ------------------------------------------------------------------ accounts
    def list_accounts(self, user: User) -> list[Account]:
        return [
            a
            for a in self.store.accounts_of_brand(user.brand_id)
            if user.sees_account(a.id, a.brand_id)
        ]

    def _change_account(
        self, user: User, account_id: str, action: str, details: dict[str, Any], **changes: Any
    ) -> Account:
        user.require(Permission.MANAGE_ACCOUNT)
        account = self.account_for(user, account_id)
        updated = replace(account, **changes)
        self.store.update_account_settings(updated)
        self.store.append_audit(
            [
                self._audit(
                    Actor.of(user),
                    action,
                    subject_type="account",
                    subject_id=account.id,
                    account_id=account.id,
                    **details,
                )
            ]
        )
        return updated

    def set_policy(self, user: User, account_id: str, policy: Policy) -> Account:
        return self._change_account(
            user, account_id, "account.policy_changed", {"policy": policy.to_dict()}, policy=policy
        )

    def set_approval_rules(self, user: User, account_id: str, rules: ApprovalRules) -> Account:
        return self._change_account(
            user,
            account_id,
            "account.approval_rules_changed",
            {"rules": rules.to_dict()},
            approval_rules=rules,
        )

    def set_agency_policy(self, user: User, agency_id: str, policy: Policy) -> None:
        user.require(Permission.MANAGE_ACCOUNT)
        if user.is_agency:
            raise Forbidden("an agency cannot set its own rules")
        self._require_agency(user, agency_id)
        self.store.put_agency_policy(user.brand_id, agency_id, policy)
        self.store.append_audit(
            [
                self._audit(
                    Actor.of(user),
                    "agency.policy_changed",
                    subject_type="agency",
                    subject_id=agency_id,
                    account_id=AGENCY_AUDIT_SCOPE,
                    policy=policy.to_dict(),
                )
            ]
        )

    def get_agency_policy(self, user: User, agency_id: str) -> Policy:
        if user.is_agency and user.agency_id != agency_id:
            raise NotFound(f"no agency {agency_id}", field="agency_id")
        self._require_agency(user, agency_id)
        return self.store.get_agency_policy(user.brand_id, agency_id) or Policy()

    def _require_agency(self, user: User, agency_id: str) -> None:
        """An agency exists for a brand when people of the brand work for it (or its
        rules were set before they joined); any other id is a 404, never created."""
        if self.store.get_agency_policy(user.brand_id, agency_id) is not None:
            return
        if any(u.agency_id == agency_id for u in self.store.users_of_brand(user.brand_id)):
            return
        raise NotFound(f"no agency {agency_id}", field="agency_id")

    # ------------------------------------------------------------------ drafts
    def _validate_content(
        self, network: str, text: str, links: tuple[str, ...], scheduled_at: datetime | None
    ) -> None:
        if network not in SUPPORTED_NETWORKS:
            raise ValidationFailed(f"unsupported network {network}", field="network")
        if not text.strip():
            raise ValidationFailed("must not be empty", field="text")
        problem = text_problem(text)
        if problem:
            raise ValidationFailed(problem, field="text")
        # Links outside the text are appended when published, so they count too.
        full = self._published_text(text, links)
        length = x_weighted_length(full)
        if length > X_MAX_WEIGHTED_LENGTH:
            raise ValidationFailed(
                f"is {length} weighted characters, X allows {X_MAX_WEIGHTED_LENGTH} "
                "(every link counts 23)",
                field="text",
            )
        for i, link in enumerate(links):
            if not _is_http_url(link):
                raise ValidationFailed("must be an http(s) URL", field=f"links[{i}]")
        if scheduled_at is not None:
            if scheduled_at.tzinfo is None:
                raise ValidationFailed("must carry a time zone offset", field="scheduled_at")
            check_schedule(scheduled_at, self.clock.now())

    @staticmethod
    def _published_text(text: str, links: tuple[str, ...]) -> str:
        present = set(extract_urls(text))
        extra = [link for link in links if link not in present]
        return " ".join([text, *extra]) if extra else text

    def _check(self, post: Post, account: Account, *, scan: bool = True) -> CheckResult:
        agency_policy = None
        if post.author_is_agency:
            author = self.store.get_user(post.author_id)
            if author and author.agency_id:
                agency_policy = (
                    self.store.get_agency_policy(author.brand_id, author.agency_id) or Policy()
                )
        risk = self.scanner.scan(post.text) if self.scanner and scan else None
        return run_checks(
            text=post.text,
            links=post.links,
            scheduled_at=post.scheduled_at,
            timezone=account.timezone,
            account_policy=account.policy,
            agency_policy=agency_policy,
            risk=risk,
        )

    def create_post(
        self,
        user: User,
        account_id: str,
        *,
        text: str,
        links: Sequence[str] = (),
        scheduled_at: datetime | None = None,
    ) -> Post:
        user.require(Permission.DRAFT)
        account = self.account_for(user, account_id)
        links_t = tuple(links)
        self._validate_content(account.network, text, links_t, scheduled_at)
        now = self.clock.now()
        post = Post(
            id=new_id("post"),
            account_id=account.id,
            network=account.network,
            text=text,
            author_id=user.id,
            author_is_agency=user.is_agency,
            created_at=now,
            updated_at=now,
            scheduled_at=scheduled_at,
            links=links_t,
        )
        post = replace(post, check=self._check(post, account).to_dict())
        self.store.create_post(post, [self._post_audit(Actor.of(user), "post.created", post)])
        return post

    def edit_post(
        self,
        user: User,
        post_id: str,
        *,
        text: str | None = None,
        links: Sequence[str] | None = None,
        scheduled_at: datetime | None = None,
        clear_schedule: bool = False,
    ) -> Post:
        user.require(Permission.DRAFT)
        post, account = self.post_for(user, post_id)
        self._require_editor(user, post)
        new_text = post.text if text is None else text
        new_links = post.links if links is None else tuple(links)
        new_when = None if clear_schedule else (scheduled_at or post.scheduled_at)
        self._validate_content(account.network, new_text, new_links, new_when)
        now = self.clock.now()
        edited = post.transition(
            PostAction.EDIT,
            text=new_text,
            links=new_links,
            scheduled_at=new_when,
            version=post.version + 1,
            approvals=(),
            rejection_reason=None,
            failure_reason=None,
            attempts=0,
            next_attempt_at=None,
            updated_at=now,
            edited_by=user.id,
        )
        edited = replace(edited, check=self._check(edited, account).to_dict())
        audit = self._post_audit(
            Actor.of(user), "post.edited", edited, previous_status=post.status.value
        )
        return self.store.save_post(edited, post.revision, [audit])

    def _require_editor(self, user: User, post: Post) -> None:
        if post.author_id == user.id:
            return
        if user.role in SENIOR_ROLES:
            return
        raise Forbidden("only the author, a brand owner or an admin may change this post")

    def recheck(self, user: User, post_id: str) -> CheckResult:
        post, account = self.post_for(user, post_id)
        return self._check(post, account)

    def cancel_post(self, user: User, post_id: str) -> Post:
        post, _ = self.post_for(user, post_id)
        self._require_editor(user, post)
        cancelled = post.transition(PostAction.CANCEL, updated_at=self.clock.now())
        return self.store.save_post(
            cancelled,
            post.revision,
            [self._post_audit(Actor.of(user), "post.cancelled", cancelled)],
        )

    # ------------------------------------------------------------------ review
    def submit_post(self, user: User, post_id: str) -> Post:
        user.require(Permission.DRAFT)
        post, account = self.post_for(user, post_id)
        self._require_editor(user, post)
        now = self.clock.now()
        if post.scheduled_at is None:
            # An unscheduled post would never come due: nothing would publish or expire it.
            raise ValidationFailed(
                "is required to submit: when should it go out?", field="scheduled_at"
            )
        if post.scheduled_at <= now:
            raise ValidationFailed(
                "is in the past: edit the post to reschedule it", field="scheduled_at"
            )
        check = self._check(post, account)
        if not check.passed:
            raise PolicyViolation(
                "the post breaks hard rules: " + "; ".join(v.message for v in check.violations),
                rules=[f"{v.source}:{v.rule}: {v.message}" for v in check.violations],
            )
        submitted = post.transition(
            PostAction.SUBMIT, approvals=(), updated_at=now, check=check.to_dict()
        )
        stored = self.store.save_post(
            submitted,
            post.revision,
            [self._post_audit(Actor.of(user), "post.submitted", submitted)],
        )
        self._request_approvals(stored, account, list(check.warnings))
        return stored

    def approvers_for(self, post: Post, account: Account) -> list[User]:
        return [
            u
            for u in self.store.users_of_brand(account.brand_id)
            if u.role in APPROVING_ROLES
            and u.id != post.author_id
            and u.sees_account(account.id, account.brand_id)
        ]

    def _request_approvals(self, post: Post, account: Account, warnings: list[str]) -> None:
        for approver in self.approvers_for(post, account):
            key = f"approval-mail#{post.id}#v{post.version}#r{post.revision}#{approver.id}"
            if not self.store.claim_once(key, self.clock.now()):
                continue  # a retry: this mail already went out
            mail = self._approval_mail(post, account, approver, warnings)
            self._send(approver.email, mail, key, post, "approval_request", approver.id)

    def _approval_mail(
        self, post: Post, account: Account, approver: User, warnings: list[str]
    ) -> Mail:
        """An approval request with a fresh single-use link (its token is nowhere else)."""
        token, link = DecisionLink.issue(
            approver_id=approver.id,
            subject_type="post",
            subject_id=post.id,
            subject_version=post.version,
            account_id=account.id,
            actions=("approve", "reject"),
            now=self.clock.now(),
            ttl=self.config.link_ttl,
        )
        self.store.put_link(link)
        url = f"{self.config.public_base_url.rstrip('/')}/links/{token}"
        from chalicelib.posts.mails import approval_request

        return approval_request(post, account.name, approver.name, url, warnings)

    def _send(
        self,
        to: str,
        mail: Mail,
        key: str,
        post: Post,
        kind: str,
        recipient_id: str,
        detail: str = "",
    ) -> None:
        try:
            message_id = self.mailer.send(
                to=to, subject=mail.subject, text=mail.text, html=mail.html
            )
        except MailFailed as exc:
            # The state change already happened and stays; the mail waits for another
            # try (the publisher's runs), its key still claimed so nothing doubles it.
            logger.warning("mail %s for post %s to %s failed", kind, post.id, recipient_id)
            self.store.put_pending_mail(
                first_failure(
                    key=key,
                    kind=kind,
                    post_id=post.id,
                    recipient_id=recipient_id,
                    now=self.clock.now(),
                    error=str(exc)[:200],
                    detail=detail,
                )
            )
            return
        self._mail_sent(post, kind, recipient_id, message_id)

    def _mail_sent(
        self, post: Post, kind: str, recipient_id: str, message_id: str, attempt: int = 1
    ) -> None:
        self.store.append_audit(
            [
                self._post_audit(
                    Actor("system", Channel.SYSTEM),
                    "mail.sent",
                    post,
                    kind=kind,
                    recipient=recipient_id,
                    message_id=message_id,
                    attempt=attempt,
                )
            ]
        )

    def retry_mails(self, now: datetime) -> list[str]:
        """Send again the mails whose retry is due; the keys of those that went out.

        Each is taken from the queue with a conditional delete first, so two runs never
        both send it; another failure puts it back with a longer wait, and the last
        one gives it up onto the post's audit trail."""
        sent: list[str] = []
        for pending in self.store.due_pending_mails(now):
            if not self.store.take_pending_mail(pending):
                continue  # another run has it
            try:
                message_id = self._resend(pending)
            except MailFailed as exc:
                again = pending.failed_again(now, str(exc)[:200])
                if again.gives_up:
                    self._give_up_mail(again)
                else:
                    self.store.put_pending_mail(again)
                continue
            if message_id is not None:
                sent.append(pending.key)
        return sent

    def _resend(self, pending: PendingMail) -> str | None:
        """Make the mail again and send it; None when it no longer has a purpose (the
        post was decided, edited or deleted meanwhile, or the person left)."""
        post = self.store.get_post(pending.post_id)
        person = self.store.get_user(pending.recipient_id)
        account = self.store.get_account(post.account_id) if post else None
        if post is None or person is None or account is None:
            return None
        if pending.kind == "approval_request":
            still_asked = post.status is PostStatus.SUBMITTED and pending.key.startswith(
                f"approval-mail#{post.id}#v{post.version}#"
            )
            if not still_asked:
                return None
            warnings = [str(w) for w in post.check.get("warnings") or []]  # type: ignore[attr-defined]
            mail = self._approval_mail(post, account, person, warnings)
        else:
            from chalicelib.posts.mails import post_outcome

            mail = post_outcome(post, account.name, pending.kind, pending.detail)
        message_id = self.mailer.send(
            to=person.email, subject=mail.subject, text=mail.text, html=mail.html
        )
        self._mail_sent(post, pending.kind, person.id, message_id, attempt=pending.attempts + 1)
        return message_id

    def _give_up_mail(self, pending: PendingMail) -> None:
        """The last try failed: the audit trail (and so the API) says who was never told."""
        post = self.store.get_post(pending.post_id)
        if post is None:
            return
        logger.error("mail %s for post %s given up", pending.kind, post.id)
        self.store.append_audit(
            [
                self._post_audit(
                    Actor("system", Channel.SYSTEM),
                    "mail.failed",
                    post,
                    kind=pending.kind,
                    recipient=pending.recipient_id,
                    attempts=pending.attempts,
                    error=pending.last_error,
                )
            ]
        )

    def _notify_author(self, post: Post, account: Account, what: str, detail: str) -> None:
        self._notify_author_of(post, account.name, what, detail)

    def _notify_author_of(self, post: Post, account_name: str, what: str, detail: str) -> None:
        author = self.store.get_user(post.author_id)
        if author is None:
            return
        key = f"outcome-mail#{post.id}#r{post.revision}#{what}"
        if self.store.claim_once(key, self.clock.now()):
            from chalicelib.posts.mails import post_outcome

            self._send(
                author.email,
                post_outcome(post, account_name, what, detail),
                key,
                post,
                what,
                author.id,
                detail,
            )

    def approve_post(self, actor: Actor, post_id: str, *, seen_version: int | None = None) -> Post:
        """``seen_version``: the version the approver saw (a link's, or the API's
        ``?version=``); a newer one refuses the approval (``VersionChanged``)."""
        assert actor.user is not None
        post, account = self.post_for(actor.user, post_id)
        require_seen_version("post", seen_version, post.version, post.text)
        now = self.clock.now()
        rule = account.approval_rules.for_post(post)
        decided = approve(post, actor.user, rule, now=now, channel=actor.channel.value)
        entries = [self._post_audit(actor, "post.approval_recorded", decided)]
        if decided.status is PostStatus.APPROVED:
            entries.append(self._post_audit(actor, "post.approved", decided))
        else:
            missing = rule.missing(decided.current_approvals())
            entries[0] = replace(entries[0], details={**entries[0].details, "still_needs": missing})
        return self.store.save_post(decided, post.revision, entries)

    def reject_post(
        self, actor: Actor, post_id: str, reason: str, *, seen_version: int | None = None
    ) -> Post:
        assert actor.user is not None
        post, account = self.post_for(actor.user, post_id)
        require_seen_version("post", seen_version, post.version, post.text)
        decided = reject(post, actor.user, reason, now=self.clock.now())
        stored = self.store.save_post(
            decided,
            post.revision,
            [self._post_audit(actor, "post.rejected", decided, reason=decided.rejection_reason)],
        )
        self._notify_author(stored, account, "rejected", f"Reason: {stored.rejection_reason}")
        return stored

    # ------------------------------------------------------------------ links
    def open_link(self, token: str) -> LinkView:
        """Resolve a mailed link for its confirmation page. Changes nothing."""
        if not looks_like_token(token):
            raise LinkUnknown("this link is not valid")
        link = self.store.get_link(hash_token(token))
        if link is None:
            raise LinkUnknown("this link is not valid")
        post = self.store.get_post(link.subject_id)
        approver = self.store.get_user(link.approver_id)
        account = self.store.get_account(link.account_id)
        if post is None or approver is None or account is None:
            raise LinkInvalid("this link is not valid any more")
        link.check_usable(now=self.clock.now(), current_version=post.version)
        if approver.role not in APPROVING_ROLES or not approver.sees_account(
            account.id, account.brand_id
        ):
            raise LinkInvalid("you may no longer decide on this post")
        return LinkView(link, post, account, approver)

    def decide_by_link(
        self,
        token: str,
        *,
        action: str,
        post_id: str,
        reason: str = "",
        api_user: User | None = None,
    ) -> Post:
        view = self.open_link(token)
        view.link.check_action(
            action, subject_id=post_id, actor_id=api_user.id if api_user else None
        )
        require_reason(action, reason)
        check_decision(view.post, view.approver, action)
        # Burn first: a replay or a double click loses here and changes nothing.
        self.store.burn_link(view.link.token_hash, self.clock.now(), action)
        actor = Actor.of(view.approver, Channel.EMAIL)
        # The link is spent: a concurrent approval by someone else must not make this
        # person's decision vanish, so a lost race is retried on the fresh post, but
        # only while it is still the version the person saw.
        seen = view.link.subject_version
        try:
            if action == "approve":
                return retry_on_conflict(
                    lambda: self.approve_post(actor, view.post.id, seen_version=seen)
                )
            return retry_on_conflict(
                lambda: self.reject_post(actor, view.post.id, reason, seen_version=seen)
            )
        except VersionChanged as exc:
            raise LinkStale(
                f"{exc.message}. Nothing was decided; the new version's link is in your mail"
            ) from None

    # ------------------------------------------------------------------ calendar
    def calendar(
        self,
        user: User,
        account_id: str | None,
        *,
        start: datetime | None,
        end: datetime | None,
        statuses: frozenset[PostStatus] | None,
    ) -> list[Post]:
        accounts = [self.account_for(user, account_id)] if account_id else self.list_accounts(user)
        posts: list[Post] = []
        for account in accounts:
            posts += self.store.posts_of_account(
                account.id, start=start, end=end, statuses=statuses
            )
        far = datetime.max.replace(tzinfo=None)
        return sorted(
            posts,
            key=lambda p: (
                p.scheduled_at.replace(tzinfo=None) if p.scheduled_at else far,
                p.id,
            ),
        )

    def rotate_feed_secret(self, user: User, account_id: str) -> str:
        secret = secrets.token_urlsafe(24)
        self._change_account(
            user,
            account_id,
            "account.feed_secret_rotated",
            {},
            feed_secret_hash=hash_token(secret),
        )
        return f"{self.config.public_base_url.rstrip('/')}/feeds/{account_id}/{secret}"

    def feed(self, account_id: str, secret: str) -> bytes:
        from chalicelib.posts.calendar import render_ics

        account = self.store.get_account(account_id)
        if (
            account is None
            or account.feed_secret_hash is None
            or not secrets.compare_digest(account.feed_secret_hash, hash_token(secret))
        ):
            raise NotFound("no such feed")
        posts = self.store.posts_of_account(account.id)
        return render_ics(account.id, account.name, posts, self.clock.now())

    # ------------------------------------------------------------------ freezes
    # A freeze belongs to one brand: an account's freeze to the account's brand, and
    # "all" means every account of the caller's own brand. Nobody outside the brand can
    # set, see or lift either; "not yours" is the same 404 as "not there".
    def freeze(self, user: User, scope: str, reason: str) -> PublishingFreeze:
        user.require(Permission.FREEZE)
        if scope != GLOBAL_SCOPE:
            self.account_for(user, scope)
        elif user.role is not Role.ADMIN:
            raise Forbidden("only an admin may freeze every account")
        existing = self.store.get_freeze(user.brand_id, scope)
        if existing is not None:
            return existing  # freezing twice is harmless: keep the first reason
        freeze = PublishingFreeze.start(scope, user.brand_id, reason, user, self.clock.now())
        self.store.put_freeze(
            freeze,
            [
                self._audit(
                    Actor.of(user),
                    "freeze.started",
                    subject_type="freeze",
                    subject_id=scope,
                    account_id=scope,
                    reason=freeze.reason,
                )
            ],
        )
        return freeze

    def list_freezes(self, user: User) -> list[PublishingFreeze]:
        """The freezes ``user`` may see: their brand's "all" and their accounts'."""
        visible = {a.id for a in self.list_accounts(user)}
        return [
            f
            for f in self.store.list_freezes()
            if (f.brand_id == user.brand_id if f.is_brand_wide else f.scope in visible)
        ]

    def lift_freeze(self, user: User, scope: str) -> PublishingFreeze | None:
        """First admin: records the request (raises ``FreezeLiftPending``).
        A second, different admin: lifts it and returns None."""
        if scope != GLOBAL_SCOPE:
            # Before reading the freeze: another brand's account is a 404 whether it is
            # frozen or not.
            self.account_for(user, scope)
        freeze = self.store.get_freeze(user.brand_id, scope)
        if freeze is None:
            raise NotFound(f"no freeze on {scope}", field="scope")
        now = self.clock.now()
        audit_args = {"subject_type": "freeze", "subject_id": scope, "account_id": scope}
        if freeze.can_be_lifted_by(user):
            self.store.delete_freeze(
                freeze,
                [
                    self._audit(
                        Actor.of(user),
                        "freeze.lifted",
                        requested_by=freeze.lift_requested_by,
                        **audit_args,
                    )
                ],
            )
            return None
        if freeze.lift_requested_by == user.id:
            raise FreezeLiftPending("waiting for a second, different admin to confirm the lift")
        requested = freeze.request_lift(user, now)
        self.store.update_freeze(
            requested, freeze, [self._audit(Actor.of(user), "freeze.lift_requested", **audit_args)]
        )
        raise FreezeLiftPending("lift requested: a second, different admin must confirm")

    def _brand_of(self, account_id: str) -> str:
        account = self.store.get_account(account_id)
        if account is None:
            raise NotFound(f"no account {account_id}", field="account_id")
        return account.brand_id

    def freeze_for_incident(self, account_id: str, reason: str, actor: Actor) -> PublishingFreeze:
        """C3: the playbook freezes at once, no role check; an existing freeze stays as is."""
        brand_id = self._brand_of(account_id)
        existing = self.store.get_freeze(brand_id, account_id)
        if existing is not None:
            return existing
        freeze = PublishingFreeze(account_id, brand_id, reason, actor.id, self.clock.now())
        try:
            self.store.put_freeze(
                freeze,
                [
                    self._audit(
                        actor,
                        "freeze.started",
                        subject_type="freeze",
                        subject_id=account_id,
                        account_id=account_id,
                        reason=reason,
                    )
                ],
            )
        except Conflict:
            # a concurrent freeze won
            return self.store.get_freeze(brand_id, account_id) or freeze
        return freeze

    def lift_incident_freeze(self, account_id: str, reason_prefix: str, actor: Actor) -> bool:
        """Lift the freeze the playbook set (by ``actor``, with a reason that starts with
        ``reason_prefix``) when the last incident is resolved. A freeze someone set by
        hand stays, whatever its reason says: lifting that one still takes two admins.
        Held posts stay held and need approval again (P9)."""
        freeze = self.store.get_freeze(self._brand_of(account_id), account_id)
        if (
            freeze is None
            or freeze.frozen_by != actor.id
            or not freeze.reason.startswith(reason_prefix)
        ):
            return False
        try:
            self.store.delete_freeze(
                freeze,
                [
                    self._audit(
                        actor,
                        "freeze.lifted",
                        subject_type="freeze",
                        subject_id=account_id,
                        account_id=account_id,
                        reason=freeze.reason,
                    )
                ],
            )
        except Conflict:
            return False
        return True

    def active_freeze(self, account: Account) -> PublishingFreeze | None:
        """What stops ``account`` publishing: its own brand's "all" freeze, or its own."""
        return self.store.get_freeze(account.brand_id, GLOBAL_SCOPE) or self.store.get_freeze(
            account.brand_id, account.id
        )

    # ------------------------------------------------------------------ publisher
    def publish_due(self, now: datetime) -> PublishReport:
        """One publisher run: fail closed, never double, never lose a post."""
        report = PublishReport([], [], [], [], [], [])
        accounts: dict[str, Account | None] = {}
        for post in self.store.due_posts(now):
            try:
                if post.account_id not in accounts:
                    accounts[post.account_id] = self.store.get_account(post.account_id)
                account = accounts[post.account_id]
                if account is None:
                    self._orphaned(post, report)
                else:
                    self._publish_one(post, account, now, report)
            except Conflict:
                report.skipped.append(post.id)  # another run got there first
            except Exception as exc:  # per-post boundary: recorded on the post, logged
                # One post the run cannot handle must not stop the others going out.
                report.errors.append(post.id)
                logger.exception("publisher could not handle post %s", post.id)
                self._record_error(post, exc)
        try:
            report.mails_retried = self.retry_mails(now)
        except Exception:  # the posts went out; a mail queue problem is logged, not fatal
            logger.exception("retrying mails failed")
        return report

    def _record_error(self, post: Post, exc: Exception) -> None:
        entry = self._post_audit(SCHEDULER, "post.publisher_error", post, error=type(exc).__name__)
        try:
            self.store.append_audit([entry])
        except Exception:  # the store itself is failing: the log has it
            logger.exception("could not record the publisher error on post %s", post.id)

    def _orphaned(self, post: Post, report: PublishReport) -> None:
        """A post whose account is gone: never published, never silently skipped. It is
        held (or expired, failed) with the reason, and its author is told."""
        why = f"its account {post.account_id} no longer exists"
        if post.status is PostStatus.DRAFT:
            moved = self._move(
                post,
                PostAction.EXPIRE,
                "post.expired",
                next_attempt_at=None,
                details={"reason": why},
            )
            report.expired.append(moved.id)
            what = "expired"
        elif post.status is PostStatus.PUBLISHING:
            moved = self._move(
                post, PostAction.FAIL, "post.failed", failure_reason=why, next_attempt_at=None
            )
            report.failed.append(moved.id)
            what = "failed"
        else:
            moved = self._hold(post, report, reason=why)
            what = "held"
        self._notify_author_of(
            moved,
            post.account_id,
            what,
            f"It was not published: {why}. Move it to another account.",
        )

    def _move(self, post: Post, action: PostAction, audit_action: str, **changes: Any) -> Post:
        details = changes.pop("details", {})
        moved = post.transition(action, updated_at=self.clock.now(), **changes)
        return self.store.save_post(
            moved, post.revision, [self._post_audit(SCHEDULER, audit_action, moved, **details)]
        )

    def _publish_one(
        self, post: Post, account: Account, now: datetime, report: PublishReport
    ) -> None:
        if post.status is PostStatus.PUBLISHING:
            # A run claimed it and vanished mid-flight: the post may or may not be on X.
            # Never guess: fail it so a person checks, rather than risk a double post.
            failed = self._move(
                post,
                PostAction.FAIL,
                "post.failed",
                failure_reason="publisher stopped mid-publish; check the account before retrying",
                next_attempt_at=None,
            )
            report.failed.append(failed.id)
            self._notify_author(failed, account, "failed", failed.failure_reason or "")
            return
        if post.status is PostStatus.DRAFT:
            self._expire(post, account, report, "it was never submitted for approval")
            return
        freeze = self.active_freeze(account)
        if freeze is not None:
            # Frozen: nothing goes out, and whatever comes due needs approval again.
            self._hold(post, report, freeze=freeze.scope, reason=freeze.reason)
            return
        if post.status is PostStatus.SUBMITTED:
            self._expire(post, account, report, "it was not fully approved at its scheduled time")
            return
        violations = self._check(post, account, scan=False).violations
        if violations:
            # The rules changed after it was approved (a phrase banned after an incident,
            # a narrower link list): it goes back for editing and approval, not out.
            held = self._hold(post, report, policy=[v.to_dict() for v in violations])
            broken = "; ".join(v.message for v in violations)
            self._notify_author(
                held,
                account,
                "held",
                f"It breaks the policy as it stands now: {broken}. "
                "Edit it and submit it for approval again.",
            )
            return
        if account.rate_limited_until and account.rate_limited_until > now:
            report.skipped.append(post.id)
            return
        claimed = self._move(
            post,
            PostAction.CLAIM,
            "post.publishing",
            attempts=post.attempts + 1,
            # A redelivered old event must not start a lease that is already over.
            next_attempt_at=max(now, self.clock.now()) + PUBLISH_LEASE,
        )
        self._publish_claimed(claimed, account, now, report)

    def _hold(self, post: Post, report: PublishReport, **why: Any) -> Post:
        """Held: approvals cleared, so it goes out only after a new approval."""
        held = self._move(
            post, PostAction.HOLD, "post.held", approvals=(), next_attempt_at=None, details=why
        )
        report.held.append(held.id)
        return held

    @classmethod
    def _publish_or_adopt(cls, client: Any, text: str) -> Any:
        try:
            return client.publish(text)
        except PostRejected:
            # X refuses a text the account posted within a day: an earlier attempt whose
            # answer was lost landed after all. Adopt it; any other refusal stands.
            found = cls._already_published(client, text)
            if found is None:
                raise
            return found

    @staticmethod
    def _already_published(client: Any, text: str) -> Any:
        # X wraps links into t.co and escapes & < >: compare what X keeps of our text.
        return next((p for p in client.timeline() if is_our_post(p, text)), None)

    def _expire(self, post: Post, account: Account, report: PublishReport, why: str) -> None:
        expired = self._move(
            post, PostAction.EXPIRE, "post.expired", next_attempt_at=None, details={"reason": why}
        )
        report.expired.append(expired.id)
        self._notify_author(expired, account, "expired", f"It was not published: {why}.")

    def _publish_claimed(
        self, post: Post, account: Account, now: datetime, report: PublishReport
    ) -> None:
        text = self._published_text(post.text, post.links)
        try:
            client = self.social.client_for(account)
            # A retry after an unclear failure (timeout, 5xx) may find the post already
            # live: adopt it rather than post it twice.
            remote = (
                self._already_published(client, text) if post.attempts > 1 else None
            ) or self._publish_or_adopt(client, text)
        except RateLimited as exc:
            self.store.set_rate_limited(account.id, exc.reset_at)
            retried = self._move(
                post,
                PostAction.RETRY_LATER,
                "post.retry_scheduled",
                next_attempt_at=exc.reset_at,
                attempts=post.attempts - 1,  # a 429 is not the post's fault
                details={"reason": "X rate limit", "until": exc.reset_at.isoformat()},
            )
            report.retrying.append(retried.id)
            return
        except NetworkUnavailable as exc:
            if post.attempts < MAX_PUBLISH_ATTEMPTS:
                wait = timedelta(minutes=2 ** (post.attempts - 1))
                retried = self._move(
                    post,
                    PostAction.RETRY_LATER,
                    "post.retry_scheduled",
                    next_attempt_at=now + wait,
                    details={"reason": str(exc), "attempt": post.attempts},
                )
                report.retrying.append(retried.id)
                return
            reason = f"X unavailable after {post.attempts} attempts: {exc}"
        except (PostRejected, SocialNetworkError) as exc:
            reason = f"X refused the post: {exc}"
        else:
            self.store.mark_published(account.id, remote.id, f"post {post.id}")
            published = self._move(
                post,
                PostAction.PUBLISHED,
                "post.published",
                network_post_id=remote.id,
                published_at=now,
                next_attempt_at=None,
                details={"network_post_id": remote.id},
            )
            report.published.append(published.id)
            return
        failed = self._move(
            post, PostAction.FAIL, "post.failed", failure_reason=reason, next_attempt_at=None
        )
        report.failed.append(failed.id)
        self._notify_author(failed, account, "failed", reason)

    def store_heartbeat(self, job: str, now: datetime) -> None:
        self.store.put_heartbeat(job, now)

    # ------------------------------------------------------------------ audit
    def audit_of_post(self, user: User, post_id: str) -> list[AuditEntry]:
        post, _ = self.post_for(user, post_id)
        return self.store.audit_of_subject("post", post.id)

    def audit_of_account(self, user: User, account_id: str) -> list[AuditEntry]:
        account = self.account_for(user, account_id)
        return self.store.audit_of_account(account.id)

    def audit_of_brand(self, user: User) -> list[AuditEntry]:
        """What is logged against no single account (P10): agency rules changed, and
        freezes of every account started, requested lifted and lifted. Brand owners and
        admins only; entries by people of other brands are left out."""
        if user.role not in SENIOR_ROLES:
            raise Forbidden("the brand-wide audit log is for brand owners and admins")
        people = {u.id for u in self.store.users_of_brand(user.brand_id)}
        entries = [
            e
            for scope in (AGENCY_AUDIT_SCOPE, GLOBAL_SCOPE)
            for e in self.store.audit_of_account(scope)
            if e.actor in people
        ]
        return sorted(entries, key=lambda e: e.id)
