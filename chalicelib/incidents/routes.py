"""Routes of incidents: open, list, timeline, evidence, roles, delete-or-keep, the
security checklist, the apology, updates, resolve, close and the postmortem."""

from __future__ import annotations

from typing import Any

from chalicelib.api.routing import (
    MANAGERS,
    SEEN_VERSION,
    QueryParam,
    Reply,
    Request,
    Routes,
    seen_version,
)
from chalicelib.wiring import get_playbook, get_service

api = Routes(__name__)


def _incident(incident: Any) -> dict[str, Any]:
    from chalicelib.api.views import incident_view

    return incident_view(incident)


@api.route(
    "/incidents",
    "POST",
    summary="Open an incident by hand from a post URL or id; the playbook starts (C1, C7)",
    tag="incidents",
    body="OpenIncident",
    ok=201,
    errors=(400, 404),
)
def open_incident(request: Request) -> dict[str, Any]:
    from chalicelib.core.audit import Actor
    from chalicelib.incidents.domain import Severity

    body = request.body
    incident = get_playbook().lifecycle.open_incident(
        Actor.of(request.caller),
        body.account_id,
        body.post,
        severity=Severity(body.severity) if body.severity else None,
        note=body.note,
    )
    return _incident(incident)


@api.route(
    "/incidents",
    "GET",
    summary="Incidents of the accounts the caller can see",
    tag="incidents",
    query=(QueryParam("account_id", "only this account"), QueryParam("status", "only this status")),
    errors=(404,),
)
def list_incidents(request: Request) -> dict[str, Any]:
    user, q = request.caller, request.query
    service = get_service()
    accounts = (
        [service.accounts.account_for(user, q["account_id"])]
        if q.get("account_id")
        else service.accounts.list_accounts(user)
    )
    found = [i for a in accounts for i in get_playbook().incidents.of_account(a.id)]
    if q.get("status"):
        found = [i for i in found if i.status.value == q["status"]]
    return {
        "incidents": [_incident(i) for i in sorted(found, key=lambda i: i.opened_at, reverse=True)]
    }


@api.route(
    "/incidents/{incident_id}", "GET", summary="One incident", tag="incidents", errors=(404,)
)
def get_incident(request: Request, incident_id: str) -> dict[str, Any]:
    return _incident(get_playbook().lifecycle.for_user(request.caller, incident_id))


@api.route(
    "/incidents/{incident_id}/timeline",
    "GET",
    summary="The incident's append-only timeline, oldest first",
    tag="incidents",
    errors=(404,),
)
def incident_timeline(request: Request, incident_id: str) -> dict[str, Any]:
    playbook = get_playbook()
    incident = playbook.lifecycle.for_user(request.caller, incident_id)
    return {"entries": [e.to_dict() for e in playbook.incidents.timeline(incident.id)]}


@api.route(
    "/incidents/{incident_id}/evidence",
    "GET",
    summary="The archived evidence: raw post JSON, metrics and its SHA-256 (C2)",
    tag="incidents",
    errors=(404,),
)
def incident_evidence(request: Request, incident_id: str) -> dict[str, Any]:
    from chalicelib.core.errors import NotFound

    playbook = get_playbook()
    incident = playbook.lifecycle.for_user(request.caller, incident_id)
    evidence = playbook.incidents.get_evidence(incident.id)
    if evidence is None:
        raise NotFound("no evidence archived yet", field="incident_id")
    return dict(evidence)


@api.route(
    "/incidents/{incident_id}/roles",
    "PUT",
    summary="Assign commander, approvers and spokesperson",
    tag="incidents",
    body="AssignRoles",
    errors=(400, 403, 404),
)
def assign_roles(request: Request, incident_id: str) -> dict[str, Any]:
    from chalicelib.core.audit import Actor

    body = request.body
    incident = get_playbook().lifecycle.assign_roles(
        Actor.of(request.caller),
        incident_id,
        commander=body.commander,
        approvers=body.approvers,
        spokesperson=body.spokesperson,
    )
    return _incident(incident)


@api.route(
    "/incidents/{incident_id}/decide",
    "POST",
    summary=(
        "Delete or keep, and was it a hack (true, false or null): the API twin of the "
        "mailed decision link (C5)"
    ),
    tag="incidents",
    body="DecideIncident",
    errors=(400, 403, 404, 409),
)
def decide_incident(request: Request, incident_id: str) -> dict[str, Any]:
    from chalicelib.core.audit import Actor

    body = request.body
    return _incident(
        get_playbook().lifecycle.decide(
            Actor.of(request.caller), incident_id, body.decision, hack=body.hack
        )
    )


@api.route(
    "/incidents/{incident_id}/checklist/{item}",
    "POST",
    summary="Confirm one security checklist item as done (C6)",
    tag="incidents",
    errors=(403, 404),
)
def confirm_checklist(request: Request, incident_id: str, item: str) -> dict[str, Any]:
    from chalicelib.core.audit import Actor

    return _incident(
        get_playbook().lifecycle.confirm_checklist_item(Actor.of(request.caller), incident_id, item)
    )


@api.route(
    "/incidents/{incident_id}/apology",
    "PUT",
    summary="Edit the apology; it needs approval again (R1)",
    tag="incidents",
    body="ApologyText",
    errors=(400, 403, 404, 409),
)
def edit_apology(request: Request, incident_id: str) -> dict[str, Any]:
    from chalicelib.core.audit import Actor

    return _incident(
        get_playbook().apology.edit_apology(
            Actor.of(request.caller), incident_id, request.body.text
        )
    )


@api.route(
    "/incidents/{incident_id}/apology/approve",
    "POST",
    summary="Approve the apology: a senior who is not its author (R2)",
    tag="incidents",
    roles=MANAGERS,
    query=(SEEN_VERSION,),
    errors=(400, 403, 404, 409),
)
def approve_apology(request: Request, incident_id: str) -> dict[str, Any]:
    from chalicelib.core.audit import Actor

    return _incident(
        get_playbook().apology.approve_apology(
            Actor.of(request.caller), incident_id, seen_version=seen_version(request)
        )
    )


@api.route(
    "/incidents/{incident_id}/apology/reject",
    "POST",
    summary="Send the apology back for editing, with a reason (R2)",
    tag="incidents",
    roles=MANAGERS,
    body="Reject",
    query=(SEEN_VERSION,),
    errors=(400, 403, 404, 409),
)
def reject_apology(request: Request, incident_id: str) -> dict[str, Any]:
    from chalicelib.core.audit import Actor

    return _incident(
        get_playbook().apology.reject_apology(
            Actor.of(request.caller),
            incident_id,
            request.body.reason,
            seen_version=seen_version(request),
        )
    )


@api.route(
    "/incidents/{incident_id}/updates",
    "POST",
    summary="Record a status update (M5)",
    tag="incidents",
    body="StatusUpdate",
    errors=(400, 404, 409),
)
def post_update(request: Request, incident_id: str) -> dict[str, Any]:
    from chalicelib.core.audit import Actor

    return _incident(
        get_playbook().lifecycle.post_update(
            Actor.of(request.caller), incident_id, request.body.message
        )
    )


@api.route(
    "/incidents/{incident_id}/resolve",
    "POST",
    summary="Resolve: lifts the incident's freeze; held posts need approval again",
    tag="incidents",
    errors=(403, 404, 409),
)
def resolve_incident(request: Request, incident_id: str) -> dict[str, Any]:
    from chalicelib.core.audit import Actor

    return _incident(get_playbook().lifecycle.resolve(Actor.of(request.caller), incident_id))


@api.route(
    "/incidents/{incident_id}/close",
    "POST",
    summary="Close a resolved incident",
    tag="incidents",
    errors=(403, 404, 409),
)
def close_incident(request: Request, incident_id: str) -> dict[str, Any]:
    from chalicelib.core.audit import Actor

    return _incident(get_playbook().lifecycle.close(Actor.of(request.caller), incident_id))


@api.route(
    "/incidents/{incident_id}/postmortem",
    "GET",
    summary="Postmortem: times to detect, contain, apologise; who decided what (M6)",
    tag="incidents",
    errors=(404,),
)
def incident_postmortem(request: Request, incident_id: str) -> dict[str, Any]:
    return _postmortem(request, incident_id)


def _postmortem(request: Request, incident_id: str) -> dict[str, Any]:
    """The playbook's postmortem with the damage report of the mentions (M6)."""
    from chalicelib.wiring import get_mentions

    report = get_playbook().lifecycle.postmortem(request.caller, incident_id)
    incident = get_playbook().lifecycle.for_user(request.caller, incident_id)
    closed = incident.resolved_at if not incident.is_open else None
    report["mentions"] = get_mentions().queries.damage(
        request.caller, incident.account_id, incident.opened_at, closed
    )
    return report


@api.route(
    "/incidents/{incident_id}/postmortem/notes",
    "PUT",
    summary="Write the postmortem's summary, cause, lessons and follow-ups with owners (R2)",
    tag="postmortem",
    body="PostmortemNotesIn",
    query=(
        QueryParam(
            "revision",
            "the notes' revision you edited: refused (409) if someone saved since",
            schema={"type": "integer", "minimum": 0},
        ),
    ),
    errors=(400, 403, 404, 409),
)
def edit_postmortem_notes(request: Request, incident_id: str) -> dict[str, Any]:
    from chalicelib.core.audit import Actor
    from chalicelib.core.errors import ValidationFailed

    raw = request.query.get("revision")
    if raw not in (None, "") and not (raw.isdigit() and len(raw) < 10):
        raise ValidationFailed("must be a whole number", field="revision")
    notes = get_playbook().lifecycle.edit_postmortem_notes(
        Actor.of(request.caller),
        incident_id,
        request.body.model_dump(),
        int(raw) if raw else None,
    )
    return notes.to_dict()


@api.route(
    "/incidents/{incident_id}/postmortem/page",
    "GET",
    summary="The postmortem as a readable page",
    tag="incidents",
    produces="text/html",
    errors=(404,),
)
def incident_postmortem_page(request: Request, incident_id: str) -> Reply:
    from chalicelib.api import pages

    report = _postmortem(request, incident_id)
    return Reply(pages.postmortem_page(report), content_type="text/html; charset=utf-8")
