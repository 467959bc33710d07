"""The posting side in a real browser: draft with the live check, submit, approve in
the queue, the calendar showing it approved; rescheduling by the keyboard date field
and by dragging on the calendar; a decision on a version that changed meanwhile; a
refused submit that loses nothing."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import requests

from firebreak_local.stack import LocalStack
from tests.functional.browser.conftest import assert_accessible, session_cookie
from tests.functional.conftest import Api, now, unique

BERLIN = ZoneInfo("Europe/Berlin")


def _wall(days: int, hour: int) -> str:
    """A ``datetime-local`` value ``days`` from the stack's today, in Berlin."""
    day = (now() + timedelta(days=days)).astimezone(BERLIN)
    return day.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def _approved_post(alice: Api, bob: Api, account: str, text: str, when: str) -> str:
    at = f"{when}:00{now().astimezone(BERLIN).strftime('%z')[:3]}:00"
    created = alice.post(f"/accounts/{account}/posts", {"text": text, "scheduled_at": at})
    assert created.status_code == 201, created.text
    post_id = str(created.json()["id"])
    assert alice.post(f"/posts/{post_id}/submit").status_code == 200
    assert bob.post(f"/posts/{post_id}/approve").json()["status"] == "approved"
    return post_id


def test_draft_submit_approve_then_the_calendar_shows_it_approved(
    as_user: Any, stack: LocalStack, account: str
) -> None:
    text = unique("Our spring blend is back in every shop")
    page = as_user("u_alice")
    # The demo account by name: the form opens on her first account, and other tests
    # on this stack may have added accounts with other policies.
    page.goto(f"/app/posts/new?account={account}")
    assert_accessible(page)
    assert "Europe/Berlin" in page.locator("#f-when-hint").inner_text()

    # As she types: the weighted counter and the policy hit, live.
    box = page.get_by_label("Text")
    box.fill(text + ", guaranteed results")
    check = page.locator("#check")
    check.get_by_text('contains forbidden "guaranteed results"').wait_for()
    assert f"{len(text) + 20} of 280 weighted characters" in check.inner_text()
    box.fill(text)
    check.get_by_text("No policy rule is broken").wait_for()
    assert f"{len(text)} of 280" in check.inner_text()

    page.get_by_label("Schedule").fill(_wall(1, 10))
    page.get_by_role("button", name="Save and submit for approval").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/app/posts/post_[^/?]+\?done=submitted$"))
    post_id = page.url.split("/app/posts/")[1].split("?")[0]
    assert page.get_by_role("status").inner_text().startswith("Submitted for approval")
    assert "submitted" in page.locator("dl.facts").inner_text()
    assert page.get_by_role("button", name="Approve").count() == 0  # never her own
    assert_accessible(page)

    bob = as_user("u_bob")
    bob.goto("/app/approvals")
    card = bob.locator(f"#approval-{post_id}")
    assert text in card.inner_text() and "Alice Author" in card.inner_text()
    assert_accessible(bob)
    card.get_by_role("button", name="Approve").focus()
    bob.keyboard.press("Enter")
    bob.wait_for_url("**/app/approvals?done=approved")
    assert "Your approval is recorded" in bob.get_by_role("status").inner_text()
    assert bob.locator(f"#approval-{post_id}").count() == 0

    page.goto("/app/calendar")
    event = page.locator(".fc-event", has_text=f"approved: {text}")
    event.wait_for()
    assert "Europe/Berlin" in page.locator("main").inner_text()
    assert_accessible(page)
    event.click()
    page.wait_for_url(f"**/app/posts/{post_id}")
    audit = page.locator("table").inner_text()
    assert "Bob Approver" in audit and "approved" in audit and "Alice Author" in audit


def test_a_new_time_by_the_keyboard_sends_an_approved_post_back_through_approval(
    as_user: Any, alice: Api, bob: Api, account: str
) -> None:
    post_id = _approved_post(alice, bob, account, unique("Latte art class"), _wall(2, 11))
    page = as_user("u_alice")
    page.goto(f"/app/posts/{post_id}")
    assert_accessible(page)
    page.get_by_label("New time").fill(_wall(3, 9))
    page.get_by_role("button", name="Reschedule").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**?done=rescheduled_back")
    assert "went back through approval" in page.get_by_role("status").inner_text()
    post = alice.get(f"/posts/{post_id}").json()
    assert post["status"] == "submitted" and post["approvals"] == []
    assert post["scheduled_at"].startswith(_wall(3, 9)[:10])


def test_dragging_on_the_calendar_reschedules_and_a_refusal_reverts(
    as_user: Any, alice: Api, bob: Api, account: str
) -> None:
    text = unique("Cold brew tasting")
    post_id = _approved_post(alice, bob, account, text, _wall(1, 15))
    page = as_user("u_alice")
    page.goto(f"/app/calendar?account={account}")
    event = page.locator(".fc-event", has_text=f"approved: {text}")
    target = _wall(2, 15)[:10]
    event.drag_to(page.locator(f'td.fc-daygrid-day[data-date="{target}"]'))
    page.locator(".fc-event", has_text=f"submitted: {text}").wait_for()
    assert "went back through approval" in page.locator("#calendar-status").inner_text()
    post = alice.get(f"/posts/{post_id}").json()
    assert post["status"] == "submitted"
    assert post["scheduled_at"].startswith(target)

    # A refused move (into the past) is undone on the calendar and says why.
    moved = page.locator(".fc-event", has_text=f"submitted: {text}")
    moved.drag_to(page.locator("td.fc-daygrid-day.fc-day-past").last)
    page.locator("#calendar-error").get_by_text("in the past").wait_for()
    assert page.locator(f'td.fc-daygrid-day[data-date="{target}"]').get_by_text(text).count()
    assert alice.get(f"/posts/{post_id}").json()["scheduled_at"].startswith(target)


def test_an_approval_of_a_version_that_changed_meanwhile_is_refused(
    as_user: Any, alice: Api, account: str
) -> None:
    text = unique("Weekend opening hours")
    created = alice.post(f"/accounts/{account}/posts", {"text": text}).json()
    post_id = created["id"]
    when = (now() + timedelta(days=1)).replace(microsecond=0).isoformat()
    alice.patch(f"/posts/{post_id}", {"scheduled_at": when})
    assert alice.post(f"/posts/{post_id}/submit").status_code == 200
    bob = as_user("u_bob")
    bob.goto(f"/app/posts/{post_id}")
    assert_accessible(bob)
    # Meanwhile Alice changes the words and submits again.
    alice.patch(f"/posts/{post_id}", {"text": text + " (10-18h)"})
    assert alice.post(f"/posts/{post_id}/submit").status_code == 200
    bob.get_by_role("button", name="Approve").click()
    alert = bob.get_by_role("alert").filter(has_text="edited after you saw it")
    alert.wait_for()
    assert "(10-18h)" in alert.inner_text()
    assert alice.get(f"/posts/{post_id}").json()["status"] == "submitted"


def test_a_refused_submit_keeps_the_words_and_names_the_rules(
    stack: LocalStack, alice: Api, account: str
) -> None:
    jar = {"Cookie": f"firebreak_session={session_cookie('u_alice')}", "Origin": stack.api_url}
    page = requests.get(stack.api_url + "/app/posts/new", headers=jar, timeout=10)
    csrf = page.text.split('name="csrf-token" content="')[1].split('"')[0]
    text = unique("Guaranteed results with every cup")
    form = {"csrf": csrf, "account": account, "text": text, "scheduled_at": _wall(1, 9)}
    refused = requests.post(
        stack.api_url + "/app/posts",
        data={**form, "intent": "submit"},
        headers=jar,
        timeout=10,
        allow_redirects=False,
    )
    assert refused.status_code == 422
    assert "Saved as a draft, but not submitted" in refused.text
    assert "account:forbidden_phrase" in refused.text and text in refused.text
    post_id = refused.text.split('name="post_id" value="')[1].split('"')[0]
    assert alice.get(f"/posts/{post_id}").json()["status"] == "draft"

    # Without the CSRF token nothing happens; with it, the same draft is fixed and sent.
    fixed = {**form, "post_id": post_id, "text": text.replace("Guaranteed results", "Joy")}
    forged = requests.post(
        stack.api_url + "/app/posts",
        data={**fixed, "csrf": "", "intent": "submit"},
        headers=jar,
        timeout=10,
        allow_redirects=False,
    )
    assert forged.status_code == 403
    assert alice.get(f"/posts/{post_id}").json()["status"] == "draft"
    sent = requests.post(
        stack.api_url + "/app/posts",
        data={**fixed, "intent": "submit"},
        headers=jar,
        timeout=10,
        allow_redirects=False,
    )
    assert sent.status_code == 303
    assert sent.headers["Location"].endswith(f"/app/posts/{post_id}?done=submitted")
    assert alice.get(f"/posts/{post_id}").json()["status"] == "submitted"
