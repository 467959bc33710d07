"""The publisher isolates each post: one it cannot handle is recorded and the run goes
on; a post whose account is gone is held with the reason and its author told."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.accounts.domain import Account
from chalicelib.core.audit import Actor
from chalicelib.core.users import Role, User
from chalicelib.links.domain import hash_token
from chalicelib.posts.domain import PostStatus
from tests.fakes import (
    FrozenClock,
    MemoryMailer,
    MemoryStore,
    ScriptedNetwork,
    service_on,
)

ALICE = User("alice", "Alice", "alice@acme.example", Role.AUTHOR, "acme")
BOB = User("bob", "Bob", "bob@acme.example", Role.APPROVER, "acme")


class BrokenForOnePost(MemoryStore):
    """A store that fails (not a conflict: throttling, a bad item) for one post."""

    broken: str | None = None

    def save_post(self, post, expected_revision, audit):  # type: ignore[no-untyped-def]
        if post.id == self.broken:
            raise RuntimeError("ProvisionedThroughputExceededException")
        return super().save_post(post, expected_revision, audit)


@pytest.fixture
def world():
    store, mailer, network, clock = (
        BrokenForOnePost(),
        MemoryMailer(),
        ScriptedNetwork(),
        FrozenClock(),
    )
    for account_id in ("acct", "gone"):
        store.put_account(Account(account_id, "acme", account_id.title(), "x", "@a", "UTC"))
    for user in (ALICE, BOB):
        store.put_user(user, hash_token(f"key-{user.id}"))
    service = service_on(store, mailer=mailer, network=network, clock=clock)
    return service, store, mailer, network, clock


def _approved(world, account_id: str, text: str):
    service, _, _, _, clock = world
    post = service.posts.create_post(
        ALICE, account_id, text=text, scheduled_at=clock.now() + timedelta(minutes=10)
    )
    service.posts.submit_post(ALICE, post.id)
    return service.posts.approve_post(Actor.of(BOB), post.id)


def test_one_post_the_store_cannot_save_does_not_stop_the_others(world) -> None:
    service, store, _, network, clock = world
    bad = _approved(world, "acct", "The one that breaks")
    good = _approved(world, "acct", "The one that goes out")
    store.broken = bad.id
    report = service.publisher.publish_due(clock.now() + timedelta(minutes=11))
    assert report.errors == [bad.id]
    assert report.published == [good.id]
    assert [p.text for p in network.published] == ["The one that goes out"]
    recorded = store.audit_of_subject("post", bad.id)
    assert any(
        e.action == "post.publisher_error" and e.details["error"] == "RuntimeError"
        for e in recorded
    )


def test_a_post_whose_account_is_gone_is_held_and_its_author_told(world) -> None:
    service, store, mailer, network, clock = world
    orphan = _approved(world, "gone", "Nobody will publish me")
    del store.accounts["gone"]
    report = service.publisher.publish_due(clock.now() + timedelta(minutes=11))
    assert report.held == [orphan.id]
    held = store.get_post(orphan.id)
    assert held is not None and held.status is PostStatus.HELD and held.approvals == ()
    assert network.published == []
    told = [m for m in mailer.sent if m.to == ALICE.email and "no longer exists" in m.text]
    assert len(told) == 1
    # The next run does not tell her again, nor touch it: it is no longer due.
    service.publisher.publish_due(clock.now() + timedelta(minutes=12))
    assert len([m for m in mailer.sent if "no longer exists" in m.text]) == 1
