"""The sandbox Bluesky itself, over raw HTTP and its control methods: sessions by
handle or DID, JWT claims, notifications, author-feed filters, search, surges and the
request log."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import requests

from firebreak_local.sandbox_bluesky import RunningSandboxBluesky, SandboxError
from tests.functional.bluesky.conftest import BRAND_PASSWORD, START


def xrpc(sandbox: RunningSandboxBluesky, nsid: str, *, token: str | None = None, **kw: Any) -> Any:
    method = "POST" if "json" in kw else "GET"
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(method, f"{sandbox.url}/xrpc/{nsid}", headers=headers, timeout=5, **kw)


def session(sandbox: RunningSandboxBluesky, identifier: str) -> dict[str, Any]:
    answer = xrpc(
        sandbox,
        "com.atproto.server.createSession",
        json={"identifier": identifier, "password": BRAND_PASSWORD},
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=="))
    return decoded


def test_create_session_by_handle_or_did_hands_out_real_jwts(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any]
) -> None:
    by_handle = session(sandbox, "Brand.bsky.social")
    by_did = session(sandbox, brand["did"])

    assert by_handle["did"] == by_did["did"] == brand["did"]
    access, refresh = claims(by_handle["accessJwt"]), claims(by_handle["refreshJwt"])
    assert access["scope"] == "com.atproto.access" and access["sub"] == brand["did"]
    assert access["exp"] - access["iat"] == 7200 and access["iat"] == int(START)
    assert refresh["scope"] == "com.atproto.refresh" and "jti" in refresh
    assert access["aud"] == "did:web:127.0.0.1"
    service = by_handle["didDoc"]["service"][0]
    assert service == {
        "id": "#atproto_pds",
        "type": "AtprotoPersonalDataServer",
        "serviceEndpoint": sandbox.url,
    }
    me = xrpc(sandbox, "com.atproto.server.getSession", token=by_handle["accessJwt"])
    assert me.json()["handle"] == "brand.bsky.social"


def test_a_refresh_token_is_single_use(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any]
) -> None:
    refresh = session(sandbox, brand["did"])["refreshJwt"]

    first = xrpc(sandbox, "com.atproto.server.refreshSession", token=refresh, json={})
    again = xrpc(sandbox, "com.atproto.server.refreshSession", token=refresh, json={})

    assert first.status_code == 200 and first.json()["refreshJwt"] != refresh
    assert (again.status_code, again.json()["error"]) == (400, "ExpiredToken")


def test_an_access_token_expires_on_the_sandbox_clock(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any], clock: Any
) -> None:
    access = session(sandbox, brand["did"])["accessJwt"]
    clock.advance(7200)

    answer = xrpc(sandbox, "com.atproto.server.getSession", token=access)

    assert answer.json() == {"error": "ExpiredToken", "message": "Token has expired"}


def test_notifications_for_mentions_replies_and_quotes_but_not_ones_own(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any], alice: dict[str, Any]
) -> None:
    ours = sandbox.app.inject_post(brand["did"], "hello @alice.bsky.social")
    sandbox.app.inject_mention(alice["did"], brand["did"], "hi", reply_to=ours["id"])
    sandbox.app.inject_mention(alice["did"], brand["did"], "look", quote_of=ours["id"])
    sandbox.app.inject_post(alice["did"], "a post naming @brand.bsky.social")
    sandbox.app.inject_post(brand["did"], "talking to myself @brand.bsky.social")
    token = session(sandbox, brand["did"])["accessJwt"]

    listed = xrpc(
        sandbox,
        "app.bsky.notification.listNotifications",
        token=token,
        params={"reasons": ["mention", "reply", "quote"], "limit": 2},
    ).json()
    rest = xrpc(
        sandbox,
        "app.bsky.notification.listNotifications",
        token=token,
        params={"cursor": listed["cursor"]},
    ).json()

    reasons = [n["reason"] for n in listed["notifications"] + rest["notifications"]]
    assert reasons == ["mention", "quote", "reply"]
    assert "cursor" not in rest
    assert listed["notifications"][1]["reasonSubject"] == ours["uri"]


def test_author_feed_filters_and_reposts(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any], alice: dict[str, Any]
) -> None:
    theirs = sandbox.app.inject_post(alice["did"], "theirs")
    sandbox.app.inject_post(brand["did"], "a reply", reply_to=theirs["id"])
    sandbox.app.inject_post(brand["did"], "a post")
    sandbox.app.inject_repost(brand["did"], theirs["id"])

    def feed(kind: str) -> list[str]:
        answer = xrpc(
            sandbox,
            "app.bsky.feed.getAuthorFeed",
            params={"actor": "brand.bsky.social", "filter": kind},
        ).json()
        return [
            ("repost " if "reason" in item else "") + item["post"]["record"]["text"]
            for item in answer["feed"]
        ]

    assert feed("posts_with_replies") == ["repost theirs", "a post", "a reply"]
    assert feed("posts_no_replies") == ["repost theirs", "a post"]
    assert feed("posts_with_media") == []


def test_search_finds_facet_mentions_between_times(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any], alice: dict[str, Any], clock: Any
) -> None:
    first = sandbox.app.inject_mention(alice["did"], brand["did"], "one")
    clock.advance(10)
    second = sandbox.app.inject_mention(alice["did"], brand["did"], "two")
    sandbox.app.inject_post(alice["did"], "brand.bsky.social without an at sign")

    def search(**params: Any) -> list[str]:
        answer = xrpc(sandbox, "app.bsky.feed.searchPosts", params=params).json()
        return [post["uri"] for post in answer["posts"]]

    assert search(q="*", mentions="brand.bsky.social") == [second["uri"], first["uri"]]
    assert search(q="two", mentions=brand["did"]) == [second["uri"]]
    assert search(q="*", mentions="brand.bsky.social", until=second["indexed_at"]) == [first["uri"]]
    assert (
        search(q="*", since=second["indexed_at"], author="alice.bsky.social")[-1] == (second["uri"])
    )
    assert xrpc(sandbox, "app.bsky.feed.searchPosts").json()["error"] == "InvalidRequest"


def test_a_surge_is_reproducible_and_keeps_time_order(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any]
) -> None:
    about = sandbox.app.inject_post(brand["did"], "our statement")
    surge = sandbox.app.inject_surge(brand["did"], about["id"], 50, seed=11, negative_share=1.0)
    texts = [sandbox.app.post(i)["text"] for i in surge["ids"]]

    assert [int(i) for i in surge["ids"]] == sorted(int(i) for i in surge["ids"])
    assert all("@brand.bsky.social" in t for t in texts)
    assert surge["authors"] > 30
    sandbox.app.reset()
    again = sandbox.app.add_account("brand.bsky.social", app_password="x")
    about2 = sandbox.app.inject_post(again["did"], "our statement")
    surge2 = sandbox.app.inject_surge(again["did"], about2["id"], 50, seed=11, negative_share=1.0)
    assert [sandbox.app.post(i)["text"] for i in surge2["ids"]] == texts


def test_control_methods_refuse_what_they_cannot_do(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any]
) -> None:
    with pytest.raises(SandboxError, match="taken"):
        sandbox.app.add_account("brand.bsky.social")
    with pytest.raises(SandboxError, match="no post"):
        sandbox.app.post("123")
    with pytest.raises(SandboxError, match="300 graphemes"):
        sandbox.app.inject_post(brand["did"], "x" * 301)
    with pytest.raises(SandboxError, match="status"):
        sandbox.app.fail_next(1, 200)


def test_the_request_log_names_the_caller(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any]
) -> None:
    token = session(sandbox, brand["did"])["accessJwt"]
    xrpc(sandbox, "app.bsky.actor.getProfile", token=token, params={"actor": brand["did"]})

    (entry,) = sandbox.app.requests_log("app.bsky.actor.getProfile")

    assert entry["did"] == brand["did"] and entry["status"] == 200
    assert entry["at"] == "2026-12-01T06:00:00.000Z"
