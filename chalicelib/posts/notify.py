"""Mail about posts: approval requests with their single-use links, outcomes to the
author, and the retry queue for mails that failed (each sent at most once)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from chalicelib.accounts.domain import Account
from chalicelib.core.audit import SYSTEM_ACTOR
from chalicelib.core.observe import count
from chalicelib.core.users import APPROVING_ROLES, SENIOR_ROLES, User
from chalicelib.links.domain import (
    DecisionLink,
)
from chalicelib.ports import MailFailed
from chalicelib.posts.base import PostUseCases
from chalicelib.posts.domain import Post, PostStatus
from chalicelib.posts.mail_retry import PendingMail, first_failure

if TYPE_CHECKING:
    from chalicelib.posts.mails import Mail

logger = logging.getLogger(__name__)


class PostMail(PostUseCases):
    def approvers_for(self, post: Post, account: Account) -> list[User]:
        return [
            u
            for u in self.store.users_of_brand(account.brand_id)
            if u.role in APPROVING_ROLES
            and u.id != post.author_id
            and u.sees_account(account.id, account.brand_id)
        ]

    def request_approvals(self, post: Post, account: Account, warnings: list[str]) -> None:
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

        return approval_request(post, account.name, approver.name, url, warnings, account.timezone)

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
            count("MailsDeferred")
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
                    SYSTEM_ACTOR,
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
        count("MailsFailed")
        self.store.append_audit(
            [
                self._post_audit(
                    SYSTEM_ACTOR,
                    "mail.failed",
                    post,
                    kind=pending.kind,
                    recipient=pending.recipient_id,
                    attempts=pending.attempts,
                    error=pending.last_error,
                )
            ]
        )

    def notify_author(self, post: Post, account: Account, what: str, detail: str) -> None:
        self.notify_author_of(post, account.name, what, detail)

    def notify_author_of(self, post: Post, account_name: str, what: str, detail: str) -> None:
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

    # -- notices to the account's seniors (brand owners and admins)
    def seniors_of(self, brand_id: str, account_id: str | None) -> list[User]:
        """The brand owners and admins who see ``account_id`` (every account: None)."""
        return [
            u
            for u in self.store.users_of_brand(brand_id)
            if u.role in SENIOR_ROLES
            and (account_id is None or u.sees_account(account_id, brand_id))
        ]

    def notify_seniors(
        self, people: list[User], key: str, mail: Mail, *, skip: str | None = None
    ) -> int:
        """Mail ``people`` (but ``skip``) once each under ``key``; how many were mailed.
        A failed mail is logged and counted (``MailsFailed`` alarms) and may be sent by
        a later call under the same key."""
        sent = 0
        for person in people:
            if person.id == skip:
                continue
            once = f"{key}#{person.id}"
            if not self.store.claim_once(once, self.clock.now()):
                continue
            try:
                self.mailer.send(
                    to=person.email, subject=mail.subject, text=mail.text, html=mail.html
                )
            except MailFailed:
                self.store.release_once(once)
                logger.warning("notice %s to %s failed", key.split("#")[0], person.id)
                count("MailsFailed")
                continue
            sent += 1
        return sent

    def notify_held(self, post: Post, account: Account, why: str) -> None:
        from chalicelib.core.times import human_time
        from chalicelib.posts.mails import post_held

        author = self.store.get_user(post.author_id)
        base = self.config.public_base_url.rstrip("/")
        mail = post_held(
            post,
            account.name,
            author.name if author else post.author_id,
            why,
            human_time(post.scheduled_at, account.timezone),
            f"{base}/app/posts/{post.id}",
        )
        self.notify_seniors(
            self.seniors_of(account.brand_id, account.id),
            f"held-mail#{post.id}#r{post.revision}",
            mail,
        )
