"""The incident response playbook (C1-C7, R1-R2, M5-M6): what each step of the state
machine does, and what people do through the API and mailed links.

The state machine (``infra/playbook.asl.json``) only orchestrates: it calls ``run_step``
for each automated step and waits for a person where a step hands it a task token.
The token stays server-side; people get an opaque, single-use link instead.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from html import escape
from typing import Any

from chalicelib.accounts.domain import Account
from chalicelib.core.audit import Actor, Channel
from chalicelib.core.errors import (
    AlreadyDecided,
    Conflict,
    Forbidden,
    IllegalTransition,
    IncidentExists,
    LinkInvalid,
    LinkStale,
    LinkUnknown,
    NotFound,
    SelfApprovalForbidden,
    ValidationFailed,
    VersionChanged,
)
from chalicelib.core.ids import new_id, retry_on_conflict, sortable_id
from chalicelib.core.users import APPROVING_ROLES, SENIOR_ROLES, Role, User
from chalicelib.incidents.assessment import PostFacts, habits_for, recommend_delete_or_keep
from chalicelib.incidents.domain import (
    INCIDENT_TRANSITIONS,
    SECURITY_CHECKLIST,
    UPDATE_CADENCE,
    Apology,
    ChecklistItem,
    Decision,
    Incident,
    IncidentAction,
    IncidentStatus,
    PostSnapshot,
    Roles,
    Severity,
    TimelineEntry,
    Trigger,
    draft_apology,
    evidence_hash,
    hack_answer_label,
    needs_security_checklist,
    postmortem,
    severity_for,
    template_for,
)
from chalicelib.links.domain import (
    DecisionLink,
    hash_token,
    looks_like_token,
    require_reason,
    require_seen_version,
)
from chalicelib.networks.social import (
    NetworkUnavailable,
    PostNotFound,
    PostRejected,
    RateLimited,
    RemotePost,
)
from chalicelib.ports import Incidents, MailFailed, StateMachine
from chalicelib.services import Firebreak

logger = logging.getLogger(__name__)

SYSTEM = Actor("playbook", Channel.SYSTEM)
INCIDENT_FREEZE_PREFIX = "incident "
WATCHER = Actor("watcher", Channel.SCHEDULER)
_STATUS_ID = re.compile(r"(?:^|/status(?:es)?/)(\d{1,25})(?:[/?#]|$)")

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


@dataclass(frozen=True)
class IncidentLinkView:
    link: DecisionLink
    incident: Incident
    account: Account
    person: User


def parse_post_ref(ref: str) -> str:
    """A post id from an id or an x.com / twitter.com status URL."""
    match = _STATUS_ID.search(ref.strip())
    if not match:
        raise ValidationFailed("must be a post id or a status URL", field="post")
    return match.group(1)


def _decision_round(incident: Incident) -> int:
    """Which delete-or-keep question is open: 1 asked of the commander and approvers,
    2 of the escalated senior (the version a decision link is bound to)."""
    return {IS.AWAITING_DECISION: 1, IS.ESCALATED: 2}.get(incident.status, -1)


class Playbook:
    def __init__(
        self,
        *,
        service: Firebreak,
        incidents: Incidents,
        machine: StateMachine,
        scorer: Callable[[], Any],
        config: PlaybookConfig,
    ) -> None:
        self.service = service
        self.store = service.store
        self.incidents = incidents
        self.machine = machine
        self._scorer = scorer
        self.config = config

    # ------------------------------------------------------------------ helpers
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

    # ------------------------------------------------------------------ opening (C1)
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

    # ------------------------------------------------------------------ the steps
    def run_step(self, event: dict[str, Any]) -> dict[str, Any] | None:
        step = event.get("step")
        handler = getattr(self, f"step_{step}", None)
        if handler is None:
            raise ValidationFailed(f"unknown playbook step {step!r}", field="step")
        incident = self._load(str(event["incident_id"]))
        if event.get("task_token"):
            return handler(incident, event["task_token"])
        if step == "record_failure":
            return self.step_record_failure(incident, event.get("failure") or {})
        return handler(incident)

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
        severity = severity_for(result.recommendation, result.hack_suspected, triage.flagged)
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
                + (" (hack suspected)" if result.hack_suspected else ""),
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
                f"Post: {incident.post.text}\n{incident.post.url}\n\nFirebreak recommends: "
                f"{rec.get('recommendation')}\n{reasons}\n\n{question}\nDecide here: {url}\n",
                f"<p>Incident {incident.id} on {escape(account.handle)}</p>"
                f"<p><b>Post:</b></p><blockquote>{escape(incident.post.text)}</blockquote>"
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
        checklist = incident.checklist or tuple(
            ChecklistItem(k, label) for k, label in SECURITY_CHECKLIST
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

    def step_request_apology(self, incident: Incident, token: str) -> dict[str, Any]:
        """R1/R2: draft from a template in a senior's voice; a senior who is not its
        author approves it."""
        account = self._account(incident)
        what = self.store.published_as(account.id, incident.post.network_post_id) or ""
        source_post = (
            self.store.get_post(what.removeprefix("post ")) if what.startswith("post ") else None
        )
        author_is_agency = bool(source_post and source_post.author_is_agency)
        voice_id = incident.roles.spokesperson or incident.roles.commander
        voice = self.store.get_user(voice_id)
        template = template_for(incident.hack_confirmed, author_is_agency)
        apology = incident.apology or Apology(
            text=draft_apology(
                template,
                voice.name if voice else account.name,
                (incident.post.created_at or incident.opened_at).astimezone(UTC),
            ),
            template=template,
            voice=voice_id,
            author="system",
            mode="standalone" if incident.decision is Decision.DELETE else "reply",
        )
        after = (
            incident.move(IA.CONTAIN_DONE, apology=apology)
            if incident.status is IS.CONTAINING
            else replace(incident, apology=apology)
        )
        self.incidents.set_callback(incident.id, "apology", token, apology.version)
        stored = self._save(
            incident,
            after,
            self._entry(
                SYSTEM,
                "apology_drafted",
                f"apology drafted from the {template} template",
                text=apology.text,
            ),
        )
        self._ask_apology_approval(stored, account)
        return {"template": template}

    def _ask_apology_approval(self, incident: Incident, account: Account) -> None:
        from html import escape

        assert incident.apology is not None
        for person in self._seniors(account):
            if person.id == incident.apology.author:
                continue
            url = self._link(
                incident, person, "apology", incident.apology.version, ("approve", "reject")
            )
            self._mail(
                f"apology-mail#{incident.id}#v{incident.apology.version}#{person.id}",
                person,
                f"Approve the apology for {account.handle}?",
                f"{incident.apology.text}\n\nApprove or edit: {url}\n",
                f"<p>Incident {incident.id} on {escape(account.handle)}</p>"
                f"<blockquote>{escape(incident.apology.text)}</blockquote>"
                f'<p><a href="{escape(url)}">Approve or reject the apology</a></p>',
            )

    def step_publish_apology(self, incident: Incident) -> dict[str, Any]:
        """Publish the approved apology once: a reply when the post was kept, else standalone."""
        apology = incident.apology
        if apology is None or apology.approved_by is None:
            raise IllegalTransition("the apology is not approved")
        if apology.network_post_id:
            return {"network_post_id": apology.network_post_id}  # a retry after success
        account = self._account(incident)
        client = self.service.social.client_for(account)
        key = f"apology-publish#{incident.id}#v{apology.version}"
        # The claim is kept whatever happens: an attempt whose answer was lost (a
        # timeout) may have posted. Every later attempt looks on X first.
        remote = None
        if not self.store.claim_once(key, self.clock.now()):
            remote = self._own_apology_on_x(client, incident, apology)
        if remote is None:
            try:
                if apology.mode == "reply" and not incident.post_deleted:
                    remote = client.publish(apology.text, reply_to=incident.post.network_post_id)
                else:
                    remote = client.publish(apology.text)
            except PostRejected:
                # X refuses a text the account posted in the last day: a lost attempt
                # landed after we looked. Adopt it; anything else is a real refusal.
                remote = self._own_apology_on_x(client, incident, apology)
                if remote is None:
                    raise
        self.store.mark_published(account.id, remote.id, f"apology {incident.id}")
        now = self.clock.now()
        self._save(
            incident,
            incident.move(
                IA.APOLOGY_PUBLISHED,
                apology=replace(apology, network_post_id=remote.id),
                next_update_due=now + UPDATE_CADENCE[incident.severity],
            ),
            self._entry(
                SYSTEM,
                "apology_published",
                f"apology published as {apology.mode}",
                network_post_id=remote.id,
            ),
        )
        return {"network_post_id": remote.id}

    def _own_apology_on_x(
        self, client: Any, incident: Incident, apology: Apology
    ) -> RemotePost | None:
        """This incident's apology on the account's recent timeline, as X keeps it
        (links wrapped into t.co, & < > escaped), or None. A post with the same words
        that Firebreak recorded as something else (another incident's apology) is not
        it, nor, for a reply, a post that does not reply to this incident's post."""
        from chalicelib.networks.social import is_our_post

        ours = f"apology {incident.id}"
        replying = apology.mode == "reply" and not incident.post_deleted
        for post in client.timeline():
            if not is_our_post(post, apology.text):
                continue
            recorded = self.store.published_as(incident.account_id, post.id)
            if recorded and recorded != ours:
                continue
            if replying and not any(
                ref.get("type") == "replied_to" and ref.get("id") == incident.post.network_post_id
                for ref in post.raw.get("referenced_tweets") or ()
            ):
                continue
            found: RemotePost = post
            return found
        return None

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

    # ------------------------------------------------------------------ people
    def _resume(self, incident: Incident, step: str, output: dict[str, Any]) -> None:
        token = self.incidents.take_callback(incident.id, step)
        if token is None:
            raise AlreadyDecided(f"nothing is waiting for {step} any more")
        self.machine.resume(token, output)

    def _may_decide(self, incident: Incident, user: User) -> bool:
        deciders = {incident.roles.commander, *incident.roles.approvers}
        if incident.escalated_to:
            deciders.add(incident.escalated_to)
        return user.id in deciders or user.role is Role.ADMIN

    def _require_decider(self, incident: Incident, user: User) -> None:
        if not self._may_decide(incident, user):
            raise Forbidden("only the commander, the incident's approvers or an admin decide")

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
        if not self._may_decide(incident, actor.user):
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

    def edit_apology(self, actor: Actor, incident_id: str, text: str) -> Incident:
        assert actor.user is not None
        incident = self.for_user(actor.user, incident_id)
        if incident.status is not IS.APOLOGISING or incident.apology is None:
            raise IllegalTransition(f"incident is {incident.status.value}: no apology to edit")
        if incident.apology.approved_by:
            raise IllegalTransition("the apology is approved and being published")
        speakers = {incident.roles.spokesperson, incident.apology.voice}
        if not self._may_decide(incident, actor.user) and actor.user.id not in speakers:
            raise Forbidden("only the incident's commander, approvers or spokesperson edit it")
        if not text.strip():
            raise ValidationFailed("must not be empty", field="text")
        from chalicelib.core.normalise import text_problem

        problem = text_problem(text)
        if problem:
            raise ValidationFailed(problem, field="text")
        from chalicelib.posts.text import X_MAX_WEIGHTED_LENGTH, x_weighted_length

        if x_weighted_length(text) > X_MAX_WEIGHTED_LENGTH:
            raise ValidationFailed(
                "is longer than X allows (280 weighted characters)", field="text"
            )
        apology = replace(
            incident.apology,
            text=text.strip(),
            author=actor.id,
            version=incident.apology.version + 1,
            approved_by=None,
            rejected_by=None,
            rejection_reason=None,
        )
        stored = self._save(
            incident,
            replace(incident, apology=apology),
            self._entry(
                actor, "apology_edited", "apology edited: needs approval again", text=apology.text
            ),
        )
        self._ask_apology_approval(stored, self._account(stored))
        return stored

    def approve_apology(
        self, actor: Actor, incident_id: str, *, seen_version: int | None = None
    ) -> Incident:
        """``seen_version``: the apology version the approver read (a link's, or the
        API's ``?version=``); an edit since refuses the approval."""
        assert actor.user is not None
        incident = self.for_user(actor.user, incident_id)
        apology = self._approvable(incident, actor.user)
        require_seen_version("apology", seen_version, apology.version, apology.text)
        self._require_own_words(incident, apology)
        stored = self._save(
            incident,
            replace(incident, apology=replace(apology, approved_by=actor.id)),
            self._entry(actor, "apology_approved", "apology approved", version=apology.version),
        )
        self._resume(stored, "apology", {"apology": "approved", "by": actor.id})
        return stored

    def reject_apology(
        self, actor: Actor, incident_id: str, reason: str, *, seen_version: int | None = None
    ) -> Incident:
        """A senior sends this version back with a reason: it cannot be approved until
        someone edits it, and the people who may edit it are told why (once each)."""
        assert actor.user is not None
        incident = self.for_user(actor.user, incident_id)
        apology = self._rejectable(incident, actor.user, reason)
        require_seen_version("apology", seen_version, apology.version, apology.text)
        rejected = replace(apology, rejected_by=actor.id, rejection_reason=reason.strip())
        stored = self._save(
            incident,
            replace(incident, apology=rejected),
            self._entry(
                actor,
                "apology_rejected",
                "apology sent back for editing",
                version=apology.version,
                reason=rejected.rejection_reason,
            ),
        )
        self._tell_apology_editors(stored, actor.user)
        return stored

    @staticmethod
    def _approvable(incident: Incident, user: User) -> Apology:
        apology = incident.apology
        if incident.status is not IS.APOLOGISING or apology is None:
            raise IllegalTransition(f"incident is {incident.status.value}: no apology to approve")
        if user.role not in SENIOR_ROLES:
            raise Forbidden("an apology is approved by a brand owner or an admin")
        if user.id == apology.author:
            raise SelfApprovalForbidden("the apology's author cannot approve it")
        if apology.rejected_by:
            raise IllegalTransition("the apology was sent back for editing: edit it first")
        return apology

    def _require_own_words(self, incident: Incident, apology: Apology) -> None:
        """X refuses a text the account already posted: an apology word for word like
        another incident's published one (two posts of one moment, one template) is
        refused before approval, so that a person makes it this incident's own."""
        from chalicelib.networks.social import same_text

        for other in self.incidents.of_account(incident.account_id):
            theirs = other.apology
            if other.id == incident.id or theirs is None or not theirs.network_post_id:
                continue
            if same_text(theirs.text, apology.text):
                raise IllegalTransition(
                    f"this apology repeats incident {other.id}'s published one word for word, "
                    "and X refuses repeated text: edit it to speak to this post first"
                )

    @staticmethod
    def _rejectable(incident: Incident, user: User, reason: str) -> Apology:
        apology = incident.apology
        if incident.status is not IS.APOLOGISING or apology is None:
            raise IllegalTransition(f"incident is {incident.status.value}: no apology to reject")
        if user.role not in SENIOR_ROLES:
            raise Forbidden("an apology is sent back by a brand owner or an admin")
        if apology.approved_by:
            raise IllegalTransition("the apology is approved and being published")
        if apology.rejected_by:
            raise IllegalTransition("the apology was already sent back for editing")
        require_reason("reject", reason)
        return apology

    def _tell_apology_editors(self, incident: Incident, rejecter: User) -> None:
        apology = incident.apology
        assert apology is not None and apology.rejection_reason is not None
        account = self._account(incident)
        # Everyone edit_apology lets edit it, once each, never the person who sent it back.
        editors = [
            incident.roles.commander,
            incident.roles.spokesperson,
            apology.voice,
            apology.author,
        ]
        for user_id in dict.fromkeys(e for e in editors if e and e != rejecter.id):
            person = self.store.get_user(user_id)
            if person is None:
                continue  # "system" drafted it, or the person has left
            try:
                self._mail(
                    f"apology-rejected#{incident.id}#v{apology.version}#{person.id}",
                    person,
                    f"Apology for {account.handle} sent back for editing",
                    f"{rejecter.name} sent the apology back: {apology.rejection_reason}\n\n"
                    f"{apology.text}\n\nEdit it with PUT /incidents/{incident.id}/apology; "
                    "it then goes to the seniors for approval again.\n",
                    f"<p>{escape(rejecter.name)} sent the apology for "
                    f"{escape(account.handle)} back: {escape(apology.rejection_reason)}</p>"
                    f"<blockquote>{escape(apology.text)}</blockquote>"
                    f"<p>Edit it (incident {escape(incident.id)}); it then goes to the seniors "
                    "for approval again.</p>",
                )
            except MailFailed:
                # The rejection stands and is on the timeline; the others still hear of it.
                logger.exception("apology sent-back mail for %s to %s failed", incident.id, user_id)

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
            self.step_resolve(stored)
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
        return postmortem(incident, self.incidents.timeline(incident.id))

    # ------------------------------------------------------------------ links
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
        return IncidentLinkView(link, incident, account, person)

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
            self._require_own_words(view.incident, self._approvable(view.incident, view.person))
        else:
            self._rejectable(view.incident, view.person, reason)
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
                    lambda: self.decide(actor, incident_id, action, hack=hack, seen_round=seen)
                )
            if action == "approve":
                return retry_on_conflict(
                    lambda: self.approve_apology(actor, incident_id, seen_version=seen)
                )
            return retry_on_conflict(
                lambda: self.reject_apology(actor, incident_id, reason, seen_version=seen)
            )
        except VersionChanged as exc:
            raise LinkStale(f"{exc.message}. Nothing was decided") from None

    # ------------------------------------------------------------------ scheduled
    def watch(self, now: datetime) -> dict[str, Any]:
        """C1: a post on the account's timeline that Firebreak did not publish, or that
        the risk scan flags, opens an incident (one per post)."""
        opened: list[str] = []
        skipped: dict[str, str] = {}
        for account in self.store.all_accounts():
            paused = self.incidents.watch_paused_until(account.id)
            if paused and paused > now:
                skipped[account.id] = "RateLimited"  # X's reset time has not come yet
                continue
            try:
                opened += self._watch_account(account)
                if paused:
                    # Read again after a 429: the pause is over, whatever the clock of
                    # the run that set it said.
                    self.incidents.resume_watch(account.id)
            except RateLimited as exc:
                # Never sleep in the Lambda: remember the reset and skip polls until then.
                self.incidents.pause_watch(account.id, exc.reset_at)
                skipped[account.id] = "RateLimited"
            except Exception as exc:  # noqa: BLE001 - per-account boundary, logged
                # One account without credentials, rate-limited or misconfigured must not
                # blind the watcher for the others; it is tried again next tick.
                skipped[account.id] = type(exc).__name__
                logger.warning("watcher skipped %s: %s", account.id, type(exc).__name__)
        return {"opened": opened, "skipped": skipped}

    def _watch_account(self, account: Account) -> list[str]:
        client = self.service.social.client_for(account)
        since = self.incidents.get_checkpoint(account.id)
        posts = client.timeline(since_id=since if since and since != "0" else None)
        if since is None:
            # First sight of this account: its history is the baseline, not a crisis.
            newest_id = max((p.id for p in posts), key=int, default="0")
            self.incidents.set_checkpoint(account.id, newest_id)
            return []
        if not posts:
            return []
        opened = []
        newest = max(posts, key=lambda p: int(p.id))
        for post in sorted(posts, key=lambda p: int(p.id)):
            trigger = self._watch_trigger(account, post)
            if trigger is None:
                continue
            incident = self.open_incident(
                WATCHER, account.id, post.id, trigger=trigger, remote=post
            )
            opened.append(incident.id)
        self.incidents.set_checkpoint(account.id, newest.id)
        return opened

    def _watch_trigger(self, account: Account, post: RemotePost) -> Trigger | None:
        if not self.store.published_by_firebreak(account.id, post.id):
            return Trigger.NOT_PUBLISHED_BY_FIREBREAK
        if self._scorer().score(post.text).flagged:
            return Trigger.RISK_SCAN
        return None

    def remind(self, now: datetime) -> dict[str, Any]:
        """M5: remind the commander to post a status update on the severity's cadence."""
        reminded: list[str] = []
        unsent: list[str] = []
        for account in self.store.all_accounts():
            for incident in self.incidents.of_account(account.id):
                if incident.status is not IS.MONITORING or not incident.next_update_due:
                    continue
                if incident.next_update_due > now:
                    continue
                commander = self.store.get_user(incident.roles.commander)
                if commander:
                    try:
                        # Mailed once per due time (the key), before the due time moves:
                        # a mail that fails leaves it due, and the next run tries again.
                        self._mail(
                            f"reminder#{incident.id}#{incident.next_update_due.isoformat()}",
                            commander,
                            f"Status update due: incident {incident.id}",
                            f"Post a status update (POST /incidents/{incident.id}/updates) "
                            "and keep replying to mentions.",
                            "<p>Post a status update and keep replying to mentions.</p>",
                        )
                    except MailFailed:
                        logger.warning("reminder for %s not sent; tried again", incident.id)
                        unsent.append(incident.id)
                        continue  # the others are still reminded
                try:
                    self._save(
                        incident,
                        replace(incident, next_update_due=now + UPDATE_CADENCE[incident.severity]),
                        self._entry(WATCHER, "update_reminder", "status update due"),
                    )
                except Conflict:
                    continue
                reminded.append(incident.id)
        return {"reminded": reminded, "unsent": unsent}
