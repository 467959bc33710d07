"""Scripted surges: thousands of mentions of an account, as when a post goes wrong.

``SandboxX.inject_surge(user_id, about=..., count=..., over_s=..., negative_share=...,
lang_mix=..., seed=...)`` (and ``POST /_sandbox/surge``) injects ``count``
mentions of the account whose ``created_at`` is spread over the ``over_s``
seconds of the sandbox clock **ending now**, denser towards now, as a pile-on
builds. Ending now (not starting now) keeps X's invariant that a newer id is
never visible before an older one: ids follow ``created_at`` and are all newer
than any existing post, so ``since_id`` polling sees every one. A reply never
predates its post: when ``about`` is younger than ``over_s``, the surge is
squeezed into the time since it was posted (post it earlier, back-date it with
``created_at``, or move a fake clock before surging).

With ``about`` (a post id): about 62 % reply to it (``@handle ...``,
``referenced_tweets`` ``replied_to``, its ``conversation_id``,
``in_reply_to_user_id``), some of those reply to an earlier reply in the same
conversation instead (``@that_author @handle ...``), about 23 % quote it
(``quoted``, own conversation) and the rest just mention the account. Without
``about`` all are plain mentions. Every text names ``@handle``.

Authors: mostly distinct new accounts (about one mention in seven comes from
someone already in the surge), with log-normal follower counts (median about
200) and a few big accounts (100k+ followers, about one author in 150).
Texts are short EN/DE templates (``surge_texts``) by tone; ``negative_share`` of
them complain, rant or insult (toxic ones included), the rest ask, cheer or
joke; ``lang_mix`` weighs the languages (``en``, ``de``). The same ``seed`` on
the same sandbox state gives the same surge.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from firebreak_local.sandbox_x.state import Post, User, iso
from firebreak_local.sandbox_x.surge_texts import (
    FIRST_NAMES,
    HANDLE_PARTS,
    NEGATIVE,
    POSITIVE,
    SLOTS,
    SOURCES,
    TEMPLATES,
    surge_problem,
    weighted,
)
from firebreak_local.sandbox_x.timelines import TimelinesMixin
from firebreak_local.sandbox_x.wire import SandboxError

_REPLY_SHARE = 0.62
_QUOTE_SHARE = 0.23
_THREAD_SHARE = 0.12  # of replies: to an earlier reply rather than to ``about``
_REPEAT_AUTHOR_SHARE = 0.15
_BIG_ACCOUNT_SHARE = 1 / 150
_RAMP = 0.6  # offsets are span * u**_RAMP: denser towards the end


@dataclass
class _Plan:
    target: User
    about: Post | None
    langs: dict[str, float]
    negative_share: float
    authors: list[User] = field(default_factory=list)
    replies: list[Post] = field(default_factory=list)


class SurgeMixin(TimelinesMixin):
    """``inject_surge``: many mentions from many authors, fast and reproducible."""

    def inject_surge(
        self,
        user_id: str,
        *,
        about: str | None = None,
        count: int = 100,
        over_s: float = 600.0,
        negative_share: float = 0.5,
        lang_mix: dict[str, float] | None = None,
        seed: int = 0,
        ending_at: datetime | None = None,
    ) -> dict[str, Any]:
        """Inject ``count`` mentions of ``user_id`` (see the module's description).

        ``ending_at``: end the surge then rather than now (tests and drills that play
        polls ahead of the clock); ids still follow ``created_at`` for every surge
        injected in time order."""
        mix = {"en": 1.0} if lang_mix is None else lang_mix
        problem = surge_problem(count, over_s, negative_share, mix, seed)
        if problem:
            raise SandboxError(400, problem)
        rng = random.Random(seed)
        with self._lock:
            target = self._users.get(user_id)
            if target is None:
                raise SandboxError(404, f"no user {user_id}")
            about_post = self._posts.get(about) if about is not None else None
            if about is not None and (about_post is None or about_post.deleted):
                raise SandboxError(404, f"no post {about} for the surge to be about")
            now = ending_at or self._now()
            start = now - timedelta(seconds=over_s)
            if about_post is not None and about_post.created_at > start:
                start = min(about_post.created_at, now)
            span = (now - start).total_seconds()
            offsets = sorted(span * rng.random() ** _RAMP for _ in range(count))
            plan = _Plan(target, about_post, dict(mix), float(negative_share))
            ids = [
                self._surge_post(rng, plan, start + timedelta(seconds=offset)).id
                for offset in offsets
            ]
            return {
                "user_id": user_id,
                "about": about,
                "count": count,
                "authors": len(plan.authors),
                "first_id": ids[0],
                "last_id": ids[-1],
                "started_at": iso(start),
                "ended_at": iso(now),
                "ids": ids,
            }

    def _surge_post(self, rng: random.Random, plan: _Plan, created_at: datetime) -> Post:
        target, about, authors, replies = plan.target, plan.about, plan.authors, plan.replies
        if authors and rng.random() < _REPEAT_AUTHOR_SHARE:
            author = authors[int(len(authors) * rng.random() ** 2)]  # early ones more often
        else:
            author = self._surge_author(rng, plan, created_at)
            authors.append(author)
        lang = weighted(rng, plan.langs)
        text = self._surge_text(rng, plan, lang)
        reply_to = quote_of = None
        handle = f"@{target.username}"
        kind = rng.random()
        if about is not None and kind < _REPLY_SHARE:
            parent = about
            if replies and rng.random() < _THREAD_SHARE:
                candidate = replies[rng.randrange(len(replies))]
                if candidate.author_id != author.id:
                    parent = candidate
            reply_to = parent.id
            if parent is about:
                prefix = f"@{self._users[about.author_id].username} "
                if about.author_id != target.id:
                    prefix += f"{handle} "
            else:
                prefix = f"@{self._users[parent.author_id].username} {handle} "
            text = prefix + text
        elif about is not None and kind < _REPLY_SHARE + _QUOTE_SHARE:
            quote_of = about.id
            text = f"{text} {handle}"
        else:
            text = f"{handle} {text}"
        post = self._create_post(
            author_id=author.id,
            text=text,
            source=weighted(rng, dict(SOURCES)),
            lang=lang,
            origin="injected",
            created_at=created_at,
            reply_to=reply_to,
            quote_of=quote_of,
        )
        if reply_to is not None:
            replies.append(post)
        return post

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

    def _surge_author(self, rng: random.Random, plan: _Plan, created_at: datetime) -> User:
        lang = weighted(rng, plan.langs)
        first = rng.choice(FIRST_NAMES[lang])
        stem = rng.choice(HANDLE_PARTS[0]) + rng.choice(HANDLE_PARTS[1])
        username = f"{stem}{rng.randint(1, 9999)}"
        while username.lower() in self._usernames:
            username = f"{stem[:9]}{rng.randint(0, 999_999)}"
        if rng.random() < _BIG_ACCOUNT_SHARE:
            followers = max(100_000, int(rng.lognormvariate(math.log(250_000), 0.8)))
        else:
            followers = int(rng.lognormvariate(math.log(200), 1.9))
        metrics = {
            "followers_count": followers,
            "following_count": int(rng.lognormvariate(math.log(300), 1.0)),
            "tweet_count": int(rng.lognormvariate(math.log(2_000), 1.5)),
            "listed_count": int(followers * rng.random() / 100),
        }
        joined = created_at - timedelta(days=rng.randint(30, 5_000))
        created = self.register_user(
            username=username,
            name=f"{first} {username[:1].upper()}.",
            created_at=joined,
            public_metrics=metrics,
        )
        return self._users[created["id"]]
