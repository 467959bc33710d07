"""Domain errors to HTTP statuses, in one place; the error body every caller gets."""

from __future__ import annotations

from typing import Any

from chalicelib.core import errors as e

STATUS: dict[type[e.DomainError], int] = {
    e.ValidationFailed: 400,
    e.Unauthenticated: 401,
    e.Forbidden: 403,
    e.SelfApprovalForbidden: 403,
    e.NotFound: 404,
    e.IllegalTransition: 409,
    e.Conflict: 409,
    e.AlreadyDecided: 409,
    e.FreezeLiftPending: 202,
    e.PolicyViolation: 422,
    e.LinkInvalid: 410,  # expired, used, stale: the link can never decide again
    e.LinkUnknown: 404,
    e.LinkMisused: 400,
    e.LinkNotYours: 403,
    e.VersionChanged: 409,
    e.TooManyRequests: 429,
}


def status_for(error: e.DomainError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def error_body(code: str, message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if field:
        body["field"] = field
    body.update(extra)
    return {"error": body}


def domain_error_body(error: e.DomainError) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if isinstance(error, e.PolicyViolation):
        extra["rules"] = error.rules
    return error_body(error.code, error.message, error.field, **extra)


def pydantic_error_body(exc: Any) -> dict[str, Any]:
    """The first problem of a pydantic ``ValidationError``, naming its field."""
    first = exc.errors()[0]
    loc = ".".join(str(p) for p in first["loc"]) or None
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "is not a known field"
    return error_body("validation_failed", f"{loc}: {message}" if loc else message, loc)


# Chalice answers some requests itself, before any route runs, with a body of its own
# ({"Code", "Message"}): these get the one error shape every other answer has.
_CHALICE_CODES = {
    400: "bad_request",
    405: "method_not_allowed",
    415: "unsupported_media_type",
    500: "internal",
}


def uniform_errors(event: Any, get_response: Any) -> Any:
    """Chalice HTTP middleware: Chalice's own error bodies in Firebreak's shape."""
    response = get_response(event)
    body = response.body
    if isinstance(body, dict) and set(body) == {"Code", "Message"}:
        code = _CHALICE_CODES.get(response.status_code, "error")
        response.body = error_body(code, str(body["Message"]))
        response.headers = {**(response.headers or {}), "Content-Type": "application/json"}
    return response
