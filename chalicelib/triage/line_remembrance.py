"""The remembrance frame of the delete line (``line.py``): a calm post that remembers the
Nazis' victims or condemns their words may quote or report those words ("the Nazis called
Jews subhuman"); each place the word occurs must be quoted or reported. A post that
reports someone else's hate and condemns it (``reported_quotes``) is still deleted, with a
reason that names the quotation. Written for this project; tests in
``tests/unit/triage/test_line_remembrance.py`` and ``test_line_reports.py``."""

from __future__ import annotations

import re

from chalicelib.core.normalise import fold
from chalicelib.triage.lexicons import Hit
from chalicelib.triage.line_lexicons import REMEMBRANCE, REPORTING

# A post that remembers the Nazis' victims or condemns their words: the words of hate it
# quotes or reports weigh this much of their weight, and only while the offensive model
# reads the post as calmer than ``REMEMBRANCE_CALM``.
HISTORY_DAMPING = 0.3
REMEMBRANCE_CALM = 0.6
_REMEMBRANCE = re.compile(r"(?<!\w)(?:" + REMEMBRANCE + r")")
# A history word is reported, not used, when it is in quotation marks or follows one of
# these within a few words: "the Nazis called Jews subhuman", "planten die Endlösung".
_QUOTED = re.compile(
    r"[\"„“”«»‚](?P<q>[^\"„“”«»\n]{1,80})[\"“”«»‘]|(?<!\w)'(?P<s>[^'\n]{1,80})'(?!\w)"
)
_REPORTING = frozenset(REPORTING.split())


def reported(folded: str, quoted: list[tuple[int, int]], term: str) -> bool:
    """Is ``term`` (or, for a pair "a … b", either word) quoted or reported wherever it
    occurs: inside one of the ``quoted`` spans, or in a sentence that reports it ("the
    Nazis called Jews subhuman", "some claimed the Jews pull the strings")? Every
    occurrence must be: a word quoted once and then used ("… called them "Untermenschen".
    Honestly, some really are Untermenschen") is used, not reported."""
    for part in term.split(" … "):
        places = [m.start() for m in re.finditer(re.escape(part), folded)]
        if places and all(_reported_at(folded, quoted, at) for at in places):
            return True
    return False


def _reported_at(folded: str, quoted: list[tuple[int, int]], at: int) -> bool:
    if any(start <= at < end for start, end in quoted):
        return True
    sentence = re.split(r"[.!?;]\s", folded[max(0, at - 80) : at])[-1]
    return bool(_REPORTING.intersection(w.strip(",:") for w in sentence.split()[-6:]))


def quoted_spans(folded: str) -> list[tuple[int, int]]:
    return [m.span("q") if m.group("q") else m.span("s") for m in _QUOTED.finditer(folded)]


def as_history(hits: list[Hit], folded: str, quoted: list[tuple[int, int]]) -> list[Hit]:
    """The hits of a remembrance post that it quotes or reports, weighed down."""
    return [
        Hit(h.term, round(h.weight * HISTORY_DAMPING, 4)) if reported(folded, quoted, h.term) else h
        for h in hits
    ]


def remembers(folded: str) -> bool:
    """Does the (folded) post carry a strong cue of remembrance or condemnation?"""
    return bool(_REMEMBRANCE.search(folded))


# Reports of hate (2026-12-02, seventh session): a post that reports hate someone else
# wrote or said, in quotation marks attributed to them ("sprayed 'whites only' on our
# shutter", „hat unseren Kellner als „Kanake“ beschimpft“), and acts against it or
# condemns it, with nothing in it that agrees. The line still deletes such a post: a frame
# that kept them (weighing the quoted words down) was built and not shipped. It kept 9 of
# 40 such harmless posts a writer wrote that the line deleted, and a reviewer who read it
# got 26 of 40 hateful posts past it ("We removed the cleaner from the rota. The customer
# pays the bills."). The recommendation names the quotation instead, so a person can see
# a report and repost it without the words (``incidents.assessment``).
_CONDEMNS = re.compile(
    r"\b(?:has|have|had) no (?:place|home)\b|\bno place for (?:hate|racism|antisemitism"
    r"|homophobia|transphobia|this|that|it)\b|\b(?:is|are|isn't|aren't|not) welcome\b"
    r"|\bzero tolerance\b|\bwe stand with\b|\bin solidarity\b|\bdisgusting\b"
    r"|\bunacceptable\b|\bwe condemn\b|\b(?:won't|will not|do not|don't) tolerate\b"
    r"|\bfurious\b|\bappalled\b|\bheartbroken\b|\bwütend\b|\bstinksauer\b|\bfassungslos\b"
    r"|\bentsetzt\b|\bkeinen platz\b|\bkein platz für (?:hass|rassismus|antisemitismus"
    r"|hetze|so etwas|sowas|das)\b|\bnicht willkommen\b|\bnull toleranz\b|\bwir stehen an der"
    r" seite\b|\bsolidarisch\b|\bsolidarität\b|\bwiderlich\b|\babscheulich\b"
    r"|\binakzeptabel\b|\bwir verurteilen\b|\b(?:dulden|tolerieren) (?:wir |das |so etwas )?"
    r"nicht\b|\bhat (?:hier|bei uns) nichts (?:zu suchen|verloren)\b"
)
# What the brand did against the words or whoever used them.
_ACTS = re.compile(
    r"\b(?:removed|deleted|delete|hid|hidden|banned|ban|blocked|block|reported|reporting"
    r"|report it|painted over|cleaned (?:it|them)|scrub\w*|replaced|police|house ban|barred"
    r"|thrown out|asked (?:him|her|them) to leave|entfernt|gelöscht|löschen|gesperrt|sperren"
    r"|blockiert|gemeldet|melden|angezeigt|anzeige|polizei|hausverbot|übermalt|überstrichen"
    r"|rausgeworfen|rausgeschmissen|fliegt|des (?:hauses|ladens) verwiesen)\b"
)
# Anything that agrees with, excuses or jokes about the words quoted means the post is no
# report, as do the emoji the red teams used for it: "Hate has no home here. But they're
# right." The text is folded ("spaß" reads "spass").
_AGREES = re.compile(
    r"\b(?:wrong|right(?:ly)?(?! now| here| away)|true|truth|agree\w*|point|fair|accurate"
    r"|finally|about time|wise|louder|respect|deserve\w*|coming|smart|great call|sorted|joke"
    r"|honest\w*|fitting|description|unless|except|though|but|for a reason|peace and quiet"
    r"|restored|we banned nobody|filed nothing|won't remove|brave|hero\w*|legend\w*|liked"
    r"|printed|proud of|hilarious|lol|lmao|haha\w*|earned|can stay|can't have|what (?:it|he"
    r"|she) is|lock your|next)\b|\b(?:recht|unrecht|stimmt|wahr|wahre|endlich|mutig\w*"
    r"|held|helden|stolz auf|gefällt|zustimmung|passt|haltung|genauso|was dran|spass"
    r"|typisch|treffend|trifft|beschreibung|dankbar sein|mut|aber|ausser|allerdings"
    r"|eigentlich|sicher nicht|nicht entfernt|nichts (?:entfernt|gemeldet)|gelassen|nein"
    r"|keins|warum auch|lied|ruhe|gehen vor|darf|bleibt so|stehen lassen|nicht ganz"
    r"|nicht so sicher|nicht wir|hinter dem|wovon (?:er|sie) redet|knows? what"
    r"|called you|do it again|still hangs|framed|hängt (?:noch|immer)|mit dem sprayer"
    r"|with the (?:sprayer|man|guy|person|customer) who)\b|[😂🤣🙄💯👏🫡👍💪😉😏🤷]"
)
# A quotation is attributed when a word of speech or writing stands just before it ("called
# her a", "sprayed", „als“, "including") or just after it (German: „…“ gerufen, beschimpft),
# or when it continues a list of attributed quotations ("'faggot', 'tranny' and 'retard'").
_SAID_BEFORE_WORDS = """
called calling call shouted yelled screamed said saying says told wrote written
sprayed spray-painted painted scrawled scratched carved keyed reading read reads word
words slogan slogans note sticker stickers flyer flyers graffiti comment comments
commented replied reply replies message messages chanted chants includes including
rief riefen schrie schrieb schrieben stand lautete lauteten kommentar kommentare
kommentiert nannte nannten genannt aufkleber zettel wörtern wörter begriffe klebte hing
hingen prangte gründe reasons examples beispiele sogenannten sogenannte so-called
banner poster plakat scrub"""
_SAID_AFTER_WORDS = """
genannt beschimpft gerufen geschrieben gesprüht geschmiert kommentiert gebrüllt
geschrien geritzt schreibt sagt ruft postet gegrölt gepostet bezeichnet beschmiert
gesprayt gekritzelt geklebt sprayed scrawled written painted spray-painted sticker
stickers flyer flyers graffiti note sign signs banner poster aufkleber zettel plakat"""
_SAID_AFTER = frozenset(_SAID_AFTER_WORDS.split())
# A participle may stand before the quotation too („hat an die Tür gesprüht: „…“").
_SAID_BEFORE = frozenset(_SAID_BEFORE_WORDS.split()) | {
    w for w in _SAID_AFTER if w.startswith("ge")
}
_OWN_VOICE = frozenset(("we", "i", "wir", "ich"))
# Verbs whose subject says the words; "we were called …" is someone else's.
_SPEECH_WORDS = """call called calling said saying says told wrote shouted yelled screamed
replied chanted rief riefen schrie schrieb schrieben nannte nannten stand"""
_SPEECH = frozenset(_SPEECH_WORDS.split())
_PASSIVE = frozenset(("were", "was", "got", "been", "wurden", "wurde"))


def _own_voice(words: list[str]) -> bool:
    return bool(_OWN_VOICE.intersection(words)) and not _PASSIVE.intersection(words)


_CALLED_FOR_HELP = re.compile(r"\bcall(?:ed|ing)? (?:the )?(?:police|cops|security)\b")
_LIST_GAP = re.compile(r"^[\s,;/]*(?:(?:and|or|und|oder|sowie)\s+)?(?:the\s+)?$")


def attributed_spans(folded: str) -> list[tuple[int, int]]:
    """The quoted spans (``quoted_spans``) attributed to someone who said or wrote them."""
    out: list[tuple[int, int]] = []
    last_end = -1
    for start, end in quoted_spans(folded):
        if re.search(r"[.!?]\s", folded[start:end]):
            continue  # an unbalanced mark: the span runs across sentences
        # Within the quotation's sentence: German puts the verb at the end of the clause.
        head = re.split(r"[.!?]\s", folded[max(0, start - 100) : start - 1])[-1]
        head = _CALLED_FOR_HELP.sub(" ", head)  # "called the police on the 'pikeys'"
        tail = re.split(r"[.!?](?:\s|$)", folded[end + 1 : end + 100])[0]
        before = [w.strip(",:;()") for w in head.split()][-10:]
        after = [w.strip(",:;()") for w in tail.split()][:12]
        listed = last_end >= 0 and bool(_LIST_GAP.match(folded[last_end + 1 : start - 1]))
        # Words the brand says itself are not reported ("we will now call them …"), and
        # "stand" reads as German („stand an der Tür“), never after "we" or "I".
        said = [
            w
            for i, w in enumerate(before)
            if w in _SAID_BEFORE and not (w in _SPEECH and _own_voice(before[max(0, i - 3) : i]))
        ]
        if listed or said or _SAID_AFTER.intersection(after):
            out.append((start, end))
            last_end = end
    return out


def reports(folded: str) -> bool:
    """Does the (folded) post act against hate or condemn it, with nothing that agrees?"""
    cue = _CONDEMNS.search(folded) or _ACTS.search(folded)
    return bool(cue) and not _AGREES.search(folded)


def reported_quotes(text: str) -> list[str]:
    """The quotations a post reports as hate someone else said or wrote, where it acts
    against them or condemns them with nothing that agrees (``reports``); else none."""
    folded = fold(text)
    if not reports(folded):
        return []
    return list(dict.fromkeys(folded[a:b] for a, b in attributed_spans(folded)))
