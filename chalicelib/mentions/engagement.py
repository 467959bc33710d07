"""The engagement queue's use cases (M4): the ranked queue, assign, dismiss, reply (from
a template or not), the reply held for four-eyes approval (API and mailed link),
escalation of urgent mentions nobody took, and reply templates.

A reply passes the account's (and an agency author's) policy and the risk scan: a hard
rule blocks it. It is held for approval by someone other than its author while an
incident is open on the account or when the scan flags it; otherwise it goes out at
once. Replies are answers, not scheduled posts: an incident's publishing freeze does
not hold an approved reply. Each reply is posted once, whatever retries happen.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta
from html import escape
from typing import Any

from chalicelib.accounts.domain import Account
from chalicelib.accounts.policy import Policy, run_checks
from chalicelib.core.errors import (
    AlreadyDecided,
    Conflict,
    Forbidden,
    LinkInvalid,
    LinkUnknown,
    NotFound,
    PolicyViolation,
    ValidationFailed,
)
from chalicelib.core.ids import retry_on_conflict, sortable_id
from chalicelib.core.users import APPROVING_ROLES, Permission, User
from chalicelib.links.domain import DecisionLink, hash_token, looks_like_token, require_reason
from chalicelib.mentions.base import MentionDeps, MentionUseCases
from chalicelib.mentions.domain import Mention
from chalicelib.mentions.engage import (
    OPEN_STATES,
    QueueItem,
    QueueState,
    check_four_eyes,
    render,
)
from chalicelib.networks.rules import network_name
from chalicelib.networks.social import PostNotFound, PostRejected
from chalicelib.ports import MailFailed

logger = logging.getLogger(__name__)

LINK_KIND = "reply"
LINK_TTL = timedelta(hours=24)


@dataclass(frozen=True)
class ReplyLinkView:
    link: DecisionLink
    mention: Mention
    item: QueueItem
    account: Account
    approver: User


class Engagement(MentionUseCases):
    def __init__(self, deps: MentionDeps) -> None:
        super().__init__(deps)
        self.queue_store = deps.engagement

    # -- reading
    def queue(
        self, user: User, account_id: str, *, state: str = "open", limit: int = 50
    ) -> list[dict[str, Any]]:
        self.service.accounts.account_for(user, account_id)
        if not 1 <= limit <= 200:
            raise ValidationFailed("must be 1..200", field="limit")
        if state == "open":
            states: tuple[QueueState, ...] = OPEN_STATES
        else:
            try:
                states = (QueueState(state),)
            except ValueError:
                allowed = "open, " + ", ".join(s.value for s in QueueState)
                raise ValidationFailed(f"must be one of {allowed}", field="state") from None
        return [view(m, i) for m, i in self.queue_store.queue(account_id, states, limit)]

    def item(self, user: User, account_id: str, mention_id: str) -> dict[str, Any]:
        mention, item = self._load(user, account_id, mention_id)
        return view(mention, item)

    def _load(self, user: User, account_id: str, mention_id: str) -> tuple[Mention, QueueItem]:
        self.service.accounts.account_for(user, account_id)
        found = self.queue_store.get(account_id, mention_id)
        if found is None:
            raise NotFound(f"no mention {mention_id} on {account_id}", field="mention_id")
        return found

    # -- moving an item
    def assign(
        self, user: User, account_id: str, mention_id: str, assignee_id: str
    ) -> dict[str, Any]:
        user.require(Permission.DRAFT)
        mention, item = self._load(user, account_id, mention_id)
        account = self.service.accounts.account_for(user, account_id)
        assignee = self.store.get_user(assignee_id)
        if (
            assignee is None
            or not assignee.can(Permission.DRAFT)
            or not assignee.sees_account(account.id, account.brand_id)
        ):
            raise ValidationFailed(
                "must be someone who may reply on this account", field="assignee"
            )
        saved = self.queue_store.save(mention, item.assign(assignee.id, self.clock.now()))
        return view(mention, saved)

    def dismiss(self, user: User, account_id: str, mention_id: str) -> dict[str, Any]:
        user.require(Permission.DRAFT)
        mention, item = self._load(user, account_id, mention_id)
        return view(mention, self.queue_store.save(mention, item.dismiss(user.id)))

    # -- replying
    def reply(
        self,
        user: User,
        account_id: str,
        mention_id: str,
        *,
        text: str | None = None,
        template_id: str | None = None,
        values: dict[str, str] | None = None,
    ) -> tuple[dict[str, Any], bool]:
        """Reply to a mention: (the item, whether the reply went out). Held replies wait
        for another person's approval; a hard rule blocks the reply outright."""
        user.require(Permission.DRAFT)
        mention, item = self._load(user, account_id, mention_id)
        account = self.service.accounts.account_for(user, account_id)
        if item.posting:
            # Approved (or needing none) but not confirmed out: finish it, never twice.
            return view(mention, self._publish(account, mention, item, check_first=True)), True
        body = self._reply_text(account, mention, text, template_id, values or {})
        flagged = self._check(account, user, body)
        held_because = list(flagged)
        open_incidents = self.open_incidents(account.id)
        if open_incidents:
            held_because.insert(0, f"incident {open_incidents[0]} is open on the account")
        now = self.clock.now()
        drafted = item.draft_reply(sortable_id(now), body, user.id, now, tuple(held_because))
        if not drafted.assignee:  # whoever answers has taken it
            drafted = replace(drafted, state=QueueState.ASSIGNED, assignee=user.id, assigned_at=now)
        saved = self.queue_store.save(mention, drafted)
        if held_because:
            self.ask_approval(account, mention, saved)
            return view(mention, saved), False
        return view(mention, self._publish(account, mention, saved, check_first=False)), True

    def _reply_text(
        self,
        account: Account,
        mention: Mention,
        text: str | None,
        template_id: str | None,
        values: dict[str, str],
    ) -> str:
        if (text is None) == (template_id is None):
            raise ValidationFailed("give either text or template_id", field="text")
        if template_id is not None:
            template = self.queue_store.get_template(account.id, template_id)
            if template is None:
                raise NotFound(f"no template {template_id}", field="template_id")
            filled = {
                "author": f"@{mention.author_username}" if mention.author_username else "",
                "account": account.handle,
                **values,
            }
            text = render(template, filled)
        assert text is not None
        text = text.strip()
        if not text:
            raise ValidationFailed("must not be empty", field="text")
        text = addressed(account.network, mention.author_username, text)
        too_long = self.service.social.text_rules(account).problem(text)
        if too_long:
            raise ValidationFailed(too_long, field="text")
        return text

    def _check(self, account: Account, author: User, text: str) -> list[str]:
        """Hard rules block (PolicyViolation); the risk scan's flags are returned."""
        agency = None
        if author.is_agency and author.agency_id:
            agency = self.store.get_agency_policy(author.brand_id, author.agency_id) or Policy()
        result = run_checks(
            text=text,
            links=(),
            scheduled_at=None,
            timezone=account.timezone,
            account_policy=account.policy,
            agency_policy=agency,
            risk=self.service.deps.scanner.scan(text) if self.service.deps.scanner else None,
        )
        if result.violations:
            messages = [v.message for v in result.violations]
            raise PolicyViolation(
                "the reply breaks the account's rules: " + "; ".join(messages),
                rules=[v.rule for v in result.violations],
            )
        return list(result.warnings)

    def ask_approval(
        self, account: Account, mention: Mention, item: QueueItem, *, retried: bool = False
    ) -> None:
        """Mail each person who may approve (not the reply's author) a single-use link;
        a held reply whose mails did not all go out is remembered for the next run."""
        assert item.reply is not None
        failed = False
        people = [
            u
            for u in self.store.users_of_brand(account.brand_id)
            if u.role in APPROVING_ROLES
            and u.id != item.reply.author_id
            and u.sees_account(account.id, account.brand_id)
        ]
        base = self.service.config.public_base_url.rstrip("/")
        for person in people:
            key = f"reply-approval#{account.id}#{mention.id}#{item.reply.version}#{person.id}"
            if not self.store.claim_once(key, self.clock.now()):
                continue
            token, link = DecisionLink.issue(
                approver_id=person.id,
                subject_type=LINK_KIND,
                subject_id=mention.id,
                subject_version=item.reply.version,
                account_id=account.id,
                actions=("approve", "reject"),
                now=self.clock.now(),
                ttl=LINK_TTL,
            )
            self.store.put_link(link)
            url = f"{base}/links/{token}"
            why = "; ".join(item.reply.held_because)
            text = (
                f"A reply on {account.handle} waits for your approval ({why}).\n\n"
                f"@{mention.author_username or mention.author_id} wrote: {mention.text}\n\n"
                f"Reply: {item.reply.text}\n\nDecide: {url}"
            )
            html = (
                f"<p>A reply on {escape(account.handle)} waits for your approval "
                f"({escape(why)}).</p><blockquote>{escape(mention.text)}</blockquote>"
                f'<p>Reply: {escape(item.reply.text)}</p><p><a href="{escape(url)}">Decide</a></p>'
            )
            try:
                self.service.mailer.send(
                    to=person.email,
                    subject=f"Reply to approve on {account.handle}",
                    text=text,
                    html=html,
                )
            except MailFailed:
                self.store.release_once(key)
                failed = True
                logger.warning("reply approval mail to %s not sent; sent again", person.id)
        # The reminders job sends what failed again; nothing to remember otherwise.
        if failed or retried:
            self.mentions.mark_unmailed(account.id, mention.id, failed)

    def approve(
        self, user: User, account_id: str, mention_id: str, *, version: int | None = None
    ) -> dict[str, Any]:
        mention, item = self._load(user, account_id, mention_id)
        account = self.service.accounts.account_for(user, account_id)
        self._require_decider(user, item, version)
        # Conditional on the item as read: a reject or another approval that got there
        # first wins, and this one is refused (409) rather than posting over it.
        approved = self.queue_store.save(mention, item.approved(user.id))
        return view(mention, self._publish(account, mention, approved, check_first=False))

    def reject(
        self,
        user: User,
        account_id: str,
        mention_id: str,
        reason: str,
        *,
        version: int | None = None,
    ) -> dict[str, Any]:
        mention, item = self._load(user, account_id, mention_id)
        self._require_decider(user, item, version)
        require_reason("reject", reason)
        return view(mention, self.queue_store.save(mention, item.rejected(user.id, reason)))

    def _require_decider(self, user: User, item: QueueItem, version: int | None) -> None:
        if user.role not in APPROVING_ROLES:
            raise Forbidden(f"role {user.role.value} may not approve replies")
        if not item.held or item.reply is None:
            raise AlreadyDecided("no reply is waiting for approval")
        if version is not None and version != item.reply.version:
            raise Conflict(f"the reply is at version {item.reply.version}, not {version}")
        check_four_eyes(item.reply, user.id)

    def _publish(
        self, account: Account, mention: Mention, item: QueueItem, *, check_first: bool
    ) -> QueueItem:
        """Post the reply that is on its way (``posting``) as a reply to the mention.

        Once per item revision (a claim): a second caller is refused. ``check_first``
        (finishing an earlier attempt) looks on X for the reply before posting it, so
        an attempt whose answer was lost is adopted, not doubled. X refusing it for good
        marks it failed, and the item may be answered again."""
        assert item.reply is not None and item.posting
        key = f"reply#{account.id}#{mention.id}#{item.reply.id}#{item.revision}"
        if not self.store.claim_once(key, self.clock.now()):
            raise Conflict("this reply is being posted already; look again in a moment")
        client = self.service.social.client_for(account)
        try:
            posted = self._existing_reply(client, mention, item) if check_first else None
            if posted is None:
                posted = client.publish(item.reply.text, reply_to=mention.ref or mention.id)
        except PostNotFound:
            # The mention is gone (deleted by its author): nothing to answer, for good.
            self.queue_store.save(mention, item.failed("the mention was deleted"))
            raise
        except PostRejected:
            self.queue_store.save(
                mention, item.failed(f"{network_name(account.network)} refused the reply")
            )
            raise
        except Exception:
            self.store.release_once(key)  # unclear: the next attempt looks on X first
            raise
        # Ours: the watcher must not take it for a post Firebreak did not publish.
        self.store.mark_published(account.id, posted.id, "reply")
        done = item.posted(posted.id, self.clock.now())
        for _ in range(3):
            try:
                return self.queue_store.save(mention, done)
            except Conflict:  # assigned meanwhile: keep that, with the reply out
                fresh = self.queue_store.get(account.id, mention.id)
                assert fresh is not None
                done = replace(fresh[1], state=done.state, reply=done.reply)
        raise Conflict("the reply went out but its state could not be saved; reload")

    def _existing_reply(self, client: Any, mention: Mention, item: QueueItem) -> Any:
        """Our post on X replying to ``mention`` with this reply's text, if there is one."""
        from chalicelib.networks.social import expanded_text, same_text

        assert item.reply is not None
        for post in client.timeline(since_id=mention.id):
            refs = post.raw.get("referenced_tweets") or ()
            answers = any(r.get("type") == "replied_to" and r.get("id") == mention.id for r in refs)
            if answers and same_text(expanded_text(post), item.reply.text):
                return post
        return None

    # -- mailed links
    def open_link(self, token: str) -> ReplyLinkView:
        if not looks_like_token(token):
            raise LinkUnknown("this link is not valid")
        link = self.store.get_link(hash_token(token))
        if link is None or link.subject_type != LINK_KIND:
            raise LinkUnknown("this link is not valid")
        found = self.queue_store.get(link.account_id, link.subject_id)
        approver = self.store.get_user(link.approver_id)
        account = self.store.get_account(link.account_id)
        if found is None or approver is None or account is None:
            raise LinkInvalid("this link is not valid any more")
        mention, item = found
        version = item.reply.version if item.held and item.reply else -1
        link.check_usable(now=self.clock.now(), current_version=version)
        if approver.role not in APPROVING_ROLES or not approver.sees_account(
            account.id, account.brand_id
        ):
            raise LinkInvalid("you may no longer decide on this reply")
        return ReplyLinkView(link, mention, item, account, approver)

    def decide_by_link(
        self,
        token: str,
        *,
        action: str,
        subject_id: str,
        reason: str = "",
        api_user: User | None = None,
    ) -> QueueItem:
        view_ = self.open_link(token)
        view_.link.check_action(
            action, subject_id=subject_id, actor_id=api_user.id if api_user else None
        )
        require_reason(action, reason)
        assert view_.item.reply is not None
        check_four_eyes(view_.item.reply, view_.approver.id)
        self.store.burn_link(view_.link.token_hash, self.clock.now(), action)
        mention, approver = view_.mention, view_.approver

        def decide() -> QueueItem:
            # The link is spent: a lost race is retried on the fresh item, while the
            # reply is still the one this person saw.
            fresh = self.queue_store.get(mention.account_id, mention.id)
            item = fresh[1] if fresh else None
            if item is None or not item.held or item.reply is None:
                raise AlreadyDecided("the reply was decided meanwhile")
            if item.reply.version != view_.link.subject_version:
                raise AlreadyDecided("the reply changed meanwhile")
            if action == "approve":
                return self.queue_store.save(mention, item.approved(approver.id))
            return self.queue_store.save(mention, item.rejected(approver.id, reason))

        decided = retry_on_conflict(decide)
        if action == "approve":
            return self._publish(view_.account, mention, decided, check_first=False)
        return decided


def view(mention: Mention, item: QueueItem) -> dict[str, Any]:
    """What the API shows of a queue item: the mention and its queue state."""
    return {"mention": mention.to_dict(), **item.to_dict()}


def addressed(network: str, author: str | None, text: str) -> str:
    """The reply as the network needs it to reach the person: on Mastodon only the
    accounts named in a status are notified (its web app puts ``@author`` in front of a
    reply, and so does Firebreak, counted in the length); X and Bluesky notify the
    author of what a reply answers."""
    if network != "mastodon" or not author:
        return text
    handle = "@" + author.lstrip("@")
    words = {w.rstrip(".,:;!?").lower() for w in text.split()}
    if handle.lower() in words:
        return text
    return f"{handle} {text}"
