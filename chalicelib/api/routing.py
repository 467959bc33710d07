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
from typing import Any, ClassVar
from urllib.parse import parse_qs

from chalicelib.api.errors import domain_error_body, error_body, pydantic_error_body, status_for
from chalicelib.core.errors import DomainError, NotFound, ValidationFailed
from chalicelib.core.users import Role, User
from chalicelib.networks.social import SocialNetworkError

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


DRAFTERS = (Role.AUTHOR, Role.AGENCY, Role.BRAND_OWNER, Role.ADMIN)
DECIDERS = (Role.APPROVER, Role.BRAND_OWNER, Role.ADMIN)
MANAGERS = (Role.BRAND_OWNER, Role.ADMIN)  # SENIOR_ROLES, in the order errors name them

SEEN_VERSION = QueryParam(
    "version",
    "the version you reviewed: the decision is refused (409) if it changed since",
    schema={"type": "integer", "minimum": 1},
)


def seen_version(request: Request) -> int | None:
    """``?version=``: the version the caller reviewed, or None."""
    raw = request.query.get("version")
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise ValidationFailed("must be a positive whole number", field="version")
    return int(raw)


def authenticate(api_key: str | None) -> User:
    """The caller of an API key (the accounts service, built lazily by the wiring)."""
    from chalicelib.wiring import get_service

    return get_service().accounts.authenticate(api_key)


class Routes:
    """One capability's routes: a Chalice ``Blueprint`` that ``app.py`` registers, and
    what the OpenAPI document says about each route. Every ``Routes`` made is listed in
    ``Routes.every`` (in import order), so the document covers them all."""

    every: ClassVar[list[Routes]] = []

    def __init__(
        self, import_name: str, authenticate: Callable[[str | None], User] = authenticate
    ) -> None:
        from chalice import Blueprint

        self.module = import_name
        self.blueprint = Blueprint(import_name)
        self.docs: list[RouteDoc] = []
        self._authenticate = authenticate
        Routes.every.append(self)

    @classmethod
    def all_docs(cls) -> list[RouteDoc]:
        return [doc for routes in cls.every for doc in routes.docs]

    def route(
        self,
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

            app = self.blueprint

            def view(**params: str) -> Any:
                return self._handle(
                    app, fn, params, auth=auth, roles=roles, body=body, ok=ok, produces=produces
                )

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
        produces: str = JSON,
    ) -> Any:
        from chalice import Response

        current = app.current_request
        headers = {k.lower(): v for k, v in (current.headers or {}).items()}
        reply = _html if produces == "text/html" else _json
        try:
            _check_path_params(params)
            user = None
            if auth:
                user = self._authenticate(headers.get("x-api-key"))
                if roles and user.role not in roles:
                    return reply(
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
            return reply(status_for(exc), domain_error_body(exc))
        except SocialNetworkError as exc:
            # X (or its credentials) failed under a request: say so, never a bare 500.
            logger.warning("network error in %s: %s", fn.__name__, type(exc).__name__)
            return reply(
                503, error_body("network_unavailable", f"the network could not be reached: {exc}")
            )
        except Exception:
            # Outermost boundary: log it with the route, never show the trace to the caller.
            logger.exception("unhandled error in %s", fn.__name__)
            return reply(500, error_body("internal", "something went wrong on our side"))
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


def _html(status: int, body: Any) -> Any:
    """An error on a page route, as a page: a browser gets something a person can read
    (the same code and message as the JSON error)."""
    from chalice import Response

    from chalicelib.api.pages import error_page

    error = body["error"]
    return Response(
        error_page(status, error["code"], error["message"]),
        status_code=status,
        headers={"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"},
    )


MAX_ID_LENGTH = 200  # every id, key and token in a path is far shorter


def _check_path_params(params: dict[str, str]) -> None:
    """An id that cannot exist is not looked up: too long for DynamoDB's keys, or with
    characters no id has."""
    for name, value in params.items():
        if len(value) > MAX_ID_LENGTH or not value.isprintable():
            what = name.removesuffix("_id").replace("_", " ")
            raise NotFound(f"no such {what}", field=name)


MAX_BODY_DEPTH = 8  # the deepest body Firebreak takes is 3 (approval rules)
MAX_NUMBER_CHARS = 30


def _number(text: str) -> Any:
    # Python refuses ints past 4,300 digits with a ValueError; no field needs more than a
    # handful, so anything long is refused as bad input before it is converted.
    if len(text) > MAX_NUMBER_CHARS:
        raise ValidationFailed(f"has a number of {len(text)} characters", field="body")
    return float(text) if any(c in text for c in ".eE") else int(text)


def _no_constant(name: str) -> Any:
    raise ValidationFailed(f"is not valid JSON ({name} is not a JSON number)", field="body")


def _depth(value: Any) -> int:
    """Nesting depth without recursion (a deep body must not exhaust the stack here)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            if level > MAX_BODY_DEPTH:
                return level
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, level + 1) for child in children)
    return deepest


def parse_json_body(raw: bytes) -> Any:
    """The body as JSON, or a ``ValidationFailed`` naming ``body``: bad UTF-8, bad JSON,
    NaN/Infinity, huge numbers, nesting deeper than ``MAX_BODY_DEPTH``."""
    # Cheap pre-check: json's decoder recurses per level and a 10 KB body of brackets
    # would raise RecursionError deep inside it.
    if raw.count(b"[") + raw.count(b"{") > MAX_BODY_DEPTH and _bracket_depth(raw) > MAX_BODY_DEPTH:
        raise ValidationFailed(f"is nested deeper than {MAX_BODY_DEPTH} levels", field="body")
    try:
        data = json.loads(raw, parse_int=_number, parse_float=_number, parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationFailed(f"is not valid JSON ({exc})", field="body") from None
    except RecursionError:
        raise ValidationFailed(
            f"is nested deeper than {MAX_BODY_DEPTH} levels", field="body"
        ) from None
    if _depth(data) > MAX_BODY_DEPTH:
        raise ValidationFailed(f"is nested deeper than {MAX_BODY_DEPTH} levels", field="body")
    return data


def _bracket_depth(raw: bytes) -> int:
    """The deepest bracket nesting outside JSON strings."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _parse_body(model_name: str, raw: bytes) -> Any:
    from pydantic import ValidationError

    from chalicelib.api import schemas

    model = getattr(schemas, model_name)
    if not raw.strip():
        raise ValidationFailed("a JSON body is required", field="body")
    data = parse_json_body(raw)
    if not isinstance(data, dict):
        raise ValidationFailed("must be a JSON object", field="body")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = pydantic_error_body(exc)["error"]
        raise ValidationFailed(err["message"], field=err.get("field")) from None
