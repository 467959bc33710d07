"""Routes of the platform: health, this API's OpenAPI document, who am I."""

from __future__ import annotations

from typing import Any

from chalicelib.api.routing import (
    Reply,
    Request,
    Routes,
)
from chalicelib.wiring import get_service

api = Routes(__name__)


@api.route("/health", "GET", summary="Health of every component", tag="platform", auth=False)
def health(request: Request) -> Reply:
    from chalicelib.platform.health import check_health

    report = check_health()
    return Reply(report, status=200 if report["status"] == "ok" else 503)


@api.route(
    "/openapi.json", "GET", summary="This API's OpenAPI 3 document", tag="platform", auth=False
)
def openapi(request: Request) -> dict[str, Any]:
    from chalicelib.api.openapi import build_document

    return build_document(Routes.all_docs())


@api.route("/me", "GET", summary="The caller: id, role, brand, accounts", tag="platform")
def me(request: Request) -> dict[str, Any]:
    user = request.caller
    return {
        "id": user.id,
        "name": user.name,
        "role": user.role.value,
        "brand_id": user.brand_id,
        "agency_id": user.agency_id,
        "accounts": [a.id for a in get_service().accounts.list_accounts(user)],
    }
