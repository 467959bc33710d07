"""Use cases of an incident that people drive (C1, C4-C7, R1-R2): open one, decide
delete or keep, confirm the security checklist, post updates, assign roles, resolve,
close, and the postmortem."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import replace
from typing import Any

from chalicelib.core.audit import Actor
from chalicelib.core.errors import (
    AlreadyDecided,
    Conflict,
    Forbidden,
    IllegalTransition,
    IncidentExists,
    NotFound,
    ValidationFailed,
    VersionChanged,
)
from chalicelib.core.ids import new_id
from chalicelib.core.observe import count, seconds, tag
from chalicelib.core.users import APPROVING_ROLES, SENIOR_ROLES, Role, User
from chalicelib.incidents.base import (
    IA,
    IS,
    SYSTEM,
    IncidentDeps,
    IncidentUseCases,
    _decision_round,
    parse_post_ref,
)
from chalicelib.incidents.domain import (
    UPDATE_CADENCE,
    Decision,
    Incident,
    PostSnapshot,
    Roles,
    Severity,
    Trigger,
    hack_answer_label,
    needs_security_checklist,
    postmortem,
)
from chalicelib.incidents.notes import PostmortemNotes, parse_notes
from chalicelib.incidents.steps import PlaybookSteps
from chalicelib.networks.social import (
    PostNotFound,
    RemotePost,
)

logger = logging.getLogger(__name__)


class IncidentService(IncidentUseCases):
    def __init__(self, deps: IncidentDeps, steps: PlaybookSteps) -> None:
        super().__init__(deps)
        self.steps = steps

    def open_incident(
        self,
        actor: Actor,
        account_id: str,
        post_ref: str,
        *,
        trigger: Trigger = Trigger.MANUAL,
        severity: Severity | None = None,
        note: str | None = None,
        remote: RemotePost | None = None,
    ) -> Incident:
        if actor.user is not None:
            account = self.service.accounts.account_for(actor.user, account_id)
        else:
            found = self.store.get_account(account_id)
            if found is None:
                raise NotFound(f"no account {account_id}", field="account_id")
            account = found
        post_id = parse_post_ref(post_ref)
        existing = self.incidents.incident_for_post(account.id, post_id)
        if existing:
            return self._existing(existing)  # one incident per post, never two
        if remote is None:
            client = self.service.social.client_for(account)
            try:
                remote = client.get_post(post_id)
            except PostNotFound:
                raise NotFound(f"post {post_id} is not on {account.handle}", field="post") from None
            if remote.author_id != client.own_id():
                # A stranger's reply pasted in a pile-on: freezing the account, asking to
                # delete what the brand cannot delete, or apologising in reply to it would
                # all be wrong. Firebreak handles the account's own posts.
                raise ValidationFailed(
                    f"post {post_id} is not by {account.handle}: an incident is opened on "
                    "the account's own posts",
                    field="post",
                )
        seniors = self._seniors(account)
        if not seniors:
            raise ValidationFailed(
                "the account has no brand owner or admin to decide", field="account_id"
            )
        # Anyone on the account may raise the alarm; only a senior commands (decides,
        # resolves, lifts the freeze).
        senior_ids = {u.id for u in seniors}
        commander = actor.user.id if actor.user and actor.user.id in senior_ids else seniors[0].id
        now = self.clock.now()
        incident = Incident(
            id=new_id("inc"),
            account_id=account.id,
            post=PostSnapshot(
                network_post_id=remote.id,
                url=remote.url or post_ref,
                text=remote.text,
                author_id=remote.author_id,
                source_app=remote.source_app,
                created_at=remote.created_at,
                links=tuple(
                    str(u.get("expanded_url") or u.get("url"))
                    for u in (remote.raw.get("entities") or {}).get("urls", [])
                ),
            ),
            trigger=trigger,
            severity=severity or Severity.MEDIUM,
            status=IS.OPEN,
            roles=Roles(commander, tuple(u.id for u in seniors if u.id != commander)),
            opened_at=now,
            opened_by=actor.id,
            reported_severity=severity,
            report_note=(note or "").strip() or None,
        )
        try:
            self.incidents.create(
                incident,
                [
                    self._entry(
                        actor,
                        "opened",
                        f"incident opened ({trigger.value}) for post {remote.id}",
                        url=incident.post.url,
                        note=note,
                    )
                ],
            )
        except IncidentExists as exc:
            return self._existing(exc.incident_id)
        count("IncidentsOpened", trigger=trigger.value)
        tag(incident_id=incident.id, account_id=account.id)
        logger.info("incident opened (%s) for post %s", trigger.value, remote.id)
        self.start_playbook(incident)
        return incident

    def _existing(self, incident_id: str) -> Incident:
        incident = self._load(incident_id)
        if incident.status is IS.OPEN:
            # Stored, but its playbook may never have started (StartExecution throttled
            # or the Lambda cut off right after the write): the next report of the same
            # post (the watcher's next tick, a person's retry) starts it. Safe to repeat:
            # the execution is named by the incident id, so a second start is refused.
            self.start_playbook(incident)
        return incident

    def start_playbook(self, incident: Incident) -> None:
        started = self.machine.start(
            incident.id,
            {"incident_id": incident.id, "config": self.config.execution_config()},
        )
        if started:
            self.incidents.append_timeline(
                incident.id, [self._entry(SYSTEM, "playbook_started", "playbook started")]
            )

    def decide(
        self,
        actor: Actor,
        incident_id: str,
        decision: str,
        *,
        hack: bool | None = None,
        seen_round: int | None = None,
    ) -> Incident:
        """Delete or keep, and the answer to "was this a hack?" (``hack``: True confirms,
        False rejects, None leaves it open). The answer, not Firebreak's suspicion,
        chooses the security checklist and the hack apology."""
        assert actor.user is not None
        incident = self.for_user(actor.user, incident_id)
        self._require_decider(incident, actor.user)
        try:
            choice = Decision(decision)
        except ValueError:
            raise ValidationFailed("must be delete or keep", field="decision") from None
        if incident.status not in (IS.AWAITING_DECISION, IS.ESCALATED):
            raise AlreadyDecided(f"incident is {incident.status.value}: nothing to decide")
        current_round = _decision_round(incident)
        if seen_round is not None and current_round != seen_round:
            raise VersionChanged(
                f"the incident moved on after you saw it: it was escalated to "
                f"{incident.escalated_to}, who decides now",
                field="round",
            )
        callback = self.incidents.get_callback(incident.id)
        token = self.incidents.take_callback(incident.id, "decision")
        if token is None or callback is None:
            raise AlreadyDecided("the decision was already taken")
        answer = hack_answer_label(hack)
        said = {"confirmed": "; hack confirmed", "rejected": "; no hack"}.get(answer, "")
        if not said and incident.hack_suspected:
            said = "; hack suspected, not confirmed"
        try:
            stored = self._save(
                incident,
                incident.move(
                    IA.DECIDE,
                    decision=choice,
                    decided_by=actor.id,
                    hack_confirmed=hack,
                    hack_answered_by=actor.id if hack is not None else None,
                ),
                self._entry(
                    actor,
                    "decided",
                    f"decided to {choice.value}{said}",
                    recommendation=incident.recommendation.get("recommendation"),
                    hack_suspected=incident.hack_suspected,
                    hack=answer,
                ),
            )
        except Conflict:
            # Someone changed the incident meanwhile: put the token back so the decision
            # can be taken again, rather than lose it.
            self.incidents.set_callback(incident.id, "decision", token, callback["seq"])
            raise
        seconds("TimeToDecision", (self.clock.now() - incident.opened_at).total_seconds())
        logger.info("decided to %s (hack: %s)", choice.value, answer)
        self.machine.resume(
            token,
            {
                "decision": choice.value,
                "by": actor.id,
                "hack": answer,
                "hack_answered_by": stored.hack_answered_by,
                "security_checklist": needs_security_checklist(
                    stored.hack_suspected, stored.hack_confirmed
                ),
            },
        )
        return stored

    def confirm_checklist_item(self, actor: Actor, incident_id: str, key: str) -> Incident:
        assert actor.user is not None
        incident = self.for_user(actor.user, incident_id)
        if not self.may_decide(incident, actor.user):
            raise Forbidden(
                "only the commander, the incident's approvers or an admin confirm items"
            )
        items = {c.key: c for c in incident.checklist}
        if key not in items:
            raise NotFound(f"no checklist item {key}", field="item")
        if items[key].done_at is not None:
            return incident
        now = self.clock.now()
        checklist = tuple(
            replace(c, done_by=actor.id, done_at=now) if c.key == key else c
            for c in incident.checklist
        )
        stored = self._save(
            incident,
            replace(incident, checklist=checklist),
            self._entry(actor, "checklist_item", f"done: {items[key].label}", item=key),
        )
        if stored.checklist_done():
            # A concurrent confirmation may have resumed it already.
            with contextlib.suppress(AlreadyDecided):
                self._resume(stored, "checklist", {"checklist": "done"})
        return stored

    def post_update(self, actor: Actor, incident_id: str, message: str) -> Incident:
        assert actor.user is not None
        incident = self.for_user(actor.user, incident_id)
        if not message.strip():
            raise ValidationFailed("must not be empty", field="message")
        if not incident.is_open:
            raise IllegalTransition(f"incident is {incident.status.value}: no more status updates")
        return self._save(
            incident,
            replace(incident, next_update_due=self.clock.now() + UPDATE_CADENCE[incident.severity]),
            self._entry(actor, "status_update", message.strip()),
        )

    def resolve(self, actor: Actor, incident_id: str) -> Incident:
        assert actor.user is not None
        incident = self.for_user(actor.user, incident_id)
        if actor.user.id != incident.roles.commander and actor.user.role is not Role.ADMIN:
            raise Forbidden("only the commander or an admin resolves an incident")
        stored = self._save(
            incident,
            incident.move(IA.RESOLVE, resolved_at=self.clock.now(), next_update_due=None),
            self._entry(actor, "resolved", "incident resolved"),
        )
        callback = self.incidents.get_callback(incident.id)
        if callback and callback["step"] == "resolution":
            self._resume(stored, "resolution", {"resolved_by": actor.id})
        else:
            # The playbook is not (or no longer) waiting in Monitor: it failed, or a wait
            # timed out. Drop any stale token and lift the freeze here.
            if callback:
                self.incidents.take_callback(incident.id, callback["step"])
            self.steps.step_resolve(stored)
        return stored

    def close(self, actor: Actor, incident_id: str) -> Incident:
        assert actor.user is not None
        incident = self.for_user(actor.user, incident_id)
        if actor.user.id != incident.roles.commander and actor.user.role is not Role.ADMIN:
            raise Forbidden("only the commander or an admin closes an incident")
        return self._save(
            incident, incident.move(IA.CLOSE), self._entry(actor, "closed", "incident closed")
        )

    def assign_roles(
        self,
        actor: Actor,
        incident_id: str,
        *,
        commander: str | None,
        approvers: list[str] | None,
        spokesperson: str | None,
    ) -> Incident:
        assert actor.user is not None
        incident = self.for_user(actor.user, incident_id)
        if actor.user.role not in SENIOR_ROLES and actor.user.id != incident.roles.commander:
            raise Forbidden("only the commander, a brand owner or an admin assign roles")
        account = self._account(incident)
        for uid, name in [(commander, "commander"), (spokesperson, "spokesperson")] + [
            (a, "approvers") for a in approvers or []
        ]:
            if uid is None:
                continue
            person = self.store.get_user(uid)
            if person is None or not person.sees_account(account.id, account.brand_id):
                raise ValidationFailed(f"no such person on this account: {uid}", field=name)
            if name != "spokesperson" and person.role not in APPROVING_ROLES:
                raise ValidationFailed(
                    f"{uid} cannot decide (role {person.role.value})", field=name
                )
        roles = Roles(
            commander or incident.roles.commander,
            tuple(approvers) if approvers is not None else incident.roles.approvers,
            spokesperson or incident.roles.spokesperson,
        )
        return self._save(
            incident,
            replace(incident, roles=roles),
            self._entry(actor, "roles_assigned", "roles assigned", **roles.to_dict()),
        )

    def postmortem(self, user: User, incident_id: str) -> dict[str, Any]:
        incident = self.for_user(user, incident_id)
        report = postmortem(incident, self.incidents.timeline(incident.id))
        report["notes"] = self._notes(incident.id).to_dict()
        return report

    def _notes(self, incident_id: str) -> PostmortemNotes:
        raw = self.incidents.get_notes(incident_id)
        return PostmortemNotes.from_dict(raw) if raw else PostmortemNotes()

    def postmortem_notes(self, user: User, incident_id: str) -> PostmortemNotes:
        return self._notes(self.for_user(user, incident_id).id)

    def edit_postmortem_notes(
        self, actor: Actor, incident_id: str, body: Any, seen_revision: int | None = None
    ) -> PostmortemNotes:
        """The team's own words in the postmortem: summary, cause, lessons, follow-ups
        with owners. The commander, brand owners and admins write them; ``seen_revision``
        refuses a save over someone else's (``VersionChanged``)."""
        assert actor.user is not None
        incident = self.for_user(actor.user, incident_id)
        if actor.user.id != incident.roles.commander and actor.user.role not in SENIOR_ROLES:
            raise Forbidden("only the commander, a brand owner or an admin edits the postmortem")
        account = self._account(incident)
        notes = parse_notes(body, {u.id for u in self.store.users_of_brand(account.brand_id)})
        current = self._notes(incident.id)
        if seen_revision is not None and seen_revision != current.revision:
            raise VersionChanged(
                f"the notes changed since you opened them (now revision {current.revision}): "
                "reload and edit again"
            )
        saved = replace(
            notes,
            edited_by=actor.id,
            edited_at=self.clock.now(),
            revision=current.revision + 1,
        )
        doc = {k: v for k, v in saved.to_dict().items() if k != "revision"}
        if not self.incidents.put_notes(incident.id, doc, current.revision):
            raise VersionChanged("someone else saved the notes at the same moment: reload")
        self.incidents.append_timeline(
            incident.id,
            [
                self._entry(
                    actor,
                    "postmortem_edited",
                    f"postmortem notes edited ({len(saved.lessons)} lessons, "
                    f"{len(saved.follow_ups)} follow-ups)",
                    revision=saved.revision,
                )
            ],
        )
        return saved
