"""The delete-or-keep recommendation on the crisis-post set (``posts.jsonl``).

    python bench/crisis/evaluate.py              # accuracy on dev, extra and held-out
    python bench/crisis/evaluate.py --mistakes   # and the tuning posts' mistakes

``extra/`` is a second set of 240 posts written later, by other hands, without the
first set in view: all of it is tuning data, like the dev half. ``fresh/`` is a third
set of 160, written after the line was tuned on the first two and split like the
first (dev half to tune on, held-out half for the figure). ``third/``, ``fourth/`` and
``fifth/`` (240 each, tuning data) and ``blind/`` (160, never tuned on, not even split)
were written on 2026-12-02 by eight more writers, ``blind2/`` (160, the same) by two more
later that day; ``sixth/`` (240, tuning data) and ``blind3/`` (160, never tuned on) in
the third session. Only the mistakes of tuning posts are ever printed: the held-out halves,
``blind/``, ``blind2/`` and ``blind3/`` are for the figures.
Human-readable lines first, then one JSON object as the last line.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from split import load, split  # noqa: E402

HERE = Path(__file__).resolve().parent
FRESH = HERE / "fresh" / "posts.jsonl"
# Never tuned on, their mistakes never printed: blind/ (2026-12-02, first session) and
# blind2/ (written in the second session, scored before that session's line changes).
BLIND = HERE / "blind"
BLIND2 = HERE / "blind2"
# blind3/ (2026-12-02, third session): scored once on the code of that session's end.
BLIND3 = HERE / "blind3"
# blind4/ (2026-12-02, seventh session): written beside seventh/, scored on that session's
# first and last code only.
BLIND4 = HERE / "blind4"
# Whole folders of tuning posts, by the name they are reported under.
TUNING_FOLDERS = ("extra", "third", "fourth", "fifth", "sixth", "seventh")
# What is reported: tuning data first, then the sets nobody tunes on.
HALVES = (
    "dev",
    "extra",
    "fresh_dev",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "heldout",
    "fresh_heldout",
    "blind",
    "blind2",
    "blind3",
    "blind4",
)

from chalicelib.incidents.assessment import (  # noqa: E402
    AccountHabits,
    DeleteOrKeep,
    PostFacts,
    recommend_delete_or_keep,
)

# The demo brand every post of the set was written for (README.md).
ACCOUNT = AccountHabits(
    langs=("en", "de"),
    timezone="Europe/Berlin",
    usual_source_apps=("Firebreak",),
    brand_domains=("acme.example",),
    brand_names=("@acme_demo", "Acme Coffee"),
)


@dataclass(frozen=True)
class Outcome:
    row: dict[str, Any]
    decision: DeleteOrKeep

    @property
    def right(self) -> bool:
        return self.decision.recommendation == self.row["label"]

    @property
    def false_hack(self) -> bool:
        return self.decision.hack_suspected and not self.row["hack"]


def judge(rows: list[dict[str, Any]], scanner: Any) -> list[Outcome]:
    outcomes = []
    for row in rows:
        report = scanner.score(row["text"])
        facts = PostFacts(
            text=row["text"],
            published_by_firebreak=bool(row["published_by_firebreak"]),
            source_app=row.get("source_app"),
            posted_at=datetime.fromisoformat(row["posted_at"]),
            links=tuple(row.get("links") or ()),
        )
        decision = recommend_delete_or_keep(facts, ACCOUNT, report, report.severe_terms)
        outcomes.append(Outcome(row, decision))
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    n = len(outcomes)
    by_lang = {
        lang: round(
            sum(o.right for o in outcomes if o.row["lang"] == lang)
            / max(1, sum(o.row["lang"] == lang for o in outcomes)),
            4,
        )
        for lang in ("en", "de")
    }
    return {
        "n": n,
        "accuracy": round(sum(o.right for o in outcomes) / max(1, n), 4),
        "by_lang": by_lang,
        "deleted_keeps": sum(
            o.row["label"] == "keep" and o.decision.recommendation == "delete" for o in outcomes
        ),
        "kept_deletes": sum(
            o.row["label"] == "delete" and o.decision.recommendation == "keep" for o in outcomes
        ),
        "false_hacks": sum(o.false_hack for o in outcomes),
        "hacks_found": sum(o.decision.hack_suspected and o.row["hack"] for o in outcomes),
        "hacks": sum(bool(o.row["hack"]) for o in outcomes),
    }


def load_folder(folder: Path) -> list[dict[str, Any]]:
    """Every post of a folder's ``*.jsonl`` files, in file order."""
    return [row for path in sorted(folder.glob("*.jsonl")) for row in load(path)]


def evaluate(encoder: str = "on", mistakes: bool = False) -> dict[str, Any]:
    from chalicelib.triage import get_scorer

    scanner = get_scorer(encoder)
    sets: dict[str, list[dict[str, Any]]] = {}
    sets["dev"], sets["heldout"] = split(load())
    sets["fresh_dev"], sets["fresh_heldout"] = split(load(FRESH))
    for name in TUNING_FOLDERS:
        sets[name] = load_folder(HERE / name)
    sets["blind"] = load_folder(BLIND)
    sets["blind2"] = load_folder(BLIND2)
    sets["blind3"] = load_folder(BLIND3)
    sets["blind4"] = load_folder(BLIND4)
    outcomes = {name: judge(sets[name], scanner) for name in HALVES}
    if mistakes:
        for name in ("dev", "extra", "fresh_dev", *TUNING_FOLDERS[1:]):
            where = name.upper().replace("_", "-")
            for o in outcomes[name]:
                if not o.right or o.false_hack:
                    print(
                        f"{where} {o.row['id']} want {o.row['label']}/{o.row['category']} "
                        f"got {o.decision.recommendation} hack={o.decision.hack_suspected}: "
                        f"{o.row['text'][:90]!r}"
                    )
                    print("     " + " | ".join(o.decision.reasons[:2])[:200])
    return {"encoder": encoder, **{name: summary(outcomes[name]) for name in HALVES}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--encoder", default="on", choices=("on", "cascade", "off"))
    parser.add_argument("--mistakes", action="store_true")
    args = parser.parse_args(argv)
    result = evaluate(args.encoder, args.mistakes)
    for half in HALVES:
        r = result[half]
        print(
            f"crisis set {half:13s} n={r['n']:3d} accuracy {r['accuracy'] * 100:5.1f}% "
            f"(en {r['by_lang']['en'] * 100:.1f}, de {r['by_lang']['de'] * 100:.1f}); "
            f"keeps deleted {r['deleted_keeps']}, deletes kept {r['kept_deletes']}, "
            f"hacks found {r['hacks_found']}/{r['hacks']}, false hacks {r['false_hacks']}"
        )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
