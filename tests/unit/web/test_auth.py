"""Sign-in links and sessions as use cases, on the in-memory twins of the ports."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import NamedTuple

import pytest

from chalicelib.core.errors import (
    LinkExpired,
    LinkUnknown,
    LinkUsed,
    TooManyRequests,
    ValidationFailed,
)
from chalicelib.core.users import Role, User
from chalicelib.links.domain import hash_token
from chalicelib.web.auth import WebAuth
from chalicelib.web.domain import (
    LINKS_PER_ADDRESS_PER_HOUR,
    LINKS_PER_CLIENT_PER_HOUR,
    SessionPolicy,
    normalise_email,
)
from tests.fakes import FrozenClock, MemoryMailer, MemoryStore, MemoryWeb

BOB = User("u_bob", "Bob Approver", "Bob@Acme.example", Role.APPROVER, "acme")


class World(NamedTuple):
    auth: WebAuth
    web: MemoryWeb
    mailer: MemoryMailer
    clock: FrozenClock


@pytest.fixture
def world() -> World:
    store, web, mailer, clock = MemoryStore(), MemoryWeb(), MemoryMailer(), FrozenClock()
    store.put_user(BOB)
    auth = WebAuth(
        store=store,
        web=web,
        mailer=mailer,
        clock=clock,
        base_url="https://fb.example/api",
        policy=SessionPolicy(idle=timedelta(minutes=30), absolute=timedelta(hours=8)),
        pause=lambda s: None,
    )
    return World(auth, web, mailer, clock)


def _token(mailer: MemoryMailer) -> str:
    found = re.search(r"https://fb\.example/api/app/signin/([A-Za-z0-9_-]+)", mailer.sent[-1].text)
    assert found, mailer.sent[-1].text
    return found.group(1)


def test_a_link_is_mailed_stored_hashed_and_signs_in_once(world: World) -> None:
    auth, web, mailer, _ = world
    auth.request_link("  bob@acme.EXAMPLE ", "10.0.0.1")
    token = _token(mailer)
    assert mailer.sent[-1].to == BOB.email
    assert token not in str(web.links) and hash_token(token) in web.links  # only the hash
    auth.check_link(token)  # opening it changes nothing
    auth.check_link(token)
    raw, signed = auth.sign_in(token)
    assert signed.user.id == "u_bob"
    assert raw not in str(web.sessions) and hash_token(raw) in web.sessions
    with pytest.raises(LinkUsed):
        auth.sign_in(token)


def test_unknown_address_sends_nothing_and_says_nothing(world: World) -> None:
    auth, _, mailer, _ = world
    assert auth.request_link("nobody@acme.example", "10.0.0.1") is None
    assert mailer.sent == []


def test_bad_address_is_named(world: World) -> None:
    auth, *_ = world
    for bad in ("", "bob", "bob@", "@acme.example", "bob@acme", "b ob@acme.example", "a@b@c.de"):
        with pytest.raises(ValidationFailed) as err:
            auth.request_link(bad, "10.0.0.1")
        assert err.value.field == "email"
    assert normalise_email(" A@B.de ") == "a@b.de"


def test_links_expire_after_fifteen_minutes(world: World) -> None:
    auth, _, mailer, clock = world
    auth.request_link("bob@acme.example", "10.0.0.1")
    token = _token(mailer)
    clock.advance(minutes=14, seconds=59)
    auth.check_link(token)
    clock.advance(seconds=1)
    with pytest.raises(LinkExpired):
        auth.sign_in(token)


def test_tampered_links_are_unknown(world: World) -> None:
    auth, _, mailer, _ = world
    auth.request_link("bob@acme.example", "10.0.0.1")
    token = _token(mailer)
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 43, "../../etc", ""):
        with pytest.raises(LinkUnknown):
            auth.check_link(bad)


def test_per_address_limit_holds_mail_back_silently(world: World) -> None:
    auth, _, mailer, clock = world
    for _ in range(LINKS_PER_ADDRESS_PER_HOUR + 3):
        auth.request_link("bob@acme.example", "10.0.0.1")
    assert len(mailer.sent) == LINKS_PER_ADDRESS_PER_HOUR
    clock.advance(hours=1)
    auth.request_link("bob@acme.example", "10.0.0.1")
    assert len(mailer.sent) == LINKS_PER_ADDRESS_PER_HOUR + 1


def test_per_client_limit_refuses(world: World) -> None:
    auth, *_ = world
    for i in range(LINKS_PER_CLIENT_PER_HOUR):
        auth.request_link(f"someone{i}@acme.example", "10.0.0.9")
    with pytest.raises(TooManyRequests):
        auth.request_link("bob@acme.example", "10.0.0.9")
    auth.request_link("bob@acme.example", "10.0.0.10")  # another client is not held back


def _signed_in(world: World) -> tuple[str, WebAuth, MemoryWeb, FrozenClock]:
    auth, web, mailer, clock = world
    auth.request_link("bob@acme.example", "10.0.0.1")
    raw, _ = auth.sign_in(_token(mailer))
    return raw, auth, web, clock


def test_idle_timeout_is_checked_on_read(world: World) -> None:
    raw, auth, web, clock = _signed_in(world)
    clock.advance(minutes=29)
    assert auth.session(raw) is not None  # and touched: idle time starts again
    clock.advance(minutes=29)
    assert auth.session(raw) is not None
    clock.advance(minutes=30)
    assert auth.session(raw) is None
    assert web.sessions == {}  # an ended session is deleted, not left to the TTL


def test_absolute_timeout_ends_even_an_active_session(world: World) -> None:
    raw, auth, _, clock = _signed_in(world)
    for _ in range(16):
        clock.advance(minutes=29)
        assert auth.session(raw) is not None
    clock.advance(minutes=20)  # 8 h after sign-in
    assert auth.session(raw) is None


def test_each_sign_in_is_a_new_session_and_sign_out_everywhere_ends_all(world: World) -> None:
    raw1, auth, web, _ = _signed_in(world)
    raw2, *_ = _signed_in(world)
    assert raw1 != raw2
    one, two = auth.session(raw1), auth.session(raw2)
    assert one and two and one.session.csrf != two.session.csrf
    assert auth.sign_out(one) == 1
    assert auth.session(raw1) is None and auth.session(raw2) is not None
    raw3, *_ = _signed_in(world)
    three = auth.session(raw3)
    assert three is not None and auth.sign_out(three, everywhere=True) == 2
    assert web.sessions == {}


def test_junk_cookies_never_reach_the_store(world: World) -> None:
    auth, web, *_ = world

    def boom(_: str) -> None:
        raise AssertionError("looked up")

    web.get_session = boom  # type: ignore[method-assign, assignment]
    for junk in (None, "", "short", "x" * 500, "a b c" * 10):
        assert auth.session(junk) is None


class SlowMailer(MemoryMailer):
    """Each send takes 0.15 s of the fake monotonic time."""

    def __init__(self, ticks: list[float]) -> None:
        super().__init__()
        self.ticks = ticks

    def send(self, *, to: str, subject: str, text: str, html: str) -> str:
        self.ticks[0] += 0.15
        return super().send(to=to, subject=subject, text=text, html=html)


def test_a_known_and_an_unknown_address_answer_after_the_same_time() -> None:
    ticks = [100.0]
    store, mailer = MemoryStore(), SlowMailer(ticks)
    store.put_user(BOB)
    waited: list[float] = []

    def pause(seconds: float) -> None:
        waited.append(seconds)
        ticks[0] += seconds

    auth = WebAuth(
        store=store,
        web=MemoryWeb(),
        mailer=mailer,
        clock=FrozenClock(),
        base_url="https://fb.example/api",
        answer_after_s=0.4,
        ticks=lambda: ticks[0],
        pause=pause,
    )
    took = []
    for address in ("bob@acme.example", "nobody@acme.example"):
        start = ticks[0]
        auth.request_link(address, "10.0.0.1")
        took.append(round(ticks[0] - start, 6))
    assert took == [0.4, 0.4] and len(mailer.sent) == 1
    assert [round(w, 6) for w in waited] == [0.25, 0.4]
