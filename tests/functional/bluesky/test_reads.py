"""Reading: the account's own timeline (paged, reposts skipped) and its mentions
(notifications with a checkpoint, authors' followers, the X-shaped keys the mention
side reads), and search filling a gap."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.networks.bluesky import BlueskyClient, MemorySessionStore
from chalicelib.networks.social import PostRejected
from firebreak_local.sandbox_bluesky import RunningSandboxBluesky
from tests.functional.bluesky.conftest import Clock, calls, make_client


def test_timeline_pages_back_to_since_id_and_skips_reposts(
    sandbox: RunningSandboxBluesky,
    brand: dict[str, Any],
    alice: dict[str, Any],
    store: MemorySessionStore,
) -> None:
    client = make_client(sandbox, store, page_size=2)
    old = client.publish("old")
    theirs = sandbox.app.inject_post(alice["did"], "someone else's")
    newer = [client.publish(f"post {n}") for n in range(3)]
    sandbox.app.inject_repost(brand["did"], theirs["id"])
    rogue = sandbox.app.inject_post(brand["did"], "posted from another app")

    posts = client.timeline(since_id=old.id)

    assert [p.text for p in posts] == ["posted from another app", "post 2", "post 1", "post 0"]
    assert [p.id for p in posts] == [rogue["id"], *(p.id for p in reversed(newer))]
    assert calls(sandbox, "app.bsky.feed.getAuthorFeed") == 3
    json.dumps([p.raw for p in posts])


def test_timeline_without_since_id_reads_at_most_max_pages(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any], store: MemorySessionStore
) -> None:
    client = make_client(sandbox, store, page_size=2, max_pages=2)
    for n in range(5):
        client.publish(f"post {n}")

    posts = client.timeline()

    assert [p.text for p in posts] == ["post 4", "post 3", "post 2", "post 1"]


def test_timeline_shows_replies_with_their_reference(
    sandbox: RunningSandboxBluesky,
    client: BlueskyClient,
    brand: dict[str, Any],
    alice: dict[str, Any],
) -> None:
    question = sandbox.app.inject_mention(alice["did"], brand["did"], "open today?")
    answer = client.publish("Yes!", reply_to=question["uri"])

    (post,) = client.timeline()

    assert post.id == answer.id
    assert post.raw["referenced_tweets"] == [{"type": "replied_to", "id": question["id"]}]
    assert "conversation_id" not in post.raw  # the thread started in alice's repo


def test_mention_batch_reads_new_mentions_from_a_checkpoint(
    sandbox: RunningSandboxBluesky,
    client: BlueskyClient,
    brand: dict[str, Any],
    alice: dict[str, Any],
) -> None:
    ours = client.publish("Big news today")
    first = [
        sandbox.app.inject_mention(alice["did"], brand["did"], "congrats"),
        sandbox.app.inject_mention("bob.bsky.social", brand["did"], "why?", reply_to=ours.id),
    ]

    batch = client.mention_batch(since_id=None, max_posts=10)

    assert [p.id for p in batch.posts] == [first[1]["id"], first[0]["id"]]
    assert batch.truncated is False and batch.oldest_id is not None
    assert batch.newest_id == str(
        1_796_104_800_000_000 + 2_000
    )  # indexedAt of bob's reply in microseconds

    later = sandbox.app.inject_mention(alice["did"], brand["did"], "and again")
    again = client.mention_batch(since_id=batch.newest_id, max_posts=10)

    assert [p.id for p in again.posts] == [later["id"]]
    assert int(again.newest_id or 0) > int(batch.newest_id or 0)
    assert client.mention_batch(since_id=again.newest_id, max_posts=10).posts == []


def test_a_checkpoint_that_is_not_one_is_refused(client: BlueskyClient) -> None:
    with pytest.raises(PostRejected, match="not a decimal id or checkpoint"):
        client.mention_batch(since_id="3jzfcijpj2z2a", max_posts=10)
    with pytest.raises(PostRejected, match="since_id"):
        client.timeline(since_id="at://did:plc:x/app.bsky.feed.post/3jzfcijpj2z2a")


def test_mentions_carry_followers_and_the_keys_the_mention_side_reads(
    sandbox: RunningSandboxBluesky,
    client: BlueskyClient,
    brand: dict[str, Any],
    alice: dict[str, Any],
) -> None:
    ours = client.publish("We changed our prices")
    reply = sandbox.app.inject_mention(alice["did"], brand["did"], "too much", reply_to=ours.id)
    quote = sandbox.app.inject_mention(alice["did"], brand["did"], "look at this", quote_of=ours.id)
    bob = sandbox.app.add_account("bob.bsky.social", followers=150_000)
    deep = sandbox.app.inject_mention(bob["did"], brand["did"], "agree", reply_to=reply["id"])

    posts = {p.id: p for p in client.mentions()}

    assert posts[reply["id"]].raw["author"] == {"username": "alice.bsky.social", "followers": 42}
    assert posts[deep["id"]].raw["author"] == {"username": "bob.bsky.social", "followers": 150_000}
    assert posts[reply["id"]].raw["referenced_tweets"] == [{"type": "replied_to", "id": ours.id}]
    assert posts[reply["id"]].raw["referenced_authors"] == {ours.id: brand["did"]}
    assert posts[reply["id"]].raw["in_reply_to_user_id"] == brand["did"]
    assert posts[reply["id"]].raw["conversation_id"] == ours.id
    assert posts[quote["id"]].raw["referenced_tweets"] == [{"type": "quoted", "id": ours.id}]
    assert posts[quote["id"]].raw["referenced_authors"] == {ours.id: brand["did"]}
    assert posts[deep["id"]].raw["in_reply_to_user_id"] == alice["did"]
    assert posts[deep["id"]].raw["conversation_id"] == ours.id  # a reply in our thread
    assert posts[deep["id"]].raw["reason"] == "reply"
    assert posts[quote["id"]].ref == quote["uri"]
    json.dumps([p.raw for p in posts.values()])


def test_mention_batch_stops_at_max_posts_and_says_so(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any], store: MemorySessionStore
) -> None:
    client = make_client(sandbox, store, page_size=3)
    ours = client.publish("Our statement")
    surge = sandbox.app.inject_surge(brand["did"], ours.id, 40, seed=7)

    batch = client.mention_batch(since_id=None, max_posts=10)

    assert batch.truncated is True
    assert [p.id for p in batch.posts] == list(reversed(surge["ids"]))[:10]
    assert batch.oldest_id is not None and int(batch.oldest_id) < int(batch.newest_id or 0)
    assert all(isinstance(p.raw["author"]["followers"], int) for p in batch.posts)

    exact = client.mention_batch(since_id=None, max_posts=40)
    assert exact.truncated is False and len(exact.posts) == 40


def test_a_surge_reads_in_full_with_replies_and_quotes(
    sandbox: RunningSandboxBluesky, client: BlueskyClient, brand: dict[str, Any]
) -> None:
    ours = client.publish("Our statement")
    checkpoint = client.mention_batch(since_id=None, max_posts=10).newest_id
    surge = sandbox.app.inject_surge(brand["did"], ours.id, 120, seed=3)

    batch = client.mention_batch(since_id=checkpoint, max_posts=500)

    assert len(batch.posts) == 120 and not batch.truncated
    kinds = [p.raw.get("referenced_tweets", [{}])[0].get("type") for p in batch.posts]
    assert 50 < kinds.count("replied_to") < 95 and 10 < kinds.count("quoted") < 45
    assert {p.id for p in batch.posts} == set(surge["ids"])
    profiles = calls(sandbox, "app.bsky.actor.getProfiles")
    assert profiles == -(-surge["authors"] // 25)


def test_search_mentions_fills_a_gap_between_two_checkpoints(
    sandbox: RunningSandboxBluesky, brand: dict[str, Any], store: MemorySessionStore
) -> None:
    client = make_client(sandbox, store, page_size=5)
    since = client.mention_batch(since_id=None, max_posts=5).newest_id
    surge = sandbox.app.inject_surge(brand["did"], None, 30, seed=1)
    batch = client.mention_batch(since_id=since, max_posts=10)
    assert batch.truncated and batch.oldest_id

    filler = client.search_mentions(since_id=since, until_id=batch.oldest_id, max_posts=100)

    assert [p.id for p in filler.posts] == list(reversed(surge["ids"]))[10:]
    assert filler.truncated is False
    assert all(p.raw["author"]["username"].endswith(".bsky.social") for p in filler.posts)
    search = sandbox.app.requests_log("app.bsky.feed.searchPosts")[0]["query"]
    assert "mentions=brand.bsky.social" in search and "sort=latest" in search


def test_search_mentions_from_a_start_time(
    sandbox: RunningSandboxBluesky, client: BlueskyClient, brand: dict[str, Any], clock: Clock
) -> None:
    sandbox.app.inject_mention("early.bsky.social", brand["did"], "before we listened")
    clock.advance(60)
    started = client.now()
    later = sandbox.app.inject_mention("late.bsky.social", brand["did"], "after")
    until = client.mention_batch(since_id=None, max_posts=1).newest_id or ""

    filler = client.search_mentions(
        since_id=None, until_id=str(int(until) + 1), max_posts=10, start_time=started
    )

    assert [p.id for p in filler.posts] == [later["id"]]
