"""Timelines and mentions: order, since_id, pagination and injected posts."""

from __future__ import annotations

import urllib.parse
from datetime import UTC, datetime
from typing import Any

import requests

from chalicelib.networks.x import XClient
from firebreak_local.sandbox_x import RunningSandboxX
from tests.functional.sandbox_x.helpers import make_client


def test_timeline_is_newest_first_and_honours_since_id(client: XClient) -> None:
    first = client.publish("one")
    second = client.publish("two")
    third = client.publish("three")

    assert [p.id for p in client.timeline()] == [third.id, second.id, first.id]
    newer = client.timeline(since_id=first.id)
    assert [p.text for p in newer] == ["three", "two"]
    assert client.timeline(since_id=third.id) == []


def test_timeline_follows_pagination_up_to_max_pages(
    sandbox: RunningSandboxX, brand: dict[str, Any], captured: list[requests.Response]
) -> None:
    for n in range(12):
        sandbox.app.inject_post("1001", f"post number {n}")
    paged = make_client(sandbox, captured, page_size=5)
    capped = make_client(sandbox, captured, page_size=5, max_pages=2)

    everything = paged.timeline()
    first_two_pages = capped.timeline()

    assert [p.text for p in everything] == [f"post number {n}" for n in reversed(range(12))]
    assert len(first_two_pages) == 10
    timeline_calls = [
        r for r in captured if urllib.parse.urlsplit(r.url).path == "/2/users/1001/tweets"
    ]
    assert len(timeline_calls) == 5  # 3 pages, then 2 pages
    assert "next_token" in timeline_calls[0].json()["meta"]
    assert "next_token" not in timeline_calls[2].json()["meta"]


def test_post_injected_from_another_app_shows_its_source(
    sandbox: RunningSandboxX, client: XClient
) -> None:
    ours = client.publish("Business as usual")
    sandbox.app.inject_post("1001", "FREE CRYPTO giveaway, click now", source="Twitter Web App")

    newest, older = client.timeline()

    assert newest.text == "FREE CRYPTO giveaway, click now"
    assert newest.source_app == "Twitter Web App"
    assert (older.id, older.source_app) == (ours.id, "Firebreak")
    assert int(newest.id) > int(ours.id)  # ids increase, so since_id polling catches it
    assert [p.id for p in client.timeline(since_id=ours.id)] == [newest.id]


def test_backdated_injection_is_still_seen_by_since_id_polling(
    sandbox: RunningSandboxX, client: XClient
) -> None:
    ours = client.publish("Latest official post")
    sandbox.app.inject_post(
        "1001", "backdated rogue post", created_at=datetime(2020, 1, 1, tzinfo=UTC)
    )

    [rogue] = client.timeline(since_id=ours.id)

    assert rogue.created_at == datetime(2020, 1, 1, tzinfo=UTC)


def test_mentions_come_from_other_users_with_their_urls(
    sandbox: RunningSandboxX, client: XClient
) -> None:
    client.publish("We love our customers, says @brand")  # a self-mention is not a mention
    first = sandbox.app.inject_mention("1001", "where is my order?", author_username="alice")
    second = sandbox.app.inject_mention(
        "1001", "@Brand you are awful", author_username="troll", source="Twitter for Android"
    )

    mentions = client.mentions()
    newer = client.mentions(since_id=first["id"])

    assert [m.id for m in mentions] == [second["id"], first["id"]]
    troll_post, alice_post = mentions
    assert alice_post.text == "@brand where is my order?"
    assert alice_post.url == f"https://x.com/alice/status/{first['id']}"
    assert troll_post.url == f"https://x.com/troll/status/{second['id']}"
    assert troll_post.source_app == "Twitter for Android"
    assert troll_post.author_id != "1001"
    assert [m.id for m in newer] == [second["id"]]


def test_reply_to_a_brand_post_is_a_mention(sandbox: RunningSandboxX, client: XClient) -> None:
    ours = client.publish("Ask us anything")
    reply = sandbox.app.inject_mention("1001", "hi", author_username="fan", reply_to=ours.id)

    [mention] = client.mentions()

    assert mention.id == reply["id"]
    assert mention.raw["in_reply_to_user_id"] == "1001"
    assert mention.raw["referenced_tweets"] == [{"type": "replied_to", "id": ours.id}]


def test_empty_timeline_and_mentions_have_meta_only(http: Any) -> None:
    for path in ("/2/users/1001/tweets", "/2/users/1001/mentions"):
        body = http("GET", path).json()
        assert body == {"meta": {"result_count": 0}}
