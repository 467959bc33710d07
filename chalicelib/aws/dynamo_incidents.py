"""DynamoDB adapter for incidents: ``DynamoIncidents`` implements the ``Incidents`` port
on the same table as ``DynamoStore`` (see docs/data-model.md).

An incident and the timeline entries of each change are written in one transaction,
guarded by the incident's revision. Evidence is written once and never overwritten.
A marker item per (account, network post) makes "one incident per post" a
conditional write rather than a hope.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import fields, replace
from datetime import datetime
from typing import Any

from chalicelib.aws.dynamo import DynamoStore
from chalicelib.aws.dynamo_codec import Item, from_item, parse_ts, to_item, ts
from chalicelib.core.errors import IncidentExists
from chalicelib.incidents.domain import (
    Apology,
    ChecklistItem,
    Decision,
    Incident,
    IncidentStatus,
    PostSnapshot,
    Roles,
    Severity,
    TimelineEntry,
    Trigger,
)

_APOLOGY_FIELDS = frozenset(f.name for f in fields(Apology))


def _opt_ts(value: datetime | None) -> str | None:
    return ts(value) if value else None


def incident_to_item(i: Incident) -> Item:
    return {
        "pk": f"INCIDENT#{i.id}",
        "sk": "INCIDENT",
        "gsi1pk": f"INCIDENTS#{i.account_id}",
        "gsi1sk": f"{ts(i.opened_at)}#{i.id}",
        "id": i.id,
        "account_id": i.account_id,
        "post": json.dumps(
            {
                "network_post_id": i.post.network_post_id,
                "url": i.post.url,
                "text": i.post.text,
                "author_id": i.post.author_id,
                "source_app": i.post.source_app,
                "created_at": _opt_ts(i.post.created_at),
                "links": list(i.post.links),
            }
        ),
        "trigger": i.trigger.value,
        "severity": i.severity.value,
        "status": i.status.value,
        "roles": json.dumps(i.roles.to_dict()),
        "opened_at": ts(i.opened_at),
        "opened_by": i.opened_by,
        "revision": i.revision,
        "recommendation": json.dumps(i.recommendation),
        "hack_suspected": i.hack_suspected,
        "hack_confirmed": i.hack_confirmed,
        "hack_answered_by": i.hack_answered_by,
        "decision": i.decision.value if i.decision else None,
        "decided_by": i.decided_by,
        "evidence_hash": i.evidence_hash,
        "post_deleted": i.post_deleted,
        "checklist": json.dumps(
            [
                {
                    "key": c.key,
                    "label": c.label,
                    "done_by": c.done_by,
                    "done_at": _opt_ts(c.done_at),
                }
                for c in i.checklist
            ]
        ),
        "apology": json.dumps(i.apology.__dict__) if i.apology else None,
        "escalated_to": i.escalated_to,
        "failure": i.failure,
        "resolved_at": _opt_ts(i.resolved_at),
        "next_update_due": _opt_ts(i.next_update_due),
        "reported_severity": i.reported_severity.value if i.reported_severity else None,
        "report_note": i.report_note,
    }


def incident_from_item(d: Item) -> Incident:
    post = json.loads(d["post"])
    roles = json.loads(d["roles"])
    apology = json.loads(d["apology"]) if d.get("apology") else None
    return Incident(
        id=d["id"],
        account_id=d["account_id"],
        post=PostSnapshot(
            network_post_id=post["network_post_id"],
            url=post["url"],
            text=post["text"],
            author_id=post.get("author_id") or "",
            source_app=post.get("source_app"),
            created_at=parse_ts(post.get("created_at")),
            links=tuple(post.get("links") or ()),
        ),
        trigger=Trigger(d["trigger"]),
        severity=Severity(d["severity"]),
        status=IncidentStatus(d["status"]),
        roles=Roles(roles["commander"], tuple(roles["approvers"]), roles.get("spokesperson")),
        opened_at=parse_ts(d["opened_at"]),  # type: ignore[arg-type]
        opened_by=d["opened_by"],
        revision=d["revision"],
        recommendation=json.loads(d.get("recommendation") or "{}"),
        hack_suspected=d.get("hack_suspected", False),
        hack_confirmed=d.get("hack_confirmed"),
        hack_answered_by=d.get("hack_answered_by"),
        decision=Decision(d["decision"]) if d.get("decision") else None,
        decided_by=d.get("decided_by"),
        evidence_hash=d.get("evidence_hash"),
        post_deleted=d.get("post_deleted", False),
        checklist=tuple(
            ChecklistItem(c["key"], c["label"], c.get("done_by"), parse_ts(c.get("done_at")))
            for c in json.loads(d.get("checklist") or "[]")
        ),
        # Unknown keys (written by a newer release) are dropped, so a rollback still reads.
        apology=Apology(**{k: v for k, v in apology.items() if k in _APOLOGY_FIELDS})
        if apology
        else None,
        escalated_to=d.get("escalated_to"),
        failure=d.get("failure"),
        resolved_at=parse_ts(d.get("resolved_at")),
        next_update_due=parse_ts(d.get("next_update_due")),
        reported_severity=Severity(d["reported_severity"]) if d.get("reported_severity") else None,
        report_note=d.get("report_note"),
    )


def timeline_to_item(incident_id: str, e: TimelineEntry) -> Item:
    return {
        "pk": f"INCIDENT#{incident_id}",
        "sk": f"TL#{e.id}",
        "at": ts(e.at),
        "actor": e.actor,
        "channel": e.channel,
        "kind": e.kind,
        "message": e.message,
        "details": json.dumps(e.details, default=str),
    }


def timeline_from_item(d: Item) -> TimelineEntry:
    return TimelineEntry(
        id=d["sk"].removeprefix("TL#"),
        at=parse_ts(d["at"]),  # type: ignore[arg-type]
        actor=d["actor"],
        channel=d["channel"],
        kind=d["kind"],
        message=d["message"],
        details=json.loads(d["details"]),
    )


class DynamoIncidents:
    def __init__(self, store: DynamoStore) -> None:
        self._store = store
        self._db = store._db
        self._table = store._table

    def _timeline_puts(self, incident_id: str, entries: Sequence[TimelineEntry]) -> list[Item]:
        return self._store.new_item_puts([timeline_to_item(incident_id, e) for e in entries])

    def create(self, incident: Incident, timeline: Sequence[TimelineEntry]) -> None:
        from botocore.exceptions import ClientError

        marker_key = f"INCIDENTPOST#{incident.account_id}#{incident.post.network_post_id}"
        # The marker (one incident per post) and the incident are both new items.
        marker = {"pk": marker_key, "sk": "MARKER", "incident_id": incident.id}
        items = [
            *self._store.new_item_puts([marker, incident_to_item(incident)]),
            *self._timeline_puts(incident.id, timeline),
        ]
        try:
            self._db.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            existing = self.incident_for_post(incident.account_id, incident.post.network_post_id)
            raise IncidentExists(existing or "unknown") from None

    def incident_for_post(self, account_id: str, network_post_id: str) -> str | None:
        item = self._store._get(f"INCIDENTPOST#{account_id}#{network_post_id}", "MARKER")
        return item["incident_id"] if item else None

    def save(
        self, incident: Incident, expected_revision: int, timeline: Sequence[TimelineEntry]
    ) -> Incident:
        stored = replace(incident, revision=expected_revision + 1)
        put = {
            "Put": {
                "TableName": self._table,
                "Item": to_item(incident_to_item(stored)),
                "ConditionExpression": "revision = :r",
                "ExpressionAttributeValues": {":r": {"N": str(expected_revision)}},
            }
        }
        self._store._transact(
            [put, *self._timeline_puts(incident.id, timeline)],
            f"incident {incident.id} changed meanwhile; reload and try again",
        )
        return stored

    def append_timeline(self, incident_id: str, entries: Sequence[TimelineEntry]) -> None:
        if entries:
            self._store._transact(self._timeline_puts(incident_id, entries), "timeline id clash")

    def get(self, incident_id: str) -> Incident | None:
        from chalicelib.core.memo import memoised

        def load() -> Incident | None:
            item = self._store._get(f"INCIDENT#{incident_id}", "INCIDENT")
            return incident_from_item(item) if item else None

        # A page view reads it once however many use cases ask (never kept across views).
        return memoised(("incident", self._table, incident_id), load)

    def of_account(
        self, account_id: str, statuses: Collection[IncidentStatus] | None = None
    ) -> list[Incident]:
        """The account's incidents, oldest first; only those in ``statuses`` when given
        (filtered by DynamoDB: the reminders and the mention side ask every minute, for
        every account, for the few that are open)."""
        if statuses is None:
            items = self._store._query_gsi1(f"INCIDENTS#{account_id}")
        else:
            wanted = {f":st{i}": {"S": s.value} for i, s in enumerate(sorted(statuses))}
            items = self._store._query_gsi1(
                f"INCIDENTS#{account_id}",
                values=wanted,
                FilterExpression=f"#st IN ({', '.join(wanted)})",
                ExpressionAttributeNames={"#st": "status"},
            )
        return [incident_from_item(d) for d in items]

    def timeline(self, incident_id: str) -> list[TimelineEntry]:
        items = self._store._query(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :tl)",
            ExpressionAttributeValues={
                ":pk": {"S": f"INCIDENT#{incident_id}"},
                ":tl": {"S": "TL#"},
            },
            ConsistentRead=True,
        )
        return [timeline_from_item(d) for d in items]

    # -- evidence: written once, never overwritten
    def put_evidence(
        self, incident_id: str, raw: dict[str, Any], digest: str, at: datetime
    ) -> bool:
        """True if stored now; False if evidence was already there (left untouched)."""
        from botocore.exceptions import ClientError

        try:
            self._db.put_item(
                TableName=self._table,
                Item=to_item(
                    {
                        "pk": f"INCIDENT#{incident_id}",
                        "sk": "EVIDENCE",
                        "raw": json.dumps(raw, sort_keys=True),
                        "sha256": digest,
                        "at": ts(at),
                    }
                ),
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def get_evidence(self, incident_id: str) -> dict[str, Any] | None:
        item = self._store._get(f"INCIDENT#{incident_id}", "EVIDENCE")
        if not item:
            return None
        return {"raw": json.loads(item["raw"]), "sha256": item["sha256"], "at": item["at"]}

    # -- the Step Functions task token of the step waiting for a person (server-side only)
    def set_callback(self, incident_id: str, step: str, token: str, seq: int) -> None:
        self._store._put(
            {
                "pk": f"INCIDENT#{incident_id}",
                "sk": "CALLBACK",
                "step": step,
                "token": token,
                "seq": seq,
            }
        )

    def get_callback(self, incident_id: str) -> dict[str, Any] | None:
        item = self._store._get(f"INCIDENT#{incident_id}", "CALLBACK")
        return {k: item[k] for k in ("step", "token", "seq")} if item else None

    def take_callback(self, incident_id: str, step: str) -> str | None:
        """Remove and return the token if ``step`` is waiting; None if someone took it first."""
        from botocore.exceptions import ClientError

        try:
            res = self._db.delete_item(
                TableName=self._table,
                Key={"pk": {"S": f"INCIDENT#{incident_id}"}, "sk": {"S": "CALLBACK"}},
                ConditionExpression="step = :s",
                ExpressionAttributeValues={":s": {"S": step}},
                ReturnValues="ALL_OLD",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return None
            raise
        return str(from_item(res["Attributes"])["token"])

    # -- watcher checkpoints
    def get_checkpoint(self, account_id: str) -> str | None:
        item = self._store._get(f"WATCH#{account_id}", "CHECKPOINT")
        return item["since_id"] if item else None

    def pause_watch(self, account_id: str, until: datetime) -> None:
        """X said 429: no timeline reads for this account before ``until``."""
        self._store._put({"pk": f"WATCH#{account_id}", "sk": "PAUSE", "until": ts(until)})

    def resume_watch(self, account_id: str) -> None:
        """The account was read again: forget the pause."""
        self._store._db.delete_item(
            TableName=self._store._table,
            Key={"pk": {"S": f"WATCH#{account_id}"}, "sk": {"S": "PAUSE"}},
        )

    def watch_paused_until(self, account_id: str) -> datetime | None:
        item = self._store._get(f"WATCH#{account_id}", "PAUSE", consistent=False)
        return parse_ts(item["until"]) if item else None

    def set_checkpoint(self, account_id: str, since_id: str) -> None:
        self._store._put({"pk": f"WATCH#{account_id}", "sk": "CHECKPOINT", "since_id": since_id})

    # -- the postmortem's notes (lessons, follow-ups): one revisioned item per incident
    def get_notes(self, incident_id: str) -> dict[str, Any] | None:
        item = self._store._get(f"INCIDENT#{incident_id}", "NOTES")
        return {**json.loads(item["doc"]), "revision": int(item["revision"])} if item else None

    def put_notes(self, incident_id: str, doc: dict[str, Any], revision: int) -> bool:
        """Store ``doc`` as revision ``revision`` + 1 if ``revision`` is what is stored
        (0: nothing yet); False if someone else wrote in between."""
        from botocore.exceptions import ClientError

        condition = "attribute_not_exists(pk)" if revision == 0 else "#revision = :revision"
        extra: dict[str, Any] = (
            {}
            if revision == 0
            else {
                "ExpressionAttributeNames": {"#revision": "revision"},
                "ExpressionAttributeValues": {":revision": {"N": str(revision)}},
            }
        )
        try:
            self._db.put_item(
                TableName=self._table,
                Item=to_item(
                    {
                        "pk": f"INCIDENT#{incident_id}",
                        "sk": "NOTES",
                        "doc": json.dumps(doc, sort_keys=True),
                        "revision": revision + 1,
                    }
                ),
                ConditionExpression=condition,
                **extra,
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True
