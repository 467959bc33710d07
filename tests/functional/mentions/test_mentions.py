"""Mentions end to end on the local stack (M1-M3): the poller reads the sandbox X with
tweepy, the embedded SQS carries the mentions to the scorer's handler, DynamoDB counts
them, and a surge about our post opens an incident.

Each test gets an account of its own (its own X user), so checkpoints, budgets and
series never mix. Polls run at explicit times ahead of the stack's clock, and the
mentions they read are placed at matching times, so nothing depends on waiting.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from firebreak_local.stack import LocalStack
from tests.functional.conftest import Api
from tests.functional.mentions.conftest import calls_for, iso, mention, poll, window


def test_poller_reads_scores_and_counts_each_mention_once(
    stack: LocalStack, listener: dict[str, Any], alice: Api
) -> None:
    base, acc = listener["base"], listener["account_id"]
    first = poll(stack, base)
    assert first["queued"][acc] == 0  # first sight: only the checkpoint
    own = stack.x.app.inject_post(
        listener["x_user_id"], "Our new ad", created_at=base - timedelta(minutes=5)
    )
    mention(stack, listener, "Love the new blend, thanks!", base + timedelta(seconds=10))
    mention(
        stack,
        listener,
        "This ad is disgusting, you idiots. Delete it",
        base + timedelta(seconds=20),
        reply_to=own["id"],
        author_public_metrics={"followers_count": 250_000},
    )
    mention(
        stack, listener, "Wo ist meine Bestellung? Seit zwei Wochen!", base + timedelta(seconds=30)
    )
    report = poll(stack, base + timedelta(minutes=1))
    assert report["queued"][acc] == 3

    got = alice.get(f"/accounts/{acc}/mentions", **window(base))
    assert got.status_code == 200, got.text
    mentions = got.json()["mentions"]
    assert len(mentions) == 3
    by_text = {
        word: m
        for m in mentions
        for word in ("Love", "disgusting", "Bestellung")
        if word in m["text"]
    }
    angry = by_text["disgusting"]
    assert angry["about"] == own["id"] and angry["relation"] == "reply"
    assert angry["author_followers"] == 250_000
    assert angry["sentiment"] == "negative" and angry["toxicity"] > 0.5
    assert by_text["Bestellung"]["lang"] == "de"
    assert by_text["Love"]["about"] is None
    assert mentions[0]["id"] == angry["id"]  # the most urgent first

    # Polled again with nothing new: nothing more is read or counted.
    assert poll(stack, base + timedelta(minutes=2))["queued"][acc] == 0
    series = alice.get(
        f"/accounts/{acc}/mentions/series",
        **{"from": iso(base - timedelta(minutes=1)), "to": iso(base + timedelta(minutes=3))},
    ).json()
    totals = {b["at"]: b for b in series["buckets"]}
    bucket = totals[iso(base)]
    assert (bucket["total"], bucket["about"]) == (3, own["id"])
    assert bucket["negative"] == sum(m["sentiment"] == "negative" for m in mentions) >= 1
    assert bucket["reach"] >= 250_000
    assert bucket["expected"] is not None and bucket["band"][0] <= bucket["band"][1]
    status = alice.get(f"/accounts/{acc}/mentions/status").json()
    assert status["state"] == "listening" and status["budget"]["reads"] == 3


def test_a_crash_before_the_checkpoint_loses_nothing_and_counts_nothing_twice(
    stack: LocalStack, listener: dict[str, Any], alice: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.aws.dynamo_mentions import DynamoMentions

    base, acc = listener["base"], listener["account_id"]
    poll(stack, base)
    for i in range(30):
        mention(
            stack, listener, f"Question {i}: when is the store open?", base + timedelta(seconds=i)
        )
    real = DynamoMentions.put_poll_state

    def crash(self: DynamoMentions, account_id: str, state: dict[str, Any]) -> None:
        if account_id == acc:
            raise RuntimeError("Lambda timed out")
        real(self, account_id, state)

    monkeypatch.setattr(DynamoMentions, "put_poll_state", crash)
    crashed = poll(stack, base + timedelta(minutes=1))
    assert crashed["skipped"][acc] == "RuntimeError"  # queued, checkpoint not moved
    monkeypatch.setattr(DynamoMentions, "put_poll_state", real)
    again = poll(stack, base + timedelta(minutes=1, seconds=30))
    assert again["queued"][acc] == 30  # read again ...
    got = alice.get(f"/accounts/{acc}/mentions", **window(base)).json()["mentions"]
    assert len(got) == 30  # ... and stored once
    series = alice.get(
        f"/accounts/{acc}/mentions/series",
        **{"from": iso(base), "to": iso(base + timedelta(minutes=1))},
    ).json()
    assert series["buckets"][0]["total"] == 30  # counted once


def test_a_429_pauses_the_account_until_x_resets(
    stack: LocalStack, listener: dict[str, Any], alice: Api
) -> None:
    base, acc = listener["base"], listener["account_id"]
    poll(stack, base)
    mention(stack, listener, "hello?", base + timedelta(seconds=5))
    reset = int((base + timedelta(minutes=5)).timestamp())
    stack.x.app.add_fault(
        path=f"/2/users/{listener['x_user_id']}/mentions", status=429, reset=reset
    )
    limited = poll(stack, base + timedelta(minutes=1))
    assert limited["skipped"][acc] == "RateLimited"
    status = alice.get(f"/accounts/{acc}/mentions/status").json()
    assert status["state"] == "rate_limited"
    assert status["paused_until"] == iso(datetime.fromtimestamp(reset, UTC))
    before = calls_for(stack, listener["x_user_id"])
    assert poll(stack, base + timedelta(minutes=2))["skipped"][acc] == "RateLimited"
    assert calls_for(stack, listener["x_user_id"]) <= before  # no call to X before the reset
    assert poll(stack, base + timedelta(minutes=5, seconds=1))["queued"][acc] == 1


def test_x_serves_800_mentions_and_search_has_the_rest(
    stack: LocalStack, listener: dict[str, Any]
) -> None:
    """The adapter sees X's window: 800 newest mentions, then the wall (tweepy on the
    sandbox, no ingest: the poller's use of it is the next test)."""
    from chalicelib.wiring import get_service

    account = get_service().store.get_account(listener["account_id"])
    assert account is not None
    client = get_service().social.client_for(account)
    first = client.mention_batch(since_id=None, max_posts=5)
    stack.x.app.inject_surge(listener["x_user_id"], count=1000, over_s=50, seed=3)
    since = first.newest_id or "1"
    batch = client.mention_batch(since_id=since, max_posts=800)
    assert len(batch.posts) == 800 and batch.truncated and batch.requests == 8
    assert batch.newest_id == batch.posts[0].id  # the first page's newest: the checkpoint
    assert all(p.raw["author"]["followers"] is not None for p in batch.posts)
    assert batch.oldest_id is not None
    rest = client.search_mentions(since_id=since, until_id=batch.oldest_id, max_posts=500)
    assert len(rest.posts) == 200 and not rest.truncated
    assert {p.id for p in rest.posts}.isdisjoint(p.id for p in batch.posts)


def test_a_poll_that_hits_the_window_fills_the_gap_from_search_or_records_it(
    stack: LocalStack, listener: dict[str, Any], alice: Api, olivia: Api
) -> None:
    base, acc = listener["base"], listener["account_id"]
    settings = {"max_posts_per_poll": 100, "gap_fill_posts": 200}
    assert olivia.put(f"/accounts/{acc}/mentions/settings", settings).status_code == 200
    poll(stack, base)
    stack.x.app.inject_surge(
        listener["x_user_id"], count=150, over_s=50, seed=3, ending_at=base + timedelta(seconds=55)
    )
    report = poll(stack, base + timedelta(minutes=1))
    assert report["queued"][acc] == 150  # 100 from mentions, 50 from search
    status = alice.get(f"/accounts/{acc}/mentions/status").json()
    assert status["gaps"] == [] and status["budget"]["reads"] == 150

    # With too little search budget to fill it, the gap is recorded, not hidden.
    assert (
        alice.put(f"/accounts/{acc}/mentions/settings", {"gap_fill_posts": 20}).status_code == 403
    )
    assert (
        olivia.put(f"/accounts/{acc}/mentions/settings", {"gap_fill_posts": 20}).status_code == 200
    )
    stack.x.app.inject_surge(
        listener["x_user_id"], count=150, over_s=50, seed=4, ending_at=base + timedelta(seconds=115)
    )
    report = poll(stack, base + timedelta(minutes=2))
    assert report["queued"][acc] == 120
    gaps = alice.get(f"/accounts/{acc}/mentions/status").json()["gaps"]
    assert len(gaps) == 1 and int(gaps[0]["until_id"]) > int(gaps[0]["since_id"])


def test_a_queue_message_that_fails_is_delivered_again_alone(
    stack: LocalStack, listener: dict[str, Any], alice: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.mentions.ingest import MentionIngest
    from chalicelib.wiring import aws_client, get_settings

    base, acc = listener["base"], listener["account_id"]
    poll(stack, base)
    for i in range(60):  # three messages of 25, 25 and 10
        mention(stack, listener, f"Nice one {i}", base + timedelta(seconds=i % 50))
    real = MentionIngest.handle
    failed: list[int] = []

    def flaky(self: MentionIngest, body: str) -> dict[str, Any]:
        doc = json.loads(body)
        if doc["account_id"] == acc and doc["part"] == 1 and not failed:
            failed.append(1)
            raise RuntimeError("scorer crashed")
        return real(self, body)

    monkeypatch.setattr(MentionIngest, "handle", flaky)
    monkeypatch.setattr("chalicelib.mentions.ingest.RETRY_S", 1)  # back in 1 s, not 15
    sqs, url = aws_client("sqs"), get_settings().mention_queue_url
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "1"})
    try:
        poll(stack, base + timedelta(minutes=1))
    finally:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "360"})
    assert failed == [1]
    got = alice.get(f"/accounts/{acc}/mentions", **window(base)).json()["mentions"]
    assert len(got) == 60
    series = alice.get(
        f"/accounts/{acc}/mentions/series",
        **{"from": iso(base), "to": iso(base + timedelta(minutes=1))},
    ).json()
    assert series["buckets"][0]["total"] == 60


def test_a_surge_about_our_post_alerts_and_opens_one_incident_on_it(
    stack: LocalStack, listener: dict[str, Any], alice: Api, olivia: Api
) -> None:
    base, acc = listener["base"], listener["account_id"]
    put = olivia.put(f"/accounts/{acc}/mentions/settings", {"warmup_s": 0})
    assert put.status_code == 200, put.text
    own = stack.x.app.inject_post(
        listener["x_user_id"], "Our edgy new ad", created_at=base - timedelta(minutes=30)
    )
    poll(stack, base)
    for minute in range(1, 8):  # a quiet week in miniature: one or two a minute
        for k in range(1 + minute % 2):
            at = base + timedelta(minutes=minute - 1, seconds=10 + 20 * k)
            mention(stack, listener, f"Morning coffee {minute}.{k}", at)
        poll(stack, base + timedelta(minutes=minute))
    assert alice.get(f"/accounts/{acc}/mentions/alerts").json()["alerts"] == []
    sent_before = len(stack.mail())

    stack.x.app.inject_surge(
        listener["x_user_id"],
        about=own["id"],
        count=300,
        over_s=50,
        negative_share=0.8,
        seed=7,
        ending_at=base + timedelta(minutes=7, seconds=55),
    )
    poll(stack, base + timedelta(minutes=8))
    alerts = alice.get(f"/accounts/{acc}/mentions/alerts").json()["alerts"]
    surge = [a for a in alerts if a["kind"] == "surge"]
    assert len(surge) == 1, alerts
    alert = surge[0]
    assert alert["observed"] >= 250 and alert["expected"] < 10
    assert alert["about"] == own["id"] and alert["about_share"] >= 0.5
    assert 1 <= alert["severity"] <= 10 and alert["top_terms"] and alert["samples"]
    incident = alice.get(f"/incidents/{alert['incident_id']}").json()
    assert incident["trigger"] == "mention_spike"
    assert incident["post"]["network_post_id"] == own["id"]
    timeline = alice.get(f"/incidents/{alert['incident_id']}/timeline").json()
    kinds = [e["kind"] for e in timeline.get("entries", timeline)]
    assert "mention_alert" in kinds
    mails = stack.mail()[sent_before:]
    assert any("Mention surge" in m["subject"] for m in mails)

    # The pile-on goes on: the alert cools down; the incident stays the one incident.
    stack.x.app.inject_surge(
        listener["x_user_id"],
        about=own["id"],
        count=300,
        over_s=50,
        seed=8,
        ending_at=base + timedelta(minutes=8, seconds=55),
    )
    poll(stack, base + timedelta(minutes=9))
    again = alice.get(f"/accounts/{acc}/mentions/alerts").json()["alerts"]
    assert len([a for a in again if a["kind"] == "surge"]) == 1
    listed = alice.get("/incidents", account_id=acc).json()["incidents"]
    assert [i["id"] for i in listed] == [alert["incident_id"]]


def test_a_surge_about_nothing_of_ours_alerts_only(
    stack: LocalStack, listener: dict[str, Any], alice: Api, olivia: Api
) -> None:
    base, acc = listener["base"], listener["account_id"]
    assert olivia.put(f"/accounts/{acc}/mentions/settings", {"warmup_s": 0}).status_code == 200
    poll(stack, base)
    for minute in range(1, 5):
        mention(stack, listener, f"hi {minute}", base + timedelta(minutes=minute - 1, seconds=5))
        poll(stack, base + timedelta(minutes=minute))
    stack.x.app.inject_surge(
        listener["x_user_id"],
        count=200,
        over_s=50,
        seed=9,
        ending_at=base + timedelta(minutes=4, seconds=55),
    )
    poll(stack, base + timedelta(minutes=5))
    alerts = alice.get(f"/accounts/{acc}/mentions/alerts").json()["alerts"]
    assert [a["kind"] for a in alerts if a["kind"] == "surge"] == ["surge"]
    assert all(a["incident_id"] is None for a in alerts)
    assert alice.get("/incidents", account_id=acc).json()["incidents"] == []


def test_the_read_budget_warns_at_80_percent_and_stops_when_spent(
    stack: LocalStack, listener: dict[str, Any], alice: Api, olivia: Api
) -> None:
    base, acc = listener["base"], listener["account_id"]
    assert (
        olivia.put(f"/accounts/{acc}/mentions/settings", {"monthly_read_budget": 20}).status_code
        == 200
    )
    poll(stack, base)
    sent = len(stack.mail())
    for i in range(17):
        mention(stack, listener, f"msg {i}", base + timedelta(seconds=i))
    assert poll(stack, base + timedelta(minutes=1))["queued"][acc] == 17
    warnings = [m for m in stack.mail()[sent:] if "read budget" in m["subject"]]
    assert warnings and all("85 %" in m["subject"] for m in warnings)
    for i in range(10):
        mention(stack, listener, f"more {i}", base + timedelta(minutes=1, seconds=i))
    assert poll(stack, base + timedelta(minutes=2))["queued"][acc] == 3  # what was left
    assert poll(stack, base + timedelta(minutes=3))["skipped"][acc] == "BudgetSpent"
    status = alice.get(f"/accounts/{acc}/mentions/status").json()
    assert status["state"] == "budget_spent" and status["budget"]["reads"] == 20
    # The warning went once per person, however many polls crossed the share.
    again = [m for m in stack.mail()[sent:] if "read budget" in m["subject"]]
    assert len(again) == len(warnings)

    # A crisis on the account: polling goes on past the budget, by half of it at most.
    own = stack.x.app.inject_post(
        listener["x_user_id"], "Our bad post", created_at=base - timedelta(minutes=30)
    )
    assert alice.post("/incidents", {"account_id": acc, "post": own["id"]}).status_code < 300
    for i in range(12):
        mention(stack, listener, f"angry {i}", base + timedelta(minutes=3, seconds=i))
    assert poll(stack, base + timedelta(minutes=4))["queued"][acc] == 10  # 20 + 10 = 30
    assert alice.get(f"/accounts/{acc}/mentions/status").json()["state"] == "budget_spent"
    assert poll(stack, base + timedelta(minutes=5))["skipped"][acc] == "BudgetSpent"


def test_settings_are_validated_and_kept_by_role(
    stack: LocalStack, listener: dict[str, Any], alice: Api, olivia: Api
) -> None:
    acc = listener["account_id"]
    bad = olivia.put(f"/accounts/{acc}/mentions/settings", {"min_count": 0})
    assert bad.status_code == 400 and "min_count" in bad.text
    unknown = olivia.put(f"/accounts/{acc}/mentions/settings", {"surprise": 3})
    assert unknown.status_code == 400 and "surprise" in unknown.text
    ok = olivia.put(f"/accounts/{acc}/mentions/settings", {"min_count": 15, "cooldown_s": 900})
    assert ok.status_code == 200 and ok.json()["min_count"] == 15
    assert alice.get(f"/accounts/{acc}/mentions/settings").json()["cooldown_s"] == 900
    record = {"record_margin": 1.5, "calm_s": 7200, "min_window_ratio": 2.5}
    assert olivia.put(f"/accounts/{acc}/mentions/settings", record).status_code == 200
    kept = alice.get(f"/accounts/{acc}/mentions/settings").json()
    assert {k: kept[k] for k in record} == record
    bad_margin = olivia.put(f"/accounts/{acc}/mentions/settings", {"record_margin": -1})
    assert bad_margin.status_code == 400 and "record_margin" in bad_margin.text
    assert alice.get("/accounts/nope/mentions/settings").status_code == 404


def test_the_detect_command_decides_as_the_product_does_on_the_same_counts(
    stack: LocalStack, listener: dict[str, Any], alice: Api, olivia: Api
) -> None:
    """``python -m chalicelib.mentions detect`` (what bench-spikes scores) and the
    deployed path (poller, queue, scorer, detector state in DynamoDB) alert on the same
    buckets when given the same counts and the account's settings."""
    import subprocess
    import sys
    from dataclasses import asdict
    from zoneinfo import ZoneInfo

    from chalicelib.mentions.domain import MentionSettings

    base, acc = listener["base"], listener["account_id"]
    counts = [1, 2, 1, 0, 2, 1, 3, 1, 2, 1, 40, 35, 2, 1, 0, 1, 2, 0, 1, 30]
    assert olivia.put(f"/accounts/{acc}/mentions/settings", {"warmup_s": 0}).status_code == 200
    poll(stack, base)
    for i, n in enumerate(counts):
        start = base + timedelta(minutes=i)
        for k in range(n):
            mention(stack, listener, f"hello {i}.{k}", start + timedelta(seconds=1 + k % 55))
        poll(stack, start + timedelta(minutes=1))
    product = sorted(
        a["bucket_at"]
        for a in alice.get(f"/accounts/{acc}/mentions/alerts").json()["alerts"]
        if a["kind"] == "surge"
    )
    assert product, "the scripted surge raised no alert"

    offset = base.astimezone(ZoneInfo("Europe/Berlin")).utcoffset()
    assert offset is not None
    settings = asdict(MentionSettings(warmup_s=0).surge_settings(int(offset.total_seconds())))
    args = [f"--{k.replace('_', '-')}={v}" for k, v in settings.items()]
    rows = "timestamp,value\n" + "".join(
        f"{iso(base + timedelta(minutes=i))},{n}\n" for i, n in enumerate(counts)
    )
    run = subprocess.run(
        [sys.executable, "-m", "chalicelib.mentions", "detect", *args],
        input=rows,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [line.split(",") for line in run.stdout.strip().splitlines()[1:]]
    command = sorted(ts for ts, _, _, alert in lines if alert == "1")
    assert command == product


def test_a_crash_after_the_alert_before_the_state_is_saved_raises_it_once(
    stack: LocalStack, listener: dict[str, Any], alice: Api, olivia: Api, monkeypatch: Any
) -> None:
    """The scorer dies after the alert's incident and mail, before the detector's state
    is stored: the message comes back, the buckets are judged again, and the alert, the
    incident, its timeline entry and the mails each stay one."""
    from chalicelib.aws.dynamo_mentions import DynamoMentions
    from chalicelib.wiring import aws_client, get_settings

    base, acc = listener["base"], listener["account_id"]
    assert olivia.put(f"/accounts/{acc}/mentions/settings", {"warmup_s": 0}).status_code == 200
    own = stack.x.app.inject_post(
        listener["x_user_id"], "Our worst ad", created_at=base - timedelta(minutes=30)
    )
    poll(stack, base)
    for minute in range(1, 4):
        mention(stack, listener, f"hi {minute}", base + timedelta(minutes=minute - 1, seconds=3))
        poll(stack, base + timedelta(minutes=minute))
    stack.x.app.inject_surge(
        listener["x_user_id"],
        about=own["id"],
        count=60,
        over_s=50,
        seed=12,
        ending_at=base + timedelta(minutes=3, seconds=55),
    )
    real = DynamoMentions.save_detector
    crashed: list[int] = []

    def crash_once(self: DynamoMentions, account_id: str, state: Any, revision: int) -> bool:
        if account_id == acc and not crashed:
            crashed.append(1)
            raise RuntimeError("Lambda killed")
        return real(self, account_id, state, revision)

    monkeypatch.setattr(DynamoMentions, "save_detector", crash_once)
    monkeypatch.setattr("chalicelib.mentions.ingest.RETRY_S", 1)  # back in 1 s, not 15
    sqs, url = aws_client("sqs"), get_settings().mention_queue_url
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "1"})
    sent = len(stack.mail())
    try:
        poll(stack, base + timedelta(minutes=4))
    finally:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "360"})
    assert crashed == [1]
    alerts = [a for a in alice.get(f"/accounts/{acc}/mentions/alerts").json()["alerts"]]
    surge = [a for a in alerts if a["kind"] == "surge"]
    assert len(surge) == 1 and surge[0]["incident_id"]
    timeline = alice.get(f"/incidents/{surge[0]['incident_id']}/timeline").json()
    entries = timeline.get("entries", timeline)
    assert [e["kind"] for e in entries].count("mention_alert") == 1
    mails = [m for m in stack.mail()[sent:] if "Mention surge" in m["subject"]]
    assert len(mails) == len({m["destinations"]["ToAddresses"][0] for m in mails}) > 0


def test_a_detector_state_of_the_older_model_starts_afresh(
    stack: LocalStack, listener: dict[str, Any]
) -> None:
    """An account whose stored detector state is version 1 (before the windows and the
    record) keeps being judged: the old state is replaced, not a failure every minute."""
    from chalicelib.aws.dynamo_mentions import DynamoMentions
    from chalicelib.mentions.detector import STATE_VERSION
    from chalicelib.wiring import LazyClient, get_settings

    base, acc = listener["base"], listener["account_id"]
    store = DynamoMentions(LazyClient("dynamodb"), get_settings().mentions_table_name)
    poll(stack, base)
    mention(stack, listener, "hello", base + timedelta(seconds=5))
    poll(stack, base + timedelta(minutes=1))
    saved, revision = store.get_detector(acc)
    assert saved and saved["detector"]["v"] == STATE_VERSION
    old = {"v": 1, "settings": {"bucket_s": 60}, "hist": [0.0] * 48, "recent": []}
    assert store.save_detector(acc, {**saved, "detector": old}, revision)
    mention(stack, listener, "hello again", base + timedelta(minutes=1, seconds=5))
    poll(stack, base + timedelta(minutes=2))
    after, later = store.get_detector(acc)
    assert after is not None and later > revision
    assert after["detector"]["v"] == STATE_VERSION and after["next"] > saved["next"]
