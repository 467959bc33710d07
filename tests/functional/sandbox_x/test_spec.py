"""The spec validator is not vacuous: it rejects what breaks the spec."""

from __future__ import annotations

import pytest

from firebreak_local.sandbox_x import spec


def test_validator_rejects_bodies_that_break_the_spec() -> None:
    ok_metrics = {
        "repost_count": 0,
        "reply_count": 0,
        "like_count": 0,
        "quote_count": 0,
        "bookmark_count": 0,
        "impression_count": 0,
    }
    spec.validate_response(
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
        with pytest.raises(spec.XSpecViolation):
            spec.validate_response(method, path, status, body)


def test_validator_resolves_paths_and_media_types() -> None:
    assert spec.path_template("DELETE", "/2/tweets/123") == "/2/tweets/{id}"
    assert spec.path_template("GET", "/2/tweets/search/recent") == "/2/tweets/search/recent"
    assert spec.path_template("GET", "/2/users/9/mentions?x=1") == "/2/users/{id}/mentions"
    # This spec version calls the field selector post.fields (the live API: tweet.fields).
    assert "source" in spec.parameter_enum("GET", "/2/tweets/{id}", "post.fields")
    with pytest.raises(spec.XSpecViolation, match="no operation"):
        spec.path_template("PUT", "/2/tweets/1")
    with pytest.raises(spec.XSpecViolation, match="text/html"):
        spec.validate_response("GET", "/2/users/me", 200, {}, content_type="text/html")
    problem = {
        "type": "https://api.x.com/2/problems/resource-not-found",
        "title": "Not Found Error",
        "detail": "gone",
        "resource_type": "tweet",
    }
    spec.validate_response(
        "GET", "/2/users/me", 404, problem, content_type="application/problem+json"
    )
