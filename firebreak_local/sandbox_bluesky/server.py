"""Serving the sandbox Bluesky: the WSGI application, its XRPC routing, rate limits,
injected faults, and the loopback server.

Every XRPC answer carries ``ratelimit-limit``, ``ratelimit-remaining``,
``ratelimit-reset`` (epoch seconds) and ``ratelimit-policy`` for the PDS's global
limit (3,000 calls per 5 minutes per account, or per address without a token);
running out answers 429 ``RateLimitExceeded``. ``createSession`` has its own
limits (``sessions``). Injected faults (``fail_next``) apply before anything else.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from wsgiref.types import StartResponse, WSGIEnvironment

from werkzeug.serving import WSGIRequestHandler
from werkzeug.wrappers import Request, Response

from firebreak_local.loopback import RunningSandbox, serve_on_loopback, serve_until_interrupted
from firebreak_local.sandbox_bluesky.state import Account, Window, iso
from firebreak_local.sandbox_bluesky.surge import SurgeMixin
from firebreak_local.sandbox_bluesky.wire import (
    XrpcError,
    error_response,
    invalid,
    json_response,
)

log = logging.getLogger("firebreak_local.sandbox_bluesky")

GLOBAL_LIMIT = (3000, 300)  # calls, window seconds
FAULT_RESET_S = 300


@dataclass(frozen=True)
class Route:
    method: str  # "GET" (query) or "POST" (procedure)
    auth: str  # "required", "optional", "none" or "refresh"
    handler: str  # the SandboxBluesky method that answers


ROUTES = {
    "com.atproto.server.createSession": Route("POST", "none", "_create_session"),
    "com.atproto.server.refreshSession": Route("POST", "refresh", "_refresh_session"),
    "com.atproto.server.getSession": Route("GET", "required", "_get_session"),
    "com.atproto.server.describeServer": Route("GET", "none", "_describe_server"),
    "com.atproto.repo.createRecord": Route("POST", "required", "_create_record"),
    "com.atproto.repo.deleteRecord": Route("POST", "required", "_delete_record"),
    "com.atproto.repo.getRecord": Route("GET", "optional", "_get_record"),
    "com.atproto.identity.resolveHandle": Route("GET", "optional", "_resolve_handle"),
    "app.bsky.feed.getPosts": Route("GET", "optional", "_get_posts"),
    "app.bsky.feed.getAuthorFeed": Route("GET", "optional", "_get_author_feed"),
    "app.bsky.feed.searchPosts": Route("GET", "optional", "_search_posts"),
    "app.bsky.notification.listNotifications": Route("GET", "required", "_list_notifications"),
    "app.bsky.actor.getProfile": Route("GET", "optional", "_get_profile"),
    "app.bsky.actor.getProfiles": Route("GET", "optional", "_get_profiles"),
}


class SandboxBluesky(SurgeMixin):
    """The sandbox Bluesky: WSGI application plus its in-memory, thread-safe state.

    ``clock`` returns epoch seconds; tests pass a fixed one. See the package's
    docstring for what it serves and the mixins for each part.
    """

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            if request.path.startswith("/xrpc/"):
                response = self._xrpc(request)
            else:
                response = error_response(XrpcError(404, "NotFound", "Not Found"))
        except Exception:  # outermost boundary: a bug in the sandbox must still get an answer
            log.exception("sandbox Bluesky failed on %s %s", request.method, request.path)
            response = error_response(
                XrpcError(500, "InternalServerError", "The sandbox Bluesky failed; see its log")
            )
        return response(environ, start_response)

    def _xrpc(self, request: Request) -> Response:
        nsid = request.path[len("/xrpc/") :].strip("/")
        caller: Account | None = None
        try:
            self._apply_faults(nsid)
            route = ROUTES.get(nsid)
            if route is None:
                raise XrpcError(501, "MethodNotImplemented", "Method Not Implemented")
            if request.method != route.method:
                raise invalid(f"Incorrect HTTP method ({request.method}) expected {route.method}")
            if route.auth in ("required", "optional"):
                caller = self._authenticate(request, required_auth=route.auth == "required")
            headers = self._take_rate_limit(caller.did if caller else request.remote_addr or "-")
            try:
                body = self._dispatch(route, request, caller)
            except XrpcError as error:
                error.headers = {**headers, **error.headers}
                raise
            response = json_response(200, body, headers)
        except XrpcError as error:
            response = error_response(error)
        with self._lock:
            self._log.append(
                {
                    "method": request.method,
                    "nsid": nsid,
                    "query": request.query_string.decode("latin-1"),
                    "status": response.status_code,
                    "did": caller.did if caller else None,
                    "at": iso(self._now_micros()),
                }
            )
        return response

    def _dispatch(self, route: Route, request: Request, caller: Account | None) -> dict[str, Any]:
        base_url = request.host_url.rstrip("/")
        handler = route.handler
        if handler in ("_create_session", "_refresh_session"):
            result: dict[str, Any] = getattr(self, handler)(request, base_url)
        elif handler == "_get_session":
            assert caller is not None
            result = self._get_session(caller, base_url)
        elif handler == "_describe_server":
            result = self._describe_server(base_url)
        elif route.auth == "required":
            assert caller is not None
            result = getattr(self, handler)(request, caller)
        else:
            result = getattr(self, handler)(request)
        return result

    def _describe_server(self, base_url: str) -> dict[str, Any]:
        host = base_url.split("://", 1)[-1].split(":", 1)[0]
        return {
            "did": f"did:web:{host}",
            "availableUserDomains": [".bsky.social"],
            "inviteCodeRequired": False,
            "links": {},
        }

    # ------------------------------------------------------------------ limits, faults

    def _apply_faults(self, nsid: str) -> None:
        with self._lock:
            fault = next((f for f in self._faults if f.nsid in (None, nsid)), None)
            if fault is None:
                return
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
        if fault.delay_s:
            self.stopping.wait(fault.delay_s)  # interruptible: stop() does not wait it out
        if fault.status is None:
            return
        headers: dict[str, str] = {}
        if fault.status == 429:
            limit, span = GLOBAL_LIMIT
            reset = fault.reset if fault.reset is not None else self._epoch() + FAULT_RESET_S
            headers = {
                "ratelimit-limit": str(limit),
                "ratelimit-remaining": "0",
                "ratelimit-reset": str(reset),
                "ratelimit-policy": f"{limit};w={span}",
            }
        raise XrpcError.for_status(fault.status, headers)

    def _epoch(self) -> int:
        return self._now_micros() // 1_000_000

    def _take_rate_limit(self, key: str) -> dict[str, str]:
        limit, span = GLOBAL_LIMIT
        now = self._epoch()
        with self._lock:
            window = self._windows.get(key)
            if window is None or now >= window.reset:
                window = Window(reset=now + span)
                self._windows[key] = window
            headers = {
                "ratelimit-limit": str(limit),
                "ratelimit-remaining": str(max(limit - window.used - 1, 0)),
                "ratelimit-reset": str(window.reset),
                "ratelimit-policy": f"{limit};w={span}",
            }
            if self.enforce_rate_limits and window.used >= limit:
                raise XrpcError(
                    429, "RateLimitExceeded", headers={**headers, "ratelimit-remaining": "0"}
                )
            window.used += 1
            return headers


class _QuietHandler(WSGIRequestHandler):
    """Request handler that does not log every request (the sandbox keeps its own log)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


# What ``start_sandbox_bluesky`` returns: ``app``, ``url``, ``stop()``.
RunningSandboxBluesky = RunningSandbox[SandboxBluesky]


def start_sandbox_bluesky(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    app: SandboxBluesky | None = None,
    clock: Callable[[], float] = time.time,
) -> RunningSandboxBluesky:
    """Serve a sandbox Bluesky on ``http://127.0.0.1:<port>`` (``port=0``: any free port).

    Only the loopback interface is ever bound: the sandbox has no real security."""
    sandbox = app or SandboxBluesky(clock=clock)
    return serve_on_loopback("Bluesky", sandbox, host, port, _QuietHandler, poll_interval=0.1)


def main(argv: list[str] | None = None) -> None:
    """Run a sandbox Bluesky in the foreground until interrupted."""
    parser = argparse.ArgumentParser(description="Run the sandbox Bluesky on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument(
        "--account",
        action="append",
        default=[],
        metavar="HANDLE",
        help="register an account at start (repeatable); its app password is printed",
    )
    args = parser.parse_args(argv)
    running = start_sandbox_bluesky(port=args.port)
    for handle in args.account:
        account = running.app.add_account(handle)
        print(f"account {account['handle']} {account['did']} password {account['app_password']}")
    serve_until_interrupted(running, "Bluesky")
