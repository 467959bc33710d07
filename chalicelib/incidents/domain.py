"""Incidents (C7): one status enum, one transition table, roles and an append-only timeline.

The playbook state machine moves an incident through these states by calling the
playbook tasks; people move it through the API or mailed links. Either way every
move goes through ``next_incident_status``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from chalicelib.core.errors import IllegalTransition, ValidationFailed


class IncidentStatus(StrEnum):
    OPEN = "open"
    ASSESSING = "assessing"
    AWAITING_DECISION = "awaiting_decision"
    CONTAINING = "containing"
    APOLOGISING = "apologising"
    MONITORING = "monitoring"
    RESOLVED = "resolved"
    CLOSED = "closed"
    ESCALATED = "escalated"
    FAILED = "failed"


# Every status but the two an incident ends in.
OPEN_STATUSES = frozenset(
    s for s in IncidentStatus if s not in (IncidentStatus.RESOLVED, IncidentStatus.CLOSED)
)


class IncidentAction(StrEnum):
    ASSESS = "assess"  # evidence taken, account frozen: assessment starts
    ASK_DECISION = "ask_decision"
    ESCALATE = "escalate"  # the decision timed out: the next senior is asked
    DECIDE = "decide"  # delete or keep was chosen
    CONTAIN_DONE = "contain_done"  # deleted and verified, or kept; checklist done
    APOLOGY_PUBLISHED = "apology_published"
    RESOLVE = "resolve"
    CLOSE = "close"
    FAIL = "fail"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Trigger(StrEnum):
    MANUAL = "manual"
    NOT_PUBLISHED_BY_FIREBREAK = "not_published_by_firebreak"
    RISK_SCAN = "risk_scan"
    MENTION_SPIKE = "mention_spike"


class Decision(StrEnum):
    DELETE = "delete"
    KEEP = "keep"


IS, IA = IncidentStatus, IncidentAction
_ACTIVE = (
    IS.OPEN,
    IS.ASSESSING,
    IS.AWAITING_DECISION,
    IS.ESCALATED,
    IS.CONTAINING,
    IS.APOLOGISING,
)

INCIDENT_TRANSITIONS: dict[tuple[IncidentStatus, IncidentAction], IncidentStatus] = {
    (IS.OPEN, IA.ASSESS): IS.ASSESSING,
    (IS.ASSESSING, IA.ASK_DECISION): IS.AWAITING_DECISION,
    (IS.AWAITING_DECISION, IA.DECIDE): IS.CONTAINING,
    (IS.AWAITING_DECISION, IA.ESCALATE): IS.ESCALATED,
    (IS.ESCALATED, IA.DECIDE): IS.CONTAINING,
    (IS.CONTAINING, IA.CONTAIN_DONE): IS.APOLOGISING,
    (IS.APOLOGISING, IA.APOLOGY_PUBLISHED): IS.MONITORING,
    (IS.MONITORING, IA.RESOLVE): IS.RESOLVED,
    (IS.RESOLVED, IA.CLOSE): IS.CLOSED,
    (IS.FAILED, IA.RESOLVE): IS.RESOLVED,
    **{(status, IA.FAIL): IS.FAILED for status in (*_ACTIVE, IS.MONITORING)},
}

# How often the commander is reminded to post a status update (M5).
UPDATE_CADENCE = {
    Severity.LOW: timedelta(hours=4),
    Severity.MEDIUM: timedelta(hours=2),
    Severity.HIGH: timedelta(hours=1),
    Severity.CRITICAL: timedelta(minutes=30),
}


def next_incident_status(current: IncidentStatus, action: IncidentAction) -> IncidentStatus:
    try:
        return INCIDENT_TRANSITIONS[(current, action)]
    except KeyError:
        raise IllegalTransition(
            f"cannot {action.value} an incident that is {current.value}", field="status"
        ) from None


@dataclass(frozen=True)
class PostSnapshot:
    """The offending post as it was when the incident opened."""

    network_post_id: str
    url: str
    text: str
    author_id: str = ""
    source_app: str | None = None
    created_at: datetime | None = None
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Roles:
    commander: str
    approvers: tuple[str, ...] = ()
    spokesperson: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "commander": self.commander,
            "approvers": list(self.approvers),
            "spokesperson": self.spokesperson,
        }


SECURITY_CHECKLIST = (
    ("rotate_password", "Rotate the account password (long, unique, in the password manager)"),
    ("revoke_apps", "Revoke connected apps you do not recognise"),
    ("enable_2fa", "Turn on two-factor authentication"),
    ("review_access", "Review who has access to the account and remove who should not"),
    ("rotate_tokens", "Rotate Firebreak's X tokens for this account"),
)
# The same steps on the other networks, where the network calls them something else.
_NETWORK_CHECKLIST_LABELS = {
    "mastodon": {
        "revoke_apps": "Revoke authorised apps you do not recognise "
        "(Preferences → Account → Authorised apps)",
        "rotate_tokens": "Rotate Firebreak's Mastodon access token for this account",
    },
    "bluesky": {
        "rotate_password": "Change the account password (long, unique, in the password "
        "manager); it also ends every session",
        "revoke_apps": "Delete app passwords you do not recognise "
        "(Settings → Privacy and security → App passwords)",
        "rotate_tokens": "Give Firebreak a new app password and clear its stored session",
    },
}


def security_checklist(network: str) -> tuple[tuple[str, str], ...]:
    """The hack checklist's items (key, label) for an account on ``network``: the same
    keys everywhere, labelled in the network's own words."""
    labels = _NETWORK_CHECKLIST_LABELS.get(network, {})
    return tuple((key, labels.get(key, label)) for key, label in SECURITY_CHECKLIST)


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done_by: str | None = None
    done_at: datetime | None = None


@dataclass(frozen=True)
class Apology:
    text: str
    template: str
    voice: str  # user id of the person the apology speaks for
    author: str  # who drafted it (a person, or "system" from a template)
    version: int = 1
    approved_by: str | None = None
    network_post_id: str | None = None
    mode: str = "standalone"  # "reply" / "quote" when the post was kept
    # A senior sent this version back: nobody may approve it until it is edited.
    rejected_by: str | None = None
    rejection_reason: str | None = None


@dataclass(frozen=True)
class Incident:
    id: str
    account_id: str
    post: PostSnapshot
    trigger: Trigger
    severity: Severity
    status: IncidentStatus
    roles: Roles
    opened_at: datetime
    opened_by: str
    revision: int = 0
    recommendation: dict[str, Any] = field(default_factory=dict)
    hack_suspected: bool = False  # Firebreak's suspicion (C4), never said in public
    # A person's answer to "was this a hack?", given with the decision: True confirmed,
    # False rejected, None not answered. Only a confirmed hack is called one in public.
    hack_confirmed: bool | None = None
    hack_answered_by: str | None = None
    decision: Decision | None = None
    decided_by: str | None = None
    evidence_hash: str | None = None
    post_deleted: bool = False
    checklist: tuple[ChecklistItem, ...] = ()
    apology: Apology | None = None
    escalated_to: str | None = None
    failure: str | None = None
    resolved_at: datetime | None = None
    next_update_due: datetime | None = None
    # What the person who raised the alarm said: kept, shown with the decision request.
    reported_severity: Severity | None = None
    report_note: str | None = None

    def move(self, action: IncidentAction, **changes: Any) -> Incident:
        return replace(self, status=next_incident_status(self.status, action), **changes)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def checklist_done(self) -> bool:
        return all(item.done_at is not None for item in self.checklist)


def evidence_hash(raw: dict[str, Any]) -> str:
    """SHA-256 of the post's raw JSON in canonical form: proof the archive is untouched."""
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


SEVERITY_ORDER = (Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)


def severity_after_assessment(
    reported: Severity | None, assessed: Severity, why: str
) -> tuple[Severity, str | None]:
    """The incident's severity once Firebreak has assessed the post, and what the
    timeline should say about a change. A person's call is never lowered by Firebreak:
    it stands unless the assessment finds worse, and a raise says why."""
    if reported is None:
        return assessed, None
    if SEVERITY_ORDER.index(assessed) > SEVERITY_ORDER.index(reported):
        return assessed, (
            f"severity raised from {reported.value} (as reported) to {assessed.value}: {why}"
        )
    if assessed is not reported:
        return reported, (
            f"severity stays {reported.value} as reported (Firebreak alone would say "
            f"{assessed.value})"
        )
    return reported, None


def report_line(incident: Incident, reporter_name: str) -> str:
    """What the person who opened the incident by hand said: their severity and note,
    for the decision mail and page ("" for an incident Firebreak opened itself)."""
    if incident.trigger is not Trigger.MANUAL:
        return ""
    line = f"Reported by {reporter_name}"
    if incident.reported_severity:
        line += f" as {incident.reported_severity.value}"
    if incident.report_note:
        line += f": “{incident.report_note}”"
    return line


def severity_reason(recommendation: str, hack_suspected: bool, flagged: list[str]) -> str:
    """Why ``severity_for`` says what it says, in words for the timeline."""
    worst = sorted({"sexual", "violence", "hate"} & set(flagged))
    if hack_suspected:
        return "Firebreak suspects a hack"
    if worst:
        return "the post is flagged " + ", ".join(worst)
    if recommendation == "delete":
        return "the post is over the delete line"
    if flagged:
        return "the post is flagged " + ", ".join(sorted(flagged))
    return "nothing in the post is flagged"


def severity_for(recommendation: str, hack_suspected: bool, flagged: list[str]) -> Severity:
    if hack_suspected or {"sexual", "violence", "hate"} & set(flagged):
        return Severity.CRITICAL
    if recommendation == "delete":
        return Severity.HIGH
    if flagged:
        return Severity.MEDIUM
    return Severity.LOW


# Apology templates (R1). {voice} signs it; {fix} says how it will not happen again.
# {when} names the post, so two incidents never draft the same words (X refuses a
# repeated text from one account within 24 h).
APOLOGY_TEMPLATES = {
    "own_mistake": (
        "We got this wrong. Our post of {when} was not OK and we are sorry. {fix} — {voice}"
    ),
    "agency_mistake": (
        "Our post of {when}, written with our agency, should never have gone out. "
        "It is our account and our responsibility: we are sorry. {fix} — {voice}"
    ),
    "hack": (
        "On {when} someone else got into our account and posted what is not ours. We removed "
        "it and secured the account. Sorry to everyone it reached. {fix} — {voice}"
    ),
}

DEFAULT_FIX = {
    "own_mistake": "Every post now needs a second person's approval before it goes out.",
    "agency_mistake": "Agency posts now need our brand owner's approval before they go out.",
    "hack": "Two-factor sign-in is now on and we reviewed who has access.",
}


def draft_apology(template: str, voice_name: str, when: datetime, fix: str | None = None) -> str:
    if template not in APOLOGY_TEMPLATES:
        raise ValidationFailed(
            f"unknown template; choose one of {', '.join(APOLOGY_TEMPLATES)}", field="template"
        )
    return APOLOGY_TEMPLATES[template].format(
        voice=voice_name,
        fix=fix or DEFAULT_FIX[template],
        # To the second: two posts of one minute (a burst after a hack) still get
        # drafts of their own, which X would otherwise refuse as repeated text.
        when=f"{when:%d %b, %H:%M:%S} UTC",
    )


HACK_ANSWERS = {"yes": True, "no": False, "": None, "unsure": None}


def parse_hack_answer(value: str | None) -> bool | None:
    """A mailed form's answer to "was this a hack?": yes, no, or unsure/blank."""
    key = (value or "").strip().lower()
    if key not in HACK_ANSWERS:
        raise ValidationFailed(
            'the answer to "was this a hack?" must be yes, no or unsure', field="hack"
        )
    return HACK_ANSWERS[key]


def hack_answer_label(answer: bool | None) -> str:
    return {True: "confirmed", False: "rejected", None: "unanswered"}[answer]


def needs_security_checklist(hack_suspected: bool, hack_confirmed: bool | None) -> bool:
    """A person's answer decides; unanswered, the checklist is still run on a suspicion
    (securing an account that was not hacked costs little; leaving a hacked one open
    while the apology goes out from it costs a lot)."""
    if hack_confirmed is not None:
        return hack_confirmed
    return hack_suspected


def template_for(hack_confirmed: bool | None, author_is_agency: bool) -> str:
    """Only a hack a person confirmed gets the "someone else got into our account"
    apology: a suspicion, however strong, never says so in public."""
    if hack_confirmed is True:
        return "hack"
    return "agency_mistake" if author_is_agency else "own_mistake"


@dataclass(frozen=True)
class TimelineEntry:
    id: str
    at: datetime
    actor: str
    channel: str
    kind: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "channel": self.channel,
            "kind": self.kind,
            "message": self.message,
            "details": self.details,
        }


def postmortem(incident: Incident, timeline: list[TimelineEntry]) -> dict[str, Any]:
    """M6 first cut: times to detect, contain and apologise, and who decided what."""

    def first(kind: str) -> datetime | None:
        return next((e.at for e in timeline if e.kind == kind), None)

    def seconds(since: datetime | None, until: datetime | None) -> float | None:
        if since is None or until is None:
            return None
        return round((until - since).total_seconds(), 3)

    posted = incident.post.created_at
    opened = incident.opened_at
    return {
        "incident_id": incident.id,
        "account_id": incident.account_id,
        "status": incident.status.value,
        "severity": incident.severity.value,
        "trigger": incident.trigger.value,
        "post": {
            "network_post_id": incident.post.network_post_id,
            "url": incident.post.url,
            "text": incident.post.text,
        },
        "recommendation": incident.recommendation,
        "decision": incident.decision.value if incident.decision else None,
        "post_deleted": incident.post_deleted,
        "hack_suspected": incident.hack_suspected,
        "hack": {
            "suspected": incident.hack_suspected,
            "answer": hack_answer_label(incident.hack_confirmed),
            "answered_by": incident.hack_answered_by,
        },
        "seconds": {
            "to_detect": seconds(posted, opened),
            "to_freeze": seconds(opened, first("frozen")),
            "to_decide": seconds(opened, first("decided")),
            "to_delete": seconds(opened, first("post_deleted")),
            "to_apologise": seconds(opened, first("apology_published")),
            "to_resolve": seconds(opened, first("resolved")),
        },
        "decisions": [
            {"at": e.at.isoformat(), "who": e.actor, "channel": e.channel, "what": e.message}
            for e in timeline
            if e.kind
            in (
                "decided",
                "apology_approved",
                "apology_rejected",
                "escalated",
                "resolved",
                "checklist_item",
            )
        ],
        "timeline": [e.to_dict() for e in timeline],
    }
