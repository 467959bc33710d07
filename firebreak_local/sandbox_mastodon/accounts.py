"""Sandbox Mastodon accounts and the access tokens that act as them.

An account is local (``username``) or remote (``username@domain``: someone on another
instance, as most people in a pile-on are). Local accounts get a bearer token
(given or generated) and the name of the app it belongs to, which becomes the
``application`` of the statuses posted with it.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from werkzeug.wrappers import Request

from firebreak_local.sandbox_mastodon.render import RenderMixin
from firebreak_local.sandbox_mastodon.state import Account, ApiError, SandboxError, Token

_USERNAME = re.compile(r"^[A-Za-z0-9_]+(?:[A-Za-z0-9_.-]+[A-Za-z0-9_]+)?$")
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$", re.IGNORECASE)
INVALID_TOKEN = "The access token is invalid"  # noqa: S105 - an error message


class AccountsMixin(RenderMixin):
    """``add_account`` and bearer-token authentication."""

    def add_account(
        self,
        username: str,
        *,
        access_token: str | None = None,
        followers: int = 0,
        following: int = 0,
        statuses: int = 0,
        app_name: str = "Firebreak",
        display_name: str | None = None,
        account_id: str | None = None,
        created_at: datetime | None = None,
    ) -> dict[str, Any]:
        """Register an account: ``"name"`` (local) or ``"name@other.example"`` (remote).

        Local accounts get ``access_token`` (generated when not given); remote ones
        have none. ``statuses``: how many it posted before the sandbox knew it.
        Returns ``{"id", "username", "acct", "url", "followers", "access_token",
        "instance_url"}``: with a token, what ``MastodonCredentials.from_json`` accepts.
        """
        name, _, domain = username.lstrip("@").partition("@")
        if not _USERNAME.match(name):
            raise SandboxError(400, f"not a Mastodon username: {username!r}")
        if domain.lower() == self.domain.lower():
            domain = ""  # this instance's own domain: a local account
        if domain and not _DOMAIN.match(domain):
            raise SandboxError(400, f"not a domain: {domain!r}")
        for label, value in (("followers", followers), ("following", following)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise SandboxError(400, f"{label} must be a non-negative integer")
        if domain and access_token is not None:
            raise SandboxError(400, "a remote account has no access token on this instance")
        with self._lock:
            acct = f"{name}@{domain}" if domain else name
            if acct.lower() in self._accts:
                raise SandboxError(409, f"account {acct} exists")
            new_id = str(account_id) if account_id is not None else str(next(self._account_ids))
            if not new_id.isdigit() or new_id in self._accounts:
                raise SandboxError(409, f"account id {new_id} is taken or not numeric")
            token = None
            if not domain:
                token = access_token or secrets.token_urlsafe(32)
                if token in self._tokens:
                    raise SandboxError(409, "that access token is taken")
            account = Account(
                id=new_id,
                username=name,
                domain=domain or None,
                display_name=display_name if display_name is not None else name,
                created_at=created_at or self._now() - timedelta(days=400),
                followers_count=followers,
                following_count=following,
                statuses_count=statuses,
            )
            self._accounts[new_id] = account
            self._accts[acct.lower()] = new_id
            if token is not None:
                self._tokens[token] = Token(token=token, account_id=new_id, app_name=app_name)
            return {
                "id": new_id,
                "username": name,
                "acct": acct,
                "url": self._account_url(account),
                "followers": followers,
                "access_token": token,
                "instance_url": self.base_url,
            }

    def add_token(self, account_id: str, access_token: str, *, app_name: str = "Firebreak") -> None:
        """Another token for a local account (a second app acting as it)."""
        with self._lock:
            account = self._account(account_id)
            if account.domain is not None:
                raise SandboxError(400, "a remote account has no access token on this instance")
            if access_token in self._tokens:
                raise SandboxError(409, "that access token is taken")
            self._tokens[access_token] = Token(access_token, account_id, app_name)

    def revoke_token(self, access_token: str) -> None:
        """Make a token invalid (as when the brand revokes the app)."""
        with self._lock:
            self._tokens.pop(access_token, None)

    def accounts(self) -> list[dict[str, Any]]:
        """Every account as the API shows it (tokens are never echoed)."""
        with self._lock:
            return [self._account_json(a) for a in self._accounts.values()]

    def _authenticate(self, request: Request) -> Token | None:
        """The token a request carries; ``None`` without one; 401 for an unknown one."""
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        scheme, _, value = header.partition(" ")
        with self._lock:
            token = self._tokens.get(value.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            raise ApiError(401, INVALID_TOKEN)
        return token
