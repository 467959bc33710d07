"""Publishing freezes per account or for all of one brand's accounts (P9). Lifting takes
two admins."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.core.errors import Forbidden, ValidationFailed
from chalicelib.core.users import Role, User

# Every account of one brand, never of the whole deployment: each brand has its own.
GLOBAL_SCOPE = "all"


@dataclass(frozen=True)
class PublishingFreeze:
    scope: str  # an account id, or GLOBAL_SCOPE for every account of ``brand_id``
    brand_id: str
    reason: str
    frozen_by: str
    frozen_at: datetime
    lift_requested_by: str | None = None
    lift_requested_at: datetime | None = None

    @property
    def is_brand_wide(self) -> bool:
        return self.scope == GLOBAL_SCOPE

    @staticmethod
    def start(scope: str, brand_id: str, reason: str, by: User, now: datetime) -> PublishingFreeze:
        if not reason.strip():
            raise ValidationFailed("a freeze needs a reason", field="reason")
        return PublishingFreeze(scope, brand_id, reason.strip(), by.id, now)

    def request_lift(self, admin: User, now: datetime) -> PublishingFreeze:
        _require_admin(admin)
        return replace(self, lift_requested_by=admin.id, lift_requested_at=now)

    def can_be_lifted_by(self, admin: User) -> bool:
        """True when ``admin`` is the second, different admin to ask."""
        _require_admin(admin)
        return self.lift_requested_by is not None and self.lift_requested_by != admin.id

    def to_dict(self) -> dict[str, object]:
        return {
            "scope": self.scope,
            "reason": self.reason,
            "frozen_by": self.frozen_by,
            "frozen_at": self.frozen_at.isoformat(),
            "lift_requested_by": self.lift_requested_by,
            "lift_requested_at": (
                self.lift_requested_at.isoformat() if self.lift_requested_at else None
            ),
        }


def _require_admin(user: User) -> None:
    if user.role is not Role.ADMIN:
        raise Forbidden("only an admin may lift a freeze")
