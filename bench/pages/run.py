"""How fast the web app's pages render, server side (``make bench-pages``).

A local stack with a lived-in brand (two drilled incidents, posts across the calendar),
one signed-in brand owner, and every GET page of the web app (``chalicelib.web.site``)
requested over loopback, round-robin with ``GET /health`` as the baseline in the same
run (these machines are noisy). Warm: each page is requested a few times before timing.
Also: the first page after start (Jinja2 and the templates load then, never at import),
and whether importing ``app.py`` loads Jinja2 (it must not: scheduled handlers' cold
starts do not pay for pages).

Target: every page's p95 under 150 ms. Human-readable lines first, then one JSON object.

    python bench/pages/run.py [--rounds 40]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
TARGET_MS = 150.0
PLAY_AT = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)
WARMUP = 3


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)


def _seed(stack: Any) -> dict[str, str]:
    """Incidents from two drills and a calendar of posts; the ids pages need."""
    from firebreak_local import drill
    from tests.functional.conftest import Api

    drill.baseline_watcher(stack)
    for scenario in ("lewd", "clumsy"):
        drill.run_scenario(stack, scenario)
    seed = stack.seed
    alice = Api(stack.api_url, seed.key("u_alice"))
    bob = Api(stack.api_url, seed.key("u_bob"))
    post_id = ""
    for i in range(24):
        at = (PLAY_AT + timedelta(days=1 + i % 20, hours=i % 9)).isoformat()
        res = alice.post(
            f"/accounts/{seed.account_id}/posts",
            {"text": f"Fresh roast no. {i}", "scheduled_at": at},
        )
        res.raise_for_status()
        post_id = res.json()["id"]
        if i % 2:
            alice.post(f"/posts/{post_id}/submit").raise_for_status()
        if i % 4 == 1:
            bob.post(f"/posts/{post_id}/approve").raise_for_status()
    owner = Api(stack.api_url, seed.key("u_olivia"))
    incidents = owner.get("/incidents").json()["incidents"]
    mention_id = _a_mention(stack)
    return {
        "post_id": post_id,
        "incident_id": incidents[0]["id"],
        "account_id": seed.account_id,
        "mention_id": mention_id,
    }


def _a_mention(stack: Any) -> str:
    """A mention in the demo account's queue: one poll to start listening, one that reads
    a mention posted in between (the queue driver scores it)."""
    from chalicelib.mentions.engage import OPEN_STATES
    from chalicelib.wiring import get_mentions

    seed = stack.seed
    start = stack.clock.now().replace(second=0, microsecond=0) + timedelta(minutes=2)
    stack.tick("mention_poller", at=start)
    stack.x.app.inject_mention(
        seed.x_user_id,
        "Is the winter blend back? Asking for the whole office",
        author_username="fan_of_acme",
        created_at=start + timedelta(seconds=5),
    )
    stack.tick("mention_poller", at=start + timedelta(minutes=1))
    assert stack.queues is not None
    stack.queues.drain()
    found = get_mentions().engagement.queue_store.queue(seed.account_id, OPEN_STATES, 1)
    assert found, "the mention was not read into the queue"
    return str(found[0][0].id)


# Every GET page, with what it needs; fragments are asked for as htmx asks for them.
PAGES = (
    "/app",
    "/app/calendar",
    "/app/calendar/events?account={account_id}&start=2026-03-01T00:00&end=2026-04-12T00:00",
    "/app/posts/new",
    "/app/posts/{post_id}",
    "/app/posts/{post_id}/edit",
    "/app/approvals",
    "/app/incidents",
    "/app/incidents/{incident_id}",
    "/app/incidents/{incident_id}/state",
    "/app/incidents/{incident_id}/live",
    "/app/incidents/{incident_id}/postmortem",
    "/app/incidents/{incident_id}/postmortem.md",
    "/app/queue",
    "/app/queue/{account_id}",
    "/app/queue/{account_id}/{mention_id}",
    "/app/freezes",
    "/app/audit",
    "/app/signin",
)
FRAGMENTS = ("/state", "/live", "{mention_id}")


def _pages(ids: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    """Each page's URL and headers; fails if a GET page of the app is not measured."""
    from chalicelib.web.site import site

    listed = {p.split("?")[0] for p in PAGES}
    missing = {p for p, m in site.paths if m == "GET" and p not in listed} - {
        "/app/signin/{token}"  # a mailed link: spent by the sign-in, not a page to time
    }
    assert not missing, f"pages the benchmark does not measure: {sorted(missing)}"
    return [
        (p.format(**ids), {"HX-Request": "true"} if any(f in p for f in FRAGMENTS) else {})
        for p in PAGES
    ]


def _imports_jinja() -> bool:
    code = "import sys, app; print('jinja2' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout.strip() == "True"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args(argv)

    from firebreak_local.stack import LocalStack, StackOptions
    from tests.functional.browser.conftest import session_cookie

    with LocalStack(StackOptions(scheduler=False, at=PLAY_AT)) as stack:
        cookie = {"Cookie": f"firebreak_session={session_cookie('u_olivia')}"}
        http = requests.Session()
        t0 = time.perf_counter()
        first = http.get(stack.api_url + "/app/signin", timeout=30)
        first_render_s = time.perf_counter() - t0
        assert first.status_code == 200
        ids = _seed(stack)
        pages = _pages(ids)
        targets = [("/health", {}), *pages]
        times: dict[str, list[float]] = {t: [] for t, _ in targets}
        for round_ in range(WARMUP + args.rounds):
            for target, headers in targets:
                started = time.perf_counter()
                res = requests.get(
                    stack.api_url + target, headers={**cookie, **headers}, timeout=30
                )
                elapsed = time.perf_counter() - started
                # /health says 503 here: no scheduler runs, so its heartbeats are stale.
                if res.status_code != 200 and target != "/health":
                    print(f"{target}: {res.status_code} {res.text[:200]}")
                    return 1
                if round_ >= WARMUP:
                    times[target].append(elapsed)
    health_p95 = _p(times["/health"], 0.95)
    figures = {
        t: {
            "p50_ms": _p(v, 0.5),
            "p95_ms": _p(v, 0.95),
            "mean_ms": round(statistics.mean(v) * 1000, 1),
        }
        for t, v in times.items()
    }
    print(f"{'page':<44} {'p50 ms':>8} {'p95 ms':>8}")
    for target, f in figures.items():
        print(f"{target:<44} {f['p50_ms']:>8} {f['p95_ms']:>8}")
    worst = max((f["p95_ms"], t) for t, f in figures.items() if t != "/health")
    jinja_at_import = _imports_jinja()
    print(
        f"worst page p95 {worst[0]} ms ({worst[1]}), /health p95 {health_p95} ms; "
        f"target < {TARGET_MS} ms"
    )
    print(
        f"first page after start {first_render_s * 1000:.0f} ms (Jinja2 loads then); "
        f"import app loads jinja2: {jinja_at_import}"
    )
    result = {
        "pages": figures,
        "page_count": len(pages),
        "health_p95_ms": health_p95,
        "worst_page": worst[1],
        "worst_page_p95_ms": worst[0],
        "worst_over_health": round(worst[0] / health_p95, 2) if health_p95 else None,
        "target_ms": TARGET_MS,
        "first_page_ms": round(first_render_s * 1000, 1),
        "app_import_loads_jinja2": jinja_at_import,
        "ok": worst[0] < TARGET_MS and not jinja_at_import,
    }
    print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
