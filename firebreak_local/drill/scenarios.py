"""The crisis drills' scenarios (``make drill``): what appears on the account, what
Firebreak should recommend, and what the people in the drill decide.

Two kinds: ``SCENARIOS``, a bad post of the account's own that the watcher finds
(``lewd``, ``clumsy``, ``hack``), and ``PILEONS``, the crowd's answer to a bad post
that the mention listening catches (``pileon``). ``DRILLS`` is the order
``make drill`` runs them in.

Kept apart from the drill's machinery so that unit tests can judge each scenario's
post with the real scorer at every hour of the day, without a stack."""

from __future__ import annotations

from dataclasses import dataclass, replace

from chalicelib.accounts.domain import Account


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
    # The network of the brand's account it plays on (X5): the seed's account there.
    network: str = "x"


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


@dataclass(frozen=True)
class PileOn:
    """A pile-on, played minute by minute on a listening account of its own: the
    brand's bad post, ``quiet_minutes`` of ordinary mentions, a surge mostly replying
    to or quoting the post (the alert's minute), a smaller second wave, then calm."""

    name: str
    title: str
    text: str  # the brand's bad post, on X before the script starts
    source: str
    quiet: tuple[int, ...]  # ordinary mentions in each quiet minute
    surge: int  # mentions in the surge's minute
    second_wave: int  # mentions in the minute after it
    calm_minutes: int  # one ordinary mention a minute afterwards
    negative_share: float  # of the surge's mentions, as the sandbox writes them
    seed: int  # the sandbox's surge texts and authors
    reply: str  # what Alice answers the most urgent mention
    # What Firebreak should recommend for the post once the spike opened the incident.
    recommendation: str = "keep"
    hack_suspected: bool = False


PILEONS: dict[str, PileOn] = {
    p.name: p
    for p in (
        PileOn(
            name="pileon",
            title="a tone-deaf post, and the pile-on it sets off",
            text="Stuck at home in the floods? Perfect weather for our new cold brew!",
            source="Twitter for iPhone",
            quiet=(1, 2, 1, 2, 1),
            surge=240,
            second_wave=120,
            calm_minutes=5,
            negative_share=0.8,
            seed=7,
            reply=(
                "You are right, and we are sorry: that post made light of the floods. "
                "We are reviewing it now and will say more within the hour."
            ),
        ),
    )
}

# The lewd post on the brand's Mastodon account (from Mastodon's own iPhone app) and on
# its Bluesky account (Bluesky reports no app): the same delete path on every network.
SCENARIOS.update(
    {
        "lewd-mastodon": replace(
            SCENARIOS["lewd"], name="lewd-mastodon", source="Mastodon for iOS", network="mastodon"
        ),
        "lewd-bluesky": replace(
            SCENARIOS["lewd"], name="lewd-bluesky", source="", network="bluesky"
        ),
    }
)

DRILLS: tuple[str, ...] = (*SCENARIOS, *PILEONS)


def pileon_account(account_id: str, handle: str, brand_id: str) -> Account:
    """The pile-on's listening account: like the demo account (Berlin, English, the
    brand's domain), but its own, so its mentions, series and incident mix with
    nobody else's."""
    return Account(
        id=account_id,
        brand_id=brand_id,
        name=f"Acme Coffee ({handle})",
        network="x",
        handle=handle,
        timezone="Europe/Berlin",
        brand_domains=("acme.example",),
    )
