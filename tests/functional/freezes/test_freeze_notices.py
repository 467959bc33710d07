"""The account's seniors hear of a freeze when it starts, and the other admins when a
lift waits for a second admin: once each, with the way to the freezes page."""

from __future__ import annotations

from typing import Any

from firebreak_local.stack import LocalStack
from tests.functional.conftest import add_brand_account


def _to(stack: LocalStack, email: str, subject: str) -> list[dict[str, Any]]:
    return [
        m
        for m in stack.mail()
        if email in m.get("destinations", {}).get("ToAddresses", []) and subject in m["subject"]
    ]


def test_freeze_and_a_waiting_lift_are_mailed_to_the_right_people(
    stack: LocalStack, users: dict[str, Any]
) -> None:
    add_brand_account(stack, "acct_notices", "@acme_notices", "Acme Notices")
    adam, ada = users["u_adam"], users["u_ada"]
    started = adam.post("/freezes", {"scope": "acct_notices", "reason": "Checking a leak"})
    assert started.status_code == 201, started.text
    try:
        subject = "Publishing frozen: Acme Notices"
        for email in ("olivia@acme.example", "ada@acme.example"):
            [mail] = _to(stack, email, subject)
            assert "Adam Admin froze publishing" in mail["body"]
            assert "Checking a leak" in mail["body"] and "/app/freezes" in mail["body"]
            assert " CET" in mail["body"] or " CEST" in mail["body"]  # the account's zone
        assert _to(stack, "adam@acme.example", subject) == []  # who froze it knows
        assert _to(stack, "bob@acme.example", subject) == []  # approvers are not seniors
        assert adam.post("/freezes/acct_notices/lift").status_code == 202
        assert adam.post("/freezes/acct_notices/lift").status_code == 202  # asked again
        waiting = "A second admin is needed to lift the freeze on Acme Notices"
        assert len(_to(stack, "ada@acme.example", waiting)) == 1  # once, not per ask
        assert _to(stack, "olivia@acme.example", waiting) == []  # only admins can lift
        assert _to(stack, "adam@acme.example", waiting) == []
    finally:
        assert ada.post("/freezes/acct_notices/lift").status_code in (200, 204)
