"""Sign-in by mailed link, sign-out, and the vendored assets."""

from __future__ import annotations

from typing import Any

from chalicelib.core.errors import LinkInvalid
from chalicelib.web.pages import Page
from chalicelib.web.site import site


def _auth() -> Any:
    from chalicelib.wiring import get_web

    return get_web()


@site.page("/app/signin", signed_in=False)
def signin_form(page: Page) -> Any:
    if page.signed_in is not None:
        return page.redirect("/app")
    return page.render("signin.html", title="Sign in", sent=False, email="", error="")


@site.page("/app/signin", ("POST",), signed_in=False, csrf=False)
def signin_request(page: Page) -> Any:
    from chalicelib.core.errors import ValidationFailed

    email = page.form.get("email", "")
    try:
        _auth().request_link(email, page.client)
    except ValidationFailed as exc:
        return page.render(
            "signin.html", status=400, title="Sign in", sent=False, email=email, error=exc.message
        )
    # The same answer for every address: it does not tell who has an account.
    return page.render(
        "signin.html", title="Check your mail", sent=True, email=email.strip(), error=""
    )


@site.page("/app/signin/{token}", signed_in=False)
def signin_confirm(page: Page, token: str) -> Any:
    """Opening the link changes nothing: mail scanners open links too."""
    from chalicelib.wiring import get_service

    try:
        link = _auth().check_link(token)
    except LinkInvalid as exc:
        return _spent(page, exc)
    # Whose account: a link someone forwarded must not sign you in as them unawares.
    person = get_service().store.get_user(link.user_id)
    return page.render(
        "signin_confirm.html", title="Sign in to Firebreak", token=token, person=person
    )


@site.page("/app/signin/{token}", ("POST",), signed_in=False, csrf=False)
def signin_submit(page: Page, token: str) -> Any:
    auth = _auth()
    try:
        raw, signed = auth.sign_in(token)
    except LinkInvalid as exc:
        return _spent(page, exc)
    if page.signed_in is not None:  # whoever was signed in on this browser before
        auth.sign_out(page.signed_in)
    page.signed_in = signed
    page.set_cookie = site.session_cookie(raw, int(auth.policy.absolute.total_seconds()))
    return page.redirect("/app")


def _spent(page: Page, exc: LinkInvalid) -> Any:
    from chalicelib.api.errors import status_for

    return page.render(
        "message.html",
        status=status_for(exc),
        title="This sign-in link cannot be used",
        message=f"{exc.message}. Ask for a new link: it reaches your inbox in a minute "
        "and works for 15 minutes.",
        code=exc.code,
        links=[("Get a new sign-in link", "/app/signin")],
    )


@site.page("/app/signout", ("POST",))
def signout(page: Page) -> Any:
    everywhere = page.form.get("everywhere") == "1"
    assert page.signed_in is not None
    _auth().sign_out(page.signed_in, everywhere=everywhere)
    page.signed_in = None
    page.set_cookie = site.cleared_cookie()
    return page.render(
        "message.html",
        title="Signed out",
        message="You are signed out"
        + (" on every device and browser." if everywhere else " in this browser."),
        code="",
        links=[("Sign in again", "/app/signin")],
    )
