"""The sandbox X's control endpoints under ``/_sandbox/``, for tests, drills and people.

JSON in and out, no auth: only for local use (the server binds loopback only).

``POST /_sandbox/reset``
    Forget everything (users, posts, faults, rate-limit windows, request log,
    config). → ``{"reset": true}``
``POST /_sandbox/users``
    Register an account: ``{"username" (required), "name", "id" (numeric
    string; generated if absent), "access_token", "bearer_token", "app_name"
    (source app of posts created with these tokens, default "Firebreak"),
    "description", "protected", "verified", "followers_count",
    "following_count", "public_metrics" ({"followers_count", "following_count",
    "tweet_count", "listed_count"}), "created_at" (ISO 8601)}`` → 201
    ``{"user": {...}}``; 409 if the id, username or a token is taken.
``GET /_sandbox/users``
    ``{"users": [...]}`` (tokens are never echoed).
``POST /_sandbox/users/{id}/posts``
    Put a post on that account's timeline as if posted from another app (a
    hacked or rogue post): ``{"text" (required), "source" (default "Twitter for
    iPhone"), "created_at", "lang", "reply_to", "quote_of", "retweet_of" (then
    no text: it is "RT @author: ..."), "public_metrics"}`` → 201 ``{"post": {...}}``.
``POST /_sandbox/users/{id}/mentions``
    A post by another user mentioning the account: ``{"text" (required; "@username "
    is prefixed if it does not mention the account), "author_username"
    (default "sandbox_user"), "author_name", "author_id", "source", "created_at",
    "lang", "reply_to", "public_metrics", "author_public_metrics"}``. Unknown
    authors are registered (without tokens; with ``author_public_metrics``).
    → 201 ``{"post": {...}}``.
``POST /_sandbox/surge``
    A scripted pile-on (see ``surge``): ``{"user_id" (required), "about" (a post
    id or null), "count" (default 100), "over_s" (default 600; the mentions'
    times end now), "negative_share" (0.0-1.0, default 0.5), "lang_mix"
    (default {"en": 1.0}; "en", "de"), "seed" (default 0)}`` → 201 ``{"surge":
    {"count", "authors", "first_id", "last_id", "started_at", "ended_at", "ids",
    ...}}``.
``GET /_sandbox/posts[?author_id=...&include_deleted=false]``
    ``{"posts": [...]}``, oldest first, each with ``deleted`` and ``deleted_at``.
``GET /_sandbox/posts/{id}``
    ``{"post": {...}}`` (deleted ones too).
``PATCH /_sandbox/posts/{id}/metrics``
    ``{"like_count": 12, "retweet_count": 3, ...}`` (X or spec names) →
    ``{"post": {...}}``.
``POST /_sandbox/faults``
    Make the next ``count`` API requests matching ``method`` (``"*"`` for any)
    and ``path`` (an fnmatch glob on the path without query, e.g.
    ``"/2/tweets/*"``) misbehave: ``{"method", "path", "count" (default 1),
    "status" (e.g. 429, 500, 503), "reset" (epoch seconds for a 429; default
    now + 15 min), "delay_s" (sleep before answering, to trip client
    timeouts; with no status the request then proceeds normally)}`` → 201
    ``{"fault": {...}}``. Faults are tried in the order added; the first
    match consumes one use. They apply before authentication.
``GET /_sandbox/faults`` / ``DELETE /_sandbox/faults``
    List the pending faults / drop them all.
``POST /_sandbox/config``
    ``{"enforce_rate_limits": bool, "reject_duplicates": bool}`` → the config.
``GET /_sandbox/requests``
    ``{"requests": [...]}``: the last 1000 API requests (method, path, query,
    status, user_id, at), for asserting what a client did.

Each control endpoint has a Python twin on ``SandboxX`` (``register_user``,
``inject_post``, ``inject_mention``, ``inject_surge``, ``posts``, ``post``, ``set_metrics``,
``add_fault``, ``faults``, ``clear_faults``, ``configure``, ``request_log``,
``reset``) for in-process use.
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Request, Response

from firebreak_local.sandbox_x.faults import FaultsMixin
from firebreak_local.sandbox_x.search import SearchMixin
from firebreak_local.sandbox_x.state import parse_time
from firebreak_local.sandbox_x.surge import SurgeMixin
from firebreak_local.sandbox_x.wire import SandboxError, json_response, reject_unknown


class ControlMixin(SurgeMixin, SearchMixin, FaultsMixin):
    """Routes ``/_sandbox/...`` requests to the Python control calls of every part."""

    def _control(self, request: Request) -> Response:
        path = request.path.removeprefix("/_sandbox").rstrip("/") or "/"
        method = request.method
        try:
            body = self._control_body(request) if method in ("POST", "PATCH") else {}
            return self._control_route(method, path, body, request)
        except SandboxError as exc:
            return json_response(exc.status, {"error": exc.message})

    @staticmethod
    def _control_body(request: Request) -> dict[str, Any]:
        raw = request.get_data(as_text=True)
        if not raw.strip():
            return {}
        try:
            body = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise SandboxError(400, f"body is not JSON: {exc}") from exc
        if not isinstance(body, dict):
            raise SandboxError(400, "body must be a JSON object")
        return body

    def _control_route(
        self, method: str, path: str, body: dict[str, Any], request: Request
    ) -> Response:
        parts = path.strip("/").split("/")
        if (method, path) == ("POST", "/reset"):
            self.reset()
            return json_response(200, {"reset": True})
        if (method, path) == ("POST", "/config"):
            known = {"enforce_rate_limits", "reject_duplicates"}
            reject_unknown(body, known)
            return json_response(200, self.configure(**body))
        if path == "/users" and method == "POST":
            return json_response(201, {"user": self._register_from_json(body)})
        if path == "/users" and method == "GET":
            return json_response(200, {"users": self.users()})
        if len(parts) == 3 and parts[0] == "users" and method == "POST":
            if parts[2] == "posts":
                return json_response(201, {"post": self._inject_from_json(parts[1], body)})
            if parts[2] == "mentions":
                return json_response(201, {"post": self._mention_from_json(parts[1], body)})
        if path == "/surge" and method == "POST":
            return json_response(201, {"surge": self._surge_from_json(body)})
        if path == "/posts" and method == "GET":
            include_deleted = request.args.get("include_deleted", "true").lower() != "false"
            posts = self.posts(
                author_id=request.args.get("author_id"), include_deleted=include_deleted
            )
            return json_response(200, {"posts": posts})
        if len(parts) == 2 and parts[0] == "posts" and method == "GET":
            return json_response(200, {"post": self.post(parts[1])})
        if len(parts) == 3 and parts[:1] + parts[2:] == ["posts", "metrics"] and method == "PATCH":
            return json_response(200, {"post": self.set_metrics(parts[1], body)})
        if path == "/faults" and method == "POST":
            known = {"method", "path", "count", "status", "reset", "delay_s"}
            reject_unknown(body, known)
            return json_response(201, {"fault": self.add_fault(**body)})
        if path == "/faults" and method == "GET":
            return json_response(200, {"faults": self.faults()})
        if path == "/faults" and method == "DELETE":
            self.clear_faults()
            return json_response(200, {"faults": []})
        if path == "/requests" and method == "GET":
            return json_response(200, {"requests": self.request_log()})
        raise SandboxError(404, f"no control endpoint {method} /_sandbox{path}")

    def _register_from_json(self, body: dict[str, Any]) -> dict[str, Any]:
        known = {
            "id",
            "username",
            "name",
            "access_token",
            "access_token_secret",
            "bearer_token",
            "app_name",
            "description",
            "protected",
            "verified",
            "followers_count",
            "following_count",
            "public_metrics",
            "created_at",
        }
        reject_unknown(body, known)
        if "username" not in body:
            raise SandboxError(400, "username is required")
        return self.register_user(
            username=body["username"],
            name=body.get("name"),
            user_id=body.get("id"),
            access_token=body.get("access_token"),
            bearer_token=body.get("bearer_token"),
            app_name=body.get("app_name", "Firebreak"),
            description=body.get("description", ""),
            protected=bool(body.get("protected", False)),
            verified=bool(body.get("verified", False)),
            followers_count=int(body.get("followers_count", 0)),
            following_count=int(body.get("following_count", 0)),
            created_at=parse_time(body["created_at"], "created_at")
            if "created_at" in body
            else None,
            public_metrics=body.get("public_metrics"),
        )

    def _surge_from_json(self, body: dict[str, Any]) -> dict[str, Any]:
        known = {"user_id", "about", "count", "over_s", "negative_share", "lang_mix", "seed"}
        reject_unknown(body, known)
        if "user_id" not in body:
            raise SandboxError(400, "user_id is required")
        return self.inject_surge(
            str(body["user_id"]),
            about=body.get("about"),
            count=body.get("count", 100),
            over_s=body.get("over_s", 600.0),
            negative_share=body.get("negative_share", 0.5),
            lang_mix=body.get("lang_mix"),
            seed=body.get("seed", 0),
        )

    def _inject_from_json(self, user_id: str, body: dict[str, Any]) -> dict[str, Any]:
        known = {
            "text",
            "source",
            "created_at",
            "lang",
            "reply_to",
            "quote_of",
            "retweet_of",
            "public_metrics",
        }
        reject_unknown(body, known)
        if "text" not in body and "retweet_of" not in body:
            raise SandboxError(400, "text is required")
        return self.inject_post(
            user_id,
            body.get("text", ""),
            source=body.get("source", "Twitter for iPhone"),
            created_at=parse_time(body["created_at"], "created_at")
            if "created_at" in body
            else None,
            lang=body.get("lang", "en"),
            reply_to=body.get("reply_to"),
            quote_of=body.get("quote_of"),
            public_metrics=body.get("public_metrics"),
            retweet_of=body.get("retweet_of"),
        )

    def _mention_from_json(self, user_id: str, body: dict[str, Any]) -> dict[str, Any]:
        known = {
            "text",
            "author_username",
            "author_name",
            "author_id",
            "source",
            "created_at",
            "lang",
            "reply_to",
            "public_metrics",
            "author_public_metrics",
        }
        reject_unknown(body, known)
        if "text" not in body:
            raise SandboxError(400, "text is required")
        return self.inject_mention(
            user_id,
            body["text"],
            author_username=body.get("author_username", "sandbox_user"),
            author_name=body.get("author_name"),
            author_id=body.get("author_id"),
            source=body.get("source", "Twitter for Android"),
            created_at=parse_time(body["created_at"], "created_at")
            if "created_at" in body
            else None,
            lang=body.get("lang", "en"),
            reply_to=body.get("reply_to"),
            public_metrics=body.get("public_metrics"),
            author_public_metrics=body.get("author_public_metrics"),
        )
