"""Reply templates of an account, per language, with ``{placeholders}`` (M4)."""

from __future__ import annotations

from typing import Any

from chalicelib.core.errors import NotFound
from chalicelib.core.users import Permission, User
from chalicelib.mentions.base import MentionDeps, MentionUseCases
from chalicelib.mentions.engage import ReplyTemplate


class ReplyTemplates(MentionUseCases):
    def __init__(self, deps: MentionDeps) -> None:
        super().__init__(deps)
        self.queue_store = deps.engagement

    def templates(self, user: User, account_id: str) -> list[dict[str, Any]]:
        self.service.accounts.account_for(user, account_id)
        return [t.to_dict() for t in self.queue_store.templates(account_id)]

    def put_template(
        self, user: User, account_id: str, template_id: str, lang: str, name: str, text: str
    ) -> dict[str, Any]:
        self.service.accounts.account_for(user, account_id)
        user.require(Permission.MANAGE_ACCOUNT)
        template = ReplyTemplate(template_id, account_id, lang, name, text)
        self.queue_store.put_template(template)
        return template.to_dict()

    def delete_template(self, user: User, account_id: str, template_id: str) -> None:
        self.service.accounts.account_for(user, account_id)
        user.require(Permission.MANAGE_ACCOUNT)
        if not self.queue_store.delete_template(account_id, template_id):
            raise NotFound(f"no template {template_id}", field="template_id")
