"""The crisis drills' scenarios (``make drill``): what appears on the account, what
Firebreak should recommend, and what the people in the drill decide.

Kept apart from the drill's machinery so that unit tests can judge each scenario's
post with the real scorer at every hour of the day, without a stack."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    text: str
    source: str
    recommendation: str
    hack_suspected: bool
    decision: str
    apology_mode: str
    checklist: bool
    # The decider's answer to "was this a hack?" (True yes, False no, None unsure).
    hack_answer: bool | None = None
    template: str | None = None


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            name="lewd",
            title="an off-calendar explicit post from the phone app",
            text="Check out this fucking nude pussy pic, sexy sluts",
            source="Twitter for iPhone",
            recommendation="delete",
            hack_suspected=False,
            decision="delete",
            apology_mode="standalone",
            checklist=False,
            hack_answer=False,
            template="own_mistake",
        ),
        Scenario(
            name="clumsy",
            title="a tone-deaf joke, clumsy but harmless",
            text="Happy Monday! Nothing says fun like our tax-season coffee, lol",
            source="Twitter for iPhone",
            recommendation="keep",
            hack_suspected=False,
            decision="keep",
            apology_mode="reply",
            checklist=False,
            hack_answer=None,
            template="own_mistake",
        ),
        Scenario(
            name="hack",
            title="a hacked account posting a crypto scam",
            text=(
                "FREE BITCOIN GIVEAWAY! Send 0.1 BTC to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"
                " and get 2 back: https://crypto-doubler.example/claim"
            ),
            source="Unknown Bot App",
            recommendation="delete",
            hack_suspected=True,
            decision="delete",
            apology_mode="standalone",
            checklist=True,
            hack_answer=True,
            template="hack",
        ),
    )
}
