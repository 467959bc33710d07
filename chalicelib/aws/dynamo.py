"""DynamoDB adapter: ``DynamoStore`` implements the ``Store`` port on one table.

Single-table layout (see docs/data-model.md): ``pk``/``sk`` keys, ``gsi1`` for lists
(calendar, brand members, account audit) and a sparse ``gsi2`` holding only posts that
the publisher still has to look at. Items are mapped explicitly to and from domain
objects; writes that must not race are conditional on a revision number and go in one
transaction with their audit entries.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from chalicelib.accounts.domain import Account
from chalicelib.accounts.policy import Policy
from chalicelib.core.audit import AuditEntry, Channel
from chalicelib.core.errors import Conflict, LinkUsed
from chalicelib.core.users import Role, User
from chalicelib.freezes.domain import GLOBAL_SCOPE, PublishingFreeze
from chalicelib.links.domain import DecisionLink
from chalicelib.posts.approvals import ApprovalRules
from chalicelib.posts.domain import Approval, Post, PostStatus
from chalicelib.posts.mail_retry import PendingMail

Item = dict[str, Any]

# Statuses the publisher must see when their time comes (sparse index gsi2).
_DUE_STATUSES = frozenset(
    {PostStatus.DRAFT, PostStatus.SUBMITTED, PostStatus.APPROVED, PostStatus.PUBLISHING}
)


def ts(moment: datetime) -> str:
    """UTC, fixed width, so that string order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_ts(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _req_ts(value: str) -> datetime:
    parsed = parse_ts(value)
    assert parsed is not None
    return parsed


# ---------------------------------------------------------------- attribute values
def _to_av(value: Any) -> dict[str, Any]:
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int):
        return {"N": str(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, list | tuple):
        return {"L": [_to_av(v) for v in value]}
    if isinstance(value, dict):
        return {"M": {k: _to_av(v) for k, v in value.items()}}
    raise TypeError(f"cannot store {type(value).__name__}")


def _from_av(av: dict[str, Any]) -> Any:
    (kind, value), *_ = av.items()
    if kind == "NULL":
        return None
    if kind == "N":
        return int(value)
    if kind == "L":
        return [_from_av(v) for v in value]
    if kind == "M":
        return {k: _from_av(v) for k, v in value.items()}
    return value  # S, BOOL


def to_item(plain: Item) -> dict[str, Any]:
    return {k: _to_av(v) for k, v in plain.items() if v is not None}


def from_item(item: dict[str, Any]) -> Item:
    return {k: _from_av(v) for k, v in item.items()}


# ---------------------------------------------------------------- mapping
def user_to_item(user: User) -> Item:
    return {
        "pk": f"USER#{user.id}",
        "sk": "USER",
        "gsi1pk": f"BRAND#{user.brand_id}#USERS",
        "gsi1sk": user.id,
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "brand_id": user.brand_id,
        "agency_id": user.agency_id,
        "account_ids": sorted(user.account_ids),
    }


def user_from_item(d: Item) -> User:
    return User(
        id=d["id"],
        name=d["name"],
        email=d["email"],
        role=Role(d["role"]),
        brand_id=d["brand_id"],
        agency_id=d.get("agency_id"),
        account_ids=frozenset(d.get("account_ids") or ()),
    )


def account_to_item(a: Account) -> Item:
    return {
        "pk": f"ACCOUNT#{a.id}",
        "sk": "ACCOUNT",
        "gsi1pk": f"BRAND#{a.brand_id}#ACCOUNTS",
        "gsi1sk": a.id,
        "id": a.id,
        "brand_id": a.brand_id,
        "name": a.name,
        "network": a.network,
        "handle": a.handle,
        "timezone": a.timezone,
        "policy": json.dumps(a.policy.to_dict()),
        "approval_rules": json.dumps(a.approval_rules.to_dict()),
        "feed_secret_hash": a.feed_secret_hash,
        "rate_limited_until": ts(a.rate_limited_until) if a.rate_limited_until else None,
        "languages": list(a.languages),
        "usual_source_apps": list(a.usual_source_apps),
        "brand_domains": list(a.brand_domains),
        # Every account, for the scheduled watchers (sparse index shared with due posts).
        "gsi2pk": "ACCOUNTS",
        "gsi2sk": a.id,
    }


def account_from_item(d: Item) -> Account:
    return Account(
        id=d["id"],
        brand_id=d["brand_id"],
        name=d["name"],
        network=d["network"],
        handle=d["handle"],
        timezone=d["timezone"],
        policy=Policy.from_dict(json.loads(d["policy"])),
        approval_rules=ApprovalRules.from_dict(json.loads(d["approval_rules"])),
        feed_secret_hash=d.get("feed_secret_hash"),
        rate_limited_until=parse_ts(d.get("rate_limited_until")),
        languages=tuple(d.get("languages") or ("en",)),
        usual_source_apps=tuple(d.get("usual_source_apps") or ("Firebreak",)),
        brand_domains=tuple(d.get("brand_domains") or ()),
    )


def post_to_item(p: Post) -> Item:
    item: Item = {
        "pk": f"POST#{p.id}",
        "sk": "POST",
        "gsi1pk": f"CAL#{p.account_id}",
        # Unscheduled drafts sort after every date ("~" > digits).
        "gsi1sk": f"{ts(p.scheduled_at)}#{p.id}" if p.scheduled_at else f"~#{p.id}",
        "id": p.id,
        "account_id": p.account_id,
        "network": p.network,
        "text": p.text,
        "author_id": p.author_id,
        "author_is_agency": p.author_is_agency,
        "created_at": ts(p.created_at),
        "updated_at": ts(p.updated_at),
        "scheduled_at": ts(p.scheduled_at) if p.scheduled_at else None,
        "status": p.status.value,
        "version": p.version,
        "revision": p.revision,
        "links": list(p.links),
        "approvals": [
            {
                "user_id": a.user_id,
                "role": a.role,
                "version": a.version,
                "at": ts(a.at),
                "channel": a.channel,
            }
            for a in p.approvals
        ],
        "rejection_reason": p.rejection_reason,
        "network_post_id": p.network_post_id,
        "published_at": ts(p.published_at) if p.published_at else None,
        "attempts": p.attempts,
        "next_attempt_at": ts(p.next_attempt_at) if p.next_attempt_at else None,
        "failure_reason": p.failure_reason,
        "edited_by": p.edited_by,
        "check": json.dumps(p.check),
    }
    due_at = p.next_attempt_at or p.scheduled_at
    if p.status in _DUE_STATUSES and due_at is not None:
        item["gsi2pk"] = "DUE"
        item["gsi2sk"] = f"{ts(due_at)}#{p.id}"
    return item


def post_from_item(d: Item) -> Post:
    return Post(
        id=d["id"],
        account_id=d["account_id"],
        network=d["network"],
        text=d["text"],
        author_id=d["author_id"],
        author_is_agency=d["author_is_agency"],
        created_at=_req_ts(d["created_at"]),
        updated_at=_req_ts(d["updated_at"]),
        scheduled_at=parse_ts(d.get("scheduled_at")),
        status=PostStatus(d["status"]),
        version=d["version"],
        revision=d["revision"],
        links=tuple(d.get("links") or ()),
        approvals=tuple(
            Approval(a["user_id"], a["role"], a["version"], _req_ts(a["at"]), a["channel"])
            for a in d.get("approvals") or ()
        ),
        rejection_reason=d.get("rejection_reason"),
        network_post_id=d.get("network_post_id"),
        published_at=parse_ts(d.get("published_at")),
        attempts=d.get("attempts", 0),
        next_attempt_at=parse_ts(d.get("next_attempt_at")),
        failure_reason=d.get("failure_reason"),
        edited_by=d.get("edited_by"),
        check=json.loads(d.get("check") or "{}"),
    )


def link_to_item(link: DecisionLink) -> Item:
    return {
        "pk": f"LINK#{link.token_hash}",
        "sk": "LINK",
        "approver_id": link.approver_id,
        "subject_type": link.subject_type,
        "subject_id": link.subject_id,
        "subject_version": link.subject_version,
        "account_id": link.account_id,
        "actions": list(link.actions),
        "created_at": ts(link.created_at),
        "expires_at": ts(link.expires_at),
        # DynamoDB TTL cleans up later; reads never rely on it (moto does not enforce it).
        "ttl": int(link.expires_at.timestamp()) + 30 * 86400,
        "used_at": ts(link.used_at) if link.used_at else None,
        "used_action": link.used_action,
    }


def link_from_item(d: Item) -> DecisionLink:
    return DecisionLink(
        token_hash=d["pk"].removeprefix("LINK#"),
        approver_id=d["approver_id"],
        subject_type=d["subject_type"],
        subject_id=d["subject_id"],
        subject_version=d["subject_version"],
        account_id=d["account_id"],
        actions=tuple(d["actions"]),
        created_at=_req_ts(d["created_at"]),
        expires_at=_req_ts(d["expires_at"]),
        used_at=parse_ts(d.get("used_at")),
        used_action=d.get("used_action"),
    )


def freeze_pk(brand_id: str, scope: str) -> str:
    """An account's freeze is keyed by the account (account ids are unique across brands);
    an "all" freeze by its brand. The old deployment-wide ``FREEZE#all`` item, written
    before freezes belonged to a brand, is no longer read: it holds no post and is not
    listed (delete it by hand, or leave it)."""
    return f"FREEZE#BRAND#{brand_id}" if scope == GLOBAL_SCOPE else f"FREEZE#{scope}"


def freeze_to_item(f: PublishingFreeze) -> Item:
    return {
        "pk": freeze_pk(f.brand_id, f.scope),
        "sk": "FREEZE",
        "gsi1pk": "FREEZES",
        "gsi1sk": f.scope,
        "scope": f.scope,
        "brand_id": f.brand_id,
        "reason": f.reason,
        "frozen_by": f.frozen_by,
        "frozen_at": ts(f.frozen_at),
        "lift_requested_by": f.lift_requested_by,
        "lift_requested_at": ts(f.lift_requested_at) if f.lift_requested_at else None,
    }


def freeze_from_item(d: Item, brand_id: str = "") -> PublishingFreeze:
    return PublishingFreeze(
        scope=d["scope"],
        # Account freezes written before freezes had a brand carry none: their account
        # names it, so the caller who asked for the account's freeze supplies it.
        brand_id=d.get("brand_id") or brand_id,
        reason=d["reason"],
        frozen_by=d["frozen_by"],
        frozen_at=_req_ts(d["frozen_at"]),
        lift_requested_by=d.get("lift_requested_by"),
        lift_requested_at=parse_ts(d.get("lift_requested_at")),
    )


def audit_to_item(e: AuditEntry) -> Item:
    return {
        "pk": f"AUDIT#{e.subject_type}#{e.subject_id}",
        "sk": e.id,
        "gsi1pk": f"AUDITACCT#{e.account_id}",
        "gsi1sk": e.id,
        "at": ts(e.at),
        "actor": e.actor,
        "channel": e.channel.value,
        "action": e.action,
        "subject_type": e.subject_type,
        "subject_id": e.subject_id,
        "account_id": e.account_id,
        "details": json.dumps(e.details, default=str),
    }


def audit_from_item(d: Item) -> AuditEntry:
    return AuditEntry(
        id=d["sk"],
        at=_req_ts(d["at"]),
        actor=d["actor"],
        channel=Channel(d["channel"]),
        action=d["action"],
        subject_type=d["subject_type"],
        subject_id=d["subject_id"],
        account_id=d["account_id"],
        details=json.loads(d["details"]),
    )


# ---------------------------------------------------------------- the store
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
        self._put(user_to_item(user))
        if api_key_hash:
            self._put({"pk": f"APIKEY#{api_key_hash}", "sk": "APIKEY", "user_id": user.id})

    def get_user(self, user_id: str) -> User | None:
        item = self._get(f"USER#{user_id}", "USER")
        return user_from_item(item) if item else None

    def user_for_key(self, api_key_hash: str) -> User | None:
        item = self._get(f"APIKEY#{api_key_hash}", "APIKEY")
        return self.get_user(item["user_id"]) if item else None

    def users_of_brand(self, brand_id: str) -> list[User]:
        return [user_from_item(d) for d in self._query_gsi1(f"BRAND#{brand_id}#USERS")]

    # -- accounts
    def put_account(self, account: Account) -> None:
        self._put(account_to_item(account))

    def get_account(self, account_id: str) -> Account | None:
        item = self._get(f"ACCOUNT#{account_id}", "ACCOUNT")
        return account_from_item(item) if item else None

    def accounts_of_brand(self, brand_id: str) -> list[Account]:
        return [account_from_item(d) for d in self._query_gsi1(f"BRAND#{brand_id}#ACCOUNTS")]

    def update_account_settings(self, account: Account) -> None:
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
        posts = [post_from_item(d) for d in self._query_gsi1(f"CAL#{account_id}", **extra)]
        if statuses:
            posts = [p for p in posts if p.status in statuses]
        return posts

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
        self._put(
            {
                "pk": f"MAILRETRY#{mail.key}",
                "sk": "MAILRETRY",
                "key": mail.key,
                "kind": mail.kind,
                "post_id": mail.post_id,
                "recipient_id": mail.recipient_id,
                "next_attempt_at": ts(mail.next_attempt_at),
                "attempts": mail.attempts,
                "detail": mail.detail,
                "last_error": mail.last_error,
                "gsi2pk": "MAILDUE",
                "gsi2sk": f"{ts(mail.next_attempt_at)}#{mail.key}",
            }
        )

    def due_pending_mails(self, now: datetime) -> list[PendingMail]:
        items = self._query(
            IndexName="gsi2",
            KeyConditionExpression="gsi2pk = :due AND gsi2sk <= :now",
            ExpressionAttributeValues={":due": {"S": "MAILDUE"}, ":now": {"S": ts(now) + "#~"}},
        )
        return [
            PendingMail(
                key=d["key"],
                kind=d["kind"],
                post_id=d["post_id"],
                recipient_id=d["recipient_id"],
                next_attempt_at=parse_ts(d["next_attempt_at"]),  # type: ignore[arg-type]
                attempts=int(d["attempts"]),
                detail=d.get("detail") or "",
                last_error=d.get("last_error") or "",
            )
            for d in items
        ]

    def take_pending_mail(self, mail: PendingMail) -> bool:
        from botocore.exceptions import ClientError

        try:
            self._db.delete_item(
                TableName=self._table,
                Key={"pk": {"S": f"MAILRETRY#{mail.key}"}, "sk": {"S": "MAILRETRY"}},
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
