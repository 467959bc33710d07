"""Use cases of a post from draft to decision (P1-P6): drafts and their checks,
submission, approval and rejection, the calendar and its iCal feed."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from chalicelib.accounts.domain import Account
from chalicelib.accounts.policy import CheckResult, Policy, run_checks
from chalicelib.accounts.service import AccountService
from chalicelib.core.audit import Actor, AuditEntry
from chalicelib.core.errors import (
    Forbidden,
    NotFound,
    PolicyViolation,
    ValidationFailed,
)
from chalicelib.core.ids import new_id
from chalicelib.core.normalise import text_problem
from chalicelib.core.times import check_schedule
from chalicelib.core.usecases import Deps
from chalicelib.core.users import SENIOR_ROLES, Permission, User
from chalicelib.links.domain import (
    hash_token,
    require_seen_version,
)
from chalicelib.networks.rules import NETWORKS, UnknownNetwork
from chalicelib.posts.approvals import approve, reject
from chalicelib.posts.base import PostUseCases
from chalicelib.posts.domain import Post, PostAction, PostStatus
from chalicelib.posts.notify import PostMail
from chalicelib.posts.text import published_text

logger = logging.getLogger(__name__)


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


class PostService(PostUseCases):
    def __init__(self, deps: Deps, accounts: AccountService, mail: PostMail) -> None:
        super().__init__(deps)
        self.accounts = accounts
        self.mail = mail

    def post_for(self, user: User, post_id: str) -> tuple[Post, Account]:
        post = self.store.get_post(post_id)
        if post is None:
            raise NotFound(f"no post {post_id}", field="post_id")
        account = self.store.get_account(post.account_id)
        if account is None or not user.sees_account(account.id, account.brand_id):
            raise NotFound(f"no post {post_id}", field="post_id")
        return post, account

    def _validate_content(
        self, account: Account, text: str, links: tuple[str, ...], scheduled_at: datetime | None
    ) -> None:
        if account.network not in NETWORKS:
            raise ValidationFailed(str(UnknownNetwork(account.network)), field="network")
        if not text.strip():
            raise ValidationFailed("must not be empty", field="text")
        problem = text_problem(text)
        if problem:
            raise ValidationFailed(problem, field="text")
        # Links outside the text are appended when published, so they count too.
        too_long = self.social.text_rules(account).problem(published_text(text, links))
        if too_long:
            raise ValidationFailed(too_long, field="text")
        for i, link in enumerate(links):
            if not _is_http_url(link):
                raise ValidationFailed("must be an http(s) URL", field=f"links[{i}]")
        if scheduled_at is not None:
            if scheduled_at.tzinfo is None:
                raise ValidationFailed("must carry a time zone offset", field="scheduled_at")
            check_schedule(scheduled_at, self.clock.now())

    def check(self, post: Post, account: Account, *, scan: bool = True) -> CheckResult:
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
        account = self.accounts.account_for(user, account_id)
        links_t = tuple(links)
        self._validate_content(account, text, links_t, scheduled_at)
        post = self._new_post(new_id("post"), user, account, text, links_t, scheduled_at)
        post = replace(post, check=self.check(post, account).to_dict())
        self.store.create_post(post, [self._post_audit(Actor.of(user), "post.created", post)])
        return post

    def check_unsaved(
        self, user: User, account: Account, text: str, scheduled_at: datetime | None
    ) -> CheckResult:
        """The check a draft of ``text`` would get, without saving anything (the
        editor's live preview)."""
        return self.check(self._new_post("preview", user, account, text, (), scheduled_at), account)

    def _new_post(
        self,
        post_id: str,
        user: User,
        account: Account,
        text: str,
        links: tuple[str, ...],
        scheduled_at: datetime | None,
    ) -> Post:
        now = self.clock.now()
        return Post(
            id=post_id,
            account_id=account.id,
            network=account.network,
            text=text,
            author_id=user.id,
            author_is_agency=user.is_agency,
            created_at=now,
            updated_at=now,
            scheduled_at=scheduled_at,
            links=links,
        )

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
        self._validate_content(account, new_text, new_links, new_when)
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
        edited = replace(edited, check=self.check(edited, account).to_dict())
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
        return self.check(post, account)

    def cancel_post(self, user: User, post_id: str) -> Post:
        post, _ = self.post_for(user, post_id)
        self._require_editor(user, post)
        cancelled = post.transition(PostAction.CANCEL, updated_at=self.clock.now())
        return self.store.save_post(
            cancelled,
            post.revision,
            [self._post_audit(Actor.of(user), "post.cancelled", cancelled)],
        )

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
        check = self.check(post, account)
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
        self.mail.request_approvals(stored, account, list(check.warnings))
        return stored

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
        self.mail.notify_author(stored, account, "rejected", f"Reason: {stored.rejection_reason}")
        return stored

    def calendar(
        self,
        user: User,
        account_id: str | None,
        *,
        start: datetime | None,
        end: datetime | None,
        statuses: frozenset[PostStatus] | None,
    ) -> list[Post]:
        accounts = (
            [self.accounts.account_for(user, account_id)]
            if account_id
            else self.accounts.list_accounts(user)
        )
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
        self.accounts.change_account(
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

    def audit_of_post(self, user: User, post_id: str) -> list[AuditEntry]:
        post, _ = self.post_for(user, post_id)
        return self.store.audit_of_subject("post", post.id)
