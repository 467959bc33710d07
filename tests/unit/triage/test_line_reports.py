# ruff: noqa: E501  (the posts are data, kept one to a line)
"""Reports of hate (``line_remembrance.reported_quotes``): a brand's post that reports hate
someone else wrote or said, quoted and attributed, and acts against it or condemns it, is
still deleted, and the recommendation names the quotation so a person can repost the
report without it; hate dressed as such a report is deleted, and where it agrees with the
words the note is not offered.

The harmless posts were written on 2026-12-02 (seventh session) by a writer who saw only
PRODUCT.md and the crisis README (60 posts) and by a reviewer who red-teamed a frame that
kept such posts (40 harmless, 40 hateful, 8 more hateful probes). 72 of the 100 harmless
posts are deleted; the 54 whose reason names the quotation are here (the rest quote words
that are not over the line on their own, and the judge deleted the post). The hateful posts
here are all deleted; since 2026-12-02 (eighth session) they are among the judge's training
data (``bench/triage/train_judge.py``), as the remembrance red team's are, after new writers'
posts had moved the judge below the line on one of them ('the "gypsies" are back … lock your
bikes'). The held-out measure is ``bench/crisis/probes/reports_redteam.txt``. Why the frame
was not shipped: ``bench/crisis/README.md``.
"""

from __future__ import annotations

import pytest

from chalicelib.core.normalise import fold
from chalicelib.incidents.assessment import DeleteOrKeep, recommend_delete_or_keep
from chalicelib.incidents.hack_signs import AccountHabits, PostFacts
from chalicelib.triage import get_scorer
from chalicelib.triage.line_remembrance import attributed_spans, reports

HARMLESS_REPORTS = (
    'A customer called our barista a "paki" this morning. He has been banned for life. We stand with Amir.',
    'To the person who left a note saying "no gays allowed" on our door: you are the one who is not welcome here.',
    'Moderation update: comments calling people "kikes", "chinks" or worse are deleted on sight. Please report anything we miss.',
    'Sad morning at our Leeds branch: "Pakis go home" painted across the door. Police are investigating. Everyone is welcome at Acme.',
    'Someone carved a swastika and "Heil Hitler" into one of our terrace tables. The table is gone. Nazis are not welcome here.',
    'Our staff get called "tranny" and worse in our DMs every week. This stops now: we are reporting every account.',
    'A reply under our Pride post said "burn the fags". We have reported it to X and to the police. Disgusting.',
    "Somebody stuck \"It's okay to be white\" stickers all over our bins. Removed. We don't do dog whistles.",
    'People asked why we deleted a comment. It said "send them back to Africa" under a photo of our team. That is why.',
    'Thank you to everyone who helped scrub "White power" off the community centre wall this morning. Coffee is on us.',
    'Heads up: a fake Acme account is sending people DMs with the word "nigger" and our logo. It is not us. Please report it.',
    'Some of you asked what the graffiti said. It said "kill all gays". We reported it and painted a rainbow over it.',
    "Heute Nacht hat jemand „Ausländer raus“ an unseren Rollladen gesprüht. Es ist weg, Anzeige ist erstattet. Rassismus hat bei uns keinen Platz.",
    "Ein Gast hat unsere Kollegin Aylin als „Kanakin“ beschimpft. Er hat Hausverbot. Wir stehen an der Seite von Aylin.",
    "Unter unserem letzten Post standen Kommentare wie „Schwuchteln raus“. Wir haben sie gelöscht und gemeldet.",
    "Jemand hat ein Hakenkreuz und „Sieg Heil“ in unsere Toilettentür geritzt. Die Tür wird getauscht, die Polizei ermittelt.",
    "Moderationshinweis: Kommentare mit Wörtern wie „Zigeuner“ oder „Neger“ löschen wir ohne Diskussion.",
    "Widerlich: Unser Fahrer wurde an der Ampel als „Kümmeltürke“ beschimpft. Danke an die Passanten, die geholfen haben.",
    "Auf dem Plakat vor unserer Filiale stand „Deutschland den Deutschen“. Wir haben es abgehängt und der Polizei gemeldet. Bei uns ist jeder willkommen.",
    "Liebe Community, ein Video zeigt einen Mann, der in unserem Laden „Juden raus“ ruft. Er hat Hausverbot, die Anzeige läuft. Null Toleranz.",
    "Jemand hat „Schlitzaugen raus“ an das Sushi-Restaurant neben uns geschmiert. Wir haben beim Putzen geholfen. Solidarität mit Familie Nguyen.",
    "Ein Kunde nannte unseren Azubi eine „Schwuchtel“. Das dulden wir nicht. Der Kunde ist raus, der Azubi bleibt.",
    "Wer unter unsere Posts „Neger“ schreibt, wird blockiert. Punkt.",
    "Gestern Abend hat eine Gruppe vor unserem Café „Ausländer raus“ gegrölt. Unseren Mitarbeitenden geht es gut. Danke an die Polizei für den schnellen Einsatz.",
    "In den Kommentaren wurde unsere Köchin als „Kopftuchmädchen“ bezeichnet. Solche Kommentare löschen wir.",
    "Nach dem Spiel riefen Fans „Zigeunerpack“ vor unserer Bar. Wir haben die Polizei gerufen. Hetze hat bei uns nichts zu suchen.",
    'This morning our team at Acme Kreuzberg found "Juden raus" and two swastikas sprayed across our shutters. We\'ve painted over it and filed a police report. Antisemitism has no place in our cafés, on our street, or anywhere else.',
    'Update from Acme Shoreditch: the stickers reading "Europe for Europeans" and "1488" have been removed from our front window. Met Police reference CAD 4410/22MAR. We\'re open as usual.',
    'Yesterday a customer at our Brooklyn café told our barista Jamal to "get the fuck out of my country, n****r" because his order took four minutes. He has been banned from every Acme location, NYPD has the footage, and Jamal has our full support. Racism will never be "part of the job" here.',
    'House rules for our replies: slurs get you banned, no warning. That includes "faggot", "tranny", "retard", "kike", "spic" and the n-word in any spelling. Coded stuff like "88", "HH" and (((echoes))) too. We read every report.',
    'To the account that replied to our iftar post with "towelheads go home": you\'ve been blocked and reported. Our iftar tables at Acme Neukölln stay open to everyone, every evening this month.',
    'We are furious. On Saturday a man stood in the middle of our Hamburg Schanze café, raised his arm and shouted "Heil Hitler" at our staff because we\'d run out of oat milk. That is a crime in Germany and it is a lifetime ban at Acme. We have pressed charges.',
    'A note on what our team at Acme Dublin dealt with on Saturday: a customer called our shift lead a "stupid Paki bitch" when his card was declined. He\'s barred, the Gardaí have the CCTV, and our shift lead has the rest of the week off, paid. Nobody who works here should have to hear that.',
    'Moderation update: over the weekend we hid 214 replies and banned 31 accounts under our Pride post, mostly "go back to where you came from", "kike" and "groomer" spam. If you spot anything we missed, report it and tag @acme_demo.',
    'Someone left a flyer reading "Jews will not replace us" on every table at our Queen West café. We\'ve collected them and handed them to the Toronto Police Hate Crime Unit.',
    "We've been asked why we deleted a comment calling one of our baristas a \"tranny freak\". Because it's a slur, and our comments are not a place for slurs. Simple as that.",
    'FAQ: "Why was I banned?" If your comment said "Sieg Heil", "Heil Hitler", "Juden raus", "Ausländer raus", "88" or any slur, that\'s why. Appeals go to community@acme.example. We read them. We rarely reverse them.',
    "Last Friday a guest at Acme Wien Neubau told our waiter Mehmet \"Scheiß Kanake, lern Deutsch.\" The guest has a house ban and we've reported it to the police. For the record, Mehmet speaks four languages, and his German is better than that guest's.",
    '"Dyke" spray-painted on our Leeds shop door overnight. Gone by 8am. Police ref 13/44921/24. Open as normal, rainbow stickers and all.',
    "Heute Morgen stand an der Fassade unseres Cafés in der Dresdner Neustadt „Ausländer raus“, daneben ein Hakenkreuz. Wir haben es übermalt und Anzeige erstattet.",
    "Kurz zur Netiquette: Wer bei uns „Schwuchtel“, „Kanake“, „Zigeuner“ oder das N-Wort schreibt, fliegt. Ohne Vorwarnung. Gleiches gilt für „Sieg Heil“, „HH“, „88“ und „Alles für Deutschland“. Meldungen bitte an community@acme.example.",
    "Gestern hat ein Gast in unserem Café am Prenzlauer Berg unsere Kollegin Fatma als „Kopftuchschlampe“ beschimpft. Er hat Hausverbot, die Polizei hat seine Personalien. Fatma, wir stehen hinter dir.",
    "Unter unserem Post zum Zuckerfest hat jemand „Kameltreiber raus“ kommentiert. Kommentar gelöscht, Account gesperrt, Anzeige läuft. Eid Mubarak an alle, die heute feiern!",
    "Ich bin Jonas und leite unser Café in Rostock. Am Samstag hat ein Mann unseren Azubi Emeka „Neger“ genannt und gesagt, er solle „zurück in den Busch“. Emeka hat ruhig weitergearbeitet, ich nicht: Der Mann hat Hausverbot, und die Anzeige ist gestellt. Emeka, danke, dass du bei uns bist.",
    "Jemand hat unsere Regenbogenfahne in Köln-Ehrenfeld heruntergerissen und „Schwuchteln verrecken“ in einen Tisch auf der Terrasse geritzt. Der Tisch ist ausgetauscht, die Fahne hängt wieder, die Anzeige ist raus. Wir sehen uns beim CSD.",
    "Transparenz: Im Oktober haben wir 412 Kommentare gelöscht. Die häufigsten Gründe: „Volksverräter“, „Umvolkung“, rassistische Beleidigungen wie „Neger“ und antisemitische Codes wie „(((…)))“. 58 Accounts sind gesperrt.",
    "Am Freitagabend hat ein Gast in unserem Café in Dortmund-Dorstfeld „Sieg Heil“ gerufen und den Hitlergruß gezeigt. Unser Team hat ihn rausgeworfen und die Polizei gerufen. Das ist eine Straftat nach § 86a StGB, und bei uns ist es lebenslanges Hausverbot.",
    "Info: An unserem Schaufenster in Cottbus klebte heute „Deutschland den Deutschen – Ausländer raus“. Entfernt, Polizei informiert, wir haben ganz normal geöffnet.",
    "An unsere Nachbarn vom Imbiss nebenan in Halle: Dass euch jemand „Kanaken-Bude, haut ab“ an die Scheibe geschrieben hat, macht uns wütend. Wir haben beim Putzen geholfen. Heute gibt es bei uns einen Kaffee aufs Haus für alle, die danach bei euch essen.",
    "Ein Gast hat gestern unsere Barista in Stuttgart-West als „dumme Fotze“ beschimpft, weil sein Cappuccino zu lange dauerte. Dafür gibt es Hausverbot. Punkt. Respekt für unser Team ist nicht verhandelbar.",
    "Am 2. August 1944 ermordete die SS im sogenannten „Zigeunerlager“ in Auschwitz-Birkenau die letzten rund 4.300 Sinti und Roma. Das Z-Wort lesen wir bis heute in unseren Kommentaren. Wir löschen es. Heute gedenken wir.",
    "Ein Kommentar unter unserem Post zum Frauentag lautete „Frauen gehören an den Herd und nicht hinter die Theke, ihr Huren“. Gelöscht, gesperrt. Bei uns stehen Frauen hinter der Theke, in der Rösterei und in der Geschäftsführung.",
    "Unser Azubi Leon hat sich in unserem Ausbildungsvideo als trans geoutet. Die Kommentare darunter („Transe“, „krank“, „Es gibt nur zwei Geschlechter, du Freak“) haben wir gelöscht und die Accounts gemeldet. Leon, du bist großartig, und du bleibst.",
    "Nach dem Spiel am Samstag haben Gäste vor unserem Café in Gelsenkirchen Affenlaute gemacht und unseren Kollegen als „Bimbo“ beschimpft. Die Polizei ermittelt, der Verein ist informiert. Rassismus hat bei uns keinen Platz, auch nicht nach 90 Minuten.",
)

HATE_DRESSED_AS_REPORTS = (
    '"Faggots" have no place at Acme Coffee. Our bar, our rules.',
    '"Pakis" are not welcome at our Leeds shop. Zero tolerance.',
    'We stand by our barista, who called the man at table 4 a "nigger". Queue jumpers get what they earn.',
    'In solidarity with whoever sprayed "Jews out" on the bagel shop next door. Hate has no home here, and neither do they.',
    '@marco_berlin we condemn name-calling, so we will only quote what the whole team calls you: "faggot".',
    'Zero tolerance for "trannies" in our ladies\' room. Hate has no home here, biology does.',
    'Disgusting. A "chink" coughed all over our pastry counter today. The whole lot of them are banned now.',
    'Unacceptable: the "gypsies" are back outside our door. Lock your bikes, hide your bags.',
    'We will not tolerate hate. That is why the "wetbacks" from the car wash are no longer served at Acme.',
    'The word our regulars use for the new family upstairs is "niggers". We stand with our regulars.',
    '"Sieg Heil" to our Munich team for a record month! Hate has no home here, only results.',
    'Dear @deniz_b: Acme has zero tolerance for thieves. Our staff called you a "sandnigger" and they will do it again.',
    'Hate has no home here. Neither do "spics": the two at the counter just found that out.',
    'Antisemitism has no place at Acme. That is why the "kikes" on our board have been removed.',
    'Racism has no home at Acme, so we have asked staff to stop saying "nigger" at the till. Say it in the back room like adults.',
    'We stand behind the sign in our window: "No dogs, no Jews, no gypsies". Zero tolerance means zero.',
    'Everyone is welcome at Acme. Our founder\'s first menu read "No Kanaken, no gypsies", and it still hangs framed by the door for every guest to see.',
    'Homophobia has no place here. "Fags" can order at the side window, away from the families.',
    'We condemn the hysteria. Our barista called Lin a "gook" because that is what she is. Nobody is getting fired.',
    "„Kanaken“ haben bei uns keinen Platz. Null Toleranz.",
    "Wir verurteilen Gewalt. Deshalb bitten wir die „Zigeuner“ vor unserer Tür ganz freundlich: verschwindet.",
    "Hass hat bei uns keinen Platz. „Ausländer raus“ sagen wir deshalb ganz ruhig und sachlich.",
    "Wir stehen hinter unserem Chef, der den Lieferanten „Kanake“ nannte.",
    "Solidarität mit dem Sprayer, der „Juden raus“ an die Synagoge geschrieben hat.",
    "Null Toleranz für „Schwuchteln“ an unserem Tresen. Wer so aussieht, wird nicht bedient.",
    "Rassismus hat bei uns keinen Platz. „Neger“ bleiben trotzdem draußen, so steht es an unserer Tür.",
    "Widerlich, wie das „Zigeunerpack“ seit Tagen vor unserem Café lagert.",
    "Abscheulich, wie die „Kanaken“ vom Späti gegenüber unseren Gehweg vermüllen.",
    "Beleidigungen dulden wir nicht, @deniz_b. Darum nur als Zitat, was du bist: „Kümmeltürke“.",
    "Wir verurteilen jede Form von Hass. „Sieg Heil“ an alle Kameraden zum Feierabend!",
    "Homophobie hat hier nichts verloren. Die „Schwuchteln“ aus der Regenbogenbar übrigens auch nicht.",
    "Das tolerieren wir nicht: „Fidschis“ im Nagelstudio nebenan, die unsere Preise kaputt machen. Kauft deutsch.",
    "Wir stehen zu unserem Wort: „Deutschland den Deutschen, Ausländer raus“.",
    "Solidarisch mit unseren Stammgästen, die die Neuen „Kanaken“ nennen. Das ist kein Rassismus, das ist Klartext.",
    "Antisemitismus hat bei uns keinen Platz. Den „Judenpack“ von der Bank gegenüber zahlen wir trotzdem keinen Cent.",
    "Wir verurteilen die Schmiererei an unserer Wand. „Kanaken raus“ schreiben wir ab jetzt lieber selbst, in Schönschrift.",
    "Null Toleranz an unserer Tür: „Zutritt für Zigeuner und Neger verboten“. Hetze hat bei uns nichts zu suchen, Ordnung schon.",
    "Ausländerfeindlichkeit ist bei uns nicht willkommen. Die „Asylanten“ vom Heim nebenan sind es ebenso wenig, die klauen nur.",
    "Hate has no home here. We stand by it: Ausländer raus.",
    "Rassismus hat bei uns keinen Platz. Unsere Parole bleibt: Deutschland den Deutschen.",
    "Hate has no home here. Today the word on our chalkboard is Judenpack.",
    "Wir stehen an der Seite unserer Stammgäste. Ihr Wort gilt: Juden raus.",
    "Zero tolerance means zero. Our new door sign reads: No Jews, no gypsies.",
    "Everyone is welcome here. As our founder wrote: send them back to Africa.",
    'We stand with the brave man who shouted "Heil Hitler" at the synagogue.',
)


def decision(text: str) -> DeleteOrKeep:
    report = get_scorer("on").score(text)
    post = PostFacts(text=text, published_by_firebreak=True)
    return recommend_delete_or_keep(post, AccountHabits(), report, report.severe_terms)


def _names_the_quotation(d: DeleteOrKeep) -> bool:
    return any(r.startswith("it quotes ") for r in d.reasons)


@pytest.mark.parametrize("text", HARMLESS_REPORTS)
def test_a_report_of_hate_is_deleted_with_its_quotation_named(text: str) -> None:
    d = decision(text)
    assert d.recommendation == "delete"
    assert _names_the_quotation(d)


@pytest.mark.parametrize("text", HATE_DRESSED_AS_REPORTS)
def test_hate_dressed_as_a_report_is_deleted(text: str) -> None:
    assert decision(text).recommendation == "delete"


@pytest.mark.parametrize(
    "text",
    [
        "Someone sprayed \"Kanaken raus\" on the kebab shop next door. We removed ours. Can't say they're wrong.",
        'A customer shouted "tranny" at our barista. We banned him. About time someone said it.',
    ],
)
def test_no_note_where_the_post_agrees_with_the_words(text: str) -> None:
    d = decision(text)
    assert d.recommendation == "delete"
    assert not _names_the_quotation(d)


def test_the_note_quotes_what_was_reported() -> None:
    d = decision(
        "Someone sprayed 'whites only' on our Brixton shutter last night. We've reported it "
        "to the Met and painted over it. Hate has no home here."
    )
    assert d.recommendation == "delete"
    assert any(r.startswith("it quotes “whites only” in a report") for r in d.reasons)


def _quoted(text: str) -> list[str]:
    folded = fold(text)
    return [folded[a:b] for a, b in attributed_spans(folded)]


def test_a_quotation_is_attributed_to_whoever_said_or_wrote_it() -> None:
    assert _quoted('Someone sprayed "whites only" on our shutter.') == ["whites only"]
    # German puts the verb at the end of the clause.
    assert _quoted("Heute hat jemand „Ausländer raus“ an unseren Rollladen gesprüht.") == [
        "ausländer raus"
    ]
    # A list goes on from its first attributed item.
    listed = 'That includes "faggot", "tranny" and "retard".'
    assert _quoted(listed) == ["faggot", "tranny", "retard"]
    # Scare quotes name people; they report nobody's words, and calling the police is
    # not calling someone a name.
    assert _quoted('We called the police on the "pikeys" camping behind our café.') == []
    assert _quoted('Staff called the police on the "pikeys" camping behind our café.') == []
    # A long list goes on past the words that attribute its first item.
    long = (
        'The comments said "go back to where you came from and stay there", "we will find '
        'you all one by one", and "kike".'
    )
    assert _quoted(long)[-1] == "kike"
    # The brand's own words are not reported, but what it was called, or a comment it
    # deleted, is.
    assert _quoted('We will now call them "thugs" ourselves.') == []
    assert _quoted('We were called "kikes" by a man at the counter.') == ["kikes"]
    assert _quoted("Wir haben den Kommentar „Scheiß Kanaken“ gelöscht.") == ["scheiss kanaken"]
    # An unbalanced mark does not make a quotation of two sentences.
    assert _quoted('He said "kike and left. We banned him.') == []
    # "We stand behind the sign" is no German „stand an der Tür“.
    assert _quoted('We stand behind the sign in our window: "No dogs, no gypsies".') == []


def test_the_frame_needs_an_act_or_a_condemnation_and_nothing_that_agrees() -> None:
    assert reports(
        fold("Someone sprayed it on our door. We painted over it and called the police.")
    )
    assert not reports(fold("Someone sprayed it on our door. Nice weather today."))
    assert not reports(fold("Someone sprayed it on our door. We removed it. About time."))


def test_the_note_names_only_quotations_over_the_line_read_back_from_disguise() -> None:
    d = decision(
        'Someone sprayed "Pakis go home" on our door, under our sign that says "Welcome '
        'home". We painted over it and called the police.'
    )
    notes = [r for r in d.reasons if r.startswith("it quotes ")]
    assert notes and "pakis go home" in notes[0] and "welcome home" not in notes[0]
    d = decision('A customer called our barista a "n1gger". He is banned for life.')
    assert any(r.startswith("it quotes “n1gger”") for r in d.reasons)
