"""Domain objects as the JSON the API returns."""

from __future__ import annotations

from typing import Any

from chalicelib.posts.domain import Post


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def post_view(post: Post) -> dict[str, Any]:
    return {
        "id": post.id,
        "account_id": post.account_id,
        "network": post.network,
        "text": post.text,
        "links": list(post.links),
        "author_id": post.author_id,
        "author_is_agency": post.author_is_agency,
        "edited_by": post.edited_by,
        "status": post.status.value,
        "version": post.version,
        "scheduled_at": _iso(post.scheduled_at),
        "created_at": _iso(post.created_at),
        "updated_at": _iso(post.updated_at),
        "approvals": [
            {"user_id": a.user_id, "role": a.role, "at": _iso(a.at), "channel": a.channel}
            for a in post.current_approvals()
        ],
        "rejection_reason": post.rejection_reason,
        "network_post_id": post.network_post_id,
        "published_at": _iso(post.published_at),
        "attempts": post.attempts,
        "next_attempt_at": _iso(post.next_attempt_at),
        "failure_reason": post.failure_reason,
        "check": post.check,
    }


def incident_view(incident: Any) -> dict[str, Any]:
    apology = incident.apology
    return {
        "id": incident.id,
        "account_id": incident.account_id,
        "status": incident.status.value,
        "severity": incident.severity.value,
        "trigger": incident.trigger.value,
        "post": {
            "network_post_id": incident.post.network_post_id,
            "url": incident.post.url,
            "text": incident.post.text,
            "source_app": incident.post.source_app,
            "created_at": _iso(incident.post.created_at),
        },
        "roles": incident.roles.to_dict(),
        "opened_at": _iso(incident.opened_at),
        "opened_by": incident.opened_by,
        "recommendation": incident.recommendation,
        "hack_suspected": incident.hack_suspected,
        "hack_confirmed": incident.hack_confirmed,
        "hack_answered_by": incident.hack_answered_by,
        "decision": incident.decision.value if incident.decision else None,
        "decided_by": incident.decided_by,
        "evidence_sha256": incident.evidence_hash,
        "post_deleted": incident.post_deleted,
        "checklist": [
            {"key": c.key, "label": c.label, "done_by": c.done_by, "done_at": _iso(c.done_at)}
            for c in incident.checklist
        ],
        "apology": (
            {
                "text": apology.text,
                "template": apology.template,
                "voice": apology.voice,
                "author": apology.author,
                "version": apology.version,
                "approved_by": apology.approved_by,
                "network_post_id": apology.network_post_id,
                "mode": apology.mode,
                "rejected_by": apology.rejected_by,
                "rejection_reason": apology.rejection_reason,
            }
            if apology
            else None
        ),
        "escalated_to": incident.escalated_to,
        "failure": incident.failure,
        "resolved_at": _iso(incident.resolved_at),
        "next_update_due": _iso(incident.next_update_due),
        "reported_severity": (
            incident.reported_severity.value if incident.reported_severity else None
        ),
        "report_note": incident.report_note,
    }
