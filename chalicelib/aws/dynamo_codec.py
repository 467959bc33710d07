"""Item <-> domain object mapping for the single DynamoDB table (see docs/data-model.md).

The key layout lives here: each ``*_to_item`` gives an item its ``pk``/``sk`` and, where
it is listed, its ``gsi1`` key (calendar, brand members, account audit) or its entry in
the sparse ``gsi2`` (posts the publisher still has to look at, every account, mails due
for another try). Timestamps are stored as fixed-width UTC strings so that string order
is time order. ``DynamoStore`` (``chalicelib.aws.dynamo``) does the reads and writes.

Pure functions only: importing this module must stay cheap (no boto3).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from chalicelib.accounts.domain import Account
from chalicelib.accounts.policy import Policy
from chalicelib.core.audit import AuditEntry, Channel
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


def pending_mail_pk(key: str) -> str:
    return f"MAILRETRY#{key}"


def pending_mail_to_item(mail: PendingMail) -> Item:
    # Sparse gsi2 partition MAILDUE, by due time.
    return {
        "pk": pending_mail_pk(mail.key),
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


def pending_mail_from_item(d: Item) -> PendingMail:
    return PendingMail(
        key=d["key"],
        kind=d["kind"],
        post_id=d["post_id"],
        recipient_id=d["recipient_id"],
        next_attempt_at=_req_ts(d["next_attempt_at"]),
        attempts=int(d["attempts"]),
        detail=d.get("detail") or "",
        last_error=d.get("last_error") or "",
    )
