"""The sandbox Mastodon's REST API: the routes Firebreak's adapter uses, answered as
Mastodon 4.3 answers them.

- ``GET /api/v1/instance``, ``GET /api/v2/instance`` (no auth; ``configuration.statuses``)
- ``GET /api/v1/accounts/verify_credentials`` (auth), ``GET /api/v1/accounts/:id``
- ``GET /api/v1/accounts/:id/statuses``: ``since_id``, ``max_id``, ``min_id``,
  ``limit`` (default 20, at most 40), ``exclude_reblogs``, ``exclude_replies`` (a
  thread's self-replies stay), ``only_media``/``pinned`` (none here); a ``next``
  link only when the page is full, as Mastodon does
- ``POST /api/v1/statuses`` (auth; form or JSON ``status``, ``in_reply_to_id``,
  ``visibility``, ``language``): 422 ``Text can't be blank`` / ``Text character limit
  of N exceeded`` (counted by ``mastodon_length`` after stripping), 404 when the
  status replied to is gone; ``Idempotency-Key``: the same key from the same account
  within an hour answers the first status again (404 once it was deleted)
- ``GET /api/v1/statuses/:id``, ``DELETE /api/v1/statuses/:id`` (auth, own statuses;
  answers the status with its ``text`` source); 404 ``Record not found`` after
- ``GET /api/v1/notifications`` (auth): ``types[]``, ``exclude_types[]``, ``since_id``,
  ``max_id``, ``min_id``, ``limit`` (default 40, at most 80); a ``next`` link on every
  non-empty page, as Mastodon does

Lists carry ``Link`` headers (``rel="next"`` with ``max_id``, ``rel="prev"`` with
``min_id``) on the request's own host. ``since_id`` gives the newest items above it,
``min_id`` the ones right above it; both come back newest first.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from werkzeug.wrappers import Request

from chalicelib.networks.mastodon import mastodon_length
from firebreak_local.sandbox_mastodon.accounts import INVALID_TOKEN
from firebreak_local.sandbox_mastodon.state import ApiError, Token
from firebreak_local.sandbox_mastodon.statuses import RUBY_WHITESPACE, StatusesMixin

NOT_FOUND = "Record not found"
IDEMPOTENCY_S = 3600
_VISIBILITIES = ("public", "unlisted", "private", "direct")
_TRUE = ("1", "true", "True", "on")

T = TypeVar("T")
Answer = tuple[int, Any, dict[str, str]]


def _id_param(request: Request, name: str) -> int | None:
    value = request.args.get(name)
    if value in (None, ""):
        return None
    if not value.isdigit():
        raise ApiError(400, f"{name} must be a numeric id")
    return int(value)


def _limit(request: Request, default: int) -> int:
    """Mastodon's ``limit_param``: the absolute value, at most twice the default."""
    raw = request.args.get("limit")
    if raw is None:
        return default
    try:
        return min(abs(int(raw)), default * 2)
    except ValueError:
        return 0


def _page(
    request: Request,
    items: Sequence[T],
    key: Callable[[T], int],
    *,
    default: int,
    next_when_full: bool,
    keep: Sequence[str],
) -> tuple[list[T], dict[str, str]]:
    """One page of ``items`` (newest first) for the request's paging parameters, and
    its ``Link`` header."""
    since, max_id, min_id = (_id_param(request, n) for n in ("since_id", "max_id", "min_id"))
    limit = _limit(request, default)
    chosen = [
        item
        for item in sorted(items, key=key, reverse=True)
        if (max_id is None or key(item) < max_id)
        and (since is None or key(item) > since)
        and (min_id is None or key(item) > min_id)
    ]
    page = chosen[-limit:] if min_id is not None and limit else chosen[:limit]
    if not page:
        return [], {}
    base = request.host_url.rstrip("/") + request.path
    params = [(k, v) for k in keep for v in request.args.getlist(k)]
    links = []
    if len(page) == limit or not next_when_full:
        query = urlencode([*params, ("max_id", str(key(page[-1])))])
        links.append(f'<{base}?{query}>; rel="next"')
    query = urlencode([*params, ("min_id", str(key(page[0])))])
    links.append(f'<{base}?{query}>; rel="prev"')
    return page, {"Link": ", ".join(links)}


class ApiMixin(StatusesMixin):
    """Answers ``/api/...`` requests (after faults, authentication and rate limits)."""

    def _route(self, method: str, path: str) -> tuple[str, list[str]] | None:
        """``(route name, path arguments)`` for a request, ``None`` if there is none."""
        parts = path.rstrip("/").split("/")[1:]  # "/api/v1/x" -> ["api", "v1", "x"]
        if parts[:1] != ["api"]:
            return None
        rest = parts[1:]
        routes: list[tuple[str, list[str], str]] = [
            ("GET", ["v1", "instance"], "instance_v1"),
            ("GET", ["v2", "instance"], "instance_v2"),
            ("GET", ["v1", "accounts", "verify_credentials"], "verify_credentials"),
            ("GET", ["v1", "accounts", "*"], "account"),
            ("GET", ["v1", "accounts", "*", "statuses"], "account_statuses"),
            ("POST", ["v1", "statuses"], "create_status"),
            ("GET", ["v1", "statuses", "*"], "get_status"),
            ("DELETE", ["v1", "statuses", "*"], "delete_status"),
            ("GET", ["v1", "notifications"], "notifications"),
        ]
        for route_method, pattern, name in routes:
            if method != route_method or len(pattern) != len(rest):
                continue
            if all(p in ("*", r) for p, r in zip(pattern, rest, strict=True)):
                return name, [r for p, r in zip(pattern, rest, strict=True) if p == "*"]
        return None

    def _answer(self, name: str, args: list[str], request: Request, caller: Token | None) -> Answer:
        needs_auth = name in (
            "verify_credentials",
            "create_status",
            "delete_status",
            "notifications",
        )
        if needs_auth and caller is None:
            raise ApiError(401, INVALID_TOKEN)
        viewer = caller.account_id if caller else None
        with self._lock:
            if name == "instance_v1":
                return 200, self._instance_v1_json(), {}
            if name == "instance_v2":
                if not self.serve_instance_v2:
                    raise ApiError(404, NOT_FOUND)
                return 200, self._instance_v2_json(), {}
            if name == "verify_credentials":
                assert viewer is not None
                return 200, self._account_json(self._accounts[viewer], with_source=True), {}
            if name == "account":
                account = self._accounts.get(args[0])
                if account is None:
                    raise ApiError(404, NOT_FOUND)
                return 200, self._account_json(account), {}
            if name == "account_statuses":
                return self._account_statuses(args[0], request, viewer)
            if name == "get_status":
                status = self._live_status(args[0])
                if status is None:
                    raise ApiError(404, NOT_FOUND)
                return 200, self._status_json(status, viewer_id=viewer), {}
            if name == "delete_status":
                status = self._live_status(args[0])
                if status is None or status.account_id != viewer:
                    raise ApiError(404, NOT_FOUND)
                self._delete_status(status)
                return 200, self._status_json(status, viewer_id=viewer, with_source=True), {}
            if name == "notifications":
                assert viewer is not None
                return self._notifications_page(request, viewer)
        assert caller is not None
        return self._create_from_request(request, caller)

    def _account_statuses(self, account_id: str, request: Request, viewer: str | None) -> Answer:
        if account_id not in self._accounts:
            raise ApiError(404, NOT_FOUND)
        flags = {
            n: request.args.get(n, "") in _TRUE for n in ("exclude_reblogs", "exclude_replies")
        }
        if request.args.get("pinned", "") in _TRUE or request.args.get("only_media", "") in _TRUE:
            return 200, [], {}
        statuses = [
            s
            for s in self._statuses.values()
            if s.account_id == account_id
            and not s.deleted
            and not (flags["exclude_reblogs"] and s.reblog_of)
            and not (
                flags["exclude_replies"]
                and s.in_reply_to_id
                and s.in_reply_to_account_id != account_id
            )
        ]
        page, headers = _page(
            request,
            statuses,
            lambda s: int(s.id),
            default=20,
            next_when_full=True,
            keep=("limit", "exclude_reblogs", "exclude_replies", "only_media", "pinned"),
        )
        return 200, [self._status_json(s, viewer_id=viewer) for s in page], headers

    def _notifications_page(self, request: Request, viewer: str) -> Answer:
        types = set(request.args.getlist("types[]") + request.args.getlist("types"))
        excluded = set(
            request.args.getlist("exclude_types[]") + request.args.getlist("exclude_types")
        )
        chosen = [
            n
            for n in self._notifications.values()
            if n.account_id == viewer and (not types or n.type in types) and n.type not in excluded
        ]
        page, headers = _page(
            request,
            chosen,
            lambda n: int(n.id),
            default=40,
            next_when_full=False,
            keep=("limit", "types[]", "exclude_types[]"),
        )
        return 200, [self._notification_json(n, viewer) for n in page], headers

    def _status_params(self, request: Request) -> dict[str, Any]:
        if request.mimetype == "application/json":
            try:
                body = json.loads(request.get_data(as_text=True) or "{}")
            except json.JSONDecodeError as exc:
                raise ApiError(400, "Error occurred while parsing request parameters") from exc
            if not isinstance(body, dict):
                raise ApiError(400, "Error occurred while parsing request parameters")
            return body
        return {k: request.form.get(k) for k in request.form}

    def _create_from_request(self, request: Request, caller: Token) -> Answer:
        params = self._status_params(request)
        text = str(params.get("status") or "")
        reply_to = params.get("in_reply_to_id") or None
        visibility = str(params.get("visibility") or "public")
        key = request.headers.get("Idempotency-Key")
        with self._lock:
            if reply_to is not None and self._live_status(str(reply_to)) is None:
                raise ApiError(404, "The post you are trying to reply to does not appear to exist.")
            now = self._clock()
            remembered = self._idempotency.get((caller.account_id, key)) if key else None
            if remembered is not None and remembered[1] > now:
                status = self._live_status(remembered[0])
                if status is None:
                    raise ApiError(404, NOT_FOUND)
                return 200, self._status_json(status, viewer_id=caller.account_id), {}
            if visibility not in _VISIBILITIES:
                raise ApiError(422, "Validation failed: Visibility is not included in the list")
            if not text.strip(RUBY_WHITESPACE):
                raise ApiError(422, "Validation failed: Text can't be blank")
            if mastodon_length(text) > self.max_characters:
                raise ApiError(
                    422,
                    f"Validation failed: Text character limit of {self.max_characters} exceeded",
                )
            status = self._create_status(
                account_id=caller.account_id,
                text=text,
                application=caller.app_name,
                origin="api",
                in_reply_to_id=str(reply_to) if reply_to else None,
                visibility=visibility,
                language=str(params.get("language") or "en"),
            )
            if key:
                self._idempotency[(caller.account_id, key)] = (status.id, now + IDEMPOTENCY_S)
            return 200, self._status_json(status, viewer_id=caller.account_id), {}
