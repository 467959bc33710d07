"""Lost answers from X: the sandbox answers after the client has given up
(``X_TIMEOUT_S``), but the request still takes effect. Publishing, apologising and
deleting must then adopt what happened on X, never do it twice."""

from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
import requests

from firebreak_local.drill import incident_for_post
from tests.functional.conftest import X_TIMEOUT_S, add_brand_account, later, unique
from tests.functional.incidents.test_playbook import incident_of, links_to, wait_for, wait_status

LATE = X_TIMEOUT_S + 0.6  # the answer comes after the client gave up; the post lands


@contextmanager
def duplicates_allowed(stack):
    """X refuses an account's repeated text within a day, which hides a double post as
    a refusal; with it off, a second publish would show as a second post."""
    stack.x.app.configure(reject_duplicates=False)
    try:
        yield
    finally:
        stack.x.app.configure(reject_duplicates=True)


def _on_x(stack, sent_text):
    return [
        p
        for p in stack.x.app.posts(include_deleted=False)
        if sent_text.split(" https://")[0] in p["text"]
    ]


def test_a_post_with_a_link_whose_answer_was_lost_is_adopted_not_posted_again(
    stack, alice, bob, account
) -> None:
    # Given an approved post with a link (X wraps it into t.co)
    when = later(30)
    text = unique("Our menu is out: https://acme.example/menu")
    post = alice.post(
        f"/accounts/{account}/posts", {"text": text, "scheduled_at": when.isoformat()}
    ).json()
    alice.post(f"/posts/{post['id']}/submit")
    assert bob.post(f"/posts/{post['id']}/approve").json()["status"] == "approved"
    with duplicates_allowed(stack):
        # When X takes the post but its answer comes too late
        stack.x.app.add_fault(method="POST", path="/2/tweets", delay_s=LATE)
        first = stack.tick(at=when + timedelta(seconds=1))
        assert post["id"] in first["retrying"]
        landed = wait_for(lambda: _on_x(stack, text), timeout=10)
        assert "https://t.co/" in landed[0]["text"]  # not the text we sent
        # And the publisher tries again
        stack.tick(at=when + timedelta(minutes=3))
    # Then it adopts the post that landed: published once, with that id
    stored = alice.get(f"/posts/{post['id']}").json()
    assert stored["status"] == "published", stored
    assert stored["network_post_id"] == landed[0]["id"]
    assert len(_on_x(stack, text)) == 1


@pytest.fixture(scope="module")
def lost(stack):
    """An account of the demo brand of its own: its incidents freeze only it."""
    x_user = add_brand_account(stack, "acct_lost", "@acme_lost", "Acme Lost Answers", "UTC")
    stack.tick("watcher")  # baseline: only posts from now on are new
    return "acct_lost", x_user


def _opened(stack, lost, text):
    account_id, x_user = lost
    x_post = stack.x.app.inject_post(x_user, unique(text))
    stack.tick("watcher")
    incident_id = wait_for(lambda: incident_for_post(account_id, x_post["id"]))
    return x_post, incident_id


def _incident_awaiting_apology(stack, lost, olivia, decision):
    x_post, incident_id = _opened(stack, lost, "A clumsy joke about Mondays")
    wait_status(olivia, incident_id, "awaiting_decision")
    olivia.post(f"/incidents/{incident_id}/decide", {"decision": decision, "hack": False})
    incident = wait_status(olivia, incident_id, "apologising", timeout=30)
    return x_post, incident_id, incident


def test_an_apology_whose_answer_was_lost_is_posted_once(stack, lost, olivia) -> None:
    _, incident_id, incident = _incident_awaiting_apology(stack, lost, olivia, "keep")
    text = incident["apology"]["text"] + f" (lost answer {unique('a')[-12:]})"
    olivia.put(f"/incidents/{incident_id}/apology", {"text": text})
    with duplicates_allowed(stack):
        # When X posts the apology but answers after the client gave up
        stack.x.app.add_fault(method="POST", path="/2/tweets", delay_s=LATE)
        link = wait_for(
            lambda: links_to(stack, "adam@acme.example", "Approve the apology", incident_id)
        )[-1]
        assert requests.post(
            link, data={"action": "approve", "subject_id": incident_id}, timeout=30
        ).ok
        # Then the retried step finds it on X and records it: one apology, monitoring
        incident = wait_status(olivia, incident_id, "monitoring", timeout=40)
        time.sleep(0.5)
        apologies = [p for p in stack.x.app.posts(include_deleted=False) if p["text"] == text]
    assert len(apologies) == 1, apologies
    assert incident["apology"]["network_post_id"] == apologies[0]["id"]


def test_a_delete_whose_answer_was_lost_is_verified_not_failed(stack, lost, olivia) -> None:
    x_post, incident_id = _opened(stack, lost, "Delete me, slowly")
    wait_status(olivia, incident_id, "awaiting_decision")
    # When X deletes the post but answers after the client gave up
    stack.x.app.add_fault(method="DELETE", path="/2/tweets/*", delay_s=LATE)
    olivia.post(f"/incidents/{incident_id}/decide", {"decision": "delete", "hack": False})
    # Then the retried step sees it gone and carries on
    incident = wait_status(olivia, incident_id, "apologising", timeout=40)
    assert incident["post_deleted"] is True
    assert stack.x.app.post(x_post["id"])["deleted"] is True
    kinds = [e["kind"] for e in olivia.get(f"/incidents/{incident_id}/timeline").json()["entries"]]
    assert kinds.count("post_deleted") == 1 and "playbook_failed" not in kinds
    assert incident_of(olivia, incident_id)["status"] == "apologising"
