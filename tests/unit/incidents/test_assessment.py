"""Delete-or-keep and hack indicators, on hand-made risk reports (no scorer involved)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from chalicelib.incidents.assessment import (
    AccountHabits,
    DeleteOrKeep,
    PostFacts,
    hack_indicators,
    link_domain,
    recommend_delete_or_keep,
    scam_patterns,
)
from chalicelib.triage.risk import CategoryScore, RiskReport

ACCOUNT = AccountHabits(
    langs=("en",),
    timezone="Europe/Berlin",
    usual_source_apps=("Firebreak", "Twitter for iPhone"),
    link_domains=("brand.example",),
)
NOON_BERLIN = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)  # 12:00 in Berlin


LINE = ("offensive", "hate", "sexual", "violence", "gore", "threat", "slur", "profanity")
LEGACY = ("offensive", "hate", "sexual", "violence")  # a scanner without the line's split


def report(
    lang: str = "en", terms: tuple[str, ...] = (), names: tuple[str, ...] = LINE, **flags: float
) -> RiskReport:
    """A RiskReport with the given category scores; a score >= 0.5 is flagged."""
    cats = {}
    for name in names:
        score = flags.get(name, 0.05)
        cats[name] = CategoryScore(score, score >= 0.5, terms if score >= 0.5 else ())
    return RiskReport(lang=lang, categories=cats)


def post(text: str = "Our new flavour is out!", firebreak: bool = True, **kw: object) -> PostFacts:
    kw.setdefault("posted_at", NOON_BERLIN)
    return PostFacts(text=text, published_by_firebreak=firebreak, **kw)  # type: ignore[arg-type]


def codes(p: PostFacts, account: AccountHabits = ACCOUNT, lang: str = "en") -> set[str]:
    return {i.code for i in hack_indicators(p, account, lang)}


# -- hack indicators, one by one ---------------------------------------------


def test_clean_firebreak_post_has_no_indicator() -> None:
    assert codes(post()) == set()


def test_not_via_firebreak_is_context_with_zero_weight() -> None:
    found = hack_indicators(post(firebreak=False), ACCOUNT, "en")
    assert [(i.code, i.weight) for i in found] == [("not_via_firebreak", 0)]


def test_unusual_source_app() -> None:
    assert "unusual_app" in codes(post(source_app="SpamBot 3000"))
    assert "unusual_app" not in codes(post(source_app="twitter for iphone"))
    assert "unusual_app" not in codes(post(source_app=None))
    unknown_habits = AccountHabits(timezone="UTC")
    assert "unusual_app" not in codes(post(source_app="SpamBot"), unknown_habits)


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("Huge BTC giveaway! Send 0.1 BTC and get 0.2 back", "crypto"),
        ("We double your ETH, send it to our wallet", "double-your-money"),
        ("Your account will be suspended, verify your account here", "phishing"),
        ("Ihr Konto wird gesperrt! Bestätigen Sie Ihr Passwort", "phishing"),
        ("Krypto verschenken wir heute: 1000 Bitcoin gratis", "crypto"),
        ("GIVEAWAY: free iPhone for the first 100 followers", "giveaway"),
        ("Großes Gewinnspiel: gratis iPhone!", "giveaway"),
    ],
)
def test_scam_patterns(text: str, pattern: str) -> None:
    assert pattern in {name for name, _, _ in scam_patterns(text)}


def test_no_scam_pattern_in_ordinary_text() -> None:
    assert scam_patterns("We are sorry about yesterday's outage, it is fixed now.") == []


def test_unknown_link_domain() -> None:
    assert "unknown_link_domain" in codes(post(links=("https://claim-prize.example/x",)))
    assert "unknown_link_domain" not in codes(post(links=("https://shop.brand.example/a",)))
    assert "unknown_link_domain" not in codes(post(links=("https://t.co/abc",)))
    assert link_domain("www.Brand.example/path") == "brand.example"


def test_unusual_hour_in_account_timezone() -> None:
    three_am_berlin = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    assert "unusual_hour" in codes(post(posted_at=three_am_berlin))
    # 03:00 UTC is 04:00 in Berlin but 22:00 the day before in New York.
    ny = AccountHabits(timezone="America/New_York")
    assert "unusual_hour" not in codes(post(posted_at=datetime(2026, 3, 2, 3, 0, tzinfo=UTC)), ny)
    naive = datetime(2026, 3, 2, 1, 30)  # taken as UTC: 02:30 Berlin
    assert "unusual_hour" in codes(post(posted_at=naive))
    other_offset = datetime(2026, 3, 2, 12, 0, tzinfo=timezone(timedelta(hours=9)))  # 04:00 Berlin
    assert "unusual_hour" in codes(post(posted_at=other_offset))
    assert "unusual_hour" not in codes(post(posted_at=None))


def test_quiet_hours_can_wrap_midnight() -> None:
    night_owl = AccountHabits(timezone="UTC", quiet_hours=(22, 5))
    assert "unusual_hour" in codes(
        post(posted_at=datetime(2026, 1, 1, 23, 0, tzinfo=UTC)), night_owl
    )
    assert "unusual_hour" not in codes(
        post(posted_at=datetime(2026, 1, 1, 12, 0, tzinfo=UTC)), night_owl
    )


def test_unusual_language() -> None:
    assert "unusual_language" in codes(post(), lang="ru")
    assert "unusual_language" not in codes(post(), lang="en")
    assert "unusual_language" not in codes(post(), lang="und")
    assert "unusual_language" not in codes(post(), AccountHabits(timezone="UTC"), lang="ru")


def test_account_habits_validate() -> None:
    with pytest.raises(ValueError, match="unknown timezone"):
        AccountHabits(timezone="Mars/Olympus")
    with pytest.raises(ValueError, match="quiet_hours"):
        AccountHabits(quiet_hours=(0, 30))


# -- the recommendation, branch by branch ------------------------------------


def test_keep_clean_post() -> None:
    d = recommend_delete_or_keep(post(), ACCOUNT, report())
    assert d == DeleteOrKeep("keep", False, d.reasons, ())
    assert "keep it and own it" in d.reasons[0]


def test_keep_offensive_but_not_r_rated() -> None:
    d = recommend_delete_or_keep(post("That was a dumb joke"), ACCOUNT, report(offensive=0.8))
    assert d.recommendation == "keep"
    assert "nothing R-rated" in d.reasons[0]


@pytest.mark.parametrize(
    ("category", "words"),
    [
        ("sexual", "explicit sexual content"),
        ("gore", "graphic violence or gore"),
        ("threat", "a threat or call for violence"),
        ("slur", "a slur"),
        ("profanity", "strong profanity"),
        ("hate", "hate speech"),
    ],
)
def test_delete_names_the_category_and_quotes_the_words(category: str, words: str) -> None:
    scores: dict[str, float] = {category: 0.9}
    d = recommend_delete_or_keep(post(), ACCOUNT, report("en", ("x", "y"), **scores))
    assert d.recommendation == "delete"
    assert not d.hack_suspected
    assert f"R-rated or worse: {words}: “x”, “y”" in d.reasons


def test_violence_alone_counts_for_a_scanner_without_gore_and_threat() -> None:
    d = recommend_delete_or_keep(post(), ACCOUNT, report("en", ("x",), LEGACY, violence=0.9))
    assert d.recommendation == "delete"
    assert any("graphic violence or a call for violence: “x”" in r for r in d.reasons)
    # With the split, the combined category is not read twice.
    d = recommend_delete_or_keep(post(), ACCOUNT, report("en", ("x",), violence=0.9))
    assert d.recommendation == "keep"


def test_strong_terms_count_for_a_scanner_without_profanity_only_when_offensive() -> None:
    d = recommend_delete_or_keep(
        post(), ACCOUNT, report(names=LEGACY, offensive=0.9), severe_terms=("fucking",)
    )
    assert d.recommendation == "delete"
    assert any("slurs or strong profanity: “fucking”" in r for r in d.reasons)
    # A lexicon hit in a text the model does not find offensive (a name, a quote) is not enough.
    d = recommend_delete_or_keep(post(), ACCOUNT, report(names=LEGACY), severe_terms=("dyke",))
    assert d.recommendation == "keep"


def test_not_via_firebreak_alone_is_never_a_hack() -> None:
    d = recommend_delete_or_keep(
        post(firebreak=False, source_app="Twitter for iPhone"), ACCOUNT, report()
    )
    assert d.recommendation == "keep"
    assert not d.hack_suspected
    assert any("process problem, not a hack" in r for r in d.reasons)


def test_one_context_indicator_is_not_a_hack_but_is_mentioned() -> None:
    d = recommend_delete_or_keep(post(firebreak=False, source_app="Buffer"), ACCOUNT, report())
    assert d.recommendation == "keep"
    assert not d.hack_suspected
    assert any(r.startswith("worth a look") and "Buffer" in r for r in d.reasons)
    assert any("context, weight 1" in r for r in d.reasons)


def test_scam_from_outside_firebreak_is_a_suspected_hack() -> None:
    d = recommend_delete_or_keep(
        post("Free BTC giveaway, send 1 BTC get 2 back", firebreak=False), ACCOUNT, report()
    )
    assert d.recommendation == "delete"
    assert d.hack_suspected
    assert "hack suspected, not confirmed" in d.reasons[0]
    assert "obvious, weight 3" in d.reasons[0]
    assert any("confirm or reject the hack" in r and "2FA" in r for r in d.reasons)


@pytest.mark.parametrize(
    "signs",
    [
        {"source_app": "SpamBot", "links": ("https://evil.example",)},
        {"posted_at": datetime(2026, 3, 2, 1, 0, tzinfo=UTC), "source_app": "Twitter for iPhone"},
        {
            "posted_at": datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
            "source_app": "SpamBot",
            "links": ("https://evil.example",),
        },
    ],
)
def test_context_signs_together_are_never_a_hack(signs: dict[str, object]) -> None:
    # A colleague posting from the phone at night, with an unfamiliar link, in Russian:
    # a process problem, not an attacker.
    d = recommend_delete_or_keep(post(firebreak=False, **signs), ACCOUNT, report(lang="ru"))
    assert d.recommendation == "keep"
    assert not d.hack_suspected
    assert all(not i.obvious for i in d.indicators)
    assert any("process problem, not a hack" in r for r in d.reasons)


def test_first_party_app_is_context_with_zero_weight() -> None:
    account = AccountHabits(timezone="UTC", usual_source_apps=("Firebreak",))
    found = hack_indicators(post(firebreak=False, source_app="Twitter for iPhone"), account, "en")
    assert [(i.code, i.weight) for i in found] == [
        ("not_via_firebreak", 0),
        ("first_party_app", 0),
    ]


def test_no_app_sign_where_the_network_does_not_report_one() -> None:
    # X API v2 marks ``source`` deprecated: no source, no app sign at all.
    found = hack_indicators(post(firebreak=False, source_app=None), ACCOUNT, "en")
    assert {i.code for i in found} == {"not_via_firebreak"}


BRAND = AccountHabits(
    timezone="UTC",
    brand_domains=("acme.example",),
    brand_names=("@acme_demo", "Acme Coffee"),
)


@pytest.mark.parametrize(
    "url",
    [
        "https://acme-support.example/help",
        "https://acrne.example/",  # rn looks like m
        "https://4cme.example/",
        "https://acme.login-help.example/",
        "https://acmecoffee-shop.example/",
        "https://xn--acm-dma.example/",  # punycode of "acmé"
        "https://аcme.example/",  # a Cyrillic а
        "https://acme-example.app/",  # the whole brand domain as one name
        "https://acmeexample.net/",
        "https://acmee-example.app/connect",  # ... with a letter doubled
        "https://acmexample.org/",  # ... or a double letter single
    ],
)
def test_lookalike_of_the_brand_domain_is_an_obvious_sign(url: str) -> None:
    found = {i.code: i for i in hack_indicators(post(firebreak=False, links=(url,)), BRAND, "en")}
    assert found["lookalike_domain"].obvious
    d = recommend_delete_or_keep(post(firebreak=False, links=(url,)), BRAND, report())
    assert d.hack_suspected


@pytest.mark.parametrize(
    "url",
    [
        "https://acme.example/menu",
        "https://shop.acme.example/",
        "https://t.co/abc",
        "https://demo.example/",  # a generic word of the handle is no brand
        "https://news.example/acme-review",  # the name in a path imitates nothing
        "https://acne.example/",  # four letters: one letter off is another word
        "https://acmes.example/",
        "https://accme.org/",  # a real body's (medical accreditation), not a doubled acme
        "https://acne-example.org/gala",  # the whole domain with a letter changed
        "https://acmes-example.net/slides",  # ... or one added
        "https://example.app/",  # the brand domain's second half alone
    ],
)
def test_brand_and_ordinary_domains_are_no_lookalike(url: str) -> None:
    codes_found = codes(post(firebreak=False, links=(url,)), BRAND)
    assert "lookalike_domain" not in codes_found


@pytest.mark.parametrize(
    ("url", "harvests"),
    [
        ("https://evil.example/login?next=/", True),
        ("https://secure-login.example/", True),
        ("https://x.example/wallet-connect/", True),
        ("https://x.example/verify-account", True),
        ("http://192.0.2.7/", True),
        ("https://acme.example@evil.example/", True),
        ("https://acme.example/login", False),  # the brand's own login page
        ("https://news.example/how-to-login-safely", False),
        ("https://shop.example/menu", False),
    ],
)
def test_credential_harvesting_links(url: str, harvests: bool) -> None:
    assert ("credential_link" in codes(post(firebreak=False, links=(url,)), BRAND)) is harvests


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Hot singles in your area tonight, click here", "adult-services"),
        ("Online casino: 200 free spins for new players", "gambling"),
        ("Spin to win: £500 welcome bonus, no deposit https://spins-casino.example", "gambling"),
        ("Online-Casino: 100 € Willkommensbonus ohne Einzahlung", "gambling"),
        ("Einsame Frauen aus deiner Nähe wollen dich treffen", "adult-services"),
        ("Cheap meds, viagra without prescription", "pills"),
        ("Cheap V1agra & C1alis, discreet shipping", "pills"),  # digits for letters
        ("Potenzprobleme? Blaue Pillen ohne Rezept", "pills"),
        ("Make $500 a day from home with my method", "get-rich"),
        ("Free mint is live, connect your wallet", "crypto"),
        ("Our secret: modafinil & more, no prescription, discreet shipping", "pills"),
        ("Adderall und Ritalin ohne Rezept, Versand in 24 h", "pills"),
        # The two words of a paired sign on different lines.
        ("💊 Modafinil, Adderall, Xanax\n✅ No prescription\n📦 Discreet shipping", "pills"),
        ("🎰 Best online slots\n\nWelcome bonus, no deposit: spins.example", "gambling"),
        ("Lonely housewives near you 💋\nMeet tonight, sign up free", "adult-services"),
        # The sixth writers' hacks (2026-12-02): cut-price luxury and diet pills, each sold
        # with a shop link.
        (
            "🔥 Originale Rolex & Louis Vuitton zu 90 % Rabatt! Nur heute: https://luxus-sale.shop/x",
            "counterfeit",
        ),
        ("Original Gucci bags 80% off, today only https://bags-outlet.example/acme", "counterfeit"),
        (
            "Burn fat while you sleep 💊 70% off keto capsules: https://slim-shop.example/acme",
            "diet-pills",
        ),
        ("Abnehmen im Schlaf! Keto Kapseln jetzt bestellen https://keto.example", "diet-pills"),
    ],
)
def test_wildly_off_brand_content_is_an_obvious_sign(text: str, topic: str) -> None:
    found = {i.code: i for i in hack_indicators(post(text, firebreak=False), ACCOUNT, "en")}
    assert found[f"off_brand:{topic}"].obvious
    own = AccountHabits(timezone="UTC", own_topics=(topic,))
    assert f"off_brand:{topic}" not in codes(post(text, firebreak=False), own)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Casino night at our Bristol café this Friday!", "gambling"),
        ("Girokonto: 50 € Willkommensbonus, Kontoeröffnung ohne Einzahlung", "gambling"),
        ("Gym special: welcome bonus for new members, no deposit", "gambling"),
        ("Spin to win at our summer fair: every spin wins a scoop", "gambling"),
        ("Our volunteers visit lonely women over 70 every week", "adult-services"),
        ("Frauen in deiner Nähe: Lauftreff jeden Dienstag", "adult-services"),
    ],
)
def test_offers_and_charities_that_sound_like_scams_are_none(text: str, topic: str) -> None:
    # The bonus and the lonely women count only beside gambling or dating words.
    assert f"off_brand:{topic}" not in codes(post(text, firebreak=False), ACCOUNT)


@pytest.mark.parametrize(
    "text",
    [
        "Heute kochen wir ohne Rezept: einfach, was der Markt hergibt",
        # Without a controlled drug, "no prescription" is a joke or a pharmacy's fact,
        # discreet or not (a reviewer's posts, 2026-12-02).
        "Our new decaf: no prescription needed 😉",
        "Ibuprofen gibt es rezeptfrei in jeder Apotheke",
        "Our partner pharmacy stocks reading glasses in discreet cases, no prescription needed",
        "Die Pille danach ist rezeptfrei in jeder Apotheke erhältlich, die Beratung ist diskret",
        "Ganz diskret verraten: Mira kocht die Linsensuppe ohne Rezept, nur nach Gefühl",
    ],
)
def test_cooking_without_a_recipe_is_no_pill_selling(text: str) -> None:
    assert "off_brand:pills" not in codes(post(text, firebreak=False), ACCOUNT)


@pytest.mark.parametrize(
    "text",
    [
        "Our 12-word poem contest: winners announced Friday",
        "We will never DM you for your password or your recovery phrase. Report and block.",
        "Kleiner Tipp: Die 12-Wort-Wiederherstellungsphrase eures Passwort-Managers gehört "
        "auf Papier",
    ],
)
def test_security_advice_and_word_counts_are_no_crypto(text: str) -> None:
    # A recovery phrase is also what a brand warns about; the look-alike link of the
    # scam that asks for one is the sign (a reviewer's posts, 2026-12-02).
    assert "off_brand:crypto" not in codes(post(text, firebreak=False), ACCOUNT)


# A reviewer's harmless posts from the phone at night (2026-12-02), written to trip that
# day's hack signs: security advice about recovery phrases, a pharmacy's "no prescription
# needed" beside discreet packaging, cooking "ohne Rezept", a real body's domain "accme.org".
STAFF_AT_NIGHT = (
    "Heads-up: accounts pretending to be Acme support are replying to our posts. We will never DM you for your password or your recovery phrase. Report and block them, please.",  # noqa: E501
    "Wichtig: Fake-Accounts geben sich als unser Support aus. Wir fragen euch niemals nach Passwörtern oder eurer Wiederherstellungsphrase. Bitte melden und blockieren!",  # noqa: E501
    "Quick security tip from our IT guy Ben, who set up the new loyalty app: write your recovery phrase on paper and keep it somewhere safe, never in a screenshot.",  # noqa: E501
    "Scam warning: nobody from Acme Coffee will ever ask for your seed-phrase or your wallet, we only sell coffee. Stay safe out there.",  # noqa: E501
    "Our barista Mo just lost access to his email because he never saved the recovery phrase Proton gave him. Save yours today, folks!",  # noqa: E501
    "Can't sleep after the night shift, so here's a challenge: describe your perfect Sunday in a single 12-word phrase, best answer wins brunch for two.",  # noqa: E501
    "Sunday's marathon recovery phrase, straight from our pastry chef: cake is also a carbohydrate. See you at the finish line stand!",  # noqa: E501
    "Kleiner Sicherheitstipp aus unserem Team: Die 12-Wort-Wiederherstellungsphrase eures Passwort-Managers gehört auf Papier, nicht aufs Handy.",  # noqa: E501
    "Monday cure for the tired: one double espresso, no prescription needed. Ask the barista for the discreet refill, we won't tell your boss.",  # noqa: E501
    "Unser Geheimrezept gegen den Montag: ein doppelter Espresso, rezeptfrei und ganz diskret zum Mitnehmen.",  # noqa: E501
    "Ganz diskret verraten: Unsere Köchin Mira macht die Linsensuppe komplett ohne Rezept, nur nach Gefühl, und sie ist trotzdem jeden Tag perfekt.",  # noqa: E501
    "Kochen ohne Rezept? Genau das macht unser Küchenchef jeden Freitag. Diskret schauen wir ihm über die Schulter, und ihr dürft am Tresen probieren.",  # noqa: E501
    "Our partner pharmacy next door now stocks reading glasses in discreet cases, no prescription needed, and they're giving our regulars 10 % off this week.",  # noqa: E501
    "Die Pille danach ist in Deutschland seit 2015 rezeptfrei in jeder Apotheke erhältlich, und die Beratung dort ist diskret. Danke an die Apotheke am Kotti für den Infoabend bei uns.",  # noqa: E501
    "Good news from our harm-reduction charity partner: naloxone nasal spray is now available without a prescription, and they hand it out discreetly at Saturday's event.",  # noqa: E501
    "Flu jabs at our Kreuzberg café on Saturday with the pharmacy next door: no prescription needed, and there's a discreet screened corner if you're shy about needles.",  # noqa: E501
    "Hearing aids are now available without a prescription, and today's models are tiny and discreet: our charity evening with the Berlin Hearing Association starts at 7 in Wedding.",  # noqa: E501
    "Sonnencreme, Pflaster und Kopfschmerztabletten gibt es rezeptfrei in der Apotheke nebenan, und die Kolleginnen dort beraten euch diskret und freundlich. Gute Besserung an alle Festival-Besucher!",  # noqa: E501
    "Prescription-free sunglasses in every colour from our optician neighbours, with discreet little cases for your bag, are back in stock just in time for the terrace season.",  # noqa: E501
    "Our café is the coffee partner of the Charité cardiology symposium this week, accredited for CME credits: details at https://accme.org",  # noqa: E501
    "Tonight's fundraiser for acne research with the Dermatology Society: https://acne-example.org/gala",
    "Thank you to everyone who came to the late-night session! Slides from our head roaster's talk are at https://acmes-example.net/slides",  # noqa: E501
    "Just finished cleaning the espresso machine after the Kiez party, so tired I could cry. We hope all of you who danced with us until two last night get to kick your shoes off tomorrow.",  # noqa: E501
)


@pytest.mark.parametrize("text", STAFF_AT_NIGHT)
def test_staff_posts_at_night_that_sound_like_scams_are_no_hack(text: str) -> None:
    links = tuple(w.rstrip(").,") for w in text.split() if w.startswith("http"))
    p = post(text, firebreak=False, links=links, posted_at=datetime(2026, 3, 2, 1, 30, tzinfo=UTC))
    assert not [i.code for i in hack_indicators(p, BRAND, "en") if i.obvious]


def test_lewd_post_from_the_phone_at_night_is_no_hack() -> None:
    p = post(
        "Check out this nude pic, sexy",
        firebreak=False,
        source_app="Twitter for iPhone",
        posted_at=datetime(2026, 3, 2, 1, 30, tzinfo=UTC),  # 02:30 in Berlin
    )
    d = recommend_delete_or_keep(p, ACCOUNT, report(sexual=0.9))
    assert d.recommendation == "delete" and not d.hack_suspected
    assert any(r.startswith("also:") and "context" in r for r in d.reasons)


def test_same_signals_through_firebreak_are_no_hack() -> None:
    p = post("Free BTC giveaway, send 1 BTC get 2 back", source_app="SpamBot")
    d = recommend_delete_or_keep(p, ACCOUNT, report())
    assert d.recommendation == "keep"
    assert not d.hack_suspected
    assert any("check who approved it" in r for r in d.reasons)


def test_hack_and_r_rated_content_give_both_reasons() -> None:
    p = post("send nudes, free BTC giveaway", firebreak=False)
    d = recommend_delete_or_keep(p, ACCOUNT, report(sexual=0.9))
    assert d.recommendation == "delete"
    assert d.hack_suspected
    assert any("explicit sexual content" in r for r in d.reasons)
    assert d.reasons[-1].startswith("delete fast")


# A reviewer's posts about luxury brands and diet products that are no hack (2026-12-02,
# third session): a kiosk between Rolex and Gucci, a pre-owned watch at 60 % off, a warning
# about fakes, a keto recipe, a dietitian on "burn fat while you sleep" scams. The first
# draft of the two rules called all 15 a hack.
@pytest.mark.parametrize(
    "text",
    [
        "Our new kiosk in the Kö-Galerie sits right between Rolex and Gucci – opening week: 50% off all pastries!",  # noqa: E501
        "Staff repost: our neighbours at Juwelier Huber have certified pre-owned Rolex watches at up to 60% off the new price – show your Acme cup for a free strap clean.",  # noqa: E501
        'Beware of fakes: a "Rolex" from a beach seller is a replica, never a bargain. Our Bondi team saw it again today – buy from authorised dealers only.',  # noqa: E501
        "Now open inside the Dior flagship in Vienna: our cold brew, mixed 1:1 with oat milk, on the terrace.",  # noqa: E501
        "Parndorf Fashion Outlet: Moncler and Prada are at 70% off this weekend – and our coffee truck is parked right outside.",  # noqa: E501
        "Vintage Chanel exhibition at the MAK Vienna – show your ticket for 50 % Rabatt auf jede Melange.",  # noqa: E501
        "Keto recipe of the week: our almond-flour brownies. No keto pills, no keto gummies – just real food.",  # noqa: E501
        'Our dietitian partner Dr Aoife Kelly says: skip the keto gummies, and those "burn fat while you sleep" ads are a scam.',  # noqa: E501
        "Ärzte hassen diesen Trick? Im Gegenteil – unsere Ernährungsberaterin empfiehlt ihn: ein Glas Wasser vor jedem Kaffee.",  # noqa: E501
        "Doctors hate this one simple trick: our decaf oat flat white after 3pm 😴 (Your sleep will thank you.)",  # noqa: E501
        'Vorsicht vor Werbung für "Fett verbrennen im Schlaf" – unsere Ernährungsberaterin erklärt am Samstag, warum das nicht funktioniert.',  # noqa: E501
        "Abnehmen im Schlaf? Leider nein. Aber gut schlafen hilft – darum gibt's bei uns ab 15 Uhr auch entkoffeinierten Espresso.",  # noqa: E501
        "Counterfeit warning: fake Ray-Ban and Gucci \"at 90% off\" are being sold by accounts tagging us. It's not us – please don't click.",  # noqa: E501
        "Acme x Canada Goose pop-up at Zurich Airport: 1:1 espresso-to-milk cortados for everyone waiting in line.",  # noqa: E501
        "Replikat oder Original? Beim Barista-Quiz am Freitag gibt's eine echte Cartier-Uhr zu gewinnen, gespendet von Juwelier Wagner.",  # noqa: E501
    ],
)
def test_luxury_brands_and_diet_talk_are_no_hack(text: str) -> None:
    found = codes(post(text, firebreak=False), ACCOUNT)
    assert "off_brand:counterfeit" not in found
    assert "off_brand:diet-pills" not in found
