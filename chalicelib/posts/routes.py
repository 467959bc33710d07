"""Routes of posts: drafts, checks, submission, approval and rejection, the calendar
and its iCalendar feed (P1-P6)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.api.routing import (
    DECIDERS,
    DRAFTERS,
    MANAGERS,
    SEEN_VERSION,
    QueryParam,
    Reply,
    Request,
    Routes,
    seen_version,
)
from chalicelib.core.errors import ValidationFailed
from chalicelib.wiring import get_service

api = Routes(__name__)


def _parse_time(value: str | None, name: str) -> datetime | None:
    from chalicelib.core.times import parse_query_time

    return parse_query_time(value, name, get_service().clock.now())


def _post(post: Any) -> dict[str, Any]:
    from chalicelib.api.views import post_view

    return post_view(post)


@api.route(
    "/accounts/{account_id}/posts",
    "POST",
    summary="Create a draft (P1); it is checked at once (P2, P3)",
    tag="posts",
    roles=DRAFTERS,
    body="CreatePost",
    ok=201,
    response="Post",
    errors=(400, 404),
)
def create_post(request: Request, account_id: str) -> dict[str, Any]:
    body = request.body
    post = get_service().posts.create_post(
        request.caller,
        account_id,
        text=body.text,
        links=body.links,
        scheduled_at=body.scheduled_at,
    )
    return _post(post)


@api.route(
    "/posts",
    "GET",
    summary="The editorial calendar: posts by date range, account and status (P7)",
    tag="calendar",
    query=(
        QueryParam("account_id", "only this account"),
        QueryParam(
            "from",
            "scheduled at or after (ISO-8601 with offset)",
            schema={"type": "string", "format": "date-time"},
        ),
        QueryParam(
            "to",
            "scheduled at or before (ISO-8601 with offset)",
            schema={"type": "string", "format": "date-time"},
        ),
        QueryParam("status", "comma-separated statuses"),
    ),
    errors=(400, 404),
)
def list_posts(request: Request) -> dict[str, Any]:
    from chalicelib.posts.domain import PostStatus

    q = request.query
    statuses = None
    if q.get("status"):
        try:
            statuses = frozenset(PostStatus(s.strip()) for s in q["status"].split(","))
        except ValueError:
            allowed = ", ".join(s.value for s in PostStatus)
            raise ValidationFailed(f"must be among {allowed}", field="status") from None
    start, end = _parse_time(q.get("from"), "from"), _parse_time(q.get("to"), "to")
    if start and end and start > end:
        raise ValidationFailed("must not be after 'to'", field="from")
    posts = get_service().posts.calendar(
        request.caller, q.get("account_id"), start=start, end=end, statuses=statuses
    )
    return {"posts": [_post(p) for p in posts]}


@api.route(
    "/posts/{post_id}", "GET", summary="One post", tag="posts", response="Post", errors=(404,)
)
def get_post(request: Request, post_id: str) -> dict[str, Any]:
    post, _ = get_service().posts.post_for(request.caller, post_id)
    return _post(post)


@api.route(
    "/posts/{post_id}",
    "PATCH",
    summary="Edit a post: back to draft, approvals reset (P4)",
    tag="posts",
    roles=DRAFTERS,
    body="EditPost",
    response="Post",
    errors=(400, 403, 404, 409),
)
def edit_post(request: Request, post_id: str) -> dict[str, Any]:
    body = request.body
    post = get_service().posts.edit_post(
        request.caller,
        post_id,
        text=body.text,
        links=body.links,
        scheduled_at=body.scheduled_at,
        clear_schedule=body.clear_schedule,
    )
    return _post(post)


@api.route(
    "/posts/{post_id}/check",
    "POST",
    summary="Run the policy check and risk scan again (P2, P3)",
    tag="posts",
    errors=(404,),
)
def check_post(request: Request, post_id: str) -> dict[str, Any]:
    return get_service().posts.recheck(request.caller, post_id).to_dict()


@api.route(
    "/posts/{post_id}/submit",
    "POST",
    summary="Submit for approval; mails each approver a safe link (P4, P5)",
    tag="posts",
    roles=DRAFTERS,
    response="Post",
    errors=(400, 403, 404, 409, 422),
)
def submit_post(request: Request, post_id: str) -> dict[str, Any]:
    return _post(get_service().posts.submit_post(request.caller, post_id))


@api.route(
    "/posts/{post_id}/approve",
    "POST",
    summary="Approve the current version (P4)",
    tag="posts",
    roles=DECIDERS,
    query=(SEEN_VERSION,),
    response="Post",
    errors=(400, 403, 404, 409),
)
def approve_post(request: Request, post_id: str) -> dict[str, Any]:
    from chalicelib.core.audit import Actor

    seen = seen_version(request)
    return _post(
        get_service().posts.approve_post(Actor.of(request.caller), post_id, seen_version=seen)
    )


@api.route(
    "/posts/{post_id}/reject",
    "POST",
    summary="Reject with a reason (P6)",
    tag="posts",
    roles=DECIDERS,
    body="Reject",
    query=(SEEN_VERSION,),
    response="Post",
    errors=(400, 403, 404, 409),
)
def reject_post(request: Request, post_id: str) -> dict[str, Any]:
    from chalicelib.core.audit import Actor

    post = get_service().posts.reject_post(
        Actor.of(request.caller), post_id, request.body.reason, seen_version=seen_version(request)
    )
    return _post(post)


@api.route(
    "/posts/{post_id}/cancel",
    "POST",
    summary="Cancel a post that is not published",
    tag="posts",
    roles=DRAFTERS,
    response="Post",
    errors=(403, 404, 409),
)
def cancel_post(request: Request, post_id: str) -> dict[str, Any]:
    return _post(get_service().posts.cancel_post(request.caller, post_id))


@api.route(
    "/posts/{post_id}/audit",
    "GET",
    summary="The post's audit trail (P10)",
    tag="audit",
    errors=(404,),
)
def post_audit(request: Request, post_id: str) -> dict[str, Any]:
    return {
        "entries": [e.to_dict() for e in get_service().posts.audit_of_post(request.caller, post_id)]
    }


@api.route(
    "/accounts/{account_id}/feed",
    "POST",
    summary="Make a new secret iCalendar feed URL (the old one stops working)",
    tag="calendar",
    roles=MANAGERS,
    ok=201,
    errors=(404,),
)
def rotate_feed(request: Request, account_id: str) -> dict[str, Any]:
    return {"url": get_service().posts.rotate_feed_secret(request.caller, account_id)}


@api.route(
    "/feeds/{account_id}/{secret}",
    "GET",
    summary="The account's calendar as iCalendar (RFC 5545); the URL is the secret",
    tag="calendar",
    auth=False,
    produces="text/calendar",
    errors=(404,),
)
def feed(request: Request, account_id: str, secret: str) -> Reply:
    body = get_service().posts.feed(account_id, secret)
    return Reply(
        body.decode(),
        content_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=60"},
    )
