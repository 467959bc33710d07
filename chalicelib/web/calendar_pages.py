"""The editorial calendar in the web app: month and week per account (FullCalendar),
its event source, rescheduling by drag or date field, and the secret iCal link."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.api.routing import DRAFTERS, MANAGERS
from chalicelib.core.errors import DomainError, ValidationFailed
from chalicelib.web.pages import Page
from chalicelib.web.posts_pages import (
    DONE,
    IN_APPROVAL,
    edit_and_resubmit,
    local_input,
    may,
    post_page,
    problem,
    status_of,
    wall_time,
)
from chalicelib.web.site import site

if TYPE_CHECKING:
    from chalicelib.posts.domain import Post


def _service() -> Any:
    from chalicelib.wiring import get_service

    return get_service()


# The calendar ---------------------------------------------------------------------

STATUS_ORDER = (
    "draft",
    "submitted",
    "approved",
    "publishing",
    "published",
    "held",
    "rejected",
    "expired",
    "failed",
    "cancelled",
)


@site.page("/app/calendar")
def calendar(page: Page) -> Any:
    return calendar_page(page)


def calendar_page(page: Page, *, feed_url: str | None = None, status: int = 200) -> Any:
    from chalicelib.web.views import directory

    found = directory(page.user)
    wanted = page.form.get("account") or page.query.get("account", "")
    account_id = wanted if wanted in found.accounts else next(iter(found.accounts), "")
    account = found.accounts.get(account_id)
    zone = account.timezone if account else "UTC"
    now = _service().clock.now()
    data = {
        "account": account_id,
        "timezone": zone,
        "now": wall_time(now, zone) + ":00",
        "today": wall_time(now, zone)[:10],
        "events": page.url("/app/calendar/events"),
        "reschedule": page.url("/app/posts/POST_ID/reschedule"),
    }
    return page.render(
        "calendar.html",
        status=status,
        title="Calendar",
        directory=found,
        account=account,
        zone=zone,
        statuses=STATUS_ORDER,
        calendar_data=data,
        feed_url=feed_url,
        may_feed=page.user.role in MANAGERS,
    )


@site.page("/app/calendar/events")
def calendar_events(page: Page) -> Any:
    """FullCalendar's event source: the account's posts between ``start`` and ``end``
    (wall times in the account's zone), each titled with its status."""
    service = _service()
    account = service.accounts.account_for(page.user, page.query.get("account", ""))
    zone = account.timezone
    start = local_input(page.query.get("start", ""), zone, "start")
    end = local_input(page.query.get("end", ""), zone, "end")
    posts = service.posts.calendar(page.user, account.id, start=start, end=end, statuses=None)
    events = [_event(page, p, zone) for p in posts if p.scheduled_at is not None]
    return _json(page, events, 200)


def _event(page: Page, post: Post, zone: str) -> dict[str, Any]:
    text = " ".join(post.text.split())
    short = text if len(text) <= 60 else text[:59] + "…"
    status = post.status.value
    return {
        "id": post.id,
        # The status is in the words, never in the colour alone.
        "title": f"{status}: {short}",
        "start": wall_time(post.scheduled_at, zone) + ":00",
        "url": page.url(f"/app/posts/{post.id}"),
        "classNames": ["post-event", f"st-{status}"],
        "editable": may(page.user, post)["reschedule"],
        "extendedProps": {"status": status},
    }


@site.page("/app/calendar/feed", ("POST",), roles=MANAGERS)
def make_feed(page: Page) -> Any:
    """A new secret iCal URL (the API's POST /accounts/{id}/feed): shown once, since
    only its hash is kept; the previous URL stops working."""
    account_id = page.form.get("account", "")
    url = _service().posts.rotate_feed_secret(page.user, account_id)
    return calendar_page(page, feed_url=url)


@site.page("/app/posts/{post_id}/reschedule", ("POST",), roles=DRAFTERS)
def reschedule(page: Page, post_id: str) -> Any:
    """A new time, from the post page's date field or a drag on the calendar (which
    asks for JSON): the API's edit of ``scheduled_at``, so a post in approval goes back
    through it."""
    wants_json = "application/json" in page.headers.get("accept", "")
    raw = page.form.get("scheduled_at", "")
    try:
        post, account = _service().posts.post_for(page.user, post_id)
        when = local_input(raw, account.timezone)
        if when is None:
            raise ValidationFailed("is required: when should it go out?", field="scheduled_at")
        was = post.status.value
        post, refused = edit_and_resubmit(
            page, post, account, text=None, when=when, resubmit=was in IN_APPROVAL
        )
    except DomainError as exc:
        if wants_json:
            return _json(page, {"ok": False, "message": problem(exc)["message"]}, status_of(exc))
        return post_page(
            page, post_id, error=problem(exc), status=status_of(exc), schedule_value=raw
        )
    if refused is not None:
        message = (
            "Rescheduled, but it could not go back through approval: "
            + problem(refused)["message"]
            + ". It is a draft now."
        )
    else:
        message = DONE["rescheduled_back" if was in IN_APPROVAL else "rescheduled"]
    if wants_json:
        return _json(page, {"ok": True, "message": message, "status": post.status.value}, 200)
    if refused is not None:
        return post_page(page, post_id, error={"message": message, "field": None, "rules": []})
    return page.redirect(
        f"/app/posts/{post_id}?done={'rescheduled_back' if was in IN_APPROVAL else 'rescheduled'}"
    )


def _json(page: Page, data: Any, status: int) -> Any:
    import json

    return page.respond(json.dumps(data), status, {"Content-Type": "application/json"})
