"""The web app's blueprint: importing this registers every page module on ``site``.
Page modules import nothing heavy at import time (Jinja2 loads on first render)."""

from __future__ import annotations

from chalicelib.web import (  # noqa: F401 - registers their pages
    admin_pages,
    calendar_pages,
    home,
    incident_pages,
    postmortem_pages,
    posts_pages,
    queue_pages,
    signin,
)
from chalicelib.web.site import site

api = site  # app.py registers ``<capability>.api.blueprint``
