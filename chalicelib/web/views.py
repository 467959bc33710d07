"""What several pages show the same way: people by name, accounts by id, and the
things waiting for a person (the home page and the navigation counts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from chalicelib.core.users import APPROVING_ROLES

if TYPE_CHECKING:
    from chalicelib.accounts.domain import Account
    from chalicelib.core.users import User
    from chalicelib.posts.domain import Post

ACTIVE_INCIDENT = frozenset(
    {
        "open",
        "assessing",
        "awaiting_decision",
        "containing",
        "apologising",
        "monitoring",
        "escalated",
    }
)


@dataclass
class Directory:
    """The signed-in person's brand: accounts they see and everyone's names."""

    accounts: dict[str, Account]
    names: dict[str, str] = field(default_factory=dict)

    def name(self, user_id: str | None) -> str:
        if not user_id:
            return "—"
        return self.names.get(user_id, "Firebreak" if user_id == "firebreak" else user_id)

    def zone(self, account_id: str) -> str:
        account = self.accounts.get(account_id)
        return account.timezone if account else "UTC"


def directory(user: User) -> Directory:
    from chalicelib.wiring import get_service

    service = get_service()
    accounts = {a.id: a for a in service.accounts.list_accounts(user)}
    names = {u.id: u.name for u in service.store.users_of_brand(user.brand_id)}
    return Directory(accounts, names)


def awaiting_my_approval(user: User, posts: list[Post]) -> list[Post]:
    """Submitted posts this person may approve and has not (four eyes: not their own)."""
    if user.role not in APPROVING_ROLES:
        return []
    return [
        p
        for p in posts
        if p.status.value == "submitted"
        and p.author_id != user.id
        and p.edited_by != user.id
        and all(a.user_id != user.id for a in p.current_approvals())
    ]


def home(user: User) -> dict[str, Any]:
    """Everything that needs this person now."""
    from chalicelib.posts.domain import PostStatus
    from chalicelib.wiring import get_mentions, get_playbook, get_service

    service = get_service()
    found = directory(user)
    # The accounts are the ones ``directory`` scoped to this person: their posts are
    # read directly rather than asking the calendar to list the accounts again.
    waiting = frozenset({PostStatus.SUBMITTED, PostStatus.HELD})
    submitted = [
        p
        for account_id in found.accounts
        for p in service.store.posts_of_account(account_id, statuses=waiting)
    ]
    incidents = [
        i
        for account_id in found.accounts
        for i in get_playbook().incidents.of_account(account_id)
        if i.status.value in ACTIVE_INCIDENT
    ]
    mine = [
        (account_id, entry)
        for account_id in found.accounts
        for entry in get_mentions().engagement.queue(user, account_id, state="assigned", limit=200)
        if entry.get("assignee") == user.id
    ]
    return {
        "directory": found,
        "to_approve": awaiting_my_approval(user, submitted),
        "held": [p for p in submitted if p.status.value == "held"],
        "incidents": sorted(incidents, key=lambda i: i.opened_at, reverse=True),
        "assigned": mine,
        "freezes": service.freezes.list_freezes(user, visible=set(found.accounts)),
        "now": service.clock.now(),
    }
