"""Routes of the mentions (M1-M3): the series against its baseline, alerts, the
recent mentions by urgency, the listening state, and the settings."""

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
from chalicelib.wiring import get_mentions, get_service

api = Routes(__name__)

_ACCOUNT = "/accounts/{account_id}/mentions"
_TIME = {"type": "string", "format": "date-time"}


def _time(value: str | None, name: str) -> datetime | None:
    from chalicelib.core.times import parse_query_time

    return parse_query_time(value, name, get_service().clock.now())


def _int(raw: str | None, name: str, default: int) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or len(raw) > 6:
        raise ValidationFailed("must be a positive whole number", field=name)
    return int(raw)


@api.route(
    _ACCOUNT,
    "GET",
    summary="The account's recent mentions, most urgent first, with their scores (M2)",
    tag="mentions",
    query=(
        QueryParam("from", "created from this time (default: 24 hours before to)", schema=_TIME),
        QueryParam("to", "created before this time (default: now)", schema=_TIME),
        QueryParam("limit", "at most this many (1..500, default 100)", schema={"type": "integer"}),
    ),
    errors=(400, 404),
)
def list_mentions(request: Request, account_id: str) -> dict[str, Any]:
    q = request.query
    found = get_mentions().queries.recent(
        request.caller,
        account_id,
        start=_time(q.get("from"), "from"),
        end=_time(q.get("to"), "to"),
        limit=_int(q.get("limit"), "limit", 100),
    )
    return {"mentions": found}


@api.route(
    _ACCOUNT + "/series",
    "GET",
    summary="Mentions per bucket (total, negative, toxic, reach, about our posts) "
    "against the baseline band (M3)",
    tag="mentions",
    query=(
        QueryParam("from", "from this time (default: 24 hours before to)", schema=_TIME),
        QueryParam("to", "up to this time (default: now)", schema=_TIME),
    ),
    errors=(400, 404),
)
def mention_series(request: Request, account_id: str) -> dict[str, Any]:
    q = request.query
    start, end = _time(q.get("from"), "from"), _time(q.get("to"), "to")
    return get_mentions().queries.series(request.caller, account_id, start, end)


@api.route(
    _ACCOUNT + "/alerts",
    "GET",
    summary="Surge and negative-share alerts, newest first, each explained (M3)",
    tag="mentions",
    query=(
        QueryParam("limit", "at most this many (1..200, default 50)", schema={"type": "integer"}),
    ),
    errors=(400, 404),
)
def mention_alerts(request: Request, account_id: str) -> dict[str, Any]:
    limit = _int(request.query.get("limit"), "limit", 50)
    return {"alerts": get_mentions().queries.alerts(request.caller, account_id, limit)}


@api.route(
    _ACCOUNT + "/status",
    "GET",
    summary="Listening state: checkpoint, rate-limit pause, read budget, unfilled gaps (M1)",
    tag="mentions",
    errors=(404,),
)
def mention_status(request: Request, account_id: str) -> dict[str, Any]:
    return get_mentions().queries.status(request.caller, account_id)


@api.route(
    _ACCOUNT + "/settings",
    "GET",
    summary="The account's listening settings and alert thresholds",
    tag="mentions",
    errors=(404,),
)
def get_mention_settings(request: Request, account_id: str) -> dict[str, Any]:
    return get_mentions().queries.get_settings(request.caller, account_id)


@api.route(
    _ACCOUNT + "/settings",
    "PUT",
    summary="Change some of the account's listening settings and alert thresholds",
    tag="mentions",
    roles=MANAGERS,
    body="MentionSettingsBody",
    errors=(400, 403, 404),
)
def put_mention_settings(request: Request, account_id: str) -> dict[str, Any]:
    changes = request.body.changes()
    return get_mentions().queries.put_settings(request.caller, account_id, changes)


# ---------------------------------------------------------------- engagement queue (M4)
_QUEUE = "/accounts/{account_id}/queue"
_ITEM = _QUEUE + "/{mention_id}"


@api.route(
    _QUEUE,
    "GET",
    summary="The engagement queue, most urgent first (state: open, new, assigned, "
    "replied or dismissed)",
    tag="mentions",
    query=(
        QueryParam("state", "open (new and assigned; the default) or one state"),
        QueryParam("limit", "at most this many (1..200, default 50)", schema={"type": "integer"}),
    ),
    errors=(400, 404),
)
def engagement_queue(request: Request, account_id: str) -> dict[str, Any]:
    q = request.query
    items = get_mentions().engagement.queue(
        request.caller,
        account_id,
        state=q.get("state") or "open",
        limit=_int(q.get("limit"), "limit", 50),
    )
    return {"items": items}


@api.route(_ITEM, "GET", summary="One mention and its queue state", tag="mentions", errors=(404,))
def queue_item(request: Request, account_id: str, mention_id: str) -> dict[str, Any]:
    return get_mentions().engagement.item(request.caller, account_id, mention_id)


@api.route(
    _ITEM + "/assign",
    "POST",
    summary="Assign a mention to a person who may reply",
    tag="mentions",
    roles=DRAFTERS,
    body="AssignMention",
    errors=(400, 403, 404, 409),
)
def assign_mention(request: Request, account_id: str, mention_id: str) -> dict[str, Any]:
    return get_mentions().engagement.assign(
        request.caller, account_id, mention_id, request.body.assignee
    )


@api.route(
    _ITEM + "/dismiss",
    "POST",
    summary="Dismiss a mention: no reply needed",
    tag="mentions",
    roles=DRAFTERS,
    errors=(403, 404, 409),
)
def dismiss_mention(request: Request, account_id: str, mention_id: str) -> dict[str, Any]:
    return get_mentions().engagement.dismiss(request.caller, account_id, mention_id)


@api.route(
    _ITEM + "/reply",
    "POST",
    summary="Reply on the network (text or template): 201 posted, or 202 held for another person's "
    "approval while an incident is open or the risk scan flags it; 422 if a rule blocks it",
    tag="mentions",
    roles=DRAFTERS,
    body="ReplyBody",
    ok=201,
    errors=(400, 403, 404, 409, 422),
)
def reply_to_mention(request: Request, account_id: str, mention_id: str) -> Reply:
    body = request.body
    item, posted = get_mentions().engagement.reply(
        request.caller,
        account_id,
        mention_id,
        text=body.text,
        template_id=body.template_id,
        values=dict(body.values),
    )
    return Reply(item, status=201 if posted else 202)


@api.route(
    _ITEM + "/reply/approve",
    "POST",
    summary="Approve the held reply (not its author): it goes out at once, freeze or not",
    tag="mentions",
    roles=DECIDERS,
    query=(SEEN_VERSION,),
    errors=(400, 403, 404, 409),
)
def approve_reply(request: Request, account_id: str, mention_id: str) -> dict[str, Any]:
    return get_mentions().engagement.approve(
        request.caller, account_id, mention_id, version=seen_version(request)
    )


@api.route(
    _ITEM + "/reply/reject",
    "POST",
    summary="Reject the held reply with a reason",
    tag="mentions",
    roles=DECIDERS,
    body="Reject",
    query=(SEEN_VERSION,),
    errors=(400, 403, 404, 409),
)
def reject_reply(request: Request, account_id: str, mention_id: str) -> dict[str, Any]:
    return get_mentions().engagement.reject(
        request.caller, account_id, mention_id, request.body.reason, version=seen_version(request)
    )


@api.route(
    "/accounts/{account_id}/reply-templates",
    "GET",
    summary="The account's reply templates (placeholders in braces, e.g. {author})",
    tag="mentions",
    errors=(404,),
)
def list_templates(request: Request, account_id: str) -> dict[str, Any]:
    return {"templates": get_mentions().templates.templates(request.caller, account_id)}


@api.route(
    "/accounts/{account_id}/reply-templates/{template_id}",
    "PUT",
    summary="Create or replace a reply template for a language",
    tag="mentions",
    roles=MANAGERS,
    body="TemplateBody",
    errors=(400, 403, 404),
)
def put_template(request: Request, account_id: str, template_id: str) -> dict[str, Any]:
    b = request.body
    return get_mentions().templates.put_template(
        request.caller, account_id, template_id, b.lang, b.name, b.text
    )


@api.route(
    "/accounts/{account_id}/reply-templates/{template_id}",
    "DELETE",
    summary="Delete a reply template",
    tag="mentions",
    roles=MANAGERS,
    errors=(403, 404),
)
def delete_template(request: Request, account_id: str, template_id: str) -> dict[str, Any]:
    get_mentions().templates.delete_template(request.caller, account_id, template_id)
    return {"deleted": template_id}
