"""Delete-or-keep for a bad post on the brand's own account (C4), and hack indicators (C1).

Pure domain: no I/O. The content side comes in as a ``RiskReport`` (what the risk
scanner found) so the rules are testable with hand-made reports; the account
side as the account's habits. Firebreak's line (docs: PRODUCT.md):

- **delete** when the post is R-rated or worse (explicit sexual content, graphic
  violence or a call for violence, hate speech, slurs or strong profanity) or
  when the account was obviously hacked;
- **keep** and own it otherwise (clumsy, insensitive, tone-deaf, a bad joke, a
  factual mistake, a regretted opinion), even when it offends.

A post that Firebreak did not publish is never a hack by that fact alone: a team
member posting from the phone app is a process problem, not an attacker. A hack
needs other evidence, weighed in :func:`hack_indicators`. The result always
carries its reasons; a person decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib.domain.risk import RiskReport

# Indicator weights: a hack is suspected at HACK_THRESHOLD or more, and only for a
# post that did not come through Firebreak.
HACK_THRESHOLD = 2
STRONG = 2
WEAK = 1

# Link wrappers that hide the real destination; they say nothing about the account.
_WRAPPERS = frozenset({"t.co"})

_CRYPTO = (
    r"(?:bitcoin|btc|ethereum|eth|crypto\w*|krypto\w*|usdt|tether|solana|doge\w*|airdrop|wallet)"
)
_SCAM_PATTERNS: tuple[tuple[str, int, str, re.Pattern[str]], ...] = (
    (
        "crypto",
        STRONG,
        "pushes a crypto giveaway or investment",
        re.compile(
            rf"\b{_CRYPTO}\b.*\b(?:giveaway|give away|send|double|claim|free|bonus|"
            rf"verschenk\w*|gratis|kostenlos|gewinn\w*|sende\w*|schick\w*)\b"
            rf"|\b(?:giveaway|send|double|claim|free|verschenk\w*|gratis|sende\w*)\b.*\b{_CRYPTO}\b",
            re.IGNORECASE | re.DOTALL,
        ),
    ),
    (
        "double-your-money",
        STRONG,
        "promises to double money sent",
        re.compile(
            r"\b(?:double|2x|verdoppel\w*)\b.{0,40}\b(?:your|ihr\w*|dein\w*|back|zurück)\b"
            r"|\bsend\b.{0,30}\bget\b.{0,30}\bback\b",
            re.IGNORECASE | re.DOTALL,
        ),
    ),
    (
        "phishing",
        STRONG,
        "asks followers to log in or verify an account",
        re.compile(
            r"\bverify your (?:account|identity|wallet)\b"
            r"|\baccount (?:will be |has been )?(?:suspended|locked|deactivated|disabled)\b"
            r"|\bconfirm your (?:login|password|identity|details)\b"
            r"|\b(?:log ?in|sign ?in) (?:here|now|below)\b|\breset your password\b"
            r"|\bkonto (?:wird |wurde )?(?:gesperrt|deaktiviert|eingeschränkt)\b"
            r"|\b(?:bestätig|verifizier)\w* (?:sie |du )?(?:ihr|dein)\w* "
            r"(?:konto|passwort|zugang)\b"
            r"|\bhier (?:einloggen|anmelden)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "giveaway",
        WEAK,
        "is giveaway bait",
        re.compile(
            r"\bgiveaway\b|\bfree (?:iphone|ipad|macbook|ps5|gift ?card)s?\b"
            r"|\bfirst \d+ (?:people|followers|users)\b|\bdm (?:us|me) to claim\b"
            r"|\bclick (?:the|this) link to (?:claim|win)\b|\bgewinnspiel\b|\bverlosung\b"
            r"|\b(?:gratis|kostenlos\w*) (?:iphone|ipad|gutschein\w*)\b",
            re.IGNORECASE,
        ),
    ),
)


@dataclass(frozen=True)
class PostFacts:
    """What is known about the post besides its content."""

    text: str
    published_by_firebreak: bool
    source_app: str | None = None
    posted_at: datetime | None = None  # aware; a naive value is taken as UTC
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountHabits:
    """How the account normally posts. Empty tuples mean "unknown": no indicator from them."""

    langs: tuple[str, ...] = ()
    timezone: str = "UTC"
    usual_source_apps: tuple[str, ...] = ()
    link_domains: tuple[str, ...] = ()
    # Local hours [start, end) in which a brand account normally does not post.
    quiet_hours: tuple[int, int] = (0, 6)

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {self.timezone!r}") from exc
        start, end = self.quiet_hours
        if not (0 <= start <= 23 and 0 <= end <= 24):
            raise ValueError(f"quiet_hours out of range: {self.quiet_hours}")


@dataclass(frozen=True)
class HackIndicator:
    """One sign that someone other than the brand posted; ``weight`` 0 is context only."""

    code: str
    weight: int
    reason: str


@dataclass(frozen=True)
class DeleteOrKeep:
    """The recommendation, whether a hack is suspected, and the reasons for a person to weigh."""

    recommendation: Literal["delete", "keep"]
    hack_suspected: bool
    reasons: tuple[str, ...]
    indicators: tuple[HackIndicator, ...] = ()


def scam_patterns(text: str) -> list[tuple[str, int, str]]:
    """(name, weight, description) of each scam, phishing or giveaway pattern in the text."""
    return [(name, w, desc) for name, w, desc, rx in _SCAM_PATTERNS if rx.search(text)]


def link_domain(url: str) -> str:
    """The host of a link, lower-cased and without ``www.``; tolerates a missing scheme."""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.")


def _domain_known(domain: str, known: Sequence[str]) -> bool:
    for k in known:
        k = k.lower().removeprefix("www.")
        if domain == k or domain.endswith("." + k):
            return True
    return False


def _in_quiet_hours(hour: int, quiet: tuple[int, int]) -> bool:
    start, end = quiet
    if start <= end:
        return start <= hour < end
    return hour >= start or hour < end  # wraps midnight, e.g. (22, 5)


def hack_indicators(post: PostFacts, account: AccountHabits, lang: str) -> list[HackIndicator]:
    """Every sign that the post did not come from the brand, with its weight."""
    found: list[HackIndicator] = []
    if not post.published_by_firebreak:
        found.append(HackIndicator("not_via_firebreak", 0, "not published through Firebreak"))
    usual = {a.casefold() for a in account.usual_source_apps}
    if post.source_app and usual and post.source_app.casefold() not in usual:
        found.append(
            HackIndicator(
                "unusual_app",
                WEAK,
                f"posted from {post.source_app!r}, an app the account never uses",
            )
        )
    for name, weight, desc in scam_patterns(post.text):
        found.append(HackIndicator(f"scam:{name}", weight, f"text {desc}"))
    if account.link_domains:
        unknown = sorted(
            {
                d
                for d in (link_domain(u) for u in post.links)
                if d and d not in _WRAPPERS and not _domain_known(d, account.link_domains)
            }
        )
        if unknown:
            found.append(
                HackIndicator(
                    "unknown_link_domain",
                    WEAK,
                    f"links to {', '.join(unknown)}, a domain the account never links to",
                )
            )
    if post.posted_at is not None:
        at = post.posted_at if post.posted_at.tzinfo else post.posted_at.replace(tzinfo=UTC)
        local = at.astimezone(ZoneInfo(account.timezone))
        if _in_quiet_hours(local.hour, account.quiet_hours):
            found.append(
                HackIndicator(
                    "unusual_hour",
                    WEAK,
                    f"posted at {local:%H:%M} {account.timezone}, when the account never posts",
                )
            )
    langs = {x.lower() for x in account.langs}
    if langs and lang not in ("und", "") and lang.lower() not in langs:
        found.append(
            HackIndicator(
                "unusual_language", WEAK, f"written in {lang!r}, a language the account doesn't use"
            )
        )
    return found


def _content_reasons(content: RiskReport, severe_terms: Sequence[str]) -> list[str]:
    """Why the post is R-rated or worse; empty when it is not."""
    cats = content.categories
    out: list[str] = []

    def terms(name: str) -> str:
        t = cats[name].terms if name in cats else ()
        return f" ({', '.join(t[:3])})" if t else ""

    if "sexual" in cats and cats["sexual"].flag:
        out.append("explicit sexual content" + terms("sexual"))
    if "violence" in cats and cats["violence"].flag:
        out.append("graphic violence or a call for violence" + terms("violence"))
    if "hate" in cats and cats["hate"].flag:
        out.append("hate speech" + terms("hate"))
    offensive = cats.get("offensive")
    if severe_terms and offensive is not None and offensive.flag:
        out.append("slurs or strong profanity (" + ", ".join(severe_terms[:3]) + ")")
    return out


def recommend_delete_or_keep(
    post: PostFacts,
    account: AccountHabits,
    content: RiskReport,
    severe_terms: Sequence[str] = (),
) -> DeleteOrKeep:
    """Firebreak's delete-or-keep line for one post, with its reasons.

    ``content`` is the risk scan of the post's text; ``severe_terms`` the slurs or
    strong profanity the scanner found in it (``Triage.severe_terms``).
    """
    indicators = hack_indicators(post, account, content.lang)
    evidence = [i for i in indicators if i.weight > 0]
    weight = sum(i.weight for i in evidence)
    hack = not post.published_by_firebreak and weight >= HACK_THRESHOLD
    content_reasons = _content_reasons(content, severe_terms)

    reasons: list[str] = []
    if hack:
        reasons.append(
            "account looks hacked: not published through Firebreak, "
            + "; ".join(i.reason for i in evidence)
        )
        reasons.append(
            "say openly it was a hack, apologise anyway, and secure the account "
            "(rotate the password, revoke connected apps, enable 2FA)"
        )
    reasons.extend(f"R-rated or worse: {r}" for r in content_reasons)
    if hack or content_reasons:
        reasons.append("delete fast, after archiving the evidence")
        return DeleteOrKeep("delete", hack, tuple(reasons), tuple(indicators))

    offensive = content.categories.get("offensive")
    if offensive is not None and offensive.flag:
        reasons.append(
            "may offend, but nothing R-rated: keep it, own it and apologise; "
            "deleting looks like a cover-up"
        )
    else:
        reasons.append("nothing R-rated and no sign of a hack: keep it and own it")
    if not post.published_by_firebreak:
        reasons.append(
            "published outside Firebreak (e.g. from the phone app): a process problem, "
            "not a hack; route posts through approval"
        )
    if evidence:
        reasons.append("worth a look: " + "; ".join(i.reason for i in evidence))
    if post.published_by_firebreak and any(i.code.startswith("scam:") for i in evidence):
        reasons.append(
            "scam-like wording in a post that went through approval: check who approved it"
        )
    return DeleteOrKeep("keep", False, tuple(reasons), tuple(indicators))
