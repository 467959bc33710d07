"""Per-network text rules: X's weighted character count and link extraction (P1)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from urllib.parse import urlsplit

X_MAX_WEIGHTED_LENGTH = 280
X_URL_WEIGHT = 23

# twitter-text v3 config (config/v3.json in twitter/twitter-text): these code point ranges
# weigh 1, everything else 2. Its weights are in hundredths (scale 100); all are whole here.
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_DEFAULT_WEIGHT = 2
# emojiParsingEnabled: an emoji sequence (ZWJ family, flag, keycap, skin tone) counts as one
# default-weight character, not as the sum of its code points.
_EMOJI_WEIGHT = _DEFAULT_WEIGHT

# A pragmatic URL matcher: scheme URLs and bare domains with a known-looking TLD.
_URL_RE = re.compile(
    r"(?:https?://[^\s<>\"']+)|(?:\b(?:[a-z0-9-]+\.)+[a-z]{2,24}(?:/[^\s<>\"']*)?)",
    re.IGNORECASE,
)
_TRAILING_PUNCT = ".,;:!?)]}'\""


def _char_weight(ch: str) -> int:
    cp = ord(ch)
    for lo, hi in _LIGHT_RANGES:
        if lo <= cp <= hi:
            return 1
    return _DEFAULT_WEIGHT


def extract_urls(text: str) -> list[str]:
    """Every link in ``text``, in order, trailing punctuation stripped."""
    found = []
    for match in _URL_RE.finditer(text):
        url = match.group(0).rstrip(_TRAILING_PUNCT)
        if "@" in text[max(0, match.start() - 1) : match.start()]:
            continue  # the domain part of an e-mail address or @mention, not a link
        found.append(url)
    return found


def link_domain(url: str) -> str:
    """The lower-cased host of a link, with or without a scheme."""
    if "://" not in url:
        url = "http://" + url
    return (urlsplit(url).hostname or "").lower()


def x_weighted_length(text: str) -> int:
    """Length as X counts it (twitter-text v3): NFC first; most scripts 1, CJK 2, an emoji
    sequence 2, each link 23 (its t.co length)."""
    # X counts the NFC form: "e" + U+0301 is one "é", U+FB2C is three Hebrew code points.
    text = unicodedata.normalize("NFC", text)
    links = dict(_x_link_spans(text))
    emoji = {m.start(): m.end() for m in _emoji_re().finditer(text)}
    total = 0
    i = 0
    # Walk it as twitter-text's parser does: a link wins over an emoji starting at the same
    # place, and whatever either swallows is not counted again.
    while i < len(text):
        if i in links:
            total += X_URL_WEIGHT
            i = links[i]
        elif i in emoji:
            total += _EMOJI_WEIGHT
            i = emoji[i]
        else:
            total += _char_weight(text[i])
            i += 1
    return total


# ---------------------------------------------------------------------------------- emoji
# twitter-text finds emoji with a generated regex listing every RGI sequence of its Unicode
# version; this grammar takes the same shapes from Unicode's own data (Emoji 17.0). Outside a
# sequence a code point weighs what its range says, as upstream: a lone pictograph 2 anyway,
# "©" 1, a stray U+FE0F or skin tone 2.


def _char_class(table: str) -> str:
    """A regex character class body from a table of hex code points and ranges."""
    return "".join("-".join(chr(int(cp, 16)) for cp in item.split("-")) for item in table.split())


@cache
def _emoji_re() -> re.Pattern[str]:
    modifier_base = _char_class(_EMOJI_MODIFIER_BASES)
    # A skin-toned emoji, or one in emoji style: "👍🏽", "❤️".
    styled = rf"[{modifier_base}][\U0001f3fb-\U0001f3ff]|[{_char_class(_EMOJI_STYLE_BASES)}]\ufe0f"

    def zwj_part(bases: str) -> str:
        return rf"(?=[{_char_class(bases)}])(?:{styled}|.)"

    return re.compile(
        # ZWJ sequence: 👨‍👩‍👧‍👦, 🏳️‍🌈, 🧑🏽‍🚀. Unicode's have two to four parts, each from a short
        # list; an ad-hoc one like "🐱‍👤" stays three characters (2 + 1 + 2), as upstream.
        rf"{zwj_part(_ZWJ_FIRST)}(?:\u200d{zwj_part(_ZWJ_FOLLOWING)}){{1,3}}"
        rf"|{styled}"
        r"|[#*0-9]\ufe0f?\u20e3"  # keycap: 1️⃣, and the bare "1⃣" X also counts as 2
        r"|[\U0001f1e6-\U0001f1ff]{2}"  # flag: two regional indicators
        r"|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"  # subdivision flag: 🏴 + tags
    )


# Emoji_Modifier_Base (emoji-data.txt): what a skin tone modifier attaches to.
_EMOJI_MODIFIER_BASES = (
    "261d 26f9 270a-270d 1f385 1f3c2-1f3c4 1f3c7 1f3ca-1f3cc 1f442-1f443 1f446-1f450 1f466-1f478 "
    "1f47c 1f481-1f483 1f485-1f487 1f48f 1f491 1f4aa 1f574-1f575 1f57a 1f590 1f595-1f596 "
    "1f645-1f647 1f64b-1f64f 1f6a3 1f6b4-1f6b6 1f6c0 1f6cc 1f90c 1f90f 1f918-1f91f 1f926 "
    "1f930-1f939 1f93c-1f93e 1f977 1f9b5-1f9b6 1f9b8-1f9b9 1f9bb 1f9cd-1f9cf 1f9d1-1f9dd "
    "1fac3-1fac5 1faf0-1fafa "
)
# What U+FE0F turns into an emoji (emoji-variation-sequences.txt), keycap bases aside.
_EMOJI_STYLE_BASES = (
    "a9 ae 203c 2049 2122 2139 2194-2199 21a9-21aa 231a-231b 2328 23cf 23e9-23f3 23f8-23fa 24c2 "
    "25aa-25ab 25b6 25c0 25fb-25fe 2600-2604 260e 2611 2614-2615 2618 261d 2620 2622-2623 2626 "
    "262a 262e-262f 2638-263a 2640 2642 2648-2653 265f-2660 2663 2665-2666 2668 267b 267e-267f "
    "2692-2697 2699 269b-269c 26a0-26a1 26a7 26aa-26ab 26b0-26b1 26bd-26be 26c4-26c5 26c8 "
    "26ce-26cf 26d1 26d3-26d4 26e9-26ea 26f0-26f5 26f7-26fa 26fd 2702 2705 2708-270d 270f 2712 "
    "2714 2716 271d 2721 2728 2733-2734 2744 2747 274c 274e 2753-2755 2757 2763-2764 2795-2797 "
    "27a1 27b0 27bf 2934-2935 2b05-2b07 2b1b-2b1c 2b50 2b55 3030 303d 3297 3299 1f004 1f170-1f171 "
    "1f17e-1f17f 1f202 1f21a 1f22f 1f237 1f30d-1f30f 1f315 1f31c 1f321 1f324-1f32c 1f336 1f378 "
    "1f37d 1f393 1f396-1f397 1f399-1f39b 1f39e-1f39f 1f3a7 1f3ac-1f3ae 1f3c2 1f3c4 1f3c6 "
    "1f3ca-1f3ce 1f3d4-1f3e0 1f3ed 1f3f3 1f3f5 1f3f7 1f408 1f415 1f41f 1f426 1f43f 1f441-1f442 "
    "1f446-1f449 1f44d-1f44e 1f453 1f46a 1f47d 1f4a3 1f4b0 1f4b3 1f4bb 1f4bf 1f4cb 1f4da 1f4df "
    "1f4e4-1f4e6 1f4ea-1f4ed 1f4f7 1f4f9-1f4fb 1f4fd 1f508 1f50d 1f512-1f513 1f549-1f54a "
    "1f550-1f567 1f56f-1f570 1f573-1f579 1f587 1f58a-1f58d 1f590 1f5a5 1f5a8 1f5b1-1f5b2 1f5bc "
    "1f5c2-1f5c4 1f5d1-1f5d3 1f5dc-1f5de 1f5e1 1f5e3 1f5e8 1f5ef 1f5f3 1f5fa 1f610 1f687 1f68d "
    "1f691 1f694 1f698 1f6ad 1f6b2 1f6b9-1f6ba 1f6bc 1f6cb 1f6cd-1f6cf 1f6e0-1f6e5 1f6e9 1f6f0 "
    "1f6f3 "
)
# First and later parts of the RGI ZWJ sequences (emoji-zwj-sequences.txt), bare of style.
_ZWJ_FIRST = (
    "26d3 26f9 2764 1f344 1f34b 1f3c3-1f3c4 1f3ca-1f3cc 1f3f3-1f3f4 1f408 1f415 1f426 1f43b 1f441 "
    "1f468-1f469 1f46e-1f471 1f473 1f477 1f481-1f482 1f486-1f487 1f575 1f62e 1f635-1f636 1f642 "
    "1f645-1f647 1f64b 1f64d-1f64e 1f6a3 1f6b4-1f6b6 1f926 1f935 1f937-1f939 1f93c-1f93e "
    "1f9b8-1f9b9 1f9cd-1f9cf 1f9d1 1f9d4 1f9d6-1f9df 1faf1 "
)
_ZWJ_FOLLOWING = (
    "2194-2195 2620 2640 2642 2695-2696 26a7 2708 2744 2764 27a1 2b1b 1f308 1f32b 1f33e 1f373 "
    "1f37c 1f384 1f393 1f3a4 1f3a8 1f3eb 1f3ed 1f430 1f466-1f469 1f48b 1f4a5 1f4a8 1f4ab "
    "1f4bb-1f4bc 1f525 1f527 1f52c 1f5e8 1f680 1f692 1f7e9 1f7eb 1f91d 1f9af-1f9b3 1f9ba "
    "1f9bc-1f9bd 1f9d1-1f9d2 1fa70 1fa79 1faef 1faf2 "
)


# ---------------------------------------------------------------------------------- links
# twitter-text's URL grammar (Java Regex.VALID_URL and Extractor.extractURLsWithIndices),
# scanned by hand: as one regex with its TLD alternation it backtracks quadratically, and a
# 10,000-character "a.a.a…" took two minutes.

# twitter-text skips a link whose length (with a protocol) passes this, and a t.co link
# whose slug is longer than that: their characters are counted one by one.
_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40

_LATIN_ACCENTS = (
    r"\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263"
    r"\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_CYRILLIC = r"\u0400-\u04ff"
# Java's CASE_INSENSITIVE folds ASCII only, hence re.ASCII; no pattern relies on \w, \s, \d.
_FLAGS = re.IGNORECASE | re.ASCII


@cache
def _link_re(pattern: str) -> re.Pattern[str]:
    # Compiled on first use: at import they would cost the cold start some 8 ms.
    return re.compile(pattern, _FLAGS)


# What a Latin host label is made of: letters, digits, accents; "-" and "_" inside.
_HOST_CHAR = rf"[a-z0-9{_LATIN_ACCENTS}]"
_HOST_LABEL = rf"[a-z0-9{_LATIN_ACCENTS}\-_]*"
# After a protocol a host may be one label of any script: no ASCII punctuation but "-",
# no whitespace or \p{Z}, nothing from the General Punctuation block.
_UNICODE_HOST_LABEL = (
    r"[^_!\"#$%&'()*+,./:;<=>?@\[\]^`{|}~\t\n\x0b\x0c\r \u00a0\u1680\u2000-\u206f\u3000]*"
)
# A link starts after a character that is no letter, digit, @, $, # (or an invalid one), and
# that character is part of the match, as in twitter-text's regex.
_LINK_BEFORE = (
    r"[^a-z0-9@\uff20$#\uff03\ufffe\ufeff\uffff]"
    rf"(?:(?=[a-z0-9{_LATIN_ACCENTS}])|(?<=http://)|(?<=https://))"
)
_PROTOCOL = r"https?://"
_ALNUM = r"[a-z0-9]*"
# A TLD is not followed by a letter, digit, "@", "+" or "-".
_NOT_AFTER_TLD = r"[a-z0-9@+\-]"
_PUNYCODE = r"xn--[\-0-9a-z]+"
_QUERY = r"\?[a-z0-9!?*'();:&=+$/%#\[\]\-_.,~|@]*[a-z0-9\-_&=#/]"
_PATH_CHAR = rf"[a-z0-9!*';:=+,.$/%#\[\]\-\u2013_~|&@{_LATIN_ACCENTS}{_CYRILLIC}]"
# Up to two levels of balanced parentheses: /wiki/Primer_(film), /S(dfd346)/.
_PATH_PARENS = rf"\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\({_PATH_CHAR}+\){_PATH_CHAR}*))\)"
# A path does not end in ".", ",", "!" and the like: "see x.com/a." ends at "a".
_PATH_END = rf"(?:[a-z0-9=_#/\-+{_LATIN_ACCENTS}{_CYRILLIC}]|{_PATH_PARENS})"
_PATH = rf"(?:(?:{_PATH_CHAR}*(?:{_PATH_PARENS}{_PATH_CHAR}*)*{_PATH_END})|(?:@{_PATH_CHAR}+/))"
# What follows a host: port, path, query. Possessive as upstream, so it cannot backtrack.
_AFTER_HOST = rf"(?::[0-9]++)?(?:/{_PATH}*+)?(?:{_QUERY})?"
_TCO = rf"https?://t\.co/([a-z0-9]+)(?:{_QUERY})?"


def _x_link_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every link X sees in NFC ``text``, in order."""
    if "." not in text:
        return  # every host has a dot; most posts end here
    hosts = _Hosts(text)
    pos = 0
    while found := hosts.next_host(pos):
        start, protocol, host_start, host_end = found
        end = pos = _end_of(_link_re(_AFTER_HOST), text, host_end)
        if not protocol and text[start - 1 : start] in ("-", "_", ".", "/"):
            continue  # "-foo.com", "x/foo.com": part of a word or a path, not a link
        if protocol and (tco := _link_re(_TCO).match(text, start, end)):
            # A t.co link ends at its slug and query; a longer slug is no t.co link.
            if len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
                continue
            end = tco.end()
        if _valid_host(end - start, protocol, text[host_start:host_end]):
            yield start, end


def _valid_host(url_length: int, protocol: str, host: str) -> bool:
    try:
        # IDNA 2003, as Java's IDN.toASCII: fails on an empty label or one over 63 characters
        # once punycode-encoded (the long-host cases in twitter-text's conformance tests).
        encoded = host.encode("idna")
    except UnicodeError:
        return False
    length = url_length + len(encoded) - len(host) + (0 if protocol else len("https://"))
    return len(encoded) > 0 and length <= _MAX_URL_LENGTH


def _end_of(pattern: re.Pattern[str], text: str, start: int) -> int:
    """Where ``pattern``, which may match nothing, stops matching from ``start``."""
    match = pattern.match(text, start)
    return match.end() if match else start


class _Hosts:
    """Finds hosts where twitter-text's URL regex would, remembering what it has scanned so
    that each label and TLD is looked at once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tlds = _tlds()
        # Host end from a label that follows a dot, as a subdomain or the domain name.
        self.from_label: dict[int, int | None] = {}
        self.tld_ends: dict[int, int | None] = {}
        # The run of label characters last scanned: (start, end, position of its last "_").
        self.run = (0, 0, -1)

    def next_host(self, pos: int) -> tuple[int, str, int, int] | None:
        """The first link start at or after ``pos`` that has a host, with its protocol ("" for
        none) and where the host starts and ends."""
        for start in self._starts(pos):
            protocol_match = _link_re(_PROTOCOL).match(self.text, start)
            protocol = protocol_match.group() if protocol_match else ""
            host_start = start + len(protocol)
            host_end = self._latin_host(host_start)
            if host_end is None and self._after_protocol(host_start):
                host_end = self._unicode_host(host_start)
            if host_end is not None:
                return start, protocol, host_start, host_end
        return None

    def _starts(self, pos: int) -> Iterator[int]:
        # In the regex's order: where the character before may be consumed, then text start.
        text = self.text
        if pos == 0:
            if _link_re(_LINK_BEFORE).match(text):
                yield 1
            if _link_re(_HOST_CHAR).match(text):
                yield 0
            pos = 1
        for before in _link_re(_LINK_BEFORE).finditer(text, pos):
            yield before.end()

    def _after_protocol(self, i: int) -> bool:
        return self.text[max(0, i - 8) : i].lower().endswith(("http://", "https://"))

    def _latin_host(self, start: int) -> int | None:
        """Longest "sub.domain.tld" host at ``start``: the regex's greedy subdomains."""
        text = self.text
        if not _link_re(_HOST_CHAR).match(text, start):
            return None
        run_start, end, underscore = self.run
        if not run_start <= start < end:
            end = _end_of(_link_re(_HOST_LABEL), text, start)
            underscore = text.rfind("_", start, end)
            self.run = (start, end, underscore)
        if not (end < len(text) and text[end] == "." and _link_re(_HOST_CHAR).match(text, end - 1)):
            return None
        longer = self._from_label(end + 1)
        if longer is not None or underscore >= start:
            return longer  # a domain name, unlike a subdomain, has no "_"
        return self._tld_end(end + 1, punycode=True)

    def _from_label(self, first: int) -> int | None:
        text, memo = self.text, self.from_label
        labels = []
        start = first
        while start not in memo:
            end = _end_of(_link_re(_HOST_LABEL), text, start)
            if not (
                end > start
                and end < len(text)
                and text[end] == "."
                and _link_re(_HOST_CHAR).match(text, start)
                and _link_re(_HOST_CHAR).match(text, end - 1)
            ):
                memo[start] = None
                break
            labels.append((start, end))
            start = end + 1
        for start, end in reversed(labels):
            host_end = memo[end + 1]
            if host_end is None and "_" not in text[start:end]:
                host_end = self._tld_end(end + 1, punycode=True)
            memo[start] = host_end
        return memo[first]

    def _unicode_host(self, start: int) -> int | None:
        """One label of any script and a TLD, allowed right after a protocol."""
        text = self.text
        end = _end_of(_link_re(_UNICODE_HOST_LABEL), text, start)
        if end == start or end >= len(text) or text[end] != ".":
            return None
        if text[start] == "-" or text[end - 1] == "-":
            return None
        return self._tld_end(end + 1, punycode=False)

    def _tld_end(self, start: int, *, punycode: bool) -> int | None:
        if start not in self.tld_ends:
            self.tld_ends[start] = self._known_tld_end(start)
        end = self.tld_ends[start]
        if end is None and punycode and (match := _link_re(_PUNYCODE).match(self.text, start)):
            end = match.end()
        return end

    def _known_tld_end(self, start: int) -> int | None:
        text = self.text
        alnum_end = _end_of(_link_re(_ALNUM), text, start)
        if alnum_end > start:
            # An ASCII TLD ends where the letters and digits do.
            ends = [alnum_end]
        else:
            ends = [start + n for n in self.tlds.unicode_lengths if start + n <= len(text)]
        for end in ends:
            name = text[start:end]
            if (name.lower() if end == alnum_end else name) in self.tlds.names and not (
                _link_re(_NOT_AFTER_TLD).match(text, end)
            ):
                return end
        return None


class _Tlds:
    """The top-level domains, and the lengths a Unicode one may have."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names
        # Longest first, as a regex alternation would have to try them.
        self.unicode_lengths = sorted({len(n) for n in names if not n.isascii()}, reverse=True)


@cache
def _tlds() -> _Tlds:
    return _Tlds(frozenset((_IANA_TLDS + _IANA_IDN_TLDS + _RESERVED_TLDS).split()))


# Top-level domains a link may end in: IANA's root zone list, version 2026051600, with its
# internationalised names decoded from punycode, as posts carry them. twitter-text ships its
# own copy of this list; a dotted word with another ending ("report.pdf") is no link.
_IANA_TLDS = (
    "aaa aarp abb abbott abbvie abc able abogado abudhabi ac academy accenture accountant "
    "accountants aco actor ad ads adult ae aeg aero aetna af afl africa ag agakhan agency ai aig "
    "airbus airforce airtel akdn al alibaba alipay allfinanz allstate ally alsace alstom am amazon "
    "americanexpress americanfamily amex amfam amica amsterdam analytics android anquan anz ao aol "
    "apartments app apple aq aquarelle ar arab aramco archi army arpa art arte as asda asia "
    "associates at athleta attorney au auction audi audible audio auspost author auto autos aw aws "
    "ax axa az azure ba baby baidu banamex band bank bar barcelona barclaycard barclays barefoot "
    "bargains baseball basketball bauhaus bayern bb bbc bbt bbva bcg bcn bd be beats beauty beer "
    "berlin best bestbuy bet bf bg bh bharti bi bible bid bike bing bingo bio biz bj black "
    "blackfriday blockbuster blog bloomberg blue bm bms bmw bn bnpparibas bo boats boehringer bofa "
    "bom bond boo book booking bosch bostik boston bot boutique box br bradesco bridgestone "
    "broadway broker brother brussels bs bt build builders business buy buzz bv bw by bz bzh ca "
    "cab cafe cal call calvinklein cam camera camp canon capetown capital capitalone car caravan "
    "cards care career careers cars casa case cash casino cat catering catholic cba cbn cbre cc cd "
    "center ceo cern cf cfa cfd cg ch chanel channel charity chase chat cheap chintai christmas "
    "chrome church ci cipriani circle cisco citadel citi citic city ck cl claims cleaning click "
    "clinic clinique clothing cloud club clubmed cm cn co coach codes coffee college cologne com "
    "commbank community company compare computer comsec condos construction consulting contact "
    "contractors cooking cool coop corsica country coupon coupons courses cpa cr credit creditcard "
    "creditunion cricket crown crs cruise cruises cu cuisinella cv cw cx cy cymru cyou cz dad "
    "dance data date dating datsun day dclk dds de deal dealer deals degree delivery dell deloitte "
    "delta democrat dental dentist desi design dev dhl diamonds diet digital direct directory "
    "discount discover dish diy dj dk dm dnp do docs doctor dog domains dot download drive dtv "
    "dubai dupont durban dvag dvr dz earth eat ec eco edeka edu education ee eg email emerck "
    "energy engineer engineering enterprises epson equipment er ericsson erni es esq estate et eu "
    "eurovision eus events exchange expert exposed express extraspace fage fail fairwinds faith "
    "family fan fans farm farmers fashion fast fedex feedback ferrari ferrero fi fidelity fido "
    "film final finance financial fire firestone firmdale fish fishing fit fitness fj fk flickr "
    "flights flir florist flowers fly fm fo foo food football ford forex forsale forum foundation "
    "fox fr free fresenius frl frogans frontier ftr fujitsu fun fund furniture futbol fyi ga gal "
    "gallery gallo gallup game games gap garden gay gb gbiz gd gdn ge gea gent genting george gf "
    "gg ggee gh gi gift gifts gives giving gl glass gle global globo gm gmail gmbh gmo gmx gn "
    "godaddy gold goldpoint golf goodyear goog google gop got gov gp gq gr grainger graphics "
    "gratis green gripe grocery group gs gt gu gucci guge guide guitars guru gw gy hair hamburg "
    "hangout haus hbo hdfc hdfcbank health healthcare help helsinki here hermes hiphop hisamitsu "
    "hitachi hiv hk hkt hm hn hockey holdings holiday homedepot homegoods homes homesense honda "
    "horse hospital host hosting hot hotels hotmail house how hr hsbc ht hu hughes hyatt hyundai "
    "ibm icbc ice icu id ie ieee ifm ikano il im imamat imdb immo immobilien in inc industries "
    "infiniti info ing ink institute insurance insure int international intuit investments io "
    "ipiranga iq ir irish is ismaili ist istanbul it itau itv jaguar java jcb je jeep jetzt "
    "jewelry jio jll jm jmp jnj jo jobs joburg jot joy jp jpmorgan jprs juegos juniper kaufen kddi "
    "ke kerryhotels kerryproperties kfh kg kh ki kia kids kim kindle kitchen kiwi km kn koeln "
    "komatsu kosher kp kpmg kpn kr krd kred kuokgroup kw ky kyoto kz la lacaixa lamborghini lamer "
    "land landrover lanxess lasalle lat latino latrobe law lawyer lb lc lds lease leclerc lefrak "
    "legal lego lexus lgbt li lidl life lifeinsurance lifestyle lighting like lilly limited limo "
    "lincoln link live living lk llc llp loan loans locker locus lol london lotte lotto love lpl "
    "lplfinancial lr ls lt ltd ltda lu lundbeck luxe luxury lv ly ma madrid maif maison makeup man "
    "management mango map market marketing markets marriott marshalls mattel mba mc mckinsey md me "
    "med media meet melbourne meme memorial men menu merck merckmsd mg mh miami microsoft mil mini "
    "mint mit mitsubishi mk ml mlb mls mm mma mn mo mobi mobile moda moe moi mom monash money "
    "monster mormon mortgage moscow moto motorcycles mov movie mp mq mr ms msd mt mtn mtr mu "
    "museum music mv mw mx my mz na nab nagoya name navy nba nc ne nec net netbank netflix network "
    "neustar new news next nextdirect nexus nf nfl ng ngo nhk ni nico nike nikon ninja nissan "
    "nissay nl no nokia norton now nowruz nowtv np nr nra nrw ntt nu nyc nz obi observer office "
    "okinawa olayan olayangroup ollo om omega one ong onl online ooo open oracle orange org "
    "organic origins osaka otsuka ott ovh pa page panasonic paris pars partners parts party pay "
    "pccw pe pet pf pfizer pg ph pharmacy phd philips phone photo photography photos physio pics "
    "pictet pictures pid pin ping pink pioneer pizza pk pl place play playstation plumbing plus pm "
    "pn pnc pohl poker politie porn post pr praxi press prime pro prod productions prof "
    "progressive promo properties property protection pru prudential ps pt pub pw pwc py qa qpon "
    "quebec quest racing radio re read realestate realtor realty recipes red redumbrella rehab "
    "reise reisen reit reliance ren rent rentals repair report republican rest restaurant review "
    "reviews rexroth rich richardli ricoh ril rio rip ro rocks rodeo rogers room rs rsvp ru rugby "
    "ruhr run rw rwe ryukyu sa saarland safe safety sakura sale salon samsclub samsung sandvik "
    "sandvikcoromant sanofi sap sarl sas save saxo sb sbi sbs sc scb schaeffler schmidt "
    "scholarships school schule schwarz science scot sd se search seat secure security seek select "
    "sener services seven sew sex sexy sfr sg sh shangrila sharp shell shia shiksha shoes shop "
    "shopping shouji show si silk sina singles site sj sk ski skin sky skype sl sling sm smart "
    "smile sn sncf so soccer social softbank software sohu solar solutions song sony soy spa space "
    "sport spot sr srl ss st stada staples star statebank statefarm stc stcgroup stockholm storage "
    "store stream studio study style su sucks supplies supply support surf surgery suzuki sv "
    "swatch swiss sx sy sydney systems sz tab taipei talk taobao target tatamotors tatar tattoo "
    "tax taxi tc tci td tdk team tech technology tel temasek tennis teva tf tg th thd theater "
    "theatre tiaa tickets tienda tips tires tirol tj tjmaxx tjx tk tkmaxx tl tm tmall tn to today "
    "tokyo tools top toray toshiba total tours town toyota toys tr trade trading training travel "
    "travelers travelersinsurance trust trv tt tube tui tunes tushu tv tvs tw tz ua ubank ubs ug "
    "uk unicom university uno uol ups us uy uz va vacations vana vanguard vc ve vegas ventures "
    "verisign versicherung vet vg vi viajes video vig viking villas vin vip virgin visa vision "
    "viva vivo vlaanderen vn vodka volvo vote voting voto voyage vu wales walmart walter wang "
    "wanggou watch watches weather weatherchannel webcam weber website wed wedding weibo weir wf "
    "whoswho wien wiki williamhill win windows wine winners wme woodside work works world wow ws "
    "wtc wtf xbox xerox xihuan xin xxx xyz yachts yahoo yamaxun yandex ye yodobashi yoga yokohama "
    "you youtube yt yun za zappos zara zero zip zm zone zuerich zw "
)
_IANA_IDN_TLDS = (
    "कॉम セール 佛山 ಭಾರತ 慈善 集团 在线 한국 ଭାରତ 点看 คอม ভাৰত ভারত 八卦 ישראל موقع বাংলা "
    "公益 公司 香格里拉 网站 移动 我爱你 москва қаз католик онлайн сайт 联通 срб бг бел קום "
    "时尚 微博 淡马锡 ファッション орг नेट ストア アマゾン 삼성 சிங்கப்பூர் 商标 商店 商城 дети мкд "
    "ею ポイント 新闻 家電 كوم 中文网 中信 中国 中國 娱乐 谷歌 భారత్ ලංකා 電訊盈科 购物 クラウド "
    "ભારત 通販 भारतम् भारत भारोत 网店 संगठन 餐厅 网络 ком укр 香港 亚马逊 食品 飞利浦 台湾 台灣 "
    "手机 мон الجزائر عمان ارامكو ایران العليان امارات بازار موريتانيا پاکستان الاردن بارت "
    "بھارت المغرب ابوظبي البحرين السعودية ڀارت كاثوليك سودان همراه عراق مليسيا 澳門 닷컴 政府 "
    "شبكة بيتك عرب გე 机构 组织机构 健康 ไทย سورية 招聘 рус рф تونس 大拿 ລາວ みんな グーグル "
    "ευ ελ 世界 書籍 ഭാരതം ਭਾਰਤ 网址 닷넷 コム 天主教 游戏 vermögensberater vermögensberatung "
    "企业 信息 嘉里大酒店 嘉里 مصر قطر 广东 இலங்கை இந்தியா հայ 新加坡 فلسطين 政务 "
)
# RFC 2606/6761 names, which no real post links to: they are accepted so that fixtures and the
# local sandbox, which link to acme.example, count their links as X counts real ones.
_RESERVED_TLDS = "example invalid localhost test"


def published_text(text: str, links: tuple[str, ...]) -> str:
    """The text as it goes out: links given beside the text are appended to it."""
    present = set(extract_urls(text))
    extra = [link for link in links if link not in present]
    return " ".join([text, *extra]) if extra else text
