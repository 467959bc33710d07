"""Command line for the surge detector: ``python -m chalicelib.mentions detect``.

Reads CSV ``timestamp,value`` on stdin (NAB's format: a header line, then one
bucket per line, timestamps increasing) and writes CSV
``timestamp,value,anomaly_score,alert`` on stdout, one row per input row, fed to
the detector point by point. Every field of ``SurgeSettings`` is an option
(``--bucket-s 60``, ``--cooldown-s 3600``, ...). A bad line stops the run with an
error on stderr naming its line number (exit code 1).
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import fields
from datetime import UTC, datetime
from typing import TextIO

from chalicelib.mentions.detector import SurgeDetector, SurgeSettings


class BadLine(ValueError):
    """A line that cannot be read; the message says why."""


def _timestamp(text: str) -> datetime:
    try:
        ts = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadLine(f"bad timestamp {text!r} (want e.g. 2015-02-26 21:42:53)") from None
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)


def _count(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise BadLine(f"bad value {text!r} (want a count >= 0)") from None
    if not value >= 0 or value == float("inf"):
        raise BadLine(f"bad value {text!r} (want a count >= 0)")
    return value


def detect(settings: SurgeSettings, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    reader = csv.reader(stdin)
    writer = csv.writer(stdout, lineterminator="\n")
    header = next(reader, None)
    if header is None or [h.strip() for h in header[:2]] != ["timestamp", "value"]:
        print(f"error: line 1: expected the header 'timestamp,value', got {header!r}", file=stderr)
        return 1
    writer.writerow(["timestamp", "value", "anomaly_score", "alert"])
    detector = SurgeDetector(settings)
    for lineno, row in enumerate(reader, start=2):
        if not row:
            continue
        try:
            if len(row) != 2:
                raise BadLine(f"expected 2 fields (timestamp,value), got {len(row)}")
            decision = detector.observe(_timestamp(row[0]), _count(row[1]))
        except ValueError as exc:  # BadLine, or timestamps out of order
            print(f"error: line {lineno}: {exc}", file=stderr)
            return 1
        writer.writerow([row[0], row[1], f"{decision.anomaly_score:.6f}", int(decision.alert)])
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.mentions", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    det = sub.add_parser("detect", help="score a CSV timestamp,value series read on stdin")
    defaults = SurgeSettings()
    for f in fields(SurgeSettings):
        default = getattr(defaults, f.name)
        det.add_argument(
            "--" + f.name.replace("_", "-"),
            type=type(default),
            default=default,
            help=f"(default {default:g})",
        )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    values = {f.name: getattr(args, f.name) for f in fields(SurgeSettings)}
    try:
        settings = SurgeSettings(**values)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return detect(settings, sys.stdin, sys.stdout, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
