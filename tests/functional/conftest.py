"""One local stack for the functional tests: the embedded AWS, the sandbox X and the
API on free loopback ports. The scheduler is off: tests fire ticks themselves.

Time is an input: the stack plays from ``PLAY_AT`` (03:30 on a Monday night in the
demo account's Berlin), or from ``FIREBREAK_TEST_AT`` when set (for example
``FIREBREAK_TEST_AT=2026-12-01T12:00:00Z`` for noon), never from the machine's clock.
Tests take times from the stack's clock (``now()``, ``later()``)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import requests

from firebreak_local.stack import LocalStack, StackOptions


class Api:
    """A thin HTTP client for the Firebreak API, as a tool would use it."""

    def __init__(self, base: str, key: str | None) -> None:
        self.base = base
        self.key = key

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self.key:
            headers["X-Api-Key"] = self.key
        headers.update(extra or {})
        return headers

    def get(self, path: str, **params: Any) -> requests.Response:
        return requests.get(self.base + path, headers=self._headers(), params=params, timeout=30)

    def post(self, path: str, body: Any = None) -> requests.Response:
        data = None if body is None else __import__("json").dumps(body)
        return requests.post(self.base + path, headers=self._headers(), data=data, timeout=30)

    def put(self, path: str, body: Any) -> requests.Response:
        return requests.put(self.base + path, headers=self._headers(), json=body, timeout=30)

    def patch(self, path: str, body: Any) -> requests.Response:
        return requests.patch(self.base + path, headers=self._headers(), json=body, timeout=30)


PLAY_AT = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)
X_TIMEOUT_S = 3
_clock: Any = None  # the running stack's clock, for now() and later()


def play_at() -> datetime:
    from chalicelib.core.clock import parse_play_at

    raw = os.environ.get("FIREBREAK_TEST_AT")
    return parse_play_at(raw) if raw else PLAY_AT


@pytest.fixture(scope="session")
def stack() -> Iterator[LocalStack]:
    global _clock
    # X answers that take longer than X_TIMEOUT_S are lost answers: tests that delay
    # the sandbox past it see what a timeout does, in seconds rather than tens.
    options = StackOptions(
        scheduler=False, at=play_at(), env={"FIREBREAK_X_TIMEOUT_S": str(X_TIMEOUT_S)}
    )
    with LocalStack(options) as running:
        _clock = running.clock
        # The brand's Mastodon and Bluesky accounts listen only in the tests that say so
        # (``listening``): every mention poll of the shared stack would read them again.
        from chalicelib.mentions.domain import MentionSettings
        from chalicelib.wiring import get_mentions

        assert running.seed is not None
        for seeded in running.seed.accounts.values():
            if seeded.network != "x":
                get_mentions().poller.mentions.put_settings(
                    seeded.account_id, MentionSettings(enabled=False)
                )
        yield running
    _clock = None


@pytest.fixture(scope="session")
def users(stack: LocalStack) -> dict[str, Api]:
    assert stack.seed is not None
    return {uid: Api(stack.api_url, u.api_key) for uid, u in stack.seed.users.items()}


@pytest.fixture
def alice(users: dict[str, Api]) -> Api:
    return users["u_alice"]


@pytest.fixture
def bob(users: dict[str, Api]) -> Api:
    return users["u_bob"]


@pytest.fixture
def olivia(users: dict[str, Api]) -> Api:
    return users["u_olivia"]


@pytest.fixture
def account(stack: LocalStack) -> str:
    assert stack.seed is not None
    return stack.seed.account_id


@pytest.fixture(autouse=True)
def _clean_x_faults(stack: LocalStack) -> Iterator[None]:
    yield
    stack.x.app.clear_faults()


_counter = iter(range(1_000_000))


def unique(text: str) -> str:
    """Post texts must differ: the sandbox X refuses duplicates like X does."""
    return f"{text} #{next(_counter)}-{now().strftime('%H%M%S%f')}"


def now() -> datetime:
    """The stack's time (it plays from ``play_at()``), not the machine's."""
    assert _clock is not None, "the stack fixture is not running"
    at: datetime = _clock.now()
    return at


def add_brand_account(
    stack: LocalStack, account_id: str, handle: str, name: str, timezone: str = "Europe/Berlin"
) -> str:
    """Another account of the demo brand, on the sandbox X with its credentials in the
    embedded Secrets Manager (incidents there freeze only it); returns its X user id.

    It does not listen to mentions (the ``listener`` fixture's accounts do): every later
    poll of the shared stack would read its X mentions again for nothing."""
    from chalicelib.accounts.domain import Account
    from chalicelib.mentions.domain import MentionSettings
    from chalicelib.wiring import aws_client, get_mentions, get_service, get_settings
    from firebreak_local.seed import add_account

    get_mentions().poller.mentions.put_settings(account_id, MentionSettings(enabled=False))

    x_user = add_account(
        get_service().store,
        aws_client("secretsmanager"),
        stack.x.app,
        Account(account_id, "acme", name, "x", handle, timezone),
        secret_prefix=get_settings().social_secret_prefix,
    )
    return str(x_user["id"])


def berlin_zone() -> str:
    """The demo account's zone abbreviation now (CET or CEST: FIREBREAK_TEST_AT may play
    the stack in summer)."""
    from zoneinfo import ZoneInfo

    return now().astimezone(ZoneInfo("Europe/Berlin")).tzname() or "CET"


def later(minutes: int = 60) -> datetime:
    return (now() + timedelta(minutes=minutes)).replace(microsecond=0)


def tomorrow_at(hour: int, offset_hours: int = 0) -> datetime:
    """Tomorrow (by the stack's clock) at ``hour``:00 in a fixed UTC offset."""
    zone = timezone(timedelta(hours=offset_hours))
    day = (now() + timedelta(days=1)).astimezone(zone)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def links_for(stack: LocalStack, email: str, post_id: str) -> list[str]:
    """The decision links mailed to ``email`` about ``post_id``, oldest first.

    A mail names its post only through the opaque token in its link, so each link is
    looked up in the table (by the token's hash, as the API does)."""
    from chalicelib.links.domain import hash_token
    from chalicelib.wiring import get_service

    store = get_service().store
    found = []
    for message in stack.mail():
        if email not in message.get("destinations", {}).get("ToAddresses", []):
            continue
        for url in re.findall(r'href="([^"]+/links/[^"]+)"', message.get("body", "")):
            link = store.get_link(hash_token(url.rsplit("/", 1)[1]))
            if link is not None and link.subject_id == post_id:
                found.append(url)
    return found
