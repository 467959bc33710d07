"""Sign-in by mailed link and browser sessions (X4).

A person asks for a link with their address; the reply is the same whether or not the
address belongs to anyone, and whether or not a limit silently held the mail back.
Opening the link changes nothing (mail scanners open links); only its POST signs in,
once. A session is looked up by the hash of its cookie, and its timeouts are checked
on every read.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from chalicelib.core.errors import LinkExpired, LinkUnknown, LinkUsed, TooManyRequests
from chalicelib.links.domain import hash_token, looks_like_token
from chalicelib.web.domain import (
    LINKS_PER_ADDRESS_PER_HOUR,
    LINKS_PER_CLIENT_PER_HOUR,
    SessionPolicy,
    SignInLink,
    WebSession,
    hour_window,
    normalise_email,
)

if TYPE_CHECKING:
    from chalicelib.core.users import User
    from chalicelib.ports import Clock, Mailer, Store, WebStore

logger = logging.getLogger("firebreak.web")
# Longer than a known address's work (two counters, a put, an SES send: ~0.1–0.2 s).
ANSWER_AFTER_S = 0.4


@dataclass(frozen=True)
class SignedIn:
    user: User
    session: WebSession


class WebAuth:
    def __init__(
        self,
        *,
        store: Store,
        web: WebStore,
        mailer: Mailer,
        clock: Clock,
        base_url: str,
        policy: SessionPolicy | None = None,
        answer_after_s: float = ANSWER_AFTER_S,
        ticks: Callable[[], float] = time.monotonic,
        pause: Callable[[float], None] = time.sleep,
    ) -> None:
        self._store = store
        self._web = web
        self._mailer = mailer
        self._clock = clock
        self._base = base_url.rstrip("/")
        self.policy = policy or SessionPolicy()
        self._answer_after_s = answer_after_s
        self._ticks = ticks
        self._pause = pause

    # -- sign-in links
    def request_link(self, raw_email: str, client: str) -> None:
        """Mail a sign-in link if the address is a user's; the same outcome, after the
        same time, otherwise. ``TooManyRequests`` only for a client over its limit."""
        email = normalise_email(raw_email)
        started = self._ticks()
        try:
            self._request_link(email, client)
        finally:
            # An unknown address would answer before a known one's mail is sent: every
            # answer waits until ``answer_after_s``, so timing tells nobody who is a user.
            left = self._answer_after_s - (self._ticks() - started)
            if left > 0:
                self._pause(left)

    def _request_link(self, email: str, client: str) -> None:
        now = self._clock.now()
        window = hour_window(now)
        if not self._web.count_request(
            f"CLIENT#{hash_token(client)}", window, LINKS_PER_CLIENT_PER_HOUR
        ):
            raise TooManyRequests("too many sign-in links asked for from here; try in an hour")
        user = self._store.user_for_email(email)
        if user is None:
            logger.info("sign-in link asked for an unknown address")
            return
        if not self._web.count_request(
            f"EMAIL#{hash_token(email)}", window, LINKS_PER_ADDRESS_PER_HOUR
        ):
            logger.warning("sign-in links for user %s held back by the hourly limit", user.id)
            return
        token, link = SignInLink.issue(user.id, now)
        self._web.put_signin_link(link)
        self._mailer.send(to=user.email, **self._signin_mail(user, token, link))

    def _signin_mail(self, user: User, token: str, link: SignInLink) -> dict[str, str]:
        url = f"{self._base}/app/signin/{token}"
        until = link.expires_at.astimezone(ZoneInfo("UTC")).strftime("%H:%M UTC")
        text = (
            f"Hello {user.name},\n\nSign in to Firebreak with this link:\n{url}\n\n"
            f"It works once, until {until} (15 minutes). If you did not ask for it, "
            "ignore this mail: nobody can sign in without opening it.\n"
        )
        html = (
            f'<p>Hello {_h(user.name)},</p><p><a href="{_h(url)}">Sign in to Firebreak</a></p>'
            f"<p>The link works once, until {until} (15 minutes). If you did not ask for "
            "it, ignore this mail: nobody can sign in without opening it.</p>"
        )
        return {"subject": "Your Firebreak sign-in link", "text": text, "html": html}

    def check_link(self, token: str) -> SignInLink:
        """The link behind ``token`` if it can still sign in; a named error otherwise.
        Changes nothing."""
        link = self._web.get_signin_link(hash_token(token)) if looks_like_token(token) else None
        if link is None:
            raise LinkUnknown("this sign-in link is not one Firebreak sent")
        problem = link.problem(self._clock.now())
        if problem == "used":
            raise LinkUsed("this sign-in link was used already")
        if problem == "expired":
            raise LinkExpired("this sign-in link has expired (links last 15 minutes)")
        return link

    def sign_in(self, token: str) -> tuple[str, SignedIn]:
        """Spend the link and start a new session: the raw session id (for the cookie
        only) and who signed in."""
        link = self.check_link(token)
        now = self._clock.now()
        user = self._store.get_user(link.user_id)
        if user is None:
            raise LinkUnknown("this sign-in link's user no longer exists")
        if not self._web.burn_signin_link(link.token_hash, now):
            raise LinkUsed("this sign-in link was used already")
        raw, session = WebSession.start(user.id, now)
        self._web.put_session(session, session.expires_at(self.policy))
        logger.info("user %s signed in", user.id)
        return raw, SignedIn(user, session)

    # -- sessions
    def session(self, raw_id: str | None) -> SignedIn | None:
        """Who the cookie belongs to, or None when it is absent, unknown or timed out."""
        if not raw_id or not looks_like_token(raw_id):
            return None
        id_hash = hash_token(raw_id)
        session = self._web.get_session(id_hash)
        if session is None:
            return None
        now = self._clock.now()
        if session.ended(now, self.policy):
            self._web.delete_session(id_hash)
            return None
        user = self._store.get_user(session.user_id)
        if user is None:
            self._web.delete_session(id_hash)
            return None
        if session.needs_touch(now, self.policy):
            self._web.touch_session(id_hash, now)
            session = session.touched(now)
        return SignedIn(user, session)

    def sign_out(self, signed_in: SignedIn, everywhere: bool = False) -> int:
        """End this session, or every session of its user; how many ended."""
        hashes = (
            self._web.sessions_of_user(signed_in.user.id)
            if everywhere
            else [signed_in.session.id_hash]
        )
        for id_hash in {*hashes, signed_in.session.id_hash}:
            self._web.delete_session(id_hash)
        logger.info(
            "user %s signed out (%s)", signed_in.user.id, "everywhere" if everywhere else "here"
        )
        return len({*hashes, signed_in.session.id_hash})


def _h(text: str) -> str:
    from html import escape

    return escape(text, quote=True)
