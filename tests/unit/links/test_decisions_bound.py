"""A decision lands on the version its person saw: a mailed link whose save loses a
race to an edit is refused, never applied to the newer text (posts; the apology's
twin is in tests/functional/links/test_decisions_bound.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from chalicelib.accounts.domain import Account
from chalicelib.core.audit import Actor
from chalicelib.core.errors import LinkStale, VersionChanged
from chalicelib.core.users import Role, User
from chalicelib.links.domain import hash_token
from chalicelib.posts.domain import PostStatus
from tests.fakes import (
    FrozenClock,
    MemoryMailer,
    MemoryStore,
    service_on,
)

ALICE = User("alice", "Alice", "alice@acme.example", Role.AUTHOR, "acme")
BOB = User("bob", "Bob", "bob@acme.example", Role.APPROVER, "acme")


class RacingStore(MemoryStore):
    """Runs ``interleave`` just before the next post save: someone else's write lands
    between the decision's read and its conditional write."""

    interleave: Callable[[], object] | None = None

    def save_post(self, post, expected_revision, audit):  # type: ignore[no-untyped-def]
        hook, self.interleave = self.interleave, None
        if hook is not None:
            hook()
        return super().save_post(post, expected_revision, audit)


@pytest.fixture
def world():
    store, mailer, clock = RacingStore(), MemoryMailer(), FrozenClock()
    store.put_account(Account("acct", "acme", "Acme", "x", "@acme", "UTC"))
    for user in (ALICE, BOB):
        store.put_user(user, hash_token(f"key-{user.id}"))
    service = service_on(store, mailer=mailer, clock=clock)
    return service, store, mailer, clock


def _submitted(world, text: str):
    service, _, mailer, clock = world
    post = service.posts.create_post(
        ALICE, "acct", text=text, scheduled_at=clock.now() + timedelta(hours=1)
    )
    service.posts.submit_post(ALICE, post.id)
    mail = next(m for m in reversed(mailer.sent) if m.to == BOB.email)
    return post, mail.html.split("/links/")[1].split('"')[0]


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_a_link_that_loses_a_race_to_an_edit_is_refused_not_applied(world, action) -> None:
    service, store, _, _ = world
    # Given Bob's link for version 1
    post, token = _submitted(world, "Version one, as Bob read it")

    # When Alice edits and resubmits while Bob's decision is being saved
    def alice_edits() -> None:
        service.posts.edit_post(ALICE, post.id, text="Version two, which Bob never saw")
        service.posts.submit_post(ALICE, post.id)

    store.interleave = alice_edits
    with pytest.raises(LinkStale) as refused:
        service.links.decide_by_link(token, action=action, post_id=post.id, reason="Too salesy")

    # Then nothing is decided on version 2, and Bob is told what changed
    assert "Version two, which Bob never saw" in refused.value.message
    stored = store.get_post(post.id)
    assert stored is not None
    assert stored.version == 2 and stored.status is PostStatus.SUBMITTED
    assert stored.approvals == () and stored.rejection_reason is None


def test_the_api_binds_an_approval_to_the_version_given(world) -> None:
    service, _, _, _ = world
    post, _ = _submitted(world, "Version one")
    service.posts.edit_post(ALICE, post.id, text="Version two")
    service.posts.submit_post(ALICE, post.id)
    bob = Actor.of(BOB)
    with pytest.raises(VersionChanged) as refused:
        service.posts.approve_post(bob, post.id, seen_version=1)
    assert refused.value.field == "version" and "Version two" in refused.value.message
    assert service.posts.approve_post(bob, post.id, seen_version=2).status is PostStatus.APPROVED
