"""Failures through the adapter against the sandbox: rate limits (never slept on),
server errors, timeouts, refused connections, bad tokens; and the sandbox's wire
(headers, Link paging, errors, control endpoints) as raw HTTP sees it."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from chalicelib.networks.mastodon import MastodonClient, MastodonCredentials
from chalicelib.networks.social import NetworkUnavailable, PostRejected, RateLimited
from firebreak_local.sandbox_mastodon import RunningSandboxMastodon
from tests.functional.mastodon.conftest import BRAND_TOKEN, clock, make_client

RESET = datetime(2026, 12, 1, 6, 5, tzinfo=UTC)  # the five-minute window after NOW


def _get(sandbox: RunningSandboxMastodon, path: str, token: str | None = BRAND_TOKEN) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(sandbox.url + path, headers=headers, timeout=5)


def test_an_injected_429_is_rate_limited_with_the_reset_and_no_sleep(
    sandbox: RunningSandboxMastodon, client: MastodonClient
) -> None:
    client.own_id()
    sandbox.app.fail_next(1, 429, path="/api/v1/notifications")

    started = time.monotonic()
    with pytest.raises(RateLimited) as excinfo:
        client.mention_batch(since_id=None, max_posts=10)

    assert time.monotonic() - started < 1.0
    assert excinfo.value.reset_at == RESET
    assert client.mention_batch(since_id=None, max_posts=10).posts == []  # fault used up


def test_a_spent_window_is_rate_limited_until_its_reset(
    sandbox: RunningSandboxMastodon, client: MastodonClient
) -> None:
    sandbox.app.configure(rate_limit=3)
    post = client.publish("one")  # verify_credentials is not needed to publish
    client.get_post(post.id)
    client.get_post(post.id)

    started = time.monotonic()
    with pytest.raises(RateLimited) as excinfo:
        client.get_post(post.id)

    assert time.monotonic() - started < 1.0
    assert excinfo.value.reset_at == RESET
    answer = _get(sandbox, f"/api/v1/statuses/{post.id}")
    assert answer.status_code == 429
    assert answer.json() == {"error": "Too many requests"}
    assert answer.headers["X-RateLimit-Remaining"] == "0"
    assert answer.headers["X-RateLimit-Reset"] == "2026-12-01T06:05:00.000000Z"
    # Another token has its own window.
    sandbox.app.add_account("other", access_token="other-token")
    assert _get(sandbox, f"/api/v1/statuses/{post.id}", "other-token").status_code == 200


def test_server_errors_are_network_unavailable(
    sandbox: RunningSandboxMastodon, client: MastodonClient
) -> None:
    for status in (500, 502, 503, 504):
        sandbox.app.fail_next(1, status)
        with pytest.raises(NetworkUnavailable, match=str(status)):
            client.publish("during an outage")
    assert client.timeline() == []  # nothing was posted


def test_a_timeout_is_network_unavailable(
    sandbox: RunningSandboxMastodon, brand: dict[str, Any]
) -> None:
    client = make_client(sandbox, timeout_s=0.2)
    sandbox.app.fail_next(1, None, delay_s=1.0)

    started = time.monotonic()
    with pytest.raises(NetworkUnavailable, match="timed out"):
        client.own_id()

    assert time.monotonic() - started < 0.9


def test_a_refused_connection_is_network_unavailable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = MastodonClient(
        MastodonCredentials(f"http://127.0.0.1:{port}", "some-long-token"), clock=clock
    )

    with pytest.raises(NetworkUnavailable, match="Could not complete request"):
        client.get_post("1")


def test_a_bad_token_is_rejected_without_showing_it(
    sandbox: RunningSandboxMastodon, brand: dict[str, Any]
) -> None:
    token = "leaked-looking-token-value-1234567890"
    client = make_client(sandbox, token)

    for call in (client.own_id, lambda: client.publish("hi"), client.text_limits):
        with pytest.raises(PostRejected) as excinfo:
            call()
        message = str(excinfo.value)
        assert "401" in message and "The access token is invalid" in message
        assert token not in message and "\n" not in message
    assert token not in repr(client)


def test_a_revoked_token_is_rejected(
    sandbox: RunningSandboxMastodon, client: MastodonClient
) -> None:
    client.publish("still works")
    sandbox.app.revoke_token(BRAND_TOKEN)

    with pytest.raises(PostRejected, match="401"):
        client.publish("not any more")


# ------------------------------------------------------------------ the wire


def test_every_answer_carries_rate_limit_headers_and_the_sandbox_date(
    sandbox: RunningSandboxMastodon, brand: dict[str, Any]
) -> None:
    first = _get(sandbox, "/api/v1/accounts/verify_credentials")
    second = _get(sandbox, f"/api/v1/accounts/{brand['id']}")
    anonymous = _get(sandbox, "/api/v2/instance", token=None)
    refused = _get(sandbox, "/api/v1/accounts/verify_credentials", token="nope")

    assert first.headers["X-RateLimit-Limit"] == "300"
    assert [int(r.headers["X-RateLimit-Remaining"]) for r in (first, second)] == [299, 298]
    assert anonymous.headers["X-RateLimit-Remaining"] == "299"  # per address, not per token
    assert first.headers["Date"] == "Tue, 01 Dec 2026 06:00:00 GMT"
    assert first.json()["source"]["privacy"] == "public"
    assert anonymous.json()["configuration"]["statuses"] == {
        "max_characters": 500,
        "max_media_attachments": 4,
        "characters_reserved_per_url": 23,
    }
    assert refused.status_code == 401
    assert refused.json() == {"error": "The access token is invalid"}


def test_unknown_and_deleted_things_are_record_not_found(
    sandbox: RunningSandboxMastodon, client: MastodonClient
) -> None:
    post = client.publish("temporary")
    deleted = requests.delete(
        f"{sandbox.url}/api/v1/statuses/{post.id}",
        headers={"Authorization": f"Bearer {BRAND_TOKEN}"},
        timeout=5,
    )

    assert deleted.status_code == 200 and deleted.json()["text"] == "temporary"
    for path in (f"/api/v1/statuses/{post.id}", "/api/v1/accounts/999", "/api/v1/nothing"):
        answer = _get(sandbox, path)
        assert (answer.status_code, answer.json()) == (404, {"error": "Record not found"})
        assert answer.reason == "Not Found"


def test_lists_carry_link_headers_like_mastodon(
    sandbox: RunningSandboxMastodon, client: MastodonClient, fan: dict[str, Any]
) -> None:
    ids = [client.publish(f"p{n}").id for n in range(3)]
    for n in range(2):
        sandbox.app.inject_mention(fan["id"], client.own_id(), f"m{n}")
    notes = [n["id"] for n in sandbox.app.notifications(client.own_id())]
    me = client.own_id()

    full = _get(sandbox, f"/api/v1/accounts/{me}/statuses?limit=2&exclude_reblogs=1")
    short = _get(sandbox, f"/api/v1/accounts/{me}/statuses?limit=5")
    close = _get(sandbox, f"/api/v1/accounts/{me}/statuses?min_id={ids[0]}&limit=1")
    mentions = _get(sandbox, "/api/v1/notifications?types[]=mention&limit=5")

    base = f"{sandbox.url}/api/v1/accounts/{me}/statuses"
    assert full.headers["Link"] == (
        f'<{base}?limit=2&exclude_reblogs=1&max_id={ids[1]}>; rel="next", '
        f'<{base}?limit=2&exclude_reblogs=1&min_id={ids[2]}>; rel="prev"'
    )
    assert 'rel="next"' not in short.headers["Link"]  # a short page ends the statuses
    assert [s["id"] for s in close.json()] == [ids[1]]  # min_id: the ones right above it
    assert 'rel="next"' in mentions.headers["Link"]  # notifications: on every page
    assert f"types%5B%5D=mention&max_id={notes[-1]}" in mentions.headers["Link"]


def test_statuses_accept_json_and_refuse_bad_visibility(
    sandbox: RunningSandboxMastodon, client: MastodonClient
) -> None:
    url = f"{sandbox.url}/api/v1/statuses"
    auth = {"Authorization": f"Bearer {BRAND_TOKEN}"}

    made = requests.post(url, json={"status": "from json"}, headers=auth, timeout=5)
    refused = requests.post(
        url, data={"status": "x", "visibility": "loud"}, headers=auth, timeout=5
    )
    anonymous = requests.post(url, data={"status": "x"}, timeout=5)

    assert made.status_code == 200 and made.json()["application"]["name"] == "Firebreak"
    assert refused.status_code == 422
    assert anonymous.status_code == 401


def test_control_endpoints_are_json_twins(
    sandbox: RunningSandboxMastodon, brand: dict[str, Any]
) -> None:
    def control(method: str, path: str, body: Any = None) -> Any:
        answer = requests.request(method, f"{sandbox.url}/_sandbox{path}", json=body, timeout=5)
        return answer.status_code, answer.json()

    status, made = control("POST", "/accounts", {"username": "critic@chaos.social", "followers": 9})
    assert status == 201 and made["account"]["acct"] == "critic@chaos.social"
    critic = made["account"]["id"]
    status, post = control("POST", f"/accounts/{brand['id']}/statuses", {"text": "rogue!"})
    assert status == 201 and post["post"]["origin"] == "injected"
    status, mention = control(
        "POST", f"/accounts/{brand['id']}/mentions", {"from_user_id": critic, "text": "what?"}
    )
    assert mention["post"]["text"] == "@brand what?"
    status, surge = control(
        "POST", "/surge", {"user_id": brand["id"], "about_post_id": post["post"]["id"], "count": 5}
    )
    assert status == 201 and len(surge["surge"]["ids"]) == 5
    assert control("GET", f"/posts/{post['post']['id']}")[1]["post"]["text"] == "rogue!"
    assert control("POST", "/faults", {"n": 2, "status": 503})[0] == 201
    assert control("GET", "/faults")[1]["faults"][0]["remaining"] == 2
    assert control("DELETE", "/faults")[1] == {"faults": []}
    assert control("POST", "/config", {"max_characters": 1000})[1]["max_characters"] == 1000
    assert control("POST", "/config", {"colour": "red"})[0] == 400
    assert control("POST", "/accounts", {"username": "brand"})[0] == 409
    assert control("GET", "/nothing")[0] == 404
    assert isinstance(control("GET", "/requests")[1]["requests"], list)
