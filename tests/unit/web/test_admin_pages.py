"""The freezes and audit pages' own logic: who and what by name, links to subjects,
and which held posts one action may send back through approval."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.accounts.domain import Account
from chalicelib.core.audit import AuditEntry, Channel
from chalicelib.posts.domain import Post, PostStatus
from chalicelib.web.admin_pages import (
    HeldPost,
    actor_name,
    audit_rows,
    detail_text,
    scope_name,
    subject_of,
)
from chalicelib.web.views import Directory

AT = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)
DEMO = Account("acct_demo", "acme", "Acme Coffee", "x", "@acme_demo", "Europe/Berlin")
PEOPLE = Directory({DEMO.id: DEMO}, {"u_adam": "Adam Admin", "u_ada": "Ada Admin"})


def _entry(action: str, subject_type: str, subject_id: str, account_id: str, **details: object):
    return AuditEntry(
        id=f"{AT.isoformat()}-{action}",
        at=AT,
        actor="u_adam",
        channel=Channel.API,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        account_id=account_id,
        details=dict(details),
    )


def test_people_and_accounts_by_name_in_details() -> None:
    assert detail_text("u_ada", PEOPLE) == "Ada Admin"
    assert detail_text("acct_demo", PEOPLE) == "Acme Coffee"
    assert detail_text(["u_adam", "u_ada"], PEOPLE) == "Adam Admin, Ada Admin"
    assert detail_text({"rule": "hours", "by": "u_ada"}, PEOPLE) == "rule: hours; by: Ada Admin"
    assert detail_text(None, PEOPLE) == "—" and detail_text(True, PEOPLE) == "yes"
    assert actor_name(PEOPLE, "scheduler") == "Firebreak's scheduler"
    assert actor_name(PEOPLE, "u_adam") == "Adam Admin"


def test_subjects_link_to_their_pages() -> None:
    assert subject_of(_entry("post.held", "post", "p1", "acct_demo"), PEOPLE) == (
        "Post p1",
        "/app/posts/p1",
    )
    label, link = subject_of(_entry("x", "incident", "inc_1", "acct_demo"), PEOPLE)
    assert (label, link) == ("Incident inc_1", "/app/incidents/inc_1")
    assert subject_of(_entry("freeze.started", "freeze", "all", "all"), PEOPLE) == (
        "Freeze on every account of the brand",
        "/app/freezes",
    )
    assert scope_name(PEOPLE, "acct_demo") == "Acme Coffee"


def test_brand_wide_entries_are_in_utc_and_account_entries_in_the_accounts_zone() -> None:
    rows = audit_rows(
        [
            _entry("freeze.started", "freeze", "all", "all", reason="drill"),
            _entry("freeze.lifted", "freeze", "acct_demo", "acct_demo", requested_by="u_ada"),
        ],
        PEOPLE,
    )
    assert (rows[0]["zone"], rows[0]["account"]) == ("UTC", "Brand-wide")
    assert (rows[1]["zone"], rows[1]["account"]) == ("Europe/Berlin", "Acme Coffee")
    assert rows[1]["actor"] == "Adam Admin"
    assert rows[1]["details"] == [("requested by", "Ada Admin")]


def _held(**kw: object) -> HeldPost:
    post = Post(
        "p1",
        "acct_demo",
        "x",
        "hi",
        "u_alice",
        False,
        AT,
        AT,
        AT + timedelta(hours=1),
        PostStatus.HELD,
    )
    values = {"frozen": False, "past": False, "may_submit": True} | kw
    return HeldPost(post, "Acme Coffee", "Europe/Berlin", **values)  # type: ignore[arg-type]


def test_only_held_posts_this_person_may_send_now_are_ready() -> None:
    assert _held().ready
    assert not _held(frozen=True).ready  # still frozen: it would be held again
    assert _held(past=True).ready  # goes back with the new time the form asks for
    assert not _held(may_submit=False).ready
