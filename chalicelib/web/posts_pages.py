"""The posting side of the web app: the editor and its live check, one post with its
actions and audit trail, and the approval queue. Every action calls the same post use
case as the API, so roles, four eyes and account scoping are exactly the API's."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.api.routing import DECIDERS, DRAFTERS
from chalicelib.core.errors import DomainError, ValidationFailed
from chalicelib.web.pages import Page
from chalicelib.web.site import site

if TYPE_CHECKING:
    from chalicelib.accounts.domain import Account
    from chalicelib.core.users import User
    from chalicelib.posts.domain import Post

# After an action the browser GETs the post (or the queue) with ?done=<one of these>:
# fixed texts, so a link cannot put words of its own on a Firebreak page.
DONE = {
    "saved": "Saved as a draft. Submit it for approval when it is ready.",
    "submitted": "Submitted for approval: each approver has a mail with a link.",
    "resubmitted": "Sent back through approval: the approvers decide on it again.",
    "edited": "Saved. The change reset its approvals: it is a draft now, so submit it "
    "again when it is ready.",
    "approved": "Your approval is recorded.",
    "rejected": "Rejected: the author has a mail with your reason.",
    "cancelled": "Cancelled: it will not be published.",
    "rescheduled": "Rescheduled. It is a draft: submit it for approval when it is ready.",
    "rescheduled_back": "Rescheduled. A new time resets the approvals, so it went back "
    "through approval: it waits for the approvers again.",
}
# A post in these statuses was on its way out: changing it sends it back through approval.
IN_APPROVAL = frozenset({"submitted", "approved", "held"})
_DRAFT_ACTIONS = ("edit", "submit", "cancel")


def _service() -> Any:
    from chalicelib.wiring import get_service

    return get_service()


def status_of(exc: DomainError) -> int:
    from chalicelib.api.errors import status_for

    return int(status_for(exc))


_FIELDS = {
    "text": "The text",
    "scheduled_at": "The schedule",
    "account_id": "The account",
    "reason": "The reason",
    "version": "The version",
}


def problem(exc: DomainError) -> dict[str, Any]:
    """A refused action as a page shows it: the service's message (with the field it
    names, in words), and a policy violation's rules."""
    message = exc.message
    label = _FIELDS.get(exc.field or "", (exc.field or "").replace("_", " ").capitalize())
    if label and message.startswith(("must ", "is ", "are ", "may ")):
        message = f"{label} {message}"
    message = message[:1].upper() + message[1:]
    return {"message": message, "field": exc.field, "rules": list(getattr(exc, "rules", []))}


def local_input(value: str, zone: str, field: str = "scheduled_at") -> datetime | None:
    """A ``datetime-local`` field's wall time, read in the account's zone, as UTC."""
    from datetime import UTC
    from zoneinfo import ZoneInfo

    value = value.strip()
    if not value:
        return None
    try:
        wall = datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        raise ValidationFailed(
            "must be a date and time, e.g. 2026-12-01T09:00", field=field
        ) from None
    if not 1970 <= wall.year <= 2200:
        raise ValidationFailed(f"year {wall.year} is out of range", field=field)
    tz = ZoneInfo(zone)
    at = wall.replace(tzinfo=tz).astimezone(UTC)
    if at.astimezone(tz).replace(tzinfo=None) != wall:
        raise ValidationFailed(
            f"{wall:%H:%M} does not exist in {zone} that day (the clocks go forward)",
            field=field,
        )
    return at


def wall_time(at: datetime | None, zone: str) -> str:
    """What a ``datetime-local`` field shows for ``at``: its wall time in ``zone``."""
    from zoneinfo import ZoneInfo

    return at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M") if at else ""


def may(user: User, post: Post) -> dict[str, bool]:
    """What ``user`` may do to ``post`` now, by the rules the service applies: an author
    never sees an approve button that would be refused."""
    from chalicelib.core.users import SENIOR_ROLES
    from chalicelib.posts.approvals import check_decision
    from chalicelib.posts.domain import TRANSITIONS, PostAction

    editor = user.role in DRAFTERS and (post.author_id == user.id or user.role in SENIOR_ROLES)
    allowed = {
        name: editor and (post.status, PostAction(name)) in TRANSITIONS for name in _DRAFT_ACTIONS
    }
    for action in ("approve", "reject"):
        try:
            check_decision(post, user, action)
            allowed[action] = True
        except DomainError:
            allowed[action] = False
    allowed["reschedule"] = allowed["edit"]
    return allowed


def edit_and_resubmit(
    page: Page,
    post: Post,
    account: Account,
    *,
    text: str | None,
    when: datetime | None,
    resubmit: bool,
) -> tuple[Post, DomainError | None]:
    """The API's edit (PATCH /posts/{id}: approvals reset, back to draft), then, when
    ``resubmit``, the API's submit. A post in approval is first checked the way the
    submit will check it, so a change that could not go back through approval is
    refused before it costs the post its approvals; a submit refused anyway (someone
    changed the rules meanwhile) leaves the edited draft and says why."""
    service = _service().posts
    if resubmit and post.status.value in IN_APPROVAL:
        _would_submit(post, account, text, when)
    edited = service.edit_post(
        page.user, post.id, text=text, scheduled_at=when, clear_schedule=when is None
    )
    if not resubmit:
        return edited, None
    try:
        return service.submit_post(page.user, post.id), None
    except DomainError as exc:
        return edited, exc


def _would_submit(post: Post, account: Account, text: str | None, when: datetime | None) -> None:
    from dataclasses import replace

    from chalicelib.core.errors import PolicyViolation

    service = _service()
    if when is None:
        raise ValidationFailed("is required: when should it go out?", field="scheduled_at")
    if when <= service.clock.now():
        raise ValidationFailed("is in the past: pick a time to come", field="scheduled_at")
    changed = replace(post, text=post.text if text is None else text, scheduled_at=when)
    result = service.posts.check(changed, account, scan=False)
    if not result.passed:
        raise PolicyViolation(
            "the change would break hard rules: " + "; ".join(v.message for v in result.violations),
            rules=[f"{v.source}:{v.rule}: {v.message}" for v in result.violations],
        )


# The editor ----------------------------------------------------------------------


@site.page("/app/posts/new", roles=DRAFTERS)
def new_post(page: Page) -> Any:
    from chalicelib.web.views import directory

    found = directory(page.user)
    wanted = page.query.get("account", "")
    account_id = wanted if wanted in found.accounts else next(iter(found.accounts), "")
    return _editor(page, {"account": account_id, "text": "", "scheduled_at": ""})


@site.page("/app/posts/{post_id}/edit", roles=DRAFTERS)
def edit_post_page(page: Page, post_id: str) -> Any:
    post, account = _service().posts.post_for(page.user, post_id)
    if not may(page.user, post)["edit"]:
        return page.error(
            403, f"This post is {post.status.value}; you may not change it", code="forbidden"
        )
    values = {
        "account": account.id,
        "text": post.text,
        "scheduled_at": wall_time(post.scheduled_at, account.timezone),
        "post_id": post.id,
    }
    return _editor(page, values, post=post)


def _editor(
    page: Page,
    values: dict[str, str],
    *,
    post: Post | None = None,
    error: dict[str, Any] | None = None,
    status: int = 200,
) -> Any:
    from chalicelib.web.views import directory

    found = directory(page.user)
    editing = post is not None or bool(values.get("post_id"))
    return page.render(
        "editor.html",
        status=status,
        title="Edit the post" if editing else "New post",
        directory=found,
        values={"post_id": "", **values},
        post=post,
        error=error,
        preview=preview_of(page.user, values),
    )


def preview_of(user: User, values: dict[str, str]) -> dict[str, Any]:
    """The length by the account's network's rule, hard-rule hits and risk reasons of
    what is typed, by the check a saved draft gets (PostService.check), without saving
    anything. Until an account is chosen the length is X's."""
    from chalicelib.core.normalise import text_problem
    from chalicelib.networks.rules import rules_for
    from chalicelib.posts.text import published_text

    text = values.get("text", "")
    rules = rules_for("x")
    found: dict[str, Any] = {
        "length": 0,
        "limit": rules.limit,
        "unit": rules.unit,
        "hint": rules.hint,
        "over": 0,
        "violations": [],
        "warnings": [],
        "problem": text_problem(text) if text else None,
        "zone": None,
        "checked": False,
    }

    def measure() -> None:
        length = rules.length(published_text(text, ()))
        found.update(length=length, limit=rules.limit, unit=rules.unit, hint=rules.hint)
        found["over"] = max(0, length - rules.limit)

    if not text.strip() or not values.get("account"):
        measure()
        return found
    try:
        account = _service().accounts.account_for(user, values["account"])
        rules = _service().social.text_rules(account)
        measure()
        found["zone"] = account.timezone
        when = local_input(values.get("scheduled_at", ""), account.timezone)
        result = _service().posts.check_unsaved(user, account, text, when)
    except DomainError as exc:
        measure()
        found["problem"] = problem(exc)["message"]
        return found
    found["violations"] = [v.message for v in result.violations]
    found["warnings"] = list(result.warnings)
    found["checked"] = True
    return found


@site.page("/app/posts/preview", ("POST",), roles=DRAFTERS)
def preview(page: Page) -> Any:
    from chalicelib.web.render import render

    html = render(
        "_posts_check.html",
        **page.context(),
        preview=preview_of(page.user, _typed(page)),
        oob=True,
    )
    return page.respond(html, 200)


def _typed(page: Page) -> dict[str, str]:
    return {
        "post_id": page.form.get("post_id", "").strip(),
        "account": page.form.get("account", "").strip(),
        "text": page.form.get("text", ""),
        "scheduled_at": page.form.get("scheduled_at", "").strip(),
    }


@site.page("/app/posts", ("POST",), roles=DRAFTERS)
def save_post(page: Page) -> Any:
    """Save a new or existing draft, and submit it when asked; a refusal re-renders the
    form with everything typed, and a draft saved before a refused submit is edited
    from then on (no second copy)."""
    values = _typed(page)
    submit = page.form.get("intent") == "submit"
    service = _service()
    post: Post | None = None
    saved = False
    try:
        if values["post_id"]:
            post, account = service.posts.post_for(page.user, values["post_id"])
            was = post.status.value
            when = local_input(values["scheduled_at"], account.timezone)
            post, refused = edit_and_resubmit(
                page, post, account, text=values["text"], when=when, resubmit=submit
            )
            saved = True
            if refused is not None:
                raise refused
            if submit:
                done = "resubmitted" if was in IN_APPROVAL else "submitted"
            else:
                done = "edited" if was in IN_APPROVAL else "saved"
            return page.redirect(f"/app/posts/{post.id}?done={done}")
        account = service.accounts.account_for(page.user, values["account"])
        when = local_input(values["scheduled_at"], account.timezone)
        post = service.posts.create_post(
            page.user, account.id, text=values["text"], scheduled_at=when
        )
        values["post_id"], saved = post.id, True
        if submit:
            service.posts.submit_post(page.user, post.id)
        return page.redirect(f"/app/posts/{post.id}?done={'submitted' if submit else 'saved'}")
    except DomainError as exc:
        error = {**problem(exc), "saved": saved}  # saved: only the submit was refused
        return _editor(page, values, post=post, error=error, status=status_of(exc))


# One post -------------------------------------------------------------------------


@site.page("/app/posts/{post_id}")
def show_post(page: Page, post_id: str) -> Any:
    done = DONE.get(page.query.get("done", ""))
    return post_page(page, post_id, done=done)


def post_page(
    page: Page,
    post_id: str,
    *,
    done: str | None = None,
    error: dict[str, Any] | None = None,
    status: int = 200,
    schedule_value: str | None = None,
) -> Any:
    from chalicelib.web.views import directory

    service = _service()
    post, account = service.posts.post_for(page.user, post_id)
    found = directory(page.user)
    still_needs: list[str] = []
    if post.status.value == "submitted":
        still_needs = account.approval_rules.for_post(post).missing(post.current_approvals())
    return page.render(
        "post.html",
        status=status,
        title="Post for " + account.name,
        post=post,
        account=account,
        directory=found,
        zone=account.timezone,
        may=may(page.user, post),
        still_needs=still_needs,
        check=post.check or {},
        audit=service.posts.audit_of_post(page.user, post.id),
        schedule_value=(
            schedule_value
            if schedule_value is not None
            else wall_time(post.scheduled_at, account.timezone)
        ),
        done=done,
        error=error,
        now=service.clock.now(),
    )


def _back(page: Page, post_id: str, done: str) -> Any:
    """Where a decision returns: the queue it came from, or the post."""
    if page.form.get("back") == "approvals":
        return page.redirect(f"/app/approvals?done={done}")
    return page.redirect(f"/app/posts/{post_id}?done={done}")


def _refused(page: Page, post_id: str, exc: DomainError) -> Any:
    if page.form.get("back") == "approvals":
        return approvals_page(page, error=problem(exc), status=status_of(exc))
    return post_page(page, post_id, error=problem(exc), status=status_of(exc))


def _seen_version(page: Page) -> int | None:
    raw = page.form.get("version", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise ValidationFailed("must be a positive whole number", field="version")
    return int(raw)


@site.page("/app/posts/{post_id}/submit", ("POST",), roles=DRAFTERS)
def submit(page: Page, post_id: str) -> Any:
    try:
        post, _ = _service().posts.post_for(page.user, post_id)
        was = post.status.value
        _service().posts.submit_post(page.user, post_id)
    except DomainError as exc:
        return _refused(page, post_id, exc)
    return _back(page, post_id, "resubmitted" if was == "held" else "submitted")


@site.page("/app/posts/{post_id}/approve", ("POST",), roles=DECIDERS)
def approve(page: Page, post_id: str) -> Any:
    from chalicelib.core.audit import Actor, Channel

    try:
        _service().posts.approve_post(
            Actor.of(page.user, Channel.WEB), post_id, seen_version=_seen_version(page)
        )
    except DomainError as exc:
        return _refused(page, post_id, exc)
    return _back(page, post_id, "approved")


@site.page("/app/posts/{post_id}/reject", ("POST",), roles=DECIDERS)
def reject(page: Page, post_id: str) -> Any:
    from chalicelib.core.audit import Actor, Channel

    try:
        _service().posts.reject_post(
            Actor.of(page.user, Channel.WEB),
            post_id,
            page.form.get("reason", ""),
            seen_version=_seen_version(page),
        )
    except DomainError as exc:
        return _refused(page, post_id, exc)
    return _back(page, post_id, "rejected")


@site.page("/app/posts/{post_id}/cancel", ("POST",), roles=DRAFTERS)
def cancel(page: Page, post_id: str) -> Any:
    try:
        _service().posts.cancel_post(page.user, post_id)
    except DomainError as exc:
        return _refused(page, post_id, exc)
    return _back(page, post_id, "cancelled")


# The approval queue ---------------------------------------------------------------


@site.page("/app/approvals")
def approvals(page: Page) -> Any:
    return approvals_page(page, done=DONE.get(page.query.get("done", "")))


def approvals_page(
    page: Page, *, done: str | None = None, error: dict[str, Any] | None = None, status: int = 200
) -> Any:
    from chalicelib.posts.domain import PostStatus
    from chalicelib.web.views import awaiting_my_approval, directory

    service = _service()
    found = directory(page.user)
    posts = service.posts.calendar(
        page.user,
        None,
        start=None,
        end=None,
        statuses=frozenset({PostStatus.SUBMITTED, PostStatus.HELD}),
    )
    mine = awaiting_my_approval(page.user, posts)
    mine_ids = {p.id for p in mine}
    others = [p for p in posts if p.status.value == "submitted" and p.id not in mine_ids]
    needs = {
        p.id: found.accounts[p.account_id].approval_rules.for_post(p).missing(p.current_approvals())
        for p in posts
        if p.account_id in found.accounts
    }
    return page.render(
        "approvals.html",
        status=status,
        title="Approvals",
        directory=found,
        to_approve=mine,
        others=[(p, _why_not(page.user, p)) for p in others],
        held=[(p, may(page.user, p)["submit"]) for p in posts if p.status.value == "held"],
        needs=needs,
        done=done,
        error=error,
        now=service.clock.now(),
    )


def _why_not(user: User, post: Post) -> str:
    """Why this person has no approve button on a submitted post, in the service's words."""
    from chalicelib.posts.approvals import check_decision

    try:
        check_decision(post, user, "approve")
    except DomainError as exc:
        return exc.message
    return "waiting for others"
