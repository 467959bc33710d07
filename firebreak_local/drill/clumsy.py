"""The clumsy drill's own part: the keep path. A tone-deaf but harmless post is kept
through the mailed link (the hack question left unanswered), and the apology is posted
as a reply to it.

``drive`` takes this path for every scenario whose decision is keep, and the reply
check for every scenario whose apology is a reply."""

from __future__ import annotations

from typing import Any

from firebreak_local.drill.steps import Drive

# What the timeline shows for the post once it is decided.
TIMELINE = ["post_kept"]


def check_apology_replies(d: Drive, posted: dict[str, Any]) -> None:
    d.expect(d.replies_to_post(posted), "the apology is not a reply to the kept post")
