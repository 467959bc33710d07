"""DynamoDB adapter: ``DynamoStore`` implements the ``Store`` port on one table.

Single-table layout (see docs/data-model.md): ``pk``/``sk`` keys, ``gsi1`` for lists
(calendar, brand members, account audit) and a sparse ``gsi2`` holding only posts that
the publisher still has to look at. Items are mapped explicitly to and from domain
objects (``chalicelib.aws.dynamo_codec``); writes that must not race are conditional on
a revision number and go in one transaction with their audit entries.

Importing this module is cheap: botocore is imported only where a write can fail.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from chalicelib.accounts.domain import Account
from chalicelib.accounts.policy import Policy
from chalicelib.aws.dynamo_codec import (
    Item,
    account_from_item,
    account_to_item,
    audit_from_item,
    audit_to_item,
    freeze_from_item,
    freeze_pk,
    freeze_to_item,
    from_item,
    link_from_item,
    link_to_item,
    parse_ts,
    pending_mail_from_item,
    pending_mail_pk,
    pending_mail_to_item,
    post_from_item,
    post_to_item,
    to_item,
    ts,
    user_from_item,
    user_to_item,
)
from chalicelib.core.audit import AuditEntry
from chalicelib.core.errors import Conflict, LinkUsed
from chalicelib.core.memo import forget, memoised
from chalicelib.core.users import User
from chalicelib.freezes.domain import GLOBAL_SCOPE, PublishingFreeze
from chalicelib.links.domain import DecisionLink
from chalicelib.posts.domain import Post, PostStatus
from chalicelib.posts.mail_retry import PendingMail

# Importers use these from here (the codec names were defined in this module before).
__all__ = ["DynamoStore", "Item", "from_item", "parse_ts", "to_item", "ts"]


class DynamoStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self._db = client
        self._table = table_name

    # -- plumbing
    def _put(self, plain: Item, **kwargs: Any) -> None:
        self._db.put_item(TableName=self._table, Item=to_item(plain), **kwargs)

    def _get(self, pk: str, sk: str, consistent: bool = True) -> Item | None:
        res = self._db.get_item(
            TableName=self._table,
            Key={"pk": {"S": pk}, "sk": {"S": sk}},
            ConsistentRead=consistent,
        )
        return from_item(res["Item"]) if "Item" in res else None

    def _query(self, **kwargs: Any) -> Iterator[Item]:
        kwargs["TableName"] = self._table
        while True:
            res = self._db.query(**kwargs)
            for item in res.get("Items", []):
                yield from_item(item)
            if "LastEvaluatedKey" not in res:
                return
            kwargs["ExclusiveStartKey"] = res["LastEvaluatedKey"]

    def _query_gsi1(self, pk: str, **extra: Any) -> Iterator[Item]:
        values = {":pk": {"S": pk}, **extra.pop("values", {})}
        cond = "gsi1pk = :pk" + extra.pop("range", "")
        return self._query(
            IndexName="gsi1",
            KeyConditionExpression=cond,
            ExpressionAttributeValues=values,
            **extra,
        )

    def new_item_puts(self, items: Sequence[Item]) -> list[dict[str, Any]]:
        """Transaction puts for append-only items: never overwrite one already there."""
        return [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_item(item),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
            for item in items
        ]

    def _audit_puts(self, audit: Sequence[AuditEntry]) -> list[dict[str, Any]]:
        return self.new_item_puts([audit_to_item(e) for e in audit])

    def _transact(self, items: list[dict[str, Any]], conflict: str) -> None:
        from botocore.exceptions import ClientError

        try:
            self._db.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "TransactionCanceledException":
                raise Conflict(conflict) from None
            raise

    # -- users
    def put_user(self, user: User, api_key_hash: str | None = None) -> None:
        forget()  # what page views of this container keep warm is stale now
        self._put(user_to_item(user))
        if api_key_hash:
            self._put({"pk": f"APIKEY#{api_key_hash}", "sk": "APIKEY", "user_id": user.id})
        # Sign-in by mailed link finds the person by address (X4).
        self._put({"pk": f"EMAIL#{user.email.strip().lower()}", "sk": "EMAIL", "user_id": user.id})

    def get_user(self, user_id: str) -> User | None:
        def load() -> User | None:
            item = self._get(f"USER#{user_id}", "USER")
            return user_from_item(item) if item else None

        return memoised(("user", self._table, user_id), load)

    def user_for_key(self, api_key_hash: str) -> User | None:
        item = self._get(f"APIKEY#{api_key_hash}", "APIKEY")
        return self.get_user(item["user_id"]) if item else None

    def user_for_email(self, email: str) -> User | None:
        item = self._get(f"EMAIL#{email}", "EMAIL")
        user = self.get_user(item["user_id"]) if item else None
        # An address changed since: the pointer is stale, not a way in.
        return user if user and user.email.strip().lower() == email else None

    def users_of_brand(self, brand_id: str) -> list[User]:
        return list(
            memoised(
                ("users", self._table, brand_id),
                lambda: [user_from_item(d) for d in self._query_gsi1(f"BRAND#{brand_id}#USERS")],
                warm=True,
            )
        )

    # -- accounts
    def put_account(self, account: Account) -> None:
        forget()
        self._put(account_to_item(account))

    def get_account(self, account_id: str) -> Account | None:
        def load() -> Account | None:
            item = self._get(f"ACCOUNT#{account_id}", "ACCOUNT")
            return account_from_item(item) if item else None

        return memoised(("account", self._table, account_id), load)

    def accounts_of_brand(self, brand_id: str) -> list[Account]:
        return list(
            memoised(
                ("accounts", self._table, brand_id),
                lambda: [
                    account_from_item(d) for d in self._query_gsi1(f"BRAND#{brand_id}#ACCOUNTS")
                ],
                warm=True,
            )
        )

    def update_account_settings(self, account: Account) -> None:
        forget()
        item = to_item(account_to_item(account))
        names = ("policy", "approval_rules", "feed_secret_hash")
        present = [n for n in names if n in item]
        removed = [n for n in names if n not in item]
        expression = "SET " + ", ".join(f"#{n} = :{n}" for n in present)
        if removed:
            expression += " REMOVE " + ", ".join(f"#{n}" for n in removed)
        self._db.update_item(
            TableName=self._table,
            Key={"pk": item["pk"], "sk": item["sk"]},
            UpdateExpression=expression,
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames={f"#{n}": n for n in names},
            ExpressionAttributeValues={f":{n}": item[n] for n in present},
        )

    def all_accounts(self) -> list[Account]:
        items = self._query(
            IndexName="gsi2",
            KeyConditionExpression="gsi2pk = :a",
            ExpressionAttributeValues={":a": {"S": "ACCOUNTS"}},
        )
        return [account_from_item(d) for d in items]

    def mark_published(self, account_id: str, network_post_id: str, what: str) -> None:
        """Remember that Firebreak itself put this post on the network."""
        self._put({"pk": f"NETPOST#{account_id}#{network_post_id}", "sk": "NETPOST", "what": what})

    def published_by_firebreak(self, account_id: str, network_post_id: str) -> bool:
        return self.published_as(account_id, network_post_id) is not None

    def published_as(self, account_id: str, network_post_id: str) -> str | None:
        """What Firebreak published as this network post ("post <id>", "apology <id>")."""
        item = self._get(f"NETPOST#{account_id}#{network_post_id}", "NETPOST")
        return str(item["what"]) if item else None

    def set_rate_limited(self, account_id: str, until: datetime) -> None:
        self._db.update_item(
            TableName=self._table,
            Key={"pk": {"S": f"ACCOUNT#{account_id}"}, "sk": {"S": "ACCOUNT"}},
            UpdateExpression="SET rate_limited_until = :u",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":u": {"S": ts(until)}},
        )

    def put_agency_policy(self, brand_id: str, agency_id: str, policy: Policy) -> None:
        self._put(
            {
                "pk": f"AGENCY#{brand_id}#{agency_id}",
                "sk": "POLICY",
                "policy": json.dumps(policy.to_dict()),
            }
        )

    def get_agency_policy(self, brand_id: str, agency_id: str) -> Policy | None:
        item = self._get(f"AGENCY#{brand_id}#{agency_id}", "POLICY")
        return Policy.from_dict(json.loads(item["policy"])) if item else None

    # -- posts
    def create_post(self, post: Post, audit: Sequence[AuditEntry]) -> None:
        puts = self.new_item_puts([post_to_item(post)])
        self._transact([*puts, *self._audit_puts(audit)], f"post {post.id} exists")

    def save_post(self, post: Post, expected_revision: int, audit: Sequence[AuditEntry]) -> Post:
        from dataclasses import replace

        stored = replace(post, revision=expected_revision + 1)
        put = {
            "Put": {
                "TableName": self._table,
                "Item": to_item(post_to_item(stored)),
                "ConditionExpression": "revision = :r",
                "ExpressionAttributeValues": {":r": {"N": str(expected_revision)}},
            }
        }
        self._transact(
            [put, *self._audit_puts(audit)],
            f"post {post.id} was changed by someone else; reload it and try again",
        )
        return stored

    def get_post(self, post_id: str) -> Post | None:
        item = self._get(f"POST#{post_id}", "POST")
        return post_from_item(item) if item else None

    def posts_of_account(
        self,
        account_id: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        statuses: frozenset[PostStatus] | None = None,
    ) -> list[Post]:
        extra: dict[str, Any] = {}
        if start or end:
            low = ts(start) if start else "0"
            # "#~" after the time keeps posts scheduled exactly at ``end``; "9" stays below
            # "~", so unscheduled posts stay out of ranges.
            high = ts(end) + "#~" if end else "9"
            extra = {"range": " AND gsi1sk BETWEEN :lo AND :hi"}
            extra["values"] = {":lo": {"S": low}, ":hi": {"S": high}}
        if statuses:
            # Filtered in the table: a page of what waits reads those posts, not all.
            names = {f":s{i}": {"S": s.value} for i, s in enumerate(sorted(statuses))}
            extra["FilterExpression"] = f"#status IN ({', '.join(names)})"
            extra["ExpressionAttributeNames"] = {"#status": "status"}
            extra["values"] = {**extra.get("values", {}), **names}
        return [post_from_item(d) for d in self._query_gsi1(f"CAL#{account_id}", **extra)]

    def due_posts(self, now: datetime) -> list[Post]:
        items = self._query(
            IndexName="gsi2",
            KeyConditionExpression="gsi2pk = :due AND gsi2sk <= :now",
            ExpressionAttributeValues={":due": {"S": "DUE"}, ":now": {"S": ts(now) + "#~"}},
        )
        return [post_from_item(d) for d in items]

    # -- links
    def put_link(self, link: DecisionLink) -> None:
        self._put(link_to_item(link), ConditionExpression="attribute_not_exists(pk)")

    def get_link(self, token_hash: str) -> DecisionLink | None:
        item = self._get(f"LINK#{token_hash}", "LINK")
        return link_from_item(item) if item else None

    def burn_link(self, token_hash: str, now: datetime, action: str) -> None:
        from botocore.exceptions import ClientError

        try:
            self._db.update_item(
                TableName=self._table,
                Key={"pk": {"S": f"LINK#{token_hash}"}, "sk": {"S": "LINK"}},
                UpdateExpression="SET used_at = :now, used_action = :a",
                ConditionExpression="attribute_exists(pk) AND attribute_not_exists(used_at)",
                ExpressionAttributeValues={":now": {"S": ts(now)}, ":a": {"S": action}},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise LinkUsed("this link has already been used") from None
            raise

    # -- freezes
    def put_freeze(self, freeze: PublishingFreeze, audit: Sequence[AuditEntry]) -> None:
        puts = self.new_item_puts([freeze_to_item(freeze)])
        self._transact([*puts, *self._audit_puts(audit)], f"{freeze.scope} is already frozen")

    def get_freeze(self, brand_id: str, scope: str) -> PublishingFreeze | None:
        item = self._get(freeze_pk(brand_id, scope), "FREEZE")
        return freeze_from_item(item, brand_id) if item else None

    def list_freezes(self) -> list[PublishingFreeze]:
        return [
            freeze_from_item(d)
            for d in self._query_gsi1("FREEZES")
            if d["pk"] != f"FREEZE#{GLOBAL_SCOPE}"  # the old deployment-wide item: ignored
        ]

    def _freeze_condition(self, expected: PublishingFreeze) -> dict[str, Any]:
        # The lift request must be exactly what we read: two lifts cannot interleave.
        if expected.lift_requested_by is None:
            cond = "attribute_exists(pk) AND attribute_not_exists(lift_requested_by)"
            return {"ConditionExpression": cond}
        return {
            "ConditionExpression": "lift_requested_by = :by",
            "ExpressionAttributeValues": {":by": {"S": expected.lift_requested_by}},
        }

    def update_freeze(
        self, freeze: PublishingFreeze, expected: PublishingFreeze, audit: Sequence[AuditEntry]
    ) -> None:
        put = {
            "Put": {
                "TableName": self._table,
                "Item": to_item(freeze_to_item(freeze)),
                **self._freeze_condition(expected),
            }
        }
        self._transact([put, *self._audit_puts(audit)], "the freeze changed meanwhile")

    def delete_freeze(self, expected: PublishingFreeze, audit: Sequence[AuditEntry]) -> None:
        delete = {
            "Delete": {
                "TableName": self._table,
                "Key": {
                    "pk": {"S": freeze_pk(expected.brand_id, expected.scope)},
                    "sk": {"S": "FREEZE"},
                },
                **self._freeze_condition(expected),
            }
        }
        self._transact([delete, *self._audit_puts(audit)], "the freeze changed meanwhile")

    # -- audit
    def append_audit(self, entries: Sequence[AuditEntry]) -> None:
        if entries:
            self._transact(self._audit_puts(entries), "audit entry id collision")

    def audit_of_subject(self, subject_type: str, subject_id: str) -> list[AuditEntry]:
        items = self._query(
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"AUDIT#{subject_type}#{subject_id}"}},
            ConsistentRead=True,
        )
        return [audit_from_item(d) for d in items]

    def audit_of_account(self, account_id: str) -> list[AuditEntry]:
        return [audit_from_item(d) for d in self._query_gsi1(f"AUDITACCT#{account_id}")]

    def latest_audit_of_account(
        self, account_id: str, limit: int, before: str | None = None
    ) -> list[AuditEntry]:
        from itertools import islice

        extra: dict[str, Any] = {"ScanIndexForward": False, "Limit": limit}
        if before:
            extra |= {"range": " AND gsi1sk < :before", "values": {":before": {"S": before}}}
        items = self._query_gsi1(f"AUDITACCT#{account_id}", **extra)
        return [audit_from_item(d) for d in islice(items, limit)]

    # -- once-only side effects
    def claim_once(self, key: str, now: datetime) -> bool:
        from botocore.exceptions import ClientError

        try:
            self._put(
                {"pk": f"ONCE#{key}", "sk": "ONCE", "at": ts(now)},
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def release_once(self, key: str) -> None:
        self._db.delete_item(
            TableName=self._table, Key={"pk": {"S": f"ONCE#{key}"}, "sk": {"S": "ONCE"}}
        )

    # -- mails waiting for another try (sparse gsi2 partition MAILDUE, by due time)
    def put_pending_mail(self, mail: PendingMail) -> None:
        self._put(pending_mail_to_item(mail))

    def due_pending_mails(self, now: datetime) -> list[PendingMail]:
        items = self._query(
            IndexName="gsi2",
            KeyConditionExpression="gsi2pk = :due AND gsi2sk <= :now",
            ExpressionAttributeValues={":due": {"S": "MAILDUE"}, ":now": {"S": ts(now) + "#~"}},
        )
        return [pending_mail_from_item(d) for d in items]

    def take_pending_mail(self, mail: PendingMail) -> bool:
        from botocore.exceptions import ClientError

        try:
            self._db.delete_item(
                TableName=self._table,
                Key={"pk": {"S": pending_mail_pk(mail.key)}, "sk": {"S": "MAILRETRY"}},
                ConditionExpression="attempts = :a",
                ExpressionAttributeValues={":a": {"N": str(mail.attempts)}},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    # -- heartbeats
    def put_heartbeat(self, name: str, at: datetime) -> None:
        self._put({"pk": f"HEARTBEAT#{name}", "sk": "HEARTBEAT", "at": ts(at)})

    def get_heartbeat(self, name: str) -> datetime | None:
        item = self._get(f"HEARTBEAT#{name}", "HEARTBEAT", consistent=False)
        return parse_ts(item["at"]) if item else None
