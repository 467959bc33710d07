"""DynamoDB adapter for mentions: ``DynamoMentions`` implements the ``MentionStore``
port on the mentions table, apart from ``DynamoStore``'s (see docs/data-model.md).

Items, per account ``A``:

* ``MENTION#A`` / ``<20-digit id>``: one scored mention (TTL 90 days). The key holds
  the post id, so "at most once" is a conditional put; X's ids grow with time, so the
  partition reads newest first. While it waits in the engagement queue its ``gsi1``
  key is ``MQUEUE#A#<state>`` / ``<inverted urgency>#<id>``: most urgent first.
* ``SERIES#A`` / ``<bucket start>``: atomic counters ``total``, ``negative``,
  ``toxic``, ``reach`` and ``a_<post id>`` (about each own post), plus the baseline
  the detector expected there (``expected``, ``low``, ``high``), and ``msgs``, the
  queue messages counted in it.
* ``MPOLL#A`` / ``<polled at>#<poll id>``: a poll, its ``parts`` and the set of
  ``done_parts`` (TTL 2 days): the detector waits for a poll's mentions to be counted.
* ``MSTATE#A`` / ``POLL`` | ``DETECTOR`` | ``SETTINGS``: the checkpoint and pause,
  the detector's state (guarded by ``revision``), the listening settings.
* ``MALERT#A`` / ``<bucket start>#<kind>``: an alert, written once per bucket and kind.
* ``MREADS#A`` / ``<yyyy-mm>``: mentions read this month (the read budget).

A mention is stored by the first queue message that carries it (a later poll that
reads it again finds it there); a bucket counts each message once (``msgs``); a poll
part is done once (a set): so a message redelivered after it was counted, in part or
in full, changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from chalicelib.aws.dynamo_engage import queue_keys
from chalicelib.aws.dynamo_raw import RawTable, key
from chalicelib.mentions.domain import Alert, Counts, Mention, MentionSettings, iso

_MENTION_TTL_S = 90 * 86400
_POLL_TTL_S = 2 * 86400
_DIGITS = 20
_ID_SLACK = timedelta(minutes=10)


def _bucket_key(epoch: int) -> str:
    return f"{epoch:012d}"


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: float) -> dict[str, str]:
    return {"N": repr(value) if isinstance(value, float) else str(value)}


def _num(av: dict[str, Any] | None, default: float = 0) -> float:
    if not av or "N" not in av:
        return default
    text = av["N"]
    return float(text) if any(c in text for c in ".eE") else int(text)


_TWEPOCH_MS = 1288834974657  # X's snowflake epoch


def snowflake_floor(moment: datetime) -> int:
    """The smallest X post id created at ``moment`` (ids are ms since X's epoch << 22)."""
    return max(0, int(moment.timestamp() * 1000) - _TWEPOCH_MS) << 22


class DynamoMentions(RawTable):
    def _key(self, pk: str, sk: str) -> dict[str, Any]:
        return key(pk, sk)

    # -- settings and poll state
    def get_settings(self, account_id: str) -> MentionSettings | None:
        item = self._get(f"MSTATE#{account_id}", "SETTINGS")
        if item is None:
            return None
        return MentionSettings.from_dict(json.loads(item["doc"]["S"]))

    def put_settings(self, account_id: str, settings: MentionSettings) -> None:
        self._db.put_item(
            TableName=self._table,
            Item={**self._key(f"MSTATE#{account_id}", "SETTINGS"), "doc": _s(_dump(settings))},
        )

    def get_poll_state(self, account_id: str) -> dict[str, Any]:
        item = self._get(f"MSTATE#{account_id}", "POLL")
        return json.loads(item["doc"]["S"]) if item else {}

    def put_poll_state(self, account_id: str, state: dict[str, Any]) -> None:
        self._db.put_item(
            TableName=self._table,
            Item={**self._key(f"MSTATE#{account_id}", "POLL"), "doc": _s(json.dumps(state))},
        )

    # -- polls
    def open_poll(self, account_id: str, poll_id: str, polled_at: datetime, parts: int) -> None:
        self._db.update_item(
            TableName=self._table,
            Key=self._key(f"MPOLL#{account_id}", f"{iso(polled_at)}#{poll_id}"),
            UpdateExpression="SET #p = :p, #at = :at, #id = :id, #ttl = :ttl",
            ExpressionAttributeNames={
                "#p": "parts",
                "#at": "polled_at",
                "#id": "poll_id",
                "#ttl": "ttl",
            },
            ExpressionAttributeValues={
                ":p": _n(parts),
                ":at": _s(iso(polled_at)),
                ":id": _s(poll_id),
                ":ttl": _n(int(polled_at.timestamp()) + _POLL_TTL_S),
            },
        )

    def polls_since(self, account_id: str, since: datetime) -> list[dict[str, Any]]:
        """Polls from ``since`` on, oldest first: poll_id, polled_at, parts, done."""
        items = self._query(
            KeyConditionExpression="pk = :pk AND sk >= :since",
            ExpressionAttributeValues={
                ":pk": _s(f"MPOLL#{account_id}"),
                ":since": _s(iso(since)),
            },
            ConsistentRead=True,
        )
        return [
            {
                "poll_id": i["poll_id"]["S"],
                "polled_at": datetime.fromisoformat(i["polled_at"]["S"].replace("Z", "+00:00")),
                "parts": int(_num(i.get("parts"))),
                "done": len(i.get("done_parts", {}).get("SS", [])),
            }
            for i in items
            if "parts" in i
        ]

    def poll_done(self, account_id: str, polled_at: datetime, poll_id: str) -> bool:
        item = self._get(f"MPOLL#{account_id}", f"{iso(polled_at)}#{poll_id}") or {}
        done = len(item.get("done_parts", {}).get("SS", []))
        return "parts" in item and done >= _num(item.get("parts"))

    # -- ingest
    def ingest(
        self,
        account_id: str,
        poll: tuple[str, datetime, int],
        mentions: Sequence[Mention],
        bucket_s: int,
    ) -> list[Mention]:
        """Store the mentions no other message stored first and add them to their
        buckets, once however often this message is delivered. ``poll`` is (poll id,
        polled at, part). Returns this message's mentions (first delivery or not).

        No transaction: each mention is a conditional put that remembers its message,
        and each bucket's counters take a message once (a set of the messages counted
        guards the ADD). DynamoDB Local and moto copy the whole table per transaction
        item, which made a surge of thousands crawl."""
        poll_id, polled_at, part = poll
        me = f"{poll_id}#{part}"
        mine = [m for m in {m.id: m for m in mentions}.values() if self._claim(m, me)]
        from chalicelib.mentions.domain import aggregate

        for bucket, counts in aggregate(mine, bucket_s).items():
            self._count(account_id, bucket, counts, me)
        self._db.update_item(
            TableName=self._table,
            Key=self._key(f"MPOLL#{account_id}", f"{iso(polled_at)}#{poll_id}"),
            UpdateExpression="ADD #d :part",
            ExpressionAttributeNames={"#d": "done_parts"},
            ExpressionAttributeValues={":part": {"SS": [str(part)]}},
        )
        return mine

    def _claim(self, m: Mention, me: str) -> bool:
        """Write ``m`` unless it is there; True if it is this message's (first time or not)."""
        from botocore.exceptions import ClientError

        pk, sk = f"MENTION#{m.account_id}", m.id.zfill(_DIGITS)
        try:
            self._db.put_item(
                TableName=self._table,
                Item={
                    **self._key(pk, sk),
                    "msg": _s(me),
                    "doc": _s(json.dumps(m.to_dict(), ensure_ascii=False)),
                    "urgency": _n(float(m.urgency)),
                    "ttl": _n(int(m.created_at.timestamp()) + _MENTION_TTL_S),
                    # Every mention enters the engagement queue as new.
                    **queue_keys(m.account_id, "new", m.id, m.urgency),
                },
                ConditionExpression="attribute_not_exists(pk)",
            )
            return True
        except ClientError as exc:
            if not self._condition_failed(exc):
                raise
        stored = self._get(pk, sk) or {}
        return bool(stored.get("msg", {}).get("S") == me)

    def _count(self, account_id: str, bucket: int, counts: Counts, me: str) -> None:
        from botocore.exceptions import ClientError

        update = self._counter_update(account_id, bucket, counts)["Update"]
        update["UpdateExpression"] += ", #msgs :me"
        update["ExpressionAttributeNames"]["#msgs"] = "msgs"
        update["ExpressionAttributeValues"][":me"] = {"SS": [me]}
        update["ExpressionAttributeValues"][":mine"] = _s(me)
        update["ConditionExpression"] = "attribute_not_exists(#msgs) OR NOT contains(#msgs, :mine)"
        try:
            self._db.update_item(**update)
        except ClientError as exc:
            if not self._condition_failed(exc):
                raise  # counted before when the condition fails: nothing to do

    def _counter_update(self, account_id: str, bucket: int, c: Counts) -> dict[str, Any]:
        names = {f"#a{i}": f"a_{post}" for i, post in enumerate(sorted(c.about))}
        names |= {"#t": "total", "#n": "negative", "#x": "toxic", "#r": "reach"}
        values = {
            ":t": _n(c.total),
            ":n": _n(c.negative),
            ":x": _n(c.toxic),
            ":r": _n(c.reach),
        }
        adds = ["#t :t", "#n :n", "#x :x", "#r :r"]
        for i, post in enumerate(sorted(c.about)):
            values[f":a{i}"] = _n(c.about[post])
            adds.append(f"#a{i} :a{i}")
        update: dict[str, Any] = {
            "TableName": self._table,
            "Key": self._key(f"SERIES#{account_id}", _bucket_key(bucket)),
            "UpdateExpression": "ADD " + ", ".join(adds),
            "ExpressionAttributeValues": values,
            "ExpressionAttributeNames": names,
        }
        return {"Update": update}

    # -- series
    def series(self, account_id: str, start: int, end: int) -> dict[int, dict[str, Any]]:
        """Buckets with start in [start, end): counts (``Counts``) and the baseline
        (``expected``, ``low``, ``high``) where the detector wrote one."""
        out: dict[int, dict[str, Any]] = {}
        for item in self._query(
            KeyConditionExpression="pk = :pk AND sk BETWEEN :a AND :b",
            ExpressionAttributeValues={
                ":pk": _s(f"SERIES#{account_id}"),
                ":a": _s(_bucket_key(start)),
                ":b": _s(_bucket_key(max(start, end - 1))),
            },
            ConsistentRead=True,
        ):
            bucket = int(item["sk"]["S"])
            if not start <= bucket < end:
                continue
            counts = Counts(
                total=int(_num(item.get("total"))),
                negative=int(_num(item.get("negative"))),
                toxic=int(_num(item.get("toxic"))),
                reach=int(_num(item.get("reach"))),
                about={k[2:]: int(_num(v)) for k, v in item.items() if k.startswith("a_")},
            )
            entry: dict[str, Any] = {"counts": counts}
            for name in ("expected", "low", "high"):
                if name in item:
                    entry[name] = float(_num(item[name]))
            out[bucket] = entry
        return out

    def set_baseline(
        self, account_id: str, bucket: int, expected: float, low: float, high: float
    ) -> None:
        self._db.update_item(
            TableName=self._table,
            Key=self._key(f"SERIES#{account_id}", _bucket_key(bucket)),
            UpdateExpression="SET #e = :e, #l = :l, #h = :h",
            ExpressionAttributeNames={"#e": "expected", "#l": "low", "#h": "high"},
            ExpressionAttributeValues={
                ":e": _n(round(expected, 4)),
                ":l": _n(round(low, 4)),
                ":h": _n(round(high, 4)),
            },
        )

    # -- detector
    def get_detector(self, account_id: str) -> tuple[dict[str, Any] | None, int]:
        item = self._get(f"MSTATE#{account_id}", "DETECTOR")
        if item is None:
            return None, 0
        return json.loads(item["doc"]["S"]), int(_num(item.get("revision")))

    def save_detector(self, account_id: str, state: dict[str, Any], revision: int) -> bool:
        """Store ``state`` as ``revision + 1`` if the stored one is still ``revision``."""
        from botocore.exceptions import ClientError

        condition = "attribute_not_exists(pk)" if revision == 0 else "#rev = :rev"
        kwargs: dict[str, Any] = {"ConditionExpression": condition}
        if revision:
            kwargs["ExpressionAttributeValues"] = {":rev": _n(revision)}
            kwargs["ExpressionAttributeNames"] = {"#rev": "revision"}
        try:
            self._db.put_item(
                TableName=self._table,
                Item={
                    **self._key(f"MSTATE#{account_id}", "DETECTOR"),
                    "doc": _s(json.dumps(state, separators=(",", ":"))),
                    "revision": _n(revision + 1),
                },
                **kwargs,
            )
            return True
        except ClientError as exc:
            if self._condition_failed(exc):
                return False
            raise

    # -- alerts
    def put_alert(self, alert: Alert) -> bool:
        """Write ``alert`` unless one of its kind exists for its bucket."""
        from botocore.exceptions import ClientError

        try:
            self._db.put_item(
                TableName=self._table,
                Item=self._alert_item(alert),
                ConditionExpression="attribute_not_exists(pk)",
            )
            return True
        except ClientError as exc:
            if self._condition_failed(exc):
                return False
            raise

    def update_alert(self, alert: Alert) -> None:
        self._db.put_item(TableName=self._table, Item=self._alert_item(alert))

    def _alert_item(self, alert: Alert) -> dict[str, Any]:
        bucket = int(alert.bucket_at.timestamp())
        return {
            **self._key(f"MALERT#{alert.account_id}", f"{_bucket_key(bucket)}#{alert.kind}"),
            "doc": _s(json.dumps(alert.to_dict(), ensure_ascii=False)),
        }

    def alerts(self, account_id: str, limit: int = 50) -> list[Alert]:
        items = self._query(
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": _s(f"MALERT#{account_id}")},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [Alert.from_dict(json.loads(i["doc"]["S"])) for i in islice(items, limit)]

    # -- mentions
    def mentions_between(
        self, account_id: str, start: datetime, end: datetime, limit: int = 1000
    ) -> list[Mention]:
        """Mentions created in [start, end), newest first, at most ``limit``."""
        out: list[Mention] = []
        # Ids follow time only roughly (clocks of X's machines): read on a while past start.
        floor = start - _ID_SLACK
        # X's ids start with the milliseconds since its epoch: newer mentions than ``end``
        # (and its slack) are skipped by the key, not read and thrown away.
        upper = str(snowflake_floor(end + _ID_SLACK)).zfill(_DIGITS)
        for item in self._query(
            KeyConditionExpression="pk = :pk AND sk <= :upper",
            ExpressionAttributeValues={":pk": _s(f"MENTION#{account_id}"), ":upper": _s(upper)},
            ScanIndexForward=False,
        ):
            m = Mention.from_dict(json.loads(item["doc"]["S"]))
            if m.created_at < floor:
                break
            if start <= m.created_at < end:
                out.append(m)
                if len(out) >= limit:
                    break
        return out

    # -- approval mails to send again
    def mark_unmailed(self, account_id: str, mention_id: str, unmailed: bool) -> None:
        """Remember (or forget) a held reply whose approval mails did not all go out."""
        op = "ADD" if unmailed else "DELETE"
        self._db.update_item(
            TableName=self._table,
            Key=self._key(f"MSTATE#{account_id}", "UNMAILED"),
            UpdateExpression=f"{op} #m :id",
            ExpressionAttributeNames={"#m": "mentions"},
            ExpressionAttributeValues={":id": {"SS": [mention_id]}},
        )

    def unmailed(self, account_id: str) -> list[str]:
        item = self._get(f"MSTATE#{account_id}", "UNMAILED") or {}
        return sorted(item.get("mentions", {}).get("SS", []))

    # -- read budget
    def add_reads(self, account_id: str, month: str, n: int) -> int:
        res = self._db.update_item(
            TableName=self._table,
            Key=self._key(f"MREADS#{account_id}", month),
            UpdateExpression="ADD #reads :n",
            ExpressionAttributeNames={"#reads": "reads"},
            ExpressionAttributeValues={":n": _n(n)},
            ReturnValues="UPDATED_NEW",
        )
        return int(_num(res["Attributes"].get("reads")))

    def reads(self, account_id: str, month: str) -> int:
        item = self._get(f"MREADS#{account_id}", month)
        return int(_num(item.get("reads"))) if item else 0


def _dump(settings: MentionSettings) -> str:
    return json.dumps(settings.to_dict(), sort_keys=True)
