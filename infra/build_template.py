"""Writes the template that ``chalice package --merge-template`` merges: infra/resources.json
with the playbook state machine's ``Definition`` read from infra/playbook.asl.json, the
dashboard and alarms of infra/observability.py, and the wiring of the app's SQS queues.

The ASL stays one file, used unchanged by the local stack and by this build;
``${...}`` placeholders are resolved by CloudFormation's ``DefinitionSubstitutions``.

Queues (``AWS::SQS::Queue`` in resources.json) are wired from the app itself
(``app.event_sources``), so the template follows the handlers that exist:

- each ``@app.on_sqs_message`` handler's SQS event source (Chalice generates a SAM
  ``Events`` entry of ``Type: SQS`` on its function) gets
  ``FunctionResponseTypes: [ReportBatchItemFailures]``, which Chalice cannot set, and its
  ``Queue`` becomes the queue's ``Arn`` attribute (an implicit dependency: the event source
  mapping is not created before the queue); its role may receive, delete and change the
  visibility of that queue's messages (SAM adds no policy to a role it did not create);
- the roles of the handlers a queue's ``Metadata.SentBy`` names may send to it (a name
  the app does not have yet is skipped);
- a function resources.json does not configure yet gets the watcher's environment and
  policy statements (``BASELINE``) before those are added, so it starts with what the
  other scheduled jobs have rather than with no table at all.

Without any SQS handler in the app nothing is merged into Chalice's functions for it.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

INFRA = Path(__file__).resolve().parent
ROOT = INFRA.parent
sys.path.insert(0, str(ROOT))  # run as a script: the repo's packages too

from infra import observability  # noqa: E402

BATCH_FAILURES = ["ReportBatchItemFailures"]
CONSUME = [
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueAttributes",
]
SEND = ["sqs:SendMessage"]
BASELINE = "Watcher"  # what a function resources.json does not configure starts from
STAGE = "dev"
# AWS: set the source queue's visibility timeout to at least six times the function's.
VISIBILITY_FACTOR = 6


def build(app: Any = None) -> dict[str, Any]:
    """The merge template; ``app`` is the Chalice app (default: app.py's)."""
    template: dict[str, Any] = json.loads((INFRA / "resources.json").read_text())
    definition = json.loads((INFRA / "playbook.asl.json").read_text())
    template["Resources"]["PlaybookStateMachine"]["Properties"]["Definition"] = definition
    template["Resources"].update(observability.resources())
    wire_queues(template, _chalice_app() if app is None else app)
    wire_tables(template)
    return template


def _policy_statements(props: dict[str, Any]) -> list[dict[str, Any]]:
    documents = [props.get("PolicyDocument")] + [
        policy.get("PolicyDocument") for policy in props.get("Policies", [])
    ]
    return [s for d in documents if d for s in d.get("Statement", [])]


# Tables besides the main one, by logical id, and the variable that names each.
EXTRA_TABLES = {"MentionsTable": "FIREBREAK_MENTIONS_TABLE_NAME"}


def wire_tables(template: dict[str, Any]) -> None:
    """Every function that reaches the main table reaches the extra tables too: their
    names in its environment, their ARNs (and indexes) in its ``Table`` statement."""
    resources = template["Resources"]
    for logical_id, variable in EXTRA_TABLES.items():
        if logical_id not in resources:
            continue
        for resource in resources.values():
            props = resource.get("Properties", {})
            env = props.get("Environment", {}).get("Variables", {})
            if "FIREBREAK_TABLE_NAME" in env:
                env[variable] = {"Ref": logical_id}
            for statement in _policy_statements(props):
                if statement.get("Sid") != "Table":
                    continue
                arn = {"Fn::GetAtt": [logical_id, "Arn"]}
                if arn not in statement["Resource"]:
                    statement["Resource"] += [arn, {"Fn::Sub": f"${{{logical_id}.Arn}}/index/*"}]


def _chalice_app() -> Any:
    import app as module  # importing app.py touches neither AWS nor the environment

    return module.app


def cfn_name(name: str) -> str:
    """Chalice's logical id for a resource name (``mention_scorer`` -> ``MentionScorer``)."""
    from chalice.utils import to_cfn_resource_name

    return str(to_cfn_resource_name(name))


def sqs_event_source_id(handler_name: str) -> str:
    """The key of the SAM ``Events`` entry Chalice generates for an ``on_sqs_message``."""
    return cfn_name(handler_name + "-sqs-event-source")


def queues(template: dict[str, Any]) -> dict[str, str]:
    """QueueName -> logical id, for every queue of the template."""
    return {
        r["Properties"]["QueueName"]: logical_id
        for logical_id, r in template["Resources"].items()
        if r.get("Type") == "AWS::SQS::Queue"
    }


def dead_letter_queues(template: dict[str, Any]) -> set[str]:
    """Logical ids of the queues some queue's RedrivePolicy targets."""
    found: set[str] = set()
    for r in template["Resources"].values():
        if r.get("Type") == "AWS::SQS::Queue":
            target = r["Properties"].get("RedrivePolicy", {}).get("deadLetterTargetArn")
            if isinstance(target, dict) and "Fn::GetAtt" in target:
                found.add(target["Fn::GetAtt"][0])
    return found


def wire_queues(template: dict[str, Any], app: Any) -> None:
    from chalice.app import SQSEventConfig

    resources = template["Resources"]
    by_name = queues(template)
    functions = {s.name for s in app.event_sources} | {f.name for f in app.pure_lambda_functions}
    for queue_id in by_name.values():
        for sender in resources[queue_id].get("Metadata", {}).get("SentBy", []):
            if sender in functions:
                _statements(resources, sender).append(
                    {
                        "Sid": f"SendTo{queue_id}",
                        "Effect": "Allow",
                        "Action": SEND,
                        "Resource": {"Fn::GetAtt": [queue_id, "Arn"]},
                    }
                )
    for source in app.event_sources:
        if not isinstance(source, SQSEventConfig) or source.queue is None:
            continue  # a queue_arn names a queue this template does not own
        if source.queue not in by_name:
            raise ValueError(
                f"handler {source.name!r} reads queue {source.queue!r}, which "
                "infra/resources.json does not define"
            )
        queue_id = by_name[source.queue]
        _check_visibility(resources, queue_id, source.name)
        function = _function(resources, source.name)
        function["Properties"].setdefault("Events", {})[sqs_event_source_id(source.name)] = {
            "Properties": {
                "Queue": {"Fn::Sub": f"${{{queue_id}.Arn}}"},
                "FunctionResponseTypes": BATCH_FAILURES,
            }
        }
        _statements(resources, source.name).append(
            {
                "Sid": f"Consume{queue_id}",
                "Effect": "Allow",
                "Action": CONSUME,
                "Resource": {"Fn::GetAtt": [queue_id, "Arn"]},
            }
        )


def _function(resources: dict[str, Any], name: str) -> dict[str, Any]:
    """The merge entry of Chalice's function ``name``; the baseline one if absent."""
    logical_id = cfn_name(name)
    if logical_id not in resources:
        baseline = resources[BASELINE]["Properties"]["Environment"]
        resources[logical_id] = {"Properties": {"Environment": copy.deepcopy(baseline)}}
    function: dict[str, Any] = resources[logical_id]
    return function


def _statements(resources: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The policy statements of the role Chalice makes for function ``name``
    (``<Function>Role``, one policy: the merge replaces Chalice's list)."""
    _function(resources, name)
    role_id = cfn_name(name + "_role")
    if role_id not in resources:
        baseline = resources[BASELINE + "Role"]["Properties"]["Policies"][0]["PolicyDocument"]
        resources[role_id] = {
            "Properties": {
                "Policies": [
                    {
                        "PolicyName": cfn_name(name) + "Policy",
                        "PolicyDocument": copy.deepcopy(baseline),
                    }
                ]
            }
        }
    statements: list[dict[str, Any]] = resources[role_id]["Properties"]["Policies"][0][
        "PolicyDocument"
    ]["Statement"]
    return statements


def function_timeout(resources: dict[str, Any], name: str) -> int:
    """The function's timeout in seconds: resources.json's, else Chalice's config."""
    merged = resources.get(cfn_name(name), {}).get("Properties", {}).get("Timeout")
    if merged is not None:
        return int(merged)
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    stage = config.get("stages", {}).get(STAGE, {})
    for level in (stage.get("lambda_functions", {}).get(name, {}), stage, config):
        if "lambda_timeout" in level:
            return int(level["lambda_timeout"])
    return 60  # Chalice's default


def _check_visibility(resources: dict[str, Any], queue_id: str, name: str) -> None:
    visibility = int(resources[queue_id]["Properties"].get("VisibilityTimeout", 30))
    timeout = function_timeout(resources, name)
    if visibility < VISIBILITY_FACTOR * timeout:
        raise ValueError(
            f"{queue_id}'s VisibilityTimeout ({visibility} s) is under "
            f"{VISIBILITY_FACTOR} x {name}'s timeout ({timeout} s)"
        )


def main(out: str) -> int:
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(build(), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
