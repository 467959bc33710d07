"""Load, validate and split the hand-labelled crisis posts (``posts.jsonl``).

``split`` shuffles a copy of the rows with ``random.Random(seed)``, stratified by
(lang, label), and returns (dev, heldout): in each stratum dev gets the first ``n // 2``
rows of the shuffled stratum and heldout the rest. Strata are visited in sorted order,
so the split depends only on the file and the seed.

Run ``python bench/crisis/split.py [PATH]`` to validate the file and print the counts of
each half by lang x label; it exits 1 if the file has a problem.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path(__file__).resolve().with_name("posts.jsonl")
DEFAULT_SEED = 20261201

LANGS = ("en", "de")
LABELS = ("delete", "keep")
DELETE_CATEGORIES = frozenset({"sexual", "gore", "threat", "slur", "profanity", "hate", "hack"})
KEEP_CATEGORIES = frozenset(
    {
        "clumsy",
        "insensitive",
        "tone_deaf",
        "bad_joke",
        "factual_mistake",
        "regretted_opinion",
        "idiom",
        "not_a_hack",
        "ordinary",
    }
)
FIELDS: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "lang": (str,),
    "text": (str,),
    "label": (str,),
    "category": (str,),
    "hack": (bool,),
    "published_by_firebreak": (bool,),
    "source_app": (str, type(None)),
    "posted_at": (str,),
    "links": (list,),
    "note": (str,),
}
ID_RE = re.compile(r"^(en|de)-\d{3,4}$")


def load(path: Path | str = DEFAULT_PATH) -> list[dict[str, Any]]:
    """Read one JSON object per non-blank line."""
    rows: list[dict[str, Any]] = []
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def _row_problems(row: Any) -> list[str]:
    if not isinstance(row, dict):
        return ["not a JSON object"]
    problems: list[str] = []
    for field, types in FIELDS.items():
        if field not in row:
            problems.append(f"missing field {field!r}")
        elif not isinstance(row[field], types):
            problems.append(f"{field!r} has type {type(row[field]).__name__}")
    extra = sorted(set(row) - set(FIELDS))
    if extra:
        problems.append(f"unknown fields {extra}")
    if problems:
        return problems

    if row["lang"] not in LANGS:
        problems.append(f"lang {row['lang']!r} not in {LANGS}")
    match = ID_RE.match(row["id"])
    if match is None or match.group(1) != row["lang"]:
        problems.append(
            f"id {row['id']!r} is not '<lang>-NNN' (three or four digits) for lang {row['lang']!r}"
        )
    if not row["text"].strip():
        problems.append("empty text")
    if not row["note"].strip():
        problems.append("empty note")
    if row["label"] == "delete":
        if row["category"] not in DELETE_CATEGORIES:
            problems.append(f"category {row['category']!r} is not a delete category")
    elif row["label"] == "keep":
        if row["category"] not in KEEP_CATEGORIES:
            problems.append(f"category {row['category']!r} is not a keep category")
    else:
        problems.append(f"label {row['label']!r} not in {LABELS}")
    if row["hack"] != (row["category"] == "hack"):
        problems.append("hack must be true exactly for category 'hack'")
    if row["hack"] and row["published_by_firebreak"]:
        problems.append("a hack post cannot be published by Firebreak")
    try:
        posted = datetime.fromisoformat(row["posted_at"])
    except ValueError:
        problems.append(f"posted_at {row['posted_at']!r} is not ISO 8601")
    else:
        if posted.utcoffset() is None:
            problems.append("posted_at has no UTC offset")
        if posted.year != 2026:
            problems.append("posted_at is not in 2026")
    for link in row["links"]:
        if not isinstance(link, str) or not link.startswith(("http://", "https://")):
            problems.append(f"bad link {link!r}")
    return problems


def validate(rows: list[dict[str, Any]]) -> list[str]:
    """Every problem in ``rows`` as one line each; empty when the set is well-formed."""
    problems: list[str] = []
    seen: Counter[str] = Counter()
    for n, row in enumerate(rows, 1):
        where = row.get("id", f"line {n}") if isinstance(row, dict) else f"line {n}"
        problems.extend(f"{where}: {p}" for p in _row_problems(row))
        if isinstance(row, dict) and isinstance(row.get("id"), str):
            seen[row["id"]] += 1
    problems.extend(f"{i}: duplicate id ({c}x)" for i, c in sorted(seen.items()) if c > 1)
    return problems


def split(
    rows: list[dict[str, Any]], seed: int = DEFAULT_SEED
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(dev, heldout): a seeded shuffle of a copy of ``rows``, halved per (lang, label)."""
    rng = random.Random(seed)
    strata: defaultdict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        strata[(row["lang"], row["label"])].append(row)
    dev: list[dict[str, Any]] = []
    heldout: list[dict[str, Any]] = []
    for key in sorted(strata):
        group = list(strata[key])
        rng.shuffle(group)
        half = len(group) // 2
        dev.extend(group[:half])
        heldout.extend(group[half:])
    return dev, heldout


def counts_table(halves: dict[str, list[dict[str, Any]]]) -> str:
    """Counts of each half by lang x label, as a Markdown table."""
    cols = [f"{lang}/{label}" for lang in LANGS for label in LABELS]
    lines = [
        "| half | " + " | ".join(cols) + " | total |",
        "|---" * (len(cols) + 2) + "|",
    ]
    for name, rows in halves.items():
        c = Counter(f"{r['lang']}/{r['label']}" for r in rows)
        cells = [str(c[col]) for col in cols]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {len(rows)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    try:
        rows = load(args.path)
    except (OSError, json.JSONDecodeError) as exc:
        print(f"cannot read {args.path}: {exc}", file=sys.stderr)
        return 1
    problems = validate(rows)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) in {args.path}", file=sys.stderr)
        return 1
    dev, heldout = split(rows, seed=args.seed)
    print(f"{len(rows)} posts, seed {args.seed}")
    print(counts_table({"dev": dev, "heldout": heldout, "all": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
