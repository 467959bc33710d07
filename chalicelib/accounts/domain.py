"""A brand's social account and the rules it carries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.accounts.policy import Policy
from chalicelib.posts.approvals import ApprovalRules


@dataclass(frozen=True)
class Account:
    id: str
    brand_id: str
    name: str
    network: str  # "x"
    handle: str
    timezone: str  # IANA name, e.g. "Europe/Berlin"
    policy: Policy = field(default_factory=Policy)
    approval_rules: ApprovalRules = field(default_factory=ApprovalRules)
    feed_secret_hash: str | None = None
    rate_limited_until: datetime | None = None
    languages: tuple[str, ...] = ("en",)  # what the account writes in (hack indicator)
    usual_source_apps: tuple[str, ...] = ("Firebreak",)
    # The brand's own web domains: a link imitating one is an obvious hack sign.
    brand_domains: tuple[str, ...] = ()

    def to_public(self) -> dict[str, object]:
        return {
            "id": self.id,
            "brand_id": self.brand_id,
            "name": self.name,
            "network": self.network,
            "handle": self.handle,
            "timezone": self.timezone,
            "policy": self.policy.to_dict(),
            "approval_rules": self.approval_rules.to_dict(),
            "languages": list(self.languages),
            "usual_source_apps": list(self.usual_source_apps),
            "brand_domains": list(self.brand_domains),
            "rate_limited_until": (
                self.rate_limited_until.isoformat() if self.rate_limited_until else None
            ),
        }
