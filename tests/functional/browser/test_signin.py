"""Sign-in by mailed link in a real browser, and what a stale link or cookie gets."""

from __future__ import annotations

from typing import Any

import requests

from firebreak_local.stack import LocalStack
from tests.functional.browser.conftest import assert_accessible, session_cookie, signin_link


def test_sign_in_through_the_outbox_mail(anonymous: Any, stack: LocalStack) -> None:
    page = anonymous
    page.goto("/app")
    assert page.url.endswith("/app/signin")  # signed out: sent to sign in
    assert_accessible(page)
    page.get_by_label("Work e-mail").fill("olivia@acme.example")
    page.keyboard.press("Enter")  # keyboard alone
    page.get_by_role("status").wait_for()
    assert "sign-in link is on its way" in page.content()
    assert_accessible(page)
    link = signin_link(stack, "olivia@acme.example")

    page.goto(link)
    assert_accessible(page)
    assert page.get_by_role("button", name="Sign in").is_visible()
    # Opening the link changed nothing: it still signs in.
    page.get_by_role("button", name="Sign in").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/app")
    assert "Olivia Owner" in page.content()
    assert page.get_by_role("heading", name="What needs you now").is_visible()
    assert_accessible(page)
    cookie = next(c for c in page.context.cookies() if c["name"] == "firebreak_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    # The link is spent: a clear page, and a way to a new one.
    page.goto(link)
    assert "was used already" in page.content()
    assert page.get_by_role("link", name="Get a new sign-in link").is_visible()
    assert_accessible(page)  # the message pages too
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Signed out").wait_for()
    assert_accessible(page)


def test_unknown_address_gets_the_same_answer_and_no_mail(stack: LocalStack) -> None:
    def to(email: str) -> int:
        return sum(email in str(m.get("destinations")) for m in stack.mail())

    before = to("adam@acme.example"), to("nobody@acme.example")
    known = _ask(stack, "adam@acme.example")
    unknown = _ask(stack, "nobody@acme.example")
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace("adam@", "X@") == unknown.text.replace("nobody@", "X@")
    assert (to("adam@acme.example"), to("nobody@acme.example")) == (before[0] + 1, before[1])


def test_a_tampered_or_unknown_link_gets_a_clear_page(stack: LocalStack) -> None:
    res = requests.get(stack.api_url + "/app/signin/" + "x" * 43, timeout=10)
    assert res.status_code == 404
    assert "not one Firebreak sent" in res.text and "Get a new sign-in link" in res.text
    res = requests.post(
        stack.api_url + "/app/signin/" + "x" * 43, headers={"Origin": stack.api_url}, timeout=10
    )
    assert res.status_code == 404 and "Set-Cookie" not in res.headers


def test_an_expired_link_gets_a_clear_page_and_signs_nobody_in(stack: LocalStack) -> None:
    from datetime import timedelta

    from chalicelib.web.domain import SignInLink
    from chalicelib.wiring import get_web

    web = get_web()
    token, link = SignInLink.issue("u_bob", web._clock.now() - timedelta(minutes=16))
    web._web.put_signin_link(link)
    page = requests.get(stack.api_url + "/app/signin/" + token, timeout=10)
    assert page.status_code == 410 and "has expired" in page.text
    assert "Get a new sign-in link" in page.text
    res = requests.post(
        stack.api_url + "/app/signin/" + token, headers={"Origin": stack.api_url}, timeout=10
    )
    assert res.status_code == 410 and "Set-Cookie" not in res.headers


def test_a_stolen_cookie_is_signed_out_after_sign_out(stack: LocalStack) -> None:
    raw = session_cookie("u_adam")
    jar = {"Cookie": f"firebreak_session={raw}"}
    page = requests.get(stack.api_url + "/app", headers=jar, timeout=10, allow_redirects=False)
    assert page.status_code == 200
    csrf = page.text.split('name="csrf-token" content="')[1].split('"')[0]
    out = requests.post(
        stack.api_url + "/app/signout",
        data={"csrf": csrf, "everywhere": "1"},
        headers={**jar, "Origin": stack.api_url},
        timeout=10,
    )
    assert out.status_code == 200 and "Max-Age=0" in out.headers["Set-Cookie"]
    again = requests.get(stack.api_url + "/app", headers=jar, timeout=10, allow_redirects=False)
    assert again.status_code == 303 and again.headers["Location"].endswith("/app/signin")


def _ask(stack: LocalStack, email: str) -> requests.Response:
    return requests.post(
        stack.api_url + "/app/signin",
        data={"email": email},
        headers={"Origin": stack.api_url},
        timeout=10,
    )
