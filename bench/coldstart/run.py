"""Cold start: a fresh process importing the Lambda entry module (app.py) and making one
scheduled-handler call (the publisher, against the embedded AWS), against a bare
``import boto3`` in fresh processes of the same run. Prints the figures, then one JSON line.

Target: ratio (median app init + call / median bare boto3 import) <= 1.6.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "21"))

BARE = """
import time
t0 = time.perf_counter()
import boto3
print(time.perf_counter() - t0)
"""

APP = """
import time
EVENT = {
    "version": "0", "id": "bench", "detail-type": "Scheduled Event", "source": "aws.events",
    "account": "123456789012", "time": "2026-11-25T12:00:00Z", "region": "us-east-1",
    "resources": ["arn:aws:events:us-east-1:123456789012:rule/firebreak-dev-publisher"],
    "detail": {},
}
t0 = time.perf_counter()
import app
t1 = time.perf_counter()
app.publish_due(EVENT, None)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def run(code: str, env: dict[str, str]) -> list[float]:
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"benchmark subprocess failed:\n{out.stderr}")
    return [float(x) for x in out.stdout.split()]


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from firebreak_local.stack import LocalStack, StackOptions

    with LocalStack(StackOptions(scheduler=False)) as stack:
        env = {
            k: v
            for k, v in os.environ.items()
            if k.startswith(("AWS_", "FIREBREAK_", "PATH", "HOME", "LANG", "OPENBLAS"))
        }
        # Both sides run from compiled bytecode, as pip left boto3: let the warm-up run
        # write __pycache__ for our modules even where PYTHONDONTWRITEBYTECODE is set.
        run(APP, env)  # warm the page cache and bytecode for both sides alike
        run(BARE, env)
        bare, init, call, total = [], [], [], []
        for _ in range(ROUNDS):  # interleaved, so machine noise hits both sides
            bare.append(run(BARE, env)[0])
            i, c = run(APP, env)
            init.append(i)
            call.append(c)
            total.append(i + c)
        del stack
    med = statistics.median
    result = {
        "rounds": ROUNDS,
        "boto3_import_ms": round(med(bare) * 1000, 1),
        "app_import_ms": round(med(init) * 1000, 1),
        "publisher_call_ms": round(med(call) * 1000, 1),
        "app_total_ms": round(med(total) * 1000, 1),
        # Each round pairs one bare import with one app run back to back, so the ratio
        # of each pair cancels the machine's slow drifts; the median of those is the figure.
        "ratio": round(med([t / b for t, b in zip(total, bare, strict=True)]), 3),
        "ratio_of_medians": round(med(total) / med(bare), 3),
        "ratio_of_minimums": round(min(total) / min(bare), 3),
        "target_ratio": 1.6,
    }
    print(f"bare `import boto3`           median {result['boto3_import_ms']} ms")
    print(f"import app (entry module)     median {result['app_import_ms']} ms")
    print(f"one publisher call            median {result['publisher_call_ms']} ms")
    print(f"init + call                   median {result['app_total_ms']} ms")
    print(f"ratio (median of round pairs) {result['ratio']} (target <= 1.6)")
    medians, minimums = result["ratio_of_medians"], result["ratio_of_minimums"]
    print(f"ratio of medians / minimums   {medians} / {minimums}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
