"""Declares API routes once: registers them with Chalice, wraps them in the error
contract and records what the OpenAPI document says about them.

Request models are named by string and resolved on first use, so that importing
``app.py`` (every Lambda's cold start) does not import pydantic.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from chalicelib.api.errors import domain_error_body, error_body, pydantic_error_body, status_for
from chalicelib.domain.errors import DomainError, ValidationFailed
from chalicelib.domain.social import SocialNetworkError
from chalicelib.domain.users import Role, User

logger = logging.getLogger("firebreak.api")

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class QueryParam:
    name: str
    description: str
    required: bool = False
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "string"})


@dataclass(frozen=True)
class RouteDoc:
    path: str
    method: str
    summary: str
    operation_id: str
    auth: bool
    roles: tuple[str, ...]
    body: str | None
    query: tuple[QueryParam, ...]
    ok_status: int
    produces: str
    response_schema: str | None
    errors: tuple[int, ...]
    tag: str


@dataclass
class Request:
    """What a handler gets: the caller, the validated body, the query and path."""

    user: User | None
    body: Any
    query: dict[str, str]
    headers: dict[str, str]
    form: dict[str, str]

    @property
    def caller(self) -> User:
        assert self.user is not None, "route declared auth=False"
        return self.user


class Reply:
    """A non-default reply: another status, content type or extra headers."""

    def __init__(
        self,
        body: Any,
        status: int = 200,
        content_type: str = JSON,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.body = body
        self.status = status
        self.content_type = content_type
        self.headers = headers or {}


class Routes:
    def __init__(self, authenticate: Callable[[str | None], User]) -> None:
        self.docs: list[RouteDoc] = []
        self._authenticate = authenticate

    def route(
        self,
        app: Any,
        path: str,
        method: str,
        *,
        summary: str,
        tag: str,
        auth: bool = True,
        roles: tuple[Role, ...] = (),
        body: str | None = None,
        query: tuple[QueryParam, ...] = (),
        ok: int = 200,
        produces: str = JSON,
        response: str | None = None,
        errors: tuple[int, ...] = (),
        content_types: tuple[str, ...] = (JSON,),
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
            self.docs.append(
                RouteDoc(
                    path=path,
                    method=method,
                    summary=summary,
                    operation_id=fn.__name__,
                    auth=auth,
                    roles=tuple(r.value for r in roles),
                    body=body,
                    query=query,
                    ok_status=ok,
                    produces=produces,
                    response_schema=response,
                    errors=errors,
                    tag=tag,
                )
            )

            def view(**params: str) -> Any:
                return self._handle(app, fn, params, auth=auth, roles=roles, body=body, ok=ok)

            view.__name__ = fn.__name__
            app.route(path, methods=[method], content_types=list(content_types))(view)
            return fn

        return decorate

    def _handle(
        self,
        app: Any,
        fn: Callable[..., Any],
        params: dict[str, str],
        *,
        auth: bool,
        roles: tuple[Role, ...],
        body: str | None,
        ok: int,
    ) -> Any:
        from chalice import Response

        current = app.current_request
        headers = {k.lower(): v for k, v in (current.headers or {}).items()}
        try:
            user = None
            if auth:
                user = self._authenticate(headers.get("x-api-key"))
                if roles and user.role not in roles:
                    return _json(
                        403,
                        error_body(
                            "forbidden",
                            f"role {user.role.value} may not do this; needs one of "
                            + ", ".join(r.value for r in roles),
                        ),
                    )
            raw = current.raw_body or b""
            ctype = headers.get("content-type", "").split(";")[0].strip()
            form = (
                {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
                if ctype == FORM
                else {}
            )
            parsed = _parse_body(body, raw) if body else None
            request = Request(user, parsed, dict(current.query_params or {}), headers, form)
            result = fn(request, **params)
        except DomainError as exc:
            return _json(status_for(exc), domain_error_body(exc))
        except SocialNetworkError as exc:
            # X (or its credentials) failed under a request: say so, never a bare 500.
            logger.warning("network error in %s: %s", fn.__name__, type(exc).__name__)
            return _json(503, error_body("network_unavailable", f"X could not be reached: {exc}"))
        except Exception:
            # Outermost boundary: log it with the route, never show the trace to the caller.
            logger.exception("unhandled error in %s", fn.__name__)
            return _json(500, error_body("internal", "something went wrong on our side"))
        if isinstance(result, Reply):
            payload = json.dumps(result.body) if result.content_type == JSON else result.body
            return Response(
                payload,
                status_code=result.status,
                headers={"Content-Type": result.content_type, **result.headers},
            )
        return _json(ok, result)


def _json(status: int, body: Any) -> Any:
    from chalice import Response

    return Response(json.dumps(body), status_code=status, headers={"Content-Type": JSON})


def _parse_body(model_name: str, raw: bytes) -> Any:
    from pydantic import ValidationError

    from chalicelib.api import schemas

    model = getattr(schemas, model_name)
    if not raw.strip():
        raise ValidationFailed("a JSON body is required", field="body")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationFailed(f"is not valid JSON ({exc})", field="body") from None
    if not isinstance(data, dict):
        raise ValidationFailed("must be a JSON object", field="body")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = pydantic_error_body(exc)["error"]
        raise ValidationFailed(err["message"], field=err.get("field")) from None
