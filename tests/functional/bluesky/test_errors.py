"""Failures: rate limits become RateLimited with Bluesky's reset time at once (nothing
sleeps), server errors and timeouts NetworkUnavailable, and the sandbox answers as an
XRPC server does."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from chalicelib.networks.bluesky import BlueskyClient, MemorySessionStore
from chalicelib.networks.social import NetworkUnavailable, PostRejected, RateLimited
from firebreak_local.sandbox_bluesky import RunningSandboxBluesky
from tests.functional.bluesky.conftest import START, Clock, make_client


def test_a_429_is_rate_limited_until_the_reset_header_without_waiting(
    sandbox: RunningSandboxBluesky, client: BlueskyClient, brand: dict[str, Any]
) -> None:
    client.own_id()
    reset = int(START) + 900
    sandbox.app.fail_next(1, 429, nsid="com.atproto.repo.createRecord", reset=reset)

    began = time.monotonic()
    with pytest.raises(RateLimited) as excinfo:
        client.publish("hello")

    assert time.monotonic() - began < 1.0
    assert excinfo.value.reset_at == datetime.fromtimestamp(reset, tz=UTC)
    assert sandbox.app.posts() == []


def test_a_rate_limited_login_is_rate_limited(
    sandbox: RunningSandboxBluesky, client: BlueskyClient, clock: Clock
) -> None:
    sandbox.app.fail_next(1, 429, nsid="com.atproto.server.createSession")

    with pytest.raises(RateLimited) as excinfo:
        client.own_id()

    assert excinfo.value.reset_at.timestamp() == clock() + 300
    assert client.own_id()  # the next try logs in


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_network_unavailable(
    sandbox: RunningSandboxBluesky, client: BlueskyClient, status: int
) -> None:
    client.own_id()
    sandbox.app.fail_next(1, status)

    with pytest.raises(NetworkUnavailable, match=str(status)):
        client.get_post("1839211315200000017")


def test_a_timeout_is_network_unavailable(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any], store: MemorySessionStore
) -> None:
    client = make_client(sandbox, store, timeout_s=0.2)
    client.own_id()
    sandbox.app.fail_next(1, None, delay_s=2.0)

    with pytest.raises(NetworkUnavailable, match="timeline"):
        client.timeline()


def test_a_refused_connection_is_network_unavailable(brand: dict[str, Any]) -> None:
    from chalicelib.networks.bluesky import BlueskyCredentials

    closed = BlueskyCredentials("brand.bsky.social", "pw", "http://127.0.0.1:9")
    with pytest.raises(NetworkUnavailable):
        BlueskyClient(closed, timeout_s=0.5).own_id()


def test_an_invalid_record_is_rejected_by_the_sandbox(
    sandbox: RunningSandboxBluesky, client: BlueskyClient, brand: dict[str, Any]
) -> None:
    did = client.own_id()
    record = {
        "$type": "app.bsky.feed.post",
        "text": "short",
        "createdAt": "2026-12-01T06:00:00.000Z",
        "facets": [
            {
                "index": {"byteStart": 2, "byteEnd": 40},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://a.b"}],
            }
        ],
    }
    data = {"repo": did, "collection": "app.bsky.feed.post", "record": record}

    with pytest.raises(PostRejected, match=r"InvalidRequest.*outside the text"):
        client.query("publish", "com.atproto.repo.create_record", data)

    long = {**record, "facets": [], "text": "a" * 301}
    with pytest.raises(PostRejected, match="300 graphemes"):
        client.query("publish", "com.atproto.repo.create_record", {**data, "record": long})


def test_the_sandbox_answers_like_an_xrpc_server(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any]
) -> None:
    unknown = requests.get(f"{sandbox.url}/xrpc/app.bsky.feed.getTimeline", timeout=5)
    no_auth = requests.get(f"{sandbox.url}/xrpc/app.bsky.notification.listNotifications", timeout=5)
    bad_token = requests.get(
        f"{sandbox.url}/xrpc/com.atproto.server.getSession",
        headers={"Authorization": "Bearer not.a.jwt"},
        timeout=5,
    )
    profile = requests.get(
        f"{sandbox.url}/xrpc/app.bsky.actor.getProfile",
        params={"actor": "brand.bsky.social"},
        timeout=5,
    )

    assert (unknown.status_code, unknown.json()["error"]) == (501, "MethodNotImplemented")
    assert (no_auth.status_code, no_auth.json()["error"]) == (401, "AuthMissing")
    assert (bad_token.status_code, bad_token.json()["error"]) == (400, "InvalidToken")
    assert profile.json()["followersCount"] == 1200
    assert profile.headers["ratelimit-limit"] == "3000"
    assert profile.headers["ratelimit-policy"] == "3000;w=300"
    assert int(profile.headers["ratelimit-reset"]) == int(START) + 300
