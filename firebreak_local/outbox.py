"""The local outbox: a page listing every mail the embedded SES accepted, with its
links clickable, so a person can walk through approvals on a laptop."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from firebreak_local.aws import EmbeddedAws

_LINK = re.compile(r"""href=["']([^"']+)["']""")


def links_in(body: str) -> list[str]:
    return _LINK.findall(body)


def render(messages: list[dict[str, Any]]) -> str:
    rows = []
    for msg in reversed(messages):
        to = ", ".join(msg.get("destinations", {}).get("ToAddresses", []))
        links = "".join(
            f'<li><a href="{escape(u)}" target="_blank" rel="noreferrer">{escape(u)}</a></li>'
            for u in links_in(msg.get("body", ""))
        )
        rows.append(
            f"<article><h3>{escape(msg.get('subject', ''))}</h3>"
            f"<p><b>To:</b> {escape(to)} &nbsp; <b>From:</b> {escape(msg.get('source', ''))}</p>"
            f'<details id="m-{escape(str(msg.get("id", "")))}"><summary>Body</summary>'
            f"<div>{msg.get('body', '')}</div></details>"
            f"<ul>{links}</ul></article><hr>"
        )
    empty = "<p>No mail yet.</p>" if not messages else ""
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>Firebreak outbox</title>'
        "<style>body{font-family:system-ui,sans-serif;max-width:50em;margin:2em auto}</style>"
        f"</head><body><h1>Outbox ({len(messages)})</h1>"
        "<p>Every mail the embedded SES accepted, newest first. Nothing leaves this machine.</p>"
        f"{empty}{''.join(rows)}<script>{_KEEP_OPEN}</script></body></html>"
    )


# No meta refresh (it collapsed the mail being read): the page asks for the count every
# few seconds and reloads only when a mail arrived, and reopens what was open.
_KEEP_OPEN = """
const key = "firebreak-outbox-open";
const open = new Set(JSON.parse(sessionStorage.getItem(key) || "[]"));
for (const d of document.querySelectorAll("details[id]")) {
  if (open.has(d.id)) d.open = true;
  d.addEventListener("toggle", () => {
    d.open ? open.add(d.id) : open.delete(d.id);
    sessionStorage.setItem(key, JSON.stringify([...open]));
  });
}
const shown = document.querySelectorAll("article").length;
setInterval(async () => {
  try {
    const r = await fetch("messages.json?count=1");
    if ((await r.json()).count !== shown) location.reload();
  } catch (e) {}
}, 3000);
"""


def make_outbox_server(aws: EmbeddedAws, host: str, port: int) -> Any:
    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        messages = aws.sent_mail()
        if request.path == "/messages.json":
            import json

            body: Any = {"count": len(messages)} if request.args.get("count") else messages
            response = Response(json.dumps(body), content_type="application/json")
        else:
            response = Response(render(messages), content_type="text/html; charset=utf-8")
        return response(environ, start_response)

    return make_server(host, port, wsgi, threaded=True)
