"""Users and authentication: /2/users/me, user-context and app-only tokens."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from chalicelib.networks.social import PostRejected
from firebreak_local.sandbox_x import RunningSandboxX, spec
from tests.functional.sandbox_x.helpers import ALL_SECRETS, control, make_client


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


def test_users_me_shape(http: Any) -> None:
    response = http("GET", "/2/users/me?user.fields=created_at,public_metrics,verified")

    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["id"], data["username"], data["name"]) == ("1001", "brand", "Brand")
    assert data["public_metrics"]["tweet_count"] == 0
    spec.validate_component("User", data)


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


def test_public_metrics_are_set_at_registration_and_shown_for_authors(
    sandbox: RunningSandboxX, http: Any
) -> None:
    created = control(
        sandbox,
        "POST",
        "/users",
        json={
            "username": "critic",
            "public_metrics": {
                "followers_count": 120_000,
                "following_count": 80,
                "tweet_count": 5000,
                "listed_count": 310,
            },
        },
    )
    assert created.status_code == 201
    assert created.json()["user"]["public_metrics"]["followers_count"] == 120_000
    critic = created.json()["user"]["id"]
    sandbox.app.inject_mention("1001", "hmm", author_id=critic)
    sandbox.app.inject_mention(
        "1001", "me too", author_username="newbie", author_public_metrics={"followers_count": 3}
    )

    body = http(
        "GET",
        "/2/users/1001/mentions",
        params={"expansions": "author_id", "user.fields": "public_metrics"},
    ).json()
    without = http("GET", "/2/users/1001/mentions", params={"expansions": "author_id"}).json()

    metrics = {u["username"]: u["public_metrics"] for u in body["includes"]["users"]}
    assert metrics["critic"]["followers_count"] == 120_000
    assert metrics["critic"]["following_count"] == 80
    assert metrics["critic"]["tweet_count"] == 5001  # as registered, plus its sandbox post
    assert metrics["critic"]["listed_count"] == 310
    assert metrics["newbie"]["followers_count"] == 3
    for user in body["includes"]["users"]:
        spec.validate_component("User", user)
    assert all("public_metrics" not in u for u in without["includes"]["users"])


@pytest.mark.parametrize(
    "metrics", [{"followers_count": -1}, {"likes": 3}, {"listed_count": "many"}]
)
def test_bad_public_metrics_are_refused(sandbox: RunningSandboxX, metrics: dict[str, Any]) -> None:
    sandbox.app.reset()
    response = control(
        sandbox, "POST", "/users", json={"username": "odd", "public_metrics": metrics}
    )
    assert response.status_code == 400
