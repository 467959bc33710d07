"""Logs and metrics at the entry points: JSON lines with the Lambda context and the
correlation keys, EMF documents per invocation, and Powertools loaded only when an
invocation has something to write."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from chalicelib.core import observe
from chalicelib.platform import telemetry

ROOT = Path(__file__).resolve().parents[3]
CONTEXT = SimpleNamespace(
    function_name="firebreak-dev-publisher",
    aws_request_id="req-1",
    invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:firebreak-dev-publisher",
    memory_limit_in_mb=512,
)


@pytest.fixture
def out():
    buffer = io.StringIO()
    handler = telemetry.configure_logging(stream=buffer, level="INFO")
    telemetry.metrics_stream[0] = buffer
    yield buffer
    handler.stream = None
    telemetry.metrics_stream[0] = None


def _lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def test_each_line_is_json_with_the_lambda_fields_and_the_keys(out) -> None:
    log = logging.getLogger("chalicelib.posts.publisher")

    def handler(event, context):
        with observe.correlate(post_id="post_1", account_id="acct_1"):
            log.warning("post held: %s", "freeze")
        log.info("run over")
        return "done"

    assert telemetry.observed(handler, job="publisher")({}, CONTEXT) == "done"
    held, over = _lines(out)
    assert held["message"] == "post held: freeze" and held["level"] == "WARNING"
    assert held["service"] == "firebreak" and held["job"] == "publisher"
    assert held["function_request_id"] == "req-1"
    assert held["function_name"] == "firebreak-dev-publisher"
    assert held["post_id"] == "post_1" and held["account_id"] == "acct_1"
    # The block's keys end with the block; the invocation's stay.
    assert "post_id" not in over and over["function_request_id"] == "req-1"


def test_cold_start_is_true_once_per_process(out) -> None:
    telemetry._state["cold"] = True
    log = logging.getLogger("chalicelib.incidents.steps")

    def handler(event, context):
        log.info("step done")

    telemetry.observed(handler)({}, CONTEXT)
    telemetry.observed(handler)({}, CONTEXT)
    first, second = _lines(out)
    assert first["cold_start"] is True and second["cold_start"] is False


def test_metrics_are_flushed_as_emf_once_per_invocation(out) -> None:
    def handler(event, context):
        observe.count("PostsPublished", 2)
        observe.seconds("TimeToFreeze", 1.5)
        observe.count("IncidentsOpened", trigger="watcher")

    telemetry.observed(handler)({}, CONTEXT)
    plain, by_trigger = _lines(out)
    cw = plain["_aws"]["CloudWatchMetrics"][0]
    assert cw["Namespace"] == "Firebreak" and cw["Dimensions"] == [["service"]]
    assert {m["Name"]: m["Unit"] for m in cw["Metrics"]} == {
        "PostsPublished": "Count",
        "TimeToFreeze": "Seconds",
    }
    assert plain["PostsPublished"] == [2.0] and plain["service"] == "firebreak"
    assert by_trigger["trigger"] == "watcher" and by_trigger["IncidentsOpened"] == [1.0]
    assert sorted(by_trigger["_aws"]["CloudWatchMetrics"][0]["Dimensions"][0]) == [
        "service",
        "trigger",
    ]


def test_metrics_are_flushed_even_when_the_handler_raises(out) -> None:
    def handler(event, context):
        observe.count("PlaybookFailures")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        telemetry.observed(handler)({}, CONTEXT)
    (doc,) = _lines(out)
    assert doc["PlaybookFailures"] == [1.0]


def test_an_unknown_metric_or_dimension_is_refused() -> None:
    with pytest.raises(KeyError, match="unknown metric PostsPublishd"):
        observe.count("PostsPublishd")
    with pytest.raises(KeyError, match="no dimension"):
        observe.count("PostsPublished", account="acct_1")


def test_outside_an_invocation_nothing_is_recorded() -> None:
    observe.count("PostsPublished")  # a unit test of a service: no error, nothing kept
    assert observe.current_keys() == {}


def test_a_quiet_invocation_does_not_load_powertools() -> None:
    """A publisher minute with nothing due writes nothing: it must not pay for
    Powertools' import on the cold start."""
    code = (
        "import sys; from chalicelib.platform import telemetry;"
        "telemetry.observed(lambda e, c: None)({}, None);"
        "print('aws_lambda_powertools' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_many_counts_are_summed_and_never_fail_the_invocation(out) -> None:
    """A watcher over 150 accounts counts 150 times: one value, no error, and no
    dimension left behind for the next invocation."""

    def handler(event, context):
        for _ in range(150):
            observe.count("AccountsWatched")
            observe.count("LinksSpent", kind="post")
        for i in range(150):
            observe.seconds("TimeToFreeze", i)
        return "done"

    assert telemetry.observed(handler)({}, CONTEXT) == "done"
    docs = _lines(out)
    plain = next(d for d in docs if "AccountsWatched" in d)
    assert plain["AccountsWatched"] == [150.0]
    assert len(plain["TimeToFreeze"]) == telemetry.MAX_VALUES
    assert next(d for d in docs if "LinksSpent" in d)["LinksSpent"] == [150.0]

    def next_handler(event, context):
        observe.count("WatcherRuns")

    out.truncate(0)
    out.seek(0)
    telemetry.observed(next_handler)({}, CONTEXT)
    (doc,) = _lines(out)
    assert doc["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["service"]]
