"""The posting pages' own logic: a date field's wall time read in the account's zone,
refusals in words, and which buttons a person gets (exactly what the service allows)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.core.errors import Forbidden, PolicyViolation, ValidationFailed
from chalicelib.core.users import Role, User
from chalicelib.posts.domain import Approval, Post, PostStatus
from chalicelib.web.posts_pages import local_input, may, problem, wall_time

AT = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)
BERLIN = "Europe/Berlin"


def _user(user_id: str, role: Role) -> User:
    return User(user_id, user_id, f"{user_id}@acme.example", role, "acme")


ALICE = _user("u_alice", Role.AUTHOR)
BOB = _user("u_bob", Role.APPROVER)
OLIVIA = _user("u_olivia", Role.BRAND_OWNER)
GINA = _user("u_gina", Role.AGENCY)


def _post(status: PostStatus, author: str = "u_alice", **changes: object) -> Post:
    return Post(
        id="post_1",
        account_id="acct_demo",
        network="x",
        text="Spring blend",
        author_id=author,
        author_is_agency=author == "u_gina",
        created_at=AT,
        updated_at=AT,
        scheduled_at=AT,
        status=status,
        **changes,  # type: ignore[arg-type]
    )


def test_a_date_field_is_read_in_the_accounts_zone() -> None:
    assert local_input("2026-03-03T10:00", BERLIN) == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    assert local_input("2026-07-01T10:00", BERLIN) == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    # An offset the browser added is ignored: the field holds a wall time.
    assert local_input("2026-03-03T10:00+05:00", BERLIN) == datetime(2026, 3, 3, 9, tzinfo=UTC)
    assert local_input("  ", BERLIN) is None
    assert wall_time(datetime(2026, 3, 3, 9, 0, tzinfo=UTC), BERLIN) == "2026-03-03T10:00"
    assert wall_time(None, BERLIN) == ""


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("2026-03-29T02:30", "does not exist in Europe/Berlin"),  # clocks go forward
        ("tomorrow", "must be a date and time"),
        ("0001-01-01T00:30", "out of range"),
    ],
)
def test_an_impossible_date_field_is_refused_in_words(value: str, says: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        local_input(value, BERLIN)
    assert says in refused.value.message and refused.value.field == "scheduled_at"


def test_refusals_read_as_sentences_naming_the_field() -> None:
    past = problem(ValidationFailed("is in the past: pick a time to come", field="scheduled_at"))
    assert past["message"] == "The schedule is in the past: pick a time to come"
    assert problem(Forbidden("role approver may not draft"))["message"].startswith("Role ")
    hits = problem(PolicyViolation("the post breaks hard rules", rules=["account:x: y"]))
    assert hits["rules"] == ["account:x: y"] and hits["field"] is None


def test_an_author_gets_no_decision_on_her_own_post() -> None:
    allowed = may(ALICE, _post(PostStatus.SUBMITTED))
    assert not allowed["approve"] and not allowed["reject"]
    assert allowed["edit"] and allowed["reschedule"] and allowed["cancel"]
    assert not allowed["submit"]  # already submitted
    assert may(ALICE, _post(PostStatus.HELD))["submit"]  # send back through approval


def test_an_approver_decides_but_never_edits() -> None:
    allowed = may(BOB, _post(PostStatus.SUBMITTED))
    assert allowed["approve"] and allowed["reject"]
    assert not (allowed["edit"] or allowed["submit"] or allowed["cancel"])
    approved = may(BOB, _post(PostStatus.APPROVED))
    assert not approved["approve"] and approved["reject"]  # still stoppable
    seen = _post(PostStatus.SUBMITTED, approvals=(Approval("u_bob", "approver", 1, AT, "api"),))
    assert not may(BOB, seen)["approve"]  # already approved this version


def test_seniors_edit_anyones_post_and_others_only_their_own() -> None:
    assert may(OLIVIA, _post(PostStatus.APPROVED))["reschedule"]
    assert not may(GINA, _post(PostStatus.DRAFT))["edit"]
    assert may(GINA, _post(PostStatus.DRAFT, author="u_gina"))["edit"]
    # Whoever wrote this version does not approve it, even a brand owner.
    assert not may(OLIVIA, _post(PostStatus.SUBMITTED, edited_by="u_olivia"))["approve"]


def test_a_published_post_offers_nothing() -> None:
    for user in (ALICE, BOB, OLIVIA):
        assert not any(may(user, _post(PostStatus.PUBLISHED)).values())
