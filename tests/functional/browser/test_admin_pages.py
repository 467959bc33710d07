"""Freezes and the audit log in a real browser: an admin freezes the demo account, the
same admin cannot lift it alone, a second admin does; the posts held meanwhile are
listed and sent back through approval with one action; the audit log names who."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from firebreak_local.stack import LocalStack
from tests.functional.browser.conftest import assert_accessible
from tests.functional.conftest import Api, berlin_zone, later, unique


def _approved(alice: Api, bob: Api, account: str) -> tuple[dict[str, Any], Any]:
    when = later(60)
    text = unique("Held by the freeze")
    post = alice.post(
        f"/accounts/{account}/posts", {"text": text, "scheduled_at": when.isoformat()}
    ).json()
    assert alice.post(f"/posts/{post['id']}/submit").status_code == 200
    assert bob.post(f"/posts/{post['id']}/approve").json()["status"] == "approved"
    return post, when


def _frozen(api: Api, account: str) -> dict[str, Any] | None:
    found = [f for f in api.get("/freezes").json()["freezes"] if f["scope"] == account]
    return found[0] if found else None


def test_two_admins_lift_a_freeze_and_held_posts_go_back_through_approval(
    stack: LocalStack,
    as_user: Any,
    alice: Api,
    bob: Api,
    users: dict[str, Api],
    account: str,
) -> None:
    adam_api, ada_api = users["u_adam"], users["u_ada"]
    post, when = _approved(alice, bob, account)
    adam = as_user("u_adam")
    adam.goto("/app/freezes")
    assert_accessible(adam)
    try:
        adam.get_by_label("Freeze", exact=True).select_option(account)
        adam.get_by_label("Reason").fill("Browser drill: hold everything")
        adam.keyboard.press("Enter")  # keyboard alone submits the form
        adam.get_by_role("status").wait_for()
        assert "Freeze started on Acme" in adam.get_by_role("status").inner_text()
        card = adam.locator(f"#freeze-{account}")
        assert "Browser drill: hold everything" in card.inner_text()
        assert "Frozen by Adam Admin" in card.inner_text() and berlin_zone() in card.inner_text()
        assert _frozen(adam_api, account) is not None

        assert post["id"] in stack.tick(at=when + timedelta(seconds=1))["held"]

        # The first admin asks: the freeze stays, waiting for a second admin.
        adam.locator(f"#lift-{account}").click()
        assert "waiting for a second admin" in adam.get_by_role("status").inner_text()
        card = adam.locator(f"#freeze-{account}")
        assert "Lift requested by you" in card.inner_text()
        assert adam.locator(f"#lift-{account}").count() == 0  # not twice by the same admin
        assert _frozen(adam_api, account)["lift_requested_by"] == "u_adam"  # type: ignore[index]
        held = adam.locator("ul.held > li", has_text=post["text"])
        assert "still frozen" in held.inner_text()
        assert_accessible(adam)

        # The second admin lifts it; the held post is listed to send back.
        ada = as_user("u_ada")
        ada.goto("/app/freezes")
        assert "Lift requested by Adam Admin" in ada.locator(f"#freeze-{account}").inner_text()
        ada.locator(f"#lift-{account}").focus()
        ada.keyboard.press("Enter")
        ada.wait_for_url("**/app/freezes?done=lifted*")
        assert "lifted" in ada.get_by_role("status").inner_text()
        assert ada.locator(f"#freeze-{account}").count() == 0
        assert _frozen(ada_api, account) is None
        held = ada.locator("ul.held > li", has_text=post["text"])
        assert "Ready to go back through approval" in held.inner_text()
        assert_accessible(ada)
        ada.locator("#resubmit-held").click()
        ada.wait_for_url("**/app/freezes?done=resubmitted*")
        message = ada.get_by_role("status").inner_text()
        assert "sent back through approval" in message and not message.startswith("0 ")
        assert alice.get(f"/posts/{post['id']}").json()["status"] == "submitted"
        assert ada.locator("ul.held > li", has_text=post["text"]).count() == 0
    finally:
        # Never leave the shared demo account frozen, pass or fail.
        if _frozen(adam_api, account) is not None:
            adam_api.post(f"/freezes/{account}/lift")
            ada_api.post(f"/freezes/{account}/lift")

    # The audit log names who froze, asked to lift, lifted and submitted again.
    ada.goto(f"/app/audit?account={account}")
    rows = ada.locator("table.audit tbody tr")
    for action, who in (
        ("post.submitted", "Ada Admin"),
        ("freeze.lifted", "Ada Admin"),
        ("freeze.lift_requested", "Adam Admin"),
        ("freeze.started", "Adam Admin"),
    ):
        row = rows.filter(has_text=action).first
        assert who in row.inner_text() and berlin_zone() in row.inner_text()
    link = ada.get_by_role("link", name=f"Post {post['id']}").first
    assert link.get_attribute("href", timeout=2000).endswith(f"/app/posts/{post['id']}")  # type: ignore[union-attr]
    assert_accessible(ada)
    ada.goto("/app/audit")
    assert ada.locator("table.audit tbody tr").count() >= 4
    assert_accessible(ada)
