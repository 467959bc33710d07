"""An apology link's approval lands on the version its senior read: an edit that wins
the race to the store makes the approval refused, never applied to the new words."""

from __future__ import annotations

import pytest
import requests

from firebreak_local.drill import incident_for_post
from tests.functional.conftest import add_brand_account, unique
from tests.functional.incidents.test_playbook import links_to, wait_for, wait_status


@pytest.fixture(scope="module")
def bound(stack):
    x_user = add_brand_account(stack, "acct_bound", "@acme_bound", "Acme Bound", "UTC")
    stack.tick("watcher")
    return "acct_bound", x_user


def test_an_apology_edited_while_its_approval_is_saved_is_not_approved(
    stack, bound, olivia, monkeypatch
) -> None:
    from chalicelib.core.audit import Actor
    from chalicelib.wiring import get_playbook

    account_id, x_user = bound
    x_post = stack.x.app.inject_post(x_user, unique("A clumsy joke about Tuesdays"))
    stack.tick("watcher")
    incident_id = wait_for(lambda: incident_for_post(account_id, x_post["id"]))
    wait_status(olivia, incident_id, "awaiting_decision")
    olivia.post(f"/incidents/{incident_id}/decide", {"decision": "keep", "hack": False})
    wait_status(olivia, incident_id, "apologising", timeout=30)
    link = wait_for(
        lambda: links_to(stack, "adam@acme.example", "Approve the apology", incident_id)
    )[-1]
    assert "version 1" in requests.get(link, timeout=30).text

    # When Olivia edits the apology just as Adam's approval is being saved
    playbook = get_playbook()
    save = playbook.incidents.save
    olivia_user = playbook.service.store.get_user("u_olivia")
    edited = "We are sorry about Tuesday's joke; we will do better. — Olivia"

    def racing_save(incident, revision, entries):
        if any(e.kind == "apology_approved" for e in entries):
            monkeypatch.setattr(playbook.incidents, "save", save)  # once
            playbook.apology.edit_apology(Actor.of(olivia_user), incident_id, edited)
        return save(incident, revision, entries)

    monkeypatch.setattr(playbook.incidents, "save", racing_save)
    res = requests.post(link, data={"action": "approve", "subject_id": incident_id}, timeout=30)

    # Then Adam's approval is refused, and he is told what the apology says now
    assert res.status_code == 410, res.text
    assert "edited after you saw it" in res.text and "Tuesday" in res.text
    incident = olivia.get(f"/incidents/{incident_id}").json()
    assert incident["status"] == "apologising"
    assert incident["apology"]["version"] == 2 and incident["apology"]["approved_by"] is None
    assert incident["apology"]["text"] == edited
