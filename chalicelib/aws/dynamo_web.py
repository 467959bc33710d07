"""DynamoDB adapter of the ``WebStore`` port, on the main table: sign-in links
(``SIGNIN#<hash>``), sessions (``SESSION#<hash>``, listed per user on ``gsi1``) and the
sign-in rate-limit counters (``RATE#<key>``). Every item carries ``expires`` for the
table's TTL, which only tidies up: expiry is checked on every read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.aws.dynamo_raw import RawTable, key
from chalicelib.web.domain import SignInLink, WebSession

RATE_TTL_S = 2 * 3600


def _ts(at: datetime) -> str:
    return at.isoformat()


def _at(raw: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(raw["S"])


def _epoch(at: datetime) -> dict[str, str]:
    return {"N": str(int(at.timestamp()))}


class DynamoWeb(RawTable):
    # -- sign-in links
    def put_signin_link(self, link: SignInLink) -> None:
        self._db.put_item(
            TableName=self._table,
            Item={
                **key(f"SIGNIN#{link.token_hash}", "SIGNIN"),
                "user_id": {"S": link.user_id},
                "created_at": {"S": _ts(link.created_at)},
                "expires_at": {"S": _ts(link.expires_at)},
                "ttl": _epoch(link.expires_at),
            },
            ConditionExpression="attribute_not_exists(pk)",
        )

    def get_signin_link(self, token_hash: str) -> SignInLink | None:
        item = self._get(f"SIGNIN#{token_hash}", "SIGNIN")
        if item is None:
            return None
        return SignInLink(
            token_hash=token_hash,
            user_id=item["user_id"]["S"],
            created_at=_at(item["created_at"]),
            expires_at=_at(item["expires_at"]),
            used_at=_at(item["used_at"]) if "used_at" in item else None,
        )

    def burn_signin_link(self, token_hash: str, now: datetime) -> bool:
        try:
            self._db.update_item(
                TableName=self._table,
                Key=key(f"SIGNIN#{token_hash}", "SIGNIN"),
                UpdateExpression="SET used_at = :now",
                ConditionExpression="attribute_exists(pk) AND attribute_not_exists(used_at)",
                ExpressionAttributeValues={":now": {"S": _ts(now)}},
            )
        except Exception as exc:
            if self._condition_failed(exc):
                return False
            raise
        return True

    # -- rate limits
    def count_request(self, key_: str, window: str, limit: int) -> bool:
        try:
            self._db.update_item(
                TableName=self._table,
                Key=key(f"RATE#{key_}", window),
                UpdateExpression="ADD n :one SET #ttl = if_not_exists(#ttl, :ttl)",
                ConditionExpression="attribute_not_exists(n) OR n < :limit",
                ExpressionAttributeNames={"#ttl": "ttl"},
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":limit": {"N": str(limit)},
                    ":ttl": {"N": str(_window_epoch(window) + RATE_TTL_S)},
                },
            )
        except Exception as exc:
            if self._condition_failed(exc):
                return False
            raise
        return True

    # -- sessions
    def put_session(self, session: WebSession, expires_at: datetime) -> None:
        self._db.put_item(
            TableName=self._table,
            Item={
                **key(f"SESSION#{session.id_hash}", "SESSION"),
                "gsi1pk": {"S": f"USER#{session.user_id}#SESSIONS"},
                "gsi1sk": {"S": session.id_hash},
                "user_id": {"S": session.user_id},
                "csrf": {"S": session.csrf},
                "created_at": {"S": _ts(session.created_at)},
                "last_seen_at": {"S": _ts(session.last_seen_at)},
                "ttl": _epoch(expires_at),
            },
            ConditionExpression="attribute_not_exists(pk)",
        )

    def get_session(self, id_hash: str) -> WebSession | None:
        item = self._get(f"SESSION#{id_hash}", "SESSION")
        if item is None:
            return None
        return WebSession(
            id_hash=id_hash,
            user_id=item["user_id"]["S"],
            csrf=item["csrf"]["S"],
            created_at=_at(item["created_at"]),
            last_seen_at=_at(item["last_seen_at"]),
        )

    def touch_session(self, id_hash: str, at: datetime) -> None:
        try:
            self._db.update_item(
                TableName=self._table,
                Key=key(f"SESSION#{id_hash}", "SESSION"),
                UpdateExpression="SET last_seen_at = :at",
                # Never bring a session back that sign-out deleted meanwhile.
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":at": {"S": _ts(at)}},
            )
        except Exception as exc:
            if not self._condition_failed(exc):
                raise

    def delete_session(self, id_hash: str) -> None:
        self._db.delete_item(TableName=self._table, Key=key(f"SESSION#{id_hash}", "SESSION"))

    def sessions_of_user(self, user_id: str) -> list[str]:
        items = self._query(
            IndexName="gsi1",
            KeyConditionExpression="gsi1pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"USER#{user_id}#SESSIONS"}},
        )
        return [item["gsi1sk"]["S"] for item in items]


def _window_epoch(window: str) -> int:
    from datetime import UTC

    return int(datetime.strptime(window, "%Y%m%d%H").replace(tzinfo=UTC).timestamp())
