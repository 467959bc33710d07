"""What each automated step of the playbook's state machine does (C2-C6, R1): the
state machine (``infra/playbook.asl.json``) only orchestrates and calls ``run_step``;
where a step waits for a person it hands over a task token, which stays server-side."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import replace
from html import escape
from typing import Any

from chalicelib.core.errors import (
    IllegalTransition,
    ValidationFailed,
)
from chalicelib.core.observe import count, seconds, tag
from chalicelib.core.users import Role
from chalicelib.incidents.apology import ApologyDesk
from chalicelib.incidents.assessment import PostFacts, habits_for, recommend_delete_or_keep
from chalicelib.incidents.base import (
    _FAILABLE,
    IA,
    INCIDENT_FREEZE_PREFIX,
    IS,
    SYSTEM,
    DeleteNotVerified,
    IncidentDeps,
    IncidentUseCases,
)
from chalicelib.incidents.domain import (
    ChecklistItem,
    Incident,
    evidence_hash,
    hack_answer_label,
    report_line,
    security_checklist,
    severity_after_assessment,
    severity_for,
    severity_reason,
)
from chalicelib.networks.social import (
    NetworkUnavailable,
    PostNotFound,
    RateLimited,
)

logger = logging.getLogger(__name__)


class PlaybookSteps(IncidentUseCases):
    def __init__(self, deps: IncidentDeps, apology: ApologyDesk) -> None:
        super().__init__(deps)
        self.apology = apology

    def run_step(self, event: dict[str, Any]) -> dict[str, Any] | None:
        step = event.get("step")
        handler = getattr(self, f"step_{step}", None) or getattr(self.apology, f"step_{step}", None)
        if handler is None:
            raise ValidationFailed(f"unknown playbook step {step!r}", field="step")
        incident = self._load(str(event["incident_id"]))
        tag(account_id=incident.account_id)
        if event.get("task_token"):
            result = handler(incident, event["task_token"])
        elif step == "record_failure":
            result = self.step_record_failure(incident, event.get("failure") or {})
        else:
            result = handler(incident)
        logger.info("playbook step %s done", step)
        return result

    def step_evidence(self, incident: Incident) -> dict[str, Any]:
        """C2: raw post JSON, public metrics and a content hash, before anything deletes it."""
        account = self._account(incident)
        try:
            remote = self.service.social.client_for(account).get_post(incident.post.network_post_id)
            raw = dict(remote.raw) or {"id": remote.id, "text": remote.text}
            raw.setdefault("public_metrics", remote.public_metrics)
        except PostNotFound:
            # Already gone from X: archive what we saw when the incident opened.
            raw = {"id": incident.post.network_post_id, "text": incident.post.text, "gone": True}
        digest = evidence_hash(raw)
        if self.incidents.put_evidence(incident.id, raw, digest, self.clock.now()):
            self._save(
                incident,
                replace(incident, evidence_hash=digest),
                self._entry(
                    SYSTEM,
                    "evidence_archived",
                    "raw post, metrics and hash archived",
                    sha256=digest,
                ),
            )
        return {"sha256": digest}

    def step_freeze(self, incident: Incident) -> dict[str, Any]:
        """C3: no scheduled post goes out while the incident is handled."""
        freeze = self.service.freezes.freeze_for_incident(
            incident.account_id, self._freeze_reason(incident), SYSTEM
        )
        after = incident.move(IA.ASSESS) if incident.status is IS.OPEN else incident
        self._save(
            incident,
            after,
            self._entry(SYSTEM, "frozen", f"scheduled publishing frozen ({freeze.reason})"),
        )
        if incident.status is IS.OPEN:  # a retried step does not count twice
            seconds("TimeToFreeze", (self.clock.now() - incident.opened_at).total_seconds())
        return {"frozen": True}

    @staticmethod
    def _freeze_reason(incident: Incident) -> str:
        return f"{INCIDENT_FREEZE_PREFIX}{incident.id}"

    def step_assess(self, incident: Incident) -> dict[str, Any]:
        """C4: delete or keep, with reasons, by Firebreak's line (domain code)."""
        account = self._account(incident)
        triage = self._scorer().score(incident.post.text)
        facts = PostFacts(
            text=incident.post.text,
            published_by_firebreak=self.store.published_by_firebreak(
                account.id, incident.post.network_post_id
            ),
            source_app=incident.post.source_app,
            posted_at=incident.post.created_at,
            links=incident.post.links,
        )
        habits = habits_for(account)
        result = recommend_delete_or_keep(facts, habits, triage, triage.severe_terms)
        assessed = severity_for(result.recommendation, result.hack_suspected, triage.flagged)
        severity, change = severity_after_assessment(
            incident.reported_severity,
            assessed,
            severity_reason(result.recommendation, result.hack_suspected, triage.flagged),
        )
        recommendation = {
            "recommendation": result.recommendation,
            "hack_suspected": result.hack_suspected,
            "reasons": list(result.reasons),
            "flags": triage.flagged,
        }
        self._save(
            incident,
            replace(
                incident,
                recommendation=recommendation,
                hack_suspected=result.hack_suspected,
                severity=severity,
            ),
            self._entry(
                SYSTEM,
                "assessed",
                f"recommend {result.recommendation}"
                + (" (hack suspected)" if result.hack_suspected else "")
                + (f"; {change}" if change else ""),
                reasons=list(result.reasons),
                severity=severity.value,
            ),
        )
        return {"recommendation": result.recommendation, "hack_suspected": result.hack_suspected}

    def step_request_decision(self, incident: Incident, token: str) -> dict[str, Any]:
        """C5: ask by safe link (and API); the state machine waits with a timeout."""
        account = self._account(incident)
        if incident.status is IS.ASSESSING:
            after, seq = incident.move(IA.ASK_DECISION), 1
            people = [self.store.get_user(incident.roles.commander)] + [
                self.store.get_user(uid) for uid in incident.roles.approvers
            ]
        elif incident.status is IS.ESCALATED and incident.escalated_to:
            after, seq = incident, 2
            people = [self.store.get_user(incident.escalated_to)]
        else:
            raise IllegalTransition(f"incident is {incident.status.value}: no decision to ask for")
        self.incidents.set_callback(incident.id, "decision", token, seq)
        rec = incident.recommendation
        for person in [p for p in people if p is not None]:
            url = self._link(incident, person, "incident", seq, ("delete", "keep"))
            reasons = "\n".join(f"- {r}" for r in rec.get("reasons", []))
            reporter = self.store.get_user(incident.opened_by)
            report = report_line(incident, reporter.name if reporter else incident.opened_by)
            question = (
                "Firebreak suspects a hack. Was it one? Answer on the page: only a hack you "
                "confirm is called one in public."
                if incident.hack_suspected
                else "Was this a hack? Answer on the page if you know."
            )
            self._mail(
                f"decision-mail#{incident.id}#{seq}#{person.id}",
                person,
                f"[{incident.severity.value}] Delete or keep? Incident on {account.handle}",
                (f"{report}\n\n" if report else "")
                + f"Post: {incident.post.text}\n{incident.post.url}\n\nFirebreak recommends: "
                f"{rec.get('recommendation')}\n{reasons}\n\n{question}\nDecide here: {url}\n",
                f"<p>Incident {incident.id} on {escape(account.handle)}</p>"
                + (f"<p>{escape(report)}</p>" if report else "")
                + f"<p><b>Post:</b></p><blockquote>{escape(incident.post.text)}</blockquote>"
                f"<p>Firebreak recommends: <b>{escape(str(rec.get('recommendation')))}</b></p>"
                "<ul>" + "".join(f"<li>{escape(r)}</li>" for r in rec.get("reasons", [])) + "</ul>"
                f"<p>{escape(question)}</p>"
                f'<p><a href="{escape(url)}">Decide: delete or keep</a></p>',
            )
        self._save(
            incident,
            after,
            self._entry(
                SYSTEM,
                "decision_requested",
                "decision asked of " + ", ".join(p.id for p in people if p is not None),
                round=seq,
            ),
        )
        return {"asked": [p.id for p in people if p is not None]}

    def step_escalate(self, incident: Incident) -> dict[str, Any]:
        """The decision timed out: the next senior is asked (C5)."""
        self.incidents.take_callback(incident.id, "decision")  # the old wait is over
        account = self._account(incident)
        asked = {incident.roles.commander, *incident.roles.approvers}
        seniors = self._seniors(account)
        admins = [u for u in seniors if u.role is Role.ADMIN]
        target = next((u for u in admins if u.id not in asked), None) or (admins or seniors)[0]
        self._save(
            incident,
            incident.move(IA.ESCALATE, escalated_to=target.id),
            self._entry(SYSTEM, "escalated", f"no decision in time: escalated to {target.id}"),
        )
        return {"escalated_to": target.id}

    def step_delete_post(self, incident: Incident) -> dict[str, Any]:
        """C6: delete through X and read it back to verify."""
        account = self._account(incident)
        client = self.service.social.client_for(account)
        post_id = incident.post.network_post_id
        # Already gone (a retry, or someone deleted it by hand) is fine: verified below.
        with contextlib.suppress(PostNotFound):
            client.delete(post_id)
        try:
            client.get_post(post_id)
        except PostNotFound:
            self._save(
                incident,
                replace(incident, post_deleted=True),
                self._entry(SYSTEM, "post_deleted", f"post {post_id} deleted and verified gone"),
            )
            seconds("TimeToDeletion", (self.clock.now() - incident.opened_at).total_seconds())
            return {"deleted": True}
        except RateLimited as exc:
            raise NetworkUnavailable(f"cannot verify the deletion yet: {exc}") from None
        raise DeleteNotVerified(f"post {post_id} still reads back after delete")

    def step_keep_post(self, incident: Incident) -> dict[str, Any]:
        self.incidents.append_timeline(
            incident.id, [self._entry(SYSTEM, "post_kept", "post kept: we own it and apologise")]
        )
        return {"deleted": False}

    def step_request_checklist(self, incident: Incident, token: str) -> dict[str, Any]:
        """C6 for hacks: each security item confirmed by a person."""
        account = self.store.get_account(incident.account_id)
        checklist = incident.checklist or tuple(
            ChecklistItem(k, label)
            for k, label in security_checklist(account.network if account else "x")
        )
        self.incidents.set_callback(incident.id, "checklist", token, 1)
        commander = self.store.get_user(incident.roles.commander)
        if commander:
            items = "\n".join(
                f"- {c.label} (POST /incidents/{incident.id}/checklist/{c.key})" for c in checklist
            )
            why = (
                f"{incident.hack_answered_by} confirmed the account was hacked."
                if incident.hack_confirmed
                else "Firebreak suspects a hack that nobody has confirmed: secure the account "
                "anyway before anything else goes out from it."
            )
            self._mail(
                f"checklist-mail#{incident.id}",
                commander,
                f"Secure the account now: incident {incident.id}",
                f"{why} Confirm each item when done:\n{items}\n",
                f"<p>{escape(why)} Confirm each item when done:</p><ul>"
                + "".join(f"<li>{escape(c.label)}</li>" for c in checklist)
                + "</ul>",
            )
        self._save(
            incident,
            replace(incident, checklist=checklist),
            self._entry(
                SYSTEM,
                "checklist_requested",
                "security checklist started"
                + (" (hack confirmed)" if incident.hack_confirmed else " (hack suspected)"),
                items=[c.key for c in checklist],
                hack=hack_answer_label(incident.hack_confirmed),
            ),
        )
        return {"items": [c.key for c in checklist]}

    def step_request_resolution(self, incident: Incident, token: str) -> dict[str, Any]:
        self.incidents.set_callback(incident.id, "resolution", token, 1)
        self.incidents.append_timeline(
            incident.id,
            [
                self._entry(
                    SYSTEM, "monitoring", "monitoring: status-update reminders until resolved"
                )
            ],
        )
        return {"monitoring": True}

    def step_resolve(self, incident: Incident) -> dict[str, Any]:
        others = [
            i
            for i in self.incidents.of_account(incident.account_id)
            if i.id != incident.id and i.status not in (IS.RESOLVED, IS.CLOSED)
        ]
        # The freeze protects the account while *any* incident on it is open; a failed
        # one counts until a person resolves it.
        lifted = not others and self.service.freezes.lift_incident_freeze(
            incident.account_id, INCIDENT_FREEZE_PREFIX, SYSTEM
        )
        self.incidents.append_timeline(
            incident.id,
            [
                self._entry(
                    SYSTEM,
                    "freeze_lifted" if lifted else "freeze_kept",
                    "publishing freeze lifted; held posts need approval again"
                    if lifted
                    else "freeze stays: another incident is open or it was set by a person",
                )
            ],
        )
        return {"freeze_lifted": lifted}

    def step_record_failure(self, incident: Incident, failure: dict[str, Any]) -> dict[str, Any]:
        """Every failure lands on the timeline and in the commander's mail."""
        error = str(failure.get("Error", "Error"))
        cause = str(failure.get("Cause", ""))[:1000]
        count("PlaybookFailures")
        logger.error("playbook failed at %s", error)
        callback = self.incidents.get_callback(incident.id)
        if callback:  # the execution is ending: nothing waits on that token any more
            self.incidents.take_callback(incident.id, callback["step"])
        after = (
            incident.move(IA.FAIL, failure=f"{error}: {cause}")
            if (incident.status, IA.FAIL) in _FAILABLE
            else incident
        )
        stored = self._save(
            incident,
            after,
            self._entry(SYSTEM, "playbook_failed", f"playbook step failed: {error}", cause=cause),
        )
        commander = self.store.get_user(incident.roles.commander)
        if commander:
            self._mail(
                f"failure-mail#{incident.id}#{stored.revision}",
                commander,
                f"Playbook needs you: incident {incident.id} failed at {error}",
                f"{error}: {cause}\n\nThe timeline has the details. Resolve it by hand when done.",
                f"<p><b>{escape(error)}</b>: {escape(cause)}</p>"
                "<p>The timeline has the details.</p>",
            )
        return {"recorded": error}
