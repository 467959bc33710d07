"""A menace built on what the writer knows about its target (``line.py``'s threat).

"We know which flat is yours", "dein weißer Golf steht jeden Tag vorm Spar", "Block C,
row 14": on its own such a line is a delivery note, a season ticket, a parking tip. With a
line that turns it into a warning ("sleep tight", "lock your door, it won't help", „pass
schön auf“, „überlegen Sie sich gut“) in the same post it is doxxing and a threat, however
calmly it is put. Both must be there, each from its own list; neither list holds a word
of violence, which the word lists already read. Written for this project.
"""

from __future__ import annotations

import re

from chalicelib.triage.lexicons import Hit

# What the writer holds about one person, told so that the person knows it is known: a
# house number, a floor, a doorbell; the car by colour and make, the plate; a child's
# school, a partner's work; a routine with its time. Not a second person's address, seat,
# work or car in general: a delivery, a season ticket, a loyalty card, a bike rack use those
# (a reviewer's 70 harmless posts, 2026-12-02). Matched on the folded text (ß is "ss").
_STREET = (
    r"(?:road|street|st|lane|terrace|avenue|ave|close|crescent|drive|grove|gardens|strasse"
    r"|gasse|allee|weg|platz|ring|damm)"
)
_COLOUR = (
    r"(?:red|blue|white|black|silver|grey|gray|green|yellow|rote[rnms]?|weisse[rnms]?"
    r"|schwarze[rnms]?|silberne[rnms]?|blaue[rnms]?|graue[rnms]?|grüne[rnms]?)"
)
_CAR = (
    r"(?:fiesta|golf|corsa|polo|qashqai|range rover|transit|skoda|tesla|bmw|audi|mercedes"
    r"|opel|passat|astra|auto|wagen|car|van|motorrad|motorbike)"
)
_KIN = (
    r"(?:your|his|her|ihr|ihre|dein|deine|seine) (?:son|daughter|kids?|children|wife|husband"
    r"|mum|mom|dad|parents|little sister|sister|brother|sohn|tochter|kind|kinder|frau|mann"
    r"|eltern|schwester|bruder)(?:'s)?"
)
_DETAILS = re.compile(
    r"\byou (?:still )?live (?:above|over|behind|at \d+)\b"
    rf"|\b\d{{1,4}}[a-z]? [a-z]+ {_STREET}\b|\b[a-zäöü]+{_STREET} \d{{1,4}}\b"
    rf"|\b{_STREET},? (?:number|nummer|nr\.?) \d{{1,4}}\b"
    r"|\bhausnummer\b|\bklingelschild\b|\b(?:erst|zweit|dritt|viert|fünft)(?:en|er) stock\b"
    r"|\b(?:first|second|third|fourth|top) floor,? flat\b|\bflat on the (?:left|right)\b"
    r"|\btür (?:links|rechts)\b|\bflat \d+\b(?!\s*(?:%|off|per|for))"
    r"|\b(?:we|i)(?:'ve| have)? got your faces?\b|\byour face on cctv\b"
    r"|\b(?:we|i) know which (?:flat|house|estate)\b[^.?!\n]{0,30}"
    r"\b(?:is yours|you(?:'re| are)? (?:from|in|live))"
    r"|\b(?:we|i) found your (?:house|flat|home|car)\b|\bknow where your \w+ lives?\b"
    rf"|\b{_KIN}\b[^.?!\n]{{0,40}}\b(?:school|primary|academy|nursery|works? at|netball"
    r"|training|\w*schule|gymnasium|kita|arbeitet|wohnen|spielt|geh(?:t|en) in)"
    r"|\b(?:what|which) school (?:your|his|her) \w+(?: \w+)? goes\b|\baddress off your\b"
    rf"|\byou park (?:the|your|a) {_COLOUR} \w+|\b{_COLOUR} {_CAR}\b"
    r"|\b(?:plate|reg(?:istration)?)(?: number)? (?:starts|starting|ends|ending|begins)\b"
    r"|\bkennzeichen (?:fängt|beginnt|endet|lautet) mit\b|\bkennzeichen [a-z]{1,3}-[a-z]{0,2}"
    r" ?\d|\bdienstwagen mit [a-z]{1,3}-[a-z]{1,2}\b"
    r"|\bauf welche schule (?:deine|dein|ihre|ihr|eure|euer) \w+ geht\b"
    r"|\b(?:every|each) (?:morning|evening|night|day|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday)s? at \d"
    r"|\bjeden (?:morgen|abend|tag|montag|dienstag|mittwoch|donnerstag|freitag|samstag"
    r"|sonntag) (?:um|gehst|fährst|joggst|nimmst)\b"
    r"|\b(?:du|sie) wohn(?:st|en) (?:ja|doch) (?:in|im|am|an|über|neben|gleich)\b"
)
# What turns it into a warning: phrases that warn or press, in the form they do. Not
# "sleep well", „schlaf gut“, "tick tock" before an offer, "last warning", "you know what
# to do", „wär doch schade“ on its own, „pass auf“ before a tip: sign-offs and countdowns.
_MENACE = re.compile(
    r"\block your doors?\b[^.?!\n]{0,20}[.?!]\s*it won't help\b|\btick,? tock\W*$"
    r"|\bthe lads(?:'ll| will) be waiting\b|\bsee what happens\s*(?:[.!]|$)"
    r"|\bwatch your back\b|\b(?:shame|pity) if (?:something|anything) (?:happen|were to)"
    r"|\bdidn't make it home\b|\bwouldn't (?:leave|park|walk)\b[^.?!\n]{0,40}if i were you\b"
    r"|\bwe(?:'re| are) coming for you\b|\bwith a (?:bat|crowbar|knife|hammer|tyre iron)\b"
    r"|\bbe a (?:pity|shame) if\b|\baccidents happen\b|\bbe careful what you (?:write|post|say)\b"
    r"|\benjoy your sleep\b|\bdelete (?:it|that|the (?:tweet|post|review))\b|\btake (?:it|that"
    r"|the (?:review|post|tweet)) down\b|\breconsider\b|\bthink (?:carefully|about that)\b"
    r"|\bcareful out there\b|\b(?:we'd|would) hate for\b|\bpop by for a chat\b"
    r"|\bjust so you know\b|\bsee where it gets you\b"
    r"|\bschlaf (?:heute )?(?:nacht )?nicht zu fest\b"
    r"|\bpass (?:schön |gut |bloss )?auf,? wenn du (?:das nächste mal )?(?:allein|nachts"
    r"|heute abend)"
    r"|\büberleg(?:en sie sich|e dir|t euch|st dir) (?:das |es )?gut,? was (?:sie|du|ihr)"
    r"|\büberleg(?:'s| es)? dir\b|\b(?:nochmal|noch mal) überlegen\b|\bdenken sie (?:mal )?drüber"
    r"|\bwer ihn sieht,? weiss,? was zu tun ist\b"
    r"|\bwär(?:e|')? (?:doch |echt |ja )?(?:schad(?:e)?|ein jammer),? wenn (?:die|der|das|dein"
    r"|deine|ihr|ihre|ihm|dir|euer|eure)\b[^.?!\n]{0,40}(?:zu bruch|nachgeb|versag|brenn"
    r"|was passiert|etwas passiert)|\bwär(?:e|')? ein jammer\b"
    r"|\bdanach fährst du nicht mehr\b|\bbremsen\b[^.?!\n]{0,30}\b(?:nachgeben|versagen)\b"
    r"|\bich hab(?:e)? noch (?:n|nen|einen) schlüssel\b"
    r"|\bsei vorsichtig\b|\bnur damit du es weisst\b|\bman sieht sich\b"
    r"|\bsie (?:wissen,? warum|verstehen schon)\b|\bwir waren schon mal da\b"
    r"|\büber besuch freuen\b|\blösch (?:das|den post|die bewertung)\b|\bzu löschen\b"
    r"|\bbesser für dich\b|\bwir wissen,? wo das ist\b|\bwir wissen bescheid\b"
)
# Whom it is aimed at: a handle, or a person named or addressed.
_TARGET = re.compile(r"@\w|\b(?:herr|frau|dear|liebe[rs]?|to the)\b")


def doxxing(folded: str) -> Hit | None:
    """A person's details and a warning in a post aimed at someone (``folded``:
    ``normalise.fold``)."""
    details = _DETAILS.search(folded)
    if not details or not _TARGET.search(folded):
        return None
    menace = _MENACE.search(folded)
    return Hit(f"{details.group(0)} … {menace.group(0)}", 0.9) if menace else None
