"""The metric names the code emits are the ones the template's dashboard and alarms
read: a metric renamed on one side only would leave an alarm silent forever."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from chalicelib.core.observe import METRICS, NAMESPACE
from infra.build_template import build

ROOT = Path(__file__).resolve().parents[3]
EMITTERS = ("count", "seconds")


def _emitted_literals() -> dict[str, str]:
    """``count("X")`` / ``seconds("X")`` calls with a literal name, and the metric names
    code passes through a table (the publisher's outcome map): name -> where."""
    found: dict[str, str] = {}
    for path in (ROOT / "chalicelib").rglob("*.py"):
        if path.name == "observe.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in EMITTERS
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found[node.args[0].value] = str(path.relative_to(ROOT))
            elif isinstance(node, ast.Constant) and node.value in METRICS:
                found.setdefault(node.value, str(path.relative_to(ROOT)))
    return found


def _template_metric_names() -> tuple[set[str], set[str]]:
    resources = build()["Resources"]
    alarms: set[str] = set()
    dashboard: set[str] = set()
    for resource in resources.values():
        props = resource.get("Properties", {})
        kind = resource.get("Type")  # Chalice's own functions are merged without one here
        if kind == "AWS::CloudWatch::Alarm" and props.get("Namespace") == NAMESPACE:
            alarms.add(props["MetricName"])
        if kind == "AWS::CloudWatch::Alarm":
            for query in props.get("Metrics", []):
                metric = query.get("MetricStat", {}).get("Metric", {})
                if metric.get("Namespace") == NAMESPACE:
                    alarms.add(metric["MetricName"])
        if kind == "AWS::CloudWatch::Dashboard":
            body = json.loads(props["DashboardBody"]["Fn::Sub"])
            for widget in body["widgets"]:
                for row in widget["properties"]["metrics"]:
                    assert row[0] == NAMESPACE
                    dashboard.add(row[1])
    return alarms, dashboard


def test_every_metric_the_code_emits_is_in_the_table_and_back() -> None:
    emitted = _emitted_literals()
    assert set(emitted) - set(METRICS) == set(), "emitted but not in observe.METRICS"
    assert set(METRICS) - set(emitted) == set(), "in observe.METRICS but never emitted"


def test_alarms_and_dashboard_read_only_metrics_the_code_emits() -> None:
    alarms, dashboard = _template_metric_names()
    emitted = set(_emitted_literals())
    assert alarms and alarms <= emitted, alarms - emitted
    assert dashboard <= emitted, dashboard - emitted
    assert emitted <= dashboard, f"not on the dashboard: {emitted - dashboard}"


def test_the_alarms_an_operator_needs_are_there_and_notify() -> None:
    resources = build()["Resources"]
    wanted = {
        "PublishFailuresAlarm": "PublishFailures",
        "PlaybookFailuresAlarm": None,
        "WatcherSilentAlarm": "WatcherRuns",
        "MailsFailingAlarm": None,
    }
    for name, metric in wanted.items():
        props = resources[name]["Properties"]
        assert props["AlarmActions"] == [{"Ref": "AlarmTopic"}]
        if metric:
            assert props["MetricName"] == metric
            assert props["Dimensions"] == [{"Name": "service", "Value": "firebreak"}]
    silent = resources["WatcherSilentAlarm"]["Properties"]
    # No data at all is the failure this alarm exists for.
    assert silent["TreatMissingData"] == "breaching"
    assert silent["ComparisonOperator"] == "LessThanThreshold"
    assert "OperationsDashboard" in resources
    # One alarm for a playbook failure, whether Firebreak recorded it or only Step
    # Functions saw the execution fail.
    playbook = resources["PlaybookFailuresAlarm"]["Properties"]["Metrics"]
    assert {q["MetricStat"]["Metric"]["MetricName"] for q in playbook if "MetricStat" in q} == {
        "PlaybookFailures",
        "ExecutionsFailed",
    }
    assert "PlaybookFailedAlarm" not in resources
