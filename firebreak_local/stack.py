"""The whole system on one machine (X1): embedded AWS, sandbox X, the API, the
scheduler, the queue driver and the mail outbox, all on 127.0.0.1 in one process.

``make run`` starts it through ``python -m firebreak_local``; functional tests,
drills and benchmarks start the same ``LocalStack`` on free ports.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from firebreak_local.aws import EmbeddedAws, lambda_context
from firebreak_local.queues import QueueDriver, queue_env
from firebreak_local.seed import Seed

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "infra" / "resources.json"
ASL = ROOT / "infra" / "playbook.asl.json"
REGION = "us-east-1"
# CloudFormation-only table properties that CreateTable does not take.
_CFN_ONLY = {"TimeToLiveSpecification", "PointInTimeRecoverySpecification", "Tags"}

logger = logging.getLogger("firebreak_local")


@dataclass
class StackOptions:
    host: str = "127.0.0.1"
    api_port: int = 0
    outbox_port: int = 0
    aws_port: int = 0
    x_port: int = 0
    mastodon_port: int = 0
    bluesky_port: int = 0
    scheduler: bool = True
    # Seconds between runs of a scheduled handler instead of its deployed rate,
    # e.g. {"mention_poller": 15.0} (python -m firebreak_local --mention-poll-s 15,
    # or FIREBREAK_MENTION_POLL_S=15 make run).
    intervals: dict[str, float] = field(default_factory=dict)
    # The queue driver feeds the template's SQS queues into the on_sqs_message handlers.
    # None: it runs when the scheduler does; either way ``stack.queues.drain()`` works.
    queues: bool | None = None
    queue_wait_s: float = 1.0  # long-poll wait of the driver's receives
    seed: bool = True
    sender_email: str = "firebreak@acme.example"
    table_name: str = "firebreak"
    env: dict[str, str] = field(default_factory=dict)
    # Play the whole stack (app, sandbox X, scheduler) from this moment instead of the
    # machine's clock: drills at 3 a.m., tests that do not care what time it is.
    at: datetime | None = None


LOCAL_ACCOUNT = "123456789012"


def local_function_arn(logical_id: str) -> str:
    """Chalice's logical id (``Playbook``) -> the name the local Lambda layer answers to."""
    name = "".join("_" + c.lower() if c.isupper() else c for c in logical_id).lstrip("_")
    return f"arn:aws:lambda:{REGION}:{LOCAL_ACCOUNT}:function:firebreak-dev-{name}"


def local_table_name(logical_id: str, table_name: str) -> str:
    """The main table is ``table_name``; another (``MentionsTable``) ``<table_name>-mentions``."""
    if logical_id == "FirebreakTable":
        return table_name
    return f"{table_name}-{logical_id.removesuffix('Table').lower()}"


def create_resources(endpoint: str, *, table_name: str, sender_email: str) -> dict[str, str]:
    """Create what the packaged template defines, from the same files, in the embedded AWS.
    Returns the ARNs of the state machines and the URLs of the queues, by logical id."""
    import boto3

    from firebreak_local.queues import create_queues

    template = json.loads(TEMPLATE.read_text())
    machines: dict[str, str] = {}
    dynamodb = boto3.client("dynamodb", endpoint_url=endpoint, region_name=REGION)
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::DynamoDB::Table":
            continue
        props = {k: v for k, v in resource["Properties"].items() if k not in _CFN_ONLY}
        if "SSESpecification" in props:  # CloudFormation says SSEEnabled, the API Enabled
            props["SSESpecification"] = {"Enabled": props["SSESpecification"]["SSEEnabled"]}
        name = local_table_name(logical_id, table_name)
        dynamodb.create_table(TableName=name, **props)
        ttl = resource["Properties"].get("TimeToLiveSpecification")
        if ttl:
            dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
    ses = boto3.client("sesv2", endpoint_url=endpoint, region_name=REGION)
    ses.create_email_identity(EmailIdentity=sender_email)
    sfn = boto3.client("stepfunctions", endpoint_url=endpoint, region_name=REGION)
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::StepFunctions::StateMachine":
            continue
        definition = ASL.read_text()
        for key, value in resource["Properties"].get("DefinitionSubstitutions", {}).items():
            # Locally every substitution is a Chalice function's Arn (Fn::GetAtt [Name, Arn]).
            definition = definition.replace(
                "${" + key + "}", local_function_arn(value["Fn::GetAtt"][0])
            )
        machines[logical_id] = sfn.create_state_machine(
            name=f"firebreak-{logical_id}",
            definition=definition,
            roleArn=f"arn:aws:iam::{LOCAL_ACCOUNT}:role/firebreak-{logical_id}",
        )["stateMachineArn"]
    return machines | create_queues(template, endpoint, REGION)


class LocalStack:
    def __init__(self, options: StackOptions | None = None) -> None:
        self.options = options or StackOptions()
        self.aws: EmbeddedAws | None = None
        self.x: Any = None
        self.mastodon: Any = None  # the sandbox Mastodon instance (X5)
        self.bluesky: Any = None  # the sandbox Bluesky PDS (X5)
        self.seed: Seed | None = None
        self.api_url = ""
        self.outbox_url = ""
        self._servers: list[Any] = []
        self._scheduler: Any = None
        self.queues: QueueDriver | None = None
        self._saved_env: dict[str, str | None] = {}
        from chalicelib.core.clock import PlayClock, SystemClock

        self.clock: SystemClock | PlayClock = (
            PlayClock(self.options.at) if self.options.at else SystemClock()
        )

    def _set_env(self, **values: str) -> None:
        for key, value in values.items():
            self._saved_env.setdefault(key, os.environ.get(key))
            os.environ[key] = value

    def start(self) -> LocalStack:
        from firebreak_local.sandbox_x import start_sandbox_x

        opts = self.options
        # Credentials for the embedded AWS only: never real ones, never leaving 127.0.0.1.
        self._set_env(
            AWS_ACCESS_KEY_ID="local",
            AWS_SECRET_ACCESS_KEY="local",  # noqa: S106 - the embedded AWS accepts any
            AWS_DEFAULT_REGION=REGION,
            AWS_REGION=REGION,
        )
        import app as chalice_app
        from chalicelib import wiring

        wiring.use_clock(self.clock)
        self.aws = EmbeddedAws(_handlers(chalice_app.app), opts.host, opts.aws_port).start()
        self.x = start_sandbox_x(opts.host, opts.x_port, clock=self.clock.epoch)
        from firebreak_local.sandbox_bluesky import start_sandbox_bluesky
        from firebreak_local.sandbox_mastodon import start_sandbox_mastodon

        self.mastodon = start_sandbox_mastodon(
            opts.host, opts.mastodon_port, clock=self.clock.epoch
        )
        self.bluesky = start_sandbox_bluesky(opts.host, opts.bluesky_port, clock=self.clock.epoch)
        api_server = _api_server(chalice_app.app, opts.host, opts.api_port)
        api_port = api_server.server.server_address[1]
        self.api_url = f"http://{opts.host}:{api_port}"
        self._set_env(
            AWS_ENDPOINT_URL=self.aws.url,
            FIREBREAK_TABLE_NAME=opts.table_name,
            FIREBREAK_MENTIONS_TABLE_NAME=local_table_name("MentionsTable", opts.table_name),
            FIREBREAK_SENDER_EMAIL=opts.sender_email,
            FIREBREAK_PUBLIC_BASE_URL=self.api_url,
            FIREBREAK_X_API_BASE_URL=self.x.url,
            **opts.env,
        )
        wiring.reset()
        created = create_resources(
            self.aws.url, table_name=opts.table_name, sender_email=opts.sender_email
        )
        self._set_env(
            FIREBREAK_STATE_MACHINE_ARN=created["PlaybookStateMachine"],
            **queue_env(json.loads(TEMPLATE.read_text()), created),  # FIREBREAK_MENTION_QUEUE_URL
        )
        wiring.reset()
        if opts.seed:
            from firebreak_local.seed import seed

            self.seed = seed(
                wiring.get_service().store,
                wiring.aws_client("secretsmanager"),
                self.x.app,
                secret_prefix=wiring.get_settings().social_secret_prefix,
                sandboxes={"mastodon": self.mastodon, "bluesky": self.bluesky},
            )
        self._serve(api_server.server, "api")
        from firebreak_local.outbox import make_outbox_server

        outbox = make_outbox_server(self.aws, opts.host, opts.outbox_port)
        self.outbox_url = f"http://{opts.host}:{outbox.server_port}"
        self._serve(outbox, "outbox")
        if opts.scheduler:
            from firebreak_local.scheduler import Scheduler

            self._scheduler = Scheduler(
                chalice_app.app, clock=self.clock, intervals=opts.intervals
            ).start()
        self.queues = QueueDriver(chalice_app.app, self.aws.url, wait_s=opts.queue_wait_s)
        if opts.queues if opts.queues is not None else opts.scheduler:
            self.queues.start()
        return self

    def _serve(self, server: Any, name: str) -> None:
        threading.Thread(target=server.serve_forever, name=name, daemon=True).start()
        self._servers.append(server)

    def tick(self, job: str = "publisher", at: datetime | None = None) -> Any:
        """Run one scheduled handler now, as EventBridge would at ``at``."""
        import app as chalice_app
        from firebreak_local.scheduler import scheduled_event

        when = at or self.clock.now()
        return chalice_app.app.handler_map[job](scheduled_event(job, when), lambda_context(job))

    def sandbox(self, network: str) -> Any:
        """The running sandbox app of ``network`` ("x", "mastodon" or "bluesky")."""
        running = {"x": self.x, "mastodon": self.mastodon, "bluesky": self.bluesky}[network]
        return running.app

    def mail(self) -> list[dict[str, Any]]:
        assert self.aws is not None
        return self.aws.sent_mail()

    def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.stop()
        if self.queues is not None:
            self.queues.stop()
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers.clear()
        for sandbox in (self.x, self.mastodon, self.bluesky):
            if sandbox is not None:
                sandbox.stop()
        if self.aws is not None:
            self.aws.stop()
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        from chalicelib import wiring

        wiring.use_clock(None)
        wiring.reset()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handlers(app: Any) -> dict[str, Any]:
    return dict(app.handler_map)


def _api_server(app: Any, host: str, port: int) -> Any:
    from firebreak_local.api_server import make_api_server

    return make_api_server(app, host, port)
