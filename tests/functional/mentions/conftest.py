"""Helpers of the mention tests: a fresh listening account per test, a poll followed by
the queue drained into the scorer, mentions placed at chosen times."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.accounts.domain import Account
from firebreak_local.stack import LocalStack
from tests.functional.conftest import now


@pytest.fixture
def listener(stack: LocalStack) -> Iterator[dict[str, Any]]:
    """A fresh account of the seeded brand on the sandbox X, with the base of its polls:
    a minute boundary well ahead of the stack's clock."""
    from chalicelib.wiring import aws_client, get_service, get_settings
    from firebreak_local.seed import add_account

    assert stack.seed is not None
    seeded = get_service().store.get_account(stack.seed.account_id)
    assert seeded is not None
    suffix = uuid.uuid4().hex[:8]
    account = Account(
        id=f"acc_m{suffix}",
        brand_id=seeded.brand_id,
        name=f"Listener {suffix}",
        network="x",
        handle=f"@listen_{suffix}",
        timezone="Europe/Berlin",
    )
    x_user = add_account(
        get_service().store,
        aws_client("secretsmanager"),
        stack.x.app,
        account,
        secret_prefix=get_settings().social_secret_prefix,
    )
    start = now() + timedelta(minutes=2)
    base = start.replace(second=0, microsecond=0) + timedelta(minutes=1)
    yield {"account_id": account.id, "x_user_id": x_user["id"], "base": base}
    # The account stops listening: later tests' polls (every account, as deployed) and
    # escalation runs skip it instead of reading its X mentions and its queue again.
    from chalicelib.mentions.domain import MentionSettings
    from chalicelib.wiring import get_mentions

    get_mentions().poller.mentions.put_settings(account.id, MentionSettings(enabled=False))


def poll(stack: LocalStack, at: datetime) -> dict[str, Any]:
    """One mention poll at ``at``, then the queue drained into the scorer."""
    report: dict[str, Any] = stack.tick("mention_poller", at=at)
    assert stack.queues is not None
    stack.queues.drain(timeout_s=60)
    return report


def mention(stack: LocalStack, who: dict[str, Any], text: str, at: datetime, **kw: Any) -> str:
    made = stack.x.app.inject_mention(
        who["x_user_id"],
        text,
        author_username=kw.pop("author", f"fan_{uuid.uuid4().hex[:6]}"),
        created_at=at,
        **kw,
    )
    return str(made["id"])


def window(base: datetime) -> dict[str, str]:
    return {"from": iso(base - timedelta(hours=1)), "to": iso(base + timedelta(hours=1))}


def calls_for(stack: LocalStack, x_user_id: str) -> int:
    return sum(x_user_id in str(r.get("path", "")) for r in stack.x.app.request_log())


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_in(
    stack: LocalStack, who: dict[str, Any], texts: list[tuple[str, dict[str, Any]]]
) -> None:
    """Listen from ``base``, then read ``texts`` (with inject options) in the next poll."""
    base = who["base"]
    poll(stack, base)
    for i, (text, options) in enumerate(texts):
        mention(stack, who, text, base + timedelta(seconds=5 + i), **options)
    poll(stack, base + timedelta(minutes=1))


def queue_items(api: Any, acc: str, **params: Any) -> list[dict[str, Any]]:
    """The account's engagement queue, as the API gives it."""
    got = api.get(f"/accounts/{acc}/queue", **params)
    assert got.status_code == 200, got.text
    items: list[dict[str, Any]] = got.json()["items"]
    return items
