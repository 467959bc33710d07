"""The engagement queue in a real browser: mentions read from the sandbox X ranked by
urgency, assigned by keyboard, answered from a reply template, and during an incident
a reply held until another senior approves it (four eyes, as the API)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import requests

from firebreak_local.stack import LocalStack
from tests.functional.browser.conftest import assert_accessible
from tests.functional.conftest import Api
from tests.functional.mentions.conftest import listener, queue_items, read_in  # noqa: F401

TEMPLATE = {"lang": "en", "name": "On it", "text": "{author} sorry about this: {account} is on it."}
HOURS = {"lang": "en", "name": "Hours", "text": "{author} we open again at {time}."}


def listener_name(account_id: str) -> str:
    """The name the listener fixture gives its account."""
    return "Listener " + account_id.removeprefix("acc_m")


def _wait_focus(page: Any, element_id: str) -> None:
    """htmx moves focus once the swapped row settles."""
    page.wait_for_function("id => document.activeElement.id === id", arg=element_id)


def _id(items: list[dict[str, Any]], word: str) -> str:
    return str(next(i for i in items if word in i["mention"]["text"])["mention"]["id"])


def test_the_queue_ranks_assigns_by_keyboard_and_replies_from_a_template(
    stack: LocalStack,
    listener: dict[str, Any],  # noqa: F811 - the mention tests' fixture
    as_user: Any,
    olivia: Api,
) -> None:
    acc = listener["account_id"]
    assert olivia.put(f"/accounts/{acc}/reply-templates/on-it", TEMPLATE).status_code == 200
    assert olivia.put(f"/accounts/{acc}/reply-templates/hours", HOURS).status_code == 200
    read_in(
        stack,
        listener,
        [
            ("nice photo", {}),
            (
                "Where is my refund?? Worst service ever",
                {"author": "angry_fan", "author_public_metrics": {"followers_count": 900_000}},
            ),
            ("Why is the store closed today?", {}),
        ],
    )
    items = queue_items(olivia, acc)
    refund, closed, photo = (_id(items, w) for w in ("refund", "closed", "photo"))

    page = as_user("u_olivia")
    page.goto("/app/queue")  # the stack has several accounts: pick one
    assert_accessible(page)
    page.get_by_role("link", name=listener_name(acc)).click()
    page.wait_for_url(f"**/app/queue/{acc}")
    rows = page.locator("ol.queue > li")
    assert rows.count() == 3
    # Most urgent first: the big account's complaint, the idle compliment last.
    assert rows.nth(0).get_attribute("id") == f"m-{refund}"
    assert rows.nth(2).get_attribute("id") == f"m-{photo}"
    first = rows.nth(0)
    assert "@angry_fan" in first.inner_text() and "900,000 followers" in first.inner_text()
    assert "Sentiment: negative" in first.inner_text() and "urgent" in first.inner_text()
    assert_accessible(page)

    # Assign to me by keyboard: htmx swaps the row in place.
    page.locator(f"#m-{refund}-mine").focus()
    page.keyboard.press("Enter")
    page.locator(f"#m-{refund}").get_by_role("status").wait_for()
    assert "Assigned to you" in page.locator(f"#m-{refund}").inner_text()
    # Focus stays on the row (what was done), not lost to the top of the page.
    page.wait_for_function("() => document.activeElement.textContent === 'Assigned.'")
    assert queue_items(olivia, acc, state="assigned")[0]["assignee"] == "u_olivia"

    # Reply from a template: rendered into the text, editable, then sent. What the
    # template leaves to the person ({time}) must be filled before it goes.
    row = page.locator(f"#m-{closed}")
    row.get_by_text("Reply", exact=True).click()  # the reply box opens
    row.get_by_label("Reply template").select_option("hours")
    row.get_by_role("button", name="Use template").click()
    page.wait_for_function(
        "id => document.getElementById(id).value.includes('{time}')", arg=f"m-{closed}-text"
    )
    row.get_by_role("button", name="Send reply").click()
    page.locator(f"#m-{closed}").get_by_role("alert").wait_for()
    assert "fill in {time}" in row.get_by_role("alert").inner_text()
    _wait_focus(page, f"m-{closed}-text")  # to fix it
    assert olivia.get(f"/accounts/{acc}/queue/{closed}").json()["reply"] is None  # not sent
    row.get_by_label("Reply template").select_option("on-it")
    row.get_by_role("button", name="Use template").click()
    text = page.locator(f"#m-{closed}-text")
    page.wait_for_function(
        "id => document.getElementById(id).value.includes('is on it')", arg=f"m-{closed}-text"
    )
    filled = text.input_value()
    _wait_focus(page, f"m-{closed}-text")  # to edit it next
    assert filled.startswith("@") and listener["account_id"] not in filled
    text.fill(filled + " DM us!")
    row.get_by_role("button", name="Send reply").click()
    page.locator(f"#m-{closed}").get_by_text("Reply posted.").wait_for()
    done = olivia.get(f"/accounts/{acc}/queue/{closed}").json()
    assert done["state"] == "replied" and done["reply"]["text"].endswith("is on it. DM us!")
    on_x = stack.x.app.post(done["reply"]["network_post_id"])
    assert {"type": "replied_to", "id": closed} in on_x["referenced_tweets"]

    # Without htmx the same actions are plain form posts that redirect back.
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
    cookie = next(c for c in page.context.cookies() if c["name"] == "firebreak_session")
    res = requests.post(
        f"{stack.api_url}/app/queue/{acc}/{photo}/dismiss",
        data={"csrf": csrf, "state": "open"},
        headers={"Origin": stack.api_url},
        cookies={"firebreak_session": cookie["value"]},
        allow_redirects=False,
        timeout=10,
    )
    assert res.status_code == 303 and "note=dismissed" in res.headers["Location"]
    empty = requests.post(
        f"{stack.api_url}/app/queue/{acc}/{refund}/reply",
        data={"csrf": csrf, "state": "open", "text": " "},
        headers={"Origin": stack.api_url},
        cookies={"firebreak_session": cookie["value"]},
        allow_redirects=False,
        timeout=10,
    )
    assert empty.status_code == 400 and "Text: must not be empty" in empty.text
    page.goto(f"/app/queue/{acc}?state=replied")
    assert page.locator("ol.queue > li").count() == 1
    assert "answered by you" in page.locator(f"#m-{closed}").inner_text()
    page.goto(f"/app/queue/{acc}?state=dismissed")
    assert re.search(r"Dismissed\s+by you", page.locator(f"#m-{photo}").inner_text())


def test_during_an_incident_a_reply_is_held_until_another_senior_approves_it(
    stack: LocalStack,
    listener: dict[str, Any],  # noqa: F811 - the mention tests' fixture
    as_user: Any,
    olivia: Api,
    users: dict[str, Api],
) -> None:
    acc, x_user = listener["account_id"], listener["x_user_id"]
    own = stack.x.app.inject_post(
        x_user, "Our edgy ad", created_at=listener["base"] - timedelta(minutes=9)
    )
    read_in(stack, listener, [("This ad is offensive, take it down", {"reply_to": own["id"]})])
    opened = olivia.post("/incidents", {"account_id": acc, "post": own["id"]})
    assert opened.status_code == 201, opened.text
    try:
        (item,) = queue_items(olivia, acc)
        mid = item["mention"]["id"]
        page = as_user("u_olivia")
        page.goto(f"/app/queue/{acc}")
        assert "Incident open" in page.content()
        row = page.locator(f"#m-{mid}")
        assert "Replies to our post" in row.inner_text()
        reply = "You are right, and we are sorry. We are taking it down now."
        page.locator(f"#m-{mid}-open").focus()
        page.keyboard.press("Enter")  # the reply box opens by keyboard
        page.locator(f"#m-{mid}-text").fill(reply)
        page.keyboard.press("Tab")  # the hint is text: the next stop is the send button
        page.keyboard.press("Enter")
        row.get_by_text("Reply held for approval").first.wait_for()
        assert "incident" in row.inner_text() and "Someone other than you" in row.inner_text()
        assert page.locator(f"#m-{mid}-approve").count() == 0  # four eyes: not her own
        assert not [p for p in stack.x.app.posts(author_id=x_user) if reply in p["text"]]
        assert_accessible(page)

        adam = as_user("u_adam")
        adam.goto(f"/app/queue/{acc}")
        adam.locator(f"#m-{mid}-approve").focus()
        adam.keyboard.press("Enter")
        adam.locator(f"#m-{mid}").get_by_text("Reply approved and posted.").wait_for()
        assert_accessible(adam)
        done = olivia.get(f"/accounts/{acc}/queue/{mid}").json()
        assert done["state"] == "replied" and done["reply"]["decided_by"] == "u_adam"
        assert len([p for p in stack.x.app.posts(author_id=x_user) if reply in p["text"]]) == 1
    finally:
        _end_incident(users, opened.json()["id"], acc)


def _end_incident(users: dict[str, Api], incident_id: str, acc: str) -> None:
    """Played to the end (kept, apologised, resolved): its freeze is lifted by the
    playbook and nothing of it waits on the shared stack."""
    from tests.functional.incidents.test_playbook import play_to_the_end, wait_for, wait_status

    olivia, adam = users["u_olivia"], users["u_adam"]
    wait_status(olivia, incident_id, "awaiting_decision", timeout=60)
    play_to_the_end(olivia, adam, incident_id, timeout=60)
    # The playbook lifts its freeze in its last step, a moment after the resolve.
    wait_for(lambda: not any(f["scope"] == acc for f in adam.get("/freezes").json()["freezes"]))
