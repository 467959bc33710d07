"""Mailed decision links on posts (P5): open one for its confirmation page (changes
nothing), decide through it (spent first, so a replay changes nothing)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from chalicelib.accounts.domain import Account
from chalicelib.core.audit import Actor, Channel
from chalicelib.core.errors import (
    LinkInvalid,
    LinkStale,
    LinkUnknown,
    VersionChanged,
)
from chalicelib.core.ids import retry_on_conflict
from chalicelib.core.usecases import Deps, UseCases
from chalicelib.core.users import APPROVING_ROLES, User
from chalicelib.links.domain import (
    DecisionLink,
    hash_token,
    looks_like_token,
    require_reason,
)
from chalicelib.posts.approvals import check_decision
from chalicelib.posts.domain import Post
from chalicelib.posts.service import PostService

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkView:
    """What a confirmation page shows for a valid link."""

    link: DecisionLink
    post: Post
    account: Account
    approver: User
    approved_by: tuple[str, ...] = ()  # names of who approved this version so far


class LinkService(UseCases):
    def __init__(self, deps: Deps, posts: PostService) -> None:
        super().__init__(deps)
        self.posts = posts

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
        names = tuple(
            (u.name if (u := self.store.get_user(a.user_id)) else a.user_id)
            for a in post.current_approvals()
        )
        return LinkView(link, post, account, approver, names)

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
                    lambda: self.posts.approve_post(actor, view.post.id, seen_version=seen)
                )
            return retry_on_conflict(
                lambda: self.posts.reject_post(actor, view.post.id, reason, seen_version=seen)
            )
        except VersionChanged as exc:
            raise LinkStale(
                f"{exc.message}. Nothing was decided; the new version's link is in your mail"
            ) from None
