"""The hack drill's own part: the security checklist. A crypto scam from an unknown app
is deleted and the hack confirmed through the mailed link; the playbook then holds the
incident in ``containing`` until a person has confirmed every item of the account's
security checklist.

``drive`` takes this path for every scenario with a checklist, and checks that no
other scenario ran one."""

from __future__ import annotations

from typing import Any

from firebreak_local.drill.steps import Drive

SECURITY_ITEMS = {"rotate_password", "revoke_apps", "enable_2fa", "review_access"}
# What the timeline shows for the checklist after the decision.
TIMELINE = ["checklist_requested", "checklist_item"]


def secure_account(d: Drive) -> dict[str, Any]:
    """After the decision the commander confirms each checklist item; the playbook goes
    on to the apology. Returns the incident once it is apologising."""
    incident = d.reach("decision_to_checklist", "containing", also=lambda i: bool(i.checklist))
    for item in incident["checklist"]:
        d.commander.post(f"/incidents/{d.incident_id}/checklist/{item['key']}")
    d.watch.person("checklist")
    return d.reach("checklist_to_apologising", "apologising")


def check_secured(d: Drive, incident: dict[str, Any]) -> None:
    """Every security item is on the checklist, and each was confirmed by the commander."""
    items = incident["checklist"]
    d.record["checklist_done"] = bool(items) and all(c["done_at"] for c in items)
    keys = {c["key"] for c in items}
    d.expect(keys >= SECURITY_ITEMS, f"checklist items {sorted(keys)}")
    d.expect(d.record["checklist_done"], "the security checklist is not all done")
    d.expect(all(c["done_by"] == d.commander.id for c in items), "a checklist item has no person")


def check_no_checklist(d: Drive, incident: dict[str, Any]) -> None:
    """The other scenarios: no security checklist without a suspected hack."""
    d.expect(not incident["checklist"], "a security checklist ran though nobody suspects a hack")
