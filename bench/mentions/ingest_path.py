"""(a) The ingest path per mention, in process, on one core.

Queue messages are built as the poller builds them (``poller._mention_doc`` fields,
``relation_to_own`` on X's fields, 25 mentions a message) from a surge of the sandbox
X's own text generator, made on a ``SandboxX`` object with no server and a fixed
clock. Each message then goes through what the ``mention_scorer`` handler does before
DynamoDB: ``Message.parse`` (JSON), ``MentionIngest.score`` (one ``score_many`` call of
the mention-mode scorer, ``Mention``s with their urgency), then ``domain.aggregate``
into the product's 60-second buckets and ``domain.rank``. No DynamoDB, no network.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections import Counter
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

from chalicelib.mentions.base import MESSAGE_MENTIONS, MESSAGE_VERSION, MentionDeps
from chalicelib.mentions.domain import Mention, aggregate, iso, rank, relation_to_own
from chalicelib.mentions.ingest import MentionIngest, Message

X_CEILING_PER_S = 50  # X's ceiling for one app: the most mentions a second it can read
TARGET_PER_S = 1000
PLAY_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
ACCOUNT_ID = "acc_bench"


def make_messages(count: int, seed: int) -> list[str]:
    """``count`` mentions of a fresh account in queue messages of ``MESSAGE_MENTIONS``:
    a surge about its post (replies, quotes, plain mentions; EN and DE; 60 % negative)."""
    from firebreak_local.sandbox_x import SandboxX

    fixed = PLAY_AT.timestamp()
    sandbox = SandboxX(clock=lambda: fixed)
    own = sandbox.register_user(username="bench_brand", name="Bench Brand")
    post = sandbox.inject_post(own["id"], "Our new ad", created_at=PLAY_AT - timedelta(hours=1))
    sandbox.inject_surge(
        own["id"],
        about=post["id"],
        count=count,
        over_s=1800,
        negative_share=0.6,
        lang_mix={"en": 0.7, "de": 0.3},
        seed=seed,
    )
    users = {u["id"]: u for u in sandbox.users()}
    posts = sandbox.posts()
    author_of = {p["id"]: p["author_id"] for p in posts}
    known_own = frozenset({post["id"]})
    docs = []
    for p in posts:
        if p["author_id"] == own["id"]:
            continue
        refs = p["referenced_tweets"]
        raw = {
            "referenced_tweets": refs,
            "referenced_authors": {r["id"]: author_of.get(r["id"]) for r in refs},
            "in_reply_to_user_id": p["in_reply_to_user_id"],
            "conversation_id": p["conversation_id"],
        }
        about, relation = relation_to_own(raw, own["id"], known_own)
        author = users.get(p["author_id"], {})
        docs.append(
            {
                "id": p["id"],
                "author_id": p["author_id"],
                "author_username": author.get("username"),
                "author_followers": author.get("followers_count") or 0,
                "text": p["text"],
                "created_at": iso(datetime.fromisoformat(p["created_at"].replace("Z", "+00:00"))),
                "about": about,
                "relation": relation,
            }
        )
    parts = -(-len(docs) // MESSAGE_MENTIONS)
    return [
        json.dumps(
            {
                "v": MESSAGE_VERSION,
                "account_id": ACCOUNT_ID,
                "poll_id": "bench",
                "polled_at": iso(PLAY_AT),
                "part": part,
                "parts": parts,
                "mentions": docs[part * MESSAGE_MENTIONS : (part + 1) * MESSAGE_MENTIONS],
            },
            ensure_ascii=False,
        )
        for part in range(parts)
    ]


def ingest_once(ingest: MentionIngest, bodies: list[str], bucket_s: int) -> list[Mention]:
    """Every message through parse, score (with urgency), aggregate and rank."""
    out: list[Mention] = []
    for body in bodies:
        message = Message.parse(body)
        mentions = ingest.score(message.account_id, message.mentions)
        aggregate(mentions, bucket_s)
        out += rank(mentions)
    return out


def pin_one_core() -> str:
    """Pin this process to one CPU (the last it may use); says which, or why not."""
    setter = getattr(os, "sched_setaffinity", None)
    getter = getattr(os, "sched_getaffinity", None)
    if setter is None or getter is None:
        return "not pinned (no sched_setaffinity here)"
    before = set(getter(0))
    cpu = max(before)
    setter(0, {cpu})
    return f"pinned to cpu {cpu} (of {sorted(before)})"


def unpin(cpus: set[int] | None) -> None:
    if cpus and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, cpus)


def bench(count: int = 2000, runs: int = 5, seed: int = 11) -> dict[str, Any]:
    from chalicelib.triage import MENTION_MODE, get_scorer

    bodies = make_messages(count, seed)
    scorer = get_scorer(MENTION_MODE)
    # MentionUseCases reads ``service.store``; score() uses the scorer only, so every
    # other port is left empty (whatever ports MentionDeps has by now).
    ports: dict[str, Any] = {f.name: None for f in fields(MentionDeps)}
    ports["service"] = SimpleNamespace(store=None, clock=None)
    ports["scorer"] = lambda: scorer
    deps = MentionDeps(**ports)
    ingest = MentionIngest(deps, surveillance=cast(Any, None))
    cpus = set(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    pinned = pin_one_core()
    try:
        ingest_once(ingest, bodies[:8], 60)  # warm-up: model loaded, caches filled
        rates: list[float] = []
        scored: list[Mention] = []
        for _ in range(runs):
            t0 = time.perf_counter()
            scored = ingest_once(ingest, bodies, 60)
            rates.append(len(scored) / (time.perf_counter() - t0))
    finally:
        unpin(cpus)
    n = len(scored)
    rate = statistics.median(rates)
    return {
        "mentions": n,
        "messages": len(bodies),
        "runs": runs,
        "pinning": pinned,
        "mentions_per_s_core": round(rate),
        "runs_per_s": [round(r) for r in rates],
        "us_per_mention": round(1e6 / rate, 1),
        "x_ceiling_per_s": X_CEILING_PER_S,
        "headroom_x": round(rate / X_CEILING_PER_S, 1),
        "target_per_s": TARGET_PER_S,
        "negative_share": round(sum(m.negative for m in scored) / max(1, n), 3),
        "about_share": round(sum(bool(m.about) for m in scored) / max(1, n), 3),
        "langs": dict(Counter(m.lang for m in scored).most_common()),
    }
