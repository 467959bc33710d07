"""The whole post lifecycle transition table: every legal move, and every other move refused."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import product

import pytest

from chalicelib.domain.errors import IllegalTransition
from chalicelib.domain.posts import TRANSITIONS, Post, PostAction, PostStatus, next_status

S, A = PostStatus, PostAction

EXPECTED = {
    (S.DRAFT, A.EDIT): S.DRAFT,
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.DRAFT, A.CANCEL): S.CANCELLED,
    (S.DRAFT, A.EXPIRE): S.EXPIRED,
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


def test_table_is_exactly_the_documented_one() -> None:
    assert TRANSITIONS == EXPECTED


@pytest.mark.parametrize(("status", "action"), list(product(PostStatus, PostAction)))
def test_every_pair(status: PostStatus, action: PostAction) -> None:
    if (status, action) in EXPECTED:
        assert next_status(status, action) is EXPECTED[(status, action)]
    else:
        with pytest.raises(IllegalTransition) as err:
            next_status(status, action)
        assert status.value in err.value.message and action.value in err.value.message


def test_published_and_cancelled_are_final() -> None:
    for action in PostAction:
        for final in (S.PUBLISHED, S.CANCELLED):
            with pytest.raises(IllegalTransition):
                next_status(final, action)


def test_publishing_cannot_be_edited_or_cancelled() -> None:
    # Once a run has claimed a post, nobody can pull the rug: it ends published or failed.
    for action in (A.EDIT, A.CANCEL, A.CLAIM):
        with pytest.raises(IllegalTransition):
            next_status(S.PUBLISHING, action)


def test_transition_returns_a_new_post() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    post = Post("p", "a", "x", "hi", "u", False, now, now)
    moved = post.transition(A.SUBMIT)
    assert moved.status is S.SUBMITTED and post.status is S.DRAFT
