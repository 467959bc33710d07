"""DynamoDB adapter for the engagement queue: ``DynamoEngagement`` implements the
``EngagementStore`` port on the mentions table (see docs/data-model.md).

A mention's queue state lives on the mention's own item (``MENTION#A`` / id): ``q`` (the
state as JSON) guarded by ``qrev``, and the ``gsi1`` key ``MQUEUE#A#<state>`` /
``<inverted urgency>#<id>``, so each state's list reads most urgent first. Reply
templates are ``MTPL#A`` / ``<template id>``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from chalicelib.aws.dynamo_raw import RawTable, key
from chalicelib.core.errors import Conflict
from chalicelib.mentions.domain import Mention
from chalicelib.mentions.engage import QueueItem, QueueState, ReplyTemplate

_DIGITS = 20


def queue_keys(account_id: str, state: str, mention_id: str, urgency: float) -> dict[str, Any]:
    """The ``gsi1`` key of a mention in a queue state: most urgent first, then newest."""
    inverted = 9999 - max(0, min(9999, round(urgency * 9999)))
    newest_first = 10**_DIGITS - 1 - int(mention_id) if mention_id.isdigit() else 0
    return {
        "gsi1pk": {"S": f"MQUEUE#{account_id}#{state}"},
        "gsi1sk": {"S": f"{inverted:04d}#{newest_first:0{_DIGITS}d}"},
    }


class DynamoEngagement(RawTable):
    def _key(self, account_id: str, mention_id: str) -> dict[str, Any]:
        return key(f"MENTION#{account_id}", mention_id.zfill(_DIGITS))

    @staticmethod
    def _decode(item: dict[str, Any]) -> tuple[Mention, QueueItem]:
        mention = Mention.from_dict(json.loads(item["doc"]["S"]))
        raw = json.loads(item["q"]["S"]) if "q" in item else {}
        revision = int(item["qrev"]["N"]) if "qrev" in item else 0
        return mention, QueueItem.from_dict(mention.account_id, mention.id, raw, revision)

    def get(self, account_id: str, mention_id: str) -> tuple[Mention, QueueItem] | None:
        if not mention_id.isdigit() or len(mention_id) > _DIGITS:
            return None
        item = self._get(f"MENTION#{account_id}", mention_id.zfill(_DIGITS))
        return self._decode(item) if item else None

    def save(self, mention: Mention, item: QueueItem) -> QueueItem:
        """Store ``item`` as revision+1 if the stored one is still ``item.revision``."""
        from botocore.exceptions import ClientError

        keys = queue_keys(item.account_id, item.state.value, item.mention_id, mention.urgency)
        values: dict[str, Any] = {
            ":q": {"S": json.dumps(item.to_dict(), ensure_ascii=False)},
            ":next": {"N": str(item.revision + 1)},
            ":gpk": keys["gsi1pk"],
            ":gsk": keys["gsi1sk"],
        }
        if item.revision:
            condition = "qrev = :rev"
            values[":rev"] = {"N": str(item.revision)}
        else:
            condition = "attribute_exists(pk) AND attribute_not_exists(qrev)"
        try:
            self._db.update_item(
                TableName=self._table,
                Key=self._key(item.account_id, item.mention_id),
                UpdateExpression="SET q = :q, qrev = :next, gsi1pk = :gpk, gsi1sk = :gsk",
                ConditionExpression=condition,
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise Conflict("the mention changed meanwhile; load it again") from None
            raise
        from dataclasses import replace

        return replace(item, revision=item.revision + 1)

    def queue(
        self, account_id: str, states: Sequence[QueueState], limit: int
    ) -> list[tuple[Mention, QueueItem]]:
        """Mentions in ``states``, most urgent first (then newest), at most ``limit``."""
        found: list[tuple[str, dict[str, Any]]] = []
        for state in states:
            for n, item in enumerate(
                self._query(
                    IndexName="gsi1",
                    KeyConditionExpression="gsi1pk = :pk",
                    ExpressionAttributeValues={":pk": {"S": f"MQUEUE#{account_id}#{state.value}"}},
                    Limit=limit,  # a page of ``limit`` items (more pages only while needed)
                )
            ):
                if n >= limit:
                    break
                found.append((item["gsi1sk"]["S"], item))
        found.sort(key=lambda pair: pair[0])
        return [self._decode(item) for _, item in found[:limit]]

    # -- templates
    def put_template(self, template: ReplyTemplate) -> None:
        self._db.put_item(
            TableName=self._table,
            Item={
                "pk": {"S": f"MTPL#{template.account_id}"},
                "sk": {"S": template.id},
                "doc": {"S": json.dumps(template.to_dict(), ensure_ascii=False)},
            },
        )

    def get_template(self, account_id: str, template_id: str) -> ReplyTemplate | None:
        item = self._get(f"MTPL#{account_id}", template_id)
        return _template(item) if item else None

    def templates(self, account_id: str) -> list[ReplyTemplate]:
        items = self._query(
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"MTPL#{account_id}"}},
        )
        return [_template(i) for i in items]

    def delete_template(self, account_id: str, template_id: str) -> bool:
        res = self._db.delete_item(
            TableName=self._table,
            Key={"pk": {"S": f"MTPL#{account_id}"}, "sk": {"S": template_id}},
            ReturnValues="ALL_OLD",
        )
        return "Attributes" in res


def _template(item: dict[str, Any]) -> ReplyTemplate:
    raw = json.loads(item["doc"]["S"])
    raw.pop("placeholders", None)
    return ReplyTemplate(**raw)
