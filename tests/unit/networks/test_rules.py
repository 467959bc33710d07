"""Each network's length rule at its edges (X5): what a draft, a reply or an apology on
an account of that network may be, and the message that names the rule it breaks."""

from __future__ import annotations

import pytest

from chalicelib.incidents.domain import SECURITY_CHECKLIST, security_checklist
from chalicelib.networks.rules import (
    NETWORKS,
    UnknownNetwork,
    network_name,
    rules_for,
)

FAMILY = "👨‍👩‍👧‍👦"  # one grapheme, seven code points, 25 bytes
LONG_LINK = "https://acme.example/" + "p" * 200


def test_x_counts_weighted_characters_and_links_as_23() -> None:
    rules = rules_for("x")
    assert rules.problem("a" * 280) is None
    assert rules.problem("a" * 281) == (
        "is 281 weighted characters, X allows 280 (every link counts 23)"
    )
    assert rules.length("日本") == 4  # CJK weighs 2
    assert rules.length(LONG_LINK) == 23


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("a" * 500, 500),
        ("é" * 10, 10),  # precomposed
        ("e\u0301" * 10, 10),  # e + combining acute: one grapheme each
        (FAMILY * 3, 3),
        (LONG_LINK, 23),
        ("hi @fan@other.example", len("hi @fan")),  # a remote mention counts as @user
    ],
)
def test_mastodon_counts_graphemes_links_as_23_and_remote_mentions_as_local(
    text: str, length: int
) -> None:
    assert rules_for("mastodon").length(text) == length


def test_mastodon_limit_is_the_instances_own() -> None:
    default = rules_for("mastodon")
    assert default.limit == 500 and default.problem("a" * 500) is None
    assert default.problem("a" * 501) == (
        "is 501 characters, Mastodon allows 500 (every link counts 23)"
    )
    small = rules_for("mastodon", max_characters=300, url_length=30)
    assert small.problem("a" * 300) is None
    assert "Mastodon allows 300" in (small.problem("a" * 301) or "")
    assert small.length(LONG_LINK) == 30
    # A nonsense limit from an instance falls back to Mastodon's default.
    assert rules_for("mastodon", max_characters=0).limit == 500


def test_bluesky_counts_graphemes_and_bytes() -> None:
    rules = rules_for("bluesky")
    assert rules.problem(FAMILY * 120) is None  # 120 graphemes, 3,000 bytes
    assert rules.problem("a" * 300) is None
    assert rules.problem("a" * 301) == "is 301 graphemes, Bluesky allows 300"
    # Under 300 graphemes but over 3,000 bytes: the record's byte limit.
    assert rules.problem(FAMILY * 121) == "is 3025 bytes in UTF-8, Bluesky allows 3000"
    # Links are not shortened on Bluesky: the record holds the whole URL.
    assert rules.length(LONG_LINK) == len(LONG_LINK)


def test_an_unknown_network_is_named_with_the_known_ones() -> None:
    with pytest.raises(UnknownNetwork, match="unsupported network 'myspace': one of x, mastodon"):
        rules_for("myspace")
    assert [network_name(n) for n in NETWORKS] == ["X", "Mastodon", "Bluesky"]


@pytest.mark.parametrize("network", NETWORKS)
def test_the_hack_checklist_has_the_same_steps_on_every_network(network: str) -> None:
    items = security_checklist(network)
    assert [k for k, _ in items] == [k for k, _ in SECURITY_CHECKLIST]
    labels = dict(items)
    if network == "x":
        assert items == SECURITY_CHECKLIST
    else:
        assert (
            network_name(network) in labels["rotate_tokens"]
            or "app password" in (labels["rotate_tokens"])
        )
        assert "X" not in labels["rotate_tokens"].split()
