"""Delete-or-keep and hack indicators, on hand-made risk reports (no scorer involved)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from chalicelib.domain.assessment import (
    AccountHabits,
    DeleteOrKeep,
    PostFacts,
    hack_indicators,
    link_domain,
    recommend_delete_or_keep,
    scam_patterns,
)
from chalicelib.domain.risk import CategoryScore, RiskReport

ACCOUNT = AccountHabits(
    langs=("en",),
    timezone="Europe/Berlin",
    usual_source_apps=("Firebreak", "Twitter for iPhone"),
    link_domains=("brand.example",),
)
NOON_BERLIN = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)  # 12:00 in Berlin


def report(lang: str = "en", terms: tuple[str, ...] = (), **flags: float) -> RiskReport:
    """A RiskReport with the given category scores; a score >= 0.5 is flagged."""
    cats = {}
    for name in ("offensive", "hate", "sexual", "violence"):
        score = flags.get(name, 0.05)
        cats[name] = CategoryScore(score, score >= 0.5, terms if score >= 0.5 else ())
    return RiskReport(lang=lang, categories=cats)


def post(text: str = "Our new flavour is out!", firebreak: bool = True, **kw: object) -> PostFacts:
    kw.setdefault("posted_at", NOON_BERLIN)
    return PostFacts(text=text, published_by_firebreak=firebreak, **kw)  # type: ignore[arg-type]


def codes(p: PostFacts, account: AccountHabits = ACCOUNT, lang: str = "en") -> set[str]:
    return {i.code for i in hack_indicators(p, account, lang)}


# -- hack indicators, one by one ---------------------------------------------


def test_clean_firebreak_post_has_no_indicator() -> None:
    assert codes(post()) == set()


def test_not_via_firebreak_is_context_with_zero_weight() -> None:
    found = hack_indicators(post(firebreak=False), ACCOUNT, "en")
    assert [(i.code, i.weight) for i in found] == [("not_via_firebreak", 0)]


def test_unusual_source_app() -> None:
    assert "unusual_app" in codes(post(source_app="SpamBot 3000"))
    assert "unusual_app" not in codes(post(source_app="twitter for iphone"))
    assert "unusual_app" not in codes(post(source_app=None))
    unknown_habits = AccountHabits(timezone="UTC")
    assert "unusual_app" not in codes(post(source_app="SpamBot"), unknown_habits)


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("Huge BTC giveaway! Send 0.1 BTC and get 0.2 back", "crypto"),
        ("We double your ETH, send it to our wallet", "double-your-money"),
        ("Your account will be suspended, verify your account here", "phishing"),
        ("Ihr Konto wird gesperrt! Bestätigen Sie Ihr Passwort", "phishing"),
        ("Krypto verschenken wir heute: 1000 Bitcoin gratis", "crypto"),
        ("GIVEAWAY: free iPhone for the first 100 followers", "giveaway"),
        ("Großes Gewinnspiel: gratis iPhone!", "giveaway"),
    ],
)
def test_scam_patterns(text: str, pattern: str) -> None:
    assert pattern in {name for name, _, _ in scam_patterns(text)}


def test_no_scam_pattern_in_ordinary_text() -> None:
    assert scam_patterns("We are sorry about yesterday's outage, it is fixed now.") == []


def test_unknown_link_domain() -> None:
    assert "unknown_link_domain" in codes(post(links=("https://claim-prize.example/x",)))
    assert "unknown_link_domain" not in codes(post(links=("https://shop.brand.example/a",)))
    assert "unknown_link_domain" not in codes(post(links=("https://t.co/abc",)))
    assert link_domain("www.Brand.example/path") == "brand.example"


def test_unusual_hour_in_account_timezone() -> None:
    three_am_berlin = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    assert "unusual_hour" in codes(post(posted_at=three_am_berlin))
    # 03:00 UTC is 04:00 in Berlin but 22:00 the day before in New York.
    ny = AccountHabits(timezone="America/New_York")
    assert "unusual_hour" not in codes(post(posted_at=datetime(2026, 3, 2, 3, 0, tzinfo=UTC)), ny)
    naive = datetime(2026, 3, 2, 1, 30)  # taken as UTC: 02:30 Berlin
    assert "unusual_hour" in codes(post(posted_at=naive))
    other_offset = datetime(2026, 3, 2, 12, 0, tzinfo=timezone(timedelta(hours=9)))  # 04:00 Berlin
    assert "unusual_hour" in codes(post(posted_at=other_offset))
    assert "unusual_hour" not in codes(post(posted_at=None))


def test_quiet_hours_can_wrap_midnight() -> None:
    night_owl = AccountHabits(timezone="UTC", quiet_hours=(22, 5))
    assert "unusual_hour" in codes(
        post(posted_at=datetime(2026, 1, 1, 23, 0, tzinfo=UTC)), night_owl
    )
    assert "unusual_hour" not in codes(
        post(posted_at=datetime(2026, 1, 1, 12, 0, tzinfo=UTC)), night_owl
    )


def test_unusual_language() -> None:
    assert "unusual_language" in codes(post(), lang="ru")
    assert "unusual_language" not in codes(post(), lang="en")
    assert "unusual_language" not in codes(post(), lang="und")
    assert "unusual_language" not in codes(post(), AccountHabits(timezone="UTC"), lang="ru")


def test_account_habits_validate() -> None:
    with pytest.raises(ValueError, match="unknown timezone"):
        AccountHabits(timezone="Mars/Olympus")
    with pytest.raises(ValueError, match="quiet_hours"):
        AccountHabits(quiet_hours=(0, 30))


# -- the recommendation, branch by branch ------------------------------------


def test_keep_clean_post() -> None:
    d = recommend_delete_or_keep(post(), ACCOUNT, report())
    assert d == DeleteOrKeep("keep", False, d.reasons, ())
    assert "keep it and own it" in d.reasons[0]


def test_keep_offensive_but_not_r_rated() -> None:
    d = recommend_delete_or_keep(post("That was a dumb joke"), ACCOUNT, report(offensive=0.8))
    assert d.recommendation == "keep"
    assert "nothing R-rated" in d.reasons[0]


@pytest.mark.parametrize(
    ("category", "words"),
    [
        ("sexual", "explicit sexual content"),
        ("violence", "graphic violence or a call for violence"),
        ("hate", "hate speech"),
    ],
)
def test_delete_r_rated_content(category: str, words: str) -> None:
    scores: dict[str, float] = {category: 0.9}
    d = recommend_delete_or_keep(post(), ACCOUNT, report("en", ("x",), **scores))
    assert d.recommendation == "delete"
    assert not d.hack_suspected
    assert any(words in r and "(x)" in r for r in d.reasons)


def test_delete_strong_profanity_only_when_offensive() -> None:
    d = recommend_delete_or_keep(post(), ACCOUNT, report(offensive=0.9), severe_terms=("fucking",))
    assert d.recommendation == "delete"
    assert any("strong profanity (fucking)" in r for r in d.reasons)
    # A lexicon hit in a text the model does not find offensive (a name, a quote) is not enough.
    d = recommend_delete_or_keep(post(), ACCOUNT, report(), severe_terms=("dyke",))
    assert d.recommendation == "keep"


def test_not_via_firebreak_alone_is_never_a_hack() -> None:
    d = recommend_delete_or_keep(
        post(firebreak=False, source_app="Twitter for iPhone"), ACCOUNT, report()
    )
    assert d.recommendation == "keep"
    assert not d.hack_suspected
    assert any("process problem, not a hack" in r for r in d.reasons)


def test_one_weak_indicator_is_not_a_hack_but_is_mentioned() -> None:
    d = recommend_delete_or_keep(post(firebreak=False, source_app="Buffer"), ACCOUNT, report())
    assert d.recommendation == "keep"
    assert not d.hack_suspected
    assert any(r.startswith("worth a look") and "Buffer" in r for r in d.reasons)


def test_scam_from_outside_firebreak_is_a_hack() -> None:
    d = recommend_delete_or_keep(
        post("Free BTC giveaway, send 1 BTC get 2 back", firebreak=False), ACCOUNT, report()
    )
    assert d.recommendation == "delete"
    assert d.hack_suspected
    assert "account looks hacked" in d.reasons[0]
    assert any("2FA" in r for r in d.reasons)


def test_two_weak_indicators_from_outside_firebreak_are_a_hack() -> None:
    p = post(firebreak=False, source_app="SpamBot", links=("https://evil.example",))
    d = recommend_delete_or_keep(p, ACCOUNT, report())
    assert d.recommendation == "delete"
    assert d.hack_suspected
    assert {"unusual_app", "unknown_link_domain"} <= {i.code for i in d.indicators}


def test_off_language_at_night_from_outside_is_a_hack() -> None:
    p = post(firebreak=False, posted_at=datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    d = recommend_delete_or_keep(p, ACCOUNT, report(lang="ru"))
    assert d.hack_suspected


def test_same_signals_through_firebreak_are_no_hack() -> None:
    p = post("Free BTC giveaway, send 1 BTC get 2 back", source_app="SpamBot")
    d = recommend_delete_or_keep(p, ACCOUNT, report())
    assert d.recommendation == "keep"
    assert not d.hack_suspected
    assert any("check who approved it" in r for r in d.reasons)


def test_hack_and_r_rated_content_give_both_reasons() -> None:
    p = post("send nudes, free BTC giveaway", firebreak=False)
    d = recommend_delete_or_keep(p, ACCOUNT, report(sexual=0.9))
    assert d.recommendation == "delete"
    assert d.hack_suspected
    assert any("explicit sexual content" in r for r in d.reasons)
    assert d.reasons[-1].startswith("delete fast")
