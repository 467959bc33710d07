"""The pile-on drill without a stack: where its played minutes start, how it counts
seconds, its post judged at every hour, and how its record reads in the summary and
in the drill's JSON line."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.incidents.assessment import PostFacts, habits_for, recommend_delete_or_keep
from chalicelib.triage import get_scorer
from firebreak_local.drill.pileon import BLOCK_S, LEAD, play_base, seconds_between
from firebreak_local.drill.report import as_json, summary
from firebreak_local.drill.scenarios import DRILLS, PILEONS, SCENARIOS, pileon_account

_URL = re.compile(r"https?://\S+")


@pytest.mark.parametrize(
    ("now", "base"),
    [
        ("2026-12-01T02:30:14Z", "2026-12-01T02:45:00Z"),
        ("2026-12-01T12:00:00Z", "2026-12-01T12:15:00Z"),
        ("2026-12-01T02:43:00Z", "2026-12-01T02:45:00Z"),  # exactly LEAD ahead
        ("2026-12-01T02:43:01Z", "2026-12-01T03:00:00Z"),
        ("2026-12-31T23:59:59Z", "2027-01-01T00:15:00Z"),
    ],
)
def test_the_script_starts_on_a_quarter_hour_ahead_of_the_clock(now: str, base: str) -> None:
    start = datetime.fromisoformat(now.replace("Z", "+00:00"))
    got = play_base(start)
    assert got == datetime.fromisoformat(base.replace("Z", "+00:00"))
    assert got.tzinfo is not None and got - start >= LEAD
    assert got.timestamp() % BLOCK_S == 0


def test_the_whole_script_fits_in_one_hour_slot() -> None:
    """The detector's time-of-day slots are hours: buckets in two slots would be
    expected differently, and the drill would not be the same at every hour."""
    for p in PILEONS.values():
        minutes = len(p.quiet) + 2 + p.calm_minutes  # quiet, surge, second wave, calm
        assert minutes * 60 < BLOCK_S
        assert 3600 % BLOCK_S == 0


def test_seconds_between_reads_iso_strings_and_datetimes() -> None:
    at = datetime(2026, 12, 1, 2, 50, 5, tzinfo=UTC)
    assert seconds_between("2026-12-01T02:50:05Z", at + timedelta(seconds=55)) == 55.0
    assert seconds_between(at, at + timedelta(milliseconds=1234)) == 1.23


def test_the_pile_on_runs_after_the_watcher_drills() -> None:
    assert DRILLS == ("lewd", "clumsy", "hack", "lewd-mastodon", "lewd-bluesky", "pileon")
    assert "pileon" in PILEONS and not set(SCENARIOS) & set(PILEONS)


@pytest.mark.parametrize("name", list(PILEONS))
def test_the_pile_on_post_gets_the_same_recommendation_at_every_hour(name: str) -> None:
    """The spike opens the incident on the post; the playbook's assessment of it must
    not depend on when the drill is played (the post is 20 minutes older than the
    script's start, so at any hour of a winter and a summer day)."""
    p = PILEONS[name]
    scorer = get_scorer("on")
    habits = habits_for(pileon_account("acc_pile_test", "@pile_test", "acme"))
    outcomes = set()
    for day in (datetime(2026, 1, 12, tzinfo=UTC), datetime(2026, 7, 13, tzinfo=UTC)):
        for minute in range(0, 24 * 60, 30):
            triage = scorer.score(p.text)
            facts = PostFacts(
                text=p.text,
                published_by_firebreak=False,
                source_app=p.source,
                posted_at=day + timedelta(minutes=minute),
                links=tuple(_URL.findall(p.text)),
            )
            result = recommend_delete_or_keep(facts, habits, triage, triage.severe_terms)
            outcomes.add((result.recommendation, result.hack_suspected))
    assert outcomes == {(p.recommendation, p.hack_suspected)}


def _record() -> dict[str, object]:
    return {
        "name": "pileon",
        "incident_id": "inc_1",
        "commander": "u_olivia",
        "recommendation": "keep",
        "hack_suspected": False,
        "hack_confirmed": None,
        "hack_answered_by": None,
        "played_at": "2026-12-01T02:30:14+00:00",
        "reasons": [],
        "decision": None,
        "post_deleted": False,
        "checklist_done": None,
        "apology_posted": False,
        "apology_mode": None,
        "apology_text": None,
        "final_status": "awaiting_decision",
        "seconds": {
            "automated": 3.5,
            "human": 0.4,
            "automated_steps": {"surge_to_alert": 3.3, "alert_to_awaiting_decision": 0.2},
            "human_steps": {"reply": 0.3, "reply_approval": 0.1},
        },
        "postmortem": None,
        "notes": [],
        "ok": True,
        "problems": [],
        "trigger": "mention_spike",
        "account_id": "acc_pile_1",
        "spike": {
            "alert_id": "a1",
            "observed": 240.0,
            "expected": 1.408,
            "severity": 10,
            "about_share": 0.77,
            "incident_id": "inc_1",
            "surge_to_alert_s": 55.0,
        },
        "queue": {"open": 200, "capped": True, "urgency": 0.82, "about_post": True, "text": "hm"},
        "reply": {
            "mention_id": "m1",
            "status": "posted",
            "held_because": ["incident inc_1 is open on the account"],
            "approved_by": "u_bob",
            "network_post_id": "p1",
            "held_s": 0.11,
        },
        "damage": {
            "mentions": 372,
            "peak": {"at": "2026-12-01T02:50:00Z", "total": 240, "expected": 1.4, "ratio": 170.4},
            "first_reply_s": 1.5,
            "negative_share": 0.497,
            "usual_negative_share": 0.0,
        },
    }


def test_a_pile_on_reads_as_a_summary_and_a_json_entry() -> None:
    record = _record()
    text = summary(record)
    assert text.startswith("== Drill pileon")
    assert "severity 10/10" in text and "approved by u_bob" in text and "200+ open" in text
    assert "first reply after 1.50 s" in text and "result          OK" in text
    (entry,) = json.loads(as_json([record]))["scenarios"]
    assert entry["spike"]["alert_id"] == "a1" and entry["reply"]["approved_by"] == "u_bob"
    assert entry["damage"]["peak"]["total"] == 240 and entry["trigger"] == "mention_spike"
    assert "queue" not in entry and "account_id" not in entry
