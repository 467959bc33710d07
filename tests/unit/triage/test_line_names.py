"""Names and places that spell a slur (``line_names.py``): read as the names they are,
while the same word used as a slur stays one."""

from __future__ import annotations

import pytest

from chalicelib.triage.line_names import as_named
from chalicelib.triage.scorer import EmbeddedScorer

# Each was deleted as a slur, or as hate speech or strong profanity, before 2026-12-02.
NAMES = (
    (
        "Huge congrats to Kike Hernández on the walk-off homer last night! Coffee is on us.",
        "Huge congrats to Enrique Hernández on the walk-off homer last night! Coffee is on us.",
    ),
    (
        "Our Van Dyke brown frames are back in stock for the holidays.",
        "Our Van Dijk brown frames are back in stock for the holidays.",
    ),
    (
        "Meet us at the Dyke Road store in Brighton this Saturday.",
        "Meet us at the Dijk Road store in Brighton this Saturday.",
    ),
    (
        "Our Hong Kong team is opening a new shop in Mong Kok this weekend!",
        "Our Hong Kong team is opening a new shop in Mang Kok this weekend!",
    ),
    (
        "Congrats to Ms. Coon, our teacher of the year at Coon Rapids High!",
        "Congrats to Ms. Koon, our teacher of the year at Koon Rapids High!",
    ),
    (
        "Traumurlaub auf Fidschi zu gewinnen! Jetzt mitmachen.",
        "Traumurlaub auf Fiji zu gewinnen! Jetzt mitmachen.",
    ),
    (
        "Neu im Sortiment: Kokosöl von den Fidschi-Inseln.",
        "Neu im Sortiment: Kokosöl von den Fiji-Inseln.",
    ),
    (
        "Welcome to our new store in Cumming, Georgia!",
        "Welcome to our new store in Canning, Georgia!",
    ),
    (
        "Shout out to our Twatt, Shetland customers: free delivery this week.",
        "Shout out to our Toft, Shetland customers: free delivery this week.",
    ),
    (
        "Grüße aus Fickmühlen! Unser Hofladen hat wieder offen.",
        "Grüße aus Fichtmühlen! Unser Hofladen hat wieder offen.",
    ),
    (
        "Die Wankbahn fährt wieder! Wir sehen uns am Wank.",
        "Die Wendelbahn fährt wieder! Wir sehen uns am Wendel.",
    ),
    (
        "Lunch at the Cock Inn, our favourite pub in Surrey.",
        "Lunch at the Crown Inn, our favourite pub in Surrey.",
    ),
    (
        "Spic and Span multi-surface cleaner: buy one, get one free.",
        "Spick and Span multi-surface cleaner: buy one, get one free.",
    ),
    (
        "Dolphins spotted in Nigg Bay this morning!",
        "Dolphins spotted in Nairn Bay this morning!",
    ),
    (
        "Four nights at the thermal baths in Cuntis, flights included.",
        "Four nights at the thermal baths in Caldas, flights included.",
    ),
    (
        "Whale watching in Trinity Bay and a stop in Dildo, Newfoundland.",
        "Whale watching in Trinity Bay and a stop in Trinity, Newfoundland.",
    ),
    (
        "Marshals at the Titty Ho junction cheered every runner home.",
        "Marshals at the Tilly Ho junction cheered every runner home.",
    ),
    (
        "Kapitel 4: das Ficksche Diffusionsgesetz, kompakt erklärt.",
        "Kapitel 4: das Fichtesche Diffusionsgesetz, kompakt erklärt.",
    ),
    (
        "Glückwunsch an die Landjugend Negernbötel zum Sieg im Tauziehen!",
        "Glückwunsch an die Landjugend Nagelnbötel zum Sieg im Tauziehen!",
    ),
    (
        "We love our blue tits and great tits at the bird feeder this winter.",
        "We love our blue finch and great finch at the bird feeder this winter.",
    ),
)

# The same words as slurs: left as written, and flagged. The second group got past the
# first draft of the rules (a reviewer's, 2026-12-02).
SLURS = (
    "kike bankers run everything",
    "Kike Jews control the banks and the media",
    "KIKE SCUM GET OUT",
    "Filthy Kike Scum Out Of Our Country Now",
    "that dyke at the counter was rude",
    "Die Fidschis sollen endlich abhauen",
    "Never trust a Kike. Kike Smith agrees.",
    "Kike Rothschild owns the media and the banks",
    "Kike Bankers control everything, wake up",
    "fire that coach dyke already",
    "some dyke road-raged me on the way home",
    "get in the van dyke",
)
# Sexual, and left so: "birds" is also slang for women, and a bird word must be close.
LEWD = (
    "Check out the great tits on those birds",
    "Nice weather for birds today. Show me your great tits, darling",
    "great tits 🐦🍒 dm me",
    "Look at that big titty ho",
    "cumming high school sluts",
)
# The line's categories that delete a post (the offensive classifier alone does not).
DELETING = {"slur", "hate", "profanity", "sexual", "gore", "threat", "violence"}


@pytest.fixture(scope="module")
def scorer() -> EmbeddedScorer:
    return EmbeddedScorer()


@pytest.mark.parametrize(("written", "read"), NAMES)
def test_a_name_that_spells_a_slur_is_read_as_the_name(written: str, read: str) -> None:
    assert as_named(written) == read


@pytest.mark.parametrize(("written", "read"), NAMES)
def test_a_post_with_such_a_name_stays_below_the_line(
    scorer: EmbeddedScorer, written: str, read: str
) -> None:
    triage = scorer.score(written)
    over = {name for name, c in triage.categories.items() if c.flag}
    assert not over & DELETING, (written, over)
    assert triage.severe_terms == ()


@pytest.mark.parametrize("text", SLURS)
def test_the_same_word_as_a_slur_stays_a_slur(scorer: EmbeddedScorer, text: str) -> None:
    assert as_named(text) == text
    triage = scorer.score(text)
    assert triage.categories["slur"].flag and triage.categories["hate"].flag, text


@pytest.mark.parametrize("text", LEWD)
def test_the_same_words_as_lewd_ones_stay_lewd(scorer: EmbeddedScorer, text: str) -> None:
    assert scorer.score(text).categories["sexual"].flag, text


@pytest.mark.parametrize(
    "text",
    [
        "Kike Hernández is a dirty Kike",
        "Kike Hernández plays today. Gas every Kike.",
        "Kike Hernández and his Kike friends own the banks",
    ],
)
def test_a_name_excuses_only_itself(scorer: EmbeddedScorer, text: str) -> None:
    read = as_named(text)
    assert read.startswith("Enrique Hernández") and "Kike" in read
    assert scorer.score(text).categories["slur"].flag, text


def test_a_great_tit_is_a_bird_only_beside_birding(scorer: EmbeddedScorer) -> None:
    text = "Two great tits at the feeder this morning. Now show us your great tits, lads"
    assert as_named(text) == (
        "Two great finch at the feeder this morning. Now show us your great tits, lads"
    )
    assert scorer.score(text).categories["sexual"].flag


def test_the_words_quoted_are_the_posts_own(scorer: EmbeddedScorer) -> None:
    text = "Kike Hernández, we will slit your throat after the game."
    triage = scorer.score(text)
    assert triage.categories["threat"].flag
    quoted = " ".join(t for c in triage.categories.values() for t in c.terms)
    assert "slit your throat" in quoted and "enrique" not in quoted.casefold()


def test_most_texts_are_returned_as_they_are() -> None:
    text = "Our spring blend is back in every shop"
    assert as_named(text) is text


def test_the_judge_quotes_the_sentence_as_written(scorer: EmbeddedScorer) -> None:
    # A witness's gore that no word list flags (as test_judge's GORE), with the name in it:
    # the judge reads "Enrique", and quotes the post's own sentence.
    text = (
        "Kike Hernández watched the lad go through the windscreen outside the bar at 1am, "
        "most of his face was gone and his teeth were on the bonnet. Can't unsee it."
    )
    gore = scorer.score(text).categories["gore"]
    assert gore.flag
    assert gore.terms[0].startswith("Kike Hernández watched") and gore.terms[0] in text


def test_lewd_words_without_their_place_stay_lewd(scorer: EmbeddedScorer) -> None:
    text = "Look at those great tits! 🍒"  # no bird beside them
    assert as_named(text) == text
    assert scorer.score(text).categories["sexual"].flag
    # A village's name that is the f-word itself is left to the line: a brand that
    # writes it chose the joke ("Fucking, Austria", renamed Fugging in 2021).
    assert scorer.score("Greetings from Fucking, Austria!").categories["profanity"].flag
