"""The one place where adapters are built and plugged into the services.

Everything is lazy and cached: importing this module (or ``app.py``) touches neither
AWS nor the environment, and a boto3 client is only made when first used.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache, lru_cache, partial
from typing import TYPE_CHECKING, Any

from chalicelib.core.clock import SystemClock
from chalicelib.core.settings import get_settings
from chalicelib.triage.risk import RiskReport

if TYPE_CHECKING:
    from chalicelib.core.clock import PlayClock
    from chalicelib.incidents.playbook import Playbook
    from chalicelib.mentions.service import Mentions
    from chalicelib.services import Firebreak
    from chalicelib.web.auth import WebAuth

_clock: SystemClock | PlayClock = SystemClock()


def use_clock(clock: SystemClock | PlayClock | None) -> None:
    """The clock every service reads from now on (None: the system clock again).

    The local stack plays drills and tests at a chosen time; deployed, nothing calls
    this. Cached services are dropped so that none keeps the old clock."""
    global _clock
    _clock = clock or SystemClock()
    get_service.cache_clear()
    get_playbook.cache_clear()
    get_mentions.cache_clear()
    get_web.cache_clear()


def get_clock() -> SystemClock | PlayClock:
    return _clock


class LazyClient:
    """A boto3 client made on first attribute access (cold starts stay short)."""

    def __init__(self, service: str) -> None:
        self._service = service
        self._client: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._client is None:
            self._client = aws_client(self._service)
        return getattr(self._client, name)


class LazyScanner:
    """The configured risk scorer, loaded on the first scan only."""

    def scan(self, text: str) -> RiskReport:
        return _triage_scorer().scan(text)


@cache
def aws_client(service: str) -> Any:
    """A low-level client, the same object ``boto3.client`` returns, made through
    botocore directly: ``import boto3`` drags in s3transfer (~100 ms of cold start)."""
    # AWS_ENDPOINT_URL (the embedded AWS locally) and the region are read by botocore.
    return _botocore_session().create_client(service)


# The services Firebreak's Lambdas talk to. Naming them lets botocore skip listing
# all ~400 bundled service models (~45 ms) and parsing every service's endpoints
# (~25 ms) on each cold start.
AWS_SERVICES = (
    "dynamodb",
    "sesv2",
    "secretsmanager",
    "stepfunctions",
    "lambda",
    "comprehend",
    "bedrock-runtime",
    "sqs",
)


@cache
def _botocore_session() -> Any:
    import botocore.session
    from botocore.loaders import Loader

    class KnownServicesLoader(Loader):
        def list_available_services(self, type_name: str) -> list[str]:
            return sorted(AWS_SERVICES)

        def load_data_with_path(self, name: str) -> tuple[Any, str]:
            if name != "endpoints":
                return super().load_data_with_path(name)
            # botocore's own endpoints.json cut to our services (infra/trim_endpoints.py):
            # parsing the full 1.25 MB costs ~25-30 ms of every cold start.
            import json
            from pathlib import Path

            import botocore

            trimmed = Path(__file__).with_name("botocore_endpoints.json")
            builtin = str(Path(botocore.__file__).parent / "data" / "endpoints.json")
            return json.loads(trimmed.read_text()), builtin

    session = botocore.session.get_session()
    session.register_component("data_loader", KnownServicesLoader())
    return session


# Loggers that print request or response bodies and headers at DEBUG: secrets from
# Secrets Manager, OAuth headers for X, Mastodon's bearer token, Bluesky's JWTs and app
# password (httpx, under atproto). Pinned at WARNING so that turning the app's own log
# level to DEBUG can never write a credential to the logs.
SECRET_BEARING_LOGGERS = (
    "botocore",
    "urllib3",
    "tweepy",
    "requests_oauthlib",
    "oauthlib",
    "mastodon",
    "httpx",
    "httpcore",
    "atproto_client",
)


def quiet_secret_bearing_loggers() -> None:
    import logging

    for name in SECRET_BEARING_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


@lru_cache(maxsize=1)
def get_service() -> Firebreak:
    # Imported here: the app's import (every Lambda's cold start) loads no use case.
    from chalicelib.aws.dynamo import DynamoStore
    from chalicelib.aws.secrets import SecretsSocialAccounts
    from chalicelib.aws.ses import SesMailer
    from chalicelib.services import Config, Firebreak

    settings = get_settings()
    quiet_secret_bearing_loggers()
    return Firebreak(
        store=DynamoStore(LazyClient("dynamodb"), settings.table_name),
        mailer=SesMailer(LazyClient("sesv2"), settings.sender_email),
        social=SecretsSocialAccounts(
            LazyClient("secretsmanager"),
            secret_prefix=settings.social_secret_prefix,
            x_api_base_url=settings.x_api_base_url,
            timeout_s=settings.x_timeout_s,
            now_epoch=get_clock().epoch,
        ),
        scanner=LazyScanner(),
        clock=get_clock(),
        config=Config(
            public_base_url=settings.public_base_url,
            link_ttl=timedelta(hours=settings.link_ttl_hours),
        ),
    )


@lru_cache(maxsize=1)
def get_playbook() -> Playbook:
    from chalicelib.aws.dynamo import DynamoStore
    from chalicelib.aws.dynamo_incidents import DynamoIncidents
    from chalicelib.aws.stepfunctions import SfnPlaybook
    from chalicelib.incidents.playbook import Playbook, PlaybookConfig

    settings = get_settings()
    service = get_service()
    assert isinstance(service.store, DynamoStore)  # incidents live in the same table
    return Playbook(
        service=service,
        incidents=DynamoIncidents(service.store),
        machine=SfnPlaybook(LazyClient("stepfunctions"), settings.state_machine_arn),
        scorer=_triage_scorer,
        config=PlaybookConfig(
            public_base_url=settings.public_base_url,
            link_ttl=timedelta(hours=settings.link_ttl_hours),
            decision_timeout_s=settings.decision_timeout_s,
            escalated_decision_timeout_s=settings.escalated_decision_timeout_s,
            checklist_timeout_s=settings.checklist_timeout_s,
            apology_timeout_s=settings.apology_timeout_s,
            resolution_timeout_s=settings.resolution_timeout_s,
        ),
    )


@lru_cache(maxsize=1)
def get_mentions() -> Mentions:
    from chalicelib.aws.dynamo_engage import DynamoEngagement
    from chalicelib.aws.dynamo_mentions import DynamoMentions
    from chalicelib.aws.sqs import SqsQueue
    from chalicelib.mentions.base import MentionDeps
    from chalicelib.mentions.service import Mentions

    settings = get_settings()
    return Mentions.build(
        MentionDeps(
            service=get_service(),
            mentions=DynamoMentions(LazyClient("dynamodb"), settings.mentions_table_name),
            queue=SqsQueue(LazyClient("sqs"), settings.mention_queue_url),
            scorer=_mention_scorer,
            playbook=get_playbook,
            engagement=DynamoEngagement(LazyClient("dynamodb"), settings.mentions_table_name),
        )
    )


@lru_cache(maxsize=1)
def get_web() -> WebAuth:
    from chalicelib.aws.dynamo_web import DynamoWeb
    from chalicelib.web.auth import WebAuth
    from chalicelib.web.domain import SessionPolicy

    settings = get_settings()
    service = get_service()
    return WebAuth(
        store=service.store,
        web=DynamoWeb(LazyClient("dynamodb"), settings.table_name),
        mailer=service.mailer,
        clock=get_clock(),
        base_url=settings.public_base_url,
        policy=SessionPolicy(
            idle=timedelta(minutes=settings.session_idle_minutes),
            absolute=timedelta(hours=settings.session_max_hours),
        ),
    )


@lru_cache(maxsize=1)
def _mention_scorer() -> Any:
    """The triage scorer's fast mention mode (thousands of texts a second on one core)."""
    from chalicelib.triage import MENTION_MODE, get_scorer

    return get_scorer(MENTION_MODE)


@lru_cache(maxsize=1)
def _triage_scorer() -> Any:
    """The embedded model by default; Amazon Comprehend when FIREBREAK_SCORER=comprehend,
    Bedrock Guardrails when it is bedrock (both keep the embedded model for what they
    lack: slur, terms, languages they do not read)."""
    from chalicelib.triage import get_scorer

    settings = get_settings()
    embedded = partial(get_scorer, settings.triage_encoder)
    if settings.scorer == "comprehend":
        from chalicelib.aws.comprehend import ComprehendScorer

        return ComprehendScorer(LazyClient("comprehend"), embedded)
    if settings.scorer == "bedrock":
        from chalicelib.aws.bedrock import GuardrailScorer

        return GuardrailScorer(
            LazyClient("bedrock-runtime"),
            settings.guardrail_id,
            settings.guardrail_version,
            embedded,
        )
    return embedded()


def reset() -> None:
    """Forget every cached object (tests change the environment between stacks)."""
    get_service.cache_clear()
    get_playbook.cache_clear()
    get_mentions.cache_clear()
    get_web.cache_clear()
    _triage_scorer.cache_clear()
    aws_client.cache_clear()
    _botocore_session.cache_clear()
    get_settings.cache_clear()
