"""Ids for stored things, and retrying a decision that lost a race."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from chalicelib.core.errors import Conflict

T = TypeVar("T")


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def sortable_id(now: datetime) -> str:
    """An id for append-only entries: sorts by time, unique within the same microsecond."""
    return f"{now.strftime('%Y%m%dT%H%M%S.%f')}-{secrets.token_hex(4)}"


def retry_on_conflict(decide: Callable[[], T], attempts: int = 3) -> T:
    """Run ``decide`` again when it lost a race (``Conflict``): for a decision whose
    mailed link is already spent, so it must land on the fresh item, not vanish."""
    for attempt in range(attempts):
        try:
            return decide()
        except Conflict:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")
