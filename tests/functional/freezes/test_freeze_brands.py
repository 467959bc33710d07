"""Freezes belong to one brand, over the real stack (P9): a second brand, Globex, beside
the demo brand in the same deployment can neither stop nor lift the demo brand's
publishing.

Every freeze set here is lifted in a ``finally`` by two admins of its brand, so that
no other test on the shared stack finds the demo account frozen."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import timedelta

import pytest

from tests.functional.conftest import Api, later, unique

GLOBEX = "globex"
GLOBEX_ACCOUNT = "acct_globex"


@pytest.fixture(scope="module")
def globex(stack) -> dict[str, Api]:
    """Globex: one account on the sandbox X, an author, an approver and two admins."""
    from chalicelib.accounts.domain import Account
    from chalicelib.core.users import Role, User
    from chalicelib.links.domain import hash_token
    from chalicelib.wiring import aws_client, get_service, get_settings
    from firebreak_local.seed import add_account

    store = get_service().store
    add_account(
        store,
        aws_client("secretsmanager"),
        stack.x.app,
        Account(GLOBEX_ACCOUNT, GLOBEX, "Globex", "x", "@globex_demo", "UTC"),
        secret_prefix=get_settings().social_secret_prefix,
    )
    people = {}
    for uid, role in (
        ("u_gus", Role.AUTHOR),
        ("u_glen", Role.APPROVER),
        ("u_gil", Role.ADMIN),
        ("u_greta", Role.ADMIN),
    ):
        key = "fb_" + secrets.token_urlsafe(24)
        name = uid.removeprefix("u_")
        store.put_user(
            User(uid, name.title(), f"{name}@globex.example", role, GLOBEX), hash_token(key)
        )
        people[uid] = Api(stack.api_url, key)
    return people


def _approved(author: Api, approver: Api, account: str, when) -> str:
    post = author.post(
        f"/accounts/{account}/posts",
        {"text": unique("Brand freeze test"), "scheduled_at": when.isoformat()},
    )
    assert post.status_code == 201, post.text
    post_id: str = post.json()["id"]
    assert author.post(f"/posts/{post_id}/submit").status_code == 200
    res = approver.post(f"/posts/{post_id}/approve")
    assert res.status_code == 200 and res.json()["status"] == "approved", res.text
    return post_id


def _lift(first: Api, second: Api, scope: str) -> None:
    """Best effort, for ``finally``: two admins of the brand lift ``scope`` if frozen."""
    first.post(f"/freezes/{scope}/lift")
    second.post(f"/freezes/{scope}/lift")


def _reasons(api: Api) -> list[tuple[str, str]]:
    res = api.get("/freezes")
    assert res.status_code == 200, res.text
    return [(f["scope"], f["reason"]) for f in res.json()["freezes"]]


@pytest.fixture
def globex_frozen(globex: dict[str, Api]) -> Iterator[str]:
    reason = unique("globex pause")
    try:
        res = globex["u_gil"].post("/freezes", {"scope": "all", "reason": reason})
        assert res.status_code == 201, res.text
        yield reason
    finally:
        _lift(globex["u_gil"], globex["u_greta"], "all")


def test_another_brands_all_freeze_leaves_ours_publishing(
    stack, alice, bob, users, account, globex, globex_frozen
) -> None:
    when = later(60)
    ours = _approved(alice, bob, account, when)
    theirs = _approved(globex["u_gus"], globex["u_glen"], GLOBEX_ACCOUNT, when)
    # Globex sees its own freeze; the demo brand sees nothing of it
    assert ("all", globex_frozen) in _reasons(globex["u_gil"])
    assert not [r for r in _reasons(users["u_adam"]) if r[1] == globex_frozen]
    # The publisher holds Globex's post and publishes ours
    report = stack.tick(at=when + timedelta(seconds=1))
    assert ours in report["published"], report
    assert theirs in report["held"], report
    assert alice.get(f"/posts/{ours}").json()["status"] == "published"


def test_another_brands_admins_cannot_lift_or_see_our_freezes(users, account, globex) -> None:
    adam, ada = users["u_adam"], users["u_ada"]
    gil, greta = globex["u_gil"], globex["u_greta"]
    reason = unique("acme pause")
    try:
        res = adam.post("/freezes", {"scope": "all", "reason": reason})
        assert res.status_code == 201, res.text
        # Not theirs: a 404, as for a freeze that does not exist, and nothing recorded
        assert gil.post("/freezes/all/lift").status_code == 404
        assert greta.post("/freezes/all/lift").status_code == 404
        [ours] = [f for f in adam.get("/freezes").json()["freezes"] if f["reason"] == reason]
        assert ours["scope"] == "all" and ours["lift_requested_by"] is None
        assert not [r for r in _reasons(gil) if r[1] == reason]
        # Nor can they freeze, or lift, the demo brand's account
        assert gil.post("/freezes", {"scope": account, "reason": "x"}).status_code == 404
        assert gil.post(f"/freezes/{account}/lift").status_code == 404
        # Two admins of the brand lift it as before
        first = adam.post("/freezes/all/lift")
        assert first.status_code == 202, first.text
        done = ada.post("/freezes/all/lift")
        assert done.status_code == 200 and done.json()["lifted"] is True, done.text
        assert not [r for r in _reasons(adam) if r[1] == reason]
    finally:
        _lift(adam, ada, "all")


def test_an_old_deployment_wide_all_freeze_is_no_longer_read(
    stack, alice, bob, users, account
) -> None:
    """Before freezes had a brand, "all" was one item for the whole deployment. Such an
    item left in a table stops nobody and is listed to nobody."""
    from chalicelib.wiring import aws_client, get_settings

    db, table = aws_client("dynamodb"), get_settings().table_name
    key = {"pk": {"S": "FREEZE#all"}, "sk": {"S": "FREEZE"}}
    reason = unique("old global pause")
    item = {
        **key,
        "gsi1pk": {"S": "FREEZES"},
        "gsi1sk": {"S": "all"},
        "scope": {"S": "all"},
        "reason": {"S": reason},
        "frozen_by": {"S": "u_adam"},
        "frozen_at": {"S": "2026-01-01T00:00:00.000000Z"},
    }
    try:
        db.put_item(TableName=table, Item=item)
        when = later(60)
        ours = _approved(alice, bob, account, when)
        assert not [r for r in _reasons(users["u_adam"]) if r[1] == reason]
        assert ours in stack.tick(at=when + timedelta(seconds=1))["published"]
    finally:
        db.delete_item(TableName=table, Key=key)
