"""The use cases over in-memory ports: publisher outcomes, freezes, mail, access."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.accounts.domain import Account
from chalicelib.accounts.policy import Policy
from chalicelib.core.audit import Actor, Channel
from chalicelib.core.errors import (
    Forbidden,
    FreezeLiftPending,
    LinkStale,
    NotFound,
    PolicyViolation,
    ValidationFailed,
)
from chalicelib.core.users import Role, User
from chalicelib.links.domain import hash_token
from chalicelib.networks.social import NetworkUnavailable, PostRejected, RateLimited
from chalicelib.posts.domain import PostStatus
from chalicelib.posts.publisher import MAX_PUBLISH_ATTEMPTS
from tests.fakes import (
    FrozenClock,
    MemoryMailer,
    MemoryStore,
    ScriptedNetwork,
    service_on,
)


def person(uid: str, role: Role, **kw) -> User:
    return User(uid, uid.title(), f"{uid}@acme.example", role, "acme", **kw)


ALICE = person("alice", Role.AUTHOR)
BOB = person("bob", Role.APPROVER)
ADAM = person("adam", Role.ADMIN)
ADA = person("ada", Role.ADMIN)
GINA = person("gina", Role.AGENCY, agency_id="ag", account_ids=frozenset({"acct"}))


@pytest.fixture
def world():
    store, mailer, network, clock = MemoryStore(), MemoryMailer(), ScriptedNetwork(), FrozenClock()
    store.put_account(
        Account("acct", "acme", "Acme", "x", "@acme", "Europe/Berlin", Policy(("forbidden",)))
    )
    store.put_account(Account("other", "acme", "Other", "x", "@other", "UTC"))
    for u in (ALICE, BOB, ADAM, ADA, GINA):
        store.put_user(u, hash_token(f"key-{u.id}"))
    service = service_on(store, mailer=mailer, network=network, clock=clock)
    return service, store, mailer, network, clock


def approved_post(world, minutes: int = 30):
    service, _, _, _, clock = world
    post = service.posts.create_post(
        ALICE, "acct", text="Hello", scheduled_at=clock.now() + timedelta(minutes=minutes)
    )
    service.posts.submit_post(ALICE, post.id)
    return service.posts.approve_post(Actor.of(BOB), post.id)


def test_submit_mails_each_approver_once_with_a_link(world) -> None:
    service, store, mailer, _, clock = world
    post = service.posts.create_post(
        ALICE, "acct", text="Hi", scheduled_at=clock.now() + timedelta(hours=1)
    )
    service.posts.submit_post(ALICE, post.id)
    recipients = sorted(m.to for m in mailer.sent)
    assert recipients == ["ada@acme.example", "adam@acme.example", "bob@acme.example"]
    assert all("http://fb.test/links/" in m.html for m in mailer.sent)
    assert len(store.links) == 3  # hashes only


def test_hard_rule_blocks_submit_and_lists_rules(world) -> None:
    service, _, _, _, clock = world
    post = service.posts.create_post(
        ALICE, "acct", text="This is forbidden", scheduled_at=clock.now() + timedelta(hours=1)
    )
    assert post.check["passed"] is False
    with pytest.raises(PolicyViolation) as err:
        service.posts.submit_post(ALICE, post.id)
    assert err.value.rules == ['account:forbidden_phrase: contains forbidden "forbidden"']


def test_submit_needs_a_schedule(world) -> None:
    service, *_ = world
    post = service.posts.create_post(ALICE, "acct", text="Whenever")
    with pytest.raises(ValidationFailed) as err:
        service.posts.submit_post(ALICE, post.id)
    assert err.value.field == "scheduled_at"


def test_submit_in_the_past_is_refused(world) -> None:
    service, _, _, _, clock = world
    post = service.posts.create_post(
        ALICE, "acct", text="Hi", scheduled_at=clock.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationFailed) as err:
        service.posts.submit_post(ALICE, post.id)
    assert err.value.field == "scheduled_at"


def test_too_long_for_x_names_the_field(world) -> None:
    service, *_ = world
    with pytest.raises(ValidationFailed) as err:
        service.posts.create_post(ALICE, "acct", text="a" * 260, links=["https://acme.example/x"])
    assert err.value.field == "text" and "284" in err.value.message  # 260 + space + 23


def test_policy_tightened_after_approval_holds_the_post_and_tells_the_author(world) -> None:
    service, store, mailer, network, clock = world
    post = approved_post(world)
    # After an incident the brand bans a word the approved post uses
    store.put_account(
        Account("acct", "acme", "Acme", "x", "@acme", "Europe/Berlin", Policy(("hello",)))
    )
    sent_before = len(mailer.sent)
    report = service.publisher.publish_due(clock.now() + timedelta(minutes=30))
    assert report.held == [post.id] and report.published == []
    assert network.published == []
    held = store.get_post(post.id)
    assert held.status is PostStatus.HELD and held.approvals == ()
    new = mailer.sent[sent_before:]
    [mail] = [m for m in new if m.to == "alice@acme.example"]
    assert 'forbidden "hello"' in mail.text
    # The account's seniors hear of it too, with the way back through approval
    notices = [m for m in new if m.subject.startswith("Post held on Acme")]
    assert notices and all(m.to != "alice@acme.example" for m in notices)
    assert all(f"/app/posts/{post.id}" in m.text for m in notices)
    assert len(new) == 1 + len(notices)
    [held_entry] = [e for e in store.audit if e.action == "post.held"]
    assert held_entry.details["policy"][0]["rule"] == "forbidden_phrase"
    # A later run neither publishes nor mails again
    assert service.publisher.publish_due(clock.now() + timedelta(minutes=31)).held == []
    assert len(mailer.sent) == sent_before + len(new)
    # Resubmitting unchanged is refused by the same rule
    with pytest.raises(PolicyViolation):
        service.posts.submit_post(ALICE, post.id)


def test_publishes_when_due(world) -> None:
    service, store, _, network, clock = world
    post = approved_post(world)
    assert service.publisher.publish_due(clock.now()).published == []
    report = service.publisher.publish_due(clock.now() + timedelta(minutes=30))
    assert report.published == [post.id]
    assert [p.text for p in network.published] == ["Hello"]
    stored = store.get_post(post.id)
    assert stored.status is PostStatus.PUBLISHED and stored.network_post_id == "1000"


def test_rate_limit_waits_for_reset_without_counting_an_attempt(world) -> None:
    service, store, _, network, clock = world
    post = approved_post(world)
    due = clock.now() + timedelta(minutes=30)
    reset = due + timedelta(minutes=7)
    network.failures = [RateLimited(reset)]
    assert service.publisher.publish_due(due).retrying == [post.id]
    stored = store.get_post(post.id)
    assert stored.status is PostStatus.APPROVED and stored.next_attempt_at == reset
    assert stored.attempts == 0
    assert store.get_account("acct").rate_limited_until == reset
    # Before the reset nothing is tried; after it, it goes out.
    assert service.publisher.publish_due(reset - timedelta(seconds=1)).published == []
    assert service.publisher.publish_due(reset).published == [post.id]


def test_transient_failures_retry_a_bounded_number_of_times_then_fail(world) -> None:
    service, store, mailer, network, clock = world
    post = approved_post(world)
    network.failures = [NetworkUnavailable("503")] * MAX_PUBLISH_ATTEMPTS
    at = clock.now() + timedelta(minutes=30)
    for _ in range(MAX_PUBLISH_ATTEMPTS - 1):
        assert service.publisher.publish_due(at).retrying == [post.id]
        at = store.get_post(post.id).next_attempt_at
    assert service.publisher.publish_due(at).failed == [post.id]
    failed = store.get_post(post.id)
    assert failed.status is PostStatus.FAILED and "after 3 attempts" in failed.failure_reason
    assert network.published == []
    assert any("was failed" in m.subject for m in mailer.sent if m.to == "alice@acme.example")


def test_lost_answer_is_not_posted_twice(world) -> None:
    service, store, _, network, clock = world
    post = approved_post(world)
    network.lose_answer = NetworkUnavailable("read timeout")
    due = clock.now() + timedelta(minutes=30)
    assert service.publisher.publish_due(due).retrying == [post.id]
    retry_at = store.get_post(post.id).next_attempt_at
    assert service.publisher.publish_due(retry_at).published == [post.id]
    assert [p.text for p in network.published] == ["Hello"]  # once, adopted on retry
    assert store.get_post(post.id).network_post_id == network.published[0].id


def test_an_editor_cannot_approve_the_words_they_wrote(world) -> None:
    service, _, _, _, clock = world
    owner = person("olivia", Role.BRAND_OWNER)
    service.store.put_user(owner)
    post = service.posts.create_post(
        ALICE, "acct", text="Hi", scheduled_at=clock.now() + timedelta(hours=1)
    )
    service.posts.edit_post(owner, post.id, text="Hi, rewritten by the owner")
    service.posts.submit_post(owner, post.id)
    from chalicelib.core.errors import SelfApprovalForbidden

    with pytest.raises(SelfApprovalForbidden):
        service.posts.approve_post(Actor.of(owner), post.id)
    assert service.posts.approve_post(Actor.of(BOB), post.id).status is PostStatus.APPROVED


def test_refused_post_fails_at_once_with_reason(world) -> None:
    service, store, _, network, clock = world
    post = approved_post(world)
    network.failures = [PostRejected("duplicate content")]
    service.publisher.publish_due(clock.now() + timedelta(minutes=30))
    assert "duplicate content" in store.get_post(post.id).failure_reason


def test_a_run_that_died_mid_publish_is_never_retried_blindly(world) -> None:
    service, store, _, network, clock = world
    post = approved_post(world)
    due = clock.now() + timedelta(minutes=30)
    claimed = store.get_post(post.id)
    # Simulate a crash right after the claim: status publishing with a lease.
    from dataclasses import replace

    store.save_post(
        replace(claimed, status=PostStatus.PUBLISHING, next_attempt_at=due + timedelta(minutes=5)),
        claimed.revision,
        [],
    )
    assert service.publisher.publish_due(due).published == []  # lease still running
    report = service.publisher.publish_due(due + timedelta(minutes=5))
    assert report.failed == [post.id] and network.published == []


def test_unapproved_posts_expire_at_their_time(world) -> None:
    service, _store, _, network, clock = world
    draft = service.posts.create_post(
        ALICE, "acct", text="d", scheduled_at=clock.now() + timedelta(minutes=5)
    )
    pending = service.posts.create_post(
        ALICE, "acct", text="p", scheduled_at=clock.now() + timedelta(minutes=5)
    )
    service.posts.submit_post(ALICE, pending.id)
    report = service.publisher.publish_due(clock.now() + timedelta(minutes=5))
    assert sorted(report.expired) == sorted([draft.id, pending.id])
    assert network.published == []


def test_freeze_holds_due_posts_and_they_need_approval_again(world) -> None:
    service, store, _, _network, clock = world
    post = approved_post(world)
    service.freezes.freeze(ADAM, "acct", "incident")
    assert service.publisher.publish_due(clock.now() + timedelta(minutes=30)).held == [post.id]
    held = store.get_post(post.id)
    assert held.status is PostStatus.HELD and held.current_approvals() == ()
    # Lifting takes two different admins.
    with pytest.raises(FreezeLiftPending):
        service.freezes.lift_freeze(ADAM, "acct")
    with pytest.raises(FreezeLiftPending):
        service.freezes.lift_freeze(ADAM, "acct")  # the same admin again does not count
    assert service.freezes.lift_freeze(ADA, "acct") is None
    assert store.get_freeze("acme", "acct") is None
    # Reschedule, resubmit, approve again, publish.
    clock.advance(minutes=31)
    service.posts.edit_post(ALICE, post.id, scheduled_at=clock.now() + timedelta(minutes=10))
    service.posts.submit_post(ALICE, post.id)
    service.posts.approve_post(Actor.of(BOB), post.id)
    assert service.publisher.publish_due(clock.now() + timedelta(minutes=10)).published == [post.id]


def test_resolving_an_incident_never_lifts_a_freeze_a_person_set(world) -> None:
    service, store, *_ = world
    playbook = Actor("playbook", Channel.SYSTEM)
    # A brand owner's freeze whose reason happens to start like the playbook's
    service.freezes.freeze(ADAM, "acct", "incident with the spring campaign: legal review")
    assert service.freezes.lift_incident_freeze("acct", "incident ", playbook) is False
    assert store.get_freeze("acme", "acct") is not None
    # The playbook's own freeze is lifted, and only by the playbook
    service.freezes.freeze_for_incident("other", "incident inc_1", playbook)
    assert service.freezes.lift_incident_freeze("other", "incident ", Actor.of(ADAM)) is False
    assert service.freezes.lift_incident_freeze("other", "incident ", playbook) is True
    assert store.get_freeze("acme", "other") is None


def test_global_freeze_needs_an_admin_and_stops_every_account(world) -> None:
    service, store, *_ = world
    with pytest.raises(Forbidden):
        service.freezes.freeze(person("olivia", Role.BRAND_OWNER), "all", "x")
    service.freezes.freeze(ADAM, "all", "brand-wide pause")
    assert service.freezes.active_freeze(store.get_account("other")).scope == "all"


def test_brand_audit_shows_agency_rules_and_global_freezes_to_seniors(world) -> None:
    service, store, _, _, clock = world
    service.accounts.set_agency_policy(ADAM, "ag", Policy(("cheap",)))
    clock.advance(minutes=1)
    service.freezes.freeze(ADAM, "all", "brand-wide pause")
    clock.advance(minutes=1)
    with pytest.raises(FreezeLiftPending):
        service.freezes.lift_freeze(ADA, "all")
    clock.advance(minutes=1)
    service.freezes.lift_freeze(ADAM, "all")
    actions = [(e.action, e.actor) for e in service.accounts.audit_of_brand(ADAM)]
    assert actions == [
        ("agency.policy_changed", "adam"),
        ("freeze.started", "adam"),
        ("freeze.lift_requested", "ada"),
        ("freeze.lifted", "adam"),
    ]
    # Another brand's admin in the same deployment sees none of it
    stranger = User("zed", "Zed", "zed@other.example", Role.ADMIN, "other-brand")
    store.put_user(stranger, hash_token("key-zed"))
    assert service.accounts.audit_of_brand(stranger) == []
    for who in (ALICE, BOB, GINA):
        with pytest.raises(Forbidden):
            service.accounts.audit_of_brand(who)


def test_agency_sees_only_its_accounts(world) -> None:
    service, *_ = world
    assert [a.id for a in service.accounts.list_accounts(GINA)] == ["acct"]
    with pytest.raises(NotFound):
        service.posts.create_post(GINA, "other", text="hi")


def test_failed_mail_can_be_retried_without_doubling(world) -> None:
    service, store, mailer, _, clock = world
    mailer.fail_next = 1
    post = service.posts.create_post(
        ALICE, "acct", text="Hi", scheduled_at=clock.now() + timedelta(hours=1)
    )
    submitted = service.posts.submit_post(ALICE, post.id)
    assert len(mailer.sent) == 2  # the first approver's mail failed
    account = store.get_account("acct")
    service.mail.request_approvals(submitted, account, [])  # a redelivered request
    assert len(mailer.sent) == 2  # the failed one waits in the retry queue, not doubled
    service.publisher.publish_due(clock.now() + timedelta(minutes=1))  # the queue's turn
    assert len(mailer.sent) == 3  # only the missing one went out


def test_edit_makes_mailed_links_stale(world) -> None:
    service, _store, mailer, _, clock = world
    post = service.posts.create_post(
        ALICE, "acct", text="Hi", scheduled_at=clock.now() + timedelta(hours=1)
    )
    service.posts.submit_post(ALICE, post.id)
    token = mailer.sent[-1].html.split("/links/")[1].split('"')[0]
    service.posts.edit_post(ALICE, post.id, text="Hi, edited")
    with pytest.raises(LinkStale):
        service.links.open_link(token)
