"""Approval rules (P4), self-approval, edit reset and reject with a reason (P6)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from chalicelib.core.errors import (
    AlreadyDecided,
    Forbidden,
    IllegalTransition,
    SelfApprovalForbidden,
    ValidationFailed,
)
from chalicelib.core.users import Role, User
from chalicelib.posts.approvals import (
    ApprovalRule,
    ApprovalRules,
    approve,
    check_decision,
    reject,
)
from chalicelib.posts.domain import Post, PostAction, PostStatus

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def user(uid: str, role: Role, agency: str | None = None) -> User:
    return User(uid, uid, f"{uid}@x.example", role, "acme", agency)


AUTHOR = user("author", Role.AUTHOR)
AGENT = user("agent", Role.AGENCY, "ag")
APPROVER = user("approver", Role.APPROVER)
APPROVER2 = user("approver2", Role.APPROVER)
OWNER = user("owner", Role.BRAND_OWNER)


def submitted(author: User = AUTHOR) -> Post:
    post = Post("p1", "acct", "x", "hello", author.id, author.is_agency, NOW, NOW)
    return post.transition(PostAction.SUBMIT)


def test_staff_post_needs_one_approval_by_default() -> None:
    rules = ApprovalRules()
    post = submitted()
    done = approve(post, APPROVER, rules.for_post(post), now=NOW, channel="api")
    assert done.status is PostStatus.APPROVED
    assert [a.user_id for a in done.current_approvals()] == ["approver"]


def test_agency_post_needs_two_with_a_brand_owner() -> None:
    rule = ApprovalRules().for_post(submitted(AGENT))
    post = submitted(AGENT)
    one = approve(post, APPROVER, rule, now=NOW, channel="email")
    assert one.status is PostStatus.SUBMITTED
    assert rule.missing(one.current_approvals()) == ["1 more approval(s)", "a brand_owner approval"]
    # A second plain approver is not enough: the owner is required.
    two = approve(one, APPROVER2, rule, now=NOW, channel="email")
    assert two.status is PostStatus.SUBMITTED
    assert rule.missing(two.current_approvals()) == ["a brand_owner approval"]
    three = approve(two, OWNER, rule, now=NOW, channel="api")
    assert three.status is PostStatus.APPROVED


def test_author_never_approves_own_post() -> None:
    post = submitted(OWNER)
    with pytest.raises(SelfApprovalForbidden):
        approve(post, OWNER, ApprovalRule(1), now=NOW, channel="api")


def test_roles_without_approval_right_are_refused() -> None:
    with pytest.raises(Forbidden):
        approve(submitted(), user("a2", Role.AUTHOR), ApprovalRule(1), now=NOW, channel="api")
    with pytest.raises(Forbidden):
        approve(
            submitted(), user("ag2", Role.AGENCY, "ag"), ApprovalRule(1), now=NOW, channel="api"
        )


def test_same_person_cannot_approve_twice() -> None:
    rule = ApprovalRule(2)
    once = approve(submitted(), APPROVER, rule, now=NOW, channel="api")
    with pytest.raises(AlreadyDecided):
        approve(once, APPROVER, rule, now=NOW, channel="email")


def test_edit_resets_approvals() -> None:
    rule = ApprovalRule(2)
    once = approve(submitted(), APPROVER, rule, now=NOW, channel="api")
    edited = once.transition(PostAction.EDIT, version=once.version + 1, approvals=())
    resubmitted = edited.transition(PostAction.SUBMIT)
    assert resubmitted.current_approvals() == ()
    # Even approvals that survived in storage do not count for the new version.
    stale = replace(resubmitted, approvals=once.approvals)
    assert stale.current_approvals() == ()


def test_only_submitted_posts_can_be_decided() -> None:
    draft = Post("p1", "acct", "x", "hello", "author", False, NOW, NOW)
    with pytest.raises(IllegalTransition):
        approve(draft, APPROVER, ApprovalRule(1), now=NOW, channel="api")


def test_reject_needs_a_reason_and_clears_approvals() -> None:
    with pytest.raises(ValidationFailed) as err:
        reject(submitted(), APPROVER, "  ", now=NOW)
    assert err.value.field == "reason"
    rule = ApprovalRule(2)
    once = approve(submitted(), APPROVER, rule, now=NOW, channel="api")
    rejected = reject(once, APPROVER2, "tone is off", now=NOW)
    assert rejected.status is PostStatus.REJECTED
    assert rejected.rejection_reason == "tone is off" and rejected.approvals == ()
    # Revise and resubmit
    again = rejected.transition(PostAction.EDIT, version=2).transition(PostAction.SUBMIT)
    assert again.status is PostStatus.SUBMITTED


def test_an_approved_post_can_still_be_rejected_until_the_publisher_claims_it() -> None:
    approved = approve(submitted(), APPROVER, ApprovalRule(1), now=NOW, channel="email")
    assert approved.status is PostStatus.APPROVED
    # Legal spots an embargo after the one approval the rule needed
    stopped = reject(approved, APPROVER2, "embargoed until Friday", now=NOW)
    assert stopped.status is PostStatus.REJECTED and stopped.approvals == ()
    # Approving it again is not a decision anyone can take
    with pytest.raises(IllegalTransition):
        check_decision(approved, APPROVER2, "approve")
    # Once the publisher has claimed it, it is too late
    claimed = approved.transition(PostAction.CLAIM)
    with pytest.raises(IllegalTransition) as err:
        reject(claimed, APPROVER2, "embargoed", now=NOW)
    assert "publishing" in err.value.message
    # The approval rights still apply: a role without them cannot stop it either
    with pytest.raises(Forbidden):
        check_decision(approved, AUTHOR, "reject")


def test_rule_validation() -> None:
    with pytest.raises(ValidationFailed):
        ApprovalRule(0)
    with pytest.raises(ValidationFailed):
        ApprovalRule(1, (Role.BRAND_OWNER, Role.ADMIN))
    rules = ApprovalRules(ApprovalRule(2, (Role.ADMIN,)), ApprovalRule(3))
    assert ApprovalRules.from_dict(rules.to_dict()) == rules
