"""Mailed links on incidents: the delete-or-keep question, the security checklist and
the apology, each opened without effect and decided once."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from chalicelib.accounts.domain import Account
from chalicelib.core.audit import Actor, Channel
from chalicelib.core.errors import (
    LinkInvalid,
    LinkStale,
    LinkUnknown,
    VersionChanged,
)
from chalicelib.core.ids import retry_on_conflict
from chalicelib.core.users import User
from chalicelib.incidents.apology import ApologyDesk
from chalicelib.incidents.base import (
    IS,
    IncidentDeps,
    IncidentUseCases,
    _decision_round,
)
from chalicelib.incidents.domain import (
    Incident,
    report_line,
)
from chalicelib.incidents.service import IncidentService
from chalicelib.links.domain import (
    DecisionLink,
    hash_token,
    looks_like_token,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IncidentLinkView:
    link: DecisionLink
    incident: Incident
    account: Account
    person: User
    report: str = ""  # the reporter's severity and note, for an incident opened by hand


class IncidentLinks(IncidentUseCases):
    def __init__(
        self, deps: IncidentDeps, lifecycle: IncidentService, apology: ApologyDesk
    ) -> None:
        super().__init__(deps)
        self.lifecycle = lifecycle
        self.apology = apology

    def open_link(self, token: str) -> IncidentLinkView:
        if not looks_like_token(token):
            raise LinkUnknown("this link is not valid")
        link = self.store.get_link(hash_token(token))
        if link is None or link.subject_type not in ("incident", "apology"):
            raise LinkUnknown("this link is not valid")
        incident = self.incidents.get(link.subject_id)
        person = self.store.get_user(link.approver_id)
        account = self.store.get_account(link.account_id)
        if incident is None or person is None or account is None:
            raise LinkInvalid("this link is not valid any more")
        if link.subject_type == "incident":
            current = _decision_round(incident)
        else:
            current = (
                incident.apology.version
                if incident.apology
                and incident.status is IS.APOLOGISING
                and not incident.apology.approved_by
                and not incident.apology.rejected_by
                else -1
            )
        link.check_usable(now=self.clock.now(), current_version=current)
        reporter = self.store.get_user(incident.opened_by)
        report = report_line(incident, reporter.name if reporter else incident.opened_by)
        return IncidentLinkView(link, incident, account, person, report)

    def decide_by_link(
        self,
        token: str,
        *,
        action: str,
        subject_id: str,
        api_user: User | None,
        reason: str = "",
        hack: bool | None = None,
    ) -> Incident:
        """``hack``: the incident decision page's answer to "was this a hack?"."""
        view = self.open_link(token)
        view.link.check_action(
            action, subject_id=subject_id, actor_id=api_user.id if api_user else None
        )
        # Whatever the decision itself would refuse is refused before the link is spent.
        if view.link.subject_type == "incident":
            self._require_decider(view.incident, view.person)
        elif action == "approve":
            self.apology.require_own_words(
                view.incident, self.apology.approvable(view.incident, view.person)
            )
        else:
            self.apology.rejectable(view.incident, view.person, reason)
        self.store.burn_link(view.link.token_hash, self.clock.now(), action)
        actor = Actor.of(view.person, Channel.EMAIL)
        # The link is spent: a concurrent save of the incident (a playbook step, a status
        # update) must not make this person's decision vanish, so a lost race is retried
        # on the fresh incident, as post links do.
        # ... but only while it is what the person saw (the round, the apology's version).
        incident_id = view.incident.id
        seen = view.link.subject_version
        try:
            if view.link.subject_type == "incident":
                return retry_on_conflict(
                    lambda: self.lifecycle.decide(
                        actor, incident_id, action, hack=hack, seen_round=seen
                    )
                )
            if action == "approve":
                return retry_on_conflict(
                    lambda: self.apology.approve_apology(actor, incident_id, seen_version=seen)
                )
            return retry_on_conflict(
                lambda: self.apology.reject_apology(actor, incident_id, reason, seen_version=seen)
            )
        except VersionChanged as exc:
            raise LinkStale(f"{exc.message}. Nothing was decided") from None
