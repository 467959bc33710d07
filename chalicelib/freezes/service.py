"""Use cases of publishing freezes (C3, P9): start, list and lift (two admins), and
the playbook's own freeze for an incident.

A freeze belongs to one brand: an account's freeze to the account's brand, and "all"
means every account of the caller's own brand. Nobody outside the brand can set, see
or lift either; "not yours" is the same 404 as "not there"."""

from __future__ import annotations

import logging

from chalicelib.accounts.domain import Account
from chalicelib.accounts.service import AccountService
from chalicelib.core.audit import Actor
from chalicelib.core.errors import (
    Conflict,
    Forbidden,
    FreezeLiftPending,
    NotFound,
)
from chalicelib.core.usecases import Deps, UseCases
from chalicelib.core.users import Permission, Role, User
from chalicelib.freezes.domain import GLOBAL_SCOPE, PublishingFreeze
from chalicelib.posts.notify import PostMail

logger = logging.getLogger(__name__)


class FreezeService(UseCases):
    def __init__(self, deps: Deps, accounts: AccountService, mail: PostMail) -> None:
        super().__init__(deps)
        self.accounts = accounts
        self.mail = mail

    # A freeze belongs to one brand: an account's freeze to the account's brand, and
    # "all" means every account of the caller's own brand. Nobody outside the brand can
    # set, see or lift either; "not yours" is the same 404 as "not there".
    def freeze(self, user: User, scope: str, reason: str) -> PublishingFreeze:
        user.require(Permission.FREEZE)
        if scope != GLOBAL_SCOPE:
            self.accounts.account_for(user, scope)
        elif user.role is not Role.ADMIN:
            raise Forbidden("only an admin may freeze every account")
        existing = self.store.get_freeze(user.brand_id, scope)
        if existing is not None:
            return existing  # freezing twice is harmless: keep the first reason
        freeze = PublishingFreeze.start(scope, user.brand_id, reason, user, self.clock.now())
        self.store.put_freeze(
            freeze,
            [
                self._audit(
                    Actor.of(user),
                    "freeze.started",
                    subject_type="freeze",
                    subject_id=scope,
                    account_id=scope,
                    reason=freeze.reason,
                )
            ],
        )
        self._tell_started(freeze, user.name, skip=user.id)
        return freeze

    def _scope_name(self, brand_id: str, scope: str) -> tuple[str, str]:
        """The scope as people read it, and the zone to give times in."""
        if scope == GLOBAL_SCOPE:
            return f"every account of {brand_id}", "UTC"
        account = self.store.get_account(scope)
        return (account.name, account.timezone) if account else (scope, "UTC")

    def _tell_started(self, freeze: PublishingFreeze, by: str, skip: str | None = None) -> None:
        from chalicelib.core.times import human_time
        from chalicelib.posts.mails import freeze_started

        name, zone = self._scope_name(freeze.brand_id, freeze.scope)
        mail = freeze_started(
            name,
            by,
            freeze.reason,
            human_time(freeze.frozen_at, zone),
            self.config.public_base_url.rstrip("/"),
        )
        account_id = None if freeze.is_brand_wide else freeze.scope
        self.mail.notify_seniors(
            self.mail.seniors_of(freeze.brand_id, account_id),
            f"freeze-mail#{freeze.brand_id}#{freeze.scope}#{freeze.frozen_at.isoformat()}",
            mail,
            skip=skip,
        )

    def list_freezes(self, user: User, visible: set[str] | None = None) -> list[PublishingFreeze]:
        """The freezes ``user`` may see: their brand's "all" and their accounts'
        (``visible``: the ids of ``list_accounts(user)``, when the caller has them)."""
        if visible is None:
            visible = {a.id for a in self.accounts.list_accounts(user)}
        return [
            f
            for f in self.store.list_freezes()
            if (f.brand_id == user.brand_id if f.is_brand_wide else f.scope in visible)
        ]

    def lift_freeze(self, user: User, scope: str) -> PublishingFreeze | None:
        """First admin: records the request (raises ``FreezeLiftPending``).
        A second, different admin: lifts it and returns None."""
        if scope != GLOBAL_SCOPE:
            # Before reading the freeze: another brand's account is a 404 whether it is
            # frozen or not.
            self.accounts.account_for(user, scope)
        freeze = self.store.get_freeze(user.brand_id, scope)
        if freeze is None:
            raise NotFound(f"no freeze on {scope}", field="scope")
        now = self.clock.now()
        audit_args = {"subject_type": "freeze", "subject_id": scope, "account_id": scope}
        if freeze.can_be_lifted_by(user):
            self.store.delete_freeze(
                freeze,
                [
                    self._audit(
                        Actor.of(user),
                        "freeze.lifted",
                        requested_by=freeze.lift_requested_by,
                        **audit_args,
                    )
                ],
            )
            return None
        if freeze.lift_requested_by == user.id:
            raise FreezeLiftPending("waiting for a second, different admin to confirm the lift")
        requested = freeze.request_lift(user, now)
        self.store.update_freeze(
            requested, freeze, [self._audit(Actor.of(user), "freeze.lift_requested", **audit_args)]
        )
        self._tell_lift_waiting(requested, user)
        raise FreezeLiftPending("lift requested: a second, different admin must confirm")

    def _tell_lift_waiting(self, freeze: PublishingFreeze, by: User) -> None:
        from chalicelib.posts.mails import lift_waiting

        name, _ = self._scope_name(freeze.brand_id, freeze.scope)
        admins = [
            u
            for u in self.mail.seniors_of(
                freeze.brand_id, None if freeze.is_brand_wide else freeze.scope
            )
            if u.role is Role.ADMIN
        ]
        self.mail.notify_seniors(
            admins,
            f"lift-mail#{freeze.brand_id}#{freeze.scope}#{freeze.frozen_at.isoformat()}#{by.id}",
            lift_waiting(name, by.name, self.config.public_base_url.rstrip("/")),
            skip=by.id,
        )

    def _brand_of(self, account_id: str) -> str:
        account = self.store.get_account(account_id)
        if account is None:
            raise NotFound(f"no account {account_id}", field="account_id")
        return account.brand_id

    def freeze_for_incident(self, account_id: str, reason: str, actor: Actor) -> PublishingFreeze:
        """C3: the playbook freezes at once, no role check; an existing freeze stays as is."""
        brand_id = self._brand_of(account_id)
        existing = self.store.get_freeze(brand_id, account_id)
        if existing is not None:
            return existing
        freeze = PublishingFreeze(account_id, brand_id, reason, actor.id, self.clock.now())
        try:
            self.store.put_freeze(
                freeze,
                [
                    self._audit(
                        actor,
                        "freeze.started",
                        subject_type="freeze",
                        subject_id=account_id,
                        account_id=account_id,
                        reason=reason,
                    )
                ],
            )
        except Conflict:
            # a concurrent freeze won
            return self.store.get_freeze(brand_id, account_id) or freeze
        self._tell_started(freeze, "Firebreak's incident playbook")
        return freeze

    def lift_incident_freeze(self, account_id: str, reason_prefix: str, actor: Actor) -> bool:
        """Lift the freeze the playbook set (by ``actor``, with a reason that starts with
        ``reason_prefix``) when the last incident is resolved. A freeze someone set by
        hand stays, whatever its reason says: lifting that one still takes two admins.
        Held posts stay held and need approval again (P9)."""
        freeze = self.store.get_freeze(self._brand_of(account_id), account_id)
        if (
            freeze is None
            or freeze.frozen_by != actor.id
            or not freeze.reason.startswith(reason_prefix)
        ):
            return False
        try:
            self.store.delete_freeze(
                freeze,
                [
                    self._audit(
                        actor,
                        "freeze.lifted",
                        subject_type="freeze",
                        subject_id=account_id,
                        account_id=account_id,
                        reason=freeze.reason,
                    )
                ],
            )
        except Conflict:
            return False
        return True

    def active_freeze(self, account: Account) -> PublishingFreeze | None:
        """What stops ``account`` publishing: its own brand's "all" freeze, or its own."""
        return self.store.get_freeze(account.brand_id, GLOBAL_SCOPE) or self.store.get_freeze(
            account.brand_id, account.id
        )
