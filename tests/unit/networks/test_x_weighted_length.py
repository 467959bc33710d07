"""X's weighted length against twitter-text's own conformance cases (tests/data/twitter-text)."""

import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from chalicelib.posts.text import X_MAX_WEIGHTED_LENGTH, X_URL_WEIGHT, x_weighted_length

DATA = Path(__file__).resolve().parents[2] / "data" / "twitter-text"
# twitter-text refuses a post holding these whatever its length.
INVALID_CHARACTERS = frozenset("\ufffe\ufeff\uffff")

with (DATA / "validate.yml").open(encoding="utf-8") as _file:
    SECTIONS: dict[str, list[dict[str, Any]]] = yaml.safe_load(_file)["tests"]

# Upstream runs these two sections with the v3 config (emoji parsing on), X's current one.
V3_CASES = (
    SECTIONS["WeightedTweetsWithDiscountedEmojiCounterTest"]
    + SECTIONS["UnicodeDirectionalMarkerCounterTest"]
)
# ...and this one with the v2 config, where an emoji sequence weighs the sum of its code points.
V2_CASES = SECTIONS["WeightedTweetsCounterTest"]
V3_BY_TEXT = {case["text"]: case for case in V3_CASES}
# The v2 cases whose numbers v3 changes; the v3 section holds the same texts.
V2_EMOJI_SEQUENCE_CASES = {
    "Count a mix of single byte single word, and double word unicode characters",
    "Count unicode emoji chars outside the basic multilingual plane with skin tone modifiers",
}


def _conformance_cases() -> list[Any]:
    cases = [pytest.param(c["text"], c["expected"], id=f"v3: {c['description']}") for c in V3_CASES]
    for case in V2_CASES:
        expected = case["expected"]
        if case["description"] in V2_EMOJI_SEQUENCE_CASES:
            expected = V3_BY_TEXT[case["text"]]["expected"]
        cases.append(pytest.param(case["text"], expected, id=f"v2: {case['description']}"))
    return cases


@pytest.mark.parametrize(("text", "expected"), _conformance_cases())
def test_conformance_case(text: str, expected: dict[str, Any]) -> None:
    length = x_weighted_length(text)
    assert length == expected["weightedLength"]
    if not INVALID_CHARACTERS & set(text):
        # Otherwise valid is about length alone: not empty, at most 280.
        assert (0 < length <= X_MAX_WEIGHTED_LENGTH) == expected["valid"]


def test_every_case_is_loaded() -> None:
    assert len(V3_CASES) == 24 and len(V2_CASES) == 20


def test_v2_and_v3_sections_disagree_only_on_emoji_sequences() -> None:
    differing = {
        case["description"]
        for case in V2_CASES
        if case["text"] in V3_BY_TEXT
        and V3_BY_TEXT[case["text"]]["expected"]["weightedLength"]
        != case["expected"]["weightedLength"]
    }
    assert differing == V2_EMOJI_SEQUENCE_CASES


def test_constants_and_weights_follow_the_v3_config() -> None:
    config = json.loads((DATA / "config-v3.json").read_text(encoding="utf-8"))
    scale = config["scale"]
    assert config["emojiParsingEnabled"] is True
    assert config["maxWeightedTweetLength"] == X_MAX_WEIGHTED_LENGTH
    assert config["transformedURLLength"] == X_URL_WEIGHT
    for weighted in config["ranges"]:
        for cp in (weighted["start"], weighted["end"]):
            assert x_weighted_length(chr(cp)) == weighted["weight"] // scale, hex(cp)
        # The code point after each range falls to the default weight.
        assert x_weighted_length(chr(weighted["end"] + 1)) == config["defaultWeight"] // scale


@pytest.mark.parametrize(
    ("text", "length"),
    [
        pytest.param("👨\u200d👩\u200d👧\u200d👦", 2, id="ZWJ family"),
        pytest.param("🇩🇪", 2, id="flag"),
        pytest.param(
            "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", 2, id="Scotland"
        ),
        pytest.param("#\ufe0f\u20e3", 2, id="keycap"),
        pytest.param("👍🏽", 2, id="skin tone"),
        pytest.param("❤\ufe0f", 2, id="emoji variation selector"),
        pytest.param("🏳\ufe0f\u200d🌈", 2, id="ZWJ with variation selector"),
        pytest.param("🧑🏽\u200d🚀", 2, id="ZWJ with skin tone"),
        pytest.param("🔥🔥", 4, id="two emoji"),
        pytest.param("🐱\u200d👤", 5, id="ad-hoc ZWJ pair is no sequence"),
        pytest.param("😀\ufe0f", 4, id="stray variation selector"),
        pytest.param("©", 1, id="copyright sign is Latin-1"),
        pytest.param("©\ufe0f", 2, id="copyright sign as emoji"),
    ],
)
def test_an_emoji_sequence_counts_as_one_emoji(text: str, length: int) -> None:
    assert x_weighted_length(text) == length


def test_a_combining_accent_counts_once_composed() -> None:
    assert x_weighted_length("e\u0301") == 1
    assert x_weighted_length("Caf" + "e\u0301" * 280) == 283


@pytest.mark.parametrize(
    ("text", "length"),
    [
        pytest.param("Menu: https://www.example.com/menu/" + "a" * 100, 6 + 23, id="long link"),
        pytest.param("See https://example.com/menu.", 4 + 23 + 1, id="trailing full stop"),
        pytest.param("(example.com/a_(b))!", 1 + 23 + 2, id="balanced parentheses"),
        pytest.param("https://t.co/abc and https://t.co/def", 23 + 5 + 23, id="two links"),
        pytest.param("www.acme.com.xyzzy", 23 + 6, id="host ends at the last TLD"),
        pytest.param("a_b.acme.com", 23, id="underscore in a subdomain"),
        pytest.param("acme_b.com", 10, id="underscore in the domain name"),
        pytest.param("http://例え.jp", 23, id="Unicode host after a protocol"),
        pytest.param("report.pdf", 10, id="file name, no TLD"),
        pytest.param("press@example.com", 17, id="e-mail address"),
    ],
)
def test_every_link_counts_23(text: str, length: int) -> None:
    assert x_weighted_length(text) == length


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a." * 5000, id="dotted"),
        pytest.param("x.x-" * 2500, id="dotted with hyphens"),
        pytest.param("http://a.com/" + "(a(" * 3300, id="parentheses in a path"),
        pytest.param("🔥\u200d" * 5000, id="joined emoji"),
    ],
)
def test_a_long_pathological_text_is_counted_in_linear_time(text: str) -> None:
    # One regex with a TLD alternation took two minutes on the first; now it is ~30 ms.
    started = time.perf_counter()
    x_weighted_length(text)
    assert time.perf_counter() - started < 2
