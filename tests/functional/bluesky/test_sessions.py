"""Sessions: a stored session is resumed instead of logging in again (createSession is
limited to 300 a day), an expired access token is refreshed, and only a spent refresh
token or no session at all costs a login."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.networks.bluesky import BlueskyClient, BlueskyCredentials, MemorySessionStore
from chalicelib.networks.social import PostRejected, RateLimited
from firebreak_local.sandbox_bluesky import RunningSandboxBluesky
from tests.functional.bluesky.conftest import BRAND_PASSWORD, Clock, calls, make_client

CREATE = "com.atproto.server.createSession"
REFRESH = "com.atproto.server.refreshSession"


def test_first_use_logs_in_and_stores_the_session(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any], store: MemorySessionStore
) -> None:
    client = make_client(sandbox, store)

    assert client.own_id() == brand["did"]

    assert sandbox.app.create_session_calls(brand["did"]) == 1
    assert store.session is not None and brand["did"] in store.session
    assert store.saves == 1


def test_a_second_client_resumes_the_stored_session_without_logging_in(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any], store: MemorySessionStore
) -> None:
    make_client(sandbox, store).own_id()
    cold = make_client(sandbox, store)  # a cold Lambda with the same secret

    assert cold.own_handle() == "brand.bsky.social"
    cold.timeline()

    assert sandbox.app.create_session_calls(brand["did"]) == 1
    assert cold.logins == 0


def test_an_expired_access_token_is_refreshed_not_logged_in(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any], store: MemorySessionStore
) -> None:
    client = make_client(sandbox, store)
    client.own_id()
    saved = store.session
    sandbox.app.expire_tokens()  # the server says ExpiredToken before the SDK's clock does

    assert client.timeline() == []

    assert calls(sandbox, REFRESH) == 1
    assert sandbox.app.create_session_calls(brand["did"]) == 1
    assert store.session != saved and store.saves == 2  # the refreshed session is kept


def test_an_access_token_the_server_cannot_verify_is_refreshed(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any], store: MemorySessionStore
) -> None:
    make_client(sandbox, store).own_id()
    assert store.session is not None
    handle, did, access, refresh, pds = store.session.split(":::")
    forged = access.rsplit(".", 1)[0] + ".c2lnbmF0dXJl"

    cold = make_client(sandbox, MemorySessionStore(":::".join([handle, did, forged, refresh, pds])))

    assert cold.timeline() == []
    assert calls(sandbox, REFRESH) == 1
    assert sandbox.app.create_session_calls(brand["did"]) == 1


def test_the_sdk_refreshes_ahead_of_expiry_on_the_adapters_clock(
    sandbox: RunningSandboxBluesky,
    brand: dict[str, Any],
    store: MemorySessionStore,
    clock: Clock,
) -> None:
    make_client(sandbox, store).own_id()
    clock.advance(2 * 3600 - 10 * 60)  # within the SDK's 15 minutes before expiry

    make_client(sandbox, store).timeline()

    assert [e["nsid"] for e in sandbox.app.requests_log()][-2:] == [
        REFRESH,
        "app.bsky.feed.getAuthorFeed",
    ]
    assert sandbox.app.create_session_calls(brand["did"]) == 1


def test_a_spent_refresh_token_costs_one_login(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any], store: MemorySessionStore
) -> None:
    client = make_client(sandbox, store)
    client.own_id()
    sandbox.app.expire_tokens(refresh=True)

    client.timeline()

    assert calls(sandbox, REFRESH) == 1
    assert sandbox.app.create_session_calls(brand["did"]) == 2


def test_a_stored_session_past_its_refresh_expiry_is_not_tried(
    sandbox: RunningSandboxBluesky,
    brand: dict[str, Any],
    store: MemorySessionStore,
    clock: Clock,
) -> None:
    make_client(sandbox, store).own_id()
    clock.advance(91 * 86_400)

    make_client(sandbox, store).own_id()

    assert calls(sandbox, REFRESH) == 0
    assert sandbox.app.create_session_calls(brand["did"]) == 2


@pytest.mark.parametrize(
    "stored",
    ["", "garbage", "brand.bsky.social:::did:plc:x:::not-a-jwt:::not-a-jwt:::https://pds"],
)
def test_an_unreadable_stored_session_costs_a_login_not_a_failure(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any], stored: str
) -> None:
    store = MemorySessionStore(stored)

    assert make_client(sandbox, store).own_id() == brand["did"]

    assert store.session != stored and store.saves == 1


def test_another_accounts_stored_session_is_ignored(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any], clock: Clock
) -> None:
    other = sandbox.app.add_account("other.bsky.social", app_password="pw")
    theirs = MemorySessionStore()
    BlueskyClient(
        BlueskyCredentials("other.bsky.social", "pw", sandbox.url),
        session_store=theirs,
        clock=clock,
    ).own_id()

    ours = make_client(sandbox, MemorySessionStore(theirs.session))

    assert ours.own_id() == brand["did"] != other["did"]


def test_a_wrong_app_password_is_rejected_without_showing_it(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any]
) -> None:
    client = make_client(sandbox, password="wrong-pass-1234")

    with pytest.raises(PostRejected) as excinfo:
        client.own_id()

    message = str(excinfo.value)
    assert "AuthenticationRequired" in message and "\n" not in message
    assert "wrong-pass-1234" not in message and BRAND_PASSWORD not in message


def test_create_session_is_limited_to_30_in_5_minutes(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any], clock: Clock
) -> None:
    for _ in range(30):
        make_client(sandbox).own_id()

    with pytest.raises(RateLimited) as excinfo:
        make_client(sandbox).own_id()

    assert excinfo.value.reset_at.timestamp() == clock() + 300
    clock.advance(300)
    assert make_client(sandbox).own_id() == brand["did"]
    assert sandbox.app.create_session_calls(brand["did"]) == 32
