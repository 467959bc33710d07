"""The sandbox X, driven through the real X adapter (tweepy over loopback) and raw HTTP.

Every response any test receives is validated against the official X API v2
OpenAPI spec (``firebreak_local.x_spec``) when the test finishes.
"""

from __future__ import annotations

import re
import time
import urllib.parse
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from chalicelib.adapters.x import XClient, XCredentials
from chalicelib.domain.social import (
    NetworkUnavailable,
    PostNotFound,
    PostRejected,
    RateLimited,
    expanded_text,
)
from firebreak_local import x_spec
from firebreak_local.sandbox_x import RunningSandboxX, SandboxX, start_sandbox_x

BRAND_TOKEN = "1001-brand-access-token"
BRAND_SECRET = "brand-access-token-secret"
BRAND_BEARER = "AAAA-brand-app-bearer"
CONSUMER_KEY = "firebreak-consumer-key"
CONSUMER_SECRET = "firebreak-consumer-secret"
ALL_SECRETS = (BRAND_TOKEN, BRAND_SECRET, BRAND_BEARER, CONSUMER_KEY, CONSUMER_SECRET)

# Post fields the live API sends that this spec version spells differently.
X_ONLY_POST_FIELDS = {"edit_history_tweet_ids", "referenced_tweets"}


# ----------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sandbox() -> Any:
    running = start_sandbox_x("127.0.0.1", 0)
    yield running
    running.stop()


@pytest.fixture
def captured() -> Any:
    """Responses seen during a test; all are checked against the spec afterwards."""
    responses: list[requests.Response] = []
    yield responses
    for response in responses:
        assert_matches_spec(response)


@pytest.fixture
def brand(sandbox: RunningSandboxX) -> dict[str, Any]:
    sandbox.app.reset()
    return sandbox.app.register_user(
        username="brand",
        name="Brand",
        user_id="1001",
        access_token=BRAND_TOKEN,
        bearer_token=BRAND_BEARER,
        app_name="Firebreak",
    )


def make_client(
    sandbox: RunningSandboxX,
    captured: list[requests.Response],
    *,
    access_token: str = BRAND_TOKEN,
    **kwargs: Any,
) -> XClient:
    credentials = XCredentials(
        consumer_key=CONSUMER_KEY,
        consumer_secret=CONSUMER_SECRET,
        access_token=access_token,
        access_token_secret=BRAND_SECRET,
        bearer_token=BRAND_BEARER,
    )
    client = XClient(credentials, api_base_url=sandbox.url, **kwargs)
    client.session.hooks["response"].append(lambda response, *a, **k: captured.append(response))
    return client


@pytest.fixture
def client(sandbox: RunningSandboxX, brand: dict[str, Any], captured: list[Any]) -> XClient:
    return make_client(sandbox, captured)


@pytest.fixture
def http(sandbox: RunningSandboxX, brand: dict[str, Any], captured: list[Any]) -> Any:
    """Raw HTTP against the sandbox's X API, with captured (and so validated) responses."""

    def call(
        method: str, path: str, *, auth: str | None = "user", **kwargs: Any
    ) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if auth == "user":
            headers["Authorization"] = (
                f'OAuth oauth_consumer_key="{CONSUMER_KEY}", oauth_nonce="n", '
                f'oauth_signature="unchecked", oauth_signature_method="HMAC-SHA1", '
                f'oauth_timestamp="{int(time.time())}", '
                f'oauth_token="{urllib.parse.quote(BRAND_TOKEN)}", oauth_version="1.0"'
            )
        elif auth == "app":
            headers["Authorization"] = f"Bearer {BRAND_BEARER}"
        elif auth is not None:
            headers["Authorization"] = auth
        response = requests.request(
            method, sandbox.url + path, headers=headers, timeout=5, **kwargs
        )
        captured.append(response)
        return response

    return call


def assert_matches_spec(response: requests.Response) -> None:
    method = response.request.method or "GET"
    path = urllib.parse.urlsplit(response.url).path
    body = response.json()
    content_type = response.headers["content-type"]
    x_spec.validate_response(method, path, response.status_code, body, content_type=content_type)
    # The spec's Post and envelopes allow any property; hold posts and problems
    # to the names the spec declares (plus the live API's own spellings).
    allowed = x_spec.component_properties("Post") | X_ONLY_POST_FIELDS
    data = body.get("data")
    posts = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    if path.startswith("/2/users/me"):
        posts = []
    for post in posts:
        if "deleted" in post:
            continue
        assert set(post) <= allowed, set(post) - allowed
        if "referenced_tweets" in post:
            x_spec.validate_component("PostReferencedPosts", post["referenced_tweets"])
        if "public_metrics" in post:
            x_spec.validate_component("PostPublicMetrics", post["public_metrics"])
    for problem in body.get("errors", []):
        x_spec.validate_component("Problem", problem)
    if 200 <= response.status_code < 300 or response.status_code == 429:
        for header in ("x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"):
            assert response.headers[header].isdigit(), header


def control(sandbox: RunningSandboxX, method: str, path: str, **kwargs: Any) -> requests.Response:
    return requests.request(method, f"{sandbox.url}/_sandbox{path}", timeout=5, **kwargs)


# ------------------------------------------------------- the adapter, end to end


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


def test_unknown_token_is_rejected_without_leaking_credentials(
    sandbox: RunningSandboxX, brand: dict[str, Any], captured: list[requests.Response]
) -> None:
    intruder = make_client(sandbox, captured, access_token="999-not-registered")

    with pytest.raises(PostRejected) as excinfo:
        intruder.publish("should never appear")

    assert "401" in str(excinfo.value)
    assert not any(secret in str(excinfo.value) for secret in (*ALL_SECRETS, "999-not"))
    assert captured[-1].status_code == 401
    assert captured[-1].json()["title"] == "Unauthorized"
    assert sandbox.app.posts() == []


def test_injected_429_becomes_rate_limited_with_the_reset_time(
    sandbox: RunningSandboxX, client: XClient, captured: list[requests.Response]
) -> None:
    client.account()  # learn the user id first, so the fault hits the timeline call
    reset = int(time.time()) + 600
    sandbox.app.add_fault(method="GET", path="/2/users/*/tweets", status=429, reset=reset)

    with pytest.raises(RateLimited) as excinfo:
        client.timeline()

    assert excinfo.value.reset_at == datetime.fromtimestamp(reset, tz=UTC)
    assert captured[-1].headers["x-rate-limit-remaining"] == "0"
    assert client.timeline() == []  # the fault was used up


def test_rate_limit_is_enforced_per_window(
    sandbox: RunningSandboxX, client: XClient, http: Any
) -> None:
    post = client.publish("counting")
    remaining = []
    for _ in range(3):
        response = http("GET", f"/2/tweets/{post.id}")
        remaining.append(int(response.headers["x-rate-limit-remaining"]))
    assert remaining[0] - remaining[1] == 1 and remaining[1] - remaining[2] == 1
    assert response.headers["x-rate-limit-limit"] == "900"

    # /2/users/me allows 75 requests per 15 minutes; the adapter already used one.
    statuses = [http("GET", "/2/users/me").status_code for _ in range(75)]

    assert statuses[:74] == [200] * 74 and statuses[74] == 429
    reset = int(http("GET", "/2/users/me").headers["x-rate-limit-reset"])
    assert 0 < reset - time.time() <= 15 * 60
    sandbox.app.configure(enforce_rate_limits=False)
    assert http("GET", "/2/users/me").status_code == 200


@pytest.mark.parametrize("status", [503, 500])
def test_injected_server_errors_become_network_unavailable(
    sandbox: RunningSandboxX, client: XClient, status: int
) -> None:
    sandbox.app.add_fault(method="POST", path="/2/tweets", status=status)
    client.account()

    with pytest.raises(NetworkUnavailable, match=str(status)):
        client.publish("during an outage")

    assert sandbox.app.posts() == []
    assert client.publish("after the outage").text == "after the outage"


def test_delay_longer_than_the_timeout_becomes_network_unavailable(
    sandbox: RunningSandboxX, brand: dict[str, Any], captured: list[requests.Response]
) -> None:
    impatient = make_client(sandbox, captured, timeout_s=0.3)
    impatient.account()
    sandbox.app.add_fault(method="GET", path="/2/tweets/*", delay_s=1.5)

    started = time.monotonic()
    with pytest.raises(NetworkUnavailable):
        impatient.get_post("42")
    assert time.monotonic() - started < 1.4

    sandbox.app.add_fault(method="GET", path="/2/tweets/*", delay_s=0.05)
    with pytest.raises(PostNotFound):  # a short delay only slows the answer down
        impatient.get_post("42")


def test_connection_refused_becomes_network_unavailable() -> None:
    closed = start_sandbox_x()
    url = closed.url
    closed.stop()
    client = XClient(
        XCredentials(CONSUMER_KEY, CONSUMER_SECRET, BRAND_TOKEN, BRAND_SECRET),
        api_base_url=url,
        timeout_s=1,
    )

    with pytest.raises(NetworkUnavailable):
        client.timeline()


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


# -------------------------------------------------- raw HTTP, shapes and auth


def test_users_me_shape(http: Any) -> None:
    response = http("GET", "/2/users/me?user.fields=created_at,public_metrics,verified")

    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["id"], data["username"], data["name"]) == ("1001", "brand", "Brand")
    assert data["public_metrics"]["tweet_count"] == 0
    x_spec.validate_component("User", data)


def test_create_post_shape(http: Any) -> None:
    response = http("POST", "/2/tweets", json={"text": "hello"})

    assert response.status_code == 201
    body = response.json()
    assert set(body["data"]) >= {"id", "text", "edit_history_tweet_ids"}
    assert body["data"]["text"] == "hello"
    x_spec.validate_request_body("POST", "/2/tweets", {"text": "hello"})


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


def test_empty_timeline_and_mentions_have_meta_only(http: Any) -> None:
    for path in ("/2/users/1001/tweets", "/2/users/1001/mentions"):
        body = http("GET", path).json()
        assert body == {"meta": {"result_count": 0}}


def test_invalid_parameters_are_400_invalid_request(http: Any) -> None:
    responses = [
        http("GET", "/2/users/1001/tweets?max_results=3"),
        http("GET", "/2/users/1001/tweets?pagination_token=!!!"),
        http("GET", "/2/tweets/123?tweet.fields=colour"),
        http("GET", "/2/tweets/abc"),
        http("GET", "/2/tweets"),
    ]

    for response in responses:
        assert response.status_code == 400, response.url
        body = response.json()
        assert body["type"] == "https://api.x.com/2/problems/invalid-request"
        assert body["errors"][0]["type"] == body["type"]


@pytest.mark.parametrize(
    "authorization", [None, "Bearer nobody", 'OAuth oauth_token="nobody"', "Basic Zm9vOmJhcg=="]
)
def test_missing_or_unknown_credentials_are_401(http: Any, authorization: str | None) -> None:
    response = http("GET", "/2/users/1001/tweets", auth=authorization)

    assert response.status_code == 401
    body = response.json()
    assert (body["title"], body["type"], body["status"]) == ("Unauthorized", "about:blank", 401)


def test_app_only_bearer_may_read_but_not_write(http: Any) -> None:
    post_id = http("POST", "/2/tweets", json={"text": "readable"}).json()["data"]["id"]

    read = http("GET", f"/2/tweets/{post_id}", auth="app")
    write = http("POST", "/2/tweets", json={"text": "nope"}, auth="app")
    delete = http("DELETE", f"/2/tweets/{post_id}", auth="app")
    me = http("GET", "/2/users/me", auth="app")

    assert read.status_code == 200 and read.json()["data"]["id"] == post_id
    assert read.headers["x-rate-limit-limit"] == "450"  # the app-only limit
    for response in (write, delete, me):
        assert response.status_code == 403
        assert response.json()["title"] == "Unsupported Authentication"


def test_x_api_responses_are_json_even_for_injected_faults(
    sandbox: RunningSandboxX, http: Any
) -> None:
    sandbox.app.add_fault(method="*", path="/2/users/me", status=503, count=2)

    first, second, third = (http("GET", "/2/users/me") for _ in range(3))

    assert [first.status_code, second.status_code, third.status_code] == [503, 503, 200]
    assert first.json()["title"] == "Service Unavailable"
    assert sandbox.app.faults() == []


# ---------------------------------------------------------- control endpoints


def test_control_endpoints_round_trip(sandbox: RunningSandboxX, brand: dict[str, Any]) -> None:
    assert control(sandbox, "POST", "/reset").json() == {"reset": True}
    created = control(
        sandbox,
        "POST",
        "/users",
        json={"username": "acme", "id": "2002", "access_token": "2002-tok", "app_name": "Buffer"},
    )
    assert created.status_code == 201
    assert "access_token" not in created.json()["user"]
    assert control(sandbox, "POST", "/users", json={"username": "ACME"}).status_code == 409
    assert control(sandbox, "POST", "/users", json={"name": "no username"}).status_code == 400

    injected = control(
        sandbox,
        "POST",
        "/users/2002/posts",
        json={"text": "rogue", "source": "Hootsuite", "created_at": "2024-05-01T10:00:00Z"},
    ).json()["post"]
    mention = control(
        sandbox,
        "POST",
        "/users/2002/mentions",
        json={"text": "hey", "author_username": "carol"},
    ).json()["post"]
    metrics = control(
        sandbox, "PATCH", f"/posts/{injected['id']}/metrics", json={"like_count": 7}
    ).json()["post"]["public_metrics"]
    fault = control(
        sandbox, "POST", "/faults", json={"path": "/2/tweets", "status": 500, "count": 3}
    ).json()["fault"]
    faults = control(sandbox, "GET", "/faults").json()["faults"]
    control(sandbox, "DELETE", "/faults")
    posts = control(sandbox, "GET", "/posts?author_id=2002").json()["posts"]
    users = control(sandbox, "GET", "/users").json()["users"]

    assert (
        injected["source"] == "Hootsuite" and injected["created_at"] == "2024-05-01T10:00:00.000Z"
    )
    assert mention["text"] == "@acme hey" and mention["author_username"] == "carol"
    assert metrics["like_count"] == 7
    assert faults == [fault] and fault["remaining"] == 3
    assert control(sandbox, "GET", "/faults").json() == {"faults": []}
    assert [p["id"] for p in posts] == [injected["id"]] and posts[0]["deleted"] is False
    assert {u["username"] for u in users} == {"acme", "carol"}
    assert control(sandbox, "POST", "/faults", json={"status": 200}).status_code == 400
    assert control(sandbox, "POST", "/users/2002/posts", json={"txt": "x"}).status_code == 400
    assert control(sandbox, "GET", "/nothing-here").status_code == 404


def test_request_log_records_api_calls(sandbox: RunningSandboxX, client: XClient) -> None:
    client.timeline()

    log = control(sandbox, "GET", "/requests").json()["requests"]

    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("GET", "/2/users/me", 200),
        ("GET", "/2/users/1001/tweets", 200),
    ]
    assert "since_id" not in log[1]["query"] and "max_results=100" in log[1]["query"]
    assert log[1]["user_id"] == "1001"


def test_metrics_changed_through_control_show_in_the_api(
    sandbox: RunningSandboxX, client: XClient
) -> None:
    post = client.publish("going viral")
    sandbox.app.set_metrics(post.id, {"like_count": 1200, "repost_count": 300})

    metrics = client.get_post(post.id).public_metrics

    assert metrics["like_count"] == 1200
    assert metrics["retweet_count"] == 300 and metrics["repost_count"] == 300


def test_only_loopback_is_ever_bound() -> None:
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        start_sandbox_x("0.0.0.0")  # noqa: S104 - the point of the test


def test_sandbox_runs_as_a_context_manager() -> None:
    with start_sandbox_x() as running:
        response = requests.get(running.url + "/2/users/me", timeout=5)
        assert response.status_code == 401
    with pytest.raises(requests.ConnectionError):
        requests.get(running.url + "/2/users/me", timeout=2)


def test_a_fake_clock_moves_the_rate_limit_window() -> None:
    now = [1_700_000_000.0]
    app = SandboxX(clock=lambda: now[0])
    app.register_user(username="clocked", user_id="7", access_token="7-tok")
    with start_sandbox_x(app=app) as running:
        headers = {"Authorization": 'OAuth oauth_token="7-tok"'}
        first = requests.get(running.url + "/2/users/me", headers=headers, timeout=5)
        now[0] += 15 * 60
        later = requests.get(running.url + "/2/users/me", headers=headers, timeout=5)

    assert int(first.headers["x-rate-limit-reset"]) == 1_700_000_000 + 900
    assert int(later.headers["x-rate-limit-reset"]) == 1_700_000_000 + 1800
    assert later.headers["x-rate-limit-remaining"] == "74"


# --------------------------------------------------- the validator is not vacuous


def test_validator_rejects_bodies_that_break_the_spec() -> None:
    ok_metrics = {
        "repost_count": 0,
        "reply_count": 0,
        "like_count": 0,
        "quote_count": 0,
        "bookmark_count": 0,
        "impression_count": 0,
    }
    x_spec.validate_response(
        "GET", "/2/tweets/1", 200, {"data": {"id": "1", "public_metrics": ok_metrics}}
    )

    bad_bodies = [
        ("GET", "/2/tweets/{id}", 200, {"data": {"id": "1", "public_metrics": {"like_count": 1}}}),
        ("GET", "/2/tweets/1", 200, {"data": {"id": "1", "created_at": "yesterday"}}),
        ("POST", "/2/tweets", 201, {"data": {"id": "not-a-number", "text": "x"}}),
        ("DELETE", "/2/tweets/1", 200, {"data": {}}),
        ("GET", "/2/tweets/1", 200, {"errors": [{"type": "about:blank", "title": "x"}]}),
        ("GET", "/2/users/me", 401, {"title": "Unauthorized"}),
        ("GET", "/2/users/1/mentions", 200, {"meta": {"result_count": "3"}}),
    ]
    for method, path, status, body in bad_bodies:
        with pytest.raises(x_spec.XSpecViolation):
            x_spec.validate_response(method, path, status, body)


def test_validator_resolves_paths_and_media_types() -> None:
    assert x_spec.path_template("DELETE", "/2/tweets/123") == "/2/tweets/{id}"
    assert x_spec.path_template("GET", "/2/tweets/search/recent") == "/2/tweets/search/recent"
    assert x_spec.path_template("GET", "/2/users/9/mentions?x=1") == "/2/users/{id}/mentions"
    # This spec version calls the field selector post.fields (the live API: tweet.fields).
    assert "source" in x_spec.parameter_enum("GET", "/2/tweets/{id}", "post.fields")
    with pytest.raises(x_spec.XSpecViolation, match="no operation"):
        x_spec.path_template("PUT", "/2/tweets/1")
    with pytest.raises(x_spec.XSpecViolation, match="text/html"):
        x_spec.validate_response("GET", "/2/users/me", 200, {}, content_type="text/html")
    problem = {
        "type": "https://api.x.com/2/problems/resource-not-found",
        "title": "Not Found Error",
        "detail": "gone",
        "resource_type": "tweet",
    }
    x_spec.validate_response(
        "GET", "/2/users/me", 404, problem, content_type="application/problem+json"
    )
