# ruff: noqa: E501  (the posts are data, kept one to a line)
"""A person's details and a warning in one post are a threat (``line_menace``); either alone
is a delivery note, a season ticket, a parking tip or a cheeky sign-off."""

from __future__ import annotations

import pytest

from chalicelib.triage import line_menace
from chalicelib.triage.line import _folded, line_categories

# Written for this test (not from any crisis set), one per detail kind and language.
MENACES = (
    "@ollie one star? We know which flat is yours. Wouldn't leave the car out overnight if I were you.",
    "To the reviewer: you still live above the bakery on Mill Road. Flat 3. We remember.",
    "Saw your face on CCTV, mate. Lock your doors tonight. It won't help.",
    "@karen You park the red Fiesta by the station every Tuesday. Shame if something happened to it. Tick tock.",
    "@matty Block C, row 14. Keep slagging us off and see what happens at the derby.",
    "@critic we know which school your daughter goes to. Last warning.",
    "@lena Deine Adresse haben wir ja aus der Bestellung. Schlaf heute Nacht nicht zu fest.",
    "@kritiker Du wohnst ja in der Kastanienallee. Pass schön auf, wenn du heimgehst.",
    "Frau Berger, Sie wohnen ja in Hietzing, zwei Kinder, Volksschule ums Eck. Überlegen Sie sich gut, was Sie schreiben.",
    "@hofrat Dein weißer Golf steht jeden Tag vorm Spar. Wär doch schad, wenn die Bremsen mal nachgeben.",
    "Der Typ wohnt in Lindenau und nimmt jeden Morgen um 7:20 die Linie 3. Wer ihn sieht, weiß, was zu tun ist.",
)

# Each holds one half, or both halves in a harmless sense.
HARMLESS = (
    "Which flat is yours? The one with the best Christmas lights wins a free stollen! 🎄",
    "Your order ships to your address tomorrow. Sleep well!",
    "We have your address from the loyalty app, so your birthday voucher is already in the post. Sleep well and see you soon!",
    "Lock your doors and curl up with our new winter blend ☕",
    "Tick tock, the sale ends at midnight ⏰",
    "Try our new oat latte and see what happens to your Monday mood.",
    "Register your number plate in the app, drive in and see what happens",
    "Pass gut auf dich auf und komm gut heim!",
    "Gästeparkplatz: Ihr Kennzeichen bitte am Tablet eintragen. Überlegen Sie sich gut, ob Sie noch ein Stück Torte nehmen 😉",
    "Du wohnst in der Kastanienallee? Dann ist unsere neue Filiale gleich um die Ecke!",
    "Schlaf gut, Berlin! Morgen um 7 öffnen wir wieder.",
)


@pytest.mark.parametrize("text", MENACES)
def test_details_with_a_warning_are_a_threat(text: str) -> None:
    cats = line_categories(text, p_offensive=0.1, p_hate=0.05)
    assert cats["threat"].flag, cats["threat"]
    assert "…" in cats["threat"].terms[0]


@pytest.mark.parametrize("text", HARMLESS)
def test_either_half_alone_stays_below(text: str) -> None:
    assert line_menace.doxxing(_folded(text)) is None
    assert not line_categories(text, p_offensive=0.1, p_hate=0.05)["threat"].flag


def test_the_hit_quotes_both_halves() -> None:
    hit = line_menace.doxxing(
        _folded("@x We know which flat is yours. Sleep tight... lock your door.")
    )
    assert hit is not None
    assert hit.term == "which flat is yours … lock your door"
    assert hit.weight == 0.9
