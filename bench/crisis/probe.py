"""Score the probe sets (``probes/``): one post per line, the file's name says the label
(``*_keep.txt`` and ``hard_keep.txt`` are keeps, the rest deletes).

    python bench/crisis/probe.py

Written on 2026-12-02 by two writers who saw only ``README.md`` (no model, no word list,
no other set) to probe the line's calm menaces, coy offers and number codes, and the
judge on hard English keeps. Never trained on. Each post is judged as published through
Firebreak at 11:00 (no hack context). Prints one line per file and a JSON object last.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from chalicelib.incidents.assessment import PostFacts, recommend_delete_or_keep  # noqa: E402
from chalicelib.triage import get_scorer  # noqa: E402

sys.path.insert(0, str(HERE))
from evaluate import ACCOUNT  # noqa: E402

AT = datetime.fromisoformat("2026-03-03T11:00:00+01:00")


def main() -> None:
    scanner = get_scorer("on")
    out: dict[str, dict[str, int]] = {}
    for path in sorted((HERE / "probes").glob("*.txt")):
        want = "keep" if path.stem.endswith("keep") else "delete"
        posts = [p.strip() for p in path.read_text(encoding="utf-8").splitlines() if p.strip()]
        right = 0
        for text in posts:
            report = scanner.score(text)
            facts = PostFacts(
                text=text,
                published_by_firebreak=True,
                source_app="Firebreak",
                posted_at=AT,
                links=(),
            )
            got = recommend_delete_or_keep(facts, ACCOUNT, report, report.severe_terms)
            right += got.recommendation == want
        out[path.stem] = {"n": len(posts), "right": right}
        print(f"{path.stem:14s} want {want:6s} right {right:3d} of {len(posts)}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
