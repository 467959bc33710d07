"""The operator's view of a deployed stack: a CloudWatch dashboard and alarms on the
metrics Firebreak emits (``chalicelib.core.observe.METRICS``, flushed as EMF by
``chalicelib.platform.telemetry``), merged into the template by ``build_template.py``.

Every alarm goes to the existing ``AlarmTopic``. ``tests/unit/infra`` checks that the
names used here are the names the code emits.
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib.core.observe import NAMESPACE, SERVICE

TRIGGERS = ("manual", "not_published_by_firebreak", "risk_scan", "mention_spike")
LINK_KINDS = ("post", "incident", "apology", "reply", "unknown")
PERIOD = 300


def _metric(name: str, *dims: tuple[str, str], stat: str = "Sum", label: str = "") -> list[Any]:
    row: list[Any] = [NAMESPACE, name]
    for key, value in dims:
        row += [key, value]
    row += ["service", SERVICE]
    options: dict[str, Any] = {"stat": stat}
    if label:
        options["label"] = label
    return [*row, options]


def _widget(
    title: str,
    metrics: list[list[Any]],
    x: int,
    y: int,
    *,
    view: str = "timeSeries",
    stacked: bool = False,
) -> dict[str, Any]:
    return {
        "type": "metric",
        "x": x,
        "y": y,
        "width": 12,
        "height": 6,
        "properties": {
            "title": title,
            "region": "${AWS::Region}",
            "view": view,
            "stacked": stacked,
            "period": PERIOD,
            "metrics": metrics,
        },
    }


def dashboard_body() -> dict[str, Any]:
    """Posts going out, incidents and how fast they are contained, links and mails, the
    watcher's pulse."""
    widgets = [
        _widget(
            "Publisher: are posts going out?",
            [
                _metric(n)
                for n in (
                    "PostsPublished",
                    "PublishFailures",
                    "PublishRetries",
                    "PostsHeld",
                    "PostsExpired",
                    "PublisherErrors",
                )
            ],
            0,
            0,
        ),
        _widget(
            "Incidents opened, by trigger",
            [_metric("IncidentsOpened", ("trigger", t), label=t) for t in TRIGGERS],
            12,
            0,
            stacked=True,
        ),
        _widget(
            "Time to contain (seconds from opening)",
            [
                _metric(n, stat="Maximum")
                for n in ("TimeToFreeze", "TimeToDecision", "TimeToDeletion")
            ]
            + [_metric("PlaybookFailures")],
            0,
            6,
        ),
        _widget(
            "Mailed links: spent and refused",
            [_metric("LinksSpent", ("kind", k), label=f"spent {k}") for k in LINK_KINDS]
            + [_metric("LinksRefused", ("kind", k), label=f"refused {k}") for k in LINK_KINDS],
            12,
            6,
        ),
        _widget(
            "Mails and the watcher",
            [
                _metric(n)
                for n in ("MailsDeferred", "MailsFailed", "WatcherRuns", "AccountsWatched")
            ],
            0,
            12,
        ),
        _widget(
            "Mentions: read, scored, alerts, rate-limited polls",
            [
                _metric(n)
                for n in (
                    "MentionsRead",
                    "MentionsScored",
                    "MentionAlerts",
                    "MentionPollsRateLimited",
                )
            ],
            12,
            12,
        ),
    ]
    return {"widgets": widgets}


def _alarm(
    description: str,
    metric: str,
    *,
    threshold: float,
    periods: int = 1,
    comparison: str = "GreaterThanOrEqualToThreshold",
    missing: str = "notBreaching",
) -> dict[str, Any]:
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmDescription": description,
            "Namespace": NAMESPACE,
            "MetricName": metric,
            "Dimensions": [{"Name": "service", "Value": SERVICE}],
            "Statistic": "Sum",
            "Period": PERIOD,
            "EvaluationPeriods": periods,
            "Threshold": threshold,
            "ComparisonOperator": comparison,
            "TreatMissingData": missing,
            "AlarmActions": [{"Ref": "AlarmTopic"}],
        },
    }


def _query(
    id_: str, name: str, namespace: str = NAMESPACE, dimensions: Any = None
) -> dict[str, Any]:
    return {
        "Id": id_,
        "ReturnData": False,
        "MetricStat": {
            "Metric": {
                "Namespace": namespace,
                "MetricName": name,
                "Dimensions": dimensions or [{"Name": "service", "Value": SERVICE}],
            },
            "Period": PERIOD,
            "Stat": "Sum",
        },
    }


def _playbook_failures_alarm() -> dict[str, Any]:
    """A step failed (Firebreak's own count, with the step on the timeline), or an
    execution failed where the playbook could not even record it (Step Functions' own
    count): one alarm, so one mail for one failure."""
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmDescription": (
                "An incident playbook failed: the incident needs a person now (its "
                "timeline names the step; the commander has been mailed)."
            ),
            "Metrics": [
                _query("recorded", "PlaybookFailures"),
                _query(
                    "executions",
                    "ExecutionsFailed",
                    "AWS/States",
                    [{"Name": "StateMachineArn", "Value": {"Ref": "PlaybookStateMachine"}}],
                ),
                {
                    "Id": "failed",
                    "Label": "playbook failures",
                    "Expression": "MAX([FILL(recorded, 0), FILL(executions, 0)])",
                    "ReturnData": True,
                },
            ],
            "EvaluationPeriods": 1,
            "Threshold": 1,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "TreatMissingData": "notBreaching",
            "AlarmActions": [{"Ref": "AlarmTopic"}],
        },
    }


def _mails_failing_alarm() -> dict[str, Any]:
    """Mails deferred or given up: SES refusing, or an address bouncing."""
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmDescription": (
                "Mails are failing: approval requests or outcomes are waiting for a "
                "retry or were given up. Check SES (runbook: no mail came)."
            ),
            "Metrics": [
                _query("deferred", "MailsDeferred"),
                _query("failed", "MailsFailed"),
                {
                    "Id": "failing",
                    "Label": "mails deferred + 3 x mails given up",
                    "Expression": "FILL(deferred, 0) + 3 * FILL(failed, 0)",
                    "ReturnData": True,
                },
            ],
            "EvaluationPeriods": 1,
            "Threshold": 3,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "TreatMissingData": "notBreaching",
            "AlarmActions": [{"Ref": "AlarmTopic"}],
        },
    }


def _dead_letters_alarm(queue: str, description: str) -> dict[str, Any]:
    """Anything in a dead-letter queue: messages their handler failed on maxReceiveCount
    times (SQS's own metric; a DLQ has no consumer, so visible is all there is)."""
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmDescription": description,
            "Namespace": "AWS/SQS",
            "MetricName": "ApproximateNumberOfMessagesVisible",
            "Dimensions": [{"Name": "QueueName", "Value": {"Fn::GetAtt": [queue, "QueueName"]}}],
            "Statistic": "Maximum",
            "Period": PERIOD,
            "EvaluationPeriods": 1,
            "Threshold": 0,
            "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "notBreaching",
            "AlarmActions": [{"Ref": "AlarmTopic"}],
        },
    }


def resources() -> dict[str, Any]:
    return {
        "OperationsDashboard": {
            "Type": "AWS::CloudWatch::Dashboard",
            "Properties": {
                "DashboardName": {"Fn::Sub": "firebreak-${AWS::StackName}"},
                "DashboardBody": {"Fn::Sub": json.dumps(dashboard_body(), separators=(",", ":"))},
            },
        },
        "PublishFailuresAlarm": _alarm(
            "Posts failed to publish for good: a person must look at them (runbook: "
            "publisher errors).",
            "PublishFailures",
            threshold=1,
        ),
        "PlaybookFailuresAlarm": _playbook_failures_alarm(),
        "MailsFailingAlarm": _mails_failing_alarm(),
        "WatcherSilentAlarm": _alarm(
            "The watcher has not run for 15 minutes: bad posts on the accounts would go unnoticed.",
            "WatcherRuns",
            threshold=1,
            periods=3,
            comparison="LessThanThreshold",
            missing="breaching",
        ),
        "MentionDeadLettersAlarm": _dead_letters_alarm(
            "MentionDeadLetterQueue",
            "Mentions failed scoring 5 times and wait in firebreak-mentions-dlq: spikes in "
            "them went uncounted. Fix the cause, then redrive the DLQ to the queue.",
        ),
    }
