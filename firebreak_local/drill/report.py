"""The drill's report: a person-readable summary of each scenario, and the one-line
JSON object that ends ``make drill``'s output."""

from __future__ import annotations

import json
from typing import Any

from firebreak_local.drill.scenarios import PILEONS, SCENARIOS


def _secs(value: Any) -> str:
    return "-" if value is None else f"{value:.2f} s"


def _steps(steps: dict[str, float]) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v:.2f}" for k, v in steps.items()) or "-"


def _num(value: Any) -> str:
    return "-" if value is None else f"{value:g}"


def _share(value: Any) -> str:
    return "-" if value is None else f"{value:.0%}"


def _seconds_lines(record: dict[str, Any]) -> list[str]:
    sec = record["seconds"]
    return [
        f"   automated       {_secs(sec.get('automated'))}"
        f"  [{_steps(sec.get('automated_steps', {}))}]",
        f"   human           {_secs(sec.get('human'))}  [{_steps(sec.get('human_steps', {}))}]",
    ]


def _end_lines(record: dict[str, Any]) -> list[str]:
    lines = [f"   note            {n}" for n in record["notes"]]
    lines.append(f"   result          {'OK' if record['ok'] else 'FAILED'}")
    lines += [f"   ! {p}" for p in record["problems"]]
    return lines


def pileon_summary(record: dict[str, Any]) -> str:
    """A person-readable account of one pile-on."""
    p = PILEONS[record["name"]]
    spike, queue = record["spike"] or {}, record["queue"] or {}
    reply, damage = record["reply"] or {}, record["damage"] or {}
    peak = damage.get("peak") or {}
    lines = [
        f"== Drill {record['name']}: {p.title}",
        f"   spike           surge alert {spike.get('alert_id', '-')}, severity"
        f" {spike.get('severity', '-')}/10: {_num(spike.get('observed'))} mentions in a minute,"
        f" {spike.get('expected', '-')} expected, {_share(spike.get('about_share'))} about"
        f" the post; {_secs(spike.get('surge_to_alert_s'))} after the surge began (played)",
        f"   incident        {record['incident_id'] or '-'} (opened by the alert, trigger"
        f" {record['trigger'] or '-'}; commander {record['commander'] or '-'};"
        f" recommendation {record['recommendation'] or '-'})",
        f"   queue           {queue.get('open', '-')}{'+' if queue.get('capped') else ''}"
        " open; most urgent"
        f" ({queue.get('urgency', '-')}): {queue.get('text', '-')}",
        f"   reply           {reply.get('status') or '-'} after being held"
        f" ({'; '.join(reply.get('held_because') or []) or '-'}) for"
        f" {_secs(reply.get('held_s'))}, approved by {reply.get('approved_by') or '-'}"
        " through the mailed link",
        f"                     {p.reply}",
        f"   damage          {damage.get('mentions', '-')} mentions, peak {peak.get('total', '-')}"
        f" at {peak.get('at', '-')} (x{peak.get('ratio', '-')} expected), negative share"
        f" {_share(damage.get('negative_share'))} (usually"
        f" {_share(damage.get('usual_negative_share'))}), first reply after"
        f" {_secs(damage.get('first_reply_s'))}",
        f"   final status    {record['final_status'] or '-'} (the decision is left open)",
        *_seconds_lines(record),
        *_end_lines(record),
    ]
    return "\n".join(lines)


def summary(record: dict[str, Any]) -> str:
    """A person-readable account of one scenario."""
    if record["name"] in PILEONS:
        return pileon_summary(record)
    s = SCENARIOS[record["name"]]
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
    lines += [f"   final status    {record['final_status'] or '-'}", *_seconds_lines(record)]
    if record["postmortem"]:
        lines.append(
            "   postmortem      "
            + ", ".join(
                f"{k.replace('_', ' ')} {_secs(v)}" for k, v in record["postmortem"].items()
            )
        )
    lines += _end_lines(record)
    return "\n".join(lines)


JSON_KEYS = (
    "name",
    "network",
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


# What a pile-on's entry adds (the other scenarios' entries do not have these keys).
PILEON_KEYS = ("trigger", "spike", "reply", "damage")


def as_json(records: list[dict[str, Any]]) -> str:
    """The one-line JSON report: ``{"scenarios": [...]}``."""
    return json.dumps(
        {
            "scenarios": [
                {k: r.get(k) for k in JSON_KEYS} | {k: r[k] for k in PILEON_KEYS if k in r}
                for r in records
            ]
        }
    )
