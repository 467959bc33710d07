"""Bluesky's text rules: TIDs and the ids behind them, grapheme length, and the links
and mentions found in a post (byte offsets in UTF-8)."""

from __future__ import annotations

import pytest

from chalicelib.networks.bluesky_text import (
    BLUESKY_MAX_GRAPHEMES,
    Facet,
    bluesky_length,
    facets,
    id_to_tid,
    is_tid,
    new_tid,
    tid_micros,
    tid_to_id,
)

EPOCH_MICROS = 1_796_104_800_000_000  # 2026-12-01T06:00:00Z


# ------------------------------------------------------------------------- TIDs


def test_a_known_tid_decodes_to_its_integer_and_back() -> None:
    assert tid_to_id("3jzfcijpj2z2a") == "1728652679052295174"
    assert id_to_tid("1728652679052295174") == "3jzfcijpj2z2a"


def test_new_tid_packs_microseconds_and_clock_id() -> None:
    tid = new_tid(EPOCH_MICROS, 17)

    assert len(tid) == 13 and is_tid(tid)
    assert int(tid_to_id(tid)) == (EPOCH_MICROS << 10) | 17
    assert tid_micros(tid) == EPOCH_MICROS


@pytest.mark.parametrize("micros", [0, 1, EPOCH_MICROS, (1 << 53) - 1])
@pytest.mark.parametrize("clock_id", [0, 1, 1023])
def test_tids_round_trip(micros: int, clock_id: int) -> None:
    tid = new_tid(micros, clock_id)
    assert id_to_tid(tid_to_id(tid)) == tid


def test_ids_and_tids_sort_as_time_does() -> None:
    times = [EPOCH_MICROS + step for step in (0, 1, 999, 1000, 10**6, 10**12)]
    tids = [new_tid(t, 5) for t in times]

    assert sorted(tids) == tids
    assert sorted((tid_to_id(t) for t in tids), key=int) == [tid_to_id(t) for t in tids]
    assert int(tid_to_id(new_tid(EPOCH_MICROS, 1023))) < int(
        tid_to_id(new_tid(EPOCH_MICROS + 1, 0))
    )


@pytest.mark.parametrize(
    ("rkey", "problem"),
    [
        ("3jzfcijpj2z2", "13 characters, not 12"),
        ("3jzfcijpj2z2aa", "13 characters, not 14"),
        ("3jzfcijpj2z2A", "characters 234567a-z"),
        ("3jzfcijpj2z21", "characters 234567a-z"),
        ("kjzfcijpj2z2a", "starts with one of 234567a-j"),
        ("self", "13 characters"),
    ],
)
def test_a_non_tid_is_refused_naming_the_problem(rkey: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        tid_to_id(rkey)
    assert not is_tid(rkey)


@pytest.mark.parametrize("post_id", ["", "abc", "-1", "1.5", "١٢", str(1 << 64)])
def test_an_id_that_is_no_tid_is_refused(post_id: str) -> None:
    with pytest.raises(ValueError, match="Bluesky post id"):
        id_to_tid(post_id)


def test_new_tid_refuses_out_of_range_parts() -> None:
    with pytest.raises(ValueError, match="microseconds"):
        new_tid(1 << 53, 0)
    with pytest.raises(ValueError, match="clock id"):
        new_tid(0, 1024)


# ------------------------------------------------------------------------- length


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("", 0),
        ("hello", 5),
        ("👨‍👩‍👧‍👦", 1),  # ZWJ family: seven code points
        ("👋🏽", 1),  # skin tone modifier
        ("🇩🇪", 1),  # flag: two regional indicators
        ("e\u0301", 1),  # e + combining acute
        ("Grüße", 5),
    ],
)
def test_length_counts_grapheme_clusters(text: str, length: int) -> None:
    assert bluesky_length(text) == length


def test_300_graphemes_fit_and_301_do_not() -> None:
    assert bluesky_length("👨‍👩‍👧" * 300) == BLUESKY_MAX_GRAPHEMES
    assert bluesky_length("a" * 301) == BLUESKY_MAX_GRAPHEMES + 1


# ------------------------------------------------------------------------- facets


def spans(text: str) -> list[tuple[str, str, str]]:
    data = text.encode()
    return [(f.kind, data[f.byte_start : f.byte_end].decode(), f.value) for f in facets(text)]


def test_offsets_are_utf8_bytes_after_umlauts_and_emoji() -> None:
    text = "Grüße 👨‍👩‍👧 @alice.bsky.social"

    (facet,) = facets(text)

    assert facet == Facet(
        "mention", len("Grüße 👨‍👩‍👧 ".encode()), len(text.encode()), "alice.bsky.social"
    )
    assert facet.byte_start == 27  # 12 code points in, 27 bytes in


def test_a_link_at_the_very_end() -> None:
    assert spans("see https://example.com/a?b=1") == [
        ("link", "https://example.com/a?b=1", "https://example.com/a?b=1")
    ]


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        ("go to https://example.com.", "https://example.com"),
        ("go to https://example.com/x, then", "https://example.com/x"),
        ("is it https://example.com/?", "https://example.com/"),
        ("(see https://example.com/a)", "https://example.com/a"),
        (
            "see https://en.wikipedia.org/wiki/Fire_(film)",
            "https://en.wikipedia.org/wiki/Fire_(film)",
        ),
    ],
)
def test_trailing_punctuation_is_not_part_of_a_link(text: str, linked: str) -> None:
    ((kind, span, uri),) = spans(text)
    assert kind == "link" and span == linked and uri == linked


def test_a_bare_domain_is_linked_with_https() -> None:
    assert spans("Infos: example.com/hours!") == [
        ("link", "example.com/hours", "https://example.com/hours")
    ]
    assert spans("not a link: readme.notatld or 3.14") == []


def test_mentions_need_a_handle_with_a_known_domain() -> None:
    text = "@bob.test hi @carol, @dan.bsky.social. mail me@example.com (@eve.example.org)"

    assert [(kind, span) for kind, span, _ in spans(text) if kind == "mention"] == [
        ("mention", "@bob.test"),
        ("mention", "@dan.bsky.social"),
        ("mention", "@eve.example.org"),
    ]


def test_a_mention_becomes_a_record_only_with_its_did() -> None:
    (mention,) = facets("@alice.bsky.social")

    assert mention.as_record("did:plc:abc") == {
        "index": {"byteStart": 0, "byteEnd": 18},
        "features": [{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:abc"}],
    }
    with pytest.raises(ValueError, match=r"alice\.bsky\.social"):
        mention.as_record()
