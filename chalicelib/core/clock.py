"""Where Firebreak's time comes from: the system clock when deployed, or a clock that
plays from a chosen moment, so a drill or a test runs at 3 a.m. or at noon whatever
the machine's clock and time zone say. Both implement ``ports.Clock``."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def epoch(self) -> float:
        return time.time()


class PlayClock:
    """Time that starts at ``start`` and runs at the machine's pace from there.

    The pace comes from a monotonic counter, so neither a change of the machine's clock
    nor its time zone moves it."""

    def __init__(self, start: datetime, *, ticks: Callable[[], float] = time.monotonic) -> None:
        if start.tzinfo is None or start.utcoffset() is None:
            raise ValueError("the play clock's start must carry a time zone offset")
        self._start = start.astimezone(UTC)
        self._ticks = ticks
        self._origin = ticks()

    @property
    def start(self) -> datetime:
        return self._start

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._ticks() - self._origin)

    def epoch(self) -> float:
        return self.now().timestamp()


def parse_play_at(value: str) -> datetime:
    """``2026-12-01T02:30:00Z`` (or with an offset) as an aware UTC datetime; the error
    names what is wrong."""
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"not a date-time: {value!r} (expected e.g. 2026-12-01T02:30:00Z)"
        ) from None
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone: add Z or an offset such as +01:00")
    return parsed.astimezone(UTC)
