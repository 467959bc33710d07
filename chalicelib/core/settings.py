"""The one settings object, read from the environment once and injected.

A frozen dataclass parsed by hand rather than pydantic-settings: importing
pydantic-settings costs ~200 ms here, which alone would break the cold-start
budget of the scheduled Lambdas (see bench/coldstart and docs/architecture.md).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache

from chalicelib.triage import ENCODER_MODES

PREFIX = "FIREBREAK_"
SCORERS = ("embedded", "comprehend", "bedrock")
# ApplyGuardrail's own patterns for the guardrail's identifier (an id or its ARN)
# and version (a number or the working draft).
_GUARDRAIL_ID = re.compile(
    r"[a-z0-9]+|arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+"
)
_GUARDRAIL_VERSION = re.compile(r"[1-9][0-9]{0,7}|DRAFT")


class SettingsError(ValueError):
    """A setting is present but not usable; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    table_name: str = "firebreak"
    # Mentions, their series and alerts: a stream of a different volume, kept apart.
    mentions_table_name: str = "firebreak-mentions"
    sender_email: str = "firebreak@example.com"
    # Where links in mails and feeds point: the API's public base URL.
    public_base_url: str = "http://127.0.0.1:8000"
    link_ttl_hours: int = 72
    social_secret_prefix: str = "firebreak/accounts/"  # noqa: S105 - a name prefix, not a secret
    # Unset in production (tweepy talks to api.twitter.com); the sandbox X locally.
    x_api_base_url: str | None = None
    x_timeout_s: float = 10.0
    state_machine_arn: str = ""
    mention_queue_url: str = ""  # the SQS queue between the mention poller and its scorer
    # or "comprehend" (Amazon Comprehend) or "bedrock" (Bedrock Guardrails): deployed only
    scorer: str = "embedded"
    guardrail_id: str = ""  # the Bedrock guardrail (id or ARN); required with "bedrock"
    guardrail_version: str = "DRAFT"  # a published version number, or the working draft
    triage_encoder: str = "on"  # the embedded scorer's English encoder: on, cascade or off
    decision_timeout_s: int = 30 * 60
    escalated_decision_timeout_s: int = 30 * 60
    checklist_timeout_s: int = 24 * 3600
    apology_timeout_s: int = 4 * 3600
    resolution_timeout_s: int = 14 * 24 * 3600
    # The web app's sessions (X4): signed out after this long without a request, and
    # after this long whatever happens.
    session_idle_minutes: int = 60
    session_max_hours: int = 12

    @staticmethod
    def from_env(env: Mapping[str, str]) -> Settings:
        values: dict[str, object] = {}
        for f in fields(Settings):
            name = PREFIX + f.name.upper()
            raw = env.get(name)
            if raw is None or raw == "":
                continue
            kind = f.type if isinstance(f.type, str) else f.type.__name__
            try:
                if kind == "int":
                    values[f.name] = int(raw)
                elif kind == "float":
                    values[f.name] = float(raw)
                else:
                    values[f.name] = raw
            except ValueError:
                raise SettingsError(f"{name} must be a number, got {raw!r}") from None
        settings = Settings(**values)  # type: ignore[arg-type]
        settings.validate()
        return settings

    def validate(self) -> None:
        if not 1 <= self.link_ttl_hours <= 24 * 30:
            raise SettingsError(f"{PREFIX}LINK_TTL_HOURS must be 1..720, got {self.link_ttl_hours}")
        if self.x_timeout_s <= 0:
            raise SettingsError(f"{PREFIX}X_TIMEOUT_S must be positive")
        if self.scorer not in SCORERS:
            raise SettingsError(f"{PREFIX}SCORER must be embedded, comprehend or bedrock")
        if self.scorer == "bedrock" and not self.guardrail_id:
            raise SettingsError(f"{PREFIX}GUARDRAIL_ID must be set when {PREFIX}SCORER is bedrock")
        if self.guardrail_id and not _GUARDRAIL_ID.fullmatch(self.guardrail_id):
            raise SettingsError(
                f"{PREFIX}GUARDRAIL_ID must be a guardrail id or ARN, got {self.guardrail_id!r}"
            )
        if not _GUARDRAIL_VERSION.fullmatch(self.guardrail_version):
            raise SettingsError(
                f"{PREFIX}GUARDRAIL_VERSION must be a version number or DRAFT, "
                f"got {self.guardrail_version!r}"
            )
        if self.triage_encoder not in ENCODER_MODES:
            raise SettingsError(
                f"{PREFIX}TRIAGE_ENCODER must be on, cascade or off, got {self.triage_encoder!r}"
            )
        if not 1 <= self.session_idle_minutes <= 24 * 60:
            raise SettingsError(f"{PREFIX}SESSION_IDLE_MINUTES must be 1..1440")
        if not 1 <= self.session_max_hours <= 24 * 7:
            raise SettingsError(f"{PREFIX}SESSION_MAX_HOURS must be 1..168")
        if not self.public_base_url.startswith(("http://", "https://")):
            raise SettingsError(f"{PREFIX}PUBLIC_BASE_URL must be an http(s) URL")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env(os.environ)
