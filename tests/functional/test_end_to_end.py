"""The whole approval pipeline over loopback: draft, checks, submit, mailed link,
confirmation page, approve, publisher tick, post on the sandbox X, audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests

from tests.functional.conftest import Api, later, links_for, unique


@pytest.fixture
def cancel_afterwards(alice):
    """Post ids to cancel once the test is over, pass or fail: a post left approved in the
    shared demo account would come due in a later test's publisher tick."""
    ids: list[str] = []
    yield ids
    for post_id in ids:
        alice.post(f"/posts/{post_id}/cancel")  # a 409 once published is fine


def test_draft_to_published_through_mailed_link(
    stack, alice, bob, account, cancel_afterwards
) -> None:
    # Given a draft scheduled an hour from now
    when = later(60)
    text = unique("Our winter blend is back, with oat milk at no extra cost")
    res = alice.post(f"/accounts/{account}/posts", {"text": text, "scheduled_at": when.isoformat()})
    assert res.status_code == 201, res.text
    post = res.json()
    cancel_afterwards.append(post["id"])
    assert post["status"] == "draft"
    assert post["check"]["passed"] is True
    assert set(post["check"]["risk"]["categories"]) >= {"offensive", "hate", "sexual", "violence"}

    # When the author submits it
    res = alice.post(f"/posts/{post['id']}/submit")
    assert res.status_code == 200, res.text
    assert res.json()["status"] == "submitted"

    # Then the approver gets one mail with a link for it, read back from the embedded SES
    links = links_for(stack, "bob@acme.example", post["id"])
    assert len(links) == 1, f"expected one approval link for bob, got {links}"
    link = links[0]
    assert "/links/" in link and post["id"] not in link  # opaque token only

    # GET shows a confirmation page and changes nothing
    page = requests.get(link, timeout=10)
    assert page.status_code == 200
    assert "Approve" in page.text and text.split(" #")[0] in page.text
    assert alice.get(f"/posts/{post['id']}").json()["status"] == "submitted"

    # POST approves
    res = requests.post(link, data={"action": "approve", "post_id": post["id"]}, timeout=10)
    assert res.status_code == 200, res.text
    assert alice.get(f"/posts/{post['id']}").json()["status"] == "approved"

    # A tick before the due time publishes nothing
    stack.tick(at=when - timedelta(minutes=5))
    assert alice.get(f"/posts/{post['id']}").json()["status"] == "approved"

    # The scheduler tick at the due time publishes it to the sandbox X
    report = stack.tick(at=when + timedelta(seconds=30))
    assert post["id"] in report["published"]
    published = alice.get(f"/posts/{post['id']}").json()
    assert published["status"] == "published"
    on_x = stack.x.app.post(published["network_post_id"])
    assert on_x["text"] == text
    assert on_x["source"] == "Firebreak"

    # And the audit trail is complete, in order, with who and through which channel
    trail = alice.get(f"/posts/{post['id']}/audit").json()["entries"]
    steps = [(e["action"], e["actor"], e["channel"]) for e in trail]
    assert steps[0] == ("post.created", "u_alice", "api")
    assert ("post.submitted", "u_alice", "api") in steps
    assert ("post.approval_recorded", "u_bob", "email") in steps
    assert ("post.approved", "u_bob", "email") in steps
    assert ("post.publishing", "scheduler", "scheduler") in steps
    assert steps[-1] == ("post.published", "scheduler", "scheduler")
    assert any(a == "mail.sent" for a, _, _ in steps)
    assert [e["at"] for e in trail] == sorted(e["at"] for e in trail)
    # The account-wide log holds the same entries
    account_log = {e["id"] for e in alice.get(f"/accounts/{account}/audit").json()["entries"]}
    assert {e["id"] for e in trail} <= account_log


def test_health_reports_every_component(stack) -> None:
    stack.tick()  # the publisher and the watcher have run at least once
    stack.tick("watcher")
    stack.tick("mention_poller")
    res = requests.get(stack.api_url + "/health", timeout=10)
    body = res.json()
    assert res.status_code == 200, body
    assert body["status"] == "ok"
    components = ("api", "table", "mail", "secrets", "x", "publisher", "watcher", "playbook")
    for name in (*components, "mention_poller"):
        assert body["components"][name]["status"] == "ok", name


def test_outbox_lists_mail_with_links(stack, alice, account, cancel_afterwards) -> None:
    text = unique("Outbox check")
    post = alice.post(
        f"/accounts/{account}/posts", {"text": text, "scheduled_at": later().isoformat()}
    ).json()
    cancel_afterwards.append(post["id"])
    assert alice.post(f"/posts/{post['id']}/submit").status_code == 200
    page = requests.get(stack.outbox_url, timeout=10)
    assert page.status_code == 200
    # this post's own link is listed, not merely some link
    [link] = links_for(stack, "bob@acme.example", post["id"])
    assert link in page.text and "Approval needed" in page.text


def test_unauthenticated_and_unknown_key_get_401(stack) -> None:
    assert Api(stack.api_url, None).get("/accounts").status_code == 401
    res = Api(stack.api_url, "fb_not-a-key").get("/accounts")
    assert res.status_code == 401
    assert res.json()["error"]["code"] == "unauthenticated"
