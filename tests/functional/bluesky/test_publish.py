"""Publishing, replying, quoting, reading and deleting posts through the real atproto
SDK against the sandbox Bluesky."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.networks.bluesky import BlueskyClient
from chalicelib.networks.bluesky_text import tid_to_id
from chalicelib.networks.social import PostNotFound, PostRejected
from firebreak_local.sandbox_bluesky import RunningSandboxBluesky
from tests.functional.bluesky.conftest import START, calls


def stored(sandbox: RunningSandboxBluesky, post_id: str) -> dict[str, Any]:
    record: dict[str, Any] = sandbox.app.post(post_id)["record"]
    return record


def test_publish_returns_the_post_with_its_firebreak_id(
    sandbox: RunningSandboxBluesky, client: BlueskyClient, brand: dict[str, Any]
) -> None:
    post = client.publish("Our new opening hours are online.")

    rkey = post.ref.rsplit("/", 1)[-1] if post.ref else ""
    assert post.id == tid_to_id(rkey)
    assert post.ref == f"at://{brand['did']}/app.bsky.feed.post/{rkey}"
    assert post.author_id == brand["did"]
    assert post.text == "Our new opening hours are online."
    assert post.created_at == datetime.fromtimestamp(START, tz=UTC)
    assert post.source_app is None
    assert post.url == f"https://bsky.app/profile/brand.bsky.social/post/{rkey}"
    assert post.raw["cid"].startswith("bafyrei")
    json.dumps(post.raw)
    view = sandbox.app.post(post.id)
    assert view["text"] == post.text and view["deleted"] is False
    assert view["created_at"] == "2026-12-01T06:00:00.000Z"


def test_links_and_a_mention_after_an_emoji_get_byte_facets(
    sandbox: RunningSandboxBluesky, client: BlueskyClient, alice: dict[str, Any]
) -> None:
    text = "Grüße 👋🏽 @alice.bsky.social! Details: example.com/hours, @nobody.example.org"

    post = client.publish(text)

    record = stored(sandbox, post.id)
    data = text.encode()
    spans = {
        data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(): f["features"][0]
        for f in record["facets"]
    }
    assert set(spans) == {"@alice.bsky.social", "example.com/hours"}  # nobody: unresolved
    assert spans["@alice.bsky.social"]["did"] == alice["did"]
    assert spans["example.com/hours"]["uri"] == "https://example.com/hours"
    mention = next(f for f in record["facets"] if "did" in f["features"][0])
    assert mention["index"] == {
        "byteStart": len("Grüße 👋🏽 ".encode()),
        "byteEnd": len("Grüße 👋🏽 @alice.bsky.social".encode()),
        "$type": "app.bsky.richtext.facet#byteSlice",
    }


def test_a_link_at_the_very_end_is_linked_whole(
    sandbox: RunningSandboxBluesky, client: BlueskyClient, brand: dict[str, Any]
) -> None:
    text = "Read more: https://example.com/a/b?x=1"

    post = client.publish(text)

    (facet,) = stored(sandbox, post.id)["facets"]
    assert facet["index"]["byteEnd"] == len(text.encode())
    assert facet["features"][0]["uri"] == "https://example.com/a/b?x=1"


def test_300_graphemes_are_accepted_and_301_refused_before_sending(
    sandbox: RunningSandboxBluesky, client: BlueskyClient, brand: dict[str, Any]
) -> None:
    family = "👨‍👩‍👧"  # one grapheme, five code points
    assert client.publish(family * 150 + "a" * 150).text.startswith(family)

    with pytest.raises(PostRejected, match="301 graphemes, Bluesky allows 300"):
        client.publish("a" * 301)

    assert calls(sandbox, "com.atproto.repo.createRecord") == 1


def test_300_graphemes_over_3000_bytes_are_refused(
    sandbox: RunningSandboxBluesky, client: BlueskyClient, brand: dict[str, Any]
) -> None:
    family = "👨‍👩‍👧‍👦"  # one grapheme, 25 bytes

    with pytest.raises(PostRejected, match="3750 bytes in UTF-8, Bluesky allows 3000"):
        client.publish(family * 150)

    assert calls(sandbox, "com.atproto.repo.createRecord") == 0


def test_reply_to_our_own_post_by_id(
    sandbox: RunningSandboxBluesky, client: BlueskyClient, brand: dict[str, Any]
) -> None:
    original = client.publish("We are open on Sunday.")

    reply = client.publish("Update: from 10 am.", reply_to=original.id)

    ref = {"uri": original.ref, "cid": original.raw["cid"]}
    assert stored(sandbox, reply.id)["reply"] == {
        "root": {**ref, "$type": "com.atproto.repo.strongRef"},
        "parent": {**ref, "$type": "com.atproto.repo.strongRef"},
        "$type": "app.bsky.feed.post#replyRef",
    }
    assert reply.raw["referenced_tweets"] == [{"type": "replied_to", "id": original.id}]
    assert reply.raw["in_reply_to_user_id"] == brand["did"]
    assert reply.raw["conversation_id"] == original.id


def test_reply_to_another_accounts_reply_by_ref_keeps_the_thread_root(
    sandbox: RunningSandboxBluesky,
    client: BlueskyClient,
    brand: dict[str, Any],
    alice: dict[str, Any],
) -> None:
    original = client.publish("We are open on Sunday.")
    question = sandbox.app.inject_mention(
        alice["did"], brand["did"], "which hours?", reply_to=original.id
    )

    answer = client.publish("10 to 4!", reply_to=question["uri"])

    reply = stored(sandbox, answer.id)["reply"]
    assert reply["parent"]["uri"] == question["uri"]
    assert reply["parent"]["cid"] == question["cid"]
    assert reply["root"]["uri"] == original.ref
    assert answer.raw["referenced_tweets"] == [{"type": "replied_to", "id": question["id"]}]
    assert answer.raw["referenced_authors"] == {question["id"]: alice["did"]}
    assert answer.raw["conversation_id"] == original.id


def test_quote_embeds_a_strong_ref(
    sandbox: RunningSandboxBluesky,
    client: BlueskyClient,
    brand: dict[str, Any],
    alice: dict[str, Any],
) -> None:
    theirs = sandbox.app.inject_post(alice["did"], "I love this shop")

    quote = client.publish("Thank you!", quote_of=theirs["uri"])

    assert stored(sandbox, quote.id)["embed"]["record"]["uri"] == theirs["uri"]
    assert quote.raw["referenced_tweets"] == [{"type": "quoted", "id": theirs["id"]}]
    assert sandbox.app.post(quote.id)["referenced_tweets"] == [
        {"type": "quoted", "id": theirs["id"]}
    ]


def test_get_post_by_id_and_by_ref_with_metrics(
    sandbox: RunningSandboxBluesky,
    client: BlueskyClient,
    brand: dict[str, Any],
    alice: dict[str, Any],
) -> None:
    ours = client.publish("Hello")
    sandbox.app.set_metrics(ours.id, like_count=7)
    sandbox.app.inject_mention(alice["did"], brand["did"], "hi!", reply_to=ours.id)
    theirs = sandbox.app.inject_post(alice["did"], "Not about you")

    got = client.get_post(ours.id)
    other = client.get_post(theirs["uri"])

    assert got.public_metrics == {
        "like_count": 7,
        "repost_count": 0,
        "reply_count": 1,
        "quote_count": 0,
    }
    assert other.id == theirs["id"] and other.author_id == alice["did"]
    assert (other.url or "").endswith(f"/profile/alice.bsky.social/post/{theirs['uri'][-13:]}")
    json.dumps(other.raw)


def test_delete_then_get_post_is_not_found(
    sandbox: RunningSandboxBluesky, client: BlueskyClient, brand: dict[str, Any]
) -> None:
    post = client.publish("Oops")

    client.delete(post.id)

    assert sandbox.app.post(post.id)["deleted"] is True
    with pytest.raises(PostNotFound):
        client.get_post(post.id)


def test_deleting_twice_is_not_found_though_the_pds_says_success(
    sandbox: RunningSandboxBluesky, client: BlueskyClient, brand: dict[str, Any]
) -> None:
    post = client.publish("Oops")
    client.delete(post.ref or "")

    with pytest.raises(PostNotFound, match="RecordNotFound"):
        client.delete(post.id)

    assert calls(sandbox, "com.atproto.repo.deleteRecord") == 1


def test_only_our_own_posts_can_be_deleted(
    sandbox: RunningSandboxBluesky, client: BlueskyClient, alice: dict[str, Any]
) -> None:
    theirs = sandbox.app.inject_post(alice["did"], "mine")

    with pytest.raises(PostRejected, match="own posts"):
        client.delete(theirs["uri"])

    assert sandbox.app.post(theirs["id"])["deleted"] is False


def test_replying_to_a_missing_post_is_not_found(
    client: BlueskyClient, brand: dict[str, Any]
) -> None:
    with pytest.raises(PostNotFound):
        client.publish("hello?", reply_to="1839211315200000017")
