"""The scheduled publisher (P7-P9): every minute, the posts that came due go out,
fail closed, never twice, and never get lost."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chalicelib.accounts.domain import Account
from chalicelib.core.audit import SCHEDULER
from chalicelib.core.errors import (
    Conflict,
)
from chalicelib.core.observe import correlate, count
from chalicelib.core.usecases import Deps
from chalicelib.freezes.service import FreezeService
from chalicelib.networks.rules import network_name
from chalicelib.networks.social import (
    NetworkUnavailable,
    PostRejected,
    RateLimited,
    SocialNetworkError,
    is_our_post,
)
from chalicelib.posts.base import PostUseCases
from chalicelib.posts.domain import Post, PostAction, PostStatus
from chalicelib.posts.notify import PostMail
from chalicelib.posts.service import PostService
from chalicelib.posts.text import published_text

logger = logging.getLogger(__name__)

MAX_PUBLISH_ATTEMPTS = 3
PUBLISH_LEASE = timedelta(minutes=5)  # a claim older than this is a crashed run
# How far before its time a post found on the account may have been made by an earlier
# attempt (the network's clock against ours).
ADOPT_MARGIN = timedelta(minutes=2)


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


# The report's lists, as the metrics the dashboard and alarms read.
_OUTCOME_METRICS = {
    "published": "PostsPublished",
    "failed": "PublishFailures",
    "retrying": "PublishRetries",
    "held": "PostsHeld",
    "expired": "PostsExpired",
    "errors": "PublisherErrors",
}


def _count_outcomes(report: PublishReport) -> None:
    # Only what happened: a minute with nothing due emits nothing (and pays nothing).
    for field_name, metric in _OUTCOME_METRICS.items():
        n = len(getattr(report, field_name))
        if n:
            count(metric, n)


class Publisher(PostUseCases):
    def __init__(
        self, deps: Deps, posts: PostService, freezes: FreezeService, mail: PostMail
    ) -> None:
        super().__init__(deps)
        self.posts = posts
        self.freezes = freezes
        self.mail = mail

    def publish_due(self, now: datetime) -> PublishReport:
        """One publisher run: fail closed, never double, never lose a post."""
        report = PublishReport([], [], [], [], [], [])
        accounts: dict[str, Account | None] = {}
        for post in self.store.due_posts(now):
            try:
                with correlate(post_id=post.id, account_id=post.account_id):
                    self._handle(post, accounts, now, report)
            except Conflict:
                report.skipped.append(post.id)  # another run got there first
            except Exception as exc:  # per-post boundary: recorded on the post, logged
                # One post the run cannot handle must not stop the others going out.
                report.errors.append(post.id)
                with correlate(post_id=post.id, account_id=post.account_id):
                    logger.exception("publisher could not handle post %s", post.id)
                self._record_error(post, exc)
        try:
            report.mails_retried = self.mail.retry_mails(now)
        except Exception:  # the posts went out; a mail queue problem is logged, not fatal
            logger.exception("retrying mails failed")
        _count_outcomes(report)
        return report

    def _handle(
        self, post: Post, accounts: dict[str, Account | None], now: datetime, report: PublishReport
    ) -> None:
        if post.account_id not in accounts:
            accounts[post.account_id] = self.store.get_account(post.account_id)
        account = accounts[post.account_id]
        if account is None:
            self._orphaned(post, report)
        else:
            self._publish_one(post, account, now, report)

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
        self.mail.notify_author_of(
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
            self.mail.notify_author(failed, account, "failed", failed.failure_reason or "")
            return
        if post.status is PostStatus.DRAFT:
            self._expire(post, account, report, "it was never submitted for approval")
            return
        freeze = self.freezes.active_freeze(account)
        if freeze is not None:
            # Frozen: nothing goes out, and whatever comes due needs approval again.
            held = self._hold(post, report, freeze=freeze.scope, reason=freeze.reason)
            self.mail.notify_held(held, account, f"publishing is frozen ({freeze.reason})")
            return
        if post.status is PostStatus.SUBMITTED:
            self._expire(post, account, report, "it was not fully approved at its scheduled time")
            return
        violations = self.posts.check(post, account, scan=False).violations
        if violations:
            # The rules changed after it was approved (a phrase banned after an incident,
            # a narrower link list): it goes back for editing and approval, not out.
            held = self._hold(post, report, policy=[v.to_dict() for v in violations])
            broken = "; ".join(v.message for v in violations)
            self.mail.notify_held(held, account, f"it breaks the policy now: {broken}")
            self.mail.notify_author(
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
        logger.warning("post held: %s", ", ".join(sorted(why)))
        return held

    def _publish_or_adopt(self, client: Any, text: str, post: Post, account: Account) -> Any:
        try:
            return client.publish(text)
        except PostRejected:
            # X refuses a text the account posted within a day: an earlier attempt whose
            # answer was lost landed after all. Adopt it; any other refusal stands. Only X
            # refuses repeats: elsewhere a refusal is about the post itself.
            found = self._already_published(client, text, post, account)
            if found is None or account.network != "x":
                raise
            return found

    def _already_published(self, client: Any, text: str, post: Post, account: Account) -> Any:
        """The post an earlier attempt of ``post`` left on the account, if any: same text
        (X wraps links into t.co and escapes & < >: what X keeps of our text), made no
        earlier than the post was written (less a margin for clocks), and not already
        known as something else Firebreak published. Mastodon and Bluesky take repeated texts,
        so last week's "We're open on Sunday!" must not pass for this week's."""
        # It cannot have gone out before it was written. (Not "before it was due": a run
        # may publish on a clock that is ahead of the network's.)
        earliest = post.created_at - ADOPT_MARGIN
        for remote in client.timeline():
            if not is_our_post(remote, text):
                continue
            if remote.created_at and remote.created_at < earliest:
                continue
            known = self.store.published_as(account.id, remote.id)
            if known and known != f"post {post.id}":
                continue
            return remote
        return None

    def _expire(self, post: Post, account: Account, report: PublishReport, why: str) -> None:
        expired = self._move(
            post, PostAction.EXPIRE, "post.expired", next_attempt_at=None, details={"reason": why}
        )
        report.expired.append(expired.id)
        logger.info("post expired: %s", why)
        self.mail.notify_author(expired, account, "expired", f"It was not published: {why}.")

    def _publish_claimed(
        self, post: Post, account: Account, now: datetime, report: PublishReport
    ) -> None:
        text = published_text(post.text, post.links)
        net = network_name(account.network)
        try:
            client = self.social.client_for(account)
            # A retry after an unclear failure (timeout, 5xx) may find the post already
            # live: adopt it rather than post it twice.
            remote = (
                self._already_published(client, text, post, account) if post.attempts > 1 else None
            ) or self._publish_or_adopt(client, text, post, account)
        except RateLimited as exc:
            self.store.set_rate_limited(account.id, exc.reset_at)
            retried = self._move(
                post,
                PostAction.RETRY_LATER,
                "post.retry_scheduled",
                next_attempt_at=exc.reset_at,
                attempts=post.attempts - 1,  # a 429 is not the post's fault
                details={"reason": f"{net} rate limit", "until": exc.reset_at.isoformat()},
            )
            report.retrying.append(retried.id)
            logger.warning(
                "%s rate limit: publishing put off until %s", net, exc.reset_at.isoformat()
            )
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
                logger.warning(
                    "%s unavailable (attempt %s): %s", net, post.attempts, type(exc).__name__
                )
                return
            reason = f"{net} unavailable after {post.attempts} attempts: {exc}"
        except (PostRejected, SocialNetworkError) as exc:
            reason = f"{net} refused the post: {exc}"
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
            logger.info("post published as %s", remote.id)
            return
        failed = self._move(
            post, PostAction.FAIL, "post.failed", failure_reason=reason, next_attempt_at=None
        )
        report.failed.append(failed.id)
        logger.warning("post failed: %s", reason)
        self.mail.notify_author(failed, account, "failed", reason)

    def store_heartbeat(self, job: str, now: datetime) -> None:
        self.store.put_heartbeat(job, now)
