"""Injected faults (statuses, delays) and rate-limit windows."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from chalicelib.networks.social import NetworkUnavailable, PostNotFound, RateLimited
from chalicelib.networks.x import XClient
from firebreak_local.sandbox_x import RunningSandboxX, SandboxX, start_sandbox_x
from tests.functional.sandbox_x.helpers import make_client


def test_injected_429_becomes_rate_limited_with_the_reset_time(
    sandbox: RunningSandboxX, client: XClient, captured: list[requests.Response]
) -> None:
    client.account()  # learn the user id first, so the fault hits the timeline call
    reset = int(time.time()) + 600
    sandbox.app.add_fault(method="GET", path="/2/users/*/tweets", status=429, reset=reset)

    with pytest.raises(RateLimited) as excinfo:
        client.timeline()

    assert excinfo.value.reset_at == datetime.fromtimestamp(reset, tz=UTC)
    assert captured[-1].headers["x-rate-limit-remaining"] == "0"
    assert client.timeline() == []  # the fault was used up


def test_rate_limit_is_enforced_per_window(
    sandbox: RunningSandboxX, client: XClient, http: Any
) -> None:
    post = client.publish("counting")
    remaining = []
    for _ in range(3):
        response = http("GET", f"/2/tweets/{post.id}")
        remaining.append(int(response.headers["x-rate-limit-remaining"]))
    assert remaining[0] - remaining[1] == 1 and remaining[1] - remaining[2] == 1
    assert response.headers["x-rate-limit-limit"] == "900"

    # /2/users/me allows 75 requests per 15 minutes; the adapter already used one.
    statuses = [http("GET", "/2/users/me").status_code for _ in range(75)]

    assert statuses[:74] == [200] * 74 and statuses[74] == 429
    reset = int(http("GET", "/2/users/me").headers["x-rate-limit-reset"])
    assert 0 < reset - time.time() <= 15 * 60
    sandbox.app.configure(enforce_rate_limits=False)
    assert http("GET", "/2/users/me").status_code == 200


@pytest.mark.parametrize("status", [503, 500])
def test_injected_server_errors_become_network_unavailable(
    sandbox: RunningSandboxX, client: XClient, status: int
) -> None:
    sandbox.app.add_fault(method="POST", path="/2/tweets", status=status)
    client.account()

    with pytest.raises(NetworkUnavailable, match=str(status)):
        client.publish("during an outage")

    assert sandbox.app.posts() == []
    assert client.publish("after the outage").text == "after the outage"


def test_delay_longer_than_the_timeout_becomes_network_unavailable(
    sandbox: RunningSandboxX, brand: dict[str, Any], captured: list[requests.Response]
) -> None:
    impatient = make_client(sandbox, captured, timeout_s=0.3)
    impatient.account()
    sandbox.app.add_fault(method="GET", path="/2/tweets/*", delay_s=1.5)

    started = time.monotonic()
    with pytest.raises(NetworkUnavailable):
        impatient.get_post("42")
    assert time.monotonic() - started < 1.4

    sandbox.app.add_fault(method="GET", path="/2/tweets/*", delay_s=0.05)
    with pytest.raises(PostNotFound):  # a short delay only slows the answer down
        impatient.get_post("42")


def test_x_api_responses_are_json_even_for_injected_faults(
    sandbox: RunningSandboxX, http: Any
) -> None:
    sandbox.app.add_fault(method="*", path="/2/users/me", status=503, count=2)

    first, second, third = (http("GET", "/2/users/me") for _ in range(3))

    assert [first.status_code, second.status_code, third.status_code] == [503, 503, 200]
    assert first.json()["title"] == "Service Unavailable"
    assert sandbox.app.faults() == []


def test_a_fake_clock_moves_the_rate_limit_window() -> None:
    now = [1_700_000_000.0]
    app = SandboxX(clock=lambda: now[0])
    app.register_user(username="clocked", user_id="7", access_token="7-tok")
    with start_sandbox_x(app=app) as running:
        headers = {"Authorization": 'OAuth oauth_token="7-tok"'}
        first = requests.get(running.url + "/2/users/me", headers=headers, timeout=5)
        now[0] += 15 * 60
        later = requests.get(running.url + "/2/users/me", headers=headers, timeout=5)

    assert int(first.headers["x-rate-limit-reset"]) == 1_700_000_000 + 900
    assert int(later.headers["x-rate-limit-reset"]) == 1_700_000_000 + 1800
    assert later.headers["x-rate-limit-remaining"] == "74"
