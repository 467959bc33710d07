"""The small HTML pages a person sees after clicking a mailed link (X4)."""

from __future__ import annotations

from html import escape
from typing import Any

from chalicelib.links.service import LinkView

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:36em;margin:2em auto;padding:0 1em}"
    "blockquote{border-left:4px solid #ccc;margin:1em 0;padding:.5em 1em;background:#f7f7f7}"
    "button{font-size:1.1em;padding:.5em 1.2em;margin:.3em .5em .3em 0}"
    "textarea{width:100%;min-height:4em}.warn{color:#a40}"
)


def page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def confirm_page(view: LinkView) -> str:
    post = view.post
    from chalicelib.core.times import human_time

    when = human_time(post.scheduled_at, view.account.timezone)
    warnings = post.check.get("warnings") or []
    warn = "".join(f'<li class="warn">{escape(str(w))}</li>' for w in warnings)  # type: ignore[attr-defined]
    approvals = ", ".join(view.approved_by) or "none yet"
    return page(
        f"Review post for {view.account.name}",
        f"<p>Hello {escape(view.approver.name)}. Nothing has been decided yet: "
        "choose below.</p>"
        f"<blockquote>{escape(post.text)}</blockquote>"
        f"<p>Account: {escape(view.account.handle)}<br>Scheduled: {escape(when)}<br>"
        f"Version: {post.version}<br>Approvals so far: {escape(approvals)}</p>"
        + (f"<p>Risk scan:</p><ul>{warn}</ul>" if warn else "")
        + '<form method="post">'
        f'<input type="hidden" name="post_id" value="{escape(post.id)}">'
        '<button name="action" value="approve" type="submit">Approve</button>'
        '<p><label>Reason, if you reject:<br><textarea name="reason"></textarea></label></p>'
        '<button name="action" value="reject" type="submit">Reject</button>'
        "</form>",
    )


_ERROR_TITLES = {
    401: "Sign-in needed",
    403: "Not allowed",
    404: "Not found",
    409: "Not possible now",
    410: "This link cannot be used",
}


def error_page(status: int, code: str, message: str) -> str:
    """A refused request to a page, for a person: what went wrong, and for a missing
    key how to get in."""
    title = _ERROR_TITLES.get(status, "Something went wrong" if status >= 500 else "Not done")
    hint = (
        "<p>This page needs your Firebreak API key in the <code>X-Api-Key</code> header.</p>"
        if status == 401
        else ""
    )
    return page(title, f"<p>{escape(message)}.</p>{hint}<p><small>{escape(code)}</small></p>")


def result_page(
    title: str, message: str, next_step: str = "", links: tuple[tuple[str, str], ...] = ()
) -> str:
    """What a mailed link did, what happens next, and where to go from here."""
    after = f"<p><b>What happens next:</b> {escape(next_step)}</p>" if next_step else ""
    where = "".join(f'<li><a href="{escape(url)}">{escape(label)}</a></li>' for label, url in links)
    return page(title, f"<p>{escape(message)}</p>{after}" + (f"<ul>{where}</ul>" if where else ""))


def incident_confirm_page(view: Any) -> str:
    """Delete-or-keep decision, or apology approval, from a mailed link."""
    incident = view.incident
    if view.link.subject_type == "incident":
        rec = incident.recommendation
        reasons = "".join(f"<li>{escape(str(r))}</li>" for r in rec.get("reasons", []))
        body = (
            f"<p>Hello {escape(view.person.name)}. Nothing has been decided yet.</p>"
            + (f"<p>{escape(view.report)}</p>" if view.report else "")
            + f"<p>Post on {escape(view.account.handle)}:</p>"
            f"<blockquote>{escape(incident.post.text)}</blockquote>"
            f"<p>Firebreak recommends <b>{escape(str(rec.get('recommendation')))}</b>:</p>"
            f"<ul>{reasons}</ul>"
            '<form method="post">'
            f'<input type="hidden" name="subject_id" value="{escape(incident.id)}">'
            f"{_hack_question(incident.hack_suspected)}"
            '<button name="action" value="delete" type="submit">Delete the post</button>'
            '<button name="action" value="keep" type="submit">Keep it and own it</button>'
            "</form>"
        )
        return page(f"Incident {incident.id}: delete or keep?", body)
    apology = incident.apology
    body = (
        f"<p>Hello {escape(view.person.name)}. Nothing has been decided yet.</p>"
        f"<p>Apology for {escape(view.account.handle)} (version {apology.version}):</p>"
        f"<blockquote>{escape(apology.text)}</blockquote>"
        '<form method="post">'
        f'<input type="hidden" name="subject_id" value="{escape(incident.id)}">'
        '<button name="action" value="approve" type="submit">Approve and publish</button>'
        "<p><label>What should change, if you send it back:<br>"
        '<textarea name="reason"></textarea></label></p>'
        '<button name="action" value="reject" type="submit">Send back for editing</button>'
        "</form>"
    )
    return page("Approve the apology?", body)


def reply_confirm_page(view: Any) -> str:
    """A held reply to a mention, approved or rejected from a mailed link."""
    mention, reply = view.mention, view.item.reply
    why = "".join(f"<li>{escape(str(r))}</li>" for r in reply.held_because)
    body = (
        f"<p>Hello {escape(view.approver.name)}. Nothing has been decided yet.</p>"
        f"<p>@{escape(mention.author_username or mention.author_id)} wrote to "
        f"{escape(view.account.handle)}:</p>"
        f"<blockquote>{escape(mention.text)}</blockquote>"
        f"<p>The reply (version {reply.version}) is held because:</p><ul>{why}</ul>"
        f"<blockquote>{escape(reply.text)}</blockquote>"
        '<form method="post">'
        f'<input type="hidden" name="subject_id" value="{escape(mention.id)}">'
        '<button name="action" value="approve" type="submit">Approve and post the reply</button>'
        "<p><label>Why not, if you reject it:<br>"
        '<textarea name="reason"></textarea></label></p>'
        '<button name="action" value="reject" type="submit">Reject</button>'
        "</form>"
    )
    return page("Approve the reply?", body)


def _hack_question(suspected: bool) -> str:
    """ "Was this a hack?": a public claim, so a person answers; unsure is the default."""
    lead = (
        '<p class="warn">Firebreak suspects a hack. Only a hack you confirm is called one '
        "in public and gets the hack apology.</p>"
        if suspected
        else ""
    )
    options = (
        ("yes", "Yes, someone else posted it"),
        ("no", "No, it was one of us"),
        ("unsure", "Not sure yet"),
    )
    radios = "".join(
        f'<label><input type="radio" name="hack" value="{value}"'
        + (" checked" if value == "unsure" else "")
        + f"> {escape(label)}</label><br>"
        for value, label in options
    )
    return f"<fieldset><legend>Was this a hack?</legend>{lead}{radios}</fieldset>"


def postmortem_page(report: dict[str, Any]) -> str:
    seconds = report["seconds"]
    rows = "".join(
        f"<tr><td>{escape(k.replace('_', ' '))}</td><td>{_secs(v)}</td></tr>"
        for k, v in seconds.items()
    )
    timeline = "".join(
        f"<tr><td>{escape(e['at'])}</td><td>{escape(e['actor'])}</td><td>{escape(e['channel'])}</td>"
        f"<td>{escape(e['message'])}</td></tr>"
        for e in report["timeline"]
    )
    return page(
        f"Postmortem: incident {report['incident_id']}",
        f"<p>Status <b>{escape(report['status'])}</b>, severity {escape(report['severity'])}, "
        f"trigger {escape(report['trigger'])}; decision {escape(str(report['decision']))}; "
        f"post deleted: {report['post_deleted']}; hack "
        f"{escape(report['hack']['answer'])}"
        + (
            f" by {escape(str(report['hack']['answered_by']))}"
            if report["hack"]["answered_by"]
            else ""
        )
        + (" (suspected)" if report["hack"]["suspected"] else "")
        + ".</p>"
        f"<blockquote>{escape(report['post']['text'])}</blockquote>"
        f"<h2>Times</h2><table>{rows}</table>"
        + _damage_section(report.get("mentions"))
        + f"<h2>Timeline</h2><table>{timeline}</table>",
    )


def _damage_section(damage: dict[str, Any] | None) -> str:
    """The mention curve against its baseline band, as a summary and a table (M6)."""
    if not damage:
        return ""
    peak = damage.get("peak") or {}
    back = damage.get("back_to_baseline_s") or {}
    share = damage.get("negative_share")
    summary = (
        f"<p>{damage['mentions']} mentions since the incident opened; peak "
        f"{peak.get('total', '—')} at {escape(str(peak.get('at', '—')))} against "
        f"{peak.get('expected', '—')} expected; negative share "
        f"{'—' if share is None else f'{share:.0%}'} (usually "
        f"{_share(damage.get('usual_negative_share'))}); first reply after "
        f"{_secs(damage.get('first_reply_s'))}; volume back at baseline after "
        f"{_secs(back.get('volume'))}, sentiment after {_secs(back.get('sentiment'))}.</p>"
    )
    authors = "".join(
        f"<tr><td>{escape(str(a['author']))}</td><td>{a['followers']}</td>"
        f"<td>{a['mentions']}</td></tr>"
        for a in damage.get("top_authors", [])
    )
    curve = "".join(
        f"<tr><td>{escape(c['at'])}</td><td>{c['total']}</td>"
        f"<td>{'—' if c['expected'] is None else round(c['expected'], 1)}</td>"
        f"<td>{_band(c['band'])}</td>"
        f"<td>{_share(c['negative_share'])}</td></tr>"
        for c in damage.get("curve", [])
        if c["total"] or c["expected"]
    )
    return (
        "<h2>Mentions</h2>"
        + summary
        + "<h3>Loudest authors</h3><table><tr><th>author</th><th>followers</th>"
        + f"<th>mentions</th></tr>{authors}</table>"
        + "<h3>Mentions per bucket against the baseline</h3><table><tr><th>bucket</th>"
        + "<th>mentions</th><th>expected</th><th>band</th><th>negative share</th></tr>"
        + curve
        + "</table>"
    )


def _band(band: list[float] | None) -> str:
    return "—" if not band else f"{band[0]:.1f}–{band[1]:.1f}"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _secs(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} s"
