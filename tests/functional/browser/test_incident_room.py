"""An incident from detection to decision to apology approval in the incident room,
in a real browser: the watcher catches a post made outside Firebreak, the playbook
asks for a decision, the commander decides by keyboard in the room and rewrites the
apology, another senior approves it (four eyes), and the postmortem reads as a
document with a Markdown export."""

from __future__ import annotations

import re
from typing import Any

import pytest

from firebreak_local.drill import incident_for_post
from firebreak_local.stack import LocalStack
from tests.functional.browser.conftest import assert_accessible
from tests.functional.conftest import Api, add_brand_account, berlin_zone, unique
from tests.functional.incidents.test_playbook import wait_status

ACCOUNT = "acct_room"


@pytest.fixture(scope="module")
def x_user(stack: LocalStack) -> str:
    """An account of the demo brand of its own: its incident's freeze holds nothing
    that other tests publish."""
    x_user = add_brand_account(stack, ACCOUNT, "@acme_room", "Acme Room Desk")
    stack.tick("watcher")  # the watcher's checkpoint: only what appears later is new
    return x_user


def test_incident_from_detection_to_approved_apology_in_the_room(
    stack: LocalStack, as_user: Any, olivia: Api, x_user: str
) -> None:
    # Detection: a clumsy post appears on the account from the phone app.
    text = unique("Happy Monday! Nothing says fun like our tax-season coffee, lol")
    x_post = stack.x.app.inject_post(x_user, text, source="Twitter for iPhone")
    stack.tick("watcher")
    incident_id = incident_for_post(ACCOUNT, x_post["id"])
    assert incident_id is not None
    wait_status(olivia, incident_id, "awaiting_decision")
    room = f"/app/incidents/{incident_id}"

    # The commander opens the room from the list.
    page = as_user("u_olivia")
    page.goto("/app/incidents")
    assert page.get_by_role("heading", name="Incidents", exact=True).is_visible()
    # By its link: the drill posts the same words, and the list cuts long texts short.
    row = page.get_by_role("row").filter(has=page.locator(f'a[href$="{room}"]'))
    assert "Acme Room Desk" in row.inner_text() and "waiting for a decision" in row.inner_text()
    assert_accessible(page)
    row.get_by_role("link").click()
    page.wait_for_url(f"**{room}")
    header = page.locator(".room-head").inner_text()
    for fact in ("Acme Room Desk", "Severity:", "waiting for a decision", "Olivia Owner"):
        assert fact in header, fact
    assert "Detected" in header and berlin_zone() in header
    assert "Firebreak recommends keeping the post" in page.locator("#decision").inner_text()
    assert page.locator("#post blockquote").inner_text() == text
    assert page.locator("#post code.hash").inner_text()  # the evidence was captured
    # The mention chart: a one-line summary and a table for screen readers.
    assert page.locator("#chart-summary").inner_text().startswith(("Mentions", "No mentions"))
    assert "Mentions of @acme_room" in (
        page.locator("#mentions table caption").text_content() or ""
    )
    assert page.locator("#mentions table tbody tr").count() > 0
    assert page.locator("#mention-chart .uplot").count() == 1  # drawn by incident.js
    assert_accessible(page)
    # The chart and the timeline refresh in place (htmx, every 30 s): redrawn once.
    page.evaluate(
        "document.querySelector('#room-live').dataset.old = '1';"
        "htmx.ajax('GET', document.querySelector('#room-live').getAttribute('hx-get'), "
        "{target: '#room-live', swap: 'outerHTML'})"
    )
    page.wait_for_function(
        "!document.querySelector('#room-live').dataset.old"
        " && document.querySelector('#mention-chart .uplot')"
    )
    assert page.locator("#mention-chart .uplot").count() == 1

    # A form without the session's CSRF token changes nothing.
    forged = page.request.post(
        f"{room}/decide", form={"decision": "delete"}, headers={"Origin": stack.api_url}
    )
    assert forged.status == 403
    assert olivia.get(f"/incidents/{incident_id}").json()["status"] == "awaiting_decision"

    # Decide by keyboard: the hack question left at "not sure", keep.
    keep = page.get_by_role("button", name=re.compile("^Keep it and own it"))
    keep.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*\?done=decided"))
    outcome = page.locator("#decision-outcome").inner_text()
    assert "Olivia Owner decided to keep the post in the web app" in outcome
    assert "Not answered" in outcome
    assert page.get_by_role("status").filter(has_text="decision is recorded").is_visible()
    assert page.get_by_role("button", name=re.compile("^Keep it")).count() == 0

    # The playbook drafts the apology; the commander rewrites it in her own words.
    wait_status(olivia, incident_id, "apologising")
    page.goto(room)
    assert "drafted by Firebreak" in page.locator("#apology").inner_text()
    words = unique("We misjudged the mood this morning and we are sorry. — Olivia")
    page.get_by_label("Edit the apology").fill(words)
    page.get_by_role("button", name="Save the apology").click()
    page.wait_for_url(re.compile(r".*\?done=apology_edited"))
    apology = page.locator("#apology").inner_text()
    assert "written by Olivia Owner" in apology and words in apology
    assert "another brand owner or admin approves it" in apology  # four eyes
    assert page.get_by_role("button", name="Approve and publish").count() == 0

    # Another senior approves it in the room.
    adam = as_user("u_adam")
    adam.goto(room)
    assert words in adam.locator("#apology-text").inner_text()
    assert_accessible(adam)  # the room with every apology form on it
    adam.get_by_role("button", name="Approve and publish").click()
    adam.wait_for_url(re.compile(r".*\?done=apology_approved"))
    assert "Approved by Adam Admin" in adam.locator("#apology-state").inner_text()

    # The header, the chart and the timeline refresh by htmx; a stale room is told so.
    live = page.request.get(f"{room}/live", headers={"HX-Request": "true"}).text()
    assert live.startswith('<div id="room-live"') and "<html" not in live
    assert "apology approved" in live and "Adam Admin" in live
    state = page.request.get(f"{room}/state?rev=1", headers={"HX-Request": "true"}).text()
    assert "changed since you opened the room" in state

    # The commander's room shows it approved, and the postmortem tells the story.
    page.goto(room)
    assert "Approved by Adam Admin" in page.locator("#apology-state").inner_text()
    assert "Olivia Owner" in page.locator("#timeline").inner_text()
    # A status update: an empty one is refused next to its form, a real one is listed.
    page.get_by_role("button", name="Post the update").click()
    assert "must not be empty" in page.get_by_role("alert").inner_text()
    page.get_by_label("Status update for the team").fill("Apology is out; replies next")
    page.get_by_role("button", name="Post the update").click()
    page.wait_for_url(re.compile(r".*\?done=updated"))
    assert "Olivia Owner" in page.locator("ul.updates").inner_text()
    assert "Apology is out; replies next" in page.locator("ul.updates").inner_text()
    page.get_by_role("link", name="The postmortem").click()
    page.wait_for_url(f"**{room}/postmortem")
    summary = page.locator("#pm-summary + p").inner_text()
    assert "Olivia Owner decided to keep it" in summary and "on @acme_room" in summary
    assert words in page.locator("article").inner_text()
    assert_accessible(page)
    export = page.request.get(f"{room}/postmortem.md")
    assert export.ok and export.headers["content-type"] == "text/markdown; charset=utf-8"
    assert re.match(
        rf'attachment; filename="postmortem-acme_room-\d{{4}}-\d\d-\d\d-{incident_id}\.md"',
        export.headers["content-disposition"],
    )
    assert "## Summary" in export.text() and "Olivia Owner decided to keep it" in export.text()
    # Resolved, so its freeze is lifted and no playbook waits on the shared stack.
    wait_status(olivia, incident_id, "monitoring")
    assert olivia.post(f"/incidents/{incident_id}/resolve").status_code == 200
