"""Fuzz the API of a fresh local stack with schemathesis (``make fuzz``; ``make test``
runs it through tests/functional/test_fuzz.py).

A stack of its own (fuzzing freezes accounts, decides incidents and edits policies, so
it never shares one with other tests) plays from a fixed moment. Schemathesis reads its
``/openapi.json`` and sends examples and fuzzed requests as the demo brand's admin,
with the path ids pinned to that stack's demo account, a post, an incident, the agency
and a mailed link, so requests reach real resources and not only 404s. Every check is
on: a 5xx, a status or a body the document does not describe fails the run.

    python -m tests.fuzz.run [--max-time 150] [--max-examples 25] [--seed 2026]

The last line of stdout is one JSON object: operations, requests, failures, seconds.
Exit 0 only when schemathesis found nothing."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PLAY_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_headers_conformance,response_schema_conformance"
)


def _prepare(stack: Any) -> dict[str, str]:
    """A post, an incident (waiting for a decision, with a mailed link) and a feed
    secret on the demo account: the ids schemathesis is pinned to."""
    import requests

    from firebreak_local import drill

    assert stack.seed is not None
    seed = stack.seed
    admin = {"X-Api-Key": seed.key("u_adam"), "Content-Type": "application/json"}
    when = (stack.clock.now() + timedelta(days=1)).replace(microsecond=0).isoformat()
    post = requests.post(
        f"{stack.api_url}/accounts/{seed.account_id}/posts",
        headers={**admin, "X-Api-Key": seed.key("u_alice")},
        json={"text": "Fuzzing target", "scheduled_at": when},
        timeout=30,
    ).json()
    x_post = stack.x.app.inject_post(seed.x_user_id, "Fuzzing incident", source="Firebreak")
    incident = requests.post(
        f"{stack.api_url}/incidents",
        headers=admin,
        json={"account_id": seed.account_id, "post": x_post["id"]},
        timeout=30,
    ).json()
    drill.wait_status(incident["id"], "awaiting_decision")
    links = drill.Person(stack, "u_olivia").links("Delete or keep")
    feed = requests.post(
        f"{stack.api_url}/accounts/{seed.account_id}/feed", headers=admin, timeout=30
    ).json()
    secret = str(feed.get("url", "")).rstrip("/").rsplit("/", 1)[-1]
    return {
        "account_id": seed.account_id,
        "post_id": post["id"],
        "incident_id": incident["id"],
        "agency_id": "agency_bright",
        "scope": seed.account_id,
        "item": "rotate_password",
        "token": links[0].rsplit("/", 1)[-1] if links else "x",
        "secret": secret,
    }


def _config(path: Path, pinned: dict[str, str]) -> None:
    lines = ["[parameters]"] + [f'"path.{k}" = "{v}"' for k, v in pinned.items()]
    path.write_text("\n".join(lines) + "\n")


def _counts(report: Path, output: str) -> dict[str, Any]:
    """Operations, requests and failures from the run's ndjson events."""
    operations: set[str] = set()
    requests = 0
    failures: list[str] = []
    for line in report.read_text().splitlines() if report.exists() else []:
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        text = json.dumps(event)
        for label in re.findall(r'"label": "([A-Z]+ /[^"]*)"', text):
            operations.add(label)
        requests += text.count('"response": {')
    for match in re.finditer(r"^_+ (\w+ /\S*) _+$", output, re.MULTILINE):
        failures.append(match.group(1))
    return {"operations": len(operations), "requests": requests, "failed_operations": failures}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.run", description=__doc__)
    parser.add_argument("--max-time", type=int, default=150, help="seconds for schemathesis")
    parser.add_argument("--max-examples", type=int, default=25, help="per operation")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--phases", default="examples,fuzzing", help="schemathesis phases (e.g. add coverage)"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from firebreak_local import drill
    from firebreak_local.stack import LocalStack, StackOptions

    drill.quiet_logs()
    started = time.monotonic()
    # The scheduler runs (publisher, watcher, reminders), as under `make run`, so the
    # health check answers what an operator would see.
    with (
        LocalStack(StackOptions(at=PLAY_AT)) as stack,
        tempfile.TemporaryDirectory() as tmp,
    ):
        drill.quiet_logs()
        assert stack.seed is not None
        pinned = _prepare(stack)
        config = Path(tmp) / "schemathesis.toml"
        _config(config, pinned)
        report = Path(tmp) / "events.ndjson"
        command = [
            str(Path(sys.executable).with_name("schemathesis")),
            "--config-file",
            str(config),
            "run",
            f"{stack.api_url}/openapi.json",
            "--url",
            stack.api_url,
            "--header",
            f"X-Api-Key: {stack.seed.key('u_adam')}",
            "--checks",
            CHECKS,
            "--phases",
            args.phases,
            "--max-examples",
            str(args.max_examples),
            "--max-time",
            str(args.max_time),
            "--seed",
            str(args.seed),
            "--workers",
            "1",
            "--request-timeout",
            "30",
            "--generation-database",
            "none",
            "--no-color",
            "--output-sanitize",
            "true",
            "--report",
            "ndjson",
            "--report-ndjson-path",
            str(report),
        ]
        run = subprocess.run(command, capture_output=True, text=True, check=False)
        output = run.stdout + run.stderr
        print(output, flush=True)
        counts = _counts(report, output)
    counts.update(
        exit_code=run.returncode,
        seconds=round(time.monotonic() - started, 1),
        max_time=args.max_time,
        max_examples=args.max_examples,
    )
    print(json.dumps(counts), flush=True)
    return 0 if run.returncode == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
