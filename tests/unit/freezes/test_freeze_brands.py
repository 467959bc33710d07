"""Freezes belong to one brand: "all" means every account of the caller's brand, and
people of another brand in the same deployment can neither set, see nor lift it (P9)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.accounts.domain import Account
from chalicelib.core.audit import Actor
from chalicelib.core.errors import FreezeLiftPending, NotFound
from chalicelib.core.users import Role, User
from chalicelib.links.domain import hash_token
from tests.fakes import (
    FrozenClock,
    MemoryStore,
    ScriptedNetwork,
    service_on,
)


def person(uid: str, role: Role, brand: str) -> User:
    return User(uid, uid.title(), f"{uid}@{brand}.example", role, brand)


# Acme, and Globex beside it in the same deployment.
ALICE = person("alice", Role.AUTHOR, "acme")
BOB = person("bob", Role.APPROVER, "acme")
ADAM = person("adam", Role.ADMIN, "acme")
ADA = person("ada", Role.ADMIN, "acme")
GUS = person("gus", Role.AUTHOR, "globex")
GLEN = person("glen", Role.APPROVER, "globex")
GIL = person("gil", Role.ADMIN, "globex")
GRETA = person("greta", Role.ADMIN, "globex")


@pytest.fixture
def world():
    store, network, clock = MemoryStore(), ScriptedNetwork(), FrozenClock()
    store.put_account(Account("acct", "acme", "Acme", "x", "@acme", "Europe/Berlin"))
    store.put_account(Account("gx", "globex", "Globex", "x", "@globex", "UTC"))
    for u in (ALICE, BOB, ADAM, ADA, GUS, GLEN, GIL, GRETA):
        store.put_user(u, hash_token(f"key-{u.id}"))
    service = service_on(store, network=network, clock=clock)
    return service, store, clock


def approved(world, author: User, approver: User, account_id: str) -> str:
    service, _, clock = world
    post = service.posts.create_post(
        author,
        account_id,
        text=f"Hello from {account_id}",
        scheduled_at=clock.now() + timedelta(minutes=30),
    )
    service.posts.submit_post(author, post.id)
    return service.posts.approve_post(Actor.of(approver), post.id).id


def test_another_brands_all_freeze_does_not_hold_our_posts(world) -> None:
    service, _, clock = world
    ours = approved(world, ALICE, BOB, "acct")
    theirs = approved(world, GUS, GLEN, "gx")
    # Given Globex's admin freezes "all"
    service.freezes.freeze(GIL, "all", "globex pause")
    # When the publisher runs, Then only Globex's post is held
    report = service.publisher.publish_due(clock.now() + timedelta(minutes=30))
    assert report.published == [ours]
    assert report.held == [theirs]


def test_our_all_freeze_holds_our_posts_and_not_another_brands(world) -> None:
    service, _, clock = world
    ours = approved(world, ALICE, BOB, "acct")
    theirs = approved(world, GUS, GLEN, "gx")
    service.freezes.freeze(ADAM, "all", "acme pause")
    report = service.publisher.publish_due(clock.now() + timedelta(minutes=30))
    assert report.held == [ours]
    assert report.published == [theirs]


def test_another_brands_admins_cannot_lift_our_all_freeze(world) -> None:
    service, store, _ = world
    service.freezes.freeze(ADAM, "all", "acme pause")
    # Not theirs: the same answer as for a freeze that does not exist
    for admin in (GIL, GRETA):
        with pytest.raises(NotFound):
            service.freezes.lift_freeze(admin, "all")
    # Nothing was recorded against Acme's freeze: two Acme admins still need to agree
    [freeze] = service.freezes.list_freezes(ADAM)
    assert freeze.scope == "all" and freeze.lift_requested_by is None
    assert not [e for e in store.audit if e.actor in {"gil", "greta"}]


def test_another_brands_admin_cannot_see_our_all_freeze_nor_ours_theirs(world) -> None:
    service, _, _ = world
    service.freezes.freeze(ADAM, "all", "acme pause")
    service.freezes.freeze(GIL, "all", "globex pause")
    assert [(f.scope, f.reason) for f in service.freezes.list_freezes(ADAM)] == [
        ("all", "acme pause")
    ]
    assert [(f.scope, f.reason) for f in service.freezes.list_freezes(GIL)] == [
        ("all", "globex pause")
    ]
    # Freezing "all" again is harmless for each brand, and keeps each brand's own reason
    assert service.freezes.freeze(GRETA, "all", "again").reason == "globex pause"
    assert service.freezes.freeze(ADA, "all", "again").reason == "acme pause"


def test_another_brands_admin_cannot_freeze_see_or_lift_our_account(world) -> None:
    service, _, _ = world
    with pytest.raises(NotFound):
        service.freezes.freeze(GIL, "acct", "not yours")
    # Whether our account is frozen or not, they get the same 404
    with pytest.raises(NotFound) as unfrozen:
        service.freezes.lift_freeze(GIL, "acct")
    service.freezes.freeze(ADAM, "acct", "acme incident")
    with pytest.raises(NotFound) as frozen:
        service.freezes.lift_freeze(GIL, "acct")
    assert frozen.value.message == unfrozen.value.message
    assert service.freezes.list_freezes(GIL) == []
    assert [f.scope for f in service.freezes.list_freezes(ADAM)] == ["acct"]


def test_two_admins_of_the_brand_lift_its_all_freeze(world) -> None:
    service, _, clock = world
    service.freezes.freeze(ADAM, "all", "acme pause")
    service.freezes.freeze(GIL, "all", "globex pause")
    with pytest.raises(FreezeLiftPending):
        service.freezes.lift_freeze(ADAM, "all")
    with pytest.raises(FreezeLiftPending):
        service.freezes.lift_freeze(ADAM, "all")  # the same admin again does not count
    assert service.freezes.lift_freeze(ADA, "all") is None
    assert service.freezes.list_freezes(ADAM) == []
    # Globex's own freeze is untouched and still holds Globex's posts
    assert [f.reason for f in service.freezes.list_freezes(GIL)] == ["globex pause"]
    theirs = approved(world, GUS, GLEN, "gx")
    ours = approved(world, ALICE, BOB, "acct")
    report = service.publisher.publish_due(clock.now() + timedelta(minutes=30))
    assert report.held == [theirs] and report.published == [ours]


def test_brand_audit_shows_only_the_brands_all_freezes(world) -> None:
    service, _, clock = world
    service.freezes.freeze(ADAM, "all", "acme pause")
    clock.advance(minutes=1)
    service.freezes.freeze(GIL, "all", "globex pause")
    acme = [(e.action, e.actor, e.subject_id) for e in service.accounts.audit_of_brand(ADAM)]
    globex = [(e.action, e.actor, e.subject_id) for e in service.accounts.audit_of_brand(GIL)]
    assert acme == [("freeze.started", "adam", "all")]
    assert globex == [("freeze.started", "gil", "all")]
