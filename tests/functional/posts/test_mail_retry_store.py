"""The mail retry queue on DynamoDB (the embedded AWS), as the in-memory store does it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.posts.mail_retry import first_failure
from tests.fakes import MemoryStore
from tests.functional.conftest import now, unique


@pytest.fixture(params=["memory", "dynamodb"])
def store(request, stack):
    from chalicelib.wiring import get_service

    return MemoryStore() if request.param == "memory" else get_service().store


def test_pending_mails_come_due_in_order_and_are_taken_once(store) -> None:
    at = now()
    first = first_failure(
        key=unique("mail-a"), kind="held", post_id="p1", recipient_id="u", now=at, error="x"
    )
    later = first_failure(
        key=unique("mail-b"),
        kind="approval_request",
        post_id="p2",
        recipient_id="u",
        now=at + timedelta(minutes=5),
        error="Throttling",
        detail="It breaks the policy",
    )
    store.put_pending_mail(first)
    store.put_pending_mail(later)
    due = [
        m
        for m in store.due_pending_mails(at + timedelta(minutes=1))
        if m.key in (first.key, later.key)
    ]
    assert due == [first]
    due = [
        m
        for m in store.due_pending_mails(at + timedelta(minutes=10))
        if m.key in (first.key, later.key)
    ]
    assert due == [first, later]
    assert store.take_pending_mail(first) is True
    assert store.take_pending_mail(first) is False  # a second run gets nothing
    # A stale read (another run already put it back with one more failure) takes nothing
    again = later.failed_again(at + timedelta(minutes=6), "Throttling")
    store.put_pending_mail(again)
    assert store.take_pending_mail(later) is False
    assert store.take_pending_mail(again) is True
    assert [
        m
        for m in store.due_pending_mails(at + timedelta(days=1))
        if m.key in (first.key, later.key)
    ] == []
