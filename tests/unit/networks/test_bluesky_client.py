"""Pure parts of the Bluesky adapter: credentials, error mapping, at:// addresses and
the conversion of post views and notifications, and its lazy import of atproto."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from atproto_client import exceptions
from atproto_client.models.common import XrpcError
from atproto_client.request import Response

from chalicelib.networks.bluesky import (
    BlueskyClient,
    BlueskyCredentials,
    BlueskyCredentialsError,
    MemorySessionStore,
    map_bluesky_error,
)
from chalicelib.networks.bluesky_posts import (
    AtUri,
    datetime_text,
    micros_of,
    micros_to_iso,
    notification_to_post,
    reference_keys,
    view_to_post,
)
from chalicelib.networks.bluesky_text import tid_to_id
from chalicelib.networks.social import (
    NetworkUnavailable,
    PostNotFound,
    PostRejected,
    RateLimited,
    SocialNetworkError,
)

REPO = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
PASSWORD = "abcd-efgh-ijkl-mnop"
JWT = "eyJ0eXAiOiJhdCtqd3QifQ.eyJzdWIiOiJkaWQ6cGxjOngifQ.c2lnbmF0dXJl"
OURS = "did:plc:ours"
THEIRS = "did:plc:theirs"


# ------------------------------------------------------------------ credentials


def test_credentials_from_json_with_aliases() -> None:
    credentials = BlueskyCredentials.from_json(
        json.dumps(
            {
                "handle": "@Brand.bsky.social",
                "password": PASSWORD,
                "pds_url": "https://pds.example/",
            }
        )
    )

    assert credentials.handle == "Brand.bsky.social"
    assert credentials.app_password == PASSWORD
    assert credentials.service_url == "https://pds.example"
    assert credentials.secret_values() == (PASSWORD,)


def test_credentials_default_to_bsky_social() -> None:
    credentials = BlueskyCredentials.from_json({"handle": "b.bsky.social", "app_password": "x"})
    assert credentials.service_url == "https://bsky.social"


def test_credentials_name_every_missing_field() -> None:
    with pytest.raises(BlueskyCredentialsError, match="missing: handle, app_password"):
        BlueskyCredentials.from_json({"service_url": "https://bsky.social"})


def test_credentials_name_wrong_fields_without_echoing_them() -> None:
    with pytest.raises(BlueskyCredentialsError, match="app_password") as excinfo:
        BlueskyCredentials.from_json({"handle": "b.bsky.social", "app_password": 123456})
    assert "123456" not in str(excinfo.value)
    with pytest.raises(BlueskyCredentialsError, match="app_password twice"):
        BlueskyCredentials.from_json({"handle": "h", "app_password": "a", "password": "b"})


@pytest.mark.parametrize("document", [f'{{"app_password": "{PASSWORD}",', "[1]", 7])
def test_credentials_reject_malformed_documents_without_leaking(document: Any) -> None:
    with pytest.raises(BlueskyCredentialsError) as excinfo:
        BlueskyCredentials.from_json(document)
    assert PASSWORD not in str(excinfo.value)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://bsky.social", True),
        ("http://127.0.0.1:8767", True),
        ("http://localhost:8767/", True),
        ("http://bsky.social", False),
        ("ftp://bsky.social", False),
        ("bsky.social", False),
    ],
)
def test_service_url_must_be_https_except_on_loopback(url: str, ok: bool) -> None:
    document = {"handle": "b.bsky.social", "app_password": PASSWORD, "service_url": url}
    if ok:
        assert BlueskyCredentials.from_json(document).service_url == url.rstrip("/")
    else:
        with pytest.raises(BlueskyCredentialsError, match="service_url"):
            BlueskyCredentials.from_json(document)


def test_credentials_repr_masks_every_value_and_is_frozen() -> None:
    credentials = BlueskyCredentials("brand.bsky.social", PASSWORD)

    for text in (repr(credentials), str(credentials), repr([credentials])):
        assert "BlueskyCredentials(" in text and PASSWORD not in text
    with pytest.raises(AttributeError):
        credentials.app_password = "other"  # type: ignore[misc]


def test_memory_session_store_keeps_the_last_session() -> None:
    store = MemorySessionStore()
    assert store.load() is None
    store.save("a")
    store.save("b")
    assert (store.load(), store.saves) == ("b", 2)


def test_client_arguments_are_checked() -> None:
    credentials = BlueskyCredentials("b.bsky.social", PASSWORD)
    bad_arguments: list[dict[str, Any]] = [
        {"page_size": 0},
        {"page_size": 101},
        {"max_pages": 0},
        {"timeout_s": 0},
    ]
    for bad in bad_arguments:
        with pytest.raises(ValueError):
            BlueskyClient(credentials, **bad)
    assert PASSWORD not in repr(BlueskyClient(credentials))


# ---------------------------------------------------------------- error mapping


def failed(
    status: int, error: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    content = XrpcError(error=error, message=f"{error} happened") if error else None
    return Response(success=False, status_code=status, content=content, headers=headers or {})


def test_429_maps_to_rate_limited_at_the_reset_header() -> None:
    reset = int((NOW + timedelta(minutes=3)).timestamp())
    exc = exceptions.RateLimitExceededError(
        failed(429, "RateLimitExceeded", {"ratelimit-reset": str(reset)})
    )

    mapped = map_bluesky_error(exc, "publish", now=NOW)

    assert isinstance(mapped, RateLimited)
    assert mapped.reset_at == NOW + timedelta(minutes=3)


@pytest.mark.parametrize("headers", [{}, {"ratelimit-reset": "soon"}])
def test_429_without_a_usable_reset_waits_five_minutes(headers: dict[str, str]) -> None:
    exc = exceptions.RateLimitExceededError(failed(429, "RateLimitExceeded", headers))

    mapped = map_bluesky_error(exc, "timeline", now=NOW)

    assert isinstance(mapped, RateLimited) and mapped.reset_at == NOW + timedelta(minutes=5)


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (exceptions.RequestException(failed(500, "InternalServerError")), NetworkUnavailable),
        (exceptions.NetworkError(failed(502, "UpstreamFailure")), NetworkUnavailable),
        (exceptions.RequestException(failed(503)), NetworkUnavailable),
        (exceptions.InvokeTimeoutError(), NetworkUnavailable),
        (exceptions.NetworkError(), NetworkUnavailable),
        (httpx.RemoteProtocolError("peer closed connection"), NetworkUnavailable),
        (httpx.ConnectTimeout("timed out"), NetworkUnavailable),
        (exceptions.ModelError("Can't properly parse response model"), NetworkUnavailable),
        (exceptions.BadRequestError(failed(400, "RecordNotFound")), PostNotFound),
        (exceptions.BadRequestError(failed(400, "NotFound")), PostNotFound),
        (exceptions.RequestException(failed(404)), PostNotFound),
        (exceptions.BadRequestError(failed(400, "InvalidRequest")), PostRejected),
        (exceptions.BadRequestError(failed(400, "ExpiredToken")), PostRejected),
        (exceptions.UnauthorizedError(failed(401, "AuthenticationRequired")), PostRejected),
        (exceptions.UnauthorizedError(failed(403, "Forbidden")), PostRejected),
        (exceptions.NetworkError(failed(409, "Conflict")), PostRejected),
        (exceptions.NetworkError(failed(413, "PayloadTooLarge")), PostRejected),
        (exceptions.LoginRequiredError(), PostRejected),
        (exceptions.AtProtocolError("something else"), SocialNetworkError),
    ],
)
def test_errors_map_to_the_domains(exc: BaseException, kind: type) -> None:
    mapped = map_bluesky_error(exc, "publish", now=NOW)

    assert type(mapped) is kind
    assert str(mapped).startswith("Bluesky publish failed: ") or kind is RateLimited


def test_messages_are_one_line_without_passwords_or_tokens() -> None:
    response = Response(
        success=False,
        status_code=400,
        content=XrpcError(error="InvalidRequest", message=f"bad\n{PASSWORD} and {JWT}"),
        headers={},
    )

    mapped = map_bluesky_error(
        exceptions.BadRequestError(response), "login", now=NOW, secrets=[PASSWORD]
    )

    message = str(mapped)
    assert "\n" not in message and PASSWORD not in message and JWT not in message
    assert message == "Bluesky login failed: 400 InvalidRequest: bad *** and ***"


# ---------------------------------------------------------------- posts


def uri(did: str, rkey: str) -> str:
    return f"at://{did}/app.bsky.feed.post/{rkey}"


def test_at_uris_parse_and_name_their_post_id() -> None:
    parsed = AtUri.parse(uri(OURS, "3jzfcijpj2z2a"))

    assert (parsed.repo, parsed.collection, parsed.rkey) == (
        OURS,
        "app.bsky.feed.post",
        "3jzfcijpj2z2a",
    )
    assert parsed.post_id == "1728652679052295174"
    assert str(parsed) == uri(OURS, "3jzfcijpj2z2a")
    assert AtUri.parse(f"at://{OURS}/app.bsky.feed.like/3jzfcijpj2z2a").post_id is None
    for bad in ("https://bsky.app/x", f"at://{OURS}", f"at://{OURS}/app.bsky.feed.post/"):
        with pytest.raises(ValueError):
            AtUri.parse(bad)


def test_times_convert_to_microseconds_and_back() -> None:
    assert micros_of("2026-12-01T06:00:00.123Z") == 1_796_104_800_123_000
    assert micros_of("2026-12-01T07:00:00.123456+01:00") == 1_796_104_800_123_456
    assert micros_of("yesterday") is None
    assert micros_to_iso(1_796_104_800_123_456) == "2026-12-01T06:00:00.123456Z"
    assert datetime_text(NOW + timedelta(microseconds=1500)) == "2026-12-01T06:00:00.001Z"


def test_reference_keys_of_a_reply_in_our_thread_that_quotes() -> None:
    record = {
        "text": "+1",
        "reply": {
            "root": {"uri": uri(OURS, "3jzfcijpj2z2a"), "cid": "bafyrei1"},
            "parent": {"uri": uri(THEIRS, "3jzfcijpj2z2b"), "cid": "bafyrei2"},
        },
        "embed": {
            "$type": "app.bsky.embed.recordWithMedia",
            "record": {"record": {"uri": uri(OURS, "3jzfcijpj2z2c"), "cid": "bafyrei3"}},
            "media": {},
        },
    }

    keys = reference_keys(AtUri.parse(uri(THEIRS, "3jzfcijpj2z2d")), record, OURS)

    parent, quoted, root = (
        tid_to_id(k) for k in ("3jzfcijpj2z2b", "3jzfcijpj2z2c", "3jzfcijpj2z2a")
    )

    assert keys == {
        "referenced_tweets": [
            {"type": "replied_to", "id": parent},
            {"type": "quoted", "id": quoted},
        ],
        "referenced_authors": {parent: THEIRS, quoted: OURS},
        "in_reply_to_user_id": THEIRS,
        "conversation_id": root,
    }


def test_a_plain_post_of_ours_is_its_own_conversation_and_theirs_has_none() -> None:
    ours = reference_keys(AtUri.parse(uri(OURS, "3jzfcijpj2z2a")), {"text": "hi"}, OURS)
    theirs = reference_keys(AtUri.parse(uri(THEIRS, "3jzfcijpj2z2a")), {"text": "hi"}, OURS)

    assert ours == {"referenced_authors": {}, "conversation_id": "1728652679052295174"}
    assert theirs == {"referenced_authors": {}}


def test_view_to_post_keeps_the_view_and_adds_the_keys() -> None:
    view = {
        "$type": "app.bsky.feed.defs#postView",
        "uri": uri(THEIRS, "3jzfcijpj2z2a"),
        "cid": "bafyreiabc",
        "author": {"did": THEIRS, "handle": "alice.bsky.social"},
        "record": {"text": "Hallo 👋", "createdAt": "2026-12-01T06:00:00.000Z"},
        "likeCount": 3,
        "repostCount": 1,
        "replyCount": 0,
        "quoteCount": 2,
        "indexedAt": "2026-12-01T06:00:01.000Z",
    }

    post = view_to_post(view, OURS)

    assert post.id == "1728652679052295174" and post.ref == view["uri"]
    assert (post.text, post.author_id, post.source_app) == ("Hallo 👋", THEIRS, None)
    assert post.created_at == NOW
    assert post.url == "https://bsky.app/profile/alice.bsky.social/post/3jzfcijpj2z2a"
    assert post.public_metrics == {
        "like_count": 3,
        "repost_count": 1,
        "reply_count": 0,
        "quote_count": 2,
    }
    assert post.raw["cid"] == "bafyreiabc" and post.raw["uri"] == view["uri"]
    json.dumps(post.raw)


def test_a_notification_becomes_a_post_without_metrics() -> None:
    notification = {
        "uri": uri(THEIRS, "3jzfcijpj2z2a"),
        "cid": "bafyreiabc",
        "author": {"did": THEIRS, "handle": "alice.bsky.social"},
        "reason": "mention",
        "record": {"text": "@brand.bsky.social hi", "createdAt": "not a date"},
        "indexedAt": "2026-12-01T06:00:01.000Z",
        "isRead": False,
    }

    post = notification_to_post(notification, OURS)

    assert post.public_metrics == {} and post.created_at is None
    assert post.raw["reason"] == "mention"
    with pytest.raises(ValueError, match="TID"):
        notification_to_post({**notification, "uri": uri(THEIRS, "self")}, OURS)


# ---------------------------------------------------------------- cold start


def test_importing_the_adapter_leaves_atproto_unimported() -> None:
    code = (
        "import sys, chalicelib.networks.bluesky, chalicelib.networks.bluesky_mentions; "
        "from chalicelib.networks.bluesky import BlueskyClient, BlueskyCredentials; "
        "BlueskyClient(BlueskyCredentials('b.bsky.social', 'pw')); "
        "assert not any(m.startswith('atproto') for m in sys.modules), 'atproto imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
