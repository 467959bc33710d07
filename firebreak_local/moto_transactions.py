"""A cheaper rollback for the embedded DynamoDB's transactions.

moto's ``TransactWriteItems`` backs up every table a transaction touches with
``copy.deepcopy`` (once per item), so each transaction costs time in proportion to
everything the table holds: a local stack that has lived through a test suite or a
day of ``make run`` slows down write by write (an incident's status update took 8 s
on a full table). This keeps moto's own transaction logic and replaces only the
backup: the items the transaction names are copied before it runs and put back if it
is cancelled. DynamoDB requests reach moto one at a time (``LambdaInvokeLayer``), so
nothing else writes between the backup and the rollback.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

_installed = threading.Lock()
_done = False


class _TablesAreNotCopied:
    """Stands in for the ``copy`` module inside moto's DynamoDB backend: a table is
    "copied" as itself (the items it is about to change are backed up instead);
    anything else is deep-copied as before."""

    def __init__(self, table_type: type) -> None:
        self._table_type = table_type

    def deepcopy(self, value: Any, memo: Any = None) -> Any:
        if isinstance(value, self._table_type):
            return value
        return copy.deepcopy(value, memo)

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


def install() -> None:
    """Patch moto's DynamoDB backend once per process."""
    global _done
    with _installed:
        if _done:
            return
        import moto.dynamodb.models as backend_module
        from moto.dynamodb.models import DynamoDBBackend
        from moto.dynamodb.models.table import Table

        original = DynamoDBBackend.transact_write_items
        backend_module.copy = _TablesAreNotCopied(Table)  # type: ignore[assignment]

        def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
            saved = _backup(self, transact_items)
            try:
                original(self, transact_items)
            except Exception:
                _restore(saved)
                raise

        DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
        _done = True


def _backup(backend: Any, transact_items: list[dict[str, Any]]) -> list[tuple[Any, Any, Any, Any]]:
    """(table, hash key, range key, a copy of the item or None) for each item named."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    saved = []
    for entry in transact_items:
        if len(entry) != 1:
            continue  # moto refuses it before changing anything
        op_type, op = next(iter(entry.items()))
        table = backend.tables.get(op.get("TableName"))
        if table is None:
            continue
        key = op.get("Item") if op_type == "Put" else op.get("Key")
        if not isinstance(key, dict) or table.hash_key_attr not in key:
            continue
        hash_key = DynamoType(key[table.hash_key_attr])
        range_key = None
        if table.range_key_attr is not None:
            if table.range_key_attr not in key:
                continue
            range_key = DynamoType(key[table.range_key_attr])
        current = _current(table, hash_key, range_key)
        saved.append((table, hash_key, range_key, copy.deepcopy(current)))
    return saved


def _current(table: Any, hash_key: Any, range_key: Any) -> Any:
    if range_key is None:
        return table.items.get(hash_key)
    return table.items.get(hash_key, {}).get(range_key)


def _restore(saved: list[tuple[Any, Any, Any, Any]]) -> None:
    """Put every backed-up item back as it was, latest first (an item named twice is
    refused by moto before it changes)."""
    for table, hash_key, range_key, item in reversed(saved):
        if range_key is None:
            if item is None:
                table.items.pop(hash_key, None)
            else:
                table.items[hash_key] = item
        elif item is None:
            table.items.get(hash_key, {}).pop(range_key, None)
        else:
            table.items[hash_key][range_key] = item
