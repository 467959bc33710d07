"""SQS locally: the template's queues in the embedded AWS, and a driver that feeds them
into every ``@app.on_sqs_message`` handler as Lambda's SQS event source mapping does.

moto serves SQS (visibility timeouts, receive counts, redrive to a dead-letter queue
after ``maxReceiveCount``) but invokes nothing, so the local stack polls the queues
itself. Each batch reaches the handler in Lambda's event shape and is settled with
Lambda's ``ReportBatchItemFailures`` contract: every message not named in the reply's
``batchItemFailures`` is deleted; the named ones (all of them, if the handler raises or
the reply names a message that is not in the batch) are left to reappear after the
queue's visibility timeout, and to move to the dead-letter queue after
``maxReceiveCount`` receives.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from firebreak_local.aws import lambda_context

logger = logging.getLogger("firebreak_local.queues")

REGION = "us-east-1"
# CloudFormation properties of AWS::SQS::Queue that are SQS attributes of the same name.
_ATTRIBUTES = (
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "DelaySeconds",
    "FifoQueue",
    "FifoThroughputLimit",
    "KmsDataKeyReusePeriodSeconds",
    "KmsMasterKeyId",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "ReceiveMessageWaitTimeSeconds",
    "SqsManagedSseEnabled",
    "VisibilityTimeout",
)
_POLICIES = ("RedrivePolicy", "RedriveAllowPolicy")  # JSON documents that hold queue ARNs
_RECEIVE_MAX = 10  # one ReceiveMessage call returns at most 10 messages
_DRAIN_PAUSE_S = 0.05


def sqs_client(endpoint: str, region: str = REGION) -> Any:
    """A boto3 SQS client for the embedded AWS (loopback, throwaway credentials)."""
    import boto3

    return boto3.client(
        "sqs",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 - the embedded AWS accepts any
    )


def _attribute_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _resolve(node: Any, arns: Mapping[str, str]) -> Any:
    """``{"Fn::GetAtt": [Queue, "Arn"]}`` -> that queue's local ARN, anywhere in ``node``."""
    if isinstance(node, dict):
        if set(node) == {"Fn::GetAtt"} and node["Fn::GetAtt"][1] == "Arn":
            return arns[node["Fn::GetAtt"][0]]
        return {k: _resolve(v, arns) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, arns) for v in node]
    return node


def queue_attributes(properties: Mapping[str, Any]) -> dict[str, str]:
    """An ``AWS::SQS::Queue``'s CloudFormation properties as SQS attributes (strings),
    but for its redrive policies (``redrive_attributes``)."""
    return {k: _attribute_value(properties[k]) for k in _ATTRIBUTES if k in properties}


def redrive_attributes(properties: Mapping[str, Any], arns: Mapping[str, str]) -> dict[str, str]:
    """Its redrive policies as JSON attributes, with the queue ARNs of ``arns`` (by
    logical id) for ``Fn::GetAtt [Queue, Arn]``."""
    return {k: json.dumps(_resolve(properties[k], arns)) for k in _POLICIES if k in properties}


def create_queues(
    template: Mapping[str, Any], endpoint: str, region: str = REGION
) -> dict[str, str]:
    """Create every ``AWS::SQS::Queue`` of the template; returns logical id -> queue URL.

    All queues first (a redrive policy names its dead-letter queue's ARN), then the
    redrive policies."""
    sqs = sqs_client(endpoint, region)
    queues = {
        logical_id: r["Properties"]
        for logical_id, r in template["Resources"].items()
        if r.get("Type") == "AWS::SQS::Queue"
    }
    urls: dict[str, str] = {}
    arns: dict[str, str] = {}
    for logical_id, props in queues.items():
        name = props.get("QueueName") or f"firebreak-{logical_id}"
        urls[logical_id] = sqs.create_queue(QueueName=name, Attributes=queue_attributes(props))[
            "QueueUrl"
        ]
        arns[logical_id] = sqs.get_queue_attributes(
            QueueUrl=urls[logical_id], AttributeNames=["QueueArn"]
        )["Attributes"]["QueueArn"]
    for logical_id, props in queues.items():
        policies = redrive_attributes(props, arns)
        if policies:
            sqs.set_queue_attributes(QueueUrl=urls[logical_id], Attributes=policies)
    return urls


def queue_env(template: Mapping[str, Any], urls: Mapping[str, str]) -> dict[str, str]:
    """The environment variables the template's functions get from ``{"Ref": <queue>}``
    (a queue's Ref is its URL), with the local URLs."""
    env: dict[str, str] = {}
    for resource in template["Resources"].values():
        variables = resource.get("Properties", {}).get("Environment", {}).get("Variables", {})
        for key, value in variables.items():
            if isinstance(value, dict) and value.get("Ref") in urls:
                env[key] = urls[value["Ref"]]
    return env


# ---------------------------------------------------------------- Lambda's event shape
def _message_attribute(value: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "stringListValues": [],
        "binaryListValues": [],
        "dataType": value["DataType"],
    }
    if "StringValue" in value:
        out["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        out["binaryValue"] = base64.b64encode(value["BinaryValue"]).decode()
    return out


def lambda_record(
    message: Mapping[str, Any], queue_arn: str, region: str = REGION
) -> dict[str, Any]:
    """One ReceiveMessage message as a record of Lambda's SQS event."""
    record: dict[str, Any] = {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": dict(message.get("Attributes", {})),
        "messageAttributes": {
            k: _message_attribute(v) for k, v in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }
    if "MD5OfMessageAttributes" in message:
        record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
    return record


def sqs_event(
    messages: list[dict[str, Any]], queue_arn: str, region: str = REGION
) -> dict[str, Any]:
    return {"Records": [lambda_record(m, queue_arn, region) for m in messages]}


def failed_ids(result: Any, batch: list[str]) -> set[str]:
    """The message ids Lambda would leave on the queue for this handler reply
    (``ReportBatchItemFailures``): none for an empty or null reply or failure list; the
    whole batch for an unusable one (not JSON, an item without a known message id)."""
    try:
        json.dumps(result)
    except (TypeError, ValueError):
        return set(batch)
    if not isinstance(result, dict) or not result.get("batchItemFailures"):
        return set()
    failures = result["batchItemFailures"]
    if not isinstance(failures, list):
        return set(batch)
    ids = {f.get("itemIdentifier") if isinstance(f, dict) else None for f in failures}
    if not ids <= set(batch):
        return set(batch)
    return {i for i in ids if isinstance(i, str)}


# ---------------------------------------------------------------- the driver
@dataclass
class Subscription:
    """One ``on_sqs_message`` handler and the local queue it reads."""

    name: str
    queue_url: str
    queue_arn: str
    batch_size: int


@dataclass
class BatchOutcome:
    received: int = 0
    deleted: int = 0
    failed: int = 0  # left on the queue: named in batchItemFailures, or the batch raised
    raised: bool = False


@dataclass
class DrainReport:
    batches: int = 0
    received: int = 0
    deleted: int = 0
    failed: int = 0
    errors: int = 0  # batches whose handler raised
    empty: bool = False  # every queue empty at the end: nothing visible, in flight, delayed

    def add(self, outcome: BatchOutcome) -> None:
        self.batches += 1
        self.received += outcome.received
        self.deleted += outcome.deleted
        self.failed += outcome.failed
        self.errors += int(outcome.raised)

    def merge(self, other: DrainReport) -> None:
        self.batches += other.batches
        self.received += other.received
        self.deleted += other.deleted
        self.failed += other.failed
        self.errors += other.errors


def subscriptions(app: Any, sqs: Any) -> list[Subscription]:
    """Every ``on_sqs_message`` event source of the app whose queue exists locally."""
    from chalice.app import SQSEventConfig

    found: list[Subscription] = []
    for source in app.event_sources:
        if not isinstance(source, SQSEventConfig):
            continue
        name = source.queue or str(source.queue_arn).rsplit(":", 1)[-1]
        try:
            url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        except sqs.exceptions.QueueDoesNotExist:
            logger.warning("queue %s of handler %s does not exist locally", name, source.name)
            continue
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        found.append(
            Subscription(source.name, url, arn["Attributes"]["QueueArn"], source.batch_size)
        )
    return found


class QueueDriver:
    """Polls the queues of the app's ``on_sqs_message`` handlers and invokes them, one
    daemon thread per handler (``start``/``stop``), or synchronously (``run_once``,
    ``drain``) in tests and benchmarks."""

    def __init__(
        self,
        app: Any,
        endpoint: str,
        *,
        wait_s: float = 1.0,
        region: str = REGION,
        timeout_s: float = 60,
    ) -> None:
        self.app = app
        self.region = region
        self.wait_s = wait_s  # long-poll wait of each receive, in whole seconds (max 20)
        self.timeout_s = timeout_s  # the context's remaining time, as the function's timeout
        self.sqs = sqs_client(endpoint, region)
        self._subscriptions: list[Subscription] | None = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def subscriptions(self) -> list[Subscription]:
        if self._subscriptions is None:
            self._subscriptions = subscriptions(self.app, self.sqs)
        return self._subscriptions

    def start(self) -> QueueDriver:
        self._stop.clear()
        for sub in self.subscriptions:
            thread = threading.Thread(
                target=self._loop, args=(sub,), name=f"queue-{sub.name}", daemon=True
            )
            thread.start()
            self._threads.append(thread)
        return self

    def _loop(self, sub: Subscription) -> None:
        while not self._stop.is_set():
            try:
                self.poll(sub, wait_s=self.wait_s)
            except Exception:  # the poller outlives any one bad receive
                if self._stop.is_set():
                    break
                logger.exception("polling %s for %s failed", sub.queue_url, sub.name)
                self._stop.wait(max(self.wait_s, 0.5))

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self._wait_seconds() + 5)
        self._threads.clear()

    def _wait_seconds(self) -> int:
        return max(0, min(20, round(self.wait_s)))

    def poll(self, sub: Subscription, *, wait_s: float = 0) -> BatchOutcome | None:
        """One receive of up to ``batch_size`` messages, one invocation, one settlement.
        None when nothing was received."""
        received = self.sqs.receive_message(
            QueueUrl=sub.queue_url,
            MaxNumberOfMessages=max(1, min(sub.batch_size, _RECEIVE_MAX)),
            WaitTimeSeconds=max(0, min(20, round(wait_s))),
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not received:
            return None
        return self._invoke(sub, received)

    def _invoke(self, sub: Subscription, messages: list[dict[str, Any]]) -> BatchOutcome:
        outcome = BatchOutcome(received=len(messages))
        handles = {m["MessageId"]: m["ReceiptHandle"] for m in messages}
        event = sqs_event(messages, sub.queue_arn, self.region)
        try:
            result = self.app.handler_map[sub.name](event, lambda_context(sub.name, self.timeout_s))
        except Exception:  # Lambda's contract: the whole batch failed
            logger.exception("queue handler %s failed on %d messages", sub.name, len(messages))
            outcome.raised, outcome.failed = True, len(messages)
            return outcome
        failed = failed_ids(result, list(handles))
        done = [(i, h) for i, h in handles.items() if i not in failed]
        for start in range(0, len(done), _RECEIVE_MAX):
            chunk = done[start : start + _RECEIVE_MAX]
            reply = self.sqs.delete_message_batch(
                QueueUrl=sub.queue_url,
                Entries=[{"Id": str(n), "ReceiptHandle": h} for n, (_, h) in enumerate(chunk)],
            )
            for error in reply.get("Failed", []):
                logger.warning("deleting a message of %s failed: %s", sub.name, error)
        outcome.deleted, outcome.failed = len(done), len(failed)
        logger.info(
            "queue handler %s: %d messages, %d failed", sub.name, len(messages), len(failed)
        )
        return outcome

    def run_once(self) -> DrainReport:
        """One receive (no waiting) and invocation per handler."""
        report = DrainReport()
        for sub in self.subscriptions:
            outcome = self.poll(sub)
            if outcome is not None:
                report.add(outcome)
        return report

    def is_empty(self) -> bool:
        """No message visible, in flight or delayed on any handler's queue, in two reads
        one after the other. One read is not enough: moto takes the counts one after
        another, each at its own moment, so a message whose visibility timeout (or delay)
        ends between them is counted in neither (seen in CI as a drain that stopped with
        a failed message still due back). Once visible it stays so until received, and
        only this driver receives, so the second read sees it."""
        return self._counts_zero() and self._counts_zero()

    def _counts_zero(self) -> bool:
        keys = [
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        ]
        for sub in self.subscriptions:
            found = self.sqs.get_queue_attributes(QueueUrl=sub.queue_url, AttributeNames=keys)
            if any(int(found["Attributes"].get(k, 0)) for k in keys):
                return False
        return True

    def drain(self, timeout_s: float = 30) -> DrainReport:
        """Process until every handler's queue is empty (failed messages retried after
        their visibility timeout, moved to a dead-letter queue after maxReceiveCount) or
        ``timeout_s`` passes; ``report.empty`` says which."""
        report = DrainReport()
        deadline = time.monotonic() + timeout_s
        while True:
            once = self.run_once()
            report.merge(once)
            if not once.batches and self.is_empty():
                report.empty = True
                return report
            if time.monotonic() >= deadline:
                return report
            if not once.batches:
                time.sleep(_DRAIN_PAUSE_S)
