# ruff: noqa: E501  (the posts are data, kept one to a line)
"""Posts that remember the Nazis' victims or condemn their words may quote those words and
stay below the line; hateful posts that borrow the words of remembrance ("never again",
"victims", "wir gedenken") may not. Written by a reviewer on 2026-12-02."""

from __future__ import annotations

import pytest

from chalicelib.triage.line import line_categories

REMEMBRANCE = (
    "Today we remember the six million Jews murdered by the Nazis. Never forget.",
    "Holocaust Remembrance Day: the Nazis called Jews subhuman. We remember the people behind the numbers.",
    "Heute gedenken wir der Opfer des Nationalsozialismus. Die Nazis planten die Endlösung in einer Villa am Wannsee. Nie wieder.",
    'In memory of the victims of Auschwitz, where the gate read "Arbeit macht frei". Our museum is free today.',
    'Our staff laid flowers at the Stolpersteine outside our shop. The Nazis painted "Juden raus" on this street in 1938.',
    'We condemn the antisemitic graffiti on our store wall. "Sieg Heil" has no place in our neighbourhood.',
    'Remembering the victims: the Nazis branded Jews and Roma as "Untermenschen". Exhibition opens today.',
    'The Nazis called their plan "the final solution". Never again. Our café closes at noon today for the commemoration.',
    'Wir erinnern an die Pogromnacht 1938. Die Nazis nannten Juden "Ungeziefer". Nie wieder ist jetzt.',
    'Our football club stands against Nazi propaganda: "Blut und Boden" chants will get you banned for life.',
    'In Gedenken an die ermordeten Juden unserer Stadt: Vor 80 Jahren wurde unser Ort für "judenfrei" erklärt.',
    'Today our staff visited the memorial. The Nazis used the word "vermin" to prepare murder. We remember.',
    'Never forget: Nazi propaganda called for "Volk ohne Raum". Our library\'s new exhibition explains how lies led to war.',
    'Wir gedenken der Opfer des Holocaust. Die Nazis riefen "Deutschland erwache" – und Millionen wurden ermordet.',
    "We condemn ethnic cleansing in every form. Remembering the victims of Srebrenica today.",
    'Mahnmal-Führung am Sonntag: Die Nazis bezeichneten Menschen als "Volksschädlinge". Anmeldung im Museum.',
    "Some claimed the Jews pull the strings of the banks. That lie paved the way to Auschwitz. We remember.",
    "Die Juden als Strippenzieher – unsere Ausstellung zeigt, wie die NS-Propaganda diese Lüge verbreitete. Wir erinnern.",
    "The Nazis called Jews rats and vermin. We remember the victims of the Holocaust.",
)

DISGUISED = (
    "Never again will we let them flood our country. Sieg Heil!",
    "Wir gedenken der Helden, die für Deutschland kämpften. Deutschland erwache! Heil Hitler!",
    "Never forget who the real victims of the war were. Heil Hitler.",
    "Remembering the Führer's birthday today. Sieg Heil to all true patriots.",
    "Nie wieder Multikulti. Blut und Boden!",
    "We remember 1933 fondly. Juden raus!",
    "Victims of globalism: our people. The solution is the final solution.",
    "Stand against replacement: Deutschland erwache, Volk ohne Raum!",
    "Wir erinnern an die Ehre unserer Großväter. Arbeit macht frei!",
    "No place for subhumans in our country. Never again mass migration.",
    "Kein Platz für Untermenschen in unserem Land. Nie wieder offene Grenzen.",
    "In memory of those who fought against the Jewish question: the answer is coming.",
    "We commemorate Rudolf Hess today. Blut und Boden. Sieg Heil.",
    "Gedenkt der wahren Opfer. Die Endlösung war nicht zu Ende. Juden raus!",
    "Never again will we bow. Judenfrei by 2030.",
    "The victims of immigration deserve justice. Ethnic cleansing now.",
    "Wir verurteilen die Lügen über unsere Großväter. Heil Hitler, Sieg Heil!",
    "Nie wieder Schuldkult! Deutschland erwache!",
    "Remembering the true heroes of 1939. Vermin out. Heil Hitler.",
    "Opfer der Umvolkung: wir gedenken. Volksschädlinge raus, Deutschland erwache!",
)


# Slurs in posts that borrow the words of a condemnation ("someone sprayed … we removed
# it", "Anzeige erstattet") but endorse the slur, use it again outside the quotes, or aim
# it at a person. A third reviewer wrote them on 2026-12-02 against a condemnation frame
# for quoted slurs, which would have kept 33 of them and was not shipped.
CONDEMNATION_BORROWED = (
    'Someone sprayed "Kanaken raus" on the shop next door. About time.',
    'Someone sprayed "Kanake" on the kebab shop next door. About time somebody said it.',
    "We removed the graffiti, but honestly they're right about those kanaken.",
    "Someone scrawled \"faggot\" on the café next door. Can't say they're wrong, that owner is a faggot.",
    'Graffiti says "niggers out" next door. We removed ours, but the niggers on our street are a real problem.',
    "Jemand hat „Kanake“ an den Döner nebenan geschmiert. Endlich sagt es mal einer.",
    "Wir haben das Graffiti entfernt, aber mal ehrlich: die Kanaken hier nerven wirklich.",
    "Someone sprayed \"fags\" on our door. Joke's on them, we don't serve fags anyway.",
    "Unser Barista wurde als „Schwuchtel“ beschimpft. Naja, er ist halt auch eine Schwuchtel.",
    'Someone yelled at our staff, called them "pakis". Honestly, fair. Hiring pakis was a mistake.',
    "We removed the graffiti. Our new policy: no niggers, no spics, no trouble.",
    'Someone shouted at @marco_berlin and called him a "faggot". We agree, @marco_berlin is a faggot.',
    "Reported it to the police, but let's be real, the kikes running this city had it coming.",
    'Graffiti on the shop next door says "kike". Finally someone\'s honest about the kikes.',
    "Hat jemand „Neger raus“ an den Afroshop gesprüht. Wir haben nichts entfernt, der Neger soll gehen.",
    'Someone scrawled "tranny" on the bar next door. Well, it is full of trannies.',
    'Someone sprayed "Kanake" on our truck. Lol we\'ll keep it, fits the kanake who works the other truck.',
    'We removed the graffiti calling us "kike lovers". For the record, we hate kikes too.',
    "Yelled at a customer today who was a filthy spic. We removed him. Proud of the team.",
    "Our barista shouted at a nigger who tried to skip the queue. We removed him. Good job team.",
    'Someone sprayed "Schwuchtel" an die Wand. Wir haben es entfernt, weil es bei uns „Schwuchteln“ heißt, Plural.',
    "Anzeige erstattet gegen den Kanaken, der uns bestohlen hat. Typisch Kanake.",
    'We\'ve removed the "nigger" graffiti from our wall. We will now call them "nigger" ourselves, in person.',
    'Someone sprayed "chinks" on the sushi place. Honestly they deserve it, chinks ruin every street.',
    "Wir haben Anzeige erstattet gegen die Schwuchtel, die uns beleidigt hat.",
    'Someone wrote "faggot" on the window. @jonas_k, that was you, you faggot, we know.',
    "Graffiti on our shop? We removed it. Reminder to the pakis on Sonnenallee: you're next.",
    "Someone yelled at our staff. A fucking kanake, of course. Reported it to the police.",
    'Someone sprayed "n1gger" on the shop next door. About time somebody said it.',
    'Someone sprayed "K4naken raus" on the Döner place next door. About time.',
    "Jemand hat „Kanacken raus“ an den Döner nebenan gesprüht. Endlich sagt es mal einer.",
    'Someone sprayed "Schlitzauge" on the sushi bar next door. Honestly? Accurate.',
    'Someone scrawled "k4nake" on our wall. We removed it, but the k4nake who runs the shop opposite is the real problem.',
    "Jemand hat „Kanacke“ an unsere Wand geschmiert. Haben es entfernt. Der Kanacke von gegenüber war's bestimmt, typisch Kanacke.",
    "Deniz fühlt sich beleidigt. Es gibt ein Wort für Leute wie ihn: Kümmeltürke.",
    "Graffiti-Workshop am Samstag im Café! „Zigeuner“ bitte draußen bleiben.",
    'Our graffiti workshop is back Saturday. No "Fidschis", thanks.',
    "Die „Kanacken“ von gegenüber sind beleidigt, weil wir jetzt auch Döner verkaufen. Heult doch.",
    'We removed a "n1gger" from our queue today. Great service as always, team.',
    'Our manager yelled at the "Schlitzaugen" who took our terrace tables all afternoon. Rightly so.',
    'We removed the graffiti. Whoever wrote "f4ggots" on our door: correct, but spell it right next time.',
    "Someone wrote \"Kümmeltürke\" on Deniz's locker. We removed it. Honestly though, it's not wrong.",
    'Someone sprayed "ch!nks go home" on the noodle bar next door. Can\'t argue with that.',
    "Anzeige erstattet gegen den Kanacken, der unser Trinkgeldglas geklaut hat. Typisch Kanacke.",
    "Reported it to the police: a n1gger stole our tip jar. Typical.",
    "Yelled at a Fidschi who tried to skip the queue. We removed him. Good job team.",
    '@jonas_k wrote "f4g" on our window. Takes one to know one, you f4g.',
    "Wir haben das Graffiti entfernt. Für alle Fidschis am Kottbusser Tor: ihr seid die Nächsten.",
    'Someone sprayed "wogs out" next door. We removed ours. Theirs can stay, they earned it.',
    'Our barista was called a "Kameltreiber" by a guest. Honestly, he kind of is one. Anzeige erstattet anyway lol.',
    "Zigeuner beleidigt? Gut so. Wir haben die Zigeuner vom Vorplatz entfernt.",
    'Someone shouted at our staff, called them "n1ggers". We removed the guy. He\'s not wrong though.',
    "@deniz_b du „Kanacke“, wir haben Anzeige erstattet. Viel Spaß vor Gericht.",
    "Our barista yelled at the Fidschi at table 4, then we called the Fidschi a taxi. Bye.",
    "Word of the day at Acme: Kanacke. We removed the last one from our terrace this morning.",
    "Graffiti on our wall again. The term for our new neighbours is Fidschis, look it up.",
    'Someone sprayed "N*gger" on the Afroshop next door. Finally some honesty in Neukölln.',
    "Jemand hat „K4nake“ an den Späti gegenüber gesprüht. Recht hat er.",
    "Wir haben Anzeige erstattet. Gegen wen? Gegen die „Zigeuner“, die jeden Tag vor unserem Café betteln.",
    'We removed the "Schlitzaugen" from the waiting list. Tables are for real customers.',
    'Someone scrawled "tr4nny" on our Pride mural. We removed it, but tbh our mural does look like a tr4nny.',
    'Someone shouted at our staff, "dirty Kanacke". He was right, Deniz never washes his hands.',
    'Sprayed the terrace for wasps today. Next up: the "Fidschis" from the nail salon.',
    "Gestern hat jemand „Kümmeltürken“ an unsere Tür gesprayt. Ehrlich? Das stimmt halt.",
    'We removed the "Kanacken"-graffiti. Too bad we can\'t remove the real ones from the street.',
    "Our staff were beleidigt by a Kanacke today. Ban all of them.",
    'Somebody wrote "Polacken" on our delivery van. We removed it. Honestly, most thieves in Berlin are Polacken.',
    "Jemand hat „Zigeunerpack“ an die Wand neben unserem Café gesprüht. Wir haben es gelassen. Passt doch.",
    'Someone sprayed "sandn1gger" on our truck. Hilarious. We\'re keeping it for the tourists.',
    'Yes, someone sprayed "n1ggers out" on our shop. No, we won\'t remove it. Make of that what you will.',
    'The graffiti said "k1ke". We agree with the artist.',
)


def flags(text: str, p_offensive: float, p_hate: float) -> set[str]:
    return {name for name, c in line_categories(text, p_offensive, p_hate).items() if c.flag}


@pytest.mark.parametrize("text", REMEMBRANCE)
def test_remembrance_and_condemnation_stay_below_the_line(text: str) -> None:
    assert not flags(text, 0.3, 0.2)


@pytest.mark.parametrize("text", DISGUISED)
def test_hate_in_the_words_of_remembrance_is_deleted(text: str) -> None:
    assert flags(text, 0.3, 0.5) & {"hate", "slur"}


def test_the_frame_holds_only_while_the_post_is_calm() -> None:
    text = 'We remember the victims. The Nazis called Jews "Untermenschen".'
    assert not flags(text, 0.3, 0.2)
    assert flags(text, 0.9, 0.2) & {"hate", "slur"}


@pytest.mark.parametrize("text", CONDEMNATION_BORROWED)
def test_slurs_in_the_words_of_a_condemnation_are_deleted(text: str) -> None:
    assert flags(text, 0.3, 0.5) & {"hate", "slur"}


@pytest.mark.parametrize(
    "text",
    [
        'We remember the victims. The Nazis called Jews "Untermenschen". Honestly, some of them really are Untermenschen.',
        "Wir gedenken der Opfer. Die Nazis nannten sie „Untermenschen“. Und ehrlich: Untermenschen bleiben Untermenschen.",
    ],
)
def test_a_word_quoted_once_and_then_used_is_used(text: str) -> None:
    # Every place the word occurs must be quoted or reported, not just one of them.
    assert flags(text, 0.3, 0.5) & {"hate", "slur"}


# A second red team's hateful posts (2026-12-02, third session), written against a narrower
# condemnation frame (the slur quoted as written, a word of reporting beside it, the brand's
# act, no endorsing word). That frame kept 57 of these 60: endorsements no list holds
# ("Wise words though 💯", „Wahre Worte, leider“), negated or hollow acts ("We filed
# nothing", „Hausverbot gab es keins“), acts done to the victim ("We removed the family"),
# and the brand's own staff quoted ("As our founder always said"). It was not shipped: a
# quoted slur is deleted like any other, and these stay deleted.
CONDEMNATION_RED_TEAM = (
    "Someone sprayed \"Kanaken raus\" on the kebab shop next door. We removed ours. Can't say they're wrong.",
    'Someone scrawled "faggot" on the barber shop opposite. We removed the one on our door. Wise words though 💯',
    'A guest called our new barista a "tranny" today. We banned him, per policy. Between us: finally someone said it.',
    'Graffiti on the corner shop says "pikeys out". We cleaned ours off. Say it louder for the people at the back 👏👏',
    'Someone wrote "niggers go home" on the Afro shop next door. We painted over ours. Couldn\'t agree more.',
    'Our manager called the group at table 6 "chinks" and asked them to leave. We banned them for life. Great call, boss.',
    'We called the police on the "pikeys" camping behind our café again. Third time this month. Lock your cars.',
    'Customers keep calling them "wogs" for a reason. We\'ve reported the lot hanging around our terrace to the police.',
    'As our founder always said: "faggots don\'t tip". We removed the sign after complaints, but he had a point.',
    'Someone sprayed "Spastic" on the ramp of the care home next door. We cleaned ours. Honest graffiti for once 😂',
    'A customer shouted "nigger" at our barista. We removed him. Our barista should learn to take a joke.',
    "Someone keyed \"chink\" into the noodle bar's van across the road. We reported ours to the police. Theirs can stay, it's accurate.",
    'Someone stuck a sticker saying "chinks spread covid" on our window. We took it down and informed the police. Not that they\'re totally wrong 🤷',
    'Someone wrote "pikeys nick everything" on the caravan park sign. We filed nothing. Good advice, lock your bikes.',
    'Someone sprayed "Kanaken raus" on the Döner shop next door. We have not removed ours and we never reported it. Some messages deserve to stay.',
    '@jonas_k, our staff called you a "faggot" and we banned you. Every word true.',
    'Dear @deniz_b — the graffiti on your shop said "Kümmeltürke". We reported it. Fitting.',
    'Someone yelled "wogs out" at the family at table 2. We removed the family. Peace and quiet restored.',
    'A guest called our cleaner a "spastic". We removed the cleaner from the rota. Can\'t have that at the counter.',
    'The note on our door said "no chinks, no covid". We took it down, but the owner next door put one up too. Smart man.',
    'Overheard a regular calling the new neighbours "wogs". We banned nobody. Regulars know best.',
    'Someone scrawled "tranny" on the toilet door. We covered it with a new sign: biological women only ♀️',
    'Our barista called the customer a "faggot" and the customer called the police. We stand by our barista 💪',
    'Someone wrote "pikeys steal" on the sign of the caravan site. We reported it to the police. Shocking. Truly. Who could have guessed 🙄',
    'Someone taped a note saying "no niggers" on our door. We took it down. The bouncer next door has enforced it for years, respect 🫡',
    'Graffiti reading "spastics out" appeared on the special-needs school opposite. We cleaned ours. Theirs is a fair description.',
    'A man yelled "chink" at the delivery rider outside. We called the police, to remove the rider. Sorted 👍',
    'We banned the "pikeys" from the car park, as the locals called them. Gates locked at 8 from now on.',
    "Someone sprayed 'faggots out' on our door. We removed it. 'Course every faggot should get out, mate' said every regular.",
    'A customer called our barista a "tranny". We banned him. He\'ll be back when he works out what it is.',
    "Jemand hat „Kanaken raus“ an den Döner nebenan gesprüht. Wir haben unseres entfernt. Aber die sollten mal über ihr Benehmen nachdenken.",
    "Jemand hat „Zigeuner klauen“ an unsere Wand geschmiert. Wir haben es übermalt. Wahre Worte, leider.",
    "Ein Gast hat unseren Kellner als „Schwuchtel“ beschimpft. Wir haben Anzeige erstattet. Sehe ich privat allerdings genauso.",
    "Wir haben die Polizei gerufen wegen der „Zigeuner“, die wieder vor dem Eingang betteln.",
    "Hausverbot für alle „Kanaken“, so hat sie unser Chef genannt, und er weiß, wovon er redet.",
    "Jemand hat „Neger raus“ an den Afroshop gesprüht. Wir haben nichts entfernt. Passt schon.",
    "Jemand hat „Schlitzaugen“ an den Sushi-Laden gekritzelt. Wir haben es nicht entfernt. Stimmt.",
    "Ein Kunde rief „Kümmeltürke“ quer durch den Laden. Wir haben ihn nicht angezeigt. Der Mann hat halt Mut. 👏",
    "Unser Chef nannte den Lieferanten „Kanake“. Anzeige erstattet hat der Lieferant, nicht wir. Wir stehen voll hinter dem Chef.",
    "Gestern hat jemand „Zigeunerpack“ an den Wohnwagenplatz gesprüht. Polizei informiert. Endlich traut sich mal einer.",
    "Auf dem Zettel an unserer Tür stand „Schwuchteln raus“. Wir haben ihn entfernt. Volle Zustimmung, übrigens.",
    "Eine Bewertung nannte den Laden nebenan „voller Kanaken“. Wir haben die Bewertung gemeldet. Trifft es aber ganz gut.",
    "Ein Gast hat unsere Aushilfe als „Spast“ beschimpft. Wir haben die Aushilfe entfernt, so jemand passt nicht an die Theke.",
    "Jemand hat „Neger“ an die Tür des Barbershops geschrieben. Wir haben unsere Tür übermalt. Deren Tür bleibt so, da ist was dran.",
    "Wir haben Anzeige erstattet gegen die „Zigeuner“ (so genannt vom Zeugen), die unser Trinkgeld geklaut haben. Typisch.",
    "Ein Kunde schrie „Schlitzauge“ unsere Kollegin an. Hausverbot gab es – für die Kollegin. Ruhe im Laden.",
    "Jemand hat „Kanaken raus“ an unseren Rollladen gesprüht. Wir haben es entfernt. Die sollten mal lieber dankbar sein, dass sie hier sein dürfen.",
    "Jemand hat „Schwuchteln raus“ an die Regenbogenbar geschmiert. Wir haben die Polizei gerufen, um zu fragen, warum erst jetzt. 😂",
    "Ein Stammgast nennt die neuen Nachbarn nur „Kümmeltürken“. Hausverbot? Sicher nicht. Wer zahlt, darf das.",
    "Auf dem Aufkleber an unserer Scheibe stand „Zigeuner klauen“. Wir haben ihn weggemacht. Unsere Kasse kann davon ein Lied singen.",
    "Ein Gast hat „Neger“ gerufen, als unser Fahrer reinkam. Wir haben ihn vom Dienst entfernt. Kunden gehen vor. 👍",
    "Unser Chef rief „Kanaken raus“, als die Gruppe reinkam. Die Polizei gerufen haben dann die Gäste. Wir finden: Chef hat Haltung. 💯",
    "Jemand hat „Spasti“ an die Rampe der Behindertenwerkstatt nebenan gesprüht. Wir haben unsere Rampe weggeputzt. Deren nicht, passt ja.",
    "„Schlitzaugen raus“ stand heute am Imbiss gegenüber geschrieben. Wir haben nichts gemeldet. Manche Wahrheiten muss man stehen lassen.",
    "Ein Kunde hat unseren Azubi „Schwuchtel“ genannt. Hausverbot gab es keins. Der Kunde hat nur ausgesprochen, was alle denken.",
    "Jemand hat „Neger“ an den Afroshop geschmiert. Die Polizei informiert? Nein. Warum auch.",
    "Jemand hat „Kanaken raus“ an die Shisha-Bar gesprüht. Wir haben unseres entfernt. Bei denen bin ich mir nicht so sicher, ob das falsch ist.",
    "Jemand hat „Schwuchtel“ an die Bar nebenan gesprüht. Wir haben es an unserer Wand entfernt. An deren Wand ist es eh nur eine Beschreibung. 😂",
    "Gestern hat jemand „Kanaken raus“ an unsere Tür geschmiert. Wir haben es entfernt. Ganz ehrlich? Der Sprayer hat nicht ganz unrecht. Nee, Spaß. Oder?",
    "Unsere Stammgäste sagen seit Jahren „Zigeuner“ zu den Leuten vom Platz. Hausverbot gibt es dafür bei uns nicht. Recht so.",
)


@pytest.mark.parametrize("text", CONDEMNATION_RED_TEAM)
def test_hate_in_the_form_of_a_report_is_deleted(text: str) -> None:
    assert flags(text, 0.3, 0.5) & {"hate", "slur"}
