"""The lewd drill's own part: the delete path. An off-calendar explicit post is deleted
through the mailed link; the playbook must archive its evidence before it deletes it,
and the apology stands on its own (a reply to a deleted post would point at nothing).

The hack drill deletes its post the same way; ``drive`` takes this path for every
scenario whose decision is delete, and the standalone apology for every scenario whose
apology is not a reply."""

from __future__ import annotations

from typing import Any

from firebreak_local.drill.steps import Drive

# What the timeline shows for the post once it is decided.
TIMELINE = ["post_deleted"]


def check_apology_stands_alone(d: Drive, posted: dict[str, Any]) -> None:
    d.expect(not d.replies_to_post(posted), "the apology replies to the deleted post")


def check_evidence_first(d: Drive, timeline: list[dict[str, Any]]) -> None:
    """The post's evidence was archived before the post was deleted."""
    kinds = [e["kind"] for e in timeline]
    if "evidence_archived" in kinds and "post_deleted" in kinds:
        d.expect(
            kinds.index("evidence_archived") < kinds.index("post_deleted"),
            "the post was deleted before its evidence was archived",
        )
