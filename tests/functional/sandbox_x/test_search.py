"""Recent search: the query subset, pagination, time window, errors and its rate limit."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from chalicelib.networks.x import XClient
from firebreak_local.sandbox_x import RunningSandboxX
from tests.functional.sandbox_x.helpers import BRAND_BEARER

SEARCH = "/2/tweets/search/recent"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def corpus(sandbox: RunningSandboxX, brand: dict[str, Any]) -> dict[str, str]:
    app = sandbox.app
    ours = app.inject_post("1001", "Our new policy starts today", source="Firebreak")
    ids = {"ours": ours["id"]}
    ids["alice"] = app.inject_mention("1001", "where is my order?", author_username="alice")["id"]
    ids["bob"] = app.inject_mention(
        "1001", "love the new app #happy", author_username="bob", reply_to=ours["id"]
    )["id"]
    carol = app.register_user(username="carol")
    ids["carol"] = app.inject_post(carol["id"], "ordering pizza, one order please")["id"]
    dave = app.register_user(username="dave")
    ids["dave"] = app.inject_post(dave["id"], "", retweet_of=ours["id"])["id"]
    ids["erin"] = app.inject_mention("1001", "Bitte antworten!", author_username="erin", lang="de")[
        "id"
    ]
    return ids


def _authors(body: dict[str, Any]) -> list[str]:
    users = {u["id"]: u["username"] for u in body.get("includes", {}).get("users", [])}
    return [users[post["author_id"]] for post in body.get("data", [])]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("@brand", ["erin", "dave", "bob", "alice"]),
        ("@Brand -is:retweet", ["erin", "bob", "alice"]),
        ("order", ["carol", "alice"]),
        ("ORDER OR happy", ["carol", "bob", "alice"]),
        ("(order OR happy) -from:carol", ["bob", "alice"]),
        ("order OR happy -from:carol", ["carol", "bob", "alice"]),  # AND binds first
        ('"new app"', ["bob"]),
        ("#happy", ["bob"]),
        ("@brand is:reply", ["bob"]),
        ("@brand lang:de", ["erin"]),
        ("(order OR policy) -is:retweet", ["carol", "alice", "brand"]),
        ("nothing_matches_this", []),
    ],
)
def test_search_query_forms(
    http: Any, corpus: dict[str, str], query: str, expected: list[str]
) -> None:
    response = http(
        "GET",
        SEARCH,
        params={
            "query": query,
            "expansions": "author_id",
            "tweet.fields": "author_id,created_at,lang",
        },
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert _authors(body) == expected
    assert body["meta"]["result_count"] == len(expected)


def test_search_pages_with_next_token_and_honours_since_id(
    sandbox: RunningSandboxX, http: Any
) -> None:
    ids = [
        sandbox.app.inject_mention("1001", f"question {n}", author_username=f"fan{n}")["id"]
        for n in range(25)
    ]
    seen: list[str] = []
    pages = 0
    params: dict[str, Any] = {"query": "@brand", "max_results": 10}
    while True:
        body = http("GET", SEARCH, params=params).json()
        pages += 1
        seen += [post["id"] for post in body["data"]]
        assert body["meta"]["newest_id"] == body["data"][0]["id"]
        if "next_token" not in body["meta"]:
            break
        params["next_token"] = body["meta"]["next_token"]

    newer = http("GET", SEARCH, params={"query": "@brand", "since_id": ids[19]}).json()
    older = http("GET", SEARCH, params={"query": "@brand", "until_id": ids[5]}).json()

    assert pages == 3
    assert seen == list(reversed(ids))
    assert [post["id"] for post in newer["data"]] == list(reversed(ids[20:]))
    assert [post["id"] for post in older["data"]] == list(reversed(ids[:5]))


def test_search_covers_the_last_seven_days_only(sandbox: RunningSandboxX, http: Any) -> None:
    now = datetime.now(UTC)
    old = sandbox.app.inject_mention(
        "1001", "eight days ago", author_username="old", created_at=now - timedelta(days=8)
    )
    hour = sandbox.app.inject_mention(
        "1001", "an hour ago", author_username="hour", created_at=now - timedelta(hours=1)
    )
    fresh = sandbox.app.inject_mention("1001", "just now", author_username="fresh")

    everything = http("GET", SEARCH, params={"query": "@brand"}).json()
    window = http(
        "GET",
        SEARCH,
        params={
            "query": "@brand",
            "start_time": _stamp(now - timedelta(hours=2)),
            "end_time": _stamp(now - timedelta(minutes=30)),
        },
    ).json()
    too_old = http(
        "GET", SEARCH, params={"query": "@brand", "start_time": _stamp(now - timedelta(days=8))}
    )
    too_new = http("GET", SEARCH, params={"query": "@brand", "end_time": _stamp(now)})

    assert [p["id"] for p in everything["data"]] == [fresh["id"], hour["id"]]
    assert old["id"] not in {p["id"] for p in everything["data"]}
    assert [p["id"] for p in window["data"]] == [hour["id"]]
    assert too_old.status_code == 400
    assert "'start_time' must be on or after" in too_old.json()["errors"][0]["message"]
    assert too_new.status_code == 400
    assert "10 seconds prior" in too_new.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("params", "parameter", "fragment"),
    [
        ({"query": "has:links brand"}, "query", "Reference to invalid operator 'has:links'"),
        ({"query": "@brand is:verified"}, "query", "invalid operator 'is:verified'"),
        ({"query": "-is:retweet"}, "query", "must contain a non-negation term"),
        ({"query": "is:reply"}, "query", "conjunction-required"),
        ({"query": "(order OR"}, "query", "There were errors processing your request"),
        ({"query": ""}, "query", "can not be empty"),
        ({"query": "@brand", "max_results": 5}, "max_results", "not between 10 and 100"),
        ({"query": "@brand", "next_token": "!!"}, "next_token", "is not valid"),
        ({"query": "@brand", "since_id": "1", "start_time": "2030-01-01T00:00:00Z"}, "", ""),
    ],
)
def test_refused_queries_get_the_invalid_request_problem(
    http: Any, params: dict[str, Any], parameter: str, fragment: str
) -> None:
    response = http("GET", SEARCH, params=params)

    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "https://api.x.com/2/problems/invalid-request"
    assert body["title"] == "Invalid Request"
    [problem] = body["errors"]
    if parameter:
        assert problem["parameters"] == {parameter: [str(params[parameter])]}
        assert fragment in problem["message"]


def test_search_has_its_own_rate_limit_per_app_and_per_user(
    sandbox: RunningSandboxX, http: Any
) -> None:
    by_user = http("GET", SEARCH, params={"query": "@brand"})
    assert by_user.headers["x-rate-limit-limit"] == "300"
    assert by_user.headers["x-rate-limit-remaining"] == "299"

    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {BRAND_BEARER}"
        statuses = [
            session.get(sandbox.url + SEARCH, params={"query": "@brand"}, timeout=5).status_code
            for _ in range(450)
        ]
    refused = http("GET", SEARCH, params={"query": "@brand"}, auth="app")

    assert statuses == [200] * 450
    assert refused.status_code == 429
    assert refused.headers["x-rate-limit-limit"] == "450"
    assert refused.headers["x-rate-limit-remaining"] == "0"
    assert 0 < int(refused.headers["x-rate-limit-reset"]) - time.time() <= 15 * 60
    # The user-context window and the mentions endpoint's window are separate.
    assert http("GET", SEARCH, params={"query": "@brand"}).status_code == 200
    assert http("GET", "/2/users/1001/mentions", auth="app").status_code == 200


def test_search_expands_authors_with_public_metrics_and_referenced_posts(
    sandbox: RunningSandboxX, http: Any
) -> None:
    ours = sandbox.app.inject_post("1001", "Announcement", source="Firebreak")
    reply = sandbox.app.inject_mention(
        "1001",
        "this is bad",
        author_username="loud",
        reply_to=ours["id"],
        author_public_metrics={"followers_count": 250_000, "listed_count": 900},
    )

    body = http(
        "GET",
        SEARCH,
        params={
            "query": "@brand -is:retweet",
            "tweet.fields": "author_id,conversation_id,referenced_tweets,created_at",
            "expansions": "author_id,referenced_tweets.id",
            "user.fields": "public_metrics,created_at",
        },
    ).json()

    [post] = body["data"]
    assert post["id"] == reply["id"]
    assert post["conversation_id"] == ours["id"]
    assert post["referenced_tweets"] == [{"type": "replied_to", "id": ours["id"]}]
    [author] = body["includes"]["users"]
    assert author["username"] == "loud"
    assert author["public_metrics"]["followers_count"] == 250_000
    assert author["public_metrics"]["listed_count"] == 900
    assert author["public_metrics"]["tweet_count"] == 1
    assert [t["id"] for t in body["includes"]["tweets"]] == [ours["id"]]


def test_tweepy_search_recent_tweets_reads_the_sandbox(
    sandbox: RunningSandboxX, client: XClient
) -> None:
    mention = sandbox.app.inject_mention(
        "1001", "hello there", author_username="pal", author_public_metrics={"followers_count": 5}
    )

    response = client._client.search_recent_tweets(
        "@brand -is:retweet",
        expansions=["author_id"],
        user_fields=["public_metrics"],
        tweet_fields=["created_at", "author_id"],
        max_results=10,
    )

    assert [tweet.id for tweet in response.data] == [int(mention["id"])]
    assert response.includes["users"][0].public_metrics["followers_count"] == 5
