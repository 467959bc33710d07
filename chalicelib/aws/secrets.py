"""Per-account X credentials from AWS Secrets Manager, turned into network clients.

Each account's credentials live in the secret ``{prefix}{account_id}`` as JSON
(consumer_key, consumer_secret, access_token, access_token_secret[, bearer_token]).
They are never logged, never put in an error message and never leave this module
except inside the client object.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from chalicelib.accounts.domain import Account
from chalicelib.networks.social import NetworkUnavailable, PostRejected, SocialNetwork

# Secrets Manager answers that a retry may fix; anything else means no usable secret.
_TRANSIENT = frozenset(
    {"ThrottlingException", "InternalServiceError", "ServiceUnavailable", "RequestTimeout"}
)


class SecretsSocialAccounts:
    def __init__(
        self,
        client: Any,
        *,
        secret_prefix: str,
        x_api_base_url: str | None,
        timeout_s: float = 10.0,
        max_age_s: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        now_epoch: Callable[[], float] = time.time,
    ) -> None:
        self._sm = client
        self._prefix = secret_prefix
        self._base = x_api_base_url
        self._timeout = timeout_s
        # A warm Lambda re-reads the secret after this long, so rotated tokens (a step of
        # the hack checklist) take effect within minutes, not at the next cold start.
        self._max_age = max_age_s
        self._clock = clock
        self._now_epoch = now_epoch  # what the X client reads the time of day from
        self._clients: dict[str, tuple[float, SocialNetwork]] = {}

    def secret_id(self, account_id: str) -> str:
        return f"{self._prefix}{account_id}"

    def client_for(self, account: Account) -> SocialNetwork:
        cached = self._clients.get(account.id)
        if cached and self._clock() - cached[0] < self._max_age:
            return cached[1]
        from botocore.exceptions import ClientError

        from chalicelib.networks.x import XClient, XCredentials

        try:
            raw = self._sm.get_secret_value(SecretId=self.secret_id(account.id))
        except ClientError as exc:
            code = exc.response["Error"]["Code"]
            if code in _TRANSIENT:
                raise NetworkUnavailable(f"Secrets Manager unavailable ({code})") from None
            raise PostRejected(
                f"no usable X credentials for account {account.id} ({code})"
            ) from None
        try:
            creds = XCredentials.from_json(json.loads(raw["SecretString"]))
        except ValueError as exc:  # XCredentialsError names fields, never values
            raise PostRejected(
                f"X credentials of account {account.id} are malformed: {exc}"
            ) from None
        client = XClient(
            creds, api_base_url=self._base, timeout_s=self._timeout, clock=self._now_epoch
        )
        self._clients[account.id] = (self._clock(), client)
        return client
