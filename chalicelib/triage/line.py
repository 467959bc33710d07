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
from chalicelib.triage.lexicons import SEVERE, SEXUAL, SLURS, Hit, Lexicon, noisy_or
from chalicelib.triage.line_lexicons import (
    COMBINATIONS,
    GORE,
    HATE,
    IDIOMS,
    MORE_PROFANITY,
    MORE_SEXUAL,
    MORE_SLURS,
    THREAT,
)

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
_SPACED = re.compile(r"(?<!\S)(?:[^\W\d_] ){2,}[^\W\d_](?!\S)")
_EDGE = re.compile(r"^[^\w@$]+|[^\w!$]+$")


@dataclass(frozen=True)
class LineScore:
    score: float
    flag: bool
    terms: tuple[str, ...]


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
def _idiom_re() -> re.Pattern[str]:
    phrases = sorted(IDIOMS, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)")


def without_idioms(text: str) -> str:
    return _idiom_re().sub(" ", text)


def _read_back(token: str) -> str:
    """A token as the letters it hides: inner symbols dropped, leet digits read."""
    core = _EDGE.sub("", token)
    if not core:
        return ""
    core = _INNER.sub("", core)
    if any(c.isalpha() for c in core) and any(not c.isalpha() for c in core):
        core = core.translate(_LEET)
    return "".join(c for c in core if c.isalpha() or c == "'")


def read_tokens(text: str) -> list[list[str]]:
    """For each word: the forms to match it by (as written, read back, runs shortened)."""
    folded = without_idioms(fold(text).replace("’", "'"))
    folded = _SPACED.sub(lambda m: m.group(0).replace(" ", ""), folded)
    out: list[list[str]] = []
    for raw in _WORD.findall(folded):
        raw = raw.lstrip("#")
        forms: list[str] = []
        plain = "".join(c for c in raw if c.isalnum() or c == "'").strip("'")
        read = _read_back(raw)
        for form in (plain, read):
            for variant in (form, _RUN.sub(r"\1", form), _RUN.sub(r"\1\1", form)):
                if variant and variant not in forms:
                    forms.append(variant)
        if forms:
            out.append(forms)
    return out


def _match(lexicon: Lexicon, words: list[list[str]]) -> list[Hit]:
    """Lexicon hits over every reading of every word; phrases over the first readings
    and over the read-back ones."""
    found: dict[str, float] = {}
    readings = [[w[0] for w in words], [w[1] if len(w) > 1 else w[0] for w in words]]
    for seq in readings:
        for hit in lexicon.match(seq):
            found[hit.term] = max(found.get(hit.term, 0.0), hit.weight)
    for forms in words:
        for form in forms[2:]:
            for hit in lexicon.match([form]):
                found[hit.term] = max(found.get(hit.term, 0.0), hit.weight)
    return sorted((Hit(t, w) for t, w in found.items()), key=lambda h: (-h.weight, h.term))


@lru_cache(maxsize=1)
def _combination_res() -> dict[str, list[tuple[str, float, re.Pattern[str], re.Pattern[str]]]]:
    def alternation(stems: str) -> re.Pattern[str]:
        words = (s.replace("_", " ").casefold() for s in stems.split())
        ordered = sorted(words, key=len, reverse=True)
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in ordered) + r")\w*")

    return {
        name: [(label, w, alternation(a), alternation(b)) for label, w, a, b in rules]
        for name, rules in COMBINATIONS.items()
    }


# Both kinds of word must be this close (characters between them): "I hope you enjoy
# this" and "a shot of our latte" three sentences apart are no threat.
NEAR = 60


def _near(first: re.Pattern[str], second: re.Pattern[str], text: str) -> tuple[str, str] | None:
    for a in first.finditer(text):
        for b in second.finditer(text):
            if a.start() != b.start() and abs(a.start() - b.start()) <= NEAR:
                return (
                    (a.group(0), b.group(0)) if a.start() < b.start() else (b.group(0), a.group(0))
                )
    return None


_SENTENCE_END = re.compile(r"[.!;:\n]+(?:\s|$)")


def _combinations(text: str) -> dict[str, list[Hit]]:
    """Hits of ``COMBINATIONS``: both kinds of word close together in one sentence."""
    found: dict[str, list[Hit]] = {}
    for sentence in _SENTENCE_END.split(text):
        words = read_tokens(sentence)
        if len(words) < 2:
            continue
        texts = (
            " ".join(w[0] for w in words),
            " ".join(w[1] if len(w) > 1 else w[0] for w in words),
        )
        for name, rules in _combination_res().items():
            for _label, weight, first, second in rules:
                pair = next((m for s in texts if (m := _near(first, second, s))), None)
                if pair and all(h.term != " … ".join(pair) for h in found.get(name, [])):
                    found.setdefault(name, []).append(Hit(" … ".join(pair), weight))
    return found


@dataclass(frozen=True)
class LineConfig:
    """How lexicon evidence and the models combine; thresholds tuned on the crisis set's
    dev half (``bench/crisis``), never on its held-out half."""

    sexual_flag: float = 0.5
    gore_flag: float = 0.5
    threat_flag: float = 0.5
    slur_flag: float = 0.6
    profanity_flag: float = PROFANITY_FLAG
    hate_flag: float = 0.6
    # The hate model alone: conservative (HatEval shifts between its splits).
    hate_model_flag: float = 0.8


def line_categories(
    text: str, p_offensive: float, p_hate: float, config: LineConfig | None = None
) -> dict[str, LineScore]:
    """The six categories of the delete line for one text. ``p_offensive`` and
    ``p_hate`` are the trained models' probabilities for it."""
    cfg = config or LineConfig()
    words = read_tokens(text)
    lex = _lexicons()
    hits = {name: _match(lexicon, words) for name, lexicon in lex.items()}
    for name, extra in _combinations(text).items():
        hits[name] = sorted(hits[name] + extra, key=lambda h: (-h.weight, h.term))
    out: dict[str, LineScore] = {}
    # Sexual and threat words also appear in reporting and jokes: the offensive
    # model's view of the whole text lifts or lowers them, never below half.
    for name, flag in (("sexual", cfg.sexual_flag), ("threat", cfg.threat_flag)):
        h = hits[name]
        score = noisy_or(h) * (0.6 + 0.4 * p_offensive) if h else 0.0
        out[name] = LineScore(round(score, 4), score >= flag, _terms(h))
    gore = hits["gore"]
    gore_score = noisy_or(gore) * (0.7 + 0.3 * p_offensive) if gore else 0.0
    out["gore"] = LineScore(round(gore_score, 4), gore_score >= cfg.gore_flag, _terms(gore))
    slur = hits["slur"]
    slur_score = noisy_or(slur)
    out["slur"] = LineScore(round(slur_score, 4), slur_score >= cfg.slur_flag, _terms(slur))
    prof = [h for h in hits["profanity"] if h.weight >= 0.5]
    strongest = max((h.weight for h in prof), default=0.0)
    out["profanity"] = LineScore(round(strongest, 4), strongest >= cfg.profanity_flag, _terms(prof))
    hate = hits["hate"]
    lexical = noisy_or(hate)
    hate_score = max(lexical, p_hate if p_hate >= cfg.hate_model_flag else p_hate * 0.75)
    if slur_score >= cfg.slur_flag:
        hate_score = max(hate_score, 0.5 + 0.5 * slur_score * p_hate)
    out["hate"] = LineScore(
        round(hate_score, 4),
        lexical >= cfg.hate_flag or p_hate >= cfg.hate_model_flag,
        _terms(hate),
    )
    return out


def _terms(hits: Sequence[Hit]) -> tuple[str, ...]:
    return tuple(h.term for h in hits[:5])
