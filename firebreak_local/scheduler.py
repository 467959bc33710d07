"""Fires every ``@app.schedule`` handler at its rate, as EventBridge does when deployed.

moto stores EventBridge rules but never triggers them, so the local stack runs
the scheduled handlers itself, each with an EventBridge-shaped scheduled event.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import UTC, datetime
from typing import Any

from firebreak_local.aws import lambda_context

logger = logging.getLogger("firebreak_local.scheduler")

_UNIT_SECONDS = {
    "MINUTE": 60,
    "MINUTES": 60,
    "HOUR": 3600,
    "HOURS": 3600,
    "DAY": 86400,
    "DAYS": 86400,
}


def scheduled_event(name: str, at: datetime) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "us-east-1",
        "resources": [f"arn:aws:events:us-east-1:123456789012:rule/firebreak-dev-{name}"],
        "detail": {},
    }


def schedules(app: Any) -> dict[str, float]:
    """Handler name -> interval in seconds, for every rate() schedule of the app."""
    found: dict[str, float] = {}
    for source in app.event_sources:
        expression = getattr(source, "schedule_expression", None)
        if expression is None:
            continue
        value, unit = getattr(expression, "value", None), getattr(expression, "unit", None)
        if value is None and isinstance(expression, str) and expression.startswith("rate("):
            value, unit = expression[5:-1].split()
        if value is None or unit is None:
            logger.warning(
                "schedule %s (%s) is not a rate; not run locally", source.name, expression
            )
            continue
        found[source.name] = int(value) * _UNIT_SECONDS[str(unit).upper()]
    return found


class Scheduler:
    def __init__(
        self,
        app: Any,
        *,
        speedup: float = 1.0,
        clock: Any = None,
        intervals: dict[str, float] | None = None,
    ) -> None:
        from chalicelib.core.clock import SystemClock

        self.app = app
        self.speedup = speedup
        # Seconds per handler instead of its rate (e.g. the mention poller every 15 s).
        self.intervals = dict(intervals or {})
        self.clock = clock or SystemClock()  # the stack's: EventBridge's time in the event
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> Scheduler:
        for name, rate in schedules(self.app).items():
            interval = self.intervals.get(name, rate)
            thread = threading.Thread(
                target=self._loop,
                args=(name, interval / self.speedup),
                name=f"schedule-{name}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        return self

    def _loop(self, name: str, interval: float) -> None:
        handler = self.app.handler_map[name]
        while not self._stop.is_set():
            try:
                handler(scheduled_event(name, self.clock.now()), lambda_context(name))
            except Exception:
                logger.exception("scheduled handler %s failed", name)
            self._stop.wait(interval)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
