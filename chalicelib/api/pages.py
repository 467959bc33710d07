"""The small HTML pages a person sees after clicking a mailed link (X4)."""

from __future__ import annotations

from html import escape

from chalicelib.services import LinkView

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
    when = post.scheduled_at.isoformat() if post.scheduled_at else "not scheduled"
    warnings = post.check.get("warnings") or []
    warn = "".join(f'<li class="warn">{escape(str(w))}</li>' for w in warnings)  # type: ignore[attr-defined]
    approvals = ", ".join(a.user_id for a in post.current_approvals()) or "none yet"
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


def result_page(title: str, message: str) -> str:
    return page(title, f"<p>{escape(message)}</p>")
