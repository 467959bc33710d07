"""Posts: publishing, replying, quoting, deleting and looking them up (adapter and raw HTTP)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from chalicelib.networks.social import PostNotFound, PostRejected, expanded_text
from chalicelib.networks.x import XClient
from firebreak_local.sandbox_x import RunningSandboxX, spec


def test_publish_then_get_post(client: XClient, captured: list[requests.Response]) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)

    published = client.publish("Spring sale! #deals https://shop.example/sale @brand")
    fetched = client.get_post(published.id)

    assert published.id.isdigit() and published.author_id == "1001"
    assert published.url == f"https://x.com/brand/status/{published.id}"
    assert published.raw["edit_history_tweet_ids"] == [published.id]
    # Like X, the sandbox wraps the link into t.co; the entities keep the URL sent.
    assert re.fullmatch(r"Spring sale! #deals https://t\.co/\w{10} @brand", fetched.text)
    assert expanded_text(fetched) == "Spring sale! #deals https://shop.example/sale @brand"
    assert fetched.author_id == "1001"
    assert fetched.source_app == "Firebreak"
    assert fetched.created_at is not None and fetched.created_at.tzinfo == UTC
    assert before <= fetched.created_at <= datetime.now(UTC) + timedelta(seconds=1)
    assert fetched.url == published.url
    assert fetched.public_metrics["like_count"] == 0
    assert fetched.public_metrics["retweet_count"] == 0
    entities = fetched.raw["entities"]
    assert entities["hashtags"] == [{"start": 13, "end": 19, "tag": "deals"}]
    assert entities["urls"][0]["expanded_url"] == "https://shop.example/sale"
    assert entities["urls"][0]["url"] == fetched.text[20:43]  # the t.co link, 23 long
    # Offsets are in the text X returns (with the t.co link), as on X.
    assert entities["mentions"][0] == {"start": 44, "end": 50, "username": "brand", "id": "1001"}
    assert fetched.raw["lang"] == "en"
    assert fetched.raw["conversation_id"] == published.id
    # The POST went out as OAuth 1.0a user context with tweepy's JSON body.
    post_request = next(r.request for r in captured if r.request.method == "POST")
    assert str(post_request.headers["Authorization"]).startswith("OAuth ")


def test_reply_and_quote_reference_their_target(client: XClient) -> None:
    original = client.publish("Our new product is out")

    reply = client.publish("More details in the thread", reply_to=original.id)
    quote = client.publish("Proud of the team", quote_of=original.id)

    reply_post = client.get_post(reply.id)
    quote_post = client.get_post(quote.id)
    assert reply_post.raw["referenced_tweets"] == [{"type": "replied_to", "id": original.id}]
    assert reply_post.raw["in_reply_to_user_id"] == "1001"
    assert reply_post.raw["conversation_id"] == original.id
    assert quote_post.raw["referenced_tweets"] == [{"type": "quoted", "id": original.id}]
    metrics = client.get_post(original.id).public_metrics
    assert metrics["reply_count"] == 1 and metrics["quote_count"] == 1


def test_delete_then_get_and_delete_again_raise_post_not_found(
    sandbox: RunningSandboxX, client: XClient
) -> None:
    post = client.publish("Oops, wrong account")

    client.delete(post.id)

    with pytest.raises(PostNotFound):
        client.get_post(post.id)
    with pytest.raises(PostNotFound):
        client.delete(post.id)
    assert sandbox.app.post(post.id)["deleted"] is True
    assert [p.id for p in client.timeline()] == []


def test_get_unknown_post_raises_post_not_found(client: XClient) -> None:
    with pytest.raises(PostNotFound, match="Could not find tweet"):
        client.get_post("1234567890")


def test_duplicate_and_overlong_posts_are_rejected(client: XClient) -> None:
    client.publish("Same words twice")

    with pytest.raises(PostRejected, match="duplicate content"):
        client.publish("Same words twice")
    with pytest.raises(PostRejected, match="too long"):
        client.publish("x" * 281)
    # URLs count 23 characters however long they are, as on X.
    client.publish("y" * 250 + " https://example.com/" + "z" * 100)


def test_reply_to_a_deleted_post_is_rejected(client: XClient) -> None:
    gone = client.publish("about to vanish")
    client.delete(gone.id)

    with pytest.raises(PostRejected, match="deleted or not visible"):
        client.publish("too late", reply_to=gone.id)


def test_cannot_delete_another_users_post(sandbox: RunningSandboxX, client: XClient) -> None:
    theirs = sandbox.app.inject_mention("1001", "not yours", author_username="someone")

    with pytest.raises(PostRejected, match="403"):
        client.delete(theirs["id"])

    assert sandbox.app.post(theirs["id"])["deleted"] is False


def test_create_post_shape(http: Any) -> None:
    response = http("POST", "/2/tweets", json={"text": "hello"})

    assert response.status_code == 201
    body = response.json()
    assert set(body["data"]) >= {"id", "text", "edit_history_tweet_ids"}
    assert body["data"]["text"] == "hello"
    spec.validate_request_body("POST", "/2/tweets", {"text": "hello"})


def test_create_post_rejects_properties_outside_the_spec(http: Any) -> None:
    response = http("POST", "/2/tweets", json={"text": "hello", "colour": "red"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "colour"


def test_lookup_fields_are_only_those_asked_for(http: Any) -> None:
    post_id = http("POST", "/2/tweets", json={"text": "fields"}).json()["data"]["id"]

    bare = http("GET", f"/2/tweets/{post_id}").json()["data"]
    rich = http(
        "GET", f"/2/tweets/{post_id}?tweet.fields=created_at,source,lang,public_metrics"
    ).json()["data"]
    spec_named = http("GET", f"/2/tweets/{post_id}?post.fields=author_id").json()["data"]

    assert {"id", "text", "edit_history_tweet_ids"} <= set(bare)
    assert not {"created_at", "source", "lang", "public_metrics", "author_id"} & set(bare)
    assert {"created_at", "source", "lang", "public_metrics"} <= set(rich)
    assert "author_id" not in rich
    assert spec_named["author_id"] == "1001"


def test_lookup_many_reports_missing_ids_as_problems(http: Any) -> None:
    post_id = http("POST", "/2/tweets", json={"text": "exists"}).json()["data"]["id"]

    body = http("GET", f"/2/tweets?ids={post_id},99999&expansions=author_id").json()

    assert [p["id"] for p in body["data"]] == [post_id]
    assert body["includes"]["users"][0]["username"] == "brand"
    [problem] = body["errors"]
    assert problem["type"] == "https://api.x.com/2/problems/resource-not-found"
    assert problem["resource_id"] == "99999" and problem["parameter"] == "ids"


def test_metrics_changed_through_control_show_in_the_api(
    sandbox: RunningSandboxX, client: XClient
) -> None:
    post = client.publish("going viral")
    sandbox.app.set_metrics(post.id, {"like_count": 1200, "repost_count": 300})

    metrics = client.get_post(post.id).public_metrics

    assert metrics["like_count"] == 1200
    assert metrics["retweet_count"] == 300 and metrics["repost_count"] == 300
