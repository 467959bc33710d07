"""Who may do what: roles, users and the account scope of agency staff (X3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from chalicelib.core.errors import Forbidden


class Role(StrEnum):
    AUTHOR = "author"
    APPROVER = "approver"
    BRAND_OWNER = "brand_owner"
    ADMIN = "admin"
    AGENCY = "agency"


class Permission(StrEnum):
    READ = "read"
    DRAFT = "draft"
    APPROVE = "approve"
    MANAGE_ACCOUNT = "manage_account"
    FREEZE = "freeze"


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.AUTHOR: frozenset({Permission.READ, Permission.DRAFT}),
    Role.AGENCY: frozenset({Permission.READ, Permission.DRAFT}),
    Role.APPROVER: frozenset({Permission.READ, Permission.APPROVE}),
    Role.BRAND_OWNER: frozenset(
        {
            Permission.READ,
            Permission.DRAFT,
            Permission.APPROVE,
            Permission.MANAGE_ACCOUNT,
            Permission.FREEZE,
        }
    ),
    Role.ADMIN: frozenset(Permission),
}

APPROVING_ROLES = frozenset({Role.APPROVER, Role.BRAND_OWNER, Role.ADMIN})
# Who manages accounts, edits anyone's posts, commands incidents and approves apologies.
SENIOR_ROLES = frozenset({Role.BRAND_OWNER, Role.ADMIN})


@dataclass(frozen=True)
class User:
    """A person with one role. Brand staff see every account of their brand;
    agency staff only the accounts listed in ``account_ids``."""

    id: str
    name: str
    email: str
    role: Role
    brand_id: str
    agency_id: str | None = None
    account_ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_agency(self) -> bool:
        return self.role is Role.AGENCY

    def can(self, permission: Permission) -> bool:
        return permission in _GRANTS[self.role]

    def sees_account(self, account_id: str, account_brand_id: str) -> bool:
        if account_brand_id != self.brand_id:
            return False
        if self.is_agency:
            return account_id in self.account_ids
        return True

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise Forbidden(f"role {self.role.value} may not {permission.value}")
