"""Posts and their lifecycle (P1, P4, P6, P8, P9): one status enum, one transition table."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from chalicelib.core.errors import IllegalTransition


class PostStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for approvals
    APPROVED = "approved"  # fully approved, waiting for its time
    PUBLISHING = "publishing"  # a publisher run has claimed it
    PUBLISHED = "published"
    REJECTED = "rejected"
    HELD = "held"  # came due while the account was frozen; needs approval again
    EXPIRED = "expired"  # came due without full approval: never published
    FAILED = "failed"  # the network refused it or retries ran out
    CANCELLED = "cancelled"


class PostAction(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"  # an approval that completes the rule
    REJECT = "reject"
    CANCEL = "cancel"
    CLAIM = "claim"  # publisher takes it
    PUBLISHED = "published"
    RETRY_LATER = "retry_later"  # 429 / transient failure: back to approved
    FAIL = "fail"
    EXPIRE = "expire"
    HOLD = "hold"


S = PostStatus
A = PostAction

# (from, action) -> to. Anything not here is illegal.
TRANSITIONS: dict[tuple[PostStatus, PostAction], PostStatus] = {
    (S.DRAFT, A.EDIT): S.DRAFT,
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.DRAFT, A.CANCEL): S.CANCELLED,
    (S.DRAFT, A.EXPIRE): S.EXPIRED,
    # An edit of anything not yet published resets approvals: back to draft.
    (S.SUBMITTED, A.EDIT): S.DRAFT,
    (S.SUBMITTED, A.APPROVE): S.APPROVED,
    (S.SUBMITTED, A.REJECT): S.REJECTED,
    (S.SUBMITTED, A.CANCEL): S.CANCELLED,
    (S.SUBMITTED, A.EXPIRE): S.EXPIRED,
    (S.SUBMITTED, A.HOLD): S.HELD,
    (S.APPROVED, A.EDIT): S.DRAFT,
    (S.APPROVED, A.CANCEL): S.CANCELLED,
    (S.APPROVED, A.CLAIM): S.PUBLISHING,
    (S.APPROVED, A.HOLD): S.HELD,
    (S.APPROVED, A.REJECT): S.REJECTED,
    (S.PUBLISHING, A.PUBLISHED): S.PUBLISHED,
    (S.PUBLISHING, A.RETRY_LATER): S.APPROVED,
    (S.PUBLISHING, A.FAIL): S.FAILED,
    (S.REJECTED, A.EDIT): S.DRAFT,
    (S.REJECTED, A.CANCEL): S.CANCELLED,
    (S.HELD, A.EDIT): S.DRAFT,
    (S.HELD, A.SUBMIT): S.SUBMITTED,
    (S.HELD, A.CANCEL): S.CANCELLED,
    (S.EXPIRED, A.EDIT): S.DRAFT,
    (S.EXPIRED, A.CANCEL): S.CANCELLED,
    (S.FAILED, A.EDIT): S.DRAFT,
    (S.FAILED, A.CANCEL): S.CANCELLED,
}


def next_status(current: PostStatus, action: PostAction) -> PostStatus:
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise IllegalTransition(
            f"cannot {action.value} a post that is {current.value}", field="status"
        ) from None


@dataclass(frozen=True)
class Approval:
    """One approver's yes for one version of a post."""

    user_id: str
    role: str
    version: int
    at: datetime
    channel: str


@dataclass(frozen=True)
class Post:
    id: str
    account_id: str
    network: str
    text: str
    author_id: str
    author_is_agency: bool
    created_at: datetime
    updated_at: datetime
    scheduled_at: datetime | None = None
    status: PostStatus = PostStatus.DRAFT
    version: int = 1  # content version: an edit bumps it and voids approvals and links
    revision: int = 0  # bumped by every stored change; guards writes against races
    links: tuple[str, ...] = ()
    approvals: tuple[Approval, ...] = ()
    rejection_reason: str | None = None
    network_post_id: str | None = None
    published_at: datetime | None = None
    attempts: int = 0
    next_attempt_at: datetime | None = None
    failure_reason: str | None = None
    edited_by: str | None = None  # who wrote the current version, when not the author
    check: dict[str, object] = field(default_factory=dict)

    def transition(self, action: PostAction, **changes: object) -> Post:
        """The post after ``action``; raises ``IllegalTransition`` for an illegal move."""
        status = next_status(self.status, action)
        return replace(self, status=status, **changes)  # type: ignore[arg-type]

    def current_approvals(self) -> tuple[Approval, ...]:
        return tuple(a for a in self.approvals if a.version == self.version)
