"""Curated English and German lexicons for what no labelled data here covers.

There is no labelled data set among ours for explicit sexual content or graphic
violence, and slurs are too rare in the data for a model to be trusted on them.
So these categories are hand-built word lists with weights, written for this
project (no third-party list copied): the weight is our judgement of how likely
a post using the term is R-rated in that category, read on its own. The scorer
combines the lexicon evidence with the offensive model's probability; the
lists are documented as such in ``model/README.md`` and unit-tested on clear
examples.

Entry syntax: ``term weight``; a trailing ``*`` matches any word that starts
with the stem (German compounds: "Drecks*"); a phrase is several words joined by
``_`` and matches consecutive tokens.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

SEXUAL = """
porn 0.9 porno 0.9 pornos 0.9 pornography 0.85 pornhub 0.95 xxx 0.75 nsfw 0.6 hentai 0.85
nude 0.6 nudes 0.75 send_nudes 0.95 naked 0.45 blowjob* 0.95 handjob* 0.95 cumshot* 0.95
cum 0.7 cumming 0.8 cock 0.55 cocks 0.6 cocksucker 0.8 dick 0.45 dicks 0.5 suck_my_dick 0.9
suck_my 0.6 pussy 0.6 pussies 0.55 tits 0.75 titties 0.8 boobs 0.6 orgasm* 0.8 masturbat* 0.85
jerk_off 0.85 jerking_off 0.85 jack_off 0.85 horny 0.6 anal 0.6 dildo* 0.9 vibrator 0.5
erection 0.7 boner 0.6 milf 0.85 deepthroat* 0.95 gangbang* 0.95 threesome 0.6 creampie 0.95
cunnilingus 0.9 fellatio 0.9 sex_tape 0.8 sexting 0.7 onlyfans 0.6 camgirl 0.8 stripper 0.45
hooker 0.45 slut 0.55 sluts 0.6 whore 0.45 ejaculat* 0.85 penis 0.5 vagina 0.5 clit 0.85
clitoris 0.7 have_sex 0.55 had_sex 0.55 sex 0.3 sexy 0.25 fuck_me 0.6 fucked_her 0.7
ride_my 0.6 sit_on_my_face 0.95 69 0.1 bdsm 0.8 fetish 0.5 orgy 0.85 rimjob 0.95 butt_plug 0.9
ficken 0.8 fick 0.55 fickt 0.6 gefickt 0.7 einen_blasen 0.9 blasen 0.35 schwanz 0.45 titten 0.8
möpse 0.5 muschi 0.6 fotze 0.6 nackt 0.45 nacktbild* 0.85 nacktfoto* 0.85 sexvideo* 0.85
sexbild* 0.8 geil 0.2 wichsen 0.85 wichst 0.8 orgasmus 0.8 nutte 0.55 nutten 0.55 hure 0.4
schlampe 0.45 bumsen 0.8 bumst 0.75 vögeln 0.6 sperma 0.85 erektion 0.7 arschfick* 0.95
pimmel 0.7 ständer 0.3 porn* 0.85 pornografie 0.8 dreier 0.4 stripperin 0.45
"""

VIOLENCE = """
gore 0.45 gory 0.65 behead* 0.85 decapitat* 0.9 dismember* 0.9 mutilat* 0.85 disembowel* 0.95
blood_everywhere 0.8 bloodbath 0.6 massacre 0.5 massacred 0.6 slaughter 0.5 slaughtered 0.6
brains_out 0.85 blew_his_brains 0.9 torture 0.45 tortured 0.55 stabbing 0.45 stabbed 0.5
corpse 0.35 corpses 0.45 dead_body 0.35 rape 0.45 raped 0.5 lynch 0.7 lynching 0.7 lynched 0.7
burn_alive 0.85 burned_alive 0.85 burnt_alive 0.85 kill_you 0.8 kill_them 0.8 kill_all 0.85
kill_him 0.75 kill_her 0.75 i_will_kill 0.85 gonna_kill 0.75 shoot_them 0.8 shoot_you 0.8
should_be_shot 0.85 be_shot 0.5 should_be_hanged 0.9 should_hang 0.8 hang_them 0.85
deserve_to_die 0.8 deserves_to_die 0.8 go_die 0.7 kill_yourself 0.85 kys 0.7 slit_your_throat 0.95
slit_throat 0.9 throat_slit 0.9 beat_the_shit_out 0.75 punch_you 0.55 bomb_them 0.8 gas_them 0.95
string_them_up 0.85 put_a_bullet 0.9 bullet_in_your 0.9 line_them_up 0.75 execute_them 0.85
should_be_executed 0.85 die_in_a_fire 0.8 shot_dead 0.4 entrails 0.8 severed_head 0.95
enthauptet 0.85 enthauptung 0.8 geköpft 0.8 köpfen 0.6 zerstückelt 0.9 verstümmelt 0.85
verstümmelung 0.75 blutbad 0.6 massaker 0.5 gemetzel 0.6 abschlachten 0.85 abgeschlachtet 0.75
umbringen 0.65 bring_dich_um 0.9 bringe_dich_um 0.9 bring_euch_um 0.9 abknallen 0.85
abgeknallt 0.75 erschießen 0.6 erschossen 0.35 aufhängen 0.45 an_die_wand_stellen 0.9
an_die_wand_gestellt 0.85 vergasen 0.95 vergast 0.8 totschlagen 0.85 totgeschlagen 0.75
totprügeln 0.9 abstechen 0.85 abgestochen 0.65 hinrichten 0.7 hingerichtet 0.55 töten 0.5
tötet 0.5 getötet 0.35 vergewaltigt 0.6 vergewaltigung 0.5 vergewaltiger 0.55 folter 0.45
gefoltert 0.6 leiche 0.35 leichen 0.4 krepieren 0.7 krepiert 0.6 verrecken 0.75 verreckt 0.7
abmurksen 0.85 kopf_abschlagen 0.95 aufknüpfen 0.85 aufgeknüpft 0.8 lynchen 0.8 ausrotten 0.75
"""

# Strong profanity and slurs: the "slurs or strong profanity" of Firebreak's line.
# Slurs carry ``hate`` evidence too (see SLURS below).
SEVERE = """
fuck 0.9 fucking 0.9 fucked 0.9 fucker 0.95 fuckin 0.9 fucks 0.9 motherfucker* 0.95 fuk 0.8
fck 0.8 fcking 0.8 wtf 0.6 stfu 0.85 shit 0.6 shitty 0.6 bullshit 0.65 shithole 0.75
cunt* 0.95 bitch 0.85 bitches 0.85 bastard 0.65 asshole* 0.9 arsehole 0.9 dickhead 0.9 twat 0.9
wanker 0.9 piece_of_shit 0.95 son_of_a_bitch 0.95 cocksucker 0.95 whore 0.8 slut 0.8
nigger* 0.99 nigga* 0.85 faggot* 0.99 fag 0.95 fags 0.95 retard 0.9 retards 0.9 retarded 0.85
spic 0.95 spics 0.95 chink 0.95 chinks 0.95 kike 0.99 kikes 0.99 wetback* 0.97 tranny 0.9
trannies 0.9 dyke 0.8 coon 0.7 coons 0.8 raghead* 0.97 towelhead* 0.97 paki 0.9 pakis 0.9
beaner* 0.95 gook 0.95 sandnigger* 0.99
arschloch 0.95 arschlöcher 0.95 fotze 0.95 hurensohn 0.97 hurensöhne 0.97 wichser 0.9
scheiße 0.6 scheisse 0.6 scheiß* 0.6 scheiss* 0.6 fick_dich 0.95 verpiss_dich 0.9
missgeburt* 0.95 spast 0.9 spasti 0.9 spacko 0.85 behindert 0.5 kanake* 0.97 neger 0.97
zigeuner 0.6 schwuchtel* 0.97 judensau 0.99 untermensch* 0.97 drecks* 0.8 dreckig 0.4
pisser 0.85 penner 0.6 fresse 0.7 halt_die_fresse 0.9 scheißkerl 0.9 bimbo 0.6 bimbos 0.6
"""

# The subset of SEVERE that are slurs against a group: evidence of hate speech.
SLURS = """
nigger* 0.9 faggot* 0.85 fag 0.7 fags 0.75 spic 0.85 spics 0.85 chink 0.85 chinks 0.85
kike 0.95 kikes 0.95 wetback* 0.9 tranny 0.7 trannies 0.75 raghead* 0.9 towelhead* 0.9
paki 0.8 pakis 0.85 beaner* 0.85 gook 0.85 sandnigger* 0.95 kanake* 0.9 neger 0.85
schwuchtel* 0.85 judensau 0.95 untermensch* 0.9
"""

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    """One lexicon term found in a text, with the weight the lexicon gives it."""

    term: str
    weight: float


class Lexicon:
    """Matches exact words, ``stem*`` prefixes and multi-word phrases against tokens."""

    def __init__(self, spec: str) -> None:
        self.words: dict[str, float] = {}
        # Phrases indexed by their first word, so most tokens cost one dict miss.
        self.phrases: dict[str, list[tuple[tuple[str, ...], float]]] = {}
        stems: dict[str, float] = {}
        parts = spec.split()
        for i in range(0, len(parts), 2):
            term, weight = parts[i], float(parts[i + 1])
            if "_" in term:
                words = tuple(term.split("_"))
                self.phrases.setdefault(words[0], []).append((words, weight))
            elif term.endswith("*"):
                stems[term[:-1]] = weight
            else:
                self.words[term] = weight
        self.stems = stems

    @cached_property
    def _alone(self) -> LexiconSet:
        return LexiconSet({"": self})

    def match(self, tokens: Sequence[str]) -> list[Hit]:
        """Terms found in lower-cased tokens, strongest first, each term once: an exact
        word, else the longest ``stem*`` it starts with ("sandnigger*" over "nigger*")."""
        return self._alone.hits(tokens).get("", [])


class LexiconSet:
    """Several lexicons matched in one pass over the tokens, each with ``Lexicon``'s own
    semantics (exact words, the longest ``stem*`` of that lexicon, phrases): one dict
    lookup per token and prefix instead of one pass per lexicon."""

    def __init__(self, lexicons: dict[str, Lexicon]) -> None:
        self.words: dict[str, list[tuple[str, float]]] = {}
        self.stems: dict[str, list[tuple[str, float]]] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], str, float]]] = {}
        for name, lex in lexicons.items():
            for word, weight in lex.words.items():
                self.words.setdefault(word, []).append((name, weight))
            for stem, weight in lex.stems.items():
                self.stems.setdefault(stem, []).append((name, weight))
            for first, phrases in lex.phrases.items():
                for words, weight in phrases:
                    self.phrases.setdefault(first, []).append((words, name, weight))
        self.longest_stem = max((len(s) for s in self.stems), default=0)
        self._seen: dict[str, tuple[tuple[str, float], ...]] = {}

    def word_hits(self, tok: str) -> tuple[tuple[str, float], ...]:
        """(lexicon, weight) for one word: its exact entries, and the longest ``stem*`` of
        each lexicon it has no exact entry in. Cached, bounded: a stream's words repeat."""
        known = self._seen.get(tok)
        if known is not None:
            return known
        exact = self.words.get(tok, ())
        hits = list(exact)
        matched = {name for name, _ in exact}
        for end in range(min(len(tok), self.longest_stem), 0, -1):
            for name, weight in self.stems.get(tok[:end], ()):
                if name not in matched:
                    matched.add(name)
                    hits.append((name, weight))
        known = tuple(hits)
        if len(self._seen) >= 100_000:  # bounded: a stream's vocabulary is open-ended
            self._seen.clear()
        self._seen[tok] = known
        return known

    def match(self, tokens: Sequence[str], found: dict[str, dict[str, float]]) -> None:
        """Add each lexicon's hits in ``tokens`` to ``found`` (name -> term -> weight)."""
        for i, tok in enumerate(tokens):
            for name, weight in self.word_hits(tok):
                terms = found.setdefault(name, {})
                terms[tok] = max(terms.get(tok, 0.0), weight)
            for words, name, weight in self.phrases.get(tok, ()):
                if tuple(tokens[i : i + len(words)]) == words:
                    found.setdefault(name, {})[" ".join(words)] = weight

    def hits(self, tokens: Sequence[str]) -> dict[str, list[Hit]]:
        """Each lexicon's hits in ``tokens`` (only lexicons with any), strongest first:
        ``Lexicon.match`` for all of them in one pass."""
        found: dict[str, dict[str, float]] = {}
        self.match(tokens, found)
        return {
            name: sorted((Hit(t, w) for t, w in terms.items()), key=lambda h: (-h.weight, h.term))
            for name, terms in found.items()
        }


def noisy_or(hits: Sequence[Hit]) -> float:
    """Probability that at least one hit is real, treating hits as independent evidence."""
    miss = 1.0
    for hit in hits:
        miss *= 1.0 - hit.weight
    return 1.0 - miss


def lexicon_tokens(text: str) -> list[str]:
    """Lower-cased word tokens as the lexicons expect them (hashtags lose their '#')."""
    return _TOKEN.findall(text.lower().replace("’", "'"))
