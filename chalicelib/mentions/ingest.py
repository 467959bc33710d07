"""Scoring mentions off the queue (M2): each queue message's mentions get the triage
scorer's sentiment, toxicity and language (its fast mention mode) and their urgency,
and are counted into their buckets once. The last message of a poll to be counted
hands over to surge detection.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from chalicelib.core.errors import ValidationFailed
from chalicelib.core.observe import correlate, count
from chalicelib.mentions.base import MESSAGE_VERSION, MentionDeps, MentionUseCases
from chalicelib.mentions.domain import Mention, parse_iso, urgency
from chalicelib.mentions.surveillance import Surveillance

logger = logging.getLogger(__name__)

RETRY_S = 15  # a failed message comes back this soon (its poll's buckets wait for it)


@dataclass(frozen=True)
class Message:
    """One queue message: part ``part`` of ``parts`` of a poll of one account."""

    account_id: str
    poll_id: str
    polled_at: Any
    part: int
    parts: int
    mentions: list[dict[str, Any]]

    @staticmethod
    def parse(body: str) -> Message:
        try:
            doc = json.loads(body)
        except json.JSONDecodeError as exc:
            raise ValidationFailed(f"not JSON: {exc.msg}", field="body") from None
        if not isinstance(doc, dict) or doc.get("v") != MESSAGE_VERSION:
            raise ValidationFailed("not a mention batch of a known version", field="v")
        try:
            message = Message(
                account_id=str(doc["account_id"]),
                poll_id=str(doc["poll_id"]),
                polled_at=parse_iso(str(doc["polled_at"])),
                part=int(doc["part"]),
                parts=int(doc["parts"]),
                mentions=list(doc["mentions"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationFailed(f"malformed mention batch: {exc}", field="body") from None
        for i, m in enumerate(message.mentions):
            if not isinstance(m, dict) or not str(m.get("id", "")).isdigit():
                raise ValidationFailed(f"mention {i} has no post id", field="mentions")
            try:
                parse_iso(str(m["created_at"]))
            except (KeyError, ValueError):
                raise ValidationFailed(f"mention {i} has no time", field="mentions") from None
        return message


class MentionIngest(MentionUseCases):
    def __init__(self, deps: MentionDeps, surveillance: Surveillance) -> None:
        super().__init__(deps)
        self.surveillance = surveillance

    def handle_batch(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        """An SQS event from Lambda: each message handled alone; the ones that failed are
        reported (``batchItemFailures``) for SQS to deliver again after their timeout."""
        from aws_lambda_powertools.utilities.batch import (
            BatchProcessor,
            EventType,
            process_partial_response,
        )

        def handle(record: Any) -> dict[str, Any]:
            try:
                return self.handle(record.body)
            except ValidationFailed as exc:
                # A message that can never be read: retrying it only delays the DLQ.
                logger.error("mention message %s dropped: %s", record.message_id, exc.message)
                return {"dropped": exc.message}
            except Exception:
                # Powertools reports the failure to SQS; the cause belongs in the logs.
                logger.exception("mention message %s failed; delivered again", record.message_id)
                self._retry_soon(record.receipt_handle)
                raise

        response = process_partial_response(
            event=event,
            record_handler=handle,
            processor=BatchProcessor(event_type=EventType.SQS),
            context=context,
        )
        return dict(response)

    def _retry_soon(self, receipt_handle: str) -> None:
        """Back in ``RETRY_S`` rather than after the queue's visibility timeout (six
        times the scorer's): the detector waits for the message's poll that long."""
        try:
            self.deps.queue.retry_after(receipt_handle, RETRY_S)
        except Exception as exc:  # noqa: BLE001 - it comes back later anyway
            logger.warning("message kept its visibility timeout: %s", type(exc).__name__)

    def handle(self, body: str) -> dict[str, Any]:
        """Score and count one queue message; raises to have it delivered again."""
        message = Message.parse(body)
        with correlate(account_id=message.account_id):
            settings = self.settings_of(message.account_id)
            mentions = self.score(message.account_id, message.mentions)
            written = self.mentions.ingest(
                message.account_id,
                (message.poll_id, message.polled_at, message.part),
                mentions,
                settings.bucket_s,
            )
            count("MentionsScored", len(written))
            detected: dict[str, Any] = {}
            if self.mentions.poll_done(message.account_id, message.polled_at, message.poll_id):
                detected = self.surveillance.detect(message.account_id, message.polled_at)
            return {"counted": len(written), **detected}

    def score(self, account_id: str, docs: list[dict[str, Any]]) -> list[Mention]:
        """Mentions from the poller's documents, scored in one call of the scorer."""
        texts = [str(d.get("text", "")) for d in docs]
        reports = self.deps.scorer().score_many(texts) if texts else []
        out = []
        for doc, report in zip(docs, reports, strict=True):
            cats = report.categories
            toxic_cats = [c for name, c in cats.items() if name in ("offensive", "hate")]
            sentiment = report.sentiment
            mention = Mention(
                id=str(doc["id"]),
                account_id=account_id,
                author_id=str(doc.get("author_id") or ""),
                author_username=doc.get("author_username"),
                author_followers=int(doc.get("author_followers") or 0),
                text=str(doc.get("text", "")),
                created_at=parse_iso(str(doc["created_at"])),
                lang=report.lang,
                sentiment=sentiment.label,
                p_negative=float(sentiment.scores.get("negative", 0.0)),
                toxicity=max((c.score for c in toxic_cats), default=0.0),
                toxic=any(c.flag for c in cats.values()),
                terms=tuple(t for c in cats.values() if c.flag for t in c.terms)[:8],
                about=doc.get("about"),
                relation=doc.get("relation"),
                ref=doc.get("ref") or None,
            )
            out.append(_with_urgency(mention))
        return out


def _with_urgency(m: Mention) -> Mention:
    from dataclasses import replace

    return replace(m, urgency=urgency(m))
