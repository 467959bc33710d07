"""The postmortem of an incident as a document leadership reads (X4): summary, cause,
who decided what and when, the apology, the mention damage, the status updates and
the timeline; printable (``app.css``'s print rules) and exported as Markdown.

The facts are the API's postmortem (``GET /incidents/{id}/postmortem``): the
playbook's report with the damage report of the mentions."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from chalicelib.networks.rules import network_name
from chalicelib.web.pages import Page
from chalicelib.web.site import site

if TYPE_CHECKING:
    from chalicelib.accounts.domain import Account
    from chalicelib.incidents.domain import Incident
    from chalicelib.web.views import Directory

ACTORS = {
    "playbook": "Firebreak (playbook)",
    "watcher": "Firebreak (watcher)",
    "scheduler": "Firebreak (scheduler)",
    "system": "Firebreak",
    "firebreak": "Firebreak",
}
CHANNELS = {"web": "in the web app", "api": "over the API", "email": "by mailed link"}
STATUS_WORDS = {
    "open": "open",
    "assessing": "being assessed",
    "awaiting_decision": "waiting for a decision",
    "escalated": "escalated: waiting for a decision",
    "containing": "being contained",
    "apologising": "apology in progress",
    "monitoring": "monitoring",
    "resolved": "resolved",
    "closed": "closed",
    "failed": "playbook failed: needs a person",
}
TIMES = (
    ("to_detect", "Caught (counted from posting)"),
    ("to_freeze", "Publishing frozen"),
    ("to_decide", "Delete or keep decided"),
    ("to_delete", "Post deleted and verified gone"),
    ("to_apologise", "Apology published"),
    ("to_resolve", "Resolved"),
)
TRIGGERS = {
    "manual": "{who} reported a post",
    "not_published_by_firebreak": "Firebreak's watcher caught a post that did not go through "
    "Firebreak",
    "risk_scan": "Firebreak's risk scan flagged a post",
    "mention_spike": "a surge of mentions flagged a post",
}


@site.page("/app/incidents/{incident_id}/postmortem")
def postmortem(page: Page, incident_id: str) -> Any:
    doc = _document(page, incident_id)
    return page.render("postmortem.html", title=doc["title"], doc=doc)


@site.page("/app/incidents/{incident_id}/postmortem/notes", ("POST",))
def postmortem_notes(page: Page, incident_id: str) -> Any:
    """The team's summary, cause, lessons and follow-ups: the same use case as
    ``PUT /incidents/{id}/postmortem/notes``; refused input keeps what was typed."""
    from chalicelib.core.audit import Actor, Channel
    from chalicelib.core.errors import DomainError
    from chalicelib.wiring import get_playbook

    body = notes_from_form(page.form)
    raw = page.form.get("revision", "")
    try:
        get_playbook().lifecycle.edit_postmortem_notes(
            Actor.of(page.user, Channel.WEB),
            incident_id,
            body,
            int(raw) if raw.isdigit() and len(raw) < 10 else None,
        )
    except DomainError as exc:
        doc = _document(page, incident_id)
        doc["notes"]["form"] = body
        return page.render(
            "postmortem.html", status=_status(exc), title=doc["title"], doc=doc, error=exc.message
        )
    return page.redirect(f"/app/incidents/{incident_id}/postmortem#pm-notes")


def _status(exc: Any) -> int:
    from chalicelib.api.errors import status_for

    return status_for(exc)


FOLLOW_UP_ROWS = 3  # empty rows the form offers for new follow-ups


def notes_from_form(form: dict[str, str]) -> dict[str, Any]:
    """The notes form as the API's body: lessons one per line; follow-up rows
    ``fu-<n>-what``, ``-owner``, ``-due``, ``-done``; empty rows dropped."""
    rows = sorted(
        {int(k.split("-")[1]) for k in form if re.fullmatch(r"fu-\d{1,2}-(what|owner|due|done)", k)}
    )
    follow_ups = []
    for n in rows:
        what = form.get(f"fu-{n}-what", "").strip()
        owner = form.get(f"fu-{n}-owner", "")
        if not what and not owner:
            continue
        follow_ups.append(
            {
                "what": what,
                "owner": owner,
                "due": form.get(f"fu-{n}-due") or None,
                "done": form.get(f"fu-{n}-done") == "1",
            }
        )
    return {
        "summary": form.get("summary", ""),
        "cause": form.get("cause", ""),
        "lessons": [line.strip() for line in form.get("lessons", "").splitlines() if line.strip()],
        "follow_ups": follow_ups,
    }


@site.page("/app/incidents/{incident_id}/postmortem.md")
def postmortem_markdown(page: Page, incident_id: str) -> Any:
    doc = _document(page, incident_id)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", doc["filename"])
    return page.respond(
        markdown(doc),
        200,
        {
            "Content-Type": "text/markdown; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{name}"',
        },
    )


def _document(page: Page, incident_id: str) -> dict[str, Any]:
    """The API's postmortem (``_postmortem`` in ``incidents/routes.py``), as a document."""
    from chalicelib.web.views import directory
    from chalicelib.wiring import get_mentions, get_playbook

    user = page.user
    playbook = get_playbook()
    report = playbook.lifecycle.postmortem(user, incident_id)
    incident = playbook.lifecycle.for_user(user, incident_id)
    closed = incident.resolved_at if not incident.is_open else None
    report["mentions"] = get_mentions().queries.damage(
        user, incident.account_id, incident.opened_at, closed
    )
    found = directory(user)
    doc = document(report, incident, found.accounts[incident.account_id], found)
    doc["notes"]["can_edit"] = user.id == incident.roles.commander or user.role.value in (
        "brand_owner",
        "admin",
    )
    doc["notes"]["people"] = sorted(found.names.items(), key=lambda p: p[1])
    return doc


def document(
    report: dict[str, Any], incident: Incident, account: Account, found: Directory
) -> dict[str, Any]:
    """What the page and the Markdown say, in words and local times."""
    from chalicelib.web.render import local_time

    zone = account.timezone

    def at(value: Any) -> str:
        return local_time(value, zone)

    timeline = report["timeline"]
    first = {e["kind"]: e for e in reversed(timeline)}
    seconds = report["seconds"]
    apology = incident.apology
    damage = report.get("mentions") or {}
    doc: dict[str, Any] = {
        "id": incident.id,
        "title": f"Postmortem: incident on {account.name}",
        "account": f"{account.name} ({account.handle})",
        "zone": zone,
        "opened": at(incident.opened_at),
        "status": STATUS_WORDS.get(report["status"], report["status"]),
        "severity": report["severity"],
        "post": report["post"]["text"],
        "post_url": report["post"]["url"],
        "post_deleted": report["post_deleted"],
        "summary": _summary(report, incident, account, found, at),
        "cause": _cause(report, incident, found),
        "times": [(label, _after(seconds.get(key))) for key, label in TIMES],
        "decisions": [
            {
                "at": at(d["at"]),
                "who": who(d["who"], found),
                "channel": CHANNELS.get(d["channel"], ""),
                "what": named(d["what"], found),
            }
            for d in report["decisions"]
        ],
        "apology": None,
        "damage": _damage(damage, zone, found) if damage else None,
        "updates": [
            {"at": at(e["at"]), "who": who(e["actor"], found), "message": e["message"]}
            for e in timeline
            if e["kind"] == "status_update"
        ],
        "timeline": [
            {
                "at": at(e["at"]),
                "who": who(e["actor"], found),
                "channel": CHANNELS.get(e["channel"], ""),
                "message": named(e["message"], found),
            }
            for e in timeline
        ],
        "notes": _notes(report.get("notes") or {}, found, at),
        "filename": (
            f"postmortem-{account.handle.lstrip('@')}-"
            f"{incident.opened_at:%Y-%m-%d}-{incident.id}.md"
        ),
    }
    if apology is not None:
        published = first.get("apology_published")
        doc["apology"] = {
            "text": apology.text,
            "version": apology.version,
            "author": "Firebreak's template"
            if apology.author == "system"
            else who(apology.author, found),
            "voice": found.name(apology.voice),
            "approved_by": found.name(apology.approved_by) if apology.approved_by else None,
            "published": at(published["at"]) if published else None,
            "mode": "a reply to the post"
            if apology.mode == "reply" and not incident.post_deleted
            else "a post of its own",
            "rejected": (
                f"sent back by {found.name(apology.rejected_by)}: {apology.rejection_reason}"
                if apology.rejected_by
                else None
            ),
        }
    return doc


def _notes(notes: dict[str, Any], found: Directory, at: Any) -> dict[str, Any]:
    """What the team wrote, with owners by name; ``form`` is what the form shows."""
    follow_ups = [
        {**f, "owner_name": found.name(f["owner"]), "due_text": f["due"] or "no date"}
        for f in notes.get("follow_ups", [])
    ]
    return {
        "summary": notes.get("summary", ""),
        "cause": notes.get("cause", ""),
        "lessons": notes.get("lessons", []),
        "follow_ups": follow_ups,
        "revision": notes.get("revision", 0),
        "edited": (
            f"{found.name(notes['edited_by'])}, {at(notes['edited_at'])}"
            if notes.get("edited_by")
            else None
        ),
        "form": {
            "summary": notes.get("summary", ""),
            "cause": notes.get("cause", ""),
            "lessons": notes.get("lessons", []),
            "follow_ups": notes.get("follow_ups", []),
        },
        "can_edit": False,
        "people": [],
    }


def _summary(
    report: dict[str, Any], incident: Incident, account: Account, found: Directory, at: Any
) -> list[str]:
    seconds = report["seconds"]
    rec = report["recommendation"] or {}
    trigger = TRIGGERS.get(report["trigger"], "a post was flagged").format(
        who=who(incident.opened_by, found)
    )
    said = [f"On {at(incident.opened_at)}, {trigger} on {account.handle}."]
    if seconds.get("to_detect") is not None:
        said.append(f"It was caught {_span(seconds['to_detect'])} after it was posted.")
    if seconds.get("to_freeze") is not None:
        said.append(
            f"Scheduled publishing was frozen {_span(seconds['to_freeze'])} after detection."
        )
    if rec.get("recommendation"):
        said.append(
            "Firebreak recommended "
            + ("deleting" if rec["recommendation"] == "delete" else "keeping")
            + " the post"
            + (", suspecting a hack." if rec.get("hack_suspected") else ".")
        )
    if incident.decision:
        when = seconds.get("to_decide")
        said.append(
            f"{found.name(incident.decided_by)} decided to {incident.decision.value} it"
            + (f", {_span(when)} after detection." if when is not None else ".")
        )
        if incident.post_deleted:
            said.append(
                f"The post was deleted and verified gone from {network_name(account.network)}."
            )
        elif incident.decision.value == "keep":
            said.append("The post was kept and owned.")
    else:
        said.append("No delete-or-keep decision has been taken yet.")
    apology = incident.apology
    if apology and apology.network_post_id:
        said.append(
            f"The apology, approved by {found.name(apology.approved_by)}, went out "
            f"{_span(seconds.get('to_apologise'))} after detection."
        )
    elif apology and apology.approved_by:
        said.append(f"The apology is approved by {found.name(apology.approved_by)}.")
    elif apology:
        said.append("The apology waits for approval.")
    if incident.resolved_at:
        said.append(
            f"The incident was resolved {_span(seconds.get('to_resolve'))} after detection."
        )
    else:
        said.append(f"The incident is {STATUS_WORDS.get(report['status'], report['status'])}.")
    return said


def _cause(report: dict[str, Any], incident: Incident, found: Directory) -> list[str]:
    """What made the incident, as far as the record says: where the post came from, the
    answer to "was this a hack?" and Firebreak's reasons."""
    from chalicelib.incidents.domain import report_line

    said = []
    reported = report_line(incident, who(incident.opened_by, found))
    if reported:
        said.append(reported)
    source = incident.post.source_app
    if report["trigger"] == "not_published_by_firebreak":
        said.append(
            f"The post was published outside Firebreak{f' (from {source})' if source else ''}, "
            "without its approval."
        )
    elif source:
        said.append(f"The post was published from {source}.")
    hack = report["hack"]
    answered = found.name(hack["answered_by"]) if hack["answered_by"] else ""
    if hack["answer"] == "confirmed":
        said.append(f"{answered} confirmed that someone else got into the account.")
    elif hack["answer"] == "rejected":
        said.append(f"{answered} said it was not a hack: someone on the team posted it.")
    elif hack["suspected"]:
        said.append("Firebreak suspected a hack; nobody confirmed or rejected it.")
    return said


def _damage(damage: dict[str, Any], zone: str, found: Directory) -> dict[str, Any]:
    """The damage report of the mentions (``MentionQueries.damage``) in words."""
    from chalicelib.web.render import local_time

    peak = damage.get("peak") or {}
    back = damage.get("back_to_baseline_s") or {}
    parts = [f"{damage.get('mentions', 0)} mentions since the incident opened"]
    if peak:
        usual = f" against {peak['expected']:.1f} usually" if peak.get("expected") else ""
        ratio = f" ({peak['ratio']}×)" if peak.get("ratio") else ""
        parts.append(
            f"the peak was {peak['total']} at {local_time(peak['at'], zone)}{usual}{ratio}"
        )
    if damage.get("negative_share") is not None:
        usual_share = damage.get("usual_negative_share")
        parts.append(
            f"{_share(damage['negative_share'])} were negative"
            + (f" (usually {_share(usual_share)})" if usual_share is not None else "")
        )
    if damage.get("first_reply_s") is not None:
        parts.append(f"the first reply went out {_span(damage['first_reply_s'])} after opening")
    if back.get("volume") is not None:
        parts.append(f"volume was back to usual after {_span(back['volume'])}")
    if back.get("sentiment") is not None:
        parts.append(f"sentiment after {_span(back['sentiment'])}")
    return {
        "summary": "; ".join(parts) + ".",
        "authors": damage.get("top_authors") or [],
        "curve": [
            {
                "at": local_time(c["at"], zone),
                "total": c["total"],
                "expected": "—" if c["expected"] is None else f"{c['expected']:.1f}",
                "band": "—" if not c["band"] else f"{c['band'][0]:.1f}–{c['band'][1]:.1f}",
                "negative": _share(c["negative_share"]),
            }
            for c in damage.get("curve", [])
            if c["total"] or c["expected"]
        ],
    }


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _span(value: float | None) -> str:
    """Seconds as a person reads them: ``12 s``, ``3 min 5 s``, ``2 h 5 min``."""
    if value is None:
        return "—"
    total = round(value)
    if total < 60:
        return f"{total} s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{hours // 24} days {hours % 24} h"


def _after(value: float | None) -> str:
    return "—" if value is None else f"after {_span(value)}"


def named(text: str, found: Directory) -> str:
    """User ids in a timeline message ("decision asked of u_olivia, u_adam") as names."""
    ids = sorted((i for i in found.names if i), key=len, reverse=True)
    if not ids or not text:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(i) for i in ids) + r")\b")
    return pattern.sub(lambda m: found.names[m.group(1)], text)


def who(actor: str, found: Directory) -> str:
    return ACTORS.get(actor) or found.name(actor)


# -- the Markdown export ----------------------------------------------------------------


def markdown(doc: dict[str, Any]) -> str:
    """The postmortem as Markdown, for a wiki or a mail: the same facts as the page."""
    out = [
        f"# {_md(doc['title'])}",
        "",
        f"- Account: {_md(doc['account'])}",
        f"- Opened: {doc['opened']}",
        f"- Status: {doc['status']}; severity {doc['severity']}",
        f"- Incident: `{doc['id']}`",
        "",
        "## Summary",
        "",
        *([_md(doc["notes"]["summary"]), ""] if doc["notes"]["summary"] else []),
        " ".join(_md(s) for s in doc["summary"]),
        "",
        "## The post",
        "",
        _quote(doc["post"]),
        "",
        f"<{doc['post_url']}>" + (" (deleted)" if doc["post_deleted"] else ""),
        "",
    ]
    if doc["notes"]["cause"] or doc["cause"]:
        out += ["## Cause", ""]
        out += [_md(doc["notes"]["cause"]), ""] if doc["notes"]["cause"] else []
        out += [*[f"- {_md(c)}" for c in doc["cause"]], ""]
    out += ["## Times", "", "| Step | When |", "| --- | --- |"]
    out += [f"| {_cell(label)} | {_cell(value)} |" for label, value in doc["times"]]
    out += ["", "## Decisions", ""]
    if doc["decisions"]:
        out += ["| When | Who | What |", "| --- | --- | --- |"]
        out += [
            f"| {_cell(d['at'])} | {_cell(d['who'])} | "
            f"{_cell(d['what'] + (' (' + d['channel'] + ')' if d['channel'] else ''))} |"
            for d in doc["decisions"]
        ]
    else:
        out.append("None yet.")
    out += ["", "## The apology", ""]
    apology = doc["apology"]
    if apology:
        state = (
            f"published {apology['published']}"
            if apology["published"]
            else (
                f"approved by {apology['approved_by']}"
                if apology["approved_by"]
                else (apology["rejected"] or "waiting for approval")
            )
        )
        out += [
            _quote(apology["text"]),
            "",
            f"Version {apology['version']} by {_md(apology['author'])}, in the voice of "
            f"{_md(apology['voice'])}, as {apology['mode']}; {_md(state)}.",
        ]
    else:
        out.append("No apology drafted.")
    damage = doc["damage"]
    if damage:
        out += ["", "## Mentions", "", _md(damage["summary"])]
        if damage["authors"]:
            out += ["", "| Loudest authors | Followers | Mentions |", "| --- | --- | --- |"]
            out += [
                f"| {_cell(str(a['author']))} | {a['followers']} | {a['mentions']} |"
                for a in damage["authors"]
            ]
        if damage["curve"]:
            out += ["", "| From | Mentions | Usual | Usual range | Negative |"]
            out += ["| --- | --- | --- | --- | --- |"]
            out += [
                f"| {c['at']} | {c['total']} | {c['expected']} | {c['band']} | {c['negative']} |"
                for c in damage["curve"]
            ]
    if doc["updates"]:
        out += ["", "## Status updates", ""]
        out += [f"- {u['at']}, {_md(u['who'])}: {_md(u['message'])}" for u in doc["updates"]]
    notes = doc["notes"]
    if notes["lessons"]:
        out += ["", "## Lessons", ""] + [f"- {_md(lesson)}" for lesson in notes["lessons"]]
    if notes["follow_ups"]:
        out += ["", "## Follow-up actions", "", "| What | Owner | Due | Done |"]
        out += ["| --- | --- | --- | --- |"]
        out += [
            f"| {_cell(f['what'])} | {_cell(f['owner_name'])} | {f['due_text']} | "
            f"{'yes' if f['done'] else 'no'} |"
            for f in notes["follow_ups"]
        ]
    out += ["", "## Timeline", "", "| When | Who | What |", "| --- | --- | --- |"]
    out += [
        f"| {_cell(e['at'])} | {_cell(e['who'])} | {_cell(e['message'])} |" for e in doc["timeline"]
    ]
    return "\n".join(out) + "\n"


_MD_INLINE = re.compile(r"([\\`*\[\]<>|])")
_MD_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_LINE_START = re.compile(r"^(\s*)([#+-]|\d+(?=\.))", re.MULTILINE)


def _md(text: str) -> str:
    """Text as it reads, not as Markdown: what Markdown would take as markup escaped
    (an underscore inside a word, as in ``acme_room``, is not markup)."""
    text = _MD_UNDERSCORE.sub(r"\\_", _MD_INLINE.sub(r"\\\1", text))
    return _MD_LINE_START.sub(lambda m: m.group(1) + _line_start(m.group(2)), text)


def _line_start(marker: str) -> str:
    return marker + "\\" if marker.isdigit() else "\\" + marker


def _cell(text: str) -> str:
    return _md(" ".join(text.split()))


def _quote(text: str) -> str:
    return "\n".join("> " + _md(line) if line else ">" for line in text.splitlines() or [""])
