"""Pure parts of the Mastodon adapter: credentials, Mastodon's length rule, HTML to
text, status conversion, error mapping, paging decisions, and its lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import mastodon
import pytest

from chalicelib.networks.mastodon import (
    MastodonClient,
    MastodonCredentials,
    MastodonCredentialsError,
    map_mastodon_error,
    mastodon_length,
    parse_reset,
    status_entities,
)
from chalicelib.networks.mastodon_read import html_to_text, jsonable, to_remote_post
from chalicelib.networks.social import (
    NetworkUnavailable,
    PostNotFound,
    PostRejected,
    RateLimited,
    SocialNetworkError,
)

REPO = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
TOKEN = "tok-very-secret-4242"


# ------------------------------------------------------------------ credentials


def test_credentials_from_json_text_and_alias() -> None:
    plain = MastodonCredentials.from_json(
        {"instance_url": "https://social.example/", "access_token": TOKEN}
    )
    aliased = MastodonCredentials.from_json(
        json.dumps({"api_base_url": "https://social.example", "access_token": TOKEN})
    )

    assert plain == aliased
    assert plain.instance_url == "https://social.example"
    assert plain.secret_values() == (TOKEN,)


@pytest.mark.parametrize(
    ("document", "named"),
    [
        ({}, "instance_url, access_token"),
        ({"instance_url": "https://a.example"}, "access_token"),
        ({"access_token": TOKEN, "api_base_url": ""}, "instance_url"),
        ({"instance_url": "https://a.example", "access_token": 42}, "strings: access_token"),
    ],
)
def test_credentials_name_missing_or_wrong_fields(document: dict[str, Any], named: str) -> None:
    with pytest.raises(MastodonCredentialsError) as excinfo:
        MastodonCredentials.from_json(document)

    assert named in str(excinfo.value)


def test_credentials_errors_and_repr_never_show_the_token() -> None:
    credentials = MastodonCredentials("https://a.example", TOKEN)
    broken = '{"instance_url": "https://a.example", "access_token": "' + TOKEN + '"'

    with pytest.raises(MastodonCredentialsError) as excinfo:
        MastodonCredentials.from_json(broken)

    assert TOKEN not in str(excinfo.value)
    assert TOKEN not in repr(credentials) and TOKEN not in str(credentials)
    assert repr(credentials) == (
        "MastodonCredentials(instance_url='https://a.example', access_token=***)"
    )
    with pytest.raises(MastodonCredentialsError, match="twice"):
        MastodonCredentials.from_json(
            {
                "instance_url": "https://a.example",
                "api_base_url": "https://b.example",
                "access_token": TOKEN,
            }
        )
    with pytest.raises(MastodonCredentialsError, match="JSON object"):
        MastodonCredentials.from_json("[1, 2]")


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8766", "http://localhost:8766/", "http://[::1]:8766", "https://a.example"],
)
def test_http_is_allowed_only_on_loopback(url: str) -> None:
    assert MastodonCredentials(url, TOKEN).instance_url == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://social.example",
        "http://10.0.0.8:3000",
        "ftp://social.example",
        "social.example",
        "https://",
        "https://user:hunter2@social.example",
        "https://social.example/?token=x",
        "https://social.example:port",
    ],
)
def test_instance_url_must_be_https(url: str) -> None:
    with pytest.raises(MastodonCredentialsError, match="instance_url must be an https URL") as e:
        MastodonCredentials(url, TOKEN)

    assert "hunter2" not in str(e.value)


# ------------------------------------------------------------------ length


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("", 0),
        ("hello", 5),
        ("  padded \n\n", 6),  # stripped, as Mastodon stores it
        ("👨‍👩‍👧‍👦", 1),  # a ZWJ sequence is one grapheme
        ("👍🏽", 1),  # with a skin tone
        ("🇩🇪🇫🇷", 2),  # two flags
        ("e\u0301\u0323", 1),  # a letter with two combining marks
        ("한국어", 3),
        ("a\r\nb", 3),  # CRLF is one grapheme
        ("https://x.io", 23),
        ("https://example.com/" + "p" * 300, 23),
        ("see https://example.com/a.", 4 + 23 + 1),  # the full stop is not the URL's
        ("(https://example.com/wiki/Foo_(bar))", 1 + 23 + 1),
        ("http://example.com?q=1&r=2", 23),
        ("example.com/no-scheme", 21),  # without a scheme it is text
        ("https://localhost/x", 19),  # no top-level domain: not a URL to Mastodon
        ("@someone@mastodon.social", 8),  # a remote mention counts as @someone
        ("hi @someone", 11),
        ("mail me@example.com", 19),  # not a mention
        ("https://mastodon.social/@someone@other.example", 23),  # inside a URL
    ],
)
def test_mastodon_length(text: str, length: int) -> None:
    assert mastodon_length(text) == length


def test_mastodon_length_at_the_limit() -> None:
    body = "@fan@mastodon.social https://example.com/" + "x" * 100 + " 🇺🇦"
    fill = 500 - mastodon_length(body)
    exactly = body + "." * fill

    assert mastodon_length(exactly) == 500
    assert mastodon_length(exactly + ".") == 501
    assert mastodon_length(exactly + "\u0301") == 500  # a combining mark joins the last dot
    assert mastodon_length("https://a.example/b", url_length=30) == 30


def test_status_entities_in_order_without_overlaps() -> None:
    text = "hi @a@b.example see https://x.example/@c #Tag #2026 and @d"

    assert status_entities(text, hashtags=True) == [
        (3, 15, "mention", "a@b.example"),
        (20, 40, "url", "https://x.example/@c"),
        (41, 45, "hashtag", "Tag"),
        (56, 58, "mention", "d"),
    ]


# ------------------------------------------------------------------ HTML to text

MASTODON_HTML = (
    '<p>Hi <span class="h-card" translate="no"><a href="https://m.example/@fan" '
    'class="u-url mention">@<span>fan</span></a></span> &amp; &lt;team&gt; &#39;ok&#39;<br />'
    'read <a href="https://www.example.com/a/very/long/path/to/the/page" target="_blank" '
    'rel="nofollow noopener" translate="no"><span class="invisible">https://www.</span>'
    '<span class="ellipsis">example.com/a/very/long/path/t</span><span class="invisible">'
    'o/the/page</span></a></p><p><a href="https://m.example/tags/sale" class="mention hashtag"'
    ' rel="tag">#<span>sale</span></a></p>'
)


def test_html_to_text_reads_mastodon_content() -> None:
    assert html_to_text(MASTODON_HTML) == (
        "Hi @fan & <team> 'ok'\nread https://www.example.com/a/very/long/path/to/the/page\n\n#sale"
    )


def test_mention_links_read_as_their_acct_when_the_status_names_them() -> None:
    mentions = [{"url": "https://m.example/@fan", "acct": "fan@m.example", "id": "9"}]

    assert html_to_text(MASTODON_HTML, mentions).startswith("Hi @fan@m.example & <team>")


@pytest.mark.parametrize(
    ("content", "text"),
    [
        ("", ""),
        ("<p></p>", ""),
        ("plain text from a bot", "plain text from a bot"),
        ("<p>a</p>\n<p>b</p>", "a\n\nb"),
        ("line<br>two<br/>three", "line\ntwo\nthree"),
        ("<blockquote><p>quoted</p></blockquote><p>mine</p>", "quoted\n\nmine"),
        ("<ul><li>one</li><li>two</li></ul>", "one\n\ntwo"),
        ("<p>&quot;x&quot; &gt; y &#128512;</p>", '"x" > y 😀'),
    ],
)
def test_html_to_text_edges(content: str, text: str) -> None:
    assert html_to_text(content) == text


# ------------------------------------------------------------------ statuses

STATUS = {
    "id": "117709524172800005",
    "created_at": "2026-12-01T06:00:00.000Z",
    "in_reply_to_id": "117709524172800001",
    "in_reply_to_account_id": "109000000000000001",
    "visibility": "public",
    "url": "https://m.example/@fan/117709524172800005",
    "uri": "https://m.example/users/fan/statuses/117709524172800005",
    "replies_count": 2,
    "reblogs_count": 1,
    "favourites_count": 7,
    "content": "<p>nice one</p>",
    "reblog": None,
    "application": None,
    "account": {
        "id": "109000000000000002",
        "username": "fan",
        "acct": "fan@m.example",
        "followers_count": 87,
        "created_at": "2025-01-01T00:00:00.000Z",
    },
    "mentions": [],
}


def _cast(value: Any, kind: Any) -> Any:
    """What Mastodon.py makes of an answer (entities with datetimes and id types)."""
    from mastodon.types_base import try_cast_recurse

    return try_cast_recurse(kind, json.loads(json.dumps(value)))


def test_to_remote_post_from_a_mastodon_py_status() -> None:
    status = _cast(STATUS, mastodon.return_types.Status)
    assert isinstance(status["created_at"], datetime)

    post = to_remote_post(status)

    assert post.id == "117709524172800005" and type(post.id) is str
    assert post.text == "nice one"
    assert post.author_id == "109000000000000002"
    assert post.created_at == NOW
    assert post.source_app is None
    assert post.url == STATUS["url"]
    assert post.public_metrics == {"like_count": 7, "repost_count": 1, "reply_count": 2}
    assert post.raw["author"] == {"username": "fan@m.example", "followers": 87}
    assert post.raw["in_reply_to_user_id"] == "109000000000000001"
    assert post.raw["referenced_tweets"] == [{"type": "replied_to", "id": "117709524172800001"}]
    assert post.raw["referenced_authors"] == {"117709524172800001": "109000000000000001"}
    assert post.raw["created_at"] == "2026-12-01T06:00:00Z"
    assert json.loads(json.dumps(post.raw))["account"]["created_at"] == "2025-01-01T00:00:00Z"
    plain = to_remote_post(STATUS)  # the plain JSON gives the same post
    assert (plain.id, plain.text, plain.created_at, plain.raw["author"]) == (
        post.id,
        post.text,
        post.created_at,
        post.raw["author"],
    )


def test_to_remote_post_of_a_status_with_an_application_and_no_parent() -> None:
    status = {**STATUS, "in_reply_to_id": None, "in_reply_to_account_id": None}
    status["application"] = {"name": "Firebreak", "website": None}

    post = to_remote_post(status)

    assert post.source_app == "Firebreak"
    assert post.raw["referenced_tweets"] == [] and post.raw["referenced_authors"] == {}
    assert post.raw["in_reply_to_user_id"] is None


def test_jsonable_turns_naive_times_into_utc() -> None:
    assert jsonable({"t": datetime(2026, 1, 2, 3, 4, 5), "n": (1, None)}) == {
        "t": "2026-01-02T03:04:05Z",
        "n": [1, None],
    }


# ------------------------------------------------------------------ errors


def _api_error(kind: type[Exception], status: int, reason: str, error: str | None) -> Exception:
    return kind("Mastodon API returned error", status, reason, error)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (
            _api_error(mastodon.MastodonNotFoundError, 404, "Not Found", "Record not found"),
            PostNotFound,
        ),
        (
            _api_error(mastodon.MastodonInternalServerError, 500, "Internal", None),
            NetworkUnavailable,
        ),
        (
            _api_error(mastodon.MastodonServiceUnavailableError, 503, "Unavailable", None),
            NetworkUnavailable,
        ),
        (
            _api_error(mastodon.MastodonServerError, 507, "Insufficient Storage", None),
            NetworkUnavailable,
        ),
        (
            mastodon.MastodonNetworkError("Could not complete request: Read timed out."),
            NetworkUnavailable,
        ),
        (
            _api_error(mastodon.MastodonUnauthorizedError, 401, "Unauthorized", "invalid"),
            PostRejected,
        ),
        (
            _api_error(mastodon.MastodonAPIError, 422, "Unprocessable Entity", "Validation failed"),
            PostRejected,
        ),
        (_api_error(mastodon.MastodonAPIError, 403, "Forbidden", None), PostRejected),
        (
            mastodon.MastodonAPIError("Could not parse response as JSON", "Exception was: x"),
            NetworkUnavailable,
        ),
        (mastodon.MastodonIllegalArgumentError("Invalid visibility"), SocialNetworkError),
    ],
)
def test_error_mapping(exc: Exception, expected: type[Exception]) -> None:
    mapped = map_mastodon_error(exc, "publish", now=NOW)

    assert type(mapped) is expected


def test_error_messages_are_one_line_without_secrets() -> None:
    exc = _api_error(
        mastodon.MastodonAPIError, 422, "Unprocessable Entity", f"bad\ntoken {TOKEN} here"
    )

    message = str(map_mastodon_error(exc, "publish", now=NOW, secrets=(TOKEN,)))

    assert message == "Mastodon publish failed: 422 Unprocessable Entity: bad token *** here"


@pytest.mark.parametrize(
    ("headers", "ratelimit_reset", "reset_at"),
    [
        (
            {"X-RateLimit-Reset": "2026-12-01T06:05:00.019685Z"},
            None,
            datetime(2026, 12, 1, 6, 5, 0, 19685, tzinfo=UTC),
        ),
        ({"x-ratelimit-reset": "1796105100"}, None, NOW + timedelta(minutes=5)),
        ({"X-RateLimit-Reset": "soon"}, NOW.timestamp() + 60, NOW + timedelta(seconds=60)),
        (None, NOW.timestamp() + 90, NOW + timedelta(seconds=90)),
        (None, None, NOW + timedelta(minutes=5)),
    ],
)
def test_rate_limits_carry_the_reset(
    headers: dict[str, str] | None, ratelimit_reset: float | None, reset_at: datetime
) -> None:
    mapped = map_mastodon_error(
        mastodon.MastodonRatelimitError("Hit rate limit."),
        "mentions",
        now=NOW,
        status=429,
        headers=headers,
        ratelimit_reset=ratelimit_reset,
    )

    assert isinstance(mapped, RateLimited)
    assert mapped.reset_at == reset_at


def test_a_rate_limit_error_on_another_status_is_a_garbled_answer() -> None:
    exc = mastodon.MastodonRatelimitError("Rate limit time calculations failed: Unknown string")

    assert type(map_mastodon_error(exc, "get_post", now=NOW, status=200)) is NetworkUnavailable


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("2026-12-01T06:05:00Z", NOW + timedelta(minutes=5)),
        ("2026-12-01T07:05:00+01:00", NOW + timedelta(minutes=5)),
        ("2026-12-01T06:05:00", NOW + timedelta(minutes=5)),
        ("1796105100", NOW + timedelta(minutes=5)),
        ("", None),
        ("tomorrow", None),
        (None, None),
    ],
)
def test_parse_reset(value: Any, parsed: datetime | None) -> None:
    assert parse_reset(value) == parsed


# ------------------------------------------------------------------ client


def test_client_checks_its_settings_and_hides_the_token() -> None:
    credentials = MastodonCredentials("https://a.example", TOKEN)
    bad_settings: list[dict[str, Any]] = [
        {"page_size": 0},
        {"page_size": 41},
        {"max_pages": 0},
        {"timeout_s": 0},
    ]
    for bad in bad_settings:
        with pytest.raises(ValueError, match="must"):
            MastodonClient(credentials, **bad)
    client = MastodonClient(credentials, timeout_s=3.5)

    assert TOKEN not in repr(client)
    assert client.api.request_timeout == 3.5
    assert client.api.ratelimit_method == "throw"


def test_search_mentions_is_always_empty_without_asking() -> None:
    client = MastodonClient(MastodonCredentials("https://unreachable.invalid", TOKEN))

    batch = client.search_mentions(since_id="1", until_id="9", max_posts=50)

    assert (batch.posts, batch.newest_id, batch.oldest_id, batch.truncated) == (
        [],
        None,
        None,
        False,
    )


class _Page(list[Any]):
    """A page as Mastodon.py returns it, with its ``next`` link's parameters."""

    def __init__(self, items: list[Any], next_max_id: str | None) -> None:
        super().__init__(items)
        self._pagination_next = {"max_id": int(next_max_id)} if next_max_id else None


def _notification(n: int, kind: str = "mention") -> dict[str, Any]:
    return {"id": str(n), "type": kind, "status": {**STATUS, "id": str(1000 + n)}}


def test_mention_reads_skip_other_types_and_stop_on_a_repeated_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = MastodonClient(MastodonCredentials("https://a.example", TOKEN), page_size=3)
    pages = [
        _Page([_notification(9), _notification(8, "favourite"), _notification(7)], "7"),
        _Page([_notification(6), _notification(5), _notification(4)], "7"),  # a stuck server
    ]
    calls: list[dict[str, Any]] = []

    def notifications(**kwargs: Any) -> Any:
        calls.append(kwargs)
        return pages[len(calls) - 1]

    monkeypatch.setattr(client.api, "notifications", notifications)
    batch = client.mention_batch(since_id="2", max_posts=10)

    assert [p.id for p in batch.posts] == ["1009", "1007", "1006", "1005", "1004"]
    assert [p.raw["notification_id"] for p in batch.posts][-1] == batch.oldest_id == "4"
    assert batch.newest_id == "9" and batch.requests == 2
    assert [c["max_id"] for c in calls] == [None, "7"]
    assert all(c["since_id"] == "2" and c["types"] == ["mention"] for c in calls)


def test_importing_the_adapter_imports_neither_mastodon_nor_regex() -> None:
    code = (
        "import sys, chalicelib.networks.mastodon, chalicelib.networks.mastodon_read; "
        "assert 'mastodon' not in sys.modules, 'mastodon'; "
        "assert 'regex' not in sys.modules, 'regex'; "
        "assert 'requests' not in sys.modules, 'requests'"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
