"""The embedded AWS: moto in server mode on 127.0.0.1, with Step Functions execution
switched on and a Lambda-invoke layer that runs our own Chalice handlers.

moto's Lambda needs Docker to run code; its Step Functions interpreter, though, calls
Lambda through an ordinary HTTP client at ``http://localhost:$MOTO_PORT``. The layer
answers ``POST /2015-03-31/functions/{name}/invocations`` by calling the handler from
``app.handler_map`` with Lambda's error contract (HTTP 200, ``X-Amz-Function-Error:
Unhandled``, body ``{errorType, errorMessage}``) so Retry/Catch on our exception names
work. Everything else passes through to moto unchanged.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

logger = logging.getLogger("firebreak_local.aws")

_INVOKE = re.compile(r"^/2015-03-31/functions/(?P<name>[^/]+)/invocations$")

Handler = Callable[[Any, Any], Any]
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass
class LambdaContext:
    """The parts of Lambda's context object our handlers and Powertools read."""

    function_name: str
    aws_request_id: str
    deadline: float
    memory_limit_in_mb: int = 512
    function_version: str = "$LATEST"

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


def lambda_context(key: str, timeout_s: float = 60) -> LambdaContext:
    """A fresh context for one local invocation of ``key`` (``publisher``,
    ``playbook``...), named as the deployed function is."""
    return LambdaContext(f"firebreak-dev-{key}", str(uuid.uuid4()), time.monotonic() + timeout_s)


def function_key(name_or_arn: str) -> str:
    """``firebreak-dev-publisher`` or its ARN -> ``publisher`` (the handler_map key)."""
    name = unquote(name_or_arn).split(":function:")[-1].split(":")[0]
    return name.split("-", 2)[-1] if name.count("-") >= 2 else name


class LambdaInvokeLayer:
    """WSGI middleware in front of moto that runs our handlers for Lambda Invoke."""

    def __init__(self, inner: WsgiApp, handlers: dict[str, Handler], timeout_s: int = 60) -> None:
        self.inner = inner
        self.handlers = handlers
        self.timeout_s = timeout_s
        self._state_lock = threading.Lock()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        match = _INVOKE.match(environ.get("PATH_INFO", ""))
        if environ.get("REQUEST_METHOD") != "POST" or not match:
            if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
                # moto's TransactWriteItems deep-copies whole tables and trips over a write
                # from another thread ("dictionary changed size during iteration"). One
                # DynamoDB request at a time makes each atomic, as it is on AWS; races
                # *between* requests (conditional writes) stay real.
                with self._state_lock:
                    return list(self.inner(environ, start_response))
            return self.inner(environ, start_response)
        key = function_key(match.group("name"))
        handler = self.handlers.get(key)
        if handler is None:
            return _reply(
                start_response,
                "404 Not Found",
                {"Message": f"Function not found: {match.group('name')}", "Type": "User"},
                {"x-amzn-ErrorType": "ResourceNotFoundException"},
            )
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        event = json.loads(raw) if raw.strip() else {}
        context = lambda_context(key, self.timeout_s)
        try:
            result = handler(event, context)
        except Exception as exc:  # noqa: BLE001 - Lambda's own contract: any error is Unhandled
            logger.info("lambda %s raised %s", key, type(exc).__name__)
            return _reply(
                start_response,
                "200 OK",
                {"errorType": type(exc).__name__, "errorMessage": str(exc)},
                {"X-Amz-Function-Error": "Unhandled"},
            )
        return _reply(start_response, "200 OK", result, {})


def _reply(
    start_response: Callable[..., Any], status: str, body: Any, headers: dict[str, str]
) -> list[bytes]:
    payload = json.dumps(body).encode()
    start_response(
        status,
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(payload))),
            ("X-Amz-Executed-Version", "$LATEST"),
            *headers.items(),
        ],
    )
    return [payload]


class EmbeddedAws:
    """moto's server plus our Lambda layer, on 127.0.0.1, in a daemon thread."""

    def __init__(self, handlers: dict[str, Handler], host: str = "127.0.0.1", port: int = 0):
        self.handlers = handlers
        self.host = host
        self.port = port
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> EmbeddedAws:
        from moto.server import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import WSGIRequestHandler, make_server

        class KeepAliveHandler(WSGIRequestHandler):
            # HTTP/1.1 keeps connections open between requests, as AWS endpoints do;
            # werkzeug's default (HTTP/1.0) would make every boto3 call a new TCP connect.
            protocol_version = "HTTP/1.1"

            def log_request(self, *args: Any, **kwargs: Any) -> None:
                pass  # one line per AWS call drowns everything else

        from firebreak_local import moto_transactions

        moto_transactions.install()  # transactions cost what they touch, not the table
        moto_app = DomainDispatcherApplication(create_backend_app)
        wrapped = LambdaInvokeLayer(moto_app, self.handlers)
        self._server = make_server(
            self.host, self.port, wrapped, threaded=True, request_handler=KeepAliveHandler
        )
        self.port = self._server.server_port
        # The Step Functions interpreter calls Lambda and others at localhost:$MOTO_PORT.
        os.environ["MOTO_PORT"] = str(self.port)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="embedded-aws", daemon=True
        )
        self._thread.start()
        self._enable_step_functions()
        return self

    def _enable_step_functions(self) -> None:
        import requests

        res = requests.post(
            f"{self.url}/moto-api/config",
            json={"stepfunctions": {"execute_state_machine": True}},
            timeout=10,
        )
        res.raise_for_status()

    def sent_mail(self) -> list[dict[str, Any]]:
        """Every message the embedded SES accepted, oldest first.

        Read from moto's SES backend in this process: the same records
        ``/moto-api/data.json`` serves, without serialising every other service's
        state on each call (the outbox page and tests poll this).
        """
        from moto.ses.models import ses_backends

        messages: list[dict[str, Any]] = []
        for account in list(ses_backends.keys()):
            for region in list(ses_backends[account].keys()):
                for msg in list(ses_backends[account][region].sent_messages):
                    messages.append(
                        {
                            "id": msg.id,
                            "source": msg.source,
                            "subject": msg.subject,
                            "body": msg.body,
                            "destinations": msg.destinations,
                        }
                    )
        return messages

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
