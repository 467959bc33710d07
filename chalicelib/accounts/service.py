"""Use cases of accounts (P2, P4, P10): who is calling, which accounts they see, the
publishing policy and approval rules of an account or an agency, the audit log."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from chalicelib.accounts.domain import Account
from chalicelib.accounts.policy import Policy
from chalicelib.core.audit import Actor, AuditEntry
from chalicelib.core.errors import (
    Forbidden,
    NotFound,
    Unauthenticated,
)
from chalicelib.core.usecases import UseCases
from chalicelib.core.users import SENIOR_ROLES, Permission, User
from chalicelib.freezes.domain import GLOBAL_SCOPE
from chalicelib.links.domain import (
    hash_token,
)
from chalicelib.posts.approvals import ApprovalRules

logger = logging.getLogger(__name__)

# Agency rule changes belong to no account: logged under this scope (GET /audit).
AGENCY_AUDIT_SCOPE = "*"


class AccountService(UseCases):
    def authenticate(self, api_key: str | None) -> User:
        if not api_key:
            raise Unauthenticated("send your API key in the X-Api-Key header")
        user = self.store.user_for_key(hash_token(api_key))
        if user is None:
            raise Unauthenticated("unknown API key")
        return user

    def account_for(self, user: User, account_id: str) -> Account:
        account = self.store.get_account(account_id)
        if account is None or not user.sees_account(account.id, account.brand_id):
            # Same answer for "missing" and "not yours": no probing of other brands.
            raise NotFound(f"no account {account_id}", field="account_id")
        return account

    def list_accounts(self, user: User) -> list[Account]:
        return [
            a
            for a in self.store.accounts_of_brand(user.brand_id)
            if user.sees_account(a.id, a.brand_id)
        ]

    def change_account(
        self, user: User, account_id: str, action: str, details: dict[str, Any], **changes: Any
    ) -> Account:
        user.require(Permission.MANAGE_ACCOUNT)
        account = self.account_for(user, account_id)
        updated = replace(account, **changes)
        self.store.update_account_settings(updated)
        self.store.append_audit(
            [
                self._audit(
                    Actor.of(user),
                    action,
                    subject_type="account",
                    subject_id=account.id,
                    account_id=account.id,
                    **details,
                )
            ]
        )
        return updated

    def set_policy(self, user: User, account_id: str, policy: Policy) -> Account:
        return self.change_account(
            user, account_id, "account.policy_changed", {"policy": policy.to_dict()}, policy=policy
        )

    def set_approval_rules(self, user: User, account_id: str, rules: ApprovalRules) -> Account:
        return self.change_account(
            user,
            account_id,
            "account.approval_rules_changed",
            {"rules": rules.to_dict()},
            approval_rules=rules,
        )

    def set_agency_policy(self, user: User, agency_id: str, policy: Policy) -> None:
        user.require(Permission.MANAGE_ACCOUNT)
        if user.is_agency:
            raise Forbidden("an agency cannot set its own rules")
        self._require_agency(user, agency_id)
        self.store.put_agency_policy(user.brand_id, agency_id, policy)
        self.store.append_audit(
            [
                self._audit(
                    Actor.of(user),
                    "agency.policy_changed",
                    subject_type="agency",
                    subject_id=agency_id,
                    account_id=AGENCY_AUDIT_SCOPE,
                    policy=policy.to_dict(),
                )
            ]
        )

    def get_agency_policy(self, user: User, agency_id: str) -> Policy:
        if user.is_agency and user.agency_id != agency_id:
            raise NotFound(f"no agency {agency_id}", field="agency_id")
        self._require_agency(user, agency_id)
        return self.store.get_agency_policy(user.brand_id, agency_id) or Policy()

    def _require_agency(self, user: User, agency_id: str) -> None:
        """An agency exists for a brand when people of the brand work for it (or its
        rules were set before they joined); any other id is a 404, never created."""
        if self.store.get_agency_policy(user.brand_id, agency_id) is not None:
            return
        if any(u.agency_id == agency_id for u in self.store.users_of_brand(user.brand_id)):
            return
        raise NotFound(f"no agency {agency_id}", field="agency_id")

    def audit_of_account(
        self, user: User, account_id: str, *, latest: int | None = None, before: str = ""
    ) -> list[AuditEntry]:
        """The account's audit trail, oldest first; or with ``latest``, at most that many
        entries older than the id ``before``, newest first (a page of the audit log)."""
        account = self.account_for(user, account_id)
        if latest is not None:
            return self.store.latest_audit_of_account(account.id, latest, before or None)
        return self.store.audit_of_account(account.id)

    def audit_of_brand(
        self, user: User, *, latest: int | None = None, before: str = ""
    ) -> list[AuditEntry]:
        """What is logged against no single account (P10): agency rules changed, and
        freezes of every account started, requested lifted and lifted. Brand owners and
        admins only; entries by people of other brands are left out."""
        if user.role not in SENIOR_ROLES:
            raise Forbidden("the brand-wide audit log is for brand owners and admins")
        people = {u.id for u in self.store.users_of_brand(user.brand_id)}
        if latest is not None:
            # Scopes hold every brand's entries: read on until ``latest`` are this brand's.
            found = [
                e
                for scope in (AGENCY_AUDIT_SCOPE, GLOBAL_SCOPE)
                for e in self._latest_of(scope, people, latest, before)
            ]
            return sorted(found, key=lambda e: e.id, reverse=True)[:latest]
        entries = [
            e
            for scope in (AGENCY_AUDIT_SCOPE, GLOBAL_SCOPE)
            for e in self.store.audit_of_account(scope)
            if e.actor in people
        ]
        return sorted(entries, key=lambda e: e.id)

    def _latest_of(
        self, scope: str, people: set[str], latest: int, before: str
    ) -> list[AuditEntry]:
        mine: list[AuditEntry] = []
        cursor = before or None
        while len(mine) < latest:
            batch = self.store.latest_audit_of_account(scope, latest * 4, cursor)
            mine += [e for e in batch if e.actor in people]
            if len(batch) < latest * 4:
                break
            cursor = batch[-1].id
        return mine[:latest]
