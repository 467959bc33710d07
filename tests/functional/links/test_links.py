"""Every way a mailed decision link can be misused changes nothing (P5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests

from tests.functional.conftest import later, links_for, now, unique


@pytest.fixture
def submit(stack, alice, account):
    """Submits a fresh post and returns it with Bob's link. Afterwards, pass or fail, the
    posts are cancelled: one left approved in the shared demo account would come due in a
    later test's publisher tick and take the X faults that test set up for its own post."""
    made = []

    def submit_one():
        post = alice.post(
            f"/accounts/{account}/posts",
            {"text": unique("Link test"), "scheduled_at": later().isoformat()},
        ).json()
        made.append(post["id"])
        assert alice.post(f"/posts/{post['id']}/submit").status_code == 200
        # One submission, one link for this post in Bob's mail (among links for other posts)
        [link] = links_for(stack, "bob@acme.example", post["id"])
        return post, link

    yield submit_one
    for post_id in made:
        alice.post(f"/posts/{post_id}/cancel")


def _status(alice, post) -> str:
    return alice.get(f"/posts/{post['id']}").json()["status"]


def test_get_never_decides_even_repeated(alice, submit) -> None:
    post, link = submit()
    for _ in range(3):  # mail scanners open links before people do
        assert requests.get(link, timeout=10).status_code == 200
    assert _status(alice, post) == "submitted"


def test_replayed_link_is_refused(alice, submit) -> None:
    post, link = submit()
    first = requests.post(
        link, data={"action": "reject", "post_id": post["id"], "reason": "tone"}, timeout=10
    )
    assert first.status_code == 200
    again = requests.post(link, data={"action": "approve", "post_id": post["id"]}, timeout=10)
    assert again.status_code == 410
    assert "already been used" in again.text and "Nothing was changed" in again.text
    assert _status(alice, post) == "rejected"
    assert requests.get(link, timeout=10).status_code == 410


def test_reject_without_reason_changes_nothing_and_keeps_the_link(alice, submit) -> None:
    post, link = submit()
    res = requests.post(link, data={"action": "reject", "post_id": post["id"]}, timeout=10)
    assert res.status_code == 400 and "reason" in res.text and "Nothing was changed" in res.text
    assert _status(alice, post) == "submitted"
    res = requests.post(
        link, data={"action": "reject", "post_id": post["id"], "reason": "tone"}, timeout=10
    )
    assert res.status_code == 200 and _status(alice, post) == "rejected"


def test_a_second_approver_can_stop_an_approved_post_by_link(stack, alice, submit) -> None:
    post, bob_link = submit()
    [adam_link] = links_for(stack, "adam@acme.example", post["id"])
    res = requests.post(bob_link, data={"action": "approve", "post_id": post["id"]}, timeout=10)
    assert res.status_code == 200, res.text
    assert _status(alice, post) == "approved"
    # Approving what is already approved is refused before the link is spent
    res = requests.post(adam_link, data={"action": "approve", "post_id": post["id"]}, timeout=10)
    assert res.status_code == 409 and "Nothing was changed" in res.text
    # so the same link can still stop the post before it goes out
    res = requests.post(
        adam_link,
        data={"action": "reject", "post_id": post["id"], "reason": "embargoed"},
        timeout=10,
    )
    assert res.status_code == 200, res.text
    got = alice.get(f"/posts/{post['id']}").json()
    assert got["status"] == "rejected" and got["rejection_reason"] == "embargoed"


def test_expired_link_is_refused(stack, alice, submit) -> None:
    post, link = submit()
    # Given the link's 72 hours have passed (its expiry moved to just before the stack's now)
    from chalicelib.aws.dynamo import ts
    from chalicelib.links.domain import hash_token
    from chalicelib.wiring import aws_client

    token = link.rsplit("/", 1)[1]
    aws_client("dynamodb").update_item(
        TableName=stack.options.table_name,
        Key={"pk": {"S": f"LINK#{hash_token(token)}"}, "sk": {"S": "LINK"}},
        UpdateExpression="SET expires_at = :past",
        ExpressionAttributeValues={":past": {"S": ts(now() - timedelta(seconds=1))}},
    )
    res = requests.post(link, data={"action": "approve", "post_id": post["id"]}, timeout=10)
    assert res.status_code == 410 and "expired" in res.text
    assert _status(alice, post) == "submitted"


def test_tampered_token_is_refused(alice, submit) -> None:
    post, link = submit()
    token = link.rsplit("/", 1)[1]
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (flipped, token + "x", "x" * 43, "..%2F..%2Fetc"):
        url = link.rsplit("/", 1)[0] + "/" + bad
        assert requests.get(url, timeout=10).status_code == 404
        res = requests.post(url, data={"action": "approve", "post_id": post["id"]}, timeout=10)
        assert res.status_code == 404
    assert _status(alice, post) == "submitted"


def test_link_for_another_post_is_refused(alice, submit) -> None:
    post, link = submit()
    other, _ = submit()
    res = requests.post(link, data={"action": "approve", "post_id": other["id"]}, timeout=10)
    # 400: the form does not fit the link, which still works
    assert res.status_code == 400 and "not for that post" in res.text
    assert _status(alice, other) == "submitted" and _status(alice, post) == "submitted"


def test_someone_elses_link_is_refused(alice, users, submit) -> None:
    post, link = submit()
    # Adam, signed in with his own key, tries to use Bob's link.
    adam_key = users["u_adam"].key
    res = requests.post(
        link,
        data={"action": "approve", "post_id": post["id"]},
        headers={"X-Api-Key": adam_key},
        timeout=10,
    )
    # 403: not Adam's link; it still works for Bob
    assert res.status_code == 403 and "someone else" in res.text
    assert _status(alice, post) == "submitted"
    # Bob's own key with his own link works.
    res = requests.post(
        link,
        data={"action": "approve", "post_id": post["id"]},
        headers={"X-Api-Key": users["u_bob"].key},
        timeout=10,
    )
    assert res.status_code == 200


def test_link_after_an_edit_is_stale(alice, submit) -> None:
    post, link = submit()
    assert alice.patch(f"/posts/{post['id']}", {"text": unique("Edited")}).status_code == 200
    res = requests.post(link, data={"action": "approve", "post_id": post["id"]}, timeout=10)
    assert res.status_code == 410 and "changed" in res.text
    assert _status(alice, post) == "draft"


def test_unknown_action_decides_nothing(alice, submit) -> None:
    post, link = submit()
    res = requests.post(link, data={"action": "publish", "post_id": post["id"]}, timeout=10)
    assert res.status_code == 400
    assert _status(alice, post) == "submitted"
    # and the link still works afterwards
    ok = requests.post(link, data={"action": "approve", "post_id": post["id"]}, timeout=10)
    assert ok.status_code == 200


def test_token_never_appears_in_stored_items(stack, submit) -> None:
    _post, link = submit()
    token = link.rsplit("/", 1)[1]
    from chalicelib.wiring import aws_client

    scan = aws_client("dynamodb").scan(TableName=stack.options.table_name)
    assert token not in str(scan["Items"])
