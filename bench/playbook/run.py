"""Benchmark the incident playbook on the local stack (``make bench-playbook``).

(i)  The automated part of each crisis drill (``firebreak_local.drill``): the seconds
     the machinery takes between human actions (post appearing -> awaiting decision,
     decision -> apologising, approval -> monitoring, resolve -> execution done, ...),
     human steps left out. Each scenario runs ``--rounds`` times after one warm-up
     drill that is not counted; medians are reported.
(ii) Post appearing on the account -> its incident listed by ``GET /incidents``, with
     the local scheduler firing only the watcher every ``--interval`` seconds (as
     EventBridge fires it when deployed, at its own rate). Posts are injected at random
     offsets into the interval; median and max are reported.

Targets: automated part under 2 s per scenario (median); post-to-incident within one
watcher interval plus 5 s (max). Human-readable lines first, then one JSON object as
the last line of stdout. Exit 1 when a drill did not end as expected.

    python bench/playbook/run.py [--rounds 3] [--interval 5] [--samples 6]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    from firebreak_local.stack import LocalStack

ROOT = Path(__file__).resolve().parents[2]
AUTOMATED_TARGET_S = 2.0
DETECT_SLACK_S = 5.0
SEED = 2026
PLAY_AT = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def bench_automated(stack: LocalStack, rounds: int) -> dict[str, Any]:
    """(i): each drill scenario ``rounds`` times; medians of the automated seconds."""
    from firebreak_local import drill

    drill.baseline_watcher(stack)
    warmup = drill.run_scenario(stack, "lewd")  # first calls load the triage model etc.
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in drill.SCENARIOS}
    for _ in range(rounds):
        for name in drill.SCENARIOS:
            runs[name].append(drill.run_scenario(stack, name))
    failed = [
        f"{r['name']} ({r['incident_id']}): {'; '.join(r['problems'])}"
        for r in [warmup, *(r for rs in runs.values() for r in rs)]
        if not r["ok"]
    ]
    automated = {
        name: _median([r["seconds"]["automated"] for r in rs]) for name, rs in runs.items()
    }
    steps = {
        name: {
            step: _median([r["seconds"]["automated_steps"].get(step, 0.0) for r in rs])
            for step in rs[0]["seconds"]["automated_steps"]
        }
        for name, rs in runs.items()
    }
    human = {name: _median([r["seconds"]["human"] for r in rs]) for name, rs in runs.items()}
    return {
        "automated_s": automated,
        "automated_steps_s": steps,
        "human_s": human,
        "runs": {name: [r["seconds"]["automated"] for r in rs] for name, rs in runs.items()},
        "failed": failed,
    }


def _watcher_only(app: Any, interval: float, clock: Any) -> Any:
    """The local scheduler, firing only the watcher, every ``interval`` seconds."""
    from firebreak_local.scheduler import Scheduler

    class WatcherOnly(Scheduler):
        def start(self) -> WatcherOnly:
            thread = threading.Thread(
                target=self._loop, args=("watcher", interval), name="schedule-watcher", daemon=True
            )
            thread.start()
            self._threads.append(thread)
            return self

    return WatcherOnly(app, clock=clock)


def bench_detection(stack: LocalStack, interval: float, samples: int) -> dict[str, Any]:
    """(ii): post appearing -> its incident listed by the API, the watcher on a timer."""
    import app as chalice_app
    from firebreak_local import drill

    assert stack.seed is not None
    seed = stack.seed
    rng = random.Random(SEED)
    session = requests.Session()
    session.headers["X-Api-Key"] = seed.key("u_olivia")
    url = f"{stack.api_url}/incidents"

    def listed(post_id: str) -> str | None:
        res = session.get(url, params={"account_id": seed.account_id}, timeout=30)
        res.raise_for_status()
        return next(
            (i["id"] for i in res.json()["incidents"] if i["post"]["network_post_id"] == post_id),
            None,
        )

    drill.baseline_watcher(stack)
    scheduler = _watcher_only(chalice_app.app, interval, stack.clock).start()
    seconds: list[float] = []
    try:
        for n in range(samples):
            time.sleep(rng.uniform(0, interval))
            text = drill.unique_text(
                f"Good morning from the roastery, sample {n + 1}", stack.clock.now()
            )
            post = stack.x.app.inject_post(seed.x_user_id, text, source="Twitter for iPhone")
            started = time.perf_counter()
            deadline = started + interval + 30
            incident_id = None
            while incident_id is None and time.perf_counter() < deadline:
                time.sleep(0.05)
                incident_id = listed(post["id"])
            if incident_id is None:
                raise SystemExit(f"no incident for post {post['id']} after {interval + 30:.0f} s")
            seconds.append(round(time.perf_counter() - started, 3))
            # Let its playbook settle (waiting for a decision) before the next sample.
            drill.wait_status(incident_id, "awaiting_decision")
    finally:
        scheduler.stop()
    return {
        "post_to_incident_s": _median(seconds),
        "post_to_incident_max_s": max(seconds),
        "post_to_incident_samples_s": seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/playbook/run.py", description=__doc__)
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "3")))
    parser.add_argument("--interval", type=float, default=5.0, help="watcher interval, seconds")
    parser.add_argument("--samples", type=int, default=6, help="posts for the detection part")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from firebreak_local import drill
    from firebreak_local.stack import LocalStack, StackOptions

    drill.quiet_logs()
    print(
        f"Playbook benchmark: {args.rounds} rounds of each drill, {args.samples} detection "
        f"samples with the watcher every {args.interval:g} s.",
        flush=True,
    )
    # Played at a fixed moment (03:30 in the account's Berlin): the figures never depend
    # on the machine's clock, and the night is the harder case for the hack signs.
    with LocalStack(StackOptions(scheduler=False, at=PLAY_AT)) as stack:
        drill.quiet_logs()
        automated = bench_automated(stack, args.rounds)
        detection = bench_detection(stack, args.interval, args.samples)

    detect_target = args.interval + DETECT_SLACK_S
    met_automated = all(v < AUTOMATED_TARGET_S for v in automated["automated_s"].values())
    met_detect = detection["post_to_incident_max_s"] <= detect_target
    result = {
        "rounds": args.rounds,
        "automated_s": automated["automated_s"],
        "automated_steps_s": automated["automated_steps_s"],
        "automated_runs_s": automated["runs"],
        "human_s": automated["human_s"],
        "post_to_incident_s": detection["post_to_incident_s"],
        "post_to_incident_max_s": detection["post_to_incident_max_s"],
        "post_to_incident_samples_s": detection["post_to_incident_samples_s"],
        "watcher_interval_s": args.interval,
        "targets": {
            "automated_s": AUTOMATED_TARGET_S,
            "post_to_incident_max_s": detect_target,
        },
        "drills_ok": not automated["failed"],
        "targets_met": met_automated and met_detect and not automated["failed"],
    }

    print("\n(i) automated part of each drill (median of the rounds; human steps excluded)")
    for name, secs in result["automated_s"].items():
        steps = ", ".join(
            f"{k.replace('_', ' ')} {v:.2f}" for k, v in result["automated_steps_s"][name].items()
        )
        runs = ", ".join(f"{v:.2f}" for v in result["automated_runs_s"][name])
        flag = "ok" if secs < AUTOMATED_TARGET_S else "OVER TARGET"
        print(f"  {name:<7} {secs:.2f} s  ({flag}; runs {runs})")
        print(f"          [{steps}]")
    print(f"  target: under {AUTOMATED_TARGET_S:g} s per scenario")
    for failure in automated["failed"]:
        print(f"  ! drill did not end as expected: {failure}")
    print(f"\n(ii) post appearing -> incident listed, watcher every {args.interval:g} s")
    samples = ", ".join(f"{v:.2f}" for v in result["post_to_incident_samples_s"])
    median, worst = result["post_to_incident_s"], result["post_to_incident_max_s"]
    print(f"  median {median:.2f} s, max {worst:.2f} s")
    print(f"  samples: {samples}")
    print(f"  target: max within {detect_target:g} s (one interval + {DETECT_SLACK_S:g} s)")
    print(f"\ntargets met: {'yes' if result['targets_met'] else 'NO'}", flush=True)
    print(json.dumps(result), flush=True)
    return 1 if automated["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
