"""The incident side of the web app (X4): the list of incidents, the incident room and
the room's actions.

The room puts on one screen the post and its evidence, Firebreak's recommendation and
the delete-or-keep decision, the security checklist, the apology and its approval, the
mention chart against its baseline band, status updates and the timeline. Every action
calls the use case the API's route calls (``chalicelib/incidents/routes.py``), so roles
and account scoping are the API's; each is a plain form POST that redirects back to
the room (htmx only refreshes the header, the chart and the timeline).

The postmortem (document and Markdown export) is in ``postmortem_pages``, imported
here (which registers its pages) for the words both say alike.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.api.routing import MANAGERS
from chalicelib.core.errors import DomainError, ValidationFailed
from chalicelib.web.pages import Page
from chalicelib.web.postmortem_pages import CHANNELS, STATUS_WORDS, named, who
from chalicelib.web.site import site

if TYPE_CHECKING:
    from chalicelib.accounts.domain import Account
    from chalicelib.core.users import User
    from chalicelib.incidents.domain import Incident, TimelineEntry
    from chalicelib.incidents.playbook import Playbook
    from chalicelib.web.views import Directory

MAX_TEXT = 2000  # the API's bodies take at most this much (schemas.py)
SHARE_WINDOW = 5  # buckets the negative share is taken over, as the damage report does
TABLE_ROWS = 48  # the chart's table groups buckets so that it has about this many rows
CHART_BEFORE = timedelta(hours=1)  # the chart starts this long before the incident
SURGE_LEAD = timedelta(minutes=15)  # the crisis is counted from this long before opening
CHART_AFTER = timedelta(minutes=30)  # ... and ends this long after it was resolved
CHART_SPAN = timedelta(hours=48)  # ... showing at most this much
# What a person is told after an action, at the top of the room.
DONE = {
    "decided": "Your decision is recorded; the playbook carries it out.",
    "checked": "The checklist item is confirmed.",
    "apology_edited": "The apology is saved; it needs a senior's approval again.",
    "apology_approved": "The apology is approved; the playbook publishes it.",
    "apology_rejected": "The apology is sent back for editing, with your reason.",
    "updated": "Your status update is on the timeline.",
    "resolved": "The incident is resolved; the freeze is lifted when no other incident is open.",
    "closed": "The incident is closed.",
}
DECIDING = ("awaiting_decision", "escalated")


# -- the list -----------------------------------------------------------------------


@site.page("/app/incidents")
def incident_list(page: Page) -> Any:
    """Incidents of the accounts the person sees (as ``GET /incidents``): open ones
    first, newest first."""
    from chalicelib.web.views import directory
    from chalicelib.wiring import get_playbook, get_service

    found = directory(page.user)
    incidents = [i for a in found.accounts for i in get_playbook().incidents.of_account(a)]
    incidents.sort(key=lambda i: i.opened_at, reverse=True)
    incidents.sort(key=lambda i: not i.is_open)  # stable: newest first within each
    return page.render(
        "incidents.html",
        title="Incidents",
        incidents=incidents,
        directory=found,
        now=get_service().clock.now(),
        status_words=STATUS_WORDS,
    )


# -- the room -----------------------------------------------------------------------


@site.page("/app/incidents/{incident_id}")
def incident_room(page: Page, incident_id: str) -> Any:
    room = _room(page, incident_id)
    return page.render("incident.html", **room)


@site.page("/app/incidents/{incident_id}/state")
def incident_state(page: Page, incident_id: str) -> Any:
    """The header's live line (htmx, every 30 s): status, time since detection, and
    whether the incident moved on since the room was opened."""
    if not page.htmx:
        return page.redirect(f"/app/incidents/{incident_id}")
    return _fragment(page, "_incident_state.html", _room(page, incident_id, full=False))


@site.page("/app/incidents/{incident_id}/live")
def incident_live(page: Page, incident_id: str) -> Any:
    """The chart and the timeline (htmx, every 30 s)."""
    if not page.htmx:
        return page.redirect(f"/app/incidents/{incident_id}")
    return _fragment(page, "_incident_live.html", _room(page, incident_id))


def _fragment(page: Page, template: str, context: dict[str, Any]) -> Any:
    from chalicelib.web.render import render

    return page.respond(render(template, **page.context(), **context))


def _room(page: Page, incident_id: str, *, full: bool = True, **extra: Any) -> dict[str, Any]:
    """What the room shows; ``full=False``: only what its header line needs."""
    from chalicelib.web.views import directory
    from chalicelib.wiring import get_playbook, get_service

    playbook = get_playbook()
    user = page.user
    incident = playbook.lifecycle.for_user(user, incident_id)  # 404 when not theirs
    found = directory(user)
    account = found.accounts[incident.account_id]
    now = get_service().clock.now()
    context = room_context(
        incident,
        found,
        now,
        entries=playbook.incidents.timeline(incident.id) if full else [],
        evidence=playbook.incidents.get_evidence(incident.id) if full else None,
        chart=_chart(user, incident, account, now) if full else None,
        can=permissions(playbook, incident, user),
        query=page.query,
    )
    context.update(extra)
    return context


def room_context(
    incident: Incident,
    found: Directory,
    now: datetime,
    *,
    entries: list[TimelineEntry],
    evidence: dict[str, Any] | None,
    chart: dict[str, Any] | None,
    can: dict[str, bool],
    query: dict[str, str],
) -> dict[str, Any]:
    """The room's template context from the records (``incident.html``)."""
    from chalicelib.incidents.domain import report_line

    account = found.accounts[incident.account_id]
    timeline = timeline_view(entries, found)
    seen = query.get("rev", "")
    return {
        "title": f"Incident on {account.name}",
        "incident": incident,
        "account": account,
        "zone": account.timezone,
        "directory": found,
        "now": now,
        "timeline": timeline,
        "updates": [e for e in timeline if e["kind"] == "status_update"],
        "decided": next((e for e in timeline if e["kind"] == "decided"), None),
        "evidence": evidence_view(evidence),
        "can": can,
        "round": {"awaiting_decision": 1, "escalated": 2}.get(incident.status.value, 0),
        "changed": seen.isdigit() and int(seen) != incident.revision,
        # The revision the person's forms were drawn from: refreshes keep asking about it,
        # so the notice stays until they reload the room.
        "seen_rev": int(seen) if seen.isdigit() else incident.revision,
        "done": DONE.get(query.get("done", ""), ""),
        "error": "",
        "error_at": "",
        "draft": {},
        "chart": chart,
        "who": lambda actor: who(actor, found),
        "status_words": STATUS_WORDS,
        "reported": report_line(incident, found.name(incident.opened_by)),
        "deciders": [
            found.name(u)
            for u in dict.fromkeys(
                [incident.roles.commander, *incident.roles.approvers, incident.escalated_to]
            )
            if u
        ],
    }


def permissions(playbook: Playbook, incident: Incident, user: User) -> dict[str, bool]:
    """Which forms the room shows this person: the use cases' own rules (they check
    again on every action; a form shown is never the only guard)."""
    from chalicelib.core.users import Role

    status = incident.status.value
    decider = playbook.lifecycle.may_decide(incident, user)
    apology = incident.apology
    pending = status == "apologising" and apology is not None and apology.approved_by is None
    approvable = False
    if pending:
        try:
            playbook.apology.approvable(incident, user)
            approvable = True
        except DomainError:
            approvable = False
    speakers = {incident.roles.spokesperson, apology.voice if apology else None}
    commands = user.id == incident.roles.commander or user.role is Role.ADMIN
    return {
        "decide": decider and status in DECIDING,
        "checklist": decider and status not in ("resolved", "closed"),
        "edit_apology": pending and (decider or user.id in speakers),
        "approve_apology": approvable,
        "update": incident.is_open,
        "resolve": commands and status in ("monitoring", "failed"),
        "close": commands and status == "resolved",
    }


# -- the room's actions: the API's use cases, then back to the room -------------------


def _act(
    page: Page,
    incident_id: str,
    action: Callable[[], Any],
    done: str,
    section: str,
    draft: dict[str, str] | None = None,
) -> Any:
    """Run ``action``; back to the room at ``section`` saying what happened, or the
    room again with the refusal next to its form (and what the person typed)."""
    from chalicelib.api.errors import status_for

    try:
        action()
    except DomainError as exc:
        room = _room(page, incident_id, error=exc.message, error_at=section, draft=draft or {})
        return page.render("incident.html", status=status_for(exc), **room)
    return page.redirect(f"/app/incidents/{incident_id}?done={done}#{section}")


def _actor(page: Page) -> Any:
    from chalicelib.core.audit import Actor, Channel

    return Actor.of(page.user, Channel.WEB)


def _number(raw: str | None, field: str) -> int | None:
    """A version or round a form carries: the one the person saw."""
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise ValidationFailed("must be a positive whole number", field=field)
    return int(raw)


def _text(raw: str | None, field: str) -> str:
    text = raw or ""
    if len(text) > MAX_TEXT:
        raise ValidationFailed(f"must be at most {MAX_TEXT} characters", field=field)
    return text


@site.page("/app/incidents/{incident_id}/decide", ("POST",))
def decide(page: Page, incident_id: str) -> Any:
    """Delete or keep, and "was this a hack?" (yes, no or unsure): what
    ``POST /incidents/{id}/decide`` takes, on the round the person saw."""
    from chalicelib.incidents.domain import parse_hack_answer
    from chalicelib.wiring import get_playbook

    def run() -> None:
        hack = parse_hack_answer(page.form.get("hack"))
        get_playbook().lifecycle.decide(
            _actor(page),
            incident_id,
            page.form.get("decision", ""),
            hack=hack,
            seen_round=_number(page.form.get("round"), "round"),
        )

    return _act(page, incident_id, run, "decided", "decision")


@site.page("/app/incidents/{incident_id}/checklist/{item}", ("POST",))
def confirm_item(page: Page, incident_id: str, item: str) -> Any:
    from chalicelib.wiring import get_playbook

    def run() -> None:
        get_playbook().lifecycle.confirm_checklist_item(_actor(page), incident_id, item)

    return _act(page, incident_id, run, "checked", "checklist")


@site.page("/app/incidents/{incident_id}/apology", ("POST",))
def edit_apology(page: Page, incident_id: str) -> Any:
    from chalicelib.wiring import get_playbook

    text = page.form.get("text", "")

    def run() -> None:
        get_playbook().apology.edit_apology(_actor(page), incident_id, _text(text, "text"))

    return _act(page, incident_id, run, "apology_edited", "apology", {"text": text})


@site.page("/app/incidents/{incident_id}/apology/approve", ("POST",), roles=MANAGERS)
def approve_apology(page: Page, incident_id: str) -> Any:
    from chalicelib.wiring import get_playbook

    def run() -> None:
        get_playbook().apology.approve_apology(
            _actor(page), incident_id, seen_version=_number(page.form.get("version"), "version")
        )

    return _act(page, incident_id, run, "apology_approved", "apology")


@site.page("/app/incidents/{incident_id}/apology/reject", ("POST",), roles=MANAGERS)
def reject_apology(page: Page, incident_id: str) -> Any:
    from chalicelib.wiring import get_playbook

    reason = page.form.get("reason", "")

    def run() -> None:
        get_playbook().apology.reject_apology(
            _actor(page),
            incident_id,
            _text(reason, "reason"),
            seen_version=_number(page.form.get("version"), "version"),
        )

    return _act(page, incident_id, run, "apology_rejected", "apology", {"reason": reason})


@site.page("/app/incidents/{incident_id}/updates", ("POST",))
def post_update(page: Page, incident_id: str) -> Any:
    from chalicelib.wiring import get_playbook

    message = page.form.get("message", "")

    def run() -> None:
        get_playbook().lifecycle.post_update(_actor(page), incident_id, _text(message, "message"))

    return _act(page, incident_id, run, "updated", "updates", {"message": message})


@site.page("/app/incidents/{incident_id}/resolve", ("POST",))
def resolve(page: Page, incident_id: str) -> Any:
    from chalicelib.wiring import get_playbook

    def run() -> None:
        get_playbook().lifecycle.resolve(_actor(page), incident_id)

    return _act(page, incident_id, run, "resolved", "room-actions")


@site.page("/app/incidents/{incident_id}/close", ("POST",))
def close(page: Page, incident_id: str) -> Any:
    from chalicelib.wiring import get_playbook

    def run() -> None:
        get_playbook().lifecycle.close(_actor(page), incident_id)

    return _act(page, incident_id, run, "closed", "room-actions")


# -- what the room shows, as a person reads it ---------------------------------------


def timeline_view(entries: list[TimelineEntry], found: Directory) -> list[dict[str, Any]]:
    """Timeline entries with people's names, what a reporter said (their note) and why a
    senior sent the apology back."""
    out = []
    for e in entries:
        details = e.details or {}
        notes = []
        if details.get("note"):
            notes.append(f"Note: {details['note']}")
        if details.get("reason"):
            notes.append(f"Reason: {details['reason']}")
        out.append(
            {
                "at": e.at,
                "who": who(e.actor, found),
                "channel": CHANNELS.get(e.channel, ""),
                "kind": e.kind,
                "message": named(e.message, found),
                "notes": notes,
            }
        )
    return out


def evidence_view(evidence: dict[str, Any] | None) -> dict[str, Any] | None:
    if not evidence:
        return None
    raw = evidence.get("raw") or {}
    metrics = raw.get("public_metrics") or {}
    return {
        "at": evidence.get("at"),
        "sha256": evidence.get("sha256"),
        "gone": bool(raw.get("gone")),
        "metrics": [(_metric(k), v) for k, v in sorted(metrics.items())],
        "raw": json.dumps(raw, indent=2, sort_keys=True, ensure_ascii=False),
    }


def _metric(key: str) -> str:
    """``reply_count`` -> ``replies``: X's public metrics as words."""
    name = key.removesuffix("_count").replace("_", " ")
    return name[:-1] + "ies" if name.endswith("y") else name + "s"


# -- the mention chart ----------------------------------------------------------------


def chart_window(
    opened: datetime, resolved: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """An hour before the incident to now (or half an hour after it was resolved), at
    most two days, the newest shown."""
    end = min(resolved + CHART_AFTER, now) if resolved else now
    # Never past now: minutes that have not happened are not zero mentions.
    end = min(max(end, opened + timedelta(minutes=5)), now)
    start = max(opened - CHART_BEFORE, end - CHART_SPAN)
    return start, end


def _chart(user: User, incident: Incident, account: Account, now: datetime) -> dict[str, Any]:
    from chalicelib.wiring import get_mentions

    start, end = chart_window(incident.opened_at, incident.resolved_at, now)
    series = get_mentions().queries.series(user, incident.account_id, start, end)
    return chart_view(series, incident.opened_at, account.timezone, account.handle)


def chart_view(series: dict[str, Any], opened: datetime, zone: str, handle: str) -> dict[str, Any]:
    """The series (``MentionQueries.series``) as the chart's data, its one-line summary
    and its table."""
    bs = int(series["bucket_s"])
    points = [_point(b) for b in series["buckets"]]
    shares = []
    for i in range(len(points)):
        window = points[max(0, i - SHARE_WINDOW + 1) : i + 1]
        total = sum(p["total"] for p in window)
        negative = sum(p["negative"] for p in window)
        shares.append(round(100 * negative / total, 1) if total else None)
    data = {
        "x": [p["at"] for p in points],
        "total": [p["total"] for p in points],
        "expected": [p["expected"] for p in points],
        "low": [p["low"] for p in points],
        "high": [p["high"] for p in points],
        "share": shares,
        "opened": int(opened.timestamp()),
        "zone": zone,
    }
    return {
        "data": data,
        "summary": chart_summary(points, bs, opened, zone, handle),
        "table": chart_table(points, bs, zone),
        "caption": _caption(points, bs, zone, handle),
        "per": _span(bs),
    }


def _point(bucket: dict[str, Any]) -> dict[str, Any]:
    at = datetime.fromisoformat(str(bucket["at"]).replace("Z", "+00:00"))
    band = bucket.get("band")
    return {
        "at": int(at.timestamp()),
        "total": int(bucket.get("total") or 0),
        "negative": int(bucket.get("negative") or 0),
        "expected": bucket.get("expected"),
        "low": band[0] if band else None,
        "high": band[1] if band else None,
    }


def chart_summary(
    points: list[dict[str, Any]], bucket_s: int, opened: datetime, zone: str, handle: str
) -> str:
    """One line: the peak against the usual and the negative share, e.g. "Mentions
    peaked at 412 in 5 minutes at 03:45 CET, 9× the usual; 71% negative since the
    incident opened vs 12% in the hour before"."""
    if not points or not any(p["total"] for p in points):
        span = ""
        if points:
            first, last = points[0]["at"], points[-1]["at"] + bucket_s
            span = f" from {_clock(first, zone, opened)} to {_clock(last, zone, opened)}"
        return f"No mentions of {handle} were counted{span}."
    # A pile-on often starts before the incident opens (the watcher or a person comes
    # later): the crisis is counted from a little before the opening.
    start = (opened - SURGE_LEAD).timestamp()
    after = [p for p in points if p["at"] + bucket_s > start]
    before = [p for p in points if p["at"] + bucket_s <= start]
    peak = max(points, key=lambda p: p["total"])
    text = (
        f"Mentions peaked at {peak['total']} in {_span(bucket_s)} at "
        f"{_clock(peak['at'], zone, opened)}"
    )
    # The usual level is what was expected before the crisis: within it the detector's
    # level follows the surge up (it still learns while warming up).
    # With none learnt before it (a new account, or history read in after the fact) there
    # is no usual to compare with.
    learnt = sorted(p["expected"] for p in before if p["expected"] is not None)
    usual = learnt[len(learnt) // 2] if learnt else None
    text += (
        f", {_times(peak['total'] / usual)} the usual" if usual else " (no usual level learnt yet)"
    )
    total = sum(p["total"] for p in after)
    if total:
        since = _clock(int(start), zone, opened)
        text += f"; {_pct(sum(p['negative'] for p in after) / total)} negative since {since}"
        usual = sum(p["total"] for p in before)
        if usual:
            text += f" vs {_pct(sum(p['negative'] for p in before) / usual)} in the hour before"
    return text + "."


def chart_table(points: list[dict[str, Any]], bucket_s: int, zone: str) -> list[dict[str, Any]]:
    """The series for screen readers: about ``TABLE_ROWS`` rows of equal span."""
    step = max(1, math.ceil(len(points) / TABLE_ROWS))
    rows = []
    for i in range(0, len(points), step):
        group = points[i : i + step]
        total = sum(p["total"] for p in group)
        expected = [p["expected"] for p in group if p["expected"] is not None]
        banded = all(p["low"] is not None for p in group)
        rows.append(
            {
                "at": _hm(group[0]["at"], zone),
                "total": total,
                "expected": _num(sum(expected)) if expected else "—",
                "band": (
                    f"{_num(sum(p['low'] for p in group))}–{_num(sum(p['high'] for p in group))}"
                    if banded
                    else "—"
                ),
                "negative": _pct(sum(p["negative"] for p in group) / total) if total else "—",
            }
        )
    return rows


def _caption(points: list[dict[str, Any]], bucket_s: int, zone: str, handle: str) -> str:
    if not points:
        return f"Mentions of {handle}: none in this window"
    step = max(1, math.ceil(len(points) / TABLE_ROWS))
    from zoneinfo import ZoneInfo

    day = datetime.fromtimestamp(points[0]["at"], UTC).astimezone(ZoneInfo(zone))
    return (
        f"Mentions of {handle} per {_span(step * bucket_s)} from "
        f"{day.day} {day:%b} {_hm(points[0]['at'], zone)} to "
        f"{_hm(points[-1]['at'] + bucket_s, zone)}, against the usual number and its range"
    )


def _hm(epoch: int, zone: str) -> str:
    from zoneinfo import ZoneInfo

    local = datetime.fromtimestamp(epoch, UTC).astimezone(ZoneInfo(zone))
    return f"{local:%H:%M} {local.tzname()}"


def _clock(epoch: int, zone: str, opened: datetime) -> str:
    """A time of the chart: hours and minutes, with the day when not the opening's."""
    from zoneinfo import ZoneInfo

    local = datetime.fromtimestamp(epoch, UTC).astimezone(ZoneInfo(zone))
    if local.date() == opened.astimezone(ZoneInfo(zone)).date():
        return _hm(epoch, zone)
    return f"{local:%a} {local.day} {local:%b}, {_hm(epoch, zone)}"


def _span(seconds: int) -> str:
    minutes = seconds // 60
    if minutes < 60:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    hours = minutes / 60
    return "1 hour" if hours == 1 else f"{_num(hours)} hours"


def _times(ratio: float) -> str:
    return f"{ratio:.0f}×" if ratio >= 10 else f"{_num(ratio)}×"


def _pct(share: float) -> str:
    return f"{share:.0%}"


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
