"""The incident playbook: the real ASL executed by the embedded AWS, our Lambda steps,
the sandbox X, and decisions taken through mailed links over HTTP (C1-C7, R1-R2)."""

from __future__ import annotations

import re
import time
from dataclasses import replace

import pytest
import requests

from firebreak_local.drill import incident_for_post
from tests.functional.conftest import add_brand_account, unique


def wait_for(predicate, timeout=20.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


def incident_of(api, incident_id):
    return api.get(f"/incidents/{incident_id}").json()


def wait_status(api, incident_id, *statuses, timeout=20.0):
    return wait_for(
        lambda: (i := incident_of(api, incident_id))["status"] in statuses and i, timeout=timeout
    )


def play_to_the_end(olivia, adam, incident_id, timeout=20.0):
    """Keep the post, apologise in its own words (X refuses a second identical apology
    from the template within a minute), approve as another senior and resolve: nothing
    of the incident, its freeze least of all, is left to the other tests."""
    olivia.post(f"/incidents/{incident_id}/decide", {"decision": "keep"})
    wait_status(olivia, incident_id, "apologising", timeout=timeout)
    olivia.put(f"/incidents/{incident_id}/apology", {"text": unique("Sorry about that.")})
    assert adam.post(f"/incidents/{incident_id}/apology/approve").status_code == 200
    wait_status(olivia, incident_id, "monitoring", timeout=timeout)
    assert olivia.post(f"/incidents/{incident_id}/resolve").status_code == 200


def links_to(stack, email, subject_marker, incident_id=None):
    """Links mailed to ``email`` under a subject containing ``subject_marker``, oldest
    first; only those about ``incident_id`` when given (other tests share the outbox)."""
    found = []
    for message in stack.mail():
        if email not in message.get("destinations", {}).get("ToAddresses", []):
            continue
        if subject_marker not in message.get("subject", ""):
            continue
        if incident_id and incident_id not in message.get("body", ""):
            continue
        found += re.findall(r'href="([^"]+/links/[^"]+)"', message.get("body", ""))
    return found


def sent_back_mails(stack, email, incident_id):
    return [
        m
        for m in stack.mail()
        if email in m.get("destinations", {}).get("ToAddresses", [])
        and "sent back for editing" in m.get("subject", "")
        and incident_id in m.get("body", "")
    ]


def execution_decision(stack, incident_id):
    """The decision the state machine received (its ``$.decision``), from the history."""
    import json

    from chalicelib.wiring import aws_client, get_settings

    arn = (
        get_settings().state_machine_arn.replace(":stateMachine:", ":execution:")
        + f":{incident_id}"
    )
    events = aws_client("stepfunctions").get_execution_history(executionArn=arn)["events"]
    for event in events:
        details = event.get("stateEnteredEventDetails") or {}
        if details.get("name") == "RouteDecision":
            return json.loads(details["input"])["decision"]
    return None


def execution_status(stack, incident_id):
    from chalicelib.wiring import aws_client, get_settings

    arn = (
        get_settings().state_machine_arn.replace(":stateMachine:", ":execution:")
        + f":{incident_id}"
    )
    return aws_client("stepfunctions").describe_execution(executionArn=arn)["status"]


@pytest.fixture(scope="module")
def crisis(stack):
    """A second account of the demo brand, so that incident freezes here never hold the
    posts other tests publish on the demo account."""
    return "acct_crisis", add_brand_account(
        stack, "acct_crisis", "@acme_crisis", "Acme Crisis Desk"
    )


@pytest.fixture
def account(crisis):
    return crisis[0]


@pytest.fixture
def x_user(crisis):
    return crisis[1]


@pytest.fixture
def watcher_baseline(stack, crisis):
    stack.tick("watcher")


def test_lewd_post_is_deleted_after_mailed_decision(
    stack, x_user, users, olivia, account, watcher_baseline
) -> None:
    # Given an off-calendar lewd post appears on the account (from the phone app)
    text = unique("Check out this fucking nude pussy pic, sexy sluts")
    x_post = stack.x.app.inject_post(x_user, text, source="Twitter for iPhone")
    # When the watcher runs, an incident opens (one per post, never two)
    stack.tick("watcher")
    incident_id = incident_for_post(account, x_post["id"])
    assert incident_id is not None
    # (other tests' accounts may have posts of their own waiting: look at this one)
    again = stack.tick("watcher")["opened"]
    assert incident_id not in again
    mine = [
        i
        for i in olivia.get("/incidents", account_id=account).json()["incidents"]
        if i["post"]["network_post_id"] == x_post["id"]
    ]
    assert len(mine) == 1  # one per post, never two
    incident = wait_status(olivia, incident_id, "awaiting_decision")
    assert incident["trigger"] == "not_published_by_firebreak"
    assert incident["recommendation"]["recommendation"] == "delete"
    assert incident["evidence_sha256"]
    evidence = olivia.get(f"/incidents/{incident_id}/evidence").json()
    assert evidence["sha256"] == incident["evidence_sha256"]
    assert evidence["raw"]["text"] == text and "public_metrics" in evidence["raw"]
    # The account is frozen the moment the playbook runs
    assert any(f["scope"] == account for f in olivia.get("/freezes").json()["freezes"])
    # Then the commander decides through the mailed link: GET shows, POST decides
    link = wait_for(lambda: links_to(stack, "olivia@acme.example", "Delete or keep", incident_id))[
        -1
    ]
    page = requests.get(link, timeout=10)
    assert page.status_code == 200 and "Delete the post" in page.text
    assert incident_of(olivia, incident_id)["status"] == "awaiting_decision"
    res = requests.post(link, data={"action": "delete", "subject_id": incident_id}, timeout=10)
    assert res.status_code == 200, res.text
    # A replayed link changes nothing
    assert (
        requests.post(
            link, data={"action": "keep", "subject_id": incident_id}, timeout=10
        ).status_code
        == 410
    )
    # The post is deleted on X and verified; an apology is drafted and awaits a senior
    incident = wait_status(olivia, incident_id, "apologising")
    assert incident["post_deleted"] is True and incident["decision"] == "delete"
    assert stack.x.app.post(x_post["id"])["deleted"] is True
    assert incident["apology"]["mode"] == "standalone"
    # The apology is approved through its own mailed link by a senior who is not its author
    apology_link = wait_for(
        lambda: links_to(stack, "adam@acme.example", "Approve the apology", incident_id)
    )[-1]
    res = requests.post(
        apology_link, data={"action": "approve", "subject_id": incident_id}, timeout=10
    )
    assert res.status_code == 200, res.text
    incident = wait_status(olivia, incident_id, "monitoring")
    apology_id = incident["apology"]["network_post_id"]
    assert stack.x.app.post(apology_id)["text"] == incident["apology"]["text"]
    # The apology Firebreak posted does not open an incident of its own
    stack.tick("watcher")
    assert incident_for_post(account, apology_id) is None
    # Resolve lifts the incident's freeze
    assert olivia.post(f"/incidents/{incident_id}/resolve").status_code == 200
    wait_for(lambda: execution_status(stack, incident_id) == "SUCCEEDED")
    freezes = [f for f in olivia.get("/freezes").json()["freezes"] if f["scope"] == account]
    others_open = [
        i
        for i in olivia.get("/incidents", account_id=account).json()["incidents"]
        if i["id"] != incident_id and i["status"] not in ("resolved", "closed")
    ]
    # The freeze guards the account while any incident on it is open (other tests may
    # have left one); with none, resolving this one lifts it.
    assert bool(freezes) is bool(others_open), (freezes, [i["id"] for i in others_open])
    # The timeline is complete and ordered; the postmortem has the times
    timeline = olivia.get(f"/incidents/{incident_id}/timeline").json()["entries"]
    kinds = [e["kind"] for e in timeline]
    for kind in (
        "opened",
        "evidence_archived",
        "frozen",
        "assessed",
        "decision_requested",
        "decided",
        "post_deleted",
        "apology_drafted",
        "apology_approved",
        "apology_published",
        "monitoring",
        "resolved",
        "freeze_kept" if others_open else "freeze_lifted",
    ):
        assert kind in kinds, kind
    assert kinds.index("evidence_archived") < kinds.index("post_deleted")
    assert [e["at"] for e in timeline] == sorted(e["at"] for e in timeline)
    report = olivia.get(f"/incidents/{incident_id}/postmortem").json()
    assert (
        report["seconds"]["to_delete"] is not None and report["seconds"]["to_apologise"] is not None
    )
    assert any(d["who"] == "u_olivia" and d["channel"] == "email" for d in report["decisions"])
    page = olivia.get(f"/incidents/{incident_id}/postmortem/page")
    assert page.status_code == 200 and "Postmortem" in page.text


def test_clumsy_post_is_kept_and_apology_is_a_reply(
    stack, x_user, olivia, users, account, watcher_baseline, monkeypatch
) -> None:
    text = unique("Happy Monday! Nothing says fun like our tax-season coffee, lol")
    x_post = stack.x.app.inject_post(x_user, text, source="Twitter for iPhone")
    res = olivia.post(
        "/incidents",
        {"account_id": account, "post": f"https://x.com/acme_demo/status/{x_post['id']}"},
    )
    assert res.status_code == 201, res.text
    incident_id = res.json()["id"]
    # Opening it again by hand gives the same incident
    again = olivia.post("/incidents", {"account_id": account, "post": x_post["id"]})
    assert again.json()["id"] == incident_id
    incident = wait_status(olivia, incident_id, "awaiting_decision")
    assert incident["recommendation"]["recommendation"] == "keep"
    assert olivia.post(f"/incidents/{incident_id}/decide", {"decision": "keep"}).status_code == 200
    assert (
        olivia.post(f"/incidents/{incident_id}/decide", {"decision": "delete"}).status_code == 409
    )
    incident = wait_status(olivia, incident_id, "apologising")
    assert incident["post_deleted"] is False and incident["apology"]["mode"] == "reply"
    # Adam sends the drafted apology back through his mailed link. Without a reason
    # nothing happens and the link still works; with one, the version is dead.
    adam_link = wait_for(
        lambda: links_to(stack, "adam@acme.example", "Approve the apology", incident_id)
    )[-1]
    olivia_link = links_to(stack, "olivia@acme.example", "Approve the apology", incident_id)[-1]
    form = {"action": "reject", "subject_id": incident_id}
    no_reason = requests.post(adam_link, data=form, timeout=10)
    assert no_reason.status_code == 400 and "reason" in no_reason.text
    assert incident_of(olivia, incident_id)["apology"]["rejected_by"] is None
    reason = "Too flippant: say what we will change"
    # Someone else saves the incident between the link's burn and its save: the spent
    # link's decision is retried on the fresh incident, not lost
    from chalicelib.aws.dynamo_incidents import DynamoIncidents
    from chalicelib.core.errors import Conflict

    real_save, races = DynamoIncidents.save, []

    def racing_save(self, incident, expected_revision, timeline):
        if not races:
            races.append(incident.id)
            raise Conflict("changed meanwhile")
        return real_save(self, incident, expected_revision, timeline)

    monkeypatch.setattr(DynamoIncidents, "save", racing_save)
    sent_back = requests.post(adam_link, data={**form, "reason": reason}, timeout=10)
    monkeypatch.undo()
    assert races == [incident_id]
    assert sent_back.status_code == 200, sent_back.text
    assert requests.post(adam_link, data={**form, "reason": reason}, timeout=10).status_code == 410
    apology = incident_of(olivia, incident_id)["apology"]
    assert (apology["rejected_by"], apology["rejection_reason"]) == ("u_adam", reason)
    # Nobody approves the rejected version, by link or by API
    approve = {"action": "approve", "subject_id": incident_id}
    assert requests.post(olivia_link, data=approve, timeout=10).status_code == 410
    assert olivia.post(f"/incidents/{incident_id}/apology/approve").status_code == 409
    # The commander is told why, once; the sender is not
    told = sent_back_mails(stack, "olivia@acme.example", incident_id)
    assert len(told) == 1 and reason in told[0]["body"]
    assert sent_back_mails(stack, "adam@acme.example", incident_id) == []
    # The author of an edited apology cannot approve it; another senior can
    edited = olivia.put(
        f"/incidents/{incident_id}/apology",
        {"text": unique("We got the joke wrong. Sorry. — Olivia")},
    )
    assert edited.status_code == 200 and edited.json()["apology"]["author"] == "u_olivia"
    assert edited.json()["apology"]["rejected_by"] is None
    assert olivia.post(f"/incidents/{incident_id}/apology/approve").status_code == 403
    # Sending back through the API needs a reason too, and a senior
    reject_path = f"/incidents/{incident_id}/apology/reject"
    blank = users["u_adam"].post(reject_path, {"reason": " "})
    assert blank.status_code == 400 and blank.json()["error"]["field"] == "reason"
    assert users["u_alice"].post(reject_path, {"reason": "no"}).status_code == 403
    assert users["u_adam"].post(reject_path, {"reason": "Name the fix"}).status_code == 200
    assert users["u_adam"].post(reject_path, {"reason": "again"}).status_code == 409
    # Olivia is commander and author of version 2: one mail for it, not two
    told = sent_back_mails(stack, "olivia@acme.example", incident_id)
    assert len(told) == 2 and "Name the fix" in told[1]["body"]
    edited = olivia.put(
        f"/incidents/{incident_id}/apology",
        {"text": unique("We got the joke wrong, and we will run jokes past the team. Sorry.")},
    )
    assert edited.json()["apology"]["version"] == 3
    assert users["u_adam"].post(f"/incidents/{incident_id}/apology/approve").status_code == 200
    incident = wait_status(olivia, incident_id, "monitoring")
    reply = stack.x.app.post(incident["apology"]["network_post_id"])
    assert reply["in_reply_to_user_id"] or reply.get("referenced_tweets")
    assert stack.x.app.post(x_post["id"])["deleted"] is False
    olivia.post(f"/incidents/{incident_id}/resolve")
    wait_for(lambda: execution_status(stack, incident_id) == "SUCCEEDED")


def test_incident_whose_playbook_failed_to_start_starts_on_the_next_report(
    stack, x_user, olivia, users, account, watcher_baseline, monkeypatch
) -> None:
    from botocore.exceptions import ClientError

    from chalicelib.aws.stepfunctions import SfnPlaybook

    real_start, calls = SfnPlaybook.start, []

    def throttled_once(self, name, payload):
        calls.append(name)
        if len(calls) == 1:
            raise ClientError(
                {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}},
                "StartExecution",
            )
        return real_start(self, name, payload)

    monkeypatch.setattr(SfnPlaybook, "start", throttled_once)
    x_post = stack.x.app.inject_post(x_user, unique("Our intern says hi"), source="Buffer")
    first = olivia.post("/incidents", {"account_id": account, "post": x_post["id"]})
    assert first.status_code >= 500  # stored, but the playbook did not start
    [incident] = [
        i
        for i in olivia.get("/incidents", account_id=account).json()["incidents"]
        if i["post"]["network_post_id"] == x_post["id"]
    ]
    assert incident["status"] == "open"
    # Reporting the same post again starts the stored incident's playbook, once
    again = olivia.post("/incidents", {"account_id": account, "post": x_post["id"]})
    assert again.status_code == 201 and again.json()["id"] == incident["id"]
    wait_status(olivia, incident["id"], "awaiting_decision")
    olivia.post("/incidents", {"account_id": account, "post": x_post["id"]})
    assert calls == [incident["id"]] * 2  # no start once it has left "open"
    play_to_the_end(olivia, users["u_adam"], incident["id"])
    wait_for(lambda: execution_status(stack, incident["id"]) == "SUCCEEDED")


def test_no_incident_on_a_strangers_post(stack, x_user, olivia, account) -> None:
    # In a pile-on someone pastes a stranger's abusive reply instead of the brand's post
    reply = stack.x.app.inject_mention(
        x_user, unique("@acme_crisis you people are fucking idiots"), author_username="troll"
    )
    res = olivia.post("/incidents", {"account_id": account, "post": reply["id"]})
    assert res.status_code == 400, res.text
    error = res.json()["error"]
    assert error["field"] == "post" and "is not by @acme_crisis" in error["message"]
    # Nothing was opened (so nothing froze the account or mailed the seniors)
    incidents = olivia.get("/incidents", account_id=account).json()["incidents"]
    assert all(i["post"]["network_post_id"] != reply["id"] for i in incidents)


def _suspected_hack(stack, x_user, olivia, account):
    text = unique(
        "FREE BITCOIN GIVEAWAY! Send 0.1 BTC to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh "
        "and get 2 back: https://crypto-doubler.example/claim"
    )
    x_post = stack.x.app.inject_post(x_user, text, source="Unknown Bot App")
    stack.tick("watcher")
    incident_id = wait_for(lambda: incident_for_post(account, x_post["id"]))
    incident = wait_status(olivia, incident_id, "awaiting_decision")
    assert incident["hack_suspected"] is True
    assert incident["recommendation"]["recommendation"] == "delete"
    assert incident["hack_confirmed"] is None and incident["hack_answered_by"] is None
    return x_post, incident_id


def _finish_checklist(olivia, incident_id):
    incident = wait_for(lambda: (i := incident_of(olivia, incident_id))["checklist"] and i)
    keys = [c["key"] for c in incident["checklist"]]
    assert {"rotate_password", "revoke_apps", "enable_2fa", "review_access"} <= set(keys)
    for key in keys[:-1]:
        olivia.post(f"/incidents/{incident_id}/checklist/{key}")
    # still waiting for the last item
    assert incident_of(olivia, incident_id)["status"] == "containing"
    olivia.post(f"/incidents/{incident_id}/checklist/{keys[-1]}")
    incident = wait_status(olivia, incident_id, "apologising")
    assert all(c["done_by"] == "u_olivia" for c in incident["checklist"])
    return incident


def _decided_entry(olivia, incident_id):
    entries = olivia.get(f"/incidents/{incident_id}/timeline").json()["entries"]
    return next(e for e in entries if e["kind"] == "decided")


def test_confirmed_hack_gets_the_checklist_and_the_hack_apology(
    stack, x_user, olivia, account, watcher_baseline
) -> None:
    # Given a crypto scam from an unknown app: Firebreak suspects a hack
    x_post, incident_id = _suspected_hack(stack, x_user, olivia, account)
    # When the commander deletes it and confirms the hack
    decided = olivia.post(f"/incidents/{incident_id}/decide", {"decision": "delete", "hack": True})
    assert decided.status_code == 200, decided.text
    assert decided.json()["hack_confirmed"] is True
    # Then every checklist item is asked for and the apology says it was a hack
    incident = _finish_checklist(olivia, incident_id)
    assert stack.x.app.post(x_post["id"])["deleted"] is True
    assert incident["apology"]["template"] == "hack"
    assert "someone else got into our account" in incident["apology"]["text"]
    # And the timeline, the postmortem and the state machine say who confirmed it
    entry = _decided_entry(olivia, incident_id)
    assert entry["actor"] == "u_olivia" and entry["details"]["hack"] == "confirmed"
    report = olivia.get(f"/incidents/{incident_id}/postmortem").json()
    assert report["hack"] == {"suspected": True, "answer": "confirmed", "answered_by": "u_olivia"}
    assert execution_decision(stack, incident_id) == {
        "decision": "delete",
        "by": "u_olivia",
        "hack": "confirmed",
        "hack_answered_by": "u_olivia",
        "security_checklist": True,
    }


def test_rejected_hack_gets_no_checklist_and_no_hack_apology(
    stack, x_user, olivia, account, watcher_baseline
) -> None:
    # Given a suspected hack that the commander knows was a colleague's post
    _, incident_id = _suspected_hack(stack, x_user, olivia, account)
    # When she deletes it and answers "no, it was one of us"
    olivia.post(f"/incidents/{incident_id}/decide", {"decision": "delete", "hack": False})
    # Then the playbook goes straight to the apology, which admits the mistake
    incident = wait_status(olivia, incident_id, "apologising")
    assert incident["checklist"] == []
    assert incident["hack_confirmed"] is False and incident["hack_answered_by"] == "u_olivia"
    assert incident["apology"]["template"] == "own_mistake"
    assert "someone else" not in incident["apology"]["text"]
    entry = _decided_entry(olivia, incident_id)
    assert entry["details"]["hack"] == "rejected" and "no hack" in entry["message"]
    report = olivia.get(f"/incidents/{incident_id}/postmortem").json()
    assert report["hack"] == {"suspected": True, "answer": "rejected", "answered_by": "u_olivia"}
    kinds = [e["kind"] for e in olivia.get(f"/incidents/{incident_id}/timeline").json()["entries"]]
    assert "checklist_requested" not in kinds


def test_unanswered_hack_offers_the_checklist_but_never_a_hack_apology(
    stack, x_user, olivia, account, watcher_baseline
) -> None:
    # Given a suspected hack
    _, incident_id = _suspected_hack(stack, x_user, olivia, account)
    # When the commander deletes it without answering "was this a hack?"
    olivia.post(f"/incidents/{incident_id}/decide", {"decision": "delete"})
    # Then the account is secured on the suspicion...
    mail = wait_for(
        lambda: [m for m in stack.mail() if f"incident {incident_id}" in m.get("subject", "")]
    )
    assert "nobody has confirmed" in mail[-1]["body"]
    incident = _finish_checklist(olivia, incident_id)
    # ...but nothing says "we were hacked" in public
    assert incident["hack_confirmed"] is None and incident["hack_answered_by"] is None
    assert incident["apology"]["template"] == "own_mistake"
    assert "someone else" not in incident["apology"]["text"]
    entry = _decided_entry(olivia, incident_id)
    assert entry["details"]["hack"] == "unanswered"
    report = olivia.get(f"/incidents/{incident_id}/postmortem").json()
    assert report["hack"] == {"suspected": True, "answer": "unanswered", "answered_by": None}


def test_hack_answer_by_link_is_checked_before_the_link_is_spent(
    stack, x_user, olivia, account, watcher_baseline
) -> None:
    # Given a suspected hack and the commander's mailed decision link
    _, incident_id = _suspected_hack(stack, x_user, olivia, account)
    url = wait_for(lambda: links_to(stack, "olivia@acme.example", "Delete or keep", incident_id))[
        -1
    ]
    page = requests.get(url, timeout=10)
    assert "Was this a hack?" in page.text and "Firebreak suspects a hack" in page.text
    # When the form carries an answer that is neither yes, no nor unsure
    form = {"subject_id": incident_id, "action": "delete"}
    bad = requests.post(url, data={**form, "hack": "maybe"}, timeout=10)
    # Then nothing is decided and the link still works
    assert bad.status_code == 400 and "hack" in bad.text
    assert incident_of(olivia, incident_id)["status"] == "awaiting_decision"
    good = requests.post(url, data={**form, "hack": "yes"}, timeout=10)
    assert good.status_code == 200, good.text
    incident = wait_for(lambda: (i := incident_of(olivia, incident_id))["checklist"] and i)
    assert incident["hack_confirmed"] is True and incident["hack_answered_by"] == "u_olivia"


def test_api_refuses_a_hack_answer_that_is_not_a_boolean(
    stack, x_user, olivia, account, watcher_baseline
) -> None:
    _, incident_id = _suspected_hack(stack, x_user, olivia, account)
    res = olivia.post(f"/incidents/{incident_id}/decide", {"decision": "delete", "hack": "maybe"})
    assert res.status_code == 400 and res.json()["error"]["field"] == "hack"
    assert incident_of(olivia, incident_id)["status"] == "awaiting_decision"
    olivia.post(f"/incidents/{incident_id}/decide", {"decision": "delete", "hack": True})
    wait_for(lambda: incident_of(olivia, incident_id)["checklist"])


def test_decision_timeout_escalates_to_the_next_senior(
    stack, x_user, olivia, users, account, watcher_baseline
) -> None:
    from chalicelib.wiring import get_playbook

    playbook = get_playbook()
    original = playbook.config
    playbook.config = replace(original, decision_timeout_s=2, escalated_decision_timeout_s=60)
    try:
        x_post = stack.x.app.inject_post(x_user, unique("Meh post"), source="Firebreak")
        res = olivia.post("/incidents", {"account_id": account, "post": x_post["id"]})
        incident_id = res.json()["id"]
    finally:
        playbook.config = original
    incident = wait_status(olivia, incident_id, "escalated", timeout=30)
    target = incident["escalated_to"]
    assert target in ("u_adam", "u_ada")
    # The first round's link no longer works; the escalated person's does
    first = links_to(stack, "olivia@acme.example", "Delete or keep", incident_id)[-1]
    assert (
        requests.post(
            first, data={"action": "keep", "subject_id": incident_id}, timeout=10
        ).status_code
        == 410
    )
    email = f"{target.removeprefix('u_')}@acme.example"
    # The target may also hold a first-round link (now stale): take the one that opens.
    link = wait_for(
        lambda: [
            u
            for u in links_to(stack, email, "Delete or keep", incident_id)
            if requests.get(u, timeout=10).status_code == 200
        ]
    )[-1]
    # The escalated senior answers "was this a hack?" too: no, it was one of us
    assert "Was this a hack?" in requests.get(link, timeout=10).text
    assert (
        requests.post(
            link, data={"action": "keep", "subject_id": incident_id, "hack": "no"}, timeout=10
        ).status_code
        == 200
    )
    incident = wait_status(olivia, incident_id, "apologising")
    assert incident["hack_confirmed"] is False and incident["hack_answered_by"] == target
    kinds = [e["kind"] for e in olivia.get(f"/incidents/{incident_id}/timeline").json()["entries"]]
    assert "escalated" in kinds


def test_x_delete_failing_retries_then_fails_on_the_timeline(
    stack, x_user, olivia, account, watcher_baseline
) -> None:
    x_post = stack.x.app.inject_post(
        x_user, unique("Another bad one, fucking hell"), source="Twitter for iPhone"
    )
    incident_id = olivia.post("/incidents", {"account_id": account, "post": x_post["id"]}).json()[
        "id"
    ]
    wait_status(olivia, incident_id, "awaiting_decision")
    stack.x.app.add_fault(method="DELETE", path="/2/tweets/*", status=503, count=10)
    olivia.post(f"/incidents/{incident_id}/decide", {"decision": "delete"})
    incident = wait_status(olivia, incident_id, "failed", timeout=40)
    assert "NetworkUnavailable" in incident["failure"]
    assert stack.x.app.post(x_post["id"])["deleted"] is False
    timeline = olivia.get(f"/incidents/{incident_id}/timeline").json()["entries"]
    assert timeline[-1]["kind"] == "playbook_failed"
    assert any("Playbook needs you" in m["subject"] for m in stack.mail())
    assert execution_status(stack, incident_id) == "FAILED"
    # A person can still resolve it, which lifts the incident's freeze
    assert olivia.post(f"/incidents/{incident_id}/resolve").json()["status"] == "resolved"


def test_watcher_waits_for_x_rate_limit_reset(stack, x_user, account, watcher_baseline) -> None:
    from datetime import timedelta

    now = stack.clock.now()
    reset = int((now + timedelta(minutes=15)).timestamp())
    stack.x.app.add_fault(method="GET", path=f"/2/users/{x_user}/tweets", status=429, reset=reset)
    first = stack.tick("watcher", at=now)
    assert first["skipped"].get(account) == "RateLimited"
    before = len(stack.x.app.request_log())
    again = stack.tick("watcher", at=now + timedelta(minutes=5))
    assert again["skipped"].get(account) == "RateLimited"
    timeline_reads = [
        r for r in stack.x.app.request_log()[before:] if r["path"] == f"/2/users/{x_user}/tweets"
    ]
    assert timeline_reads == []  # no call to X before the reset
    after = stack.tick("watcher", at=now + timedelta(minutes=16))
    assert account not in after["skipped"]
    # The pause is over once the account was read again, not only from that clock on:
    # the next run at the stack's own time reads it too.
    later_run = stack.tick("watcher")
    assert account not in later_run["skipped"]


def test_duplicate_start_creates_no_second_execution(stack, x_user, olivia, account) -> None:
    from chalicelib.wiring import aws_client, get_playbook, get_settings

    x_post = stack.x.app.inject_post(x_user, unique("Dup start"), source="Firebreak")
    incident_id = olivia.post("/incidents", {"account_id": account, "post": x_post["id"]}).json()[
        "id"
    ]
    playbook = get_playbook()
    playbook.lifecycle.start_playbook(playbook.incidents.get(incident_id))
    executions = aws_client("stepfunctions").list_executions(
        stateMachineArn=get_settings().state_machine_arn
    )["executions"]
    assert [e["name"] for e in executions].count(incident_id) == 1
    olivia.post(f"/incidents/{incident_id}/decide", {"decision": "keep"})


def test_incident_links_pass_the_same_attacks(stack, x_user, olivia, users, account) -> None:
    x_post = stack.x.app.inject_post(x_user, unique("Link attack post"), source="Firebreak")
    incident_id = olivia.post("/incidents", {"account_id": account, "post": x_post["id"]}).json()[
        "id"
    ]
    wait_status(olivia, incident_id, "awaiting_decision")
    link = wait_for(lambda: links_to(stack, "olivia@acme.example", "Delete or keep", incident_id))[
        -1
    ]
    token = link.rsplit("/", 1)[1]
    tampered = link.rsplit("/", 1)[0] + "/" + token[:-1] + ("A" if token[-1] != "A" else "B")
    assert (
        requests.post(
            tampered, data={"action": "delete", "subject_id": incident_id}, timeout=10
        ).status_code
        == 404
    )
    other = requests.post(link, data={"action": "delete", "subject_id": "inc_other"}, timeout=10)
    assert other.status_code == 400
    someone = requests.post(
        link,
        data={"action": "delete", "subject_id": incident_id},
        headers={"X-Api-Key": users["u_adam"].key},
        timeout=10,
    )
    assert someone.status_code == 403 and "someone else" in someone.text
    assert (
        requests.post(
            link, data={"action": "publish", "subject_id": incident_id}, timeout=10
        ).status_code
        == 400
    )
    assert incident_of(olivia, incident_id)["status"] == "awaiting_decision"
    assert (
        requests.post(
            link, data={"action": "keep", "subject_id": incident_id}, timeout=10
        ).status_code
        == 200
    )
    assert (
        requests.post(
            link, data={"action": "keep", "subject_id": incident_id}, timeout=10
        ).status_code
        == 410
    )


def test_the_reporters_severity_and_note_reach_the_decision(
    stack, x_user, alice, olivia, users, account
) -> None:
    """A person's call stands: Firebreak does not lower it, says so on the timeline, and
    the decision mail and page carry the reporter's severity and note."""
    x_post = stack.x.app.inject_post(x_user, unique("Our intern says hi"), source="Buffer")
    note = "Customers are screenshotting it already"
    res = alice.post(
        "/incidents",
        {"account_id": account, "post": x_post["id"], "severity": "critical", "note": note},
    )
    assert res.status_code == 201, res.text
    incident = wait_status(olivia, res.json()["id"], "awaiting_decision")
    assert incident["severity"] == "critical" and incident["reported_severity"] == "critical"
    assert incident["report_note"] == note
    assessed = [
        e
        for e in olivia.get(f"/incidents/{incident['id']}/timeline").json()["entries"]
        if e["kind"] == "assessed"
    ]
    assert "severity stays critical as reported" in assessed[0]["message"]
    [link] = links_to(stack, "olivia@acme.example", "Delete or keep?", incident["id"])
    mail = next(m for m in stack.mail() if link in m["body"] and "olivia@acme.example" in str(m))
    assert f"Reported by Alice Author as critical: “{note}”" in mail["body"]
    page = requests.get(link, timeout=10)
    assert "Reported by Alice Author as critical" in page.text and note in page.text
    play_to_the_end(olivia, users["u_adam"], incident["id"])
