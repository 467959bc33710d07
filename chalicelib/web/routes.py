"""The web app's blueprint and what it serves. Each page module declares its pages
with ``@site.page``; here they are listed by module so that a module is imported on
the first request to one of its pages, never when ``app.py`` is imported: a scheduled
Lambda's cold start compiles no page code (tests/layout checks the lists match)."""

from __future__ import annotations

from typing import Any

from chalicelib.web.site import site

G, P, GP = ("GET",), ("POST",), ("GET", "POST")
site.lazy("chalicelib.web.home", ("/app", G))
site.lazy(
    "chalicelib.web.signin",
    ("/app/signin", GP),
    ("/app/signin/{token}", GP),
    ("/app/signout", P),
)
site.lazy(
    "chalicelib.web.posts_pages",
    ("/app/posts/new", G),
    ("/app/posts/{post_id}/edit", G),
    ("/app/posts/preview", P),
    ("/app/posts", P),
    ("/app/posts/{post_id}", G),
    ("/app/posts/{post_id}/submit", P),
    ("/app/posts/{post_id}/approve", P),
    ("/app/posts/{post_id}/reject", P),
    ("/app/posts/{post_id}/cancel", P),
    ("/app/approvals", G),
)
site.lazy(
    "chalicelib.web.calendar_pages",
    ("/app/calendar", G),
    ("/app/calendar/events", G),
    ("/app/calendar/feed", P),
    ("/app/posts/{post_id}/reschedule", P),
)
site.lazy(
    "chalicelib.web.incident_pages",
    ("/app/incidents", G),
    ("/app/incidents/{incident_id}", G),
    ("/app/incidents/{incident_id}/state", G),
    ("/app/incidents/{incident_id}/live", G),
    ("/app/incidents/{incident_id}/decide", P),
    ("/app/incidents/{incident_id}/checklist/{item}", P),
    ("/app/incidents/{incident_id}/apology", P),
    ("/app/incidents/{incident_id}/apology/approve", P),
    ("/app/incidents/{incident_id}/apology/reject", P),
    ("/app/incidents/{incident_id}/updates", P),
    ("/app/incidents/{incident_id}/resolve", P),
    ("/app/incidents/{incident_id}/close", P),
)
site.lazy(
    "chalicelib.web.postmortem_pages",
    ("/app/incidents/{incident_id}/postmortem", G),
    ("/app/incidents/{incident_id}/postmortem/notes", P),
    ("/app/incidents/{incident_id}/postmortem.md", G),
)
site.lazy(
    "chalicelib.web.queue_pages",
    ("/app/queue", G),
    ("/app/queue/{account_id}", G),
    ("/app/queue/{account_id}/{mention_id}", G),
    ("/app/queue/{account_id}/{mention_id}/assign", P),
    ("/app/queue/{account_id}/{mention_id}/dismiss", P),
    ("/app/queue/{account_id}/{mention_id}/reply", P),
    ("/app/queue/{account_id}/{mention_id}/reply/approve", P),
    ("/app/queue/{account_id}/{mention_id}/reply/reject", P),
)
site.lazy(
    "chalicelib.web.admin_pages",
    ("/app/freezes", GP),
    ("/app/freezes/{scope}/lift", P),
    ("/app/freezes/resubmit", P),
    ("/app/audit", G),
)

ASSET_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
YEAR_S = 365 * 24 * 3600


@site.blueprint.route("/assets/{name}", methods=["GET"])
def asset(name: str) -> Any:
    """A vendored or own asset by its content-hashed name: cached for a year."""
    from chalice import Response

    from chalicelib.web.render import STATIC, manifest

    suffix = name[name.rfind(".") :] if "." in name else ""
    if name not in set(manifest().values()) or suffix not in ASSET_TYPES:
        return Response(
            '{"error": {"code": "not_found", "message": "no such asset"}}',
            status_code=404,
            headers={"Content-Type": "application/json"},
        )
    return Response(
        (STATIC / name).read_text(encoding="utf-8"),
        status_code=200,
        headers={
            "Content-Type": ASSET_TYPES[suffix],
            "Cache-Control": f"public, max-age={YEAR_S}, immutable",
            "X-Content-Type-Options": "nosniff",
        },
    )


api = site  # app.py registers ``<capability>.api.blueprint``
