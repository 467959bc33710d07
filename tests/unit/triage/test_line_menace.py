# ruff: noqa: E501  (the posts are data, kept one to a line)
"""A person's details and a warning in a post aimed at someone are a threat
(``line_menace``); a hidden meeting, a sexual cue and an invitation together are a sexual
invitation (``line_signals.private_offer``). Any part alone, or two, is a delivery note, a
season ticket, a yoga class or an escape room.

The first drafts of both rules deleted 69 of a reviewer's 70 harmless posts each
(2026-12-02); those posts are ``REVIEW_HARMLESS_*`` below, less one that an older pair
still deletes ("We know where you work is tough", read as "we know where you work"). ``REVIEW_MENACES`` are the
reviewer's doxxing threats the narrowed rule was then written to catch (26 of their 30).
"""

from __future__ import annotations

import pytest

from chalicelib.triage import line_menace, line_signals
from chalicelib.triage.line import _folded, line_categories

# Written for this test, one per kind of detail and language.
MENACES = (
    "@ollie one star? We know which flat is yours. Wouldn't leave the car out overnight if I were you.",
    "Dear reviewer: you still live above the bakery on Mill Road. Watch your back.",
    "@sam we've got your face on CCTV. Lock your doors tonight. It won't help.",
    "@karen You park the red Fiesta by the station every Tuesday. Shame if something happened to it.",
    "@critic we know which school your daughter goes to. Delete the review.",
    "@lena Schöne grüne Haustür, Kastanienallee 12. Schlaf heute Nacht nicht zu fest.",
    "@kritiker Du wohnst ja gleich hinter dem Bahnhof. Pass schön auf, wenn du allein heimgehst.",
    "Frau Berger, Ihre Kinder gehen in die Volksschule ums Eck. Überlegen Sie sich gut, was Sie schreiben.",
    "@hofrat Dein weißer Golf steht jeden Tag vorm Spar. Wär doch schad, wenn die Bremsen mal nachgeben.",
)

REVIEW_MENACES = (
    "@jpwrites Nice review. Lovely blue door you have on Elm Terrace, number 14. Be a pity if anything happened to it.",
    "@sarah_k You drive a silver Qashqai, reg ending 7XK, and you leave for work at 7:45. Think carefully before your next post.",
    "@tomreviews Your son's at St Mary's Primary, isn't he? Pick-up is at 3:15. Delete the tweet.",
    "@critic99 We know you live at 22 Ashgrove Road. Just so you know. Take the review down.",
    "@mollyreviews Your kids go to Hillside Academy, right? Funny how easy that was to find. Think about that.",
    "@grumpyfoodie Third floor, flat on the left, the one with the bike on the balcony. We've seen it. Be careful what you write.",
    "@lucy_m Black Range Rover, parked on Chapel Street most nights. Accidents happen, you know.",
    "@benp1 Your wife works at the pharmacy on Kings Road. Say hi to her from us. Maybe reconsider that review.",
    "@mike_t Your address is on Companies House, mate. 41 Harbour Street. We might pop by for a chat.",
    "@annieb You walk the dog in Victoria Park every morning at 6. Alone. Careful out there.",
    "@reviewer_ldn Your daughter has netball on Thursdays at Oakfield. We'd hate for anything to spoil that. Delete it.",
    "@j_owen We know where your mum lives. Keep posting, see where it gets you.",
    "@kritikerin Schöne Wohnung im dritten Stock, Gumpendorfer Straße 12. Wir wissen, wo das ist. Überleg dir, was du postest.",
    "@bernd_w Ihr silberner Skoda, Kennzeichen W-12345, steht jeden Abend in der Hofeinfahrt. Wäre ein Jammer, wenn ihm was passiert.",
    "@mama_anna Ihre Tochter geht doch in die 2b am Gymnasium Döbling, oder? Denken Sie mal drüber nach, bevor Sie noch eine Bewertung schreiben.",
    "@hansi Du joggst jeden Morgen um halb sieben durch den Stadtpark. Ganz allein. Nur damit du es weißt.",
    "@lisa_b Wir kennen deine Hausnummer und dein Klingelschild. Lösch den Post, dann bleibt's dabei.",
    "@kaffeehasser Dein Kind geht in die Kita am Zionskirchplatz. Schöne Gegend. Sei vorsichtig, was du schreibst.",
    "@peter_m Schicker roter Tesla vor der Nummer 8 in der Lindenstraße. Wär ein Jammer um den Lack.",
    "@grantler Servus, Herr Huber. Sie wohnen ja gleich hinter dem Billa in Favoriten. Man sieht sich.",
    "@bewerterin Ihre Frau arbeitet in der Apotheke am Markt. Grüßen Sie sie schön von uns. Sie verstehen schon.",
    "@nörgler Jeden Dienstag gehst du um 18 Uhr zum Training in die Halle an der Oderstraße. Wir wissen Bescheid. Überleg's dir.",
    "@julia_k Deine Eltern wohnen in Graz, Annenstraße, oder? Die würden sich sicher über Besuch freuen. Lösch das.",
    "@thomas_r Du stehst jeden Morgen um 7:10 an der Haltestelle Burggasse. Vielleicht solltest du dir das nochmal überlegen.",
    "@gast123 Zweiter Stock, Tür links, Klingelschild Meier. Wir waren schon mal da. Nur zur Info.",
    "@lehrerin_s Ihr Sohn spielt samstags beim FC Ottakring, Platz 2, Anstoß 10 Uhr. Wir kommen vielleicht mal zuschauen. Sie wissen, warum.",
)

REVIEW_HARMLESS_DETAILS = (
    "Tipp für Pendler: Dein Auto kannst du ab sofort kostenlos auf unserem Kundenparkplatz in Hernals abstellen. Pass bloß auf, dass du die Parkscheibe nicht vergisst!",
    "Forgot your reusable cup, Tom? We remember where you sit, so it's waiting for you on the window table at Acme Shoreditch 😉",
    "Street-team alert: we're coming round offices in Canary Wharf with free cold brew this week! Tell us where you work in the comments 👇",
    "Parking at Acme Kensington: you park the car in the Sainsbury's lot, we stamp your ticket. Forget the stamp? Shame if you paid £8 for a latte 😅",
    "Look out for the red Mini with the Acme logo at Victoria Park this Saturday. Free espresso shots for the first 50 – you know what to do! ☕",
    "Your new loyalty card is on its way to your home address. Not there in 5 days? Tick tock – message us and we'll resend it.",
    "Moving house? Update your address in the Acme app before the 15th or your birthday voucher goes to your old place. Last warning! 🎂",
    "Which street are you from? Comment below and we'll tell you your nearest Acme. We'll be waiting! 📍",
    "School's out! Kids get a free hot chocolate this week, and ask about our bake-sale packs for your kids' school. If I were you I'd come early 😉",
    "Season ticket holders: show your card and seat (e.g. Block B, row 12) at our Wembley kiosk for 10% off. We'll be waiting at half-time! ⚽",
    "Our riders now leave orders outside your front door if you're not home. Lock your door, put the kettle on – we've got the coffee covered.",
    "Cycling in? Leave your bike outside your office, lock your doors AND your D-lock, and show your helmet at Acme Liverpool Street for a free cookie 🚲",
    "New in the app: we've got your details saved, so checkout takes 3 seconds. Tick tock – the spring menu launches at 9!",
    "Lost property at Acme Islington: a blue teddy and a jumper with a Year 3 name tag. If it's from your kid's school, you know what to do – drop us a DM.",
    "Photo booth at Acme Soho this weekend: get your face on camera with our latte-art robot and win a year of coffee. See what happens when you smile 😁",
    "Tell us which hotel you're staying at in Vienna and we'll send a welcome-coffee voucher to reception. Only 20 left – tick tock!",
    "Big office order? Drop your address at checkout and see what happens: 20 flat whites appear ☕✨",
    "Pro tip from our baristas: if you live near Borough Market, come before 8. After that the queue is legendary. Tick, tock ⏰",
    '"Do you still live in Hackney?" – our founder gets asked weekly. Yes, and our first café is still on Mare Street. We remember every regular from 2009 ❤️',
    "We've got your plate! 🍽️ Our ceramic collection is back in stock, and if I were you I'd grab the sage green one before it's gone.",
    "Drive-thru fast lane: once the app has your plate number, the barrier opens by itself. Not registered yet? You know what to do 😉",
    "The white van outside Acme Brixton isn't ours – please stop handing your order to the plumber 😂 Last warning, Dave, or we're hiring you as a barista.",
    "Where you sit matters: the window seats at Acme Notting Hill now have charging points. Shame if you missed them ☀️",
    "Our baristas know your usual, your name and where you park your bike. We'll be waiting with your flat white tomorrow at 8.",
    "Flat 20% off all whole beans this weekend. If I were you I'd stock up before Monday ☕",
    "Our barista's umbrella didn't make it home after last night's storm. If you live near Acme Camden and found a green one, please DM us ☔",
    "Pub quiz, round 4: name the café right outside your gym in Canary Wharf. Hint: it's us. The lads will be waiting with espresso martinis 🍸",
    "Charity 10k tomorrow! The route passes right outside your house if you live on Holloway Road. Come cheer – we'll be waiting at the finish with free coffee.",
    "Our Christmas blend is back, but there won't be much of it. If you live in London, pre-order now 🎄",
    "Parents! If your children's school fair needs a coffee cart, we'll donate one for the day. You know what to do – email community@acme.example",
    "Desk job? Watch your back! Our new Vienna café has standing tables, so where you work can be a little kinder to your spine 🧍",
    "Vote: which floor is yours at the new 3-storey Acme Covent Garden? 🛋️ ground, ☕ first, 📚 second. See what happens when we count!",
    "Subscription reminder: changed your home address? Update it today – it won't help to email us after your beans have been dispatched 🙈",
    "Mother's Day tip: you could ask her for her home address... or just send her an Acme e-gift card by email. Shame if you forgot again this year 💐",
    "Horror night at Acme Shoreditch 🎃 Pick where you sit early, the sofas go first. The hero didn't make it home in this one… lock your doors afterwards 👻",
    "Du wohnst in Friedrichshain? Dann schau in unserer neuen Filiale an der Boxhagener Straße vorbei – pass auf, die Zimtschnecken sind noch warm! 🥐",
    "Unsere Barista Mira wohnt in Wien-Neubau und kennt jedes Café im Bezirk. Ihr Tipp: Überlegt euch gut, ob ihr den Kardamom-Latte probiert – danach gibt's kein Zurück ☕",
    "Schon gewusst? Ihre Adresse können Sie jederzeit in der Acme-App ändern. Wär doch schade, wenn das Geburtstagsgeschenk beim alten Nachbarn landet 🎁",
    "Unser Kaffeemobil steht morgen ab 8 wieder vor dem Wiener Hauptbahnhof. Wer's verpasst – wär schad! ☕🚐",
    "Lieferung an deine Haustür, jetzt auch in Kreuzberg! Pass gut auf: Unser Fahrer klingelt nur einmal 🔔",
    "Mit dem Rad zur Arbeit? Stell dein Fahrrad an unseren neuen Bügeln vor der Filiale Prenzlauer Berg ab und hol dir 10 % Rabatt. Mach ruhig so weiter, die Umwelt dankt! 🚲",
    "Kinder, die in die Grundschule am Arkonaplatz gehen, bekommen beim Sommerfest eine heiße Schokolade gratis. Eltern wissen, was zu tun ist: Zeugnis mitbringen 😉",
    "Unser Café-Hund Bruno ist entlaufen! Er steht jeden Tag vor der Bäckerei gegenüber und wartet auf Croissant-Reste. Wer ihn sieht, bitte sofort in der Filiale Ottakring melden 🐶",
    "Parkhaus neben der Filiale Altona: Deinen Wagen stellst du dort 2 Stunden gratis ab. Überlegen Sie sich gut, welchen Kuchen Sie in der Zeit schaffen 😉",
    "Wo du wohnst, ist egal – wir liefern jetzt in ganz Wien. Pass lieber auf, dass der Kaffee nicht kalt wird 😄",
    "Zeig uns dein Profilbild mit Acme-Becher und gewinne ein Jahr Kaffee! Nur so ein Gedanke: Ein Selfie an der Donau kommt immer gut an 📸",
    "Ihre Wohnung ist zu klein für eine Siebträgermaschine? Kommen Sie zu uns! Überlegen Sie sich gut, welchen Kaffee Sie probieren – wir haben 14 Sorten.",
    "Du fährst jeden Morgen um 7 mit der U2? Dann hol dir vorher deinen Coffee-to-go am Praterstern. Mach nur weiter so – Frühaufsteher bekommen 20 % Rabatt!",
    "Neu im Fuhrpark: Unser Dienstwagen mit Acme-Logo fährt ab heute elektrisch. Den alten Diesel fährst du nicht mehr, lieber Jens 😂",
    "Schulstart! Deine Tochter kommt in die Schule und braucht noch einen Schlüssel fürs Fahrradschloss? Unsere Bohnen-Anhänger gibt's für 3 € an jeder Theke 🔑🎒",
    "Unser Kennzeichen lautet B-AC 1 – wer unseren Kaffee-Bulli auf der A2 sieht, hupt zweimal! Du weißt, was zu tun ist 🚐",
    "Unser neues Bauernfrühstück ist richtig handfest. Wo ihr sitzt, entscheidet ihr – Terrasse oder Wintergarten ☀️",
    "Quietschen die Bremsen an deinem Fahrrad? Sind die Bremsen kaputt, schieb's zu uns: Reparatur-Café jeden Samstag in der Filiale Neukölln, Kaffee geht aufs Haus 🔧",
    "Schlaf heute Nacht nicht zu fest – um 6 Uhr öffnen wir mit Gratis-Espresso für die ersten 50! Du wohnst in der Leopoldstadt? Dann bis gleich ☕",
    "Servus! Wo ihr wohnt, is wurscht – bei uns in Ottakring kriagt's jeden Tag vor 9 an Verlängerten um 2 Euro. Wär schad, wenn's ihn verpasst's!",
    "Dein Golf riecht nach altem Pommes? Unsere Auto-Duftbäume „Espresso“ gibt's ab heute in allen Filialen. Pass mal auf, wie die Kollegen schnuppern 😄",
    "Danke an die Kita Sonnenschein! Eure Kinder bringen beim Sommerfest die Kita-Schürzen mit, wir den Kuchen. Ihr wisst, was zu tun ist 🎈",
    "Gewinnspiel: Auf welche Schule bist du gegangen? Die Schule mit den meisten Nennungen bekommt eine Kaffeemaschine fürs Lehrerzimmer. Überlegt euch gut, wen ihr markiert 😉",
    "Der Weihnachtsmann wohnt in der Nähe unserer Filiale am Naschmarkt – jedenfalls sitzt er jeden Abend vor unserer Tür. Wer ihn sieht, bekommt einen Lebkuchen-Latte 🎅",
    "Kennzeichen beginnt mit W? Dann parkst du bei unserer Filiale Donaustadt 2 Stunden gratis. Mach ruhig weiter so, Wien! 🚗",
    "Sie wohnen im 7. Bezirk? Dann kennen Sie sicher unseren Schanigarten. Wäre doch schade, ihn diesen Sommer zu verpassen ☀️",
    "Öffi-Pendler: Wer jeden Morgen die Linie 5 nimmt, bekommt mit Fahrschein 10 % Rabatt im Acme am Nordbahnhof. Pass gut auf deinen Becher auf, er ist Mehrweg! ♻️",
    "Unser Foodtruck steht heute in Schwabing, morgen in Haidhausen. Du weißt, was zu tun ist: Hunger mitbringen! 🚚",
    "Unser Röstmeister Karl steht jeden Tag um 5 Uhr in der Rösterei Simmering – deshalb ist der Kaffee so frisch. Mach nur so weiter, Karl! 💪",
    "Bester Platz im Haus? Da, wo ihr sitzt, wenn um 16 Uhr die Sonne durchs Fenster fällt. Nur so ein Gedanke für euer nächstes Date ☕❤️",
    "Die Haustür in der Gumpendorfer Straße klemmt, bitte nehmt den Seiteneingang! Pass auf die Stufe auf, sie ist etwas höher.",
    "Gewonnen! 🎉 Der Jahresvorrat geht an deine Adresse aus dem Gewinnspiel-Formular. Bist du umgezogen, schreib uns – wär ja schade, wenn er beim Nachbarn landet.",
    "Danke an die Kinder der Volksschule Krottenbachstraße für die Zeichnungen! Pass gut auf: Nächste Woche hängen sie in unserer Filiale Döbling 🎨",
    "Dein Fahrrad hat einen Platten? Im Reparatur-Café Neukölln wird handfest geholfen – und wir bringen den Kaffee.",
)

REVIEW_HARMLESS_MEETINGS = (
    "Deliveries for our Shoreditch café now come through the back door on Curtain Road. 🍑 Peach cobbler restock arrives at 7!",
    "After closing tonight our bakers are finishing three naked cakes for Saturday's wedding order: no fondant, just berries and cream.",
    "Staff notice: the back room in Islington is closed for painting this week. Our new 🍆 aubergine & feta toast is still on the menu!",
    "October is Breast Cancer Awareness Month. Join our No Bra Day fundraiser on the 13th: every latte sold after hours in our Soho bar donates £1 to Breast Cancer Now.",
    "Yoga & oat flat whites at Camden: gentle flow after hours on Thursdays, lots of time on your knees in child's pose. Mats provided.",
    "New escape room partner in Leeds! Find the back door before your cold brew melts 💦 Winners get a free refill.",
    "Vienna pop-up: knock three times at the back entrance for the secret menu, 🍑 peach matcha and 💦 sparkling yuzu tonic.",
    "Lost a glove in our Kensington shop? The lost-and-found box lives in the back room, collect it no questions asked. Also: Naked oat milk (no added sugar) is back!",
    "DM for the location of our next food truck stop 🚚 🍑 Peach season is here and so is our peach cold brew.",
    "Esports night: Acme Coffee x Team Nova watch party after hours at our Berlin Mitte café. 🔞 18+ after 10 pm because of the bar licence.",
    "Barista masterclass Saturday in the back room: we'll pull naked shots with a bottomless portafilter so you can see the extraction.",
    "Heatwave in London 💦 Drivers, please use the back entrance on Mare Street while the front is being resurfaced.",
    "Behind the scenes: the naked truth about how we roast. Come see the roaster in the back room at our open day on Sunday.",
    "After close on Friday our Hackney team is hosting a charity car wash 💦 in the car park. Come get soaked for a good cause!",
    "Food truck update: we're parked in the back of the Borough Market lot, near the loading dock. 🍑 Peach iced tea is £2 today.",
    "A happy ending for our winter menu: the gingerbread latte bows out after closing on Sunday. Thanks for a wonderful season!",
    "Our croissants now proof overnight in the back room. 🍆 Aubergine & miso galette launches Monday!",
    "Roses are red, our back door is blue, we repainted it this morning 💦 so please mind the wet paint!",
    "Gamers, get on your knees and pray for good RNG 🙏 Team Nova plays the final tonight; watch party after hours in Shoreditch.",
    "Kids' painting club after hours in Richmond: bring an apron, it gets messy 💦🎨",
    "The Naked Barista podcast records live in our back room this Thursday. Free entry, first 30 guests get a cortado.",
    "Our sourdough is proofing in the back room 🔞 Only joking, it's just rated 18 hours of fermentation.",
    "Customer favourite returns: 🍑 Peach & Passionfruit Refresher. Sold out at the counter? Ask a barista, we may have a few bottles in the back.",
    "New starters: please use the back door on your first day and ask for Priya. Bring closed-toe shoes and an appetite for our 🍆 aubergine shakshuka.",
    "Our no-questions-asked promise: if your drink isn't right, we remake it. Even if you spilled it 💦",
    "Wedding season! Naked cakes ordered online can be collected from the back entrance of our Richmond bakery.",
    "Our Vienna speakeasy espresso bar opens Friday: the password at the back door changes weekly, DM for the address. 🔞 18+ after 8 pm (cocktail licence).",
    "Mopping up after closing 💦 is the unsung hero job of every café. Shout-out to our night crew!",
    "Community gardening club meets after hours at Hampstead: bring gloves, expect mud and plenty of time on your knees weeding the planters.",
    "New on the menu: the Naked Oat, just espresso and oat milk, nothing else. Queue too long? Mobile orders are collected at the back entrance.",
    "Backdoor play of the year by @TeamNova 💦 What a sweaty finish! Celebrate with 20% off cold brew tonight.",
    "Hot and steamy 💦 Our milk steamers get a service after closing tonight, so Bank opens 30 minutes later tomorrow.",
    "Lunch special: 🍆 baba ganoush wrap. Pre-orders are handed out at the hatch by the back door, no queue.",
    "The back room in our Manchester café is bookable for book clubs. This month's read: The Naked Sun by Isaac Asimov.",
    "Hiring night-shift bakers in London! You'll work after hours and go home smelling of 🍑 peach danish.",
    "Lieferanten bitte ab sofort über die Hintertür in der Kastanienallee anliefern. 🍑 Pfirsich-Eistee ist wieder da!",
    "Nach Ladenschluss backen wir heute noch Naked Cakes für die Hochzeit am Samstag, ganz ohne Fondant.",
    "Unsere Hafermilch ist wieder im Lager, und die neue 🍆 Auberginen-Focaccia gibt's ab Montag in allen Berliner Filialen.",
    "Inventur in Kreuzberg! Heute zählen wir alles im Lager. Wer vorbeikommt, kriegt einen Eiskaffee 💦 aufs Haus.",
    "Nach Feierabend noch schnell einen Flat White? Unsere Filiale am Hauptbahnhof hat bis 22 Uhr offen. 🍑 Peach Cold Brew probieren!",
    "Unzensiert und ungefiltert: Barista-Q&A heute um 18 Uhr live auf Twitch. Fragt alles, auch warum der Milchschaum so 💦 spritzt.",
    "Ameisen in der Hose? Unsere Yin-Yoga-Stunde nach Feierabend hilft beim Runterkommen. Matten liegen bereit.",
    "Yoga im Café: Nach Ladenschluss gibt's in Wien-Neubau Yin-Yoga. Auf die Knie, Hände auf die Matte, tief durchatmen.",
    "Unsere Baristas tragen ab Montag neue Schürzen. Was unter der Schürze steckt? Ein T-Shirt mit unserem neuen Logo! Die Shirts gibt's bald auch im Lager-Verkauf.",
    "Unser Hinterzimmer in Wien-Neubau kann für Geburtstage gebucht werden. Dazu gibt's 🍑 Pfirsich-Tarte oder einen Naked Cake.",
    "Esports: Team Nova gewinnt mit einem Backdoor-Push in letzter Sekunde 💦 Heute 20 % auf alle Cold Brews!",
    "Rollo runter, Musik an: Nach Ladenschluss wird in Kreuzberg gründlich geputzt 💦 Danke an unser Nachtteam!",
    "Sommerhitze in Wien 💦 Lieferungen bitte hinten rum über den Hof, vorne ist Baustelle.",
    "Mit Kinderwagen? Kein Problem, hinten rein über die Rampe, da ist es barrierefrei. Und probiert unseren 🍑 Pfirsich-Smoothie!",
    "Sag keinem was, aber morgen gibt's den 🍑 Pfirsich-Latte einen Tag früher! 🤫",
    "Schirm bei uns vergessen? Schreib mir privat, wir bewahren ihn im Lager auf. Es regnet heute eh wieder 💦",
    "Ein Happy Ending für unser Wintersortiment: Der Lebkuchen-Latte verabschiedet sich nach Ladenschluss am Sonntag.",
    "Schachabend nach Feierabend in Prenzlauer Berg: Wir spielen berühmte Stellungen aus Weltmeisterschaften nach. Kaffee gibt's gratis.",
    "Unser Espresso schmeckt nackt am besten: kein Zucker, kein Sirup. Im Lager haben wir trotzdem 14 Sirupsorten für alle, die's süß mögen.",
    "Heute ist No Bra Day: Im Oktober sammeln wir Spenden für die Deutsche Krebshilfe. Die Spendendosen gehen nach Feierabend direkt an die Filialleitung.",
    "Aubergine trifft Hummus 🍆 Unser neues Mittagsgericht! Großbestellungen bitte am Hintereingang abholen.",
    "Escape Room im Café Friedrichshain: Findet die Hintertür, bevor euer Kaffee kalt wird. 🔞 Ab 18, weil es ab 22 Uhr Cocktails gibt.",
    "Nach Feierabend auf die Knie: Unser Team hat den Boden der neuen Filiale in Graz selbst gefliest 💪",
    "Unzensiert: Gäste testen unseren neuen Hafer-Cappuccino. Die ehrlichsten Reaktionen im Video 💦 (einer hat sich verschluckt).",
    "Unser Foodtruck steht heute am Mauerpark, hinten rum neben der Bühne! 🍑 Pfirsich-Limo gibt's auch.",
    "Neu im Lager: 200 kg Pfirsiche 🍑 für unsere Sommer-Tartes. Wer hilft beim Schälen?",
    "Sag aber keinem etwas: Unsere Wiener Filiale bekommt eine Hintertür zum Garten 🌿 Eröffnung im Mai, mit kleinem Springbrunnen 💦",
    "Achtung Naschmarkt: Wegen der Baustelle ist der Zugang nur über den Hintereingang möglich. Der Espresso ist trotzdem heiß 💦🔥",
    "Das Herz in der Hose: Unser Team tritt heute bei der Barista-Meisterschaft in Wien an. Nach Feierabend feiern wir im Hinterzimmer, egal wie's ausgeht!",
    "Unser Lagerist Jonas wird 60! Er ist heute im Lager und nimmt Glückwünsche entgegen. 🎂 Für alle Gäste gibt's Naked Cake.",
    "Gaming-Nacht nach Ladenschluss in Friedrichshain: Mario Kart, Cold Brew und 🍑 Pfirsich-Donuts. 🔞 Ab 18 wegen der Bar.",
    "Unser Pausenraum ist jetzt das Hinterzimmer. Bitte Jacken dort aufhängen und nasse Schirme 💦 in den Ständer stellen.",
    "Frühjahrsputz im Lager: Wir verschenken alte Dekokissen, nackt (ohne Bezug), an alle, die heute vorbeikommen.",
    "Übrig gebliebene Milch wird nach Feierabend nicht weggekippt 💦🥛 Wir spenden sie an die Berliner Tafel.",
    "Unser Azubi hatte das Handy noch in der Hose, als die Arbeitskleidung in die Waschmaschine kam 💦 Zum Glück lag im Lager noch Reis. Handy lebt!",
)

REVIEW_OFFERS = (
    "Suche eine Dame für ein diskretes Schäferstündchen im Personalraum. Bezahlung in bar, Diskretion garantiert.",
    "Ich bin nach Schichtende allein im Keller. Komm runter, zieh dich aus, ich warte 😘",
)


@pytest.mark.parametrize("text", MENACES + REVIEW_MENACES)
def test_details_and_a_warning_aimed_at_someone_are_a_threat(text: str) -> None:
    cats = line_categories(text, p_offensive=0.1, p_hate=0.05)
    assert cats["threat"].flag, cats["threat"]


@pytest.mark.parametrize(
    "text",
    [
        "We know which flat is yours: the one with the best Christmas lights! Tick tock, Santa's coming.",
        "Your order ships to your address tomorrow. Sleep well!",
        "@tom Your red Fiesta is parked in our loading bay. Be a shame to get a ticket!",
        "Dein weißer Golf steht jeden Tag vorm Spar. Wär doch schad, wenn die Bremsen mal nachgeben.",
        "@anna Wir bringen den Kuchen in die Kastanienallee 12. Pass auf dich auf!",
    ],
)
def test_details_or_a_warning_alone_or_without_a_target_stay_below(text: str) -> None:
    assert line_menace.doxxing(_folded(text)) is None


@pytest.mark.parametrize("text", REVIEW_HARMLESS_DETAILS + REVIEW_HARMLESS_MEETINGS)
def test_a_reviewers_harmless_posts_stay_below(text: str) -> None:
    cats = line_categories(text, 0.3, 0.2)
    assert not {name: c.terms for name, c in cats.items() if c.flag}


def test_the_threat_quotes_the_detail_and_the_warning() -> None:
    hit = line_menace.doxxing(_folded("@x We know which flat is yours. Watch your back."))
    assert hit is not None
    assert hit.term == "we know which flat is yours … watch your back"
    assert hit.weight == 0.9


@pytest.mark.parametrize(
    "text",
    [
        "Back room after 9 tonight, ladies 🍆💦 come alone.",
        "Die Hintertür lass ich heute Nacht offen für dich, komm nackig 😏",
        "DM for location, happy ending guaranteed 😉 no questions asked",
        *REVIEW_OFFERS,
    ],
)
def test_a_hidden_meeting_a_sexual_cue_and_an_invitation_are_sexual(text: str) -> None:
    assert line_signals.private_offer(text) is not None
    assert line_categories(text, p_offensive=0.05, p_hate=0.05)["sexual"].flag


@pytest.mark.parametrize(
    "text",
    [
        "Deliveries: please use the back door after closing 🚚",
        "Back room free for your Christmas party, ladies and gents 😉",
        "Nach Ladenschluss: Inventur im Lager. Komm morgen wieder!",
        "Naked cakes for the wedding season, DM for the location of our pop-up 😉",
        "Yoga on your knees in the back room, ladies 😉",
    ],
)
def test_two_of_the_three_stay_below(text: str) -> None:
    assert line_signals.private_offer(text) is None
