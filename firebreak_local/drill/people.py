"""The people in a drill: seeded users calling the API with their key, reading their
mail in the embedded SES, and using the mailed links as a browser would (GET the
confirmation page, POST its form)."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from typing import Any

import requests

from firebreak_local.drill.errors import DrillFailed
from firebreak_local.drill.waits import wait_for
from firebreak_local.stack import REGION, LocalStack

HTTP_TIMEOUT_S = 30.0
DECISION_SUBJECT = "Delete or keep"
APOLOGY_SUBJECT = "Approve the apology"
_LINK_HREF = re.compile(r'href="([^"]+/links/[^"]+)"')


def mailbox(stack: LocalStack) -> list[dict[str, Any]]:
    """Every mail the embedded SES accepted, oldest first (subject, body, destinations).

    The embedded AWS runs in this process, so its SES messages are read in place; that
    stays cheap however much the stack holds, where ``stack.mail()`` (moto's whole-state
    dump over HTTP) grows with every table item and execution. Falls back to it when the
    in-process store is not where moto keeps it."""
    try:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends

        sent = list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)
    except (ImportError, KeyError, AttributeError):
        sent = []
    messages = [
        {"subject": m.subject, "body": m.body, "destinations": m.destinations}
        for m in sent
        if hasattr(m, "subject") and hasattr(m, "body")
    ]
    return messages or stack.mail()


class Person:
    """One seeded user: the API with their key, and their mailbox in the outbox."""

    def __init__(self, stack: LocalStack, user_id: str) -> None:
        assert stack.seed is not None
        user = stack.seed.users[user_id]
        self.stack = stack
        self.id = user_id
        self.email = user.email
        self.session = requests.Session()
        self.session.headers.update({"X-Api-Key": user.api_key, "Content-Type": "application/json"})

    def get(self, path: str, **params: str) -> Any:
        res = self.session.get(self.stack.api_url + path, params=params, timeout=HTTP_TIMEOUT_S)
        if res.status_code != 200:
            raise DrillFailed(f"GET {path} as {self.id}: {res.status_code} {res.text[:300]}")
        return res.json()

    def post(self, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body)
        res = self.session.post(self.stack.api_url + path, data=data, timeout=HTTP_TIMEOUT_S)
        if res.status_code not in (200, 201):
            raise DrillFailed(f"POST {path} as {self.id}: {res.status_code} {res.text[:300]}")
        return res.json()

    def put(self, path: str, body: Any) -> Any:
        res = self.session.put(
            self.stack.api_url + path, data=json.dumps(body), timeout=HTTP_TIMEOUT_S
        )
        if res.status_code != 200:
            raise DrillFailed(f"PUT {path} as {self.id}: {res.status_code} {res.text[:300]}")
        return res.json()

    def incident(self, incident_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.get(f"/incidents/{incident_id}")
        return found

    def links(self, subject_marker: str) -> list[str]:
        """Links in this person's mail whose subject has the marker, newest first."""
        found: list[str] = []
        for message in reversed(mailbox(self.stack)):
            if self.email not in message.get("destinations", {}).get("ToAddresses", []):
                continue
            if subject_marker not in message.get("subject", ""):
                continue
            found += reversed(_LINK_HREF.findall(message.get("body", "")))
        return [unescape(u) for u in found]


class _Form(HTMLParser):
    """The decision form of a confirmation page: hidden fields and the action buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.method = ""
        self.fields: dict[str, str] = {}
        self.actions: list[str] = []
        self.choices: dict[str, list[str]] = {}  # radio groups: name -> values

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.method = a.get("method", "get").lower()
        elif tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") == "radio" and a.get("name"):
            self.choices.setdefault(a["name"], []).append(a.get("value", ""))
            if "checked" in a:
                self.fields[a["name"]] = a.get("value", "")
        elif tag == "button" and a.get("name") == "action":
            self.actions.append(a.get("value", ""))


def read_link(url: str) -> _Form | None:
    """GET a mailed link as a browser would: the confirmation page's form, or None when
    the link cannot be used (any more). Changes nothing."""
    res = requests.get(url, timeout=HTTP_TIMEOUT_S)
    if res.status_code != 200:
        return None
    form = _Form()
    form.feed(res.text)
    return form if form.method == "post" else None


def follow_link(
    person: Person,
    subject_marker: str,
    incident_id: str,
    action: str,
    choose: dict[str, str] | None = None,
) -> str:
    """The person finds the mail about ``incident_id``, opens its link (GET: the page),
    picks ``choose`` among the page's radio options (name -> value) and presses the
    button for ``action`` (POST the page's form). Returns the link."""
    passed: set[str] = set()  # used links and other incidents' links stay so

    def usable() -> tuple[str, _Form] | None:
        for url in person.links(subject_marker):
            if url in passed:
                continue
            form = read_link(url)
            if form is not None and form.fields.get("subject_id") == incident_id:
                return url, form
            passed.add(url)
        return None

    url, form = wait_for(usable, f"a {subject_marker!r} link for {incident_id} in {person.email}")
    if action not in form.actions:
        raise DrillFailed(f"the page offers {form.actions}, not {action!r}")
    for name, value in (choose or {}).items():
        if value not in form.choices.get(name, []):
            raise DrillFailed(f"the page offers {name}={form.choices.get(name)}, not {value!r}")
    fields = {**form.fields, **(choose or {}), "action": action}
    res = requests.post(url, data=fields, timeout=HTTP_TIMEOUT_S)
    if res.status_code != 200:
        raise DrillFailed(f"{person.id} pressed {action}: {res.status_code} {res.text[:300]}")
    return url
