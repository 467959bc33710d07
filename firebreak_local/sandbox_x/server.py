"""Serving the sandbox X: the WSGI application, its X API routing, and the loopback server.

``SandboxX`` is the whole sandbox: the resource parts (``users``, ``posts``,
``timelines``, ``faults``) and the control endpoints (``control``) over one
shared state (``state``), answering ``/2/...`` like X API v2 and ``/_sandbox/...``
for control. ``start_sandbox_x`` serves one on a loopback port from a daemon
thread; ``main`` is ``python -m firebreak_local.sandbox_x``.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.types import StartResponse, WSGIEnvironment

from werkzeug.serving import WSGIRequestHandler
from werkzeug.wrappers import Request, Response

from firebreak_local.loopback import RunningSandbox, serve_on_loopback, serve_until_interrupted
from firebreak_local.sandbox_x.control import ControlMixin
from firebreak_local.sandbox_x.faults import RATE_LIMITS
from firebreak_local.sandbox_x.state import Caller, iso
from firebreak_local.sandbox_x.wire import (
    PROBLEMS,
    ApiError,
    error_body,
    invalid_param,
    json_response,
    split_csv,
)

# The package's name, as when the sandbox was one module, so logging set-ups keep working.
log = logging.getLogger("firebreak_local.sandbox_x")


class SandboxX(ControlMixin):
    """The sandbox X: WSGI application plus its in-memory, thread-safe state.

    ``clock`` returns epoch seconds; tests may pass a fake one to move rate-limit
    windows and post timestamps.
    """

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            if request.path.startswith("/_sandbox/"):
                response = self._control(request)
            elif request.path.startswith("/2/"):
                response = self._api(request)
            else:
                response = self._api_error(
                    ApiError(404, "Not Found", "Sorry, that page does not exist.")
                )
        except Exception:  # outermost boundary: a bug in the sandbox must still get an answer
            log.exception("sandbox X failed on %s %s", request.method, request.path)
            response = self._api_error(
                ApiError(
                    500,
                    "Internal Server Error",
                    "The sandbox X failed; see its log.",
                    problem_type=PROBLEMS + "internal-error",
                )
            )
        return response(environ, start_response)

    def _api_error(self, error: ApiError) -> Response:
        return json_response(error.status, error_body(error), error.headers)

    def _api(self, request: Request) -> Response:
        try:
            response, user_id = self._api_inner(request)
        except ApiError as error:
            response, user_id = self._api_error(error), None
        with self._lock:
            self._log.append(
                {
                    "method": request.method,
                    "path": request.path,
                    "query": request.query_string.decode("latin-1"),
                    "status": response.status_code,
                    "user_id": user_id,
                    "at": iso(self._now()),
                }
            )
        return response

    def _api_inner(self, request: Request) -> tuple[Response, str | None]:
        method, path = request.method, request.path
        key = self._route_key(method, path)
        self._apply_faults(method, path, key)
        if key is None:
            raise ApiError(404, "Not Found", "Sorry, that page does not exist.")
        caller = self._authenticate(request)
        limit, app_limit = RATE_LIMITS[key]
        if not caller.user_context and app_limit is None:
            raise ApiError(
                403,
                "Unsupported Authentication",
                "Authenticating with OAuth 2.0 Application-Only is forbidden for this "
                "endpoint.  Supported authentication types are [OAuth 1.0a User Context, "
                "OAuth 2.0 User Context].",
                problem_type=PROBLEMS + "unsupported-authentication",
            )
        effective_limit = limit if caller.user_context or app_limit is None else app_limit
        rate_headers = self._take_rate_limit(caller, key, effective_limit)
        try:
            status, body = self._dispatch(key, request, caller)
        except ApiError as error:
            error.headers = {**rate_headers, **error.headers}
            raise
        return json_response(status, body, rate_headers), caller.user_id

    @staticmethod
    def _route_key(method: str, path: str) -> str | None:
        segments = path.rstrip("/").split("/")[1:]  # "/2/tweets/1" -> ["2", "tweets", "1"]
        if segments[:1] != ["2"]:
            return None
        rest = segments[1:]
        if rest == ["users", "me"]:
            template = "/2/users/me"
        elif rest == ["tweets"]:
            template = "/2/tweets"
        elif rest == ["tweets", "search", "recent"]:
            template = "/2/tweets/search/recent"
        elif len(rest) == 2 and rest[0] == "tweets":
            template = "/2/tweets/{id}"
        elif len(rest) == 3 and rest[0] == "users" and rest[2] in ("tweets", "mentions"):
            template = f"/2/users/{{id}}/{rest[2]}"
        else:
            return None
        key = f"{method} {template}"
        return key if key in RATE_LIMITS else None

    def _dispatch(self, key: str, request: Request, caller: Caller) -> tuple[int, dict[str, Any]]:
        segments = request.path.rstrip("/").split("/")
        if key == "GET /2/users/me":
            return self._get_me(request, caller)
        if key == "POST /2/tweets":
            return self._create(request, caller)
        if key == "DELETE /2/tweets/{id}":
            return self._delete(segments[3], caller)
        if key == "GET /2/tweets/search/recent":
            return self._search_recent(request)
        if key == "GET /2/tweets/{id}":
            return self._lookup(request, [segments[3]], single=True)
        if key == "GET /2/tweets":
            ids = request.args.get("ids")
            if not ids:
                raise invalid_param("ids", "", "The `ids` query parameter can not be empty")
            id_list = split_csv(ids)
            if len(id_list) > 100:
                raise invalid_param(
                    "ids",
                    ids,
                    "The number of values in the `ids` query parameter list [...] "
                    "is not between 1 and 100",
                )
            return self._lookup(request, id_list, single=False)
        # GET /2/users/{id}/tweets or /mentions
        return self._timeline(request, segments[3], mentions=segments[4] == "mentions")


class _QuietHandler(WSGIRequestHandler):
    """Request handler that does not log every request (the sandbox keeps its own log)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


# What ``start_sandbox_x`` returns: ``app``, ``url``, ``stop()``.
RunningSandboxX = RunningSandbox[SandboxX]


def start_sandbox_x(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    app: SandboxX | None = None,
    clock: Callable[[], float] | None = None,
) -> RunningSandboxX:
    """Serve a sandbox X on ``http://127.0.0.1:<port>`` (``port=0``: any free port).

    Only the loopback interface is ever bound: the control endpoints have no auth.
    """
    sandbox = app or (SandboxX(clock=clock) if clock else SandboxX())
    return serve_on_loopback("X", sandbox, host, port, _QuietHandler)


def main(argv: list[str] | None = None) -> None:
    """Run a sandbox X in the foreground until interrupted."""
    parser = argparse.ArgumentParser(description="Run the sandbox X on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    serve_until_interrupted(start_sandbox_x(port=args.port), "X")
