"""The engagement queue's pages (M4): pick an account, its mentions most urgent first,
and on each row the API's actions: assign, dismiss, reply from a template (rendered
into an editable text) and, for a reply held while an incident is open or flagged by
the risk scan, approve or reject by someone other than its author.

Every action is a plain form POST that redirects back to the queue; with htmx it
returns the updated row instead (``hx-swap="outerHTML"``). The use cases are the API's
(``get_mentions().engagement`` and ``.templates``), so roles, four eyes and account
scoping are exactly the API's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from chalicelib.api.routing import DECIDERS, DRAFTERS
from chalicelib.core.errors import DomainError, ValidationFailed
from chalicelib.web.pages import Page
from chalicelib.web.site import site

if TYPE_CHECKING:
    from chalicelib.accounts.domain import Account
    from chalicelib.web.views import Directory

STATES = (
    ("open", "Open"),
    ("new", "New"),
    ("assigned", "Assigned"),
    ("replied", "Replied"),
    ("dismissed", "Dismissed"),
)
LIMITS = (50, 100, 200)  # the API's queue answers at most 200
NOTES = {
    "assigned": "Assigned.",
    "dismissed": "Dismissed: no reply needed.",
    "sent": "Reply posted.",
    "held": "Reply held: it goes out once someone other than you approves it.",
    "approved": "Reply approved and posted.",
    "rejected": "Reply rejected: it can be answered again.",
}
_MENTION_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")


@dataclass
class QueueView:
    """What the queue page and one of its rows show, beyond the items themselves."""

    account: Account
    directory: Directory
    state: str
    may_draft: bool
    may_decide: bool
    templates: list[dict[str, Any]]
    assignees: list[tuple[str, str]]
    about: dict[str, dict[str, Any]]
    urgent: float
    now: Any
    drafts: dict[str, tuple[str, str]] = field(default_factory=dict)  # mid -> (template, text)
    notes: dict[str, str] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)

    def context(self) -> dict[str, Any]:
        return {
            "q": self,
            "account": self.account,
            "d": self.directory,
            "zone": self.account.timezone,
        }


def _state(raw: str | None) -> str:
    return raw if raw in dict(STATES) else "open"


def _limit(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and int(raw) in LIMITS else LIMITS[0]


def problem_text(exc: DomainError) -> str:
    """A domain error as a sentence a person reads (the field named where there is one)."""
    message = exc.message
    if exc.field and exc.field not in message:
        message = f"{exc.field.replace('_', ' ').replace('.', ' ')}: {message}"
    return message[:1].upper() + message[1:]


def fill_template(template: dict[str, Any], mention: dict[str, Any], handle: str) -> str:
    """The template with what the mention tells filled in ({author}, {account}); any
    other placeholder stays as ``{name}`` in the text for the person to fill."""
    author = mention.get("author_username")
    known = {"author": f"@{author}" if author else "", "account": handle}
    values = {n: known.get(n) or "{" + n + "}" for n in template.get("placeholders", ())}
    text: str = template["text"].format(**values)
    return text


def unfilled(text: str, template: dict[str, Any] | None) -> list[str]:
    """The template's placeholders still in ``text`` as ``{name}``."""
    if template is None:
        return []
    return [n for n in template.get("placeholders", ()) if "{" + n + "}" in text]


def _about(page: Page, account_id: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """For each own post the mentions are about: our Firebreak post (id and text) when
    Firebreak published it, and the incident opened on it, if any."""
    from chalicelib.wiring import get_playbook, get_service

    service = get_service()
    found: dict[str, dict[str, Any]] = {}
    for entry in items:
        about = entry["mention"].get("about")
        if not about or about in found:
            continue
        info: dict[str, Any] = {"post_id": None, "text": None, "incident_id": None}
        what = service.store.published_as(account_id, about) or ""
        if what.startswith("post "):
            try:
                post, _ = service.posts.post_for(page.user, what.removeprefix("post "))
                info["post_id"], info["text"] = post.id, post.text
            except DomainError:
                pass
        info["incident_id"] = get_playbook().incidents.incident_for_post(account_id, about)
        found[about] = info
    return found


def build_view(page: Page, account_id: str, items: list[dict[str, Any]], state: str) -> QueueView:
    from chalicelib.core.users import APPROVING_ROLES, Permission
    from chalicelib.web.views import Directory
    from chalicelib.wiring import get_mentions, get_service

    service, mentions = get_service(), get_mentions()
    user = page.user
    account = service.accounts.account_for(user, account_id)
    people = service.store.users_of_brand(user.brand_id)
    directory = Directory(
        {a.id: a for a in service.accounts.list_accounts(user)}, {u.id: u.name for u in people}
    )
    may_draft = user.can(Permission.DRAFT)
    assignees = sorted(
        (
            (u.id, u.name)
            for u in people
            if u.can(Permission.DRAFT) and u.sees_account(account.id, account.brand_id)
        ),
        key=lambda p: (p[0] != user.id, p[1]),
    )
    settings = mentions.queries.get_settings(user, account_id)
    return QueueView(
        account=account,
        directory=directory,
        state=state,
        may_draft=may_draft,
        may_decide=user.role in APPROVING_ROLES,
        templates=mentions.templates.templates(user, account_id) if may_draft else [],
        assignees=assignees,
        about=_about(page, account_id, items),
        urgent=float(settings.get("urgent_urgency", 0.5)),
        now=service.clock.now(),
    )


def _template(view: QueueView, template_id: str) -> dict[str, Any] | None:
    return next((t for t in view.templates if t["id"] == template_id), None)


def _prefill(view: QueueView, entry: dict[str, Any], template_id: str) -> None:
    template = _template(view, template_id)
    if template is None:
        raise ValidationFailed(f"no template {template_id}", field="template")
    text = fill_template(template, entry["mention"], view.account.handle)
    view.drafts[entry["mention"]["id"]] = (template_id, text)


# ---------------------------------------------------------------- pages
@site.page("/app/queue")
def queue_picker(page: Page) -> Any:
    """Pick an account; one account (or ``?account=``) goes straight to its queue."""
    from chalicelib.web.views import directory

    accounts = directory(page.user).accounts
    chosen = page.query.get("account", "")
    if chosen in accounts:
        return page.redirect(f"/app/queue/{chosen}")
    if len(accounts) == 1:
        return page.redirect(f"/app/queue/{next(iter(accounts))}")
    ordered = sorted(accounts.values(), key=lambda a: a.name.lower())
    return page.render("queue.html", title="Engagement queue", accounts=ordered, account=None)


@site.page("/app/queue/{account_id}")
def queue_page(page: Page, account_id: str) -> Any:
    return _queue_page(page, account_id, _state(page.query.get("state")))


def _queue_page(
    page: Page,
    account_id: str,
    state: str,
    *,
    problems: dict[str, str] | None = None,
    drafts: dict[str, tuple[str, str]] | None = None,
    status: int = 200,
) -> Any:
    from chalicelib.wiring import get_mentions, get_playbook

    limit = _limit(page.query.get("limit"))
    items = get_mentions().engagement.queue(page.user, account_id, state=state, limit=limit)
    view = build_view(page, account_id, items, state)
    view.problems.update(problems or {})
    view.drafts.update(drafts or {})
    note, noted = page.query.get("note", ""), page.query.get("m", "")
    if note in NOTES and noted:
        view.notes[noted] = NOTES[note]
    fill, template_id = page.query.get("fill", ""), page.query.get("template", "")
    for entry in items:
        if entry["mention"]["id"] == fill and template_id:
            try:
                _prefill(view, entry, template_id)
            except DomainError as exc:
                view.problems[fill] = problem_text(exc)
    incidents = [i for i in get_playbook().incidents.of_account(account_id) if i.is_open]
    more = len(items) >= limit and limit < LIMITS[-1]
    listed = {entry["mention"]["id"] for entry in items}
    return page.render(
        "queue.html",
        status=status,
        title=f"Engagement queue: {view.account.name}",
        items=items,
        accounts=sorted(view.directory.accounts.values(), key=lambda a: a.name.lower()),
        states=STATES,
        incidents=incidents,
        elsewhere=[text for mid, text in view.problems.items() if mid not in listed],
        more_url=_queue_url(account_id, state, limit=LIMITS[LIMITS.index(limit) + 1])
        if more
        else None,
        **view.context(),
        focus="",
    )


def _queue_url(account_id: str, state: str, **params: Any) -> str:
    query = urlencode({"state": state, **{k: v for k, v in params.items() if v}})
    return f"/app/queue/{account_id}?{query}"


@site.page("/app/queue/{account_id}/{mention_id}")
def queue_row(page: Page, account_id: str, mention_id: str) -> Any:
    """One row (htmx: ``?template=`` fills the reply from a template); without htmx,
    the queue page with that row filled."""
    state = _state(page.query.get("state"))
    template_id = page.query.get("template", "")
    if not page.htmx:
        query = {"state": state, "fill": mention_id, "template": template_id}
        return page.redirect(f"/app/queue/{account_id}?{urlencode(query)}#m-{mention_id}")
    from chalicelib.wiring import get_mentions

    entry = get_mentions().engagement.item(page.user, account_id, mention_id)
    view = build_view(page, account_id, [entry], state)
    if template_id:
        try:
            _prefill(view, entry, template_id)
        except DomainError as exc:
            view.problems[mention_id] = problem_text(exc)
    return _row(page, view, entry)


def _row(page: Page, view: QueueView, entry: dict[str, Any]) -> Any:
    """The row alone, for htmx: focus goes (``autofocus``, which htmx honours in what it
    swaps in) to what the person reads or does next, never lost to the page's top.
    The buttons that lead there carry no id: htmx would put focus back on them."""
    from chalicelib.web.render import render

    mid = entry["mention"]["id"]
    # A text to edit (a template filled in, or a reply refused: the problem is read
    # with it), else the problem, else what was done.
    focus = next(
        (
            f
            for f, on in (("text", view.drafts), ("problem", view.problems), ("note", view.notes))
            if mid in on
        ),
        "",
    )
    html = render("_queue_row.html", **page.context(), **view.context(), entry=entry, focus=focus)
    return page.respond(html)


def _act(page: Page, account_id: str, mention_id: str, action: Any) -> Any:
    """Run one action on a row: htmx gets the updated row (or the row with the problem);
    a plain form is redirected to the queue (or shown it, with the problem)."""
    state = _state(page.form.get("state"))
    if not _MENTION_ID.fullmatch(mention_id):
        return page.error(404, f"no mention {mention_id}")
    try:
        entry, note = action()
    except DomainError as exc:
        from chalicelib.api.errors import status_for

        problems = {mention_id: problem_text(exc)}
        # Keep what the person wrote.
        drafts = (
            {mention_id: (page.form.get("template_id", ""), page.form["text"])}
            if "text" in page.form
            else {}
        )
        if not page.htmx:
            return _queue_page(
                page, account_id, state, problems=problems, drafts=drafts, status=status_for(exc)
            )
        from chalicelib.wiring import get_mentions

        entry = get_mentions().engagement.item(page.user, account_id, mention_id)
        view = build_view(page, account_id, [entry], state)
        view.problems.update(problems)
        view.drafts.update(drafts)
        return _row(page, view, entry)
    if not page.htmx:
        return page.redirect(
            _queue_url(account_id, state, note=note, m=mention_id) + f"#m-{mention_id}"
        )
    view = build_view(page, account_id, [entry], state)
    view.notes[mention_id] = NOTES[note]
    return _row(page, view, entry)


@site.page("/app/queue/{account_id}/{mention_id}/assign", ("POST",), roles=DRAFTERS)
def assign(page: Page, account_id: str, mention_id: str) -> Any:
    from chalicelib.wiring import get_mentions

    def run() -> tuple[dict[str, Any], str]:
        assignee = page.form.get("assignee", "")
        done = get_mentions().engagement.assign(page.user, account_id, mention_id, assignee)
        return done, "assigned"

    return _act(page, account_id, mention_id, run)


@site.page("/app/queue/{account_id}/{mention_id}/dismiss", ("POST",), roles=DRAFTERS)
def dismiss(page: Page, account_id: str, mention_id: str) -> Any:
    from chalicelib.wiring import get_mentions

    def run() -> tuple[dict[str, Any], str]:
        return get_mentions().engagement.dismiss(page.user, account_id, mention_id), "dismissed"

    return _act(page, account_id, mention_id, run)


@site.page("/app/queue/{account_id}/{mention_id}/reply", ("POST",), roles=DRAFTERS)
def reply(page: Page, account_id: str, mention_id: str) -> Any:
    from chalicelib.wiring import get_mentions

    mentions = get_mentions()

    def run() -> tuple[dict[str, Any], str]:
        text = page.form.get("text", "")
        template_id = page.form.get("template_id", "")
        if template_id:
            templates = mentions.templates.templates(page.user, account_id)
            template = next((t for t in templates if t["id"] == template_id), None)
            missing = unfilled(text, template)
            if missing:
                raise ValidationFailed(
                    f"fill in {{{missing[0]}}} before sending: the template leaves it to you",
                    field="text",
                )
        done, posted = mentions.engagement.reply(page.user, account_id, mention_id, text=text)
        return done, "sent" if posted else "held"

    return _act(page, account_id, mention_id, run)


def _version(page: Page) -> int | None:
    raw = page.form.get("version", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 6:
        raise ValidationFailed("must be a whole number", field="version")
    return int(raw)


@site.page("/app/queue/{account_id}/{mention_id}/reply/approve", ("POST",), roles=DECIDERS)
def approve_reply(page: Page, account_id: str, mention_id: str) -> Any:
    from chalicelib.wiring import get_mentions

    def run() -> tuple[dict[str, Any], str]:
        done = get_mentions().engagement.approve(
            page.user, account_id, mention_id, version=_version(page)
        )
        return done, "approved"

    return _act(page, account_id, mention_id, run)


@site.page("/app/queue/{account_id}/{mention_id}/reply/reject", ("POST",), roles=DECIDERS)
def reject_reply(page: Page, account_id: str, mention_id: str) -> Any:
    from chalicelib.wiring import get_mentions

    def run() -> tuple[dict[str, Any], str]:
        done = get_mentions().engagement.reject(
            page.user,
            account_id,
            mention_id,
            page.form.get("reason", ""),
            version=_version(page),
        )
        return done, "rejected"

    return _act(page, account_id, mention_id, run)
