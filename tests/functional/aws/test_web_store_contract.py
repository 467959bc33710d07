"""One contract for the ``WebStore`` port (sign-in links, sessions, rate limits): the
in-memory twin and ``DynamoWeb`` on the embedded AWS run the same cases; plus the
``Store``'s lookup of a user by address."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.links.domain import hash_token
from chalicelib.ports import WebStore
from chalicelib.web.domain import SignInLink, WebSession
from tests.fakes import MemoryWeb
from tests.functional.aws.test_store_contract import T0, _create_table, a_user


@pytest.fixture(params=["memory", "dynamo"])
def web(request: pytest.FixtureRequest) -> Iterator[WebStore]:
    if request.param == "memory":
        yield MemoryWeb()
        return
    request.getfixturevalue("stack")
    from chalicelib.aws.dynamo_web import DynamoWeb
    from chalicelib.wiring import aws_client

    client = aws_client("dynamodb")
    name = f"web-contract-{uuid.uuid4().hex[:12]}"
    _create_table(client, name)
    try:
        yield DynamoWeb(client, name)
    finally:
        client.delete_table(TableName=name)


def test_a_link_round_trips_and_burns_once(web: WebStore) -> None:
    token, link = SignInLink.issue("u1", T0)
    web.put_signin_link(link)
    assert web.get_signin_link(hash_token(token)) == link
    assert web.get_signin_link("0" * 64) is None
    assert web.burn_signin_link(link.token_hash, T0 + timedelta(minutes=1))
    assert not web.burn_signin_link(link.token_hash, T0 + timedelta(minutes=2))
    assert not web.burn_signin_link("0" * 64, T0)
    burnt = web.get_signin_link(link.token_hash)
    assert burnt is not None and burnt.used_at == T0 + timedelta(minutes=1)


def test_only_one_of_two_racing_sign_ins_wins(web: WebStore) -> None:
    _, link = SignInLink.issue("u1", T0)
    web.put_signin_link(link)
    results: list[bool] = []
    threads = [
        threading.Thread(target=lambda: results.append(web.burn_signin_link(link.token_hash, T0)))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, False, True]


def test_rate_counter_stops_at_its_limit_per_window(web: WebStore) -> None:
    assert [web.count_request("EMAIL#x", "2026030202", 3) for _ in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert web.count_request("EMAIL#x", "2026030203", 3)  # the next hour
    assert web.count_request("EMAIL#y", "2026030202", 3)  # another key


def test_sessions_round_trip_touch_and_end(web: WebStore) -> None:
    raw, session = WebSession.start("u1", T0)
    _, other = WebSession.start("u1", T0)
    _, someone = WebSession.start("u2", T0)
    for s in (session, other, someone):
        web.put_session(s, T0 + timedelta(hours=12))
    assert web.get_session(hash_token(raw)) == session
    web.touch_session(session.id_hash, T0 + timedelta(minutes=5))
    assert web.get_session(session.id_hash) == replace(
        session, last_seen_at=T0 + timedelta(minutes=5)
    )
    assert sorted(web.sessions_of_user("u1")) == sorted([session.id_hash, other.id_hash])
    web.delete_session(session.id_hash)
    assert web.get_session(session.id_hash) is None
    web.touch_session(session.id_hash, T0 + timedelta(minutes=6))  # never brings it back
    assert web.get_session(session.id_hash) is None
    assert web.sessions_of_user("u1") == [other.id_hash]


def test_a_user_is_found_by_address(stack: Any) -> None:
    from chalicelib.aws.dynamo import DynamoStore
    from chalicelib.wiring import aws_client

    client = aws_client("dynamodb")
    name = f"web-users-{uuid.uuid4().hex[:12]}"
    _create_table(client, name)
    try:
        store = DynamoStore(client, name)
        user = a_user("u9", email="Nine@Acme.example")
        store.put_user(user)
        assert store.user_for_email("nine@acme.example") == user
        assert store.user_for_email("ten@acme.example") is None
        store.put_user(replace(user, email="new@acme.example"))  # an address changed
        assert store.user_for_email("nine@acme.example") is None
        assert store.user_for_email("new@acme.example") is not None
    finally:
        client.delete_table(TableName=name)
