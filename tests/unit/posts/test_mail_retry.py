"""A mail that fails is tried again (bounded, with backoff, never doubled) and, when it
cannot be sent at all, lands on the post's audit trail where the API shows it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.accounts.domain import Account
from chalicelib.core.users import Role, User
from chalicelib.links.domain import hash_token
from chalicelib.posts.domain import PostStatus
from chalicelib.posts.mail_retry import RETRY_DELAYS_MIN
from tests.fakes import (
    FrozenClock,
    MemoryMailer,
    MemoryStore,
    service_on,
)

ALICE = User("alice", "Alice", "alice@acme.example", Role.AUTHOR, "acme")
BOB = User("bob", "Bob", "bob@acme.example", Role.APPROVER, "acme")


@pytest.fixture
def world():
    store, mailer, clock = MemoryStore(), MemoryMailer(), FrozenClock()
    store.put_account(Account("acct", "acme", "Acme", "x", "@acme", "UTC"))
    for user in (ALICE, BOB):
        store.put_user(user, hash_token(f"key-{user.id}"))
    service = service_on(store, mailer=mailer, clock=clock)
    return service, store, mailer, clock


def _to_bob(mailer):
    return [m for m in mailer.sent if m.to == BOB.email]


def _submit_with_mail_down(world, failures: int):
    service, _, mailer, clock = world
    post = service.posts.create_post(
        ALICE, "acct", text="Winter blend", scheduled_at=clock.now() + timedelta(hours=2)
    )
    mailer.fail_next = failures
    service.posts.submit_post(ALICE, post.id)
    return post


def test_a_failed_approval_mail_is_sent_again_once_with_a_link_that_works(world) -> None:
    service, store, mailer, clock = world
    post = _submit_with_mail_down(world, failures=1)
    assert _to_bob(mailer) == []  # the first try failed
    # Not before its time...
    assert service.publisher.publish_due(clock.now() + timedelta(seconds=30)).mails_retried == []
    # ...then once, by the publisher's next run
    report = service.publisher.publish_due(clock.now() + timedelta(minutes=1))
    assert len(report.mails_retried) == 1 and len(_to_bob(mailer)) == 1
    assert service.publisher.publish_due(clock.now() + timedelta(minutes=30)).mails_retried == []
    assert len(_to_bob(mailer)) == 1  # never doubled
    # The link in it decides
    token = _to_bob(mailer)[0].html.split("/links/")[1].split('"')[0]
    decided = service.links.decide_by_link(token, action="approve", post_id=post.id)
    assert decided.status is PostStatus.APPROVED
    sent = [e for e in store.audit_of_subject("post", post.id) if e.action == "mail.sent"]
    assert any(e.details.get("attempt") == 2 for e in sent)


def test_a_mail_that_never_goes_out_is_given_up_onto_the_audit_trail(world) -> None:
    service, store, mailer, clock = world
    post = _submit_with_mail_down(world, failures=1 + len(RETRY_DELAYS_MIN))
    tries_at = clock.now()
    for delay in RETRY_DELAYS_MIN:  # each retry waits longer than the one before
        tries_at += timedelta(minutes=delay)
        assert service.publisher.publish_due(tries_at - timedelta(seconds=1)).mails_retried == []
        service.publisher.publish_due(tries_at)
    assert mailer.fail_next == 0 and _to_bob(mailer) == []
    assert store.due_pending_mails(tries_at + timedelta(days=1)) == []  # given up
    failed = [e for e in store.audit_of_subject("post", post.id) if e.action == "mail.failed"]
    assert len(failed) == 1
    assert failed[0].details["recipient"] == "bob"
    assert failed[0].details["attempts"] == 1 + len(RETRY_DELAYS_MIN)


def test_a_retry_no_longer_needed_is_dropped(world) -> None:
    service, _, mailer, clock = world
    post = _submit_with_mail_down(world, failures=1)
    service.posts.cancel_post(ALICE, post.id)
    service.publisher.publish_due(clock.now() + timedelta(minutes=1))
    assert _to_bob(mailer) == []  # nobody is asked to approve a cancelled post


def test_only_one_run_takes_a_pending_mail(world) -> None:
    _, store, _, clock = world
    _submit_with_mail_down(world, failures=1)
    (pending,) = store.due_pending_mails(clock.now() + timedelta(minutes=1))
    assert store.take_pending_mail(pending) is True
    assert store.take_pending_mail(pending) is False
