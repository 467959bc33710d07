"""The one settings object, read from the environment once and injected."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FIREBREAK_", extra="ignore", frozen=True)

    table_name: str = "firebreak"
    sender_email: str = "firebreak@example.com"
    # Where links in mails and feeds point: the API's public base URL.
    public_base_url: str = "http://127.0.0.1:8000"
    link_ttl_hours: int = Field(default=72, ge=1, le=24 * 30)
    x_secret_prefix: str = "firebreak/x/"  # noqa: S105 - a name prefix, not a secret
    # Unset in production (tweepy talks to api.twitter.com); the sandbox X locally.
    x_api_base_url: str | None = None
    x_timeout_s: float = Field(default=10.0, gt=0)
    log_level: str = "INFO"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
