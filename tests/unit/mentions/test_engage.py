"""The engagement queue's states, the reply's statuses, four eyes and templates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.core.errors import IllegalTransition, SelfApprovalForbidden, ValidationFailed
from chalicelib.mentions.engage import (
    QueueItem,
    QueueState,
    ReplyStatus,
    ReplyTemplate,
    check_four_eyes,
    render,
    template_fields,
)

T0 = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)


def item() -> QueueItem:
    return QueueItem(account_id="acc", mention_id="123")


def test_new_to_assigned_to_replied_through_an_immediate_reply() -> None:
    assigned = item().assign("u_alice", T0)
    assert (assigned.state, assigned.assignee) == (QueueState.ASSIGNED, "u_alice")
    drafted = assigned.draft_reply("r1", "Thanks!", "u_alice", T0, held_because=())
    assert drafted.reply is not None and drafted.reply.status is ReplyStatus.POSTING
    assert drafted.posting and drafted.pending and not drafted.held
    done = drafted.posted("999", T0 + timedelta(seconds=2))
    assert done.state is QueueState.REPLIED and done.reply is not None
    assert (done.reply.status, done.reply.network_post_id) == (ReplyStatus.POSTED, "999")


def test_a_held_reply_is_approved_or_rejected_and_then_answered_anew() -> None:
    held = item().draft_reply("r1", "Sorry", "u_alice", T0, held_because=("incident open",))
    assert held.held and held.reply is not None and held.reply.version == 1
    with pytest.raises(IllegalTransition):
        held.draft_reply("r2", "Again", "u_alice", T0, held_because=())
    with pytest.raises(IllegalTransition):
        held.dismiss("u_alice")
    with pytest.raises(IllegalTransition):
        held.posted("1", T0)  # not approved yet
    approved = held.approved("u_bob")
    assert approved.posting and approved.reply is not None
    assert approved.reply.decided_by == "u_bob"
    rejected = held.rejected("u_bob", "too flippant")
    assert rejected.reply is not None and rejected.reply.status is ReplyStatus.REJECTED
    assert rejected.open and not rejected.pending
    again = rejected.draft_reply("r2", "We are sorry.", "u_alice", T0, held_because=())
    assert again.reply is not None and again.reply.version == 2


def test_a_reply_x_refuses_fails_and_leaves_the_item_open() -> None:
    posting = item().draft_reply("r1", "Hi", "u_alice", T0, held_because=())
    failed = posting.failed("duplicate content")
    assert failed.reply is not None and failed.reply.status is ReplyStatus.FAILED
    assert failed.open and not failed.pending
    with pytest.raises(IllegalTransition):
        failed.posted("1", T0)


def test_closed_items_stay_closed() -> None:
    dismissed = item().dismiss("u_alice")
    assert dismissed.state is QueueState.DISMISSED
    for move in (
        lambda i: i.assign("u_alice", T0),
        lambda i: i.dismiss("u_alice"),
        lambda i: i.draft_reply("r", "x", "u_alice", T0, held_because=()),
    ):
        with pytest.raises(IllegalTransition):
            move(dismissed)


def test_nobody_approves_their_own_reply() -> None:
    held = item().draft_reply("r1", "Sorry", "u_olivia", T0, held_because=("flagged",))
    assert held.reply is not None
    with pytest.raises(SelfApprovalForbidden):
        check_four_eyes(held.reply, "u_olivia")
    check_four_eyes(held.reply, "u_bob")


def test_queue_items_round_trip() -> None:
    held = item().assign("u_alice", T0).draft_reply("r1", "Hi", "u_alice", T0, ("x",))
    back = QueueItem.from_dict("acc", "123", held.to_dict(), revision=3)
    assert back == QueueItem(**{**held.__dict__, "revision": 3})


def test_templates_name_their_placeholders_and_refuse_broken_ones() -> None:
    t = ReplyTemplate("sorry-en", "acc", "en", "Sorry", "{author} sorry, see {url} {author}")
    assert t.placeholders == ("author", "url")
    assert render(t, {"author": "@ann", "url": "https://acme.example"}).startswith("@ann sorry")
    with pytest.raises(ValidationFailed) as missing:
        render(t, {"author": "@ann"})
    assert missing.value.field == "values.url"
    for text in ("{author", "{0}", "{author!r}", "{author:>10}", "{Author}"):
        with pytest.raises(ValidationFailed):
            template_fields(text)
    for bad in (
        dict(template_id="Bad Id"),
        dict(lang="fr"),
        dict(name=" "),
        dict(text=""),
    ):
        values = {"template_id": "ok", "lang": "en", "name": "n", "text": "t", **bad}
        with pytest.raises(ValidationFailed):
            ReplyTemplate(
                values["template_id"], "acc", values["lang"], values["name"], values["text"]
            )


@pytest.mark.parametrize(
    ("network", "author", "text", "sent"),
    [
        # Mastodon notifies only the accounts a status names: the author is put in front.
        ("mastodon", "fan", "Thanks!", "@fan Thanks!"),
        ("mastodon", "fan@other.example", "Thanks!", "@fan@other.example Thanks!"),
        ("mastodon", "fan", "@Fan thanks, see you!", "@Fan thanks, see you!"),
        ("mastodon", "fan", "Thanks @fan.", "Thanks @fan."),
        ("mastodon", "fan", "Thanks @fanatic", "@fan Thanks @fanatic"),
        ("mastodon", None, "Thanks!", "Thanks!"),
        # X and Bluesky notify the author of what a reply answers.
        ("x", "fan", "Thanks!", "Thanks!"),
        ("bluesky", "fan.bsky.social", "Thanks!", "Thanks!"),
    ],
)
def test_a_reply_names_its_author_where_the_network_needs_it(
    network: str, author: str | None, text: str, sent: str
) -> None:
    from chalicelib.mentions.engagement import addressed

    assert addressed(network, author, text) == sent
