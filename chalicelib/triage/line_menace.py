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

# What the writer holds about one person: where they live, park, sit or go to school,
# their car and plate, their daily routine, their face on camera.
_DETAILS = re.compile(
    r"\bwhere you (?:live|park|sit|work|sleep|drink)\b"
    r"|\byou (?:still )?live (?:in|on|at|above|over|by|near|off|behind)\b"
    r"|\byou(?:'re| are) (?:staying|sleeping) (?:at|in)\b"
    r"|\b(?:we|i)(?:'ve| have)? got your (?:face|faces|address|details|plate|reg)\b"
    r"|\byour face on (?:cctv|camera)\b"
    r"|\bwhich (?:flat|house|street|estate|school|hotel|floor)\b[^.?!\n]{0,30}"
    r"\b(?:is yours|you(?:'re| are)? (?:from|in|at|live|go|stay)|(?:your|his|her) \w+ goes)"
    r"|\b(?:your|his|her) (?:home )?address\b|\baddress off your\b"
    r"|\byou park (?:the |your |a )\b|\bthe (?:red|blue|white|black|silver|grey|gray|green)"
    r" (?:fiesta|golf|corsa|polo|van|bmw|audi|tesla|car|astra|mini)\b"
    r"|\b(?:has|have|got|know) (?:your|his|her) (?:number plate|plate(?: number)?|reg)\b"
    r"|\bplate (?:number )?(?:starts|ends|begins)\b"
    r"|\b(?:your|his|her|the) (?:kids?|children|daughters?|sons?|little sister|sister)"
    r"(?:'s?)? (?:school|nursery|primary)\b"
    r"|\bflat \d+\b|\bblock [a-z],? row \d+\b"
    r"|\b(?:outside|at) your (?:work|office|house|flat|front door|door|place|gym)\b"
    r"|\bwo (?:du|ihr|sie|er) (?:wohnst|wohnt|wohnen|parkst|parkt|arbeitest|arbeitet|sitzt)\b"
    r"|\b(?:du|sie) wohn(?:st|en) (?:ja |doch )?(?:in|im|am|an|über|neben)\b"
    r"|\bwohnt (?:in|im|am|an|über|neben)\b"
    r"|\b(?:deine|ihre|eure) (?:adresse|haustür|wohnung)\b|\bhaustür in der\b"
    r"|\bdein(?:en|em)? (?:\w+ )?(?:auto|golf|wagen|polo|bmw|audi|passat|fahrrad)\b"
    r"|\bkennzeichen (?:fängt|beginnt|endet|lautet)\b|\bdienstwagen mit\b|\bwo dein auto\b"
    r"|\bauf welche schule\b|\b(?:kinder|tochter|sohn|schwester|bruder)\b[^.?!\n]{0,40}"
    r"\b(?:volksschule|grundschule|schule|kita|kindergarten)\b"
    r"|\bjeden (?:morgen|abend|tag) (?:um \d|die linie|den bus|vor)"
    r"|\bsteht jeden tag\b|\bsteht (?:morgen|heute) (?:ab \d+ )?(?:wieder )?(?:in|vor|an)\b"
    r"|\b(?:dein|ihr) profilbild\b"
)
# What turns it into a warning. Not "sleep well" nor „schlaf gut“: a birthday voucher
# "is in the post" to the address a loyalty app holds.
_MENACE = re.compile(
    r"\benjoy your sleep\b|\block your doors?\b"
    r"|\bit won't help\b|\btick,? tock\b|\bwe remember\b|\b(?:we|the lads)(?:'ll| will)"
    r" be waiting\b|\bsee what happens\b|\bwatch your back\b|\bshame if\b"
    r"|\bif i were you\b|\bwe(?:'re| are) coming (?:round|for you|over)\b|\blast warning\b"
    r"|\byou know what to do\b|\bwon't be much of it\b|\bdidn't make it home\b"
    r"|\bwith a (?:bat|crowbar|knife|hammer|tyre iron)\b"
    r"|\bschlaf (?:heute )?(?:nacht )?nicht zu fest\b"
    r"|\bpass (?:schön |mal |gut |bloß |lieber |besser )?auf\b(?! dich auf)"
    r"|\büberleg(?:en sie sich|e dir|t euch|st dir) (?:das |es )?gut\b(?!,? ob\b)"
    r"|\bmach (?:ruhig|nur) (?:so )?weiter\b|\bwer ihn sieht\b|\bwas zu tun ist\b"
    r"|\bwär(?:e|')? (?:doch |echt |ja )?schad(?:e)?\b|\bnur so ein gedanke\b"
    r"|\bfährst du nicht mehr\b|\bbremsen\b[^.?!\n]{0,30}\b(?:kaputt|nachgeben|versagen)\b"
    r"|\bnoch (?:n|nen|einen) schlüssel\b|\bhandfest\b"
)


def doxxing(folded: str) -> Hit | None:
    """A person's details and a warning in one post (``folded``: ``normalise.fold``)."""
    details = _DETAILS.search(folded)
    if not details:
        return None
    menace = _MENACE.search(folded)
    return Hit(f"{details.group(0)} … {menace.group(0)}", 0.9) if menace else None
