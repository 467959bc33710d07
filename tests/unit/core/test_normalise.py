"""Hard policy rules hold against Unicode disguises: ``fold`` and the policy check on it."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from chalicelib.accounts.policy import Policy, check_policy
from chalicelib.core import normalise
from chalicelib.core.normalise import fold, strip_invisible

PHRASES = Policy(forbidden_phrases=("guaranteed results",))
TOPICS = Policy(forbidden_topics={"politics": ("election", "senator")})


def check(policy: Policy, text: str):
    return check_policy(
        policy, source="account", text=text, links=(), scheduled_at=None, timezone="UTC"
    )


DISGUISED = [
    pytest.param("guaran\u200bteed results", id="zero-width space"),
    pytest.param("guaran\u200dteed results", id="zero-width joiner"),
    pytest.param("guaran\u200cteed results", id="zero-width non-joiner"),
    pytest.param("guaran\u00adteed results", id="soft hyphen"),
    pytest.param("guaran\u2060teed re\ufeffsults", id="word joiner and BOM"),
    pytest.param("\u200eguaranteed\u200e res\u202eults\u202c", id="bidi marks and override"),
    pytest.param("guar\u2066an\u2069teed results", id="bidi isolate"),
    pytest.param("gua\ufe0franteed re\u034fsults", id="variation selector and CGJ"),
    pytest.param("ｇｕａｒａｎｔｅｅｄ ｒｅｓｕｌｔｓ", id="full-width"),
    pytest.param("ＧＵＡＲＡＮＴＥＥＤ results", id="full-width capitals"),
    pytest.param("gu\u0430ranteed results", id="Cyrillic a"),
    pytest.param("guarant\u0435\u0435d results", id="Cyrillic e"),
    pytest.param("guaranteed r\u0435sults", id="Cyrillic e in the second word"),
    pytest.param("guaranteed re\u0455ults", id="Cyrillic dze for s"),
    pytest.param("GU\u0410RANTEED RESULTS", id="Cyrillic capital A"),
    pytest.param("guaranteed\u00a0results", id="no-break space between the words"),
    pytest.param("g\u200bu\u0430r\u00ada\uff4e\u200dteed r\u0435sults", id="mixed"),
    pytest.param("\U0001d420\U0001d42e\U0001d41a\U0001d42b\U0001d41a\U0001d427\U0001d42d"
                 "\U0001d41e\U0001d41e\U0001d41d results", id="mathematical bold"),
]  # fmt: skip


@pytest.mark.parametrize("text", DISGUISED)
def test_disguised_forbidden_phrase_is_caught(text: str) -> None:
    assert fold(text) == "guaranteed results"
    (violation,) = check(PHRASES, f"Buy now: {text}!")
    assert violation.rule == "forbidden_phrase"
    # The message names the phrase as the rule's author wrote it, not its folded form.
    assert violation.message == 'contains forbidden "guaranteed results"'


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("elec\u00adtion", "election"),  # soft hyphen
        ("el\u0435ction", "election"),  # Cyrillic е
        ("electi\u043en", "election"),  # Cyrillic о
        ("ele\u0441tion", "election"),  # Cyrillic с
        ("electi\u03bfn", "election"),  # Greek ο
        ("s\u0435nat\u043er", "senator"),
        ("\u0455\u0435\u0440\u0430r\u0430t\u043er", "separator"),  # Cyrillic ѕ, е, р, а, о
    ],
)
def test_disguised_topic_word_is_caught(text: str, folded: str) -> None:
    assert fold(text) == folded
    found = check(TOPICS, f"Vote in the {text} now")
    if folded == "separator":
        assert found == []  # folded, but not a forbidden word
    else:
        (violation,) = found
        assert violation.rule == "forbidden_topic"
        assert violation.message == f'touches forbidden topic "politics" ({folded})'


def test_look_alikes_in_the_rule_itself_match_plain_text() -> None:
    # Both sides are folded: a rule typed with a Cyrillic letter still catches plain text.
    policy = Policy(forbidden_phrases=("gu\u0430ranteed",))
    (violation,) = check(policy, "guaranteed")
    assert violation.message == 'contains forbidden "gu\u0430ranteed"'
    topics = Policy(forbidden_topics={"Pol\u200bitics": ("ＥＬＥＣＴＩＯＮ",)})
    (violation,) = check(topics, "the election")
    assert violation.message == 'touches forbidden topic "Pol\u200bitics" (ＥＬＥＣＴＩＯＮ)'


def test_no_multi_letter_skeletons() -> None:
    # confusables.txt maps "m" to "rn"; folding must not, or "clam" would hit "dam".
    policy = Policy(forbidden_phrases=("dam",))
    assert check(policy, "a clam and a cIam") == []
    assert fold("clam") == "clam" and fold("rn") == "rn"
    assert check(policy, "a d\u0430m") != []


def test_ascii_is_never_remapped() -> None:
    ascii_text = "".join(map(chr, range(128)))
    assert fold(ascii_text) == ascii_text.lower()
    # I, l and 1, O and 0 look alike, but are different words in ASCII.
    assert check(Policy(forbidden_phrases=("l00k",)), "look") == []
    assert check(Policy(forbidden_phrases=("ill",)), "I11") == []


def test_negative_circled_and_squared_letters_are_letters() -> None:
    # NFKC folds "Ⓕ" and "🄵" itself, but not the negative forms, which spell words too.
    assert fold("🅵🆄🅲🅺 ch🅸nk 🅖🅤🅐🅡🅐🅝🅣🅔🅔🅓") == "fuck chink guaranteed"
    assert check(Policy(forbidden_phrases=("guaranteed",)), "🅶🆄🅰🆁🅰🅽🆃🅴🅴🅳 returns") != []


def test_the_f_with_a_hook_is_an_f() -> None:
    # Unicode's table does not list it; writers use it to hide the f-word.
    assert fold("corporate can go ƒuck themselves") == "corporate can go fuck themselves"
    assert fold("Ƒuck") == "fuck"


def test_normal_words_are_unaffected() -> None:
    policy = Policy(forbidden_phrases=("risk free", "cheap"))
    assert check(policy, "cheaper prices, risk-averse, freely") == []
    assert check(policy, "Totally Risk Free!") != []
    assert check(policy, "so cheap") != []


def test_umlauts_and_sharp_s() -> None:
    assert fold("über") == "über" and fold("Über") == "über"
    assert fold("uber") != fold("über")
    assert fold("Straße") == fold("STRASSE") == "strasse"
    policy = Policy(forbidden_phrases=("über", "STRASSE"))
    assert [v.message for v in check(policy, "ÜBER die Straße")] == [
        'contains forbidden "über"',
        'contains forbidden "STRASSE"',
    ]
    assert check(Policy(forbidden_phrases=("über",)), "uber") == []
    # decomposed ü (u + combining diaeresis) is the same word as precomposed ü
    assert check(Policy(forbidden_phrases=("über",)), "u\u0308ber") != []
    # Hungarian ő is not folded onto ö even though confusables.txt maps it so.
    assert fold("ő") != fold("ö")


def test_other_scripts_still_match_themselves() -> None:
    # Russian and Greek rules keep working on Russian and Greek text.
    assert check(Policy(forbidden_phrases=("выборы",)), "Все на ВЫБОРЫ!") != []
    assert check(Policy(forbidden_phrases=("εκλογές",)), "οι ΕΚΛΟΓΈΣ") != []
    assert check(Policy(forbidden_phrases=("выборы",)), "выбор") == []


def test_symbols_do_not_become_letters() -> None:
    # Box drawing "│" looks like "l" but is not a letter: it must not glue onto a word.
    assert fold("│dam│") == "│dam│"
    assert check(Policy(forbidden_phrases=("dam",)), "│dam│") != []


def test_fold_is_idempotent_and_keeps_word_characters() -> None:
    samples = [
        "guaran\u200bteed",
        "ＧＵＡＲＡＮＴＥＥＤ",
        "S\u0435NAT\u041eR",
        "Straße",
        "İstanbul",
    ]
    for text in samples:
        assert fold(fold(text)) == fold(text)
    for target, sources in _table()["map"].items():
        for source in sources:
            assert fold(source) == target
            assert fold(target) == target
            assert source.isalnum() and target.isalnum()


def _table() -> dict:
    with open(normalise.TABLE_PATH, encoding="utf-8") as f:
        return json.load(f)


def test_confusables_table_is_one_char_to_one_char_and_never_ascii() -> None:
    table = _table()
    assert table["unicode_version"] == "13.0.0"
    sources = "".join(table["map"].values())
    assert len(sources) == len(set(sources)) > 300
    assert not any(c.isascii() for c in sources)
    assert all(len(t) == 1 for t in table["map"])
    for pair in [("\u0430", "a"), ("\u0435", "e"), ("\u043e", "o"), ("\u0441", "c")]:
        assert fold(pair[0]) == pair[1]
    assert fold("\u0440") == "p" and fold("\u03bf") == "o" and fold("\u043a") == "k"


def test_invisible_class_covers_all_format_and_default_ignorable_characters() -> None:
    format_chars = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    assert strip_invisible("".join(format_chars)) == ""
    ignorable = "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b\u3164\ufe00\ufe0f\uffa0\U000e0100"
    assert strip_invisible(f"a{ignorable}b") == "ab"
    # Visible text, spaces and combining accents stay.
    visible = "a b\u0301 ü ∑ ─ 日本 \u0915\u093f"
    assert strip_invisible(visible) == visible


def test_table_is_loaded_lazily() -> None:
    import subprocess
    import sys

    probe = (
        "import chalicelib.accounts.policy, chalicelib.core.normalise as n;"
        "assert n._confusables.cache_info().currsize == 0;"
        "n.fold('ascii only');"
        "assert n._confusables.cache_info().currsize == 0;"
        "n.fold('\u0430');"
        "assert n._confusables.cache_info().currsize == 1"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, cwd=Path(__file__).parents[3])


def test_fold_leaves_word_boundaries_where_a_reader_sees_them() -> None:
    # Each visible character maps to at most one character, so \b-style matching holds.
    text = "Vote: elec\u00adtion, s\u0435nator; (\u0441heap)"
    assert re.findall(r"\w+", fold(text)) == ["vote", "election", "senator", "cheap"]
