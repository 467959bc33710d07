"""The home page: what needs the signed-in person now."""

from __future__ import annotations

from typing import Any

from chalicelib.web.pages import Page
from chalicelib.web.site import site


@site.page("/app")
def home(page: Page) -> Any:
    from chalicelib.web.postmortem_pages import STATUS_WORDS
    from chalicelib.web.views import home as waiting

    return page.render(
        "home.html", title="What needs you now", status_words=STATUS_WORDS, **waiting(page.user)
    )
