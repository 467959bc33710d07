"""Whatever a client sends, Firebreak answers with a clear error that names the problem
and loses nothing: the findings of the fuzzing run, one test each."""

from __future__ import annotations

import json

import pytest
import requests

from tests.functional.conftest import later, unique


def _error(res: requests.Response) -> dict:
    assert res.headers["Content-Type"].startswith("application/json"), res.text[:200]
    body = res.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    return body["error"]


# -- date-times -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:59:59+00:00",  # far past the five-year window
        "9999-12-31T23:59:59-01:00",  # would overflow when converted to UTC
        "0001-01-01T00:00:00+01:00",  # would overflow the other way
        "1999-12-31T23:00:00+00:00",  # before the window
        0,  # a number is no date-time (pydantic took it as 1970)
        253402300799,
        "2026-12-01T09:00:00",  # no offset
    ],
)
def test_schedules_outside_the_window_are_refused(alice, account, value) -> None:
    res = alice.post(f"/accounts/{account}/posts", {"text": unique("when"), "scheduled_at": value})
    assert res.status_code == 400, res.text
    assert _error(res)["field"] == "scheduled_at"


def test_a_patch_cannot_schedule_a_number(alice, account) -> None:
    post = alice.post(f"/accounts/{account}/posts", {"text": unique("patch me")}).json()
    for value in (0, "9999-12-31T23:59:59+00:00"):
        res = alice.patch(f"/posts/{post['id']}", {"scheduled_at": value})
        assert res.status_code == 400 and _error(res)["field"] == "scheduled_at", res.text
    assert alice.get(f"/posts/{post['id']}").json()["scheduled_at"] is None


def test_a_schedule_within_five_years_is_taken(alice, account) -> None:
    at = later(60 * 24 * 365 * 4)
    res = alice.post(
        f"/accounts/{account}/posts", {"text": unique("later"), "scheduled_at": at.isoformat()}
    )
    assert res.status_code == 201, res.text


@pytest.mark.parametrize(
    "value", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00", "0", "1999-01-01T00:00Z"]
)
@pytest.mark.parametrize("name", ["from", "to"])
def test_query_times_outside_the_window_are_refused(alice, name, value) -> None:
    res = alice.get("/posts", **{name: value})
    assert res.status_code == 400, res.text
    assert _error(res)["field"] == name


def test_the_feed_serves_a_post_stored_at_the_end_of_time(stack, alice, users, account) -> None:
    # Given a post stored before schedules had a window (written straight to the store)
    from dataclasses import replace
    from datetime import UTC, datetime

    from chalicelib.wiring import get_service

    store = get_service().store
    post = alice.post(
        f"/accounts/{account}/posts",
        {"text": unique("legacy"), "scheduled_at": later().isoformat()},
    ).json()
    stored = store.get_post(post["id"])
    end_of_time = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    store.save_post(replace(stored, scheduled_at=end_of_time), stored.revision, [])
    # When the account's feed is read, Then it answers and lists that post too
    url = users["u_olivia"].post(f"/accounts/{account}/feed").json()["url"]
    feed = requests.get(url, timeout=30)
    assert feed.status_code == 200
    assert f"{post['id']}@firebreak" in feed.text
    # And the post can be moved back into the window by an edit
    res = alice.patch(f"/posts/{post['id']}", {"scheduled_at": later().isoformat()})
    assert res.status_code == 200, res.text


# -- bodies ---------------------------------------------------------------------------


def _raw(stack, alice, path: str, body: bytes) -> requests.Response:
    return requests.post(
        stack.api_url + path,
        data=body,
        headers={"X-Api-Key": alice.key, "Content-Type": "application/json"},
        timeout=30,
    )


def test_a_deeply_nested_body_is_a_400(stack, alice, account) -> None:
    res = _raw(stack, alice, f"/accounts/{account}/posts", b"[" * 1000 + b"]" * 1000)
    assert res.status_code == 400 and _error(res)["field"] == "body"
    nested = b'{"text": "x", "links": ' + b"[" * 20 + b"]" * 20 + b"}"
    res = _raw(stack, alice, f"/accounts/{account}/posts", nested)
    assert res.status_code == 400 and "nested" in _error(res)["message"]


def test_a_huge_number_is_a_400(stack, alice, account) -> None:
    body = b'{"text": "x", "scheduled_at": ' + b"9" * 5000 + b"}"
    res = _raw(stack, alice, f"/accounts/{account}/posts", body)
    assert res.status_code == 400 and _error(res)["field"] == "body"


@pytest.mark.parametrize(
    "text",
    ["\u200b\u200b", "\u00ad", "\u2060 \ufeff", "Hello\x00world", "bell\x07"],
)
def test_invisible_or_control_text_is_refused(alice, account, text) -> None:
    res = alice.post(f"/accounts/{account}/posts", {"text": text})
    assert res.status_code == 400, res.text
    assert _error(res)["field"] == "text"


# -- agencies and ids -----------------------------------------------------------------


def test_agencies_must_exist(users) -> None:
    olivia = users["u_olivia"]
    assert olivia.get("/agencies/agency_bright/policy").status_code == 200
    res = olivia.get("/agencies/agency_nobody/policy")
    assert res.status_code == 404 and _error(res)["field"] == "agency_id"
    res = olivia.put("/agencies/agency_nobody/policy", {"forbidden_phrases": ["x"]})
    assert res.status_code == 404
    assert olivia.get("/agencies/agency_nobody/policy").status_code == 404  # not created


def test_ids_too_long_for_any_key_are_404(users, alice) -> None:
    long_id = "a" * 3000
    for res in (
        users["u_olivia"].put(f"/agencies/{long_id}/policy", {}),
        alice.get(f"/posts/{long_id}"),
        alice.get(f"/incidents/{long_id}"),
    ):
        assert res.status_code == 404, res.text
        assert _error(res)["code"] == "not_found"


# -- one error shape ------------------------------------------------------------------


def test_an_unsupported_content_type_has_the_error_shape(stack, alice, account) -> None:
    res = requests.post(
        f"{stack.api_url}/accounts/{account}/posts",
        data="text=hi",
        headers={"X-Api-Key": alice.key, "Content-Type": "text/plain"},
        timeout=30,
    )
    assert res.status_code == 415
    assert _error(res)["code"] == "unsupported_media_type"


def test_an_unknown_route_is_a_404_with_the_error_shape(stack) -> None:
    res = requests.get(f"{stack.api_url}/no/such/route", timeout=30)
    assert res.status_code == 404
    assert _error(res)["code"] == "not_found"


def test_the_http_servers_own_refusals_have_the_error_shape(stack) -> None:
    res = requests.get(f"{stack.api_url}/posts?x={'a' * 70_000}", timeout=30)
    assert res.status_code == 414 and _error(res)["code"] == "uri_too_long"
    res = requests.request("TRACE", f"{stack.api_url}/health", timeout=30)
    assert res.status_code == 405 and _error(res)["code"] == "method_not_allowed"


def test_a_page_answers_a_browser_with_a_page(stack, alice, account) -> None:
    # A browser without an API key opening a postmortem page gets a page, not JSON
    res = requests.get(f"{stack.api_url}/incidents/inc_x/postmortem/page", timeout=30)
    assert res.status_code == 401
    assert res.headers["Content-Type"].startswith("text/html")
    assert "X-Api-Key" in res.text


def test_the_document_lists_the_statuses_routes_answer(stack) -> None:
    doc = requests.get(f"{stack.api_url}/openapi.json", timeout=30).json()
    assert {"400", "403", "404", "410", "415"} <= set(
        doc["paths"]["/links/{token}"]["post"]["responses"]
    )
    assert "403" in doc["paths"]["/incidents/{incident_id}/apology"]["put"]["responses"]
    assert "415" in doc["paths"]["/accounts/{account_id}/posts"]["post"]["responses"]


# -- mailed links refuse with the status that fits ------------------------------------


def test_link_refusals_say_whether_the_link_still_works(stack, alice, bob, account) -> None:
    from tests.functional.conftest import links_for

    post = alice.post(
        f"/accounts/{account}/posts", {"text": unique("link"), "scheduled_at": later().isoformat()}
    ).json()
    alice.post(f"/posts/{post['id']}/submit")
    url = links_for(stack, "bob@acme.example", post["id"])[-1]
    # An unknown token: 404
    unknown = url.rsplit("/", 1)[0] + "/" + "A" * 43
    assert requests.get(unknown, timeout=30).status_code == 404
    # Another post's id in the form: 400, and the link still works
    res = requests.post(url, data={"action": "approve", "post_id": "post_other"}, timeout=30)
    assert res.status_code == 400
    # Someone else's API key along: 403, and the link still works
    res = requests.post(
        url,
        data={"action": "approve", "post_id": post["id"]},
        headers={"X-Api-Key": alice.key},
        timeout=30,
    )
    assert res.status_code == 403
    assert requests.post(url, data={"action": "approve", "post_id": post["id"]}, timeout=30).ok
    # Spent: 410
    res = requests.post(url, data={"action": "approve", "post_id": post["id"]}, timeout=30)
    assert res.status_code == 410
    assert json.dumps(bob.get(f"/posts/{post['id']}").json()["approvals"]).count("u_bob") == 1


# -- hard policy rules see through Unicode disguises ----------------------------------


@pytest.mark.parametrize(
    "disguised",
    [
        "guaran\u200bteed results",  # zero-width space
        "guaran\u00adteed results",  # soft hyphen
        "\uff47\uff55\uff41\uff52\uff41\uff4e\uff54\uff45\uff45\uff44 results",  # full-width
        "gu\u0430ranteed results",  # Cyrillic а
    ],
)
def test_a_disguised_forbidden_phrase_still_blocks_submit(alice, account, disguised) -> None:
    post = alice.post(
        f"/accounts/{account}/posts",
        {"text": unique(f"Try it: {disguised}"), "scheduled_at": later().isoformat()},
    ).json()
    assert post["check"]["passed"] is False
    res = alice.post(f"/posts/{post['id']}/submit")
    assert res.status_code == 422
    assert any("guaranteed results" in rule for rule in res.json()["error"]["rules"])


# -- X's weighted length, as X counts it ----------------------------------------------


def test_emoji_sequences_and_combining_marks_count_as_x_counts_them(alice, account) -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # counts 2 on X
    # 139 families (278) + "e" + U+0301 (1 after NFC) + "!" = 280: exactly X's limit
    text = family * 139 + "e\u0301!"
    res = alice.post(f"/accounts/{account}/posts", {"text": text})
    assert res.status_code == 201, res.text
    res = alice.post(f"/accounts/{account}/posts", {"text": text + "!"})
    assert res.status_code == 400 and _error(res)["field"] == "text"
    assert "281 weighted characters" in _error(res)["message"]
