"""Score the probe sets (``probes/``): one post per line, the file's name says the label
(``*_keep.txt`` and ``hard_keep.txt`` are keeps, the rest deletes).

    python bench/crisis/probe.py

Written on 2026-12-02 by two writers who saw only ``README.md`` (no model, no word list,
no other set) to probe the line's calm menaces, coy offers and number codes, and the
judge on hard English keeps; ``statements*.txt`` (2026-12-03, a third writer) probe it
on what a brand posts after an incident. Never trained on. Each post is judged as
published through Firebreak at 11:00 (no hack context). Prints one line per file and a
JSON object last.

Also scores ``held_writers/``: 800 posts by four more writers (2026-12-02, seventh and
eighth sessions; same brief as ``judge/written/``: label, category, text), kept out of the
judge's training to measure it on writers it never saw. (The four writers held out before
them, of the sixth session, are training data since.)
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from chalicelib.incidents.assessment import PostFacts, recommend_delete_or_keep  # noqa: E402
from chalicelib.triage import get_scorer  # noqa: E402

sys.path.insert(0, str(HERE))
from evaluate import ACCOUNT  # noqa: E402

AT = datetime.fromisoformat("2026-03-03T11:00:00+01:00")


def recommends(scanner: Any, text: str) -> str:
    """The recommendation for a post published through Firebreak at 11:00."""
    report = scanner.score(text)
    facts = PostFacts(
        text=text, published_by_firebreak=True, source_app="Firebreak", posted_at=AT, links=()
    )
    return recommend_delete_or_keep(facts, ACCOUNT, report, report.severe_terms).recommendation


def main() -> None:
    scanner = get_scorer("on")
    out: dict[str, dict[str, int]] = {}
    for path in sorted((HERE / "probes").glob("*.txt")):
        want = "keep" if path.stem.endswith("keep") else "delete"
        posts = [p.strip() for p in path.read_text(encoding="utf-8").splitlines() if p.strip()]
        right = sum(recommends(scanner, text) == want for text in posts)
        out[path.stem] = {"n": len(posts), "right": right}
        print(f"{path.stem:20s} want {want:6s} right {right:3d} of {len(posts)}")
    # Writers the judge never trained on: label, category, text per line.
    for path in sorted((HERE / "held_writers").glob("*.tsv")):
        rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
        got = [(label, recommends(scanner, text)) for label, _, text in rows]
        figures = {
            f"{want}s_right": sum(g == want for w, g in got if w == want)
            for want in ("delete", "keep")
        }
        n = {want: sum(w == want for w, _ in got) for want in ("delete", "keep")}
        out[f"writer_{path.stem}"] = {**figures, "deletes": n["delete"], "keeps": n["keep"]}
        print(
            f"writer {path.stem:7s} deletes caught {figures['deletes_right']:3d} of "
            f"{n['delete']}, keeps kept {figures['keeps_right']:3d} of {n['keep']}"
        )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
