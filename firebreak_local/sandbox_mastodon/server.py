"""Serving the sandbox Mastodon: the WSGI application and the loopback server.

``SandboxMastodon`` is the whole sandbox: the API (``api``), faults and rate limits
(``faults``), statuses and notifications (``statuses``), surges (``surge``) and the
control endpoints (``control``) over one shared state (``state``).
``start_sandbox_mastodon`` serves one on a loopback port from a daemon thread;
``main`` is ``python -m firebreak_local.sandbox_mastodon``.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable, Iterable
from email.utils import formatdate
from wsgiref.types import StartResponse, WSGIEnvironment

from werkzeug.serving import WSGIRequestHandler
from werkzeug.wrappers import Request, Response

from firebreak_local.loopback import RunningSandbox, serve_on_loopback, serve_until_interrupted
from firebreak_local.sandbox_mastodon.api import NOT_FOUND
from firebreak_local.sandbox_mastodon.control import ControlMixin, json_response
from firebreak_local.sandbox_mastodon.state import ApiError, iso

log = logging.getLogger("firebreak_local.sandbox_mastodon")


class SandboxMastodon(ControlMixin):
    """The sandbox Mastodon: WSGI application plus its in-memory, thread-safe state.

    ``clock`` returns epoch seconds; tests pass a fixed one so that ids, times and
    rate-limit windows do not depend on the machine's clock.
    """

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        try:
            if request.path.startswith("/_sandbox/"):
                response = self._control(request)
            else:
                response = self._api(request)
        except Exception:  # outermost boundary: a bug in the sandbox must still get an answer
            log.exception("sandbox Mastodon failed on %s %s", request.method, request.path)
            response = json_response(500, {"error": "The sandbox Mastodon failed; see its log."})
        return response(environ, start_response)

    def _api(self, request: Request) -> Response:
        account_id = None
        rate_headers: dict[str, str] = {}
        try:
            route = self._route(request.method, request.path)
            # Rack::Attack counts a token's requests per account, others per address.
            bearer = request.headers.get("Authorization", "").partition(" ")[2].strip()
            with self._lock:
                known = bearer in self._tokens
            rate_key = f"token:{bearer}" if known else f"ip:{request.remote_addr}"
            self._apply_faults(request.method, request.path, rate_key)
            rate_headers = self._take_rate_limit(rate_key)
            caller = self._authenticate(request)
            account_id = caller.account_id if caller else None
            if route is None:
                raise ApiError(404, NOT_FOUND)
            status, body, headers = self._answer(route[0], route[1], request, caller)
            response = json_response(status, body, {**rate_headers, **headers})
        except ApiError as error:
            response = json_response(
                error.status, {"error": error.message}, {**rate_headers, **error.headers}
            )
        with self._lock:
            self._log.append(
                {
                    "method": request.method,
                    "path": request.path,
                    "query": request.query_string.decode("latin-1"),
                    "status": response.status_code,
                    "account_id": account_id,
                    "idempotency_key": request.headers.get("Idempotency-Key"),
                    "at": iso(self._now()),
                }
            )
        return response


class _QuietHandler(WSGIRequestHandler):
    """Request handler that does not log every request (the sandbox keeps its own log)
    and dates its answers by the sandbox's clock (http.server writes the ``Date``
    header itself, so one set by the application would be sent twice)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None

    def date_time_string(self, timestamp: float | None = None) -> str:
        app = getattr(self.server, "app", None)
        if timestamp is None and isinstance(app, SandboxMastodon):
            timestamp = app._clock()
        return formatdate(timestamp, usegmt=True)


# What ``start_sandbox_mastodon`` returns: ``app``, ``url``, ``stop()``.
RunningSandboxMastodon = RunningSandbox[SandboxMastodon]


def start_sandbox_mastodon(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    clock: Callable[[], float] = time.time,
    app: SandboxMastodon | None = None,
) -> RunningSandboxMastodon:
    """Serve a sandbox Mastodon on ``http://127.0.0.1:<port>`` (``port=0``: any free port).

    Only the loopback interface is ever bound: the control endpoints have no auth.
    """
    sandbox = app or SandboxMastodon(clock=clock)
    running = serve_on_loopback("Mastodon", sandbox, host, port, _QuietHandler, poll_interval=0.05)
    sandbox.base_url = running.url  # what statuses' and accounts' URLs start with
    return running


def main(argv: list[str] | None = None) -> None:
    """Run a sandbox Mastodon in the foreground until interrupted."""
    parser = argparse.ArgumentParser(description="Run the sandbox Mastodon on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args(argv)
    serve_until_interrupted(start_sandbox_mastodon(port=args.port), "Mastodon")
