"""Routes of accounts: the accounts a caller sees, their policy and approval rules,
agency rules, and the audit log (P2, P4, P10)."""

from __future__ import annotations

from typing import Any

from chalicelib.api.routing import (
    MANAGERS,
    Request,
    Routes,
)
from chalicelib.wiring import get_service

api = Routes(__name__)


@api.route("/accounts", "GET", summary="Accounts the caller can see", tag="accounts")
def list_accounts(request: Request) -> dict[str, Any]:
    return {
        "accounts": [a.to_public() for a in get_service().accounts.list_accounts(request.caller)]
    }


@api.route("/accounts/{account_id}", "GET", summary="One account", tag="accounts", errors=(404,))
def get_account(request: Request, account_id: str) -> dict[str, Any]:
    return get_service().accounts.account_for(request.caller, account_id).to_public()


@api.route(
    "/accounts/{account_id}/policy",
    "PUT",
    summary="Replace the account's publishing policy (P2)",
    tag="accounts",
    roles=MANAGERS,
    body="PolicyBody",
    errors=(400, 404),
)
def put_policy(request: Request, account_id: str) -> dict[str, Any]:
    from chalicelib.accounts.policy import Policy

    policy = Policy.from_dict(request.body.model_dump())
    return get_service().accounts.set_policy(request.caller, account_id, policy).to_public()


@api.route(
    "/accounts/{account_id}/approval-rules",
    "PUT",
    summary="Replace the account's approval rules (P4)",
    tag="accounts",
    roles=MANAGERS,
    body="ApprovalRulesBody",
    errors=(400, 404),
)
def put_approval_rules(request: Request, account_id: str) -> dict[str, Any]:
    from chalicelib.posts.approvals import ApprovalRules

    rules = ApprovalRules.from_dict(request.body.model_dump())
    return get_service().accounts.set_approval_rules(request.caller, account_id, rules).to_public()


@api.route(
    "/agencies/{agency_id}/policy",
    "GET",
    summary="The rules an agency's posts must follow",
    tag="accounts",
    errors=(404,),
)
def get_agency_policy(request: Request, agency_id: str) -> dict[str, Any]:
    return get_service().accounts.get_agency_policy(request.caller, agency_id).to_dict()


@api.route(
    "/agencies/{agency_id}/policy",
    "PUT",
    summary="Replace the rules an agency's posts must follow (P2)",
    tag="accounts",
    roles=MANAGERS,
    body="PolicyBody",
    errors=(400,),
)
def put_agency_policy(request: Request, agency_id: str) -> dict[str, Any]:
    from chalicelib.accounts.policy import Policy

    policy = Policy.from_dict(request.body.model_dump())
    get_service().accounts.set_agency_policy(request.caller, agency_id, policy)
    return policy.to_dict()


@api.route(
    "/accounts/{account_id}/audit",
    "GET",
    summary="The account's audit log (P10)",
    tag="audit",
    errors=(404,),
)
def account_audit(request: Request, account_id: str) -> dict[str, Any]:
    entries = get_service().accounts.audit_of_account(request.caller, account_id)
    return {"entries": [e.to_dict() for e in entries]}


@api.route(
    "/audit",
    "GET",
    summary="The brand-wide audit log: agency rules and freezes of every account (P10)",
    tag="audit",
    roles=MANAGERS,
    errors=(403,),
)
def brand_audit(request: Request) -> dict[str, Any]:
    entries = get_service().accounts.audit_of_brand(request.caller)
    return {"entries": [e.to_dict() for e in entries]}
