"""Firebreak's Lambda entry points. The HTTP API is one Chalice ``Blueprint`` per
capability (``chalicelib/<capability>/routes.py``), registered here; the scheduled jobs
and the playbook's task Lambda are declared here and delegate to ``chalicelib``.

Importing this module touches neither AWS nor the environment.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalice import Chalice, Rate

from chalicelib.accounts import routes as accounts
from chalicelib.api.errors import uniform_errors
from chalicelib.freezes import routes as freezes
from chalicelib.incidents import routes as incidents
from chalicelib.links import routes as links
from chalicelib.mentions import routes as mentions
from chalicelib.platform import routes as platform
from chalicelib.platform.telemetry import observe_request, observing
from chalicelib.posts import routes as posts
from chalicelib.web import routes as web
from chalicelib.wiring import get_mentions, get_playbook, get_service

# Chalice's own log handler stays off: chalicelib.platform.telemetry writes JSON lines.
app = Chalice(app_name="firebreak", configure_logs=False)
# Everything Firebreak serves is text (JSON, pages, scripts, styles, iCal): no binary
# media types, so API Gateway never base64-mangles a page for a browser's Accept header.
app.api.binary_types = []
# Outermost first: every log line of a request, errors included, carries its keys.
app.register_middleware(observe_request, "http")
app.register_middleware(uniform_errors, "http")
# No name_prefix: route and Lambda names stay as they were before blueprints.
for capability in (platform, accounts, posts, freezes, links, incidents, mentions, web):
    app.register_blueprint(capability.api.blueprint)


# ---------------------------------------------------------------- playbook tasks
@app.lambda_function(name="playbook")
def playbook_task(event: dict[str, Any], context: Any) -> dict[str, Any] | None:
    """Every automated step of the playbook state machine; named errors drive Retry/Catch."""
    keys = {k: event.get(k) for k in ("incident_id", "execution", "step")}  # never the token
    with observing(context, job="playbook", **keys):
        return get_playbook().steps.run_step(event)


# ---------------------------------------------------------------- scheduled
@app.schedule(Rate(1, unit=Rate.MINUTES), name="publisher")
def publish_due(event: Any) -> dict[str, Any]:
    """Publish approved posts that are due; expire or hold the rest (P8, P9)."""
    with observing(event.context, job="publisher"):
        now = _event_time(event)
        report = get_service().publisher.publish_due(now)
        get_service().publisher.store_heartbeat("publisher", now)
        return report.to_dict()


@app.schedule(Rate(1, unit=Rate.MINUTES), name="watcher")
def watch_timelines(event: Any) -> dict[str, Any]:
    """Open an incident for each post Firebreak did not publish or the risk scan flags (C1)."""
    with observing(event.context, job="watcher"):
        now = _event_time(event)
        result = get_playbook().watcher.watch(now)
        get_service().publisher.store_heartbeat("watcher", now)
        return result


@app.schedule(Rate(1, unit=Rate.MINUTES), name="reminders")
def remind_status_updates(event: Any) -> dict[str, Any]:
    """Remind incident commanders to post status updates on the severity's cadence (M5);
    escalate urgent mentions nobody took in time (M4)."""
    with observing(event.context, job="reminders"):
        now = _event_time(event)
        report = get_playbook().watcher.remind(now)
        return {**report, **get_mentions().escalation.escalate(now)}


@app.schedule(Rate(1, unit=Rate.MINUTES), name="mention_poller")
def poll_mentions(event: Any) -> dict[str, Any]:
    """Read each account's new mentions from X into the scoring queue (M1)."""
    with observing(event.context, job="mention_poller"):
        now = _event_time(event)
        remaining = getattr(event.context, "get_remaining_time_in_millis", None)
        report = get_mentions().poller.poll(now, remaining)
        get_service().publisher.store_heartbeat("mention_poller", now)
        return report


@app.on_sqs_message(queue="firebreak-mentions", batch_size=10, name="mention_scorer")
def score_mentions(event: Any) -> dict[str, Any]:
    """Score and count the queued mentions, then judge the surge (M2, M3); a message that
    fails is reported alone (ReportBatchItemFailures) and comes back after its timeout."""
    with observing(event.context, job="mention_scorer"):
        return get_mentions().ingest.handle_batch(event.to_dict(), event.context)


def _event_time(event: Any) -> datetime:
    # EventBridge puts the scheduled time in the event: runs are reproducible.
    raw = getattr(event, "time", None) or (event.get("time") if isinstance(event, dict) else None)
    if raw:
        return datetime.fromisoformat(str(raw).replace("Z", "+00:00")).astimezone(UTC)
    return get_service().clock.now()
