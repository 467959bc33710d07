"""What the sandbox Bluesky puts on the wire: XRPC errors (``{"error", "message"}``
with the HTTP status XRPC uses for them), JSON responses, and parameter parsing
that answers ``InvalidRequest`` as XRPC servers do.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from werkzeug.wrappers import Request, Response

# The error name an XRPC server gives a bare HTTP status (used by injected faults).
STATUS_ERRORS = {
    400: "InvalidRequest",
    401: "AuthenticationRequired",
    403: "Forbidden",
    404: "NotFound",
    413: "PayloadTooLarge",
    429: "RateLimitExceeded",
    500: "InternalServerError",
    501: "MethodNotImplemented",
    502: "UpstreamFailure",
    503: "NotEnoughResources",
    504: "UpstreamTimeout",
}
_MESSAGES = {
    "RateLimitExceeded": "Rate Limit Exceeded",
    "InternalServerError": "Internal Server Error",
    "MethodNotImplemented": "Method Not Implemented",
    "UpstreamFailure": "Upstream Failure",
    "NotEnoughResources": "Not Enough Resources",
    "UpstreamTimeout": "Upstream Timeout",
    "AuthenticationRequired": "Authentication Required",
}


class SandboxError(ValueError):
    """A control call (a Python method on the sandbox) was given something it cannot do."""


class XrpcError(Exception):
    """Raised inside handlers to answer with an XRPC error body."""

    def __init__(
        self,
        status: int,
        error: str,
        message: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        text = message or _MESSAGES.get(error, error)
        super().__init__(text)
        self.status = status
        self.error = error
        self.message = text
        self.headers = dict(headers or {})

    @classmethod
    def for_status(cls, status: int, headers: Mapping[str, str] | None = None) -> XrpcError:
        name = STATUS_ERRORS.get(status, "InternalServerError" if status >= 500 else "Error")
        return cls(status, name, headers=headers)


def invalid(message: str) -> XrpcError:
    return XrpcError(400, "InvalidRequest", message)


def json_response(
    status: int, body: Mapping[str, Any], headers: Mapping[str, str] | None = None
) -> Response:
    response = Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        mimetype="application/json",
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def error_response(error: XrpcError) -> Response:
    return json_response(
        error.status, {"error": error.error, "message": error.message}, error.headers
    )


def json_body(request: Request) -> dict[str, Any]:
    """A procedure's JSON input; ``InvalidRequest`` when it is not a JSON object."""
    try:
        body = json.loads(request.get_data(as_text=True) or "null")
    except json.JSONDecodeError:
        raise invalid("Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise invalid("Request body must be a JSON object")
    return body


def required(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    if not isinstance(value, str) or not value:
        raise invalid(f'Params must have the property "{name}"')
    return value


def limit_param(request: Request, default: int = 50, maximum: int = 100) -> int:
    raw = request.args.get("limit")
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid("limit must be an integer") from None
    if not 1 <= value <= maximum:
        raise invalid(f"limit can not be less than 1 or greater than {maximum}")
    return value
