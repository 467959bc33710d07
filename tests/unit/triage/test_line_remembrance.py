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
