"""The postmortem's own words (R2): summary, cause, lessons and follow-ups with owners,
written by the commander or a senior, revisioned, on the timeline, in the postmortem,
and in the web app's document and its Markdown."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.functional.browser.conftest import session_cookie
from tests.functional.conftest import add_brand_account, unique
from tests.functional.incidents.test_playbook import play_to_the_end, wait_status


@pytest.fixture(scope="module")
def incident(stack: Any, users: dict[str, Any]) -> Any:
    x_user = add_brand_account(stack, "acct_notes", "@acme_notes", "Acme Notes")
    olivia, adam = users["u_olivia"], users["u_adam"]
    x_post = stack.x.app.inject_post(x_user, unique("Our intern says hi"), source="Buffer")
    res = olivia.post("/incidents", {"account_id": "acct_notes", "post": x_post["id"]})
    assert res.status_code == 201, res.text
    incident_id = res.json()["id"]
    wait_status(olivia, incident_id, "awaiting_decision")
    yield incident_id
    play_to_the_end(olivia, adam, incident_id)


NOTES = {
    "summary": "A greeting read as mocking the news; kept and owned within 20 minutes.",
    "cause": "It was approved a week before the news broke.",
    "lessons": ["Recheck the week's calendar when news breaks", "  "],
    "follow_ups": [
        {"what": "Add a news check to approvals", "owner": "u_olivia", "due": "2026-03-20"},
        {"what": "Brief the agency", "owner": "u_gina"},
    ],
}


def test_notes_are_written_by_seniors_revisioned_and_in_the_postmortem(
    incident: str, users: dict[str, Any]
) -> None:
    olivia, alice, adam = users["u_olivia"], users["u_alice"], users["u_adam"]
    path = f"/incidents/{incident}/postmortem/notes"
    assert alice.put(path, NOTES).status_code == 403  # an author does not write it
    bad = olivia.put(path, {**NOTES, "follow_ups": [{"what": "x", "owner": "u_nobody"}]})
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "follow_ups.0.owner"
    bad = olivia.put(
        path, {**NOTES, "follow_ups": [{"what": "x", "owner": "u_bob", "due": "soon"}]}
    )
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "follow_ups.0.due"
    saved = olivia.put(path, NOTES)
    assert saved.status_code == 200, saved.text
    assert saved.json()["revision"] == 1 and saved.json()["lessons"] == [NOTES["lessons"][0]]
    # Someone who edited revision 0 does not overwrite revision 1
    stale = adam.put(path + "?revision=0", {**NOTES, "summary": "mine"})
    assert stale.status_code == 409
    assert adam.put(path + "?revision=1", {**NOTES, "cause": "Timing."}).status_code == 200
    report = olivia.get(f"/incidents/{incident}/postmortem").json()
    assert report["notes"]["revision"] == 2 and report["notes"]["cause"] == "Timing."
    assert report["notes"]["follow_ups"][0] == {
        "what": "Add a news check to approvals",
        "owner": "u_olivia",
        "due": "2026-03-20",
        "done": False,
    }
    timeline = olivia.get(f"/incidents/{incident}/timeline").json()["entries"]
    assert [e["actor"] for e in timeline if e["kind"] == "postmortem_edited"] == [
        "u_olivia",
        "u_adam",
    ]


def test_the_document_and_its_markdown_carry_the_notes_by_name(
    incident: str, stack: Any, users: dict[str, Any]
) -> None:
    users["u_olivia"].put(f"/incidents/{incident}/postmortem/notes", NOTES)
    jar = {"Cookie": f"firebreak_session={session_cookie('u_olivia')}"}
    page = requests.get(
        f"{stack.api_url}/app/incidents/{incident}/postmortem", headers=jar, timeout=10
    )
    assert page.status_code == 200
    assert "Recheck the week&#39;s calendar when news breaks" in page.text
    assert "Gina Agency" in page.text and "Olivia Owner" in page.text
    md = requests.get(
        f"{stack.api_url}/app/incidents/{incident}/postmortem.md", headers=jar, timeout=10
    ).text
    assert "## Lessons" in md and "| Brief the agency | Gina Agency | no date | no |" in md
    assert NOTES["summary"] in md


def test_the_web_form_saves_notes_and_keeps_typed_text_when_refused(
    incident: str, stack: Any
) -> None:
    jar = {"Cookie": f"firebreak_session={session_cookie('u_adam')}", "Origin": stack.api_url}
    page = requests.get(
        f"{stack.api_url}/app/incidents/{incident}/postmortem", headers=jar, timeout=10
    )
    csrf = page.text.split('name="csrf-token" content="')[1].split('"')[0]
    revision = page.text.split('name="revision" value="')[1].split('"')[0]
    form = {
        "csrf": csrf,
        "revision": revision,
        "summary": "Typed in the browser",
        "cause": "",
        "lessons": "One\nTwo",
        "fu-0-what": "Call the agency",
        "fu-0-owner": "u_ada",
        "fu-0-due": "2026-04-01",
        "fu-0-done": "1",
        "fu-1-what": "",
        "fu-1-owner": "",
    }
    url = f"{stack.api_url}/app/incidents/{incident}/postmortem/notes"
    refused = requests.post(url, data={**form, "fu-0-owner": ""}, headers=jar, timeout=10)
    assert refused.status_code == 400 and "Typed in the browser" in refused.text
    assert "Nothing was saved" in refused.text
    done = requests.post(url, data=form, headers=jar, timeout=10, allow_redirects=False)
    assert done.status_code == 303, done.text
    shown = requests.get(
        f"{stack.api_url}/app/incidents/{incident}/postmortem", headers=jar, timeout=10
    )
    assert "Call the agency" in shown.text and "Ada Admin" in shown.text
