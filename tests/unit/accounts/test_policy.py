"""Policy rules per account and agency (P2) and the check result with risk warnings (P3)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from chalicelib.accounts.policy import AllowedHours, Policy, check_policy, run_checks
from chalicelib.core.errors import ValidationFailed
from chalicelib.triage.risk import CategoryScore, RiskReport

BERLIN = "Europe/Berlin"


def check(policy: Policy, text: str, *, links=(), at=None, tz=BERLIN):
    return check_policy(
        policy, source="account", text=text, links=links, scheduled_at=at, timezone=tz
    )


def test_forbidden_phrase_matches_whole_words_case_insensitively() -> None:
    policy = Policy(forbidden_phrases=("risk free", "cheap"))
    assert [v.rule for v in check(policy, "Totally RISK   free!")] == ["forbidden_phrase"]
    assert check(policy, "cheaper prices") == []  # not the word "cheap"
    assert check(policy, "nothing to see") == []


def test_forbidden_topic_names_the_topic_and_the_words() -> None:
    policy = Policy(forbidden_topics={"politics": ("election", "senator")})
    (violation,) = check(policy, "Vote in the election!")
    assert violation.rule == "forbidden_topic"
    assert "politics" in violation.message and "election" in violation.message


def test_allowed_hours_use_the_account_time_zone() -> None:
    policy = Policy(allowed_hours=AllowedHours(time(8), time(20)))
    # 06:30 UTC is 07:30 in Berlin in winter: outside.
    early = datetime(2026, 12, 1, 6, 30, tzinfo=UTC)
    (violation,) = check(policy, "hi", at=early)
    assert violation.rule == "allowed_hours" and "07:30" in violation.message
    # 07:30 UTC is 08:30 in Berlin: inside. And in New York it is 02:30: outside.
    ok = datetime(2026, 12, 1, 7, 30, tzinfo=UTC)
    assert check(policy, "hi", at=ok) == []
    assert check(policy, "hi", at=ok, tz="America/New_York") != []


def test_allowed_hours_may_span_midnight() -> None:
    night = AllowedHours(time(22), time(2))
    assert night.contains(time(23)) and night.contains(time(1))
    assert not night.contains(time(12))


def test_unscheduled_drafts_are_not_held_to_hours() -> None:
    policy = Policy(allowed_hours=AllowedHours(time(8), time(20)))
    assert check(policy, "hi", at=None) == []


def test_link_domains_allowlist_covers_text_and_links_and_subdomains() -> None:
    policy = Policy(allowed_link_domains=("acme.example",))
    assert check(policy, "see https://shop.acme.example/x") == []
    found = check(policy, "see https://evil.example/x", links=("https://bit.ly/abc",))
    assert sorted(v.message for v in found) == [
        "link domain bit.ly is not allowed",
        "link domain evil.example is not allowed",
    ]
    # "notacme.example" must not pass as a subdomain of acme.example
    assert check(policy, "https://notacme.example") != []


def test_no_allowlist_means_any_domain() -> None:
    assert check(Policy(), "https://anything.example") == []


def test_agency_rules_apply_on_top_and_are_labelled() -> None:
    result = run_checks(
        text="Our competitor is slow",
        links=(),
        scheduled_at=None,
        timezone=BERLIN,
        account_policy=Policy(),
        agency_policy=Policy(forbidden_phrases=("competitor",)),
        risk=None,
    )
    assert not result.passed
    assert [(v.source, v.rule) for v in result.violations] == [("agency", "forbidden_phrase")]


def test_risk_flags_are_warnings_with_reasons_not_violations() -> None:
    risk = RiskReport(
        "en",
        {
            "offensive": CategoryScore(0.91, True, ("idiots",)),
            "hate": CategoryScore(0.1, False),
            "sexual": CategoryScore(0.0, False),
            "violence": CategoryScore(0.0, False),
        },
    )
    result = run_checks(
        text="you idiots",
        links=(),
        scheduled_at=None,
        timezone=BERLIN,
        account_policy=Policy(),
        agency_policy=None,
        risk=risk,
    )
    assert result.passed
    assert result.warnings == ("risk scan flags offensive at 0.91 (idiots)",)
    assert result.to_dict()["risk"]["categories"]["offensive"]["flag"] is True


def test_policy_round_trips_and_rejects_bad_hours() -> None:
    policy = Policy.from_dict(
        {
            "forbidden_phrases": ["x"],
            "forbidden_topics": {"t": ["a", "b"]},
            "allowed_hours": {"start": "08:00", "end": "20:00"},
            "allowed_link_domains": ["Acme.Example"],
        }
    )
    assert Policy.from_dict(policy.to_dict()) == policy
    assert policy.allowed_link_domains == ("acme.example",)
    with pytest.raises(ValidationFailed) as err:
        Policy.from_dict({"allowed_hours": {"start": "8am", "end": "20:00"}})
    assert err.value.field == "allowed_hours.start"
