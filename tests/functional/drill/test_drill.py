"""The crisis drills (``make drill``) as a functional test: the lewd, clumsy and hack
scenarios of ``firebreak_local.drill`` run on the shared local stack's demo account,
through the watcher, mailed links over HTTP and the incident API, and end as the
playbook promises."""

from __future__ import annotations

import json

import pytest

from firebreak_local import drill


@pytest.fixture(scope="module")
def drills(stack):
    """Each scenario once, in order. The watcher is baselined first: other tests share
    the stack and leave posts on the account's timeline."""
    records = {}
    try:
        drill.baseline_watcher(stack)
        for name in drill.SCENARIOS:
            records[name] = drill.run_scenario(stack, name)
    finally:
        _release_freezes(stack, records.values())
    return records


def _release_freezes(stack, records):
    """A drill that stopped half-way must not leave the demo account frozen for the
    tests that publish on it."""
    from chalicelib.incidents.base import SYSTEM
    from chalicelib.wiring import get_service

    for record in records:
        if record["incident_id"] and record["final_status"] != "resolved":
            get_service().freezes.lift_incident_freeze(
                stack.seed.account_id,
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


def test_lewd_post_is_deleted_and_apologised_for(stack, drills) -> None:
    record = drills["lewd"]
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


def test_drill_report_is_one_json_line(drills) -> None:
    line = drill.as_json(list(drills.values()))
    assert "\n" not in line
    scenarios = json.loads(line)["scenarios"]
    assert [s["name"] for s in scenarios] == ["lewd", "clumsy", "hack"]
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
