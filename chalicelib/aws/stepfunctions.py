"""Step Functions adapter: ``SfnPlaybook`` implements the ``StateMachine`` port."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.core.errors import AlreadyDecided


class SfnPlaybook:
    def __init__(self, client: Any, state_machine_arn: str) -> None:
        self._sfn = client
        self._arn = state_machine_arn

    def start(self, name: str, payload: dict[str, object]) -> bool:
        from botocore.exceptions import ClientError

        try:
            # Named by incident id: a second start for the same incident is refused.
            self._sfn.start_execution(
                stateMachineArn=self._arn, name=name, input=json.dumps(payload)
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ExecutionAlreadyExists":
                return False
            raise
        return True

    def resume(self, token: str, output: dict[str, object]) -> None:
        from botocore.exceptions import ClientError

        try:
            self._sfn.send_task_success(taskToken=token, output=json.dumps(output))
        except ClientError as exc:
            if exc.response["Error"]["Code"] in (
                "TaskTimedOut",
                "InvalidToken",
                "TaskDoesNotExist",
            ):
                raise AlreadyDecided(
                    "the playbook stopped waiting for this (timed out or moved on)"
                ) from None
            raise
