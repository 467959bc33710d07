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
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from chalicelib.core.normalise import fold, strip_invisible
from chalicelib.triage import line_menace as menace
from chalicelib.triage import line_remembrance as remembrance
from chalicelib.triage import line_signals as signals
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
    CONTEXT_IDIOMS,
    GORE,
    HATE,
    IDIOMS,
    MORE_PROFANITY,
    MORE_SEXUAL,
    MORE_SLURS,
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
# A hashtag, for its CamelCase words (``_tag_words``), and as it stands in a word of the
# folded text ("(#Tag)", "„#Tag“", "#Tag's").
_HASHTAG = re.compile(r"#(\w{4,})")
_TAG_IN_WORD = re.compile(r"^[^\w#]*#(\w+)")
# The duck emoji for the word autocorrect turns into "duck" ("mother🦆ing", "go 🦆
# yourselves"; not "Mother🦆 and her ducklings"), and a starred f-word or c-word
# ("f**king", "c**t").
_DUCK = re.compile(
    r"🦆(?=ing\b)|(?<=[^\W\d_])🦆(?=(?:in|ed|ers?)\b)"
    r"|(?<=\bgo )🦆(?= (?:yourself|yourselves|themselves|himself|herself)\b)"
)
_STARRED = (
    (re.compile(r"\bf(?:\*\*k|\*\*\*)"), "fuck"),
    (re.compile(r"\bc(?:\*\*t|\*\*\*)(?=s?(?!\w))"), "cunt"),
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


@lru_cache(maxsize=1)
def _context_idioms() -> tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]:
    return tuple((re.compile(c), re.compile(i)) for c, i in CONTEXT_IDIOMS)


def without_idioms(text: str) -> str:
    text = _idiom_re().sub(" ", text)
    for context, idiom in _context_idioms():
        if context.search(text):
            text = idiom.sub(" ", text)
    return text


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
        forms.extend(w for w in _TAG_SWEAR_LONG.findall(plain) if w not in forms)
    return tuple(forms)


_ENDS_SENTENCE = frozenset(".!;:")
_QUOTE_HYPHEN = re.compile(r"(['\"“”‘’])-(?=\w)")


def _tag_words(text: str) -> dict[str, list[str]]:
    """Each CamelCase hashtag (case-folded, without "#") -> its words that are strong slurs
    or swearing ("#NoPikeysNoProblems" -> ["pikeys"]). Only those, and only as an entry
    or its plural (not "#FireRetardant", nor "#OffasDyke" at the weight of a weaker slur):
    split into all its words, a tag would also make pairs ("#SpottedDick … send a pic")."""
    out: dict[str, list[str]] = {}
    lexicons = _lexicon_set()
    for m in _HASHTAG.finditer(strip_invisible(unicodedata.normalize("NFKC", text))):
        parts = _CAMEL.findall(m.group(1))
        if len(parts) < 2 or not any(p[0].isupper() for p in parts[1:]):
            continue
        words = []
        for part in (p.casefold() for p in parts):
            for form in (part, part[:-1], part[:-2]):
                entries = [*lexicons.words.get(form, ()), *lexicons.stems.get(form, ())]
                if any(n in ("slur", "profanity") and w >= 0.9 for n, w in entries):
                    words.append(part)
                    break
        if words:
            out[fold(m.group(1))] = words
    return out


# Words that begin with "a" and whose rest is a listed word ("a m o n g", "a s p i c").
_SPACED_WORDS = frozenset({"among", "aspic", "aspics"})


def _joined(m: re.Match[str]) -> str:
    """Spaced letters as one word; an English "a" or "I" before them stays a word of its
    own where only the rest is a listed word ("a c u n t of a day")."""
    letters = m.group(0).split(" ")
    whole = "".join(letters)
    if letters[0] in ("a", "i") and len(letters) > 4 and whole not in _SPACED_WORDS:
        rest = "".join(letters[1:])
        lexicons = _lexicon_set()
        if lexicons.word_hits(rest) and not lexicons.word_hits(whole):
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
        tag = _TAG_IN_WORD.match(raw) if tags else None
        if tag and tag.group(1) in tags:
            # Matched alone, after the reading (w[1]) that pairs and phrases use.
            extra = tuple(w for w in tags[tag.group(1)] if w not in forms)
            forms = (*(forms if len(forms) > 1 else forms * 2), *extra)
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
        hits[name] = _by_weight(hits[name] + extra)
    slogan = signals.nativist(text)
    if slogan:
        hits["hate"] = _by_weight([*hits["hate"], slogan])
    if hits["hate"] and p_offensive < remembrance.REMEMBRANCE_CALM:
        folded = fold(text)
        if remembrance.remembers(folded):
            quoted = remembrance.quoted_spans(folded)
            hits["hate"] = remembrance.as_history(hits["hate"], folded, quoted)
            hits["slur"] = remembrance.as_history(hits["slur"], folded, quoted)
    for name, signal in (
        ("hate", signals.nazi_code(text)),
        ("hate", signals.echo(text)),
        ("sexual", signals.emoji_sex(text)),
        ("sexual", signals.private_offer(text)),
        ("threat", signals.knife_menace(text)),
        ("threat", menace.doxxing(_folded(text))),
    ):
        if signal:
            hits[name] = _by_weight([*hits[name], signal])
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


def _by_weight(hits: list[Hit]) -> list[Hit]:
    return sorted(hits, key=lambda h: (-h.weight, h.term))


def _terms(hits: Sequence[Hit]) -> tuple[str, ...]:
    return tuple(h.term for h in hits[:5])
