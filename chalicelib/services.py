"""Every use case of the approval pipeline, one service per capability, over the same
ports. ``chalicelib.wiring`` builds one ``Firebreak`` from the adapters; tests build
one from in-memory fakes (``tests.fakes.service_on``).

Nothing here knows about HTTP, boto3 or tweepy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.accounts.service import AccountService
from chalicelib.core.usecases import Config, Deps
from chalicelib.freezes.service import FreezeService
from chalicelib.links.service import LinkService
from chalicelib.posts.notify import PostMail
from chalicelib.posts.publisher import Publisher
from chalicelib.posts.service import PostService

if TYPE_CHECKING:
    from chalicelib.ports import Clock, Mailer, SocialAccounts, Store
    from chalicelib.triage.risk import RiskScanner

__all__ = ["Config", "Firebreak"]


class Firebreak:
    """The services of accounts, posts, their mails and links, freezes and the publisher.

    Each lives in its capability's folder; this only builds them over shared ports."""

    def __init__(
        self,
        *,
        store: Store,
        mailer: Mailer,
        social: SocialAccounts,
        scanner: RiskScanner | None,
        clock: Clock,
        config: Config,
    ) -> None:
        self.deps = Deps(store, mailer, social, scanner, clock, config)
        self.accounts = AccountService(self.deps)
        self.mail = PostMail(self.deps)
        self.posts = PostService(self.deps, self.accounts, self.mail)
        self.links = LinkService(self.deps, self.posts)
        self.freezes = FreezeService(self.deps, self.accounts, self.mail)
        self.publisher = Publisher(self.deps, self.posts, self.freezes, self.mail)

    @property
    def store(self) -> Store:
        return self.deps.store

    @property
    def mailer(self) -> Mailer:
        return self.deps.mailer

    @property
    def social(self) -> SocialAccounts:
        return self.deps.social

    @property
    def clock(self) -> Clock:
        return self.deps.clock

    @property
    def config(self) -> Config:
        return self.deps.config
