"""The sandbox Mastodon's control endpoints under ``/_sandbox/``, the JSON twins of its
Python control methods, for drills and people. No auth: loopback only.

``POST /_sandbox/reset`` → ``{"reset": true}``
``POST /_sandbox/config``  ``{"max_characters", "rate_limit", "instance_v2"}`` → the config
``POST /_sandbox/accounts``  ``{"username" (or "user@domain"), "access_token", "followers",
    "following", "statuses", "app_name", "display_name", "id"}`` → 201 ``{"account": ...}``
``GET /_sandbox/accounts`` → ``{"accounts": [...]}``
``POST /_sandbox/accounts/{id}/statuses``  ``{"text", "source", "reply_to", "reblog_of"}``
    → 201 ``{"post": drill view}`` (``inject_post``)
``POST /_sandbox/accounts/{id}/mentions``  ``{"from_user_id", "text", "reply_to",
    "source"}`` → 201 ``{"post": ...}`` (``inject_mention``)
``POST /_sandbox/surge``  ``{"user_id", "about_post_id", "count", "over_s", "seed",
    "negative_share", "lang_mix"}`` → 201 ``{"surge": ...}``
``GET /_sandbox/posts[?account_id=]`` / ``GET /_sandbox/posts/{id}`` → drill views
``POST /_sandbox/faults``  ``{"n", "status", "method", "path", "delay_s"}`` → 201
``GET /_sandbox/faults`` / ``DELETE /_sandbox/faults``
``GET /_sandbox/requests`` → ``{"requests": [...]}``

Errors answer ``{"error": message}`` with the status of the ``SandboxError``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from werkzeug.wrappers import Request, Response

from firebreak_local.sandbox_mastodon.api import ApiMixin
from firebreak_local.sandbox_mastodon.faults import FaultsMixin
from firebreak_local.sandbox_mastodon.state import SandboxError
from firebreak_local.sandbox_mastodon.surge import SurgeMixin


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer whose status line reads as Mastodon's (``404 Not Found``, where
    werkzeug would write ``404 NOT FOUND``)."""
    try:
        line = f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        line = str(status)
    return Response(
        json.dumps(body, ensure_ascii=False),
        status=line,
        headers=headers or {},
        content_type="application/json; charset=utf-8",
    )


def _call(fn: Callable[..., Any], body: dict[str, Any], known: set[str]) -> Any:
    unknown = set(body) - known
    if unknown:
        raise SandboxError(400, f"unknown fields: {', '.join(sorted(unknown))}")
    try:
        return fn(**body)
    except TypeError as exc:
        raise SandboxError(400, f"bad arguments: {exc}") from exc


class ControlMixin(SurgeMixin, ApiMixin, FaultsMixin):
    """Routes ``/_sandbox/...`` requests to the Python control calls."""

    def _control(self, request: Request) -> Response:
        path = request.path.removeprefix("/_sandbox").rstrip("/") or "/"
        try:
            body: dict[str, Any] = {}
            if request.method in ("POST", "PATCH"):
                raw = request.get_data(as_text=True)
                body = json.loads(raw) if raw.strip() else {}
                if not isinstance(body, dict):
                    raise SandboxError(400, "body must be a JSON object")
            status, answer = self._control_route(request.method, path, body, request)
            return json_response(status, answer)
        except json.JSONDecodeError as exc:
            return json_response(400, {"error": f"body is not JSON: {exc}"})
        except SandboxError as exc:
            return json_response(exc.status, {"error": exc.message})

    def _control_route(
        self, method: str, path: str, body: dict[str, Any], request: Request
    ) -> tuple[int, Any]:
        parts = path.strip("/").split("/")
        if (method, path) == ("POST", "/reset"):
            self.reset()
            return 200, {"reset": True}
        if (method, path) == ("POST", "/config"):
            return 200, _call(self.configure, body, {"max_characters", "rate_limit", "instance_v2"})
        if path == "/accounts" and method == "POST":
            fields = {"username", "access_token", "followers", "following", "statuses"}
            fields |= {"app_name", "display_name", "id"}
            if "id" in body:
                body["account_id"] = body.pop("id")
            return 201, {"account": _call(self.add_account, body, fields | {"account_id"})}
        if path == "/accounts" and method == "GET":
            return 200, {"accounts": self.accounts()}
        if len(parts) == 3 and parts[0] == "accounts" and method == "POST":
            if parts[2] == "statuses":
                known = {"text", "source", "reply_to", "reblog_of"}
                post = _call(lambda **kw: self.inject_post(parts[1], **kw), body, known)
                return 201, {"post": post}
            if parts[2] == "mentions":
                known = {"from_user_id", "text", "reply_to", "source"}
                post = _call(
                    lambda **kw: self.inject_mention(to_user_id=parts[1], **kw), body, known
                )
                return 201, {"post": post}
        if (method, path) == ("POST", "/surge"):
            known = {"user_id", "about_post_id", "count", "over_s", "seed"}
            known |= {"negative_share", "lang_mix"}
            return 201, {"surge": _call(self.inject_surge, body, known)}
        if path == "/posts" and method == "GET":
            return 200, {"posts": self.posts(account_id=request.args.get("account_id"))}
        if len(parts) == 2 and parts[0] == "posts" and method == "GET":
            return 200, {"post": self.post(parts[1])}
        if path == "/faults" and method == "POST":
            known = {"n", "status", "method", "path", "delay_s"}
            return 201, {"fault": _call(self.fail_next, body, known)}
        if path == "/faults" and method == "GET":
            return 200, {"faults": self.faults()}
        if path == "/faults" and method == "DELETE":
            self.clear_faults()
            return 200, {"faults": []}
        if path == "/requests" and method == "GET":
            return 200, {"requests": self.requests_log()}
        raise SandboxError(404, f"no control endpoint {method} /_sandbox{path}")
