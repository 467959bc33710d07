"""Where the web app's pages are declared: the one ``PageRoutes`` every page module
registers on. Kept small on purpose: ``app.py`` (every Lambda's cold start) imports it,
while the code that answers a page (``pages.py``) and the pages themselves load on the
first request to one. Its session store and public base come from the wiring then."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chalicelib.core.users import Role
    from chalicelib.web.auth import WebAuth

FORM = "application/x-www-form-urlencoded"


class PageRoutes:
    """Pages of the web app on one Chalice blueprint."""

    def __init__(self, import_name: str, auth: Callable[[], WebAuth], base: Callable[[], str]):
        from chalice import Blueprint

        self.blueprint = Blueprint(import_name)
        self._auth = auth
        self._base = base
        self.paths: list[tuple[str, str]] = []  # (path, method) of every page served
        self._modules: dict[tuple[str, str], str] = {}  # declared by ``lazy``
        self._pages: dict[tuple[str, str], tuple[Callable[..., Any], dict[str, Any]]] = {}

    def cookie_name(self) -> str:
        # __Host-: only ever sent back to this host, over HTTPS, for the whole path.
        return "__Host-firebreak" if self._base().startswith("https://") else "firebreak_session"

    def session_cookie(self, raw_id: str, max_age_s: int) -> str:
        secure = "; Secure" if self._base().startswith("https://") else ""
        return (
            f"{self.cookie_name()}={raw_id}; Path=/; Max-Age={max_age_s}; HttpOnly; "
            f"SameSite=Lax{secure}"
        )

    def cleared_cookie(self) -> str:
        secure = "; Secure" if self._base().startswith("https://") else ""
        return f"{self.cookie_name()}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}"

    def page(
        self,
        path: str,
        methods: tuple[str, ...] = ("GET",),
        *,
        signed_in: bool = True,
        roles: tuple[Role, ...] = (),
        csrf: bool = True,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Declare a page (``pages.Page`` in, a response out). Signed in by default;
        ``roles`` as the API route's; ``csrf=False`` only for a POST guarded by its own
        single-use token (a sign-in link): the origin check still applies."""

        def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
            options = {"signed_in": signed_in, "roles": roles, "csrf": csrf}
            for method in methods:
                self._pages[(path, method)] = (fn, options)
                if (path, method) not in self.paths:  # not declared by ``lazy``
                    self._route(path, method)
            return fn

        return decorate

    def lazy(self, module: str, *pages: tuple[str, tuple[str, ...]]) -> None:
        """Serve ``pages`` ((path, methods)) whose handlers ``module`` declares with
        ``page``; the module is imported on the first request to one of them, so no
        Lambda compiles page code it never serves (scheduled jobs share ``app.py``)."""
        for path, methods in pages:
            for method in methods:
                self._modules[(path, method)] = module
                if (path, method) not in self.paths:
                    self._route(path, method)

    def _route(self, path: str, method: str) -> None:
        key = (path, method)

        def view(**params: str) -> Any:
            from chalicelib.web.pages import serve

            return serve(self, key, params)

        view.__name__ = "page_" + "".join(c if c.isalnum() else "_" for c in f"{method}{path}")
        self.blueprint.route(path, methods=[method], content_types=[FORM, "application/json"])(view)
        self.paths.append(key)


def _auth() -> WebAuth:
    from chalicelib.wiring import get_web

    return get_web()


def _base() -> str:
    from chalicelib.wiring import get_settings

    return get_settings().public_base_url


site = PageRoutes("chalicelib.web", _auth, _base)
