"""Per-account network credentials from AWS Secrets Manager, turned into network clients.

Each account's credentials live in the secret ``{prefix}{account_id}`` as JSON in its
network's own shape:

- X: ``consumer_key``, ``consumer_secret``, ``access_token``, ``access_token_secret``
  (optionally ``bearer_token``);
- Mastodon: ``instance_url`` and ``access_token``;
- Bluesky: ``handle`` and ``app_password`` (optionally ``service_url``, the account's
  PDS, ``https://bsky.social`` by default). Bluesky allows ``createSession`` 300 times a
  day, so the session it hands out is kept in ``{prefix}{account_id}/session`` and
  reused (refreshed when it expires) by every Lambda instead of logging in again.

Credentials are never logged, never put in an error message and never leave this
module except inside the client object. Each network's client library is imported
only when an account on that network is used.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalicelib.accounts.domain import Account
from chalicelib.networks.rules import UnknownNetwork, network_name, rules_for
from chalicelib.networks.social import (
    NetworkUnavailable,
    PostRejected,
    SocialNetwork,
    SocialNetworkError,
)

if TYPE_CHECKING:
    from chalicelib.networks.rules import TextRules

logger = logging.getLogger(__name__)

# Secrets Manager answers that a retry may fix; anything else means no usable secret.
_TRANSIENT = frozenset(
    {"ThrottlingException", "InternalServiceError", "ServiceUnavailable", "RequestTimeout"}
)
SESSION_SUFFIX = "/session"
# A Mastodon instance that did not say its limits is asked again after this long;
# meanwhile drafts are checked against Mastodon's default.
LIMITS_RETRY_S = 60.0


class SecretSessionStore:
    """A Bluesky session (atproto's session string) kept in its own secret, so that a
    cold Lambda resumes it instead of calling ``createSession`` again."""

    def __init__(self, client: Any, secret_id: str) -> None:
        self._sm = client
        self._id = secret_id

    def load(self) -> str | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            raw = self._sm.get_secret_value(SecretId=self._id)
        except BotoCoreError as exc:  # no answer from Secrets Manager: try again later
            raise NetworkUnavailable(
                f"Secrets Manager unreachable ({type(exc).__name__})"
            ) from None
        except ClientError as exc:
            code = exc.response["Error"]["Code"]
            if code == "ResourceNotFoundException":
                return None
            if code in _TRANSIENT:
                raise NetworkUnavailable(f"Secrets Manager unavailable ({code})") from None
            # Without the stored session the app password still logs in.
            logger.warning("Bluesky session secret unreadable (%s); logging in", code)
            return None
        value = raw.get("SecretString")
        # A blank value is how a person clears the session (the runbook): log in afresh.
        return value if isinstance(value, str) and value.strip() else None

    def save(self, session: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            try:
                self._sm.put_secret_value(SecretId=self._id, SecretString=session)
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "ResourceNotFoundException":
                    raise
                try:
                    self._sm.create_secret(Name=self._id, SecretString=session)
                except ClientError as race:  # another Lambda created it first
                    if race.response["Error"]["Code"] != "ResourceExistsException":
                        raise
                    self._sm.put_secret_value(SecretId=self._id, SecretString=session)
        except (ClientError, BotoCoreError) as exc:
            # The session still works for this Lambda, but every cold one will log in
            # again, and Bluesky allows 300 logins a day: someone must look.
            code = (
                exc.response["Error"]["Code"]
                if isinstance(exc, ClientError)
                else type(exc).__name__
            )
            logger.error("Bluesky session not stored (%s): every cold start logs in", code)


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
        self._now_epoch = now_epoch  # what the clients read the time of day from
        self._clients: dict[str, tuple[float, SocialNetwork]] = {}
        self._limits_failed: dict[str, float] = {}  # account → when its instance failed

    def secret_id(self, account_id: str) -> str:
        return f"{self._prefix}{account_id}"

    def client_for(self, account: Account) -> SocialNetwork:
        cached = self._clients.get(account.id)
        if cached and self._clock() - cached[0] < self._max_age:
            return cached[1]
        document = self._credentials(account)
        client = self._build(account, document)
        self._clients[account.id] = (self._clock(), client)
        return client

    def text_rules(self, account: Account) -> TextRules:
        """The network's length rule; for Mastodon the instance's own limits, asked of it
        (cached with the client), or Mastodon's defaults while it does not answer."""
        if account.network != "mastodon":
            return rules_for(account.network)
        failed = self._limits_failed.get(account.id)
        if failed is not None and self._clock() - failed < LIMITS_RETRY_S:
            return rules_for("mastodon")  # it did not answer a moment ago: don't wait again
        try:
            limits = getattr(self.client_for(account), "text_limits", None)
            max_characters, url_length = limits() if limits else (None, None)
        except SocialNetworkError as exc:
            logger.warning("instance limits of %s unknown: %s", account.id, type(exc).__name__)
            self._limits_failed[account.id] = self._clock()
            return rules_for("mastodon")
        self._limits_failed.pop(account.id, None)
        return rules_for("mastodon", max_characters=max_characters, url_length=url_length)

    def _credentials(self, account: Account) -> Any:
        from botocore.exceptions import ClientError

        name = network_name(account.network)
        try:
            raw = self._sm.get_secret_value(SecretId=self.secret_id(account.id))
        except ClientError as exc:
            code = exc.response["Error"]["Code"]
            if code in _TRANSIENT:
                raise NetworkUnavailable(f"Secrets Manager unavailable ({code})") from None
            raise PostRejected(
                f"no usable {name} credentials for account {account.id} ({code})"
            ) from None
        try:
            return json.loads(raw["SecretString"])
        except (KeyError, TypeError, ValueError):
            raise PostRejected(
                f"{name} credentials of account {account.id} are not a JSON document"
            ) from None

    def _build(self, account: Account, document: Any) -> SocialNetwork:
        name = network_name(account.network)
        try:
            if account.network == "x":
                from chalicelib.networks.x import XClient, XCredentials

                return XClient(
                    XCredentials.from_json(document),
                    api_base_url=self._base,
                    timeout_s=self._timeout,
                    clock=self._now_epoch,
                )
            if account.network == "mastodon":
                from chalicelib.networks.mastodon import MastodonClient, MastodonCredentials

                return MastodonClient(
                    MastodonCredentials.from_json(document),
                    timeout_s=self._timeout,
                    clock=self._now_epoch,
                )
            if account.network == "bluesky":
                from chalicelib.networks.bluesky import BlueskyClient, BlueskyCredentials

                store = SecretSessionStore(self._sm, self.secret_id(account.id) + SESSION_SUFFIX)
                return BlueskyClient(
                    BlueskyCredentials.from_json(document),
                    session_store=store,
                    timeout_s=self._timeout,
                    clock=self._now_epoch,
                )
        except ValueError as exc:  # the credentials' errors name fields, never values
            raise PostRejected(
                f"{name} credentials of account {account.id} are malformed: {exc}"
            ) from None
        raise PostRejected(str(UnknownNetwork(account.network)))
