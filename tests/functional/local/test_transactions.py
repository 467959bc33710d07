"""The embedded DynamoDB's transactions (``firebreak_local.moto_transactions``): all or
nothing as on AWS, with a rollback that backs up only the items a transaction names."""

from __future__ import annotations

import uuid

import pytest
from botocore.exceptions import ClientError

from firebreak_local.stack import LocalStack


@pytest.fixture
def table(stack: LocalStack) -> tuple[object, str]:
    from chalicelib.wiring import aws_client

    db = aws_client("dynamodb")
    name = f"tx-{uuid.uuid4().hex[:8]}"
    db.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    yield db, name
    db.delete_table(TableName=name)


def _item(pk: str, sk: str, n: int) -> dict[str, dict[str, str]]:
    return {"pk": {"S": pk}, "sk": {"S": sk}, "n": {"N": str(n)}}


def _get(db, name, pk, sk):  # type: ignore[no-untyped-def]
    return db.get_item(TableName=name, Key={"pk": {"S": pk}, "sk": {"S": sk}}).get("Item")


def test_a_cancelled_transaction_leaves_every_item_as_it_was(table) -> None:  # type: ignore[no-untyped-def]
    db, name = table
    db.put_item(TableName=name, Item=_item("a", "1", 1))
    db.put_item(TableName=name, Item=_item("c", "1", 5))
    with pytest.raises(ClientError) as err:
        db.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": name, "Item": _item("b", "1", 2)}},  # new
                {"Put": {"TableName": name, "Item": _item("a", "1", 9)}},  # overwrite
                {"Delete": {"TableName": name, "Key": {"pk": {"S": "c"}, "sk": {"S": "1"}}}},
                {
                    "Update": {
                        "TableName": name,
                        "Key": {"pk": {"S": "d"}, "sk": {"S": "1"}},
                        "UpdateExpression": "SET n = :n",
                        "ConditionExpression": "attribute_exists(pk)",  # fails
                        "ExpressionAttributeValues": {":n": {"N": "4"}},
                    }
                },
            ]
        )
    assert err.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert _get(db, name, "a", "1")["n"] == {"N": "1"}
    assert _get(db, name, "b", "1") is None
    assert _get(db, name, "c", "1")["n"] == {"N": "5"}
    assert _get(db, name, "d", "1") is None
    assert db.scan(TableName=name)["Count"] == 2


def test_a_transaction_that_holds_is_written_whole(table) -> None:  # type: ignore[no-untyped-def]
    db, name = table
    db.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": name, "Item": _item("a", "1", 1)}},
            {"Put": {"TableName": name, "Item": _item("a", "2", 2)}},
        ]
    )
    assert _get(db, name, "a", "2")["n"] == {"N": "2"}
    assert db.scan(TableName=name)["Count"] == 2
