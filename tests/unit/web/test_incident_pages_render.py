"""The incident room, the list and the postmortem rendered in the states a browser test
does not walk through: a suspected hack, an escalation, the security checklist, an
apology sent back, a refusal next to its form, a failed playbook, a resolved incident."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

from chalicelib.core.users import Role, User
from chalicelib.incidents.domain import (
    Apology,
    ChecklistItem,
    Decision,
    IncidentStatus,
    postmortem,
)
from chalicelib.web.incident_pages import STATUS_WORDS, chart_view, room_context
from chalicelib.web.postmortem_pages import document
from chalicelib.web.render import render
from tests.unit.web.test_incident_pages import ACCOUNT, OPENED, PEOPLE, incident, series

OLIVIA = User("u_olivia", "Olivia Owner", "olivia@acme.example", Role.BRAND_OWNER, "acme")
CAN_NOTHING = {
    "decide": False,
    "checklist": False,
    "edit_apology": False,
    "approve_apology": False,
    "update": False,
    "resolve": False,
    "close": False,
}


def room(inc: Any, entries: Any = (), *, can: dict[str, bool] | None = None, **extra: Any) -> str:
    context = room_context(
        inc,
        PEOPLE,
        OPENED + timedelta(minutes=12),
        entries=list(entries),
        evidence={"raw": {"id": "1900", "public_metrics": {"reply_count": 4}}, "sha256": "ab"},
        chart=chart_view(series([(10, 1)] * 70), OPENED, "Europe/Berlin", "@acme_demo"),
        can={**CAN_NOTHING, **(can or {})},
        query={"rev": "0"},
    )
    context.update(extra)
    html = render(
        "incident.html",
        base="",
        me=OLIVIA,
        csrf="t0ken",
        path=f"/app/incidents/{inc.id}",
        **context,
    )
    return " ".join(html.split())


def waiting() -> Any:
    kept, _ = incident()
    return replace(
        kept,
        status=IncidentStatus.AWAITING_DECISION,
        decision=None,
        decided_by=None,
        apology=None,
        hack_suspected=True,
        hack_confirmed=None,
        hack_answered_by=None,
        recommendation={"recommendation": "delete", "reasons": ["hack suspected", "delete fast"]},
    )


def test_a_decider_gets_the_question_and_the_buttons_on_the_round_they_saw() -> None:
    html = room(waiting(), can={"decide": True})
    assert "Firebreak recommends <strong>deleting the post</strong>" in html
    assert '<strong class="warn">suspects a hack</strong>' in html
    assert '<input type="hidden" name="round" value="1">' in html
    assert '<input type="hidden" name="csrf" value="t0ken">' in html
    assert 'value="delete" class="danger">Delete the post (recommended)</button>' in html
    assert '<input type="radio" name="hack" value="unsure" checked>' in html
    assert "<strong>4</strong> replies" in html and "Severity: low" in html
    assert "Detected 12 min ago, Mon 2 Mar 2026, 03:30 CET" in html
    # The live parts poll: the header line (with the revision seen) and the chart.
    assert 'hx-get="/app/incidents/inc_1/state?rev=0" hx-trigger="every 30s"' in html
    assert 'hx-get="/app/incidents/inc_1/live" hx-trigger="every 30s"' in html
    assert "data-series='{" in html and '"zone": "Europe/Berlin"}' in html


def test_others_see_who_is_asked_and_no_buttons() -> None:
    escalated = replace(waiting(), status=IncidentStatus.ESCALATED, escalated_to="u_ada")
    html = room(escalated)
    assert "Waiting for a decision from Olivia Owner, Adam Admin, Ada Admin or an admin." in html
    assert "Delete the post" not in html
    assert "escalated: waiting for a decision" in html


def test_the_checklist_shows_who_did_what_and_a_button_per_open_item() -> None:
    inc = replace(
        waiting(),
        status=IncidentStatus.CONTAINING,
        decision=Decision.DELETE,
        decided_by="u_olivia",
        hack_confirmed=True,
        hack_answered_by="u_olivia",
        checklist=(
            ChecklistItem("rotate_password", "Rotate the password", "u_adam", OPENED),
            ChecklistItem("enable_2fa", "Turn on two-factor authentication"),
        ),
    )
    html = room(inc, can={"checklist": True})
    assert "The hack was confirmed: secure the account" in html
    assert 'Done</span>: Rotate the password <span class="muted">(Adam Admin, Mon 2 Mar' in html
    assert 'action="/app/incidents/inc_1/checklist/enable_2fa"' in html
    assert (
        'Confirm done<span class="visually-hidden">: Turn on two-factor authentication</span>'
        in html
    )
    assert "checklist/rotate_password" not in html
    assert "Yes, confirmed by Olivia Owner." in html


def test_an_apology_sent_back_says_why_and_a_refusal_keeps_what_was_typed() -> None:
    inc = replace(
        waiting(),
        status=IncidentStatus.APOLOGISING,
        decision=Decision.KEEP,
        decided_by="u_olivia",
        apology=Apology(
            "We are sorry.",
            "own_mistake",
            "u_olivia",
            "system",
            rejected_by="u_adam",
            rejection_reason="Too stiff",
        ),
    )
    html = room(
        inc,
        can={"edit_apology": True},
        error="is longer than X allows (280 weighted characters)",
        error_at="apology",
        draft={"text": "Sorry " * 60},
    )
    assert "Sent back by Adam Admin: “Too stiff”. Edit it to ask for approval again." in html
    assert (
        '<p class="error" role="alert">Not done: is longer than X allows (280 weighted '
        "characters)</p>" in html
    )
    assert re.search(r'<textarea id="apology-editor"[^>]*>Sorry Sorry', html)
    assert "Approve and publish" not in html


def test_a_failed_playbook_and_a_resolved_incident() -> None:
    failed = replace(waiting(), status=IncidentStatus.FAILED, failure="DeletePost: X is down")
    html = room(failed, can={"resolve": True})
    assert "The playbook failed: DeletePost: X is down." in html
    assert "Resolve the incident" in html
    kept, timeline = incident()
    resolved = replace(kept, status=IncidentStatus.RESOLVED, resolved_at=OPENED)
    html = room(resolved, timeline, can={"close": True})
    assert "Close the incident" in html and "Resolve the incident" not in html
    assert 'Olivia Owner</strong> <span class="muted">(in the web app)</span>: decided to keep' in (
        html
    )
    assert "Talking to the people it hurt" in html  # the status updates


def test_the_list_and_the_postmortem_render() -> None:
    kept, timeline = incident()
    html = render(
        "incidents.html",
        base="/api",
        me=OLIVIA,
        csrf="t",
        path="/app/incidents",
        title="Incidents",
        incidents=[kept],
        directory=PEOPLE,
        now=OPENED + timedelta(hours=1),
        status_words=STATUS_WORDS,
    )
    assert 'href="/api/app/incidents/inc_1"' in html and "Acme Coffee" in html
    assert "Mon 2 Mar 2026, 03:30 CET" in html and "1 h 0 min ago" in html
    report = postmortem(kept, timeline)
    report["mentions"] = None
    doc = document(report, kept, ACCOUNT, PEOPLE)
    html = " ".join(
        render(
            "postmortem.html",
            base="/api",
            me=OLIVIA,
            csrf="t",
            path="/app/incidents/inc_1/postmortem",
            title=doc["title"],
            doc=doc,
        ).split()
    )
    assert 'href="/api/app/incidents/inc_1/postmortem.md" download=' in html
    assert '<button type="button" id="print-postmortem" hidden>Print</button>' in html
    assert "Olivia Owner decided to keep it, 1 min 5 s after detection." in html
    assert "No mention damage report." in html
