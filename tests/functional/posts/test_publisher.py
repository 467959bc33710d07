"""The publisher against the embedded AWS and the sandbox X (P8, P9)."""

from __future__ import annotations

import io
import threading
import time
from datetime import timedelta

import pytest

from tests.functional.conftest import add_brand_account, later, unique


@pytest.fixture(scope="module")
def account(stack):
    """An account of the demo brand of its own. Every tick runs every job for every
    account: under load, a freeze an earlier test's incident left on the demo account
    for a few seconds held these posts (CI, 2026-12-03); here only these tests freeze."""
    add_brand_account(stack, "acct_publisher", "@acme_publisher", "Acme Publisher")
    return "acct_publisher"


def _approved(alice, bob, account, minutes=60):
    when = later(minutes)
    text = unique("Publisher test")
    post = alice.post(
        f"/accounts/{account}/posts", {"text": text, "scheduled_at": when.isoformat()}
    ).json()
    assert alice.post(f"/posts/{post['id']}/submit").status_code == 200
    res = bob.post(f"/posts/{post['id']}/approve")
    assert res.status_code == 200 and res.json()["status"] == "approved", res.text
    return post, when, text


def test_twenty_concurrent_runs_publish_once(stack, alice, bob, account) -> None:
    post, when, text = _approved(alice, bob, account)
    barrier = threading.Barrier(20)
    reports, errors = [], []

    def run() -> None:
        barrier.wait()
        try:
            reports.append(stack.tick(at=when + timedelta(seconds=1)))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(post["id"] in r["published"] for r in reports) == 1
    on_x = [p for p in stack.x.app.posts() if p["text"] == text]
    assert len(on_x) == 1
    assert alice.get(f"/posts/{post['id']}").json()["status"] == "published"
    # A retried run after the fact does nothing either.
    stack.tick(at=when + timedelta(minutes=5))
    assert len([p for p in stack.x.app.posts() if p["text"] == text]) == 1


def test_fail_closed_unapproved_post_expires_and_never_publishes(
    stack, alice, bob, account
) -> None:
    when = later(30)
    text = unique("Never approved")
    post = alice.post(
        f"/accounts/{account}/posts", {"text": text, "scheduled_at": when.isoformat()}
    ).json()
    alice.post(f"/posts/{post['id']}/submit")
    stack.tick(at=when + timedelta(seconds=1))
    got = alice.get(f"/posts/{post['id']}").json()
    assert got["status"] == "expired"
    assert not [p for p in stack.x.app.posts() if p["text"] == text]
    # Approving afterwards is impossible: it is no longer waiting.
    assert bob.post(f"/posts/{post['id']}/approve").status_code == 409


def test_rate_limited_waits_for_reset_then_publishes(stack, alice, bob, account) -> None:
    from chalicelib.wiring import get_service

    post, when, text = _approved(alice, bob, account)
    at = when + timedelta(seconds=1)
    reset = int(at.timestamp()) + 600
    stack.x.app.add_fault(method="POST", path="/2/tweets", status=429, reset=reset)
    try:
        report = stack.tick(at=at)
        assert post["id"] in report["retrying"]
        got = alice.get(f"/posts/{post['id']}").json()
        assert got["status"] == "approved"
        expected = time.strftime("%Y-%m-%dT%H:%M", time.gmtime(reset))
        assert got["next_attempt_at"].startswith(expected)
        # Before the reset: skipped. After it: published once.
        assert post["id"] not in stack.tick(at=at + timedelta(minutes=5))["published"]
        assert post["id"] in stack.tick(at=at + timedelta(minutes=11))["published"]
        assert len([p for p in stack.x.app.posts() if p["text"] == text]) == 1
    finally:
        # The account's rate-limit mark is real state: out of later tests' way, pass or fail.
        get_service().store.set_rate_limited(account, at - timedelta(days=1))


def test_server_errors_retry_then_fail_with_reason(stack, alice, bob, account) -> None:
    post, when, text = _approved(alice, bob, account)
    stack.x.app.add_fault(method="POST", path="/2/tweets", status=503, count=3)
    at = when + timedelta(seconds=1)
    for _ in range(2):
        assert post["id"] in stack.tick(at=at)["retrying"]
        at += timedelta(minutes=10)
    assert post["id"] in stack.tick(at=at)["failed"]
    got = alice.get(f"/posts/{post['id']}").json()
    assert got["status"] == "failed" and "after 3 attempts" in got["failure_reason"]
    assert not [p for p in stack.x.app.posts() if p["text"] == text]
    # Nothing is lost: the author can revise and send it through again.
    again = alice.patch(f"/posts/{post['id']}", {"scheduled_at": later(90).isoformat()})
    assert again.status_code == 200 and again.json()["status"] == "draft"


def test_freeze_holds_then_reapproval_after_two_admins_lift(
    stack, alice, bob, users, account
) -> None:
    adam, ada = users["u_adam"], users["u_ada"]
    post, when, _text = _approved(alice, bob, account)
    res = adam.post("/freezes", {"scope": account, "reason": "incident drill"})
    assert res.status_code == 201, res.text
    try:
        _held_then_lifted(stack, alice, bob, adam, ada, account, post, when)
    finally:
        # Never leave the account frozen, pass or fail.
        adam.post(f"/freezes/{account}/lift")
        ada.post(f"/freezes/{account}/lift")


def _held_then_lifted(stack, alice, bob, adam, ada, account, post, when) -> None:
    assert post["id"] in stack.tick(at=when + timedelta(seconds=1))["held"]
    held = alice.get(f"/posts/{post['id']}").json()
    assert held["status"] == "held" and held["approvals"] == []
    # Lifting: the first admin asks, the same admin again cannot finish, a second one does.
    first = adam.post(f"/freezes/{account}/lift")
    assert first.status_code == 202 and first.json()["lifted"] is False
    assert adam.post(f"/freezes/{account}/lift").status_code == 202
    assert bob.post(f"/freezes/{account}/lift").status_code == 403  # not an admin
    done = ada.post(f"/freezes/{account}/lift")
    assert done.status_code == 200 and done.json()["lifted"] is True
    # Held posts need approval again before they can publish.
    assert bob.post(f"/posts/{post['id']}/approve").status_code == 409
    new_when = later(120)
    alice.patch(f"/posts/{post['id']}", {"scheduled_at": new_when.isoformat()})
    alice.post(f"/posts/{post['id']}/submit")
    bob.post(f"/posts/{post['id']}/approve")
    assert post["id"] in stack.tick(at=new_when + timedelta(seconds=1))["published"]
    trail = [e["action"] for e in alice.get(f"/accounts/{account}/audit").json()["entries"]]
    for action in ("freeze.started", "freeze.lift_requested", "freeze.lifted"):
        assert action in trail


def test_post_that_breaks_a_rule_set_after_approval_is_held_not_published(
    stack, alice, bob, users, account
) -> None:
    post, when, text = _approved(alice, bob, account)
    olivia = users["u_olivia"]
    before = olivia.get(f"/accounts/{account}").json()["policy"]
    banned = {**before, "forbidden_phrases": [*before["forbidden_phrases"], text]}
    assert olivia.put(f"/accounts/{account}/policy", banned).status_code == 200
    try:
        report = stack.tick(at=when + timedelta(seconds=1))
    finally:
        assert olivia.put(f"/accounts/{account}/policy", before).status_code == 200
    assert post["id"] in report["held"] and post["id"] not in report["published"]
    assert not [p for p in stack.x.app.posts() if p["text"] == text]
    got = alice.get(f"/posts/{post['id']}").json()
    assert got["status"] == "held" and got["approvals"] == []
    told = [
        m
        for m in stack.mail()
        if "alice@acme.example" in m.get("destinations", {}).get("ToAddresses", [])
        and "was held" in m.get("subject", "")
        and text in m.get("body", "")
    ]
    assert len(told) == 1 and "policy as it stands now" in told[0]["body"]


def test_publisher_runs_through_lambda_invoke_on_the_embedded_aws(stack) -> None:
    import json

    from chalicelib.wiring import aws_client
    from firebreak_local.scheduler import scheduled_event

    event = json.dumps(scheduled_event("publisher", stack.clock.now())).encode()
    res = aws_client("lambda").invoke(FunctionName="firebreak-dev-publisher", Payload=event)
    assert res["StatusCode"] == 200 and "FunctionError" not in res
    assert set(json.loads(res["Payload"].read())) >= {"published", "expired", "held"}


def test_credentials_never_reach_logs(stack, alice, bob, account, caplog) -> None:
    import json

    from chalicelib.wiring import aws_client

    secret = json.loads(
        aws_client("secretsmanager").get_secret_value(SecretId=f"firebreak/accounts/{account}")[
            "SecretString"
        ]
    )
    post, when, _ = _approved(alice, bob, account)
    stack.x.app.add_fault(method="POST", path="/2/tweets", status=500)
    from chalicelib.platform import telemetry

    # The app's own JSON lines (they do not propagate to caplog) and every other logger.
    app_lines = io.StringIO()
    handler = telemetry.configure_logging(stream=app_lines, level="DEBUG")
    try:
        with caplog.at_level("DEBUG"):
            stack.tick(at=when + timedelta(seconds=1))
            stack.tick(at=when + timedelta(minutes=5))
    finally:
        handler.stream = None
        telemetry.configure_logging(level="INFO")
    lines = [json.loads(line) for line in app_lines.getvalue().splitlines()]
    assert any(line.get("post_id") == post["id"] for line in lines)
    for value in secret.values():
        assert value not in caplog.text
        assert value not in app_lines.getvalue()
