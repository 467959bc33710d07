"""Routes of publishing freezes (P9): list, start, and lift with two admins."""

from __future__ import annotations

from typing import Any

from chalicelib.api.routing import (
    MANAGERS,
    Reply,
    Request,
    Routes,
)
from chalicelib.core.errors import FreezeLiftPending
from chalicelib.core.users import Role
from chalicelib.wiring import get_service

api = Routes(__name__)


@api.route("/freezes", "GET", summary="Active publishing freezes (P9)", tag="freezes")
def list_freezes(request: Request) -> dict[str, Any]:
    return {"freezes": [f.to_dict() for f in get_service().freezes.list_freezes(request.caller)]}


@api.route(
    "/freezes",
    "POST",
    summary='Freeze one account, or "all" (every account of the brand), with a reason (P9)',
    tag="freezes",
    roles=MANAGERS,
    body="FreezeBody",
    ok=201,
    errors=(400, 403, 404),
)
def start_freeze(request: Request) -> dict[str, Any]:
    body = request.body
    return get_service().freezes.freeze(request.caller, body.scope, body.reason).to_dict()


@api.route(
    "/freezes/{scope}/lift",
    "POST",
    summary="Ask to lift a freeze; the second, different admin's call lifts it",
    tag="freezes",
    roles=(Role.ADMIN,),
    errors=(403, 404),
)
def lift_freeze(request: Request, scope: str) -> Reply:
    try:
        get_service().freezes.lift_freeze(request.caller, scope)
    except FreezeLiftPending as exc:
        return Reply({"scope": scope, "lifted": False, "message": exc.message}, status=202)
    return Reply({"scope": scope, "lifted": True})
