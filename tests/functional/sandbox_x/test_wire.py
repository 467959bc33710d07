"""The wire format of errors: invalid parameters are X invalid-request problems."""

from __future__ import annotations

from typing import Any


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
