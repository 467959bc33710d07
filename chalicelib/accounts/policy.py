"""Policy as code per account and per agency (P2), and the draft check that applies it.

Hard rules (forbidden words, topics, hours, link domains) block submission; the
risk scan (P3) only adds warnings for the approver.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from functools import lru_cache

from chalicelib.core.errors import ValidationFailed
from chalicelib.core.normalise import fold
from chalicelib.posts.text import extract_urls, link_domain
from chalicelib.triage.risk import RiskReport


@dataclass(frozen=True)
class AllowedHours:
    """A daily posting window in the account's time zone; ``end`` may be past midnight."""

    start: time
    end: time

    @staticmethod
    def parse(start: object, end: object) -> AllowedHours:
        return AllowedHours(
            _parse_time(start, "allowed_hours.start"), _parse_time(end, "allowed_hours.end")
        )

    def contains(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class Policy:
    forbidden_phrases: tuple[str, ...] = ()
    forbidden_topics: dict[str, tuple[str, ...]] = field(default_factory=dict)
    allowed_hours: AllowedHours | None = None
    # None: any domain; a tuple: only these and their subdomains.
    allowed_link_domains: tuple[str, ...] | None = None

    @staticmethod
    def from_dict(data: dict[str, object]) -> Policy:
        hours = data.get("allowed_hours")
        parsed_hours = None
        if hours:
            if not isinstance(hours, dict):
                raise ValidationFailed("must be {start, end}", field="allowed_hours")
            parsed_hours = AllowedHours.parse(hours.get("start"), hours.get("end"))
        topics = data.get("forbidden_topics") or {}
        domains = data.get("allowed_link_domains")
        return Policy(
            forbidden_phrases=tuple(str(p) for p in data.get("forbidden_phrases") or ()),  # type: ignore[attr-defined]
            forbidden_topics={
                str(k): tuple(str(w) for w in v)
                for k, v in topics.items()  # type: ignore[attr-defined]
            },
            allowed_hours=parsed_hours,
            allowed_link_domains=(
                None if domains is None else tuple(str(d).lower() for d in domains)  # type: ignore[attr-defined]
            ),
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "forbidden_phrases": list(self.forbidden_phrases),
            "forbidden_topics": {k: list(v) for k, v in self.forbidden_topics.items()},
            "allowed_hours": (
                {
                    "start": f"{self.allowed_hours.start:%H:%M}",
                    "end": f"{self.allowed_hours.end:%H:%M}",
                }
                if self.allowed_hours
                else None
            ),
            "allowed_link_domains": (
                None if self.allowed_link_domains is None else list(self.allowed_link_domains)
            ),
        }


def _parse_time(value: object, field_name: str) -> time:
    if not isinstance(value, str) or not re.fullmatch(r"\d{2}:\d{2}", value):
        raise ValidationFailed("must be a time as HH:MM", field=field_name)
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ValidationFailed("must be a time as HH:MM", field=field_name) from None


@dataclass(frozen=True)
class Violation:
    rule: str  # e.g. "forbidden_phrase", "forbidden_topic", "allowed_hours", "link_domain"
    source: str  # "account" or "agency"
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "source": self.source, "message": self.message}


@dataclass(frozen=True)
class CheckResult:
    violations: tuple[Violation, ...]
    warnings: tuple[str, ...]
    risk: dict[str, object]

    @property
    def passed(self) -> bool:
        return not self.violations

    def to_dict(self) -> dict[str, object]:
        return {
            "passed": self.passed,
            "violations": [v.to_dict() for v in self.violations],
            "warnings": list(self.warnings),
            "risk": self.risk,
        }


@lru_cache(maxsize=1024)
def _phrase_pattern(phrase: str) -> re.Pattern[str] | None:
    """The whole-word, any-whitespace pattern for a rule's phrase, on folded text."""
    words = fold(phrase).split()
    if not words:
        return None
    return re.compile(
        r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)", re.IGNORECASE
    )


def _contains_phrase(folded_text: str, phrase: str) -> bool:
    """Whether ``folded_text`` (already ``fold``-ed) contains ``phrase`` as whole words.

    Every text rule matches through here, so the post and the rule's words are
    compared in the same folded form (see chalicelib/core/normalise.py).
    """
    pattern = _phrase_pattern(phrase)
    return pattern is not None and pattern.search(folded_text) is not None


def _domain_allowed(domain: str, allowed: tuple[str, ...]) -> bool:
    return any(domain == a or domain.endswith("." + a) for a in allowed)


def check_policy(
    policy: Policy,
    *,
    source: str,
    text: str,
    links: tuple[str, ...],
    scheduled_at: datetime | None,
    timezone: str,
) -> list[Violation]:
    """Every hard rule of ``policy`` that this draft breaks."""
    found: list[Violation] = []
    # Text rules compare folded forms (no zero-width tricks, full-width or look-alike
    # letters); the messages name each phrase as the rule's author wrote it.
    folded = fold(text)
    for phrase in policy.forbidden_phrases:
        if _contains_phrase(folded, phrase):
            found.append(Violation("forbidden_phrase", source, f'contains forbidden "{phrase}"'))
    for topic, keywords in policy.forbidden_topics.items():
        hits = [k for k in keywords if _contains_phrase(folded, k)]
        if hits:
            found.append(
                Violation(
                    "forbidden_topic",
                    source,
                    f'touches forbidden topic "{topic}" ({", ".join(hits)})',
                )
            )
    if policy.allowed_hours and scheduled_at is not None:
        from zoneinfo import ZoneInfo  # pulls in sysconfig: off the publisher's cold path

        local = scheduled_at.astimezone(ZoneInfo(timezone))
        if not policy.allowed_hours.contains(local.time()):
            found.append(
                Violation(
                    "allowed_hours",
                    source,
                    f"scheduled at {local:%H:%M} {timezone}, outside {policy.allowed_hours}",
                )
            )
    if policy.allowed_link_domains is not None:
        for url in sorted(set(links) | set(extract_urls(text))):
            domain = link_domain(url)
            if not _domain_allowed(domain, policy.allowed_link_domains):
                found.append(
                    Violation("link_domain", source, f"link domain {domain} is not allowed")
                )
    return found


def run_checks(
    *,
    text: str,
    links: tuple[str, ...],
    scheduled_at: datetime | None,
    timezone: str,
    account_policy: Policy,
    agency_policy: Policy | None,
    risk: RiskReport | None,
) -> CheckResult:
    """The check result a draft carries: hard violations plus risk warnings with reasons."""
    violations = check_policy(
        account_policy,
        source="account",
        text=text,
        links=links,
        scheduled_at=scheduled_at,
        timezone=timezone,
    )
    if agency_policy is not None:
        violations += check_policy(
            agency_policy,
            source="agency",
            text=text,
            links=links,
            scheduled_at=scheduled_at,
            timezone=timezone,
        )
    warnings: list[str] = []
    risk_dict: dict[str, object] = {}
    if risk is not None:
        risk_dict = {
            "lang": risk.lang,
            "categories": {
                name: {"score": round(c.score, 4), "flag": c.flag, "terms": list(c.terms)}
                for name, c in risk.categories.items()
            },
        }
        for name in risk.flagged:
            cat = risk.categories[name]
            why = f" ({', '.join(cat.terms)})" if cat.terms else ""
            warnings.append(f"risk scan flags {name} at {cat.score:.2f}{why}")
    return CheckResult(tuple(violations), tuple(warnings), risk_dict)
