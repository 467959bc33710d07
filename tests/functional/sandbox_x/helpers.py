"""Constants and helpers shared by the sandbox X tests (the fixtures are in ``conftest``)."""

from __future__ import annotations

import urllib.parse
from typing import Any

import requests

from chalicelib.networks.x import XClient, XCredentials
from firebreak_local.sandbox_x import RunningSandboxX, spec

BRAND_TOKEN = "1001-brand-access-token"
BRAND_SECRET = "brand-access-token-secret"
BRAND_BEARER = "AAAA-brand-app-bearer"
CONSUMER_KEY = "firebreak-consumer-key"
CONSUMER_SECRET = "firebreak-consumer-secret"
ALL_SECRETS = (BRAND_TOKEN, BRAND_SECRET, BRAND_BEARER, CONSUMER_KEY, CONSUMER_SECRET)

# Post fields the live API sends that this spec version spells differently.
X_ONLY_POST_FIELDS = {"edit_history_tweet_ids", "referenced_tweets"}


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


def assert_matches_spec(response: requests.Response) -> None:
    method = response.request.method or "GET"
    path = urllib.parse.urlsplit(response.url).path
    body = response.json()
    content_type = response.headers["content-type"]
    spec.validate_response(method, path, response.status_code, body, content_type=content_type)
    # The spec's Post and envelopes allow any property; hold posts and problems
    # to the names the spec declares (plus the live API's own spellings).
    allowed = spec.component_properties("Post") | X_ONLY_POST_FIELDS
    data = body.get("data")
    posts = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    if path.startswith("/2/users/me"):
        posts = []
    for post in posts:
        if "deleted" in post:
            continue
        assert set(post) <= allowed, set(post) - allowed
        if "referenced_tweets" in post:
            spec.validate_component("PostReferencedPosts", post["referenced_tweets"])
        if "public_metrics" in post:
            spec.validate_component("PostPublicMetrics", post["public_metrics"])
    for problem in body.get("errors", []):
        spec.validate_component("Problem", problem)
    if 200 <= response.status_code < 300 or response.status_code == 429:
        for header in ("x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"):
            assert response.headers[header].isdigit(), header


def control(sandbox: RunningSandboxX, method: str, path: str, **kwargs: Any) -> requests.Response:
    return requests.request(method, f"{sandbox.url}/_sandbox{path}", timeout=5, **kwargs)
