"""Decision links: opaque, hashed, bound, single use, expiring (P5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.core.errors import (
    LinkExpired,
    LinkInvalid,
    LinkStale,
    LinkUsed,
    ValidationFailed,
)
from chalicelib.links.domain import (
    REASON_MAX,
    DecisionLink,
    hash_token,
    looks_like_token,
    require_reason,
)

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def issue():
    return DecisionLink.issue(
        approver_id="bob",
        subject_type="post",
        subject_id="post_1",
        subject_version=3,
        account_id="acct",
        actions=("approve", "reject"),
        now=NOW,
        ttl=timedelta(hours=72),
    )


def test_token_is_random_and_only_its_hash_is_kept() -> None:
    token, link = issue()
    token2, _ = issue()
    assert token != token2 and looks_like_token(token)
    assert len(token) >= 43  # 256 bits, url-safe base64
    assert link.token_hash == hash_token(token) and token not in repr(link)


def test_usable_until_expiry() -> None:
    _, link = issue()
    link.check_usable(now=NOW + timedelta(hours=71), current_version=3)
    with pytest.raises(LinkExpired):
        link.check_usable(now=NOW + timedelta(hours=72), current_version=3)


def test_used_link_is_refused() -> None:
    _, link = issue()
    with pytest.raises(LinkUsed):
        replace(link, used_at=NOW).check_usable(now=NOW, current_version=3)


def test_link_for_an_older_version_is_stale() -> None:
    _, link = issue()
    with pytest.raises(LinkStale):
        link.check_usable(now=NOW, current_version=4)


def test_bound_to_post_person_and_actions() -> None:
    _, link = issue()
    link.check_action("approve", subject_id="post_1", actor_id=None)
    link.check_action("reject", subject_id="post_1", actor_id="bob")
    with pytest.raises(LinkInvalid):
        link.check_action("approve", subject_id="post_2", actor_id=None)
    with pytest.raises(LinkInvalid):
        link.check_action("approve", subject_id="post_1", actor_id="mallory")
    with pytest.raises(LinkInvalid):
        link.check_action("publish", subject_id="post_1", actor_id=None)


def test_junk_tokens_are_rejected_by_shape() -> None:
    assert not looks_like_token("../../etc/passwd")
    assert not looks_like_token("short")
    assert not looks_like_token("a" * 200)


@pytest.mark.parametrize("reason", ["", "   ", "x" * (REASON_MAX + 1)])
def test_a_reject_needs_a_reason_of_bounded_length(reason: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        require_reason("reject", reason)
    assert err.value.field == "reason"


def test_reason_rules_apply_to_rejects_only() -> None:
    require_reason("reject", "tone" + " " * 10)
    require_reason("reject", "x" * REASON_MAX)
    for action in ("approve", "delete", "keep"):
        require_reason(action, "")
        require_reason(action, "x" * (REASON_MAX + 1))
