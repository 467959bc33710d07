"""Publishing, reading back, replying to and deleting statuses through the adapter,
with Mastodon's length rules and the sandbox's Idempotency-Key handling."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from chalicelib.networks.mastodon import MastodonClient, MastodonCredentials, mastodon_length
from chalicelib.networks.social import PostNotFound, PostRejected, RemotePost, is_our_post
from firebreak_local.sandbox_mastodon import RunningSandboxMastodon
from tests.functional.mastodon.conftest import BRAND_TOKEN, NOW, clock, make_client


def test_publish_plain_text_reads_back_as_sent(
    sandbox: RunningSandboxMastodon, client: MastodonClient, brand: dict[str, Any]
) -> None:
    post = client.publish("Good morning!\nOur shop opens at 9 & closes at <5>.\n\nSee you")

    assert post.text == "Good morning!\nOur shop opens at 9 & closes at <5>.\n\nSee you"
    assert post.author_id == brand["id"] == client.own_id()
    assert post.created_at == NOW
    assert post.source_app == "Firebreak"
    assert post.url == f"{sandbox.url}/@brand/{post.id}"
    assert post.public_metrics == {"like_count": 0, "repost_count": 0, "reply_count": 0}
    assert post.raw["content"] == (
        "<p>Good morning!<br />Our shop opens at 9 &amp; closes at &lt;5&gt;.</p><p>See you</p>"
    )
    json.dumps(post.raw)  # JSON-serialisable: datetimes became strings
    assert post.raw["created_at"] == "2026-12-01T06:00:00Z"
    assert client.get_post(post.id) == post
    assert sandbox.app.post(post.id)["text"] == post.text


def test_ids_are_increasing_snowflakes_from_the_clock(client: MastodonClient) -> None:
    first, second = client.publish("one"), client.publish("two")

    assert int(second.id) > int(first.id)
    assert int(first.id) >> 16 == int(NOW.timestamp() * 1000)


def test_a_link_reads_as_its_full_url_and_counts_23(
    sandbox: RunningSandboxMastodon, client: MastodonClient
) -> None:
    url = "https://www.example.com/spring/sale/2026/everything-must-go?ref=masto"
    post = client.publish(f"Our sale: {url}")

    assert post.text == f"Our sale: {url}"
    assert '<span class="invisible">https://www.</span>' in post.raw["content"]
    assert '<span class="ellipsis">example.com/spring/sale/2026/e</span>' in post.raw["content"]
    assert mastodon_length(post.text) == len("Our sale: ") + 23
    assert is_our_post(post, f"Our sale: {url}")


def test_remote_mentions_read_as_written(
    sandbox: RunningSandboxMastodon, client: MastodonClient, fan: dict[str, Any]
) -> None:
    post = client.publish("Thanks @fan@mastodon.social and @stranger@elsewhere.example!")

    # A known account is a link (shown as @fan), an unknown one stays text.
    assert "@<span>fan</span></a></span> and @stranger@elsewhere.example!" in post.raw["content"]
    assert post.text == "Thanks @fan@mastodon.social and @stranger@elsewhere.example!"
    assert post.raw["mentions"][0]["acct"] == "fan@mastodon.social"


def test_length_limit_counts_graphemes_urls_and_remote_mentions(client: MastodonClient) -> None:
    head = "@fan@mastodon.social https://example.com/" + "a" * 80 + " 👩‍👩‍👧‍👦e\u0301"
    exactly = head + " " + "x" * (499 - mastodon_length(head))
    assert mastodon_length(exactly) == 500
    assert len(exactly) > 500

    assert client.publish(exactly).raw["content"]
    with pytest.raises(PostRejected) as excinfo:
        client.publish(exactly + "y")

    assert "character limit of 500 exceeded" in str(excinfo.value)
    assert "422" in str(excinfo.value)


def test_a_lowered_instance_limit_is_honoured_and_reported(
    sandbox: RunningSandboxMastodon, brand: dict[str, Any]
) -> None:
    sandbox.app.set_max_characters(300)
    client = make_client(sandbox)

    assert client.text_limits() == (300, 23)
    client.publish("z" * 300)
    with pytest.raises(PostRejected, match="character limit of 300 exceeded"):
        client.publish("z" * 301)


def test_text_limits_fall_back_to_v1_then_to_mastodon_defaults(
    sandbox: RunningSandboxMastodon, brand: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.app.configure(max_characters=640, instance_v2=False)

    assert make_client(sandbox).text_limits() == (640, 23)
    log = sandbox.app.requests_log()
    assert [(r["path"], r["status"]) for r in log[-2:]] == [
        ("/api/v2/instance/", 404),  # Mastodon.py asks with a trailing slash
        ("/api/v1/instance/", 200),
    ]
    client = make_client(sandbox)
    monkeypatch.setattr(client.api, "instance_v1", client.api.instance_v2)  # both 404 now
    assert client.text_limits() == (500, 23)


def test_blank_text_is_rejected(client: MastodonClient) -> None:
    with pytest.raises(PostRejected, match="can't be blank"):
        client.publish("  \n ")


def test_reply_records_its_parent(
    sandbox: RunningSandboxMastodon, client: MastodonClient, fan: dict[str, Any]
) -> None:
    question = sandbox.app.inject_mention(fan["id"], client.own_id(), "is the shop open today?")

    reply = client.publish("@fan@mastodon.social yes, until 6!", reply_to=question["id"])

    assert reply.raw["in_reply_to_id"] == question["id"]
    assert reply.raw["in_reply_to_user_id"] == fan["id"]
    assert reply.raw["referenced_tweets"] == [{"type": "replied_to", "id": question["id"]}]
    assert reply.raw["referenced_authors"] == {question["id"]: fan["id"]}
    assert sandbox.app.post(reply.id)["referenced_tweets"] == reply.raw["referenced_tweets"]
    assert client.get_post(question["id"]).public_metrics["reply_count"] == 1


@pytest.mark.parametrize(
    ("theirs", "ours"), [("direct", "direct"), ("private", "private"), ("unlisted", "unlisted")]
)
def test_a_reply_is_no_more_visible_than_what_it_answers(
    sandbox: RunningSandboxMastodon,
    client: MastodonClient,
    fan: dict[str, Any],
    theirs: str,
    ours: str,
) -> None:
    """A customer's direct message answered in public would publish what they said in
    private (an order number, an address): the reply takes the narrower visibility."""
    question = sandbox.app.inject_mention(
        fan["id"], client.own_id(), "my order 4711 never came", visibility=theirs
    )
    reply = client.publish("@fan@mastodon.social sorry, we are on it", reply_to=question["id"])
    assert reply.raw["visibility"] == ours


def test_replying_to_a_deleted_status_is_post_not_found(client: MastodonClient) -> None:
    gone = client.publish("short-lived")
    client.delete(gone.id)

    with pytest.raises(PostNotFound):
        client.publish("late reply", reply_to=gone.id)


def test_quote_posts_are_rejected_without_a_request(
    sandbox: RunningSandboxMastodon, client: MastodonClient
) -> None:
    post = client.publish("quotable")
    before = len(sandbox.app.requests_log())

    with pytest.raises(PostRejected, match="no quote posts"):
        client.publish("look at this", quote_of=post.id)
    assert len(sandbox.app.requests_log()) == before


def test_delete_then_get_and_delete_again_are_post_not_found(
    sandbox: RunningSandboxMastodon, client: MastodonClient
) -> None:
    post = client.publish("oops, wrong account")

    client.delete(post.id)

    with pytest.raises(PostNotFound):
        client.get_post(post.id)
    with pytest.raises(PostNotFound):
        client.delete(post.id)
    assert sandbox.app.post(post.id)["deleted"] is True
    assert sandbox.app.post(post.id)["text"] == "oops, wrong account"


def test_ids_that_are_not_numbers_are_not_found_without_a_request(
    sandbox: RunningSandboxMastodon, client: MastodonClient
) -> None:
    before = len(sandbox.app.requests_log())
    for bad in ("../accounts/1", "", "12a"):
        with pytest.raises(PostNotFound):
            client.get_post(bad)
        with pytest.raises(PostNotFound):
            client.delete(bad)
    assert len(sandbox.app.requests_log()) == before


def test_someone_elses_status_cannot_be_deleted(
    sandbox: RunningSandboxMastodon, client: MastodonClient, fan: dict[str, Any]
) -> None:
    theirs = sandbox.app.inject_post(fan["id"], "mine, not yours")

    with pytest.raises(PostNotFound):
        client.delete(theirs["id"])
    assert sandbox.app.post(theirs["id"])["deleted"] is False


def test_source_app_of_an_injected_post_differs_from_a_published_one(
    sandbox: RunningSandboxMastodon, client: MastodonClient, brand: dict[str, Any]
) -> None:
    rogue = sandbox.app.inject_post(brand["id"], "buy crypto now!!", source="Ivory for iOS")
    remote = sandbox.app.inject_post(brand["id"], "posted from somewhere without an app")
    ours = client.publish("our scheduled post")

    assert client.get_post(rogue["id"]).source_app == "Ivory for iOS"
    assert client.get_post(remote["id"]).source_app is None
    assert ours.source_app == "Firebreak"
    assert [p.source_app for p in client.timeline()] == ["Firebreak", None, "Ivory for iOS"]


def test_idempotency_key_returns_the_first_status(
    sandbox: RunningSandboxMastodon, client: MastodonClient
) -> None:
    first = client.publish("exactly once", idempotency_key="post-42-v1")
    again = client.publish("exactly once", idempotency_key="post-42-v1")
    other = client.publish("exactly once", idempotency_key="post-42-v2")

    assert again.id == first.id
    assert other.id != first.id
    assert [p.id for p in client.timeline()] == [other.id, first.id]
    keys = [r["idempotency_key"] for r in sandbox.app.requests_log() if r["method"] == "POST"]
    assert keys == ["post-42-v1", "post-42-v1", "post-42-v2"]


def test_idempotency_key_is_per_account_and_a_deleted_status_is_not_found(
    sandbox: RunningSandboxMastodon, client: MastodonClient
) -> None:
    other = sandbox.app.add_account("other", access_token="other-token")
    first = client.publish("hello", idempotency_key="k1")
    theirs = make_client(sandbox, "other-token").publish("hello", idempotency_key="k1")
    assert theirs.author_id == other["id"] != first.author_id

    client.delete(first.id)

    with pytest.raises(PostNotFound):
        client.publish("hello", idempotency_key="k1")


def test_idempotency_key_expires_after_an_hour(sandbox: RunningSandboxMastodon) -> None:
    now = [1796104800.0]
    app_clock = sandbox.app._clock
    sandbox.app._clock = lambda: now[0]
    try:
        sandbox.app.reset()
        sandbox.app.add_account("brand", access_token=BRAND_TOKEN)
        headers = {"Authorization": f"Bearer {BRAND_TOKEN}", "Idempotency-Key": "k"}
        url = f"{sandbox.url}/api/v1/statuses"
        first = requests.post(url, data={"status": "hi"}, headers=headers, timeout=5).json()
        now[0] += 3599
        same = requests.post(url, json={"status": "hi"}, headers=headers, timeout=5).json()
        now[0] += 2
        later = requests.post(url, data={"status": "hi"}, headers=headers, timeout=5).json()
    finally:
        sandbox.app._clock = app_clock

    assert same["id"] == first["id"]
    assert later["id"] != first["id"]


def test_published_post_is_a_remote_post(client: MastodonClient) -> None:
    post = client.publish("typed")

    assert isinstance(post, RemotePost)
    assert post.ref is None
    assert type(post.id) is str and post.id.isdigit()


def test_add_account_gives_credentials_the_adapter_accepts(
    sandbox: RunningSandboxMastodon, brand: dict[str, Any]
) -> None:
    made = sandbox.app.add_account("second", followers=3)
    client = MastodonClient(MastodonCredentials.from_json(made), clock=clock)

    assert client.own_id() == made["id"]
    assert client.account().acct == "second"
    assert client.account().host == sandbox.url.removeprefix("http://")
    assert made["access_token"] and made["instance_url"] == sandbox.url


def test_mastodon_strips_the_text_and_the_drill_sees_it_as_sent(
    sandbox: RunningSandboxMastodon, client: MastodonClient
) -> None:
    post = client.publish("  spaced out \n")

    assert post.text == "spaced out"
    assert sandbox.app.post(post.id)["text"] == "  spaced out \n"
    assert sandbox.app.post(post.id)["stored_text"] == "spaced out"
    assert is_our_post(post, "  spaced out \n")
