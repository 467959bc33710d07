"""The watcher (C1) and the reminders (M5): every minute, the brand's own timeline is
read for posts that open an incident, and commanders are reminded of status updates."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

from chalicelib.accounts.domain import Account
from chalicelib.core.errors import (
    Conflict,
)
from chalicelib.core.observe import correlate, count
from chalicelib.incidents.base import (
    APOLOGY_PREFIX,
    IS,
    WATCHER,
    IncidentDeps,
    IncidentUseCases,
)
from chalicelib.incidents.domain import (
    UPDATE_CADENCE,
    Trigger,
)
from chalicelib.incidents.service import IncidentService
from chalicelib.networks.social import (
    RateLimited,
    RemotePost,
)
from chalicelib.ports import MailFailed

logger = logging.getLogger(__name__)


class Watcher(IncidentUseCases):
    def __init__(self, deps: IncidentDeps, lifecycle: IncidentService) -> None:
        super().__init__(deps)
        self.lifecycle = lifecycle

    def watch(self, now: datetime) -> dict[str, Any]:
        """C1: a post on the account's timeline that Firebreak did not publish, or that
        the risk scan flags, opens an incident (one per post)."""
        opened: list[str] = []
        skipped: dict[str, str] = {}
        count("WatcherRuns")
        for account in self.store.all_accounts():
            with correlate(account_id=account.id):
                self._watch_one(account, now, opened, skipped)
        return {"opened": opened, "skipped": skipped}

    def _watch_one(
        self, account: Account, now: datetime, opened: list[str], skipped: dict[str, str]
    ) -> None:
        paused = self.incidents.watch_paused_until(account.id)
        if paused and paused > now:
            skipped[account.id] = "RateLimited"  # X's reset time has not come yet
            return
        try:
            opened += self._watch_account(account)
            count("AccountsWatched")
            if paused:
                # Read again after a 429: the pause is over, whatever the clock of
                # the run that set it said.
                self.incidents.resume_watch(account.id)
        except RateLimited as exc:
            # Never sleep in the Lambda: remember the reset and skip polls until then.
            self.incidents.pause_watch(account.id, exc.reset_at)
            skipped[account.id] = "RateLimited"
        except Exception as exc:  # noqa: BLE001 - per-account boundary, logged
            # One account without credentials, rate-limited or misconfigured must not
            # blind the watcher for the others; it is tried again next tick.
            skipped[account.id] = type(exc).__name__
            logger.warning("watcher skipped %s: %s", account.id, type(exc).__name__)

    def _watch_account(self, account: Account) -> list[str]:
        client = self.service.social.client_for(account)
        since = self.incidents.get_checkpoint(account.id)
        posts = client.timeline(since_id=since if since and since != "0" else None)
        if since is None:
            # First sight of this account: its history is the baseline, not a crisis.
            newest_id = max((p.id for p in posts), key=int, default="0")
            self.incidents.set_checkpoint(account.id, newest_id)
            return []
        if not posts:
            return []
        opened = []
        newest = max(posts, key=lambda p: int(p.id))
        for post in sorted(posts, key=lambda p: int(p.id)):
            trigger = self._watch_trigger(account, post)
            if trigger is None:
                continue
            incident = self.lifecycle.open_incident(
                WATCHER, account.id, post.id, trigger=trigger, remote=post
            )
            opened.append(incident.id)
        self.incidents.set_checkpoint(account.id, newest.id)
        return opened

    def _watch_trigger(self, account: Account, post: RemotePost) -> Trigger | None:
        published_as = self.store.published_as(account.id, post.id)
        if published_as is None:
            return Trigger.NOT_PUBLISHED_BY_FIREBREAK
        if published_as.startswith(APOLOGY_PREFIX):
            # An incident's own apology, approved by a second senior inside that incident:
            # the scan once read the hack apology ("someone else got into our account")
            # as a threat and froze the account over its own crisis response.
            return None
        if self._scorer().score(post.text).flagged:
            return Trigger.RISK_SCAN
        return None

    def remind(self, now: datetime) -> dict[str, Any]:
        """M5: remind the commander to post a status update on the severity's cadence."""
        reminded: list[str] = []
        unsent: list[str] = []
        for account in self.store.all_accounts():
            for incident in self.incidents.of_account(account.id, (IS.MONITORING,)):
                if incident.status is not IS.MONITORING or not incident.next_update_due:
                    continue
                if incident.next_update_due > now:
                    continue
                commander = self.store.get_user(incident.roles.commander)
                if commander:
                    try:
                        # Mailed once per due time (the key), before the due time moves:
                        # a mail that fails leaves it due, and the next run tries again.
                        self._mail(
                            f"reminder#{incident.id}#{incident.next_update_due.isoformat()}",
                            commander,
                            f"Status update due: incident {incident.id}",
                            f"Post a status update (POST /incidents/{incident.id}/updates) "
                            "and keep replying to mentions.",
                            "<p>Post a status update and keep replying to mentions.</p>",
                        )
                    except MailFailed:
                        logger.warning("reminder for %s not sent; tried again", incident.id)
                        unsent.append(incident.id)
                        continue  # the others are still reminded
                try:
                    self._save(
                        incident,
                        replace(incident, next_update_due=now + UPDATE_CADENCE[incident.severity]),
                        self._entry(WATCHER, "update_reminder", "status update due"),
                    )
                except Conflict:
                    continue
                reminded.append(incident.id)
        return {"reminded": reminded, "unsent": unsent}
