"""The engagement queue (M4) and the damage report (M6) on the local stack: mentions
read from the sandbox X, ranked, assigned, answered through tweepy as replies on X,
held for a second person's approval while an incident is open (mailed link and API),
blocked by the account's rules, escalated when nobody takes an urgent one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from firebreak_local.stack import LocalStack
from tests.functional.conftest import Api, links_for
from tests.functional.mentions.conftest import mention, poll, queue_items, read_in, window


def _find(items: list[dict[str, Any]], word: str) -> dict[str, Any]:
    return next(i for i in items if word in i["mention"]["text"])


def test_the_queue_ranks_by_urgency_and_moves_through_every_state(
    stack: LocalStack, listener: dict[str, Any], alice: Api, bob: Api
) -> None:
    acc = listener["account_id"]
    read_in(
        stack,
        listener,
        [
            ("nice photo", {}),
            (
                "Where is my refund?? Worst service ever, you scammers",
                {"author_public_metrics": {"followers_count": 900_000}},
            ),
            ("Why is the store closed today?", {}),
        ],
    )
    items = queue_items(alice, acc)
    assert len(items) == 3 and all(i["state"] == "new" for i in items)
    urgencies = [i["mention"]["urgency"] for i in items]
    assert urgencies == sorted(urgencies, reverse=True)
    assert "refund" in items[0]["mention"]["text"] and "photo" in items[-1]["mention"]["text"]

    refund, closed, photo = (_find(items, w) for w in ("refund", "closed", "photo"))
    rid = refund["mention"]["id"]
    # new -> assigned (to someone who may reply), then reassigned
    assert (
        alice.post(f"/accounts/{acc}/queue/{rid}/assign", {"assignee": "u_bob"}).status_code == 400
    )
    got = alice.post(f"/accounts/{acc}/queue/{rid}/assign", {"assignee": "u_alice"})
    assert got.status_code == 200 and got.json()["state"] == "assigned"
    assert got.json()["assignee"] == "u_alice"
    # assigned -> replied: posted on X as a reply to the mention
    text = "We are sorry. DM us your order number and we will sort the refund today."
    got = alice.post(f"/accounts/{acc}/queue/{rid}/reply", {"text": text})
    assert got.status_code == 201, got.text
    replied = got.json()
    assert replied["state"] == "replied" and replied["reply"]["status"] == "posted"
    on_x = stack.x.app.post(replied["reply"]["network_post_id"])
    assert {"type": "replied_to", "id": rid} in on_x["referenced_tweets"]
    # new -> dismissed
    pid = photo["mention"]["id"]
    got = alice.post(f"/accounts/{acc}/queue/{pid}/dismiss")
    assert got.status_code == 200 and got.json()["state"] == "dismissed"
    # new -> replied directly, from a template with placeholders
    template = {"lang": "en", "name": "Hours", "text": "{author} we open again at {time}."}
    assert alice.put(f"/accounts/{acc}/reply-templates/hours", template).status_code == 403
    olivia = Api(stack.api_url, stack.seed.key("u_olivia") if stack.seed else None)
    assert olivia.put(f"/accounts/{acc}/reply-templates/hours", template).status_code == 200
    cid = closed["mention"]["id"]
    missing = alice.post(f"/accounts/{acc}/queue/{cid}/reply", {"template_id": "hours"})
    assert missing.status_code == 400 and "time" in missing.text
    got = alice.post(
        f"/accounts/{acc}/queue/{cid}/reply", {"template_id": "hours", "values": {"time": "9:00"}}
    )
    assert got.status_code == 201, got.text
    assert got.json()["reply"]["text"].endswith("we open again at 9:00.")
    assert got.json()["reply"]["text"].startswith("@")
    # Closed states stay closed.
    again = alice.post(f"/accounts/{acc}/queue/{pid}/reply", {"text": "hi"})
    assert again.status_code == 409
    assert alice.post(f"/accounts/{acc}/queue/{rid}/dismiss").status_code == 409
    assert queue_items(alice, acc) == []
    assert {i["mention"]["id"] for i in queue_items(alice, acc, state="replied")} == {rid, cid}
    # An approver cannot draft: reading yes, replying no.
    assert bob.post(f"/accounts/{acc}/queue/{cid}/dismiss").status_code == 403


def test_a_reply_that_breaks_the_accounts_rules_is_blocked(
    stack: LocalStack, listener: dict[str, Any], alice: Api, olivia: Api
) -> None:
    acc = listener["account_id"]
    policy = olivia.put(f"/accounts/{acc}/policy", {"forbidden_phrases": ["competitor"]})
    assert policy.status_code == 200, policy.text
    read_in(stack, listener, [("Is your coffee better than the others?", {})])
    (item,) = queue_items(alice, acc)
    mid = item["mention"]["id"]
    before = len(stack.x.app.posts(author_id=listener["x_user_id"]))
    got = alice.post(
        f"/accounts/{acc}/queue/{mid}/reply", {"text": "Much better than Competitor X"}
    )
    assert got.status_code == 422 and "competitor" in got.text.lower()
    assert len(stack.x.app.posts(author_id=listener["x_user_id"])) == before  # nothing went out
    assert (
        queue_items(alice, acc)[0]["state"] == "new" and queue_items(alice, acc)[0]["reply"] is None
    )


def test_during_an_incident_a_reply_is_held_and_goes_out_once_another_approves_by_link(
    stack: LocalStack, listener: dict[str, Any], alice: Api, bob: Api
) -> None:
    acc = listener["account_id"]
    own = stack.x.app.inject_post(
        listener["x_user_id"], "Our edgy ad", created_at=listener["base"] - timedelta(minutes=9)
    )
    read_in(stack, listener, [("This ad is offensive, take it down", {"reply_to": own["id"]})])
    opened = alice.post("/incidents", {"account_id": acc, "post": own["id"]})
    assert opened.status_code in (200, 201), opened.text
    (item,) = queue_items(alice, acc)
    mid = item["mention"]["id"]
    text = "You are right, and we are sorry. We are taking it down now."
    held = alice.post(f"/accounts/{acc}/queue/{mid}/reply", {"text": text})
    assert held.status_code == 202, held.text
    reply = held.json()["reply"]
    assert reply["status"] == "held" and "incident" in reply["held_because"][0]
    assert held.json()["state"] != "replied"
    mine = [
        p for p in stack.x.app.posts(author_id=listener["x_user_id"]) if text in p.get("text", "")
    ]
    assert mine == []  # nothing on X yet
    # Four eyes: the author cannot approve her own reply (she could not anyway: a drafter).
    assert alice.post(f"/accounts/{acc}/queue/{mid}/reply/approve").status_code == 403
    urls = links_for(stack, "bob@acme.example", mid)
    assert urls, "the approver got no link"
    page = stack_get(urls[-1])
    assert page.status_code == 200 and "Approve the reply" in page.text  # GET changes nothing
    assert queue_items(alice, acc)[0]["reply"]["status"] == "held"
    decided = stack_post(urls[-1], {"action": "approve", "subject_id": mid})
    assert decided.status_code == 200, decided.text
    done = alice.get(f"/accounts/{acc}/queue/{mid}").json()
    assert done["state"] == "replied" and done["reply"]["decided_by"] == "u_bob"
    posted = [
        p for p in stack.x.app.posts(author_id=listener["x_user_id"]) if text in p.get("text", "")
    ]
    assert len(posted) == 1  # out despite the incident's freeze, and once
    assert stack_post(urls[-1], {"action": "approve", "subject_id": mid}).status_code == 410
    assert bob.post(f"/accounts/{acc}/queue/{mid}/reply/approve").status_code == 409


def test_a_held_reply_can_be_rejected_and_answered_anew(
    stack: LocalStack, listener: dict[str, Any], alice: Api, bob: Api
) -> None:
    acc = listener["account_id"]
    read_in(stack, listener, [("you guys suck", {})])
    (item,) = queue_items(alice, acc)
    mid = item["mention"]["id"]
    # No incident here: the risk scan flags the reply itself, so it is held.
    held = alice.post(f"/accounts/{acc}/queue/{mid}/reply", {"text": "No, you suck, idiot."})
    assert held.status_code == 202, held.text
    assert any("risk scan" in why for why in held.json()["reply"]["held_because"])
    assert bob.post(f"/accounts/{acc}/queue/{mid}/reply/reject", {"reason": ""}).status_code == 400
    got = bob.post(f"/accounts/{acc}/queue/{mid}/reply/reject", {"reason": "Never insult a fan."})
    assert got.status_code == 200, got.text
    assert got.json()["reply"]["status"] == "rejected" and got.json()["state"] == "assigned"
    again = alice.post(f"/accounts/{acc}/queue/{mid}/reply", {"text": "Sorry to hear that!"})
    assert again.status_code == 201 and again.json()["reply"]["version"] == 2


def test_an_urgent_mention_nobody_takes_is_escalated_once(
    stack: LocalStack, listener: dict[str, Any], alice: Api, olivia: Api
) -> None:
    acc = listener["account_id"]
    settings = {"escalate_after_s": 600, "urgent_urgency": 0.3}
    assert olivia.put(f"/accounts/{acc}/mentions/settings", settings).status_code == 200
    read_in(
        stack,
        listener,
        [
            ("Your product burned my kid. Answer me now, you idiots!", {}),
            ("cute", {}),
        ],
    )
    urgent = _find(queue_items(alice, acc), "burned")
    assert urgent["mention"]["urgency"] >= 0.3
    base = listener["base"]
    early = stack.tick("reminders", at=base + timedelta(minutes=5))
    assert urgent["mention"]["id"] not in early["escalated"]
    sent = len(stack.mail())
    late = stack.tick("reminders", at=base + timedelta(minutes=12))
    assert urgent["mention"]["id"] in late["escalated"]
    assert _find(queue_items(alice, acc), "cute")["mention"]["id"] not in late["escalated"]
    mails = [m for m in stack.mail()[sent:] if "urgent mention" in m["subject"]]
    assert mails and all("burned" in m["body"] for m in mails)
    assert _find(queue_items(alice, acc), "burned")["escalated_at"] is not None
    again = stack.tick("reminders", at=base + timedelta(minutes=13))
    assert urgent["mention"]["id"] not in again["escalated"]


def test_the_postmortem_measures_the_damage_of_a_scripted_surge(
    stack: LocalStack, listener: dict[str, Any], alice: Api, olivia: Api
) -> None:
    acc, base = listener["account_id"], listener["base"]
    assert olivia.put(f"/accounts/{acc}/mentions/settings", {"warmup_s": 0}).status_code == 200
    own = stack.x.app.inject_post(
        listener["x_user_id"], "Our terrible ad", created_at=base - timedelta(minutes=30)
    )
    poll(stack, base)
    for minute in range(1, 6):
        mention(
            stack,
            listener,
            f"good morning {minute}",
            base + timedelta(minutes=minute - 1, seconds=7),
        )
        poll(stack, base + timedelta(minutes=minute))
    stack.x.app.inject_surge(
        listener["x_user_id"],
        about=own["id"],
        count=200,
        over_s=50,
        negative_share=0.9,
        seed=11,
        ending_at=base + timedelta(minutes=5, seconds=55),
    )
    poll(stack, base + timedelta(minutes=6))
    alerts = alice.get(f"/accounts/{acc}/mentions/alerts").json()["alerts"]
    incident_id = next(a["incident_id"] for a in alerts if a["kind"] == "surge")
    assert incident_id
    # A reply in the thick of it (held: the incident is open), approved by Bob.
    item = queue_items(alice, acc)[0]
    mid = item["mention"]["id"]
    assert (
        alice.post(f"/accounts/{acc}/queue/{mid}/reply", {"text": "We hear you."}).status_code
        == 202
    )
    bob = Api(stack.api_url, stack.seed.key("u_bob") if stack.seed else None)
    assert bob.post(f"/accounts/{acc}/queue/{mid}/reply/approve").status_code == 200
    # The crowd calms down: six quiet minutes.
    for minute in range(7, 13):
        mention(
            stack, listener, f"ok then {minute}", base + timedelta(minutes=minute - 1, seconds=9)
        )
        poll(stack, base + timedelta(minutes=minute))

    report = alice.get(f"/incidents/{incident_id}/postmortem").json()
    damage = report["mentions"]
    assert damage["mentions"] >= 200
    assert damage["peak"]["total"] >= 100 and damage["peak"]["expected"] < 5
    # The scorer reads about half of the sandbox's 90 % angry texts as negative.
    assert damage["negative_share"] > (damage["usual_negative_share"] or 0) + 0.2
    assert damage["first_reply_s"] is not None and damage["first_reply_s"] >= 0
    assert damage["back_to_baseline_s"]["volume"] is not None
    top = damage["top_authors"]
    assert top and top[0]["followers"] >= top[-1]["followers"]
    assert any(c["band"] for c in damage["curve"])
    page = alice.get(f"/incidents/{incident_id}/postmortem/page")
    assert page.status_code == 200 and "Mentions per bucket" in page.text
    assert window(base)  # the helper's window covers the whole scripted surge


def stack_get(url: str) -> Any:
    import requests

    return requests.get(url, timeout=30)


def stack_post(url: str, form: dict[str, str]) -> Any:
    import requests

    return requests.post(url, data=form, timeout=30)


def test_an_approval_mail_that_fails_is_sent_by_the_next_reminders_run(
    stack: LocalStack, listener: dict[str, Any], alice: Api, monkeypatch: Any
) -> None:
    from chalicelib.ports import MailFailed
    from chalicelib.wiring import get_service

    acc = listener["account_id"]
    read_in(stack, listener, [("you all stink", {})])
    (item,) = queue_items(alice, acc)
    mid = item["mention"]["id"]
    mailer = get_service().mailer
    send = mailer.send

    def refuse_bob(*, to: str, subject: str, text: str, html: str) -> str:
        if to == "bob@acme.example":
            raise MailFailed("Throttling")
        return send(to=to, subject=subject, text=text, html=html)

    monkeypatch.setattr(mailer, "send", refuse_bob)
    held = alice.post(f"/accounts/{acc}/queue/{mid}/reply", {"text": "No, you stink, idiot."})
    assert held.status_code == 202, held.text  # held: the scan flags it
    assert links_for(stack, "bob@acme.example", mid) == []
    others = links_for(stack, "olivia@acme.example", mid)
    assert len(others) == 1  # the others were told at once
    monkeypatch.setattr(mailer, "send", send)  # the mail service is back

    stack.tick("reminders", at=listener["base"] + timedelta(minutes=2))
    assert len(links_for(stack, "bob@acme.example", mid)) == 1
    assert links_for(stack, "olivia@acme.example", mid) == others  # not told twice
    stack.tick("reminders", at=listener["base"] + timedelta(minutes=3))
    assert len(links_for(stack, "bob@acme.example", mid)) == 1  # and not again
