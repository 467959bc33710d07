"""What an operator sees of a run: correlation keys on every log line, and metrics.

Plain Python, cheap to import, and no I/O: the use cases call ``correlate`` and
``count`` / ``seconds`` wherever something worth counting happens; the entry points
(``chalicelib.platform.telemetry``) turn the keys into JSON log fields and flush the
metrics in CloudWatch's embedded metric format with Powertools, once per invocation.

Every metric is named in ``METRICS``: the template's alarms and dashboard use these
names, and ``tests/layout`` checks both sides against this table.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

NAMESPACE = "Firebreak"
SERVICE = "firebreak"

# name -> (unit, what it counts). Units are CloudWatch's.
METRICS: dict[str, tuple[str, str]] = {
    "PostsPublished": ("Count", "posts the publisher put on the network"),
    "PublishFailures": ("Count", "posts that failed for good (a person must look)"),
    "PublishRetries": ("Count", "publish attempts put off (rate limit, network down)"),
    "PostsHeld": ("Count", "due posts held by a freeze or a policy changed since approval"),
    "PostsExpired": ("Count", "due posts never approved in time, or never submitted"),
    "PublisherErrors": ("Count", "posts the publisher could not handle (a store error, a bug)"),
    "IncidentsOpened": ("Count", "incidents opened, by trigger (manual, watcher, ...)"),
    "TimeToFreeze": ("Seconds", "incident opened -> scheduled publishing frozen"),
    "TimeToDecision": ("Seconds", "incident opened -> delete or keep decided"),
    "TimeToDeletion": ("Seconds", "incident opened -> the post deleted and verified gone"),
    "PlaybookFailures": ("Count", "playbook executions that failed at a step"),
    "LinksSpent": ("Count", "mailed decision links used, by kind"),
    "LinksRefused": ("Count", "mailed decision links refused (spent, expired, stale, not yours)"),
    "MailsFailed": ("Count", "mails given up after their last retry"),
    "MailsDeferred": ("Count", "mails that failed once and wait for a retry"),
    "WatcherRuns": ("Count", "watcher runs (its silence raises an alarm)"),
    "AccountsWatched": ("Count", "accounts whose timeline a watcher run read"),
    "MentionsRead": ("Count", "mentions the poller read from the network (billed reads)"),
    "MentionPollsRateLimited": ("Count", "mention polls that met a 429 and paused the account"),
    "MentionsScored": ("Count", "mentions scored and counted into their buckets"),
    "MentionAlerts": ("Count", "surge and negative-share alerts raised"),
}

# Dimensions a metric may carry besides the service; anything else is a mistake.
DIMENSIONS = {"IncidentsOpened": ("trigger",), "LinksSpent": ("kind",), "LinksRefused": ("kind",)}


@dataclass(frozen=True)
class Datum:
    name: str
    value: float
    unit: str
    dimensions: tuple[tuple[str, str], ...] = ()


@dataclass
class _Run:
    keys: dict[str, Any] = field(default_factory=dict)
    metrics: list[Datum] = field(default_factory=list)


_run: ContextVar[_Run | None] = ContextVar("firebreak_run", default=None)


@contextmanager
def invocation(**keys: Any) -> Iterator[_Run]:
    """One Lambda invocation (or one local call of a handler): its keys and metrics."""
    run = _Run({k: v for k, v in keys.items() if v is not None})
    token = _run.set(run)
    try:
        yield run
    finally:
        _run.reset(token)


@contextmanager
def correlate(**keys: Any) -> Iterator[None]:
    """Add correlation keys (account_id, post_id, incident_id, execution) to every log
    line written inside the block; the outer keys come back after it."""
    run = _run.get()
    if run is None:
        yield
        return
    before = dict(run.keys)
    run.keys.update({k: v for k, v in keys.items() if v is not None})
    try:
        yield
    finally:
        run.keys.clear()
        run.keys.update(before)


def tag(**keys: Any) -> None:
    """Add correlation keys for the rest of the invocation (what a request turned out
    to be about, once it is known)."""
    run = _run.get()
    if run is not None:
        run.keys.update({k: v for k, v in keys.items() if v is not None})


def current_keys() -> dict[str, Any]:
    run = _run.get()
    return dict(run.keys) if run else {}


def count(name: str, value: float = 1, **dimensions: str) -> None:
    _record(name, value, dimensions)


def seconds(name: str, value: float, **dimensions: str) -> None:
    _record(name, round(max(0.0, value), 3), dimensions)


def _record(name: str, value: float, dimensions: dict[str, str]) -> None:
    if name not in METRICS:
        raise KeyError(f"unknown metric {name}: name it in chalicelib.core.observe.METRICS")
    allowed = DIMENSIONS.get(name, ())
    unknown = set(dimensions) - set(allowed)
    if unknown:
        raise KeyError(f"metric {name} has no dimension {sorted(unknown)}")
    run = _run.get()
    if run is None:
        return  # outside an invocation (a unit test, a script): nothing to flush to
    run.metrics.append(Datum(name, value, METRICS[name][0], tuple(sorted(dimensions.items()))))


class CorrelationFilter(logging.Filter):
    """Puts the invocation's keys on each record (as ``extra`` would), so the JSON
    formatter writes them as fields. Never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in current_keys().items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True
