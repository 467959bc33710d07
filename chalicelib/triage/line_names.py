"""Names and places that spell a slur or a lewd word.

Kike Hernández is a baseball player (Kike is short for Enrique), Van Dyke a brown and an
actor, Dyke Road a street in Brighton, Mong Kok a district of Hong Kong, Coon Rapids a
town in Minnesota, "Fidschi" the German for Fiji; Cumming is a city in Georgia, Twatt a
village on Orkney and Shetland, Fickmühlen one in Lower Saxony, the Wank a mountain by
Garmisch, the Cock Inn a pub, and a blue tit a bird. Read as words, each had a harmless
post deleted as a slur, hate speech, strong profanity or sexual content (2026-12-02).
``as_named`` returns the text with such a name put as a neutral stand-in; the
classifiers, the word lists and the judge read that text, and the judge still quotes the
post as written.

Each rule names the thing itself, written as its name is written: capitalised, beside the
word that makes it a place or a person ("Dyke Road", "Ms. Coon", "Kike Hernández"), so
that the same word used as a slur stays one ("some dyke road-raged me", "Kike Bankers",
"a dirty Kike"). Only a fixed phrase nobody writes as an insult matches in any case
("spick and span", "mong kok", "dick van dyke"). A list reaches only the names it has: a
writer's probe of 60 harmless posts with other such names was right on 53 of them before
and after the first list (``bench/crisis/README.md``).
"""

from __future__ import annotations

import re

# Only a text holding one of these pays for the rules below: substring tests, about 3 µs
# a tweet (the first, case-blind regex cost 8 µs).
_WRITTEN = (
    *("Kike", "Dyke", "Coon", "Fidschi", "Cumming", "Twatt", "Wank", "Cock "),
    *("Nigg", "Cuntis", "Dildo", "Titty Ho", "Fick", "Negernb"),
)
_LOWERED = ("mong kok", "spic", "van dyke", " tit")

_ANY_CASE = re.IGNORECASE
_PLACES = tuple(
    (re.compile(r"(?<![\w#@])" + pattern + r"(?!\w)", flags), stand_in)
    for pattern, stand_in, flags in (
        (r"(?:dick|jerry) van (dyke)", "Dijk", _ANY_CASE),
        (r"van (dyke) brown", "Dijk", _ANY_CASE),
        (r"Van (Dyke)", "Dijk", 0),
        (r"(Dyke) (?:Road|Lane|Street|Marsh)", "Dijk", 0),
        (r"Offa'?s (Dyke)", "Dijk", 0),
        (r"(?:Mr|Mrs|Ms|Miss|Dr)\.? (Dyke|Coon)", "Koon", 0),
        (r"(Coon) (?:Rapids|Creek|Valley)", "Koon", 0),
        (r"(mong) ?kok", "Mang", _ANY_CASE),
        (r"(Fidschi)-?[Ii]nseln?", "Fiji", 0),
        (r"(?:auf|nach|von|aus|um|in|Republik) (Fidschi)", "Fiji", 0),
        (r"(Cumming),? (?:Georgia|GA|Iowa)|(Cumming) High School", "Canning", 0),
        (r"(Twatt),? (?:Orkney|Shetland)", "Toft", 0),
        (r"(Fickm(?:ü|ue)hlen)", "Fichtmühlen", 0),  # a village near Bremerhaven
        (r"(?:auf den|am|vom|zum) (Wank)|(Wank)(?:bahn|haus|gipfel)", "Wendel", 0),
        (r"(Cock) (?:Inn|Tavern|and Bull)", "Crown", 0),
        (r"(spi(?:c|ck)) (?:and|&|n|'n') span", "Spick", _ANY_CASE),  # a cleaner, an idiom
        (r"(Nigg),? (?:Bay|Village|Station|Church|Ferry|Parish|Highland)", "Nairn", 0),
        (r"(Cuntis)", "Caldas", 0),  # a Galician spa town
        (r"(Dildo),? (?:Newfoundland|NL)|(Dildo) (?:Island|Arm|Run)", "Trinity", 0),
        (r"(?:village|town|outport) of (Dildo)", "Trinity", 0),
        (r"(Titty) Ho", "Tilly", 0),  # a road junction in Raunds
        (r"(Fick)(?:'s|s|sche[nmrs]?) (?:\w+ )?(?:[Ll]aws?|\w*[Gg]esetz\w*)", "Fichte", 0),
        (r"(Neger)nb(?:ö|oe)tel", "Nagel", 0),  # a village in Schleswig-Holstein
    )
)

# People: given name and surname together ("Kike Bankers" is no one).
_PEOPLE = re.compile(
    r"(?<![\w#@])(Kike) (?:Hern[aá]ndez|Garc[ií]a|S[aá]nchez|P[eé]rez|Salas|Barja|Sola|"
    r"Mart[ií]n|L[oó]pez|Ferreres|Marín)(?!\w)"
)

# Birds: a species whose name is only a bird's, or a great tit a few words from one, or
# from a feeder or a nest box, in its clause ("great tits" alone, or beside "birds", is
# not one).
_SPECIES = re.compile(
    r"(?<![\w#@])(?:blue|coal|marsh|willow|crested|bearded|long-tailed) (tits?)(?!\w)", _ANY_CASE
)
_GREAT_TIT = re.compile(r"(?<![\w#@])great (tits?)(?!\w)", _ANY_CASE)
_BIRDING = re.compile(
    r"\b(?:(?:blue|coal|marsh|willow|crested|bearded|long-tailed) tits?|feeders?|nest ?box"
    r"(?:es)?|bird ?table|birdwatch\w*|rspb|nabu|species)\b",
    _ANY_CASE,
)
_NEAR = 40  # characters either side of a great tit, in its clause
_CLAUSE_END = re.compile(r"[.!?,;:\n]")


def as_named(text: str) -> str:
    """The text with the names and places in it that spell a slur or a lewd word put as a
    neutral stand-in ("Kike Hernández" -> "Enrique Hernández"); the text itself where it
    has none (most texts: a lower-cased copy and a few substring tests)."""
    lowered = text.lower()
    if not any(run in text for run in _WRITTEN) and not any(run in lowered for run in _LOWERED):
        return text
    spans: dict[tuple[int, int], str] = {}
    for rule, stand_in in _PLACES:
        for m in rule.finditer(text):
            group = next(i for i, value in enumerate(m.groups(), 1) if value is not None)
            spans[m.span(group)] = stand_in
    spans.update((m.span(1), "Enrique") for m in _PEOPLE.finditer(text))
    spans.update((m.span(1), "finch") for m in _SPECIES.finditer(text))
    for m in _GREAT_TIT.finditer(text):
        before = _CLAUSE_END.split(text[max(0, m.start() - _NEAR) : m.start()])[-1]
        after = _CLAUSE_END.split(text[m.end() : m.end() + _NEAR])[0]
        if _BIRDING.search(before + " " + after):
            spans[m.span(1)] = "finch"
    end = len(text)
    for (start, stop), stand_in in sorted(spans.items(), reverse=True):
        if stop <= end:  # overlapping spans: the later one stands
            text, end = text[:start] + stand_in + text[stop:], start
    return text
