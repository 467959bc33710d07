"""The brand's Mastodon and Bluesky accounts go through the same product as its X one
(X5), on the shared local stack: drafts checked by each network's own length rule,
approval and the publisher, a freeze of ``all`` holding every account of the brand,
mentions polled into the engagement queue and answered as replies on that network,
and the web app naming the network. The adapters' own operations are tested against
their sandboxes in ``tests/functional/mastodon`` and ``tests/functional/bluesky``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from firebreak_local.stack import LocalStack
from tests.functional.conftest import later, unique
from tests.functional.mentions.conftest import poll, queue_items

NETWORKS = ("mastodon", "bluesky")


def _seeded(stack: LocalStack, network: str) -> Any:
    assert stack.seed is not None
    return stack.seed.accounts[network]


def _draft(api: Any, account: str, text: str, minutes: int | None = None) -> Any:
    """A draft, scheduled ``minutes`` ahead, or unscheduled: a draft left behind must
    not come due in later tests' publisher runs."""
    body: dict[str, Any] = {"text": text}
    if minutes is not None:
        body["scheduled_at"] = later(minutes).isoformat()
    return api.post(f"/accounts/{account}/posts", body)


@pytest.mark.parametrize(
    ("network", "fits", "too_long", "message"),
    [
        # Mastodon counts graphemes, a link 23 however long, a remote mention as @user.
        (
            "mastodon",
            "ü" * 420 + " https://acme.example/" + "p" * 200 + " @fan@other.example " + "🧑‍🚀" * 35,
            "a" * 501,
            "is 501 characters, Mastodon allows 500 (every link counts 23)",
        ),
        # Bluesky counts graphemes (a ZWJ family is one) and keeps links whole.
        (
            "bluesky",
            "👨‍👩‍👧‍👦" * 100 + "a" * 200,
            "a" * 301,
            "is 301 graphemes, Bluesky allows 300",
        ),
    ],
)
def test_drafts_are_checked_by_their_networks_own_length_rule(
    stack, alice, network, fits, too_long, message
) -> None:
    account = _seeded(stack, network).account_id
    ok = _draft(alice, account, fits)
    assert ok.status_code == 201, ok.text
    assert ok.json()["network"] == network
    refused = _draft(alice, account, too_long)
    assert refused.status_code == 400
    assert message in refused.text


def test_an_x_length_draft_fits_on_mastodon_but_not_on_x(stack, alice, account) -> None:
    text = "Our autumn menu is here. " * 14  # 350 characters
    assert _draft(alice, account, text).status_code == 400
    assert _draft(alice, _seeded(stack, "mastodon").account_id, text).status_code == 201


@pytest.mark.parametrize("network", NETWORKS)
def test_an_approved_post_is_published_once_on_its_network(stack, alice, bob, network) -> None:
    seeded = _seeded(stack, network)
    text = unique(f"Fresh beans on {network}: https://acme.example/beans")
    post = _draft(alice, seeded.account_id, text, minutes=45).json()
    assert alice.post(f"/posts/{post['id']}/submit").status_code == 200
    assert bob.post(f"/posts/{post['id']}/approve").json()["status"] == "approved"
    when = later(45) + timedelta(seconds=1)
    report = stack.tick(at=when)
    assert post["id"] in report["published"]
    got = alice.get(f"/posts/{post['id']}").json()
    assert got["status"] == "published" and got["network_post_id"]
    on_network = stack.sandbox(network).post(got["network_post_id"])
    assert on_network["text"] == text and on_network["deleted"] is False
    stack.tick(at=when + timedelta(minutes=3))  # a later run publishes nothing again
    assert alice.get(f"/posts/{post['id']}").json()["network_post_id"] == got["network_post_id"]


def test_a_freeze_of_all_holds_the_brands_posts_on_every_network(stack, alice, bob, users) -> None:
    adam, ada = users["u_adam"], users["u_ada"]
    posts = {}
    for network in ("x", *NETWORKS):
        account = _seeded(stack, network).account_id
        post = _draft(alice, account, unique(f"Held on {network}"), minutes=50).json()
        alice.post(f"/posts/{post['id']}/submit")
        assert bob.post(f"/posts/{post['id']}/approve").status_code == 200
        posts[network] = post["id"]
    frozen = adam.post("/freezes", {"scope": "all", "reason": unique("stop everything")})
    assert frozen.status_code == 201, frozen.text
    try:
        stack.tick(at=later(50) + timedelta(seconds=1))
        for network, post_id in posts.items():
            assert alice.get(f"/posts/{post_id}").json()["status"] == "held", network
    finally:
        assert adam.post("/freezes/all/lift").status_code == 202
        assert ada.post("/freezes/all/lift").status_code == 200


@pytest.fixture
def listening(stack: LocalStack) -> Iterator[Callable[[str], None]]:
    """Lets a seeded account listen to its mentions for one test (the shared stack's
    Mastodon and Bluesky accounts do not, so that other tests' polls skip them)."""
    from chalicelib.mentions.domain import MentionSettings
    from chalicelib.wiring import get_mentions

    store = get_mentions().poller.mentions
    started: list[str] = []

    def listen(account_id: str) -> None:
        store.put_settings(account_id, MentionSettings(enabled=True))
        started.append(account_id)

    yield listen
    for account_id in started:
        store.put_settings(account_id, MentionSettings(enabled=False))


@pytest.mark.parametrize("network", NETWORKS)
def test_mentions_reach_the_queue_and_are_answered_on_their_network(
    stack, alice, bob, listening, network
) -> None:
    seeded = _seeded(stack, network)
    listening(seeded.account_id)
    sandbox = stack.sandbox(network)
    # Our post, published through Firebreak, that the fan answers.
    text = unique(f"Ask us anything about our {network} beans")
    post = _draft(alice, seeded.account_id, text, minutes=40).json()
    alice.post(f"/posts/{post['id']}/submit")
    bob.post(f"/posts/{post['id']}/approve")
    when = later(40) + timedelta(seconds=1)
    stack.tick(at=when)
    ours = alice.get(f"/posts/{post['id']}").json()["network_post_id"]
    assert ours

    poll(stack, when + timedelta(seconds=5))  # the account's checkpoint: what came before
    fan = sandbox.add_account(f"fan{network}{post['id'][-6:]}", followers=321)
    fan_id = str(fan.get("did") or fan["id"])
    said = unique("Is the decaf really caffeine free? Asking for my mum")
    made = sandbox.inject_mention(fan_id, seeded.user_id, said, reply_to=ours)
    poll(stack, when + timedelta(minutes=1))

    # The sandbox writes the mention as people do: the account's @handle first.
    items = [i for i in queue_items(alice, seeded.account_id) if said in i["mention"]["text"]]
    assert len(items) == 1, queue_items(alice, seeded.account_id)
    mention = items[0]["mention"]
    assert mention["id"] == made["id"]
    assert mention["about"] == ours and mention["relation"] == "reply"
    assert mention["author_followers"] == 321

    answer = unique("Yes, 99.9% caffeine free, and your mum has good taste")
    sent = alice.post(
        f"/accounts/{seeded.account_id}/queue/{mention['id']}/reply", {"text": answer}
    )
    assert sent.status_code == 201, sent.text
    reply_id = sent.json()["reply"]["network_post_id"]
    on_network = sandbox.post(reply_id)
    # Mastodon notifies only the accounts a status names: the reply names its author.
    named = f"@{mention['author_username']} " if network == "mastodon" else ""
    assert on_network["text"] == named + answer
    assert {"type": "replied_to", "id": made["id"]} in on_network["referenced_tweets"]


@pytest.mark.parametrize("network", NETWORKS)
def test_the_web_app_names_the_accounts_network(stack, network) -> None:
    import requests

    from tests.functional.browser.conftest import session_cookie

    seeded = _seeded(stack, network)
    cookie = {"firebreak_session": session_cookie("u_olivia")}
    name = {"mastodon": "Mastodon", "bluesky": "Bluesky"}[network]
    for path in ("/app/queue", "/app/posts/new"):
        page = requests.get(stack.api_url + path, cookies=cookie, allow_redirects=False, timeout=30)
        assert page.status_code == 200, page.text[:300]
        assert f"{seeded.handle} on {name}" in page.text, path


def test_a_mastodon_instances_own_limit_is_the_one_drafts_get(stack, alice) -> None:
    """The limit is the instance's (``/api/v2/instance``), not Mastodon's default."""
    from dataclasses import replace

    from chalicelib.mentions.domain import MentionSettings
    from chalicelib.wiring import aws_client, get_mentions, get_service, get_settings
    from firebreak_local.seed import add_network_account, network_account

    account = replace(network_account("mastodon"), id="acct_small_instance", handle="@small")
    get_mentions().poller.mentions.put_settings(account.id, MentionSettings(enabled=False))
    sandbox = stack.sandbox("mastodon")
    sandbox.set_max_characters(450)
    try:
        add_network_account(
            get_service().store,
            aws_client("secretsmanager"),
            stack.mastodon,
            account,
            secret_prefix=get_settings().social_secret_prefix,
        )
        assert _draft(alice, account.id, "a" * 450).status_code == 201
        refused = _draft(alice, account.id, "a" * 451)
        assert refused.status_code == 400
        assert "is 451 characters, Mastodon allows 450" in refused.text
    finally:
        sandbox.set_max_characters(500)
