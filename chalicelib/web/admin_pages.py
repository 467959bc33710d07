"""Publishing freezes and the audit log as pages (P9, P10).

Freezes: the active ones, start one (who may, as the API), lift with two admins (the
first request waits for a second, different admin, exactly as ``lift_freeze``), and
the posts held meanwhile, sent back through approval with one action (the posts
service's submit on each). The audit log: the brand's entries, or one account's,
newest first, people by name and times in the account's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from chalicelib.api.routing import DRAFTERS, MANAGERS
from chalicelib.core.errors import DomainError, FreezeLiftPending, ValidationFailed
from chalicelib.core.users import Role
from chalicelib.web.pages import Page
from chalicelib.web.site import site

if TYPE_CHECKING:
    from chalicelib.core.audit import AuditEntry
    from chalicelib.core.users import User
    from chalicelib.posts.domain import Post
    from chalicelib.web.views import Directory

EVERY_ACCOUNT = "all"  # chalicelib.freezes.domain.GLOBAL_SCOPE
BRAND_WIDE = "brand"  # the audit page's choice for entries of no single account
AUDIT_PAGE = 25  # entries a page: each is read whole, so a page is read in ~1/10 s
MAX_RESUBMIT = 200
SYSTEM_ACTORS = {
    "scheduler": "Firebreak's scheduler",
    "system": "Firebreak",
    "firebreak": "Firebreak",
}


def scope_name(directory: Directory, scope: str) -> str:
    if scope == EVERY_ACCOUNT:
        return "every account of the brand"
    account = directory.accounts.get(scope)
    return account.name if account else scope


@dataclass(frozen=True)
class HeldPost:
    """A post held by a freeze, and whether this person may send it back now."""

    post: Post
    account_name: str
    zone: str
    frozen: bool  # its account is still frozen
    past: bool  # its time has passed: it needs a new time first
    may_submit: bool

    @property
    def ready(self) -> bool:
        """It can go back now: one whose time passed goes with a new time."""
        return self.may_submit and not self.frozen


def held_posts(user: User, directory: Directory, frozen: set[str], now: datetime) -> list[HeldPost]:
    from chalicelib.core.users import SENIOR_ROLES, Permission
    from chalicelib.posts.domain import PostStatus
    from chalicelib.wiring import get_service

    posts = get_service().posts.calendar(
        user, None, start=None, end=None, statuses=frozenset({PostStatus.HELD})
    )
    drafts = user.can(Permission.DRAFT)
    out = []
    for post in posts:
        account = directory.accounts.get(post.account_id)
        out.append(
            HeldPost(
                post=post,
                account_name=account.name if account else post.account_id,
                zone=directory.zone(post.account_id),
                frozen=EVERY_ACCOUNT in frozen or post.account_id in frozen,
                past=post.scheduled_at is None or post.scheduled_at <= now,
                may_submit=drafts and (post.author_id == user.id or user.role in SENIOR_ROLES),
            )
        )
    return out


def _done_message(page: Page, directory: Directory) -> str:
    q = page.query
    done, scope = q.get("done", ""), scope_name(directory, q.get("scope", ""))
    if done == "started":
        return f"Freeze started on {scope}: nothing scheduled goes out there until it is lifted."
    if done == "already":
        return (
            f"{scope[:1].upper() + scope[1:]} was frozen already: that freeze and its reason stay."
        )
    if done == "lift_requested":
        return f"Lift of the freeze on {scope} requested: waiting for a second admin to confirm."
    if done == "lift_pending":
        return (
            f"You asked to lift the freeze on {scope} already: "
            "waiting for a second, different admin to confirm."
        )
    if done == "lifted":
        return (
            f"Freeze on {scope} lifted. Posts held meanwhile need approval again: "
            "send them back below."
        )
    if done == "resubmitted":
        sent = int(q.get("sent", "0")) if q.get("sent", "").isdigit() else 0
        failed = int(q.get("failed", "0")) if q.get("failed", "").isdigit() else 0
        text = f"{sent} held post{'' if sent == 1 else 's'} sent back through approval."
        if failed:
            text += f" {failed} could not be sent: open {'it' if failed == 1 else 'them'} below."
        return text
    return ""


# ---------------------------------------------------------------- freezes
@site.page("/app/freezes")
def freezes_page(page: Page) -> Any:
    from chalicelib.core.users import Permission
    from chalicelib.web.views import directory
    from chalicelib.wiring import get_service

    user = page.user
    service = get_service()
    found = directory(user)
    freezes = sorted(service.freezes.list_freezes(user), key=lambda f: f.frozen_at, reverse=True)
    now = service.clock.now()
    held = held_posts(user, found, {f.scope for f in freezes}, now)
    scopes = [(a.id, a.name) for a in sorted(found.accounts.values(), key=lambda a: a.name)]
    if user.role is Role.ADMIN:
        scopes.append((EVERY_ACCOUNT, "Every account of the brand"))
    return page.render(
        "freezes.html",
        title="Publishing freezes",
        d=found,
        freezes=freezes,
        scope_name=lambda scope: scope_name(found, scope),
        zone_of=lambda scope: "UTC" if scope == EVERY_ACCOUNT else found.zone(scope),
        may_freeze=user.can(Permission.FREEZE),
        is_admin=user.role is Role.ADMIN,
        scopes=scopes,
        held=held,
        ready=[h for h in held if h.ready],
        new_time=_next_hour(now, next((h.zone for h in held if h.ready and h.past), "UTC")),
        done=_done_message(page, found),
        now=now,
    )


def _next_hour(now: datetime, zone: str) -> str:
    """A sensible new time to offer: the full hour after the next one, as the date field
    shows it in ``zone``."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    local = now.astimezone(ZoneInfo(zone)).replace(minute=0, second=0, microsecond=0)
    return (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")


@site.page("/app/freezes", ("POST",), roles=MANAGERS)
def start_freeze(page: Page) -> Any:
    from chalicelib.wiring import get_service

    scope, reason = page.form.get("scope", ""), page.form.get("reason", "")
    freeze = get_service().freezes.freeze(page.user, scope, reason)
    # Freezing twice is harmless: the first freeze and its reason stay.
    ours = freeze.frozen_by == page.user.id and freeze.reason == reason.strip()
    done = "started" if ours else "already"
    return page.redirect("/app/freezes?" + urlencode({"done": done, "scope": freeze.scope}))


@site.page("/app/freezes/{scope}/lift", ("POST",), roles=(Role.ADMIN,))
def lift_freeze(page: Page, scope: str) -> Any:
    from chalicelib.wiring import get_service

    service = get_service()
    before = service.store.get_freeze(page.user.brand_id, scope)
    try:
        service.freezes.lift_freeze(page.user, scope)
    except FreezeLiftPending:
        again = before is not None and before.lift_requested_by == page.user.id
        done = "lift_pending" if again else "lift_requested"
        return page.redirect("/app/freezes?" + urlencode({"done": done, "scope": scope}))
    return page.redirect("/app/freezes?" + urlencode({"done": "lifted", "scope": scope}))


@site.page("/app/freezes/resubmit", ("POST",), roles=DRAFTERS)
def resubmit_held(page: Page) -> Any:
    """Send the listed held posts back through approval (submit, as the API), those this
    person may send now, with a new time where theirs passed; how many went and how many
    could not comes back."""
    from chalicelib.web.posts_pages import local_input
    from chalicelib.web.views import directory
    from chalicelib.wiring import get_service

    service = get_service()
    user = page.user
    listed = [p for p in page.form.get("posts", "").split(",") if p][:MAX_RESUBMIT]
    found = directory(user)
    frozen = {f.scope for f in service.freezes.list_freezes(user)}
    ready = {h.post.id: h for h in held_posts(user, found, frozen, service.clock.now()) if h.ready}
    sent = failed = 0
    for post_id in listed:
        held = ready.get(post_id)
        if held is None:
            failed += 1  # no longer held, frozen again, or not this person's to send
            continue
        try:
            if held.past:
                # Its time passed while frozen: the new time, read in its account's zone,
                # is an edit (as in the API), and the edited post is submitted.
                when = local_input(page.form.get("new_time", ""), held.zone, "new_time")
                if when is None:
                    raise ValidationFailed(
                        "is needed for a post whose time passed", field="new_time"
                    )
                service.posts.edit_post(user, post_id, scheduled_at=when)
            service.posts.submit_post(user, post_id)
        except DomainError:
            failed += 1
        else:
            sent += 1
    query = {"done": "resubmitted", "sent": str(sent), "failed": str(failed)}
    return page.redirect("/app/freezes?" + urlencode(query))


# ---------------------------------------------------------------- audit log
def actor_name(directory: Directory, actor: str) -> str:
    return SYSTEM_ACTORS.get(actor) or directory.name(actor)


def detail_text(value: Any, directory: Directory) -> str:
    """A detail's value as a person reads it: people and accounts by name, lists joined."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        account = directory.accounts.get(value)
        return account.name if account else directory.names.get(value, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {detail_text(v, directory)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(detail_text(v, directory) for v in value)
    return str(value)


def subject_of(entry: AuditEntry, directory: Directory) -> tuple[str, str | None]:
    """(what the entry is about, a page to open it on, if there is one)."""
    kind, sid = entry.subject_type, entry.subject_id
    if kind == "post":
        return f"Post {sid}", f"/app/posts/{sid}"
    if kind == "incident":
        return f"Incident {sid}", f"/app/incidents/{sid}"
    if kind == "apology":
        return f"Apology of incident {sid}", f"/app/incidents/{sid}"
    if kind == "freeze":
        return f"Freeze on {scope_name(directory, sid)}", "/app/freezes"
    if kind == "account":
        return f"Account {scope_name(directory, sid)}", None
    if kind == "agency":
        return f"Rules of agency {sid}", None
    return f"{kind} {sid}", None


def audit_rows(entries: list[AuditEntry], directory: Directory) -> list[dict[str, Any]]:
    rows = []
    for e in entries:
        account = directory.accounts.get(e.account_id)
        subject, link = subject_of(e, directory)
        rows.append(
            {
                "id": e.id,
                "at": e.at,
                "zone": account.timezone if account else "UTC",
                "account": account.name if account else "Brand-wide",
                "actor": actor_name(directory, e.actor),
                "channel": e.channel.value,
                "action": e.action,
                "subject": subject,
                "link": link,
                "details": [
                    (k.replace("_", " "), detail_text(v, directory)) for k, v in e.details.items()
                ],
            }
        )
    return rows


def audit_entries(
    user: User, directory: Directory, choice: str, before: str = ""
) -> list[AuditEntry]:
    """One page of entries (and one more, to know there are more) of one account, of the
    brand (no single account), or of both, older than the id ``before``; newest first.
    Each source is read from its newest end, never in full."""
    from chalicelib.core.users import SENIOR_ROLES
    from chalicelib.wiring import get_service

    accounts = get_service().accounts
    latest = AUDIT_PAGE + 1
    if choice == BRAND_WIDE:
        entries = accounts.audit_of_brand(user, latest=latest, before=before)
    elif choice:
        entries = accounts.audit_of_account(user, choice, latest=latest, before=before)
    else:
        entries = [
            e
            for a in directory.accounts
            for e in accounts.audit_of_account(user, a, latest=latest, before=before)
        ]
        if user.role in SENIOR_ROLES:
            entries += accounts.audit_of_brand(user, latest=latest, before=before)
    return sorted(entries, key=lambda e: e.id, reverse=True)


@site.page("/app/audit")
def audit_page(page: Page) -> Any:
    from chalicelib.core.users import SENIOR_ROLES
    from chalicelib.web.views import directory

    user = page.user
    found = directory(user)
    choice = page.query.get("account", "")
    before = page.query.get("before", "")
    entries = audit_entries(user, found, choice, before)
    shown = entries[:AUDIT_PAGE]
    more = None
    if len(entries) > AUDIT_PAGE:
        more = "/app/audit?" + urlencode(
            {k: v for k, v in (("account", choice), ("before", shown[-1].id)) if v}
        )
    choices = [("", "Every account" + (" and the brand" if user.role in SENIOR_ROLES else ""))]
    if user.role in SENIOR_ROLES:
        choices.append((BRAND_WIDE, "Brand-wide only (agency rules, freezes of every account)"))
    choices += [(a.id, a.name) for a in sorted(found.accounts.values(), key=lambda a: a.name)]
    label = dict(choices).get(choice, choice)
    return page.render(
        "audit.html",
        title="Audit log",
        rows=audit_rows(shown, found),
        choices=choices,
        choice=choice,
        label=label,
        more=more,
        first_page=not before,
        first_url="/app/audit" + (f"?{urlencode({'account': choice})}" if choice else ""),
        show_account=choice in ("", BRAND_WIDE),
    )
