"""Approval rules per account (P4) and the approve / reject decisions on a post (P6)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.core.errors import (
    AlreadyDecided,
    Forbidden,
    IllegalTransition,
    SelfApprovalForbidden,
    ValidationFailed,
)
from chalicelib.core.users import Permission, Role, User
from chalicelib.links.domain import require_reason
from chalicelib.posts.domain import Approval, Post, PostAction, PostStatus


@dataclass(frozen=True)
class ApprovalRule:
    """``approvals`` distinct people, among them at least one holder of each required role."""

    approvals: int
    required_roles: tuple[Role, ...] = ()

    def __post_init__(self) -> None:
        if self.approvals < 1:
            raise ValidationFailed("at least one approval is required", field="approvals")
        if len(self.required_roles) > self.approvals:
            raise ValidationFailed("more required roles than approvals", field="required_roles")

    def is_met(self, approvals: tuple[Approval, ...]) -> bool:
        return not self.missing(approvals)

    def missing(self, approvals: tuple[Approval, ...]) -> list[str]:
        """What is still needed, in words; empty when the rule is met."""
        people = {a.user_id for a in approvals}
        roles = {a.role for a in approvals}
        needs = [f"a {r.value} approval" for r in self.required_roles if r.value not in roles]
        if len(people) < self.approvals:
            needs.insert(0, f"{self.approvals - len(people)} more approval(s)")
        return needs

    def to_dict(self) -> dict[str, object]:
        return {
            "approvals": self.approvals,
            "required_roles": [r.value for r in self.required_roles],
        }

    @staticmethod
    def from_dict(data: dict[str, object]) -> ApprovalRule:
        roles = data.get("required_roles") or []
        assert isinstance(roles, list)
        return ApprovalRule(int(str(data["approvals"])), tuple(Role(str(r)) for r in roles))


@dataclass(frozen=True)
class ApprovalRules:
    """Which rule applies: posts by brand staff, posts by agency staff."""

    staff: ApprovalRule = ApprovalRule(1)
    agency: ApprovalRule = ApprovalRule(2, (Role.BRAND_OWNER,))

    def for_post(self, post: Post) -> ApprovalRule:
        return self.agency if post.author_is_agency else self.staff

    def to_dict(self) -> dict[str, object]:
        return {"staff": self.staff.to_dict(), "agency": self.agency.to_dict()}

    @staticmethod
    def from_dict(data: dict[str, object]) -> ApprovalRules:
        staff, agency = data.get("staff"), data.get("agency")
        default = ApprovalRules()
        return ApprovalRules(
            ApprovalRule.from_dict(staff) if isinstance(staff, dict) else default.staff,
            ApprovalRule.from_dict(agency) if isinstance(agency, dict) else default.agency,
        )


def check_decision(post: Post, approver: User, action: str) -> None:
    """Raise what ``approve`` or ``reject`` would raise, deciding nothing: a mailed link
    runs this before it is spent, so a refused decision leaves the link usable."""
    if not approver.can(Permission.APPROVE):
        raise Forbidden(f"role {approver.role.value} may not approve or reject posts")
    if approver.id in (post.author_id, post.edited_by):
        # Whoever wrote the current words, author or editor, is not the one to approve them.
        raise SelfApprovalForbidden("an author never approves or rejects their own post")
    if action == "reject":
        # An approver who spots a problem after approval can still stop the post, up to
        # the moment the publisher claims it.
        if post.status not in (PostStatus.SUBMITTED, PostStatus.APPROVED):
            raise IllegalTransition(
                f"post is {post.status.value}: only a post waiting for approval or "
                "approved and not yet publishing can be rejected",
                field="status",
            )
        return
    if post.status is not PostStatus.SUBMITTED:
        raise IllegalTransition(
            f"post is {post.status.value}, not waiting for approval", field="status"
        )
    if any(a.user_id == approver.id for a in post.current_approvals()):
        raise AlreadyDecided("you already approved this version")


def approve(post: Post, approver: User, rule: ApprovalRule, *, now: datetime, channel: str) -> Post:
    """Record ``approver``'s approval of the current version; complete it if the rule is met."""
    check_decision(post, approver, "approve")
    approvals = (
        *post.current_approvals(),
        Approval(approver.id, approver.role.value, post.version, now, channel),
    )
    if rule.is_met(approvals):
        return post.transition(PostAction.APPROVE, approvals=approvals, updated_at=now)
    return replace(post, approvals=approvals, updated_at=now)


def reject(post: Post, approver: User, reason: str, *, now: datetime) -> Post:
    check_decision(post, approver, "reject")
    require_reason("reject", reason)
    return post.transition(
        PostAction.REJECT, rejection_reason=reason.strip(), approvals=(), updated_at=now
    )
