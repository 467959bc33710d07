"""One contract for the ``Store`` port: every case runs against the in-memory twin the unit
tests use (``tests.fakes.MemoryStore``) and the real ``DynamoStore`` on the embedded AWS,
so the fake cannot drift from the table. Where the two ever differed, the real store is
the reference. Each DynamoDB case gets a fresh table shaped like the deployed one."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chalicelib.accounts.domain import Account
from chalicelib.accounts.policy import AllowedHours, Policy
from chalicelib.core.audit import AuditEntry, Channel
from chalicelib.core.errors import Conflict, LinkUsed
from chalicelib.core.users import Role, User
from chalicelib.links.domain import DecisionLink
from chalicelib.ports import Store
from chalicelib.posts.approvals import ApprovalRule, ApprovalRules
from chalicelib.posts.domain import Approval, Post, PostStatus
from tests.fakes import MemoryStore
from tests.functional.conftest import play_at

# Times are data here (the store never reads a clock): taken from where the stack plays.
T0 = play_at().replace(microsecond=0)
# A write the table refuses on its condition: the real store raises botocore's error.
REFUSED = "ConditionalCheckFailedException"


def _create_table(client: Any, name: str) -> None:
    """A table with the keys and indexes of the deployed one (infra/resources.json)."""
    from firebreak_local.stack import TEMPLATE

    props = json.loads(TEMPLATE.read_text())["Resources"]["FirebreakTable"]["Properties"]
    shape = ("BillingMode", "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes")
    client.create_table(TableName=name, **{k: props[k] for k in shape})


@pytest.fixture(params=["memory", "dynamo"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    # Only the DynamoDB cases need the embedded AWS.
    request.getfixturevalue("stack")
    from chalicelib.aws.dynamo import DynamoStore
    from chalicelib.wiring import aws_client, get_service

    assert isinstance(get_service().store, DynamoStore)
    client = aws_client("dynamodb")
    name = f"contract-{uuid.uuid4().hex[:12]}"
    _create_table(client, name)
    try:
        yield DynamoStore(client, name)
    finally:
        client.delete_table(TableName=name)


# ---------------------------------------------------------------- builders
def a_user(uid: str = "u1", brand: str = "acme", **changes: Any) -> User:
    user = User(uid, f"User {uid}", f"{uid}@acme.example", Role.APPROVER, brand)
    return replace(user, **changes)


def an_account(aid: str = "acct1", brand: str = "acme", **changes: Any) -> Account:
    account = Account(aid, brand, f"Account {aid}", "x", f"@{aid}", "Europe/Berlin")
    return replace(account, **changes)


def a_post(pid: str = "p1", account: str = "acct1", **changes: Any) -> Post:
    post = Post(pid, account, "x", f"text of {pid}", "u_author", False, T0, T0)
    return replace(post, **changes)


def an_entry(eid: str, subject: str = "p1", account: str = "acct1", **changes: Any) -> AuditEntry:
    entry = AuditEntry(
        eid, T0, "u_author", Channel.API, "post.created", "post", subject, account, {"n": 1}
    )
    return replace(entry, **changes)


def a_link(token_hash: str = "h" * 64, **changes: Any) -> DecisionLink:
    link = DecisionLink(
        token_hash,
        "u_bob",
        "post",
        "p1",
        1,
        "acct1",
        ("approve", "reject"),
        T0,
        T0 + timedelta(days=3),
    )
    return replace(link, **changes)


def refused(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


# ---------------------------------------------------------------- users and keys
def test_a_user_reads_back_as_written(store: Store) -> None:
    plain = a_user("u1")
    agent = a_user("u2", role=Role.AGENCY, agency_id="ag", account_ids=frozenset({"a2", "a1"}))
    store.put_user(plain)
    store.put_user(agent)
    assert store.get_user("u1") == plain
    assert store.get_user("u2") == agent
    assert store.get_user("nobody") is None


def test_an_api_key_hash_finds_its_user_and_nothing_else(store: Store) -> None:
    store.put_user(a_user("u1"), api_key_hash="k1")
    store.put_user(a_user("u2"))
    assert store.user_for_key("k1") == a_user("u1")
    assert store.user_for_key("k2") is None
    # Writing the user again without a key keeps the key, and the key finds the new user.
    renamed = a_user("u1", name="Renamed")
    store.put_user(renamed)
    assert store.user_for_key("k1") == renamed


def test_users_of_a_brand_by_id(store: Store) -> None:
    for uid, brand in (("u3", "acme"), ("u1", "acme"), ("u2", "other")):
        store.put_user(a_user(uid, brand))
    assert [u.id for u in store.users_of_brand("acme")] == ["u1", "u3"]
    assert store.users_of_brand("nobody") == []


# ---------------------------------------------------------------- accounts
def test_an_account_reads_back_as_written(store: Store) -> None:
    full = an_account(
        policy=Policy(
            forbidden_phrases=("free beer",),
            forbidden_topics={"politics": ("election", "vote")},
            allowed_hours=AllowedHours.parse("08:00", "01:30"),
            allowed_link_domains=("acme.example",),
        ),
        approval_rules=ApprovalRules(ApprovalRule(2, (Role.ADMIN,)), ApprovalRule(3)),
        feed_secret_hash="f" * 64,
        rate_limited_until=T0 + timedelta(minutes=15, microseconds=7),
        languages=("de", "en"),
        usual_source_apps=("Firebreak", "X for iPhone"),
        brand_domains=("acme.example", "acme.shop"),
    )
    store.put_account(full)
    store.put_account(an_account("acct2"))
    assert store.get_account("acct1") == full
    assert store.get_account("acct2") == an_account("acct2")
    assert store.get_account("nobody") is None


def test_accounts_by_brand_and_all_accounts_by_id(store: Store) -> None:
    for aid, brand in (("b", "acme"), ("c", "other"), ("a", "acme")):
        store.put_account(an_account(aid, brand))
    assert [a.id for a in store.accounts_of_brand("acme")] == ["a", "b"]
    assert [a.id for a in store.all_accounts()] == ["a", "b", "c"]


def test_settings_update_leaves_what_other_writers_own(store: Store) -> None:
    until = T0 + timedelta(hours=1)
    store.put_account(an_account(feed_secret_hash="old", rate_limited_until=until))
    # Given a writer holding a stale copy of the account
    stale = an_account(name="Stale name", handle="@stale")
    changed = replace(
        stale,
        policy=Policy(forbidden_phrases=("nope",)),
        approval_rules=ApprovalRules(ApprovalRule(2)),
        feed_secret_hash="new",
    )
    store.update_account_settings(changed)
    got = store.get_account("acct1")
    assert got == an_account(
        policy=changed.policy,
        approval_rules=changed.approval_rules,
        feed_secret_hash="new",
        rate_limited_until=until,
    )
    # A feed secret of None revokes the feed
    store.update_account_settings(replace(changed, feed_secret_hash=None))
    got = store.get_account("acct1")
    assert got is not None and got.feed_secret_hash is None and got.policy == changed.policy


def test_rate_limit_is_set_alone(store: Store) -> None:
    store.put_account(an_account(feed_secret_hash="s"))
    until = T0 + timedelta(minutes=15, microseconds=123)
    store.set_rate_limited("acct1", until)
    assert store.get_account("acct1") == an_account(feed_secret_hash="s", rate_limited_until=until)


@pytest.mark.parametrize(
    "write",
    [
        lambda s: s.update_account_settings(an_account("ghost")),
        lambda s: s.set_rate_limited("ghost", T0),
    ],
    ids=["settings", "rate_limit"],
)
def test_account_updates_never_create_an_account(
    store: Store, write: Callable[[Store], None]
) -> None:
    with pytest.raises(ClientError) as err:
        write(store)
    assert refused(err) == REFUSED
    assert store.get_account("ghost") is None and store.all_accounts() == []


def test_what_firebreak_published_is_remembered_per_account(store: Store) -> None:
    assert store.published_as("acct1", "42") is None
    assert store.published_by_firebreak("acct1", "42") is False
    store.mark_published("acct1", "42", "post p1")
    assert store.published_as("acct1", "42") == "post p1"
    assert store.published_by_firebreak("acct1", "42") is True
    assert store.published_by_firebreak("acct2", "42") is False


def test_agency_rules_belong_to_a_brand(store: Store) -> None:
    policy = Policy(forbidden_phrases=("cheap",), allowed_link_domains=())
    store.put_agency_policy("acme", "bright", policy)
    assert store.get_agency_policy("acme", "bright") == policy
    assert store.get_agency_policy("other", "bright") is None
    store.put_agency_policy("acme", "bright", Policy())
    assert store.get_agency_policy("acme", "bright") == Policy()


# ---------------------------------------------------------------- posts
def _full_post() -> Post:
    return a_post(
        scheduled_at=T0 + timedelta(hours=2, microseconds=5),
        status=PostStatus.SUBMITTED,
        version=3,
        revision=0,
        links=("https://acme.example/a",),
        approvals=(Approval("u_bob", "approver", 3, T0, "email"),),
        rejection_reason="tone",
        network_post_id="1234",
        published_at=T0 + timedelta(minutes=1),
        attempts=2,
        next_attempt_at=T0 + timedelta(minutes=5),
        failure_reason="429",
        edited_by="u_olivia",
        check={"passed": True, "warnings": ["x"], "risk": {"score": 0}},
    )


def test_a_created_post_reads_back_with_its_audit(store: Store) -> None:
    post = _full_post()
    store.create_post(post, [an_entry("e1"), an_entry("e2")])
    assert store.get_post("p1") == post
    assert [e.id for e in store.audit_of_subject("post", "p1")] == ["e1", "e2"]
    assert store.get_post("nobody") is None


def test_a_post_is_created_once(store: Store) -> None:
    store.create_post(a_post(), [an_entry("e1")])
    with pytest.raises(Conflict):
        store.create_post(a_post(text="second"), [an_entry("e2")])
    # Nothing of the losing write is kept: neither the post nor its audit entry.
    assert store.get_post("p1") == a_post()
    assert [e.id for e in store.audit_of_subject("post", "p1")] == ["e1"]


def test_save_bumps_the_revision_and_appends_audit(store: Store) -> None:
    store.create_post(a_post(), [an_entry("e1")])
    saved = store.save_post(a_post(text="v2", revision=0), 0, [an_entry("e2")])
    assert saved.revision == 1 and saved.text == "v2"
    assert store.get_post("p1") == saved
    again = store.save_post(replace(saved, text="v3"), 1, [])
    assert again.revision == 2 and store.get_post("p1") == again
    assert [e.id for e in store.audit_of_subject("post", "p1")] == ["e1", "e2"]


def test_a_stale_revision_is_a_conflict_that_changes_nothing(store: Store) -> None:
    store.create_post(a_post(), [])
    store.save_post(a_post(text="first writer"), 0, [an_entry("e1")])
    with pytest.raises(Conflict):
        store.save_post(a_post(text="second writer"), 0, [an_entry("e2")])
    got = store.get_post("p1")
    assert got is not None and got.text == "first writer" and got.revision == 1
    assert [e.id for e in store.audit_of_subject("post", "p1")] == ["e1"]


def test_saving_a_post_that_was_never_created_is_a_conflict(store: Store) -> None:
    with pytest.raises(Conflict):
        store.save_post(a_post(), 0, [])
    assert store.get_post("p1") is None


def test_an_audit_id_is_written_once_even_inside_a_post_write(store: Store) -> None:
    # Audit entries are conditional puts keyed by subject and id: reusing one sinks the
    # whole write, post included.
    store.append_audit([an_entry("e1", action="post.imported")])
    with pytest.raises(Conflict):
        store.create_post(a_post(), [an_entry("e1")])
    assert store.get_post("p1") is None
    store.create_post(a_post(), [an_entry("e2")])
    with pytest.raises(Conflict):
        store.save_post(a_post(text="v2"), 0, [an_entry("e3"), an_entry("e2")])
    assert store.get_post("p1") == a_post()
    assert [e.action for e in store.audit_of_subject("post", "p1")] == [
        "post.imported",
        "post.created",
    ]


def test_an_audit_id_is_unique_per_subject_only(store: Store) -> None:
    store.append_audit([an_entry("e1", subject="p1")])
    store.append_audit([an_entry("e1", subject="p2")])
    assert sorted(e.subject_id for e in store.audit_of_account("acct1")) == ["p1", "p2"]


def test_racing_saves_of_one_revision_let_exactly_one_win(store: Store) -> None:
    store.create_post(a_post(), [])
    outcomes: list[str] = []

    def save(n: int) -> None:
        try:
            store.save_post(a_post(text=f"writer {n}"), 0, [an_entry(f"e{n}")])
            outcomes.append(f"writer {n}")
        except Conflict:
            outcomes.append("conflict")

    _together(save, 6)
    winners = [o for o in outcomes if o != "conflict"]
    assert len(winners) == 1 and outcomes.count("conflict") == 5
    got = store.get_post("p1")
    assert got is not None and got.text == winners[0] and got.revision == 1
    assert len(store.audit_of_subject("post", "p1")) == 1


def test_posts_of_an_account_in_calendar_order(store: Store) -> None:
    berlin = timezone(timedelta(hours=2))
    posts = [
        a_post("p_late", scheduled_at=T0 + timedelta(days=2)),
        # the same instant written in another offset sorts by the instant
        a_post("p_mid", scheduled_at=(T0 + timedelta(days=1)).astimezone(berlin)),
        a_post("p_tie_b", scheduled_at=T0 + timedelta(days=1)),
        a_post("p_early", scheduled_at=T0, status=PostStatus.APPROVED),
        a_post("p_unscheduled"),
        a_post("p_other_account", account="acct2", scheduled_at=T0),
    ]
    for post in posts:
        store.create_post(post, [])
    everything = store.posts_of_account("acct1")
    assert [p.id for p in everything] == ["p_early", "p_mid", "p_tie_b", "p_late", "p_unscheduled"]
    # A range includes both ends and leaves unscheduled posts out
    window = store.posts_of_account("acct1", start=T0, end=T0 + timedelta(days=1))
    assert [p.id for p in window] == ["p_early", "p_mid", "p_tie_b"]
    after = store.posts_of_account("acct1", start=T0 + timedelta(seconds=1))
    assert [p.id for p in after] == ["p_mid", "p_tie_b", "p_late"]
    before = store.posts_of_account("acct1", end=T0 + timedelta(days=1) - timedelta(seconds=1))
    assert [p.id for p in before] == ["p_early"]
    approved = store.posts_of_account("acct1", statuses=frozenset({PostStatus.APPROVED}))
    assert [p.id for p in approved] == ["p_early"]
    assert store.posts_of_account("acct1", statuses=frozenset()) == everything
    assert store.posts_of_account("nobody") == []


def test_due_posts_are_the_ones_the_publisher_must_look_at(store: Store) -> None:
    now = T0 + timedelta(hours=1)
    due = [
        a_post("d_draft", scheduled_at=now - timedelta(hours=1)),
        a_post(
            "d_submitted", scheduled_at=now - timedelta(minutes=30), status=PostStatus.SUBMITTED
        ),
        a_post("d_approved_now", scheduled_at=now, status=PostStatus.APPROVED),
        a_post("d_publishing", scheduled_at=now - timedelta(days=1), status=PostStatus.PUBLISHING),
        # a retry is due at its next attempt, whatever its schedule says
        a_post(
            "d_retry",
            scheduled_at=now + timedelta(days=1),
            next_attempt_at=now - timedelta(minutes=10),
            status=PostStatus.APPROVED,
        ),
    ]
    not_due = [
        a_post("n_future", scheduled_at=now + timedelta(microseconds=1)),
        a_post("n_unscheduled"),
        a_post(
            "n_retry_later",
            scheduled_at=now - timedelta(hours=1),
            next_attempt_at=now + timedelta(minutes=1),
            status=PostStatus.APPROVED,
        ),
        *[
            a_post(f"n_{status.value}", scheduled_at=now - timedelta(hours=1), status=status)
            for status in (
                PostStatus.PUBLISHED,
                PostStatus.REJECTED,
                PostStatus.HELD,
                PostStatus.EXPIRED,
                PostStatus.FAILED,
                PostStatus.CANCELLED,
            )
        ],
    ]
    for post in [*due, *not_due]:
        store.create_post(post, [])
    assert [p.id for p in store.due_posts(now)] == [
        "d_publishing",
        "d_draft",
        "d_submitted",
        "d_retry",
        "d_approved_now",
    ]
    # Once published a post is never due again
    draft = store.get_post("d_draft")
    assert draft is not None
    store.save_post(replace(draft, status=PostStatus.PUBLISHED), 0, [])
    assert "d_draft" not in [p.id for p in store.due_posts(now)]


# ---------------------------------------------------------------- decision links
def test_a_link_reads_back_as_written(store: Store) -> None:
    link = a_link(created_at=T0 + timedelta(microseconds=9))
    store.put_link(link)
    assert store.get_link(link.token_hash) == link
    assert store.get_link("0" * 64) is None


def test_a_link_burns_once(store: Store) -> None:
    link = a_link()
    store.put_link(link)
    store.burn_link(link.token_hash, T0 + timedelta(minutes=1), "approve")
    with pytest.raises(LinkUsed):
        store.burn_link(link.token_hash, T0 + timedelta(minutes=2), "reject")
    assert store.get_link(link.token_hash) == replace(
        link, used_at=T0 + timedelta(minutes=1), used_action="approve"
    )


def test_an_unknown_link_cannot_be_burnt(store: Store) -> None:
    with pytest.raises(LinkUsed):
        store.burn_link("0" * 64, T0, "approve")
    assert store.get_link("0" * 64) is None


def test_a_spent_link_is_never_overwritten(store: Store) -> None:
    link = a_link()
    store.put_link(link)
    store.burn_link(link.token_hash, T0, "reject")
    with pytest.raises(ClientError) as err:
        store.put_link(link)  # would make the spent link usable again
    assert refused(err) == REFUSED
    got = store.get_link(link.token_hash)
    assert got is not None and got.used_action == "reject"


def test_racing_burns_let_exactly_one_decide(store: Store) -> None:
    link = a_link()
    store.put_link(link)
    won: list[str] = []

    def burn(n: int) -> None:
        try:
            store.burn_link(link.token_hash, T0, f"action {n}")
            won.append(f"action {n}")
        except LinkUsed:
            pass

    _together(burn, 6)
    assert len(won) == 1
    got = store.get_link(link.token_hash)
    assert got is not None and got.used_action == won[0]


# ---------------------------------------------------------------- once-only side effects
def test_a_claim_holds_until_released(store: Store) -> None:
    assert store.claim_once("mail:p1:v1", T0) is True
    assert store.claim_once("mail:p1:v1", T0 + timedelta(minutes=1)) is False
    assert store.claim_once("mail:p1:v2", T0) is True  # keys are independent
    store.release_once("mail:p1:v1")
    assert store.claim_once("mail:p1:v1", T0) is True
    store.release_once("never-claimed")  # releasing nothing is harmless


def test_racing_claims_let_exactly_one_through(store: Store) -> None:
    results: list[bool] = []
    _together(lambda n: results.append(store.claim_once("publish:p1", T0)), 6)
    assert sorted(results) == [False] * 5 + [True]


# ---------------------------------------------------------------- heartbeats
def test_the_last_heartbeat_is_kept(store: Store) -> None:
    assert store.get_heartbeat("publisher") is None
    store.put_heartbeat("publisher", T0)
    store.put_heartbeat("watcher", T0 - timedelta(hours=1))
    store.put_heartbeat("publisher", T0 + timedelta(minutes=1, microseconds=1))
    assert store.get_heartbeat("publisher") == T0 + timedelta(minutes=1, microseconds=1)
    assert store.get_heartbeat("watcher") == T0 - timedelta(hours=1)


# ---------------------------------------------------------------- audit
def test_audit_by_subject_and_by_account_in_id_order(store: Store) -> None:
    entries = [
        an_entry("20260302T023000.000002-b", details={"list": [1, "two"], "nested": {"k": None}}),
        an_entry("20260302T023000.000001-a", channel=Channel.EMAIL, actor="u_bob"),
        an_entry("20260302T023000.000003-c", subject="p2"),
        an_entry("20260302T023000.000000-z", subject="acct1", account="acct1"),
        an_entry("20260302T023000.000004-d", subject="p9", account="acct2"),
    ]
    store.append_audit(entries[:2])
    store.append_audit(entries[2:])
    store.append_audit([])
    assert store.audit_of_subject("post", "p1") == [entries[1], entries[0]]
    assert [e.id for e in store.audit_of_account("acct1")] == [
        "20260302T023000.000000-z",
        "20260302T023000.000001-a",
        "20260302T023000.000002-b",
        "20260302T023000.000003-c",
    ]
    assert store.audit_of_subject("post", "nothing") == []


def test_audit_is_append_only(store: Store) -> None:
    store.append_audit([an_entry("e1")])
    with pytest.raises(Conflict):
        # A batch with one reused id is refused whole
        store.append_audit([an_entry("e0"), an_entry("e1", action="post.rewritten")])
    assert store.audit_of_subject("post", "p1") == [an_entry("e1")]


# ---------------------------------------------------------------- helpers
def _together(work: Callable[[int], None], n: int) -> None:
    """Run ``work(0..n-1)`` on ``n`` threads released at the same moment."""
    start = threading.Barrier(n)

    def run(i: int) -> None:
        start.wait()
        work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)


def test_the_latest_audit_of_an_account_pages_newest_first(store: Store) -> None:
    entries = [an_entry(f"2026-03-02T02:{m:02d}:00-x", account="acct1") for m in range(7)]
    store.append_audit([*entries, an_entry("2026-03-02T02:59:00-y", account="acct2")])
    ids = [e.id for e in entries]
    assert [e.id for e in store.latest_audit_of_account("acct1", 3)] == ids[::-1][:3]
    page2 = store.latest_audit_of_account("acct1", 3, before=ids[4])
    assert [e.id for e in page2] == [ids[3], ids[2], ids[1]]
    assert [e.id for e in store.latest_audit_of_account("acct1", 5, before=ids[1])] == [ids[0]]
    assert store.latest_audit_of_account("acct3", 5) == []


def test_posts_of_an_account_by_status_come_filtered(store: Store) -> None:
    for pid, status in (
        ("p1", PostStatus.DRAFT),
        ("p2", PostStatus.SUBMITTED),
        ("p3", PostStatus.HELD),
    ):
        store.create_post(a_post(pid, status=status, scheduled_at=T0), [])
    waiting = frozenset({PostStatus.SUBMITTED, PostStatus.HELD})
    assert sorted(p.id for p in store.posts_of_account("acct1", statuses=waiting)) == ["p2", "p3"]
    assert [
        p.id for p in store.posts_of_account("acct1", statuses=frozenset({PostStatus.DRAFT}))
    ] == ["p1"]
