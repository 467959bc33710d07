"""Powertools at the entry points: JSON log lines carrying the Lambda context and
Firebreak's correlation keys, and each invocation's metrics flushed in CloudWatch's
embedded metric format (EMF).

``app.py`` wraps every handler: ``observing(...)`` around the scheduled jobs and the
playbook's task Lambda, ``observe_request`` (a Chalice middleware) for the API;
``observed(handler)`` wraps a plain ``(event, context)`` function the same way. The use
cases only call ``chalicelib.core.observe`` (plain Python).

Powertools loads on first use, not at import: an invocation that writes no log line
and counts nothing (a publisher minute with nothing due, the common case) does not pay
for it (~15 ms of a cold start, see ``make bench-coldstart``).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from chalicelib.core.observe import (
    NAMESPACE,
    SERVICE,
    CorrelationFilter,
    Datum,
    correlate,
    invocation,
)

# Our loggers: chalicelib.* (the use cases) and firebreak.* (the API and the local stack).
LOGGER_NAMES = ("chalicelib", "firebreak")

# Path parameters that name what a request is about. Never a token or a feed secret:
# those are credentials and stay out of every log line.
_CORRELATED_PARAMS = ("account_id", "post_id", "incident_id", "agency_id", "scope")

_state = {"cold": True}
_access = logging.getLogger("firebreak.access")
_flush_lock = threading.Lock()


class JsonLines(logging.Handler):
    """One JSON object per record, in Powertools' Logger format (level, location,
    message, timestamp, service, exception, and every correlation key). The formatter
    is built on the first record."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        super().__init__()
        self.stream = stream
        self._formatter: logging.Formatter | None = None
        self.addFilter(CorrelationFilter())

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._formatter is None:
                from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

                self._formatter = LambdaPowertoolsFormatter(service=SERVICE)
            line = self._formatter.format(record)
            stream = self.stream or sys.stdout
            stream.write(line + "\n")
            stream.flush()
        except Exception:  # noqa: BLE001 - a log line must never break its request
            self.handleError(record)


def configure_logging(stream: IO[str] | None = None, level: str | None = None) -> JsonLines:
    """Send our loggers' records as JSON lines (installed once per process; a stream or
    level given later replaces the old one). They stop propagating to the root logger,
    whose handler (Lambda's own) would print each line a second time in plain text.
    The level is ``POWERTOOLS_LOG_LEVEL`` (Powertools' own setting), INFO by default."""
    handler = next(
        (h for h in logging.getLogger(LOGGER_NAMES[0]).handlers if isinstance(h, JsonLines)),
        None,
    )
    if handler is None:
        handler = JsonLines(stream)
        level = level or os.environ.get("POWERTOOLS_LOG_LEVEL", "INFO").upper()
        for name in LOGGER_NAMES:
            logger = logging.getLogger(name)
            logger.addHandler(handler)
            logger.propagate = False
    elif stream is not None:
        handler.stream = stream
    if level:
        for name in LOGGER_NAMES:
            logging.getLogger(name).setLevel(level)
    return handler


def lambda_fields(context: Any) -> dict[str, Any]:
    """The fields Powertools' ``inject_lambda_context`` adds, from a Lambda context
    (the local stack passes one with the same attributes)."""
    fields = {"cold_start": _state["cold"]}
    if context is None:
        return fields
    for key, attr in (
        ("function_name", "function_name"),
        ("function_request_id", "aws_request_id"),
        ("function_arn", "invoked_function_arn"),
        ("function_memory_size", "memory_limit_in_mb"),
    ):
        value = getattr(context, attr, None)
        if value is not None:
            fields[key] = value
    return fields


@contextmanager
def observing(context: Any, **keys: Any) -> Iterator[None]:
    """One invocation: its log lines carry the Lambda fields and ``keys``; its metrics
    are flushed when it ends, whether it returned or raised."""
    configure_logging()
    fields = lambda_fields(context)
    _state["cold"] = False
    with invocation(**fields, **keys) as run:
        try:
            yield
        finally:
            if run.metrics:
                flush_metrics(run.metrics)


def observed(handler: Callable[[Any, Any], Any], **keys: Any) -> Callable[[Any, Any], Any]:
    """Wrap a scheduled or Lambda handler ``(event, context)``."""

    def run(event: Any, context: Any) -> Any:
        with observing(context, **keys):
            return handler(event, context)

    run.__name__ = getattr(handler, "__name__", "handler")
    run.__doc__ = handler.__doc__
    return run


def observe_request(event: Any, get_response: Callable[[Any], Any]) -> Any:
    """Chalice HTTP middleware: the request's ids and what its path names."""
    context = getattr(event, "lambda_context", None)
    request_context = getattr(event, "context", None) or {}
    params = getattr(event, "uri_params", None) or {}
    keys = {k: params[k] for k in _CORRELATED_PARAMS if params.get(k)}
    with observing(context, api_request_id=request_context.get("requestId"), **keys):
        response = get_response(event)
        # The route's template (/links/{token}), never the path itself: no token in a log.
        route = request_context.get("resourcePath") or "?"
        status = getattr(response, "status_code", 0)
        _access.log(
            logging.WARNING if status >= 500 else logging.INFO,
            "%s %s %s",
            getattr(event, "method", "?"),
            route,
            status,
        )
        return response


@contextmanager
def about(**keys: Any) -> Iterator[None]:
    """More correlation keys for part of an invocation (re-exported for handlers)."""
    with correlate(**keys):
        yield


# EMF documents go to stdout, where CloudWatch Logs picks them up; tests may swap it.
metrics_stream: list[IO[str] | None] = [None]


# Powertools flushes a metric by itself at 100 values; counts are summed first and
# durations capped below that, so one invocation's set is always serialised whole.
MAX_VALUES = 99


def flush_metrics(data: list[Datum]) -> None:
    """Write the invocation's metrics as EMF documents with Powertools: one per
    dimension set, each with the ``service`` dimension. Counts are summed per metric;
    a failure here is logged, never raised (the invocation's work is done)."""
    from aws_lambda_powertools.metrics import Metrics

    groups: dict[tuple[tuple[str, str], ...], dict[tuple[str, str], list[float]]] = {}
    for d in data:
        values = groups.setdefault(d.dimensions, {}).setdefault((d.name, d.unit), [])
        if d.unit == "Count" and values:
            values[0] += d.value
        elif len(values) < MAX_VALUES:
            values.append(d.value)
    stream = metrics_stream[0] or sys.stdout
    with _flush_lock:  # Powertools keeps one metric set per process, shared by instances
        metrics = Metrics(namespace=NAMESPACE, service=SERVICE)
        try:
            for dimensions, named in groups.items():
                for key, label in dimensions:
                    metrics.add_dimension(name=key, value=label)
                for (name, unit), values in named.items():
                    for value in values:
                        metrics.add_metric(name=name, unit=unit, value=value)
                doc = metrics.serialize_metric_set()
                metrics.clear_metrics()
                stream.write(json.dumps(doc, separators=(",", ":")) + "\n")
            stream.flush()
        except Exception:
            logging.getLogger(__name__).exception("could not write the invocation's metrics")
        finally:
            metrics.clear_metrics()
