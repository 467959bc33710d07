"""A small, fast language identifier for short posts: script ranges plus stopword votes.

Firebreak only needs to route a post to the English or German model and to notice
a post in a language the account does not write in, so this favours speed and
robustness on tweets (handles, hashtags, URLs, emoji) over coverage. Non-Latin
scripts are told apart by Unicode ranges; Latin-script languages by how many
of their most frequent function words a text uses, with German umlauts/ß as a
tie-breaker. ``und`` (ISO 639-2 "undetermined") when there is nothing to go on.
"""

from __future__ import annotations

import re


def _words(spec: str) -> list[str]:
    """Whitespace-separated words of a word-list literal."""
    return spec.split()


_STRIP = re.compile(r"(?:https?://|www\.)\S+|[@#]\w+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

# Function words that are frequent in one language and rare as words in the
# others. Words shared by two languages are left out on purpose ("die" is
# German and English; "de" is French, Spanish, Dutch and Portuguese).
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        _words("""the and is are was were to of you your i i'm it it's that this with for not
        have has had be been they them their what who why how when there here just can
        will would should could don't doesn't didn't can't we our my me he she his her
        him from at by about all if or but so no yes do does did an as than then out up
        get got like now more some any because very really only also one being im dont
        people know think want need go going""")
    ),
    "de": frozenset(
        _words("""der das und ist nicht ich du sie es wir ihr ein eine einen einem einer den dem
        des mit von zu auf für im ist sind waren hat haben habe hab bin geht gehts wohl sagt
        gerade wieder heute wo wird werden kann können
        auch noch nur schon doch mal wie was wer warum wenn dass daß aber oder sich sein
        seine ihre ihren bei nach aus über vor gegen ohne um unter zum zur vom beim hier
        jetzt immer nie kein keine keinen mehr sehr gibt so dann denn weil diese dieser
        dieses man mich mir dich dir uns euch ja nein nichts alle alles ab bis die""")
    ),
    "fr": frozenset(
        _words("""le la les et est une un des du dans pour pas que qui sur avec ce cette il elle
        nous vous ils elles je tu au aux mais ou où sont été être avoir fait plus très
        bien tout tous c'est j'ai mon ma mes ton ta son sa leur""")
    ),
    "es": frozenset(
        _words("""el la los las es en que un una por con para del al lo se no más pero como
        muy este esta estos son fue ser hay yo tú él ella nosotros ellos su sus mi mis
        porque cuando también todo todos está están""")
    ),
    "it": frozenset(
        _words("""il lo la gli le è di che un una per con non sono del della dei delle al alla
        nel nella questo questa ma anche come più molto io tu lui lei noi voi loro ci si
        ho hai ha abbiamo perché quando tutto""")
    ),
    "pt": frozenset(
        _words("""os as é um uma que não com para por do da dos das no na nos nas em se
        mas como mais muito eu você ele ela nós eles seu sua são foi ser está estão
        também porque quando tudo isso""")
    ),
    "nl": frozenset(
        _words("""de het een en is van ik je dat niet op te zijn met voor er maar ook als bij
        nog wel wat dit die hij zij wij jullie ze ons mijn geen naar om uit dan heb
        heeft hebben worden wordt was waren""")
    ),
    "tr": frozenset(
        _words("""ve bir bu da de ile için ama çok ne ben sen o biz siz onlar değil var yok
        gibi daha en şey mi mı mu mü""")
    ),
}
_GERMAN_CHARS = frozenset("äöüß")
# Each function word's languages: one dict lookup per word instead of one per language.
_LANGS_OF: dict[str, tuple[str, ...]] = {
    word: tuple(lang for lang, stop in STOPWORDS.items() if word in stop)
    for word in frozenset().union(*STOPWORDS.values())
}

# (first code point, last code point, language) for scripts used by one main language.
_SCRIPTS: tuple[tuple[int, int, str], ...] = (
    (0x0370, 0x03FF, "el"),
    (0x0400, 0x04FF, "ru"),
    (0x0590, 0x05FF, "he"),
    (0x0600, 0x06FF, "ar"),
    (0x0900, 0x097F, "hi"),
    (0x0E00, 0x0E7F, "th"),
    (0x3040, 0x30FF, "ja"),
    (0xAC00, 0xD7AF, "ko"),
    (0x4E00, 0x9FFF, "zh"),
)


# Characters outside Latin (and its extensions up to U+024F), and Latin letters.
_NON_LATIN = re.compile(r"[^\u0000-\u024f]")
_LATIN_LETTER = re.compile(r"[a-zA-Z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")


def _script_language(text: str) -> str | None:
    """The language of a non-Latin script that dominates the letters, if any."""
    # Most texts are Latin with at most a few emoji: the regex finds that in C.
    others = _NON_LATIN.findall(text)
    if not others:
        return None
    counts: dict[str, int] = {}
    for ch in others:
        cp = ord(ch)
        for lo, hi, lang in _SCRIPTS:
            if lo <= cp <= hi:
                counts[lang] = counts.get(lang, 0) + 1
                break
    if not counts:
        return None
    # Kana anywhere means Japanese even when Kanji (shared with Chinese) outnumber it.
    if "ja" in counts and "zh" in counts:
        counts["ja"] += counts.pop("zh")
    lang, n = max(counts.items(), key=lambda kv: kv[1])
    return lang if n >= len(_LATIN_LETTER.findall(text)) else None


def detect(text: str) -> str:
    """ISO 639-1 code of the text's language, or ``und`` when undetermined."""
    script = _script_language(text)
    if script is not None:
        return script
    words = _WORD.findall(_STRIP.sub(" ", text).lower())
    if not words:
        return "und"
    votes = dict.fromkeys(STOPWORDS, 0.0)
    for word in words:
        for lang in _LANGS_OF.get(word, ()):
            votes[lang] += 1.0
        if not word.isascii() and _GERMAN_CHARS.intersection(word):
            votes["de"] += 0.5
    lang, best = max(votes.items(), key=lambda kv: kv[1])
    if best == 0.0:
        # No function word at all (a slogan, a name, a hashtag list): Latin script
        # without German letters is far more often English on this kind of account.
        return "de" if any(_GERMAN_CHARS.intersection(w) for w in words) else "en"
    # A tie between English and another language goes to English, the common case.
    if votes["en"] == best:
        return "en"
    return lang
