"""Scripted surges: count, timing, references, authors, determinism, speed, and reading
them back through mentions (with its 800 cap) and search."""

from __future__ import annotations

import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from firebreak_local.sandbox_x import RunningSandboxX, SandboxX
from tests.functional.sandbox_x.helpers import control

T0 = 1_780_000_000.0


def _clocked() -> tuple[SandboxX, list[float], dict[str, Any]]:
    now = [T0]
    app = SandboxX(clock=lambda: now[0])
    app.register_user(username="brand", user_id="1001", access_token="tok")
    about = app.inject_post("1001", "Our new policy", source="Firebreak")
    now[0] += 3600  # the post is an hour old when the pile-on is injected
    return app, now, about


def test_surge_count_timing_and_references() -> None:
    app, now, about = _clocked()

    result = app.inject_surge("1001", about=about["id"], count=600, over_s=900, seed=3)

    posts = [p for p in app.posts() if p["id"] != about["id"]]
    assert result["count"] == len(posts) == 600
    assert [p["id"] for p in posts] == result["ids"]
    assert (result["first_id"], result["last_id"]) == (posts[0]["id"], posts[-1]["id"])
    assert all(int(p["id"]) > int(about["id"]) for p in posts)
    times = [datetime.fromisoformat(p["created_at"]) for p in posts]
    end = datetime.fromtimestamp(now[0], tz=UTC)
    assert times == sorted(times)
    assert end - timedelta(seconds=900) <= times[0] and times[-1] <= end
    # Denser towards now: more in the last third than in the first.
    thirds = Counter(int((t - times[0]) / (end - times[0]) * 3) for t in times)
    assert thirds[2] > thirds[0]

    kinds = Counter(tuple(r["type"] for r in p["referenced_tweets"]) for p in posts)
    assert set(kinds) == {("replied_to",), ("quoted",), ()}
    assert kinds[("replied_to",)] > kinds[("quoted",)] > kinds[()]
    for post in posts:
        assert "@brand" in post["text"]
        assert post["origin"] == "injected" and post["author_id"] != "1001"
        refs = post["referenced_tweets"]
        if refs and refs[0]["type"] == "replied_to":
            assert post["conversation_id"] == about["id"]
            assert post["in_reply_to_user_id"] is not None
        else:
            assert post["conversation_id"] == post["id"]
            assert post["in_reply_to_user_id"] is None
    to_replies = [
        p
        for p in posts
        if p["referenced_tweets"][:1]
        and p["referenced_tweets"][0]["type"] == "replied_to"
        and p["referenced_tweets"][0]["id"] != about["id"]
    ]
    assert to_replies and all(p["in_reply_to_user_id"] != "1001" for p in to_replies)
    metrics = app.post(about["id"])["public_metrics"]
    assert metrics["reply_count"] + len(to_replies) == kinds[("replied_to",)]
    assert metrics["quote_count"] == kinds[("quoted",)]


def test_surge_authors_languages_and_tone() -> None:
    app, _, about = _clocked()

    result = app.inject_surge(
        "1001",
        about=about["id"],
        count=3000,
        over_s=600,
        negative_share=0.8,
        lang_mix={"en": 0.7, "de": 0.3},
        seed=11,
    )

    posts = [p for p in app.posts() if p["id"] != about["id"]]
    authors = {u["id"]: u for u in app.users() if u["id"] != "1001"}
    followers = sorted(u["public_metrics"]["followers_count"] for u in authors.values())
    assert len(authors) == result["authors"] > 0.75 * 3000
    assert len({p["author_id"] for p in posts}) == len(authors)
    assert 50 <= statistics.median(followers) <= 1000
    assert sum(f >= 100_000 for f in followers) >= 5
    assert followers[-1] > 100 * statistics.median(followers)
    share_de = sum(p["lang"] == "de" for p in posts) / len(posts)
    assert 0.25 <= share_de <= 0.35
    assert all(len(p["text"]) <= 280 for p in posts)
    assert len({p["text"] for p in posts}) > 300
    negative = ("never", "broken", "refund", "idiot", "garbage", "Frechheit", "kaputt", "Mist")
    positive = ("love", "thank", "great", "danke", "super", "Fan")
    neg = sum(any(w in p["text"] for w in negative) for p in posts)
    pos = sum(any(w in p["text"] for w in positive) for p in posts)
    assert neg > pos


def test_surge_is_deterministic_for_a_seed() -> None:
    def run(seed: int) -> list[tuple[Any, ...]]:
        app, _, about = _clocked()
        app.inject_surge("1001", about=about["id"], count=300, seed=seed, negative_share=0.4)
        return [
            (
                p["author_username"],
                p["text"],
                p["created_at"],
                p["lang"],
                str(p["referenced_tweets"]),
            )
            for p in app.posts()
        ]

    assert run(42) == run(42)
    assert run(42) != run(43)


def test_surge_without_about_is_plain_mentions() -> None:
    app, _, _ = _clocked()

    app.inject_surge("1001", count=50, over_s=60, seed=1)

    surge = [p for p in app.posts() if p["author_id"] != "1001"]
    assert len(surge) == 50
    assert all(p["referenced_tweets"] == [] and p["text"].startswith("@brand ") for p in surge)


def test_five_thousand_mentions_inject_in_under_two_seconds() -> None:
    app, _, about = _clocked()

    started = time.perf_counter()
    app.inject_surge("1001", about=about["id"], count=5000, over_s=1800, seed=5)
    elapsed = time.perf_counter() - started

    assert len(app.posts()) == 5001
    assert elapsed < 2.0, elapsed


def test_surge_control_endpoint(sandbox: RunningSandboxX, brand: dict[str, Any]) -> None:
    about = sandbox.app.inject_post(
        "1001", "Announcement", created_at=datetime.now(UTC) - timedelta(hours=1)
    )
    body = {
        "user_id": "1001",
        "about": about["id"],
        "count": 40,
        "over_s": 300,
        "negative_share": 0.5,
        "lang_mix": {"en": 0.5, "de": 0.5},
        "seed": 9,
    }

    created = control(sandbox, "POST", "/surge", json=body)

    assert created.status_code == 201
    surge = created.json()["surge"]
    assert surge["count"] == 40 and len(surge["ids"]) == 40
    assert surge["about"] == about["id"]
    for bad in (
        {"lang_mix": {"fr": 1.0}},
        {"negative_share": 1.5},
        {"count": 0},
        {"seed": "x"},
        {"colour": "red"},
    ):
        assert control(sandbox, "POST", "/surge", json={**body, **bad}).status_code == 400
    assert control(sandbox, "POST", "/surge", json={**body, "user_id": "9"}).status_code == 404
    assert control(sandbox, "POST", "/surge", json={**body, "about": "123"}).status_code == 404


def test_mentions_return_the_newest_800_of_a_surge(sandbox: RunningSandboxX, http: Any) -> None:
    about = sandbox.app.inject_post(
        "1001", "Announcement", created_at=datetime.now(UTC) - timedelta(hours=1)
    )
    surge = sandbox.app.inject_surge("1001", about=about["id"], count=1000, over_s=1800, seed=2)

    seen: list[str] = []
    params: dict[str, Any] = {
        "max_results": 100,
        "expansions": "author_id",
        "user.fields": "public_metrics",
        "tweet.fields": "created_at,referenced_tweets,conversation_id",
    }
    while True:
        body = http("GET", "/2/users/1001/mentions", params=params).json()
        seen += [post["id"] for post in body["data"]]
        for user in body["includes"]["users"]:
            assert set(user["public_metrics"]) >= {
                "followers_count",
                "following_count",
                "tweet_count",
                "listed_count",
            }
        if "next_token" not in body["meta"]:
            break
        params["pagination_token"] = body["meta"]["next_token"]

    assert seen == list(reversed(surge["ids"]))[:800]
    newest = http(
        "GET", "/2/tweets/search/recent", params={"query": "@brand -is:retweet", "max_results": 100}
    ).json()
    assert [p["id"] for p in newest["data"]] == list(reversed(surge["ids"]))[:100]


@pytest.mark.parametrize("count", [1, 7])
def test_tiny_surges(count: int) -> None:
    app, _, about = _clocked()
    result = app.inject_surge("1001", about=about["id"], count=count, over_s=0, seed=0)
    assert len(result["ids"]) == count
    assert result["started_at"] == result["ended_at"]
