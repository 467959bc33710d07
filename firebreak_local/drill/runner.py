"""Running the crisis drills: each scenario into its record (problems recorded, never
raised), the scenarios one after the other on a baselined watcher, and ``make drill``'s
command line (``python -m firebreak_local.drill``)."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import requests

from firebreak_local.drill.drive import drive
from firebreak_local.drill.errors import DrillFailed
from firebreak_local.drill.pileon import drive_pileon
from firebreak_local.drill.report import as_json, summary
from firebreak_local.drill.scenarios import DRILLS, PILEONS, SCENARIOS
from firebreak_local.drill.waits import Stopwatch
from firebreak_local.stack import LocalStack, StackOptions

QUIET_LOGGERS = ("werkzeug", "moto", "botocore", "boto3", "urllib3", "firebreak_local")


def baseline_watcher(stack: LocalStack) -> None:
    """Run the watcher once so it only looks at posts that appear from now on."""
    stack.tick("watcher")


def run_scenario(
    stack: LocalStack,
    name: str,
    *,
    tailor_apology: bool = True,
    account_id: str | None = None,
    x_user_id: str | None = None,
) -> dict[str, Any]:
    """Run one drill scenario on the stack's sandbox account and check its outcome
    (a pile-on, one of ``PILEONS``, runs on a listening account of its own; see
    ``firebreak_local.drill.pileon``).

    ``account_id``/``x_user_id``: another account of the demo brand and its sandbox X
    user, instead of the seeded demo account.

    ``tailor_apology``: the commander personalises the drafted apology before a second
    senior approves it. X refuses a post whose text the account posted in the last 24 h,
    and the drafts of two incidents with the same template are identical, so a second
    stock apology within a day fails to publish; pass False to approve the draft as is.

    Returns the scenario's record: name, recommendation, decision, post_deleted,
    apology_posted, final_status, seconds (automated and human totals, with their
    steps), plus incident_id, checklist_done, postmortem, notes, ok and problems.
    A pile-on's record adds trigger, account_id, spike, queue, reply and damage.
    A drill that goes wrong is recorded in ``problems``, never raised."""
    record: dict[str, Any] = {
        "name": name,
        "incident_id": None,
        "commander": None,
        "recommendation": None,
        "hack_suspected": None,
        "hack_confirmed": None,
        "hack_answered_by": None,
        "played_at": stack.clock.now().isoformat(),
        "reasons": [],
        "decision": None,
        "post_deleted": None,
        "checklist_done": None,
        "apology_posted": False,
        "apology_mode": None,
        "apology_text": None,
        "final_status": None,
        "seconds": {},
        "postmortem": None,
        "notes": [],
        "ok": False,
        "problems": [],
    }
    if name in PILEONS:
        record.update(
            network="x",
            trigger=None,
            account_id=None,
            spike=None,
            queue=None,
            reply=None,
            damage=None,
        )
    watch = Stopwatch()
    try:
        assert stack.seed is not None
        if name in PILEONS:
            drive_pileon(stack, PILEONS[name], record, watch)
        else:
            scenario = SCENARIOS[name]
            own = stack.seed.accounts.get(scenario.network)
            if own is None:
                raise DrillFailed(f"the stack has no {scenario.network} account to play on")
            target = (account_id or own.account_id, x_user_id or own.user_id)
            record.update(network=scenario.network, account_id=target[0])
            drive(stack, scenario, record, watch, target, tailor_apology=tailor_apology)
    except (DrillFailed, requests.RequestException) as exc:
        record["problems"].append(f"{type(exc).__name__}: {exc}")
    record["seconds"] = watch.seconds()
    record["ok"] = not record["problems"]
    return record


def quiet_logs() -> None:
    """Warnings and errors only, from the servers, the SDKs and the app: the summary
    stays readable. Call it again once the stack runs (importing the app sets its
    logger to INFO). The API server's per-request lines (http.server's
    ``log_message``, not logging) are switched off as well."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    from chalice.local import ChaliceRequestHandler

    def _no_access_log(self: Any, fmt: str, *args: Any) -> None:
        return None

    setattr(ChaliceRequestHandler, "log_message", _no_access_log)  # noqa: B010


@contextmanager
def app_logs_to(stream: IO[str]) -> Iterator[None]:
    """The app's JSON log lines and EMF documents go to ``stream`` (a file), so the
    summary on stdout stays readable and its last line stays the JSON record."""
    from chalicelib.platform import telemetry

    handler = telemetry.configure_logging(stream=stream, level="INFO")
    telemetry.metrics_stream[0] = stream
    try:
        yield
    finally:
        handler.stream = None
        telemetry.metrics_stream[0] = None


def run_drills(
    stack: LocalStack, names: list[str], *, tailor_apology: bool = True
) -> list[dict[str, Any]]:
    """Baseline the watcher, then run the scenarios one after the other."""
    baseline_watcher(stack)
    return [run_scenario(stack, name, tailor_apology=tailor_apology) for name in names]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m firebreak_local.drill",
        description="Crisis drills against a fresh local stack; nothing leaves the machine.",
    )
    parser.add_argument(
        "--scenario",
        action="append",
        choices=list(DRILLS),
        help="run only this scenario (repeatable; default: all, in order)",
    )
    parser.add_argument(
        "--at",
        help="play the drill from this moment, e.g. 2026-12-01T02:30:00Z (default: now)",
    )
    parser.add_argument(
        "--logs",
        default="build/drill-logs.jsonl",
        help="where the app's JSON log lines and EMF metric documents go "
        "(default: build/drill-logs.jsonl)",
    )
    parser.add_argument(
        "--stock-apology",
        action="store_true",
        help="approve each drafted apology unchanged instead of tailoring it first",
    )
    args = parser.parse_args(argv)
    from chalicelib.core.clock import parse_play_at

    try:
        at = parse_play_at(args.at) if args.at else None
    except ValueError as exc:
        parser.error(f"--at: {exc}")
    names = args.scenario or list(DRILLS)
    quiet_logs()
    print("Crisis drills on a fresh local stack; nothing leaves this machine.", flush=True)
    logs = Path(args.logs)
    logs.parent.mkdir(parents=True, exist_ok=True)
    with (
        logs.open("w", encoding="utf-8") as log_file,
        app_logs_to(log_file),
        LocalStack(StackOptions(scheduler=False, at=at)) as stack,
    ):
        quiet_logs()
        print(f"Playing at {stack.clock.now():%Y-%m-%d %H:%M:%S} UTC.", flush=True)
        records = run_drills(stack, names, tailor_apology=not args.stock_apology)
    print(f"The app's JSON logs and metrics: {logs}", flush=True)
    print(flush=True)
    for record in records:
        print(summary(record), flush=True)
        print(flush=True)
    failed = [r["name"] for r in records if not r["ok"]]
    if failed:
        print(f"DRILL FAILED: {', '.join(failed)} did not end as expected.", flush=True)
    else:
        print(f"All {len(records)} drills ended as expected.", flush=True)
    print(as_json(records), flush=True)
    return 1 if failed else 0
