"""The categories of Firebreak's delete line, in English and German.

PRODUCT.md's line: delete a brand's own post when it is R-rated or worse —
explicit sexual content, graphic violence or gore, threats or calls for violence,
slurs, strong profanity, hate. Each category here is a score in [0, 1], a flag and
the words that drove it, read from hand-written lexicons (``lexicons.py`` and the
lists below; written for this project) and, for hate, the trained hate model.

Two things make word lists usable on real posts:

- **Obfuscation is undone before matching.** Look-alike characters are folded
  (``core.normalise.fold``), symbols and digits inside a word are read as the
  letters they stand for ("f*ck", "k@nake", "sp.ic", "n1gg3r"), letters spaced
  out are joined ("f a g"), and runs of a letter are tried short ("fuuuuck").
  Each token is matched as written and as read back, so a real word is never
  lost to the reading.
- **Idioms are taken out first.** "to die for", "killing it", "drop-dead
  gorgeous", "a bomb deal", "hot and steamy", "zum Sterben schön", "mörderisch
  gut" and the like are praise, not violence or sex: their words are removed
  before the lexicons read the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from chalicelib.core.normalise import fold
from chalicelib.triage.lexicons import (
    SEVERE,
    SEXUAL,
    SLURS,
    Hit,
    Lexicon,
    LexiconSet,
    noisy_or,
)
from chalicelib.triage.line_lexicons import (
    COMBINATIONS,
    GORE,
    HATE,
    IDIOMS,
    MORE_PROFANITY,
    MORE_SEXUAL,
    MORE_SLURS,
    REMEMBRANCE,
    REPORTING,
    THREAT,
)
from chalicelib.triage.risk import CategoryScore

# The line's categories, in the order reasons name them.
LINE_CATEGORIES = ("sexual", "gore", "threat", "slur", "profanity", "hate")


# Strong profanity: SEVERE's words that are not slurs. Milder swearing ("shit",
# "scheiße", "wtf") stays below the line on its own.
PROFANITY_FLAG = 0.75


_LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "l",
        "€": "e",
    }
)
# Symbols people put inside a word to hide it from filters.
_INNER = re.compile(r"(?<=[^\W\d_])[*._\-+~^'`´\"#%&=!|]+(?=[^\W\d_])")
_WORD = re.compile(r"[^\s]+")
_RUN = re.compile(r"(.)\1{2,}")
# Letters spaced out, possibly followed by punctuation ("F i d s c h i.").
_SPACED = re.compile(r"(?<!\S)(?:[^\W\d_] ){2,}[^\W\d_](?=[\s.,;:!?)\"']|$)")
# A trailing "€" may stand for an "e" ("Tunt€"); "5€" has no letter to read it with.
_EDGE = re.compile(r"^[^\w@$]+|[^\w!$€]+$")
# The antisemitic "echo": "they"/"them" or a capitalised name in triple parentheses
# (not "(((surround sound)))" nor the Wi-Fi sign "(((•)))").
# Also a group written in lower case ("the same (((people)))", "(((bankers)))"), but not
# in a post that sends "(((hugs)))" to "our (((people)))", nor "the (((media))) room".
_ECHO = re.compile(
    r"\({3}\s*(?:[Tt]hey|[Tt]hem|[A-ZÄÖÜ][\w'-]*(?: [A-ZÄÖÜ][\w'-]*){0,2}"
    r"|(?i:people|bankers?|globalists?|elites?|financiers?))"
    r"\s*\){3}"
)
_HUGS = re.compile(r"\({2,}\s*(?:hugs?|umarm\w*|drück\w*)", re.IGNORECASE)
# A hashtag, for its CamelCase words (``_tag_words``).
_HASHTAG = re.compile(r"#(\w{4,})")
# The duck emoji for the word autocorrect turns into "duck" ("mother🦆ing", "go 🦆
# yourselves"; not "Mother🦆 and her ducklings"), and a starred f-word or c-word
# ("f**king", "c**t").
_DUCK = re.compile(
    r"🦆(?=(?:ing|in|ed|er|ers)\b)"
    r"|(?<=\bgo )🦆(?= (?:yourself|yourselves|themselves|himself|herself|off)\b)"
)
_STARRED = (
    (re.compile(r"\bf(?:\*\*k|\*\*\*)(?=\w|\b)"), "fuck"),
    (re.compile(r"\bc(?:\*\*t|\*\*\*)(?=s?\b)"), "cunt"),
)
# Emoji that spell out sex ("🍆💦", "🍆➡️🍑", "👉👌"): weighed low, since "peach iced tea
# 🍑💦" is a drink, so only beside the offensive model or other words. A knife beside a
# coffin or blood in a reply is a menace ("@rival 🔪🩸⚰️"; not Halloween's "🎃🔪💀").
_SEX_EMOJI = re.compile(r"[🍆🍑]\W{0,3}?[💦👅]|🍆\W{0,3}?🍑|🍑\W{0,3}?🍆")
_POKE = re.compile(r"👉\s*👌|👌\s*👈")
_KNIFE_MENACE = re.compile(r"🔪\W{0,3}?[⚰🩸]|[⚰🩸]\W{0,3}?🔪")
_REPLY = re.compile(r"^\s*@\w+")
# "Die Schweiz den Schweizern": a country for its own people, the slogan of the far right;
# as a slogan, not as the object of a verb ("wir zeigen die Schweiz den Schweizern",
# "Österreich den Österreichern näherbringen").
_NATIVIST = re.compile(
    r"(?<![\w,] )(?<!\w)\b(?:deutschland den deutschen|(?:die )?schweiz den schweizern"
    r"|österreich den österreichern|europa den europäern|germany for the germans"
    r"|england for the english)\b"
    r"(?!\s+(?:\w+\s+)?(?:näherbringen|zeigen|erklären|vorstellen|bringen|servieren))",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _lexicons() -> dict[str, Lexicon]:
    slur_words = set(SLURS.split()[0::2])
    severe = SEVERE.split()
    profanity = " ".join(
        f"{t} {w}" for t, w in zip(severe[0::2], severe[1::2], strict=True) if t not in slur_words
    )
    # The text is casefolded (fold: "heißt" -> "heisst"), so the lists are too.
    specs = {
        "sexual": SEXUAL + MORE_SEXUAL,
        "gore": GORE,
        "threat": THREAT,
        "slur": SLURS + MORE_SLURS,
        "profanity": profanity + MORE_PROFANITY,
        "hate": HATE,
    }
    return {name: Lexicon(spec.casefold()) for name, spec in specs.items()}


@lru_cache(maxsize=1)
def _lexicon_set() -> LexiconSet:
    return LexiconSet(_lexicons())


@lru_cache(maxsize=1)
def _idiom_re() -> re.Pattern[str]:
    phrases = sorted(IDIOMS, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)")


def without_idioms(text: str) -> str:
    return _idiom_re().sub(" ", text)


def _folded(text: str) -> str:
    """The text as the lists are written: case and look-alikes folded, one apostrophe."""
    return fold(text).replace("’", "'")


def idiom_free(text: str) -> str | None:
    """The text with its idioms taken out, or None where it has none."""
    folded = _folded(text)
    bare = without_idioms(folded)
    return None if bare == folded else bare


# One symbol standing in for one letter: "!" for i, "@" for a, "*" for any vowel.
_MASK = re.compile(r"(?<=[^\W\d_])[*!@](?=[^\W\d_])")
_MASKED_VOWELS = "aeiouäöü"


def _read_back(token: str) -> str:
    """A token as the letters it hides: inner symbols dropped, leet digits read."""
    core = _EDGE.sub("", token)
    if not core:
        return ""
    core = _INNER.sub("", core)
    if any(c.isalpha() for c in core) and any(not c.isalpha() for c in core):
        core = core.translate(_LEET)
    return "".join(c for c in core if c.isalpha() or c == "'")


def _unmasked(token: str) -> list[str]:
    """The words a token with masking symbols inside may stand for: "ch!nks" -> "chinks",
    "n!gg@s" -> "niggas", "m0therf*cker" -> "motherfucker", "kr*ppel" -> "krappel" …
    "krüppel", "h*rens*hn" -> "hurensohn". "!" and "@" stand for one letter each; one "*"
    is tried as each vowel, two as each pair of plain vowels."""
    core = _EDGE.sub("", token)
    masks = _MASK.findall(core)
    stars = masks.count("*")
    if not masks or stars > 2 or len(masks) > 3:
        return []
    read = core.translate(_LEET)
    if stars == 0:
        return [read]
    if stars == 1:
        return [_MASK.sub(v, read) for v in _MASKED_VOWELS]
    parts = read.split("*")
    if len(parts) != 3:
        return []
    return [f"{parts[0]}{a}{parts[1]}{b}{parts[2]}" for a, b in _VOWEL_PAIRS]


_VOWEL_PAIRS = tuple((a, b) for a in "aeiou" for b in "aeiou")


def _runs_read(form: str) -> list[str]:
    """A word with letters held long ("soooo", "trannnyyy"): with up to three such runs,
    each read as one letter and as two; with more, all as one and all as two."""
    runs = list(_RUN.finditer(form))
    if len(runs) > 3:
        return [_RUN.sub(r"\1", form), _RUN.sub(r"\1\1", form)]
    out = []
    for mask in range(1 << len(runs)) if runs else ():
        parts, last = [], 0
        for k, run in enumerate(runs):
            parts.append(form[last : run.start()] + run.group(1) * (1 + (mask >> k & 1)))
            last = run.end()
        out.append("".join(parts) + form[last:])
    return out


# Strong swearing run into a hashtag ("#absolutefuckingbanger"): the words are read here
# case-folded, so a tag is searched only for the long forms, which do not arise across a
# join ("#musicunterricht"). A tag in CamelCase ("#SoFuckingGood", "#GolfUckfield" is golf
# and Uckfield) is read word by word from the text as written (``_tag_words``).
_TAG_SWEAR_LONG = re.compile(r"motherfuck\w*|fucking|fuckin|hurensohn|wichser|arschloch")
_CAMEL = re.compile(r"[A-ZÄÖÜ]?[a-zäöüß]+|[A-ZÄÖÜ]+(?![a-zäöüß])")


def _tag_swearing(tag: str) -> list[str]:
    return _TAG_SWEAR_LONG.findall(tag)


# Spellings that sound like the word they hide: "phukin", "phaggot" (ph for f, only before
# "u" or "ag": "photo" must not become the "foto" of a sexual pair), "cvnt" and "fvck" (a
# v for the u after c or f and before n or c: "PANIS CVM LACTE" is Latin, not "cum").
_SOUNDS = (
    (re.compile(r"ph(?=u|ag)"), "f"),
    (re.compile(r"(?<=[cf])v(?=[nc])"), "u"),
)


def _sounded(form: str) -> list[str]:
    out = []
    for pattern, letter in _SOUNDS:
        read = pattern.sub(letter, form)
        if read != form:
            out.append(read)
    return out


@lru_cache(maxsize=65536)
def _forms(raw: str) -> tuple[str, ...]:
    """The forms to match one word by: as written, read back, runs of a letter shortened.
    Cached: the words of a stream repeat."""
    tag = raw.startswith("#")
    raw = raw.lstrip("#")
    forms: list[str] = []
    plain = "".join(c for c in raw if c.isalnum() or c == "'").strip("'")
    read = _read_back(raw)
    for form in (plain, read):
        for variant in (form, *_runs_read(form), *_sounded(form)):
            if variant and variant not in forms:
                forms.append(variant)
    for variant in _unmasked(raw):
        word = "".join(c for c in variant if c.isalpha() or c == "'")
        if word and word not in forms:
            forms.append(word)
    if tag and len(plain) > 6:
        forms.extend(w for w in _tag_swearing(plain) if w not in forms)
    return tuple(forms)


_ENDS_SENTENCE = frozenset(".!;:")
_QUOTE_HYPHEN = re.compile(r"(['\"“”‘’])-(?=\w)")


def _tag_words(text: str) -> dict[str, list[str]]:
    """Each CamelCase hashtag (case-folded, without "#") -> its words that are slurs or
    strong swearing ("#NoPikeysNoProblems" -> ["pikeys"]). Only those: split into words, a
    tag also makes pairs ("#SpottedDick … send us a pic")."""
    out: dict[str, list[str]] = {}
    for m in _HASHTAG.finditer(text):
        parts = _CAMEL.findall(m.group(1))
        if len(parts) > 1 and any(p[0].isupper() for p in parts[1:]):
            found: dict[str, dict[str, float]] = {}
            _lexicon_set().match([p.casefold() for p in parts], found)
            words = [w for name in ("slur", "profanity") for w in found.get(name, {})]
            if words:
                out[m.group(1).casefold()] = words
    return out


def _joined(m: re.Match[str]) -> str:
    """Spaced letters as one word; an English "a" or "I" before them stays a word of its
    own where only the rest is a listed word ("a c u n t of a day")."""
    letters = m.group(0).split(" ")
    whole = "".join(letters)
    if letters[0] in ("a", "i") and len(letters) > 4:
        rest = "".join(letters[1:])
        found: dict[str, dict[str, float]] = {}
        _lexicon_set().match([rest], found)
        if found:
            found_whole: dict[str, dict[str, float]] = {}
            _lexicon_set().match([whole], found_whole)
            if not found_whole:
                return f"{letters[0]} {rest}"
    return whole


def _read(text: str) -> tuple[list[tuple[str, ...]], list[list[tuple[str, ...]]]]:
    """The words' forms, and the same words grouped by sentence."""
    tags = _tag_words(text) if "#" in text else {}
    folded = without_idioms(_folded(text))
    folded = _DUCK.sub("fuck", folded)
    for pattern, word in _STARRED:
        folded = pattern.sub(word, folded)
    folded = _SPACED.sub(_joined, folded)
    # A quoted phrase joined to a word ("'Meine Ehre heißt Treue'-Shirt") is two words.
    folded = _QUOTE_HYPHEN.sub(r"\1 ", folded)
    words: list[tuple[str, ...]] = []
    sentences: list[list[tuple[str, ...]]] = [[]]
    for raw in _WORD.findall(folded):
        forms = _forms(raw)
        if tags and raw.startswith("#"):
            extra = tags.get(raw.lstrip("#").rstrip(".,;:!?"), [])
            forms = forms + tuple(w for w in extra if w not in forms)
        if forms:
            words.append(forms)
            sentences[-1].append(forms)
        if raw[-1] in _ENDS_SENTENCE or raw.endswith("\n"):
            sentences.append([])
    return words, [s for s in sentences if s]


def read_tokens(text: str) -> list[list[str]]:
    """For each word: the forms to match it by (as written, read back, runs shortened)."""
    return [list(forms) for forms in _read(text)[0]]


def _match_all(words: list[tuple[str, ...]]) -> dict[str, list[Hit]]:
    """Every lexicon's hits over every reading of every word; phrases over the words as
    written and as read back."""
    found: dict[str, dict[str, float]] = {}
    lexicons = _lexicon_set()
    lexicons.match([w[0] for w in words], found)
    if any(len(w) > 1 for w in words):
        lexicons.match([w[1] if len(w) > 1 else w[0] for w in words], found)
        extra = [form for w in words for form in w[2:]]
        if extra:
            for form in extra:
                lexicons.match([form], found)
    return {
        name: sorted((Hit(t, w) for t, w in terms.items()), key=lambda h: (-h.weight, h.term))
        for name, terms in found.items()
    }


STEM_MIN = 6

# A group named in one sentence and the claim about it in the next are still one claim
# ("Six million? The numbers never added up."): these rules' pairs may span sentences
# (within ``NEAR`` words). A likening to vermin must be in one sentence, since it needs
# no confirmation from the hate model ("Refugees welcome. Rats in the cellar" is not).
ACROSS_SENTENCES = frozenset(
    {
        "a sweeping claim against a group",
        "a conspiracy of control",
        "Holocaust denial",
        "Holocaust denial by its number",
        "a menace: we have your details",
        "an antisemitic caricature",
    }
)


class _Combinations:
    """Every kind of word of ``COMBINATIONS`` (stems of single words; phrases whose last
    word is a stem), found in one pass over a sentence's tokens."""

    def __init__(self) -> None:
        # name -> (weight, first kind, second kind, may span sentences)
        self.rules: dict[str, list[tuple[float, int, int, bool]]] = {}
        self.stems: dict[str, list[int]] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        kind = 0
        for name, rules in COMBINATIONS.items():
            for label, weight, first, second in rules:
                across = label in ACROSS_SENTENCES
                self.rules.setdefault(name, []).append((weight, kind, kind + 1, across))
                for spec in (first, second):
                    for entry in spec.casefold().split():
                        words = tuple(entry.split("_"))
                        if len(words) == 1:
                            self.stems.setdefault(words[0], []).append(kind)
                        else:
                            self.phrases.setdefault(words[0], []).append((words, kind))
                    kind += 1
        self.longest = max(len(s) for s in self.stems)
        self.seen: dict[str, tuple[int, ...]] = {}

    def kinds_of(self, token: str) -> tuple[int, ...]:
        known = self.seen.get(token)
        if known is None:
            found: set[int] = set()
            for end in range(min(len(token), self.longest), 0, -1):
                # A short entry is a whole word ("skin" is not "skincare"); from six
                # letters on it is a stem ("aufhäng" -> "aufhängen").
                if end == len(token) or end >= STEM_MIN:
                    found.update(self.stems.get(token[:end], ()))
            known = tuple(sorted(found))
            if len(self.seen) >= 100_000:  # bounded: a stream's vocabulary is open-ended
                self.seen.clear()
            self.seen[token] = known
        return known

    def positions(self, tokens: Sequence[str]) -> dict[int, list[tuple[int, str]]]:
        """kind -> (position, words) of each of its words in ``tokens``."""
        found: dict[int, list[tuple[int, str]]] = {}
        for i, tok in enumerate(tokens):
            for kind in self.kinds_of(tok):
                found.setdefault(kind, []).append((i, tok))
            for words, kind in self.phrases.get(tok, ()):
                n = len(words)
                if (
                    i + n <= len(tokens)
                    and tuple(tokens[i + 1 : i + n - 1]) == words[1:-1]
                    and tokens[i + n - 1].startswith(words[-1])
                ):
                    found.setdefault(kind, []).append((i, " ".join(tokens[i : i + n])))
        return found


@lru_cache(maxsize=1)
def _combination_set() -> _Combinations:
    return _Combinations()


# Both kinds of word must be this close (words between them), and in one sentence unless
# the rule is in ACROSS_SENTENCES: "I hope you enjoy this" and "a shot of our latte" in
# different sentences are no threat. (15 was tried on 2026-12-02: a reviewer's harmless
# posts then paired "hope … break your personal best", "hoffe … Messer mitbringen",
# "tell us where you live … we know", 31 of 50 deleted.)
NEAR = 10


def _combinations(sentences: list[list[tuple[str, ...]]]) -> dict[str, list[Hit]]:
    """Hits of ``COMBINATIONS``: both kinds of word close together, in one sentence (or in
    two, for the rules of ``ACROSS_SENTENCES``)."""
    found: dict[str, list[Hit]] = {}
    for words in sentences:
        _pairs(words, found)
    if len(sentences) > 1:
        _pairs([w for words in sentences for w in words], found, across_only=True)
    return found


def _pairs(
    words: list[tuple[str, ...]], found: dict[str, list[Hit]], *, across_only: bool = False
) -> None:
    """Add the rules' pairs found in ``words`` (as written and as read back) to ``found``."""
    if len(words) < 2:
        return
    combos = _combination_set()
    readings = [[w[0] for w in words]]
    if any(len(w) > 1 for w in words):
        readings.append([w[1] if len(w) > 1 else w[0] for w in words])
    for tokens in readings:
        positions = combos.positions(tokens)
        if len(positions) < 2:
            continue
        for name, rules in combos.rules.items():
            for weight, first, second, across in rules:
                if across_only and not across:
                    continue
                if first in positions and second in positions:
                    pair = _near(positions[first], positions[second])
                    if pair:
                        term = " … ".join(pair)
                        if all(h.term != term for h in found.get(name, [])):
                            found.setdefault(name, []).append(Hit(term, weight))


def _near(firsts: list[tuple[int, str]], seconds: list[tuple[int, str]]) -> tuple[str, str] | None:
    for i, a in firsts:
        for j, b in seconds:
            if i != j and abs(i - j) <= NEAR:
                return (a, b) if i < j else (b, a)
    return None


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


def _reported(folded: str, quoted: list[tuple[int, int]], term: str) -> bool:
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


def _quoted_spans(folded: str) -> list[tuple[int, int]]:
    return [m.span("q") if m.group("q") else m.span("s") for m in _QUOTED.finditer(folded)]


def _as_history(hits: list[Hit], folded: str, quoted: list[tuple[int, int]]) -> list[Hit]:
    """The hits of a remembrance post that it quotes or reports, weighed down."""
    return [
        Hit(h.term, round(h.weight * HISTORY_DAMPING, 4))
        if _reported(folded, quoted, h.term)
        else h
        for h in hits
    ]


# Nazi number codes: alone, "88" and "HH" are prices and Hamburg. Two of them as hashtags
# ("#HH #88"), or one beside Hitler's birthday ("20 April … HH to all our real fans"), are
# a greeting to those who know.
_CODE_TAG = re.compile(r"#(88|hh|1488|18|14)\b", re.IGNORECASE)
_CODE = re.compile(r"(?<![\w#])(?:hh|88|1488|sieg heil)(?!\w)", re.IGNORECASE)
# Beside 20 April, "18 %" (A.H.) and the man from Braunau are codes too ("den Onkel aus
# Braunau", "18 % auf alles"); not a closing time at 18 nor a café opening in Braunau.
_BIRTHDAY_CODE = re.compile(
    r"(?<![\w#.,])18 ?%|\b(?:onkel|mann|gefreite\w*|sohn|uncle|man) aus braunau\b",
    re.IGNORECASE,
)
_HITLERS_BIRTHDAY = re.compile(r"\b20\.? ?april\b|\bapril 20(?:th)?\b", re.IGNORECASE)


def _nazi_code(text: str) -> str | None:
    tags = {m.group(1).casefold() for m in _CODE_TAG.finditer(text)}
    if len(tags) >= 2:
        return " ".join(f"#{t}" for t in sorted(tags))
    day, code = _HITLERS_BIRTHDAY.search(text), _CODE.search(text) or _CODE_TAG.search(text)
    if day and not code:
        code = _BIRTHDAY_CODE.search(text)
    if day and code:
        return f"{day.group(0)} … {code.group(0)}"
    return None


@dataclass(frozen=True)
class LineConfig:
    """How lexicon evidence and the models combine; thresholds tuned on the crisis set's
    dev half (``bench/crisis``), never on its held-out half."""

    # Lowered by 0.05 on 2026-12-02 (were 0.5 and 0.6): on the 692 tuning posts not one
    # keep was deleted, 19 deletes were kept, and most of those scored just below the flag
    # (implicit threats and euphemisms, which the offensive model reads as calm). At 0.45
    # / 0.55: 15 kept, still no keep deleted, no trap post flagged; 0.08 lower flagged one.
    sexual_flag: float = 0.45
    gore_flag: float = 0.45
    threat_flag: float = 0.45
    slur_flag: float = 0.6
    profanity_flag: float = PROFANITY_FLAG
    hate_flag: float = 0.55
    # The hate model alone: conservative (HatEval shifts between its splits).
    hate_model_flag: float = 0.8


def line_categories(
    text: str, p_offensive: float, p_hate: float, config: LineConfig | None = None
) -> dict[str, CategoryScore]:
    """The six categories of the delete line for one text. ``p_offensive`` and
    ``p_hate`` are the trained models' probabilities for it."""
    cfg = config or LineConfig()
    words, sentences = _read(text)
    found = _match_all(words)
    hits = {name: found.get(name, []) for name in LINE_CATEGORIES}
    for name, extra in _combinations(sentences).items():
        if name == "hate":
            # A group and a sweeping claim about it is hate only if the hate model
            # agrees at least a little ("refugees are welcome here" is not); the rules
            # of weight 0.9 and up (Holocaust denial, a group likened to vermin) stand
            # on their own.
            extra = [
                Hit(h.term, h.weight if h.weight >= 0.9 else h.weight * (0.5 + 0.5 * p_hate))
                for h in extra
            ]
        hits[name] = sorted(hits[name] + extra, key=lambda h: (-h.weight, h.term))
    if hits["hate"] and p_offensive < REMEMBRANCE_CALM:
        folded = fold(text)
        if _REMEMBRANCE.search(folded):
            quoted = _quoted_spans(folded)
            hits["hate"] = _as_history(hits["hate"], folded, quoted)
            hits["slur"] = _as_history(hits["slur"], folded, quoted)
    code = _nazi_code(text)
    if code:
        hits["hate"] = [Hit(code, 0.9), *hits["hate"]]
    echo = _ECHO.search(text)
    if echo and not _HUGS.search(text):
        hits["hate"] = [Hit(echo.group(0), 0.9), *hits["hate"]]
    nativist = _NATIVIST.search(text)
    if nativist:
        hits["hate"] = [Hit(nativist.group(0), 0.85), *hits["hate"]]
    hits["sexual"] = sorted(hits["sexual"] + _emoji_sex(text), key=lambda h: (-h.weight, h.term))
    knife = _KNIFE_MENACE.search(text)
    if knife and _REPLY.search(text):
        hits["threat"] = [Hit(knife.group(0), 0.6), *hits["threat"]]
    out: dict[str, CategoryScore] = {}
    # Sexual and threat words also appear in reporting and jokes: the offensive
    # model's view of the whole text lifts or lowers them, never below half.
    for name, flag in (("sexual", cfg.sexual_flag), ("threat", cfg.threat_flag)):
        h = hits[name]
        score = noisy_or(h) * (0.6 + 0.4 * p_offensive) if h else 0.0
        out[name] = CategoryScore(round(score, 4), score >= flag, _terms(h))
    gore = hits["gore"]
    gore_score = noisy_or(gore) * (0.7 + 0.3 * p_offensive) if gore else 0.0
    out["gore"] = CategoryScore(round(gore_score, 4), gore_score >= cfg.gore_flag, _terms(gore))
    slur = hits["slur"]
    slur_score = noisy_or(slur)
    out["slur"] = CategoryScore(round(slur_score, 4), slur_score >= cfg.slur_flag, _terms(slur))
    prof = [h for h in hits["profanity"] if h.weight >= 0.5]
    strongest = max((h.weight for h in prof), default=0.0)
    out["profanity"] = CategoryScore(
        round(strongest, 4), strongest >= cfg.profanity_flag, _terms(prof)
    )
    hate = hits["hate"]
    lexical = noisy_or(hate)
    hate_score = max(lexical, p_hate if p_hate >= cfg.hate_model_flag else p_hate * 0.75)
    if slur_score >= cfg.slur_flag:
        hate_score = max(hate_score, 0.5 + 0.5 * slur_score * p_hate)
    out["hate"] = CategoryScore(
        round(hate_score, 4),
        lexical >= cfg.hate_flag or p_hate >= cfg.hate_model_flag,
        _terms(hate),
    )
    return out


def _emoji_sex(text: str) -> list[Hit]:
    found = _SEX_EMOJI.search(text) or _POKE.search(text)
    return [Hit(found.group(0), 0.5)] if found else []


def _terms(hits: Sequence[Hit]) -> tuple[str, ...]:
    return tuple(h.term for h in hits[:5])
