"""The mention queue in the deployable template, and build_template's wiring of SQS
handlers: ``ReportBatchItemFailures`` on the event source Chalice generates (which
Chalice cannot set), the queue's Arn as its source, the roles that consume and send."""

from __future__ import annotations

from typing import Any

import pytest
from chalice import Chalice, Rate

from infra.build_template import build, function_timeout, sqs_event_source_id

QUEUE = "MentionQueue"
DLQ = "MentionDeadLetterQueue"


def _app(*, scorer: bool, poller: bool = True, queue: str = "firebreak-mentions") -> Chalice:
    app = Chalice(app_name="template-test")
    if scorer:

        @app.on_sqs_message(queue=queue, batch_size=10, name="mention_scorer")
        def score(event: Any) -> dict[str, Any]:
            return {"batchItemFailures": []}

    if poller:

        @app.schedule(Rate(1, unit=Rate.MINUTES), name="mention_poller")
        def poll(event: Any) -> None:
            return None

    return app


def _statements(resources: dict[str, Any], role: str) -> dict[str, dict[str, Any]]:
    policies = resources[role]["Properties"]["Policies"]
    return {s.get("Sid", ""): s for p in policies for s in p["PolicyDocument"]["Statement"]}


def test_the_mention_queue_has_sse_a_dead_letter_queue_and_room_for_retries() -> None:
    resources = build(_app(scorer=False))["Resources"]
    queue, dlq = resources[QUEUE], resources[DLQ]
    assert queue["Type"] == dlq["Type"] == "AWS::SQS::Queue"
    props = queue["Properties"]
    assert props["QueueName"] == "firebreak-mentions"
    assert dlq["Properties"]["QueueName"] == "firebreak-mentions-dlq"
    assert props["SqsManagedSseEnabled"] is True and dlq["Properties"]["SqsManagedSseEnabled"]
    assert props["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [DLQ, "Arn"]},
        "maxReceiveCount": 5,
    }
    assert dlq["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600
    # AWS: at least six times the consuming function's timeout.
    assert props["VisibilityTimeout"] >= 6 * function_timeout(resources, "mention_scorer")


def test_every_function_gets_the_queue_url() -> None:
    resources = build(_app(scorer=True))["Resources"]
    functions = [
        r
        for r in resources.values()
        if "Environment" in r.get("Properties", {}) and "Type" not in r
    ]
    assert len(functions) >= 6
    for function in functions:
        assert function["Properties"]["Environment"]["Variables"][
            "FIREBREAK_MENTION_QUEUE_URL"
        ] == {"Ref": QUEUE}


def test_the_dead_letter_queue_alarms_on_any_message() -> None:
    alarm = build(_app(scorer=False))["Resources"]["MentionDeadLettersAlarm"]["Properties"]
    assert alarm["Namespace"] == "AWS/SQS"
    assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert alarm["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": [DLQ, "QueueName"]}}
    ]
    assert alarm["Threshold"] == 0 and alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_an_sqs_handler_reports_batch_item_failures_and_may_consume() -> None:
    resources = build(_app(scorer=True))["Resources"]
    events = resources["MentionScorer"]["Properties"]["Events"]
    assert events == {
        "MentionScorerSqsEventSource": {
            "Properties": {
                "Queue": {"Fn::Sub": "${MentionQueue.Arn}"},
                "FunctionResponseTypes": ["ReportBatchItemFailures"],
            }
        }
    }
    consume = _statements(resources, "MentionScorerRole")["ConsumeMentionQueue"]
    assert set(consume["Action"]) == {
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:GetQueueAttributes",
    }
    assert consume["Resource"] == {"Fn::GetAtt": [QUEUE, "Arn"]}
    # A function resources.json does not configure starts from the watcher's baseline.
    assert {"Logs", "Table"} <= set(_statements(resources, "MentionScorerRole"))
    env = resources["MentionScorer"]["Properties"]["Environment"]["Variables"]
    assert env["FIREBREAK_TABLE_NAME"] == {"Ref": "FirebreakTable"}


def test_the_poller_may_send_and_no_other_function_may() -> None:
    resources = build(_app(scorer=True))["Resources"]
    senders = {
        name
        for name, r in resources.items()
        if name.endswith("Role")
        and "Policies" in r.get("Properties", {})
        and any(
            "sqs:SendMessage" in s.get("Action", []) for s in _statements(resources, name).values()
        )
    }
    assert senders == {"MentionPollerRole"}
    send = _statements(resources, "MentionPollerRole")["SendToMentionQueue"]
    assert send["Action"] == ["sqs:SendMessage"]
    assert send["Resource"] == {"Fn::GetAtt": [QUEUE, "Arn"]}


def test_without_an_sqs_handler_nothing_is_merged_into_chalices_functions() -> None:
    resources = build(_app(scorer=False, poller=False))["Resources"]
    assert "MentionScorer" not in resources and "MentionScorerRole" not in resources
    assert "MentionPollerRole" not in resources
    assert not any("Events" in r.get("Properties", {}) for r in resources.values())


def test_a_handler_on_a_queue_the_template_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match="does not define"):
        build(_app(scorer=True, queue="firebreak-elsewhere"))


def test_the_event_source_key_is_chalices() -> None:
    from chalice.app import SQSEventConfig

    app = _app(scorer=True)
    (source,) = [s for s in app.event_sources if isinstance(s, SQSEventConfig)]
    assert sqs_event_source_id(source.name) == "MentionScorerSqsEventSource"


# -- app.py's own scorer: fails until the mention scorer handler lands in app.py --------


def test_app_mention_scorer_reports_batch_item_failures_once_it_lands() -> None:
    resources = build()["Resources"]
    scorer = resources.get("MentionScorer", {}).get("Properties", {})
    event = scorer.get("Events", {}).get("MentionScorerSqsEventSource", {})
    assert event.get("Properties", {}).get("FunctionResponseTypes") == [
        "ReportBatchItemFailures"
    ], "app.py has no on_sqs_message(name='mention_scorer') on firebreak-mentions yet"


def test_app_has_a_sender_for_every_queue_it_consumes() -> None:
    """The queue's Metadata.SentBy must name a function app.py really has, or the
    poller's SendMessage is refused once deployed."""
    resources = build()["Resources"]
    consumed = {
        e["Properties"]["Queue"]["Fn::Sub"][2:-5]
        for r in resources.values()
        for e in r.get("Properties", {}).get("Events", {}).values()
        if "FunctionResponseTypes" in e.get("Properties", {})
    }
    for queue in consumed:
        sids = {
            sid
            for name, r in resources.items()
            if name.endswith("Role") and "Policies" in r.get("Properties", {})
            for sid in _statements(resources, name)
        }
        assert f"SendTo{queue}" in sids, f"no function may send to {queue}"
