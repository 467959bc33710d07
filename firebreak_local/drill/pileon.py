"""The pile-on drill (``make drill``'s ``pileon``): the crowd's answer to a bad post,
caught by the mention listening rather than by the watcher.

On a listening account of its own: the brand's tone-deaf post, a few quiet minutes of
ordinary mentions, then a surge mostly replying to or quoting the post. The poller
reads it, the scorer counts it, the detector raises the spike alert and the alert
opens the incident on the post (trigger ``mention_spike``); the engagement queue fills.
Alice takes the most urgent mention and answers it; with the incident open the reply
is held, and Bob approves it through the mailed link, after which it is on the
sandbox X as a reply to that mention. The crowd calms down and the incident's
postmortem gives the damage report (peak, negative share, first reply). The
incident's own decision is left to the other drills: it stays awaiting one.

Played time: the script's minutes start at ``play_base``, a quarter hour ahead of the
stack's clock, and every poll runs at an explicit time (``stack.tick`` with ``at``,
then the queue drained), with the mentions placed at matching times; nothing waits
for the clock, and the outcome is the same whatever ``--at`` says (a quarter hour: the
detector's time-of-day slots are hours, and a script straddling two would expect a
little differently). What people do (the reply, the approval) and what the playbook
does with the incident run on the stack's clock, so ``first_reply_s`` measures the
drill's own reaction; measures that mix the two clocks (the damage report's
``back_to_baseline_s``, from the incident's opening to calm minutes of the script) are
not recorded."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from firebreak_local.drill.errors import DrillFailed
from firebreak_local.drill.people import HTTP_TIMEOUT_S, Person, follow_link, mailbox
from firebreak_local.drill.scenarios import PileOn, pileon_account
from firebreak_local.drill.waits import Stopwatch, wait_status
from firebreak_local.stack import LocalStack

REPLY_SUBJECT = "Reply to approve"
ALERT_SUBJECT = "Mention surge"
LEAD = timedelta(minutes=2)  # the script starts at least this far ahead of the clock
BLOCK_S = 900  # ... on a quarter hour, so its minutes never straddle an hour
POST_AGE = timedelta(minutes=20)  # the bad post is this old when the script starts
SURGE_SPAN_S = 50  # a wave's mentions come within this much of its minute
DRAIN_S = 60.0
QUEUE_LIMIT = "200"
# The mentions of ordinary minutes, in turn.
ORDINARY = (
    "Morning coffee with @{handle}, as every day",
    "Is the Hamburg shop of @{handle} open on Sunday?",
    "Thanks @{handle}, the beans arrived today",
    "@{handle} any oat milk in the new menu?",
    "Great service at the station kiosk, @{handle}",
)


def play_base(now: datetime) -> datetime:
    """The script's minute zero: the first quarter hour at least ``LEAD`` after ``now``."""
    ahead = int((now + LEAD).timestamp())
    return datetime.fromtimestamp(-(-ahead // BLOCK_S) * BLOCK_S, UTC)


def seconds_between(start: str | datetime, end: str | datetime) -> float:
    """Seconds from ``start`` to ``end`` (ISO 8601 strings, ``Z`` allowed, or datetimes),
    to the hundredth."""

    def parse(value: str | datetime) -> datetime:
        if isinstance(value, datetime):
            return value
        return datetime.fromisoformat(value.replace("Z", "+00:00"))

    return round((parse(end) - parse(start)).total_seconds(), 2)


class PileOnDrive:
    """One pile-on on a fresh listening account of the demo brand: the script's polls,
    the people (Olivia sets up listening, Alice answers, Bob approves) and what the
    drill has seen so far. Each step writes what it saw into the record."""

    account_id: str
    handle: str
    x_user: str
    post: dict[str, Any]  # the brand's bad post on the sandbox X
    alert: dict[str, Any]
    incident_id: str
    mention_id: str

    def __init__(
        self, stack: LocalStack, p: PileOn, record: dict[str, Any], watch: Stopwatch
    ) -> None:
        assert stack.seed is not None and stack.queues is not None
        self.stack = stack
        self.queues = stack.queues
        self.sandbox = stack.x.app
        self.p = p
        self.record = record
        self.watch = watch
        self.problems: list[str] = record["problems"]
        self.notes: list[str] = record["notes"]
        self.olivia = Person(stack, "u_olivia")
        self.alice = Person(stack, "u_alice")
        self.bob = Person(stack, "u_bob")
        self.base = play_base(stack.clock.now())
        self.minute = 0  # the script's last poll, in minutes after ``base``
        self.seen_mail = 0

    def expect(self, condition: bool, message: str) -> None:
        if not condition:
            self.problems.append(message)

    def at(self, minute: int, second: float = 0) -> datetime:
        return self.base + timedelta(minutes=minute, seconds=second)

    # -- the script
    def listen(self) -> None:
        """A listening account of the brand, its bad post, and the first poll."""
        from chalicelib.wiring import aws_client, get_service, get_settings
        from firebreak_local.seed import BRAND, add_account

        suffix = uuid.uuid4().hex[:8]
        self.account_id, self.handle = f"acc_pile_{suffix}", f"@pile_{suffix}"
        account = pileon_account(self.account_id, self.handle, BRAND)
        self.x_user = add_account(
            get_service().store,
            aws_client("secretsmanager"),
            self.sandbox,
            account,
            secret_prefix=get_settings().social_secret_prefix,
        )["id"]
        self.record["account_id"] = self.account_id
        self.olivia.put(f"/accounts/{self.account_id}/mentions/settings", {"warmup_s": 0})
        self.post = self.sandbox.inject_post(
            self.x_user, self.p.text, source=self.p.source, created_at=self.base - POST_AGE
        )
        self.poll(0)

    def poll(self, minute: int) -> int:
        """The mention poll at the script's ``minute``, the queue drained into the
        scorer (and the detector). Returns the mentions read for the account."""
        if minute <= self.minute and minute:
            raise DrillFailed(f"poll at minute {minute} after minute {self.minute}")
        self.minute = minute
        report = self.stack.tick("mention_poller", at=self.at(minute))
        drained = self.queues.drain(timeout_s=DRAIN_S)
        if not drained.empty:
            raise DrillFailed(f"the mention queue was not drained within {DRAIN_S:.0f} s")
        skipped = report["skipped"].get(self.account_id)
        if skipped is not None:
            raise DrillFailed(f"the poll at minute {minute} skipped the account: {skipped}")
        queued: int = report["queued"][self.account_id]
        return queued

    def ordinary(self, minute: int, count: int) -> None:
        """``count`` ordinary mentions in the script's ``minute``, read by the next poll."""
        for k in range(count):
            n = minute * 2 + k
            self.sandbox.inject_mention(
                self.x_user,
                ORDINARY[n % len(ORDINARY)].format(handle=self.handle.lstrip("@")),
                author_username=f"regular_{n % 7}",
                created_at=self.at(minute, 10 + 20 * k),
            )
        self.expect(self.poll(minute + 1) == count, f"minute {minute}: not {count} read")

    def quiet(self) -> None:
        """The quiet minutes: the detector learns the account's usual pace."""
        for minute, count in enumerate(self.p.quiet):
            self.ordinary(minute, count)
        alerts = self.alerts()
        self.expect(not alerts, f"alerts before the surge: {[a['kind'] for a in alerts]}")

    def wave(self, minute: int, count: int, seed: int) -> dict[str, Any]:
        """``count`` mentions about the post within the script's ``minute``, read by the
        next poll. Returns the sandbox's account of the surge."""
        surge: dict[str, Any] = self.sandbox.inject_surge(
            self.x_user,
            about=self.post["id"],
            count=count,
            over_s=SURGE_SPAN_S,
            negative_share=self.p.negative_share,
            seed=seed,
            ending_at=self.at(minute, SURGE_SPAN_S + 5),
        )
        read = self.poll(minute + 1)
        self.expect(read == count, f"the wave of minute {minute}: {read} of {count} read")
        return surge

    def alerts(self) -> list[dict[str, Any]]:
        got = self.alice.get(f"/accounts/{self.account_id}/mentions/alerts")
        found: list[dict[str, Any]] = got["alerts"]
        return found

    def spike(self) -> None:
        """The surge: the poll after its minute raises the alert, which opens the
        incident on the post; the playbook takes it to a decision request."""
        p, expect = self.p, self.expect
        minute = len(p.quiet)
        self.seen_mail = len(mailbox(self.stack))
        self.watch.start()
        surge = self.wave(minute, p.surge, p.seed)
        surges = [a for a in self.alerts() if a["kind"] == "surge"]
        if len(surges) != 1:
            raise DrillFailed(f"{len(surges)} surge alerts after the surge, expected 1")
        self.alert = alert = surges[0]
        if not alert["incident_id"]:
            raise DrillFailed(f"the surge alert opened no incident: {alert['reason']}")
        self.incident_id = alert["incident_id"]
        self.record["incident_id"] = self.incident_id
        self.watch.machine("surge_to_alert")
        wait_status(self.incident_id, "awaiting_decision")
        self.watch.machine("alert_to_awaiting_decision")
        self.record["spike"] = {
            "alert_id": alert["id"],
            "observed": alert["observed"],
            "expected": alert["expected"],
            "severity": alert["severity"],
            "about_share": alert["about_share"],
            "incident_id": self.incident_id,
            "surge_to_alert_s": seconds_between(surge["started_at"], self.at(minute + 1)),
        }
        expect(alert["about"] == self.post["id"], f"the alert is about {alert['about']}")
        expect(alert["observed"] >= p.surge * 0.9, f"the alert observed {alert['observed']}")
        expect(alert["expected"] < p.surge / 10, f"the alert expected {alert['expected']}")
        expect(1 <= alert["severity"] <= 10, f"severity {alert['severity']}")
        expect(bool(alert["top_terms"] and alert["samples"]), "the alert has no terms or samples")
        self.check_incident()

    def check_incident(self) -> None:
        record, expect = self.record, self.expect
        incident = self.olivia.incident(self.incident_id)
        rec = incident["recommendation"] or {}
        record["trigger"] = incident["trigger"]
        record["commander"] = incident["roles"]["commander"]
        record["recommendation"] = rec.get("recommendation")
        record["hack_suspected"] = incident["hack_suspected"]
        record["reasons"] = list(rec.get("reasons", []))
        expect(incident["trigger"] == "mention_spike", f"trigger {incident['trigger']}")
        expect(
            incident["post"]["network_post_id"] == self.post["id"],
            f"the incident is on post {incident['post']['network_post_id']}",
        )
        expect(
            record["recommendation"] == self.p.recommendation,
            f"recommended {record['recommendation']}, expected {self.p.recommendation}",
        )
        expect(
            record["hack_suspected"] is self.p.hack_suspected,
            f"hack_suspected {record['hack_suspected']}, expected {self.p.hack_suspected}",
        )
        timeline = self.olivia.get(f"/incidents/{self.incident_id}/timeline")["entries"]
        expect(
            any(e["kind"] == "mention_alert" for e in timeline), "no mention_alert on the timeline"
        )
        mailed = [
            m
            for m in mailbox(self.stack)[self.seen_mail :]
            if ALERT_SUBJECT in m.get("subject", "")
            and self.handle in m.get("subject", "")
            and self.olivia.email in m.get("destinations", {}).get("ToAddresses", [])
        ]
        expect(bool(mailed), "the brand owner got no mail about the surge")

    def answer(self) -> None:
        """Alice takes the most urgent mention and answers it; the reply is held while
        the incident is open, and Bob approves it through the mailed link."""
        acc, expect = self.account_id, self.expect
        items = self.alice.get(f"/accounts/{acc}/queue", limit=QUEUE_LIMIT)["items"]
        urgencies = [i["mention"]["urgency"] for i in items]
        expect(len(items) >= self.p.surge // 2, f"{len(items)} mentions in the queue")
        expect(urgencies == sorted(urgencies, reverse=True), "the queue is not most urgent first")
        if not items:
            raise DrillFailed("the queue is empty after the surge")
        top = items[0]["mention"]
        self.mention_id = mid = top["id"]
        self.record["queue"] = {
            "open": len(items),
            "capped": len(items) == int(QUEUE_LIMIT),  # the queue's first page was full
            "urgency": top["urgency"],
            "about_post": top["about"] == self.post["id"],
            "text": top["text"],
        }
        self.watch.start()
        self.alice.post(f"/accounts/{acc}/queue/{mid}/assign", {"assignee": self.alice.id})
        res = self.alice.session.post(
            f"{self.stack.api_url}/accounts/{acc}/queue/{mid}/reply",
            data=json.dumps({"text": self.p.reply}),
            timeout=HTTP_TIMEOUT_S,
        )
        self.watch.person("reply")
        if res.status_code != 202:
            raise DrillFailed(f"the reply was not held: {res.status_code} {res.text[:300]}")
        held = res.json()["reply"]
        expect(
            any(self.incident_id in why for why in held["held_because"]),
            f"held because {held['held_because']}, not the incident",
        )
        expect(not self._on_x(), "the held reply is on X before anyone approved it")
        held_at = self.stack.clock.now()
        self.watch.start()
        follow_link(self.bob, REPLY_SUBJECT, mid, "approve")
        self.watch.person("reply_approval")
        self.check_reply(held, seconds_between(held_at, self.stack.clock.now()))

    def _on_x(self) -> list[dict[str, Any]]:
        return [
            p
            for p in self.sandbox.posts(author_id=self.x_user)
            if p.get("text") == self.p.reply and not p.get("deleted")
        ]

    def check_reply(self, held: dict[str, Any], held_s: float) -> None:
        """The approved reply went out, once, as a reply to the mention. ``held_s``: from
        the reply being held to Bob's approval going through, on the stack's clock (the
        API's times are whole seconds)."""
        item = self.alice.get(f"/accounts/{self.account_id}/queue/{self.mention_id}")
        reply = item["reply"] or {}
        posted_id = reply.get("network_post_id")
        self.record["reply"] = {
            "mention_id": self.mention_id,
            "status": reply.get("status"),
            "held_because": held["held_because"],
            "approved_by": reply.get("decided_by"),
            "network_post_id": posted_id,
            "held_s": held_s if reply.get("posted_at") else None,
        }
        expect = self.expect
        expect(item["state"] == "replied", f"the mention is {item['state']}, not replied")
        expect(reply.get("status") == "posted", f"the reply is {reply.get('status')}")
        expect(reply.get("decided_by") == self.bob.id, f"approved by {reply.get('decided_by')}")
        on_x = self._on_x()
        expect(len(on_x) == 1, f"the reply is {len(on_x)} times on the sandbox X")
        if posted_id:
            posted = self.sandbox.post(posted_id)
            expect(
                {"type": "replied_to", "id": self.mention_id} in posted["referenced_tweets"],
                "the reply on X does not answer the mention",
            )

    def aftermath(self) -> None:
        """The pile-on's second wave, then the crowd calms down (not timed)."""
        minute = len(self.p.quiet) + 1
        self.wave(minute, self.p.second_wave, self.p.seed + 1)
        for i in range(self.p.calm_minutes):
            self.ordinary(minute + 1 + i, 1)
        surges = [a for a in self.alerts() if a["kind"] == "surge"]
        self.expect(len(surges) == 1, f"{len(surges)} surge alerts: the second wave alerted")
        listed = self.olivia.get("/incidents", account_id=self.account_id)["incidents"]
        self.expect(
            [i["id"] for i in listed] == [self.incident_id],
            f"incidents on the account: {[i['id'] for i in listed]}",
        )

    def damage(self) -> None:
        """The postmortem's damage report, and where the incident stands."""
        p, expect = self.p, self.expect
        report = self.olivia.get(f"/incidents/{self.incident_id}/postmortem")
        damage = report.get("mentions") or {}
        peak = damage.get("peak") or {}
        self.record["damage"] = {
            "mentions": damage.get("mentions"),
            "peak": peak or None,
            "first_reply_s": damage.get("first_reply_s"),
            "negative_share": damage.get("negative_share"),
            "usual_negative_share": damage.get("usual_negative_share"),
        }
        total = p.surge + p.second_wave
        expect((damage.get("mentions") or 0) >= total, f"damage counts {damage.get('mentions')}")
        expect(peak.get("total") == p.surge, f"peak {peak.get('total')}, expected {p.surge}")
        expect(peak.get("at") == _iso(self.at(len(p.quiet))), f"peak at {peak.get('at')}")
        first = damage.get("first_reply_s")
        expect(first is not None and first >= 0, f"first reply after {first} s")
        share, usual = damage.get("negative_share"), damage.get("usual_negative_share")
        expect(
            share is not None and share > (usual or 0.0),
            f"negative share {share}, usually {usual}",
        )
        incident = self.olivia.incident(self.incident_id)
        self.record["final_status"] = incident["status"]
        expect(incident["status"] == "awaiting_decision", f"the incident is {incident['status']}")
        self.record["post_deleted"] = bool(self.sandbox.post(self.post["id"])["deleted"])
        expect(not self.record["post_deleted"], "the post was deleted without a decision")
        page = self.olivia.session.get(
            f"{self.stack.api_url}/incidents/{self.incident_id}/postmortem/page",
            timeout=HTTP_TIMEOUT_S,
        )
        expect(
            page.status_code == 200 and "Mentions per bucket" in page.text,
            "the postmortem page has no mention curve",
        )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def drive_pileon(stack: LocalStack, p: PileOn, record: dict[str, Any], watch: Stopwatch) -> None:
    """Drive pile-on ``p`` on a fresh account, writing into ``record`` and ``watch``."""
    d = PileOnDrive(stack, p, record, watch)
    d.listen()
    try:
        d.quiet()
        d.spike()
        d.answer()
        d.aftermath()
        d.damage()
    finally:
        # The drill's account stops listening when the drill ends: the stack's later
        # polls and escalation runs (every account, as deployed) need not read it.
        d.olivia.put(f"/accounts/{d.account_id}/mentions/settings", {"enabled": False})
