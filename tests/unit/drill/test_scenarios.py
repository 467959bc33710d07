"""Each crisis drill's post judged at every hour of the day, with the real scorer and
the demo account's habits, as the playbook's assess step judges it: the drill's
outcome must not depend on when it is played."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.incidents.assessment import PostFacts, habits_for, recommend_delete_or_keep
from chalicelib.triage import get_scorer
from firebreak_local.drill.scenarios import SCENARIOS
from firebreak_local.seed import demo_account

# A winter and a summer day: Berlin is UTC+1 on one, UTC+2 on the other.
DAYS = (datetime(2026, 1, 12, tzinfo=UTC), datetime(2026, 7, 13, tzinfo=UTC))
_URL = re.compile(r"https?://\S+")


@pytest.fixture(scope="module")
def scorer():
    return get_scorer("on")


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_each_scenario_gets_the_same_recommendation_at_every_hour(scorer, name) -> None:
    scenario = SCENARIOS[name]
    habits = habits_for(demo_account())
    outcomes = set()
    night_signs = 0
    for day in DAYS:
        for minute in range(0, 24 * 60, 30):  # every half hour, both days
            at = day + timedelta(minutes=minute)
            text = f"{scenario.text} [drill {at:%H%M%S}000000-1]"  # as the drill writes it
            triage = scorer.score(text)
            facts = PostFacts(
                text=text,
                published_by_firebreak=False,
                source_app=scenario.source,
                posted_at=at,
                links=tuple(_URL.findall(text)),
            )
            result = recommend_delete_or_keep(facts, habits, triage, triage.severe_terms)
            outcomes.add((result.recommendation, result.hack_suspected))
            night_signs += any(i.code == "unusual_hour" for i in result.indicators)
    assert outcomes == {(scenario.recommendation, scenario.hack_suspected)}
    # The quiet hours were really crossed: the night was judged, not skipped.
    assert night_signs > 0
