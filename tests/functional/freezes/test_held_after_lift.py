"""After a lift, held posts go back through approval in one action, those whose time
passed while frozen with a new time (read in their account's zone)."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import requests

from firebreak_local.stack import LocalStack
from tests.functional.browser.conftest import session_cookie
from tests.functional.conftest import add_brand_account, now, unique


def test_a_held_post_whose_time_passed_goes_back_with_a_new_time(
    stack: LocalStack, users: dict[str, Any]
) -> None:
    acc = "acct_held"
    add_brand_account(stack, acc, "@acme_held", "Acme Held")
    alice, bob, adam, ada = (users[u] for u in ("u_alice", "u_bob", "u_adam", "u_ada"))
    due = (now() + timedelta(seconds=3)).replace(microsecond=0)
    post = alice.post(
        f"/accounts/{acc}/posts", {"text": unique("Fresh beans"), "scheduled_at": due.isoformat()}
    )
    assert post.status_code == 201, post.text
    pid = post.json()["id"]
    assert alice.post(f"/posts/{pid}/submit").status_code == 200
    assert bob.post(f"/posts/{pid}/approve").status_code == 200
    assert adam.post("/freezes", {"scope": acc, "reason": "Checking the copy"}).status_code == 201
    try:
        while now() <= due:
            time.sleep(0.2)
        stack.tick("publisher")
        assert alice.get(f"/posts/{pid}").json()["status"] == "held"
    finally:
        adam.post(f"/freezes/{acc}/lift")
        ada.post(f"/freezes/{acc}/lift")
    jar = {"Cookie": f"firebreak_session={session_cookie('u_olivia')}", "Origin": stack.api_url}
    page = requests.get(stack.api_url + "/app/freezes", headers=jar, timeout=10)
    assert "it goes back with the new time below" in page.text and 'name="new_time"' in page.text
    csrf = page.text.split('name="csrf-token" content="')[1].split('"')[0]
    url = stack.api_url + "/app/freezes/resubmit"

    def resubmit(form: dict[str, str]) -> requests.Response:
        done = requests.post(url, data=form, headers=jar, timeout=10, allow_redirects=False)
        assert done.status_code == 303, done.text
        return requests.get(done.headers["Location"], headers=jar, timeout=10)

    sent = resubmit({"csrf": csrf, "posts": pid})
    assert "0 held posts sent back" in sent.text and "1 could not be sent" in sent.text
    new = (
        (now() + timedelta(days=1))
        .astimezone(ZoneInfo("Europe/Berlin"))
        .replace(hour=9, minute=30, second=0, microsecond=0)
    )
    form = {"csrf": csrf, "posts": pid, "new_time": new.strftime("%Y-%m-%dT%H:%M")}
    sent = resubmit(form)
    assert "1 held post sent back through approval" in sent.text
    back = alice.get(f"/posts/{pid}").json()
    assert back["status"] == "submitted" and back["version"] == 2
    assert back["scheduled_at"].startswith(
        new.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M")
    )
