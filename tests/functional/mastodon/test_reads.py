"""Reading through the adapter: the account's own timeline (since_id, paging, boosts
left out) and its mentions from notifications (checkpoints, truncation, authors,
what a mention is about), surges included."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from chalicelib.mentions.domain import relation_to_own
from chalicelib.networks.mastodon import MastodonClient
from firebreak_local.sandbox_mastodon import RunningSandboxMastodon
from tests.functional.mastodon.conftest import make_client


def _queries(sandbox: RunningSandboxMastodon, path_end: str) -> list[dict[str, list[str]]]:
    return [
        parse_qs(r["query"]) for r in sandbox.app.requests_log() if r["path"].endswith(path_end)
    ]


# ------------------------------------------------------------------ timeline


def test_timeline_pages_back_to_since_id_newest_first(
    sandbox: RunningSandboxMastodon, brand: dict[str, Any]
) -> None:
    client = make_client(sandbox, page_size=3)
    ids = [client.publish(f"post {n}").id for n in range(8)]

    everything = client.timeline()
    newer = client.timeline(since_id=ids[2])

    assert [p.id for p in everything] == ids[::-1]
    assert [p.id for p in newer] == ids[:2:-1]
    pages = _queries(sandbox, "/statuses")[-2:]  # the since_id read: 5 posts, two pages
    assert [q["since_id"] for q in pages] == [[ids[2]], [ids[2]]]  # kept on every page
    assert "max_id" not in pages[0] and pages[1]["max_id"] == [ids[5]]
    assert all(q["exclude_reblogs"] == ["1"] and q["limit"] == ["3"] for q in pages)


def test_timeline_stops_after_max_pages(
    sandbox: RunningSandboxMastodon, brand: dict[str, Any]
) -> None:
    client = make_client(sandbox, page_size=2, max_pages=2)
    ids = [client.publish(f"post {n}").id for n in range(7)]

    assert [p.id for p in client.timeline()] == ids[:2:-1][:4]


def test_timeline_leaves_out_boosts_and_deleted_posts_but_keeps_replies(
    sandbox: RunningSandboxMastodon, client: MastodonClient, fan: dict[str, Any]
) -> None:
    theirs = sandbox.app.inject_post(fan["id"], "great thread about otters")
    first = client.publish("our post")
    boost = sandbox.app.inject_post(client.own_id(), "", reblog_of=theirs["id"])
    reply = client.publish("and a follow-up", reply_to=first.id)
    gone = client.publish("deleted soon")
    client.delete(gone.id)

    timeline = client.timeline()

    assert [p.id for p in timeline] == [reply.id, first.id]
    assert boost["id"] not in {p.id for p in timeline}
    assert timeline[0].raw["referenced_tweets"] == [{"type": "replied_to", "id": first.id}]
    assert client.timeline(since_id=reply.id) == []


# ------------------------------------------------------------------ mentions


def test_mention_batch_checkpoints_on_notification_ids(
    sandbox: RunningSandboxMastodon, client: MastodonClient, fan: dict[str, Any]
) -> None:
    me = client.own_id()
    first = [sandbox.app.inject_mention(fan["id"], me, f"hello {n}") for n in range(3)]

    batch = client.mention_batch(since_id=None, max_posts=50)

    assert [p.id for p in batch.posts] == [m["id"] for m in first[::-1]]  # status ids
    notes = sandbox.app.notifications(me)
    assert batch.newest_id == notes[0]["id"] and batch.oldest_id == notes[-1]["id"]
    assert batch.newest_id not in {p.id for p in batch.posts}  # a different id space
    assert batch.truncated is False and batch.requests == 1
    assert [p.raw["notification_id"] for p in batch.posts] == [n["id"] for n in notes]

    later = sandbox.app.inject_mention(fan["id"], me, "one more")
    second = client.mention_batch(since_id=batch.newest_id, max_posts=50)

    assert [p.id for p in second.posts] == [later["id"]]
    assert second.newest_id == second.oldest_id == sandbox.app.notifications(me)[0]["id"]

    quiet = client.mention_batch(since_id=second.newest_id, max_posts=50)
    assert (quiet.posts, quiet.newest_id, quiet.oldest_id, quiet.truncated) == (
        [],
        None,
        None,
        False,
    )
    assert _queries(sandbox, "/notifications")[-1]["types[]"] == ["mention"]


def test_mention_batch_is_truncated_when_max_posts_runs_out(
    sandbox: RunningSandboxMastodon, brand: dict[str, Any], fan: dict[str, Any]
) -> None:
    client = make_client(sandbox, page_size=4)
    ids = [sandbox.app.inject_mention(fan["id"], brand["id"], f"m{n}")["id"] for n in range(10)]

    cut = client.mention_batch(since_id=None, max_posts=6)
    exact = client.mention_batch(since_id=None, max_posts=10)
    spare = client.mention_batch(since_id=None, max_posts=11)

    assert [p.id for p in cut.posts] == ids[:3:-1]
    assert cut.truncated is True
    assert cut.oldest_id == cut.posts[-1].raw["notification_id"]
    assert (exact.truncated, len(exact.posts)) == (False, 10)  # asked one more than wanted
    assert (spare.truncated, len(spare.posts)) == (False, 10)
    # The gap below cut.oldest_id is read by paging from there down to the checkpoint.
    rest = client.mention_batch(since_id=None, max_posts=50)
    assert [p.id for p in rest.posts][6:] == ids[3::-1]


def test_favourites_and_boosts_are_not_mentions(
    sandbox: RunningSandboxMastodon, client: MastodonClient, fan: dict[str, Any]
) -> None:
    post = client.publish("our launch")
    sandbox.app.inject_favourite(fan["id"], post.id)
    sandbox.app.inject_post(fan["id"], "", reblog_of=post.id)
    mention = sandbox.app.inject_mention(fan["id"], client.own_id(), "congrats!")

    batch = client.mention_batch(since_id=None, max_posts=10)

    assert [p.id for p in batch.posts] == [mention["id"]]
    assert {n["type"] for n in sandbox.app.notifications(client.own_id())} == {
        "favourite",
        "reblog",
        "mention",
    }
    assert client.get_post(post.id).public_metrics == {
        "like_count": 1,
        "repost_count": 1,
        "reply_count": 0,
    }


def test_mentions_carry_authors_and_what_they_are_about(
    sandbox: RunningSandboxMastodon, client: MastodonClient, fan: dict[str, Any]
) -> None:
    me = client.own_id()
    ours = client.publish("new opening hours")
    local = sandbox.app.add_account("neighbour", followers=12)
    reply = sandbox.app.inject_mention(fan["id"], me, "finally!", reply_to=ours.id)
    plain = sandbox.app.inject_mention(local["id"], me, "are you open on sundays?")
    bare_reply = sandbox.app.inject_post(local["id"], "no mention in here", reply_to=ours.id)

    posts = {p.id: p for p in client.mention_batch(since_id=None, max_posts=10).posts}

    assert set(posts) == {reply["id"], plain["id"], bare_reply["id"]}
    replied = posts[reply["id"]]
    assert replied.text == "@brand finally!"
    assert replied.raw["author"] == {"username": "fan@mastodon.social", "followers": 321}
    assert replied.raw["in_reply_to_user_id"] == me
    assert replied.raw["referenced_tweets"] == [{"type": "replied_to", "id": ours.id}]
    assert replied.raw["referenced_authors"] == {ours.id: me}
    assert "conversation_id" not in replied.raw
    assert relation_to_own(replied.raw, me) == (ours.id, "reply")
    asked = posts[plain["id"]]
    assert asked.raw["author"] == {"username": "neighbour", "followers": 12}
    assert asked.raw["referenced_tweets"] == [] and asked.raw["in_reply_to_user_id"] is None
    assert relation_to_own(asked.raw, me) == (None, None)
    assert relation_to_own(posts[bare_reply["id"]].raw, me) == (ours.id, "reply")
    json.dumps([p.raw for p in posts.values()])


def test_a_deleted_mention_leaves_the_notifications(
    sandbox: RunningSandboxMastodon, client: MastodonClient, fan: dict[str, Any]
) -> None:
    kept = sandbox.app.inject_mention(fan["id"], client.own_id(), "stays")
    gone = sandbox.app.inject_mention(fan["id"], client.own_id(), "regret this")
    sandbox.app.delete_post(gone["id"])

    assert [p.id for p in client.mentions()] == [kept["id"]]


def test_a_surge_reads_back_with_many_authors(
    sandbox: RunningSandboxMastodon, client: MastodonClient
) -> None:
    me = client.own_id()
    ours = client.publish("we are raising prices")
    before = client.mention_batch(since_id=None, max_posts=10)

    surge = sandbox.app.inject_surge(me, ours.id, 150, seed=7, negative_share=0.8)
    batch = client.mention_batch(since_id=before.newest_id, max_posts=500)

    assert [p.id for p in batch.posts] == surge["ids"][::-1]
    assert batch.truncated is False and batch.requests == 4  # 40 + 40 + 40 + 30
    assert surge["authors"] > 100
    about = [relation_to_own(p.raw, me)[0] for p in batch.posts]
    assert 0.5 < about.count(ours.id) / len(about) < 0.8
    assert all(f"@{'brand'}" in p.text for p in batch.posts)
    followers = [p.raw["author"]["followers"] for p in batch.posts]
    assert all(isinstance(f, int) and f >= 0 for f in followers)
    remote = [p for p in batch.posts if "@" in p.raw["author"]["username"]]
    assert 0.5 < len(remote) / len(batch.posts) < 0.95
    assert all(p.source_app is None for p in remote)
    times = [p.created_at.timestamp() for p in batch.posts if p.created_at]
    assert len(times) == 150 and times == sorted(times, reverse=True)
    assert ours.created_at and times[-1] >= ours.created_at.timestamp()  # never before it


def test_the_same_seed_gives_the_same_surge(
    sandbox: RunningSandboxMastodon, client: MastodonClient
) -> None:
    me = client.own_id()
    first = sandbox.app.inject_surge(me, None, 20, seed=3)
    texts = [sandbox.app.post(i)["text"] for i in first["ids"]]
    sandbox.app.reset()
    again = sandbox.app.add_account("brand", access_token="t2")
    second = sandbox.app.inject_surge(again["id"], None, 20, seed=3)

    assert [sandbox.app.post(i)["text"] for i in second["ids"]] == texts
    assert [p["id"] for p in sandbox.app.posts(author_id=again["id"])] == []


def test_surge_and_posts_accept_the_sandbox_x_names(
    sandbox: RunningSandboxMastodon, client: MastodonClient
) -> None:
    ours = client.publish("x-style drill")
    surge = sandbox.app.inject_surge(client.own_id(), about=ours.id, count=10, over_s=60)

    assert surge["about"] == ours.id
    assert [p["id"] for p in sandbox.app.posts(author_id=client.own_id())] == [ours.id]
