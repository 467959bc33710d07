"""User-facing paths that had no test: status-update reminders (M5), the watcher's risk
scan and its per-account isolation (C1), delete verification under faults (C6), evidence
of a post already gone (C2), and cancel, re-check, roles, close and escalation.

Incidents run on accounts of this module's own, so that their freezes never hold the
demo account's posts; every incident is driven to resolved before its test ends."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.functional.conftest import add_brand_account, later, now, unique
from tests.functional.incidents.test_playbook import (
    execution_status,
    incident_of,
    wait_for,
    wait_status,
)

WAIT_S = 30.0
OWN = "paths test"  # what mark_published records: not a Firebreak post id
ASL = Path(__file__).resolve().parents[2] / "infra" / "playbook.asl.json"


@dataclass(frozen=True)
class Paths:
    account: str  # incidents happen here
    x_user: str
    other: str  # a second watched account, for per-account isolation
    other_x_user: str
    calendar: str  # posts only: never frozen by an incident
    x_users: dict[str, str]


@pytest.fixture(scope="module")
def paths(stack: Any, users: dict[str, Any]) -> Paths:
    ids = {
        "acct_paths": "acme_paths",
        "acct_paths_b": "acme_paths_b",
        "acct_paths_cal": "acme_paths_cal",
    }
    x_users = {
        account_id: add_brand_account(stack, account_id, f"@{h}", f"Acme {h}")
        for account_id, h in ids.items()
    }
    paths = Paths(
        "acct_paths",
        x_users["acct_paths"],
        "acct_paths_b",
        x_users["acct_paths_b"],
        "acct_paths_cal",
        x_users,
    )
    _tick_watcher(stack, users, paths)  # first sight of the new accounts: the baseline
    return paths


# ---------------------------------------------------------------------------- helpers
def _open(stack: Any, api: Any, account: str, x_user: str, text: str, **inject: Any) -> tuple:
    x_post = stack.x.app.inject_post(x_user, unique(text), **inject)
    res = api.post("/incidents", {"account_id": account, "post": x_post["id"]})
    assert res.status_code == 201, res.text
    return x_post, res.json()["id"]


def _wind_down(users: dict[str, Any], *incident_ids: str | None) -> None:
    """Drive each incident to resolved (an admin decides keep, approves the apology and
    resolves), so that its freeze is lifted. Best effort: never masks a test's failure."""
    adam, ada = users["u_adam"], users["u_ada"]
    for incident_id in [i for i in incident_ids if i]:
        deadline = time.monotonic() + 2 * WAIT_S
        while time.monotonic() < deadline:
            incident = incident_of(adam, incident_id)
            status = incident["status"]
            if status in ("resolved", "closed"):
                break
            if status in ("awaiting_decision", "escalated"):
                adam.post(f"/incidents/{incident_id}/decide", {"decision": "keep"})
            elif status == "containing":
                for item in incident["checklist"]:
                    if item["done_at"] is None:
                        adam.post(f"/incidents/{incident_id}/checklist/{item['key']}")
            elif status == "apologising" and not (incident["apology"] or {}).get("approved_by"):
                author = incident["apology"]["author"]
                if incident["apology"]["rejected_by"]:
                    adam.put(f"/incidents/{incident_id}/apology", {"text": unique("Sorry.")})
                    author = "u_adam"
                (ada if author == "u_adam" else adam).post(
                    f"/incidents/{incident_id}/apology/approve"
                )
            elif status in ("monitoring", "failed"):
                adam.post(f"/incidents/{incident_id}/resolve")
            time.sleep(0.3)


def _tick_watcher(stack: Any, users: dict[str, Any], paths: Paths, at: Any = None) -> Any:
    """One watcher run. An incident it opens on someone else's account (a post another
    test left behind) is this test's doing: it is resolved, never left frozen."""
    from chalicelib.wiring import get_playbook

    result = stack.tick("watcher", at=at)
    mine = set(paths.x_users)
    for incident_id in result["opened"]:
        incident = get_playbook().incidents.get(incident_id)
        if incident is not None and incident.account_id not in mine:
            _wind_down(users, incident_id)
    return result


def _to_monitoring(stack: Any, users: dict[str, Any], incident_id: str) -> dict[str, Any]:
    """Keep the post; the commander rewrites the apology (a text of its own: X refuses a
    repeated one) and an admin approves it: the apology goes out, monitoring starts."""
    olivia, adam = users["u_olivia"], users["u_adam"]
    wait_status(olivia, incident_id, "awaiting_decision", timeout=WAIT_S)
    assert olivia.post(f"/incidents/{incident_id}/decide", {"decision": "keep"}).status_code == 200
    wait_status(olivia, incident_id, "apologising", timeout=WAIT_S)
    edited = olivia.put(f"/incidents/{incident_id}/apology", {"text": unique("We are sorry.")})
    assert edited.status_code == 200, edited.text
    assert adam.post(f"/incidents/{incident_id}/apology/approve").status_code == 200
    return wait_status(olivia, incident_id, "monitoring", timeout=WAIT_S)


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _just_after(moment: datetime) -> datetime:
    """A whole second after ``moment``: scheduled events carry whole seconds."""
    return moment.replace(microsecond=0) + timedelta(seconds=1)


def _reminders(stack: Any, incident_id: str) -> list[dict[str, Any]]:
    return [
        m for m in stack.mail() if m.get("subject") == f"Status update due: incident {incident_id}"
    ]


def _kinds(api: Any, incident_id: str) -> list[str]:
    return [e["kind"] for e in api.get(f"/incidents/{incident_id}/timeline").json()["entries"]]


def _x_requests(stack: Any, method: str, path: str) -> list[dict[str, Any]]:
    return [r for r in stack.x.app.request_log() if r["method"] == method and r["path"] == path]


# ---------------------------------------------------------------------------- M5
def test_status_update_reminders_follow_the_severity_cadence_once_per_due_time(
    stack, users, olivia, paths
) -> None:
    from chalicelib.incidents.domain import UPDATE_CADENCE, Severity

    low = critical = None
    try:
        # Given two incidents in monitoring: a dull post (low) and a lewd one (critical)
        _, low = _open(stack, olivia, paths.account, paths.x_user, "Meh post", source="Firebreak")
        _, critical = _open(
            stack,
            olivia,
            paths.account,
            paths.x_user,
            "Check out this fucking nude pussy pic, sexy sluts",
            source="Twitter for iPhone",
        )
        watched = {low: _to_monitoring(stack, users, low)}
        watched[critical] = _to_monitoring(stack, users, critical)
        cadence = {i: UPDATE_CADENCE[Severity(watched[i]["severity"])] for i in watched}
        assert cadence[low] != cadence[critical], {i: w["severity"] for i, w in watched.items()}
        due = {i: _at(w["next_update_due"]) for i, w in watched.items()}
        published = {
            i: _at(
                next(
                    e["at"]
                    for e in olivia.get(f"/incidents/{i}/timeline").json()["entries"]
                    if e["kind"] == "apology_published"
                )
            )
            for i in watched
        }
        for i in watched:  # the first reminder is one cadence after the apology went out
            assert abs(due[i] - published[i] - cadence[i]) <= timedelta(seconds=1)

        # Not before it is due
        early = stack.tick("reminders", at=min(due.values()) - timedelta(seconds=1))
        assert not {low, critical} & set(early["reminded"])
        assert _reminders(stack, low) == [] and _reminders(stack, critical) == []

        # A status update on the low incident resets its due time to one cadence from now
        wait_for(lambda: now() - published[low] > timedelta(seconds=2), timeout=WAIT_S)
        # One cadence from the moment of the update: bracketed by the clock before and
        # after the request (a write on a full embedded table takes seconds, not a fixed 5).
        before = now()
        res = users["u_bob"].post(f"/incidents/{low}/updates", {"message": "Post is down."})
        after = now()
        assert res.status_code == 200, res.text
        reset_due = _at(res.json()["next_update_due"])
        slack = timedelta(seconds=1)
        assert before + cadence[low] - slack <= reset_due <= after + cadence[low] + slack
        assert reset_due > due[low] + timedelta(seconds=1)
        assert "status_update" in _kinds(olivia, low)
        blank = olivia.post(f"/incidents/{low}/updates", {"message": "   "})
        assert blank.status_code == 400 and blank.json()["error"]["field"] == "message"

        # When the critical one is past due: only it is reminded, its commander mailed
        at = _just_after(due[critical])
        first = stack.tick("reminders", at=at)
        assert critical in first["reminded"] and low not in first["reminded"]
        [mail] = _reminders(stack, critical)
        assert mail["destinations"]["ToAddresses"] == ["olivia@acme.example"]
        assert "Post a status update" in mail["body"]
        assert _at(incident_of(olivia, critical)["next_update_due"]) == at + cadence[critical]
        assert "update_reminder" in _kinds(olivia, critical)
        # A second run for the same moment mails nothing new
        assert critical not in stack.tick("reminders", at=at)["reminded"]
        assert len(_reminders(stack, critical)) == 1
        # Nor does a run just before the next due time
        before_next = stack.tick("reminders", at=at + cadence[critical] - timedelta(seconds=1))
        assert critical not in before_next["reminded"]

        # The low incident's old due time has passed, but the update moved it; the
        # critical one is reminded again, for its new due time
        run = stack.tick("reminders", at=_just_after(due[low]))
        assert low not in run["reminded"] and critical in run["reminded"]
        assert _reminders(stack, low) == [] and len(_reminders(stack, critical)) == 2
        # Past the reset due time it is reminded, once, on its own cadence
        at_low = _just_after(reset_due)
        assert low in stack.tick("reminders", at=at_low)["reminded"]
        assert low not in stack.tick("reminders", at=at_low)["reminded"]
        assert len(_reminders(stack, low)) == 1
        assert _at(incident_of(olivia, low)["next_update_due"]) == at_low + cadence[low]
        assert len(_reminders(stack, critical)) == 2  # its due time had not come again

        # Resolved incidents are never reminded
        for i in (low, critical):
            assert olivia.post(f"/incidents/{i}/resolve").status_code == 200
        later_run = stack.tick("reminders", at=at_low + timedelta(days=1))
        assert not {low, critical} & set(later_run["reminded"])
    finally:
        _wind_down(users, low, critical)


# ---------------------------------------------------------------------------- C1 watcher
def test_watcher_opens_a_risk_scan_incident_for_an_own_flagged_post_only(
    stack, users, olivia, paths
) -> None:
    from chalicelib.wiring import get_service
    from firebreak_local.drill import incident_for_post

    store = get_service().store
    incident_id = None
    try:
        # Given two posts Firebreak itself published: one violent, one clean
        flagged = stack.x.app.inject_post(
            paths.x_user,
            unique("I will kill you all, shoot them dead and burn your houses"),
            source="Firebreak",
        )
        clean = stack.x.app.inject_post(
            paths.x_user, unique("Winter blend is back, come taste it"), source="Firebreak"
        )
        # and an incident's hack apology, which the scan once read as a threat (word for
        # word: a unique() suffix takes it under the line)
        apology = stack.x.app.inject_post(
            paths.x_user,
            "On 02 Mar, 02:30:31 UTC someone else got into our account and posted what "
            "is not ours. We removed it and secured the account. Sorry to everyone it "
            "reached. Two-factor sign-in is now on and we reviewed who has access. "
            "— Acme Team",
            source="Firebreak",
        )
        store.mark_published(paths.account, flagged["id"], OWN)
        store.mark_published(paths.account, clean["id"], OWN)
        store.mark_published(paths.account, apology["id"], "apology inc_paths_hack")
        # When the watcher runs
        result = _tick_watcher(stack, users, paths)
        # Then the flagged post opens an incident triggered by the risk scan; the clean none
        incident_id = incident_for_post(paths.account, flagged["id"])
        assert incident_id is not None and incident_id in result["opened"]
        assert incident_for_post(paths.account, clean["id"]) is None
        assert incident_for_post(paths.account, apology["id"]) is None
        incident = incident_of(olivia, incident_id)
        assert incident["trigger"] == "risk_scan" and incident["opened_by"] == "watcher"
        assert paths.account not in result["skipped"]
        incident = wait_status(olivia, incident_id, "awaiting_decision", timeout=WAIT_S)
        assert "violence" in incident["recommendation"]["flags"]
        # The next run opens nothing more for either post
        _tick_watcher(stack, users, paths)
        assert incident_for_post(paths.account, clean["id"]) is None
    finally:
        _wind_down(users, incident_id)


def test_watcher_skips_an_account_with_broken_credentials_and_still_watches_the_others(
    stack, users, olivia, paths
) -> None:
    from chalicelib.wiring import aws_client, get_settings
    from firebreak_local.drill import incident_for_post

    secrets = aws_client("secretsmanager")
    # Given an account whose X secret is gone from Secrets Manager...
    broken = "acct_paths_nokeys"
    secret_id = f"{get_settings().social_secret_prefix}{broken}"
    add_brand_account(stack, broken, "@acme_nokeys", "Acme acme_nokeys")
    saved = secrets.get_secret_value(SecretId=secret_id)["SecretString"]
    secrets.delete_secret(SecretId=secret_id, ForceDeleteWithoutRecovery=True)
    opened: list[str | None] = []
    try:
        # ...and a watched account whose X token is refused (401) on this run
        stack.x.app.add_fault(
            method="GET", path=f"/2/users/{paths.other_x_user}/tweets", status=401
        )
        other_post = stack.x.app.inject_post(paths.other_x_user, unique("Our intern says hi"))
        own_post = stack.x.app.inject_post(paths.x_user, unique("Our intern says hello"))
        # When the watcher runs
        result = _tick_watcher(stack, users, paths)
        # Then both are reported skipped, and the healthy account's new post opens its incident
        assert result["skipped"].get(broken) == "PostRejected", result
        assert result["skipped"].get(paths.other) == "PostRejected", result
        own_incident = incident_for_post(paths.account, own_post["id"])
        opened.append(own_incident)
        assert own_incident is not None and own_incident in result["opened"]
        assert incident_of(olivia, own_incident)["trigger"] == "not_published_by_firebreak"
        assert incident_for_post(paths.other, other_post["id"]) is None
        # The refused account is tried again next run, and its post is not lost
        again = _tick_watcher(stack, users, paths)
        other_incident = incident_for_post(paths.other, other_post["id"])
        opened.append(other_incident)
        assert other_incident is not None and other_incident in again["opened"]
        assert paths.other not in again["skipped"] and again["skipped"].get(broken)
        wait_status(olivia, own_incident, "awaiting_decision", timeout=WAIT_S)
    finally:
        # Its secret back, the account is watched like the others from the next run
        secrets.create_secret(Name=secret_id, SecretString=saved)
        _wind_down(users, *opened)


# ---------------------------------------------------------------------------- C6 delete
def _delete_retries() -> int:
    """How many times the state machine retries DeletePost on DeleteNotVerified."""
    state = json.loads(ASL.read_text())["States"]["DeletePost"]
    return next(r["MaxAttempts"] for r in state["Retry"] if "DeleteNotVerified" in r["ErrorEquals"])


def test_delete_that_does_not_take_is_retried_then_fails_on_the_timeline(
    stack, users, olivia, paths, monkeypatch
) -> None:
    x_post, incident_id = _open(
        stack, olivia, paths.account, paths.x_user, "Another bad one, fucking hell"
    )
    try:
        wait_status(olivia, incident_id, "awaiting_decision", timeout=WAIT_S)
        # X answers the DELETE with 200 {"deleted": true}, but the post stays
        sandbox, real_delete = stack.x.app, stack.x.app._delete
        path = f"/2/tweets/{x_post['id']}"
        reads_before = len(_x_requests(stack, "GET", path))

        def answers_deleted_but_keeps_it(post_id: str, caller: Any) -> tuple[int, dict]:
            if post_id == x_post["id"]:
                return 200, {"data": {"deleted": True}}
            return real_delete(post_id, caller)

        monkeypatch.setattr(sandbox, "_delete", answers_deleted_but_keeps_it)
        assert olivia.post(f"/incidents/{incident_id}/decide", {"decision": "delete"}).ok
        incident = wait_status(olivia, incident_id, "failed", timeout=WAIT_S + 15)
        monkeypatch.undo()
        assert incident["failure"].startswith("DeleteNotVerified: ")
        assert "still reads back after delete" in incident["failure"]
        assert incident["post_deleted"] is False
        assert stack.x.app.post(x_post["id"])["deleted"] is False
        # Retried as the state machine says, each time deleting and reading back
        attempts = 1 + _delete_retries()
        assert len(_x_requests(stack, "DELETE", path)) == attempts
        assert len(_x_requests(stack, "GET", path)) - reads_before == attempts
        timeline = olivia.get(f"/incidents/{incident_id}/timeline").json()["entries"]
        assert timeline[-1]["kind"] == "playbook_failed"
        assert timeline[-1]["message"] == "playbook step failed: DeleteNotVerified"
        assert "post_deleted" not in [e["kind"] for e in timeline]
        assert execution_status(stack, incident_id) == "FAILED"
        assert any(
            m["subject"]
            == f"Playbook needs you: incident {incident_id} failed at DeleteNotVerified"
            for m in stack.mail()
        )
    finally:
        monkeypatch.undo()
        _wind_down(users, incident_id)


def test_rate_limited_read_back_is_retried_until_the_deletion_is_verified(
    stack, users, olivia, paths
) -> None:
    x_post, incident_id = _open(
        stack, olivia, paths.account, paths.x_user, "Yet another bad one, fucking hell"
    )
    try:
        wait_status(olivia, incident_id, "awaiting_decision", timeout=WAIT_S)
        path = f"/2/tweets/{x_post['id']}"
        # The read-back that verifies the deletion is rate-limited twice
        stack.x.app.add_fault(method="GET", path=path, status=429, count=2)
        assert olivia.post(f"/incidents/{incident_id}/decide", {"decision": "delete"}).ok
        incident = wait_status(olivia, incident_id, "apologising", "failed", timeout=WAIT_S)
        assert incident["status"] == "apologising", incident["failure"]
        assert incident["post_deleted"] is True
        assert stack.x.app.post(x_post["id"])["deleted"] is True
        assert stack.x.app.faults() == []  # both 429s were used up
        reads = [r["status"] for r in _x_requests(stack, "GET", path)]
        assert reads[-3:] == [429, 429, 200], reads  # retried, then verified gone
        # A retry finds the post already deleted (404), which counts as done
        assert [r["status"] for r in _x_requests(stack, "DELETE", path)] == [200, 404, 404]
        kinds = _kinds(olivia, incident_id)
        assert "post_deleted" in kinds and "playbook_failed" not in kinds
    finally:
        _wind_down(users, incident_id)


# ---------------------------------------------------------------------------- C2 evidence
def test_evidence_of_a_post_already_gone_archives_what_was_seen(
    stack, users, olivia, paths, monkeypatch
) -> None:
    from botocore.exceptions import ClientError

    from chalicelib.aws.stepfunctions import SfnPlaybook
    from chalicelib.incidents.domain import evidence_hash
    from chalicelib.wiring import get_service

    real_start, starts = SfnPlaybook.start, []

    def throttled_once(self: Any, name: str, payload: dict[str, Any]) -> Any:
        starts.append(name)
        if len(starts) == 1:
            raise ClientError(
                {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}},
                "StartExecution",
            )
        return real_start(self, name, payload)

    text = unique("Our intern was here")
    x_post = stack.x.app.inject_post(paths.x_user, text)
    incident_id = None
    try:
        # Given an incident stored while its playbook could not start yet...
        monkeypatch.setattr(SfnPlaybook, "start", throttled_once)
        first = olivia.post("/incidents", {"account_id": paths.account, "post": x_post["id"]})
        assert first.status_code >= 500
        [incident_id] = starts
        # ...and the post deleted on X meanwhile (by someone at the brand, in the app)
        service = get_service()
        account = service.store.get_account(paths.account)
        service.social.client_for(account).delete(x_post["id"])
        assert stack.x.app.post(x_post["id"])["deleted"] is True
        # When the playbook starts on the next report
        again = olivia.post("/incidents", {"account_id": paths.account, "post": x_post["id"]})
        assert again.status_code == 201 and again.json()["id"] == incident_id
        monkeypatch.undo()
        # Then the evidence is what was seen when it opened, marked gone, and it carries on
        incident = wait_status(olivia, incident_id, "awaiting_decision", timeout=WAIT_S)
        evidence = olivia.get(f"/incidents/{incident_id}/evidence").json()
        assert evidence["raw"] == {"id": x_post["id"], "text": text, "gone": True}
        assert evidence["sha256"] == incident["evidence_sha256"] == evidence_hash(evidence["raw"])
        kinds = _kinds(olivia, incident_id)
        assert "evidence_archived" in kinds and "frozen" in kinds
        assert "playbook_failed" not in kinds
        # Deleting what is already gone is verified at once
        assert olivia.post(f"/incidents/{incident_id}/decide", {"decision": "delete"}).ok
        incident = wait_status(olivia, incident_id, "apologising", "failed", timeout=WAIT_S)
        assert incident["status"] == "apologising" and incident["post_deleted"] is True
    finally:
        monkeypatch.undo()
        _wind_down(users, incident_id)


# ---------------------------------------------------------------------------- posts
def _draft(alice: Any, account: str, text: str, minutes: int = 30) -> tuple[dict, datetime]:
    when = later(minutes)
    res = alice.post(f"/accounts/{account}/posts", {"text": text, "scheduled_at": when.isoformat()})
    assert res.status_code == 201, res.text
    return res.json(), when


def _approved(
    alice: Any, bob: Any, account: str, text: str, minutes: int = 30
) -> tuple[dict, datetime]:
    post, when = _draft(alice, account, text, minutes)
    assert alice.post(f"/posts/{post['id']}/submit").status_code == 200
    res = bob.post(f"/posts/{post['id']}/approve")
    assert res.status_code == 200 and res.json()["status"] == "approved", res.text
    return post, when


def test_cancel_who_may_what_status_never_published_and_cancelled_in_the_feed(
    stack, users, alice, bob, olivia, paths
) -> None:
    import requests
    from icalendar import Calendar

    account = paths.calendar
    # Given an approved post, a draft, and a post already published
    text = unique("Winter blend is back")
    approved, when = _approved(alice, bob, account, text, minutes=40)
    draft, _ = _draft(alice, account, unique("Spring blend soon"))
    published, published_when = _approved(alice, bob, account, unique("Autumn blend"), 20)
    assert published["id"] in stack.tick(at=published_when + timedelta(seconds=1))["published"]
    # Nobody but the author or a manager cancels: not an approver, not another brand's user
    assert bob.post(f"/posts/{approved['id']}/cancel").status_code == 403
    assert users["u_gina"].post(f"/posts/{approved['id']}/cancel").status_code == 404
    # The author cancels her approved post; a brand owner cancels someone else's draft
    res = alice.post(f"/posts/{approved['id']}/cancel")
    assert res.status_code == 200 and res.json()["status"] == "cancelled", res.text
    res = olivia.post(f"/posts/{draft['id']}/cancel")
    assert res.status_code == 200 and res.json()["status"] == "cancelled", res.text
    # Cancelling twice, or a published post, is an illegal move
    again = alice.post(f"/posts/{approved['id']}/cancel")
    assert again.status_code == 409 and again.json()["error"]["field"] == "status"
    assert alice.post(f"/posts/{published['id']}/cancel").status_code == 409
    assert alice.get(f"/posts/{published['id']}").json()["status"] == "published"
    # When its time comes, the publisher never publishes it
    report = stack.tick(at=when + timedelta(seconds=1))
    assert approved["id"] not in report["published"]
    assert alice.get(f"/posts/{approved['id']}").json()["status"] == "cancelled"
    assert not [p for p in stack.x.app.posts() if p["text"] == text]
    assert bob.post(f"/posts/{approved['id']}/approve").status_code == 409
    # The calendar lists it as cancelled, and so does the iCalendar feed
    cancelled = alice.get("/posts", account_id=account, status="cancelled").json()["posts"]
    assert {approved["id"], draft["id"]} <= {p["id"] for p in cancelled}
    feed_url = olivia.post(f"/accounts/{account}/feed").json()["url"]
    feed = requests.get(feed_url, timeout=10)
    assert feed.status_code == 200
    events = {
        str(e["uid"]): e for e in Calendar.from_ical(feed.content).walk() if e.name == "VEVENT"
    }
    event = events[f"{approved['id']}@firebreak"]
    assert str(event["status"]) == "CANCELLED"
    assert str(event["summary"]).startswith("[cancelled] ")
    assert str(events[f"{published['id']}@firebreak"]["status"]) == "CONFIRMED"
    audit = alice.get(f"/posts/{approved['id']}/audit").json()["entries"]
    assert any(e["action"] == "post.cancelled" and e["actor"] == "u_alice" for e in audit)


def test_check_runs_the_policy_again_after_a_policy_change(
    stack, users, alice, bob, olivia, paths
) -> None:
    account = paths.calendar
    path = f"/accounts/{account}/policy"
    before = olivia.get(f"/accounts/{account}").json()["policy"]
    post, _ = _draft(alice, account, unique("Our new blend brings guaranteed freshness"))
    assert post["check"]["passed"] is True
    try:
        # When a brand owner forbids a phrase the draft contains
        res = olivia.put(path, {**before, "forbidden_phrases": ["guaranteed freshness"]})
        assert res.status_code == 200, res.text
        # Then a re-check by any user of the brand runs the new policy
        for who in (alice, bob):
            check = who.post(f"/posts/{post['id']}/check")
            assert check.status_code == 200, check.text
            result = check.json()
            assert result["passed"] is False
            assert [v["source"] for v in result["violations"]] == ["account"]
            assert "guaranteed freshness" in result["violations"][0]["message"]
        # An agency user outside the account cannot even see the post
        assert users["u_gina"].post(f"/posts/{post['id']}/check").status_code == 404
        # And submitting is refused for the same reason
        assert alice.post(f"/posts/{post['id']}/submit").status_code == 422
    finally:
        olivia.put(path, before)
    # With the old policy back the same post passes again
    assert alice.post(f"/posts/{post['id']}/check").json()["passed"] is True
    alice.post(f"/posts/{post['id']}/cancel")


# ---------------------------------------------------------------------------- roles, close
def test_roles_are_assigned_by_a_senior_and_the_new_commander_decides(
    stack, users, alice, bob, olivia, paths
) -> None:
    _, incident_id = _open(stack, olivia, paths.account, paths.x_user, "Clumsy joke, lol")
    roles_path = f"/incidents/{incident_id}/roles"
    try:
        incident = wait_status(olivia, incident_id, "awaiting_decision", timeout=WAIT_S)
        original = incident["roles"]
        assert original["commander"] == "u_olivia"
        # Only the commander, a brand owner or an admin assign roles
        assert alice.put(roles_path, {"commander": "u_alice"}).status_code == 403
        assert bob.put(roles_path, {"commander": "u_bob"}).status_code == 403
        # Nobody unknown, nobody outside the account, nobody who cannot decide
        for body, field in (
            ({"commander": "u_nobody"}, "commander"),
            ({"commander": "u_alice"}, "commander"),
            ({"approvers": ["u_adam", "u_alice"]}, "approvers"),
            ({"approvers": ["u_nobody"]}, "approvers"),
            ({"spokesperson": "u_gina"}, "spokesperson"),
            ({"spokesperson": "u_nobody"}, "spokesperson"),
        ):
            res = olivia.put(roles_path, body)
            assert res.status_code == 400, (body, res.text)
            assert res.json()["error"]["field"] == field, (body, res.text)
        assert incident_of(olivia, incident_id)["roles"] == original
        # When the brand owner hands command to an approver, and the voice to the author
        res = olivia.put(
            roles_path, {"commander": "u_bob", "approvers": ["u_adam"], "spokesperson": "u_alice"}
        )
        assert res.status_code == 200, res.text
        expected = {"commander": "u_bob", "approvers": ["u_adam"], "spokesperson": "u_alice"}
        assert res.json()["roles"] == expected
        entry = [
            e
            for e in olivia.get(f"/incidents/{incident_id}/timeline").json()["entries"]
            if e["kind"] == "roles_assigned"
        ]
        assert len(entry) == 1 and entry[0]["actor"] == "u_olivia"
        # Then she no longer decides; the new commander does, and may reassign
        refused = olivia.post(f"/incidents/{incident_id}/decide", {"decision": "keep"})
        assert refused.status_code == 403
        assert bob.put(roles_path, {"approvers": ["u_adam", "u_ada"]}).status_code == 200
        decided = bob.post(f"/incidents/{incident_id}/decide", {"decision": "keep"})
        assert decided.status_code == 200, decided.text
        assert decided.json()["decided_by"] == "u_bob"
        # The apology speaks in the spokesperson's voice
        incident = wait_status(olivia, incident_id, "apologising", timeout=WAIT_S)
        assert incident["apology"]["voice"] == "u_alice"
        assert "Alice Author" in incident["apology"]["text"]
    finally:
        _wind_down(users, incident_id)


def test_close_after_resolve_by_the_commander_or_an_admin_only(
    stack, users, alice, bob, olivia, paths
) -> None:
    _, incident_id = _open(stack, olivia, paths.account, paths.x_user, "Typo in our price")
    close_path = f"/incidents/{incident_id}/close"
    try:
        _to_monitoring(stack, users, incident_id)
        # Before it is resolved: the commander is refused the move, others the right
        early = olivia.post(close_path)
        assert early.status_code == 409 and early.json()["error"]["field"] == "status"
        assert bob.post(close_path).status_code == 403
        assert olivia.post(f"/incidents/{incident_id}/resolve").status_code == 200
        # After: neither an author nor an approver closes it; an admin does
        assert alice.post(close_path).status_code == 403
        assert bob.post(close_path).status_code == 403
        assert incident_of(olivia, incident_id)["status"] == "resolved"
        closed = users["u_adam"].post(close_path)
        assert closed.status_code == 200 and closed.json()["status"] == "closed", closed.text
        assert olivia.post(close_path).status_code == 409  # closed is final
        entries = olivia.get(f"/incidents/{incident_id}/timeline").json()["entries"]
        assert [(e["kind"], e["actor"]) for e in entries if e["kind"] == "closed"] == [
            ("closed", "u_adam")
        ]
        assert olivia.get(f"/incidents/{incident_id}/postmortem").json()["status"] == "closed"
        wait_for(lambda: execution_status(stack, incident_id) == "SUCCEEDED", timeout=WAIT_S)
    finally:
        _wind_down(users, incident_id)


# ---------------------------------------------------------------------------- escalation
def test_escalation_asks_the_next_admin_not_yet_asked(stack, users, olivia, paths) -> None:
    from chalicelib.wiring import get_playbook

    adam, ada = users["u_adam"], users["u_ada"]
    playbook = get_playbook()
    original = playbook.config
    playbook.config = replace(original, decision_timeout_s=10, escalated_decision_timeout_s=600)
    incident_id = None
    try:
        try:
            _, incident_id = _open(stack, olivia, paths.account, paths.x_user, "Meh again")
        finally:
            playbook.config = original
        # Given the decision is asked of the commander and one admin, Ada (who sorts first)
        wait_status(olivia, incident_id, "awaiting_decision", timeout=WAIT_S)
        res = olivia.put(f"/incidents/{incident_id}/roles", {"approvers": ["u_ada"]})
        assert res.status_code == 200, res.text
        # When nobody decides in time
        incident = wait_status(olivia, incident_id, "escalated", timeout=WAIT_S)
        # Then it goes to the admin not yet asked, not to the first admin
        assert incident["escalated_to"] == "u_adam"
        entry = [
            e
            for e in olivia.get(f"/incidents/{incident_id}/timeline").json()["entries"]
            if e["kind"] == "escalated"
        ]
        assert len(entry) == 1 and entry[0]["message"].endswith("escalated to u_adam")
        # Adam gets the question a second time (round 2); Ada, asked already, does not
        wait_for(lambda: len(_asked(stack, "adam@acme.example", incident_id)) == 2)
        assert len(_asked(stack, "ada@acme.example", incident_id)) == 1
        decided = adam.post(f"/incidents/{incident_id}/decide", {"decision": "keep"})
        assert decided.status_code == 200 and decided.json()["decided_by"] == "u_adam"
        assert (
            ada.post(f"/incidents/{incident_id}/decide", {"decision": "delete"}).status_code == 409
        )
    finally:
        _wind_down(users, incident_id)


def _asked(stack: Any, email: str, incident_id: str) -> list[dict[str, Any]]:
    return [
        m
        for m in stack.mail()
        if email in m["destinations"]["ToAddresses"]
        and "Delete or keep" in m["subject"]
        and incident_id in m["body"]
    ]


# ---------------------------------------------------------------------------- R1 apologies
def test_two_incidents_of_the_same_minute_each_publish_their_own_apology(
    stack, users, olivia, paths
) -> None:
    # Given two clumsy posts of the same minute (a burst, as after a hack), both kept
    moment = now().replace(second=0, microsecond=0)
    posts, incidents = [], []
    try:
        for text in ("Clumsy joke number one, lol", "Clumsy joke number two, lol"):
            post = stack.x.app.inject_post(paths.x_user, unique(text), created_at=moment)
            res = olivia.post("/incidents", {"account_id": paths.account, "post": post["id"]})
            assert res.status_code == 201, res.text
            posts.append(post)
            incidents.append(res.json()["id"])
        for incident_id in incidents:
            wait_status(olivia, incident_id, "awaiting_decision", timeout=WAIT_S)
            olivia.post(f"/incidents/{incident_id}/decide", {"decision": "keep"})
        # Both drafts come from one template at one moment: word for word the same
        drafts = [wait_status(olivia, i, "apologising", timeout=WAIT_S) for i in incidents]
        assert drafts[0]["apology"]["text"] == drafts[1]["apology"]["text"]
        # When each is approved, one after the other. (The first is made this test's own:
        # the account is shared, and another test's incident of the same minute may have
        # published the same template already.)
        done = []
        for n, incident_id in enumerate(incidents):
            approve = f"/incidents/{incident_id}/apology/approve"
            edit = f"/incidents/{incident_id}/apology"
            if n == 0:
                text = drafts[0]["apology"]["text"] + unique(" (about our first post)")
                assert olivia.put(edit, {"text": text}).ok
            else:
                # Word for word the first one's published text: refused before
                # approval, since X would refuse the repeat; a person edits it
                assert olivia.put(edit, {"text": done[0]["apology"]["text"]}).ok
                refused = users["u_adam"].post(approve)
                assert refused.status_code == 409, refused.text
                assert "word for word" in refused.json()["error"]["message"]
                text = drafts[1]["apology"]["text"] + unique(" (about our second post)")
                assert olivia.put(edit, {"text": text}).ok
            approved = users["u_adam"].post(approve)
            for _ in range(3):  # a lost conditional write (a step of the playbook wrote
                # the incident at the same moment) is a 409 "conflict": read, try again
                if approved.status_code != 409 or approved.json()["error"]["code"] != "conflict":
                    break
                approved = users["u_adam"].post(approve)
            assert approved.ok, approved.text
            done.append(wait_status(olivia, incident_id, "monitoring", "failed", timeout=WAIT_S))
        # Then each incident published an apology of its own, in reply to its own post
        published = [i["apology"]["network_post_id"] for i in done]
        assert all(published) and published[0] != published[1], published
        for post, apology_id in zip(posts, published, strict=True):
            reply = stack.x.app.post(apology_id)
            assert {"type": "replied_to", "id": post["id"]} in reply["referenced_tweets"]
    finally:
        _wind_down(users, *incidents)


def test_a_reminder_whose_mail_fails_stays_due_and_does_not_stop_the_others(
    stack, users, olivia, paths, monkeypatch
) -> None:
    from chalicelib.ports import MailFailed
    from chalicelib.wiring import get_playbook

    first = second = None
    try:
        _, first = _open(stack, olivia, paths.account, paths.x_user, "Meh post one")
        _, second = _open(stack, olivia, paths.account, paths.x_user, "Meh post two")
        due = max(_at(_to_monitoring(stack, users, i)["next_update_due"]) for i in (first, second))
        # When the mail service refuses the first incident's reminder
        mailer = get_playbook().service.mailer
        send = mailer.send

        def refuse_first(*, to, subject, text, html):
            if first in subject:
                raise MailFailed("Throttling")
            return send(to=to, subject=subject, text=text, html=html)

        monkeypatch.setattr(mailer, "send", refuse_first)
        run = stack.tick("reminders", at=_just_after(due))
        # Then the other incident is still reminded, and the first stays due
        assert first in run["unsent"] and second in run["reminded"]
        assert _reminders(stack, first) == [] and len(_reminders(stack, second)) == 1
        assert _at(olivia.get(f"/incidents/{first}").json()["next_update_due"]) <= due
        # And once the mail works again, the next run reminds it, once
        monkeypatch.setattr(mailer, "send", send)
        again = stack.tick("reminders", at=_just_after(due) + timedelta(minutes=1))
        assert first in again["reminded"] and len(_reminders(stack, first)) == 1
        assert len(_reminders(stack, second)) == 1  # not reminded twice
    finally:
        _wind_down(users, first, second)


def test_no_status_update_on_a_resolved_incident(stack, users, olivia, paths) -> None:
    incident_id = None
    try:
        _, incident_id = _open(stack, olivia, paths.account, paths.x_user, "Meh post three")
        _to_monitoring(stack, users, incident_id)
        assert olivia.post(f"/incidents/{incident_id}/resolve").status_code == 200
        res = olivia.post(f"/incidents/{incident_id}/updates", {"message": "still on it"})
        assert res.status_code == 409, res.text
        assert olivia.get(f"/incidents/{incident_id}").json()["next_update_due"] is None
    finally:
        _wind_down(users, incident_id)
