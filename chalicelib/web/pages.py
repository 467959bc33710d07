"""How a page is served: the session from its cookie, roles exactly as the API's,
CSRF and origin checks on every state-changing request, errors as pages, and the
headers every page carries (``no-store``, a strict CSP, no framing).

Pages are not API operations: they are not in ``/openapi.json``. Handlers get a
``Page`` and return a rendered page or a redirect.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from chalicelib.core.errors import DomainError, Forbidden
from chalicelib.core.users import Role

if TYPE_CHECKING:
    from chalicelib.core.users import User
    from chalicelib.web.auth import SignedIn
    from chalicelib.web.site import PageRoutes

logger = logging.getLogger("firebreak.web")

HTML = "text/html; charset=utf-8"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'"
)
PAGE_HEADERS = {
    "Content-Type": HTML,
    "Cache-Control": "no-store",
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Sign-in and decision links carry their token in the path: never in a Referer to
    # another site (and with no-referrer, Chromium sends "Origin: null" on form posts).
    "Referrer-Policy": "same-origin",
}
SAFE_METHODS = ("GET", "HEAD")
_STATUS_TITLES = {
    400: "That did not work",
    401: "Sign-in needed",
    403: "Not allowed",
    404: "Not found",
    409: "Not possible now",
    410: "This link cannot be used",
    422: "Not accepted",
    429: "Too many requests",
}


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class Page:
    """What a page handler gets."""

    base: str
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]
    client: str
    signed_in: SignedIn | None = None
    set_cookie: str | None = field(default=None, repr=False)

    @property
    def user(self) -> User:
        assert self.signed_in is not None, "page declared signed_in=False"
        return self.signed_in.user

    @property
    def htmx(self) -> bool:
        return self.headers.get("hx-request") == "true"

    def url(self, path: str) -> str:
        return self.base + path

    def render(self, template: str, status: int = 200, **context: Any) -> Any:
        from chalicelib.web.render import render

        html = render(template, **self.context(), **context)
        return self.respond(html, status)

    def context(self) -> dict[str, Any]:
        signed = self.signed_in
        return {
            "base": self.base,
            "me": signed.user if signed else None,
            "csrf": signed.session.csrf if signed else "",
            "path": self.path,
        }

    def respond(self, html: str, status: int = 200, headers: dict[str, str] | None = None) -> Any:
        from chalice import Response

        extra = dict(headers or {})
        if self.set_cookie is not None:
            extra["Set-Cookie"] = self.set_cookie
        return Response(html, status_code=status, headers={**PAGE_HEADERS, **extra})

    def redirect(self, path: str) -> Any:
        """See other: after a form post the browser GETs ``path`` (htmx follows it too)."""
        return self.respond("", 303, {"Location": self.url(path)})

    def error(self, status: int, message: str, *, code: str = "") -> Any:
        return self.render(
            "message.html",
            status=status,
            title=_STATUS_TITLES.get(status, "Something went wrong"),
            message=message,
            code=code,
            links=[("Home", "/app")] if self.signed_in else [("Sign in", "/app/signin")],
        )


def serve(routes: PageRoutes, key: tuple[str, str], params: dict[str, str]) -> Any:
    """Answer a request to the page ``key`` ((path, method)): its module imported on the
    first request, then the checks of ``_handle`` and the handler."""
    from contextlib import nullcontext

    from chalicelib.core.memo import read_memo

    if key not in routes._pages:
        import importlib

        importlib.import_module(routes._modules[key])  # declares it with ``page``
    fn, options = routes._pages[key]
    # A page view only reads: the brand's accounts and people once each.
    with read_memo() if key[1] in SAFE_METHODS else nullcontext():
        return _handle(routes, fn, params, **options)


def _request(routes: PageRoutes) -> Page:
    current = routes.blueprint.current_request
    headers = {k.lower(): v for k, v in (current.headers or {}).items()}
    form: dict[str, str] = {}
    if current.method not in SAFE_METHODS:
        raw = current.raw_body or b""
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        form = {k: v[0] for k, v in parse_qs(text, max_num_fields=200).items()}
    context = current.context or {}
    client = str((context.get("identity") or {}).get("sourceIp") or "unknown")
    return Page(
        base=routes._base().rstrip("/"),
        method=current.method,
        path=context.get("resourcePath", ""),
        query=dict(current.query_params or {}),
        form=form,
        headers=headers,
        client=client,
    )


def _handle(
    routes: PageRoutes,
    fn: Callable[..., Any],
    params: dict[str, str],
    *,
    signed_in: bool,
    roles: tuple[Role, ...],
    csrf: bool,
) -> Any:
    page = _request(routes)
    try:
        page.signed_in = routes._auth().session(_cookie(page.headers, routes.cookie_name()))
        mutating = page.method not in SAFE_METHODS
        if mutating and not _same_origin(page):
            return page.error(
                403,
                "This form came from another site and was refused; nothing was changed",
                code="cross_site",
            )
        if signed_in and page.signed_in is None:
            if mutating:
                return page.error(
                    401,
                    "You are signed out; sign in and try again. Nothing was changed",
                    code="signed_out",
                )
            return page.redirect("/app/signin")
        if mutating and csrf and page.signed_in is not None and not _csrf_ok(page):
            return page.error(
                403,
                "This form has expired or was not sent by Firebreak; "
                "reload the page and try again. Nothing was changed",
                code="csrf",
            )
        if roles and page.signed_in is not None and page.user.role not in roles:
            raise Forbidden(
                f"role {page.user.role.value} may not do this; needs one of "
                + ", ".join(r.value for r in roles)
            )
        return fn(page, **params)
    except DomainError as exc:
        from chalicelib.api.errors import status_for

        return page.error(status_for(exc), exc.message, code=exc.code)
    except Exception:
        logger.exception("unhandled error in page %s", fn.__name__)
        return page.error(500, "Something went wrong on our side", code="internal")


def _same_origin(page: Page) -> bool:
    """A state-changing request must come from Firebreak's own pages: its Origin is
    the configured public origin, or (no Origin) the browser says same-origin."""
    origin = page.headers.get("origin")
    if origin and origin != "null":
        return origin == origin_of(page.base)
    return page.headers.get("sec-fetch-site") in ("same-origin", "none")


def _cookie(headers: dict[str, str], name: str) -> str | None:
    for part in headers.get("cookie", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def _csrf_ok(page: Page) -> bool:
    from chalicelib.web.domain import same_secret

    sent = page.form.get("csrf") or page.headers.get("x-csrf-token") or ""
    assert page.signed_in is not None
    return bool(sent) and same_secret(sent, page.signed_in.session.csrf)
