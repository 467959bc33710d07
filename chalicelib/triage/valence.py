"""Rule-based sentiment valence: a typed port of VADER with a small German companion.

VADER (Hutto & Gilbert, ICWSM 2014; MIT licence, see ``model/VADER_LICENSE.txt``)
scores a text from a hand-rated lexicon plus rules for boosters, negation,
ALL-CAPS emphasis, "but" and punctuation. Its lexicon and emoji table are
copied into ``model/``. The port follows ``vaderSentiment`` 3.3.2 rule for rule
(checked against it in ``bench/triage/train.py``) so its outputs can feed the
trained sentiment head. The German lexicon is our own, small and curated.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass
from pathlib import Path


def _words(spec: str) -> list[str]:
    """Whitespace-separated words of a word-list literal."""
    return spec.split()


B_INCR = 0.293
B_DECR = -0.293
C_INCR = 0.733
N_SCALAR = -0.74

NEGATE = frozenset(
    _words("""aint arent cannot cant couldnt darent didnt doesnt ain't aren't can't couldn't daren't
    didn't doesn't dont hadnt hasnt havent isnt mightnt mustnt neither don't hadn't hasn't
    haven't isn't mightn't mustn't neednt needn't never none nope nor not nothing nowhere
    oughtnt shant shouldnt uhuh wasnt werent oughtn't shan't shouldn't uh-uh wasn't weren't
    without wont wouldnt won't wouldn't rarely seldom despite""")
)

_INC = """absolutely amazingly awfully completely considerable considerably decidedly deeply
effing enormous enormously entirely especially exceptional exceptionally extreme extremely
fabulously flipping flippin frackin fracking fricking frickin frigging friggin fully fuckin
fucking fuggin fugging greatly hella highly hugely incredible incredibly intensely major
majorly more most particularly purely quite really remarkably so substantially thoroughly
total totally tremendous tremendously uber unbelievably unusually utter utterly very"""
_DEC = """almost barely hardly kinda kindof kind-of less little marginal marginally occasional
occasionally partly scarce scarcely slight slightly somewhat sorta sortof sort-of"""
BOOSTERS: dict[str, float] = {w: B_INCR for w in _INC.split()}
BOOSTERS.update({w: B_DECR for w in _DEC.split()})
BOOSTERS.update({"just enough": B_DECR, "kind of": B_DECR, "sort of": B_DECR})

SPECIAL_CASES = {
    "the shit": 3.0,
    "the bomb": 3.0,
    "bad ass": 1.5,
    "badass": 1.5,
    "bus stop": 0.0,
    "yeah right": -2.0,
    "kiss of death": -1.5,
    "to die for": 3.0,
    "beating heart": 3.5,
}

# German: negators and boosters for the same rules, and a curated valence list
# (VADER's -4..+4 scale) of common evaluative tweet words. Ours, not VADER's.
NEGATE_DE = frozenset(_words("nicht kein keine keinen keinem keiner nie niemals nichts ohne weder"))
BOOSTERS_DE: dict[str, float] = {
    w: B_INCR
    for w in _words("""sehr total extrem echt wirklich absolut völlig voll mega super richtig
    unglaublich besonders äußerst höchst ziemlich so""")
}
BOOSTERS_DE.update({w: B_DECR for w in _words("etwas kaum bisschen wenig leicht fast")})
_DE_LEXICON = """
gut 1.9 super 2.9 toll 2.8 klasse 2.6 prima 2.4 schön 2.2 wunderbar 3.0 wundervoll 3.0
großartig 3.1 genial 3.0 hervorragend 3.0 perfekt 2.9 geil 2.2 cool 1.3 lieb 1.9 liebe 2.8
lieben 2.8 liebt 2.8 danke 1.9 dank 1.6 freue 2.2 freude 2.6 freuen 2.2 glücklich 2.8
glück 2.4 spaß 2.3 lustig 1.9 herzlich 2.1 gratulation 2.3 glückwunsch 2.4 glückwünsche 2.4
bravo 2.4 richtig 1.0 stark 1.4 beste 2.6 besten 2.4 bester 2.6 erfolg 2.2 erfolgreich 2.2
hoffnung 1.7 hoffe 1.2 gerne 1.5 gern 1.5 willkommen 1.9 fantastisch 3.0 traumhaft 2.8
angenehm 1.8 zufrieden 1.8 begeistert 2.7 empfehlen 1.6 lecker 2.2 freundlich 2.0
hilfreich 1.8 sicher 1.0 frieden 1.9 gewonnen 2.3 gewinnen 2.0 lachen 1.8 bewundern 2.1
schlecht -2.5 schlimm -2.6 furchtbar -3.0 schrecklich -3.0 katastrophe -3.1 katastrophal -3.1
mies -2.3 übel -2.2 traurig -2.1 leider -1.2 ärgerlich -2.0 ärger -2.0 wütend -2.6 wut -2.7
hass -3.2 hassen -3.1 hasse -3.1 dumm -2.3 dämlich -2.5 blöd -2.2 bescheuert -2.6 doof -1.9
idiot -2.6 idioten -2.6 peinlich -2.0 lächerlich -2.1 lüge -2.4 lügen -2.3 lügner -2.7
versagt -2.3 versagen -2.3 versager -2.8 enttäuscht -2.2 enttäuschend -2.2 enttäuschung -2.3
angst -2.2 sorge -1.4 sorgen -1.4 problem -1.4 probleme -1.5 krise -2.0 gefahr -2.0
gefährlich -2.1 tot -2.6 tod -2.5 krieg -2.9 gewalt -2.9 terror -3.1 mord -3.3 verbrechen -2.6
kriminell -2.5 korrupt -2.5 skandal -2.4 schande -2.6 widerlich -3.0 ekelhaft -3.0 eklig -2.6
scheiße -2.6 scheiss -2.6 scheiß -2.6 kacke -2.2 mist -1.8 nervig -1.8 nervt -1.9
langweilig -1.7 falsch -1.5 fehler -1.5 unfair -2.1 ungerecht -2.1 unverschämt -2.4
frech -1.4 arrogant -2.0 zerstört -2.4 zerstören -2.4 verloren -1.9 verlieren -1.7
schwach -1.7 krank -1.8 schade -1.6 unsinn -2.0 quatsch -1.6 sinnlos -1.9 kaputt -2.0
"""
# VADER words that are different, everyday words in German.
_DE_HOMOGRAPHS = frozenset(
    _words("""die war kinder kind hand fallen l lied hell fad gift bad bald arm rot grosses grosser
    ruder argument handy brief chef rat boot art fast will not also hat mist""")
)
LEXICON_DE: dict[str, float] = {}
_parts = _DE_LEXICON.split()
for _i in range(0, len(_parts), 2):
    LEXICON_DE[_parts[_i]] = float(_parts[_i + 1])


@dataclass(frozen=True)
class Valence:
    """VADER's four outputs plus the lexicon words that carried the most weight."""

    neg: float
    neu: float
    pos: float
    compound: float
    words: tuple[tuple[str, float], ...] = ()


def _load_tsv(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[0]:
                out[parts[0]] = parts[1]
    return out


def _strip_punc_if_word(token: str) -> str:
    stripped = token.strip(string.punctuation)
    return token if len(stripped) <= 2 else stripped


def _normalize(score: float, alpha: float = 15.0) -> float:
    return max(-1.0, min(1.0, score / math.sqrt(score * score + alpha)))


class ValenceScorer:
    """VADER rules over a lexicon; ``german=True`` swaps in the German word lists."""

    def __init__(self, lexicon: dict[str, float], emojis: dict[str, str], german: bool = False):
        self.lexicon = lexicon
        self.emojis = emojis
        self.negate = NEGATE | NEGATE_DE if german else NEGATE
        self.boosters = {**BOOSTERS, **BOOSTERS_DE} if german else BOOSTERS

    @classmethod
    def load(cls, model_dir: Path) -> tuple[ValenceScorer, ValenceScorer]:
        """The English (VADER) scorer and the German one, sharing the emoji table."""
        lex = {k: float(v) for k, v in _load_tsv(model_dir / "vader_lexicon.tsv").items()}
        emojis = _load_tsv(model_dir / "vader_emoji.tsv")
        # German text still carries English words and emoticons, so the German
        # scorer keeps VADER's entries except German homographs ("die", "war",
        # "gift" = poison); German entries win over English ones.
        de = {k: v for k, v in lex.items() if k not in _DE_HOMOGRAPHS}
        return cls(lex, emojis), cls({**de, **LEXICON_DE}, emojis, german=True)

    def _negated(self, word: str) -> bool:
        return word in self.negate or "n't" in word

    def _scalar(self, word: str, valence: float, cap_diff: bool) -> float:
        scalar = self.boosters.get(word.lower(), 0.0)
        if scalar:
            if valence < 0:
                scalar = -scalar
            if word.isupper() and cap_diff:
                scalar += C_INCR if valence > 0 else -C_INCR
        return scalar

    def score(self, text: str) -> Valence:
        if not self.emojis.keys().isdisjoint(text):
            pieces: list[str] = []
            prev_space = True
            for ch in text:
                desc = self.emojis.get(ch)
                if desc is not None:
                    if not prev_space:
                        pieces.append(" ")
                    pieces.append(desc)
                    prev_space = False
                else:
                    pieces.append(ch)
                    prev_space = ch == " "
            text = "".join(pieces)
        text = text.strip()
        words = [_strip_punc_if_word(w) for w in text.split()]
        lower = [w.lower() for w in words]
        n_upper = sum(1 for w in words if w.isupper())
        cap_diff = 0 < len(words) - n_upper < len(words)
        sentiments: list[float] = []
        for i, item in enumerate(lower):
            if item in self.boosters or (
                item == "kind" and i < len(lower) - 1 and lower[i + 1] == "of"
            ):
                sentiments.append(0.0)
                continue
            sentiments.append(self._valence(words, lower, i, cap_diff))
        sentiments = self._but_check(lower, sentiments)
        hits = sorted(
            ((lower[i], s) for i, s in enumerate(sentiments) if s != 0.0),
            key=lambda ws: -abs(ws[1]),
        )[:5]
        return self._score_valence(sentiments, text, tuple(hits))

    def _valence(self, words: list[str], lower: list[str], i: int, cap_diff: bool) -> float:
        lex = self.lexicon
        item = lower[i]
        if item not in lex:
            return 0.0
        valence = lex[item]
        n = len(lower)
        if item == "no" and i != n - 1 and lower[i + 1] in lex:
            valence = 0.0
        if (
            (i > 0 and lower[i - 1] == "no")
            or (i > 1 and lower[i - 2] == "no")
            or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor"))
        ):
            valence = lex[item] * N_SCALAR
        if words[i].isupper() and cap_diff:
            valence += C_INCR if valence > 0 else -C_INCR
        for start_i in range(3):
            if i > start_i and lower[i - (start_i + 1)] not in lex:
                s = self._scalar(words[i - (start_i + 1)], valence, cap_diff)
                if start_i == 1 and s != 0:
                    s *= 0.95
                if start_i == 2 and s != 0:
                    s *= 0.9
                valence += s
                valence = self._negation_check(valence, lower, start_i, i)
                if start_i == 2:
                    valence = self._special_idioms(valence, lower, i)
        return self._least_check(valence, lower, i)

    def _negation_check(self, valence: float, lower: list[str], start_i: int, i: int) -> float:
        if start_i == 0:
            if self._negated(lower[i - 1]):
                valence *= N_SCALAR
        elif start_i == 1:
            if lower[i - 2] == "never" and lower[i - 1] in ("so", "this"):
                valence *= 1.25
            elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
                pass
            elif self._negated(lower[i - 2]):
                valence *= N_SCALAR
        else:
            if (lower[i - 3] == "never" and lower[i - 2] in ("so", "this")) or lower[i - 1] in (
                "so",
                "this",
            ):
                valence *= 1.25
            elif lower[i - 3] == "without" and "doubt" in (lower[i - 2], lower[i - 1]):
                pass
            elif self._negated(lower[i - 3]):
                valence *= N_SCALAR
        return valence

    def _special_idioms(self, valence: float, lower: list[str], i: int) -> float:
        # Negative indices wrap around exactly as in VADER (it indexes i-3 with i == 2).
        onezero = f"{lower[i - 1]} {lower[i]}"
        twoonezero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
        twoone = f"{lower[i - 2]} {lower[i - 1]}"
        threetwoone = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
        threetwo = f"{lower[i - 3]} {lower[i - 2]}"
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in SPECIAL_CASES:
                valence = SPECIAL_CASES[seq]
                break
        if len(lower) - 1 > i:
            zeroone = f"{lower[i]} {lower[i + 1]}"
            if zeroone in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroone]
        if len(lower) - 1 > i + 1:
            zeroonetwo = f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"
            if zeroonetwo in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroonetwo]
        for ngram in (threetwoone, threetwo, twoone):
            if ngram in self.boosters:
                valence += self.boosters[ngram]
        return valence

    def _least_check(self, valence: float, lower: list[str], i: int) -> float:
        lex = self.lexicon
        if i > 1 and lower[i - 1] not in lex and lower[i - 1] == "least":
            if lower[i - 2] not in ("at", "very"):
                valence *= N_SCALAR
        elif i > 0 and lower[i - 1] not in lex and lower[i - 1] == "least":
            valence *= N_SCALAR
        return valence

    @staticmethod
    def _but_check(lower: list[str], sentiments: list[float]) -> list[float]:
        if "but" not in lower:
            return sentiments
        bi = lower.index("but")
        # VADER looks each value up with list.index(), so equal values all take
        # the position of their first occurrence; reproduce that quirk exactly.
        out = list(sentiments)
        for sentiment in sentiments:
            si = out.index(sentiment)
            if si < bi:
                out[si] = sentiment * 0.5
            elif si > bi:
                out[si] = sentiment * 1.5
        return out

    @staticmethod
    def _score_valence(
        sentiments: list[float], text: str, hits: tuple[tuple[str, float], ...]
    ) -> Valence:
        if not sentiments:
            return Valence(0.0, 0.0, 0.0, 0.0, hits)
        sum_s = float(sum(sentiments))
        ep = min(text.count("!"), 4) * 0.292
        qm_count = text.count("?")
        qm = (qm_count * 0.18 if qm_count <= 3 else 0.96) if qm_count > 1 else 0.0
        amp = ep + qm
        if sum_s > 0:
            sum_s += amp
        elif sum_s < 0:
            sum_s -= amp
        compound = _normalize(sum_s)
        pos_sum = sum(s + 1 for s in sentiments if s > 0)
        neg_sum = sum(s - 1 for s in sentiments if s < 0)
        neu_count = sum(1 for s in sentiments if s == 0)
        if pos_sum > abs(neg_sum):
            pos_sum += amp
        elif pos_sum < abs(neg_sum):
            neg_sum -= amp
        total = pos_sum + abs(neg_sum) + neu_count
        return Valence(
            neg=round(abs(neg_sum / total), 3),
            neu=round(abs(neu_count / total), 3),
            pos=round(abs(pos_sum / total), 3),
            compound=round(compound, 4),
            words=hits,
        )
