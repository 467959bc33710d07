"""What the sandbox X puts on the wire: errors, problem bodies, JSON responses, and
the validation of query parameters that answers with X's invalid-request problem.

Error bodies: X's problem fields (``title``, ``detail``, ``type``, ``status``,
plus an ``errors`` array of problems where X sends one) and, because the spec's
``default`` JSON error schema requires them, ``code`` (the HTTP status) and
``message``. Problem ``type`` URIs use ``https://api.x.com/2/problems/...`` as
in the spec.

Control endpoints answer ``{"error": message}`` with the status of the
``SandboxError`` raised.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from werkzeug.wrappers import Request, Response

PROBLEMS = "https://api.x.com/2/problems/"
ID_RE = re.compile(r"^[0-9]{1,19}$")


class SandboxError(Exception):
    """A control call was invalid; ``status`` is the HTTP status the control API answers."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class ApiError(Exception):
    """Raised inside API handlers to answer with an X-shaped error."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        problem_type: str = "about:blank",
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.problem_type = problem_type
        self.errors = errors
        self.headers = headers or {}


def invalid_param(name: str, value: str, message: str) -> ApiError:
    problem = {
        "type": PROBLEMS + "invalid-request",
        "title": "Invalid Request",
        "detail": message,
        "parameter": name,
        "value": value,
        # X's own keys for this error, kept alongside the spec's.
        "parameters": {name: [value]},
        "message": message,
    }
    return ApiError(
        400,
        "Invalid Request",
        "One or more parameters to your request was invalid.",
        problem_type=PROBLEMS + "invalid-request",
        errors=[problem],
    )


def not_found_problem(post_id: str, parameter: str) -> dict[str, Any]:
    return {
        "value": post_id,
        "detail": f"Could not find tweet with {parameter}: [{post_id}].",
        "title": "Not Found Error",
        "resource_type": "tweet",
        "parameter": parameter,
        "resource_id": post_id,
        "type": PROBLEMS + "resource-not-found",
    }


def error_body(error: ApiError) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if error.errors:
        body["errors"] = error.errors
    body.update(
        {
            "title": error.title,
            "detail": error.detail,
            "type": error.problem_type,
            "status": error.status,
            # The spec's only JSON error schema ("Error") requires these two.
            "code": error.status,
            "message": error.detail,
        }
    )
    return body


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return Response(
        json.dumps(body, separators=(",", ":")),
        # A string status, because werkzeug upper-cases the phrase of an int one.
        status=f"{status} {phrase}",
        headers=headers or {},
        content_type="application/json; charset=utf-8",
    )


def reject_unknown(body: dict[str, Any], known: set[str]) -> None:
    unknown = sorted(set(body) - known)
    if unknown:
        raise SandboxError(400, f"unknown field(s) {unknown}; expected some of {sorted(known)}")


# Parameter parsing ----------------------------------------------------------


def split_csv(value: str | None) -> list[str]:
    if value is None:
        return []
    return [part for part in value.split(",") if part]


def enum_param(request: Request, names: tuple[str, ...], allowed: frozenset[str]) -> set[str]:
    values: set[str] = set()
    for name in names:
        raw = request.args.get(name)
        if raw is None:
            continue
        for value in split_csv(raw):
            if value not in allowed:
                raise invalid_param(
                    name,
                    value,
                    f"The `{name}` query parameter value [{value}] is not one of "
                    f"[{','.join(sorted(allowed))}]",
                )
            values.add(value)
    return values


def id_param(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not ID_RE.match(value):
        raise invalid_param(
            name, value, f"The `{name}` query parameter value [{value}] is not valid"
        )
    return value


def time_param(request: Request, name: str) -> datetime | None:
    value = request.args.get(name)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise invalid_param(
            name, value, f"Invalid '{name}':'{value}'. '{name}' must be an RFC 3339 timestamp"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
