"""SQS adapter: ``SqsQueue`` implements the ``MentionQueue`` port."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_BATCH = 10  # SendMessageBatch's limit


class QueueFailed(Exception):
    """SQS did not take every message; the caller keeps its checkpoint and tries again."""


class SqsQueue:
    def __init__(self, client: Any, queue_url: str) -> None:
        self._sqs = client
        self._url = queue_url

    def send(self, bodies: Sequence[str]) -> None:
        if not self._url:
            raise QueueFailed("no queue configured (FIREBREAK_MENTION_QUEUE_URL)")
        for start in range(0, len(bodies), _BATCH):
            chunk = bodies[start : start + _BATCH]
            entries = [{"Id": str(i), "MessageBody": body} for i, body in enumerate(chunk)]
            for _ in range(3):
                res = self._sqs.send_message_batch(QueueUrl=self._url, Entries=entries)
                failed = {f["Id"] for f in res.get("Failed", [])}
                if not failed:
                    break
                # Only what failed is sent again: the others are queued already.
                entries = [e for e in entries if e["Id"] in failed]
            else:
                raise QueueFailed(f"{len(entries)} messages not queued")

    def retry_after(self, receipt_handle: str, seconds: int) -> None:
        self._sqs.change_message_visibility(
            QueueUrl=self._url, ReceiptHandle=receipt_handle, VisibilityTimeout=seconds
        )
