"""What the mentions table's adapters share: low-level DynamoDB items (attribute-value
maps, no codec), a consistent read, a lazy query and the name of a failed condition."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


class RawTable:
    def __init__(self, client: Any, table_name: str) -> None:
        self._db = client
        self._table = table_name

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        res = self._db.get_item(TableName=self._table, Key=key(pk, sk), ConsistentRead=True)
        item: dict[str, Any] | None = res.get("Item")
        return item

    def _query(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Items page by page, read only as far as the caller takes them."""
        kwargs["TableName"] = self._table
        while True:
            res = self._db.query(**kwargs)
            yield from res.get("Items", [])
            if "LastEvaluatedKey" not in res:
                return
            kwargs["ExclusiveStartKey"] = res["LastEvaluatedKey"]

    @staticmethod
    def _condition_failed(exc: Exception) -> bool:
        response = getattr(exc, "response", {}) or {}
        return bool(response.get("Error", {}).get("Code") == "ConditionalCheckFailedException")
