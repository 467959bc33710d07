"""Fixtures of the Mastodon tests: one sandbox Mastodon per test module on a fixed
clock (2026-12-01T06:00:00Z), the brand account on it, and the real adapter
(Mastodon.py over loopback) acting as the brand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.networks.mastodon import MastodonClient, MastodonCredentials
from firebreak_local.sandbox_mastodon import RunningSandboxMastodon, start_sandbox_mastodon

NOW_EPOCH = 1796104800.0
NOW = datetime.fromtimestamp(NOW_EPOCH, tz=UTC)
BRAND_TOKEN = "brand-token-s3cr3t-0123456789abcdef"


def clock() -> float:
    return NOW_EPOCH


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandboxMastodon]:
    running = start_sandbox_mastodon("127.0.0.1", 0, clock=clock)
    yield running
    running.stop()


@pytest.fixture
def brand(sandbox: RunningSandboxMastodon) -> dict[str, Any]:
    sandbox.app.reset()
    return sandbox.app.add_account("brand", access_token=BRAND_TOKEN, followers=1200)


def make_client(sandbox: RunningSandboxMastodon, token: str = BRAND_TOKEN, **kwargs: Any) -> Any:
    return MastodonClient(MastodonCredentials(sandbox.url, token), clock=clock, **kwargs)


@pytest.fixture
def client(sandbox: RunningSandboxMastodon, brand: dict[str, Any]) -> MastodonClient:
    return make_client(sandbox)


@pytest.fixture
def fan(sandbox: RunningSandboxMastodon, brand: dict[str, Any]) -> dict[str, Any]:
    """Someone on another server."""
    return sandbox.app.add_account("fan@mastodon.social", followers=321)


@pytest.fixture(autouse=True)
def _clean_x_faults() -> None:
    """Overrides tests/functional's autouse fixture: these tests need only the sandbox
    Mastodon, not the whole local stack (which that fixture would start)."""
