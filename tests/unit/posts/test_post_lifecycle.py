"""The post lifecycle: the transition table exactly as documented, and the invariants any
run of actions keeps (checked with hypothesis rather than one test per table cell)."""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.core.errors import IllegalTransition
from chalicelib.posts.domain import TRANSITIONS, Post, PostAction, PostStatus, next_status

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
FINAL = frozenset({S.PUBLISHED, S.CANCELLED})
# Once claimed, a post ends published, failed or back in the queue: nobody pulls the rug.
UNEDITABLE = FINAL | {S.PUBLISHING}
NOW = datetime(2026, 1, 1, tzinfo=UTC)

# The spaces are small (10 statuses x 11 actions): hypothesis exhausts the pairs, and the
# sequences stay short enough that the whole file runs in well under a second.
FAST = settings(max_examples=200, database=None, derandomize=True, deadline=None)
statuses = st.sampled_from(PostStatus)
actions = st.sampled_from(PostAction)


def draft() -> Post:
    return Post("p", "a", "x", "hi", "u", False, NOW, NOW)


def test_table_is_exactly_the_documented_one() -> None:
    assert TRANSITIONS == EXPECTED


@FAST
@given(statuses, st.lists(actions, min_size=1, max_size=12))
def test_any_run_of_actions_follows_the_table_or_is_refused_by_name(
    start: PostStatus, run: list[PostAction]
) -> None:
    # Any start will do: every status is reachable from a draft (tested below).
    post = replace(draft(), status=start)
    for action in run:
        before = post.status
        if (before, action) in EXPECTED:
            post = post.transition(action)
            assert post.status is EXPECTED[(before, action)]
        else:
            with pytest.raises(IllegalTransition) as err:
                post.transition(action)
            assert before.value in err.value.message and action.value in err.value.message
            assert err.value.field == "status"
            assert post.status is before  # a refused move leaves the post as it was


@FAST
@given(statuses, actions)
def test_an_action_always_leads_to_the_same_status(status: PostStatus, action: PostAction) -> None:
    # Wherever an action is legal it means one thing: no status-dependent surprises.
    targets = {to for (_, act), to in TRANSITIONS.items() if act is action}
    assert len(targets) == 1
    try:
        moved = next_status(status, action)
    except IllegalTransition:
        return
    assert {moved} == targets


@FAST
@given(st.sampled_from(sorted(FINAL)), actions)
def test_published_and_cancelled_accept_no_action(final: PostStatus, action: PostAction) -> None:
    with pytest.raises(IllegalTransition):
        next_status(final, action)


@FAST
@given(statuses)
def test_an_edit_always_returns_to_draft(status: PostStatus) -> None:
    if status in UNEDITABLE:
        with pytest.raises(IllegalTransition):
            next_status(status, A.EDIT)
    else:
        assert next_status(status, A.EDIT) is S.DRAFT


@FAST
@given(statuses)
def test_anything_not_claimed_or_final_can_be_cancelled(status: PostStatus) -> None:
    if status in UNEDITABLE:
        with pytest.raises(IllegalTransition):
            next_status(status, A.CANCEL)
    else:
        assert next_status(status, A.CANCEL) is S.CANCELLED


def test_publishing_cannot_be_edited_or_cancelled() -> None:
    # Once a run has claimed a post, nobody can pull the rug: it ends published or failed.
    for action in (A.EDIT, A.CANCEL, A.CLAIM):
        with pytest.raises(IllegalTransition):
            next_status(S.PUBLISHING, action)


def _reachable(start: PostStatus, without: PostAction | None = None) -> set[PostStatus]:
    """The statuses the real table can move ``start`` to, never taking ``without``."""
    seen, queue = {start}, deque([start])
    while queue:
        here = queue.popleft()
        for (src, action), dst in TRANSITIONS.items():
            if src is here and action is not without and dst not in seen:
                seen.add(dst)
                queue.append(dst)
    return seen


def test_every_status_is_reachable_from_draft() -> None:
    assert _reachable(S.DRAFT) == set(PostStatus)


@FAST
@given(statuses)
def test_no_status_is_a_dead_end(status: PostStatus) -> None:
    # Every post can still end somewhere final: published, or cancelled by someone.
    assert _reachable(status) & FINAL


def test_published_is_reached_only_from_publishing() -> None:
    assert [src for (src, _), dst in TRANSITIONS.items() if dst is S.PUBLISHED] == [S.PUBLISHING]


@FAST
@given(st.sampled_from([A.SUBMIT, A.APPROVE, A.CLAIM, A.PUBLISHED]))
def test_no_way_to_published_skips_submit_approve_and_claim(needed: PostAction) -> None:
    # From a draft (where every edit lands), publishing takes a fresh submit, an approval
    # and a claim: an edit after the approval sends the post round again.
    assert S.PUBLISHED not in _reachable(S.DRAFT, without=needed)
    assert S.PUBLISHED in _reachable(S.DRAFT)


def test_transition_returns_a_new_post() -> None:
    post = draft()
    moved = post.transition(A.SUBMIT)
    assert moved.status is S.SUBMITTED and post.status is S.DRAFT
