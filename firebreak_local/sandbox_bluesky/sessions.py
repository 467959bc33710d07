"""Accounts and sessions of the sandbox Bluesky: ``com.atproto.server.createSession``,
``refreshSession`` and ``getSession``, and the bearer tokens every other call carries.

Tokens are real JWTs (HS256, a secret per sandbox): access tokens (``scope``
``com.atproto.access``) live ``access_ttl_s`` (2 hours) of the sandbox clock, refresh
tokens (``com.atproto.refresh``, with a ``jti``) 90 days and are single-use: a refresh
hands out a new pair and revokes the old refresh token, as the PDS does. An expired
access token answers 400 ``ExpiredToken``; a bad one 400 ``InvalidToken``.

``createSession`` takes a handle or DID and the account's app password and is
limited per account as on bsky.social: 30 per 5 minutes and 300 per day (429
``RateLimitExceeded``); every call is counted (``create_session_calls``). The
session's ``didDoc`` names the sandbox's own URL as the ``#atproto_pds`` endpoint, so
the atproto SDK, which switches to that endpoint, keeps talking to the sandbox.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from typing import Any

from werkzeug.wrappers import Request

from firebreak_local.sandbox_bluesky.state import Account, BlueskyState, SessionCounter, Window
from firebreak_local.sandbox_bluesky.wire import SandboxError, XrpcError, json_body, required

ACCESS_SCOPE = "com.atproto.access"
REFRESH_SCOPE = "com.atproto.refresh"
CREATE_SESSION_LIMITS = ((30, 300), (300, 86_400))  # (calls, window seconds)
_HANDLE = re.compile(
    r"([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?", re.IGNORECASE
)
_DEFAULT_DOMAIN = ".bsky.social"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _app_password() -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz234567"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


class SessionsMixin(BlueskyState):
    """Accounts, JWTs and the ``com.atproto.server`` session methods."""

    # ------------------------------------------------------------------ control

    def add_account(
        self,
        handle: str,
        *,
        app_password: str | None = None,
        followers: int = 0,
        follows: int = 0,
        display_name: str | None = None,
        did: str | None = None,
    ) -> dict[str, Any]:
        """Register an account (``handle`` without a dot gets ``.bsky.social``).

        Returns ``{"did", "handle", "app_password"}``: what ``createSession`` accepts."""
        name = handle.lstrip("@").lower()
        if "." not in name:
            name += _DEFAULT_DOMAIN
        if not _HANDLE.fullmatch(name) or len(name) > 253:
            raise SandboxError(f"not a valid handle: {handle!r}")
        if not isinstance(followers, int) or followers < 0:
            raise SandboxError("followers must be a non-negative integer")
        with self._lock:
            if name in self._handles:
                raise SandboxError(f"handle {name} is taken")
            new_did = did or self._new_did(name)
            if not new_did.startswith("did:") or new_did in self._accounts:
                raise SandboxError(f"DID {new_did} is invalid or taken")
            account = Account(
                did=new_did,
                handle=name,
                app_password=app_password or _app_password(),
                display_name=display_name or name.split(".")[0].title(),
                created_at=self._now_micros() - 400 * 86_400 * 1_000_000,
                followers=followers,
                follows=follows,
            )
            self._accounts[new_did] = account
            self._handles[name] = new_did
            return {"did": new_did, "handle": name, "app_password": account.app_password}

    def accounts(self) -> list[dict[str, Any]]:
        """Every account: DID, handle, followers (app passwords are not echoed)."""
        with self._lock:
            return [
                {"did": a.did, "handle": a.handle, "followers": a.followers}
                for a in self._accounts.values()
            ]

    def set_followers(self, did: str, followers: int) -> None:
        with self._lock:
            account = self._accounts.get(did)
            if account is None:
                raise SandboxError(f"no account {did}")
            account.followers = followers

    def create_session_calls(self, did: str) -> int:
        """How many times ``createSession`` was called for the account (any outcome)."""
        with self._lock:
            counter = self._session_counts.get(did)
            return counter.total if counter else 0

    def expire_tokens(self, *, refresh: bool = False) -> None:
        """End every access token handed out so far (the next call with one answers
        ``ExpiredToken``); ``refresh=True`` revokes the refresh tokens too."""
        with self._lock:
            self._expired.update(self._access)
            self._access.clear()
            if refresh:
                self._refresh_ids.clear()

    # ------------------------------------------------------------------ JWTs

    def _jwt(self, claims: dict[str, Any], typ: str) -> str:
        header = _b64(json.dumps({"typ": typ, "alg": "HS256"}).encode())
        payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
        signing = f"{header}.{payload}".encode()
        signature = hmac.new(self._jwt_secret, signing, hashlib.sha256).digest()
        return f"{header}.{payload}.{_b64(signature)}"

    def _claims(self, token: str) -> dict[str, Any]:
        parts = token.split(".")
        if len(parts) != 3:
            raise XrpcError(400, "InvalidToken", "Token could not be verified")
        expected = hmac.new(
            self._jwt_secret, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256
        ).digest()
        try:
            valid = hmac.compare_digest(_unb64(parts[2]), expected)
            claims = json.loads(_unb64(parts[1]))
        except (ValueError, json.JSONDecodeError):
            valid, claims = False, None
        if not valid or not isinstance(claims, dict):
            raise XrpcError(400, "InvalidToken", "Token could not be verified")
        return claims

    def _issue(self, account: Account, audience: str) -> tuple[str, str]:
        now = self._now_micros() // 1_000_000
        access = self._jwt(
            {
                "scope": ACCESS_SCOPE,
                "sub": account.did,
                "aud": audience,
                "iat": now,
                "exp": now + self.access_ttl_s,
                # Unique even at one instant of a fixed clock, so that a token handed out
                # after expire_tokens() is never one of those it ended.
                "jti": secrets.token_urlsafe(12),
            },
            "at+jwt",
        )
        jti = secrets.token_urlsafe(24)
        refresh = self._jwt(
            {
                "scope": REFRESH_SCOPE,
                "sub": account.did,
                "aud": audience,
                "jti": jti,
                "iat": now,
                "exp": now + self.refresh_ttl_s,
            },
            "refresh+jwt",
        )
        self._access[access] = account.did
        self._refresh_ids[jti] = account.did
        return access, refresh

    @staticmethod
    def _bearer(request: Request) -> str | None:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None

    def _authenticate(self, request: Request, *, required_auth: bool) -> Account | None:
        """The account an access token names; None without one where none is needed."""
        token = self._bearer(request)
        if token is None:
            if required_auth:
                raise XrpcError(401, "AuthMissing", "Authentication Required")
            return None
        claims = self._claims(token)
        if claims.get("scope") != ACCESS_SCOPE:
            raise XrpcError(400, "InvalidToken", "Bad token scope")
        with self._lock:
            now = self._now_micros() // 1_000_000
            exp = claims.get("exp")
            if token in self._expired or not isinstance(exp, int) or exp <= now:
                raise XrpcError(400, "ExpiredToken", "Token has expired")
            account = self._accounts.get(str(claims.get("sub")))
        if account is None:
            raise XrpcError(400, "InvalidToken", "Token could not be verified")
        return account

    # ------------------------------------------------------------------ XRPC methods

    def _session_body(self, account: Account, base_url: str) -> dict[str, Any]:
        return {
            "handle": account.handle,
            "did": account.did,
            "didDoc": {
                "@context": [
                    "https://www.w3.org/ns/did/v1",
                    "https://w3id.org/security/multikey/v1",
                ],
                "id": account.did,
                "alsoKnownAs": [f"at://{account.handle}"],
                "verificationMethod": [
                    {
                        "id": f"{account.did}#atproto",
                        "type": "Multikey",
                        "controller": account.did,
                        "publicKeyMultibase": "zQ3shXjHeiBuRCKmM36cuYnm7YEMzhGnCmCyW92sRJ9pribSF",
                    }
                ],
                "service": [
                    {
                        "id": "#atproto_pds",
                        "type": "AtprotoPersonalDataServer",
                        "serviceEndpoint": base_url,
                    }
                ],
            },
            "active": True,
        }

    def _count_create_session(self, account: Account) -> None:
        now = self._now_micros() // 1_000_000
        with self._lock:
            counter = self._session_counts.get(account.did)
            if counter is None:
                counter = SessionCounter(
                    short=Window(reset=now + CREATE_SESSION_LIMITS[0][1]),
                    daily=Window(reset=now + CREATE_SESSION_LIMITS[1][1]),
                )
                self._session_counts[account.did] = counter
            counter.total += 1
            for window, (limit, span) in zip(
                (counter.short, counter.daily), CREATE_SESSION_LIMITS, strict=True
            ):
                if now >= window.reset:
                    window.reset, window.used = now + span, 0
                if self.enforce_rate_limits and window.used >= limit:
                    raise XrpcError(
                        429,
                        "RateLimitExceeded",
                        "Rate Limit Exceeded",
                        headers={
                            "ratelimit-limit": str(limit),
                            "ratelimit-remaining": "0",
                            "ratelimit-reset": str(window.reset),
                            "ratelimit-policy": f"{limit};w={span}",
                        },
                    )
            for window in (counter.short, counter.daily):
                window.used += 1

    def _create_session(self, request: Request, base_url: str) -> dict[str, Any]:
        body = json_body(request)
        identifier = required(body, "identifier")
        password = required(body, "password")
        with self._lock:
            account = self._account(identifier)
            if account is not None:
                self._count_create_session(account)
            if account is None or not hmac.compare_digest(
                account.app_password.encode(), password.encode()
            ):
                raise XrpcError(401, "AuthenticationRequired", "Invalid identifier or password")
            access, refresh = self._issue(account, self._audience(base_url))
        return {"accessJwt": access, "refreshJwt": refresh, **self._session_body(account, base_url)}

    def _refresh_session(self, request: Request, base_url: str) -> dict[str, Any]:
        token = self._bearer(request)
        if token is None:
            raise XrpcError(401, "AuthMissing", "Authentication Required")
        claims = self._claims(token)
        if claims.get("scope") != REFRESH_SCOPE:
            raise XrpcError(400, "InvalidToken", "Invalid token type")
        with self._lock:
            now = self._now_micros() // 1_000_000
            exp = claims.get("exp")
            if not isinstance(exp, int) or exp <= now:
                raise XrpcError(400, "ExpiredToken", "Token has expired")
            jti = str(claims.get("jti"))
            did = self._refresh_ids.pop(jti, None)
            if did is None:
                raise XrpcError(400, "ExpiredToken", "Token has been revoked")
            account = self._accounts[did]
            access, refresh = self._issue(account, self._audience(base_url))
        return {"accessJwt": access, "refreshJwt": refresh, **self._session_body(account, base_url)}

    def _get_session(self, account: Account, base_url: str) -> dict[str, Any]:
        return self._session_body(account, base_url)

    @staticmethod
    def _audience(base_url: str) -> str:
        host = base_url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        return f"did:web:{host}"
