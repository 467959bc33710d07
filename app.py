"""Firebreak's Lambda entry points: the HTTP API, the mailed-link pages and the
scheduled publisher. Each handler parses, delegates to ``chalicelib`` and shapes the reply.

Importing this module touches neither AWS nor the environment.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalice import Chalice, Rate

from chalicelib.api.errors import uniform_errors
from chalicelib.api.routing import FORM, QueryParam, Reply, Request, Routes
from chalicelib.core.errors import DomainError, FreezeLiftPending, ValidationFailed
from chalicelib.core.users import Role, User
from chalicelib.wiring import get_playbook, get_service

app = Chalice(app_name="firebreak")
app.log.setLevel("INFO")
app.register_middleware(uniform_errors, "http")


def _authenticate(api_key: str | None) -> User:
    return get_service().accounts.authenticate(api_key)


api = Routes(_authenticate)

DRAFTERS = (Role.AUTHOR, Role.AGENCY, Role.BRAND_OWNER, Role.ADMIN)
DECIDERS = (Role.APPROVER, Role.BRAND_OWNER, Role.ADMIN)
MANAGERS = (Role.BRAND_OWNER, Role.ADMIN)  # SENIOR_ROLES, in the order errors name them


def _parse_time(value: str | None, name: str) -> datetime | None:
    from chalicelib.core.times import parse_query_time

    return parse_query_time(value, name, get_service().clock.now())


SEEN_VERSION = QueryParam(
    "version",
    "the version you reviewed: the decision is refused (409) if it changed since",
    schema={"type": "integer", "minimum": 1},
)


def _seen_version(request: Request) -> int | None:
    raw = request.query.get("version")
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise ValidationFailed("must be a positive whole number", field="version")
    return int(raw)


def _post(post: Any) -> dict[str, Any]:
    from chalicelib.api.views import post_view

    return post_view(post)


# ---------------------------------------------------------------- platform
@api.route(app, "/health", "GET", summary="Health of every component", tag="platform", auth=False)
def health(request: Request) -> Reply:
    from chalicelib.platform.health import check_health

    report = check_health()
    return Reply(report, status=200 if report["status"] == "ok" else 503)


@api.route(
    app, "/openapi.json", "GET", summary="This API's OpenAPI 3 document", tag="platform", auth=False
)
def openapi(request: Request) -> dict[str, Any]:
    from chalicelib.api.openapi import build_document

    return build_document(api.docs)


@api.route(app, "/me", "GET", summary="The caller: id, role, brand, accounts", tag="platform")
def me(request: Request) -> dict[str, Any]:
    user = request.caller
    return {
        "id": user.id,
        "name": user.name,
        "role": user.role.value,
        "brand_id": user.brand_id,
        "agency_id": user.agency_id,
        "accounts": [a.id for a in get_service().accounts.list_accounts(user)],
    }


# ---------------------------------------------------------------- accounts and rules
@api.route(app, "/accounts", "GET", summary="Accounts the caller can see", tag="accounts")
def list_accounts(request: Request) -> dict[str, Any]:
    return {
        "accounts": [a.to_public() for a in get_service().accounts.list_accounts(request.caller)]
    }


@api.route(
    app, "/accounts/{account_id}", "GET", summary="One account", tag="accounts", errors=(404,)
)
def get_account(request: Request, account_id: str) -> dict[str, Any]:
    return get_service().accounts.account_for(request.caller, account_id).to_public()


@api.route(
    app,
    "/accounts/{account_id}/policy",
    "PUT",
    summary="Replace the account's publishing policy (P2)",
    tag="accounts",
    roles=MANAGERS,
    body="PolicyBody",
    errors=(400, 404),
)
def put_policy(request: Request, account_id: str) -> dict[str, Any]:
    from chalicelib.accounts.policy import Policy

    policy = Policy.from_dict(request.body.model_dump())
    return get_service().accounts.set_policy(request.caller, account_id, policy).to_public()


@api.route(
    app,
    "/accounts/{account_id}/approval-rules",
    "PUT",
    summary="Replace the account's approval rules (P4)",
    tag="accounts",
    roles=MANAGERS,
    body="ApprovalRulesBody",
    errors=(400, 404),
)
def put_approval_rules(request: Request, account_id: str) -> dict[str, Any]:
    from chalicelib.posts.approvals import ApprovalRules

    rules = ApprovalRules.from_dict(request.body.model_dump())
    return get_service().accounts.set_approval_rules(request.caller, account_id, rules).to_public()


@api.route(
    app,
    "/agencies/{agency_id}/policy",
    "GET",
    summary="The rules an agency's posts must follow",
    tag="accounts",
    errors=(404,),
)
def get_agency_policy(request: Request, agency_id: str) -> dict[str, Any]:
    return get_service().accounts.get_agency_policy(request.caller, agency_id).to_dict()


@api.route(
    app,
    "/agencies/{agency_id}/policy",
    "PUT",
    summary="Replace the rules an agency's posts must follow (P2)",
    tag="accounts",
    roles=MANAGERS,
    body="PolicyBody",
    errors=(400,),
)
def put_agency_policy(request: Request, agency_id: str) -> dict[str, Any]:
    from chalicelib.accounts.policy import Policy

    policy = Policy.from_dict(request.body.model_dump())
    get_service().accounts.set_agency_policy(request.caller, agency_id, policy)
    return policy.to_dict()


@api.route(
    app,
    "/accounts/{account_id}/audit",
    "GET",
    summary="The account's audit log (P10)",
    tag="audit",
    errors=(404,),
)
def account_audit(request: Request, account_id: str) -> dict[str, Any]:
    entries = get_service().accounts.audit_of_account(request.caller, account_id)
    return {"entries": [e.to_dict() for e in entries]}


@api.route(
    app,
    "/audit",
    "GET",
    summary="The brand-wide audit log: agency rules and freezes of every account (P10)",
    tag="audit",
    roles=MANAGERS,
    errors=(403,),
)
def brand_audit(request: Request) -> dict[str, Any]:
    entries = get_service().accounts.audit_of_brand(request.caller)
    return {"entries": [e.to_dict() for e in entries]}


# ---------------------------------------------------------------- posts
@api.route(
    app,
    "/accounts/{account_id}/posts",
    "POST",
    summary="Create a draft (P1); it is checked at once (P2, P3)",
    tag="posts",
    roles=DRAFTERS,
    body="CreatePost",
    ok=201,
    response="Post",
    errors=(400, 404),
)
def create_post(request: Request, account_id: str) -> dict[str, Any]:
    body = request.body
    post = get_service().posts.create_post(
        request.caller,
        account_id,
        text=body.text,
        links=body.links,
        scheduled_at=body.scheduled_at,
    )
    return _post(post)


@api.route(
    app,
    "/posts",
    "GET",
    summary="The editorial calendar: posts by date range, account and status (P7)",
    tag="calendar",
    query=(
        QueryParam("account_id", "only this account"),
        QueryParam(
            "from",
            "scheduled at or after (ISO-8601 with offset)",
            schema={"type": "string", "format": "date-time"},
        ),
        QueryParam(
            "to",
            "scheduled at or before (ISO-8601 with offset)",
            schema={"type": "string", "format": "date-time"},
        ),
        QueryParam("status", "comma-separated statuses"),
    ),
    errors=(400, 404),
)
def list_posts(request: Request) -> dict[str, Any]:
    from chalicelib.posts.domain import PostStatus

    q = request.query
    statuses = None
    if q.get("status"):
        try:
            statuses = frozenset(PostStatus(s.strip()) for s in q["status"].split(","))
        except ValueError:
            allowed = ", ".join(s.value for s in PostStatus)
            raise ValidationFailed(f"must be among {allowed}", field="status") from None
    start, end = _parse_time(q.get("from"), "from"), _parse_time(q.get("to"), "to")
    if start and end and start > end:
        raise ValidationFailed("must not be after 'to'", field="from")
    posts = get_service().posts.calendar(
        request.caller, q.get("account_id"), start=start, end=end, statuses=statuses
    )
    return {"posts": [_post(p) for p in posts]}


@api.route(
    app, "/posts/{post_id}", "GET", summary="One post", tag="posts", response="Post", errors=(404,)
)
def get_post(request: Request, post_id: str) -> dict[str, Any]:
    post, _ = get_service().posts.post_for(request.caller, post_id)
    return _post(post)


@api.route(
    app,
    "/posts/{post_id}",
    "PATCH",
    summary="Edit a post: back to draft, approvals reset (P4)",
    tag="posts",
    roles=DRAFTERS,
    body="EditPost",
    response="Post",
    errors=(400, 403, 404, 409),
)
def edit_post(request: Request, post_id: str) -> dict[str, Any]:
    body = request.body
    post = get_service().posts.edit_post(
        request.caller,
        post_id,
        text=body.text,
        links=body.links,
        scheduled_at=body.scheduled_at,
        clear_schedule=body.clear_schedule,
    )
    return _post(post)


@api.route(
    app,
    "/posts/{post_id}/check",
    "POST",
    summary="Run the policy check and risk scan again (P2, P3)",
    tag="posts",
    errors=(404,),
)
def check_post(request: Request, post_id: str) -> dict[str, Any]:
    return get_service().posts.recheck(request.caller, post_id).to_dict()


@api.route(
    app,
    "/posts/{post_id}/submit",
    "POST",
    summary="Submit for approval; mails each approver a safe link (P4, P5)",
    tag="posts",
    roles=DRAFTERS,
    response="Post",
    errors=(400, 403, 404, 409, 422),
)
def submit_post(request: Request, post_id: str) -> dict[str, Any]:
    return _post(get_service().posts.submit_post(request.caller, post_id))


@api.route(
    app,
    "/posts/{post_id}/approve",
    "POST",
    summary="Approve the current version (P4)",
    tag="posts",
    roles=DECIDERS,
    query=(SEEN_VERSION,),
    response="Post",
    errors=(400, 403, 404, 409),
)
def approve_post(request: Request, post_id: str) -> dict[str, Any]:
    from chalicelib.core.audit import Actor

    seen = _seen_version(request)
    return _post(
        get_service().posts.approve_post(Actor.of(request.caller), post_id, seen_version=seen)
    )


@api.route(
    app,
    "/posts/{post_id}/reject",
    "POST",
    summary="Reject with a reason (P6)",
    tag="posts",
    roles=DECIDERS,
    body="Reject",
    query=(SEEN_VERSION,),
    response="Post",
    errors=(400, 403, 404, 409),
)
def reject_post(request: Request, post_id: str) -> dict[str, Any]:
    from chalicelib.core.audit import Actor

    post = get_service().posts.reject_post(
        Actor.of(request.caller), post_id, request.body.reason, seen_version=_seen_version(request)
    )
    return _post(post)


@api.route(
    app,
    "/posts/{post_id}/cancel",
    "POST",
    summary="Cancel a post that is not published",
    tag="posts",
    roles=DRAFTERS,
    response="Post",
    errors=(403, 404, 409),
)
def cancel_post(request: Request, post_id: str) -> dict[str, Any]:
    return _post(get_service().posts.cancel_post(request.caller, post_id))


@api.route(
    app,
    "/posts/{post_id}/audit",
    "GET",
    summary="The post's audit trail (P10)",
    tag="audit",
    errors=(404,),
)
def post_audit(request: Request, post_id: str) -> dict[str, Any]:
    return {
        "entries": [e.to_dict() for e in get_service().posts.audit_of_post(request.caller, post_id)]
    }


# ---------------------------------------------------------------- calendar feed
@api.route(
    app,
    "/accounts/{account_id}/feed",
    "POST",
    summary="Make a new secret iCalendar feed URL (the old one stops working)",
    tag="calendar",
    roles=MANAGERS,
    ok=201,
    errors=(404,),
)
def rotate_feed(request: Request, account_id: str) -> dict[str, Any]:
    return {"url": get_service().posts.rotate_feed_secret(request.caller, account_id)}


@api.route(
    app,
    "/feeds/{account_id}/{secret}",
    "GET",
    summary="The account's calendar as iCalendar (RFC 5545); the URL is the secret",
    tag="calendar",
    auth=False,
    produces="text/calendar",
    errors=(404,),
)
def feed(request: Request, account_id: str, secret: str) -> Reply:
    body = get_service().posts.feed(account_id, secret)
    return Reply(
        body.decode(),
        content_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=60"},
    )


# ---------------------------------------------------------------- freezes
@api.route(app, "/freezes", "GET", summary="Active publishing freezes (P9)", tag="freezes")
def list_freezes(request: Request) -> dict[str, Any]:
    return {"freezes": [f.to_dict() for f in get_service().freezes.list_freezes(request.caller)]}


@api.route(
    app,
    "/freezes",
    "POST",
    summary='Freeze one account, or "all" (every account of the brand), with a reason (P9)',
    tag="freezes",
    roles=MANAGERS,
    body="FreezeBody",
    ok=201,
    errors=(400, 403, 404),
)
def start_freeze(request: Request) -> dict[str, Any]:
    body = request.body
    return get_service().freezes.freeze(request.caller, body.scope, body.reason).to_dict()


@api.route(
    app,
    "/freezes/{scope}/lift",
    "POST",
    summary="Ask to lift a freeze; the second, different admin's call lifts it",
    tag="freezes",
    roles=(Role.ADMIN,),
    errors=(403, 404),
)
def lift_freeze(request: Request, scope: str) -> Reply:
    try:
        get_service().freezes.lift_freeze(request.caller, scope)
    except FreezeLiftPending as exc:
        return Reply({"scope": scope, "lifted": False, "message": exc.message}, status=202)
    return Reply({"scope": scope, "lifted": True})


# ---------------------------------------------------------------- mailed links
@api.route(
    app,
    "/links/{token}",
    "GET",
    summary="Confirmation page for a mailed decision link; changes nothing",
    tag="links",
    auth=False,
    produces="text/html",
    errors=(404, 410),
)
def open_link(request: Request, token: str) -> Reply:
    from chalicelib.api import pages

    try:
        if _link_kind(token) == "post":
            html = pages.confirm_page(get_service().links.open_link(token))
        else:
            html = pages.incident_confirm_page(get_playbook().open_link(token))
    except DomainError as exc:
        return _link_refused(exc)
    return Reply(html, content_type="text/html; charset=utf-8", headers=_NO_STORE)


def _link_kind(token: str) -> str:
    """What the link decides on; raises LinkUnknown for a link that does not exist."""
    from chalicelib.core.errors import LinkUnknown
    from chalicelib.links.domain import hash_token, looks_like_token

    link = get_service().store.get_link(hash_token(token)) if looks_like_token(token) else None
    if link is None:
        raise LinkUnknown("this link is not valid")
    return link.subject_type


_LINK_ACTIONS = {
    "post": ("approve", "reject"),
    "incident": ("delete", "keep"),
    "apology": ("approve", "reject"),
}


@api.route(
    app,
    "/links/{token}",
    "POST",
    summary=(
        "Decide through a mailed link (form: action, post_id or subject_id, reason; "
        "hack=yes|no|unsure on incident links)"
    ),
    tag="links",
    auth=False,
    produces="text/html",
    errors=(400, 403, 404, 410),
    content_types=(FORM,),
)
def decide_link(request: Request, token: str) -> Reply:
    from chalicelib.api import pages

    form = request.form
    action = form.get("action", "")
    try:
        kind = _link_kind(token)
    except DomainError as exc:
        return _link_refused(exc)
    if action not in _LINK_ACTIONS.get(kind, ()):
        return Reply(
            pages.result_page(
                "Nothing decided", "Choose one of: " + ", ".join(_LINK_ACTIONS.get(kind, ()))
            ),
            status=400,
            content_type="text/html; charset=utf-8",
        )
    # An API key sent along must be the link's owner: nobody decides with another's link.
    api_user = None
    if request.headers.get("x-api-key"):
        api_user = get_service().accounts.authenticate(request.headers["x-api-key"])
    try:
        if kind == "post":
            post = get_service().links.decide_by_link(
                token,
                action=action,
                post_id=form.get("post_id", ""),
                reason=form.get("reason", ""),
                api_user=api_user,
            )
            msg = f"You chose to {action} the post. It is now {post.status.value}."
        else:
            from chalicelib.incidents.domain import hack_answer_label, parse_hack_answer

            # Parsed before the link is spent: a bad answer changes nothing.
            hack = parse_hack_answer(form.get("hack")) if kind == "incident" else None
            incident = get_playbook().decide_by_link(
                token,
                action=action,
                subject_id=form.get("subject_id", ""),
                reason=form.get("reason", ""),
                api_user=api_user,
                hack=hack,
            )
            msg = f"You chose to {action}. The incident is now {incident.status.value}."
            if kind == "incident":
                msg += f" Hack: {hack_answer_label(hack)}."
    except DomainError as exc:
        return _link_refused(exc)
    return Reply(
        pages.result_page("Thank you", msg),
        content_type="text/html; charset=utf-8",
        headers=_NO_STORE,
    )


_NO_STORE = {"Cache-Control": "no-store"}


def _link_refused(exc: DomainError) -> Reply:
    from chalicelib.api import pages
    from chalicelib.api.errors import status_for

    status = status_for(exc)
    title = "This link cannot be used" if status == 410 else "Nothing decided"
    return Reply(
        pages.result_page(title, exc.message + ". Nothing was changed."),
        status=status,
        content_type="text/html; charset=utf-8",
        headers=_NO_STORE,
    )


# ---------------------------------------------------------------- incidents
def _incident(incident: Any) -> dict[str, Any]:
    from chalicelib.api.views import incident_view

    return incident_view(incident)


@api.route(
    app,
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
    incident = get_playbook().open_incident(
        Actor.of(request.caller),
        body.account_id,
        body.post,
        severity=Severity(body.severity) if body.severity else None,
        note=body.note,
    )
    return _incident(incident)


@api.route(
    app,
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
    app, "/incidents/{incident_id}", "GET", summary="One incident", tag="incidents", errors=(404,)
)
def get_incident(request: Request, incident_id: str) -> dict[str, Any]:
    return _incident(get_playbook().for_user(request.caller, incident_id))


@api.route(
    app,
    "/incidents/{incident_id}/timeline",
    "GET",
    summary="The incident's append-only timeline, oldest first",
    tag="incidents",
    errors=(404,),
)
def incident_timeline(request: Request, incident_id: str) -> dict[str, Any]:
    playbook = get_playbook()
    incident = playbook.for_user(request.caller, incident_id)
    return {"entries": [e.to_dict() for e in playbook.incidents.timeline(incident.id)]}


@api.route(
    app,
    "/incidents/{incident_id}/evidence",
    "GET",
    summary="The archived evidence: raw post JSON, metrics and its SHA-256 (C2)",
    tag="incidents",
    errors=(404,),
)
def incident_evidence(request: Request, incident_id: str) -> dict[str, Any]:
    from chalicelib.core.errors import NotFound

    playbook = get_playbook()
    incident = playbook.for_user(request.caller, incident_id)
    evidence = playbook.incidents.get_evidence(incident.id)
    if evidence is None:
        raise NotFound("no evidence archived yet", field="incident_id")
    return dict(evidence)


@api.route(
    app,
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
    incident = get_playbook().assign_roles(
        Actor.of(request.caller),
        incident_id,
        commander=body.commander,
        approvers=body.approvers,
        spokesperson=body.spokesperson,
    )
    return _incident(incident)


@api.route(
    app,
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
        get_playbook().decide(Actor.of(request.caller), incident_id, body.decision, hack=body.hack)
    )


@api.route(
    app,
    "/incidents/{incident_id}/checklist/{item}",
    "POST",
    summary="Confirm one security checklist item as done (C6)",
    tag="incidents",
    errors=(403, 404),
)
def confirm_checklist(request: Request, incident_id: str, item: str) -> dict[str, Any]:
    from chalicelib.core.audit import Actor

    return _incident(
        get_playbook().confirm_checklist_item(Actor.of(request.caller), incident_id, item)
    )


@api.route(
    app,
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
        get_playbook().edit_apology(Actor.of(request.caller), incident_id, request.body.text)
    )


@api.route(
    app,
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
        get_playbook().approve_apology(
            Actor.of(request.caller), incident_id, seen_version=_seen_version(request)
        )
    )


@api.route(
    app,
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
        get_playbook().reject_apology(
            Actor.of(request.caller),
            incident_id,
            request.body.reason,
            seen_version=_seen_version(request),
        )
    )


@api.route(
    app,
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
        get_playbook().post_update(Actor.of(request.caller), incident_id, request.body.message)
    )


@api.route(
    app,
    "/incidents/{incident_id}/resolve",
    "POST",
    summary="Resolve: lifts the incident's freeze; held posts need approval again",
    tag="incidents",
    errors=(403, 404, 409),
)
def resolve_incident(request: Request, incident_id: str) -> dict[str, Any]:
    from chalicelib.core.audit import Actor

    return _incident(get_playbook().resolve(Actor.of(request.caller), incident_id))


@api.route(
    app,
    "/incidents/{incident_id}/close",
    "POST",
    summary="Close a resolved incident",
    tag="incidents",
    errors=(403, 404, 409),
)
def close_incident(request: Request, incident_id: str) -> dict[str, Any]:
    from chalicelib.core.audit import Actor

    return _incident(get_playbook().close(Actor.of(request.caller), incident_id))


@api.route(
    app,
    "/incidents/{incident_id}/postmortem",
    "GET",
    summary="Postmortem: times to detect, contain, apologise; who decided what (M6)",
    tag="incidents",
    errors=(404,),
)
def incident_postmortem(request: Request, incident_id: str) -> dict[str, Any]:
    return get_playbook().postmortem(request.caller, incident_id)


@api.route(
    app,
    "/incidents/{incident_id}/postmortem/page",
    "GET",
    summary="The postmortem as a readable page",
    tag="incidents",
    produces="text/html",
    errors=(404,),
)
def incident_postmortem_page(request: Request, incident_id: str) -> Reply:
    from chalicelib.api import pages

    report = get_playbook().postmortem(request.caller, incident_id)
    return Reply(pages.postmortem_page(report), content_type="text/html; charset=utf-8")


# ---------------------------------------------------------------- playbook tasks
@app.lambda_function(name="playbook")
def playbook_task(event: dict[str, Any], context: Any) -> dict[str, Any] | None:
    """Every automated step of the playbook state machine; named errors drive Retry/Catch."""
    return get_playbook().run_step(event)


# ---------------------------------------------------------------- scheduled
@app.schedule(Rate(1, unit=Rate.MINUTES), name="publisher")
def publish_due(event: Any) -> dict[str, Any]:
    """Publish approved posts that are due; expire or hold the rest (P8, P9)."""
    now = _event_time(event)
    report = get_service().publisher.publish_due(now)
    get_service().publisher.store_heartbeat("publisher", now)
    return report.to_dict()


@app.schedule(Rate(1, unit=Rate.MINUTES), name="watcher")
def watch_timelines(event: Any) -> dict[str, Any]:
    """Open an incident for each post Firebreak did not publish or the risk scan flags (C1)."""
    now = _event_time(event)
    result = get_playbook().watch(now)
    get_service().publisher.store_heartbeat("watcher", now)
    return result


@app.schedule(Rate(1, unit=Rate.MINUTES), name="reminders")
def remind_status_updates(event: Any) -> dict[str, Any]:
    """Remind incident commanders to post status updates on the severity's cadence (M5)."""
    return get_playbook().remind(_event_time(event))


def _event_time(event: Any) -> datetime:
    # EventBridge puts the scheduled time in the event: runs are reproducible.
    raw = getattr(event, "time", None) or (event.get("time") if isinstance(event, dict) else None)
    if raw:
        return datetime.fromisoformat(str(raw).replace("Z", "+00:00")).astimezone(UTC)
    return get_service().clock.now()
