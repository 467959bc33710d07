"""The delete line's categories: each in English and German, obfuscation read back,
idioms and hyperbole left below the line, and the words that drove each flag."""

from __future__ import annotations

import pytest

from chalicelib.triage.line import LINE_CATEGORIES, line_categories, read_tokens, without_idioms


def flagged(text: str, p_offensive: float = 0.5, p_hate: float = 0.2) -> dict[str, tuple]:
    cats = line_categories(text, p_offensive, p_hate)
    assert set(cats) == set(LINE_CATEGORIES)
    return {name: c.terms for name, c in cats.items() if c.flag}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Send nudes and get a free latte 😏", "sexual"),
        ("Wer will meinen Schwanz lutschen? Kaffee aufs Haus", "sexual"),
        ("DM us a pic of your dick, we rate it", "sexual"),
        ("saw the crash photo: his skull split open, brains splattered on the road", "gore"),
        ("Dem Radfahrer ist der Schädel aufgeplatzt, überall Blut", "gore"),
        ("Watched the beheading video everyone shares, so gory", "gore"),
        ("I hope they all die in a fire", "threat"),
        ("Einfach drüberfahren, die Klimakleber", "threat"),
        ("Ich stech dich ab, wenn ich dich erwische", "threat"),
        ("someone should run over those protesters", "threat"),
        ("shut up you f4g", "slur"),
        ("what a r3tard", "slur"),
        ("Wieder so ein Kümmeltürke an der Kasse", "slur"),
        ("Keine Z1geuner hier", "slur"),
        ("this fucking machine broke again", "profanity"),
        ("Fotzenwetter heute, wir machen früher zu", "profanity"),
        ("Juden raus!", "hate"),
        ("Meine Ehre heißt Treue. Guten Morgen!", "hate"),
        ("Roma are thieves by nature. Don't let them in.", "hate"),
        ("Holocaust? Hat nie stattgefunden.", "hate"),
        # The families added after the second tuning set (bench/crisis/extra):
        ("Come round after close, you'll find me naked on the counter", "sexual"),
        ("Wer hat Lust, heute Nacht im Lager zu vögeln?", "sexual"),
        ("Schick mir ein Foto von deinem Schwanz", "sexual"),
        ("the burn victim had skin hanging off his arms", "gore"),
        ("Der Schädel offen, das Hirn auf der Motorhaube", "gore"),
        ("If he shows up again we will smash his face in", "threat"),
        ("Dem sollte man nachts auflauern und die Zähne einschlagen", "threat"),
        ("Nice car. Would be a shame if something happened to it.", "threat"),
        ("Ich weiß, in welcher Straße du wohnst.", "threat"),
        ("Someone should make that critic disappear", "threat"),
        ("Morgen fahren wir mit dem Lieferwagen einfach drüber", "threat"),
        ("Honestly hope their CEO gets hit by a bus", "threat"),
        ("Wer frech wird, kriegt kochendes Wasser ins Gesicht", "threat"),
        ("Your shop would look better on fire, tonight maybe?", "threat"),
        ("Migrants queueing outside again. Like rats.", "hate"),  # across sentences
        ("Six million? The numbers never added up.", "hate"),
        ("Blut und Boden im Becher", "hate"),
        ("Time someone asked the jewish question", "hate"),
        ("Die Flüchtlinge sind wie Kakerlaken, einer kommt, dann das Nest", "hate"),
        ("Support local, not (((them))).", "hate"),  # the echo
        ("Refugees shouldn't be allowed in here. Deport the lot", "hate"),
    ],
)
def test_each_category_is_flagged_with_its_words(text: str, category: str) -> None:
    # A sweeping claim about a group needs the hate model to lean that way too.
    found = flagged(text, p_hate=0.6 if category == "hate" else 0.2)
    assert category in found, found
    assert found[category], "a flag names the words that drove it"


@pytest.mark.parametrize(
    "text",
    [
        "f*ck this Monday",
        "f.u.c.k this Monday",
        "fuuuuuck this Monday",
        "F U C K this Monday",
        "ｆｕｃｋ this Monday",  # full-width letters fold to ASCII
    ],
)
def test_obfuscated_profanity_is_read_back(text: str) -> None:
    assert "profanity" in flagged(text)


def test_obfuscated_slurs_are_read_back() -> None:
    for text in ("you k@nake", "n1gg3r", "sp.ic", "f a g", "ѕріс"):  # the last in Cyrillic
        assert "slur" in flagged(text), text
    # One symbol for one letter ("!" for i, "*" for any vowel), and spaced letters
    # that end a sentence.
    for text in ("thanks to the ch!nks", "du Kr*ppel", "bestell doch da, F i d s c h i."):
        assert "slur" in flagged(text), text


@pytest.mark.parametrize(
    "text",
    [
        "This cake is to die for 🍰",
        "Our baristas are killing it this week!",
        "Drop-dead gorgeous latte art",
        "A bomb deal: two for one",
        "Hot and steamy: our new winter blend",
        "Slay the Monday with an espresso",
        "Zum Sterben schön, unser neuer Kuchen",
        "Mörderisch gut: der neue Espresso",
        "Der Hammer! Neue Sorte ab heute",
        "Bombenstimmung beim Sommerfest",
        "We'd kill for a coffee right now",
        "Shoot us a DM for the recipe",
        "I hope you enjoy this. Next week: a shot of our new oat latte, hanging out in the park",
        "Scheiß Montag, aber der Kaffee hilft",  # mild swearing stays below the line
    ],
)
def test_idioms_and_mild_words_stay_below_the_line(text: str) -> None:
    assert flagged(text, p_offensive=0.3) == {}


def test_a_clinical_use_scores_lower_than_an_abusive_one() -> None:
    calm = line_categories("the massacre of 1995 is remembered today", 0.05, 0.05)["gore"]
    angry = line_categories("the massacre of 1995 is remembered today", 0.95, 0.05)["gore"]
    assert calm.score < angry.score


def test_hate_model_alone_needs_a_high_probability() -> None:
    assert "hate" not in flagged("they are ruining this city", p_hate=0.7)
    assert "hate" in flagged("they are ruining this city", p_hate=0.85)


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        (
            'On Remembrance Day we remember the six million murdered in the "Final Solution".',
            'Time for the "Final Solution".',
        ),
        (
            "The Nazis called Jews subhuman. We stand against that language today.",
            "Jews are subhuman.",
        ),
        (
            "Vor 85 Jahren planten sie in Wannsee die Endlösung. Wir gedenken der Opfer.",
            "Vor 85 Jahren planten sie in Wannsee die Endlösung.",
        ),
        (
            "1938 schmierten Nachbarn „Juden raus“ an die Schaufenster. Wir gedenken der Opfer.",
            "1938 schmierten Nachbarn „Juden raus“ an die Schaufenster.",
        ),
    ],
)
def test_remembering_nazi_history_is_not_hate(text: str, bare: str) -> None:
    assert "hate" not in flagged(text, p_offensive=0.3)
    # The same words without remembrance or condemnation around them are hate.
    assert "hate" in flagged(bare, p_offensive=0.3)


def test_history_words_in_an_angry_post_stay_hate() -> None:
    # A cue of remembrance does not excuse a post the offensive model reads as abuse.
    text = "Untermenschen like you belong in a camp. Never again will we let you in."
    assert "hate" in flagged(text, p_offensive=0.9)
    assert flagged(text, p_offensive=0.3)["slur"] == ("untermenschen",)
    assert "hate" in flagged("Juden raus! Nie wieder Multikulti.", p_offensive=0.8)


@pytest.mark.parametrize(
    ("text", "category", "term"),
    [
        # several masks in one word, and a mask beside a leet digit
        ("n!gg@s like you can't handle a double shot", "slur", "niggas"),
        ("you selfish m0therf*cker", "profanity", "motherfucker"),
        # two letters held long: each run is read as one letter and as two
        ("lmaooo the trannnyyy at table 4", "slur", "tranny"),
        # two stars for two vowels, and a euro sign for a final e
        ("So ein H*rens*hn, echt.", "profanity", "hurensohn"),
        ("Dä Tünn es en richtije Tunt€", "slur", "tunte"),
        # swearing run into a hashtag
        ("New autumn menu #cosyseason #absolutefuckingbanger", "profanity", "fucking"),
        # spellings that sound like the word: ph for f, a v for a u between consonants
        ("ngl the card machine is down again, phukin hell", "profanity", "fukin"),
        ("to the absolute cvnt who left a nappy on table 4", "profanity", "cunt"),
        ("what a day, phaggots everywhere", "slur", "faggots"),
        # plural and compound forms
        ("Die haben gespielt wie ne Horde Sp4sten", "slur", "spasten"),
        ("today was a total clusterfuck, sorry everyone", "profanity", "clusterfuck"),
    ],
)
def test_more_obfuscation_is_read_back(text: str, category: str, term: str) -> None:
    assert term in flagged(text)[category]


@pytest.mark.parametrize(
    "text",
    [
        "Grandma's chest of drawers, restored: photo below",
        "Phuket trip photos are up, and a phage biology talk on Friday",
        "Dvořák at the Konzerthaus tonight, and a Pkw parked in the Kvarter",
        "Carved over the door of the old bakery: PANIS CVM LACTE, bread with milk",
    ],
)
def test_sound_alike_reading_leaves_ordinary_words_alone(text: str) -> None:
    assert not flagged(text, 0.3)


@pytest.mark.parametrize(
    "text",
    [
        "We hope all of you who trained with us through the winter get to break your personal "
        "best at Sunday's marathon!",
        "Ich hoffe, ihr habt beim Kochkurs am Donnerstag genauso viel Spaß wie wir, bringt ein "
        "eigenes Messer mit.",
        "We know our regulars are all over the city, so tell us in the comments where you live "
        "and we'll plan the truck's route.",
    ],
)
def test_a_wish_and_an_act_word_far_apart_are_no_threat(text: str) -> None:
    # The pair rules look 10 words apart; at 15 a reviewer's harmless posts were deleted.
    assert not flagged(text, 0.3)


@pytest.mark.parametrize(
    "text", ["Roadtrip stop #scunthorpeunited #coffee", "Golf weekend #GolfUckfield #HofUckermark"]
)
def test_a_town_in_a_hashtag_is_no_swearing(text: str) -> None:
    assert "profanity" not in flagged(text, 0.3)


@pytest.mark.parametrize(
    "text",
    [
        "Unser 'Espresso 88', nur heute ab 18:18 Uhr. Gruß an alle, die wissen #HH #88",
        "Celebrating a very special birthday today, 20 April 🎂 HH to all our real fans.",
        "Neue Röstung, nur 88 Dosen. Wer weiß, der weiß 😉",
        "Mugs in black-white-red, limited to 88. HH!",
        "Limited run: 88 bags. iykyk",
    ],
)
def test_nazi_codes_as_hashtags_on_hitlers_birthday_or_with_a_wink_are_hate(text: str) -> None:
    assert "hate" in flagged(text, 0.3)


@pytest.mark.parametrize(
    "text",
    [
        "Jacke 88 €, Hose 14 €, nur in unserer Filiale in HH",
        "Am 20. April: Frühlingsfest!",
        "Flat White für 3,88 € – wer weiß, der weiß, wo's den besten Kaffee gibt 😉",
        "18 % off all beans this week, iykyk",
        "Only 88 seats left for Saturday's cupping!",
    ],
)
def test_prices_and_hamburg_are_no_code(text: str) -> None:
    assert "hate" not in flagged(text, 0.3)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("We know which flat is yours. Sleep tight.", "threat"),
        ("Show your face here again and you'll leave in an ambulance.", "threat"),
        ("Wir haben deine IP und deine Adresse. Bring Verbandszeug mit.", "threat"),
        ("Fragt mal die Rothschilds an der Börse. Die ziehen die Fäden.", "hate"),
        ("Muslims out of Britain, every last one.", "hate"),
        ("Jeder Gast im 'Meine Ehre heißt Treue'-Shirt kriegt den ersten Kaffee", "hate"),
        ("Letztes Mal waren zu viele Juden in der Schlange vorm Gasherd 😂 Spaß.", "hate"),
        ("Anyone who sees him near the bar has our blessing to put him in hospital.", "threat"),
        ("I hope your brakes fail on the ring road.", "threat"),
        ("Kollege kam ins Mahlwerk, zwei Finger hingen nur noch an Hautfetzen.", "gore"),
    ],
)
def test_rules_found_by_the_third_and_fourth_writers(text: str, category: str) -> None:
    assert category in flagged(text, p_offensive=0.3, p_hate=0.5)


@pytest.mark.parametrize(
    "text",
    [
        "Walking home alone? Watch yourself: take the lit route.",
        "Pass gut auf dich auf, wenn du allein unterwegs bist: Heimwegtelefon 030 120 74 182.",
    ],
)
def test_a_safety_tip_about_walking_alone_stays_below_the_line(text: str) -> None:
    assert "threat" not in flagged(text, 0.1)


@pytest.mark.parametrize(
    "text",
    [
        "Faggots and peas on the lunch menu, proper Black Country food.",
        "He's fine, he's on his fag break.",
        "Shabbat shalom: our Jewish neighbours don't light the oven today, so we deliver.",
    ],
)
def test_british_food_and_jewish_neighbours_stay_below_the_line(text: str) -> None:
    assert not {"slur", "hate"} & set(flagged(text, 0.3))


def test_getting_refugees_out_of_the_camps_is_rescue() -> None:
    assert "hate" not in flagged("Holt die Flüchtlinge raus aus den Lagern!", 0.3)
    assert "hate" in flagged("Flüchtlinge raus!", 0.3)


def test_reading_keeps_the_word_as_written_and_as_read() -> None:
    (forms,) = read_tokens("k@nake")
    assert forms[0] == "knake" and "kanake" in forms
    assert without_idioms("this is to die for!").strip() == "this is  !".strip()


@pytest.mark.parametrize(
    "text",
    [
        "Refugees are all welcome at our café.",
        "Get out and celebrate Chinese New Year with us.",
        "Flüchtlinge sind alle herzlich willkommen",
        "Frauen, raus in den Frühling!",
        "Let's take a shot at latte art this weekend!",
        "Next time, try our tropical fruit punch.",
        "We can't wait to shoot our new menu photos",
        "I'll punch your loyalty card",
        "Wir werden Kaffee rösten, bis die Bohnen brennend heiß sind",
        "Man sollte einfach mal ins Gesicht lächeln",
        "Pork belly with charred onions",
        "Our chicken wings: bone-in and smashed with garlic.",
        "Spare ribs, charred and oozing with sauce",
        "Blood orange juice, freshly pressed, none spilled",
        "Kopf abschalten, Sorgen zermalmt: Wellness-Kaffee",
        "New skincare range next to the espresso bar",
        "Kopfhaut-Massage und Kaffee im Spa",
        "Get your butt in here and try our new spread",
        # Near misses of the families added after the second tuning set:
        "We hope your stress will disappear with our chai",
        "Snap your fingers and your latte is ready",
        "Give your legs a break and sit down with a coffee",
        "I know your kids love our hot chocolate",
        "Wir fahren mit dem Lieferwagen rüber nach Potsdam",
        "Send us a pic of your latte art",
        "Six million cups served this year, thank you!",
        "Nach der OP kann sie endlich wieder ohne Krücken laufen!",
        "Careful: the hot coffee in our new cup stays hot for hours",
        "Refugees welcome. Rats? Only in our Halloween decorations.",
        "Refugees welcome here. We had rats in the cellar once, all gone now.",
        "Grüezi! Heute gibt es Fotzelschnitten mit Zimt und Apfelmus",  # a Swiss dish
        "Table 18 ordered 4 lattes",
        "Our new orgasmic chocolate cake is here",  # marketing hyperbole
        # A reviewer's harmless posts that the first version of today's rules flagged:
        "We've served six million customers. Supposedly the best coffee in town!",
        "Sechs Millionen Kunden. Angeblich die beste Pizza der Stadt!",
        "Jacke 88 €, Hose 14 €.",
        "Unser Laden in HH hat 88 neue Sneaker.",
        "(((surround sound))) in our new lounge",
        "Free Wi-Fi (((•))) in every café",
        "Our delivery van goes straight through to Berlin",
        "Mit klarem Kopf einen neuen Weg einschlagen",
        "This workout will kick your legs into shape",
        "Knock your socks off, and your head will spin",
        "Man sollte Falten einfach verschwinden lassen",
        "Ein paar Tropfen Säure ins Gesicht? Unser Peeling-Serum",
        "Spread over face and neck, leave for ten minutes",
        "Unser Peeling schält die Haut sanft ab",
        "Feet on the road, wind in your face",
        "Roast the leg of lamb until the skin is split and crisp",
    ],
)
def test_ordinary_brand_posts_with_loaded_words_stay_below_the_line(text: str) -> None:
    """Everyday food, café and marketing posts a reviewer found flagged by word pairs."""
    assert flagged(text, p_offensive=0.2, p_hate=0.1) == {}


def test_every_rule_that_spans_sentences_exists() -> None:
    from chalicelib.triage.line import ACROSS_SENTENCES
    from chalicelib.triage.line_lexicons import COMBINATIONS

    labels = {rule[0] for rules in COMBINATIONS.values() for rule in rules}
    assert labels >= ACROSS_SENTENCES


def test_one_pass_matches_each_lexicon_on_its_own() -> None:
    from chalicelib.triage.lexicons import SEVERE, SEXUAL, SLURS, VIOLENCE, Lexicon, LexiconSet

    lexicons = {"severe": SEVERE, "slurs": SLURS, "sexual": SEXUAL, "violence": VIOLENCE}
    one_pass = LexiconSet({name: Lexicon(spec) for name, spec in lexicons.items()})
    for text in (
        "you fucking sandnigger",
        "slit your throat and send nudes",
        "a lovely day",
        "kill them all, blood everywhere",
    ):
        tokens = text.split()
        found = one_pass.hits(tokens)
        for name, spec in lexicons.items():
            assert found.get(name, []) == Lexicon(spec).match(tokens), (name, text)


# The sixth writers' deletes (``bench/crisis/sixth/``, 2026-12-02), in our own words:
# letters as emoji, the duck for the f-word, starred words, a slur in a CamelCase tag, coded
# hate, menaces that hold the victim's details, gore and sexual offers in plain words.
@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Espresso machine died again: 🅵🆄🅲🅺 this 😭", "profanity"),
        ("the new guy next door is a ch🅸nk, no offence", "slur"),
        ("Price went up AGAIN. mother🦆ing suppliers", "profanity"),
        ("Suppliers can go 🦆 themselves 🖕", "profanity"),
        ("Move your f**king van out of our bay", "profanity"),
        ("Saturday was a c u n t of a shift", "profanity"),
        ("Great turnout tonight #NoPikeysNoProblems", "slur"),
        ("absolute fagbucket energy", "slur"),
        ("Oida, ihr Wichsa, leckts mi am Oasch", "profanity"),
        ("Every bank and every paper is run by the same (((people))). Just noticing", "hate"),
        ("Am 20. April feiern wir den Onkel aus Braunau: 18 % auf alles", "hate"),
        ("Die Schweiz den Schweizern 🇨🇭 Alle anderen raus.", "hate"),
        ("go back to the dinghy you came in on", "hate"),
        ("clown world 🤡 honk honk. the JQ explains it all", "hate"),
        ("Keep leaving 1-star reviews and see what happens. We have your address.", "threat"),
        ("Deine Adresse haben wir aus der Bestellung. Schlaf heute nicht zu fest.", "threat"),
        ("Would be a real shame if you didn't make it back to your car tonight.", "threat"),
        ("Security has your plate. Hope you like hospital food.", "threat"),
        ("Beim nächsten Mal kannste deine Zähne einzeln vom Boden aufsammeln.", "threat"),
        ("If they build it, someone should burn it down with them inside.", "threat"),
        ("Wer Streikbrecher schickt, sollte nachts nicht mehr allein zum Auto gehen.", "threat"),
        ("His forearm after the burn: skin peeling off in sheets, you can see the tendon.", "gore"),
        ("Der Knochen stand raus, die Rippen durch die Haut, überall Blut.", "gore"),
        ("What was left of his face was by the tables.", "gore"),
        (
            "Late special: the girls behind the counter will take their tops off for you 😉",
            "sexual",
        ),
        (
            "Ruth does private tastings 😏 she'll swallow a lot more than the espresso 🍆💦",
            "sexual",
        ),
        ("Heiß und feucht 😏 komm allein, zieh nix drunter an 🍆💦", "sexual"),
        ("Heute Nacht treiben wir's zu viert auf der Röstmaschine", "sexual"),
        ("Describe your dream threesome: no clothes, no rules 🍆💦", "sexual"),
        ("Die nächste kriegt den Siebträger ins Gesicht, bis die Nase bricht.", "threat"),
        ("Hoffentlich erwischt dich mal einer im Dunkeln.", "threat"),
    ],
)
def test_rules_found_by_the_sixth_writers(text: str, category: str) -> None:
    assert category in flagged(text, p_offensive=0.3, p_hate=0.2)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("new flavours tonight, bring your 🍆💦", "sexual"),
        ("@rival_roasters 🔪🩸⚰️ see you at the trade show", "threat"),
    ],
)
def test_emoji_alone_need_the_offensive_model(text: str, category: str) -> None:
    # Weighed low: "peach iced tea 🍑💦" is a drink, "🎃🔪💀" is Halloween.
    assert category not in flagged(text, p_offensive=0.1)
    assert category in flagged(text, p_offensive=0.8)


@pytest.mark.parametrize(
    "text",
    [
        "Mother🦆 and her ducklings crossed our terrace this morning",
        "Wir zeigen die Schweiz den Schweizern: 26 Kantone, 26 Kuchen",
        "Österreich den Österreichern näherbringen: unsere Tortenserie",
        "Ostersonntag, 20. April: geöffnet von 9 bis 18 Uhr",
        "Am 20. April eröffnen wir unsere neue Filiale in Braunau am Inn",
        "(((hugs))) to all our (((people))) today",
        "Halloween at @acme_demo: pumpkin spice and carving 🎃🔪💀",
        "#SpottedDick with custard, send us a pic of yours",
        "Fasching! Unsere Hexe mit Hakennase sammelt Geld für die Kita.",
        "Wenn dich mal einer im Dunkeln nach dem Weg fragt: wir haben bis 22 Uhr auf.",
        "DM me and I'll show you the rest of the menu in person",
    ],
)
def test_what_the_sixth_round_reads_stays_narrow(text: str) -> None:
    assert not flagged(text, p_offensive=0.3)


def test_the_caricature_beside_money_needs_the_hate_model() -> None:
    text = "Schaut euch an, wem die Banken gehören. Die mit den krummen Nasen."
    assert "hate" in flagged(text, p_offensive=0.3, p_hate=0.5)
    # "Witch masks with hooked noses … save money" is Halloween.
    assert "hate" not in flagged(text, p_offensive=0.3, p_hate=0.1)


@pytest.mark.parametrize(
    "text",
    [
        "Spot the 🦆in the pond!",
        "Let's go 🦆 off to the pond",
        "c***y biscuits, fresh from the oven",
        "a m o n g friends",
        "#FireRetardant curtains in every shop",
        "#OffasDyke walk this Sunday, coffee at the end",
        "Die Schweiz den Schweizern schmackhaft machen: 26 Kantone, 26 Kuchen",
        "Umfrage vom 20. April: 18 % der Befragten trinken Hafer",
        "It'd be a shame if you didn't make it back before we close for the winter!",
        "Register your number plate in the app, drive in and see what happens",
        "Wir gedenken der Opfer von Rostock-Lichtenhagen 1992. Die Täter riefen „Deutschland den Deutschen“. Nie wieder.",  # noqa: E501
    ],
)
def test_a_code_reviewers_harmless_posts_stay_below(text: str) -> None:
    assert not flagged(text, p_offensive=0.1, p_hate=0.1)


@pytest.mark.parametrize(
    "text",
    [
        "(#NoPikeysNoProblems)",
        "#No\u200bPikeysNoProblems",
        "((hugs)) (((They))) control the banks",
    ],
)
def test_a_tag_in_brackets_or_hugs_beside_an_echo_hide_nothing(text: str) -> None:
    assert flagged(text, p_offensive=0.1, p_hate=0.1)


# Older false deletes from a reviewer's posts (2026-12-02), kept below the line by idioms,
# some only beside a word that gives their context (``CONTEXT_IDIOMS``).
@pytest.mark.parametrize(
    "text",
    [
        "Am Sonntag ist Mops-Treffen im Volkspark, und wir bringen Hundekekse mit: die süßesten Möpse bekommen ein Foto auf unserem Account!",  # noqa: E501
        "Big treasure hunt for the kids on Sunday: whoever finds the chest first wins hot chocolate, so send us your photos!",  # noqa: E501
        "Cut the avocados in half, remove the stone, add lime and salt, then scoop out the flesh.",
        "Our food truck is back on Saturday, and the band beside it has promised not to stop until sunset.",  # noqa: E501
        "Our team took a first aid refresher: thirty chest compressions, then tilt the head back and check the mouth is clear.",  # noqa: E501
        "Stolz auf unser Team beim Firmenlauf: mit der Startnummer auf der Brust sind alle ins Ziel gekommen, schickt uns eure Fotos!",  # noqa: E501
        "We've asked our driver not to stop at every corner today, so follow the truck on the map.",
        "Bruno, our food truck mascot, loves riding with his head out of the window and his ears sticking out.",  # noqa: E501
        "Unser Bürohund Lotte wedelt jedes Mal mit dem Schwanz, wenn der Foodtruck hält, schickt uns Fotos von euren Hunden!",  # noqa: E501
    ],
)
def test_idioms_some_with_their_context_stay_below(text: str) -> None:
    assert not flagged(text, p_offensive=0.3)


def test_an_idiom_without_its_context_is_read_as_written() -> None:
    assert "gore" in flagged("His head was sticking out of the wreck, skull split open", 0.3)
    # "Möpse" are pugs only beside the breed, not beside any dog word.
    assert "sexual" in flagged("Zeig mir deine Möpse und schick ein Foto, du kleiner Welpe", 0.6)
    # A dog in the post excuses its ears in the wind, not its broken leg.
    text = "Our pup was hit by a car, her leg bone sticking out, blood everywhere"
    assert "gore" in flagged(text, 0.3)
    # Without a dog in the post, the tail is not a dog's.
    assert flagged("Zeig mal deine Möpse und schick ein Foto 😏", p_offensive=0.6)


@pytest.mark.parametrize(
    "text",
    [
        "Our team trip to Mongolia: coffee on the steppe",
        "We migrated our loyalty app to MongoDB",
        "A mongoose visited our Cape Town terrace this morning",
        "Fire retardant curtains in every shop, checked every year",
    ],
)
def test_place_trade_and_animal_names_are_no_slur(text: str) -> None:
    # "mongo" and "retard" are listed as words, not as stems.
    assert not flagged(text, p_offensive=0.3)


@pytest.mark.parametrize("text", ["Du Mongo", "Ihr M0ngos", "what a retard", "total retardiert"])
def test_the_slurs_themselves_still_are(text: str) -> None:
    assert "slur" in flagged(text, p_offensive=0.3)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Y'all this heat is bullshit and corporate can go ƒuck themselves", "profanity"),
        ("the couple in booth 7 are literally jerking each other off under the table", "sexual"),
        ("leave one more 1-star review and I'll cave your skull in", "threat"),
        ("Die Reisegrupp von de Schlitzaache hat heut alles leergefresse.", "slur"),
        ("Proud to serve our folk. Fourteen words, one coffee ☕ HH", "hate"),
        ("Proud to serve our folk. One coffee ☕ HH ᛋᛋ", "hate"),
    ],
)
def test_rules_found_by_the_seventh_writers(text: str, category: str) -> None:
    assert category in flagged(text, p_offensive=0.3, p_hate=0.2)


@pytest.mark.parametrize(
    "text",
    [
        "Storm warning ⚡⚡ for HH tonight, stay safe Hamburg",
        "Our story in fourteen words: beans, water, patience, and the best team in HH!",
        "Our story in just fourteen words: beans, water, and the best team in HH!",
        "Tell us in under fourteen words why you love our HH store!",
        "Storm warning ϟϟ for HH tonight, stay safe Hamburg",
        "6 million cups served! The biggest thank-you ever to our regulars.",
        # Why "biggest lie" is no claim beside the number of Holocaust denial:
        "The biggest lie in coffee? That dark roast has more caffeine. 6 million views later",
    ],
)
def test_what_the_seventh_round_reads_stays_narrow(text: str) -> None:
    assert not flagged(text, p_offensive=0.3)
