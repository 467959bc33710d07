"""Scripted surges on the sandbox Bluesky: many accounts replying to, quoting and
mentioning one account at once, as when a post goes wrong.

``inject_surge(did, about_post_id, count, seed=0, negative_share=0.5, ending_at=None,
over_s=600, lang_mix=None)`` makes ``count`` posts whose ``createdAt`` is spread over
the ``over_s`` seconds ending at ``ending_at`` (default: the sandbox clock's now),
denser towards the end. Their TIDs and ``indexedAt`` follow that order and are newer
than anything before, so a notification checkpoint sees every one.

With ``about_post_id`` (a Firebreak id or at:// URI of the account's post): about
62 % reply to it (some of those to an earlier reply in the thread instead), about
23 % quote it, the rest mention the account; without it all are mentions. Every
text names ``@handle`` (with a mention facet). Authors are mostly new accounts with
log-normal follower counts (median about 200) and a few big ones (100k+). The texts
and names come from the sandbox X's ``surge_texts``; the same seed on the same state
gives the same surge.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from typing import Any

from firebreak_local.sandbox_bluesky.control import ControlMixin
from firebreak_local.sandbox_bluesky.state import Account, Record, iso, micros_of
from firebreak_local.sandbox_bluesky.wire import SandboxError
from firebreak_local.sandbox_x.surge_texts import (
    FIRST_NAMES,
    HANDLE_PARTS,
    MAX_SURGE,
    NEGATIVE,
    POSITIVE,
    SLOTS,
    TEMPLATES,
    weighted,
)

_REPLY_SHARE = 0.62
_QUOTE_SHARE = 0.23
_THREAD_SHARE = 0.12
_REPEAT_AUTHOR_SHARE = 0.15
_BIG_ACCOUNT_SHARE = 1 / 150
_RAMP = 0.6


class SurgeMixin(ControlMixin):
    """``inject_surge``: many mentions from many accounts, fast and reproducible."""

    def inject_surge(
        self,
        did: str,
        about_post_id: str | None,
        count: int,
        *,
        seed: int = 0,
        negative_share: float = 0.5,
        ending_at: datetime | None = None,
        over_s: float = 600.0,
        lang_mix: dict[str, float] | None = None,
    ) -> dict[str, Any]:
        """Inject ``count`` posts about ``did`` (see the module's description)."""
        langs = {"en": 1.0} if lang_mix is None else dict(lang_mix)
        if not isinstance(count, int) or not 1 <= count <= MAX_SURGE:
            raise SandboxError(f"count must be an integer from 1 to {MAX_SURGE}")
        if not 0 <= negative_share <= 1:
            raise SandboxError("negative_share must be from 0.0 to 1.0")
        if over_s < 0 or not langs or any(lang not in TEMPLATES for lang in langs):
            raise SandboxError(f"over_s must be >= 0 and lang_mix use {sorted(TEMPLATES)}")
        rng = random.Random(seed)
        with self._lock:
            target = self._who(did)
            about = self._target(about_post_id) if about_post_id is not None else None
            end = micros_of(ending_at) if ending_at else self._now_micros()
            start = end - int(over_s * 1_000_000)
            if about is not None and about.indexed_at > start:
                start = min(about.indexed_at, end)
            offsets = sorted((end - start) * rng.random() ** _RAMP for _ in range(count))
            authors: list[Account] = []
            replies: list[Record] = []
            ids = []
            for offset in offsets:
                at = start + int(offset)
                author = self._surge_author(rng, authors, langs)
                text = self._surge_text(rng, langs, negative_share)
                record = self._surge_post(rng, target, about, author, text, replies, at)
                ids.append(self._post_id(record))
            return {
                "did": did,
                "about": about_post_id,
                "count": count,
                "authors": len({a.did for a in authors}),
                "first_id": ids[0],
                "last_id": ids[-1],
                "started_at": iso(start),
                "ended_at": iso(end),
                "ids": ids,
            }

    def _surge_post(
        self,
        rng: random.Random,
        target: Account,
        about: Record | None,
        author: Account,
        text: str,
        replies: list[Record],
        at: int,
    ) -> Record:
        handle = f"@{target.handle}"
        kind = rng.random()
        reply_to = quote_of = None
        if about is not None and kind < _REPLY_SHARE:
            parent = about
            if replies and rng.random() < _THREAD_SHARE:
                candidate = replies[rng.randrange(len(replies))]
                if candidate.did != author.did:
                    parent = candidate
            reply_to = parent.uri
            text = f"{handle} {text}"
        elif about is not None and kind < _REPLY_SHARE + _QUOTE_SHARE:
            quote_of = about.uri
            text = f"{text} {handle}"
        else:
            text = f"{handle} {text}"
        value = self._value(text, at, reply_to=reply_to, quote_of=quote_of)
        record = self._new_post(author, value, at=at)
        if reply_to is not None:
            replies.append(record)
        return record

    @staticmethod
    def _surge_text(rng: random.Random, langs: dict[str, float], negative_share: float) -> str:
        lang = weighted(rng, langs)
        tones = NEGATIVE if rng.random() < negative_share else POSITIVE
        templates = TEMPLATES[lang][weighted(rng, tones)]
        slots = SLOTS[lang]
        return templates[rng.randrange(len(templates))].format(
            thing=rng.choice(slots["thing"]),
            place=rng.choice(slots["place"]),
            emoji=rng.choice(slots["emoji"]),
            days=rng.randint(2, 30),
            mins=rng.randint(20, 180),
        )

    def _surge_author(
        self, rng: random.Random, authors: list[Account], langs: dict[str, float]
    ) -> Account:
        if authors and rng.random() < _REPEAT_AUTHOR_SHARE:
            return authors[int(len(authors) * rng.random() ** 2)]  # early ones more often
        lang = weighted(rng, langs)
        stem = rng.choice(HANDLE_PARTS[0]) + rng.choice(HANDLE_PARTS[1])
        name = f"{stem}{rng.randint(1, 9999)}.bsky.social"
        while name in self._handles:
            name = f"{stem}{rng.randint(0, 999_999)}.bsky.social"
        if rng.random() < _BIG_ACCOUNT_SHARE:
            followers = max(100_000, int(rng.lognormvariate(math.log(250_000), 0.8)))
        else:
            followers = int(rng.lognormvariate(math.log(200), 1.9))
        created = self.add_account(
            name,
            followers=followers,
            follows=int(rng.lognormvariate(math.log(300), 1.0)),
            display_name=f"{rng.choice(FIRST_NAMES[lang])} {stem[:1].upper()}.",
        )
        account = self._accounts[created["did"]]
        account.created_at = self._now_micros() - int(
            timedelta(days=rng.randint(30, 5_000)).total_seconds() * 1_000_000
        )
        authors.append(account)
        return account
