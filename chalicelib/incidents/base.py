"""What the incident use cases share: the playbook's settings, its actors, and
helpers to load, save and record an incident, mail a person once and issue a link."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from chalicelib.accounts.domain import Account
from chalicelib.core.audit import Actor, Channel
from chalicelib.core.errors import (
    AlreadyDecided,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from chalicelib.core.ids import sortable_id
from chalicelib.core.users import Role, User
from chalicelib.incidents.domain import (
    INCIDENT_TRANSITIONS,
    Incident,
    IncidentAction,
    IncidentStatus,
    TimelineEntry,
)
from chalicelib.links.domain import (
    DecisionLink,
)
from chalicelib.networks.social import (
    NetworkUnavailable,
)
from chalicelib.ports import Incidents, MailFailed, StateMachine
from chalicelib.services import Firebreak

logger = logging.getLogger(__name__)

SYSTEM = Actor("playbook", Channel.SYSTEM)
INCIDENT_FREEZE_PREFIX = "incident "
# How an incident's apology is recorded among the posts Firebreak published.
APOLOGY_PREFIX = "apology "
WATCHER = Actor("watcher", Channel.SCHEDULER)
_STATUS_ID = re.compile(r"(?:^|/status(?:es)?/)(\d{1,25})(?:[/?#]|$)")
_MASTODON_STATUS = re.compile(r"^https?://[^/\s]+/@[^/\s]+/(\d{1,25})(?:[/?#]|$)")
_BLUESKY_POST = re.compile(
    r"^(?:https://bsky\.app/profile/[^/\s]+/post/|at://[^/\s]+/app\.bsky\.feed\.post/)"
    r"([2-7a-z]{13})(?:[/?#]|$)"
)

IS, IA = IncidentStatus, IncidentAction
_FAILABLE = {key for key in INCIDENT_TRANSITIONS if key[1] is IA.FAIL}


class DeleteNotVerified(NetworkUnavailable):
    """X said deleted, but the post still reads back: retried by the state machine."""


@dataclass(frozen=True)
class PlaybookConfig:
    public_base_url: str
    link_ttl: timedelta = timedelta(hours=72)
    decision_timeout_s: int = 30 * 60
    escalated_decision_timeout_s: int = 30 * 60
    checklist_timeout_s: int = 24 * 3600
    apology_timeout_s: int = 4 * 3600
    resolution_timeout_s: int = 14 * 24 * 3600

    def execution_config(self) -> dict[str, int]:
        return {
            "decision_timeout_s": self.decision_timeout_s,
            "escalated_decision_timeout_s": self.escalated_decision_timeout_s,
            "checklist_timeout_s": self.checklist_timeout_s,
            "apology_timeout_s": self.apology_timeout_s,
            "resolution_timeout_s": self.resolution_timeout_s,
        }


def parse_post_ref(ref: str) -> str:
    """A post id from an id or a post's address on its network: an x.com / twitter.com
    status URL, a Mastodon status URL (``https://host/@user/<id>``), or a Bluesky post
    (``https://bsky.app/profile/<handle>/post/<rkey>`` or its ``at://`` URI, whose
    record key is read as Firebreak's id for it)."""
    ref = ref.strip()
    match = _STATUS_ID.search(ref) or _MASTODON_STATUS.search(ref)
    if match:
        return match.group(1)
    bluesky = _BLUESKY_POST.search(ref)
    if bluesky:
        from chalicelib.networks.bluesky_text import tid_to_id

        try:
            return tid_to_id(bluesky.group(1))
        except ValueError:
            pass
    raise ValidationFailed(
        "must be a post id or the post's URL (X, Mastodon or Bluesky)", field="post"
    )


def _decision_round(incident: Incident) -> int:
    """Which delete-or-keep question is open: 1 asked of the commander and approvers,
    2 of the escalated senior (the version a decision link is bound to)."""
    return {IS.AWAITING_DECISION: 1, IS.ESCALATED: 2}.get(incident.status, -1)


@dataclass
class IncidentDeps:
    """What every incident use case runs over: the pipeline's services, the incident
    store, the state machine, the content scorer and the playbook's settings."""

    service: Firebreak
    incidents: Incidents
    machine: StateMachine
    scorer: Callable[[], Any]
    config: PlaybookConfig


class IncidentUseCases:
    def __init__(self, deps: IncidentDeps) -> None:
        self.deps = deps
        self.service = deps.service
        self.store = deps.service.store
        self.incidents = deps.incidents
        self.machine = deps.machine
        self._scorer = deps.scorer

    @property
    def config(self) -> PlaybookConfig:
        return self.deps.config

    @property
    def clock(self) -> Any:
        return self.service.clock

    def _entry(self, actor: Actor, kind: str, message: str, **details: Any) -> TimelineEntry:
        now = self.clock.now()
        return TimelineEntry(
            id=sortable_id(now),
            at=now,
            actor=actor.id,
            channel=actor.channel.value,
            kind=kind,
            message=message,
            details={k: v for k, v in details.items() if v is not None},
        )

    def _load(self, incident_id: str) -> Incident:
        incident = self.incidents.get(incident_id)
        if incident is None:
            raise NotFound(f"no incident {incident_id}", field="incident_id")
        return incident

    def _save(self, before: Incident, after: Incident, *entries: TimelineEntry) -> Incident:
        return self.incidents.save(after, before.revision, list(entries))

    def _account(self, incident: Incident) -> Account:
        account = self.store.get_account(incident.account_id)
        if account is None:
            raise NotFound(f"no account {incident.account_id}")
        return account

    def for_user(self, user: User, incident_id: str) -> Incident:
        incident = self.incidents.get(incident_id)
        if incident is None:
            raise NotFound(f"no incident {incident_id}", field="incident_id")
        self.service.accounts.account_for(user, incident.account_id)  # same 404 for "not yours"
        return incident

    def _seniors(self, account: Account) -> list[User]:
        people = self.store.users_of_brand(account.brand_id)
        rank = {Role.BRAND_OWNER: 0, Role.ADMIN: 1}  # the order seniors are asked in
        seniors = [
            u for u in people if u.role in rank and u.sees_account(account.id, account.brand_id)
        ]
        return sorted(seniors, key=lambda u: (rank[u.role], u.id))

    def _mail(self, key: str, to: User, subject: str, text: str, html: str) -> None:
        """Once per key, whatever retries happen (Lambda, Step Functions, people)."""
        if not self.store.claim_once(key, self.clock.now()):
            return
        try:
            self.service.mailer.send(to=to.email, subject=subject, text=text, html=html)
        except MailFailed:
            self.store.release_once(key)
            raise

    def _link(
        self, incident: Incident, person: User, kind: str, version: int, actions: tuple[str, ...]
    ) -> str:
        token, link = DecisionLink.issue(
            approver_id=person.id,
            subject_type=kind,
            subject_id=incident.id,
            subject_version=version,
            account_id=incident.account_id,
            actions=actions,
            now=self.clock.now(),
            ttl=self.config.link_ttl,
        )
        self.store.put_link(link)
        return f"{self.config.public_base_url.rstrip('/')}/links/{token}"

    def _resume(self, incident: Incident, step: str, output: dict[str, Any]) -> None:
        token = self.incidents.take_callback(incident.id, step)
        if token is None:
            raise AlreadyDecided(f"nothing is waiting for {step} any more")
        self.machine.resume(token, output)

    def may_decide(self, incident: Incident, user: User) -> bool:
        deciders = {incident.roles.commander, *incident.roles.approvers}
        if incident.escalated_to:
            deciders.add(incident.escalated_to)
        return user.id in deciders or user.role is Role.ADMIN

    def _require_decider(self, incident: Incident, user: User) -> None:
        if not self.may_decide(incident, user):
            raise Forbidden("only the commander, the incident's approvers or an admin decide")
