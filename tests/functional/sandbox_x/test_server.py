"""Serving: loopback only, start and stop, a stopped server refuses connections."""

from __future__ import annotations

import pytest
import requests

from chalicelib.networks.social import NetworkUnavailable
from chalicelib.networks.x import XClient, XCredentials
from firebreak_local.sandbox_x import start_sandbox_x
from tests.functional.sandbox_x.helpers import (
    BRAND_SECRET,
    BRAND_TOKEN,
    CONSUMER_KEY,
    CONSUMER_SECRET,
)


def test_connection_refused_becomes_network_unavailable() -> None:
    closed = start_sandbox_x()
    url = closed.url
    closed.stop()
    client = XClient(
        XCredentials(CONSUMER_KEY, CONSUMER_SECRET, BRAND_TOKEN, BRAND_SECRET),
        api_base_url=url,
        timeout_s=1,
    )

    with pytest.raises(NetworkUnavailable):
        client.timeline()


def test_only_loopback_is_ever_bound() -> None:
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        start_sandbox_x("0.0.0.0")  # noqa: S104 - the point of the test


def test_sandbox_runs_as_a_context_manager() -> None:
    with start_sandbox_x() as running:
        response = requests.get(running.url + "/2/users/me", timeout=5)
        assert response.status_code == 401
    with pytest.raises(requests.ConnectionError):
        requests.get(running.url + "/2/users/me", timeout=2)
