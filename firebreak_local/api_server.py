"""The local API server: Chalice's local server, answering what it refuses on its own
(no such route, a request line too long, a method no route has) in Firebreak's error
shape, as the deployed stack's gateway responses do (infra/resources.json)."""

from __future__ import annotations

import json
import re
from http import HTTPStatus
from typing import Any

from chalice.local import ChaliceRequestHandler, ForbiddenError, LocalGatewayException

_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "timeout",
    413: "too_large",
    414: "uri_too_long",
    431: "headers_too_large",
}


def _body(status: int, message: str) -> bytes:
    code = _CODES.get(status, "internal" if status >= 500 else "bad_request")
    return json.dumps({"error": {"code": code, "message": message}}).encode()


# Paths that carry a credential: a mailed link's token, an iCal feed's secret.
_SECRET_PATHS = re.compile(r"(/links/|/app/signin/|/feeds/[^/\s]+/)[^/?\s\"]+")


def redact(line: str) -> str:
    """An access-log line without the tokens and secrets some paths carry."""
    return _SECRET_PATHS.sub(r"\1[redacted]", line)


class FirebreakRequestHandler(ChaliceRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        # The access log would otherwise print every link token it served.
        super().log_message(format, *(redact(str(a)) for a in args))

    def _send_error_response(self, error: LocalGatewayException) -> None:
        status, message = error.CODE, "the request was refused"
        if isinstance(error, ForbiddenError) and b"Missing Authentication Token" in (
            error.body or b""
        ):
            # API Gateway's 403 for a path no route has; the template maps it to 404.
            status, message = 404, "no such route"
        headers = {k: v for k, v in (error.headers or {}).items() if k.lower() != "content-type"}
        self._send_http_response(
            status, {"Content-Type": "application/json", **headers}, _body(status, message)
        )

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (URI too long, bad request line, unknown method)
        as JSON, not its HTML page."""
        if code == HTTPStatus.NOT_IMPLEMENTED:  # a method like TRACE that no route has
            code, message = HTTPStatus.METHOD_NOT_ALLOWED, f"method {self.command} is not allowed"
        text = message or HTTPStatus(code).phrase
        body = _body(int(code), text)
        self.close_connection = True
        self.send_response(code, HTTPStatus(code).phrase)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if getattr(self, "command", None) != "HEAD" and code >= 200:
            self.wfile.write(body)


def make_api_server(app: Any, host: str, port: int) -> Any:
    """Like ``chalice.local.create_local_server``, with the handler above."""
    from chalice.config import Config
    from chalice.local import CustomLocalChalice, LocalChalice, LocalDevServer

    config = Config.create(chalice_app=app, app_name="firebreak", chalice_stage="dev")
    # What create_local_server does: current_request becomes thread-local (threaded server).
    if not isinstance(app, LocalChalice):  # a second stack in the same process
        CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
        app.__class__ = CustomLocalChalice
    return LocalDevServer(app, config, host, port, handler_cls=FirebreakRequestHandler)
