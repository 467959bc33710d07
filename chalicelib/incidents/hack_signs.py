"""Hack signs: what in a post, its link and its context says someone other than the
brand posted it, as obvious signs (weight 3) and context (weight 0-1)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib.accounts.domain import Account

# Indicator weights. A hack is suspected when the *obvious* signs of a post that did not
# come through Firebreak reach HACK_THRESHOLD: one obvious sign does. Context signs weigh
# CONTEXT and never count towards it, however many there are.
HACK_THRESHOLD = 3
OBVIOUS = 3
CONTEXT = 1


# Link wrappers that hide the real destination; they say nothing about the account.
_WRAPPERS = frozenset({"t.co"})


# The networks' own clients (X's, Mastodon's; Bluesky reports none): a post from one of
# them is a person on the team using the app.
FIRST_PARTY_APPS = frozenset(
    {
        "twitter web app",
        "twitter for iphone",
        "twitter for android",
        "twitter for ipad",
        "x web app",
        "x for iphone",
        "x for android",
        "tweetdeck",
        "tweetdeck web app",
        "x pro",
        # Mastodon's own: its web interface reports the application "Web".
        "web",
        "mastodon for ios",
        "mastodon for android",
    }
)


_CRYPTO = (
    r"(?:bitcoin|btc|ethereum|eth|crypto\w*|krypto\w*|usdt|tether|solana|doge\w*|airdrop|wallet)"
)


_SCAM_PATTERNS: tuple[tuple[str, int, str, re.Pattern[str]], ...] = (
    (
        "crypto",
        OBVIOUS,
        "pushes a crypto giveaway or investment",
        re.compile(
            rf"\b{_CRYPTO}\b.*\b(?:giveaway|give away|send|double|claim|free|bonus|"
            rf"verschenk\w*|gratis|kostenlos|gewinn\w*|sende\w*|schick\w*)\b"
            rf"|\b(?:giveaway|send|double|claim|free|verschenk\w*|gratis|sende\w*)\b.*\b{_CRYPTO}\b",
            re.IGNORECASE | re.DOTALL,
        ),
    ),
    (
        "double-your-money",
        OBVIOUS,
        "promises to double money sent",
        re.compile(
            r"\b(?:double|2x|verdoppel\w*)\b.{0,40}\b(?:your|ihr\w*|dein\w*|back|zurück)\b"
            r"|\bsend\b.{0,30}\bget\b.{0,30}\bback\b",
            re.IGNORECASE | re.DOTALL,
        ),
    ),
    (
        "phishing",
        OBVIOUS,
        "asks followers to log in or verify an account",
        re.compile(
            r"\bverify your (?:account|identity|wallet)\b"
            r"|\baccount (?:will be |has been )?(?:suspended|locked|deactivated|disabled)\b"
            r"|\bconfirm your (?:login|password|identity|details)\b"
            r"|\b(?:log ?in|sign ?in) (?:here|now|below)\b|\breset your password\b"
            r"|\bkonto (?:wird |wurde )?(?:gesperrt|deaktiviert|eingeschränkt)\b"
            r"|\b(?:bestätig|verifizier)\w* (?:sie |du )?(?:ihr|dein)\w* "
            r"(?:konto|passwort|zugang)\b"
            r"|\bhier (?:einloggen|anmelden)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "giveaway",
        CONTEXT,
        "is giveaway bait",
        re.compile(
            r"\bgiveaway\b|\bfree (?:iphone|ipad|macbook|ps5|gift ?card)s?\b"
            r"|\bfirst \d+ (?:people|followers|users)\b|\bdm (?:us|me) to claim\b"
            r"|\bclick (?:the|this) link to (?:claim|win)\b|\bgewinnspiel\b|\bverlosung\b"
            r"|\b(?:gratis|kostenlos\w*) (?:iphone|ipad|gutschein\w*)\b",
            re.IGNORECASE,
        ),
    ),
)


# Off-brand commerce: what a hijacked brand account is used to sell. A brand whose own
# business is one of these names it in ``AccountHabits.own_topics``. A lookahead pairs two
# words anywhere in the post, line breaks included (``re.DOTALL``): spam puts the drug on
# one line and "no prescription" on the next. Each lookahead is anchored at the start, so a
# long post is scanned once, not once per character.
_OFF_BRAND: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    (
        "crypto",
        "crypto, NFT or trading-signal promotion",
        re.compile(
            r"\b(?:nft drop|mint (?:is )?live|free mint|presale|airdrop|"
            r"trading signals?|forex signals?|100x|to the moon|memecoin|"
            r"connect (?:your )?wallet|seed phrase|krypto-?gewinn\w*)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "gambling",
        "casino or betting promotion",
        re.compile(
            r"\b(?:online casino|casino bonus|free spins|sports ?betting|bet now|"
            r"jackpot|freispiele|sportwetten)\b"
            # A bonus without a deposit is a bank's or a gym's offer too: only beside
            # gambling words (a casino link counts) is it a casino's.
            r"|^(?=.*\b(?:casinos?|slots|pokies|roulette|poker|betting|wetten)\b)"
            r".*\b(?:welcome bonus|no[- ]deposit|deposit bonus|spin to win|"
            r"willkommensbonus|ohne einzahlung|einzahlungsbonus)\b",
            re.IGNORECASE | re.DOTALL,
        ),
    ),
    (
        "adult-services",
        "adult dating or cam-site promotion",
        re.compile(
            r"\b(?:hot singles|singles in your area|onlyfans|cam ?girls?|live cams?|"
            r"hook ?up tonight|sexy singles|hei(?:ß|ss)e singles)\b"
            # Lonely women near you, in a charity's post, are people to visit: only
            # beside an invitation to meet or sign up are they a dating site's bait.
            r"|^(?=.*\b(?:treffen|dates?|dating|diskret|anmelden|meet|tonight|heute|"
            r"discreet|sign up|hook ?up)\b)"
            r".*\b(?:einsame|hei(?:ß|ss)e|lonely|horny|willige) (?:frauen|hausfrauen|"
            r"singles|women|wives|housewives|milfs?)\b",
            re.IGNORECASE | re.DOTALL,
        ),
    ),
    (
        "pills",
        "pills or miracle-cure selling",
        re.compile(
            r"\b(?:v[i1!|]agra|c[i1!|]al[i1!|]s|cheap meds|diet pills?|weight ?loss pills?|"
            r"lose \d+ ?(?:kg|lbs|pounds) in \d+ days|potenzmittel|potenzprobleme?|"
            r"potenzpillen|blaue pillen|pills? without (?:a )?prescription|"
            r"(?:pillen|tabletten) ohne rezept)\b"
            # A controlled drug offered without prescription ("modafinil & more, no
            # prescription"). Not "no prescription needed" beside "discreet" alone: that
            # is also a pharmacy's reading glasses, flu jabs, or a chef cooking "ohne
            # Rezept" (a reviewer's 11 harmless posts, 2026-12-02).
            r"|^(?=.*\b(?:modafinil|armodafinil|adderall|ritalin|xanax|valium|tramadol|"
            r"oxycodon\w*|oxycontin|alprazolam|diazepam)\b)"
            r".*\b(?:no prescription|without (?:a )?prescription|prescription[- ]free|"
            r"ohne rezept|rezeptfrei)\b",
            re.IGNORECASE | re.DOTALL,
        ),
    ),
    (
        # 2026-12-02, sixth round: diet pills sold with a link or a discount ("70% off keto
        # capsules: https://…"); not a recipe without them, nor a warning about them.
        "diet-pills",
        "diet-pill selling",
        re.compile(
            r"^(?!.*\b(?:no|skip|scam\w*|beware|vorsicht|leider|warn\w*|fake|kein\w*|nie)\b)"
            r"(?=.*(?:https?://|\b\d+ ?% ?(?:off|rabatt)|\border now\b|\bjetzt bestellen\b))"
            r".*\b(?:keto (?:pills?|capsules?|gummies|kapseln|pillen)|burn fat while you sleep|"
            r"fett verbrennen im schlaf|abnehmen im schlaf)\b",
            re.IGNORECASE | re.DOTALL,
        ),
    ),
    (
        # 2026-12-02, sixth round: "Originale Rolex & Louis Vuitton zu 90 % Rabatt!" with a
        # shop link and a claim of being genuine (or a replica). Not a café "between Rolex
        # and Gucci", a pre-owned watch at 60 % off, a customs warning about fakes (a
        # reviewer's posts), nor a real retailer's designer sale.
        "counterfeit",
        "cut-price luxury goods (counterfeits)",
        re.compile(
            r"^(?!.*\b(?:fakes?|fälschung\w*|gefälscht\w*|counterfeits?|beware|vorsicht|"
            r"warn\w*|achtung|pre-?owned|gebraucht\w*)\b)"
            r"(?=.*https?://)"
            r"(?=.*\b(?:originale?n?|echte[n]?|authentic|genuine|replicas?|aaa)\b)"
            r".*\b(?:rolex|louis vuitton|gucci|prada|chanel|cartier|herm[eè]s|moncler|"
            r"michael kors|canada goose|balenciaga|dior)\b\W+(?:\w+\W+){0,5}?"
            r"(?:zu |at |for )?[7-9]\d ?% ?(?:off|rabatt|discount)",
            re.IGNORECASE | re.DOTALL,
        ),
    ),
    (
        "get-rich",
        "get-rich-quick or follower selling",
        re.compile(
            r"\b(?:make|earn|verdien\w*) \$?\d[\d,.]*\s?(?:\$|€|usd|dollars?|euro)?\s?"
            r"(?:a|per|pro|am|each) (?:day|week|hour|tag|woche|stunde)\b"
            r"|\bwork from home and earn\b|\bbuy (?:real )?followers\b|\bfollowers for sale\b",
            re.IGNORECASE,
        ),
    ),
)


# Words in a link that ask for credentials or a wallet: a host label or a path segment
# that starts with one ("/login", "/verify-account", "secure-login.example").
_CREDENTIAL_WORDS = frozenset(
    {
        "login",
        "log-in",
        "signin",
        "sign-in",
        "signon",
        "verify",
        "verification",
        "validate",
        "authenticate",
        "password",
        "passwort",
        "credentials",
        "2fa",
        "mfa",
        "seedphrase",
        "seed-phrase",
        "walletconnect",
        "wallet-connect",
        "connect-wallet",
        "recover",
        "recovery",
        "unlock",
        "suspended",
        "secure-account",
        "account-verify",
        "anmelden",
        "einloggen",
    }
)


# Characters attackers swap in to imitate a name, in a domain label.
_HOMOGLYPHS = (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("3", "e"), ("5", "s"), ("4", "a"))


_IP_HOST = re.compile(r"^(?:\d{1,3}\.){3}\d{1,3}$|^\[?[0-9a-f:]+\]?$", re.IGNORECASE)


@dataclass(frozen=True)
class PostFacts:
    """What is known about the post besides its content."""

    text: str
    published_by_firebreak: bool
    # The app the network says posted it; None where the network does not say (X API v2
    # marks ``source`` deprecated): then no sign is drawn from the app at all.
    source_app: str | None = None
    posted_at: datetime | None = None  # aware; a naive value is taken as UTC
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountHabits:
    """How the account normally posts. Empty tuples mean "unknown": no indicator from them."""

    langs: tuple[str, ...] = ()
    timezone: str = "UTC"
    usual_source_apps: tuple[str, ...] = ()
    link_domains: tuple[str, ...] = ()
    # Local hours [start, end) in which a brand account normally does not post.
    quiet_hours: tuple[int, int] = (0, 6)
    # The brand's own web domains and names (handle): a link imitating one is a hack sign.
    brand_domains: tuple[str, ...] = ()
    brand_names: tuple[str, ...] = ()
    # Off-brand topics (see ``_OFF_BRAND``) that are this brand's own business.
    own_topics: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {self.timezone!r}") from exc
        start, end = self.quiet_hours
        if not (0 <= start <= 23 and 0 <= end <= 24):
            raise ValueError(f"quiet_hours out of range: {self.quiet_hours}")


@dataclass(frozen=True)
class HackIndicator:
    """One sign that someone other than the brand posted.

    ``obvious`` signs can make a hack suspected on their own; the others are context for
    the person deciding (``weight`` 0 is context only, never evidence)."""

    code: str
    weight: int
    reason: str
    obvious: bool = False

    def describe(self) -> str:
        kind = "obvious" if self.obvious else "context"
        return f"{self.reason} ({kind}, weight {self.weight})"


def habits_for(account: Account) -> AccountHabits:
    """How an account posts, as far as the hack signs need to know it."""
    return AccountHabits(
        langs=account.languages,
        timezone=account.timezone,
        usual_source_apps=account.usual_source_apps,
        link_domains=account.policy.allowed_link_domains or (),
        brand_domains=account.brand_domains,
        brand_names=(account.handle, account.name),
    )


def scam_patterns(text: str) -> list[tuple[str, int, str]]:
    """(name, weight, description) of each scam, phishing or giveaway pattern in the text."""
    return [(name, w, desc) for name, w, desc, rx in _SCAM_PATTERNS if rx.search(text)]


def off_brand_topics(text: str, own_topics: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(topic, description) of each off-brand commerce the text pushes, less the brand's own."""
    own = {t.casefold() for t in own_topics}
    return [(name, desc) for name, desc, rx in _OFF_BRAND if name not in own and rx.search(text)]


def link_domain(url: str) -> str:
    """The host of a link, lower-cased and without ``www.``; tolerates a missing scheme."""
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:  # an unparsable netloc (e.g. a stray "[")
        return ""
    return host.removeprefix("www.")


def _domain_known(domain: str, known: Sequence[str]) -> bool:
    for k in known:
        k = k.lower().removeprefix("www.")
        if domain == k or domain.endswith("." + k):
            return True
    return False


def _skeleton(label: str) -> str:
    """A domain label with look-alike characters folded (paypa1 -> paypal, rn -> m)."""
    if label.startswith("xn--"):
        try:
            label = label.encode("ascii").decode("idna")
        except UnicodeError:
            return label
    import unicodedata

    from chalicelib.core.normalise import fold

    # Accents dropped (acmé), then the policy rules' look-alike folding (Cyrillic and
    # Greek letters), then what only a domain name fakes: digits and letter pairs.
    bare = "".join(c for c in unicodedata.normalize("NFKD", label) if not unicodedata.combining(c))
    out = fold(bare)
    for fake, real in _HOMOGLYPHS:
        out = out.replace(fake, real)
    return out


def _edit_distance_at_most_one(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        # one swap of neighbours (acme -> amce)
        i = diffs[0] if diffs else 0
        return len(diffs) == 2 and diffs[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def _brand_labels(account: AccountHabits) -> set[str]:
    """The names a look-alike would imitate: the first label of each brand domain, and
    each brand name whole and its first word, at least four letters (shorter ones
    match too much)."""
    labels = {link_domain(d).split(".")[0] for d in account.brand_domains if link_domain(d)}
    for name in account.brand_names:
        words = [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]
        if words:  # "@acme_demo": "acmedemo" and "acme", never a generic "demo"
            labels.update({"".join(words), words[0]})
    return {label for label in labels if len(label) >= 4}


def lookalike_of(domain: str, account: AccountHabits) -> str | None:
    """The brand name a link's domain imitates, or None (also for the brand's own domains)."""
    known = (*account.brand_domains, *account.link_domains)
    brands = _brand_labels(account)
    if not domain or not brands or _domain_known(domain, known) or domain in _WRAPPERS:
        return None
    labels = domain.split(".")[:-1]  # the top-level domain imitates nobody
    for label in labels:
        skeleton = _skeleton(label)
        tokens = {skeleton, *re.split(r"[-_]", skeleton)}
        for brand in brands:
            if (
                brand in tokens  # acme-support.example, acme.login-page.example
                or (len(brand) >= 5 and _edit_distance_at_most_one(skeleton, brand))
                or (len(brand) >= 6 and brand in skeleton)  # acmecoffeeshop.example
            ):
                return brand
    # The brand's whole domain written as one name (acme-example.app imitates
    # acme.example), also with one of its letters doubled or a double one single
    # (acmee-example.app, acmexample.org). Not any one-letter change: "acne-example.org"
    # is a dermatology gala's, and a doubled letter of a four-letter name alone is a real
    # body's ("accme.org", medical accreditation).
    joined = re.sub(r"[-_]", "", "".join(_skeleton(label) for label in labels))
    for own in map(link_domain, account.brand_domains):
        whole = own.replace(".", "")
        if len(whole) >= 6 and (
            joined == whole
            or _one_letter_doubled(joined, whole)
            or _one_letter_doubled(whole, joined)
        ):
            return own.split(".")[0]
    return None


def _one_letter_doubled(longer: str, name: str) -> bool:
    """``longer`` is ``name`` with one of its letters written twice (acmeeexample)."""
    return len(longer) == len(name) + 1 and any(
        longer[i] == longer[i + 1] and longer[:i] + longer[i + 1 :] == name
        for i in range(len(longer) - 1)
    )


def credential_link(url: str, account: AccountHabits) -> bool:
    """A link that harvests credentials: an IP address or a ``user@host`` disguise, or a
    login, verify, password or wallet path on a domain that is not the brand's own."""
    domain = link_domain(url)
    if not domain or domain in _WRAPPERS:
        return False
    if _domain_known(domain, (*account.brand_domains, *account.link_domains)):
        return False
    try:
        parts = urlsplit(url if "//" in url else f"//{url}")
    except ValueError:
        return False
    if _IP_HOST.match(domain) or "@" in (parts.netloc or ""):
        return True
    host_words = {w for label in domain.split(".") for w in (label, *label.split("-"))}
    segments = [seg.lower() for seg in (parts.path or "").split("/") if seg]
    return bool(host_words & _CREDENTIAL_WORDS) or any(
        seg in _CREDENTIAL_WORDS
        or seg.split("-")[0] in _CREDENTIAL_WORDS
        or "-".join(seg.split("-")[:2]) in _CREDENTIAL_WORDS
        for seg in segments
    )


def _in_quiet_hours(hour: int, quiet: tuple[int, int]) -> bool:
    start, end = quiet
    if start <= end:
        return start <= hour < end
    return hour >= start or hour < end  # wraps midnight, e.g. (22, 5)


def hack_indicators(post: PostFacts, account: AccountHabits, lang: str) -> list[HackIndicator]:
    """Every sign that the post did not come from the brand, with its weight."""
    found: list[HackIndicator] = []
    if not post.published_by_firebreak:
        found.append(HackIndicator("not_via_firebreak", 0, "not published through Firebreak"))
    # Obvious signs: what an attacker does with a hijacked account.
    for name, weight, desc in scam_patterns(post.text):
        found.append(
            HackIndicator(f"scam:{name}", weight, f"text {desc}", obvious=weight >= OBVIOUS)
        )
    for name, desc in off_brand_topics(post.text, account.own_topics):
        found.append(
            HackIndicator(f"off_brand:{name}", OBVIOUS, f"wildly off-brand: {desc}", obvious=True)
        )
    domains = sorted({d for d in (link_domain(u) for u in post.links) if d})
    lookalikes = sorted({f"{d} (imitates {b})" for d in domains if (b := lookalike_of(d, account))})
    if lookalikes:
        found.append(
            HackIndicator(
                "lookalike_domain",
                OBVIOUS,
                f"links to a look-alike of the brand's domain: {', '.join(lookalikes)}",
                obvious=True,
            )
        )
    harvesting = sorted({link_domain(u) for u in post.links if credential_link(u, account)})
    if harvesting:
        found.append(
            HackIndicator(
                "credential_link",
                OBVIOUS,
                f"links to a login, verify or wallet page off the brand's site: "
                f"{', '.join(harvesting)}",
                obvious=True,
            )
        )
    # Context: how a team member posting outside the process looks too.
    if post.source_app:
        usual = {a.casefold() for a in account.usual_source_apps}
        app = post.source_app.casefold()
        if app in FIRST_PARTY_APPS and app not in usual:
            found.append(
                HackIndicator(
                    "first_party_app",
                    0,
                    f"posted from {post.source_app!r}, the network's own app: usually a team "
                    "member posting outside the process",
                )
            )
        elif usual and app not in usual:
            found.append(
                HackIndicator(
                    "unusual_app",
                    CONTEXT,
                    f"posted from {post.source_app!r}, an app the account never uses",
                )
            )
    if account.link_domains:
        unknown = [
            d
            for d in domains
            if d not in _WRAPPERS and not _domain_known(d, (*account.link_domains,))
        ]
        if unknown:
            found.append(
                HackIndicator(
                    "unknown_link_domain",
                    CONTEXT,
                    f"links to {', '.join(unknown)}, a domain the account never links to",
                )
            )
    if post.posted_at is not None:
        at = post.posted_at if post.posted_at.tzinfo else post.posted_at.replace(tzinfo=UTC)
        local = at.astimezone(ZoneInfo(account.timezone))
        if _in_quiet_hours(local.hour, account.quiet_hours):
            found.append(
                HackIndicator(
                    "unusual_hour",
                    CONTEXT,
                    f"posted at {local:%H:%M} {account.timezone}, when the account rarely posts",
                )
            )
    langs = {x.lower() for x in account.langs}
    if langs and lang not in ("und", "") and lang.lower() not in langs:
        found.append(
            HackIndicator(
                "unusual_language",
                CONTEXT,
                f"written in {lang!r}, a language the account doesn't use",
            )
        )
    return found


def hack_suspected(post: PostFacts, indicators: Sequence[HackIndicator]) -> bool:
    """Obvious signs only, on a post that did not come through Firebreak."""
    weight = sum(i.weight for i in indicators if i.obvious)
    return not post.published_by_firebreak and weight >= HACK_THRESHOLD
