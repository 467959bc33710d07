"""What a person reads: times in the account's zone with the zone named; and the
vendored assets are exactly what package.json pins."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chalicelib.web.render import local_time, render, since

ROOT = Path(__file__).resolve().parents[3]


def test_times_are_local_with_the_zone_named() -> None:
    at = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)
    assert local_time(at, "Europe/Berlin") == "Mon 2 Mar 2026, 03:30 CET"
    assert local_time(at.isoformat(), "America/New_York") == "Sun 1 Mar 2026, 21:30 EST"
    summer = datetime(2026, 7, 1, 12, 0, 0, 123456, tzinfo=UTC)
    assert local_time(summer, "Europe/Berlin") == "Wed 1 Jul 2026, 14:00 CEST"  # no micros
    assert local_time(None) == "—"
    assert local_time(at, "Europe/Berlin", date_only=True) == "Mon 2 Mar 2026"


def test_since_reads_at_a_glance() -> None:
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert since(datetime(2026, 3, 2, 11, 55, tzinfo=UTC), now) == "5 min"
    assert since(datetime(2026, 3, 2, 9, 50, tzinfo=UTC), now) == "2 h 10 min"
    assert since(datetime(2026, 2, 20, 9, 50, tzinfo=UTC), now) == "10 days"


def test_templates_escape_what_people_typed() -> None:
    html = render(
        "message.html",
        base="https://fb.example/api",
        me=None,
        csrf="",
        path="/app",
        title="<b>t</b>",
        message="<script>alert(1)</script>",
        code="",
        links=[],
    )
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "&lt;b&gt;t&lt;/b&gt;" in html
    assert 'href="https://fb.example/api/assets/app.' in html  # URLs from the public base


def test_vendored_assets_match_the_pinned_packages() -> None:
    if not (ROOT / "node_modules" / "htmx.org").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("node_modules is missing: make test runs npm ci first")
        pytest.skip("node_modules not installed (npm ci)")
    out = subprocess.run(
        [sys.executable, str(ROOT / "infra" / "vendor_assets.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
