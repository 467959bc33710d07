"""Templates and assets of the web app. Jinja2 is imported on the first page a Lambda
renders, never at import: a scheduled handler's cold start does not pay for it.

Vendored assets carry a content hash in their names (``static/manifest.json``, written
by ``make assets``), so they are cached for a year and a new version is a new URL.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


@lru_cache(maxsize=1)
def manifest() -> dict[str, str]:
    """Logical asset name -> content-hashed file name under ``static/``."""
    loaded: dict[str, str] = json.loads((STATIC / "manifest.json").read_text(encoding="utf-8"))
    return loaded


@lru_cache(maxsize=1)
def environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["local"] = local_time
    env.filters["since"] = since
    env.filters["network"] = _network
    return env


def render(name: str, **context: Any) -> str:
    base = context["base"]
    context.setdefault("url", lambda path: base + path)
    context.setdefault("asset", lambda logical: f"{base}/assets/{manifest()[logical]}")
    text: str = environment().get_template(name).render(**context)
    return text


def local_time(value: datetime | str | None, zone: str = "UTC", *, date_only: bool = False) -> str:
    """A time as a person reads it: in the account's zone, with the zone named, to the
    minute (``Mon 2 Mar 2026, 03:30 CET``)."""
    from chalicelib.core.times import human_time

    if value is None or value == "":
        return "—"
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return human_time(at, zone, date_only=date_only)


def since(value: datetime | str | None, now: datetime) -> str:
    """How long ago, in words a person reads at a glance (``2 h 5 min``)."""
    if value is None or value == "":
        return "—"
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    minutes = max(0, int((now - at).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    return f"{hours // 24} days"


def _network(value: str) -> str:
    """A network's name as people write it: "x" → "X", "bluesky" → "Bluesky"."""
    from chalicelib.networks.rules import network_name

    return network_name(value)
