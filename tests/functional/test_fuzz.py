"""Schemathesis against a stack of its own (``tests/fuzz/run.py``): examples and fuzzed
requests for every operation of ``/openapi.json``, bounded in examples and time. Any
5xx, or any status, content type, header or body the document does not describe, fails.

The run takes about a minute (``FIREBREAK_FUZZ_SECONDS``, default 50 in
``make test``, is the schemathesis part: the web app's browser tests and the Mastodon
and Bluesky accounts took the rest of the suite's 15-minute budget); ``make fuzz`` runs
it alone for 150 s, which is where a longer search belongs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_schemathesis_finds_no_server_error_and_no_mismatch() -> None:
    seconds = os.environ.get("FIREBREAK_FUZZ_SECONDS", "50")
    # The run starts its own stack: none of this session stack's settings may leak in.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "FIREBREAK_", "MOTO_")) or k == "AWS_DEFAULT_REGION"
    }
    run = subprocess.run(
        [sys.executable, "-m", "tests.fuzz.run", "--max-time", seconds],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=int(seconds) + 240,
        check=False,
    )
    lines = run.stdout.strip().splitlines()
    assert lines, run.stderr[-3000:]
    summary = json.loads(lines[-1])
    print(json.dumps(summary))
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    assert summary["failed_operations"] == []
    assert summary["operations"] >= 40, summary
    assert summary["requests"] >= 300, summary
