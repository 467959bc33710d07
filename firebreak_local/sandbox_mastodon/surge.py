"""Scripted surges on the sandbox Mastodon: hundreds of mentions of an account from
many people, as when a post goes wrong.

``inject_surge(user_id, about_post_id, count, over_s=..., seed=..., negative_share=...,
lang_mix=..., ending_at=...)`` writes ``count`` statuses mentioning the account, their
``created_at`` spread over the ``over_s`` seconds ending now (or at ``ending_at``),
denser towards the end as a pile-on builds, and never before the post they are
about. Each gives the account a mention notification, in time order.

With ``about_post_id`` about 65 % reply to that status (``@handle ...``), some of
those reply to an earlier reply instead (``@that_author @handle ...``), and the rest
just mention the account; without it all are plain mentions. Mastodon's API has no
quote posts here. Authors are mostly new accounts, about three in four of them on
other servers (``name@domain``, statuses without an ``application``), with
log-normal follower counts (median about 200) and a few big accounts (100k+
followers, one author in 150); about one status in seven comes from someone
already in the surge. Texts are the sandbox X's short EN/DE templates
(``firebreak_local.sandbox_x.surge_texts``) by tone; ``negative_share`` of them
complain, rant or insult. The same ``seed`` on the same state gives the same surge.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from firebreak_local.sandbox_mastodon.state import Account, SandboxError, Status, iso
from firebreak_local.sandbox_mastodon.statuses import StatusesMixin
from firebreak_local.sandbox_x.surge_texts import (
    FIRST_NAMES,
    HANDLE_PARTS,
    NEGATIVE,
    POSITIVE,
    SLOTS,
    TEMPLATES,
    surge_problem,
    weighted,
)

_REPLY_SHARE = 0.65
_THREAD_SHARE = 0.12  # of replies: to an earlier reply rather than to the post
_REPEAT_AUTHOR_SHARE = 0.15
_REMOTE_SHARE = 0.75
_BIG_ACCOUNT_SHARE = 1 / 150
_RAMP = 0.6  # offsets are span * u**_RAMP: denser towards the end
DOMAINS = (
    ("mastodon.social", 0.4),
    ("mstdn.social", 0.15),
    ("chaos.social", 0.12),
    ("fosstodon.org", 0.1),
    ("hachyderm.io", 0.1),
    ("norden.social", 0.08),
    ("troet.cafe", 0.05),
)
# Applications of local people's statuses ("Web" is Mastodon's own web interface).
APPS = (("Web", 0.45), ("Ivory for iOS", 0.2), ("Tusky", 0.2), ("Elk", 0.15))


@dataclass
class _Plan:
    target: Account
    about: Status | None
    langs: dict[str, float]
    negative_share: float
    authors: list[Account] = field(default_factory=list)
    replies: list[Status] = field(default_factory=list)


class SurgeMixin(StatusesMixin):
    """``inject_surge``: many mentions from many authors, fast and reproducible."""

    def inject_surge(
        self,
        user_id: str,
        about_post_id: str | None = None,
        count: int = 100,
        *,
        over_s: float = 600.0,
        seed: int = 0,
        negative_share: float = 0.5,
        lang_mix: dict[str, float] | None = None,
        ending_at: datetime | None = None,
        about: str | None = None,
    ) -> dict[str, Any]:
        """Inject ``count`` mentions of ``user_id`` (see the module's description).
        ``about``: ``about_post_id`` as the sandbox X names it.

        Returns ``{"user_id", "about", "count", "authors", "first_id", "last_id",
        "started_at", "ended_at", "ids"}`` (status ids, oldest first)."""
        about_post_id = about_post_id if about_post_id is not None else about
        mix = {"en": 1.0} if lang_mix is None else lang_mix
        problem = surge_problem(count, over_s, negative_share, mix, seed)
        if problem:
            raise SandboxError(400, problem)
        rng = random.Random(seed)
        with self._lock:
            target = self._account(str(user_id))
            subject = self._live_status(str(about_post_id)) if about_post_id is not None else None
            if about_post_id is not None and subject is None:
                raise SandboxError(404, f"no status {about_post_id} for the surge to be about")
            end = ending_at or self._now()
            start = end - timedelta(seconds=over_s)
            if subject is not None and subject.created_at > start:
                start = min(subject.created_at, end)
            span = (end - start).total_seconds()
            offsets = sorted(span * rng.random() ** _RAMP for _ in range(count))
            plan = _Plan(target, subject, dict(mix), float(negative_share))
            ids = [
                self._surge_status(rng, plan, start + timedelta(seconds=offset)).id
                for offset in offsets
            ]
            return {
                "user_id": target.id,
                "about": subject.id if subject else None,
                "count": count,
                "authors": len(plan.authors),
                "first_id": ids[0],
                "last_id": ids[-1],
                "started_at": iso(start),
                "ended_at": iso(end),
                "ids": ids,
            }

    def _surge_status(self, rng: random.Random, plan: _Plan, created_at: datetime) -> Status:
        if plan.authors and rng.random() < _REPEAT_AUTHOR_SHARE:
            author = plan.authors[int(len(plan.authors) * rng.random() ** 2)]
        else:
            author = self._surge_author(rng, plan, created_at)
            plan.authors.append(author)
        lang = weighted(rng, plan.langs)
        text = self._surge_text(rng, plan, lang)
        # People elsewhere write the full handle; Mastodon resolves it to the local account.
        handle = f"@{plan.target.username}" + (f"@{self.domain}" if author.domain else "")
        parent = None
        if plan.about is not None and rng.random() < _REPLY_SHARE:
            parent = plan.about
            if plan.replies and rng.random() < _THREAD_SHARE:
                candidate = plan.replies[rng.randrange(len(plan.replies))]
                if candidate.account_id != author.id:
                    parent = candidate
            prefix = handle
            if parent.account_id != plan.target.id:
                prefix = f"@{self._accounts[parent.account_id].acct} {handle}"
            text = f"{prefix} {text}"
        else:
            text = f"{handle} {text}"
        status = self._create_status(
            account_id=author.id,
            text=text,
            application=None if author.domain else weighted(rng, dict(APPS)),
            origin="injected",
            created_at=created_at,
            in_reply_to_id=parent.id if parent else None,
            language=lang,
        )
        if parent is not None:
            plan.replies.append(status)
        return status

    @staticmethod
    def _surge_text(rng: random.Random, plan: _Plan, lang: str) -> str:
        tones = NEGATIVE if rng.random() < plan.negative_share else POSITIVE
        templates = TEMPLATES[lang][weighted(rng, tones)]
        template = templates[rng.randrange(len(templates))]
        slots = SLOTS[lang]
        return template.format(
            thing=rng.choice(slots["thing"]),
            place=rng.choice(slots["place"]),
            emoji=rng.choice(slots["emoji"]),
            days=rng.randint(2, 30),
            mins=rng.randint(20, 180),
        )

    def _surge_author(self, rng: random.Random, plan: _Plan, created_at: datetime) -> Account:
        lang = weighted(rng, plan.langs)
        first = rng.choice(FIRST_NAMES[lang])
        stem = rng.choice(HANDLE_PARTS[0]) + rng.choice(HANDLE_PARTS[1])
        domain = weighted(rng, dict(DOMAINS)) if rng.random() < _REMOTE_SHARE else None
        username = f"{stem}{rng.randint(1, 9999)}"
        while self._find_acct(username, domain) is not None:
            username = f"{stem[:9]}{rng.randint(0, 999_999)}"
        if rng.random() < _BIG_ACCOUNT_SHARE:
            followers = max(100_000, int(rng.lognormvariate(math.log(250_000), 0.8)))
        else:
            followers = int(rng.lognormvariate(math.log(200), 1.9))
        created = self.add_account(
            f"{username}@{domain}" if domain else username,
            followers=followers,
            following=int(rng.lognormvariate(math.log(300), 1.0)),
            statuses=int(rng.lognormvariate(math.log(2_000), 1.5)),
            display_name=f"{first} {username[:1].upper()}.",
            created_at=created_at - timedelta(days=rng.randint(30, 5_000)),
        )
        return self._accounts[created["id"]]
