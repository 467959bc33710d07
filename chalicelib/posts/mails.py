"""The mails Firebreak sends, rendered as text and HTML. Pure: no sending here."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from chalicelib.posts.domain import Post


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html><body style="font-family:sans-serif;max-width:40em">'
        f"<h2>{escape(title)}</h2>{body}"
        '<p style="color:#666;font-size:small">Sent by Firebreak. The link opens a '
        "confirmation page; nothing is decided until you press a button there.</p>"
        "</body></html>"
    )


def approval_request(
    post: Post,
    account_name: str,
    approver_name: str,
    link_url: str,
    warnings: list[str],
    zone: str = "UTC",
) -> Mail:
    from chalicelib.core.times import human_time

    when = human_time(post.scheduled_at, zone)
    warn_text = "".join(f"\n  ! {w}" for w in warnings)
    warn_html = (
        "<p><b>Risk scan:</b></p><ul>"
        + "".join(f"<li>{escape(w)}</li>" for w in warnings)
        + "</ul>"
        if warnings
        else ""
    )
    subject = f"Approval needed: post for {account_name} at {when}"
    text = (
        f"Hello {approver_name},\n\nA post for {account_name} needs your review.\n\n"
        f"{post.text}\n\nScheduled: {when}\nVersion: {post.version}{warn_text}\n\n"
        f"Review it here: {link_url}\n"
    )
    html = _page(
        subject,
        f"<p>Hello {escape(approver_name)},</p><p>A post for <b>{escape(account_name)}</b> "
        f"needs your review.</p><blockquote>{escape(post.text)}</blockquote>"
        f"<p>Scheduled: {escape(when)}<br>Version: {post.version}</p>{warn_html}"
        f'<p><a href="{escape(link_url)}">Review and decide</a></p>',
    )
    return Mail(subject, text, html)


def post_outcome(post: Post, account_name: str, what: str, detail: str) -> Mail:
    subject = f"Your post for {account_name} was {what}"
    text = f"{subject}.\n\n{post.text}\n\n{detail}\n"
    html = _page(subject, f"<blockquote>{escape(post.text)}</blockquote><p>{escape(detail)}</p>")
    return Mail(subject, text, html)


def freeze_started(scope_name: str, by: str, reason: str, when: str, base_url: str) -> Mail:
    subject = f"Publishing frozen: {scope_name}"
    lines = [
        f"{by} froze publishing on {scope_name} at {when}.",
        f"Reason: {reason}",
        "Nothing is published while it lasts; posts that come due are held and need "
        "approval again. Lifting it takes two admins.",
    ]
    url = f"{base_url}/app/freezes"
    text = "\n\n".join(lines) + f"\n\nFreezes: {url}\n"
    html = _page(
        subject,
        "".join(f"<p>{escape(line)}</p>" for line in lines)
        + f'<p><a href="{escape(url)}">See the freezes</a></p>',
    )
    return Mail(subject, text, html)


def lift_waiting(scope_name: str, by: str, base_url: str) -> Mail:
    subject = f"A second admin is needed to lift the freeze on {scope_name}"
    line = (
        f"{by} asked to lift the publishing freeze on {scope_name}. It is lifted only when "
        "a second, different admin confirms."
    )
    url = f"{base_url}/app/freezes"
    text = f"{line}\n\nConfirm or leave it: {url}\n"
    html = _page(
        subject, f"<p>{escape(line)}</p>" + f'<p><a href="{escape(url)}">Open the freezes</a></p>'
    )
    return Mail(subject, text, html)


def post_held(post: Post, account_name: str, author: str, why: str, when: str, url: str) -> Mail:
    subject = f"Post held on {account_name}: it needs approval again"
    lines = [
        f"A post by {author}, due {when}, was not published: {why}.",
        "Its approvals are cleared: it goes out only after it is approved again.",
    ]
    text = "\n\n".join([*lines, post.text]) + f"\n\nSend it back through approval: {url}\n"
    html = _page(
        subject,
        f"<p>{escape(lines[0])}</p><blockquote>{escape(post.text)}</blockquote>"
        f"<p>{escape(lines[1])}</p>"
        f'<p><a href="{escape(url)}">Send it back through approval</a></p>',
    )
    return Mail(subject, text, html)
