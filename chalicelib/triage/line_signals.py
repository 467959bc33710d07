"""Signals of the delete line that are not words: emoji, codes and slogans (``line.py``).

Each reads the post as written (case and emoji kept) and returns the hit it found, for
``line_categories`` to add to a category. Written for this project."""

from __future__ import annotations

import re

from chalicelib.core.normalise import fold
from chalicelib.triage.lexicons import Hit

# The antisemitic "echo": "they"/"them" or a capitalised name in triple parentheses
# (not "(((surround sound)))" nor the Wi-Fi sign "(((•)))").
# Also a group written in lower case ("the same (((people)))", "(((bankers)))"), but not
# in a post that sends "(((hugs)))" to "our (((people)))", nor "the (((media))) room".
_ECHO = re.compile(
    r"\({3}\s*(?:[Tt]hey|[Tt]hem|[A-ZÄÖÜ][\w'-]*(?: [A-ZÄÖÜ][\w'-]*){0,2}"
    r"|(?P<group>(?i:people|bankers?|globalists?|elites?|financiers?)))"
    r"\s*\){3}"
)
_HUGS = re.compile(r"\({2,}\s*(?:hugs?|umarm\w*|drück\w*)", re.IGNORECASE)
# Emoji that spell out sex ("🍆💦", "🍆➡️🍑", "👉👌"): weighed low, since "peach iced tea
# 🍑💦" is a drink, so only beside the offensive model or other words. A knife beside a
# coffin or blood in a reply is a menace ("@rival 🔪🩸⚰️"; not Halloween's "🎃🔪💀").
_SEX_EMOJI = re.compile(r"[🍆🍑]\W{0,3}?[💦👅]|🍆\W{0,3}?🍑|🍑\W{0,3}?🍆")
_POKE = re.compile(r"👉\s*👌|👌\s*👈")
_KNIFE_MENACE = re.compile(r"🔪\W{0,3}?[⚰🩸]|[⚰🩸]\W{0,3}?🔪")
_REPLY = re.compile(r"^\s*@\w+")
# An offer to meet somewhere hidden, after hours, in secret ("back room after 9", „die
# Hintertür lass ich offen“, "DM for location"), a sexual cue about a person (the emoji
# pairs above, "come naked", "happy ending", „nichts unter der Schürze“) and an invitation
# to the reader ("come alone", „komm“, "ladies", 😏) together are a sexual invitation
# however coy its words. Any two of them are a delivery note, a yoga class, naked cakes or
# an escape room (a reviewer's 70 harmless posts, 2026-12-02).
_HIDEAWAY = re.compile(
    r"\b(?:back ?door|back ?room|back entrance|after clos(?:e|ing)|after lock-?up|after hours"
    r"|no questions asked|knock three times|in the back\b|dm for (?:the )?(?:location|address"
    r"|(?:her|his|my) number)|stock ?room|store ?room|staff (?:toilet|room)|cellar"
    r"|hint(?:er|e)(?:tür|eingang|zimmer)|hentertür|nach ladenschluss|nach feierabend"
    r"|nach schichtende|im lager\b|lagerraum|personalraum|keller|rollo runter|hinten (?:rein|rum)\b"
    r"|adresse per dm|schreib mir privat|sag (?:aber )?keinem (?:was|etwas)|unzensiert)",
    re.IGNORECASE,
)
_SEX_CUE = re.compile(
    _SEX_EMOJI.pattern + "|👅"
    r"|\b(?:nackig|ohne (?:höschen|unterwäsche|slip|bh)|no (?:underwear|knickers|panties)"
    r"|happy ending|seeing-to|rannehmen|ranzunehmen|nehmen lassen|schäferstündchen)\b"
    r"|\b(?:come|get|be|strip|stay|waiting|wait)\s+(?:\w+\s+)?(?:naked|nude)\b"
    r"|\b(?:naked|nude)\s+(?:for|with)\s+(?:me|you)\b"
    r"|\b(?:komm\w*|sei|bin|bist|zieh dich)\s+(?:\w+\s+)?nackt\b|\bnackt\s+(?:kommen|für mich)\b"
    r"|\bzieh dich aus\b|\bno bra\b(?![\s-]*day)"
    r"|\b(?:on your knees|auf die knie)\b(?!\s+(?:in|and pray|weeding|hände))"
    r"|\bnichts (?:drunter|unter der schürze)|unter der schürze (?:trag|hab)\w* ich nichts",
    re.IGNORECASE,
)
_INVITE = re.compile(
    r"\b(?:meet me|come alone|come (?:find|see|join) me|find me|join me|waiting for you"
    r"|all yours|just for you|for you tonight|ladies|babe|komm\w*|besuch mich|warte auf dich"
    r"|ich warte|für dich|süsse|süsser|schätzchen|bring (?:cash|protection)|guaranteed"
    r"|garantiert|massage|mädels|damen)\b|[😏😉😈😘💋]",
    re.IGNORECASE,
)
# "Die Schweiz den Schweizern": a country for its own people, the slogan of the far right;
# as a slogan, ending its clause, not as the object of a verb ("wir zeigen die Schweiz den
# Schweizern", "Österreich den Österreichern näherbringen").
_NATIVIST = re.compile(
    r"(?<![\w,] )(?<!\w)(?:deutschland den deutschen|(?:die )?schweiz den schweizern"
    r"|österreich den österreichern|europa den europäern|germany for the germans"
    r"|england for the english)\b"
    r"(?=\s*(?:$|[^\w\s]))",
    re.IGNORECASE,
)


# Nazi number codes: alone, "88" and "HH" are prices and Hamburg. Two of them as hashtags
# ("#HH #88"), or one beside Hitler's birthday ("20 April … HH to all our real fans"), are
# a greeting to those who know.
_CODE_TAG = re.compile(r"#(88|hh|1488|18|14)\b", re.IGNORECASE)
_CODE = re.compile(r"(?<![\w#])(?:hh|88|1488|sieg heil)(?!\w)", re.IGNORECASE)
# Beside 20 April, the man from Braunau is a code too ("den Onkel aus Braunau"); not a café
# opening in Braunau, nor "18 %" (a survey's figure, a sale).
_BIRTHDAY_CODE = re.compile(
    r"\b(?:onkel|mann|gefreite\w*|sohn|uncle|man) aus braunau\b", re.IGNORECASE
)
_HITLERS_BIRTHDAY = re.compile(r"\b20\.? ?april\b|\bapril 20(?:th)?\b", re.IGNORECASE)


# Or a code beside a wink to those who know („Wer weiß, der weiß“, "iykyk"), the colours
# of the Reich's flag, the SS runes, or "Fourteen words" opening a sentence: "88 Dosen,
# Stückpreis 18,88 €. Wer weiß, der weiß 😉". Not two lightning bolts (a storm over HH,
# Hamburg), nor a story "in just fourteen words". A code here is not a price's cents
# ("3,88 €") nor a share ("18 %").
_CODE_WORD = re.compile(
    r"(?<![\w#,.])(?:hh|88|1488|14/88|sieg heil)(?![\w,.]\d|\s?%)(?!\w)", re.IGNORECASE
)
_WINK = re.compile(
    r"\bwer (?:weiß|weiss),? der (?:weiß|weiss)\b|\bwer'?s versteht\b|\bwer es versteht\b"
    r"|\bihr wisst (?:schon|bescheid)\b|\bman versteht sich\b|\bif you know,? you know\b"
    r"|\biykyk\b|\bthose who know\b|\bschwarz[- ]wei(?:ß|ss)[- ]rot\b|⚫\s?⚪\s?🔴"
    r"|\bblack[- ]white[- ]red\b|ᛋ\s?ᛋ|(?:^|[.!?]\s+)fourteen words\b",
    re.IGNORECASE,
)


def nazi_code(text: str) -> Hit | None:
    tags = {m.group(1).casefold() for m in _CODE_TAG.finditer(text)}
    if len(tags) >= 2:
        return Hit(" ".join(f"#{t}" for t in sorted(tags)), 0.9)
    coded, wink = _CODE_WORD.search(text), _WINK.search(text)
    if coded and wink:
        return Hit(f"{coded.group(0)} … {wink.group(0)}", 0.9)
    day = _HITLERS_BIRTHDAY.search(text)
    code = day and (_CODE.search(text) or _CODE_TAG.search(text) or _BIRTHDAY_CODE.search(text))
    return Hit(f"{day.group(0)} … {code.group(0)}", 0.9) if day and code else None


def echo(text: str) -> Hit | None:
    """The antisemitic echo; a lower-case group only where the post sends no hugs."""
    found = _ECHO.search(text)
    if found and not (found.group("group") and _HUGS.search(text)):
        return Hit(found.group(0), 0.9)
    return None


def nativist(text: str) -> Hit | None:
    found = _NATIVIST.search(text)
    # Folded, as the remembrance frame looks for it in the folded text.
    return Hit(fold(found.group(0)), 0.85) if found else None


def emoji_sex(text: str) -> Hit | None:
    found = _SEX_EMOJI.search(text) or _POKE.search(text)
    return Hit(found.group(0), 0.5) if found else None


def knife_menace(text: str) -> Hit | None:
    """A knife beside a coffin or blood, in a reply to someone."""
    found = _KNIFE_MENACE.search(text)
    return Hit(found.group(0), 0.6) if found and _REPLY.search(text) else None


def private_offer(text: str) -> Hit | None:
    """A hidden meeting, a sexual cue and an invitation in one post."""
    place, cue = _HIDEAWAY.search(text), _SEX_CUE.search(text)
    if place and cue and _INVITE.search(text):
        return Hit(f"{place.group(0)} … {cue.group(0)}", 0.9)
    return None
