"""Routes of the mentions (M1-M3): the series against its baseline, alerts, the
recent mentions by urgency, the listening state, and the settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.api.routing import MANAGERS, QueryParam, Request, Routes
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
