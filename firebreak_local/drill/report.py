"""The drill's report: a person-readable summary of each scenario, and the one-line
JSON object that ends ``make drill``'s output."""

from __future__ import annotations

import json
from typing import Any

from firebreak_local.drill.scenarios import SCENARIOS


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
