"""Command line for the triage: ``python -m chalicelib.triage score|recommend``.

Both commands read JSON Lines on stdin and write one JSON line per good input
line on stdout, in input order. A bad line (invalid JSON, a missing or
ill-typed field) gets an error on stderr naming its line number; the other
lines are still answered, and the exit code is 1 if any line failed.

    score:      {"id", "text"}
             -> {"id", "lang", "offensive": {"score", "flag"}, "hate": ..., "sexual": ...,
                 "violence": ..., "sentiment": {"label", "scores"}}
    recommend:  {"id", "text", "published_by_firebreak", "source_app", "posted_at", "links",
                 "account": {"lang", "timezone", "usual_source_apps", "link_domains"}}
             -> {"id", "recommendation": "delete"|"keep", "hack_suspected", "reasons"}
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TextIO

from chalicelib.incidents.assessment import AccountHabits, PostFacts, recommend_delete_or_keep
from chalicelib.triage import ENCODER_MODES

BATCH = 256


class BadLine(ValueError):
    """A line that cannot be answered; the message says why."""


def _field(obj: dict[str, Any], name: str, types: tuple[type, ...], required: bool) -> Any:
    if name not in obj or obj[name] is None:
        if required:
            raise BadLine(f"missing field {name!r}")
        return None
    value = obj[name]
    # bool is an int subclass: never accept true/false where a number or string is due.
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        want = " or ".join(t.__name__ for t in types)
        raise BadLine(f"field {name!r} must be {want}, got {type(value).__name__}")
    return value


def _str_list(obj: dict[str, Any], name: str) -> tuple[str, ...]:
    value = _field(obj, name, (list,), required=False)
    if value is None:
        return ()
    if not all(isinstance(v, str) for v in value):
        raise BadLine(f"field {name!r} must be a list of strings")
    return tuple(value)


def _parse(line: str) -> dict[str, Any]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"invalid JSON: {exc.msg} at column {exc.colno}") from exc
    if not isinstance(obj, dict):
        raise BadLine(f"expected a JSON object, got {type(obj).__name__}")
    _field(obj, "id", (str, int), required=True)
    _field(obj, "text", (str,), required=True)
    return obj


def _post_and_account(obj: dict[str, Any]) -> tuple[PostFacts, AccountHabits]:
    firebreak = _field(obj, "published_by_firebreak", (bool,), required=True)
    source_app = _field(obj, "source_app", (str,), required=False)
    posted_raw = _field(obj, "posted_at", (str,), required=False)
    posted_at = None
    if posted_raw is not None:
        try:
            posted_at = datetime.fromisoformat(posted_raw)
        except ValueError as exc:
            raise BadLine(f"field 'posted_at' is not an ISO 8601 time: {posted_raw!r}") from exc
    links = _str_list(obj, "links")
    acc = _field(obj, "account", (dict,), required=False) or {}
    lang = _field(acc, "lang", (str, list), required=False)
    if isinstance(lang, list):
        if not all(isinstance(x, str) for x in lang):
            raise BadLine("field 'lang' must be a string or a list of strings")
        langs = tuple(lang)
    else:
        langs = (lang,) if lang else ()
    timezone = _field(acc, "timezone", (str,), required=False) or "UTC"
    try:
        account = AccountHabits(
            langs=langs,
            timezone=timezone,
            usual_source_apps=_str_list(acc, "usual_source_apps"),
            link_domains=_str_list(acc, "link_domains"),
        )
    except ValueError as exc:
        raise BadLine(f"account: {exc}") from exc
    post = PostFacts(
        text=obj["text"],
        published_by_firebreak=firebreak,
        source_app=source_app,
        posted_at=posted_at,
        links=links,
    )
    return post, account


def _lines(stream: TextIO) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(stream, start=1):
        if line.strip():  # blank lines (a trailing newline) are not input
            yield number, line


def run(command: str, stdin: TextIO, stdout: TextIO, stderr: TextIO, encoder: str = "on") -> int:
    from chalicelib.triage.scorer import get_scorer

    scorer = get_scorer(encoder)
    failed = 0
    pending: list[tuple[int, dict[str, Any], Any]] = []

    def flush() -> None:
        if not pending:
            return
        results = scorer.score_many([obj["text"] for _, obj, _ in pending])
        for (_, obj, extra), triage in zip(pending, results, strict=True):
            if command == "score":
                out: dict[str, Any] = {"id": obj["id"], "lang": triage.lang}
                for name in ("offensive", "hate", "sexual", "violence"):
                    cat = triage.categories[name]
                    out[name] = {"score": cat.score, "flag": cat.flag}
                out["sentiment"] = {
                    "label": triage.sentiment.label,
                    "scores": triage.sentiment.scores,
                }
            else:
                post, account = extra
                decision = recommend_delete_or_keep(post, account, triage, triage.severe_terms)
                out = {
                    "id": obj["id"],
                    "recommendation": decision.recommendation,
                    "hack_suspected": decision.hack_suspected,
                    "reasons": list(decision.reasons),
                }
            stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        pending.clear()

    for number, line in _lines(stdin):
        try:
            obj = _parse(line)
            extra = _post_and_account(obj) if command == "recommend" else None
        except BadLine as exc:
            failed += 1
            stderr.write(f"line {number}: {exc}\n")
            continue
        pending.append((number, obj, extra))
        if len(pending) >= BATCH:
            flush()
    flush()
    stdout.flush()
    if failed:
        stderr.write(f"{failed} line(s) failed\n")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m chalicelib.triage",
        description="Score posts, or recommend delete-or-keep, from JSON Lines on stdin.",
    )
    parser.add_argument("command", choices=("score", "recommend"))
    parser.add_argument(
        "--encoder",
        choices=ENCODER_MODES,
        default=os.environ.get("FIREBREAK_TRIAGE_ENCODER") or "on",
        help="English encoder: on every text (the default, most accurate), cascade "
        "(only where the linear model is unsure, faster), off (linear models only, "
        "fastest); default from FIREBREAK_TRIAGE_ENCODER",
    )
    args = parser.parse_args(argv)
    return run(args.command, sys.stdin, sys.stdout, sys.stderr, args.encoder)


if __name__ == "__main__":
    sys.exit(main())
