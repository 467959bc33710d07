"""The pages' guards over HTTP: CSRF, origin, roles and the headers every page carries.
No browser needed; what a browser does with them is in the other tests here."""

from __future__ import annotations

import requests

from firebreak_local.stack import LocalStack
from tests.functional.browser.conftest import session_cookie


def _signed_in(stack: LocalStack, user_id: str) -> tuple[dict[str, str], str]:
    jar = {"Cookie": f"firebreak_session={session_cookie(user_id)}"}
    home = requests.get(stack.api_url + "/app", headers=jar, timeout=10)
    assert home.status_code == 200
    csrf = home.text.split('name="csrf-token" content="')[1].split('"')[0]
    return jar, csrf


def _still_signed_in(stack: LocalStack, jar: dict[str, str]) -> bool:
    res = requests.get(stack.api_url + "/app", headers=jar, timeout=10, allow_redirects=False)
    return res.status_code == 200


def test_a_post_without_or_with_a_wrong_csrf_token_changes_nothing(stack: LocalStack) -> None:
    jar, csrf = _signed_in(stack, "u_olivia")
    _, someone_elses = _signed_in(stack, "u_adam")
    origin = {"Origin": stack.api_url}
    for form in ({}, {"csrf": ""}, {"csrf": "x" * 43}, {"csrf": someone_elses}):
        res = requests.post(
            stack.api_url + "/app/signout", data=form, headers={**jar, **origin}, timeout=10
        )
        assert res.status_code == 403, form
        assert "Nothing was changed" in res.text and "Set-Cookie" not in res.headers
        assert _still_signed_in(stack, jar)
    res = requests.post(
        stack.api_url + "/app/signout", data={"csrf": csrf}, headers={**jar, **origin}, timeout=10
    )
    assert res.status_code == 200 and not _still_signed_in(stack, jar)


def test_a_post_from_another_site_is_refused_even_with_the_token(stack: LocalStack) -> None:
    jar, csrf = _signed_in(stack, "u_olivia")
    for headers in (
        {"Origin": "https://evil.example"},
        {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {},  # no Origin and no Sec-Fetch-Site: no browser of ours sends that
    ):
        res = requests.post(
            stack.api_url + "/app/signout",
            data={"csrf": csrf},
            headers={**jar, **headers},
            timeout=10,
        )
        assert res.status_code == 403 and "another site" in res.text, headers
        assert _still_signed_in(stack, jar)


def test_a_post_without_a_session_says_so(stack: LocalStack) -> None:
    res = requests.post(
        stack.api_url + "/app/signout",
        data={"csrf": "x"},
        headers={"Origin": stack.api_url},
        timeout=10,
    )
    assert res.status_code == 401 and "signed out" in res.text


def test_pages_are_not_cached_and_cannot_be_framed(stack: LocalStack) -> None:
    jar, _ = _signed_in(stack, "u_bob")
    res = requests.get(stack.api_url + "/app", headers=jar, timeout=10)
    assert res.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in res.headers["Content-Security-Policy"]
    assert "script-src 'self'" in res.headers["Content-Security-Policy"]
    assert res.headers["X-Frame-Options"] == "DENY"
    assert res.headers["Content-Type"] == "text/html; charset=utf-8"


def test_api_keys_are_never_read_from_a_cookie(stack: LocalStack) -> None:
    assert stack.seed is not None
    key = stack.seed.key("u_olivia")
    res = requests.get(
        stack.api_url + "/accounts", headers={"Cookie": f"x-api-key={key}"}, timeout=10
    )
    assert res.status_code == 401
    session = session_cookie("u_olivia")
    res = requests.get(
        stack.api_url + "/accounts", headers={"Cookie": f"firebreak_session={session}"}, timeout=10
    )
    assert res.status_code == 401  # a session is not an API credential either


def test_assets_are_hashed_and_cached_for_a_year(stack: LocalStack) -> None:
    import json
    from pathlib import Path

    manifest = json.loads(
        (Path(__file__).resolve().parents[3] / "chalicelib/web/static/manifest.json").read_text()
    )
    for name in manifest.values():
        res = requests.get(stack.api_url + "/assets/" + name, timeout=10)
        assert res.status_code == 200, name
        assert res.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert requests.get(stack.api_url + "/assets/app.css", timeout=10).status_code == 404
    assert requests.get(stack.api_url + "/assets/manifest.json", timeout=10).status_code == 404
