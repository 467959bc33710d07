"""Sandbox X users: accounts, the tokens that authenticate as them, and ``/2/users/me``.

``GET /2/users/me``
    The authenticated user (user context only). ``user.fields``: created_at,
    description, protected, verified, public_metrics, profile_image_url, url,
    location.

Users have ``public_metrics`` (``followers_count``, ``following_count``,
``tweet_count``, ``listed_count``) set when they are registered (or injected as
authors of mentions and surges); they are returned with
``user.fields=public_metrics`` for ``/2/users/me`` and for the authors in
``includes.users`` of lookups, timelines, mentions and search. ``tweet_count``
is the registered count plus the posts the user made in the sandbox.

Auth: ``Authorization: OAuth ... oauth_token="<access_token>" ...`` (OAuth 1.0a
user context; the signature is not checked) or ``Authorization: Bearer
<bearer_token>`` (app-only: may read, but ``/2/users/me``, ``POST /2/tweets``
and ``DELETE`` answer 403 as on X). A missing or unknown token is a 401.
"""

from __future__ import annotations

import re
import urllib.parse
from datetime import datetime
from typing import Any

from werkzeug.wrappers import Request

from firebreak_local.sandbox_x.render import RenderMixin
from firebreak_local.sandbox_x.state import Caller, User, iso
from firebreak_local.sandbox_x.wire import ID_RE, ApiError, SandboxError, enum_param

_OAUTH_PARAM_RE = re.compile(r'([A-Za-z_]+)="([^"]*)"')


class UsersMixin(RenderMixin):
    """Registering accounts and their tokens; authenticating API calls; ``/2/users/me``."""

    def register_user(
        self,
        *,
        username: str,
        name: str | None = None,
        user_id: str | None = None,
        access_token: str | None = None,
        bearer_token: str | None = None,
        app_name: str = "Firebreak",
        description: str = "",
        protected: bool = False,
        verified: bool = False,
        followers_count: int = 0,
        following_count: int = 0,
        created_at: datetime | None = None,
        public_metrics: dict[str, int] | None = None,
    ) -> dict[str, Any]:
        """Register an account (and the tokens that authenticate as it).

        ``public_metrics`` (``followers_count``, ``following_count``, ``tweet_count``
        or ``post_count``, ``listed_count``) overrides ``followers_count`` and
        ``following_count``; ``tweet_count`` is what the account posted before, the
        posts it makes in the sandbox are added to it.
        """
        metrics = {
            "followers_count": followers_count,
            "following_count": following_count,
            "tweet_count": 0,
            "listed_count": 0,
        }
        for metric, value in (public_metrics or {}).items():
            key = "tweet_count" if metric == "post_count" else metric
            if key not in metrics:
                raise SandboxError(400, f"unknown user metric {metric!r}")
            metrics[key] = value
        for metric, value in metrics.items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise SandboxError(400, f"{metric} must be a non-negative integer")
        if not isinstance(username, str) or not re.fullmatch(r"\w{1,15}", username):
            raise SandboxError(400, "username must be 1-15 letters, digits or underscores")
        if user_id is not None and not (isinstance(user_id, str) and ID_RE.match(user_id)):
            raise SandboxError(400, "id must be a numeric string of 1-19 digits")
        with self._lock:
            if user_id is None:
                user_id = self._next_id()
            if user_id in self._users:
                raise SandboxError(409, f"user id {user_id} is already registered")
            if self._find_username(username) is not None:
                raise SandboxError(409, f"username {username} is already registered")
            for token, table in (
                (access_token, self._user_tokens),
                (bearer_token, self._app_tokens),
            ):
                if token is not None and (not isinstance(token, str) or not token):
                    raise SandboxError(400, "tokens must be non-empty strings")
                if token is not None and token in table:
                    raise SandboxError(409, "that token is already registered")
            user = User(
                id=user_id,
                username=username,
                name=name or username,
                created_at=created_at or self._now(),
                app_name=app_name,
                description=description,
                protected=protected,
                verified=verified,
                **metrics,
            )
            self._users[user_id] = user
            self._usernames[username.lower()] = user_id
            if access_token is not None:
                self._user_tokens[access_token] = user_id
            if bearer_token is not None:
                self._app_tokens[bearer_token] = user_id
            return self._user_json(user)

    def users(self) -> list[dict[str, Any]]:
        """All registered users (without their tokens)."""
        with self._lock:
            return [self._user_json(user) for user in self._users.values()]

    def _user_json(self, user: User) -> dict[str, Any]:
        return {
            "id": user.id,
            "username": user.username,
            "name": user.name,
            "created_at": iso(user.created_at),
            "app_name": user.app_name,
            "description": user.description,
            "protected": user.protected,
            "verified": user.verified,
            "followers_count": user.followers_count,
            "following_count": user.following_count,
            "public_metrics": {
                "followers_count": user.followers_count,
                "following_count": user.following_count,
                "tweet_count": user.tweet_count,
                "listed_count": user.listed_count,
            },
        }

    def _authenticate(self, request: Request) -> Caller:
        header = request.headers.get("Authorization", "")
        scheme, _, credentials = header.partition(" ")
        with self._lock:
            if scheme.lower() == "oauth":
                params = {
                    name: urllib.parse.unquote(value)
                    for name, value in _OAUTH_PARAM_RE.findall(credentials)
                }
                token = params.get("oauth_token", "")
                user_id = self._user_tokens.get(token)
                if user_id is not None:
                    user = self._users[user_id]
                    return Caller(token, user_id, user.app_name, user_context=True)
            elif scheme.lower() == "bearer":
                token = credentials.strip()
                user_id = self._app_tokens.get(token)
                if user_id is not None:
                    user = self._users[user_id]
                    return Caller(token, user_id, user.app_name, user_context=False)
        raise ApiError(401, "Unauthorized", "Unauthorized")

    def _get_me(self, request: Request, caller: Caller) -> tuple[int, dict[str, Any]]:
        user_fields = self._user_fields(request)
        self._expansions_for_users(request)
        with self._lock:
            user = self._users[caller.user_id]
            return 200, {"data": self._render_user(user, user_fields)}

    def _expansions_for_users(self, request: Request) -> None:
        allowed = frozenset({"pinned_tweet_id", "most_recent_tweet_id", "affiliation.user_id"})
        enum_param(request, ("expansions",), allowed)
