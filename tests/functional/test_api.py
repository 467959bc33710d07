"""The HTTP API for tools (X3): validation, roles, accounts, calendar, feed, OpenAPI."""

from __future__ import annotations

from datetime import UTC, timedelta

import requests

from tests.functional.conftest import Api, later, now, tomorrow_at, unique


def test_invalid_input_names_the_field(alice, account) -> None:
    cases = [
        ({"text": ""}, "text"),
        ({"text": "hi", "scheduled_at": "tomorrow"}, "scheduled_at"),
        ({"text": "hi", "scheduled_at": later().replace(tzinfo=None).isoformat()}, "scheduled_at"),
        ({"text": "hi", "colour": "red"}, "colour"),
        ({"text": "a" * 281}, "text"),
        ({"text": "hi", "links": ["ftp://x.example"]}, "links[0]"),
    ]
    for body, field in cases:
        res = alice.post(f"/accounts/{account}/posts", body)
        assert res.status_code == 400, (body, res.text)
        error = res.json()["error"]
        assert error["code"] == "validation_failed" and error["field"] == field, (body, error)
        assert "Traceback" not in res.text


def test_broken_json_is_a_clear_400(stack, alice, account) -> None:
    res = requests.post(
        f"{stack.api_url}/accounts/{account}/posts",
        data="{not json",
        headers={"X-Api-Key": alice.key, "Content-Type": "application/json"},
        timeout=10,
    )
    assert res.status_code == 400
    assert res.json()["error"]["field"] == "body"


def test_scheduled_time_is_stored_in_utc(alice, account) -> None:
    at = tomorrow_at(9, offset_hours=2)
    res = alice.post(
        f"/accounts/{account}/posts", {"text": unique("tz"), "scheduled_at": at.isoformat()}
    )
    assert at.isoformat().endswith("09:00:00+02:00")
    assert res.json()["scheduled_at"] == at.astimezone(UTC).isoformat()
    assert res.json()["scheduled_at"].endswith("07:00:00+00:00")


def test_policy_violation_blocks_submit_and_lists_rules(alice, account) -> None:
    post = alice.post(
        f"/accounts/{account}/posts",
        {
            "text": unique("Vote in the election, guaranteed results!"),
            "scheduled_at": later().isoformat(),
        },
    ).json()
    assert post["check"]["passed"] is False
    res = alice.post(f"/posts/{post['id']}/submit")
    assert res.status_code == 422
    rules = res.json()["error"]["rules"]
    assert any("forbidden_phrase" in r for r in rules) and any("politics" in r for r in rules)
    assert alice.get(f"/posts/{post['id']}").json()["status"] == "draft"


def test_agency_post_needs_owner_and_follows_agency_rules(users, account) -> None:
    gina, bob, olivia = users["u_gina"], users["u_bob"], users["u_olivia"]
    # Agency rules: only acme.example links, within 08:00-20:00 Berlin time.
    bad = gina.post(
        f"/accounts/{account}/posts",
        {"text": unique("Deal at https://bit.ly/x"), "scheduled_at": tomorrow_at(3).isoformat()},
    ).json()
    rules = {v["rule"] for v in bad["check"]["violations"] if v["source"] == "agency"}
    assert rules == {"link_domain", "allowed_hours"}
    good = gina.post(
        f"/accounts/{account}/posts",
        {
            "text": unique("New menu https://acme.example/menu"),
            "scheduled_at": tomorrow_at(10).isoformat(),
        },
    ).json()
    assert good["check"]["passed"], good["check"]
    assert gina.post(f"/posts/{good['id']}/submit").status_code == 200
    assert bob.post(f"/posts/{good['id']}/approve").json()["status"] == "submitted"
    assert olivia.post(f"/posts/{good['id']}/approve").json()["status"] == "approved"


def test_roles_are_enforced_per_route(users, alice, account) -> None:
    post = alice.post(
        f"/accounts/{account}/posts", {"text": unique("roles"), "scheduled_at": later().isoformat()}
    ).json()
    alice.post(f"/posts/{post['id']}/submit")
    # An author cannot approve, not even someone else's post; nor freeze or set rules.
    assert users["u_gina"].post(f"/posts/{post['id']}/approve").status_code == 403
    assert alice.post(f"/posts/{post['id']}/approve").status_code == 403
    assert alice.post("/freezes", {"scope": account, "reason": "x"}).status_code == 403
    assert alice.put(f"/accounts/{account}/policy", {}).status_code == 403
    # An approver cannot write drafts.
    assert users["u_bob"].post(f"/accounts/{account}/posts", {"text": "x"}).status_code == 403


def test_self_approval_is_refused_even_for_owners(users, account) -> None:
    olivia = users["u_olivia"]
    post = olivia.post(
        f"/accounts/{account}/posts", {"text": unique("mine"), "scheduled_at": later().isoformat()}
    ).json()
    olivia.post(f"/posts/{post['id']}/submit")
    res = olivia.post(f"/posts/{post['id']}/approve")
    assert res.status_code == 403 and res.json()["error"]["code"] == "self_approval_forbidden"


def test_reject_with_reason_then_revise_and_resubmit(alice, bob, account) -> None:
    post = alice.post(
        f"/accounts/{account}/posts", {"text": unique("v1"), "scheduled_at": later().isoformat()}
    ).json()
    alice.post(f"/posts/{post['id']}/submit")
    assert bob.post(f"/posts/{post['id']}/reject", {}).status_code == 400
    rejected = bob.post(f"/posts/{post['id']}/reject", {"reason": "Too salesy"}).json()
    assert rejected["status"] == "rejected" and rejected["rejection_reason"] == "Too salesy"
    revised = alice.patch(f"/posts/{post['id']}", {"text": unique("v2")}).json()
    assert revised["status"] == "draft" and revised["version"] == 2
    assert alice.post(f"/posts/{post['id']}/submit").json()["status"] == "submitted"


def test_empty_edit_is_refused(alice, account) -> None:
    post = alice.post(f"/accounts/{account}/posts", {"text": unique("edit me")}).json()
    res = alice.patch(f"/posts/{post['id']}", {})
    assert res.status_code == 400 and "at least one" in res.json()["error"]["message"]


def test_edit_resets_approvals(users, account) -> None:
    gina, bob = users["u_gina"], users["u_bob"]
    post = gina.post(
        f"/accounts/{account}/posts",
        {"text": unique("agency v1"), "scheduled_at": tomorrow_at(10).isoformat()},
    ).json()
    gina.post(f"/posts/{post['id']}/submit")
    assert len(bob.post(f"/posts/{post['id']}/approve").json()["approvals"]) == 1
    edited = gina.patch(f"/posts/{post['id']}", {"text": unique("agency v2")}).json()
    assert edited["approvals"] == [] and edited["status"] == "draft"


def test_agency_sees_only_its_accounts(stack, users) -> None:
    from chalicelib.accounts.domain import Account
    from chalicelib.wiring import get_service

    get_service().store.put_account(Account("acct_private", "acme", "Private", "x", "@p", "UTC"))
    gina, alice = users["u_gina"], users["u_alice"]
    assert [a["id"] for a in gina.get("/accounts").json()["accounts"]] == ["acct_demo"]
    assert "acct_private" in [a["id"] for a in alice.get("/accounts").json()["accounts"]]
    assert gina.get("/accounts/acct_private").status_code == 404
    assert gina.post("/accounts/acct_private/posts", {"text": "x"}).status_code == 404
    private = alice.post("/accounts/acct_private/posts", {"text": unique("internal")}).json()
    assert gina.get(f"/posts/{private['id']}").status_code == 404
    assert gina.get("/posts", account_id="acct_private").status_code == 404
    assert private["id"] not in [p["id"] for p in gina.get("/posts").json()["posts"]]


def test_policy_and_rules_can_be_replaced_by_managers(users, account) -> None:
    olivia = users["u_olivia"]
    bad = olivia.put(
        f"/accounts/{account}/policy", {"allowed_hours": {"start": "8", "end": "20:00"}}
    )
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "allowed_hours.start"
    current = olivia.get(f"/accounts/{account}").json()
    stricter_rules = {
        "staff": {"approvals": 2, "required_roles": ["brand_owner"]},
        "agency": {"approvals": 3, "required_roles": ["brand_owner"]},
    }
    stricter_policy = {
        **current["policy"],
        "forbidden_phrases": [*current["policy"]["forbidden_phrases"], "best ever"],
    }
    try:
        # Different rules and policy, read back: replaced, not ignored
        res = olivia.put(f"/accounts/{account}/approval-rules", stricter_rules)
        assert res.status_code == 200, res.text
        res = olivia.put(f"/accounts/{account}/policy", stricter_policy)
        assert res.status_code == 200, res.text
        stored = olivia.get(f"/accounts/{account}").json()
        assert stored["approval_rules"]["staff"]["approvals"] == 2
        assert stored["approval_rules"]["staff"]["required_roles"] == ["brand_owner"]
        assert stored["approval_rules"]["agency"]["approvals"] == 3
        assert "best ever" in stored["policy"]["forbidden_phrases"]
    finally:
        olivia.put(f"/accounts/{account}/approval-rules", current["approval_rules"])
        olivia.put(f"/accounts/{account}/policy", current["policy"])
    restored = olivia.get(f"/accounts/{account}").json()
    assert restored["approval_rules"] == current["approval_rules"]
    assert restored["policy"] == current["policy"]


def test_calendar_by_range_account_and_status(alice, account) -> None:
    base = later(60 * 24 * 30)
    ids = []
    for offset in (0, 1, 2):
        body = {
            "text": unique(f"cal {offset}"),
            "scheduled_at": (base + timedelta(days=offset)).isoformat(),
        }
        ids.append(alice.post(f"/accounts/{account}/posts", body).json()["id"])
    alice.post(f"/posts/{ids[1]}/submit")
    window = alice.get(
        "/posts",
        account_id=account,
        **{
            "from": (base - timedelta(hours=1)).isoformat(),
            "to": (base + timedelta(days=1, hours=1)).isoformat(),
        },
    ).json()["posts"]
    assert [p["id"] for p in window] == ids[:2]
    submitted = alice.get(
        "/posts",
        account_id=account,
        status="submitted",
        **{
            "from": (base - timedelta(hours=1)).isoformat(),
            "to": (base + timedelta(days=3)).isoformat(),
        },
    ).json()["posts"]
    assert [p["id"] for p in submitted] == [ids[1]]
    assert alice.get("/posts", status="nonsense").json()["error"]["field"] == "status"
    assert alice.get("/posts", **{"from": "yesterday"}).json()["error"]["field"] == "from"


def test_ical_feed_is_rfc5545_and_follows_changes(stack, users, alice, account) -> None:
    from icalendar import Calendar

    olivia = users["u_olivia"]
    assert alice.post(f"/accounts/{account}/feed").status_code == 403
    url = olivia.post(f"/accounts/{account}/feed").json()["url"]
    assert url.startswith(stack.api_url + f"/feeds/{account}/")
    when = later(60 * 24 * 60)
    post = alice.post(
        f"/accounts/{account}/posts", {"text": unique("feed me"), "scheduled_at": when.isoformat()}
    ).json()

    def event_for(post_id):
        res = requests.get(url, timeout=10)
        assert res.status_code == 200 and res.headers["Content-Type"].startswith("text/calendar")
        cal = Calendar.from_ical(res.content)
        events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
        return cal, events[f"{post_id}@firebreak"]

    cal, event = event_for(post["id"])
    assert str(cal["VERSION"]) == "2.0" and "PRODID" in cal
    assert event.decoded("DTSTART") == when
    assert "[draft]" in str(event["SUMMARY"])
    first_sequence = int(event["SEQUENCE"])
    moved = when + timedelta(hours=3)
    alice.patch(f"/posts/{post['id']}", {"scheduled_at": moved.isoformat()})
    alice.post(f"/posts/{post['id']}/submit")
    _, event = event_for(post["id"])
    assert event.decoded("DTSTART") == moved
    assert "[submitted]" in str(event["SUMMARY"]) and int(event["SEQUENCE"]) > first_sequence
    # A wrong secret, or the old one after rotation, gets nothing.
    wrong = url[:-1] + ("A" if url[-1] != "A" else "B")  # certainly not the secret
    assert requests.get(wrong, timeout=10).status_code == 404
    olivia.post(f"/accounts/{account}/feed")
    assert requests.get(url, timeout=10).status_code == 404


def test_openapi_document_matches_the_routes(stack) -> None:
    from openapi_spec_validator import validate

    import app as chalice_app
    from chalicelib.web.site import site

    doc = requests.get(stack.api_url + "/openapi.json", timeout=10).json()
    validate(doc)
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    # The web app's pages and assets are for browsers, not API operations.
    pages = {*site.paths, ("/assets/{name}", "GET")}
    served = {
        (path, method)
        for path, entries in chalice_app.app.routes.items()
        for method in entries
        if (path, method) not in pages
    }
    assert documented == served
    assert not any(path.startswith(("/app", "/assets")) for path in doc["paths"])
    create = doc["paths"]["/accounts/{account_id}/posts"]["post"]
    schema = doc["components"]["schemas"]["CreatePost"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "CreatePost"
    )
    assert schema["additionalProperties"] is False and "text" in schema["required"]
    assert "401" in create["responses"] and "400" in create["responses"]


def test_responses_match_the_documented_schemas(stack, alice, account) -> None:
    from jsonschema import Draft202012Validator

    doc = requests.get(stack.api_url + "/openapi.json", timeout=10).json()
    schemas = doc["components"]["schemas"]
    post = alice.post(f"/accounts/{account}/posts", {"text": unique("schema")}).json()
    Draft202012Validator(schemas["Post"]).validate(post)
    error = alice.post(f"/accounts/{account}/posts", {"text": ""}).json()
    Draft202012Validator(schemas["Error"]).validate(error)


def test_no_stack_traces_to_callers(stack, alice) -> None:
    res = Api(stack.api_url, alice.key).get("/posts/does-not-exist")
    assert res.status_code == 404 and res.json()["error"]["code"] == "not_found"


def test_policy_change_keeps_what_other_writers_set(users, account) -> None:
    from chalicelib.wiring import get_service

    store = get_service().store
    before = store.get_account(account).rate_limited_until
    until = (now() + timedelta(days=365)).replace(microsecond=0)
    store.set_rate_limited(account, until)
    try:
        olivia = users["u_olivia"]
        policy = olivia.get(f"/accounts/{account}").json()["policy"]
        assert olivia.put(f"/accounts/{account}/policy", policy).status_code == 200
        assert store.get_account(account).rate_limited_until == until
    finally:
        # Back as it was (never leave the shared account rate-limited)
        store.set_rate_limited(account, before or now() - timedelta(days=1))


def test_brand_audit_shows_who_changed_agency_rules(users) -> None:
    olivia, alice = users["u_olivia"], users["u_alice"]
    rules = olivia.get("/agencies/agency_bright/policy").json()
    # Writing the same rules back is still a change someone made, and is logged
    assert olivia.put("/agencies/agency_bright/policy", rules).status_code == 200
    entries = olivia.get("/audit").json()["entries"]
    mine = [e for e in entries if e["action"] == "agency.policy_changed"]
    assert mine and mine[-1]["actor"] == "u_olivia" and mine[-1]["subject_id"] == "agency_bright"
    assert mine[-1]["details"]["policy"] == rules
    assert alice.get("/audit").status_code == 403
