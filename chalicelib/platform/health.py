"""``GET /health``: each component's state, checked with one cheap call each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

PUBLISHER_STALE_AFTER = timedelta(minutes=3)


def _probe(check: Callable[[], dict[str, Any] | None]) -> dict[str, Any]:
    try:
        extra = check() or {}
    except Exception as exc:  # noqa: BLE001 - a probe reports every failure as 'down'
        return {"status": "down", "error": type(exc).__name__}
    return {"status": extra.pop("status", "ok"), **extra}


def check_health() -> dict[str, Any]:
    from chalicelib.core.settings import get_settings
    from chalicelib.wiring import aws_client, get_service

    settings = get_settings()

    def table() -> dict[str, Any]:
        res = aws_client("dynamodb").describe_table(TableName=settings.table_name)
        return {"table": settings.table_name, "state": res["Table"]["TableStatus"]}

    def mail() -> dict[str, Any]:
        aws_client("sesv2").get_email_identity(EmailIdentity=settings.sender_email)
        return {"sender": settings.sender_email}

    def secrets() -> None:
        aws_client("secretsmanager").list_secrets(MaxResults=1)

    def x() -> dict[str, Any]:
        if not settings.x_api_base_url:
            return {"endpoint": "api.twitter.com", "checked": False}
        import requests

        requests.get(settings.x_api_base_url.rstrip("/") + "/_sandbox/health", timeout=2)
        return {"endpoint": "sandbox"}

    def scheduled(job: str) -> Callable[[], dict[str, Any]]:
        def check() -> dict[str, Any]:
            last = get_service().store.get_heartbeat(job)
            now = get_service().clock.now()
            fresh = last is not None and now - last <= PUBLISHER_STALE_AFTER
            return {
                "status": "ok" if fresh else "down",
                "last_run": last.isoformat() if last else None,
            }

        return check

    def playbook() -> dict[str, Any]:
        res = aws_client("stepfunctions").describe_state_machine(
            stateMachineArn=settings.state_machine_arn
        )
        return {"state_machine": res["name"], "state": res.get("status", "ACTIVE")}

    components = {
        "api": {"status": "ok"},
        "table": _probe(table),
        "mail": _probe(mail),
        "secrets": _probe(secrets),
        "x": _probe(x),
        "publisher": _probe(scheduled("publisher")),
        "watcher": _probe(scheduled("watcher")),
        "mention_poller": _probe(scheduled("mention_poller")),
        "playbook": _probe(playbook),
    }
    overall = "ok" if all(c["status"] == "ok" for c in components.values()) else "down"
    return {"status": overall, "components": components}
