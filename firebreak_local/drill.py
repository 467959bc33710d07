"""Crisis drills (``make drill``): the incident playbook rehearsed end to end against a
fresh local stack, nothing leaving the machine.

Three scenarios on the sandbox account, each driven the way people would drive it:

- ``lewd``: an off-calendar explicit post appears from the phone app; the watcher opens
  the incident, the account is frozen, Firebreak recommends delete (no hack suspected:
  a phone app at night is a team member), the commander decides through the mailed
  link (GET the page, POST its form) and answers "no, it was one of us" to "was this a
  hack?", the post is deleted and verified gone on the sandbox X, a senior approves the
  apology through its link, it is posted, the commander resolves and the postmortem is
  fetched;
- ``clumsy``: a tone-deaf but harmless post; recommend keep, keep via the link (the
  hack question left unanswered), the apology is posted as a reply to it, resolved;
- ``hack``: a crypto scam from an unknown app; recommend delete with a hack suspected,
  delete via the link and confirm the hack there, every security checklist item
  confirmed by a person, the hack apology approved via its link and posted, resolved.

Time is an input: ``--at 2026-12-01T02:30:00Z`` plays the whole stack (app, sandbox X)
from that moment, so a team can rehearse a 3 a.m. crisis; without it the drill plays
from the machine's clock. The outcome is the same at any hour.

Before a senior approves it, the commander signs each drafted apology with the time
(``--stock-apology`` approves the draft unchanged): the drafts of two incidents with the
same template are identical, and X refuses an account's repeated text within 24 h.

Each scenario splits its wall time into automated seconds (the machinery working
between human actions: post appearing -> awaiting decision, decision -> apologising,
approval -> monitoring, resolve -> execution done, ...) and human seconds (simulated
people finding the mail, opening the page and submitting it, confirming checklist
items, signing the apology, resolving). Checks between the steps count as neither.
The functions here are reused by ``bench/playbook/run.py`` and
``tests/functional/test_drill.py``.

    python -m firebreak_local.drill [--scenario lewd|clumsy|hack ...] [--stock-apology]
                                    [--at 2026-12-01T02:30:00Z]

Human-readable summary first; the last line of stdout is one JSON object. Exit 0 only
when every scenario ended as expected.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from html import unescape
from html.parser import HTMLParser
from typing import Any, TypeVar

import requests

from firebreak_local.scenarios import SCENARIOS, Scenario
from firebreak_local.stack import REGION, LocalStack, StackOptions

T = TypeVar("T")

POLL_S = 0.02
WAIT_S = 30.0
HTTP_TIMEOUT_S = 30.0
APOLOGY_APPROVER = "u_adam"  # a senior who is not the apology's author
DECISION_SUBJECT = "Delete or keep"
APOLOGY_SUBJECT = "Approve the apology"
SECURITY_ITEMS = {"rotate_password", "revoke_apps", "enable_2fa", "review_access"}
_LINK_HREF = re.compile(r'href="([^"]+/links/[^"]+)"')
QUIET_LOGGERS = ("werkzeug", "moto", "botocore", "boto3", "urllib3", "firebreak")


class DrillFailed(Exception):
    """A step of the drill did not happen as a person would expect."""


# ---------------------------------------------------------------------- people
def mailbox(stack: LocalStack) -> list[dict[str, Any]]:
    """Every mail the embedded SES accepted, oldest first (subject, body, destinations).

    The embedded AWS runs in this process, so its SES messages are read in place; that
    stays cheap however much the stack holds, where ``stack.mail()`` (moto's whole-state
    dump over HTTP) grows with every table item and execution. Falls back to it when the
    in-process store is not where moto keeps it."""
    try:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends

        sent = list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)
    except (ImportError, KeyError, AttributeError):
        sent = []
    messages = [
        {"subject": m.subject, "body": m.body, "destinations": m.destinations}
        for m in sent
        if hasattr(m, "subject") and hasattr(m, "body")
    ]
    return messages or stack.mail()


class Person:
    """One seeded user: the API with their key, and their mailbox in the outbox."""

    def __init__(self, stack: LocalStack, user_id: str) -> None:
        assert stack.seed is not None
        user = stack.seed.users[user_id]
        self.stack = stack
        self.id = user_id
        self.email = user.email
        self.session = requests.Session()
        self.session.headers.update({"X-Api-Key": user.api_key, "Content-Type": "application/json"})

    def get(self, path: str, **params: str) -> Any:
        res = self.session.get(self.stack.api_url + path, params=params, timeout=HTTP_TIMEOUT_S)
        if res.status_code != 200:
            raise DrillFailed(f"GET {path} as {self.id}: {res.status_code} {res.text[:300]}")
        return res.json()

    def post(self, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body)
        res = self.session.post(self.stack.api_url + path, data=data, timeout=HTTP_TIMEOUT_S)
        if res.status_code not in (200, 201):
            raise DrillFailed(f"POST {path} as {self.id}: {res.status_code} {res.text[:300]}")
        return res.json()

    def put(self, path: str, body: Any) -> Any:
        res = self.session.put(
            self.stack.api_url + path, data=json.dumps(body), timeout=HTTP_TIMEOUT_S
        )
        if res.status_code != 200:
            raise DrillFailed(f"PUT {path} as {self.id}: {res.status_code} {res.text[:300]}")
        return res.json()

    def incident(self, incident_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.get(f"/incidents/{incident_id}")
        return found

    def links(self, subject_marker: str) -> list[str]:
        """Links in this person's mail whose subject has the marker, newest first."""
        found: list[str] = []
        for message in reversed(mailbox(self.stack)):
            if self.email not in message.get("destinations", {}).get("ToAddresses", []):
                continue
            if subject_marker not in message.get("subject", ""):
                continue
            found += reversed(_LINK_HREF.findall(message.get("body", "")))
        return [unescape(u) for u in found]


class _Form(HTMLParser):
    """The decision form of a confirmation page: hidden fields and the action buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.method = ""
        self.fields: dict[str, str] = {}
        self.actions: list[str] = []
        self.choices: dict[str, list[str]] = {}  # radio groups: name -> values

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.method = a.get("method", "get").lower()
        elif tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") == "radio" and a.get("name"):
            self.choices.setdefault(a["name"], []).append(a.get("value", ""))
            if "checked" in a:
                self.fields[a["name"]] = a.get("value", "")
        elif tag == "button" and a.get("name") == "action":
            self.actions.append(a.get("value", ""))


def read_link(url: str) -> _Form | None:
    """GET a mailed link as a browser would: the confirmation page's form, or None when
    the link cannot be used (any more). Changes nothing."""
    res = requests.get(url, timeout=HTTP_TIMEOUT_S)
    if res.status_code != 200:
        return None
    form = _Form()
    form.feed(res.text)
    return form if form.method == "post" else None


def follow_link(
    person: Person,
    subject_marker: str,
    incident_id: str,
    action: str,
    choose: dict[str, str] | None = None,
) -> str:
    """The person finds the mail about ``incident_id``, opens its link (GET: the page),
    picks ``choose`` among the page's radio options (name -> value) and presses the
    button for ``action`` (POST the page's form). Returns the link."""
    passed: set[str] = set()  # used links and other incidents' links stay so

    def usable() -> tuple[str, _Form] | None:
        for url in person.links(subject_marker):
            if url in passed:
                continue
            form = read_link(url)
            if form is not None and form.fields.get("subject_id") == incident_id:
                return url, form
            passed.add(url)
        return None

    url, form = wait_for(usable, f"a {subject_marker!r} link for {incident_id} in {person.email}")
    if action not in form.actions:
        raise DrillFailed(f"the page offers {form.actions}, not {action!r}")
    for name, value in (choose or {}).items():
        if value not in form.choices.get(name, []):
            raise DrillFailed(f"the page offers {name}={form.choices.get(name)}, not {value!r}")
    fields = {**form.fields, **(choose or {}), "action": action}
    res = requests.post(url, data=fields, timeout=HTTP_TIMEOUT_S)
    if res.status_code != 200:
        raise DrillFailed(f"{person.id} pressed {action}: {res.status_code} {res.text[:300]}")
    return url


# ---------------------------------------------------------------------- waiting
def wait_for(predicate: Callable[[], T | None], what: str, timeout: float = WAIT_S) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise DrillFailed(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(POLL_S)


def wait_status(incident_id: str, *statuses: str, also: Callable[[Any], bool] = bool) -> None:
    """Wait until the incident reaches one of ``statuses`` (and ``also`` holds for the
    stored incident); a failed playbook ends the wait at once.

    The wait reads the incident store directly, one DynamoDB read per poll: polling
    through the API costs several reads per poll and would slow the machinery it times.
    Read the incident through the API afterwards."""
    from chalicelib.wiring import get_playbook

    incidents = get_playbook().incidents

    def reached() -> bool:
        incident = incidents.get(incident_id)
        if incident is None:
            return False
        status = incident.status.value
        if status == "failed" and "failed" not in statuses:
            raise DrillFailed(f"the playbook failed: {incident.failure}")
        return status in statuses and bool(also(incident))

    wait_for(reached, f"{incident_id} to be {' or '.join(statuses)}")


def incident_for_post(account_id: str, post_id: str) -> str | None:
    """The incident opened for a post, if any (one per post), from the store."""
    from chalicelib.wiring import get_playbook

    found: str | None = get_playbook().incidents.incident_for_post(account_id, post_id)
    return found


def execution_status(incident_id: str) -> str:
    """The Step Functions execution's status (RUNNING, SUCCEEDED, FAILED, ...)."""
    from chalicelib.wiring import aws_client, get_settings

    arn = get_settings().state_machine_arn.replace(":stateMachine:", ":execution:")
    status: str = aws_client("stepfunctions").describe_execution(
        executionArn=f"{arn}:{incident_id}"
    )["status"]
    return status


class Stopwatch:
    """Splits wall time into consecutive automated and human segments."""

    def __init__(self) -> None:
        self.automated: dict[str, float] = {}
        self.human: dict[str, float] = {}
        self._mark = time.perf_counter()

    def start(self) -> None:
        self._mark = time.perf_counter()

    def _lap(self, bucket: dict[str, float], name: str) -> None:
        now = time.perf_counter()
        bucket[name] = round(bucket.get(name, 0.0) + now - self._mark, 3)
        self._mark = now

    def machine(self, name: str) -> None:
        self._lap(self.automated, name)

    def person(self, name: str) -> None:
        self._lap(self.human, name)

    def seconds(self) -> dict[str, Any]:
        return {
            "automated": round(sum(self.automated.values()), 3),
            "human": round(sum(self.human.values()), 3),
            "automated_steps": dict(self.automated),
            "human_steps": dict(self.human),
        }


# ---------------------------------------------------------------------- scenarios
_counter = 0


def unique_text(text: str, now: datetime) -> str:
    """X refuses duplicate posts: every drill post is made unique (``now``: the stack's
    clock, so a drill's texts do not carry the machine's time)."""
    global _counter
    _counter += 1
    return f"{text} [drill {now.astimezone(UTC).strftime('%H%M%S%f')}-{_counter}]"


def baseline_watcher(stack: LocalStack) -> None:
    """Run the watcher once so it only looks at posts that appear from now on."""
    stack.tick("watcher")


def run_scenario(
    stack: LocalStack,
    name: str,
    *,
    tailor_apology: bool = True,
    account_id: str | None = None,
    x_user_id: str | None = None,
) -> dict[str, Any]:
    """Run one drill scenario on the stack's sandbox account and check its outcome.

    ``account_id``/``x_user_id``: another account of the demo brand and its sandbox X
    user, instead of the seeded demo account.

    ``tailor_apology``: the commander personalises the drafted apology before a second
    senior approves it. X refuses a post whose text the account posted in the last 24 h,
    and the drafts of two incidents with the same template are identical, so a second
    stock apology within a day fails to publish; pass False to approve the draft as is.

    Returns the scenario's record: name, recommendation, decision, post_deleted,
    apology_posted, final_status, seconds (automated and human totals, with their
    steps), plus incident_id, checklist_done, postmortem, notes, ok and problems.
    A drill that goes wrong is recorded in ``problems``, never raised."""
    scenario = SCENARIOS[name]
    record: dict[str, Any] = {
        "name": name,
        "incident_id": None,
        "commander": None,
        "recommendation": None,
        "hack_suspected": None,
        "hack_confirmed": None,
        "hack_answered_by": None,
        "played_at": stack.clock.now().isoformat(),
        "reasons": [],
        "decision": None,
        "post_deleted": None,
        "checklist_done": None,
        "apology_posted": False,
        "apology_mode": None,
        "apology_text": None,
        "final_status": None,
        "seconds": {},
        "postmortem": None,
        "notes": [],
        "ok": False,
        "problems": [],
    }
    watch = Stopwatch()
    try:
        assert stack.seed is not None
        target = (account_id or stack.seed.account_id, x_user_id or stack.seed.x_user_id)
        _drive(stack, scenario, record, watch, target, tailor_apology=tailor_apology)
    except (DrillFailed, requests.RequestException) as exc:
        record["problems"].append(f"{type(exc).__name__}: {exc}")
    record["seconds"] = watch.seconds()
    record["ok"] = not record["problems"]
    return record


def _tailored(draft: str, voice: str, now: datetime) -> str:
    """The draft, signed with the time: what a person adds to make it this incident's."""
    from chalicelib.domain.text import X_MAX_WEIGHTED_LENGTH, x_weighted_length

    stamp = now.astimezone(UTC).strftime("%d %b %H:%M:%S UTC")
    signature = f" — {voice}"
    text = f"{draft}, {stamp}" if draft.endswith(signature) else f"{draft} ({stamp})"
    if x_weighted_length(text) > X_MAX_WEIGHTED_LENGTH:
        raise DrillFailed(f"the tailored apology is longer than X allows: {text!r}")
    return text


def _drive(
    stack: LocalStack,
    s: Scenario,
    record: dict[str, Any],
    watch: Stopwatch,
    target: tuple[str, str],
    *,
    tailor_apology: bool,
) -> None:
    assert stack.seed is not None
    seed = stack.seed
    sandbox = stack.x.app
    account_id, x_user = target
    problems: list[str] = record["problems"]
    notes: list[str] = record["notes"]

    def expect(condition: bool, message: str) -> None:
        if not condition:
            problems.append(message)

    def reach(step: str, *statuses: str, also: Callable[[Any], bool] = bool) -> dict[str, Any]:
        """The machinery's part ends when the incident reaches ``statuses``."""
        wait_status(incident_id, *statuses, also=also)
        watch.machine(step)
        return olivia.incident(incident_id)

    # The post appears on the account from outside Firebreak; the watcher opens it.
    olivia = Person(stack, "u_olivia")
    watch.start()
    x_post = sandbox.inject_post(x_user, unique_text(s.text, stack.clock.now()), source=s.source)
    opened = stack.tick("watcher")["opened"]
    incident_id = wait_for(
        lambda: incident_for_post(account_id, x_post["id"]),
        f"an incident for post {x_post['id']}",
    )
    record["incident_id"] = incident_id
    incident = reach("post_to_awaiting_decision", "awaiting_decision")
    if incident_id not in opened:
        notes.append("the incident was opened by another watcher run than the drill's tick")

    commander = Person(stack, incident["roles"]["commander"])
    rec = incident["recommendation"] or {}
    record["commander"] = commander.id
    record["recommendation"] = rec.get("recommendation")
    record["hack_suspected"] = incident["hack_suspected"]
    record["reasons"] = list(rec.get("reasons", []))
    expect(incident["trigger"] == "not_published_by_firebreak", f"trigger {incident['trigger']}")
    expect(commander.id == "u_olivia", f"commander {commander.id}, expected u_olivia")
    expect(bool(incident["evidence_sha256"]), "no evidence archived before deciding")
    freeze = next(
        (f for f in commander.get("/freezes")["freezes"] if f["scope"] == account_id), None
    )
    own_freeze = f"incident {incident_id}"
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

    # The commander decides through the mailed link, as a person would.
    watch.start()
    answer = {True: "yes", False: "no", None: "unsure"}[s.hack_answer]
    follow_link(commander, DECISION_SUBJECT, incident_id, s.decision, {"hack": answer})
    watch.person("decision")
    if s.checklist:
        incident = reach("decision_to_checklist", "containing", also=lambda i: bool(i.checklist))
        for item in incident["checklist"]:
            commander.post(f"/incidents/{incident_id}/checklist/{item['key']}")
        watch.person("checklist")
        incident = reach("checklist_to_apologising", "apologising")
    else:
        incident = reach("decision_to_apologising", "apologising")

    record["decision"] = incident["decision"]
    record["hack_confirmed"] = incident["hack_confirmed"]
    record["hack_answered_by"] = incident["hack_answered_by"]
    expect(
        record["hack_confirmed"] is s.hack_answer,
        f"hack_confirmed {record['hack_confirmed']}, expected {s.hack_answer}",
    )
    expect(
        record["hack_answered_by"] == (None if s.hack_answer is None else commander.id),
        f"hack answered by {record['hack_answered_by']}",
    )
    record["post_deleted"] = bool(incident["post_deleted"])
    on_x = sandbox.post(x_post["id"])
    expect(record["decision"] == s.decision, f"decision {record['decision']}")
    deleting = s.decision == "delete"
    expect(
        record["post_deleted"] is deleting and on_x["deleted"] is deleting,
        f"post_deleted {record['post_deleted']} (sandbox X: deleted={on_x['deleted']}), "
        f"expected {deleting}",
    )
    if s.checklist:
        items = incident["checklist"]
        record["checklist_done"] = bool(items) and all(c["done_at"] for c in items)
        keys = {c["key"] for c in items}
        expect(keys >= SECURITY_ITEMS, f"checklist items {sorted(keys)}")
        expect(record["checklist_done"], "the security checklist is not all done")
        expect(all(c["done_by"] == commander.id for c in items), "a checklist item has no person")
    if not s.checklist:
        expect(not incident["checklist"], "a security checklist ran though nobody suspects a hack")
    apology = incident["apology"] or {}
    if s.template:
        expect(apology.get("template") == s.template, f"apology template {apology.get('template')}")

    # The apology: tailored by its voice (optional), approved through its mailed link by
    # a senior who did not write it.
    watch.start()
    approver = Person(stack, APOLOGY_APPROVER)
    if tailor_apology:
        voice = seed.users.get(apology.get("voice", ""))
        text = _tailored(
            str(apology.get("text", "")), voice.name if voice else "", stack.clock.now()
        )
        commander.put(f"/incidents/{incident_id}/apology", {"text": text})
        watch.person("apology_tailoring")
    follow_link(approver, APOLOGY_SUBJECT, incident_id, "approve")
    watch.person("apology_approval")
    incident = reach("approval_to_monitoring", "monitoring")

    apology = incident["apology"] or {}
    record["apology_mode"] = apology.get("mode")
    record["apology_text"] = apology.get("text")
    expect(apology.get("approved_by") == approver.id, f"apology approved by {apology}")
    posted_id = apology.get("network_post_id")
    if posted_id:
        posted = sandbox.post(posted_id)
        record["apology_posted"] = not posted["deleted"] and posted["text"] == apology["text"]
        replied = any(
            r["type"] == "replied_to" and r["id"] == x_post["id"]
            for r in posted.get("referenced_tweets", [])
        )
        if s.apology_mode == "reply":
            expect(replied, "the apology is not a reply to the kept post")
        else:
            expect(not replied, "the apology replies to the deleted post")
    expect(record["apology_posted"], "the apology is not on the sandbox X")
    expect(
        record["apology_mode"] == s.apology_mode,
        f"apology mode {record['apology_mode']}, expected {s.apology_mode}",
    )

    # The commander resolves; the playbook lifts the incident's freeze and ends.
    watch.start()
    commander.post(f"/incidents/{incident_id}/resolve")
    watch.person("resolve")
    wait_for(lambda: execution_status(incident_id) == "SUCCEEDED", "the playbook execution to end")
    watch.machine("resolve_to_done")

    incident = commander.incident(incident_id)
    record["final_status"] = incident["status"]
    expect(incident["status"] == "resolved", f"final status {incident['status']}")
    timeline = commander.get(f"/incidents/{incident_id}/timeline")["entries"]
    kinds = [e["kind"] for e in timeline]
    needed = ["opened", "evidence_archived", "frozen", "assessed", "decision_requested"]
    needed += ["decided", "post_deleted" if deleting else "post_kept"]
    needed += ["checklist_requested", "checklist_item"] if s.checklist else []
    needed += ["apology_drafted", "apology_approved", "apology_published", "monitoring"]
    needed += ["resolved"]
    needed += ["freeze_lifted"] if freeze is not None and freeze["reason"] == own_freeze else []
    missing = [k for k in needed if k not in kinds]
    expect(not missing, f"timeline lacks {missing}")
    if s.decision == "delete" and "evidence_archived" in kinds and "post_deleted" in kinds:
        expect(
            kinds.index("evidence_archived") < kinds.index("post_deleted"),
            "the post was deleted before its evidence was archived",
        )
    decided = [e for e in timeline if e["kind"] == "decided"]
    expect(
        bool(decided) and decided[0]["channel"] == "email" and decided[0]["actor"] == commander.id,
        "the decision was not taken by the commander through the mailed link",
    )
    still = [
        f
        for f in commander.get("/freezes")["freezes"]
        if f["scope"] == account_id and f["reason"] == own_freeze
    ]
    expect(not still, "the incident's freeze is still on after it was resolved")
    report = commander.get(f"/incidents/{incident_id}/postmortem")
    record["postmortem"] = report["seconds"]
    page = commander.session.get(
        f"{stack.api_url}/incidents/{incident_id}/postmortem/page", timeout=HTTP_TIMEOUT_S
    )
    expect(page.status_code == 200 and "Postmortem" in page.text, "no postmortem page")


# ---------------------------------------------------------------------- output
def _secs(value: Any) -> str:
    return "-" if value is None else f"{value:.2f} s"


def _steps(steps: dict[str, float]) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v:.2f}" for k, v in steps.items()) or "-"


def summary(record: dict[str, Any]) -> str:
    """A person-readable account of one scenario."""
    s = SCENARIOS[record["name"]]
    sec = record["seconds"]
    yes = {True: "yes", False: "no", None: "-"}
    lines = [
        f"== Drill {record['name']}: {s.title}",
        f"   incident        {record['incident_id'] or '-'}"
        f" (opened by the watcher; commander {record['commander'] or '-'})",
        f"   recommendation  {record['recommendation'] or '-'}"
        f" (hack suspected: {yes[record['hack_suspected']]})",
    ]
    answer = {True: "confirmed", False: "rejected", None: "not answered"}[record["hack_confirmed"]]
    by = f" by {record['hack_answered_by']}" if record["hack_answered_by"] else ""
    lines += [f"                     - {reason}" for reason in record["reasons"]]
    lines += [
        f"   decision        {record['decision'] or '-'} (through the mailed link)",
        f"   hack            {answer}{by}",
        f"   post deleted    {yes[record['post_deleted']]}",
    ]
    if s.checklist:
        lines.append(f"   checklist done  {yes[record['checklist_done']]}")
    lines += [
        f"   apology posted  {yes[record['apology_posted']]} ({record['apology_mode'] or '-'})",
    ]
    if record["apology_text"]:
        lines.append(f"                     {record['apology_text']}")
    lines += [
        f"   final status    {record['final_status'] or '-'}",
        f"   automated       {_secs(sec.get('automated'))}"
        f"  [{_steps(sec.get('automated_steps', {}))}]",
        f"   human           {_secs(sec.get('human'))}  [{_steps(sec.get('human_steps', {}))}]",
    ]
    if record["postmortem"]:
        lines.append(
            "   postmortem      "
            + ", ".join(
                f"{k.replace('_', ' ')} {_secs(v)}" for k, v in record["postmortem"].items()
            )
        )
    lines += [f"   note            {n}" for n in record["notes"]]
    lines.append(f"   result          {'OK' if record['ok'] else 'FAILED'}")
    lines += [f"   ! {p}" for p in record["problems"]]
    return "\n".join(lines)


JSON_KEYS = (
    "name",
    "incident_id",
    "recommendation",
    "hack_suspected",
    "hack_confirmed",
    "hack_answered_by",
    "played_at",
    "decision",
    "post_deleted",
    "checklist_done",
    "apology_posted",
    "apology_mode",
    "final_status",
    "seconds",
    "postmortem",
    "notes",
    "ok",
    "problems",
)


def as_json(records: list[dict[str, Any]]) -> str:
    """The one-line JSON report: ``{"scenarios": [...]}``."""
    return json.dumps({"scenarios": [{k: r.get(k) for k in JSON_KEYS} for r in records]})


def quiet_logs() -> None:
    """Warnings and errors only, from the servers, the SDKs and the app: the summary
    stays readable. Call it again once the stack runs (importing the app sets its
    logger to INFO). The API server's per-request lines (http.server's
    ``log_message``, not logging) are switched off as well."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    from chalice.local import ChaliceRequestHandler

    def _no_access_log(self: Any, fmt: str, *args: Any) -> None:
        return None

    setattr(ChaliceRequestHandler, "log_message", _no_access_log)  # noqa: B010


def run_drills(
    stack: LocalStack, names: list[str], *, tailor_apology: bool = True
) -> list[dict[str, Any]]:
    """Baseline the watcher, then run the scenarios one after the other."""
    baseline_watcher(stack)
    return [run_scenario(stack, name, tailor_apology=tailor_apology) for name in names]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m firebreak_local.drill",
        description="Crisis drills against a fresh local stack; nothing leaves the machine.",
    )
    parser.add_argument(
        "--scenario",
        action="append",
        choices=list(SCENARIOS),
        help="run only this scenario (repeatable; default: all, in order)",
    )
    parser.add_argument(
        "--at",
        help="play the drill from this moment, e.g. 2026-12-01T02:30:00Z (default: now)",
    )
    parser.add_argument(
        "--stock-apology",
        action="store_true",
        help="approve each drafted apology unchanged instead of tailoring it first",
    )
    args = parser.parse_args(argv)
    from chalicelib.clock import parse_play_at

    try:
        at = parse_play_at(args.at) if args.at else None
    except ValueError as exc:
        parser.error(f"--at: {exc}")
    names = args.scenario or list(SCENARIOS)
    quiet_logs()
    print("Crisis drills on a fresh local stack; nothing leaves this machine.", flush=True)
    with LocalStack(StackOptions(scheduler=False, at=at)) as stack:
        quiet_logs()
        print(f"Playing at {stack.clock.now():%Y-%m-%d %H:%M:%S} UTC.", flush=True)
        records = run_drills(stack, names, tailor_apology=not args.stock_apology)
    print(flush=True)
    for record in records:
        print(summary(record), flush=True)
        print(flush=True)
    failed = [r["name"] for r in records if not r["ok"]]
    if failed:
        print(f"DRILL FAILED: {', '.join(failed)} did not end as expected.", flush=True)
    else:
        print(f"All {len(records)} drills ended as expected.", flush=True)
    print(as_json(records), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
