"""What the incident room and the postmortem say, from the records alone: the mention
chart's summary and table, people by name, and the postmortem as Markdown."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.accounts.domain import Account
from chalicelib.incidents.domain import (
    Apology,
    Decision,
    Incident,
    IncidentStatus,
    PostSnapshot,
    Roles,
    Severity,
    TimelineEntry,
    Trigger,
    postmortem,
)
from chalicelib.web.incident_pages import (
    TABLE_ROWS,
    chart_summary,
    chart_table,
    chart_view,
    chart_window,
    timeline_view,
)
from chalicelib.web.postmortem_pages import document, markdown, named
from chalicelib.web.views import Directory

OPENED = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)  # 03:30 in Berlin
ACCOUNT = Account("acct_demo", "acme", "Acme Coffee", "x", "@acme_demo", "Europe/Berlin")
PEOPLE = Directory(
    {ACCOUNT.id: ACCOUNT},
    {"u_olivia": "Olivia Owner", "u_adam": "Adam Admin", "u_ada": "Ada Admin"},
)


def series(counts: list[tuple[int, int]], *, expected: float | None = 10.0) -> dict[str, Any]:
    """A minute series from an hour before the opening: (total, negative) per minute."""
    start = OPENED - timedelta(hours=1)
    return {
        "bucket_s": 60,
        "buckets": [
            {
                "at": (start + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "total": total,
                "negative": negative,
                "expected": expected,
                "band": [6.0, 14.0] if expected else None,
            }
            for i, (total, negative) in enumerate(counts)
        ],
    }


def test_the_chart_window_is_around_the_incident_and_at_most_two_days() -> None:
    now = OPENED + timedelta(minutes=20)
    assert chart_window(OPENED, None, now) == (OPENED - timedelta(hours=1), now)
    # Minutes that have not happened yet are not drawn as zero mentions.
    just = OPENED + timedelta(minutes=1)
    assert chart_window(OPENED, None, just)[1] == just
    resolved = OPENED + timedelta(hours=3)
    later = OPENED + timedelta(days=9)
    assert chart_window(OPENED, resolved, later) == (
        OPENED - timedelta(hours=1),
        resolved + timedelta(minutes=30),
    )
    start, end = chart_window(OPENED, None, later)
    assert end == later and end - start == timedelta(hours=48)


def test_the_summary_names_the_peak_against_the_usual_and_the_negative_share() -> None:
    # An hour of ten mentions a minute (one negative), then a pile-on peaking at 90.
    before = [(10, 1)] * 60
    after = [(30, 20), (90, 63), (40, 28), (12, 3)]
    chart = chart_view(series(before + after), OPENED, "Europe/Berlin", "@acme_demo")
    summary = chart["summary"]
    # The crisis is counted from 15 minutes before the opening: pile-ons start earlier.
    negative = (15 * 1 + 20 + 63 + 28 + 3) / (15 * 10 + 30 + 90 + 40 + 12)
    assert summary == (
        "Mentions peaked at 90 in 1 minute at 03:31 CET, 9× the usual; "
        f"{negative:.0%} negative since 03:15 CET vs 10% in the hour before."
    )
    data = chart["data"]
    assert data["total"][61] == 90 and data["expected"][61] == 10.0
    assert data["low"][0] == 6.0 and data["high"][0] == 14.0
    assert data["share"][0] == 10.0  # percent, over the last five minutes
    assert data["opened"] == int(OPENED.timestamp()) and data["zone"] == "Europe/Berlin"
    assert chart["per"] == "1 minute"


def test_the_table_groups_minutes_into_rows_a_screen_reader_can_go_through() -> None:
    points = chart_view(series([(10, 1)] * 100), OPENED, "Europe/Berlin", "@x")
    rows = points["table"]
    assert len(rows) <= TABLE_ROWS
    assert rows[0] == {
        "at": "02:30 CET",
        "total": 30,
        "expected": "30",
        "band": "18–42",
        "negative": "10%",
    }
    assert sum(r["total"] for r in rows) == 1000
    assert "per 3 minutes from 2 Mar 02:30 CET" in points["caption"]


def test_a_quiet_account_or_one_without_a_baseline_is_said_so() -> None:
    quiet = chart_view(series([(0, 0)] * 70), OPENED, "Europe/Berlin", "@acme_demo")
    assert quiet["summary"] == "No mentions of @acme_demo were counted from 02:30 CET to 03:40 CET."
    new = chart_view(series([(0, 0)] * 60 + [(5, 0)], expected=None), OPENED, "UTC", "@a")
    assert new["summary"] == (
        "Mentions peaked at 5 in 1 minute at 02:30 UTC (no usual level learnt yet); "
        "0% negative since 02:15 UTC."
    )
    assert chart_table([], 60, "UTC") == []
    assert chart_summary([], 60, OPENED, "UTC", "@a") == "No mentions of @a were counted."


def test_people_are_named_and_firebreak_is_firebreak() -> None:
    assert named("decision asked of u_olivia, u_adam", PEOPLE) == (
        "decision asked of Olivia Owner, Adam Admin"
    )
    assert named("u_ada and u_adamant", PEOPLE) == "Ada Admin and u_adamant"
    entries = [
        TimelineEntry("1", OPENED, "watcher", "scheduler", "opened", "opened", {"note": "bad"}),
        TimelineEntry("2", OPENED, "u_adam", "email", "apology_rejected", "sent back", {}),
    ]
    shown = timeline_view(entries, PEOPLE)
    assert shown[0]["who"] == "Firebreak (watcher)" and shown[0]["notes"] == ["Note: bad"]
    assert shown[1]["who"] == "Adam Admin" and shown[1]["channel"] == "by mailed link"


def incident() -> tuple[Incident, list[TimelineEntry]]:
    at = OPENED
    kept = Incident(
        id="inc_1",
        account_id=ACCOUNT.id,
        post=PostSnapshot(
            "1900",
            "https://x.com/acme_demo/status/1900",
            "# Tax season | *coffee* [lol]",
            source_app="Twitter for iPhone",
            created_at=at - timedelta(seconds=42),
        ),
        trigger=Trigger.NOT_PUBLISHED_BY_FIREBREAK,
        severity=Severity.LOW,
        status=IncidentStatus.MONITORING,
        roles=Roles("u_olivia", ("u_adam",)),
        opened_at=at,
        opened_by="watcher",
        recommendation={"recommendation": "keep", "reasons": ["keep it and own it"]},
        decision=Decision.KEEP,
        decided_by="u_olivia",
        hack_confirmed=False,
        hack_answered_by="u_olivia",
    )
    kept = replace(
        kept,
        apology=Apology(
            "We got this wrong.\n— Olivia",
            "own_mistake",
            "u_olivia",
            "u_olivia",
            version=2,
            approved_by="u_adam",
            network_post_id="1901",
            mode="reply",
        ),
    )

    def entry(seconds: int, actor: str, channel: str, kind: str, message: str) -> TimelineEntry:
        return TimelineEntry(
            str(seconds), at + timedelta(seconds=seconds), actor, channel, kind, message
        )

    timeline = [
        entry(0, "watcher", "scheduler", "opened", "incident opened"),
        entry(1, "playbook", "system", "frozen", "scheduled publishing frozen"),
        entry(5, "playbook", "system", "decision_requested", "decision asked of u_olivia"),
        entry(65, "u_olivia", "web", "decided", "decided to keep; no hack"),
        entry(90, "u_olivia", "api", "status_update", "Talking to the people it hurt"),
        entry(130, "u_adam", "email", "apology_approved", "apology approved"),
        entry(140, "playbook", "system", "apology_published", "apology published as reply"),
    ]
    return kept, timeline


def test_the_postmortem_reads_as_a_document_and_exports_as_markdown() -> None:
    kept, timeline = incident()
    report = postmortem(kept, timeline)
    report["mentions"] = {
        "mentions": 172,
        "peak": {"at": "2026-03-02T02:31:00Z", "total": 90, "expected": 10.0, "ratio": 9.0},
        "negative_share": 0.66,
        "usual_negative_share": 0.1,
        "first_reply_s": 300.0,
        "back_to_baseline_s": {"volume": 1200.0, "sentiment": None},
        "top_authors": [{"author": "loud_one", "followers": 9000, "mentions": 3, "negative": 3}],
        "curve": [
            {
                "at": "2026-03-02T02:31:00Z",
                "total": 90,
                "negative": 63,
                "expected": 10.0,
                "band": [6.0, 14.0],
                "negative_share": 0.7,
            },
            {
                "at": "2026-03-02T02:32:00Z",
                "total": 0,
                "negative": 0,
                "expected": None,
                "band": None,
                "negative_share": None,
            },
        ],
    }
    doc = document(report, kept, ACCOUNT, PEOPLE)
    summary = " ".join(doc["summary"])
    assert summary.startswith(
        "On Mon 2 Mar 2026, 03:30 CET, Firebreak's watcher caught a post that did not go "
        "through Firebreak on @acme_demo. It was caught 42 s after it was posted."
    )
    assert "Olivia Owner decided to keep it, 1 min 5 s after detection." in summary
    assert "The apology, approved by Adam Admin, went out 2 min 20 s after detection." in summary
    assert "Olivia Owner said it was not a hack: someone on the team posted it." in doc["cause"]
    assert doc["decisions"][0] == {
        "at": "Mon 2 Mar 2026, 03:31 CET",
        "who": "Olivia Owner",
        "channel": "in the web app",
        "what": "decided to keep; no hack",
    }
    assert doc["damage"]["summary"] == (
        "172 mentions since the incident opened; the peak was 90 at Mon 2 Mar 2026, "
        "03:31 CET against 10.0 usually (9.0×); 66% were negative (usually 10%); the first "
        "reply went out 5 min after opening; volume was back to usual after 20 min."
    )
    assert len(doc["damage"]["curve"]) == 1  # empty minutes left out
    assert doc["filename"] == "postmortem-acme_demo-2026-03-02-inc_1.md"

    text = markdown(doc)
    assert text.startswith("# Postmortem: incident on Acme Coffee\n")
    for heading in ("Summary", "The post", "Cause", "Times", "Decisions", "The apology"):
        assert f"\n## {heading}\n" in text, heading
    assert "\n## Mentions\n" in text and "\n## Status updates\n" in text
    # The post's text reads as written, not as Markdown.
    assert "> \\# Tax season \\| \\*coffee\\* \\[lol\\]" in text
    assert "> We got this wrong.\n> — Olivia" in text
    assert (
        "| Mon 2 Mar 2026, 03:31 CET | Olivia Owner | decided to keep; no hack (in the web app) |"
        in (text)
    )
    assert "(@acme_demo)" in text  # an underscore inside a word stays as it is
    assert "- Mon 2 Mar 2026, 03:31 CET, Olivia Owner: Talking to the people it hurt" in text
    assert "| loud_one | 9000 | 3 |" in text
    assert "| Caught (counted from posting) | after 42 s |" in text


def test_the_usual_level_is_the_one_before_the_crisis_not_the_surges_own() -> None:
    # While warming up, the detector's level follows the surge: the peak bucket expects
    # nearly its own count. The summary compares with what was expected before.
    points = series([(2, 0)] * 60, expected=2.0)["buckets"] + [
        {**b, "expected": 40.0} for b in series([(45, 30)] * 3, expected=40.0)["buckets"]
    ]
    shifted = [
        {**b, "at": (OPENED + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ")}
        for i, b in enumerate(points[60:])
    ]
    chart = chart_view({"bucket_s": 60, "buckets": points[:60] + shifted}, OPENED, "UTC", "@a")
    assert "peaked at 45 in 1 minute" in chart["summary"]
    assert "22× the usual" in chart["summary"]


def test_without_a_level_learnt_before_the_crisis_there_is_no_usual() -> None:
    quiet = series([(2, 0)] * 60, expected=None)["buckets"]
    surge = [
        {**b, "at": (OPENED + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ")}
        for i, b in enumerate(series([(33, 20)] * 3, expected=30.0)["buckets"])
    ]
    chart = chart_view({"bucket_s": 60, "buckets": quiet + surge}, OPENED, "UTC", "@a")
    assert "(no usual level learnt yet)" in chart["summary"] and "the usual" not in chart["summary"]
