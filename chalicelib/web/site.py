"""The one ``PageRoutes`` every page module registers on; its session store and
public base come from the wiring on first use, never at import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.web.pages import PageRoutes

if TYPE_CHECKING:
    from chalicelib.web.auth import WebAuth


def _auth() -> WebAuth:
    from chalicelib.wiring import get_web

    return get_web()


def _base() -> str:
    from chalicelib.wiring import get_settings

    return get_settings().public_base_url


site = PageRoutes("chalicelib.web", _auth, _base)
