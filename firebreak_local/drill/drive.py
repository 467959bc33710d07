"""One crisis drill from the post to the postmortem: the shared steps (``steps``) in the
playbook's order, with the scenario's own where it takes them, chosen by what the
scenario says (``scenarios``):

- the decision: delete (``lewd``, and ``hack``) or keep (``clumsy``);
- after it, the security checklist (``hack``) or straight on to the apology;
- the apology: standalone (``lewd``, ``hack``) or a reply to the kept post (``clumsy``).
"""

from __future__ import annotations

from typing import Any

from firebreak_local.drill import clumsy, hack, lewd
from firebreak_local.drill.scenarios import Scenario
from firebreak_local.drill.steps import Drive
from firebreak_local.drill.waits import Stopwatch
from firebreak_local.stack import LocalStack


def drive(
    stack: LocalStack,
    s: Scenario,
    record: dict[str, Any],
    watch: Stopwatch,
    target: tuple[str, str],
    *,
    tailor_apology: bool,
) -> None:
    """Drive scenario ``s`` on ``target`` (account id, sandbox X user), writing what
    happened into ``record`` and the wall time into ``watch``."""
    d = Drive(stack, s, record, watch, target, tailor_apology=tailor_apology)
    deleting = s.decision == "delete"

    d.open_incident()
    d.decide()
    if s.checklist:
        incident = hack.secure_account(d)
    else:
        incident = d.reach("decision_to_apologising", "apologising")
    d.check_decision(incident)
    if s.checklist:
        hack.check_secured(d, incident)
    else:
        hack.check_no_checklist(d, incident)

    incident = d.apologise(incident)
    posted = d.published_apology(incident)
    if posted is not None:
        if s.apology_mode == "reply":
            clumsy.check_apology_replies(d, posted)
        else:
            lewd.check_apology_stands_alone(d, posted)
    d.check_apology_published()

    d.resolve()
    timeline = d.check_resolved(
        lewd.TIMELINE if deleting else clumsy.TIMELINE,
        hack.TIMELINE if s.checklist else [],
    )
    if deleting:
        lewd.check_evidence_first(d, timeline)
    d.check_closed(timeline)
