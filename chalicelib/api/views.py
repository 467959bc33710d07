"""Domain objects as the JSON the API returns."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.posts import Post


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
