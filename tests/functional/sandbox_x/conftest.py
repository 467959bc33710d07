"""Fixtures of the sandbox X tests: one sandbox per test module, the brand account on
it, the real X adapter and raw HTTP pointed at it.

Every response any test receives through ``client`` or ``http`` is validated
against the official X API v2 OpenAPI spec (``firebreak_local.sandbox_x.spec``)
when the test finishes.
"""

from __future__ import annotations

import time
import urllib.parse
from typing import Any

import pytest
import requests

from chalicelib.networks.x import XClient
from firebreak_local.sandbox_x import RunningSandboxX, start_sandbox_x
from tests.functional.sandbox_x.helpers import (
    BRAND_BEARER,
    BRAND_TOKEN,
    CONSUMER_KEY,
    assert_matches_spec,
    make_client,
)


@pytest.fixture(scope="module")
def sandbox() -> Any:
    running = start_sandbox_x("127.0.0.1", 0)
    yield running
    running.stop()


@pytest.fixture
def captured() -> Any:
    """Responses seen during a test; all are checked against the spec afterwards."""
    responses: list[requests.Response] = []
    yield responses
    for response in responses:
        assert_matches_spec(response)


@pytest.fixture
def brand(sandbox: RunningSandboxX) -> dict[str, Any]:
    sandbox.app.reset()
    return sandbox.app.register_user(
        username="brand",
        name="Brand",
        user_id="1001",
        access_token=BRAND_TOKEN,
        bearer_token=BRAND_BEARER,
        app_name="Firebreak",
    )


@pytest.fixture
def client(sandbox: RunningSandboxX, brand: dict[str, Any], captured: list[Any]) -> XClient:
    return make_client(sandbox, captured)


@pytest.fixture
def http(sandbox: RunningSandboxX, brand: dict[str, Any], captured: list[Any]) -> Any:
    """Raw HTTP against the sandbox's X API, with captured (and so validated) responses."""

    def call(
        method: str, path: str, *, auth: str | None = "user", **kwargs: Any
    ) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if auth == "user":
            headers["Authorization"] = (
                f'OAuth oauth_consumer_key="{CONSUMER_KEY}", oauth_nonce="n", '
                f'oauth_signature="unchecked", oauth_signature_method="HMAC-SHA1", '
                f'oauth_timestamp="{int(time.time())}", '
                f'oauth_token="{urllib.parse.quote(BRAND_TOKEN)}", oauth_version="1.0"'
            )
        elif auth == "app":
            headers["Authorization"] = f"Bearer {BRAND_BEARER}"
        elif auth is not None:
            headers["Authorization"] = auth
        response = requests.request(
            method, sandbox.url + path, headers=headers, timeout=5, **kwargs
        )
        captured.append(response)
        return response

    return call
