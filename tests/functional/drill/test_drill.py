"""The crisis drills (``make drill``) as a functional test: the lewd, clumsy and hack
scenarios of ``firebreak_local.drill`` run on the shared local stack's demo account,
through the watcher, mailed links over HTTP and the incident API, and end as the
playbook promises; the pile-on runs on a listening account of its own, through the
mention poller, the spike alert, the engagement queue and a reply approved by link."""

from __future__ import annotations

import io
import json
import re
from contextlib import contextmanager

import pytest

from firebreak_local import drill


@pytest.fixture(scope="module")
def drills(stack, drill_output):
    """Each scenario once, in order. The watcher is baselined first: other tests share
    the stack and leave posts on the account's timeline. The app's logs and metrics
    of the whole run are kept (``drill_output``)."""
    records = {}
    try:
        with drill.app_logs_to(drill_output["stream"]), _task_tokens(drill_output["tokens"]):
            drill.baseline_watcher(stack)
            for name in drill.DRILLS:
                records[name] = drill.run_scenario(stack, name)
    finally:
        _release_freezes(stack, records.values())
    return records


@pytest.fixture(scope="module")
def drill_output():
    return {"stream": io.StringIO(), "tokens": []}


@contextmanager
def _task_tokens(seen):
    """Every Step Functions task token the playbook Lambda was handed."""
    from chalicelib.wiring import get_playbook

    steps = get_playbook().steps
    original = steps.run_step

    def recording(event):
        if event.get("task_token"):
            seen.append(event["task_token"])
        return original(event)

    steps.run_step = recording
    try:
        yield
    finally:
        del steps.run_step


def _release_freezes(stack, records):
    """A drill that stopped half-way must not leave the demo account frozen for the
    tests that publish on it."""
    from chalicelib.incidents.base import SYSTEM
    from chalicelib.wiring import get_service

    for record in records:
        if record["incident_id"] and record["final_status"] != "resolved":
            get_service().freezes.lift_incident_freeze(
                record.get("account_id") or stack.seed.account_id,
                f"incident {record['incident_id']}",
                SYSTEM,
            )


def _ok(record):
    assert record["problems"] == [], "\n".join(record["problems"])
    assert record["ok"] is True
    assert record["final_status"] == "resolved"
    assert record["apology_posted"] is True
    seconds = record["seconds"]
    assert seconds["automated"] > 0 and seconds["human"] > 0
    assert seconds["automated"] == pytest.approx(sum(seconds["automated_steps"].values()), abs=0.01)
    assert record["postmortem"]["to_apologise"] is not None
    assert record["postmortem"]["to_resolve"] is not None


@pytest.mark.parametrize("name", ["lewd", "lewd-mastodon", "lewd-bluesky"])
def test_lewd_post_is_deleted_and_apologised_for(stack, drills, name) -> None:
    """The same delete path on the brand's X, Mastodon and Bluesky accounts: the post is
    gone from that network's sandbox and the apology is on it (``_ok``)."""
    record = drills[name]
    assert record["network"] == {"lewd": "x"}.get(name, name.removeprefix("lewd-"))
    _ok(record)
    assert record["recommendation"] == "delete" and record["hack_suspected"] is False
    assert record["decision"] == "delete" and record["post_deleted"] is True
    assert record["apology_mode"] == "standalone"
    assert set(record["seconds"]["automated_steps"]) == {
        "post_to_awaiting_decision",
        "decision_to_apologising",
        "approval_to_monitoring",
        "resolve_to_done",
    }
    assert record["postmortem"]["to_delete"] is not None


def test_clumsy_post_is_kept_and_the_apology_replies(stack, drills) -> None:
    record = drills["clumsy"]
    _ok(record)
    assert record["recommendation"] == "keep" and record["hack_suspected"] is False
    assert record["decision"] == "keep" and record["post_deleted"] is False
    assert record["apology_mode"] == "reply"
    assert record["postmortem"]["to_delete"] is None


def test_hack_is_deleted_and_the_account_secured(stack, drills) -> None:
    record = drills["hack"]
    _ok(record)
    assert record["recommendation"] == "delete" and record["hack_suspected"] is True
    assert record["decision"] == "delete" and record["post_deleted"] is True
    assert record["checklist_done"] is True
    assert record["apology_mode"] == "standalone"
    assert "checklist" in record["seconds"]["human_steps"]
    assert "checklist_to_apologising" in record["seconds"]["automated_steps"]


def test_a_pile_on_alerts_opens_the_incident_and_a_held_reply_goes_out(stack, drills) -> None:
    record = drills["pileon"]
    assert record["problems"] == [], "\n".join(record["problems"])
    assert record["ok"] is True
    pileon = drill.PILEONS["pileon"]
    spike = record["spike"]
    assert spike["incident_id"] == record["incident_id"] and record["trigger"] == "mention_spike"
    assert spike["observed"] == pileon.surge and spike["expected"] < 5
    assert spike["about_share"] >= 0.5 and 1 <= spike["severity"] <= 10
    assert 0 < spike["surge_to_alert_s"] <= 120  # played: the poll after the surge's minute
    reply = record["reply"]
    assert reply["status"] == "posted" and reply["approved_by"] == "u_bob"
    assert any(record["incident_id"] in why for why in reply["held_because"])
    assert reply["held_s"] is not None and reply["held_s"] >= 0
    on_x = stack.x.app.post(reply["network_post_id"])
    assert {"type": "replied_to", "id": reply["mention_id"]} in on_x["referenced_tweets"]
    assert on_x["text"] == pileon.reply
    damage = record["damage"]
    assert damage["mentions"] >= pileon.surge + pileon.second_wave
    assert damage["peak"]["total"] == pileon.surge
    assert damage["first_reply_s"] is not None and damage["first_reply_s"] >= 0
    assert damage["negative_share"] > (damage["usual_negative_share"] or 0)
    assert record["final_status"] == "awaiting_decision"  # the decision is left open
    assert set(record["seconds"]["automated_steps"]) == {
        "surge_to_alert",
        "alert_to_awaiting_decision",
    }
    assert set(record["seconds"]["human_steps"]) == {"reply", "reply_approval"}


def test_drill_report_is_one_json_line(drills) -> None:
    line = drill.as_json(list(drills.values()))
    assert "\n" not in line
    scenarios = json.loads(line)["scenarios"]
    assert [s["name"] for s in scenarios] == [
        "lewd",
        "clumsy",
        "hack",
        "lewd-mastodon",
        "lewd-bluesky",
        "pileon",
    ]
    for s in scenarios:
        assert {
            "name",
            "recommendation",
            "decision",
            "post_deleted",
            "apology_posted",
            "final_status",
            "seconds",
        } <= set(s)
    assert "Drill hack" in drill.summary(drills["hack"])
    pileon = scenarios[-1]
    assert {"spike", "reply", "damage", "trigger"} <= set(pileon)
    assert all("spike" not in s for s in scenarios[:-1])
    assert "Drill pileon" in drill.summary(drills["pileon"])


def _log_lines(drill_output):
    lines = [json.loads(line) for line in drill_output["stream"].getvalue().splitlines()]
    logs = [line for line in lines if "_aws" not in line]
    metrics = [line for line in lines if "_aws" in line]
    return logs, metrics


def test_the_drill_logs_are_json_lines_with_correlation_keys(drills, drill_output) -> None:
    logs, _ = _log_lines(drill_output)
    assert len(logs) > 20
    for line in logs:
        # Every line was written inside an invocation, and says which.
        assert line["service"] == "firebreak"
        assert {"cold_start", "function_request_id", "function_name"} <= set(line), line
    steps = [line for line in logs if line["message"].startswith("playbook step")]
    incidents = {r["incident_id"] for r in drills.values()}
    assert steps and all(line["incident_id"] in incidents for line in steps)
    assert all(line["execution"] == line["incident_id"] for line in steps)  # named by it
    assert all(line["account_id"] for line in steps)
    opened = [line for line in logs if line["message"].startswith("incident opened")]
    assert {line["incident_id"] for line in opened} == incidents
    spent = [line for line in logs if line["message"].startswith("link spent")]
    assert spent and all("account_id" in line for line in spent)
    # A reply's link names its account only (a mention is no incident); the pile-on's.
    pileon = drills["pileon"]["account_id"]
    replies = [line for line in spent if line["message"].startswith("link spent: reply")]
    assert [line["account_id"] for line in replies] == [pileon]
    assert all("incident_id" in line for line in spent if line not in replies)
    # A request's access line names the route's template, not the path with its token.
    decided = [line for line in logs if line["message"].startswith("POST /links/{token} 200")]
    assert decided and all("account_id" in line for line in decided)
    assert all("incident_id" in line for line in decided if line["account_id"] != pileon)


def test_the_drill_logs_hold_no_secret(stack, drills, drill_output) -> None:
    from chalicelib.core.settings import get_settings
    from chalicelib.wiring import aws_client

    text = drill_output["stream"].getvalue()
    secret = aws_client("secretsmanager").get_secret_value(
        SecretId=f"{get_settings().social_secret_prefix}{stack.seed.account_id}"
    )["SecretString"]
    used = {
        "api key": [u.api_key for u in stack.seed.users.values()],
        "X credential": [v for v in json.loads(secret).values() if len(str(v)) >= 16],
        "link token": sorted(
            {
                token
                for mail in drill.mailbox(stack)
                for token in re.findall(r"/links/([A-Za-z0-9_-]{20,})", json.dumps(mail))
            }
        ),
        "task token": drill_output["tokens"],
    }
    assert all(used.values()), {k: len(v) for k, v in used.items()}
    for kind, values in used.items():
        leaked = [v for v in values if v in text]
        assert leaked == [], f"a {kind} is in the drill's logs"


def test_the_drill_emits_its_metrics(drills, drill_output) -> None:
    _, metrics = _log_lines(drill_output)
    names = {
        m["Name"]
        for doc in metrics
        for block in doc["_aws"]["CloudWatchMetrics"]
        for m in block["Metrics"]
    }
    assert {
        "IncidentsOpened",
        "TimeToFreeze",
        "TimeToDecision",
        "TimeToDeletion",
        "LinksSpent",
        "WatcherRuns",
    } <= names
    opened = [d for d in metrics if "IncidentsOpened" in d]
    assert {d["trigger"] for d in opened} <= {
        "not_published_by_firebreak",
        "risk_scan",
        "manual",
        "mention_spike",
    }
    assert sum(sum(d["IncidentsOpened"]) for d in opened) == len(drills)
