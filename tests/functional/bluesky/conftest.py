"""Fixtures of the Bluesky tests: one sandbox Bluesky per test module on a clock that
starts at 2026-12-01T06:00:00Z and moves only when a test moves it, the brand account
on it, and the real adapter (the atproto SDK over loopback) acting as the brand."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.networks.bluesky import BlueskyClient, BlueskyCredentials, MemorySessionStore
from firebreak_local.sandbox_bluesky import RunningSandboxBluesky, start_sandbox_bluesky

START = 1796104800.0  # 2026-12-01T06:00:00Z
BRAND = "brand.bsky.social"
BRAND_PASSWORD = "abcd-efgh-ijkl-mnop"


class Clock:
    """Epoch seconds that stay put until a test moves them (sandbox and adapter share it)."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


CLOCK = Clock()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandboxBluesky]:
    running = start_sandbox_bluesky("127.0.0.1", 0, clock=CLOCK)
    yield running
    running.stop()


@pytest.fixture
def clock() -> Clock:
    return CLOCK


@pytest.fixture
def brand(sandbox: RunningSandboxBluesky) -> dict[str, Any]:
    sandbox.app.reset()
    CLOCK.now = START
    return sandbox.app.add_account(BRAND, app_password=BRAND_PASSWORD, followers=1200)


@pytest.fixture
def alice(sandbox: RunningSandboxBluesky, brand: dict[str, Any]) -> dict[str, Any]:
    return sandbox.app.add_account("alice.bsky.social", followers=42)


@pytest.fixture
def store() -> MemorySessionStore:
    return MemorySessionStore()


def make_client(
    sandbox: RunningSandboxBluesky,
    store: MemorySessionStore | None = None,
    *,
    password: str = BRAND_PASSWORD,
    **kwargs: Any,
) -> BlueskyClient:
    credentials = BlueskyCredentials(BRAND, password, sandbox.url)
    return BlueskyClient(credentials, session_store=store, clock=CLOCK, **kwargs)


@pytest.fixture
def client(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any], store: MemorySessionStore
) -> BlueskyClient:
    return make_client(sandbox, store)


def calls(sandbox: RunningSandboxBluesky, nsid: str) -> int:
    return len(sandbox.app.requests_log(nsid))


@pytest.fixture(autouse=True)
def _clean_x_faults() -> None:
    """Overrides tests/functional's autouse fixture: these tests need only the sandbox
    Bluesky, not the whole local stack (which that fixture would start)."""
