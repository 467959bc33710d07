"""Pure parts of the X adapter: credentials, error mapping, post conversion, transport."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import tweepy

from chalicelib.networks.social import (
    NetworkUnavailable,
    PostNotFound,
    PostRejected,
    RateLimited,
    SocialNetworkError,
)
from chalicelib.networks.x import (
    DEFAULT_TIMEOUT_S,
    XClient,
    XCredentials,
    XCredentialsError,
    map_x_error,
    post_url,
    to_remote_post,
)

REPO = Path(__file__).resolve().parents[3]
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
SECRETS = {
    "consumer_key": "ck-visible-nowhere",
    "consumer_secret": "cs-very-secret",
    "access_token": "1001-at-secret",
    "access_token_secret": "ats-very-secret",
    "bearer_token": "AAAA-bearer-secret",
}


def http_response(status: int, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    response = requests.Response()
    response.status_code = status
    response.reason = {429: "Too Many Requests", 404: "Not Found"}.get(status, "Status")
    response.headers.update(headers or {})
    response._content = json.dumps(body if body is not None else {}).encode()
    return response


# ------------------------------------------------------------------ credentials


def test_credentials_from_json_reads_all_fields() -> None:
    credentials = XCredentials.from_json(SECRETS)

    assert credentials.consumer_key == "ck-visible-nowhere"
    assert credentials.access_token_secret == "ats-very-secret"
    assert credentials.bearer_token == "AAAA-bearer-secret"


def test_credentials_from_json_text_and_portal_aliases() -> None:
    document = {
        "api_key": "k",
        "api_key_secret": "s",
        "access_token": "t",
        "access_token_secret": "ts",
    }

    credentials = XCredentials.from_json(json.dumps(document))

    assert (credentials.consumer_key, credentials.consumer_secret) == ("k", "s")
    assert credentials.bearer_token is None


def test_credentials_name_every_missing_field() -> None:
    with pytest.raises(XCredentialsError) as excinfo:
        XCredentials.from_json({"consumer_key": "k", "access_token": ""})

    message = str(excinfo.value)
    for name in ("consumer_secret", "access_token", "access_token_secret"):
        assert name in message
    assert "consumer_key," not in message


def test_credentials_reject_non_string_values_without_echoing_them() -> None:
    with pytest.raises(XCredentialsError, match="access_token_secret") as excinfo:
        XCredentials.from_json({**SECRETS, "access_token_secret": 12345})
    assert "12345" not in str(excinfo.value)


@pytest.mark.parametrize("document", ['{"consumer_key": "ck-visible-nowhere",', "[1, 2]", 7])
def test_credentials_reject_malformed_documents_without_leaking(document: Any) -> None:
    with pytest.raises(XCredentialsError) as excinfo:
        XCredentials.from_json(document)
    assert "visible-nowhere" not in str(excinfo.value)


def test_credentials_repr_and_str_mask_every_secret() -> None:
    credentials = XCredentials.from_json(SECRETS)

    for text in (repr(credentials), str(credentials), f"{credentials}", repr([credentials])):
        assert "XCredentials(" in text
        for secret in SECRETS.values():
            assert secret not in text
    assert "bearer_token=None" in repr(XCredentials("a", "b", "c", "d"))


def test_credentials_are_frozen() -> None:
    credentials = XCredentials.from_json(SECRETS)
    with pytest.raises(AttributeError):
        credentials.access_token = "other"  # type: ignore[misc]


# ---------------------------------------------------------------- error mapping


def test_429_maps_to_rate_limited_with_the_header_reset() -> None:
    reset = int((NOW + timedelta(minutes=7)).timestamp())
    exc = tweepy.TooManyRequests(
        http_response(429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": str(reset)}),
        reset_time=reset,
    )

    mapped = map_x_error(exc, "timeline", now=NOW)

    assert isinstance(mapped, RateLimited)
    assert mapped.reset_at == NOW + timedelta(minutes=7)


@pytest.mark.parametrize("header", [None, "soon"])
def test_429_without_a_usable_reset_waits_fifteen_minutes(header: str | None) -> None:
    headers = {"x-rate-limit-reset": header} if header else {}
    exc = tweepy.TooManyRequests(http_response(429, {}, headers))

    mapped = map_x_error(exc, "publish", now=NOW)

    assert isinstance(mapped, RateLimited)
    assert mapped.reset_at == NOW + timedelta(minutes=15)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (tweepy.TwitterServerError(http_response(503, {"detail": "down"})), NetworkUnavailable),
        (tweepy.TwitterServerError(http_response(500)), NetworkUnavailable),
        (tweepy.NotFound(http_response(404, {"detail": "gone"})), PostNotFound),
        (tweepy.BadRequest(http_response(400)), PostRejected),
        (tweepy.Unauthorized(http_response(401)), PostRejected),
        (tweepy.Forbidden(http_response(403, {"detail": "duplicate content"})), PostRejected),
        (tweepy.HTTPException(http_response(409)), PostRejected),
        (requests.ReadTimeout("read timed out"), NetworkUnavailable),
        (requests.ConnectTimeout("connect timed out"), NetworkUnavailable),
        (requests.ConnectionError("refused"), NetworkUnavailable),
        (requests.exceptions.ChunkedEncodingError("cut"), NetworkUnavailable),
        (requests.JSONDecodeError("Expecting value", "<html>", 0), NetworkUnavailable),
        (requests.TooManyRedirects("loop"), SocialNetworkError),
        (tweepy.TweepyException("odd"), SocialNetworkError),
    ],
)
def test_error_mapping(exc: BaseException, expected: type[SocialNetworkError]) -> None:
    mapped = map_x_error(exc, "publish", now=NOW)

    assert type(mapped) is expected
    if expected is not RateLimited:
        assert str(mapped).startswith("X publish failed: ")
        assert "\n" not in str(mapped)


def test_error_messages_mask_credentials() -> None:
    leaky = tweepy.Forbidden(
        http_response(403, {"detail": "token 1001-at-secret is not allowed (ck-visible-nowhere)"})
    )

    mapped = map_x_error(leaky, "delete", now=NOW, secrets=tuple(SECRETS.values()))

    assert "1001-at-secret" not in str(mapped) and "ck-visible-nowhere" not in str(mapped)
    assert "token *** is not allowed (***)" in str(mapped)


# ------------------------------------------------------------- post conversion


def test_to_remote_post_converts_an_x_post_object() -> None:
    raw = {
        "id": "1790000000000000001",
        "text": "hello",
        "author_id": "42",
        "created_at": "2024-05-01T10:00:00.000Z",
        "source": "Twitter for iPhone",
        "public_metrics": {"like_count": 3, "retweet_count": 1, "flag": True, "odd": "x"},
        "edit_history_tweet_ids": ["1790000000000000001"],
    }

    post = to_remote_post(raw, usernames={"42": "brand"})

    assert post.id == "1790000000000000001" and post.author_id == "42"
    assert post.created_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert post.source_app == "Twitter for iPhone"
    assert post.url == "https://x.com/brand/status/1790000000000000001"
    assert post.public_metrics == {"like_count": 3, "retweet_count": 1}
    assert post.raw == raw and post.raw is not raw


def test_to_remote_post_tolerates_missing_optional_fields() -> None:
    post = to_remote_post({"id": "5", "text": "t"}, default_author_id="9")

    assert post.author_id == "9"
    assert post.created_at is None and post.source_app is None
    assert post.public_metrics == {}
    assert post.url == post_url(None, "5") == "https://x.com/i/status/5"


# ---------------------------------------------------------------- the client


def test_importing_the_adapter_does_not_import_tweepy_or_requests() -> None:
    code = (
        "import sys, chalicelib.networks.x; "
        "print(sorted(m for m in ('tweepy', 'requests') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_client_never_waits_on_rate_limits() -> None:
    client = XClient(XCredentials.from_json(SECRETS))

    assert client._client.wait_on_rate_limit is False
    assert not any(secret in repr(client) for secret in SECRETS.values())


@pytest.mark.parametrize("kwargs", [{"page_size": 4}, {"page_size": 101}, {"max_pages": 0}])
def test_client_rejects_impossible_paging(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        XClient(XCredentials.from_json(SECRETS), **kwargs)


class _Sent:
    """Stands in for the network: records what the transport would have sent."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> _Sent:
    recorder = _Sent()

    def fake_send(adapter: Any, request: Any, **kwargs: Any) -> Any:
        recorder.calls.append({"url": request.url, **kwargs})
        response = http_response(200, {"data": {"id": "1", "username": "brand", "name": "Brand"}})
        response.request = request
        return response

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", fake_send)
    return recorder


def test_transport_rewrites_x_host_to_the_sandbox_with_the_timeout(sent: _Sent) -> None:
    client = XClient(
        XCredentials.from_json(SECRETS), api_base_url="http://127.0.0.1:9999/", timeout_s=2.5
    )

    client.session.get("https://api.twitter.com/2/users/me?user.fields=id")
    client.session.get("https://api.x.com/2/tweets/1", timeout=7)

    assert sent.calls[0]["url"] == "http://127.0.0.1:9999/2/users/me?user.fields=id"
    assert sent.calls[0]["timeout"] == 2.5
    assert sent.calls[0]["proxies"] is None
    assert sent.calls[1]["url"] == "http://127.0.0.1:9999/2/tweets/1"
    assert sent.calls[1]["timeout"] == 7


def test_transport_keeps_x_host_but_adds_the_timeout_without_a_base_url(sent: _Sent) -> None:
    client = XClient(XCredentials.from_json(SECRETS))

    client.session.get("https://api.twitter.com/2/users/me")

    assert sent.calls[0]["url"] == "https://api.twitter.com/2/users/me"
    assert sent.calls[0]["timeout"] == DEFAULT_TIMEOUT_S


def test_account_is_asked_for_once(sent: _Sent) -> None:
    client = XClient(XCredentials.from_json(SECRETS), api_base_url="http://127.0.0.1:9")

    first = client.account()
    second = client.account()

    assert (first.id, first.username) == ("1", "brand")
    assert second is first
    assert len(sent.calls) == 1
