"""The steps every crisis drill takes, whatever its scenario: the post appears and the
watcher opens the incident, the commander decides through the mailed link, the
apology is signed and approved through its link by a senior, the commander resolves,
and the record is checked (timeline, freeze lifted, postmortem).

What differs between the scenarios (the security checklist, the deleted or kept post,
the apology standing alone or replying) lives in ``hack``, ``lewd`` and ``clumsy``;
``drive`` puts the steps in order. A step that did not happen as expected is recorded
in the scenario's ``problems`` (``expect``); one the drill cannot go on from raises
``DrillFailed``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from firebreak_local.drill.errors import DrillFailed
from firebreak_local.drill.people import (
    APOLOGY_SUBJECT,
    DECISION_SUBJECT,
    HTTP_TIMEOUT_S,
    Person,
    follow_link,
)
from firebreak_local.drill.scenarios import Scenario
from firebreak_local.drill.waits import (
    Stopwatch,
    execution_status,
    incident_for_post,
    wait_for,
    wait_status,
)
from firebreak_local.stack import LocalStack

APOLOGY_APPROVER = "u_adam"  # a senior who is not the apology's author

_counter = 0


def unique_text(text: str, now: datetime) -> str:
    """X refuses duplicate posts: every drill post is made unique (``now``: the stack's
    clock, so a drill's texts do not carry the machine's time)."""
    global _counter
    _counter += 1
    return f"{text} [drill {now.astimezone(UTC).strftime('%H%M%S%f')}-{_counter}]"


def _tailored(draft: str, voice: str, now: datetime) -> str:
    """The draft, signed with the time: what a person adds to make it this incident's."""
    from chalicelib.posts.text import X_MAX_WEIGHTED_LENGTH, x_weighted_length

    stamp = now.astimezone(UTC).strftime("%d %b %H:%M:%S UTC")
    signature = f" — {voice}"
    text = f"{draft}, {stamp}" if draft.endswith(signature) else f"{draft} ({stamp})"
    if x_weighted_length(text) > X_MAX_WEIGHTED_LENGTH:
        raise DrillFailed(f"the tailored apology is longer than X allows: {text!r}")
    return text


class Drive:
    """One scenario driven on one account of the sandbox: its people, what the drill has
    seen so far, and the steps every scenario shares, in the order ``drive`` takes
    them. Each step writes what it saw into the scenario's record."""

    commander: Person  # the incident's commander, known once the incident is opened
    incident_id: str
    x_post: dict[str, Any]  # the post on the sandbox X that opened the incident
    freeze: dict[str, Any] | None  # the account's freeze while the incident is open
    own_freeze: str  # the reason of the freeze this incident sets
    approver: Person  # the senior who approves the apology

    def __init__(
        self,
        stack: LocalStack,
        s: Scenario,
        record: dict[str, Any],
        watch: Stopwatch,
        target: tuple[str, str],
        *,
        tailor_apology: bool,
    ) -> None:
        assert stack.seed is not None
        self.stack = stack
        self.seed = stack.seed
        # The sandbox of the network the scenario plays on (X, Mastodon or Bluesky).
        self.sandbox = stack.sandbox(s.network)
        self.s = s
        self.record = record
        self.watch = watch
        self.account_id, self.x_user = target
        self.tailor_apology = tailor_apology
        self.problems: list[str] = record["problems"]
        self.notes: list[str] = record["notes"]
        self.olivia = Person(stack, "u_olivia")

    def expect(self, condition: bool, message: str) -> None:
        if not condition:
            self.problems.append(message)

    def reach(
        self, step: str, *statuses: str, also: Callable[[Any], bool] = bool
    ) -> dict[str, Any]:
        """The machinery's part ends when the incident reaches ``statuses``."""
        wait_status(self.incident_id, *statuses, also=also)
        self.watch.machine(step)
        return self.olivia.incident(self.incident_id)

    def open_incident(self) -> dict[str, Any]:
        """The post appears on the account from outside Firebreak; the watcher opens the
        incident, which awaits a decision. Returns the incident."""
        s, record, notes, expect = self.s, self.record, self.notes, self.expect
        self.watch.start()
        self.x_post = x_post = self.sandbox.inject_post(
            self.x_user, unique_text(s.text, self.stack.clock.now()), source=s.source or None
        )
        opened = self.stack.tick("watcher")["opened"]
        self.incident_id = incident_id = wait_for(
            lambda: incident_for_post(self.account_id, x_post["id"]),
            f"an incident for post {x_post['id']}",
        )
        record["incident_id"] = incident_id
        incident = self.reach("post_to_awaiting_decision", "awaiting_decision")
        if incident_id not in opened:
            notes.append("the incident was opened by another watcher run than the drill's tick")

        self.commander = commander = Person(self.stack, incident["roles"]["commander"])
        rec = incident["recommendation"] or {}
        record["commander"] = commander.id
        record["recommendation"] = rec.get("recommendation")
        record["hack_suspected"] = incident["hack_suspected"]
        record["reasons"] = list(rec.get("reasons", []))
        expect(
            incident["trigger"] == "not_published_by_firebreak", f"trigger {incident['trigger']}"
        )
        expect(commander.id == "u_olivia", f"commander {commander.id}, expected u_olivia")
        expect(bool(incident["evidence_sha256"]), "no evidence archived before deciding")
        self.freeze = freeze = next(
            (f for f in commander.get("/freezes")["freezes"] if f["scope"] == self.account_id),
            None,
        )
        self.own_freeze = own_freeze = f"incident {incident_id}"
        expect(freeze is not None, "the account is not frozen while the incident is open")
        if freeze is not None and freeze["reason"] != own_freeze:
            notes.append(
                f"the account was already frozen ({freeze['reason']}): that freeze is kept, "
                "this incident sets none of its own"
            )
        expect(
            record["recommendation"] == s.recommendation,
            f"recommended {record['recommendation']}, expected {s.recommendation}",
        )
        expect(
            record["hack_suspected"] is s.hack_suspected,
            f"hack_suspected {record['hack_suspected']}, expected {s.hack_suspected}",
        )
        return incident

    def decide(self) -> None:
        """The commander decides through the mailed link, as a person would, and answers
        "was this a hack?" on the same page."""
        s = self.s
        self.watch.start()
        answer = {True: "yes", False: "no", None: "unsure"}[s.hack_answer]
        follow_link(
            self.commander, DECISION_SUBJECT, self.incident_id, s.decision, {"hack": answer}
        )
        self.watch.person("decision")

    def check_decision(self, incident: dict[str, Any]) -> None:
        """The decision and the hack answer are on the incident, and the post is deleted
        (on the incident and on the sandbox X) exactly when it was decided so."""
        s, record, expect = self.s, self.record, self.expect
        record["decision"] = incident["decision"]
        record["hack_confirmed"] = incident["hack_confirmed"]
        record["hack_answered_by"] = incident["hack_answered_by"]
        expect(
            record["hack_confirmed"] is s.hack_answer,
            f"hack_confirmed {record['hack_confirmed']}, expected {s.hack_answer}",
        )
        expect(
            record["hack_answered_by"] == (None if s.hack_answer is None else self.commander.id),
            f"hack answered by {record['hack_answered_by']}",
        )
        record["post_deleted"] = bool(incident["post_deleted"])
        on_x = self.sandbox.post(self.x_post["id"])
        expect(record["decision"] == s.decision, f"decision {record['decision']}")
        deleting = s.decision == "delete"
        expect(
            record["post_deleted"] is deleting and on_x["deleted"] is deleting,
            f"post_deleted {record['post_deleted']} (sandbox X: deleted={on_x['deleted']}), "
            f"expected {deleting}",
        )

    def apologise(self, incident: dict[str, Any]) -> dict[str, Any]:
        """The drafted apology: tailored by its voice (optional), approved through its
        mailed link by a senior who did not write it. Returns the incident once it is
        monitoring."""
        s, seed, commander = self.s, self.seed, self.commander
        apology = incident["apology"] or {}
        if s.template:
            self.expect(
                apology.get("template") == s.template, f"apology template {apology.get('template')}"
            )

        self.watch.start()
        self.approver = Person(self.stack, APOLOGY_APPROVER)
        if self.tailor_apology:
            voice = seed.users.get(apology.get("voice", ""))
            text = _tailored(
                str(apology.get("text", "")), voice.name if voice else "", self.stack.clock.now()
            )
            commander.put(f"/incidents/{self.incident_id}/apology", {"text": text})
            self.watch.person("apology_tailoring")
        follow_link(self.approver, APOLOGY_SUBJECT, self.incident_id, "approve")
        self.watch.person("apology_approval")
        return self.reach("approval_to_monitoring", "monitoring")

    def published_apology(self, incident: dict[str, Any]) -> dict[str, Any] | None:
        """The approved apology as the sandbox X has it, or None when it was not posted;
        records whether it is there with the approved text."""
        record = self.record
        apology = incident["apology"] or {}
        record["apology_mode"] = apology.get("mode")
        record["apology_text"] = apology.get("text")
        self.expect(
            apology.get("approved_by") == self.approver.id, f"apology approved by {apology}"
        )
        posted_id = apology.get("network_post_id")
        if not posted_id:
            return None
        posted: dict[str, Any] = self.sandbox.post(posted_id)
        record["apology_posted"] = not posted["deleted"] and posted["text"] == apology["text"]
        return posted

    def replies_to_post(self, posted: dict[str, Any]) -> bool:
        """Whether a post on the sandbox X replies to the post that opened the incident."""
        return any(
            r["type"] == "replied_to" and r["id"] == self.x_post["id"]
            for r in posted.get("referenced_tweets", [])
        )

    def check_apology_published(self) -> None:
        record, s = self.record, self.s
        self.expect(record["apology_posted"], "the apology is not on the sandbox X")
        self.expect(
            record["apology_mode"] == s.apology_mode,
            f"apology mode {record['apology_mode']}, expected {s.apology_mode}",
        )

    def resolve(self) -> None:
        """The commander resolves; the playbook lifts the incident's freeze and ends."""
        incident_id = self.incident_id
        self.watch.start()
        self.commander.post(f"/incidents/{incident_id}/resolve")
        self.watch.person("resolve")
        wait_for(
            lambda: execution_status(incident_id) == "SUCCEEDED", "the playbook execution to end"
        )
        self.watch.machine("resolve_to_done")

    def check_resolved(
        self, post_kinds: list[str], containing_kinds: list[str]
    ) -> list[dict[str, Any]]:
        """The incident is resolved and its timeline has every step the scenario took:
        the shared ones, ``post_kinds`` (the post deleted or kept) after the decision
        and ``containing_kinds`` (the security checklist, if any) after those. Returns
        the timeline."""
        record, expect, commander = self.record, self.expect, self.commander
        incident_id, freeze = self.incident_id, self.freeze
        incident = commander.incident(incident_id)
        record["final_status"] = incident["status"]
        expect(incident["status"] == "resolved", f"final status {incident['status']}")
        timeline: list[dict[str, Any]] = commander.get(f"/incidents/{incident_id}/timeline")[
            "entries"
        ]
        kinds = [e["kind"] for e in timeline]
        needed = ["opened", "evidence_archived", "frozen", "assessed", "decision_requested"]
        needed += ["decided", *post_kinds]
        needed += containing_kinds
        needed += ["apology_drafted", "apology_approved", "apology_published", "monitoring"]
        needed += ["resolved"]
        needed += (
            ["freeze_lifted"] if freeze is not None and freeze["reason"] == self.own_freeze else []
        )
        missing = [k for k in needed if k not in kinds]
        expect(not missing, f"timeline lacks {missing}")
        return timeline

    def check_closed(self, timeline: list[dict[str, Any]]) -> None:
        """The decision was the commander's, through the mailed link; the incident's
        freeze is off; the postmortem is there, as data and as a page."""
        record, expect, commander = self.record, self.expect, self.commander
        incident_id = self.incident_id
        decided = [e for e in timeline if e["kind"] == "decided"]
        expect(
            bool(decided)
            and decided[0]["channel"] == "email"
            and decided[0]["actor"] == commander.id,
            "the decision was not taken by the commander through the mailed link",
        )
        still = [
            f
            for f in commander.get("/freezes")["freezes"]
            if f["scope"] == self.account_id and f["reason"] == self.own_freeze
        ]
        expect(not still, "the incident's freeze is still on after it was resolved")
        report = commander.get(f"/incidents/{incident_id}/postmortem")
        record["postmortem"] = report["seconds"]
        page = commander.session.get(
            f"{self.stack.api_url}/incidents/{incident_id}/postmortem/page", timeout=HTTP_TIMEOUT_S
        )
        expect(page.status_code == 200 and "Postmortem" in page.text, "no postmortem page")
