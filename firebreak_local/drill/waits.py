"""Waiting on the machinery, and timing it: the drill polls the incident store and the
Step Functions execution until the playbook has done its part, and splits its wall
time into automated and human seconds."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from firebreak_local.drill.errors import DrillFailed

T = TypeVar("T")

POLL_S = 0.02
WAIT_S = 30.0


def wait_for(predicate: Callable[[], T | None], what: str, timeout: float = WAIT_S) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise DrillFailed(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(POLL_S)


def wait_status(incident_id: str, *statuses: str, also: Callable[[Any], bool] = bool) -> None:
    """Wait until the incident reaches one of ``statuses`` (and ``also`` holds for the
    stored incident); a failed playbook ends the wait at once.

    The wait reads the incident store directly, one DynamoDB read per poll: polling
    through the API costs several reads per poll and would slow the machinery it times.
    Read the incident through the API afterwards."""
    from chalicelib.wiring import get_playbook

    incidents = get_playbook().incidents

    def reached() -> bool:
        incident = incidents.get(incident_id)
        if incident is None:
            return False
        status = incident.status.value
        if status == "failed" and "failed" not in statuses:
            raise DrillFailed(f"the playbook failed: {incident.failure}")
        return status in statuses and bool(also(incident))

    wait_for(reached, f"{incident_id} to be {' or '.join(statuses)}")


def incident_for_post(account_id: str, post_id: str) -> str | None:
    """The incident opened for a post, if any (one per post), from the store."""
    from chalicelib.wiring import get_playbook

    found: str | None = get_playbook().incidents.incident_for_post(account_id, post_id)
    return found


def execution_status(incident_id: str) -> str:
    """The Step Functions execution's status (RUNNING, SUCCEEDED, FAILED, ...)."""
    from chalicelib.wiring import aws_client, get_settings

    arn = get_settings().state_machine_arn.replace(":stateMachine:", ":execution:")
    status: str = aws_client("stepfunctions").describe_execution(
        executionArn=f"{arn}:{incident_id}"
    )["status"]
    return status


class Stopwatch:
    """Splits wall time into consecutive automated and human segments."""

    def __init__(self) -> None:
        self.automated: dict[str, float] = {}
        self.human: dict[str, float] = {}
        self._mark = time.perf_counter()

    def start(self) -> None:
        self._mark = time.perf_counter()

    def _lap(self, bucket: dict[str, float], name: str) -> None:
        now = time.perf_counter()
        bucket[name] = round(bucket.get(name, 0.0) + now - self._mark, 3)
        self._mark = now

    def machine(self, name: str) -> None:
        self._lap(self.automated, name)

    def person(self, name: str) -> None:
        self._lap(self.human, name)

    def seconds(self) -> dict[str, Any]:
        return {
            "automated": round(sum(self.automated.values()), 3),
            "human": round(sum(self.human.values()), 3),
            "automated_steps": dict(self.automated),
            "human_steps": dict(self.human),
        }
