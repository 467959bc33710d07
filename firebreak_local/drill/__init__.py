"""Crisis drills (``make drill``): the incident playbook rehearsed end to end against a
fresh local stack, nothing leaving the machine.

Three scenarios on the sandbox account, each driven the way people would drive it,
and a fourth on a listening account of its own:

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
  confirmed by a person, the hack apology approved via its link and posted, resolved;
- ``pileon``: the crowd's answer to a tone-deaf post. Quiet minutes of mentions, then
  a surge mostly replying to or quoting the post: the poller reads it, the detector
  raises the spike alert, which opens the incident on the post (trigger
  ``mention_spike``); the queue fills, Alice answers the most urgent mention, the reply
  is held (an incident is open) and Bob approves it through the mailed link; it is
  posted on the sandbox X as a reply to that mention, and the postmortem's damage
  report (peak, negative share, first reply) is read. The incident's own decision is
  left open. Its minutes are played by polls at explicit times (``pileon``).

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

The drill's parts: ``scenarios`` (what each scenario posts and expects), ``people``
(users, their mail and the mailed links), ``waits`` (waiting on the machinery, the
stopwatch), ``steps`` (what every scenario does), ``lewd``, ``clumsy`` and ``hack``
(what only that scenario's path does), ``drive`` (the steps in order), ``pileon``
(the pile-on, start to end), ``report`` (the summary and the JSON line) and ``runner``
(the runs and the command line).
What ``bench/playbook/run.py``, ``tests/functional/test_drill.py`` and other tests
reuse is importable from here.

    python -m firebreak_local.drill [--scenario lewd|clumsy|hack|pileon ...] [--stock-apology]
                                    [--at 2026-12-01T02:30:00Z]

Human-readable summary first; the last line of stdout is one JSON object (a pile-on's
entry adds ``trigger``, ``spike``, ``reply`` and ``damage``). Exit 0 only when every
scenario ended as expected.
"""

from __future__ import annotations

from firebreak_local.drill.errors import DrillFailed
from firebreak_local.drill.hack import SECURITY_ITEMS
from firebreak_local.drill.people import (
    APOLOGY_SUBJECT,
    DECISION_SUBJECT,
    HTTP_TIMEOUT_S,
    Person,
    follow_link,
    mailbox,
    read_link,
)
from firebreak_local.drill.pileon import play_base
from firebreak_local.drill.report import JSON_KEYS, PILEON_KEYS, as_json, summary
from firebreak_local.drill.runner import (
    QUIET_LOGGERS,
    app_logs_to,
    baseline_watcher,
    main,
    quiet_logs,
    run_drills,
    run_scenario,
)
from firebreak_local.drill.scenarios import DRILLS, PILEONS, SCENARIOS, PileOn, Scenario
from firebreak_local.drill.steps import APOLOGY_APPROVER, unique_text
from firebreak_local.drill.waits import (
    POLL_S,
    WAIT_S,
    Stopwatch,
    execution_status,
    incident_for_post,
    wait_for,
    wait_status,
)

__all__ = [
    "APOLOGY_APPROVER",
    "APOLOGY_SUBJECT",
    "DECISION_SUBJECT",
    "DRILLS",
    "HTTP_TIMEOUT_S",
    "JSON_KEYS",
    "PILEONS",
    "PILEON_KEYS",
    "POLL_S",
    "QUIET_LOGGERS",
    "SCENARIOS",
    "SECURITY_ITEMS",
    "WAIT_S",
    "DrillFailed",
    "Person",
    "PileOn",
    "Scenario",
    "Stopwatch",
    "app_logs_to",
    "as_json",
    "baseline_watcher",
    "execution_status",
    "follow_link",
    "incident_for_post",
    "mailbox",
    "main",
    "play_base",
    "quiet_logs",
    "read_link",
    "run_drills",
    "run_scenario",
    "summary",
    "unique_text",
    "wait_for",
    "wait_status",
]
