"""Routes of mailed decision links: a page that changes nothing on GET, the decision
on POST, for posts, incidents and apologies alike."""

from __future__ import annotations

import logging
from typing import Any

from chalicelib.api.routing import (
    FORM,
    Reply,
    Request,
    Routes,
)
from chalicelib.core.errors import DomainError
from chalicelib.core.observe import count, tag
from chalicelib.wiring import get_mentions, get_playbook, get_service

api = Routes(__name__)
logger = logging.getLogger(__name__)


@api.route(
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

    kind = "unknown"
    try:
        kind = _link_kind(token)
        if kind == "post":
            html = pages.confirm_page(get_service().links.open_link(token))
        elif kind == "reply":
            html = pages.reply_confirm_page(get_mentions().engagement.open_link(token))
        else:
            html = pages.incident_confirm_page(get_playbook().links.open_link(token))
    except DomainError as exc:
        return _link_refused(exc, kind)
    return Reply(html, content_type="text/html; charset=utf-8", headers=_NO_STORE)


def _link_kind(token: str) -> str:
    """What the link decides on; raises LinkUnknown for a link that does not exist."""
    from chalicelib.core.errors import LinkUnknown
    from chalicelib.links.domain import hash_token, looks_like_token

    link = get_service().store.get_link(hash_token(token)) if looks_like_token(token) else None
    if link is None:
        raise LinkUnknown("this link is not valid")
    # What the link is about, never the token itself, goes on the log lines.
    if link.subject_type == "reply":
        tag(account_id=link.account_id)
    else:
        subject = "post_id" if link.subject_type == "post" else "incident_id"
        tag(account_id=link.account_id, **{subject: link.subject_id})
    return link.subject_type


_LINK_ACTIONS = {
    "post": ("approve", "reject"),
    "incident": ("delete", "keep"),
    "apology": ("approve", "reject"),
    "reply": ("approve", "reject"),
}


@api.route(
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
        return _link_refused(exc, "unknown")
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
            after = _after_post(post)
            room = ("Open the post in Firebreak", f"/app/posts/{post.id}")
        elif kind == "reply":
            item = get_mentions().engagement.decide_by_link(
                token,
                action=action,
                subject_id=form.get("subject_id", ""),
                reason=form.get("reason", ""),
                api_user=api_user,
            )
            posted = bool(item.reply and item.reply.status.value == "posted")
            msg = "The reply is posted." if posted else "The reply is rejected."
            after = (
                "It is on the account now; the mention leaves the queue."
                if posted
                else "Its author sees why in the queue and can write another, which comes "
                "back for approval while the incident lasts."
            )
            room = ("Open the engagement queue", f"/app/queue/{item.account_id}")
        else:
            from chalicelib.incidents.domain import hack_answer_label, parse_hack_answer

            # Parsed before the link is spent: a bad answer changes nothing.
            hack = parse_hack_answer(form.get("hack")) if kind == "incident" else None
            incident = get_playbook().links.decide_by_link(
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
            after = _AFTER_INCIDENT.get((kind, action), "")
            room = ("Open the incident room", f"/app/incidents/{incident.id}")
    except DomainError as exc:
        return _link_refused(exc, kind)
    count("LinksSpent", kind=kind)
    logger.info("link spent: %s %s", kind, action)
    base = get_service().config.public_base_url.rstrip("/")
    return Reply(
        pages.result_page("Thank you", msg, after, ((room[0], base + room[1]),)),
        content_type="text/html; charset=utf-8",
        headers=_NO_STORE,
    )


_NO_STORE = {"Cache-Control": "no-store"}
_AFTER_INCIDENT = {
    ("incident", "delete"): "Firebreak deletes the post now, having kept its evidence, and "
    "checks that it is gone; then the apology is drafted and comes to approvers.",
    ("incident", "keep"): "The post stays up and the brand owns it: the apology is drafted "
    "next and comes to approvers before anything is said in public.",
    ("apology", "approve"): "The apology is published now; the incident then moves to "
    "monitoring, and the commander posts status updates until it is resolved.",
    ("apology", "reject"): "The commander sees what should change, edits the apology, and "
    "it comes back for approval.",
}


def _after_post(post: Any) -> str:
    status = post.status.value
    if status == "approved":
        return "It goes out when it is due, unless someone edits it (then it needs approval again)."
    if status == "submitted":
        return "It still needs other approvals before it can be published."
    if status == "rejected":
        return "Its author sees your reason, can edit it, and sends it back for approval."
    return ""


def _link_refused(exc: DomainError, kind: str) -> Reply:
    from chalicelib.api import pages
    from chalicelib.api.errors import status_for

    status = status_for(exc)
    count("LinksRefused", kind=kind)
    logger.info("link refused: %s", type(exc).__name__)
    title = "This link cannot be used" if status == 410 else "Nothing decided"
    base = get_service().config.public_base_url.rstrip("/")
    return Reply(
        pages.result_page(
            title,
            exc.message + ". Nothing was changed.",
            "Decision links work once and expire. Sign in to Firebreak to decide there "
            "(your approvals and open incidents are on the home page), or ask the author "
            "to send it for approval again: a new link comes by mail.",
            (("Sign in to Firebreak", base + "/app/signin"),),
        ),
        status=status,
        content_type="text/html; charset=utf-8",
        headers=_NO_STORE,
    )
