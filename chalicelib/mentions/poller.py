"""The mention poller (M1): every minute, each account's new mentions go from X to the
scoring queue, then the checkpoint moves.

Order matters: mentions are sent to the queue before the checkpoint is written, so a
crash in between reads them again next time (the scorer drops what it counted
already) and loses nothing. A 429 pauses the account until X's reset; nothing sleeps.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.accounts.domain import Account
from chalicelib.core.ids import sortable_id
from chalicelib.core.observe import correlate, count
from chalicelib.mentions.base import (
    MESSAGE_MENTIONS,
    MESSAGE_VERSION,
    MentionDeps,
    MentionUseCases,
)
from chalicelib.mentions.domain import MentionSettings, iso, parse_iso, relation_to_own
from chalicelib.networks.social import MentionBatch, RateLimited, RemotePost, SocialNetworkError

if TYPE_CHECKING:
    from chalicelib.mentions.surveillance import Surveillance
from chalicelib.posts.domain import PostStatus

logger = logging.getLogger(__name__)

FIRST_READ = 5  # mentions read on first sight of an account: only to find the checkpoint
OWN_POSTS_DAYS = 7  # own posts a mention may be about (X's search reaches seven days back)
MAX_GAPS = 20
RESERVE_MS = 15_000  # an account's poll is not started with less time than this left
# While an incident is open on the account, polling goes on past the month's budget by
# up to this share of it: the crisis is when the mentions matter most.
CRISIS_OVERRUN = 0.5


class MentionPoller(MentionUseCases):
    def __init__(self, deps: MentionDeps, surveillance: Surveillance) -> None:
        super().__init__(deps)
        self.surveillance = surveillance

    def poll(self, now: datetime, remaining_ms: Callable[[], int] | None = None) -> dict[str, Any]:
        """Read every listening account's new mentions into the scoring queue.

        ``remaining_ms`` (the Lambda's time left): accounts are not started when less
        than ``RESERVE_MS`` is left; they come first in the next minute's run, since
        the order turns by one account a minute."""
        report: dict[str, Any] = {"queued": {}, "skipped": {}}
        accounts = sorted(self.store.all_accounts(), key=lambda a: a.id)
        if accounts:
            turn = int(now.timestamp() // 60) % len(accounts)
            accounts = accounts[turn:] + accounts[:turn]
        for account in accounts:
            if remaining_ms is not None and remaining_ms() < RESERVE_MS:
                report["skipped"][account.id] = "OutOfTime"
                continue
            with correlate(account_id=account.id):
                try:
                    outcome = self._poll_account(account, now)
                except Exception as exc:  # noqa: BLE001 - per-account boundary, logged
                    # One account's failure must not blind the poller for the others.
                    outcome = type(exc).__name__
                    logger.warning("mention poll skipped %s: %s", account.id, outcome)
                if isinstance(outcome, int):
                    report["queued"][account.id] = outcome
                else:
                    report["skipped"][account.id] = outcome
        return report

    def _poll_account(self, account: Account, now: datetime) -> int | str:
        settings = self.settings_of(account.id)
        if not settings.enabled:
            return "Disabled"
        state = self.mentions.get_poll_state(account.id)
        paused = state.get("paused_until")
        if paused and parse_iso(paused) > now:
            return "RateLimited"  # X's reset time has not come yet
        month = now.strftime("%Y-%m")
        remaining = settings.monthly_read_budget - self.mentions.reads(account.id, month)
        if remaining <= 0 and self.open_incidents(account.id):
            remaining += int(CRISIS_OVERRUN * settings.monthly_read_budget)
        if remaining <= 0:
            if state.get("budget") != "spent":
                self.mentions.put_poll_state(account.id, {**state, "budget": "spent"})
            return "BudgetSpent"
        client = self.service.social.client_for(account)
        since = state.get("since_id")
        try:
            if since is None:
                # First sight: what came before is history, not a surge to count.
                first = client.mention_batch(since_id=None, max_posts=FIRST_READ)
                self._after_read(account, settings, month, len(first.posts), now)
                state = {**state, "listening_since": iso(now)}
                self._save_state(account.id, state, first.newest_id or "0", now, gaps=[])
                return 0
            batch = client.mention_batch(
                since_id=since if since != "0" else None,
                max_posts=min(settings.max_posts_per_poll, remaining),
            )
            posts, gaps = self._fill_gap(client, settings, state, batch, remaining)
        except RateLimited as exc:
            self.mentions.put_poll_state(
                account.id, {**state, "paused_until": iso(exc.reset_at), "last_error": "429"}
            )
            count("MentionPollsRateLimited")
            return "RateLimited"
        queued = self._queue(account, client, posts, now)
        self._after_read(account, settings, month, len(posts), now)
        self._save_state(account.id, state, batch.newest_id or since, now, gaps=gaps)
        count("MentionsRead", len(posts))
        if not queued:
            # Nothing for the scorer to hand over: a quiet minute is judged here.
            self.surveillance.detect(account.id, now)
        return queued

    def _fill_gap(
        self,
        client: Any,
        settings: MentionSettings,
        state: dict[str, Any],
        batch: MentionBatch,
        remaining: int,
    ) -> tuple[list[RemotePost], list[dict[str, str]]]:
        """The batch's mentions plus, when X's window ended before the checkpoint, what
        recent search still has of the gap; the part it cannot fill is recorded."""
        posts = list(batch.posts)
        if not batch.truncated or not batch.oldest_id:
            return posts, []
        since = str(state["since_id"])
        gap = {"since_id": since, "until_id": batch.oldest_id}
        budget = min(settings.gap_fill_posts, remaining - len(posts))
        if budget < 10:  # search reads at least ten a page
            return posts, [gap]
        # "0": the account had no mention when listening began; search from that time.
        started = state.get("listening_since")
        try:
            filler = client.search_mentions(
                since_id=since if since != "0" else None,
                until_id=batch.oldest_id,
                max_posts=budget,
                start_time=parse_iso(started) if since == "0" and started else None,
            )
        except RateLimited:
            raise
        except SocialNetworkError as exc:
            logger.warning("gap not filled from search: %s", type(exc).__name__)
            return posts, [gap]
        seen = {p.id for p in posts}
        posts += [p for p in filler.posts if p.id not in seen]
        if filler.truncated and filler.oldest_id:
            return posts, [{"since_id": since, "until_id": filler.oldest_id}]
        return posts, []

    def _queue(self, account: Account, client: Any, posts: list[RemotePost], now: datetime) -> int:
        """Send ``posts`` to the scoring queue in messages of ``MESSAGE_MENTIONS``."""
        poll_id = sortable_id(now)
        parts = math.ceil(len(posts) / MESSAGE_MENTIONS)
        if not posts:
            self.mentions.open_poll(account.id, poll_id, now, 0)
            return 0
        own_id = client.own_id()
        known_own = self._own_posts(account, now)
        bodies = []
        for part in range(parts):
            chunk = posts[part * MESSAGE_MENTIONS : (part + 1) * MESSAGE_MENTIONS]
            bodies.append(
                json.dumps(
                    {
                        "v": MESSAGE_VERSION,
                        "account_id": account.id,
                        "poll_id": poll_id,
                        "polled_at": iso(now),
                        "part": part,
                        "parts": parts,
                        "mentions": [_mention_doc(p, own_id, known_own, now) for p in chunk],
                    },
                    ensure_ascii=False,
                )
            )
        # Opened last, right before the messages: a poll that failed before this point
        # leaves nothing for the detector to wait on.
        self.mentions.open_poll(account.id, poll_id, now, parts)
        self.deps.queue.send(bodies)
        return len(posts)

    def _own_posts(self, account: Account, now: datetime) -> frozenset[str]:
        """The account's own posts of the last week that Firebreak knows of (published
        through it, or with an incident), for mentions whose post X no longer shows."""
        published = self.store.posts_of_account(
            account.id,
            start=now - timedelta(days=OWN_POSTS_DAYS),
            statuses=frozenset({PostStatus.PUBLISHED}),
        )
        ids = {p.network_post_id for p in published if p.network_post_id}
        ids |= {
            i.post.network_post_id for i in self.deps.playbook().incidents.of_account(account.id)
        }
        return frozenset(ids)

    def _after_read(
        self, account: Account, settings: MentionSettings, month: str, n: int, now: datetime
    ) -> None:
        """Count the reads against the month's budget; warn the seniors once at the share."""
        if n <= 0:
            return
        total = self.mentions.add_reads(account.id, month, n)
        budget = settings.monthly_read_budget
        if budget and total >= settings.budget_warn_share * budget:
            self._warn_budget(account, month, total, budget, now)

    def _warn_budget(
        self, account: Account, month: str, total: int, budget: int, now: datetime
    ) -> None:
        share = round(100 * total / budget)
        text = (
            f"{account.handle} has read {total} of its {budget} mentions for {month} "
            f"({share} %). Polling stops when the budget is spent; raise it in the "
            "account's mention settings (PUT /accounts/{id}/mentions/settings)."
        )
        self.mail_seniors(
            account,
            f"mention-budget#{account.id}#{month}",
            f"Mention read budget {share} % used: {account.handle}",
            text,
        )

    def _save_state(
        self,
        account_id: str,
        state: dict[str, Any],
        since_id: str,
        now: datetime,
        *,
        gaps: list[dict[str, str]],
    ) -> None:
        new = {k: v for k, v in state.items() if k not in ("paused_until", "last_error", "budget")}
        new["since_id"] = since_id
        new["last_poll_at"] = iso(now)
        if gaps:
            new["gaps"] = ([*state.get("gaps", []), *[{**g, "at": iso(now)} for g in gaps]])[
                -MAX_GAPS:
            ]
        self.mentions.put_poll_state(account_id, new)


def _mention_doc(
    post: RemotePost, own_id: str, known_own: frozenset[str], now: datetime
) -> dict[str, Any]:
    about, relation = relation_to_own(post.raw, own_id, known_own)
    author = post.raw.get("author") or {}
    return {
        "id": post.id,
        "author_id": post.author_id,
        "author_username": author.get("username"),
        "author_followers": author.get("followers") or 0,
        "text": post.text,
        "created_at": iso(post.created_at or now),
        "about": about,
        "relation": relation,
        **({"ref": post.ref} if post.ref else {}),
    }
