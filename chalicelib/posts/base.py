"""What the post use cases share: an audit entry about a post."""

from __future__ import annotations

from typing import Any

from chalicelib.core.audit import Actor, AuditEntry
from chalicelib.core.usecases import UseCases
from chalicelib.posts.domain import Post


class PostUseCases(UseCases):
    def _post_audit(self, actor: Actor, action: str, post: Post, **details: Any) -> AuditEntry:
        return self._audit(
            actor,
            action,
            subject_type="post",
            subject_id=post.id,
            account_id=post.account_id,
            status=post.status.value,
            version=post.version,
            **details,
        )
